"""Every write on memberships: decisions, corrections, proposals and the reference dossier.

Each function takes the dossier's lock (the membership row), rebuilds the dossier with the
new decision in it, and refuses it with every broken rule when the dossier would contradict
itself. Nothing is written then. Every change is audited.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.core.audit import audit_record, diff
from m50.core.formats import long_date
from m50.core.versions import MEMBERS, data_version_bump
from m50.membership import notifications, projection, rules
from m50.membership.models import (
    DecidingBody,
    Decision,
    DecisionKind,
    DecisionProposal,
    Membership,
)
from m50.municipalities import selectors as registry

DOCUMENT_FIELDS = ("document_title", "document_number", "document_url", "remarks", "announced_on")
M50_LISTING_AS_OF = "2023-04"
M50_LISTING_SOURCE = "website van het M50 (middelgrotegemeenten.nl), ledenlijst april 2023"
NEW_ID = 0  # the fact id of a decision not yet stored


class DecisionRefused(ValidationError):
    """The decision would make the dossier contradict itself; ``problems`` says how."""

    def __init__(self, problems: list[rules.Problem]):
        self.problems = problems
        super().__init__([ValidationError(p.message, code=p.code) for p in problems])


class ConcurrentEdit(Exception):
    """The decision was changed by someone else since it was read."""


def _today() -> datetime.date:
    return timezone.localdate()


def fact_of(decision: Decision, predecessor_dossier=None) -> rules.Fact:
    """The rules' view of a decision. A succession continues the status its predecessor had
    the day before the merger: ``predecessor_dossier(pk)`` gives that dossier where the
    caller has it (None: no status to continue), else it is read from the database."""
    continues = None
    if decision.kind == DecisionKind.SUCCESSION and decision.predecessor_id:
        if predecessor_dossier is not None:
            dossier = predecessor_dossier(decision.predecessor_id)
        else:
            dossier = dossier_of(decision.predecessor)
        if dossier is not None:
            continues = rules.status_on(dossier, decision.effective_on - datetime.timedelta(days=1))
    return rules.Fact(
        id=decision.pk or NEW_ID,
        kind=decision.kind,
        deciding_body=decision.deciding_body,
        decided_on=decision.decided_on,
        effective_on=decision.effective_on,
        announced_on=decision.announced_on,
        mandated_body=decision.mandated_body,
        mandate_deadline=decision.mandate_deadline,
        corrects=decision.corrects_id,
        continues_status=continues,
    )


def dossier_of(membership: Membership, decisions=None) -> rules.Dossier:
    """The rules' view of a membership; pass ``decisions`` when already fetched."""
    if decisions is None:
        decisions = membership.decisions.all()
    return rules.Dossier(
        facts=tuple(fact_of(d) for d in decisions),
        listed=bool(membership.listed_since),
        dissolved_on=membership.municipality.dissolved_on,
    )


def date_window(municipality) -> rules.DateWindow:
    return rules.DateWindow(
        founded=settings.M50_NETWORK_FOUNDED,
        today=_today(),
        established_on=municipality.established_on,
    )


def _check(membership: Membership, candidate: Decision, *, new: bool) -> None:
    # A date outside the plausible window is refused on its own: what the rest of the
    # dossier would say about it (e.g. "before the previous decision") is noise then.
    out_of_window = rules.check_dates(fact_of(candidate), date_window(membership.municipality))
    if out_of_window:
        raise DecisionRefused(out_of_window)
    existing = list(membership.decisions.all())
    before = dossier_of(membership, existing)
    after = rules.Dossier(
        facts=(*before.facts, fact_of(candidate)),
        listed=before.listed,
        dissolved_on=before.dissolved_on,
    )
    allowed = settings.M50_MEMBERSHIP_DIRECT_ENTRY
    known = set(rules.check_dossier(before, direct_entry_allowed=allowed))
    problems = [
        p for p in rules.check_dossier(after, direct_entry_allowed=allowed) if p not in known
    ]
    own = [p for p in problems if p.fact_id in (NEW_ID, None)]
    if new and own:
        # A new decision comes last; report what is wrong with it, not the knock-on effects.
        problems = own
    latest = max(rules.effective_facts(before.facts), key=rules.sort_key, default=None)
    if new and latest is not None and candidate.effective_on < latest.effective_on:
        problems.insert(
            0,
            rules.Problem(
                "dated_before_previous",
                _(
                    "Dit besluit gaat in vóór het laatste besluit in het dossier (%(date)s). "
                    "Leg een correctie vast als een eerder besluit onjuist is."
                )
                % {"date": long_date(latest.effective_on)},
                NEW_ID,
            ),
        )
    if problems:
        raise DecisionRefused(problems)


