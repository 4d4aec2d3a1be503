"""The eligibility rules as pure functions: no database, no settings beyond the band."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from m50.municipalities.eligibility import (
    Band,
    BandLimits,
    annual_growth_rate,
    entered_band_recently,
    entered_band_year,
    forecast_entry_year,
    latest,
)

BAND = BandLimits(30_000, 80_000)
DIEMEN = {2019: 29_196, 2020: 30_780, 2021: 31_334, 2022: 31_822, 2023: 32_785, 2024: 32_977}


@pytest.mark.parametrize(
    ("inhabitants", "band"),
    [
        (0, Band.BELOW),
        (29_999, Band.BELOW),
        (30_000, Band.IN),
        (55_000, Band.IN),
        (80_000, Band.IN),
        (80_001, Band.ABOVE),
        (None, None),
    ],
)
def test_band_edges_are_inclusive(inhabitants, band):
    assert BAND.classify(inhabitants) is band
    assert BAND.contains(inhabitants) is (band is Band.IN)


def test_the_band_comes_from_the_settings(settings):
    settings.M50_BAND_MIN, settings.M50_BAND_MAX = 25_000, 100_000
    limits = BandLimits.from_settings()
    assert limits == BandLimits(25_000, 100_000)
    assert limits.contains(25_000) and not limits.contains(24_999)


def test_latest():
    assert latest(DIEMEN) == (2024, 32_977)
    assert latest({}) is None


def test_diemen_entered_the_band_in_2020():
    assert entered_band_year(DIEMEN, BAND) == 2020
    assert entered_band_recently(DIEMEN, BAND, within_years=5) == 2020


def test_entered_band_year_takes_the_last_entry():
    # In, out, in again: the entry that counts is the one it has stayed in since.
    series = {2019: 30_500, 2020: 29_900, 2021: 30_100, 2022: 30_400}
    assert entered_band_year(series, BAND) == 2021


@pytest.mark.parametrize(
    "series",
    [
        pytest.param({2019: 40_000, 2024: 45_000}, id="in the band since the first year"),
        pytest.param({2019: 31_000, 2024: 29_000}, id="left the band"),
        pytest.param({2019: 79_000, 2024: 80_001}, id="grew out of it"),
        pytest.param({}, id="no data"),
    ],
)
def test_no_entry_year(series):
    assert entered_band_year(series, BAND) is None
    assert entered_band_recently(series, BAND, within_years=5) is None


def test_the_recent_window_counts_back_from_the_latest_year():
    assert entered_band_recently(DIEMEN, BAND, within_years=5) == 2020  # 2020..2024
    assert entered_band_recently(DIEMEN, BAND, within_years=4) is None  # 2021..2024
    # An entry in the first year after a long history is not recent.
    old_entry = {2010: 29_000, 2011: 30_100, 2024: 35_000}
    assert entered_band_year(old_entry, BAND) == 2011
    assert entered_band_recently(old_entry, BAND, within_years=5) is None


def test_annual_growth_rate_is_compound():
    assert annual_growth_rate({2019: 10_000, 2021: 12_100}) == pytest.approx(0.10)
    assert annual_growth_rate({2024: 10_000}) is None
    assert annual_growth_rate({2019: 0, 2024: 10}) is None


def test_forecast_of_a_municipality_growing_towards_the_band():
    # 2 % a year: 28,560 (2023), 29,131 (2024), 29,714 (2025), 30,308 (2026).
    series = {2022: 28_000, 2023: 28_560}
    assert forecast_entry_year(series, BAND) == 2026
    # Slow growth takes long: 0.1 % a year from 29,029 needs 33 years.
    assert forecast_entry_year({2023: 29_000, 2024: 29_029}, BAND) == 2024 + 33


def test_forecast_is_at_least_one_year_ahead():
    assert forecast_entry_year({2023: 29_000, 2024: 29_990}, BAND) == 2025


@pytest.mark.parametrize(
    "series",
    [
        pytest.param({2019: 29_000, 2024: 29_000}, id="no growth"),
        pytest.param({2019: 29_500, 2024: 29_000}, id="shrinking"),
        pytest.param({2024: 29_000}, id="one year only"),
        pytest.param(DIEMEN, id="already in the band"),
        pytest.param({2019: 85_000, 2024: 90_000}, id="above the band"),
        pytest.param({}, id="no data"),
    ],
)
def test_no_forecast(series):
    assert forecast_entry_year(series, BAND) is None


# --- Properties -------------------------------------------------------------------------------

populations = st.integers(min_value=1, max_value=200_000)
series_strategy = st.dictionaries(
    st.integers(min_value=2000, max_value=2040), populations, min_size=1, max_size=12
)


@given(series_strategy)
def test_the_entry_year_starts_an_unbroken_stay_in_the_band(series):
    entry = entered_band_year(series, BAND)
    years = sorted(series)
    if entry is None:
        # Either not in the band now, or in it for the whole known series.
        assert not BAND.contains(series[years[-1]]) or all(BAND.contains(series[y]) for y in years)
        return
    assert entry in series and entry != years[0]
    assert all(BAND.contains(series[y]) for y in years if y >= entry)
    previous = max(y for y in years if y < entry)
    assert not BAND.contains(series[previous])


@given(series_strategy, st.integers(min_value=1, max_value=10))
def test_a_recent_entry_is_an_entry_within_the_window(series, within_years):
    recent = entered_band_recently(series, BAND, within_years=within_years)
    entry = entered_band_year(series, BAND)
    if recent is not None:
        assert recent == entry
        assert max(series) - within_years < recent <= max(series)
    elif entry is not None:
        assert entry <= max(series) - within_years


@given(
    start=st.integers(min_value=1_000, max_value=29_999),
    growth=st.floats(min_value=0.001, max_value=0.5),
    span=st.integers(min_value=1, max_value=10),
)
def test_the_forecast_year_is_the_first_year_the_trend_reaches_the_band(start, growth, span):
    last = round(start * (1 + growth) ** span)
    series = {2024 - span: start, 2024: last}
    forecast = forecast_entry_year(series, BAND)
    if BAND.classify(last) is not Band.BELOW:
        assert forecast is None
        return
    rate = annual_growth_rate(series)
    assert forecast is not None and forecast > 2024
    # At the forecast year the trend has reached the band; a year earlier it had not.
    assert last * (1 + rate) ** (forecast - 2024) >= BAND.minimum * (1 - 1e-9)
    if forecast - 1 > 2024:
        assert last * (1 + rate) ** (forecast - 1 - 2024) < BAND.minimum
    assert not math.isnan(rate)
