"""User management in /beheer/: through the services, audited, and for the bureau only."""

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from m50.accounts import services
from m50.accounts.models import LoginAttempt, Role, User
from m50.contacts.models import Person, Position
from m50.core.models import AuditEvent
from tests.conftest import PASSWORD
from tests.factories import MunicipalityFactory, OrganisationFactory, PersonFactory, PositionFactory

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


# --- Dutch, and linked from the bureau's menu ----------------------------------------------------


def test_the_bureau_menu_links_the_management_screens(client, bureau):
    page = client.get(reverse("core:home")).text
    assert re.search(r'<a [^>]*href="/beheer/"[^>]*>\s*Beheer\s*</a>', page)


@pytest.mark.parametrize(
    "role", [Role.PUBLIC_AFFAIRS, Role.PILLAR_CHAIR, Role.MEMBER_CONTACT, Role.PARTICIPANT]
)
def test_other_roles_have_no_management_link(client, user_for_role, role):
    client.force_login(user_for_role(role))
    assert 'href="/beheer/"' not in client.get(reverse("core:home")).text


def test_the_management_index_is_dutch(client, bureau):
    page = client.get("/beheer/").text
    for dutch in (
        "Gebruikers en inloggen",
        "Mislukte inlogpogingen",
        "Aanmeldingen",
        "Organisaties en personen",
        "Gemeenteregister",
        "Beheer van het M50-platform",
        "Audittrail",
    ):
        assert dutch in page
    for english in ("Access attempts", "Access logs", "Contacts", "Municipalities", "Groepen"):
        assert english not in page


def test_every_management_list_and_page_opens(client, bureau):
    """Every registered screen answers, with Dutch column headings where ours set them."""
    person = PersonFactory()
    position = PositionFactory(person=person)
    Client().post(reverse("accounts:login"), {"username": "iemand", "password": "fout"})
    Client().post(reverse("accounts:login"), {"username": "beheerder", "password": PASSWORD})
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        response = client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert response.status_code == 200, info
        first = model.objects.first()
        if first is not None:
            response = client.get(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            assert response.status_code == 200, info
    page = client.get(reverse("admin:contacts_person_change", args=[person.pk])).text
    assert "Organisatie" in page and position.organisation.name in page
    page = client.get(reverse("admin:accounts_loginattempt_changelist")).text
    assert "Mislukte pogingen" in page and "IP-adres" in page and "nog 4 pogingen" in page


def test_organisations_and_people_are_not_edited_in_the_management_screens(client, bureau):
    organisation = OrganisationFactory()
    assert client.get(reverse("admin:contacts_organisation_add")).status_code == 403
    assert client.get(reverse("admin:contacts_person_add")).status_code == 403
    response = client.post(
        reverse("admin:contacts_organisation_change", args=[organisation.pk]),
        {"name": "Anders", "kind": "other", "slug": organisation.slug},
    )
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.name != "Anders"


def test_deleting_a_person_goes_through_the_service(client, bureau):
    person = PersonFactory(surname="Weg")
    PositionFactory(person=person)
    response = client.post(
        reverse("admin:contacts_person_delete", args=[person.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not Position.objects.exists()
    event = AuditEvent.objects.get(action="person.delete")
    assert event.actor == bureau and event.origin == "beheer"
    assert event.changes["surname"] == {"old": "Weg", "new": None}


def test_lifting_a_lock_lets_the_user_in_and_is_audited(client, bureau, settings):
    locked = services.user_create(username="vergeetachtig", role=Role.BUREAU, password=PASSWORD)
    other = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        other.post(reverse("accounts:login"), {"username": locked.username, "password": "x"})
    response = other.post(
        reverse("accounts:login"), {"username": locked.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    attempt = LoginAttempt.objects.get(username=locked.username)
    listing = client.get(reverse("admin:accounts_loginattempt_changelist") + "?geblokkeerd=ja")
    assert "vergeetachtig" in listing.text and "geblokkeerd" in listing.text
    response = client.post(
        reverse("admin:accounts_loginattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="login_lock.lift")
    assert event.actor == bureau and event.object_repr.startswith("Attempted Access")
    response = other.post(
        reverse("accounts:login"), {"username": locked.username, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_the_login_log_and_the_audit_trail_are_read_only(client, bureau):
    assert client.get(reverse("admin:accounts_loginrecord_add")).status_code == 403
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    event = AuditEvent.objects.first()
    response = client.post(
        reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
