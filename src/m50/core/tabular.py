"""Lists as files, in bounded memory: CSV streamed row by row, XLSX written in write-only mode.

CSV: UTF-8 with a byte order mark and ``;`` between fields, as Excel with Dutch regional
settings expects; amounts with a decimal comma and no thousands separator, dates ISO 8601.
XLSX: amounts as numbers with two decimals, dates as real dates. Column widths come from the
header and the kind of each column, so the rows are read once, as they come.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ISO_DATE = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"
CENT = Decimal("0.01")
# A spreadsheet would run a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Column kinds: a date, an amount, a whole number, or text of about ``n`` characters.
DATE = "date"
MONEY = "money"
NUMBER = "number"
KIND_WIDTHS = {DATE: len(ISO_DATE), MONEY: len("-1.000.000,00"), NUMBER: 8}
MAX_WIDTH = 60
# An XLSX larger than this goes from memory to a temporary file on disk.
SPOOL_BYTES = 4 * 2**20


def safe_text(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_START) else value


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.quantize(CENT):f}".replace(".", ",")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return safe_text(value)
    return value


class _Echo:
    """A file that hands back what is written to it: csv.writer formats, the generator yields."""

    def write(self, value: str) -> str:
        return value


def csv_lines(headers: Sequence[str], rows: Iterable[Sequence]) -> Iterator[bytes]:
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield ("\ufeff" + writer.writerow(headers)).encode("utf-8")
    for values in rows:
        yield writer.writerow([csv_cell(value) for value in values]).encode("utf-8")


def _in_language(language: str | None, lines: Iterator[bytes]) -> Iterator[bytes]:
    # The rows are made while the response is sent, after the view has returned: keep the
    # request's language for the labels in them.
    with translation.override(language):
        yield from lines


def _attachment_header(name: str) -> str:
    return f'attachment; filename="{name}"'


def csv_response(headers: Sequence[str], rows: Iterable[Sequence], name: str):
    """A response that writes each row as it is read from ``rows`` (an iterator, not a list)."""
    lines = _in_language(translation.get_language(), csv_lines(headers, rows))
    response = StreamingHttpResponse(lines, content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = _attachment_header(name)
    return response


def column_width(header: str, kind: str | int) -> float:
    expected = kind if isinstance(kind, int) else KIND_WIDTHS[kind]
    return min(max(len(header), expected) + 2, MAX_WIDTH)


def xlsx_response(
    headers: Sequence[str],
    kinds: Sequence[str | int],
    rows: Iterable[Sequence],
    name: str,
    title: str,
):
    """The rows in a write-only workbook on a temporary file: memory holds one row at a time."""
    # Imported here: only the exports need openpyxl.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    # Widths and panes must be set before the first row in write-only mode.
    for index, (header, kind) in enumerate(zip(headers, kinds, strict=True), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column_width(header, kind)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    formats = [
        ISO_DATE if kind == DATE else MONEY_FORMAT if kind == MONEY else None for kind in kinds
    ]
    count = 0
    for values in rows:
        line = []
        for value, number_format in zip(values, formats, strict=True):
            if isinstance(value, str):
                line.append(safe_text(value))
            elif number_format and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                line.append(cell)
            else:
                line.append(value)
        sheet.append(line)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    output = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - the response closes it
    workbook.save(output)
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)
