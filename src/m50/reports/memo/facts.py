"""Every fact of the council memo for one municipality and period, in a fixed number of
queries, as a tree of frozen dataclasses: the memo and the member's value report read the
same facts, and no template or renderer queries the database."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from m50.activities import selectors as activities
from m50.contacts import selectors as contacts
from m50.finance import rules as finance_rules
from m50.finance import selectors as finance
from m50.knowledge import selectors as knowledge
from m50.membership import rules
from m50.membership import selectors as membership
from m50.membership.models import DecidingBody
from m50.municipalities import selectors as registry
from m50.municipalities.eligibility import BandLimits, entered_band_year
from m50.pillars import selectors as pillars
from m50.pillars.models import Category
from m50.publicaffairs import selectors as publicaffairs

# Whose decisions answer "is there a college decision?": the college, the council, and the
# mayor deciding under the college's mandate.
MUNICIPAL_BODIES = frozenset({DecidingBody.COLLEGE, DecidingBody.COUNCIL, DecidingBody.MAYOR})


@dataclass(frozen=True)
class Population:
    year: int
    inhabitants: int
    source: str


@dataclass(frozen=True)
class RegistryFacts:
    municipality_id: int
    name: str
    code: str
    band_min: int
    band_max: int
    latest: Population | None
    # The year (1 January) it last came into the band, with that count; None: not within the
    # data (in the band since its first known year, or not in the band now).
    entered_band: Population | None
    first_known: Population | None
    established_on: datetime.date | None
    dissolved_on: datetime.date | None


@dataclass(frozen=True)
class DecisionFacts:
    kind: str
    deciding_body: str
    decided_on: datetime.date
    effective_on: datetime.date
    announced_on: datetime.date | None
    mandated_body: str
    mandate_deadline: datetime.date | None
    # For a definitive decision under a mandate: the date the mandate was given.
    under_mandate_of: datetime.date | None
    predecessor: str
    document_title: str


@dataclass(frozen=True)
class MembershipFacts:
    exists: bool
    status: str  # rules.Status on the period's last day
    since: datetime.date | None
    listed_since: str
    listed_source: str
    decisions: tuple[DecisionFacts, ...]
    mandate_deadline: datetime.date | None  # of a running mandate on the period's last day


@dataclass(frozen=True)
class PillarFacts:
    current: tuple[str, ...]
    former: tuple[str, ...]


@dataclass(frozen=True)
class Participant:
    name: str
    function: str
    category: str  # Category value
    role: str


@dataclass(frozen=True)
class BodyParticipation:
    body: str
    is_pillar: bool
    participants: tuple[Participant, ...]


@dataclass(frozen=True)
class ActivityLine:
    title: str
    day: datetime.date
    kind: str
    people: int = 0


@dataclass(frozen=True)
class ActivityFacts:
    attended: tuple[ActivityLine, ...]
    hosted: tuple[ActivityLine, ...]

    @property
    def people(self) -> int:
        return sum(a.people for a in self.attended)


@dataclass(frozen=True)
class InteractionLine:
    day: datetime.date
    kind: str
    subject: str
    themes: tuple[str, ...]


@dataclass(frozen=True)
class PublicAffairsFacts:
    interactions: tuple[InteractionLine, ...]

    @property
    def themes(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for line in self.interactions:
            for theme in line.themes:
                seen.setdefault(theme, None)
        return tuple(seen)

    @property
    def work_visits(self) -> tuple[InteractionLine, ...]:
        return tuple(i for i in self.interactions if i.kind == "werkbezoek")


@dataclass(frozen=True)
class KnowledgeLine:
    title: str
    day: datetime.date


@dataclass(frozen=True)
class InvoiceLine:
    number: str
    fee_year: int
    issue_date: datetime.date
    is_credit: bool
    total: Decimal
    paid: Decimal


@dataclass(frozen=True)
class FinanceFacts:
    fee: Decimal | None
    fee_from_year: int | None
    owed_years: tuple[int, ...]
    # Years with (aspirant) membership but no day of definitive membership: free.
    free_years: tuple[int, ...]
    invoices: tuple[InvoiceLine, ...]

    @property
    def invoiced(self) -> Decimal:
        return sum((i.total for i in self.invoices), Decimal("0.00"))

    @property
    def paid(self) -> Decimal:
        return sum((i.paid for i in self.invoices if not i.is_credit), Decimal("0.00"))


@dataclass(frozen=True)
class PersonFacts:
    name: str
    function: str


@dataclass(frozen=True)
class MemoFacts:
    start: datetime.date
    end: datetime.date
    registry: RegistryFacts
    membership: MembershipFacts
    pillars: PillarFacts
    participation: tuple[BodyParticipation, ...]
    activities: ActivityFacts
    public_affairs: PublicAffairsFacts
    knowledge: tuple[KnowledgeLine, ...]
    finance: FinanceFacts
    # Who the platform proposes as portfolio holder (None: it knows no one).
    portfolio_holder: PersonFacts | None = None
    people: tuple[PersonFacts, ...] = field(default=())


def _default_start(member, end: datetime.date) -> datetime.date:
    """From the first decision of its dossier (or 1 January of ``end``'s year)."""
    dates = [d.decided_on for d in member.decisions.all()] if member is not None else []
    return min((d for d in dates if d <= end), default=datetime.date(end.year, 1, 1))


def _registry(municipality, end: datetime.date) -> RegistryFacts:
    # As known on the memo's date: a count of 1 January of a later year did not exist yet.
    counts = [c for c in municipality.population_counts.all() if c.year <= end.year]
    series = {c.year: c.inhabitants for c in counts}
    by_year = {c.year: c for c in counts}
    limits = BandLimits.from_settings()

    def population(year):
        if year is None or year not in by_year:
            return None
        count = by_year[year]
        return Population(count.year, count.inhabitants, count.source)

    return RegistryFacts(
        municipality_id=municipality.pk,
        name=municipality.name,
        code=municipality.code,
        band_min=limits.minimum,
        band_max=limits.maximum,
        latest=population(max(series, default=None)),
        entered_band=population(entered_band_year(series, limits)),
        first_known=population(min(series, default=None)),
        established_on=municipality.established_on,
        dissolved_on=municipality.dissolved_on,
    )


def _membership(member, end: datetime.date) -> tuple[MembershipFacts, rules.Dossier | None]:
    if member is None:
        return MembershipFacts(False, rules.Status.NONE, None, "", "", (), None), None
    dossier = membership.read_dossier(member)
    by_id = {d.pk: d for d in member.decisions.all()}
    used = rules.mandate_used(dossier)
    decisions = []
    for fact in rules.effective_facts(dossier.facts):
        if fact.decided_on > end:
            continue
        decision = by_id[fact.id]
        under = None
        if used is not None and used[0].id == fact.id:
            under = used[1].given_on
        decisions.append(
            DecisionFacts(
                kind=fact.kind,
                deciding_body=fact.deciding_body,
                decided_on=fact.decided_on,
                effective_on=fact.effective_on,
                announced_on=fact.announced_on,
                mandated_body=fact.mandated_body,
                mandate_deadline=fact.mandate_deadline,
                under_mandate_of=under,
                predecessor=(
                    decision.predecessor.municipality.name if decision.predecessor_id else ""
                ),
                document_title=decision.document_title,
            )
        )
    summary = rules.summarise(dossier, end)
    return (
        MembershipFacts(
            exists=True,
            status=summary.status,
            since=summary.since,
            listed_since=member.listed_since,
            listed_source=member.listed_source,
            decisions=tuple(decisions),
            mandate_deadline=summary.mandate.deadline if summary.mandate else None,
        ),
        dossier,
    )


def _participation(municipality_id: int, end: datetime.date) -> tuple[BodyParticipation, ...]:
    order = {value: index for index, value in enumerate(Category.values)}
    bodies: dict[tuple[bool, str], list[Participant]] = {}
    for item in pillars.participation_list(municipality_id=municipality_id, on=end):
        body = item.pillar or item.theme_group
        person = item.position.person
        bodies.setdefault((item.pillar_id is None, body.name), []).append(
            Participant(
                name=person.full_name,
                function=item.position.get_function_display(),
                category=item.category,
                role=item.role,
            )
        )
    return tuple(
        BodyParticipation(
            body=name,
            is_pillar=not is_group,
            participants=tuple(sorted(people, key=lambda p: (order[p.category], p.name))),
        )
        for (is_group, name), people in sorted(bodies.items())
    )


def _finance(member, dossier, start, end) -> FinanceFacts:
    fees = finance.fee_schedule()
    fee = finance_rules.fee_for(fees, end.year)
    fee_from = max((y for y, _amount in fees if y <= end.year), default=None)
    if dossier is None:
        return FinanceFacts(fee, fee_from, (), (), ())
    listed_year = int(member.listed_since[:4]) if member.listed_since[:4].isdigit() else None
    owed = finance_rules.owed_years(dossier, listed_from_year=listed_year, through_year=end.year)
    free = set()
    for period in rules.periods(dossier):
        if period.status != rules.Status.ASPIRANT or period.start is None:
            continue
        last = (period.end - datetime.timedelta(days=1)) if period.end else end
        for year in range(period.start.year, min(last, end).year + 1):
            if year not in owed:
                free.add(year)
    invoices = tuple(
        InvoiceLine(
            number=invoice.number,
            fee_year=invoice.fee_year,
            issue_date=invoice.issue_date,
            is_credit=invoice.kind == invoice.Kind.CREDIT_NOTE,
            total=-invoice.total if invoice.kind == invoice.Kind.CREDIT_NOTE else invoice.total,
            paid=invoice.paid_amount,
        )
        for invoice in finance.sent_invoices_of_membership(membership_id=member.pk, until=end)
    )
    return FinanceFacts(fee, fee_from, tuple(owed), tuple(sorted(free)), invoices)


def portfolio_holder_of(
    municipality_id: int, end: datetime.date
) -> tuple[PersonFacts | None, tuple]:
    """The portfolio holder the platform knows: a current mayor or alderman whose portfolio
    names the M50 (or network memberships), else the current mayor."""
    positions = [
        p
        for p in contacts.positions_at_municipality(municipality_id=municipality_id)
        if p.is_current(end)
    ]
    administrators = [p for p in positions if p.function in ("burgemeester", "wethouder")]
    named = [
        p
        for p in administrators
        if "m50" in p.portfolio.lower() or "netwerk" in p.portfolio.lower()
    ]
    mayors = [p for p in administrators if p.function == "burgemeester"]
    chosen = (named or mayors or [None])[0]
    people = tuple(
        PersonFacts(p.person.full_name, p.get_function_display()) for p in administrators
    )
    if chosen is None:
        return None, people
    return PersonFacts(chosen.person.full_name, chosen.get_function_display()), people


def memo_facts(
    *, municipality_code: str, end: datetime.date, start: datetime.date | None = None
) -> MemoFacts:
    """The facts of the memo about ``start``..``end`` (inclusive; ``start`` by default the
    first decision of the dossier); a fixed number of queries (about twenty), whatever the
    number of members, decisions or rows of the other apps."""
    municipality = registry.municipality_detail(code=municipality_code)
    member = membership.membership_detail(municipality_code=municipality.code)
    start = start or _default_start(member, end)
    membership_facts, dossier = _membership(member, end)
    generations = pillars.pillar_generations(on=end)
    attended = tuple(
        ActivityLine(
            title=row["activity__title"],
            # The day in the Netherlands, as the period is: 00:30 on 1 January is 1 January.
            day=timezone.localtime(row["activity__starts_at"]).date(),
            kind=row["activity__kind"],
            people=row["people"],
        )
        for row in activities.attendance_in_period(
            municipality_id=municipality.pk, start=start, end=end
        )
    )
    hosted = tuple(
        ActivityLine(title=a.title, day=timezone.localtime(a.starts_at).date(), kind=a.kind)
        for a in activities.hosted_in_period(municipality_id=municipality.pk, start=start, end=end)
    )
    interactions = tuple(
        InteractionLine(
            day=i.date,
            kind=i.kind,
            subject=i.subject,
            themes=tuple(t.name for t in i.themes.all()),
        )
        for i in publicaffairs.interactions_with_municipality(
            municipality_id=municipality.pk, start=start, end=end
        )
    )
    items = tuple(
        KnowledgeLine(title=item.title, day=item.date)
        for item in knowledge.published_items_of_municipality(
            municipality_id=municipality.pk, start=start, end=end
        )
    )
    holder, people = portfolio_holder_of(municipality.pk, end)
    return MemoFacts(
        start=start,
        end=end,
        registry=_registry(municipality, end),
        membership=membership_facts,
        pillars=PillarFacts(
            current=tuple(p.name for p in generations.current),
            former=tuple(p.name for p in generations.ended),
        ),
        participation=_participation(municipality.pk, end),
        activities=ActivityFacts(attended=attended, hosted=hosted),
        public_affairs=PublicAffairsFacts(interactions=interactions),
        knowledge=items,
        finance=_finance(member, dossier, start, end),
        portfolio_holder=holder,
        people=people,
    )


def is_running_member(facts: MemoFacts) -> bool:
    return facts.membership.status in rules.RUNNING
