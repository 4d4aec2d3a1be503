"""The bureau's dashboard and the network's year: figures read from the other apps' selectors,
aggregated in the database, in a fixed number of queries whatever the number of members.

:func:`network_year` returns plain data (a dataclass), so that a page shows it now and a
document (DOCX, PDF) can be written from the same figures later.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format

from m50.activities import selectors as activities
from m50.finance import selectors as finance
from m50.knowledge import selectors as knowledge
from m50.membership import selectors as membership
from m50.membership.models import DecisionKind
from m50.membership.rules import STATUS_LABELS, Status
from m50.municipalities import selectors as registry
from m50.municipalities.eligibility import BandLimits
from m50.pillars import selectors as pillars
from m50.publicaffairs import selectors as publicaffairs

#: Mandates whose deadline falls within this many days count as running out.
MANDATE_HORIZON_DAYS = 90
#: Years of history the dashboard's series show besides the current one.
HISTORY_YEARS = 3
#: Prospects named on the dashboard; the prospects page has them all.
PROSPECTS_SHOWN = 10
#: Months of public-affairs contacts shown.
CONTACT_MONTHS = 12


def quarter_ends(today: datetime.date, years: int = HISTORY_YEARS) -> list[datetime.date]:
    """The last day of every quarter from ``years`` years before this one, then ``today``
    (the current quarter so far)."""
    days = []
    for year in range(today.year - years, today.year + 1):
        for month in (3, 6, 9, 12):
            end = (
                datetime.date(year, 12, 31)
                if month == 12
                else datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
            )
            if end >= today:
                days.append(today)
                return days
            days.append(end)
    return days


def quarter_label(year: int, quarter: int) -> str:
    return f"K{quarter} {year}"


def _quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


@dataclass(frozen=True)
class StatusPoint:
    day: datetime.date
    label: str
    aspirants: int
    members: int

    @property
    def total(self) -> int:
        return self.aspirants + self.members


@dataclass(frozen=True)
class MandateRow:
    name: str
    code: str
    deadline: datetime.date
    days_left: int
    body: str


@dataclass(frozen=True)
class ProspectRow:
    name: str
    code: str
    inhabitants: int
    year: int | None


@dataclass(frozen=True)
class HeatCell:
    count: int
    level: int  # 0-3, for the shade; the count is always written


@dataclass(frozen=True)
class HeatRow:
    name: str
    code: str
    status: str
    cells: list[HeatCell]

    @property
    def total(self) -> int:
        return sum(cell.count for cell in self.cells)


@dataclass(frozen=True)
class Participation:
    pillars: list[pillars.PillarCount]
    rows: list[HeatRow]
    without_pillar: list[tuple[str, str]]  # (name, code)


@dataclass(frozen=True)
class QuarterRow:
    label: str
    activities: int
    attendance: int
    year: int = 0
    quarter: int = 0

    @property
    def average(self) -> Decimal | None:
        if not self.activities:
            return None
        return (Decimal(self.attendance) / self.activities).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class MonthRow:
    label: str
    count: int
    year: int = 0
    month: int = 0
    short: str = ""  # the month alone: "dec"


@dataclass
class Dashboard:
    today: datetime.date
    status_points: list[StatusPoint]
    mandates: list[MandateRow]
    prospects: list[ProspectRow]
    prospect_count: int
    population_year: int | None
    contributions: list[finance.ContributionYear]
    participation: Participation
    quarters: list[QuarterRow]
    months: list[MonthRow]
    motions: list[publicaffairs.MotionYear]

    @property
    def has_members(self) -> bool:
        return any(point.total for point in self.status_points)


def _status_points(today: datetime.date) -> list[StatusPoint]:
    days = quarter_ends(today)
    counts = membership.status_counts_on(days=days)
    points = []
    for day in days:
        year, quarter = _quarter_of(day)
        points.append(
            StatusPoint(
                day=day,
                label=quarter_label(year, quarter),
                aspirants=counts[day][Status.ASPIRANT],
                members=counts[day][Status.MEMBER],
            )
        )
    return points


def _mandates(today: datetime.date) -> list[MandateRow]:
    return [
        MandateRow(
            name=period.membership.municipality.name,
            code=period.membership.municipality.code,
            deadline=period.mandate_deadline,
            days_left=(period.mandate_deadline - today).days,
            body=period.mandate_body,
        )
        for period in membership.mandates_running_out(today=today, days=MANDATE_HORIZON_DAYS)
    ]


def _prospects(today: datetime.date) -> tuple[list[ProspectRow], int]:
    """Municipalities in the band today (latest CBS count) that are neither member nor
    aspirant by the decisions: two queries, the largest first."""
    limits = BandLimits.from_settings()
    candidates = (
        registry.municipality_queryset()
        .filter(
            dissolved_on__isnull=True,
            latest_population__gte=limits.minimum,
            latest_population__lte=limits.maximum,
        )
        .exclude(pk__in=membership.running_municipality_ids(on=today))
    )
    rows = [
        ProspectRow(m.name, m.code, m.latest_population, m.latest_population_year)
        for m in candidates.order_by("-latest_population", "name")[:PROSPECTS_SHOWN]
    ]
    return rows, candidates.count()


def heat_level(count: int) -> int:
    """The shade of a cell: none, one official, two or three, four or more."""
    if count <= 0:
        return 0
    if count == 1:
        return 1
    return 2 if count <= 3 else 3


def participation_on(day: datetime.date) -> Participation:
    """Members and aspirants × running pillars, the officials taking part in each, and the
    members in no pillar: four queries."""
    columns = pillars.pillar_counts(on=day)
    municipalities = list(pillars.matrix_municipalities(on=day))
    cells = pillars.matrix_cells(on=day)
    rows = []
    without = []
    for municipality in municipalities:
        found = cells.get(municipality.pk, {})
        counts = [sum(found.get(("pillar", column.pk), {}).values()) for column in columns]
        rows.append(
            HeatRow(
                name=municipality.name,
                code=municipality.code,
                status=(
                    str(STATUS_LABELS[Status(municipality.membership_status)])
                    if municipality.membership_status
                    else ""
                ),
                cells=[HeatCell(count, heat_level(count)) for count in counts],
            )
        )
        if not municipality.in_pillar:
            without.append((municipality.name, municipality.code))
    return Participation(pillars=columns, rows=rows, without_pillar=without)


def _quarters(today: datetime.date, now: datetime.datetime) -> list[QuarterRow]:
    since = datetime.date(today.year - HISTORY_YEARS, 1, 1)
    found = {
        (row.year, row.quarter): row for row in activities.held_per_quarter(since=since, now=now)
    }
    if not found:
        return []
    rows = []
    current = _quarter_of(today)
    year, quarter = min(found)
    while (year, quarter) <= current:
        row = found.get((year, quarter))
        rows.append(
            QuarterRow(
                quarter_label(year, quarter),
                row.activities if row else 0,
                row.attendance if row else 0,
                year,
                quarter,
            )
        )
        year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    return rows


def _months(today: datetime.date) -> list[MonthRow]:
    first_year, first_month = today.year, today.month - (CONTACT_MONTHS - 1)
    while first_month < 1:
        first_year, first_month = first_year - 1, first_month + 12
    counts = {
        (row.year, row.month): row.count
        for row in publicaffairs.interactions_per_month(
            since=datetime.date(first_year, first_month, 1)
        )
    }
    if not counts:
        return []
    rows = []
    year, month = first_year, first_month
    for _index in range(CONTACT_MONTHS):
        # "dec 2026": the month's short name in the active language.
        first = datetime.date(year, month, 1)
        rows.append(
            MonthRow(
                date_format(first, "b Y"),
                counts.get((year, month), 0),
                year,
                month,
                date_format(first, "b"),
            )
        )
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return rows


def dashboard(*, today: datetime.date | None = None, now: datetime.datetime | None = None):
    """Everything the bureau's dashboard shows, on ``today``: a fixed number of queries."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    prospects, prospect_count = _prospects(today)
    return Dashboard(
        today=today,
        status_points=_status_points(today),
        mandates=_mandates(today),
        prospects=prospects,
        prospect_count=prospect_count,
        population_year=prospects[0].year if prospects else None,
        contributions=finance.contributions_by_year(),
        participation=participation_on(today),
        quarters=_quarters(today, now),
        months=_months(today),
        motions=publicaffairs.followed_motions_per_year(
            since_year=today.year - HISTORY_YEARS, until_year=today.year
        ),
    )


