"""Reads of memberships, with their derived status, for pages, API, exports and commands."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, replace

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from m50.accounts.models import MUNICIPAL_ROLES
from m50.accounts.permissions import has_rule
from m50.core.models import AuditEvent
from m50.core.versions import MEMBERS, REGISTRY, VersionedFigures
from m50.membership import projection, rules
from m50.membership.models import (
    Decision,
    DecisionKind,
    DecisionProposal,
    Membership,
    StatusPeriod,
)
from m50.membership.services import fact_of
from m50.municipalities import selectors as registry
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
        .prefetch_related(Prefetch("decisions", queryset=_decisions()), "status_periods")
    )


@dataclass(frozen=True)
class MembershipRow:
    """A membership with its status of one day, read from the status-period projection: no
    dossier is derived for it, so its summary carries no history and no used mandate."""

    membership: Membership
    summary: rules.Summary
    in_band: bool
    inhabitants: int | None
    population_year: int | None

    @property
    def municipality(self):
        return self.membership.municipality


def _containing(day: datetime.date) -> Q:
    """The status period (segment) that contains ``day``: at most one per membership."""
    return (Q(start__isnull=True) | Q(start__lte=day)) & (Q(end__isnull=True) | Q(end__gt=day))


def _periods_on(day: datetime.date, statuses) -> QuerySet[StatusPeriod]:
    return StatusPeriod.objects.filter(_containing(day), status__in=list(statuses))


def figures() -> VersionedFigures:
    """Counts over all memberships, kept per version of the members and registry data."""
    return VersionedFigures([MEMBERS, REGISTRY])


class MembershipRows:
    """The rows of a query of status periods, made only for what is taken: a slice (a page)
    or a streamed iteration. Django's Paginator counts and slices it in the database."""

    def __init__(
        self, periods: QuerySet[StatusPeriod], today: datetime.date, *, order=None, make=None
    ):
        self.periods = (
            periods.select_related("membership__municipality__province")
            .annotate(
                latest_population=latest_population(
                    "inhabitants", municipality_ref="membership__municipality"
                ),
                latest_population_year=latest_population(
                    "year", municipality_ref="membership__municipality"
                ),
                has_decisions=Exists(Decision.objects.filter(membership=OuterRef("membership"))),
            )
            .order_by(*(order or ("membership__municipality__name", "membership_id")))
        )
        self.today = today
        self.limits = BandLimits.from_settings()
        # What each row is given as: the row itself, or e.g. an API item made from it.
        self.make = make or (lambda row: row)

    def _item(self, period: StatusPeriod):
        return self.make(self._row(period))

    def _row(self, period: StatusPeriod) -> MembershipRow:
        membership = period.membership
        summary = rules.summary_of_segment(
            projection.segment_of(period),
            self.today,
            listed_only=bool(membership.listed_since) and not period.has_decisions,
        )
        return MembershipRow(
            membership=membership,
            summary=summary,
            in_band=self.limits.contains(period.latest_population),
            inhabitants=period.latest_population,
            population_year=period.latest_population_year,
        )

    @property
    def counted(self) -> QuerySet[StatusPeriod]:
        """What :meth:`count` counts (for a paginator that keeps counts per data version)."""
        return self.periods

    def count(self) -> int:
        return self.periods.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._item(period) for period in self.periods[index]]
        return self._item(self.periods[index])

    def __iter__(self) -> Iterator:
        for period in self.periods.iterator(chunk_size=2000):
            yield self._item(period)


def membership_rows(
    *,
    today: datetime.date | None = None,
    statuses: tuple[rules.Status, ...] = (rules.Status.ASPIRANT, rules.Status.MEMBER),
    municipality_code: str = "",
    make=None,
) -> MembershipRows:
    """Memberships with their status today, by municipality name: filtered, counted and
    sliced in the database, whatever the number of dossiers or successions. ``make`` turns
    each row taken into what the caller shows (default: the row)."""
    today = today or timezone.localdate()
    periods = _periods_on(today, statuses)
    if municipality_code:
        periods = periods.filter(membership__municipality__code=municipality_code.upper())
    return MembershipRows(periods, today, make=make)


