"""The vote of a decision as a bar chart: one horizontal bar per fractie (or member), its
length the seats that voted, its class the vote. Geometry as strings, so that the template
localises nothing (a decimal comma would break the coordinates)."""

from __future__ import annotations

from dataclasses import dataclass

LABEL_WIDTH = 160
BAR_AREA = 300
ROW_HEIGHT = 24
BAR_HEIGHT = 16
TOP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    kind: str
    seats: int
    css: str
    y: str
    text_y: str
    width: str
    value_x: str


@dataclass(frozen=True)
class VoteChart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]


def vote_kind_class(kind: str) -> str:
    lowered = kind.lower()
    if lowered == "voor":
        return "m50-vote--for"
    if lowered == "tegen":
        return "m50-vote--against"
    return "m50-vote--other"


def vote_chart(rows) -> VoteChart | None:
    """``rows``: (label, kind, seats) per fractie; None when there is nothing to draw."""
    rows = [(label, kind, seats or 0) for label, kind, seats in rows]
    if not rows:
        return None
    most = max(seats for _label, _kind, seats in rows) or 1
    bars = []
    for index, (label, kind, seats) in enumerate(rows):
        top = TOP + index * ROW_HEIGHT
        width = round(BAR_AREA * seats / most, 1)
        bars.append(
            Bar(
                label=label,
                kind=kind,
                seats=seats,
                css=vote_kind_class(kind),
                y=str(top),
                text_y=str(top + BAR_HEIGHT - 3),
                width=str(width),
                value_x=str(round(LABEL_WIDTH + width + 6, 1)),
            )
        )
    return VoteChart(
        width=LABEL_WIDTH + BAR_AREA + 120,
        height=TOP * 2 + len(rows) * ROW_HEIGHT,
        label_width=LABEL_WIDTH,
        bars=bars,
    )
