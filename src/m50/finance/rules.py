"""What a membership owes, derived from its decisions: pure functions, no database."""

from __future__ import annotations

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

from m50.membership import rules as membership_rules

CENT = Decimal("0.01")


def member_days_by_year(
    dossier: membership_rules.Dossier, *, listed_from_year: int | None, through_year: int
) -> dict[int, int]:
    """Days of definitive membership per calendar year, up to ``through_year``.

    A member known only from a list (no decision dates) counts as a member from 1 January of
    the list's year: that is the first year it can be shown to owe.
    """
    return member_days_in_periods(
        membership_rules.periods(dossier),
        listed_from_year=listed_from_year,
        through_year=through_year,
    )


def member_days_in_periods(
    periods, *, listed_from_year: int | None, through_year: int
) -> dict[int, int]:
    """:func:`member_days_by_year` of status periods (or stored segments) already derived."""
    days: dict[int, int] = {}
    for period in periods:
        if period.status != membership_rules.Status.MEMBER:
            continue
        if period.start is not None:
            start = period.start
        elif listed_from_year is not None:
            start = datetime.date(listed_from_year, 1, 1)
        else:
            continue
        last = (period.end - datetime.timedelta(days=1)) if period.end else None
        last = (
            min(last, datetime.date(through_year, 12, 31))
            if last
            else datetime.date(through_year, 12, 31)
        )
        for year in range(start.year, last.year + 1):
            first_day = max(start, datetime.date(year, 1, 1))
            last_day = min(last, datetime.date(year, 12, 31))
            if last_day >= first_day:
                days[year] = days.get(year, 0) + (last_day - first_day).days + 1
    return days


def owed_years(dossier, *, listed_from_year: int | None, through_year: int) -> list[int]:
    """Every year in which the membership was definitive on at least one day. A year of
    aspirant membership only is never owed; the year in which a membership ends is owed."""
    return sorted(
        year
        for year, count in member_days_by_year(
            dossier, listed_from_year=listed_from_year, through_year=through_year
        ).items()
        if count > 0
    )


def amount_owed(
    *, fee: Decimal, year: int, member_days: int, entry_year: bool, pro_rata: bool
) -> Decimal:
    """The contribution for ``year``: in full, or pro rata for the year of entry if set."""
    if not (pro_rata and entry_year):
        return fee.quantize(CENT)
    days_in_year = 366 if calendar.isleap(year) else 365
    return (fee * member_days / days_in_year).quantize(CENT, rounding=ROUND_HALF_UP)


def fee_for(fees: list[tuple[int, Decimal]], year: int) -> Decimal | None:
    """The fee of the latest schedule row that is valid in ``year``; None before the first."""
    valid = [(from_year, amount) for from_year, amount in fees if from_year <= year]
    return max(valid)[1] if valid else None
