"""A member's value report: what membership brought a municipality in a period, from the
same facts as the council memo, compared with the median member of its size."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from m50.activities import selectors as activities
from m50.core.formats import long_date
from m50.membership import rules
from m50.membership import selectors as membership
from m50.municipalities.models import Municipality
from m50.municipalities.selectors import latest_population
from m50.pillars import selectors as pillars
from m50.reports.memo import content
from m50.reports.memo.content import Section
from m50.reports.memo.facts import MemoFacts, memo_facts

SIZE_STEP = 10_000


@dataclass(frozen=True)
class Peers:
    low: int
    high: int
    count: int
    median_activities: float | None
    median_bodies: float | None
    own_activities: int
    own_bodies: int


@dataclass(frozen=True)
class ValueReport:
    title: str
    facts: MemoFacts
    sections: tuple[Section, ...]


def default_period(municipality_code: str, today: datetime.date) -> tuple:
    """The aspirant year while it runs (the mayor must decide before its end), otherwise the
    calendar year of ``today``."""
    member = membership.membership_detail(municipality_code=municipality_code)
    if member is not None:
        summary = membership.membership_summary(member, today)
        if summary.status == rules.Status.ASPIRANT and summary.trial_end and summary.since:
            return summary.since, summary.trial_end
    return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)


def _size_class(inhabitants: int | None) -> tuple[int, int] | None:
    if inhabitants is None:
        return None
    low = (inhabitants // SIZE_STEP) * SIZE_STEP
    return low, low + SIZE_STEP - 1


def peers(facts: MemoFacts, municipality_id: int) -> Peers | None:
    """The members (running on the period's last day) in the same 10,000-inhabitant class:
    medians of activities attended and of pillars and groups taken part in. Three queries."""
    size = _size_class(facts.registry.latest.inhabitants if facts.registry.latest else None)
    if size is None:
        return None
    running = membership.running_municipality_ids(on=facts.end)
    rows = (
        Municipality.objects.filter(pk__in=running)
        .annotate(inhabitants=latest_population("inhabitants"))
        .filter(Q(inhabitants__gte=size[0]) & Q(inhabitants__lte=size[1]))
        .values_list("pk", flat=True)
    )
    ids = set(rows) | {municipality_id}
    attended = activities.attended_counts_by_municipality(start=facts.start, end=facts.end)
    bodies = pillars.participation_counts(on=facts.end)
    own_activities = len(facts.activities.attended)
    own_bodies = len(facts.participation)
    return Peers(
        low=size[0],
        high=size[1],
        count=len(ids),
        median_activities=statistics.median(attended.get(i, 0) for i in ids),
        median_bodies=statistics.median(len(bodies.get(i, {})) for i in ids),
        own_activities=own_activities,
        own_bodies=own_bodies,
    )


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def value_report(*, municipality_code: str, start: datetime.date, end: datetime.date):
    facts = memo_facts(municipality_code=municipality_code, start=start, end=end)
    name = facts.registry.name
    member = facts.membership
    decisions = [content.decision_sentence(d) for d in member.decisions]
    status = _("Op %(day)s: %(status)s.") % {
        "day": long_date(end),
        "status": rules.STATUS_LABELS[member.status],
    }
    if member.mandate_deadline:
        status += " " + _(
            "Over definitief lidmaatschap moet uiterlijk %(day)s worden besloten."
        ) % {"day": long_date(member.mandate_deadline)}
    finance = content.finance_paragraphs(facts, content.MemoInput())
    summary = content.summary_paragraphs(facts)
    visits = facts.public_affairs.work_visits
    visit_text = (
        _("Werkbezoeken aan %(name)s: %(items)s.")
        % {
            "name": name,
            "items": "; ".join(f"{v.subject}, {long_date(v.day)}" for v in visits),
        }
        if visits
        else _("Werkbezoeken aan %(name)s: %(nothing)s.")
        % {"name": name, "nothing": content.NOTHING}
    )
    found = peers(facts, facts.registry.municipality_id)
    if found is None:
        comparison = _("Vergelijking met leden van dezelfde grootte: geen inwonertal bekend.")
    else:
        comparison = _(
            "Vergeleken met de %(count)d leden met %(low)s tot %(high)s inwoners (mediaan): "
            "activiteiten bijgewoond %(own_a)d, mediaan %(med_a)s; pijlers en themagroepen "
            "met deelname %(own_b)d, mediaan %(med_b)s."
        ) % {
            "count": found.count,
            "low": content.inhabitants(found.low),
            "high": content.inhabitants(found.high),
            "own_a": found.own_activities,
            "med_a": _number(found.median_activities),
            "own_b": found.own_bodies,
            "med_b": _number(found.median_bodies),
        }
    sections = (
        Section(_("Besluiten en termijnen"), (*decisions, status)),
        Section(_("Kosten"), finance[:-1]),
        Section(_("Wat het lidmaatschap bracht"), (*summary, visit_text)),
        Section(_("Vergelijking"), (comparison,)),
    )
    title = _("Wat het M50 %(name)s bracht, %(period)s") % {
        "name": name,
        "period": content.period_text(facts),
    }
    return ValueReport(title=title, facts=facts, sections=sections)