# --- The network's year -------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusChange:
    """A municipality that changed status in the year, and how."""

    KINDS = ("aspirant", "member", "succession", "terminated")

    name: str
    code: str
    kind: str  # one of KINDS
    day: datetime.date


@dataclass
class NetworkYear:
    """The network's year in figures: what the annual report says, for a page now and a
    document later. ``end`` is 31 December, or today while the year runs."""

    year: int
    start: datetime.date
    end: datetime.date
    complete: bool
    aspirants_start: int
    members_start: int
    aspirants_end: int
    members_end: int
    changes: list[StatusChange]
    contribution: finance.ContributionYear | None
    pillars: list[pillars.PillarCount]
    participating_municipalities: int
    without_pillar: int
    activities: activities.ActivityYear
    interactions: publicaffairs.InteractionYear
    motions_followed: int
    motions_adopted: int
    knowledge: list[tuple[str, str, int]] = field(default_factory=list)

    def changed(self, kind: str) -> list[StatusChange]:
        return [change for change in self.changes if change.kind == kind]

    @property
    def joined_aspirant(self) -> list[StatusChange]:
        return self.changed("aspirant")

    @property
    def joined_member(self) -> list[StatusChange]:
        return self.changed("member")

    @property
    def continued(self) -> list[StatusChange]:
        return self.changed("succession")

    @property
    def left(self) -> list[StatusChange]:
        return self.changed("terminated")

    @property
    def knowledge_total(self) -> int:
        return sum(count for _kind, _label, count in self.knowledge)


