"""Invoices and payments as CSV (Dutch Excel) and XLSX for the accounting system, read back."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from m50.core import tabular
from m50.finance import exports, services
from m50.finance.models import Invoice, Payment
from tests.finance.test_pages import bulk_invoices, member, run

pytestmark = pytest.mark.django_db

D = dt.date
INVOICES = reverse("finance:invoice_list")
PAYMENTS = reverse("finance:payment_list")
INVOICE_HEADERS = [
    "Factuurnummer",
    "Soort",
    "Factuurdatum",
    "Vervaldatum",
    "Contributiejaar",
    "Gemeente",
    "CBS-code",
    "Debiteur",
    "OIN",
    "KvK-nummer",
    "Referentie",
    "Omschrijving",
    "Bedrag excl. btw",
    "Btw-categorie",
    "Btw",
    "Totaal",
    "Betaald",
    "Openstaand",
    "Status",
    "Crediteert factuur",
    "Verzonden op",
]


@pytest.fixture
def books(client, bureau_user):
    """Diemen invoiced and partly paid, Zeist invoiced and credited, both for 2024."""
    diemen = member()
    services.billing_details_update(municipality=diemen, purchase_order="=SOM(A1)")
    member("Zeist", "GM0355")
    diemen_invoice, zeist_invoice = run()
    services.payment_register(
        invoice=diemen_invoice, paid_on=D(2024, 1, 20), amount=Decimal("1234.56"), reference="bank"
    )
    note = services.invoice_credit(
        invoice=zeist_invoice, reason="verkeerd adres", issue_date=D(2024, 1, 12)
    )
    client.force_login(bureau_user)
    return {"diemen": diemen_invoice, "zeist": zeist_invoice, "note": note}


def body(response) -> bytes:
    """The file as sent: both exports stream, so there is no ``content`` and it reads once."""
    assert response.streaming
    if not hasattr(response, "sent"):
        response.sent = response.getvalue()
    return response.sent


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = body(response)
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark for Excel"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(body(response)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_invoices_as_csv(client, books):
    response = client.get(INVOICES, {"formaat": "csv"})
    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="m50-facturen-{today}.csv"'
    header, *rows = read_csv(response)
    assert header == INVOICE_HEADERS
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_number) == {books["diemen"].number, books["zeist"].number, books["note"].number}
    diemen = by_number[books["diemen"].number]
    assert diemen["Factuurdatum"] == "2024-01-10" and diemen["Vervaldatum"] == "2024-02-09"
    assert diemen["Gemeente"] == "Diemen" and diemen["CBS-code"] == "GM0384"
    assert diemen["Referentie"] == "'=SOM(A1)"  # not run as a formula
    assert Decimal(diemen["Totaal"].replace(",", ".")) == Decimal("5000.00")
    assert (diemen["Betaald"], diemen["Openstaand"]) == ("1234,56", "3765,44")
    note = by_number[books["note"].number]
    assert (note["Soort"], note["Totaal"], note["Crediteert factuur"]) == (
        "creditnota",
        "-5000,00",
        books["zeist"].number,
    )
    assert by_number[books["zeist"].number]["Status"] == "gecrediteerd"


def test_invoices_as_xlsx_have_the_same_columns_with_numbers_and_dates(client, books):
    response = client.get(INVOICES, {"formaat": "xlsx"})
    assert response.status_code == 200
    header, *rows = read_xlsx(response)
    assert header == INVOICE_HEADERS
    diemen = dict(zip(header, next(r for r in rows if r[0] == books["diemen"].number), strict=True))
    assert diemen["Factuurdatum"] == dt.datetime(2024, 1, 10)
    assert diemen["Totaal"] == 5000 and diemen["Betaald"] == pytest.approx(1234.56)
    assert diemen["Contributiejaar"] == 2024


def test_the_export_follows_the_filters_and_ignores_the_page(client, books):
    header, *rows = read_csv(client.get(INVOICES, {"formaat": "csv", "gemeente": "zeist"}))
    assert sorted(row[0] for row in rows) == sorted([books["zeist"].number, books["note"].number])
    header, *rows = read_csv(
        client.get(INVOICES, {"formaat": "csv", "status": "credit_note", "pagina": 7})
    )
    assert [row[0] for row in rows] == [books["note"].number]


def test_payments_as_csv_and_xlsx(client, books):
    header, *rows = read_csv(client.get(PAYMENTS, {"formaat": "csv"}))
    assert header[:6] == [
        "Betaald op",
        "Bedrag",
        "Factuurnummer",
        "Gemeente",
        "CBS-code",
        "Kenmerk",
    ]
    assert rows == [
        [
            "2024-01-20",
            "1234,56",
            books["diemen"].number,
            "Diemen",
            "GM0384",
            "bank",
            "handmatig",
            "",
            timezone.localdate().isoformat(),
        ]
    ]
    header, *rows = read_xlsx(client.get(PAYMENTS, {"formaat": "xlsx"}))
    assert rows[0][:3] == [dt.datetime(2024, 1, 20), pytest.approx(1234.56), books["diemen"].number]


def test_an_unknown_format_shows_the_page_with_a_warning(client, books):
    response = client.get(INVOICES, {"formaat": "pdf"})
    assert response.status_code == 200
    assert "Onbekend exportformaat" in response.text


def test_exports_are_the_bureaus(client, user_for_role, books):
    from m50.accounts.models import Role

    client.force_login(user_for_role(Role.MEMBER_CONTACT))
    assert client.get(INVOICES, {"formaat": "csv"}).status_code == 403
    assert client.get(PAYMENTS, {"formaat": "xlsx"}).status_code == 403


# --- Streaming, bounded cost ------------------------------------------------------------------


def export_with_queries(client, url: str, export_format: str) -> tuple[int, bytes]:
    """The queries of the whole download: a streamed body is read after the view returns."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, {"formaat": export_format})
        assert response.status_code == 200
        content = body(response)
    return len(context), content


