"""The registrations and the attendance of an activity as CSV and XLSX: read back, the same
columns and rows in both, for its organisers only, at the same cost for 10 as for 1,000."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from m50.activities import services
from m50.activities.models import Registration
from tests.activities.conftest import participant
from tests.activities.test_manage_pages import fill, queries_of, running
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def export(activity, name: str, fmt: str) -> str:
    return reverse("activities:export", args=[activity.pk, name, fmt])


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def xlsx_rows(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [
        ["" if v is None else v for v in row]
        for row in workbook.worksheets[0].iter_rows(values_only=True)
    ]


@pytest.fixture
def registered(bureau, diemen):
    """A running meeting with one seat: Anna has it, Bert and Cor wait, Dirk cancelled."""
    activity = running(bureau, capacity=1, title="=Gevaarlijke titel")
    people = [
        PersonFactory(given_name=name, surname="Jansen") for name in ("Anna", "Bert", "Cor", "Dirk")
    ]
    for person in people:
        services.registration_create(
            activity=activity,
            person=person,
            actor=bureau,
            municipality=diemen.municipality,
            note="=SUM(A1)" if person.given_name == "Bert" else "",
        )
    dirk = Registration.objects.get(person=people[3])
    services.registration_cancel(registration=dirk, actor=bureau)
    return activity


def test_the_registrations_as_csv_and_xlsx_in_the_order_of_the_queue(client, bureau, registered):
    client.force_login(bureau)
    response = client.get(export(registered, "aanmeldingen", "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="m50-aanmeldingen-')
    rows = csv_rows(response)
    assert rows[0][:6] == [
        "Naam",
        "Gemeente",
        "CBS-code",
        "Status",
        "Plaats op de wachtlijst",
        "Aangemeld op",
    ]
    table = [(r[0], r[1], r[3], r[4]) for r in rows[1:]]
    assert table == [
        ("Anna Jansen", "Diemen", "geplaatst", ""),
        ("Bert Jansen", "Diemen", "op de wachtlijst", "1"),
        ("Cor Jansen", "Diemen", "op de wachtlijst", "2"),
        ("Dirk Jansen", "Diemen", "afgemeld", ""),
    ]
    # A note a spreadsheet would run as a formula is kept as text.
    assert rows[2][7] == "'=SUM(A1)"
    assert rows[4][6] and len(rows[4][6]) == len("2026-12-02 14:00")

    sheet = xlsx_rows(client.get(export(registered, "aanmeldingen", "xlsx")))
    assert sheet[0] == rows[0]
    assert [(r[0], r[3], r[4]) for r in sheet[1:]] == [
        ("Anna Jansen", "geplaatst", ""),
        ("Bert Jansen", "op de wachtlijst", 1),
        ("Cor Jansen", "op de wachtlijst", 2),
        ("Dirk Jansen", "afgemeld", ""),
    ]


def test_the_attendance_as_csv_and_xlsx(client, bureau, registered, diemen):
    present = list(Registration.objects.filter(person__given_name__in=["Anna", "Cor"]))
    services.attendance_record(activity=registered, actor=bureau, present=present)
    services.attendance_add_walk_in(activity=registered, actor=bureau, name="Piet Binnenloper")
    client.force_login(bureau)
    rows = csv_rows(client.get(export(registered, "aanwezigheid", "csv")))
    assert rows[0] == ["Naam", "Gemeente", "CBS-code", "Zonder aanmelding", "Jaar", "Vastgelegd op"]
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [
        ("Anna Jansen", "Diemen", "nee"),
        ("Cor Jansen", "Diemen", "nee"),
        ("Piet Binnenloper", "", "ja"),
    ]
    sheet = xlsx_rows(client.get(export(registered, "aanwezigheid", "xlsx")))
    assert [r[0] for r in sheet[1:]] == ["Anna Jansen", "Cor Jansen", "Piet Binnenloper"]
    assert isinstance(sheet[1][4], int)


def test_exports_are_for_the_organisers_and_unknown_lists_do_not_exist(
    client, bureau, registered, diemen
):
    client.force_login(participant(diemen))
    assert client.get(export(registered, "aanmeldingen", "csv")).status_code == 403
    client.force_login(bureau)
    assert client.get(export(registered, "gasten", "csv")).status_code == 404
    assert client.get(export(registered, "aanmeldingen", "pdf")).status_code == 404


@pytest.mark.parametrize(("name", "fmt"), [("aanmeldingen", "csv"), ("aanwezigheid", "xlsx")])
def test_an_export_costs_the_same_queries_for_10_and_1000_rows(client, bureau, diemen, name, fmt):
    small, large = running(bureau, capacity=5), running(bureau, capacity=500)
    fill(small, bureau, 10, diemen.municipality)
    fill(large, bureau, 1000, diemen.municipality)
    for activity in (small, large):
        services.attendance_record(
            activity=activity, actor=bureau, present=list(activity.registrations.all())
        )
    client.force_login(bureau)
    assert queries_of(client, export(small, name, fmt)) == queries_of(
        client, export(large, name, fmt)
    )
    response = client.get(export(large, name, fmt))
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    assert len(rows) == 1001