def _change_kind(period) -> str | None:
    decision = period.decision
    if decision is not None and decision.kind == DecisionKind.SUCCESSION:
        return "succession"
    if period.status == Status.ASPIRANT:
        return "aspirant"
    if period.status == Status.MEMBER:
        return "member"
    if period.status == Status.TERMINATED:
        return "terminated"
    return None


def network_year(*, year: int, today: datetime.date | None = None, now=None) -> NetworkYear:
    """The network's ``year``: members at its start and end, who joined and left, the
    contributions, the pillars and participation, activities and attendance, public affairs
    and the knowledge shared. A fixed number of queries, whatever the number of members."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    start = datetime.date(year, 1, 1)
    last = datetime.date(year, 12, 31)
    end = min(last, today)
    counts = membership.status_counts_on(days=[start, end])
    changes = []
    for period in membership.status_changes_between(start=start, end=end):
        kind = _change_kind(period)
        if kind:
            municipality = period.membership.municipality
            changes.append(StatusChange(municipality.name, municipality.code, kind, period.start))
    contributions = finance.contributions_by_year(year=year)
    columns = pillars.pillar_counts(on=end)
    motions = publicaffairs.followed_motions_per_year(since_year=year, until_year=year)
    return NetworkYear(
        year=year,
        start=start,
        end=end,
        complete=end == last,
        aspirants_start=counts[start][Status.ASPIRANT],
        members_start=counts[start][Status.MEMBER],
        aspirants_end=counts[end][Status.ASPIRANT],
        members_end=counts[end][Status.MEMBER],
        changes=changes,
        contribution=contributions[0] if contributions else None,
        pillars=columns,
        participating_municipalities=pillars.matrix_municipalities(on=end)
        .filter(in_pillar=True)
        .count(),
        without_pillar=pillars.municipalities_without_pillar(on=end).count(),
        activities=activities.held_in_year(year=year, now=now),
        interactions=publicaffairs.interactions_in_year(year=year),
        motions_followed=sum(row.followed for row in motions),
        motions_adopted=sum(row.adopted for row in motions),
        knowledge=knowledge.published_per_kind(year=year),
    )
