"""Invoices that can go out: the run's preview names the members whose invoice details are
incomplete, and the bureau fixes them from there; query counts that do not grow."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from m50.accounts.models import Role
from m50.finance import selectors, services
from m50.finance.models import BillingDetails, Invoice
from m50.membership.models import Membership
from m50.municipalities.models import Municipality
from tests.factories import MunicipalityFactory, ProvinceFactory, UserFactory
from tests.finance.test_pages import OIN, count_queries, member, text

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def bureau(client, bureau_user):
    client.force_login(bureau_user)
    return client


def bare(name: str, code: str, **billing) -> Municipality:
    """A member on the April 2023 list with no invoice details (or only those given)."""
    municipality = MunicipalityFactory(name=name, code=code, oin="", kvk="")
    Membership.objects.create(municipality=municipality, listed_since="2023-04")
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

    url = reverse("finance:invoice_run") + "?year=2024"
    add(1000, 10)
    small = count_queries(bureau, url)
    add(3000, 990)
    assert count_queries(bureau, url) == small
    assert "1000 leden hebben onvolledige factuurgegevens" in text(bureau.get(url).text)
