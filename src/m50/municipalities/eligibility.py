"""Eligibility for the M50: the population band and how municipalities move through it.

Pure functions over a population series ``{year: inhabitants}`` so that the rules are
testable without a database and used alike by pages, API and reports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings


class Band(StrEnum):
    BELOW = "below"
    IN = "in"
    ABOVE = "above"


@dataclass(frozen=True)
class BandLimits:
    minimum: int
    maximum: int

    @classmethod
    def from_settings(cls) -> BandLimits:
        return cls(settings.M50_BAND_MIN, settings.M50_BAND_MAX)

    def classify(self, inhabitants: int | None) -> Band | None:
        if inhabitants is None:
            return None
        if inhabitants < self.minimum:
            return Band.BELOW
        if inhabitants > self.maximum:
            return Band.ABOVE
        return Band.IN

    def contains(self, inhabitants: int | None) -> bool:
        return self.classify(inhabitants) is Band.IN


def latest(series: dict[int, int]) -> tuple[int, int] | None:
    """The latest (year, inhabitants) of a series, or None for an empty one."""
    if not series:
        return None
    year = max(series)
    return year, series[year]


def entered_band_year(series: dict[int, int], limits: BandLimits) -> int | None:
    """The year of 1 January on which the municipality last came into the band and stayed.

    None when it is not in the band now, or has been in it since its first known year (it did
    not enter within the data).
    """
    years = sorted(series)
    if not years or not limits.contains(series[years[-1]]):
        return None
    for index in range(len(years) - 1, 0, -1):
        year, previous = years[index], years[index - 1]
        if not limits.contains(series[previous]):
            return year
    return None


def entered_band_recently(
    series: dict[int, int], limits: BandLimits, *, within_years: int
) -> int | None:
    """The entry year if it lies within the last ``within_years`` years of the series."""
    entry = entered_band_year(series, limits)
    if entry is None:
        return None
    last_year = max(series)
    return entry if entry > last_year - within_years else None


def annual_growth_rate(series: dict[int, int]) -> float | None:
    """Compound annual growth over the whole known series; None with fewer than two years."""
    years = sorted(series)
    if len(years) < 2 or series[years[0]] <= 0:
        return None
    span = years[-1] - years[0]
    return (series[years[-1]] / series[years[0]]) ** (1 / span) - 1


def forecast_entry_year(series: dict[int, int], limits: BandLimits) -> int | None:
    """The first 1 January on which a municipality below the band reaches it at its trend.

    Uses the compound growth of the known series; None when it is not below the band or is
    not growing.
    """
    last = latest(series)
    if last is None or limits.classify(last[1]) is not Band.BELOW:
        return None
    growth = annual_growth_rate(series)
    if growth is None or growth <= 0:
        return None
    last_year, inhabitants = last
    years_needed = math.log(limits.minimum / inhabitants) / math.log(1 + growth)
    return last_year + max(1, math.ceil(years_needed - 1e-9))
