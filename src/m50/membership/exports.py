"""The members overview as a file: CSV for Dutch Excel, and XLSX; the same columns in both.

CSV: UTF-8 with a byte order mark and ``;`` between fields, as Excel with Dutch regional
settings expects. Dates are ISO 8601 (``2023-05-16``); in XLSX they are real dates shown in
that form. The columns read the rows of :func:`m50.membership.selectors.membership_rows`.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.translation import gettext as _

from m50.membership import rules
from m50.membership.models import DecidingBody

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ISO_DATE = "yyyy-mm-dd"

# The words for a derived status, on the pages and in the files.
STATUS_LABELS = rules.STATUS_LABELS

# A spreadsheet would run a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


def _yes_no(value: bool) -> str:
    return _("ja") if value else _("nee")


def table(rows: Iterable) -> list[list]:
    """One list of typed values (str, int, date or None) per membership row."""
    result = []
    for row in rows:
        summary = row.summary
        mandate = summary.mandate
        result.append(
            [
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
        )
    return result


def _safe_text(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_START) else value


def _csv_cell(value) -> str | int:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return _safe_text(value)
    return value


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def filename(today: datetime.date, extension: str) -> str:
    return f"m50-leden-{today.isoformat()}.{extension}"


def csv_response(rows: Iterable, *, today: datetime.date) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers())
    for values in table(rows):
        writer.writerow([_csv_cell(value) for value in values])
    body = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return _attachment(
        HttpResponse(body, content_type="text/csv; charset=utf-8"), filename(today, CSV)
    )


def xlsx_response(rows: Iterable, *, today: datetime.date) -> HttpResponse:
    # Imported here: only this export needs openpyxl.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Leden")
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in table(rows):
        sheet.append([_safe_text(v) if isinstance(v, str) else v for v in values])
    widths = [len(header) for header in headers()]
    for row in sheet.iter_rows(min_row=2):
        for index, cell in enumerate(row):
            if isinstance(cell.value, datetime.date):
                cell.number_format = ISO_DATE
                widths[index] = max(widths[index], len(ISO_DATE))
            elif cell.value is not None:
                widths[index] = max(widths[index], len(str(cell.value)))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, 60)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(
        HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE), filename(today, XLSX)
    )


def export_response(rows: Iterable, export_format: str, *, today: datetime.date):
    if export_format == CSV:
        return csv_response(rows, today=today)
    return xlsx_response(rows, today=today)
