"""Pages of membership: the dossier on a municipality's page, the bureau's forms, proposals,
the members overview with its exports, and the deadlines page.

The views hold no rules: the services refuse what the dossier does not allow, and the forms
show why (DESIGN.md §3). Object-level access (a municipality's own contact) is checked here
with the selectors' helpers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from m50.accounts.permissions import has_rule
from m50.core.access import rule_required
from m50.core.conditional import public_page
from m50.core.formats import long_date
from m50.membership import exports, rules, selectors, services
from m50.membership.exports import STATUS_LABELS
from m50.membership.forms import (
    CORRECTABLE_KINDS,
    ConfirmForm,
    DecisionForm,
    OverviewFilterForm,
    ProposalForm,
    RejectForm,
    SuccessionForm,
    WithdrawForm,
)
from m50.membership.models import (
    DecidingBody,
    Decision,
    DecisionKind,
    DecisionProposal,
    body_phrase,
)
from m50.municipalities import selectors as registry
from m50.municipalities.models import Municipality

ORIGIN = "webformulier"
OVERVIEW_PAGE_SIZE = 100
# The most urgent first: a page is what needs doing first (beside the proposals on the same
# page), the rest follows on the next pages.
DEADLINES_PAGE_SIZE = 25
PAGE_PARAMETER = "pagina"
DOSSIER_ANCHOR = "lidmaatschap"

OVERVIEW_STATUSES = {
    OverviewFilterForm.ALL_RUNNING: (rules.Status.ASPIRANT, rules.Status.MEMBER),
    OverviewFilterForm.MEMBER: (rules.Status.MEMBER,),
    OverviewFilterForm.ASPIRANT: (rules.Status.ASPIRANT,),
    OverviewFilterForm.TERMINATED: (rules.Status.TERMINATED,),
}

ACTION_LABELS = {
    "decision.record": gettext_lazy("besluit vastgelegd"),
    "decision.correct": gettext_lazy("besluit gecorrigeerd"),
    "decision.withdraw": gettext_lazy("besluit ingetrokken"),
    "decision.update": gettext_lazy("documentgegevens gewijzigd"),
    "proposal.create": gettext_lazy("voorstel ingediend"),
    "proposal.confirm": gettext_lazy("voorstel bevestigd"),
    "proposal.reject": gettext_lazy("voorstel afgewezen"),
}
CHOICE_LABELS = {
    "kind": dict(DecisionKind.choices),
    "deciding_body": dict(DecidingBody.choices),
    "mandated_body": dict(DecidingBody.choices),
    "state": dict(DecisionProposal.State.choices),
}
DATE_FIELDS = frozenset({"decided_on", "effective_on", "announced_on", "mandate_deadline"})
DECISION_FORM_FIELDS = (
    "kind",
    "deciding_body",
    "decided_on",
    "effective_on",
    "announced_on",
    "mandated_body",
    "mandate_deadline",
    "document_title",
    "document_number",
    "document_url",
    "remarks",
)


# --- Presentation of the dossier ------------------------------------------------------------


class EntryState:
    CURRENT = "current"
    CORRECTED = "corrected"
    WITHDRAWN = "withdrawn"


@dataclass
class TimelineEntry:
    """A decision in the timeline, with what became of it."""

    decision: Decision
    state: str = EntryState.CURRENT
    # The correction or withdrawal that replaced this decision.
    replaced_by: Decision | None = None

    @property
    def is_current(self) -> bool:
        return self.state == EntryState.CURRENT

    @property
    def is_corrected(self) -> bool:
        return self.state == EntryState.CORRECTED

    @property
    def is_withdrawn(self) -> bool:
        return self.state == EntryState.WITHDRAWN


def timeline(decisions: list[Decision]) -> list[TimelineEntry]:
    """Every decision but the withdrawals themselves, in the dossier's order, each marked as
    current, corrected (by which correction) or withdrawn (by which withdrawal)."""
    replacement = {d.corrects_id: d for d in decisions if d.corrects_id is not None}
    entries = []
    for decision in decisions:
        if decision.kind == DecisionKind.WITHDRAWAL:
            continue
        replaced_by = replacement.get(decision.pk)
        if replaced_by is None:
            state = EntryState.CURRENT
        elif replaced_by.kind == DecisionKind.WITHDRAWAL:
            state = EntryState.WITHDRAWN
        else:
            state = EntryState.CORRECTED
        entries.append(TimelineEntry(decision, state, replaced_by))
    return entries


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    timestamp: datetime.datetime
    actor: str
    action: str
    subject: str
    origin: str
    changes: list[Change] = field(default_factory=list)


def _field_label(name: str) -> str:
    for model in (Decision, DecisionProposal):
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            continue
    return name


def _history_value(name: str, value) -> str:
    if value is None or value == "":
        return _("leeg")
    if name in CHOICE_LABELS:
        return str(CHOICE_LABELS[name].get(value, value))
    if name in DATE_FIELDS:
        try:
            return long_date(datetime.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if name == "corrects":
        return _("besluit %(id)s") % {"id": value}
    return str(value)


def history_entry(event) -> HistoryEntry:
    changes = event.changes or {}
    action = event.action
    if action == "decision.correct" and (changes.get("kind") or {}).get("new") == (
        DecisionKind.WITHDRAWAL
    ):
        action = "decision.withdraw"
    return HistoryEntry(
        timestamp=event.timestamp,
        actor=event.actor_label,
        action=str(ACTION_LABELS.get(action, action)),
        subject=event.object_repr,
        origin=event.origin,
        changes=[
            change
            for change in (
                Change(
                    _field_label(name),
                    _history_value(name, (values or {}).get("old")),
                    _history_value(name, (values or {}).get("new")),
                )
                for name, values in changes.items()
            )
            # "" and None both read "leeg": no change worth a line.
            if change.old != change.new
        ],
    )


def _body_label(body: str) -> str:
    # Shown inside sentences ("de burgemeester mag ..."), so with its article.
    return body_phrase(body)


def _mandate_view(summary: rules.Summary) -> dict | None:
    mandate = summary.mandate
    if mandate is None:
        return None
    return {
        "body": _body_label(mandate.body),
        "given_on": mandate.given_on,
        "deadline": mandate.deadline,
        "days_left": summary.days_left,
        "overdue": -summary.days_left if summary.mandate_expired else 0,
        "expired": summary.mandate_expired,
    }


def _trial_view(summary: rules.Summary) -> dict | None:
    """The end of the aspirant year, as the deadline of an aspirant without a mandate."""
    if summary.trial_end is None:
        return None
    days_left = summary.trial_days_left
    return {
        "end": summary.trial_end,
        "days_left": days_left,
        "overdue": -days_left if summary.trial_over else 0,
        "expired": summary.trial_over,
    }


def _used_view(summary: rules.Summary) -> dict | None:
    if summary.used is None:
        return None
    fact, mandate = summary.used
    return {
        "body": _body_label(fact.deciding_body),
        "decided_on": fact.decided_on,
        "given_on": mandate.given_on,
        "deadline": mandate.deadline,
    }


def dossier_context(request, municipality: Municipality) -> dict:
    """The dossier section of a municipality's page, as ``{"dossier": {...}}``.

    A fixed number of queries, whatever the size of the dossier or of the registry: one for
    the membership (with its municipality), one for its decisions; for who may see the
    details, three for the change history and one for the pending proposals. (A succession
    decision also reads its predecessor's decisions.)
    """
    user = request.user
    details = selectors.can_view_dossier_details(user, municipality)
    dossier = {
        "municipality": municipality,
        "membership": None,
        "can_view_details": details,
        "can_record": has_rule(user, "membership.record"),
        "can_propose": selectors.can_propose(user, municipality),
    }
    # The municipality is joined, so the selector's prefetch of it (with its population
    # annotations) is not needed and not run.
    membership = (
        selectors.membership_queryset()
        .select_related("municipality")
        .filter(municipality=municipality)
        .first()
    )
    summary = selectors.membership_summary(membership) if membership is not None else None
    if dossier["can_record"]:
        # The "voortzetting" action only where a succession can be recorded.
        dossier["successions"] = selectors.succession_predecessors(
            municipality=municipality,
            running=summary is not None and summary.status in rules.RUNNING,
        )
    if membership is None:
        return {"dossier": dossier}
    decisions = list(membership.decisions.all())
    dossier.update(
        membership=membership,
        summary=summary,
        status_label=STATUS_LABELS[summary.status],
        periods=[
            {"label": STATUS_LABELS[p.status], "start": p.start, "end": p.end}
            for p in summary.history
        ],
        timeline=timeline(decisions),
        mandate=_mandate_view(summary),
        trial=_trial_view(summary),
        used=_used_view(summary),
    )
    if details:
        dossier.update(
            history=[
                history_entry(event) for event in selectors.decision_history(membership=membership)
            ],
            proposals=list(selectors.pending_proposals(membership=membership)),
            handled_proposals=selectors.handled_proposals(membership=membership),
        )
    return {"dossier": dossier}


# --- Helpers of the form pages --------------------------------------------------------------


def _municipality(code: str) -> Municipality:
    try:
        return registry.municipality_queryset().get(code=code.upper())
    except Municipality.DoesNotExist as exc:
        raise Http404 from exc


def _decision(decision_id: int) -> Decision:
    return get_object_or_404(
        Decision.objects.select_related(
            "membership__municipality", "corrects", "predecessor__municipality"
        ),
        pk=decision_id,
    )


def _proposal(proposal_id: int) -> DecisionProposal:
    return get_object_or_404(
        DecisionProposal.objects.select_related(
            "membership__municipality", "proposed_by", "handled_by", "decision"
        ),
        pk=proposal_id,
    )


def dossier_url(municipality: Municipality) -> str:
    return reverse("municipalities:detail", args=[municipality.code]) + f"#{DOSSIER_ANCHOR}"


def _current_summary(municipality: Municipality) -> dict | None:
    """The dossier as it stands, for the heading of a form page."""
    membership = selectors.membership_detail(municipality_code=municipality.code)
    if membership is None:
        return None
    summary = selectors.membership_summary(membership)
    return {
        "membership": membership,
        "status_label": STATUS_LABELS[summary.status],
        "since": summary.since,
        "mandate": _mandate_view(summary),
        "trial": _trial_view(summary),
        "status": summary.status,
        "listed_only": summary.listed_only,
    }


def dossier_summary(municipality: Municipality) -> dict | None:
    """The dossier in brief (status, since, mandate, aspirant year), for a home page."""
    return _current_summary(municipality)


def _closed_reason(decision: Decision) -> tuple[str, Decision | None] | None:
    """Why a decision can no longer be corrected or withdrawn (it has been already)."""
    if decision.kind == DecisionKind.WITHDRAWAL:
        return (
            _(
                "Dit is een intrekking; die kan niet worden gecorrigeerd of ingetrokken. "
                "Leg het besluit zo nodig opnieuw vast."
            ),
            None,
        )
    replaced_by = decision.corrections.first()
    if replaced_by is not None:
        if replaced_by.kind == DecisionKind.WITHDRAWAL:
            return (_("Dit besluit is al ingetrokken."), None)
        return (
            _(
                "Dit besluit is al gecorrigeerd. Een correctie vervangt het besluit; "
                "corrigeer zo nodig de correctie."
            ),
            replaced_by,
        )
    return None


def _render_closed(request, decision: Decision, reason, status=200):
    message, replaced_by = reason
    return render(
        request,
        "membership/decision_closed.html",
        {
            "decision": decision,
            "municipality": decision.membership.municipality,
            "message": message,
            "replaced_by": replaced_by,
        },
        status=status,
    )


def _bound(request):
    return request.POST if request.method == "POST" else None


def _describe(decision: Decision) -> str:
    return _("%(kind)s van %(date)s") % {
        "kind": decision.get_kind_display(),
        "date": long_date(decision.decided_on),
    }


def _describe_proposal(proposal: DecisionProposal) -> str:
    return _("%(kind)s van %(date)s") % {
        "kind": proposal.get_kind_display(),
        "date": long_date(proposal.decided_on),
    }


# --- The bureau's forms ---------------------------------------------------------------------


@rule_required("membership.record")
def decision_create(request, code: str):
    municipality = _municipality(code)
    form = DecisionForm(_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            # The membership is created with its first decision, or not at all.
            with transaction.atomic():
                membership = services.membership_for(municipality=municipality)
                decision = services.decision_record(
                    membership=membership, actor=request.user, origin=ORIGIN, **form.values()
                )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _("Het besluit is vastgelegd: %(decision)s.") % {"decision": _describe(decision)},
            )
            return redirect(dossier_url(municipality))
    return render(
        request,
        "membership/decision_form.html",
        {
            "form": form,
            "municipality": municipality,
            "current": _current_summary(municipality),
            "title": _("Besluit vastleggen voor %(name)s") % {"name": municipality.name},
            "intro": _(
                "Leg een besluit over het lidmaatschap van het M50 vast zoals het is genomen. "
                "Het formulier controleert het besluit tegen het dossier; een besluit dat het "
                "dossier tegenspreekt wordt niet vastgelegd, met de reden erbij."
            ),
            "submit_label": _("Besluit vastleggen"),
        },
    )


@rule_required("membership.record")
def decision_correct(request, decision_id: int):
    decision = _decision(decision_id)
    municipality = decision.membership.municipality
    closed = _closed_reason(decision)
    if closed:
        return _render_closed(request, decision, closed, status=409 if _bound(request) else 200)
    initial = {name: getattr(decision, name) for name in DECISION_FORM_FIELDS}
    form = DecisionForm(_bound(request), initial=initial, kinds=CORRECTABLE_KINDS)
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.decision_correct(
                decision=decision, actor=request.user, origin=ORIGIN, **form.values()
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _("De correctie is vastgelegd: %(decision)s vervangt het oorspronkelijke besluit.")
                % {"decision": _describe(correction)},
            )
            return redirect(dossier_url(municipality))
    return render(
        request,
        "membership/decision_form.html",
        {
            "form": form,
            "municipality": municipality,
            "decision": decision,
            "current": _current_summary(municipality),
            "title": _("Besluit corrigeren: %(decision)s") % {"decision": _describe(decision)},
            "intro": _(
                "Een onjuist vastgelegd besluit wordt niet overschreven: de correctie vervangt "
                "het in het dossier, en beide blijven zichtbaar in de tijdlijn en de "
                "wijzigingsgeschiedenis. Pas hieronder aan wat onjuist was; de correctie wordt "
                "opnieuw tegen het hele dossier gecontroleerd."
            ),
            "submit_label": _("Correctie vastleggen"),
        },
    )


@rule_required("membership.record")
def decision_withdraw(request, decision_id: int):
    decision = _decision(decision_id)
    municipality = decision.membership.municipality
    closed = _closed_reason(decision)
    if closed:
        return _render_closed(request, decision, closed, status=409 if _bound(request) else 200)
    form = WithdrawForm(_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_withdraw(
                decision=decision,
                reason=form.cleaned_data["reason"],
                actor=request.user,
                origin=ORIGIN,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _("Het besluit is ingetrokken: %(decision)s telt niet meer mee.")
                % {"decision": _describe(decision)},
            )
            return redirect(dossier_url(municipality))
    return render(
        request,
        "membership/decision_withdraw.html",
        {
            "form": form,
            "municipality": municipality,
            "decision": decision,
            "title": _("Besluit intrekken: %(decision)s") % {"decision": _describe(decision)},
        },
    )


@rule_required("membership.record")
def succession_create(request, code: str):
    municipality = _municipality(code)
    predecessors = selectors.succession_predecessors(municipality=municipality)
    form = SuccessionForm(_bound(request), predecessors=predecessors)
    if request.method == "POST" and form.is_valid():
        chosen = next(
            m for m in predecessors if m.municipality.code == form.cleaned_data["predecessor"]
        )
        values = {k: v for k, v in form.cleaned_data.items() if k != "predecessor"}
        try:
            with transaction.atomic():
                membership = services.membership_for(municipality=municipality)
                services.decision_record(
                    membership=membership,
                    kind=DecisionKind.SUCCESSION,
                    predecessor=chosen,
                    actor=request.user,
                    origin=ORIGIN,
                    **values,
                )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _(
                    "De voortzetting is vastgelegd: %(successor)s zet het lidmaatschap van "
                    "%(predecessor)s voort."
                )
                % {"successor": municipality.name, "predecessor": chosen.municipality.name},
            )
            return redirect(dossier_url(municipality))
    return render(
        request,
        "membership/succession_form.html",
        {
            "form": form,
            "municipality": municipality,
            "predecessors": predecessors,
            "current": _current_summary(municipality),
            "title": _("Voortzetting na herindeling vastleggen voor %(name)s")
            % {"name": municipality.name},
        },
    )


# --- Proposals ------------------------------------------------------------------------------


@rule_required("membership.propose")
def proposal_create(request, code: str):
    municipality = _municipality(code)
    if not selectors.can_propose(request.user, municipality):
        raise PermissionDenied
    form = ProposalForm(_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                membership = services.membership_for(municipality=municipality)
                proposal = services.proposal_create(
                    membership=membership, actor=request.user, **form.values()
                )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _(
                    "Uw voorstel is ingediend: %(proposal)s. Het bureau van het M50 bevestigt "
                    "het en legt het dan vast in het dossier."
                )
                % {"proposal": _describe_proposal(proposal)},
            )
            return redirect(dossier_url(municipality))
    return render(
        request,
        "membership/decision_form.html",
        {
            "form": form,
            "municipality": municipality,
            "current": _current_summary(municipality),
            "title": _("Besluit voorstellen voor %(name)s") % {"name": municipality.name},
            "intro": _(
                "Stel een besluit van uw gemeente over het lidmaatschap van het M50 voor, met "
                "het document waarin het staat. Het bureau bevestigt het voorstel; pas dan "
                "staat het besluit in het dossier. Een voorstel dat het dossier tegenspreekt "
                "kan niet worden ingediend."
            ),
            "submit_label": _("Voorstel indienen"),
        },
    )


@rule_required("membership.record")
def proposal_confirm(request, proposal_id: int):
    proposal = _proposal(proposal_id)
    municipality = proposal.membership.municipality
    form = ConfirmForm(_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.proposal_confirm(proposal=proposal, actor=request.user)
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _(
                    "Het voorstel is bevestigd en vastgelegd in het dossier van %(name)s: "
                    "%(decision)s."
                )
                % {"name": municipality.name, "decision": _describe(decision)},
            )
            return redirect(reverse("membership:deadlines") + "#voorstellen")
    return render(
        request,
        "membership/proposal_confirm.html",
        {
            "form": form,
            "proposal": proposal,
            "municipality": municipality,
            "current": _current_summary(municipality),
            "title": _("Voorstel bevestigen: %(proposal)s")
            % {"proposal": _describe_proposal(proposal)},
        },
    )


@rule_required("membership.record")
def proposal_reject(request, proposal_id: int):
    proposal = _proposal(proposal_id)
    municipality = proposal.membership.municipality
    form = RejectForm(_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_reject(
                proposal=proposal, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _("Het voorstel van %(name)s is afgewezen.") % {"name": municipality.name},
            )
            return redirect(reverse("membership:deadlines") + "#voorstellen")
    return render(
        request,
        "membership/proposal_reject.html",
        {
            "form": form,
            "proposal": proposal,
            "municipality": municipality,
            "title": _("Voorstel afwijzen: %(proposal)s")
            % {"proposal": _describe_proposal(proposal)},
        },
    )


# --- Overview and deadlines -----------------------------------------------------------------


def _row_view(row) -> dict:
    return {
        "row": row,
        "municipality": row.municipality,
        "status": row.summary.status,
        "status_label": STATUS_LABELS[row.summary.status],
        "since": row.summary.since,
        "listed_since": row.membership.listed_since,
        "mandate": _mandate_view(row.summary),
        "trial": _trial_view(row.summary),
    }


@rule_required("membership.view")
@public_page("members", "registry")
def overview(request):
    form = OverviewFilterForm(request.GET)
    form.is_valid()  # An invalid status is reported; the default applies.
    status = form.status_value()
    today = timezone.localdate()
    rows = selectors.membership_rows(today=today, statuses=OVERVIEW_STATUSES[status])
    export_format = request.GET.get("formaat", "")
    if export_format in exports.FORMATS:
        return exports.export_response(rows, export_format, today=today)
    paginator = selectors.figures().paginator(rows, OVERVIEW_PAGE_SIZE)
    page = paginator.get_page(request.GET.get(PAGE_PARAMETER))
    return render(
        request,
        "membership/overview.html",
        {
            "form": form,
            "status": status,
            "status_label": dict(form.fields["status"].choices)[status],
            "page": page,
            "rows": [_row_view(row) for row in page.object_list],
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "unknown_format": export_format if export_format else "",
            "can_view_deadlines": has_rule(request.user, "membership.view_deadlines"),
            "today": today,
        },
    )


@rule_required("membership.view_deadlines")
def deadlines(request):
    today = timezone.localdate()
    paginator = selectors.figures().paginator(
        selectors.deadline_rows(today=today), DEADLINES_PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get(PAGE_PARAMETER))
    return render(
        request,
        "membership/deadlines.html",
        {
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "rows": [_row_view(row) for row in page.object_list],
            "successions": selectors.succession_proposals(today=today),
            "proposals": list(selectors.pending_proposals()),
            "today": today,
        },
    )