def membership_detail(*, municipality_code: str) -> Membership | None:
    return membership_queryset().filter(municipality__code=municipality_code.upper()).first()


def read_dossier(membership: Membership) -> rules.Dossier:
    """The dossier of ``membership`` for reading, from its (prefetched) decisions. What a
    succession continues comes from the stored status period it started, so the
    predecessor's dossier is not read again: a fixed number of queries per dossier."""
    continued = {p.decision_id: p.status for p in membership.status_periods.all()}
    facts = []
    for decision in membership.decisions.all():
        fact = fact_of(decision, lambda _pk: None)
        if decision.kind == DecisionKind.SUCCESSION:
            status = continued.get(decision.pk)
            fact = replace(fact, continues_status=rules.Status(status) if status else None)
        facts.append(fact)
    return rules.Dossier(
        facts=tuple(facts),
        listed=bool(membership.listed_since),
        dissolved_on=membership.municipality.dissolved_on,
    )


def membership_summary(membership: Membership, today: datetime.date | None = None):
    """The full summary of one dossier, with its history."""
    return rules.summarise(read_dossier(membership), today or timezone.localdate())


def summary_status_of(membership: Membership, day: datetime.date) -> rules.Status:
    return rules.status_on(read_dossier(membership), day)


def deadline_of(summary: rules.Summary) -> tuple[bool, int | None]:
    """(past, days left) of what an aspirant must decide before: its mandate's deadline, or
    without a mandate the end of its aspirant year."""
    if summary.mandate is not None:
        return summary.mandate_expired, summary.days_left
    return summary.trial_over, summary.trial_days_left


def _deadline_periods(today: datetime.date) -> QuerySet[StatusPeriod]:
    return _periods_on(today, (rules.Status.ASPIRANT,)).filter(deadline__isnull=False)


def deadline_rows(*, today: datetime.date | None = None) -> MembershipRows:
    """Every aspirant, with a mandate or without (its aspirant year ends too): past deadlines
    first, then fewest days left; that is: by deadline. Sliced (a page) or streamed."""
    today = today or timezone.localdate()
    order = ("deadline", "membership__municipality__name", "membership_id")
    return MembershipRows(_deadline_periods(today), today, order=order)


def deadlines_due_count(*, today: datetime.date, horizon: int) -> int:
    """Aspirants whose deadline passed or falls within ``horizon`` days: one query."""
    return (
        _deadline_periods(today)
        .filter(deadline__lte=today + datetime.timedelta(days=horizon))
        .count()
    )


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


def _running_at_dissolution() -> Exists:
    """Memberships with a period of (aspirant) membership that ran on the day before their
    municipality was dissolved: the memberships a successor can continue. A correlated
    EXISTS on the periods' index."""
    dissolved_on = OuterRef("municipality__dissolved_on")
    return Exists(
        StatusPeriod.objects.filter(
            (Q(start__isnull=True) | Q(start__lt=dissolved_on))
            & (Q(end__isnull=True) | Q(end__gte=dissolved_on)),
            membership=OuterRef("pk"),
            status__in=list(rules.RUNNING),
        )
    )


def running_municipality_ids(*, on: datetime.date) -> QuerySet:
    """The ids of the municipalities that are member or aspirant on ``on``, as a query (one
    column), so another app can filter on it in the database: ``pk__in=...``."""
    return _periods_on(on, rules.RUNNING).values("membership__municipality_id")


def municipality_ids_with_status(*, on: datetime.date, statuses=rules.RUNNING) -> QuerySet:
    """The ids of the municipalities with one of ``statuses`` on ``on``, as a query (one
    column) to filter on in the database."""
    return _periods_on(on, statuses).values("membership__municipality_id")


