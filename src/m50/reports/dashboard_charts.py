"""The dashboard's bar charts: the geometry of an inline SVG, computed here, as the population
chart's (``m50.municipalities.charts``). One or more series per category, side by side, each
bar labelled with its value where it fits; a legend names the series in words. Coordinates are
strings, so the template localises nothing. The same figures are always in a table beside it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from m50.municipalities.charts import CHAR_WIDTH, format_count, nice_step


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


@dataclass(frozen=True)
class Series:
    label: str
    css: str  # the class that colours its bars (site.css: m50-series--*)
    values: Sequence[float]


@dataclass(frozen=True)
class ChartBar:
    x: str
    y: str
    width: str
    height: str
    css: str
    label: str
    label_x: str
    label_y: str
    show_label: bool


@dataclass(frozen=True)
class ChartTick:
    y: str
    label: str


@dataclass(frozen=True)
class CategoryLabel:
    text: str
    x: str
    sub: str = ""  # a second line: the year under "K1" or "jan"


@dataclass(frozen=True)
class LegendItem:
    label: str
    css: str
    x: str
    text_x: str


@dataclass(frozen=True)
class GroupedBarChart:
    chart_id: str
    title: str
    description: str
    width: int
    height: int
    plot_left: str
    plot_right: str
    plot_bottom: str
    tick_label_x: str
    category_y: str
    sub_y: str
    legend_y: str
    legend_text_y: str
    bars: list[ChartBar] = field(default_factory=list)
    ticks: list[ChartTick] = field(default_factory=list)
    categories: list[CategoryLabel] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)


def grouped_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str | tuple[str, str]],
    series: Sequence[Series],
    label: Callable[[float], str] = lambda value: format_count(round(value)),
) -> GroupedBarChart | None:
    """Bars per category, one per series; None when there is nothing to draw. A category is
    a label, or a label and a second line under it. The value axis starts at zero, so bars do
    not exaggerate change."""
    if not categories or not series:
        return None
    values = [float(value) for item in series for value in item.values]
    top_value = max(values, default=0) or 1
    step = nice_step(top_value, 4)
    axis_max = step * math.ceil(top_value * 1.1 / step)
    tick_width = max(len(label(axis_max)), 2) * CHAR_WIDTH
    bar_width = 22.0 if len(series) > 1 else 28.0
    gap = 14.0
    slot = bar_width * len(series) + gap
    left = 12.0 + tick_width
    top, legend_height = 44.0, 28.0
    width = int(max(left + slot * len(categories) + 16, 448))
    height = 310
    bottom = height - 50.0
    right = width - 16.0
    slot = (right - left) / len(categories)

    def y_of(value: float) -> float:
        return bottom - value / axis_max * (bottom - top)

    bars = []
    for index in range(len(categories)):
        group_left = left + slot * index + (slot - bar_width * len(series)) / 2
        for number, item in enumerate(series):
            value = float(item.values[index])
            x = group_left + number * bar_width
            y = y_of(value)
            text = label(value)
            bars.append(
                ChartBar(
                    x=_fmt(x + 1),
                    y=_fmt(y),
                    width=_fmt(bar_width - 2),
                    height=_fmt(bottom - y),
                    css=item.css,
                    label=text,
                    label_x=_fmt(x + bar_width / 2),
                    label_y=_fmt(y - 5),
                    # A value wider than its bar would run into the next one: the table has it.
                    show_label=len(text) * CHAR_WIDTH * 0.8 <= bar_width + gap / 2,
                )
            )
    ticks = [
        ChartTick(y=_fmt(y_of(value)), label=label(value))
        for value in range(0, int(axis_max) + 1, int(step))
    ]
    category_labels = []
    for index, category in enumerate(categories):
        text, sub = category if isinstance(category, tuple) else (category, "")
        category_labels.append(CategoryLabel(text, _fmt(left + slot * (index + 0.5)), sub))
    legend = []
    x = left
    for item in series:
        legend.append(LegendItem(item.label, item.css, _fmt(x), _fmt(x + 20)))
        x += 20 + len(item.label) * CHAR_WIDTH * 0.8 + 24
    return GroupedBarChart(
        chart_id=chart_id,
        title=title,
        description=description,
        width=width,
        height=height,
        plot_left=_fmt(left),
        plot_right=_fmt(right),
        plot_bottom=_fmt(bottom),
        tick_label_x=_fmt(left - 6),
        category_y=_fmt(bottom + 18),
        sub_y=_fmt(bottom + 34),
        legend_y=_fmt(top - legend_height),
        legend_text_y=_fmt(top - legend_height + 12),
        bars=bars,
        ticks=ticks,
        categories=category_labels,
        legend=legend,
    )
