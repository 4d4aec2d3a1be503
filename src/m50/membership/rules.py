"""The rules of membership: status derivation and the consistency of a dossier.

Pure functions over :class:`Fact` records (a decision reduced to what the rules read), so
the rules are the same for pages, API, commands and property-based tests, and need no
database. Services turn decisions into facts and call :func:`check_dossier` before writing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from m50.core.formats import long_date
from m50.membership.models import DecidingBody, DecisionKind, body_phrase


class Status(StrEnum):
    NONE = "none"
    ASPIRANT = "aspirant"
    MEMBER = "member"
    TERMINATED = "terminated"


STATUS_LABELS = {
    Status.NONE: gettext_lazy("geen lid"),
    Status.ASPIRANT: gettext_lazy("aspirant-lid"),
    Status.MEMBER: gettext_lazy("lid"),
    Status.TERMINATED: gettext_lazy("beëindigd"),
}

# Bodies that decide on membership on their own authority; any other needs a mandate.
OWN_AUTHORITY = frozenset({DecidingBody.COLLEGE, DecidingBody.COUNCIL})
RUNNING = frozenset({Status.ASPIRANT, Status.MEMBER})


@dataclass(frozen=True)
class Fact:
    id: int
    kind: str
    deciding_body: str
    decided_on: datetime.date
    effective_on: datetime.date
    announced_on: datetime.date | None = None
    mandated_body: str = ""
    mandate_deadline: datetime.date | None = None
    corrects: int | None = None
    # For a succession: the status the predecessor had the day before the merger.
    continues_status: Status | None = None


@dataclass(frozen=True)
class Dossier:
    facts: tuple[Fact, ...] = ()
    # Known from a published member list only (e.g. "2023-04"), without decisions.
    listed: bool = False
    dissolved_on: datetime.date | None = None


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    fact_id: int | None = None
    # The field the problem is about, where the code alone does not say (a date window).
    field: str = ""


@dataclass(frozen=True)
class Mandate:
    body: str
    given_on: datetime.date
    deadline: datetime.date
    fact_id: int


@dataclass(frozen=True)
class Period:
    status: Status
    start: datetime.date | None
    end: datetime.date | None  # first day no longer in this status; None: still running
    fact_id: int | None = None


def add_one_year(day: datetime.date) -> datetime.date:
    """The same date a year later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def default_mandate_deadline(decided_on: datetime.date) -> datetime.date:
    return add_one_year(decided_on)


def default_termination_date(decided_on: datetime.date) -> datetime.date:
    """A termination takes effect at the end of the calendar year: the member's last day is
    31 December, so from 1 January of the next year it is no longer a member."""
    return datetime.date(decided_on.year + 1, 1, 1)


def sort_key(fact: Fact):
    return (fact.effective_on, fact.decided_on, fact.id)


def effective_facts(facts: Iterable[Fact]) -> list[Fact]:
    """The facts that count: corrected ones replaced, withdrawn ones and withdrawals gone."""
    facts = list(facts)
    corrected = {fact.corrects for fact in facts if fact.corrects is not None}
    return sorted(
        (f for f in facts if f.id not in corrected and f.kind != DecisionKind.WITHDRAWAL),
        key=sort_key,
    )


def _apply(status: Status, fact: Fact) -> Status:
    if fact.kind == DecisionKind.ASPIRANT:
        return Status.ASPIRANT
    if fact.kind == DecisionKind.DEFINITIVE:
        return Status.MEMBER
    if fact.kind == DecisionKind.TERMINATION:
        return Status.TERMINATED
    if fact.kind == DecisionKind.SUCCESSION:
        return fact.continues_status or Status.MEMBER
    return status  # a mandate changes no status