def _locked(membership: Membership) -> Membership:
    # Serialises decisions on one dossier: two at once cannot both pass the rules.
    return (
        Membership.objects.select_for_update().select_related("municipality").get(pk=membership.pk)
    )


def _defaults(kind: str, decided_on, effective_on, mandated_body, mandate_deadline):
    if effective_on is None:
        if kind == DecisionKind.TERMINATION:
            effective_on = rules.default_termination_date(decided_on)
        else:
            effective_on = decided_on
    if mandated_body and mandate_deadline is None:
        mandate_deadline = rules.default_mandate_deadline(decided_on)
    return effective_on, mandate_deadline


def _succession_date(membership: Membership, predecessor: Membership | None) -> datetime.date:
    if predecessor is None:
        raise DecisionRefused(
            [
                rules.Problem(
                    "succession_without_predecessor",
                    _("Noem het lidmaatschap dat wordt voortgezet."),
                )
            ]
        )
    change = registry.boundary_change_between(
        predecessor=predecessor.municipality, successor=membership.municipality
    )
    if change is None:
        raise DecisionRefused(
            [
                rules.Problem(
                    "succession_without_merger",
                    _("%(successor)s is geen opvolger van %(predecessor)s na een herindeling.")
                    % {
                        "successor": membership.municipality,
                        "predecessor": predecessor.municipality,
                    },
                )
            ]
        )
    return change.effective_on


def membership_for(*, municipality) -> Membership:
    membership, _created = Membership.objects.get_or_create(municipality=municipality)
    if _created:
        data_version_bump(names=[MEMBERS])
    return membership


@transaction.atomic
def membership_listed_create(
    *, municipality, listed_since: str = M50_LISTING_AS_OF, listed_source: str = M50_LISTING_SOURCE
) -> Membership:
    """A member known from a published member list only, without decisions: a member "since
    always" as far as the platform knows, with the list's date and source."""
    membership = Membership.objects.create(
        municipality=municipality, listed_since=listed_since, listed_source=listed_source
    )
    projection.status_periods_refresh(memberships=[membership])
    return membership


@transaction.atomic
def memberships_dissolution_refresh(*, municipality_ids) -> int:
    """After the registry changed the end date of ``municipality_ids``: the status periods
    of their memberships (a membership ends with its municipality). Returns how many."""
    memberships = list(Membership.objects.filter(municipality_id__in=list(municipality_ids)))
    projection.status_periods_refresh(memberships=memberships)
    return len(memberships)


def _decision_values(decision: Decision) -> dict:
    return {
        "kind": decision.kind,
        "deciding_body": decision.deciding_body,
        "decided_on": decision.decided_on,
        "effective_on": decision.effective_on,
        "announced_on": decision.announced_on,
        "mandated_body": decision.mandated_body,
        "mandate_deadline": decision.mandate_deadline,
        "predecessor": decision.predecessor,
        "corrects": decision.corrects_id,
        "document_title": decision.document_title,
        "document_number": decision.document_number,
        "document_url": decision.document_url,
        "remarks": decision.remarks,
    }


