"""The shipped themes (``data/themes.json``, see ``data/PROVENANCE.md``).

Works on the model it is given, so the data migration can run it on its historical model.
"""

from __future__ import annotations

import json
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "themes.json"


def themes_load(theme_model, data: dict | None = None) -> int:
    """Create the themes that are missing (by slug); never change one that exists (after the
    first load the bureau owns them). Returns how many were created; a second run creates none."""
    if data is None:
        with DATA_FILE.open(encoding="utf-8") as handle:
            data = json.load(handle)
    existing = set(theme_model.objects.values_list("slug", flat=True))
    missing = [
        theme_model(slug=item["slug"], name=item["name"], position=position)
        for position, item in enumerate(data["themes"], start=1)
        if item["slug"] not in existing
    ]
    theme_model.objects.bulk_create(missing)
    return len(missing)
