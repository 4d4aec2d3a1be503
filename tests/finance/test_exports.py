"""Invoices and payments as CSV (Dutch Excel) and XLSX for the accounting system, read back."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from m50.finance import services
from tests.finance.test_pages import member, run

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


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark for Excel"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_invoices_as_csv(client, books):
    response = client.get(INVOICES, {"formaat": "csv"})
    assert response.status_code == 200
    today = dt.date.today().isoformat()
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
            dt.date.today().isoformat(),
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
