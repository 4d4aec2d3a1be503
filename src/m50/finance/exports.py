"""Invoices and payments as files for the accounting system: CSV for Dutch Excel, and XLSX.

CSV: UTF-8 with a byte order mark and ``;`` between fields, as Excel with Dutch regional
settings expects; amounts with a decimal comma and no thousands separator (``5000,00``), dates
ISO 8601 (``2024-01-10``). XLSX: the same columns, amounts as numbers with two decimals and
dates as real dates. Both hold every row of the selection, not one page, and are written as
the rows are read (see :mod:`m50.core.tabular`), so memory does not grow with the selection.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.core import tabular
from m50.core.tabular import DATE, MONEY, NUMBER
from m50.finance import selectors
from m50.finance.models import Invoice, Payment

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
XLSX_CONTENT_TYPE = tabular.XLSX_CONTENT_TYPE
ISO_DATE = tabular.ISO_DATE
MONEY_FORMAT = tabular.MONEY_FORMAT
CENT = tabular.CENT
# Rows read from the database at a time: memory holds one chunk, not the selection.
CHUNK_SIZE = 2000


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


# The kind of each column (see :mod:`m50.core.tabular`): widths are known before the rows.
INVOICE_KINDS = [
    12, 12, DATE, DATE, NUMBER, 24, 8, 30, 20, 10, 16, 40,
    MONEY, 8, MONEY, MONEY, MONEY, MONEY, 14, 12, DATE,
]  # fmt: skip


def _rows(items: Iterable) -> Iterable:
    """A queryset read in chunks (the same joins, no query per row); anything else as it is."""
    if isinstance(items, QuerySet):
        return items.iterator(chunk_size=CHUNK_SIZE)
    return items


def invoice_rows(invoices: Iterable[Invoice], *, today: datetime.date) -> Iterator[list]:
    """One list of typed values per invoice (annotated with ``paid``), as they are read."""
    # Translated once, not once per row: at 50,000 rows the lookups cost seconds.
    kinds = {kind: str(label) for kind, label in Invoice.Kind.choices}
    statuses = {status: str(label) for status, label in selectors.Status.LABELS.items()}
    for invoice in _rows(invoices):
        municipality = invoice.membership.municipality
        status = selectors.invoice_status(invoice, today)
        yield [
            invoice.number,
            kinds.get(invoice.kind, invoice.kind),
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
            statuses[status],
            invoice.credits.number if invoice.credits_id else None,
            timezone.localtime(invoice.sent_at).date() if invoice.sent_at else None,
        ]


def invoice_table(invoices: Iterable[Invoice], *, today: datetime.date) -> list[list]:
    return list(invoice_rows(invoices, today=today))


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


PAYMENT_KINDS = [DATE, MONEY, 12, 24, 8, 20, 14, 22, DATE]


def payment_rows(payments: Iterable[Payment]) -> Iterator[list]:
    from_statement, by_hand = _("bankafschrift"), _("handmatig")
    for payment in _rows(payments):
        invoice = payment.invoice
        line = payment.statement_line
        yield [
            payment.paid_on,
            payment.amount,
            invoice.number if invoice else None,
            invoice.membership.municipality.name if invoice else None,
            invoice.membership.municipality.code if invoice else None,
            payment.reference or None,
            from_statement if line else by_hand,
            line.counterparty_iban or None if line else None,
            timezone.localtime(payment.recorded_at).date(),
        ]


def payment_table(payments: Iterable[Payment]) -> list[list]:
    return list(payment_rows(payments))


def invoices_response(invoices: Iterable[Invoice], export_format: str, *, today: datetime.date):
    rows = invoice_rows(invoices, today=today)
    name = f"m50-facturen-{today.isoformat()}.{export_format}"
    if export_format == CSV:
        return tabular.csv_response(invoice_headers(), rows, name)
    return tabular.xlsx_response(invoice_headers(), INVOICE_KINDS, rows, name, _("Facturen"))


def payments_response(payments: Iterable[Payment], export_format: str, *, today: datetime.date):
    rows = payment_rows(payments)
    name = f"m50-betalingen-{today.isoformat()}.{export_format}"
    if export_format == CSV:
        return tabular.csv_response(payment_headers(), rows, name)
    return tabular.xlsx_response(payment_headers(), PAYMENT_KINDS, rows, name, _("Betalingen"))
