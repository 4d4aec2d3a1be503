"""A municipality's contact passes a change of its invoice details to the bureau: audited,
mailed to the bureau, and nothing changes until the bureau applies it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from m50.accounts.models import Role
from m50.core.models import AuditEvent
from m50.finance import services as finance_services
from m50.finance.models import BillingDetails
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

URL = reverse("reports:billing_change")


@pytest.fixture
def houten():
    item = MunicipalityFactory(name="Houten", code="GM0321")
    finance_services.billing_details_update(
        municipality=item,
        name="Gemeente Houten",
        address_line="Postbus 30",
        postal_code="3990 DA",
        city="Houten",
        oin="00000001001234567000",
    )
    return item


@pytest.fixture
def contact(houten, user_for_role):
    return user_for_role(Role.MEMBER_CONTACT, municipality=houten, username="carla")


def form_data(**changes):
    data = {
        "name": "Gemeente Houten",
        "address_line": "Postbus 30",
        "postal_code": "3990 DA",
        "city": "Houten",
        "oin": "00000001001234567000",
        "kvk": "",
        "email": "",
        "contact_name": "",
        "purchase_order": "",
        "remarks": "",
    }
    data.update(changes)
    return data


def test_the_form_shows_the_current_details(client, contact):
    client.force_login(contact)
    response = client.get(URL)
    assert response.status_code == 200
    assert 'value="Postbus 30"' in response.text
    assert "Wijziging doorgeven" in response.text


def test_a_change_is_audited_and_mailed_to_the_bureau_but_not_applied(
    client, contact, houten, user_for_role, settings, django_capture_on_commit_callbacks
):
    user_for_role(Role.BUREAU, email="bea@m50.example")
    settings.M50_BUREAU_NOTIFY_EMAILS = ["secretariaat@m50.example"]
    client.force_login(contact)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            form_data(
                email="facturen@houten.nl", purchase_order="PO-77", remarks="Vanaf 1 januari."
            ),
        )
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("core:home") + "#factuurgegevens"
    event = AuditEvent.objects.get(action="billing.change_request")
    assert event.actor == contact and event.object_repr == "Houten"
    assert event.changes == {
        "email": {"old": "", "new": "facturen@houten.nl"},
        "purchase_order": {"old": "", "new": "PO-77"},
    }
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bea@m50.example", "secretariaat@m50.example"]
    assert message.subject == "Wijziging factuurgegevens gevraagd door Houten"
    assert "e-mailadres facturen: (leeg) -> facturen@houten.nl" in message.body
    assert "Toelichting: Vanaf 1 januari." in message.body
    assert "/financien/factuurgegevens/GM0321/" in message.body
    assert BillingDetails.objects.get(municipality=houten).email == ""


def test_nothing_changed_is_refused_and_sends_nothing(
    client, contact, django_capture_on_commit_callbacks
):
    client.force_login(contact)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data())
    assert response.status_code == 200
    assert "Er is niets gewijzigd" in response.text
    assert "Er is niets doorgegeven" in response.text
    assert not AuditEvent.objects.filter(action="billing.change_request").exists()
    assert mail.outbox == []


def test_bad_input_is_refused_in_dutch(client, contact):
    client.force_login(contact)
    response = client.post(URL, form_data(email="geen-adres", name=""))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["email"] == ["Vul een geldig e-mailadres in, bijvoorbeeld facturen@gemeente.nl."]
    assert errors["name"] == ["Vul dit veld in."]
    assert not AuditEvent.objects.filter(action="billing.change_request").exists()


def test_only_a_member_contact_may_ask(client, user_for_role, houten):
    client.force_login(user_for_role(Role.PARTICIPANT, municipality=houten))
    assert client.get(URL).status_code == 403
    for role in (Role.BUREAU, Role.PUBLIC_AFFAIRS):
        client.force_login(user_for_role(role))
        assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302
