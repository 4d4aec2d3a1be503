"""The network's annual report as DOCX and PDF: read back (paragraphs, tables, PDF text), the
figures of known data set up through the services, Dutch amounts and dates, every part
honest when it has no data, access as the year page, a fixed number of queries at 10 and
1,000 members, and the command writing the file."""

from __future__ import annotations

import datetime as dt
import io
import os
import stat
from decimal import Decimal

import docx
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from m50.accounts.models import Role
from m50.contacts.models import Organisation
from m50.finance import services as finance_services
from m50.knowledge import services as knowledge_services
from m50.knowledge.models import Form
from m50.knowledge.models import Kind as KnowledgeKind
from m50.membership.models import DecisionKind
from m50.pillars import services as pillar_services
from m50.publicaffairs import records
from m50.publicaffairs.models import Interaction, Motion, MotionOutcome
from tests.factories import OrganisationFactory
from tests.finance import issue
from tests.finance.test_pages import member
from tests.membership.builders import municipality
from tests.pillars.conftest import official, pillar
from tests.reports.memo_helpers import pdf_text
from tests.reports.test_dashboard import bulk_network, decide, held, local, year_url

pytestmark = pytest.mark.django_db

D = dt.date
YEAR = 2024


def file_url(year: int, file_format: str | None = None) -> str:
    url = reverse("reports:network_year_file", args=[year])
    return f"{url}?formaat={file_format}" if file_format else url


def known_year(bureau_user):
    """2024: Diemen, Houten and Zeist members since April 2023 (listed), invoiced for 2024 —
    Diemen paid, Houten paid € 1.000,00, Zeist's invoice credited; Zeewolde aspirant on
    1 February 2024; two Diemen officials in Sociaal, one Houten official in Financieel; two
    webinars (Diemen 2 present, Houten 1); a work visit to Diemen and a talk; a followed VNG
    motion, adopted; one published example."""
    diemen, houten = member("Diemen", "GM0384"), member("Houten", "GM0321")
    member("Zeist", "GM0355")
    finance_services.fee_reference_load()
    invoices = issue(finance_services.invoice_run(year=YEAR, issue_date=D(YEAR, 1, 10)))
    by_name = {invoice.debtor_name: invoice for invoice in invoices}
    paid = by_name["Gemeente Diemen"]
    finance_services.payment_register(invoice=paid, paid_on=D(YEAR, 2, 1), amount=paid.total)
    finance_services.payment_register(
        invoice=by_name["Gemeente Houten"], paid_on=D(YEAR, 2, 1), amount="1000.00"
    )
    finance_services.invoice_credit(invoice=by_name["Gemeente Zeist"], reason="Dubbel.")
    decide(municipality("Zeewolde", "GM0050", 23_000), DecisionKind.ASPIRANT, D(YEAR, 2, 1))
    organisations = {
        item.name: OrganisationFactory(
            kind=Organisation.Kind.MUNICIPALITY, municipality=item, name=f"Gemeente {item.name}"
        )
        for item in (diemen, houten)
    }
    for _index in range(2):
        pillar_services.participation_register(
            position=official(organisations["Diemen"]),
            pillar=pillar("sociaal"),
            start_date=D(YEAR, 3, 1),
        )
    pillar_services.participation_register(
        position=official(organisations["Houten"]),
        pillar=pillar("financieel"),
        start_date=D(YEAR, 3, 1),
    )
    held("Webinar wonen", local(D(YEAR, 3, 3)), 2, municipality=diemen)
    held("Webinar jeugd", local(D(YEAR, 4, 3)), 1, municipality=houten)
    records.interaction_create(
        actor=bureau_user,
        kind=Interaction.Kind.WORK_VISIT,
        date=D(YEAR, 5, 1),
        subject="Werkbezoek",
        municipality=diemen,
    )
    records.interaction_create(
        actor=bureau_user, kind=Interaction.Kind.TALK, date=D(YEAR, 6, 1), subject="Gesprek"
    )
    motion = Motion.objects.create(
        source=Motion.Source.VNG, title="Motie wonen", date=D(YEAR, 6, 1)
    )
    MotionOutcome.objects.create(motion=motion, outcome=MotionOutcome.Outcome.ADOPTED)
    item = knowledge_services.item_create(
        actor=bureau_user,
        form=Form.NOTE,
        kind=KnowledgeKind.EXAMPLE,
        title="Wijkteams",
        note_what="Een wijkteam per wijk.",
        date=D(YEAR, 7, 1),
    )
    knowledge_services.item_accept(actor=bureau_user, item=item)
    return paid.total