def periods(dossier: Dossier) -> list[Period]:
    """The statuses the membership went through, oldest first."""
    status = Status.MEMBER if dossier.listed else Status.NONE
    result: list[Period] = [Period(status, None, None)] if dossier.listed else []
    for fact in effective_facts(dossier.facts):
        new = _apply(status, fact)
        if new == status:
            continue
        if result:
            result[-1] = replace(result[-1], end=fact.effective_on)
        result.append(Period(new, fact.effective_on, None, fact.id))
        status = new
    if dossier.dissolved_on:
        # Nothing counts from the day the municipality no longer exists (a decision dated
        # after it is refused, but the end date may be learnt after the decisions).
        dissolved = dossier.dissolved_on
        result = [p for p in result if p.start is None or p.start < dissolved]
        if result:
            result[-1] = replace(result[-1], end=None)
            if result[-1].status in RUNNING:
                result[-1] = replace(result[-1], end=dissolved)
                result.append(Period(Status.TERMINATED, dissolved, None))
    return result


def status_on(dossier: Dossier, day: datetime.date) -> Status:
    return period_on(dossier, day).status


def period_on(dossier: Dossier, day: datetime.date) -> Period:
    current = Period(Status.NONE, None, None)
    for period in periods(dossier):
        if period.start is None or period.start <= day:
            current = period
        else:
            break
    return current


def mandates(dossier: Dossier) -> list[Mandate]:
    return [
        Mandate(f.mandated_body, f.decided_on, f.mandate_deadline, f.id)
        for f in effective_facts(dossier.facts)
        if f.kind in (DecisionKind.ASPIRANT, DecisionKind.MANDATE)
        and f.mandated_body
        and f.mandate_deadline
    ]


def running_mandate(dossier: Dossier, day: datetime.date) -> Mandate | None:
    """The latest mandate of the aspirant period that ``day`` falls in, if any."""
    period = period_on(dossier, day)
    if period.status != Status.ASPIRANT:
        return None
    given = [m for m in mandates(dossier) if period.start is None or m.given_on >= period.start]
    given = [m for m in given if m.given_on <= day]
    return max(given, key=lambda m: (m.given_on, m.fact_id), default=None)


def trial_end(dossier: Dossier, day: datetime.date) -> datetime.date | None:
    """The last day of the aspirant year that ``day`` falls in (one year after the aspirant
    decision), whether or not a mandate was given; None outside an aspirant period."""
    return _period_trial_end(dossier, period_on(dossier, day))


@dataclass(frozen=True)
class Segment:
    """A stretch of days on which status, running mandate and aspirant year stay the same:
    a status period, split where a mandate is given during it. What the membership
    projection stores, so that "the status on a day" is one indexed row, not a recomputation
    of the dossier. ``since`` and ``fact_id`` are those of the whole status period."""

    status: Status
    start: datetime.date | None
    end: datetime.date | None  # first day no longer in this segment; None: still running
    since: datetime.date | None
    fact_id: int | None
    mandate: Mandate | None = None
    trial_end: datetime.date | None = None


def _period_trial_end(dossier: Dossier, period: Period) -> datetime.date | None:
    if period.status != Status.ASPIRANT or period.start is None:
        return None
    fact = next((f for f in dossier.facts if f.id == period.fact_id), None)
    if fact is not None and fact.kind == DecisionKind.ASPIRANT:
        return add_one_year(fact.decided_on)
    return add_one_year(period.start)


def segments(dossier: Dossier) -> list[Segment]:
    """The dossier as segments, oldest first: on every day, the segment that contains it
    gives what :func:`summarise` derives for that day (a property test holds them equal)."""
    result: list[Segment] = []
    given_all = mandates(dossier)
    for period in periods(dossier):
        trial = _period_trial_end(dossier, period)
        if period.status != Status.ASPIRANT:
            result.append(
                Segment(period.status, period.start, period.end, period.start, period.fact_id)
            )
            continue
        # As running_mandate reads it: given within the period, on or before the day.
        given = [
            m
            for m in given_all
            if (period.start is None or m.given_on >= period.start)
            and (period.end is None or m.given_on < period.end)
        ]
        starts = sorted(
            {period.start, *(m.given_on for m in given if m.given_on != period.start)},
            key=lambda day: (day is not None, day),
        )
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else period.end
            running = max(
                (m for m in given if start is not None and m.given_on <= start),
                key=lambda m: (m.given_on, m.fact_id),
                default=None,
            )
            result.append(
                Segment(period.status, start, end, period.start, period.fact_id, running, trial)
            )
    return result


