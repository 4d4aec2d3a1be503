"""The shipped pillars (``data/pillars.json``, see ``data/PROVENANCE.md``): the five former
pillars as ended, the three current ones, and where the former pillars' work went.

Works on the models it is given, so the data migration can run it on its historical models.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "pillars.json"


@dataclass
class LoadCounts:
    pillars: int = 0
    successions: int = 0


def read_data(path: Path = DATA_FILE) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def pillars_load(pillar_model, succession_model, data: dict | None = None) -> LoadCounts:
    """Create the pillars and successions that are missing (by slug); never change one that
    exists (after the first load the bureau owns them). A second run creates nothing."""
    data = data if data is not None else read_data()
    counts = LoadCounts()
    by_slug = {p.slug: p for p in pillar_model.objects.filter(slug__in=_slugs(data))}
    for item in data["pillars"]:
        if item["slug"] in by_slug:
            continue
        by_slug[item["slug"]] = pillar_model.objects.create(
            slug=item["slug"],
            name=item["name"],
            purpose=item.get("purpose", ""),
            ended=item["ended"],
            # Dates no source gives stay empty: unknown.
            started_on=item.get("started_on"),
            ended_on=item.get("ended_on"),
        )
        counts.pillars += 1
    for item in data["successions"]:
        _succession, created = succession_model.objects.get_or_create(
            predecessor=by_slug[item["predecessor"]],
            successor=by_slug[item["successor"]],
            defaults={"note": item.get("note", "")},
        )
        counts.successions += int(created)
    return counts


def _slugs(data: dict) -> list[str]:
    return [item["slug"] for item in data["pillars"]]
