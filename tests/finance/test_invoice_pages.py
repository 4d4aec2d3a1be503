"""Invoices that can go out: the run's preview names the members whose invoice details are
incomplete, and the bureau fixes them from there; query counts that do not grow."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from m50.accounts.models import Role
from m50.finance import selectors, services
from m50.finance.models import BillingDetails, Invoice, PaymentReminder
from m50.membership.models import Membership
from m50.membership.projection import status_periods_rebuild
from m50.membership.services import membership_listed_create
from m50.municipalities.models import Municipality
from tests.factories import MunicipalityFactory, ProvinceFactory, UserFactory
from tests.finance import issue
from tests.finance.test_pages import (
    OIN,
    bulk_invoices,
    count_queries,
    drafts,
    member,
    run,
    text,
)

pytestmark = pytest.mark.django_db

D = dt.date
GOUDA_OIN = "00000001001849680000"


@pytest.fixture
def bureau(client, bureau_user):
    client.force_login(bureau_user)
    return client


def bare(name: str, code: str, **billing) -> Municipality:
    """A member on the April 2023 list with no invoice details (or only those given)."""
    municipality = MunicipalityFactory(name=name, code=code, oin="", kvk="")
    membership_listed_create(municipality=municipality, listed_since="2023-04", listed_source="")
    if billing:
        services.billing_details_update(municipality=municipality, **billing)
    return municipality


# --- What is missing (selector) ---------------------------------------------------------------


def test_members_missing_invoice_details_names_what_is_missing():
    services.fee_reference_load()
    member()
    bare("Gouda", "GM0513")
    ede = bare("Ede", "GM0228", address_line="Bergstraat 4", city="Ede")
    BillingDetails.objects.filter(municipality=ede).update(kvk="1")  # stored before validation
    zeist = bare("Zeist", "GM0355", address_line="Het Rond 1", postal_code="3701 HS", city="Zeist")
    BillingDetails.objects.filter(municipality=zeist).update(oin=OIN)
    UserFactory(role=Role.MEMBER_CONTACT, municipality=zeist, email="contact@zeist.nl")
    # Not a member at all: never listed.
    MunicipalityFactory(name="Zonderlid", code="GM0998")

    missing = selectors.members_missing_invoice_details(year=2024)
    assert [(m.municipality.name, list(m.missing)) for m in missing] == [
        ("Ede", ["postcode", "OIN of KvK-nummer", "e-mailadres"]),
        ("Gouda", ["adres", "postcode", "plaats", "OIN of KvK-nummer", "e-mailadres"]),
    ]
    # The count another page shows: this year's members by default.
    assert len(selectors.members_missing_invoice_details()) == 2
    # No member owes 2022 (they were listed from 2023 on).
    assert selectors.members_missing_invoice_details(year=2022) == []
    # The work queue's count, in the database, follows the same rules.
    assert selectors.members_missing_invoice_details_count(year=2024) == 2
    assert selectors.members_missing_invoice_details_count(year=2022) == 0


def test_the_count_of_missing_details_agrees_with_the_list_on_every_shape():
    """Every way details can be (in)complete, counted by the database as the list decides."""
    services.fee_reference_load()
    complete = {
        "address_line": "Markt 1",
        "postal_code": "1234 AB",
        "city": "Stad",
        "email": "f@stad.nl",
    }
    bare("Leeg", "GM0101")
    bare("Alles", "GM0102", oin=OIN, **complete)
    bare("Kvk", "GM0103", kvk="12345678", **complete)
    bare("Zondermail", "GM0104", oin=OIN, **{**complete, "email": ""})
    with_contact = bare("Metcontact", "GM0105", oin=OIN, **{**complete, "email": ""})
    UserFactory(role=Role.MEMBER_CONTACT, municipality=with_contact, email="c@stad.nl")
    inactive = bare("Inactief", "GM0106", oin=OIN, **{**complete, "email": ""})
    UserFactory(role=Role.MEMBER_CONTACT, municipality=inactive, email="c@x.nl", is_active=False)
    spaces = bare("Spaties", "GM0107", oin=OIN, **complete)
    BillingDetails.objects.filter(municipality=spaces).update(city="   ")
    registry_oin = MunicipalityFactory(name="Registeroin", code="GM0108", oin=OIN, kvk="")
    membership_listed_create(municipality=registry_oin, listed_since="2023-04", listed_source="")
    late = bare("Laatgenoemd", "GM0109")
    late.membership.listed_since = "2025-01"
    late.membership.save()
    for year in (2022, 2023, 2024, 2025):
        listed = selectors.members_missing_invoice_details(year=year)
        assert selectors.members_missing_invoice_details_count(year=year) == len(listed), year
    assert [m.municipality.name for m in selectors.members_missing_invoice_details(year=2024)] == [
        "Inactief",
        "Leeg",
        "Registeroin",
        "Spaties",
        "Zondermail",
    ]


def test_the_selector_costs_the_same_queries_for_10_and_1000_members(django_assert_num_queries):
    province = ProvinceFactory()

    def add(start, count):
        municipalities = Municipality.objects.bulk_create(
            Municipality(name=f"Lid {n:05d}", code=f"GM{n:04d}", province=province)
            for n in range(start, start + count)
        )
        Membership.objects.bulk_create(
            Membership(municipality=m, listed_since="2023-04") for m in municipalities
        )
        status_periods_rebuild()

    add(1000, 10)
    with django_assert_num_queries(3):
        assert len(selectors.members_missing_invoice_details(year=2024)) == 10
    add(3000, 990)
    with django_assert_num_queries(3):
        assert len(selectors.members_missing_invoice_details(year=2024)) == 1000


# --- The run's preview ------------------------------------------------------------------------


def test_the_preview_lists_incomplete_members_and_the_bureau_fixes_them_from_there(bureau):
    services.fee_reference_load()
    member()
    gouda = bare("Gouda", "GM0513")
    url = reverse("finance:invoice_run")

    preview = bureau.get(url, {"year": 2024})
    page = text(preview.text)
    assert "1 lid heeft onvolledige factuurgegevens" in page
    assert (
        "Factuurgegevens van Gouda aanvullen — ontbreekt: adres, postcode, plaats, "
        "OIN of KvK-nummer, e-mailadres" in page
    )
    assert "Diemen aanvullen" not in page
    assert Invoice.objects.count() == 0  # nothing is created by looking
    link = re.search(r'href="([^"]*factuurgegevens/GM0513/[^"]*)"', preview.text).group(1)
    link = link.replace("&amp;", "&")
    assert link == "/financien/factuurgegevens/GM0513/?terug=/financien/facturatie/%3Fyear%3D2024"

    form = bureau.get(link)
    assert 'href="/financien/facturatie/?year=2024"' in form.text  # cancel goes back too
    response = bureau.post(
        link,
        {
            "name": "Gemeente Gouda",
            "address_line": "Markt 1",
            "postal_code": "2801jg",
            "city": "Gouda",
            "oin": "00000001001849680000",
            "kvk": "",
            "email": "facturen@gouda.nl",
            "contact_name": "",
            "purchase_order": "",
        },
    )
    assert response.status_code == 302
    assert response.url == "/financien/facturatie/?year=2024"
    assert BillingDetails.objects.get(municipality=gouda).postal_code == "2801 JG"
    after = text(bureau.get(response.url).text)
    assert "onvolledige factuurgegevens" not in after
    assert "2 facturen aanmaken" in after


def test_a_bad_fix_stays_on_the_form_and_saves_nothing(bureau):
    services.fee_reference_load()
    gouda = bare("Gouda", "GM0513")
    link = reverse("finance:billing_details", args=["GM0513"]) + "?terug=/financien/facturatie/"
    response = bureau.post(
        link, {"name": "Gemeente Gouda", "postal_code": "28011 JG", "oin": "123", "kvk": ""}
    )
    assert response.status_code == 400
    assert "Vul een Nederlandse postcode in" in response.text
    assert "Een OIN bestaat uit 20 cijfers" in response.text
    assert not BillingDetails.objects.filter(municipality=gouda).exists()


def test_a_return_address_elsewhere_is_ignored(bureau):
    gouda = bare("Gouda", "GM0513")
    link = reverse("finance:billing_details", args=["GM0513"]) + "?terug=https://evil.example/"
    response = bureau.post(link, {"name": "Gemeente Gouda", "email": "f@gouda.nl"})
    assert response.status_code == 302
    assert response.url == reverse("municipalities:detail", args=[gouda.code]) + "#facturen"


def test_the_preview_costs_the_same_queries_for_10_and_1000_members(bureau):
    services.fee_reference_load()
    province = ProvinceFactory()

    def add(start, count):
        municipalities = Municipality.objects.bulk_create(
            Municipality(name=f"Lid {n:05d}", code=f"GM{n:04d}", province=province)
            for n in range(start, start + count)
        )
        Membership.objects.bulk_create(
            Membership(municipality=m, listed_since="2023-04") for m in municipalities
        )
        status_periods_rebuild()

    url = reverse("finance:invoice_run") + "?year=2024"
    add(1000, 10)
    small = count_queries(bureau, url)
    add(3000, 990)
    assert count_queries(bureau, url) == small
    assert "1000 leden hebben onvolledige factuurgegevens" in text(bureau.get(url).text)


# --- Drafts on the pages ----------------------------------------------------------------------


def test_a_draft_has_a_page_of_its_own_without_downloads_and_is_the_bureaus(
    bureau, client, user_for_role
):
    diemen = member()
    [draft] = drafts()
    url = reverse("finance:invoice_detail", args=[draft.key])
    assert url == f"/financien/facturen/concept-{draft.pk}/"
    page = text(bureau.get(url).text)
    assert "Factuur concept" in page and "nog geen factuurnummer" in page
    assert "Bijwerken met de huidige factuurgegevens" in page and "Concept intrekken" in page
    assert "Crediteren" not in page and "Betaling registreren" not in page
    for name in ("finance:invoice_pdf", "finance:invoice_ubl"):
        refused = bureau.get(reverse(name, args=[draft.key]))
        assert refused.status_code == 409 and "nog geen factuurnummer" in text(refused.text)
    # A draft is not the member contact's until it is sent, not even of its own municipality.
    contact = user_for_role(Role.MEMBER_CONTACT, municipality=diemen)
    client.force_login(contact)
    for name in ("finance:invoice_detail", "finance:invoice_pdf"):
        assert client.get(reverse(name, args=[draft.key])).status_code == 404
    own_page = client.get(reverse("municipalities:detail", args=[diemen.code])).text
    assert draft.key not in own_page
    # Keys that are no draft's.
    for key in ("concept-x", f"concept-{draft.pk + 1}", "concept-"):
        assert bureau.get(reverse("finance:invoice_detail", args=[key])).status_code == 404


def test_the_bureau_refreshes_a_draft_from_its_page(bureau):
    gouda = bare("Gouda", "GM0513")
    [draft] = drafts()
    services.billing_details_update(municipality=gouda, city="Gouda", oin=GOUDA_OIN)
    url = reverse("finance:invoice_refresh", args=[draft.key])
    assert "Concept bijwerken" in text(bureau.get(url).text)
    response = bureau.post(url, follow=True)
    assert "Het concept voor Gouda heeft nu de huidige factuurgegevens." in text(response.text)
    draft.refresh_from_db()
    assert (draft.debtor_city, draft.debtor_oin, draft.number) == ("Gouda", GOUDA_OIN, None)


def test_the_bureau_withdraws_a_draft_and_a_sent_invoice_cannot_be(bureau):
    member()
    [draft] = drafts()
    url = reverse("finance:invoice_withdraw", args=[draft.key])
    response = bureau.post(url, {"reason": "dubbel"}, follow=True)
    assert "is ingetrokken; het jaar kan opnieuw worden gefactureerd" in text(response.text)
    assert not Invoice.objects.exists()
    assert bureau.post(url).status_code == 404  # gone
    [sent] = issue(drafts())
    assert sent.number == "2024-0001"  # the withdrawn draft used no number
    for name in ("finance:invoice_withdraw", "finance:invoice_refresh"):
        assert bureau.get(reverse(name, args=[sent.number])).status_code == 404


def test_sending_a_draft_from_its_page_numbers_it_with_the_chosen_date(bureau):
    member()
    [draft] = drafts()
    url = reverse("finance:invoice_send", args=[draft.key])
    form = bureau.get(url)
    assert 'value="2024-01-10"' in form.text  # the draft's own date to start from
    bad = bureau.post(url, {"issue_date": "gisteren"})
    assert bad.status_code == 400 and "Vul een datum in" in bad.text
    assert Invoice.objects.get().number is None
    response = bureau.post(url, {"issue_date": "2025-01-03"}, follow=True)
    sent = Invoice.objects.get()
    assert (sent.number, sent.issue_date) == ("2025-0001", D(2025, 1, 3))
    assert "2025-0001 is verstuurd naar facturen@diemen.nl." in text(response.text)
    assert response.redirect_chain[-1][0] == reverse("finance:invoice_detail", args=["2025-0001"])
    assert len(mail.outbox) == 1


# --- Sending a year's drafts ------------------------------------------------------------------


def test_send_all_lists_the_drafts_then_sends_them_and_says_what_could_not_go(bureau):
    member()
    member("Zeist", "GM0355", email="")
    bare("Gouda", "GM0513")
    drafts()
    url = reverse("finance:invoice_send_all")
    page = text(bureau.get(url, {"jaar": 2024}).text)
    assert "3 concepten voor 2024, nog niet verstuurd" in page
    # (Dates in tables are left out here: their short form is the site's.)
    assert "€ 5.000,00 aanvullen Gouda — ontbreekt: adres, postcode" in page
    assert "€ 5.000,00 compleet" in page
    assert "€ 5.000,00 aanvullen Zeist — ontbreekt: e-mailadres" in page

    response = bureau.post(url, {"jaar": 2024, "issue_date": "2024-02-01"})
    assert response.status_code == 200
    page = text(response.text)
    assert "1 factuur verstuurd" in page and "2024-0001 — Diemen, aan facturen@diemen.nl" in page
    assert "2 concepten niet verstuurd" in page
    assert "Gouda: Er is geen e-mailadres om het concept voor Gouda (contributie 2024)" in page
    assert "Geen e-factuur mogelijk voor het concept voor Gouda (contributie 2024)" in page
    assert "Zeist: Er is geen e-mailadres om het concept voor Zeist (contributie 2024)" in page
    assert "2 concepten voor 2024, nog niet verstuurd" in page
    sent = Invoice.objects.get(number__isnull=False)
    assert (sent.issue_date, sent.state) == (D(2024, 2, 1), Invoice.State.SENT)
    assert len(mail.outbox) == 1

    bad = bureau.post(url, {"jaar": "twintig", "issue_date": "2024-02-01"})
    assert bad.status_code == 400 and "Vul een jaar in als getal" in bad.text
    assert Invoice.objects.filter(number__isnull=False).count() == 1


def test_send_all_without_drafts_says_so(bureau):
    response = bureau.post(reverse("finance:invoice_send_all"), {"jaar": 2030}, follow=True)
    assert "Er waren geen concepten voor 2030." in text(response.text)


# --- Payment reminders ------------------------------------------------------------------------


def test_the_reminders_page_shows_what_was_sent_and_sends_what_is_due(bureau):
    # Invoiced and sent long ago: overdue today, round 2 due (more than 30 days late).
    member()
    member("Zeist", "GM0355", email="")
    diemen_invoice, zeist_invoice = run()
    url = reverse("finance:reminders")
    page = text(bureau.get(url).text)
    assert "2 facturen te laat op" in page
    assert re.search(
        rf"{diemen_invoice.number} Diemen .{{5,20}} nog geen ronde 2 te versturen", page
    )
    assert re.search(rf"{zeist_invoice.number} Zeist .{{5,20}} nog geen geen e-mailadres", page)
    assert "1 herinnering versturen" in page

    response = bureau.post(url, follow=True)
    page = text(response.text)
    assert f"1 betalingsherinnering verstuurd: {diemen_invoice.number}." in page
    assert (
        f"Geen e-mailadres om een herinnering naar te sturen voor: {zeist_invoice.number}" in page
    )
    assert "ronde 2 op" in page and "niets te doen" in page
    assert list(PaymentReminder.objects.values_list("round", flat=True)) == [2]
    # Idempotent: a second press sends nothing.
    again = text(bureau.post(url, follow=True).text)
    assert "Er was vandaag geen herinnering te versturen." in again
    assert PaymentReminder.objects.count() == 1 and len(mail.outbox) == 1


def test_the_reminders_page_without_overdue_invoices(bureau):
    assert "Er zijn geen facturen te laat." in text(bureau.get(reverse("finance:reminders")).text)


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("finance:invoice_send_all") + "?jaar=2024",
        reverse("finance:reminders"),
        reverse("finance:invoice_list") + "?status=draft",
    ],
)
def test_query_counts_of_the_new_pages_are_the_same_at_10_and_1000_invoices(bureau, url):
    bulk_invoices(10, start=1000)
    small = count_queries(bureau, url)
    bulk_invoices(990, start=2000)
    assert Invoice.objects.count() > 1000
    assert count_queries(bureau, url) == small


@pytest.mark.parametrize("issue_date", ["1999-12-31", "2099-01-01", "morgen"])
def test_an_implausible_invoice_date_is_refused_and_nothing_is_created_or_sent(bureau, issue_date):
    member()
    services.fee_reference_load()
    response = bureau.post(reverse("finance:invoice_run"), {"year": 2024, "issue_date": issue_date})
    assert response.status_code == 400
    assert "Er is niets aangemaakt" in response.text
    assert not Invoice.objects.exists()
    [draft] = drafts()
    response = bureau.post(
        reverse("finance:invoice_send_all"), {"jaar": 2024, "issue_date": issue_date}
    )
    assert response.status_code == 400
    assert "Er is niets verstuurd" in response.text
    response = bureau.post(
        reverse("finance:invoice_send", args=[draft.key]), {"issue_date": issue_date}
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert (draft.number, draft.issue_date, len(mail.outbox)) == (None, D(2024, 1, 10), 0)


def test_the_refusal_names_the_first_invoice_year():
    with pytest.raises(ValidationError, match="vanaf 1 januari 2023"):
        services.invoice_date_check(D(2022, 12, 31))
    services.invoice_date_check(D(2023, 1, 1))


def test_a_draft_in_the_export_has_no_number_and_the_status_concept(bureau):
    member()
    drafts()
    response = bureau.get(reverse("finance:invoice_list"), {"formaat": "csv"})
    content = response.getvalue()  # streamed
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == "" and rows[1][5] == "Diemen" and rows[1][-3] == "concept"


def test_an_unsent_invoice_numbered_before_drafts_had_none_is_sent_with_its_number(bureau):
    member()
    [draft] = drafts()
    # As an invoice run before this release left it: numbered, never sent.
    Invoice.objects.filter(pk=draft.pk).update(number="2024-0007", year=2024, sequence=7)
    page = text(bureau.get(reverse("finance:invoice_send_all"), {"jaar": 2024}).text)
    assert "Diemen (2024-0007)" in page
    response = bureau.post(reverse("finance:invoice_send_all"), {"jaar": 2024})
    assert "2024-0007 — Diemen, aan facturen@diemen.nl" in text(response.text)
    assert Invoice.objects.get().state == Invoice.State.SENT