def segment_on(items: Sequence[Segment], day: datetime.date) -> Segment | None:
    for item in items:
        if (item.start is None or item.start <= day) and (item.end is None or day < item.end):
            return item
    return None


def summary_of_segment(
    item: Segment | None, today: datetime.date, *, listed_only: bool = False
) -> Summary:
    """The summary of ``today`` from the segment that contains it (None: no status), without
    the dossier's history and used mandate, which only the dossier itself can give."""
    if item is None:
        return Summary(Status.NONE, None, False, None, False, None)
    mandate = item.mandate
    return Summary(
        status=item.status,
        since=item.since,
        listed_only=listed_only,
        mandate=mandate,
        mandate_expired=mandate is not None and mandate.deadline < today,
        days_left=(mandate.deadline - today).days if mandate else None,
        trial_end=item.trial_end,
        trial_days_left=(item.trial_end - today).days if item.trial_end else None,
    )


def mandate_expired(dossier: Dossier, today: datetime.date) -> bool:
    """An aspirant whose mandate ran out without a definitive decision: "mandaat verlopen"."""
    mandate = running_mandate(dossier, today)
    return mandate is not None and mandate.deadline < today


def definitive_fact(dossier: Dossier) -> Fact | None:
    facts = [f for f in effective_facts(dossier.facts) if f.kind == DecisionKind.DEFINITIVE]
    return facts[-1] if facts else None


def mandate_used(dossier: Dossier) -> tuple[Fact, Mandate] | None:
    """The definitive decision taken under a mandate, with that mandate."""
    fact = definitive_fact(dossier)
    if fact is None or fact.deciding_body in OWN_AUTHORITY:
        return None
    mandate = _mandate_for(dossier.facts, fact)
    return (fact, mandate) if mandate else None


def _mandate_for(facts: Sequence[Fact], fact: Fact) -> Mandate | None:
    candidates = [
        m
        for m in mandates(Dossier(tuple(facts)))
        if m.body == fact.deciding_body and m.given_on <= fact.decided_on <= m.deadline
    ]
    return max(candidates, key=lambda m: (m.given_on, m.fact_id), default=None)


def check_dossier(dossier: Dossier, *, direct_entry_allowed: bool = False) -> list[Problem]:
    """Every way in which the dossier contradicts itself, in the order of its decisions."""
    problems: list[Problem] = []
    facts = list(dossier.facts)
    ids = {f.id for f in facts}
    for fact in facts:
        if fact.corrects is not None and fact.corrects not in ids:
            problems.append(
                Problem("unknown_correction", _("Het gecorrigeerde besluit bestaat niet."), fact.id)
            )
        if fact.kind == DecisionKind.WITHDRAWAL and fact.corrects is None:
            problems.append(
                Problem(
                    "withdrawal_without_decision",
                    _("Een intrekking noemt het besluit dat zij intrekt."),
                    fact.id,
                )
            )
    status = Status.MEMBER if dossier.listed else Status.NONE
    previous: Fact | None = None
    seen: list[Fact] = []
    for fact in effective_facts(facts):
        problems.extend(_check_fact(fact, status, previous, seen, dossier, direct_entry_allowed))
        status = _apply(status, fact)
        previous = fact
        seen.append(fact)
    return problems


