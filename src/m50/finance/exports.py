"""Invoices and payments as files for the accounting system: CSV for Dutch Excel, and XLSX.

CSV: UTF-8 with a byte order mark and ``;`` between fields, as Excel with Dutch regional
settings expects; amounts with a decimal comma and no thousands separator (``5000,00``), dates
ISO 8601 (``2024-01-10``). XLSX: the same columns, amounts as numbers with two decimals and
dates as real dates. Both hold every row of the selection, not one page.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.finance import selectors
from m50.finance.models import Invoice, Payment

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ISO_DATE = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"
CENT = Decimal("0.01")
# A spreadsheet would run a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def money_text(amount: Decimal) -> str:
    """``Decimal("5000")`` as ``5.000,00``: Dutch grouping and decimal comma."""
    text = f"{abs(amount.quantize(CENT)):,.2f}".replace(",", " ").replace(".", ",")
    return ("-" if amount < 0 else "") + text.replace(" ", ".")


def invoice_headers() -> list[str]:
    return [
        _("Factuurnummer"),
        _("Soort"),
        _("Factuurdatum"),
        _("Vervaldatum"),
        _("Contributiejaar"),
        _("Gemeente"),
        _("CBS-code"),
        _("Debiteur"),
        _("OIN"),
        _("KvK-nummer"),
        _("Referentie"),
        _("Omschrijving"),
        _("Bedrag excl. btw"),
        _("Btw-categorie"),
        _("Btw"),
        _("Totaal"),
        _("Betaald"),
        _("Openstaand"),
        _("Status"),
        _("Crediteert factuur"),
        _("Verzonden op"),
    ]


def invoice_table(invoices: Iterable[Invoice], *, today: datetime.date) -> list[list]:
    """One list of typed values per invoice (annotated with ``paid``)."""
    rows = []
    for invoice in invoices:
        municipality = invoice.membership.municipality
        status = selectors.invoice_status(invoice, today)
        rows.append(
            [
                invoice.number,
                str(invoice.get_kind_display()),
                invoice.issue_date,
                invoice.due_date,
                invoice.fee_year,
                municipality.name,
                municipality.code,
                invoice.debtor_name,
                invoice.debtor_oin or None,
                invoice.debtor_kvk or None,
                invoice.purchase_order or None,
                invoice.description,
                invoice.amount,
                invoice.vat_category,
                invoice.vat_amount,
                invoice.total,
                invoice.paid,
                selectors.open_amount(invoice),
                str(selectors.Status.LABELS[status]),
                invoice.credits.number if invoice.credits_id else None,
                timezone.localtime(invoice.sent_at).date() if invoice.sent_at else None,
            ]
        )
    return rows


def payment_headers() -> list[str]:
    return [
        _("Betaald op"),
        _("Bedrag"),
        _("Factuurnummer"),
        _("Gemeente"),
        _("CBS-code"),
        _("Kenmerk"),
        _("Bron"),
        _("Tegenrekening"),
        _("Geregistreerd op"),
    ]


def payment_table(payments: Iterable[Payment]) -> list[list]:
    rows = []
    for payment in payments:
        invoice = payment.invoice
        line = payment.statement_line
        rows.append(
            [
                payment.paid_on,
                payment.amount,
                invoice.number if invoice else None,
                invoice.membership.municipality.name if invoice else None,
                invoice.membership.municipality.code if invoice else None,
                payment.reference or None,
                _("bankafschrift") if line else _("handmatig"),
                line.counterparty_iban or None if line else None,
                timezone.localtime(payment.recorded_at).date(),
            ]
        )
    return rows


def _safe_text(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_START) else value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.quantize(CENT):f}".replace(".", ",")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return _safe_text(value)
    return value


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def csv_response(headers: list[str], rows: list[list], name: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for values in rows:
        writer.writerow([_csv_cell(value) for value in values])
    body = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return _attachment(HttpResponse(body, content_type="text/csv; charset=utf-8"), name)


def xlsx_response(headers: list[str], rows: list[list], name: str, title: str) -> HttpResponse:
    # Imported here: only this export needs openpyxl.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append([_safe_text(v) if isinstance(v, str) else v for v in values])
    widths = [len(header) for header in headers]
    for row in sheet.iter_rows(min_row=2):
        for index, cell in enumerate(row):
            if isinstance(cell.value, datetime.date):
                cell.number_format = ISO_DATE
                widths[index] = max(widths[index], len(ISO_DATE))
            elif isinstance(cell.value, Decimal | float):
                cell.number_format = MONEY_FORMAT
                widths[index] = max(widths[index], len(f"{cell.value:,.2f}"))
            elif cell.value is not None:
                widths[index] = max(widths[index], len(str(cell.value)))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, 60)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE), name)


def invoices_response(invoices: Iterable[Invoice], export_format: str, *, today: datetime.date):
    rows = invoice_table(invoices, today=today)
    name = f"m50-facturen-{today.isoformat()}.{export_format}"
    if export_format == CSV:
        return csv_response(invoice_headers(), rows, name)
    return xlsx_response(invoice_headers(), rows, name, _("Facturen"))


def payments_response(payments: Iterable[Payment], export_format: str, *, today: datetime.date):
    rows = payment_table(payments)
    name = f"m50-betalingen-{today.isoformat()}.{export_format}"
    if export_format == CSV:
        return csv_response(payment_headers(), rows, name)
    return xlsx_response(payment_headers(), rows, name, _("Betalingen"))
