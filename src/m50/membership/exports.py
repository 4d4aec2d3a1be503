"""The members overview as a file: CSV for Dutch Excel, and XLSX; the same columns in both.

CSV: UTF-8 with a byte order mark and ``;`` between fields, as Excel with Dutch regional
settings expects. Dates are ISO 8601 (``2023-05-16``); in XLSX they are real dates shown in
that form. The columns read the rows of :func:`m50.membership.selectors.membership_rows`. Both
files are written as the rows come (see :mod:`m50.core.tabular`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from m50.core import tabular
from m50.core.tabular import DATE, NUMBER
from m50.membership import rules
from m50.membership.models import DecidingBody

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
XLSX_CONTENT_TYPE = tabular.XLSX_CONTENT_TYPE
ISO_DATE = tabular.ISO_DATE

# The words for a derived status, on the pages and in the files.
STATUS_LABELS = rules.STATUS_LABELS


def headers() -> list[str]:
    return [
        _("Gemeente"),
        _("CBS-code"),
        _("Status"),
        _("Sinds"),
        _("Bekend als lid sinds"),
        _("Inwoners"),
        _("Peiljaar inwoners"),
        _("Binnen bandbreedte"),
        _("Gemandateerd orgaan"),
        _("Mandaat tot en met"),
        _("Dagen over"),
        _("Mandaat verlopen"),
    ]


# The kind of each column (see :mod:`m50.core.tabular`): widths are known before the rows.
KINDS = [24, 8, 14, DATE, 10, NUMBER, NUMBER, 4, 20, DATE, NUMBER, 4]


def _yes_no(value: bool) -> str:
    return _("ja") if value else _("nee")


def table_rows(rows: Iterable) -> Iterator[list]:
    """One list of typed values (str, int, date or None) per membership row, as they come."""
    for row in rows:
        summary = row.summary
        mandate = summary.mandate
        yield [
            row.municipality.name,
            row.municipality.code,
            str(STATUS_LABELS[summary.status]),
            summary.since,
            row.membership.listed_since or None,
            row.inhabitants,
            row.population_year,
            _yes_no(row.in_band) if row.inhabitants is not None else None,
            str(DecidingBody(mandate.body).label) if mandate else None,
            mandate.deadline if mandate else None,
            summary.days_left if mandate else None,
            _yes_no(summary.mandate_expired) if mandate else None,
        ]


def table(rows: Iterable) -> list[list]:
    return list(table_rows(rows))


def filename(today: datetime.date, extension: str) -> str:
    return f"m50-leden-{today.isoformat()}.{extension}"


def csv_response(rows: Iterable, *, today: datetime.date):
    return tabular.csv_response(headers(), table_rows(rows), filename(today, CSV))


def xlsx_response(rows: Iterable, *, today: datetime.date):
    return tabular.xlsx_response(
        headers(), KINDS, table_rows(rows), filename(today, XLSX), _("Leden")
    )


def export_response(rows: Iterable, export_format: str, *, today: datetime.date):
    if export_format == CSV:
        return csv_response(rows, today=today)
    return xlsx_response(rows, today=today)
