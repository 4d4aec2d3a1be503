"""Invoice details and payments typed by hand: identifiers as the e-invoice needs them, Dutch
amounts, plausible dates; bad input gets a Dutch message and writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from m50.finance import services
from m50.finance.forms import PaymentForm, parse_amount
from m50.finance.models import BillingDetails, Payment
from tests.finance.test_pages import OIN, member, run, text

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def bureau(client, bureau_user):
    client.force_login(bureau_user)
    return client


BILLING = {
    "name": "Gemeente Diemen",
    "address_line": "Postbus 191",
    "postal_code": "1110 AD",
    "city": "Diemen",
    "oin": OIN,
    "kvk": "",
    "email": "crediteuren@diemen.nl",
    "contact_name": "",
    "purchase_order": "",
}


def test_the_service_normalises_the_postcode_and_identifiers():
    municipality = member()
    details = services.billing_details_update(
        municipality=municipality, postal_code=" 1110ad ", oin="0000 0001 0019 9723 3000"
    )
    assert (details.postal_code, details.oin) == ("1110 AD", OIN)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("oin", "0000000100199723300", "Een OIN bestaat uit 20 cijfers"),
        ("oin", "0000000100199723300A", "Een OIN bestaat uit 20 cijfers"),
        ("kvk", "3437481", "Een KvK-nummer bestaat uit 8 cijfers"),
        ("kvk", "3437481A", "Een KvK-nummer bestaat uit 8 cijfers"),
        ("postal_code", "11101 AD", "Vul een Nederlandse postcode in"),
        ("postal_code", "0110 AD", "Vul een Nederlandse postcode in"),
        ("postal_code", "1110 SA", "Vul een Nederlandse postcode in"),
        ("email", "crediteuren(at)diemen.nl", "Vul een geldig e-mailadres in"),
    ],
)
def test_bad_invoice_details_are_refused_on_the_page_and_nothing_is_saved(
    bureau, field, value, message
):
    municipality = member()
    url = reverse("finance:billing_details", args=[municipality.code])
    response = bureau.post(url, {**BILLING, field: value, "purchase_order": "PO-9"})
    assert response.status_code == 400
    assert message in response.text
    assert BillingDetails.objects.get(municipality=municipality).purchase_order == ""


def test_the_page_saves_a_postcode_as_1234_ab(bureau):
    municipality = member()
    url = reverse("finance:billing_details", args=[municipality.code])
    response = bureau.post(url, {**BILLING, "postal_code": "1110ad", "kvk": "34374815"})
    assert response.status_code == 302
    details = BillingDetails.objects.get(municipality=municipality)
    assert (details.postal_code, details.kvk) == ("1110 AD", "34374815")


def test_the_service_refuses_every_bad_identifier_at_once():
    municipality = member()
    with pytest.raises(ValidationError) as raised:
        services.billing_details_update(
            municipality=municipality, oin="1", kvk="2", postal_code="x"
        )
    assert set(raised.value.message_dict) == {"oin", "kvk", "postal_code"}


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1.234,56", "1234.56"),
        ("1234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("€ 1.234.567,5", "1234567.5"),
        ("5000", "5000"),
        ("1,5", "1.5"),
        ("12.5", "12.5"),
    ],
)
def test_amounts_are_read_the_dutch_way(typed, amount):
    assert parse_amount(typed) == amount


@pytest.mark.parametrize("typed", ["1.234", "12.345", "1,234.56", "1.23,4", "vijf", "1 2,3.4"])
def test_amounts_that_are_no_amount_or_ambiguous_are_refused(typed):
    form = PaymentForm({"paid_on": "2024-01-20", "amount": typed})
    assert not form.is_valid()
    assert "amount" in form.errors


def test_an_ambiguous_amount_says_how_to_write_it():
    form = PaymentForm({"paid_on": "2024-01-20", "amount": "1.234"})
    assert not form.is_valid()
    assert "op twee manieren gelezen" in form.errors["amount"][0]


def test_too_large_an_amount_is_shown_the_dutch_way():
    form = PaymentForm({"paid_on": "2024-01-20", "amount": "100.000.000,00"})
    assert not form.is_valid()
    assert "€ 99.999.999,99" in form.errors["amount"][0]


def _payment_url():
    member()
    [created] = run()
    return created, reverse("finance:payment_create", args=[created.number])


def test_the_payment_form_takes_a_dutch_amount(bureau):
    created, url = _payment_url()
    response = bureau.post(url, {"paid_on": "2024-01-20", "amount": "1.234,56"}, follow=True)
    assert f"Betaling van € 1.234,56 op {created.number} geregistreerd." in text(response.text)
    assert Payment.objects.get().amount == Decimal("1234.56")


@pytest.mark.parametrize(
    ("paid_on", "message"),
    [
        (timezone.localdate() + dt.timedelta(days=1), "kan niet in de toekomst liggen"),
        (D(2022, 12, 31), "vóór 2023, het jaar van de eerste facturen"),
        (D(1800, 1, 1), "vóór 2023"),
    ],
)
def test_a_payment_date_in_the_future_or_too_far_back_is_refused(bureau, paid_on, message):
    _created, url = _payment_url()
    response = bureau.post(url, {"paid_on": paid_on.isoformat(), "amount": "10"})
    assert response.status_code == 400
    assert message in response.text
    assert Payment.objects.count() == 0


@override_settings(M50_FIRST_INVOICE_YEAR=2024)
def test_the_first_invoice_year_is_a_setting(bureau):
    _created, url = _payment_url()
    response = bureau.post(url, {"paid_on": "2023-12-31", "amount": "10"})
    assert response.status_code == 400 and "vóór 2024" in response.text


def test_a_refused_amount_is_shown_the_dutch_way(bureau):
    created, url = _payment_url()
    services.payment_register(invoice=created, paid_on=D(2024, 1, 20), amount=Decimal("4000"))
    response = bureau.post(url, {"paid_on": "2024-01-21", "amount": "1.000,01"})
    assert response.status_code == 400
    assert "Het bedrag (€ 1.000,01) is hoger dan wat openstaat (€ 1.000,00)." in text(response.text)
    assert Payment.objects.count() == 1
