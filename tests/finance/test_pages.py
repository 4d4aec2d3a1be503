"""The finance pages through the test client: per role, the run with its preview, the forms
(bad input gives a Dutch message and writes nothing), downloads of the own municipality only,
the invoices on the municipality page, and query counts that do not grow with the data."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from m50.accounts.models import Role
from m50.finance import selectors, services
from m50.finance.models import (
    BillingDetails,
    Fee,
    Invoice,
    InvoiceSequence,
    Payment,
    StatementLine,
)
from m50.membership.models import Membership
from m50.membership.projection import status_periods_rebuild
from m50.membership.services import membership_listed_create
from m50.municipalities.models import Municipality
from tests.factories import MunicipalityFactory, ProvinceFactory
from tests.finance import issue
from tests.municipalities.test_pages import assert_sound_headings

pytestmark = pytest.mark.django_db

D = dt.date
RUN_DATE = D(2024, 1, 10)
CAMT_SAMPLE = Path(__file__).parent / "data" / "camt053_sample.xml"
OIN = "00000001001997233000"


# --- Builders (shared with test_sending and test_exports) --------------------------------------


def member(name: str = "Diemen", code: str = "GM0384", *, email: str = "facturen@diemen.nl"):
    """A municipality on the April 2023 list, with complete billing details (an e-invoice can
    be made of its invoices)."""
    municipality = MunicipalityFactory(name=name, code=code)
    membership_listed_create(municipality=municipality, listed_since="2023-04", listed_source="")
    services.billing_details_update(
        municipality=municipality,
        name=f"Gemeente {name}",
        address_line="Postbus 191",
        postal_code="1110 AD",
        city=name,
        oin=OIN,
        email=email,
    )
    return municipality


def drafts(year: int = 2024, issue_date: dt.date = RUN_DATE) -> list[Invoice]:
    """The run: drafts without a number, by municipality name."""
    services.fee_reference_load()
    return services.invoice_run(year=year, issue_date=issue_date)


def run(year: int = 2024, issue_date: dt.date = RUN_DATE) -> list[Invoice]:
    """The run, its invoices recorded as sent: numbered in the order of the drafts."""
    return issue(drafts(year, issue_date))


def invoice(number: str) -> Invoice:
    return selectors.invoice_by_number(number=number)


def bulk_invoices(count: int, start: int = 5000) -> list[Invoice]:
    """``count`` listed members invoiced for 2024, in bulk; a third partly paid, a tenth paid,
    and one credited, so every status and the joins are on the pages."""
    province = ProvinceFactory()
    municipalities = Municipality.objects.bulk_create(
        Municipality(name=f"Bulkgemeente {n:05d}", code=f"GM{n:04d}", province=province)
        for n in range(start, start + count)
    )
    Membership.objects.bulk_create(
        Membership(municipality=m, listed_since="2023-04") for m in municipalities
    )
    status_periods_rebuild()
    created = drafts()
    # Numbered and sent in bulk (the service does it one by one); one in seven stays a draft.
    sequence, _new = InvoiceSequence.objects.get_or_create(year=2024)
    numbered = []
    for n, item in enumerate(created):
        if n % 7 == 5:
            continue
        sequence.last_number += 1
        item.year, item.sequence = 2024, sequence.last_number
        item.number, item.state = f"2024-{sequence.last_number:04d}", Invoice.State.SENT
        numbered.append(item)
    Invoice.objects.bulk_update(numbered, ["year", "sequence", "number", "state"], batch_size=500)
    sequence.save()
    Payment.objects.bulk_create(
        Payment(
            invoice=item,
            paid_on=D(2024, 1, 20),
            amount=Decimal("5000.00") if n % 10 == 0 else Decimal("1000.00"),
        )
        for n, item in enumerate(numbered)
        if n % 3 == 0
    )
    services.invoice_paid_rebuild()  # the payments were booked in bulk, past the services
    services.invoice_credit(invoice=numbered[1], reason="verkeerd adres", issue_date=RUN_DATE)
    return created


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(context)


@pytest.fixture
def bureau(client, bureau_user):
    client.force_login(bureau_user)
    return client


# --- Access -----------------------------------------------------------------------------------


FINANCE_PAGES = [
    "finance:overview",
    "finance:invoice_run",
    "finance:fees",
    "finance:invoice_list",
    "finance:open_amounts",
    "finance:payment_list",
    "finance:bank_lines",
    "finance:billing_list",
]


@pytest.mark.parametrize("name", FINANCE_PAGES)
def test_the_bureau_pages_have_one_h1_and_sound_headings(bureau, name):
    member()
    run()
    response = bureau.get(reverse(name))
    assert response.status_code == 200
    assert_sound_headings(response.text)


@pytest.mark.parametrize("role", [Role.MEMBER_CONTACT, Role.PUBLIC_AFFAIRS, Role.PARTICIPANT])
def test_other_roles_are_refused_the_bureau_pages(client, user_for_role, role):
    client.force_login(user_for_role(role))
    for name in FINANCE_PAGES:
        assert client.get(reverse(name)).status_code == 403, name


def test_the_menu_links_finance_for_the_bureau_only(client, bureau_user, user_for_role):
    client.force_login(bureau_user)
    assert f'href="{reverse("finance:overview")}"' in client.get(reverse("core:home")).text
    client.force_login(user_for_role(Role.MEMBER_CONTACT))
    assert f'href="{reverse("finance:overview")}"' not in client.get(reverse("core:home")).text


# --- The run ----------------------------------------------------------------------------------


def test_the_run_previews_then_creates_and_a_second_run_has_nothing_to_do(bureau):
    member()
    member("Zeist", "GM0355")
    services.fee_reference_load()
    url = reverse("finance:invoice_run")

    preview = bureau.get(url, {"year": 2024})
    page = text(preview.text)
    assert "Contributie M50 2024, Diemen" in page and "Contributie M50 2024, Zeist" in page
    assert "€ 10.000,00" in page  # the total
    assert "2 facturen aanmaken" in page
    assert Invoice.objects.count() == 0  # a preview writes nothing

    response = bureau.post(url, {"year": 2024, "issue_date": "2024-01-16"}, follow=True)
    assert Invoice.objects.filter(number__isnull=True, issue_date=D(2024, 1, 16)).count() == 2
    assert "2 facturen voor 2024 aangemaakt, als concept: Diemen, Zeist." in text(response.text)
    assert response.redirect_chain[-1][0] == reverse("finance:invoice_send_all") + "?jaar=2024"

    again = bureau.post(url, {"year": 2024}, follow=True)
    assert "Niets te doen: alle facturen voor 2024 bestaan al." in text(again.text)
    assert Invoice.objects.count() == 2
    assert "Niets te doen" in text(bureau.get(url, {"year": 2024}).text)


def test_the_run_without_a_fee_says_so(bureau):
    member()
    response = bureau.post(reverse("finance:invoice_run"), {"year": 2024}, follow=True)
    assert "er is geen contributie vastgesteld voor 2024" in text(response.text)
    assert Invoice.objects.count() == 0


@pytest.mark.parametrize("year", ["", "twintig", "1999", "2101"])
def test_a_bad_year_is_reported_and_nothing_is_created(bureau, year):
    member()
    services.fee_reference_load()
    response = bureau.post(reverse("finance:invoice_run"), {"year": year})
    assert response.status_code == 400  # as every refused form
    assert "Er is niets aangemaakt" in response.text
    assert "Contributiejaar" in text(response.text)
    assert Invoice.objects.count() == 0


# --- Fees and billing details -----------------------------------------------------------------


def test_the_bureau_sets_a_fee_and_a_bad_amount_writes_nothing(bureau):
    url = reverse("finance:fees")
    response = bureau.post(url, {"valid_from_year": 2027, "amount": "5250,00"}, follow=True)
    assert "De contributie vanaf 2027 is vastgesteld op € 5.250,00." in text(response.text)
    assert Fee.objects.get(valid_from_year=2027).amount == Decimal("5250.00")
    for amount in ("", "veel", "-5", "1,234"):
        response = bureau.post(url, {"valid_from_year": 2028, "amount": amount})
        assert response.status_code == 400, amount
        assert "Er is niets vastgelegd" in response.text
    assert not Fee.objects.filter(valid_from_year=2028).exists()


def test_the_bureau_updates_billing_details_and_a_bad_email_writes_nothing(bureau):
    municipality = member()
    url = reverse("finance:billing_details", args=[municipality.code])
    form = {
        "name": "Gemeente Diemen",
        "address_line": "Postbus 191",
        "postal_code": "1110 AD",
        "city": "Diemen",
        "oin": OIN,
        "kvk": "",
        "email": "crediteuren@diemen.nl",
        "contact_name": "Team Financiën",
        "purchase_order": "PO-2024-17",
    }
    response = bureau.post(url, form)
    assert response.status_code == 302
    details = BillingDetails.objects.get(municipality=municipality)
    assert (details.email, details.purchase_order) == ("crediteuren@diemen.nl", "PO-2024-17")

    response = bureau.post(url, {**form, "email": "geen adres", "purchase_order": "PO-X"})
    assert response.status_code == 400
    assert "Vul een geldig e-mailadres in" in response.text
    details.refresh_from_db()
    assert details.purchase_order == "PO-2024-17"

    # A new invoice takes the details as they are on its date.
    [created] = run()
    assert created.purchase_order == "PO-2024-17"


# --- Invoices: list, filters, totals ----------------------------------------------------------


def test_the_invoice_list_filters_and_totals(bureau):
    member()
    member("Zeist", "GM0355")
    diemen, zeist = drafts()
    zeist = services.invoice_mark_sent(invoice=zeist, recipients=["x@zeist.nl"])
    services.payment_register(invoice=zeist, paid_on=D(2024, 1, 20), amount=Decimal("2000"))
    url = reverse("finance:invoice_list")

    page = text(bureau.get(url).text)
    assert "2 facturen" in page
    assert "Gefactureerd € 10.000,00 Betaald € 2.000,00 Openstaand € 8.000,00" in page

    overdue = text(bureau.get(url, {"status": "overdue"}).text)  # due 9 February 2024
    assert zeist.number in overdue and "Diemen" not in overdue
    assert "Openstaand € 3.000,00" in overdue
    concept = bureau.get(url, {"status": "draft"}).text
    assert diemen.key in concept and zeist.number not in concept
    search = text(bureau.get(url, {"gemeente": "zei"}).text)
    assert zeist.number in search and "Diemen" not in search
    assert "1 factuur" in text(bureau.get(url, {"jaar": 2024, "gemeente": "die"}).text)
    assert "Geen facturen gevonden" in text(bureau.get(url, {"jaar": 2023}).text)


def test_a_bad_filter_is_reported_and_the_others_apply(bureau):
    member()
    run()
    response = bureau.get(reverse("finance:invoice_list"), {"status": "weg", "jaar": "x"})
    assert response.status_code == 200
    assert "Niet alle filters konden worden toegepast" in response.text
    assert "1 factuur" in text(response.text)


def test_each_status_filter_agrees_with_the_derived_status(bureau):
    bulk_invoices(30)
    today = timezone.localdate()
    # Invoices of today as well, not yet due: sent, partly paid; drafts.
    current = drafts(2025, today)
    for n, item in enumerate(current):
        if n % 2 == 0:
            item = services.invoice_mark_sent(invoice=item, recipients=["x"])
        if n % 4 == 0:
            services.payment_register(invoice=item, paid_on=today, amount=Decimal("100"))
    statuses = {selectors.invoice_status(i, today) for i in selectors.invoice_queryset()}
    assert statuses == set(selectors.Status.LABELS)  # every status is there to filter on
    url = reverse("finance:invoice_list")
    for status in selectors.Status.LABELS:
        expected = {
            i.key
            for i in selectors.invoice_queryset()
            if selectors.invoice_status(i, today) == status
        }
        response = bureau.get(url, {"status": status})
        shown = set(re.findall(r"/financien/facturen/(20\d\d-\d{4}|concept-\d+)/\"", response.text))
        assert shown == expected, status


# --- An invoice and its actions ---------------------------------------------------------------


def test_credit_with_a_reason_and_without_one(bureau):
    member()
    [created] = run()
    url = reverse("finance:invoice_credit", args=[created.number])
    response = bureau.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert "Geef de reden van de creditering." in response.text
    assert Invoice.objects.count() == 1

    response = bureau.post(url, {"reason": "verkeerd adres"}, follow=True)
    note = Invoice.objects.get(kind=Invoice.Kind.CREDIT_NOTE)
    assert f"Factuur {created.number} is gecrediteerd met creditnota {note.number}." in text(
        response.text
    )
    page = text(bureau.get(reverse("finance:invoice_detail", args=[created.number])).text)
    assert f"Gecrediteerd met creditnota {note.number}" in page
    assert "gecrediteerd" in page

    again = bureau.post(url, {"reason": "nog eens"})
    assert again.status_code == 400
    assert "Deze factuur is al gecrediteerd." in again.text
    assert Invoice.objects.count() == 2


def test_register_payments_by_hand_and_bad_input_writes_nothing(bureau):
    member()
    [created] = run()
    url = reverse("finance:payment_create", args=[created.number])
    for data, message in (
        ({"paid_on": "2024-01-20", "amount": "0"}, "Een betaling is een positief bedrag."),
        ({"paid_on": "2024-01-20", "amount": "-10"}, "Een betaling is een positief bedrag."),
        ({"paid_on": "2024-01-20", "amount": "vijf"}, "Vul een bedrag in euro"),
        ({"paid_on": "gisteren", "amount": "10"}, "Vul een datum in als dag-maand-jaar"),
        ({"paid_on": "2024-01-20", "amount": "1,001"}, "hoogstens twee cijfers"),
    ):
        response = bureau.post(url, data)
        assert response.status_code == 400, data
        assert message in response.text, data
    assert Payment.objects.count() == 0

    response = bureau.post(
        url, {"paid_on": "20-01-2024", "amount": "2000,50", "reference": "bank 1"}, follow=True
    )
    assert f"Betaling van € 2.000,50 op {created.number} geregistreerd." in text(response.text)
    bureau.post(url, {"paid_on": "2024-01-22", "amount": "2999.50"})
    assert selectors.invoice_status(invoice(created.number)) == selectors.Status.PAID
    page = text(bureau.get(reverse("finance:invoice_detail", args=[created.number])).text)
    assert "betaald" in page and "€ 2.000,50" in page and "bank 1" in page


def test_a_credit_note_takes_no_payment(bureau):
    member()
    [created] = run()
    note = services.invoice_credit(invoice=created, reason="fout")
    response = bureau.post(
        reverse("finance:payment_create", args=[note.number]),
        {"paid_on": "2024-01-20", "amount": "10"},
    )
    assert response.status_code == 400
    assert "niet bij een creditnota" in response.text
    assert Payment.objects.count() == 0


def test_an_unknown_invoice_number_is_a_404(bureau):
    for name in ("finance:invoice_detail", "finance:invoice_pdf", "finance:payment_create"):
        assert bureau.get(reverse(name, args=["2024-9999"])).status_code == 404


# --- Downloads: own municipality only ---------------------------------------------------------


def test_a_member_contact_downloads_its_own_invoices_and_no_one_elses(client, user_for_role):
    diemen = member()
    member("Zeist", "GM0355")
    own, other = run()
    client.force_login(user_for_role(Role.MEMBER_CONTACT, municipality=diemen))
    pdf = client.get(reverse("finance:invoice_pdf", args=[own.number]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert f'filename="factuur-{own.number}.pdf"' in pdf["Content-Disposition"]
    ubl = client.get(reverse("finance:invoice_ubl", args=[own.number]))
    assert ubl.status_code == 200 and b"<Invoice" in ubl.content
    assert client.get(reverse("finance:invoice_detail", args=[own.number])).status_code == 200
    for name in ("finance:invoice_pdf", "finance:invoice_ubl", "finance:invoice_detail"):
        assert client.get(reverse(name, args=[other.number])).status_code == 404, name
    # ... nor the bureau's actions on its own invoice.
    assert client.get(reverse("finance:invoice_send", args=[own.number])).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    member()
    [created] = run()
    response = client.get(reverse("finance:invoice_pdf", args=[created.number]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_invoice_that_cannot_be_an_e_invoice_is_refused_in_dutch(bureau):
    municipality = member()
    services.billing_details_update(municipality=municipality, oin="", kvk="")
    [created] = run()
    response = bureau.get(reverse("finance:invoice_ubl", args=[created.number]))
    assert response.status_code == 409
    assert "geen OIN en geen KvK-nummer" in response.text


# --- The municipality page --------------------------------------------------------------------


def test_the_municipality_page_shows_its_invoices_to_the_bureau_and_its_own_contact(
    client, bureau_user, user_for_role
):
    diemen = member()
    zeist = member("Zeist", "GM0355")
    own, other = run()
    url = reverse("municipalities:detail", args=[diemen.code])

    client.force_login(bureau_user)
    page = client.get(url).text
    assert 'id="facturen"' in page and own.number in page and other.number not in page
    assert reverse("finance:billing_details", args=[diemen.code]) in page

    client.force_login(user_for_role(Role.MEMBER_CONTACT, municipality=diemen))
    page = client.get(url).text
    assert own.number in page
    assert reverse("finance:invoice_pdf", args=[own.number]) in page
    assert reverse("finance:billing_details", args=[diemen.code]) not in page

    client.force_login(user_for_role(Role.MEMBER_CONTACT, municipality=zeist))
    assert 'id="facturen"' not in client.get(url).text
    client.logout()
    assert 'id="facturen"' not in client.get(url).text


# --- Bank lines -------------------------------------------------------------------------------


def test_upload_a_statement_and_match_a_line_by_hand(bureau):
    for n in range(3):  # the sample statement pays 2024-0001 .. 2024-0003
        member(f"Gemeente{n}", f"GM09{n:02d}")
    run(issue_date=D(2024, 1, 16))
    url = reverse("finance:statement_import")
    with CAMT_SAMPLE.open("rb") as handle:
        response = bureau.post(url, {"file": handle}, follow=True)
    assert response.status_code == 200
    assert "ingelezen" in text(response.text)
    before = Payment.objects.count()
    assert before > 0

    with CAMT_SAMPLE.open("rb") as handle:
        again = bureau.post(url, {"file": handle}, follow=True)
    assert "Niets gewijzigd" in text(again.text)
    assert Payment.objects.count() == before

    line = StatementLine.objects.filter(credit=True, payment__isnull=True).first()
    if line is not None:
        match_url = reverse("finance:line_match", args=[line.pk])
        response = bureau.post(match_url, {"number": "2099-0001"})
        assert response.status_code == 400
        assert "Er is geen factuur met nummer 2099-0001." in response.text
        assert Payment.objects.count() == before


def test_a_malformed_statement_is_refused_with_its_problems_and_nothing_imported(bureau):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("afschrift.xml", b"<Document><niet-af>", content_type="text/xml")
    response = bureau.post(reverse("finance:statement_import"), {"file": bad})
    assert response.status_code == 400
    assert "Er is niets ingelezen" in response.text
    assert StatementLine.objects.count() == 0


def test_match_a_line_by_hand_books_it(bureau):
    from m50.finance.models import BankStatement

    member()
    [created] = run()
    statement = BankStatement.objects.create(
        message_id="M", statement_id="S", account_iban="NL91ABNA0417164300"
    )
    line = StatementLine.objects.create(
        statement=statement, booking_date=D(2024, 2, 1), amount=Decimal("5000.00"), remittance="x"
    )
    too_much = StatementLine.objects.create(
        statement=statement, booking_date=D(2024, 2, 1), amount=Decimal("9000.00"), remittance="y"
    )
    response = bureau.post(
        reverse("finance:line_match", args=[too_much.pk]), {"number": created.number}
    )
    assert response.status_code == 400
    assert "hoger dan wat op factuur" in response.text
    response = bureau.post(
        reverse("finance:line_match", args=[line.pk]), {"number": created.number}, follow=True
    )
    assert f"geboekt op factuur {created.number}" in text(response.text)
    assert selectors.invoice_status(invoice(created.number)) == selectors.Status.PAID


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("finance:invoice_list"),
        reverse("finance:invoice_list") + "?status=partly_paid&gemeente=bulk&jaar=2024",
        reverse("finance:open_amounts"),
        reverse("finance:payment_list"),
        reverse("finance:overview"),
        reverse("finance:billing_list"),
    ],
)
def test_query_counts_are_the_same_at_10_and_1000_invoices(bureau, url):
    bulk_invoices(10, start=1000)
    small = count_queries(bureau, url)
    bulk_invoices(990, start=2000)
    assert Invoice.objects.count() > 1000
    assert count_queries(bureau, url) == small


def test_the_municipality_page_costs_one_query_for_its_invoices(client, bureau_user):
    diemen = member()
    client.force_login(bureau_user)
    url = reverse("municipalities:detail", args=[diemen.code])
    before = count_queries(client, url)
    run(2024)
    run(2025, D(2025, 1, 10))
    assert count_queries(client, url) == before


def test_a_payment_beyond_what_is_open_is_refused_on_the_page(bureau):
    member()
    [created] = run()
    services.payment_register(invoice=created, paid_on=D(2024, 1, 20), amount=Decimal("4000"))
    response = bureau.post(
        reverse("finance:payment_create", args=[created.number]),
        {"paid_on": "2024-01-21", "amount": "1000,01"},
    )
    assert response.status_code == 400
    assert "hoger dan wat openstaat" in response.text
    assert Payment.objects.count() == 1


def test_the_billing_list_shows_each_member_and_what_is_missing(bureau):
    member()
    MunicipalityFactory(name="Zonderlid", code="GM0998")
    bare = MunicipalityFactory(name="Kaal", code="GM0997")
    membership_listed_create(municipality=bare, listed_since="2023-04", listed_source="")
    page = text(bureau.get(reverse("finance:billing_list")).text)
    assert "2 gemeenten" in page
    assert "Diemen" in page and f"OIN {OIN}" in page and "facturen@diemen.nl" in page
    assert "Kaal" in page and "nog geen factuurgegevens" in page
    assert "Zonderlid" not in page
