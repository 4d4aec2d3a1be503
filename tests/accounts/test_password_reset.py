"""Password reset by e-mail: the whole flow, no user enumeration, throttling, Dutch pages."""

import re

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from m50.accounts.models import Role
from m50.core.models import AuditEvent
from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
NEW_PASSWORD = "paars-konijn-zeilt-2026"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user():
    return UserFactory(username="bea", email="bea@m50.example", role=Role.BUREAU)


def link_in(message) -> str:
    match = re.search(r"https?://[^/\s]+(/account/wachtwoord-herstellen/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_login_page_links_to_the_reset(client):
    assert RESET in client.get(reverse("accounts:login")).text


def test_the_whole_flow(client, user):
    page = client.get(RESET)
    assert "Wachtwoord vergeten" in page.text
    response = client.post(RESET, {"email": "BEA@m50.example"})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bea@m50.example"]
    assert message.subject == "Nieuw wachtwoord voor het M50-platform"
    assert "Uw gebruikersnaam is: bea" in message.body
    assert "vervalt na 24 uur." in message.body

    # The link leads to a form (Django moves the token out of the address first).
    response = client.get(link_in(message), follow=True)
    assert "Nieuw wachtwoord kiezen" in response.text
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_complete")
    assert "Wachtwoord gewijzigd" in client.get(response.url).text

    # The new password logs in; the old one no longer does.
    login = reverse("accounts:login")
    client.post(login, {"username": "bea", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    client.post(login, {"username": "bea", "password": NEW_PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)

    # Requested and set, both in the audit trail; the password itself never.
    events = AuditEvent.objects.filter(object_id=str(user.pk)).order_by("pk")
    assert [e.action for e in events] == ["user.password_reset_request", "user.password_set"]
    assert events[1].origin == "wachtwoordherstel"
    assert NEW_PASSWORD not in str(events[1].changes)

    # The link works once.
    response = client.get(link_in(message), follow=True)
    assert "Deze link werkt niet (meer)" in response.text


def test_unknown_address_gets_the_same_answer_and_no_mail(client, user):
    known = client.post(RESET, {"email": "bea@m50.example"}, follow=True)
    unknown = client.post(RESET, {"email": "niemand@m50.example"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain

    def without_csrf(html):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert without_csrf(known.text) == without_csrf(unknown.text)
    assert len(mail.outbox) == 1


def test_inactive_account_and_account_without_password_get_no_mail(client):
    UserFactory(email="oud@m50.example", is_active=False)
    no_password = UserFactory(email="sso@m50.example")
    no_password.set_unusable_password()
    no_password.save()
    for address in ("oud@m50.example", "sso@m50.example"):
        assert client.post(RESET, {"email": address}).status_code == 302
    assert mail.outbox == []


def test_a_bad_address_gets_a_dutch_message(client, user):
    response = client.post(RESET, {"email": "geen-adres"})
    assert response.status_code == 200
    assert "Vul een geldig e-mailadres in" in response.text
    response = client.post(RESET, {"email": ""})
    assert "Vul het e-mailadres van uw account in." in response.text
    assert mail.outbox == []


def test_a_weak_or_mismatched_password_changes_nothing(client, user):
    client.post(RESET, {"email": "bea@m50.example"})
    response = client.get(link_in(mail.outbox[0]), follow=True)
    form_url = response.redirect_chain[-1][0]
    password_before = user.password
    response = client.post(form_url, {"new_password1": "kort", "new_password2": "kort"})
    assert response.status_code == 200
    assert "Controleer het formulier" in response.text
    assert "Dit wachtwoord is te kort: gebruik ten minste 12 tekens." in response.text
    response = client.post(
        form_url, {"new_password1": "123456789012", "new_password2": "123456789012"}
    )
    assert "Dit wachtwoord bestaat alleen uit cijfers." in response.text
    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"}
    )
    assert "De twee wachtwoorden zijn niet gelijk." in response.text
    user.refresh_from_db()
    assert user.password == password_before
    assert not AuditEvent.objects.filter(action="user.password_set").exists()


def test_a_forged_link_is_refused(client, user):
    url = reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "abc-def"})
    response = client.get(url)
    assert response.status_code == 200
    assert "Deze link werkt niet (meer)" in response.text
    assert 'name="new_password1"' not in response.text


def test_mails_per_account_are_limited(client, user, settings):
    settings.M50_PASSWORD_RESET_PER_ACCOUNT = 2
    for _attempt in range(4):
        response = client.post(RESET, {"email": "bea@m50.example"})
        # The answer does not change, so it does not tell that the limit was reached.
        assert response.status_code == 302
    assert len(mail.outbox) == 2


def test_requests_per_client_address_are_limited(client, user, settings):
    settings.M50_PASSWORD_RESET_PER_ADDRESS = 3
    for number in range(3):
        assert client.post(RESET, {"email": f"x{number}@m50.example"}).status_code == 302
    response = client.post(RESET, {"email": "bea@m50.example"})
    assert response.status_code == 429
    assert "Te veel aanvragen" in response.text
    assert mail.outbox == []
    # Another client address is not held up.
    response = client.post(RESET, {"email": "bea@m50.example"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_the_requests_per_address_are_counted_in_the_database(client, user):
    # Not in one process's memory: every web process reads and adds to the same count.
    client.post(RESET, {"email": "bea@m50.example"}, REMOTE_ADDR="10.0.0.7")
    table = connection.ops.quote_name(django_settings.CACHES["default"]["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {table}")  # noqa: S608 - a setting, not input
        keys = [row[0] for row in cursor.fetchall()]
    assert any("password-reset" in key and "10.0.0.7" in key for key in keys), keys


def test_the_mail_links_to_the_configured_site_not_the_host_header(client, user, settings):
    settings.M50_SITE_URL = "https://platform.m50.example/"
    settings.ALLOWED_HOSTS = ["*"]
    client.post(RESET, {"email": "bea@m50.example"}, HTTP_HOST="aanvaller.example")
    body = mail.outbox[0].body
    assert "https://platform.m50.example/account/wachtwoord-herstellen/" in body
    assert "aanvaller" not in body