def read_docx(data: bytes):
    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
    ]
    return paragraphs, tables


FIELDS = {
    "Jaar": "2024",
    "Stand": "31 december 2024",
    "Bron": "het M50-platform: besluiten; facturen en betalingen (contributiejaar 2024); "
    "pijlers en deelnames; activiteiten en aanwezigheid (geannuleerde activiteiten niet "
    "meegeteld); contactmomenten en moties (Tweede Kamer: open data, CC0); de kennisbank",
}
FACTS = [
    "Op 1 januari 2024: 3 leden en 0 aspirant-leden.",
    "Op 31 december 2024: 3 leden en 1 aspirant-lid.",
    "Aspirant-lid geworden: 1: Zeewolde (1 februari 2024).",
    "Definitief lid geworden: 0.",
    "Lidmaatschap beëindigd: 0.",
    "Contributiejaar 2024, 2 facturen.",
    "Gefactureerd: € 10.000,00.",
    "Betaald: € 6.000,00.",
    "Openstaand: € 4.000,00.",
    "Leden en aspirant-leden die deelnemen aan ten minste één pijler: 2; zonder deelname aan "
    "een pijler: 2.",
    "Er waren 2 gemeenten aanwezig bij ten minste één activiteit.",
    "Contactmomenten: 2: 1 bestuurlijk gesprek, 1 werkbezoek.",
    "Gemeenten bezocht op werkbezoek: 1.",
    "Thema's van de contactmomenten: geen thema vastgelegd.",
    "Gevolgde moties: 1, waarvan 1 aangenomen.",
    "Gepubliceerde kennisitems: 1: 1 voorbeeld.",
]
HEADINGS = [
    "Jaarverslag M50 2024",
    "Leden",
    "Contributie",
    "Pijlers en deelname",
    "Activiteiten en aanwezigheid",
    "Public affairs",
    "Gedeelde kennis",
]


def download(client, year: int, file_format: str | None):
    response = client.get(file_url(year, file_format))
    assert response.status_code == 200, response.status_code
    return response


def test_the_docx_holds_the_year_in_paragraphs_and_tables(client, bureau_user):
    fee = known_year(bureau_user)
    assert fee == Decimal("5000.00")
    client.force_login(bureau_user)
    response = download(client, YEAR, "docx")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"] == 'attachment; filename="jaarverslag-m50-2024.docx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    paragraphs, tables = read_docx(response.content)
    assert [p for p in paragraphs if p in HEADINGS] == HEADINGS
    for fact in FACTS:
        assert fact in paragraphs, fact
    fields, members, pillars, activities = tables
    assert dict(fields) == FIELDS
    assert members == [
        ["Peildatum", "Leden", "Aspirant-leden"],
        ["1 januari 2024", "3", "0"],
        ["31 december 2024", "3", "1"],
    ]
    assert pillars == [
        ["Pijler", "Gemeenten", "Deelnemers"],
        ["Financieel", "1", "1"],
        ["Ruimtelijk", "0", "0"],
        ["Sociaal", "1", "2"],
    ]
    assert activities == [
        ["Soort", "Activiteiten", "Aanwezigen"],
        ["Webinar", "2", "3"],
        ["Samen", "2", "3"],
    ]
    assert "Nog niets vastgelegd." not in paragraphs
    document = docx.Document(io.BytesIO(response.content))
    assert document.core_properties.title == "Jaarverslag M50 2024"


