"""Server-rendered charts: the geometry of an inline SVG, computed in Python.

The template only copies the numbers into SVG elements, so the chart works without
JavaScript and is the same for every browser and for the tests. Coordinates are handed
over as strings: Django would otherwise localise a float (``12,5`` in Dutch) and break
the SVG.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from m50.municipalities.eligibility import BandLimits

# The width of a digit in the chart's 14px bold labels, in SVG units (a generous estimate).
CHAR_WIDTH = 8.4


def _fmt(value: float) -> str:
    """An SVG coordinate: a plain decimal with a dot, at most one decimal."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def format_count(value: int) -> str:
    """A whole number with the thousands separator of the active language (30.000)."""
    return number_format(value, decimal_pos=0, force_grouping=True)


def nice_step(span: float, target_ticks: int = 5) -> int:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about the target ticks."""
    if span <= 0:
        return 1
    raw = span / target_ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step >= raw:
            return max(1, int(step))
    return max(1, int(10 * magnitude))  # pragma: no cover - the loop always returns


@dataclass(frozen=True)
class Bar:
    year: int
    value: int
    x: str
    y: str
    width: str
    height: str
    label_x: str
    value_label_y: str
    year_label_y: str
    value_label: str


@dataclass(frozen=True)
class Tick:
    y: str
    label: str


@dataclass(frozen=True)
class ReferenceLine:
    y: str
    label: str = ""
    value_label: str = ""
    label_y: str = ""
    value_label_y: str = ""


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_left: str
    plot_right: str
    plot_top: str
    plot_bottom: str
    plot_width: str
    tick_label_x: str
    label_x: str
    y_axis_title_x: str
    y_axis_title_y: str
    x_axis_title_x: str
    x_axis_title_y: str
    band_top: str
    band_height: str
    title: str
    description: str
    compact: bool
    y_axis_title: str
    x_axis_title: str
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    reference_lines: list[ReferenceLine] = field(default_factory=list)


def describe_trend(name: str, series: dict[int, int], limits: BandLimits) -> str:
    """One or two Dutch sentences that say what the chart shows, for ``<desc>``."""
    years = sorted(series)
    first_year, last_year = years[0], years[-1]
    first, last = series[first_year], series[last_year]
    per_year_values = "; ".join(f"{year}: {format_count(series[year])}" for year in years)
    if len(years) == 1:
        trend = _(
            "Van %(name)s is alleen het inwonertal op 1 januari %(year)s bekend: %(value)s."
        ) % {
            "name": name,
            "year": last_year,
            "value": format_count(last),
        }
    else:
        change = (last - first) / first * 100 if first else 0.0
        values = {
            "name": name,
            "first": format_count(first),
            "first_year": first_year,
            "last": format_count(last),
            "last_year": last_year,
            "change": ("+" if change > 0 else "") + number_format(round(change, 1), decimal_pos=1),
        }
        # Whole sentences per direction, so that each translates as a sentence.
        if last > first:
            sentence = _(
                "Het inwonertal van %(name)s groeide van %(first)s op 1 januari %(first_year)s "
                "naar %(last)s op 1 januari %(last_year)s (%(change)s%%)."
            )
        elif last < first:
            sentence = _(
                "Het inwonertal van %(name)s daalde van %(first)s op 1 januari %(first_year)s "
                "naar %(last)s op 1 januari %(last_year)s (%(change)s%%)."
            )
        else:
            sentence = _(
                "Het inwonertal van %(name)s was op 1 januari %(last_year)s met %(last)s "
                "hetzelfde als op 1 januari %(first_year)s."
            )
        trend = sentence % values
    band = _(
        "De stippellijnen geven de grenzen van de bandbreedte van het M50 aan: "
        "%(minimum)s en %(maximum)s inwoners."
    ) % {"minimum": format_count(limits.minimum), "maximum": format_count(limits.maximum)}
    per_year = _("Per jaar: %(values)s.") % {"values": per_year_values}
    return f"{trend} {band} {per_year}"


def population_bar_chart(
    name: str, series: dict[int, int], limits: BandLimits | None = None
) -> BarChart | None:
    """A bar chart of inhabitants per 1 January, with the band limits as reference lines.

    The value axis starts at zero (bars must not exaggerate change) and always reaches the
    upper band limit, so both reference lines are on the chart. None for an empty series.
    """
    if not series:
        return None
    limits = limits or BandLimits.from_settings()
    top_value = max(max(series.values()), limits.maximum)
    step = nice_step(top_value)
    axis_max = step * math.ceil(top_value * 1.05 / step)

    # Room for the longest tick label on the left and the band labels on the right.
    width, height = 560, 330
    tick_chars = len(format_count(axis_max))
    left = 16.0 + tick_chars * CHAR_WIDTH
    right, top, bottom = width - 124.0, 40.0, height - 56.0
    plot_width, plot_height = right - left, bottom - top

    def y_of(value: float) -> float:
        return bottom - value / axis_max * plot_height

    years = sorted(series)
    slot = plot_width / len(years)
    bar_width = min(slot * 0.6, 56.0)
    # Smaller value labels when the largest would not fit above its bar.
    compact = len(format_count(max(series.values()))) * CHAR_WIDTH > slot * 0.9
    bars = []
    for index, year in enumerate(years):
        value = series[year]
        centre = left + slot * (index + 0.5)
        y = y_of(value)
        bars.append(
            Bar(
                year=year,
                value=value,
                x=_fmt(centre - bar_width / 2),
                y=_fmt(y),
                width=_fmt(bar_width),
                height=_fmt(bottom - y),
                label_x=_fmt(centre),
                value_label_y=_fmt(y - 6),
                year_label_y=_fmt(bottom + 20),
                value_label=format_count(value),
            )
        )
    ticks = [
        Tick(y=_fmt(y_of(value)), label=format_count(value))
        for value in range(0, axis_max + 1, step)
    ]
    y_min, y_max = y_of(limits.minimum), y_of(limits.maximum)
    if y_min - y_max >= 32:
        # Each limit labelled beside its own line, in the right margin.
        reference_lines = [
            ReferenceLine(
                y=_fmt(y),
                label=label,
                value_label=format_count(value),
                label_y=_fmt(y - 4),
                value_label_y=_fmt(y + 14),
            )
            for y, value, label in (
                (y_min, limits.minimum, _("ondergrens")),
                (y_max, limits.maximum, _("bovengrens")),
            )
        ]
    else:
        # A large municipality squeezes the band near the axis: one label for both lines.
        reference_lines = [
            ReferenceLine(y=_fmt(y_min)),
            ReferenceLine(
                y=_fmt(y_max),
                label=_("bandbreedte"),
                value_label=f"{format_count(limits.minimum)}–{format_count(limits.maximum)}",
                label_y=_fmt(y_max - 22),
                value_label_y=_fmt(y_max - 6),
            ),
        ]
    return BarChart(
        width=width,
        height=height,
        plot_left=_fmt(left),
        plot_right=_fmt(right),
        plot_top=_fmt(top),
        plot_bottom=_fmt(bottom),
        plot_width=_fmt(plot_width),
        tick_label_x=_fmt(left - 8),
        label_x=_fmt(right + 8),
        y_axis_title_x=_fmt(8),
        y_axis_title_y=_fmt(top - 18),
        x_axis_title_x=_fmt(left + plot_width / 2),
        x_axis_title_y=_fmt(height - 8),
        band_top=_fmt(y_of(limits.maximum)),
        band_height=_fmt(y_of(limits.minimum) - y_of(limits.maximum)),
        title=_("Inwoners van %(name)s op 1 januari, %(first)s–%(last)s")
        % {"name": name, "first": years[0], "last": years[-1]},
        description=describe_trend(name, series, limits),
        compact=compact,
        y_axis_title=_("Inwoners"),
        x_axis_title=_("Jaar (peildatum 1 januari)"),
        bars=bars,
        ticks=ticks,
        reference_lines=reference_lines,
    )
