"""Ending a participation, registering one from the municipality's page, and the
municipality's participation section."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.accounts.permissions import has_rule
from m50.contacts import selectors as contacts
from m50.core.access import rule_required
from m50.membership import selectors as membership_selectors
from m50.municipalities import selectors as registry
from m50.municipalities.models import Municipality
from m50.pillars import rules, selectors, services
from m50.pillars.forms import (
    ParticipationEndForm,
    RegisterForm,
    body_label,
)
from m50.pillars.models import (
    Participation,
)
from m50.pillars.views._common import (
    ORIGIN,
    PARTICIPATION_ANCHOR,
    _bound,
    _count_parts,
    _is_pillar,
    _require,
    _status,
    body_url,
)

# --- Ending a participation, registering one (from the municipality's page) --------------------


def _participation(participation_id: int) -> Participation:
    try:
        return selectors.participation_detail(pk=participation_id)
    except Participation.DoesNotExist as exc:
        raise Http404 from exc


def _back_to(request, participation) -> str:
    if request.POST.get("terug") == "gemeente" or request.GET.get("terug") == "gemeente":
        municipality = participation.position.organisation.municipality
        return (
            reverse("municipalities:detail", args=[municipality.code]) + f"#{PARTICIPATION_ANCHOR}"
        )
    return body_url(participation.body) + "#deelnemers"


@rule_required("pillars.end_participation")
def participation_end(request, participation_id: int):
    participation = _participation(participation_id)
    user = request.user
    own = rules.may_leave(user, participation)
    _require(own or rules.may_manage_participation(user, participation))
    form = ParticipationEndForm(_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_end(
                participation=participation,
                end_date=form.cleaned_data["end_date"],
                reason=Participation.EndReason.LEFT,
                actor=user,
                origin=ORIGIN,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _("De deelname van %(person)s aan de %(body)s is beëindigd.")
                % {
                    "person": participation.position.person.full_name,
                    "body": body_label(participation.body).lower(),
                },
            )
            return redirect(_back_to(request, participation))
    return render(
        request,
        "pillars/participation_end.html",
        {
            "form": form,
            "participation": participation,
            "own": own,
            "body_url": body_url(participation.body),
            "back": request.GET.get("terug") or request.POST.get("terug") or "",
            "title": _("Deelname beëindigen: %(person)s, %(body)s")
            % {
                "person": participation.position.person.full_name,
                "body": body_label(participation.body),
            },
        },
        status=_status(form),
    )


def _municipality(code: str) -> Municipality:
    try:
        return registry.municipality_queryset().get(code=code.upper())
    except Municipality.DoesNotExist as exc:
        raise Http404 from exc


def _registrable_positions(municipality_id: int) -> list:
    current, _past = contacts.split_current(
        contacts.positions_at_municipality(municipality_id=municipality_id)
    )
    return [p for p in current if rules.category_for(p.function) is not None]


@rule_required("pillars.register_participation")
def participation_register(request, code: str):
    municipality = _municipality(code)
    _require(rules.may_manage_participation_of(request.user, municipality_id=municipality.pk))
    today = timezone.localdate()
    form = RegisterForm(
        _bound(request),
        positions=_registrable_positions(municipality.pk),
        bodies=selectors.matrix_bodies(on=today),
        # Who chairs a pillar or group manages it for the whole network: the bureau appoints
        # chairs, a municipality's contact registers members and observers.
        chair_choice=has_rule(request.user, "pillars.manage"),
    )
    if request.method == "POST" and form.is_valid():
        position = form.positions[form.cleaned_data["position"]]
        body = form.bodies[form.cleaned_data["body"]]
        target = {"pillar": body} if _is_pillar(body) else {"theme_group": body}
        try:
            services.participation_register(
                position=position,
                **target,
                role=form.cleaned_data["role"],
                start_date=form.cleaned_data["start_date"],
                actor=request.user,
                origin=ORIGIN,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _("%(person)s is geregistreerd als deelnemer aan de %(body)s.")
                % {"person": position.person.full_name, "body": body_label(body).lower()},
            )
            return redirect(
                reverse("municipalities:detail", args=[municipality.code])
                + f"#{PARTICIPATION_ANCHOR}"
            )
    return render(
        request,
        "pillars/participation_register.html",
        {
            "form": form,
            "municipality": municipality,
            "title": _("Deelnemer registreren voor %(name)s") % {"name": municipality.name},
        },
        status=_status(form),
    )


def municipality_pillars_context(request, municipality) -> dict:
    """The participation section of a municipality's page, as ``{"pillars": {...}}``; None
    for anonymous visitors (who takes part where is for the network's own users). Two
    queries: the running participations with their people, and the membership's status."""
    user = request.user
    if not has_rule(user, "pillars.view_participants"):
        return {"pillars": None}
    participations = list(selectors.participation_list(municipality_id=municipality.pk))
    can_manage = rules.may_manage_participation_of(user, municipality_id=municipality.pk)
    # Per pillar or group, how many of its officials of which category (pillars first).
    bodies: dict[tuple[bool, str], dict] = {}
    for p in participations:
        body = p.body
        item = bodies.setdefault(
            (not _is_pillar(body), body.name),
            {"label": body_label(body), "url": body_url(body), "counts": {}},
        )
        item["counts"][p.category] = item["counts"].get(p.category, 0) + 1
    return {
        "pillars": {
            "municipality": municipality,
            "bodies": [
                {**item, "parts": _count_parts(item["counts"])}
                for _key, item in sorted(bodies.items())
            ],
            "in_pillar": any(p.pillar_id for p in participations),
            "participations": [
                {
                    "participation": p,
                    "body_label": body_label(p.body),
                    "url": body_url(p.body),
                    "can_end": can_manage or rules.may_leave(user, p),
                }
                for p in participations
            ],
            "can_register": can_manage and has_rule(user, "pillars.register_participation"),
            # The advice to take part in a pillar is for members and aspirants.
            "is_running": membership_selectors.is_running(
                municipality_id=municipality.pk, on=timezone.localdate()
            ),
        }
    }


# --- The participation matrix -----------------------------------------------------------------
