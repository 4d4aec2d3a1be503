"""Starting and ending pillars and theme groups: the bureau any; a pillar's chair a theme group
of their own pillar (pillars.rules.may_create_theme_group, may_end). Every write goes through
the services; a refusal is shown on the form (400) and nothing is written."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.core.access import rule_required
from m50.pillars import rules, selectors, services
from m50.pillars.forms import BodyEndForm, PillarCreateForm, ThemeGroupCreateForm, body_label
from m50.pillars.views._common import (
    ORIGIN,
    _body,
    _bound,
    _end_text,
    _is_pillar,
    _require,
    _status,
    body_url,
)


def _body_fields(form) -> dict:
    data = form.cleaned_data
    return {"name": data["name"], "purpose": data["purpose"], "started_on": data["started_on"]}


@rule_required("pillars.manage")
def pillar_create(request):
    form = PillarCreateForm(_bound(request), pillars=selectors.pillar_list())
    if request.method == "POST" and form.is_valid():
        try:
            # The pillar and where its work came from are recorded together, or not at all.
            with transaction.atomic():
                pillar = services.pillar_create(
                    **_body_fields(form), actor=request.user, origin=ORIGIN
                )
                for predecessor in form.chosen_predecessors():
                    services.pillar_succession_add(
                        predecessor=predecessor,
                        successor=pillar,
                        note=form.cleaned_data["succession_note"],
                        actor=request.user,
                        origin=ORIGIN,
                    )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request, _("De pijler %(name)s is aangemaakt.") % {"name": pillar.name}
            )
            return redirect(body_url(pillar))
    return render(
        request,
        "pillars/body_create.html",
        {"form": form, "title": _("Nieuwe pijler"), "is_pillar": True},
        status=_status(form),
    )


def _group_create(request, *, pillar, form):
    if request.method == "POST" and form.is_valid():
        chosen = pillar if pillar is not None else form.chosen_pillar()
        # The pillar chosen on the network-wide form is checked like the one in the address.
        _require(rules.may_create_theme_group(request.user, chosen))
        try:
            group = services.theme_group_create(
                **_body_fields(form), pillar=chosen, actor=request.user, origin=ORIGIN
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request, _("De themagroep %(name)s is aangemaakt.") % {"name": group.name}
            )
            return redirect(body_url(group))
    if pillar is not None:
        title = _("Nieuwe themagroep van de pijler %(name)s") % {"name": pillar.name}
    else:
        title = _("Nieuwe themagroep")
    return render(
        request,
        "pillars/body_create.html",
        {"form": form, "title": title, "is_pillar": False, "pillar": pillar},
        status=_status(form),
    )


@rule_required("pillars.manage")
def group_create(request):
    """A theme group of the network as a whole or of a running pillar of choice."""
    form = ThemeGroupCreateForm(_bound(request), pillars=list(selectors.pillar_list(running=True)))
    return _group_create(request, pillar=None, form=form)


@rule_required("pillars.manage_own")
def pillar_group_create(request, pillar: str):
    body = _body(pillar)
    _require(rules.may_create_theme_group(request.user, body))
    return _group_create(request, pillar=body, form=ThemeGroupCreateForm(_bound(request)))


def _end(request, body):
    _require(rules.may_end(request.user, body))
    today = timezone.localdate()
    form = BodyEndForm(_bound(request), initial={"ended_on": today})
    if request.method == "POST" and form.is_valid():
        end = services.pillar_end if _is_pillar(body) else services.theme_group_end
        target = {"pillar": body} if _is_pillar(body) else {"theme_group": body}
        try:
            end(**target, ended_on=form.cleaned_data["ended_on"], actor=request.user, origin=ORIGIN)
        except ValidationError as error:
            form.add_refusal(error)
        else:
            if _is_pillar(body):
                text = _("De pijler %(name)s is beëindigd.")
            else:
                text = _("De themagroep %(name)s is beëindigd.")
            messages.success(request, text % {"name": body.name})
            return redirect(body_url(body))
    context = {
        "form": form,
        "body": body,
        "is_pillar": _is_pillar(body),
        "body_url": body_url(body),
        "end_text": _end_text(body),
        "open_participations": selectors.open_participation_count(body=body, on=today),
        "title": _("%(body)s beëindigen") % {"body": body_label(body)},
    }
    if _is_pillar(body):
        context["running_groups"] = [
            {"body": g, "url": body_url(g)}
            for g in selectors.theme_group_list(pillar=body, running=True, on=today)
        ]
    return render(request, "pillars/body_end.html", context, status=_status(form))


@rule_required("pillars.manage")
def pillar_end(request, pillar: str):
    return _end(request, _body(pillar))


@rule_required("pillars.manage_own")
def group_end(request, group: str):
    return _end(request, _body(group=group))
