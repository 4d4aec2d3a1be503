"""Pages of pillars and theme groups: the list, a page per pillar and group with its forms,
the participation matrix with its exports, and a municipality's participation.

The views hold no rules: who may do what on which pillar or group is asked of
:mod:`m50.pillars.rules` (per object), and the services refuse what the rules of participation
do not allow; a refusal is shown on the form (status 400) and nothing is written.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from m50.accounts.permissions import has_rule
from m50.contacts import selectors as contacts
from m50.core.access import rule_required
from m50.membership import rules as membership_rules
from m50.membership import selectors as membership_selectors
from m50.municipalities import selectors as registry
from m50.municipalities.models import Municipality
from m50.pillars import exports, rules, selectors, services
from m50.pillars.forms import (
    BodyEditForm,
    JoinForm,
    MatrixFilterForm,
    ParticipationEndForm,
    RegisterForm,
    RequestHandleForm,
    TopicProposeForm,
    TopicStatusForm,
    body_label,
)
from m50.pillars.models import (
    Category,
    Participation,
    ParticipationRequest,
    Pillar,
    ThemeGroup,
    Topic,
    TopicStatus,
)

ORIGIN = "webformulier"
MATRIX_PAGE_SIZE = 50
PAGE_PARAMETER = "pagina"
PARTICIPATION_ANCHOR = "pijlers"

STATUS_HEADINGS = {
    TopicStatus.PROPOSED: gettext_lazy("Voorgesteld"),
    TopicStatus.ADOPTED: gettext_lazy("Aangenomen"),
    TopicStatus.PARKED: gettext_lazy("Geparkeerd"),
    TopicStatus.CLOSED: gettext_lazy("Afgesloten"),
}
ACTION_LABELS = {
    "pillar.update": gettext_lazy("omschrijving gewijzigd"),
    "theme_group.update": gettext_lazy("omschrijving gewijzigd"),
    "pillar.end": gettext_lazy("beëindigd"),
    "theme_group.end": gettext_lazy("beëindigd"),
    "participation.register": gettext_lazy("deelname geregistreerd"),
    "participation.end": gettext_lazy("deelname beëindigd"),
    "participation.cancel": gettext_lazy("deelname geschrapt"),
    "participation.role_change": gettext_lazy("rol gewijzigd"),
    "participation_request.create": gettext_lazy("aanmelding ingediend"),
    "participation_request.accepted": gettext_lazy("aanmelding geaccepteerd"),
    "participation_request.refused": gettext_lazy("aanmelding afgewezen"),
    "participation_request.withdrawn": gettext_lazy("aanmelding ingetrokken"),
    "topic.propose": gettext_lazy("onderwerp voorgesteld"),
    "topic.update": gettext_lazy("onderwerp gewijzigd"),
    "topic.status_change": gettext_lazy("status van onderwerp gewijzigd"),
}


def _bound(request):
    return request.POST if request.method == "POST" else None


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _is_pillar(body) -> bool:
    return isinstance(body, Pillar)


def body_url(body, name: str = "detail") -> str:
    """The address of ``body``'s page (``name`` "detail") or one of its forms ("edit",
    "topic_propose", "join")."""
    if _is_pillar(body):
        return reverse(f"pillars:{name}", kwargs={"pillar": body.slug})
    return reverse(f"pillars:group_{name}", kwargs={"group": body.slug})


def _body(pillar: str | None = None, group: str | None = None) -> Pillar | ThemeGroup:
    try:
        if group is not None:
            return selectors.theme_group_detail(slug=group)
        return selectors.pillar_detail(slug=pillar)
    except (Pillar.DoesNotExist, ThemeGroup.DoesNotExist) as exc:
        raise Http404 from exc


def _end_text(body) -> str:
    """When a pillar or group ended: its date, or that the date is unknown (never invented)."""
    if not body.ended:
        return ""
    if body.ended_on is None:
        return _("beëindigd, datum onbekend")
    return _("beëindigd op %(date)s") % {"date": formats.date_format(body.ended_on, "j F Y")}


# --- The list ---------------------------------------------------------------------------------


def _chair_key(body) -> tuple[str, int]:
    return ("pillar" if _is_pillar(body) else "theme_group", body.pk)


@rule_required("pillars.view")
def pillar_list(request):
    today = timezone.localdate()
    generations = selectors.pillar_generations(on=today)
    groups = list(selectors.theme_group_list())
    bodies = [*generations.current, *generations.ended, *groups]
    chairs = selectors.chairs_of(bodies=bodies, on=today)
    groups_of: dict[int | None, list] = {}
    for group in groups:
        groups_of.setdefault(group.pillar_id, []).append(group)

    def item(body):
        return {
            "body": body,
            "url": body_url(body),
            "chair": chairs.get(_chair_key(body)),
            "end_text": _end_text(body),
            "running": body.is_running(today),
            "groups": [item(g) for g in groups_of.get(body.pk, [])] if _is_pillar(body) else [],
        }

    return render(
        request,
        "pillars/list.html",
        {
            "current": [item(p) for p in generations.current],
            "ended": [item(p) for p in generations.ended],
            "network_groups": [item(g) for g in groups_of.get(None, [])],
            "can_view_participants": has_rule(request.user, "pillars.view_participants"),
        },
    )


# --- A pillar or theme group ------------------------------------------------------------------


def _own_positions(user, body, taking_part: set[int]) -> list:
    """The user's own current positions at a municipality through which they could ask to
    join ``body`` (none if they take part already). Two queries, for a user with a person."""
    person_id = getattr(user, "person_id", None)
    if not user.is_authenticated or person_id is None or person_id in taking_part:
        return []
    person = contacts.person_detail(pk=person_id)
    today = timezone.localdate()
    return [
        position
        for position in person.positions.all()
        if position.organisation.municipality_id is not None
        and position.is_current(today)
        and rules.category_for(position.function) is not None
    ]


def _history(events) -> list[dict]:
    return [
        {
            "timestamp": event.timestamp,
            "actor": event.actor_label,
            "action": str(ACTION_LABELS.get(event.action, event.action)),
            "subject": event.object_repr,
        }
        for event in events
    ]


def body_context(request, body, *, forms: dict | None = None) -> dict:
    """Everything on the page of a pillar or group; ``forms`` replaces a form by a bound one
    with its errors. A fixed number of queries, whatever the number of participants."""
    user = request.user
    today = timezone.localdate()
    forms = forms or {}
    logged_in = has_rule(user, "pillars.view_participants")
    can_manage = rules.may_manage(user, body, on=today)
    chair = selectors.chairs_of(bodies=[body], on=today).get(_chair_key(body))
    topics = selectors.topics_by_status(body=body)
    context = {
        "body": body,
        "is_pillar": _is_pillar(body),
        "end_text": _end_text(body),
        "running": body.is_running(today),
        "chair": chair,
        "can_view_participants": logged_in,
        "can_view_contact_details": has_rule(user, "contacts.view_contact_details"),
        "can_manage": can_manage,
        "urls": {
            name: body_url(body, name) for name in ("detail", "edit", "topic_propose", "join")
        },
        "topic_sections": [
            {
                "status": status,
                "heading": STATUS_HEADINGS[status],
                "topics": [
                    {
                        "topic": topic,
                        "form": forms.get(("topic", topic.pk))
                        or TopicStatusForm(
                            statuses=rules.TOPIC_TRANSITIONS[topic.status],
                            auto_id=f"onderwerp-{topic.pk}-%s",
                        ),
                    }
                    for topic in items
                ],
            }
            for status, items in topics.items()
        ],
    }
    if _is_pillar(body):
        context["successions_out"] = list(
            body.successions_out.select_related("successor").order_by("successor__name")
        )
        context["successions_in"] = list(
            body.successions_in.select_related("predecessor").order_by("predecessor__name")
        )
        context["groups"] = [
            {"body": g, "url": body_url(g), "end_text": _end_text(g)}
            for g in selectors.theme_group_list(pillar=body)
        ]
    if can_manage:
        context["edit_form"] = forms.get("edit") or BodyEditForm(
            initial={"purpose": body.purpose}, auto_id="omschrijving-%s"
        )
        context["requests"] = [
            {
                "request": item,
                "form": forms.get(("request", item.pk))
                or RequestHandleForm(auto_id=f"aanmelding-{item.pk}-%s"),
            }
            for item in selectors.participation_request_list(body=body)
        ]
    if not logged_in:
        return context
    groups = selectors.participants_by_municipality(body=body, on=today)
    taking_part = {
        p.position.person_id for g in groups for items in g.by_category.values() for p in items
    }
    for group in groups:
        group.rows = [
            {
                "category": Category(category).label,
                "participations": [
                    {
                        "participation": p,
                        "can_end": can_manage
                        or rules.may_manage_participation_of(
                            user, municipality_id=group.municipality.pk
                        )
                        or rules.may_leave(user, p),
                        "own": rules.may_leave(user, p),
                    }
                    for p in items
                ],
            }
            for category, items in group.by_category.items()
        ]
    context.update(
        participant_groups=groups,
        participant_count=len(taking_part),
        can_propose=context["running"] and rules.may_propose_topic(user, body, on=today),
        history=_history(selectors.recent_changes(body=body)),
    )
    if context["can_propose"]:
        context["propose_form"] = forms.get("propose") or TopicProposeForm(auto_id="voorstel-%s")
    positions = _own_positions(user, body, taking_part) if context["running"] else []
    if positions:
        # Their own latest request: waiting for an answer (no second one), or refused (why).
        own = list(
            selectors.participation_request_list(body=body, state="").filter(
                position__person_id=user.person_id
            )
        )
        latest = own[-1] if own else None
        if latest is not None and latest.state == ParticipationRequest.State.PENDING:
            context["own_request"], positions = latest, []
        elif latest is not None and latest.state == ParticipationRequest.State.REFUSED:
            context["own_request"] = latest
    if positions or "join" in forms:
        context["join_form"] = forms.get("join") or JoinForm(
            positions=positions, auto_id="aanmelden-%s"
        )
    return context


@rule_required("pillars.view")
def pillar_detail(request, pillar: str | None = None, group: str | None = None):
    body = _body(pillar, group)
    return render(request, "pillars/detail.html", body_context(request, body))


def _render_body(request, body, forms: dict):
    context = body_context(request, body, forms=forms)
    context["has_errors"] = True
    return render(request, "pillars/detail.html", context, status=400)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@rule_required("pillars.manage_own")
def body_edit(request, pillar: str | None = None, group: str | None = None):
    body = _body(pillar, group)
    _require(rules.may_manage(request.user, body))
    if request.method != "POST":
        return redirect(body_url(body) + "#omschrijving")
    form = BodyEditForm(request.POST, auto_id="omschrijving-%s")
    if form.is_valid():
        update = services.pillar_update if _is_pillar(body) else services.theme_group_update
        target = {"pillar": body} if _is_pillar(body) else {"theme_group": body}
        try:
            update(
                **target, purpose=form.cleaned_data["purpose"], actor=request.user, origin=ORIGIN
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(request, _("De omschrijving is opgeslagen."))
            return redirect(body_url(body))
    return _render_body(request, body, {"edit": form})


@rule_required("pillars.propose_topic")
def topic_propose(request, pillar: str | None = None, group: str | None = None):
    body = _body(pillar, group)
    _require(rules.may_propose_topic(request.user, body))
    if request.method != "POST":
        return redirect(body_url(body) + "#onderwerp-voorstellen")
    form = TopicProposeForm(request.POST, auto_id="voorstel-%s")
    if form.is_valid():
        target = {"pillar": body} if _is_pillar(body) else {"theme_group": body}
        owner = getattr(request.user, "person", None)
        try:
            if owner is None:
                raise ValidationError(
                    _("Uw account is niet gekoppeld aan een persoon; u kunt geen eigenaar zijn.")
                )
            topic = services.topic_propose(
                **target,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                owner=owner,
                actor=request.user,
                origin=ORIGIN,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request, _("Het onderwerp is voorgesteld: %(title)s.") % {"title": topic.title}
            )
            return redirect(body_url(body) + "#onderwerpen")
    return _render_body(request, body, {"propose": form})


@rule_required("pillars.manage_own")
def topic_status(request, topic_id: int):
    try:
        topic = selectors.topic_detail(pk=topic_id)
    except Topic.DoesNotExist as exc:
        raise Http404 from exc
    body = topic.body
    _require(rules.may_manage(request.user, body))
    if request.method != "POST":
        return redirect(body_url(body) + f"#onderwerp-{topic.pk}")
    form = TopicStatusForm(
        request.POST,
        statuses=rules.TOPIC_TRANSITIONS[topic.status],
        auto_id=f"onderwerp-{topic.pk}-%s",
    )
    if form.is_valid():
        try:
            services.topic_status_change(
                topic=topic,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                actor=request.user,
                origin=ORIGIN,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _("Het onderwerp %(title)s is nu %(status)s.")
                % {"title": topic.title, "status": TopicStatus(form.cleaned_data["status"]).label},
            )
            return redirect(body_url(body) + "#onderwerpen")
    return _render_body(request, body, {("topic", topic.pk): form})


@rule_required("pillars.request_join")
def join(request, pillar: str | None = None, group: str | None = None):
    body = _body(pillar, group)
    if request.method != "POST":
        return redirect(body_url(body) + "#aanmelden")
    positions = _own_positions(request.user, body, set())
    form = JoinForm(request.POST, positions=positions, auto_id="aanmelden-%s")
    if form.is_valid():
        position = form.positions[form.cleaned_data["position"]]
        _require(rules.may_request_to_join(request.user, position))
        target = {"pillar": body} if _is_pillar(body) else {"theme_group": body}
        try:
            services.participation_request_create(
                position=position,
                **target,
                note=form.cleaned_data["note"],
                actor=request.user,
                origin=ORIGIN,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _(
                    "Uw aanmelding is ingediend. De voorzitter of het bureau beslist erover; u "
                    "ziet het antwoord op deze pagina."
                ),
            )
            return redirect(body_url(body))
    return _render_body(request, body, {"join": form})


@rule_required("pillars.manage_own")
def request_handle(request, request_id: int):
    item = selectors.participation_request_list(state="").filter(pk=request_id).first()
    if item is None:
        raise Http404
    body = item.body
    _require(rules.may_handle_request(request.user, item))
    if request.method != "POST":
        return redirect(body_url(body) + "#aanmeldingen")
    form = RequestHandleForm(request.POST, auto_id=f"aanmelding-{item.pk}-%s")
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == RequestHandleForm.ACCEPT:
                services.participation_request_accept(
                    request=item, actor=request.user, origin=ORIGIN
                )
                text = _("%(person)s neemt nu deel aan de %(body)s.")
            else:
                services.participation_request_refuse(
                    request=item,
                    reason=form.cleaned_data["refusal_reason"],
                    actor=request.user,
                    origin=ORIGIN,
                )
                text = _("De aanmelding van %(person)s voor de %(body)s is afgewezen.")
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                text % {"person": item.position.person.full_name, "body": body_label(body).lower()},
            )
            return redirect(body_url(body) + "#aanmeldingen")
    return _render_body(request, body, {("request", item.pk): form})


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


def _count_parts(counts: dict[str, int]) -> str:
    """``{"bestuurder": 2, "adviseur": 1}`` as "2 bestuurders, 1 adviseur" (categories in
    their order)."""
    words = {
        Category.ADMINISTRATOR: (_("bestuurder"), _("bestuurders")),
        Category.MUNICIPAL_SECRETARY: (_("gemeentesecretaris"), _("gemeentesecretarissen")),
        Category.ADVISOR: (_("adviseur"), _("adviseurs")),
    }
    return ", ".join(
        f"{counts[c]} {words[c][0] if counts[c] == 1 else words[c][1]}"
        for c in Category.values
        if counts.get(c)
    )


MATRIX_STATUSES = {
    MatrixFilterForm.ALL: None,
    MatrixFilterForm.MEMBER: (membership_rules.Status.MEMBER,),
    MatrixFilterForm.ASPIRANT: (membership_rules.Status.ASPIRANT,),
}


@rule_required("pillars.view_participants")
def matrix(request):
    today = timezone.localdate()
    form = MatrixFilterForm(request.GET, provinces=registry.province_list())
    form.is_valid()  # An invalid filter is reported; the others still apply.
    filters = form.filters()
    municipalities = selectors.matrix_municipalities(
        on=today,
        statuses=MATRIX_STATUSES[filters["status"]],
        province=filters["province"],
        band=filters["band"],
    )
    bodies = selectors.matrix_bodies(on=today)
    export_format = request.GET.get("formaat", "")
    if export_format in exports.FORMATS:
        return exports.export_response(
            municipalities, bodies, selectors.matrix_cells(on=today), export_format, today=today
        )
    paginator = Paginator(municipalities, MATRIX_PAGE_SIZE)
    page = paginator.get_page(request.GET.get(PAGE_PARAMETER))
    cells = selectors.matrix_cells(municipality_ids=[m.pk for m in page.object_list], on=today)
    keys = [_chair_key(b) for b in bodies]
    rows = [
        {
            "municipality": m,
            "status": membership_rules.STATUS_LABELS.get(m.membership_status, ""),
            "cells": [
                {
                    "total": sum(cells.get(m.pk, {}).get(key, {}).values()),
                    "parts": _count_parts(cells.get(m.pk, {}).get(key, {})),
                }
                for key in keys
            ],
        }
        for m in page.object_list
    ]
    return render(
        request,
        "pillars/matrix.html",
        {
            "form": form,
            "columns": [
                {"body": b, "url": body_url(b), "is_pillar": _is_pillar(b)} for b in bodies
            ],
            "rows": rows,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "unknown_format": export_format,
            "without_pillar": municipalities.filter(in_pillar=False).count(),
            "today": today,
        },
    )