def test_the_pdf_says_the_same(client, bureau_user):
    known_year(bureau_user)
    client.force_login(bureau_user)
    response = download(client, YEAR, "pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="jaarverslag-m50-2024.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    text = pdf_text(response.content)
    for phrase in [*HEADINGS, *FACTS, "Stand 31 december 2024"]:
        assert phrase in text, phrase
    for row in ("Peildatum Leden Aspirant-leden", "31 december 2024 3 1", "Sociaal 1 2"):
        assert row in text, row
    assert "Webinar 2 3" in text and "Samen 2 3" in text
    assert "Nog niets vastgelegd." not in text


def test_the_default_format_is_docx_and_an_unknown_one_is_not_found(client, bureau_user):
    client.force_login(bureau_user)
    assert download(client, YEAR, None)["Content-Disposition"].endswith('.docx"')
    assert client.get(file_url(YEAR, "odt")).status_code == 404
    assert client.get(file_url(timezone.localdate().year + 1, "pdf")).status_code == 404
    assert client.get(file_url(1999, "docx")).status_code == 404


def test_every_part_without_data_says_nothing_is_recorded_yet(client, bureau_user):
    client.force_login(bureau_user)
    paragraphs, tables = read_docx(download(client, YEAR, "docx").content)
    # As on the year page: the changes, contributions, activities, public affairs and
    # knowledge have nothing; the pillars (there from the start) show their zeros.
    assert paragraphs.count("Nog niets vastgelegd.") == 4
    assert "Bijgekomen en vertrokken: nog niets vastgelegd." in paragraphs
    for heading in ("Contributie", "Activiteiten en aanwezigheid", "Public affairs"):
        assert paragraphs[paragraphs.index(heading) + 1] == "Nog niets vastgelegd."
    assert paragraphs[-2:] == ["Gedeelde kennis", "Nog niets vastgelegd."]
    assert "Op 1 januari 2024: 0 leden en 0 aspirant-leden." in paragraphs
    _fields, _members, pillars = tables
    assert pillars[1:] == [[name, "0", "0"] for name in ("Financieel", "Ruimtelijk", "Sociaal")]
    text = pdf_text(download(client, YEAR, "pdf").content)
    assert text.count("Nog niets vastgelegd.") == 4
    assert "Bijgekomen en vertrokken: nog niets vastgelegd." in text


def test_the_running_year_says_so(client, bureau_user):
    client.force_login(bureau_user)
    today = timezone.localdate()
    _paragraphs, tables = read_docx(download(client, today.year, "docx").content)
    fields = dict(tables[0])
    day = f"{today.day} {MONTHS[today.month - 1]} {today.year}"
    assert fields["Jaar"] == f"{today.year} (lopend jaar, tot en met {day})"
    assert fields["Stand"] == day


MONTHS = "januari februari maart april mei juni juli augustus september oktober november december"
MONTHS = MONTHS.split()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.BUREAU])
def test_only_the_bureau_downloads_it_as_it_sees_the_year_page(client, user_for_role, role):
    client.force_login(user_for_role(role))
    assert client.get(year_url(YEAR)).status_code == 403
    assert client.get(file_url(YEAR, "docx")).status_code == 403
    assert client.get(file_url(YEAR, "pdf")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(file_url(YEAR, "pdf"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_year_page_links_to_both_files(client, bureau_user):
    client.force_login(bureau_user)
    page = client.get(year_url(YEAR)).content.decode()
    assert f'href="{file_url(YEAR, "docx")}"' in page
    assert f'href="{file_url(YEAR, "pdf")}"' in page


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(context)


def test_query_counts_are_the_same_at_10_and_1000_members(client, bureau_user):
    client.force_login(bureau_user)
    year = timezone.localdate().year
    urls = [file_url(year, "docx"), file_url(year, "pdf")]
    bulk_network(10, 1000)
    small = [count_queries(client, url) for url in urls]
    bulk_network(990, 1010)
    assert [count_queries(client, url) for url in urls] == small
    paragraphs, _tables = read_docx(client.get(urls[0]).content)
    assert any(p.startswith("Gevolgde moties: 1.000, waarvan") for p in paragraphs)


@pytest.mark.parametrize("file_format", ["docx", "pdf"])
def test_the_command_writes_the_file(bureau_user, tmp_path, file_format):
    known_year(bureau_user)
    output = tmp_path / f"jaarverslag.{file_format}"
    out = io.StringIO()
    call_command(
        "annual-report", "2024", "--format", file_format, "--output", str(output), stdout=out
    )
    assert f"Geschreven: {output}" in out.getvalue()
    data = output.read_bytes()
    if file_format == "docx":
        paragraphs, _tables = read_docx(data)
        assert "Gefactureerd: € 10.000,00." in paragraphs
    else:
        assert "Gefactureerd: € 10.000,00." in pdf_text(data)
    assert [path.name for path in tmp_path.iterdir()] == [output.name]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(output.stat().st_mode) == 0o666 & ~umask


def test_the_command_refuses_a_year_outside_the_network_or_a_missing_folder(db, tmp_path):
    ahead = str(timezone.localdate().year + 1)
    with pytest.raises(CommandError, match="Geen jaar van het netwerk"):
        call_command("annual-report", ahead, "--output", str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="De map van het uitvoerbestand bestaat niet"):
        call_command("annual-report", "2024", "--output", str(tmp_path / "nee" / "x.docx"))
    assert list(tmp_path.iterdir()) == []