def running_status_of(*, on: datetime.date, municipality_ref: str = "pk") -> Subquery:
    """The status (aspirant or member) of the outer query's municipality on ``on``, or None:
    a subquery to annotate a list of municipalities with, in its one query."""
    periods = _periods_on(on, rules.RUNNING).filter(
        membership__municipality_id=OuterRef(municipality_ref)
    )
    return Subquery(periods.values("status")[:1])


def is_running(*, municipality_id: int | None, on: datetime.date) -> bool:
    """Whether the municipality is member or aspirant on ``on``."""
    if municipality_id is None:
        return False
    return bool(_running_municipality_ids([municipality_id], on))


def _running_municipality_ids(municipality_ids, today: datetime.date) -> set[int]:
    return set(
        _periods_on(today, rules.RUNNING)
        .filter(membership__municipality_id__in=municipality_ids)
        .values_list("membership__municipality_id", flat=True)
    )


def succession_proposals(*, today: datetime.date | None = None) -> list[tuple[Membership, object]]:
    """(predecessor membership, successor municipality) pairs the bureau should record.

    A member municipality that was dissolved into another, whose successor has no running
    membership yet: the platform proposes that the successor continues it. Three queries,
    whatever the number of mergers.
    """
    today = today or timezone.localdate()
    memberships = list(
        Membership.objects.select_related("municipality")
        .filter(_running_at_dissolution(), municipality__dissolved_on__isnull=False)
        .order_by("municipality__name", "pk")
    )
    successors = registry.successors_by_predecessor(
        predecessor_ids=[m.municipality_id for m in memberships]
    )
    running = _running_municipality_ids(
        [s.pk for items in successors.values() for s in items], today
    )
    return [
        (membership, successor)
        for membership in memberships
        for successor in successors.get(membership.municipality_id, [])
        if successor.pk not in running
    ]


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
        running = bool(_running_municipality_ids([municipality.pk], today))
    if running:
        return []
    return list(
        Membership.objects.select_related("municipality")
        .filter(
            _running_at_dissolution(),
            municipality_id__in=predecessor_ids,
            municipality__dissolved_on__isnull=False,
        )
        .order_by("municipality__name", "pk")
    )


# --- Counts over time (the bureau's dashboard, the network's year) ---------------------------


def status_counts_on(*, days) -> dict[datetime.date, dict[str, int]]:
    """For each of ``days``: how many memberships were aspirant and how many member that day,
    as the rules derive it from the decisions (each day's one segment of the status-period
    projection). One query, whatever the number of days or memberships."""
    days = list(days)
    if not days:
        return {}
    statuses = (rules.Status.ASPIRANT, rules.Status.MEMBER)
    aggregates = {
        f"{status}_{index}": Count("pk", filter=_containing(day) & Q(status=status))
        for index, day in enumerate(days)
        for status in statuses
    }
    row = StatusPeriod.objects.order_by().aggregate(**aggregates)
    return {
        day: {str(status): row[f"{status}_{index}"] or 0 for status in statuses}
        for index, day in enumerate(days)
    }


def status_changes_between(*, start: datetime.date, end: datetime.date) -> QuerySet[StatusPeriod]:
    """The status periods that began from ``start`` to ``end`` (inclusive), first segment of
    each only: who became aspirant or member, continued a merged member, or stopped. With the
    municipality and the kind of decision that began it; by date, then name."""
    return (
        StatusPeriod.objects.filter(start__gte=start, start__lte=end, start=F("since"))
        .select_related("membership__municipality", "decision")
        .order_by("start", "membership__municipality__name", "pk")
    )


def mandates_running_out(*, today: datetime.date, days: int) -> QuerySet[StatusPeriod]:
    """Aspirants today whose running mandate ends within ``days`` days (not yet past), soonest
    first, with their municipality: one query."""
    return (
        _periods_on(today, (rules.Status.ASPIRANT,))
        .filter(
            mandate_deadline__gte=today,
            mandate_deadline__lte=today + datetime.timedelta(days=days),
        )
        .select_related("membership__municipality")
        .order_by("mandate_deadline", "membership__municipality__name", "pk")
    )