@transaction.atomic
def decision_record(
    *,
    membership: Membership,
    kind: str,
    deciding_body: str,
    decided_on: datetime.date,
    effective_on: datetime.date | None = None,
    announced_on: datetime.date | None = None,
    mandated_body: str = "",
    mandate_deadline: datetime.date | None = None,
    predecessor: Membership | None = None,
    corrects: Decision | None = None,
    document_title: str = "",
    document_number: str = "",
    document_url: str = "",
    remarks: str = "",
    actor=None,
    origin: str = "",
) -> Decision:
    """Records a decision (or, with ``corrects``, the correction of one) after the rules."""
    membership = _locked(membership)
    if kind not in DecisionKind.values:
        raise DecisionRefused([rules.Problem("unknown_kind", _("Onbekende soort besluit."))])
    if deciding_body not in DecidingBody.values:
        raise DecisionRefused([rules.Problem("unknown_body", _("Onbekend besluitvormend orgaan."))])
    if corrects is not None and corrects.corrections.exists():
        raise DecisionRefused(
            [
                rules.Problem(
                    "already_corrected",
                    _("Dit besluit is al gecorrigeerd of ingetrokken; corrigeer de correctie."),
                )
            ]
        )
    if corrects is not None and corrects.membership_id != membership.pk:
        raise DecisionRefused(
            [
                rules.Problem(
                    "unknown_correction",
                    _("Het gecorrigeerde besluit hoort bij een ander dossier."),
                )
            ]
        )
    if kind == DecisionKind.SUCCESSION:
        effective_on = _succession_date(membership, predecessor)
    else:
        predecessor = None
    effective_on, mandate_deadline = _defaults(
        kind, decided_on, effective_on, mandated_body, mandate_deadline
    )
    decision = Decision(
        membership=membership,
        kind=kind,
        deciding_body=deciding_body,
        decided_on=decided_on,
        effective_on=effective_on,
        announced_on=announced_on,
        mandated_body=mandated_body,
        mandate_deadline=mandate_deadline,
        predecessor=predecessor,
        corrects=corrects,
        document_title=document_title,
        document_number=document_number,
        document_url=document_url,
        remarks=remarks,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _check(membership, decision, new=corrects is None)
    decision.full_clean(exclude=["membership", "recorded_by", "corrects", "predecessor"])
    decision.save()
    projection.status_periods_refresh(memberships=[membership])  # bumps MEMBERS
    audit_record(
        action="decision.correct" if corrects else "decision.record",
        obj=decision,
        actor=actor,
        origin=origin,
        changes=diff(_decision_values(corrects) if corrects else {}, _decision_values(decision)),
    )
    return decision


def decision_correct(*, decision: Decision, actor=None, origin: str = "", **changes) -> Decision:
    """A correction: the same decision with ``changes``, replacing it in the dossier."""
    values = _decision_values(decision)
    values.pop("corrects")
    values.update(changes)
    return decision_record(
        membership=decision.membership, corrects=decision, actor=actor, origin=origin, **values
    )


def decision_withdraw(*, decision: Decision, reason: str, actor=None, origin: str = "") -> Decision:
    """Records that ``decision`` was recorded in error; it no longer counts."""
    if not reason.strip():
        raise DecisionRefused(
            [rules.Problem("reason_required", _("Geef aan waarom het besluit wordt ingetrokken."))]
        )
    return decision_record(
        membership=decision.membership,
        kind=DecisionKind.WITHDRAWAL,
        deciding_body=decision.deciding_body,
        decided_on=decision.decided_on,
        effective_on=decision.effective_on,
        corrects=decision,
        remarks=reason,
        actor=actor,
        origin=origin,
    )


@transaction.atomic
def decision_document_update(
    *, decision: Decision, expected_version: int, actor=None, origin: str = "", **changes
) -> Decision:
    """Edits the documentary fields of a decision (never its substance), if unchanged since
    it was read at ``expected_version``; otherwise raises :class:`ConcurrentEdit`."""
    unknown = set(changes) - set(DOCUMENT_FIELDS)
    if unknown:
        raise ValidationError(
            _(
                "Alleen de documentgegevens en opmerkingen van een besluit zijn te wijzigen; "
                "leg voor de rest een correctie vast."
            )
        )
    current = Decision.objects.select_for_update().get(pk=decision.pk)
    if current.version != expected_version:
        raise ConcurrentEdit
    before = {name: getattr(current, name) for name in changes}
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_clean(exclude=["membership", "recorded_by", "corrects", "predecessor"])
    if current.announced_on and current.announced_on < current.decided_on:
        raise DecisionRefused(
            [
                rules.Problem(
                    "announced_before_decided",
                    _(
                        "Een besluit kan niet bekendgemaakt zijn vóór de datum waarop het "
                        "is genomen."
                    ),
                )
            ]
        )
    if "announced_on" in changes and current.announced_on:
        # Only the new announcement date is judged: the decision's own dates stand as recorded.
        window = date_window(current.membership.municipality)
        late = [p for p in rules.check_dates(fact_of(current), window) if p.field == "announced_on"]
        if late:
            raise DecisionRefused(late)
    changed = diff(before, changes)
    if changed:
        current.version += 1
        current.save(update_fields=[*changes, "version"])
        data_version_bump(names=[MEMBERS])
        audit_record(
            action="decision.update", obj=current, actor=actor, origin=origin, changes=changed
        )
    return current


PROPOSAL_FIELDS = (
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


@transaction.atomic
def proposal_create(*, membership: Membership, actor, **values) -> DecisionProposal:
    """A member contact proposes a decision of its own municipality; checked as if recorded."""
    if not (values.get("document_title") or "").strip():
        raise DecisionRefused(
            [rules.Problem("document_required", _("Noem het document waarin het besluit staat."))]
        )
    membership = _locked(membership)
    if values.get("kind") == DecisionKind.SUCCESSION:
        raise DecisionRefused(
            [
                rules.Problem(
                    "succession_by_bureau",
                    _("Een voortzetting na herindeling legt het bureau vast."),
                )
            ]
        )
    probe = dict(values)
    probe["effective_on"], probe["mandate_deadline"] = _defaults(
        probe["kind"],
        probe["decided_on"],
        probe.get("effective_on"),
        probe.get("mandated_body", ""),
        probe.get("mandate_deadline"),
    )
    _check(membership, Decision(membership=membership, **probe), new=True)
    proposal = DecisionProposal.objects.create(membership=membership, proposed_by=actor, **values)
    audit_record(
        action="proposal.create",
        obj=proposal,
        actor=actor,
        changes=diff({}, {name: values.get(name) for name in PROPOSAL_FIELDS}),
    )
    notifications.proposal_submitted(proposal)
    return proposal


def _locked_proposal(proposal: DecisionProposal) -> DecisionProposal:
    # of=("self",): PostgreSQL cannot lock the nullable side of the proposer's outer join.
    return (
        DecisionProposal.objects.select_for_update(of=("self",))
        .select_related("membership__municipality", "proposed_by")
        .get(pk=proposal.pk)
    )


@transaction.atomic
def proposal_confirm(*, proposal: DecisionProposal, actor) -> Decision:
    proposal = _locked_proposal(proposal)
    if proposal.state != DecisionProposal.State.PENDING:
        raise ValidationError(_("Dit voorstel is al behandeld."))
    decision = decision_record(
        membership=proposal.membership,
        actor=actor,
        origin=f"voorstel {proposal.pk}",
        **{name: getattr(proposal, name) for name in PROPOSAL_FIELDS},
    )
    proposal.state = DecisionProposal.State.CONFIRMED
    proposal.decision, proposal.handled_by, proposal.handled_at = decision, actor, timezone.now()
    proposal.save(update_fields=["state", "decision", "handled_by", "handled_at"])
    audit_record(
        action="proposal.confirm",
        obj=proposal,
        actor=actor,
        changes=diff({"state": "pending"}, {"state": proposal.state}),
    )
    notifications.proposal_handled(proposal)
    return decision


@transaction.atomic
def proposal_reject(*, proposal: DecisionProposal, reason: str, actor) -> DecisionProposal:
    proposal = _locked_proposal(proposal)
    if proposal.state != DecisionProposal.State.PENDING:
        raise ValidationError(_("Dit voorstel is al behandeld."))
    if not reason.strip():
        raise ValidationError(_("Geef een reden voor de afwijzing."))
    proposal.state, proposal.rejection_reason = DecisionProposal.State.REJECTED, reason
    proposal.handled_by, proposal.handled_at = actor, timezone.now()
    proposal.save(update_fields=["state", "rejection_reason", "handled_by", "handled_at"])
    audit_record(
        action="proposal.reject",
        obj=proposal,
        actor=actor,
        changes=diff(
            {"state": "pending", "rejection_reason": ""},
            {"state": proposal.state, "rejection_reason": reason},
        ),
    )
    notifications.proposal_handled(proposal)
    return proposal


# --- The reference dossier ------------------------------------------------------------------

DIEMEN = "GM0384"


@dataclass
class MembershipLoadReport:
    listed_created: int = 0
    decisions_created: int = 0
    fees_created: int = 0  # the contribution schedule, loaded alongside

    @property
    def changed(self) -> bool:
        return bool(self.listed_created or self.decisions_created or self.fees_created)

    def lines(self) -> list[str]:
        return [
            _("Lidmaatschappen uit de ledenlijst van april 2023: %(n)d nieuw")
            % {"n": self.listed_created},
            _("Besluiten in dossiers: %(n)d nieuw") % {"n": self.decisions_created},
            _("Contributies: %(n)d nieuw") % {"n": self.fees_created},
        ]


def _diemen_dossier(membership: Membership, report: MembershipLoadReport) -> None:
    if membership.decisions.exists():
        return
    origin = "referentiegegevens"
    decision_record(
        membership=membership,
        kind=DecisionKind.ASPIRANT,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=datetime.date(2022, 8, 22),
        mandated_body=DecidingBody.MAYOR,
        document_title="Collegebesluit aspirant-lidmaatschap M50",
        remarks=(
            "Het college besluit aspirant-lid te worden van het M50 en mandateert de "
            "burgemeester om uiterlijk een jaar later te besluiten over definitief (betaald) "
            "lidmaatschap."
        ),
        origin=origin,
    )
    decision_record(
        membership=membership,
        kind=DecisionKind.DEFINITIVE,
        deciding_body=DecidingBody.MAYOR,
        decided_on=datetime.date(2023, 5, 16),
        announced_on=datetime.date(2023, 5, 16),
        document_title="Informatie van de burgemeester: lidmaatschap M50",
        remarks=(
            "Besluit van de burgemeester op grond van het mandaat van 22 augustus 2022, "
            "bekendgemaakt in de collegevergadering van 16 mei 2023. De bron noemt alleen de "
            "datum van bekendmaking; die is als besluitdatum aangehouden."
        ),
        origin=origin,
    )
    report.decisions_created += 2


@transaction.atomic
def membership_reference_load() -> MembershipLoadReport:
    """The M50 member list of April 2023 as listed members, and Diemen's real dossier.

    Idempotent: existing memberships and dossiers are left as they are.
    """
    report = MembershipLoadReport()
    listed = registry.network_member_municipalities(network_code=registry.M50_NETWORK_CODE)
    existing = set(Membership.objects.values_list("municipality_id", flat=True))
    for municipality in listed:
        if municipality.code == DIEMEN:
            continue
        if municipality.pk not in existing:
            membership_listed_create(municipality=municipality)
            report.listed_created += 1
    diemen = next((m for m in listed if m.code == DIEMEN), None)
    if diemen is not None:
        _diemen_dossier(membership_for(municipality=diemen), report)
    return report
