"""The members overview as CSV (Dutch Excel) and XLSX: the same columns and rows as the page."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from m50.membership import rules
from tests.membership.builders import aspirant, diemen, listed, municipality, today

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("membership:overview")
HEADERS = [
    "Gemeente",
    "CBS-code",
    "Status",
    "Sinds",
    "Bekend als lid sinds",
    "Inwoners",
    "Peiljaar inwoners",
    "Binnen bandbreedte",
    "Gemandateerd orgaan",
    "Mandaat tot en met",
    "Dagen over",
    "Mandaat verlopen",
]


@pytest.fixture
def members():
    diemen()
    listed(municipality("Kleindorp", "GM0999", 28_900))
    decided = today() - datetime.timedelta(days=100)
    aspirant(municipality("Zeist", "GM0355", 66_000), decided)
    municipality("Nietlid", "GM0997")
    return {"aspirant_since": decided, "deadline": rules.add_one_year(decided)}


def content(response) -> bytes:
    """The file as sent: both exports stream, so there is no ``content`` and it reads once."""
    assert response.streaming
    if not hasattr(response, "sent"):
        response.sent = response.getvalue()
    return response.sent


def read_csv(response) -> list[list[str]]:
    body = content(response)
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark for Excel"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(content(response)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_csv_has_dutch_headers_semicolons_and_iso_dates(client, members):
    response = client.get(OVERVIEW, {"formaat": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="m50-leden-{today().isoformat()}.csv"'
    )
    assert b";" in content(response).splitlines()[0]
    rows = read_csv(response)
    assert rows[0] == HEADERS
    by_name = {row[0]: row for row in rows[1:]}
    assert list(by_name) == ["Diemen", "Kleindorp", "Zeist"]
    assert by_name["Diemen"] == [
        "Diemen",
        "GM0384",
        "lid",
        "2023-05-16",
        "",
        "32977",
        "2024",
        "ja",
        "",
        "",
        "",
        "",
    ]
    assert by_name["Kleindorp"][2:8] == ["lid", "", "2023-04", "28900", "2024", "nee"]
    days = (members["deadline"] - today()).days
    assert by_name["Zeist"][2:] == [
        "aspirant-lid",
        members["aspirant_since"].isoformat(),
        "",
        "66000",
        "2024",
        "ja",
        "burgemeester",
        members["deadline"].isoformat(),
        str(days),
        "nee",
    ]


def test_xlsx_has_the_same_columns_and_rows_with_real_dates(client, members):
    response = client.get(OVERVIEW, {"formaat": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith(f'm50-leden-{today().isoformat()}.xlsx"')
    rows = read_xlsx(response)
    assert rows[0] == HEADERS
    csv_rows = read_csv(client.get(OVERVIEW, {"formaat": "csv"}))

    def plain(value):
        if isinstance(value, datetime.datetime):
            return value.date().isoformat()
        return "" if value is None else str(value)

    assert [[plain(v) for v in row] for row in rows] == csv_rows
    workbook = load_workbook(io.BytesIO(content(response)))
    since = workbook.active["D2"]
    assert since.is_date and since.value.date() == datetime.date(2023, 5, 16)
    assert since.number_format == "yyyy-mm-dd"
    assert workbook.active.freeze_panes == "A2"


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_exports_follow_the_status_filter(client, members, export_format):
    response = client.get(OVERVIEW, {"formaat": export_format, "status": "aspirant"})
    rows = read_csv(response) if export_format == "csv" else read_xlsx(response)
    assert [row[0] for row in rows[1:]] == ["Zeist"]


def test_exports_are_public_like_the_member_list(client, members):
    # No documents or remarks in the file: the same facts as the public page.
    body = content(client.get(OVERVIEW, {"formaat": "csv"})).decode("utf-8-sig")
    assert "Collegebesluit" not in body and "mandateert" not in body


def test_a_cell_that_looks_like_a_formula_is_kept_as_text(client):
    listed(municipality("=HYPERLINK(1)", "GM0996"))
    rows = read_csv(client.get(OVERVIEW, {"formaat": "csv"}))
    assert rows[1][0] == "'=HYPERLINK(1)"
    cell = load_workbook(io.BytesIO(content(client.get(OVERVIEW, {"formaat": "xlsx"})))).active[
        "A2"
    ]
    assert cell.value == "'=HYPERLINK(1)" and cell.data_type == "s"


def test_unknown_format_shows_the_page_with_a_message(client, members):
    response = client.get(OVERVIEW, {"formaat": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Onbekend exportformaat “pdf”: kies csv of xlsx." in response.text


def test_empty_export_has_the_headers_only(client):
    rows = read_csv(client.get(OVERVIEW, {"formaat": "csv"}))
    assert rows == [HEADERS]
    assert read_xlsx(client.get(OVERVIEW, {"formaat": "xlsx"})) == [HEADERS]
