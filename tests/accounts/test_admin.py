"""User management in /beheer/: through the services, audited, and for the bureau only."""

import pytest

from m50.accounts import services
from m50.accounts.models import Role, User
from m50.core.models import AuditEvent
from tests.conftest import PASSWORD
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db
ADD = "/beheer/accounts/user/add/"


@pytest.fixture
def bureau(client):
    user = services.user_create(username="beheerder", role=Role.BUREAU, password=PASSWORD)
    client.force_login(user)
    return user


def test_a_member_contact_needs_a_municipality_and_gets_a_message(client, bureau):
    response = client.post(
        ADD,
        {
            "username": "nieuw",
            "role": Role.MEMBER_CONTACT,
            "password1": "een-lang-wachtwoord-1",
            "password2": "een-lang-wachtwoord-1",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert "Een contactpersoon of deelnemer hoort bij een gemeente" in response.text or (
        "municipal_role_needs_municipality" in response.text
    )
    assert not User.objects.filter(username="nieuw").exists()


def test_the_bureau_creates_a_user_through_the_service(client, bureau):
    municipality = MunicipalityFactory()
    response = client.post(
        ADD,
        {
            "username": "nieuw",
            "email": "n@example.org",
            "role": Role.MEMBER_CONTACT,
            "municipality": municipality.pk,
            "password1": "een-lang-wachtwoord-1",
            "password2": "een-lang-wachtwoord-1",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="nieuw")
    assert user.municipality == municipality and not user.is_staff
    assert user.check_password("een-lang-wachtwoord-1")
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor == bureau and event.origin == "beheer"


def test_changing_the_role_follows_it_with_admin_access(client, bureau):
    user = services.user_create(
        username="wissel", role=Role.PARTICIPANT, municipality=MunicipalityFactory()
    )
    response = client.post(
        f"/beheer/accounts/user/{user.pk}/change/",
        {
            "username": "wissel",
            "role": Role.BUREAU,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.text[:2000]
    user.refresh_from_db()
    assert user.role == Role.BUREAU and user.is_staff and user.is_superuser
    assert user.municipality is None
    assert AuditEvent.objects.filter(action="user.role_change", actor=bureau).exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.BUREAU])
def test_only_the_bureau_reaches_the_management_screens(client, user_for_role, role):
    client.force_login(user_for_role(role))
    response = client.get("/beheer/")
    assert response.status_code == 302
    assert response.url.startswith("/beheer/login/")


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get("/beheer/accounts/user/")
    assert response.status_code == 302
    assert response.url == "/account/inloggen/?next=/beheer/accounts/user/"


def test_a_failed_login_does_not_echo_the_password(client, bureau):
    client.logout()
    response = client.post(
        "/account/inloggen/", {"username": "beheerder", "password": "geheim-wachtwoord-99"}
    )
    assert response.status_code == 200
    assert "geheim-wachtwoord-99" not in response.text
    assert 'value="beheerder"' in response.text
