"""A municipality's contact passes a change of its invoice details to the bureau: audited,
mailed to the bureau, and nothing changes until the bureau applies it (or rejects it, with a
reason the contact reads on its start page and in an e-mail)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from m50.accounts.models import Role
from m50.core.models import AuditEvent
from m50.finance import services as finance_services
from m50.finance.models import BillingDetails
from m50.reports import selectors, services
from m50.reports.models import BillingChangeRequest
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
    assert event.actor == contact and event.object_type == "reports.BillingChangeRequest"
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
    change = BillingChangeRequest.objects.get()
    assert f"/werkvoorraad/factuurgegevens/{change.pk}/" in message.body
    assert change.state == BillingChangeRequest.State.PENDING and change.requested_by == contact
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


def request_change(houten, contact, **proposed):
    current = {"name": "Gemeente Houten", "city": "Houten", "email": ""}
    return services.billing_change_request(
        municipality=houten,
        actor=contact,
        current=current,
        proposed={**{k: current[k] for k in proposed}, **proposed},
    )


def test_the_bureau_applies_a_change_and_the_contact_is_told(
    client, contact, houten, bureau_user, django_capture_on_commit_callbacks
):
    change = request_change(houten, contact, email="facturen@houten.nl")
    queue = {item.key: item.count for item in selectors.bureau_work_queue()}
    assert queue["billing_changes"] == 1
    client.force_login(bureau_user)
    listing = client.get(reverse("reports:billing_change_list")).text
    assert "Houten" in listing and "facturen@houten.nl" in listing
    url = reverse("reports:billing_change_handle", args=[change.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "apply"})
    assert response.status_code == 302
    details = BillingDetails.objects.get(municipality=houten)
    assert (details.email, details.city) == ("facturen@houten.nl", "Houten")
    change.refresh_from_db()
    assert change.state == BillingChangeRequest.State.APPLIED and change.handled_by == bureau_user
    assert AuditEvent.objects.filter(action="billing.update").exists()
    assert AuditEvent.objects.filter(action="billing.change_apply").exists()
    assert [m.subject for m in mail.outbox] == ["Uw wijziging van de factuurgegevens is verwerkt"]
    assert mail.outbox[0].to == [contact.email]
    # Handled once only.
    response = client.post(url, {"action": "apply"})
    assert "Deze wijziging is al behandeld." in response.text


def test_a_rejection_needs_a_reason_and_reaches_the_contact(
    client, contact, houten, bureau_user, django_capture_on_commit_callbacks
):
    change = request_change(houten, contact, city="Schalkwijk")
    client.force_login(bureau_user)
    url = reverse("reports:billing_change_handle", args=[change.pk])
    response = client.post(url, {"action": "reject", "reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Geef een reden voor de afwijzing."]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "reject", "reason": "Schalkwijk hoort bij Houten."})
    change.refresh_from_db()
    assert change.state == BillingChangeRequest.State.REJECTED
    assert BillingDetails.objects.get(municipality=houten).city == "Houten"
    assert "Reden van de afwijzing:\nSchalkwijk hoort bij Houten." in mail.outbox[0].body
    client.force_login(contact)
    home = client.get(reverse("core:home")).text
    assert "Reden van afwijzing:</strong> Schalkwijk hoort bij Houten." in home


def test_a_change_the_details_refuse_changes_nothing(client, contact, houten, bureau_user):
    change = BillingChangeRequest.objects.create(
        municipality=houten,
        changes={"email": {"old": "", "new": "geen-adres"}, "city": {"old": "Houten", "new": "X"}},
        requested_by=contact,
    )
    client.force_login(bureau_user)
    url = reverse("reports:billing_change_handle", args=[change.pk])
    response = client.post(url, {"action": "apply"})
    assert response.status_code == 200
    assert "Er is niets gewijzigd" in response.text
    details = BillingDetails.objects.get(municipality=houten)
    assert (details.email, details.city) == ("", "Houten")
    change.refresh_from_db()
    assert change.state == BillingChangeRequest.State.PENDING


def test_list_query_count_is_the_same_for_10_and_1000_requests(client, bureau_user, houten):
    def add(count):
        BillingChangeRequest.objects.bulk_create(
            BillingChangeRequest(municipality=houten, changes={"city": {"old": "", "new": "Y"}})
            for _ in range(count)
        )

    client.force_login(bureau_user)
    add(10)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("reports:billing_change_list")).status_code == 200
    add(990)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("reports:billing_change_list")).status_code == 200
    assert len(small) == len(large)


def test_without_details_the_form_starts_from_the_register(client, user_for_role):
    item = MunicipalityFactory(name="Nieuwdorp", code="GM0998", oin="1" * 20, kvk="")
    client.force_login(user_for_role(Role.MEMBER_CONTACT, municipality=item))
    html = client.get(URL).text
    assert 'value="Gemeente Nieuwdorp"' in html and f'value="{"1" * 20}"' in html
