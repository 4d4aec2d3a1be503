"""Derived data (projections) and the check that it still equals its source.

A projection (a membership's status periods, an invoice's paid amount) is written by the same
service, in the same transaction, as the decision or payment that changes it, so pages can
filter and sort on it in the database. The source stays the single truth: every projection
registers here a function that recomputes it from the source and reports each stored row that
differs, and one that rewrites it. ``m50 check-derived`` runs them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Difference:
    projection: str
    key: str  # which row, readable for the operator: "GM0384", "factuur 2024-0001"
    stored: str
    computed: str

    def __str__(self) -> str:
        return f"{self.projection} {self.key}: opgeslagen {self.stored}, berekend {self.computed}"


@dataclass(frozen=True)
class Projection:
    name: str
    check: Callable[[], Iterable[Difference]]
    rebuild: Callable[[], int]  # rewrites the whole projection; returns the rows written


_PROJECTIONS: dict[str, Projection] = {}


def projection_register(*, name: str, check, rebuild) -> None:
    """Called from an app's ``ready()``; registering a name again replaces it (autoreload)."""
    _PROJECTIONS[name] = Projection(name, check, rebuild)


def projections() -> list[Projection]:
    return [_PROJECTIONS[name] for name in sorted(_PROJECTIONS)]


def derived_differences() -> list[Difference]:
    """Every stored projection row that differs from a recomputation from the source."""
    return [difference for p in projections() for difference in p.check()]
