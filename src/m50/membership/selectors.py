"""Reads of memberships, with their derived status, for pages, API, exports and commands."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from m50.accounts.models import MUNICIPAL_ROLES
from m50.accounts.permissions import has_rule
from m50.core.models import AuditEvent
from m50.membership import rules
from m50.membership.models import Decision, DecisionProposal, Membership
from m50.membership.services import dossier_of
from m50.municipalities.eligibility import BandLimits
from m50.municipalities.selectors import latest_population


def _decisions() -> QuerySet[Decision]:
    return Decision.objects.select_related("predecessor__municipality", "corrects").order_by(
        "effective_on", "decided_on", "pk"
    )


def membership_queryset() -> QuerySet[Membership]:
    """Memberships with their municipality, its latest population, and their decisions.

    Joined and annotated rather than prefetched: a prefetch of 1,000 municipalities becomes
    an expression SQLite refuses as too large.
    """
    return (
        Membership.objects.select_related("municipality__province")
        .annotate(
            latest_population=latest_population("inhabitants", municipality_ref="municipality"),
            latest_population_year=latest_population("year", municipality_ref="municipality"),
        )
        .prefetch_related(Prefetch("decisions", queryset=_decisions()))
    )


@dataclass(frozen=True)
class MembershipRow:
    membership: Membership
    summary: rules.Summary
    in_band: bool
    inhabitants: int | None
    population_year: int | None

    @property
    def municipality(self):
        return self.membership.municipality


def _row(membership: Membership, today: datetime.date, limits: BandLimits) -> MembershipRow:
    decisions = list(membership.decisions.all())
    summary = rules.summarise(dossier_of(membership, decisions), today)
    inhabitants = membership.latest_population
    return MembershipRow(
        membership=membership,
        summary=summary,
        in_band=limits.contains(inhabitants),
        inhabitants=inhabitants,
        population_year=membership.latest_population_year,
    )


def membership_rows(
    *,
    today: datetime.date | None = None,
    statuses: tuple[rules.Status, ...] = (rules.Status.ASPIRANT, rules.Status.MEMBER),
    municipality_code: str = "",
) -> list[MembershipRow]:
    """Memberships with their status today, by municipality name; a fixed number of queries.

    Succession decisions read their predecessor's dossier: with few mergers among members
    that costs nothing extra here, because the predecessor's decisions are prefetched too.
    """
    today = today or timezone.localdate()
    limits = BandLimits.from_settings()
    qs = membership_queryset().order_by("municipality__name", "pk")
    if municipality_code:
        qs = qs.filter(municipality__code=municipality_code.upper())
    rows = [_row(m, today, limits) for m in qs]
    return [row for row in rows if row.summary.status in statuses]


def membership_detail(*, municipality_code: str) -> Membership | None:
    return membership_queryset().filter(municipality__code=municipality_code.upper()).first()


def membership_summary(membership: Membership, today: datetime.date | None = None):
    return rules.summarise(dossier_of(membership), today or timezone.localdate())


def summary_status_of(membership: Membership, day: datetime.date) -> rules.Status:
    return rules.status_on(dossier_of(membership), day)


def deadline_of(summary: rules.Summary) -> tuple[bool, int | None]:
    """(past, days left) of what an aspirant must decide before: its mandate's deadline, or
    without a mandate the end of its aspirant year."""
    if summary.mandate is not None:
        return summary.mandate_expired, summary.days_left
    return summary.trial_over, summary.trial_days_left


def deadline_rows(*, today: datetime.date | None = None) -> list[MembershipRow]:
    """Every aspirant, with a mandate or without (its aspirant year ends too): past deadlines
    first, then fewest days left."""
    today = today or timezone.localdate()
    rows = [
        row
        for row in membership_rows(today=today, statuses=(rules.Status.ASPIRANT,))
        if row.summary.mandate is not None or row.summary.trial_end is not None
    ]
    rows.sort(
        key=lambda row: (
            not deadline_of(row.summary)[0],
            deadline_of(row.summary)[1],
            row.municipality.name,
        )
    )
    return rows


def decision_history(*, membership: Membership) -> QuerySet[AuditEvent]:
    """Who changed what in this dossier, when, with old and new values (newest first)."""
    decision_ids = [str(pk) for pk in membership.decisions.values_list("pk", flat=True)]
    proposal_ids = [str(pk) for pk in membership.proposals.values_list("pk", flat=True)]
    return (
        AuditEvent.objects.filter(object_type="membership.Decision", object_id__in=decision_ids)
        | AuditEvent.objects.filter(
            object_type="membership.DecisionProposal", object_id__in=proposal_ids
        )
    ).order_by("-timestamp", "-pk")


def pending_proposals(*, membership: Membership | None = None) -> QuerySet[DecisionProposal]:
    qs = DecisionProposal.objects.filter(state=DecisionProposal.State.PENDING).select_related(
        "membership__municipality", "proposed_by"
    )
    if membership is not None:
        qs = qs.filter(membership=membership)
    return qs.order_by("proposed_at")


HANDLED_PROPOSALS_SHOWN = 10


def handled_proposals(
    *, membership: Membership | None = None, proposed_by=None, limit: int = HANDLED_PROPOSALS_SHOWN
) -> list[DecisionProposal]:
    """The latest confirmed or rejected proposals, newest first, with their outcome."""
    qs = DecisionProposal.objects.exclude(state=DecisionProposal.State.PENDING).select_related(
        "membership__municipality", "proposed_by", "handled_by", "decision"
    )
    if membership is not None:
        qs = qs.filter(membership=membership)
    if proposed_by is not None:
        qs = qs.filter(proposed_by=proposed_by)
    return list(qs.order_by("-handled_at", "-pk")[:limit])


def can_view_dossier_details(user, municipality) -> bool:
    """Documents, remarks and history: the network's staff, and the municipality's own users."""
    if has_rule(user, "membership.view_details"):
        return True
    return (
        has_rule(user, "membership.view_own_details")
        and user.role in MUNICIPAL_ROLES
        and user.municipality_id == municipality.pk
    )


def can_propose(user, municipality) -> bool:
    return has_rule(user, "membership.propose") and user.municipality_id == municipality.pk


def succession_proposals(*, today: datetime.date | None = None) -> list[tuple[Membership, object]]:
    """(predecessor membership, successor municipality) pairs the bureau should record.

    A member municipality that was dissolved into another, whose successor has no running
    membership yet: the platform proposes that the successor continues it.
    """
    from m50.municipalities.selectors import successors_of

    today = today or timezone.localdate()
    proposals = []
    for membership in membership_queryset().filter(municipality__dissolved_on__isnull=False):
        dossier = dossier_of(membership, list(membership.decisions.all()))
        day_before = membership.municipality.dissolved_on - datetime.timedelta(days=1)
        if rules.status_on(dossier, day_before) not in rules.RUNNING:
            continue
        for successor in successors_of(municipality=membership.municipality):
            current = Membership.objects.filter(municipality=successor).first()
            if current is None or rules.status_on(dossier_of(current), today) not in rules.RUNNING:
                proposals.append((membership, successor))
    return proposals


def succession_predecessors(
    *, municipality, today: datetime.date | None = None, running: bool | None = None
) -> list[Membership]:
    """The memberships ``municipality`` can continue now: of a municipality that went into it
    (not by a boundary correction) and was a (aspirant) member the day before, while its own
    membership does not run (``running``, when the caller knows it already). The same rule
    as :func:`succession_proposals`, for one municipality and in a fixed number of queries;
    none when its predecessor links are prefetched and none of them is a merger."""
    today = today or timezone.localdate()
    predecessor_ids = {
        link.predecessor_id
        for link in municipality.predecessor_links.all()
        if link.kind != "boundary_correction"
    }
    if not predecessor_ids:
        return []
    if running is None:
        current = (
            Membership.objects.select_related("municipality")
            .prefetch_related("decisions")
            .filter(municipality=municipality)
            .first()
        )
        running = current is not None and (
            rules.status_on(dossier_of(current), today) in rules.RUNNING
        )
    if running:
        return []
    result = []
    for membership in membership_queryset().filter(
        municipality_id__in=predecessor_ids, municipality__dissolved_on__isnull=False
    ):
        dossier = dossier_of(membership, list(membership.decisions.all()))
        day_before = membership.municipality.dissolved_on - datetime.timedelta(days=1)
        if rules.status_on(dossier, day_before) in rules.RUNNING:
            result.append(membership)
    return result