def _check_fact(fact, status, previous, seen, dossier, direct_entry_allowed) -> list[Problem]:
    problems = []

    def refuse(code, message):
        problems.append(Problem(code, message, fact.id))

    # A succession takes effect on the merger date, also when the board records it later.
    if fact.effective_on < fact.decided_on and fact.kind != DecisionKind.SUCCESSION:
        refuse(
            "effective_before_decided",
            _("Een besluit kan niet ingaan vóór de datum waarop het is genomen."),
        )
    if fact.announced_on and fact.announced_on < fact.decided_on:
        refuse(
            "announced_before_decided",
            _("Een besluit kan niet bekendgemaakt zijn vóór de datum waarop het is genomen."),
        )
    if previous is not None and fact.decided_on < previous.decided_on:
        refuse(
            "dated_before_previous",
            _("Dit besluit is gedateerd vóór het besluit dat eraan voorafgaat (%(date)s).")
            % {"date": long_date(previous.decided_on)},
        )
    if dossier.dissolved_on and fact.effective_on >= dossier.dissolved_on:
        refuse("municipality_dissolved", _("De gemeente is op die datum al opgeheven."))

    kind = fact.kind
    if kind in (DecisionKind.ASPIRANT, DecisionKind.MANDATE):
        if fact.deciding_body not in OWN_AUTHORITY:
            refuse(
                "body_not_competent",
                _("Over aspirant-lidmaatschap en mandaat besluit het college (of de raad)."),
            )
        if fact.mandated_body and not fact.mandate_deadline:
            refuse("mandate_without_deadline", _("Een mandaat heeft een uiterste datum."))
        if fact.mandate_deadline and fact.mandate_deadline < fact.decided_on:
            refuse(
                "mandate_deadline_in_past",
                _("De uiterste datum van het mandaat ligt vóór het besluit."),
            )
    if kind == DecisionKind.ASPIRANT:
        if status == Status.ASPIRANT:
            refuse(
                "aspirant_while_running",
                _("Er loopt al een aspirant-lidmaatschap; een tweede kan niet tegelijk lopen."),
            )
        elif status == Status.MEMBER:
            refuse("already_member", _("De gemeente is al lid."))
    elif kind == DecisionKind.MANDATE:
        if not fact.mandated_body:
            refuse("mandate_without_body", _("Een mandaatbesluit noemt wie gemandateerd wordt."))
        if status != Status.ASPIRANT:
            refuse(
                "mandate_without_aspirant",
                _(
                    "Een mandaat voor definitief lidmaatschap kan alleen tijdens een "
                    "aspirant-lidmaatschap."
                ),
            )
    elif kind == DecisionKind.DEFINITIVE:
        if status == Status.MEMBER:
            refuse("already_member", _("De gemeente is al lid."))
        elif status != Status.ASPIRANT and not direct_entry_allowed:
            refuse(
                "definitive_without_aspirant",
                _(
                    "Definitief lidmaatschap volgt op een aspirant-lidmaatschap; direct "
                    "toetreden staat de netwerkregeling niet toe."
                ),
            )
        if fact.deciding_body not in OWN_AUTHORITY:
            problems.extend(_check_mandate(fact, seen))
    elif kind == DecisionKind.TERMINATION:
        if status not in RUNNING:
            refuse(
                "not_a_member", _("Alleen een lopend (aspirant-)lidmaatschap kan worden opgezegd.")
            )
        if fact.deciding_body == DecidingBody.MAYOR:
            refuse(
                "body_not_competent",
                _("Over opzegging besluit het college, de raad of het bestuur van het M50."),
            )
    elif kind == DecisionKind.SUCCESSION:
        if status in RUNNING:
            refuse("already_member", _("De gemeente is al lid."))
        if fact.continues_status not in RUNNING:
            refuse(
                "nothing_to_continue",
                _("De voorganger was op de dag van de herindeling geen (aspirant-)lid."),
            )
    return problems


def _check_mandate(fact: Fact, seen: list[Fact]) -> list[Problem]:
    given = [m for m in mandates(Dossier(tuple(seen))) if m.body == fact.deciding_body]
    if not given:
        return [
            Problem(
                "no_mandate",
                _(
                    "%(body)s heeft geen mandaat om over definitief lidmaatschap te "
                    "besluiten; het college kan dat wel zelf."
                )
                % {"body": capfirst(body_phrase(fact.deciding_body))},
                fact.id,
            )
        ]
    if any(m.given_on <= fact.decided_on <= m.deadline for m in given):
        return []
    last = max(given, key=lambda m: m.deadline)
    return [
        Problem(
            "mandate_expired",
            _(
                "Het mandaat liep tot en met %(deadline)s; na die datum kan alleen het "
                "college zelf nog besluiten."
            )
            % {"deadline": long_date(last.deadline)},
            fact.id,
        )
    ]


