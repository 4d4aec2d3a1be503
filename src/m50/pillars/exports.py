"""The participation matrix as a file: CSV for Dutch Excel, and XLSX; the same columns in both.

One row per municipality (member or aspirant), one column per running pillar or theme group
and category, with the number of its officials taking part. Written as the rows come (see
:mod:`m50.core.tabular`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from m50.core import tabular
from m50.core.tabular import NUMBER
from m50.membership.rules import STATUS_LABELS
from m50.pillars.models import Category, Pillar

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)


def _key(body) -> tuple[str, int]:
    return ("pillar" if isinstance(body, Pillar) else "theme_group", body.pk)


def headers(bodies) -> list[str]:
    columns = [
        _("Gemeente"),
        _("CBS-code"),
        _("Provincie"),
        _("Lidmaatschap"),
        _("Inwoners"),
        _("In een pijler"),
    ]
    for body in bodies:
        kind = _("Pijler") if isinstance(body, Pillar) else _("Themagroep")
        for category in Category:
            columns.append(f"{kind} {body.name}: {category.label}")
    return columns


def kinds(bodies) -> list:
    return [24, 8, 14, 12, NUMBER, 4] + [NUMBER] * (len(bodies) * len(Category))


def table_rows(municipalities: Iterable, bodies, cells: dict) -> Iterator[list]:
    keys = [_key(body) for body in bodies]
    for m in municipalities:
        own = cells.get(m.pk, {})
        row = [
            m.name,
            m.code,
            m.province.name if m.province_id else "",
            str(STATUS_LABELS.get(m.membership_status, "")),
            m.latest_population,
            _("ja") if m.in_pillar else _("nee"),
        ]
        for key in keys:
            counts = own.get(key, {})
            row.extend(counts.get(category, 0) for category in Category.values)
        yield row


def export_response(municipalities, bodies, cells: dict, export_format: str, *, today):
    name = f"m50-deelname-{today.isoformat()}.{export_format}"
    rows = table_rows(municipalities.iterator(chunk_size=2000), bodies, cells)
    if export_format == CSV:
        return tabular.csv_response(headers(bodies), rows, name)
    return tabular.xlsx_response(headers(bodies), kinds(bodies), rows, name, _("Deelname"))