@pytest.mark.parametrize("url", [INVOICES, PAYMENTS])
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_exports_stream_and_their_queries_do_not_grow_with_the_rows(
    client, bureau_user, url, export_format
):
    client.force_login(bureau_user)
    bulk_invoices(10, start=1000)
    small, _content = export_with_queries(client, url, export_format)
    bulk_invoices(990, start=2000)
    assert Invoice.objects.count() > 1000
    large, content = export_with_queries(client, url, export_format)
    assert large == small
    if export_format == "csv":
        lines = content.decode("utf-8-sig").splitlines()
    else:
        lines = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    model = Invoice if url == INVOICES else Payment
    assert len(lines) == model.objects.count() + 1  # every row, after the header


def test_the_csv_is_sent_row_by_row(client, books):
    response = client.get(INVOICES, {"formaat": "csv"})
    chunks = list(response.streaming_content)
    # The header (with the byte order mark) and one chunk per invoice: nothing gathered first.
    assert len(chunks) == 1 + 3
    assert chunks[0].startswith(b"\xef\xbb\xbfFactuurnummer;")
    assert all(chunk.endswith(b"\r\n") for chunk in chunks)


def test_the_xlsx_has_its_column_widths_number_formats_and_filter(client, books):
    sheet = load_workbook(io.BytesIO(body(client.get(INVOICES, {"formaat": "xlsx"})))).active
    letters = [chr(ord("A") + index) for index in range(len(INVOICE_HEADERS))]
    for letter, header, kind in zip(letters, INVOICE_HEADERS, exports.INVOICE_KINDS, strict=True):
        width = sheet.column_dimensions[letter].width
        assert width == tabular.column_width(header, kind)
        assert len(header) < width <= tabular.MAX_WIDTH
    assert sheet.column_dimensions["L"].width == 42  # Omschrijving: text of about 40
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:U4"
    assert sheet["A1"].font.bold
    assert sheet["C2"].number_format == "yyyy-mm-dd" and sheet["C2"].is_date
    assert sheet["P2"].number_format == "#,##0.00"
    assert isinstance(sheet["P2"].value, int | float)