@dataclass(frozen=True)
class DateWindow:
    """The dates a decision can plausibly carry: not before the network existed, not before
    the municipality existed, not more than a year ahead of today."""

    founded: datetime.date
    today: datetime.date
    established_on: datetime.date | None = None

    @property
    def latest(self) -> datetime.date:
        return add_one_year(self.today)


DATE_FIELD_LABELS = {
    "decided_on": gettext_lazy("De besluitdatum"),
    "effective_on": gettext_lazy("De ingangsdatum"),
    "announced_on": gettext_lazy("De datum van bekendmaking"),
}


def check_dates(fact: Fact, window: DateWindow) -> list[Problem]:
    """The dates of ``fact`` that lie outside ``window``: a typing error such as 1800 would be
    shown publicly, and one in 2031 would put every later decision "before" it."""
    if fact.kind == DecisionKind.WITHDRAWAL:
        return []  # repeats the dates of the decision it withdraws, which may be such an error
    problems = []
    reported = set()
    for name in ("decided_on", "effective_on", "announced_on"):
        day = getattr(fact, name)
        if day is None or day in reported:
            continue  # an effective date that defaulted to the decision date: said once
        count = len(problems)
        label = DATE_FIELD_LABELS[name]
        latest = window.latest
        if name == "effective_on" and fact.kind == DecisionKind.TERMINATION:
            # A termination takes effect at the end of a year, so up to a year after it.
            latest = max(latest, default_termination_date(min(fact.decided_on, latest)))
        if day < window.founded:
            problems.append(
                Problem(
                    "date_before_network",
                    _("%(field)s (%(date)s) ligt vóór het ontstaan van het netwerk (%(founded)s).")
                    % {
                        "field": label,
                        "date": long_date(day),
                        "founded": long_date(window.founded),
                    },
                    fact.id,
                    name,
                )
            )
        elif window.established_on and day < window.established_on:
            problems.append(
                Problem(
                    "date_before_municipality",
                    _(
                        "%(field)s (%(date)s) ligt vóór het ontstaan van de gemeente "
                        "(%(established)s)."
                    )
                    % {
                        "field": label,
                        "date": long_date(day),
                        "established": long_date(window.established_on),
                    },
                    fact.id,
                    name,
                )
            )
        elif day > latest:
            problems.append(
                Problem(
                    "date_too_far_ahead",
                    _(
                        "%(field)s (%(date)s) ligt meer dan een jaar in de toekomst; "
                        "uiterlijk %(latest)s kan."
                    )
                    % {"field": label, "date": long_date(day), "latest": long_date(latest)},
                    fact.id,
                    name,
                )
            )
        if len(problems) > count:
            reported.add(day)
    return problems


@dataclass
class Summary:
    status: Status
    since: datetime.date | None
    listed_only: bool
    mandate: Mandate | None
    mandate_expired: bool
    days_left: int | None
    used: tuple[Fact, Mandate] | None = None
    history: list[Period] = field(default_factory=list)
    # The end of the aspirant year (aspirants only), and the days until it (negative: past).
    trial_end: datetime.date | None = None
    trial_days_left: int | None = None

    @property
    def trial_over(self) -> bool:
        return self.trial_days_left is not None and self.trial_days_left < 0


def summarise(dossier: Dossier, today: datetime.date) -> Summary:
    period = period_on(dossier, today)
    mandate = running_mandate(dossier, today)
    trial = trial_end(dossier, today)
    return Summary(
        status=period.status,
        since=period.start,
        listed_only=dossier.listed and not dossier.facts,
        mandate=mandate,
        mandate_expired=mandate is not None and mandate.deadline < today,
        days_left=(mandate.deadline - today).days if mandate else None,
        used=mandate_used(dossier),
        history=periods(dossier),
        trial_end=trial,
        trial_days_left=(trial - today).days if trial else None,
    )
