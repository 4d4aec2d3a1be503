import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from m50.accounts import services
from m50.accounts.models import Role, User
from m50.core.models import AuditEvent
from m50.municipalities.models import Municipality
from tests.conftest import PASSWORD
from tests.core.test_settings import run_m50
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_every_role_can_log_in(client, user_for_role, role):
    user = user_for_role(role)
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert client.get(reverse("core:home")).context["user"] == user


def test_wrong_password_gives_a_dutch_message_and_no_session(client, bureau_user):
    response = client.post(
        reverse("accounts:login"), {"username": bureau_user.username, "password": "fout"}
    )
    assert response.status_code == 200
    assert "combinatie van gebruikersnaam en wachtwoord is onbekend" in response.text
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_are_throttled(client, bureau_user, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": bureau_user.username, "password": "x"})
    # Even the right password is refused while locked out.
    response = client.post(
        reverse("accounts:login"), {"username": bureau_user.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in response.text
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client, bureau_user):
    client.force_login(bureau_user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_member_roles_need_a_municipality():
    with pytest.raises(ValidationError) as excinfo:
        services.user_create(username="zonder", role=Role.MEMBER_CONTACT)
    assert "municipality" in excinfo.value.message_dict
    assert not User.objects.filter(username="zonder").exists()


def test_duplicate_username_is_refused():
    services.user_create(username="dubbel", role=Role.BUREAU)
    with pytest.raises(ValidationError):
        services.user_create(username="DUBBEL", role=Role.BUREAU)
    assert User.objects.filter(username__iexact="dubbel").count() == 1


def test_role_changes_are_audited_and_admin_access_follows_the_role():
    municipality = MunicipalityFactory()
    user = services.user_create(username="wisselaar", role=Role.BUREAU, origin="test")
    assert user.is_staff and user.is_superuser
    user = services.user_role_change(
        user=user, role=Role.MEMBER_CONTACT, municipality=municipality, origin="test"
    )
    assert not user.is_staff and not user.is_superuser
    event = AuditEvent.objects.filter(action="user.role_change").get()
    assert event.object_id == str(user.pk)
    assert event.changes["role"] == {"old": "bureau", "new": "member_contact"}
    assert event.changes["municipality"] == {"old": None, "new": str(municipality)}
    assert event.actor_label == "test"


def test_password_is_never_written_to_the_audit_trail():
    user = services.user_create(username="geheim", role=Role.BUREAU, password="een-lang-wachtwoord")
    services.user_password_set(user=user, password="nog-een-lang-wachtwoord")
    text = str(list(AuditEvent.objects.values_list("changes", flat=True)))
    assert "wachtwoord" not in text
    assert AuditEvent.objects.filter(action="user.password_set").get().changes == {
        "password": {"old": "***", "new": "***"}
    }


def test_demo_accounts_one_per_role_with_printed_passwords(capsys):
    MunicipalityFactory(code="GM0384", name="Diemen")
    call_command("create-demo-accounts")
    out = capsys.readouterr().out
    users = {user.username: user for user in User.objects.all()}
    assert {user.role for user in users.values()} == set(Role.values)
    for username in users:
        assert username in out
    assert users["contactpersoon"].municipality.code == "GM0384"
    # The printed password works.
    line = next(line for line in out.splitlines() if line.strip().startswith("deelnemer"))
    assert users["deelnemer"].check_password(line.split()[1])
    # Run again: no new users, fresh passwords.
    call_command("create-demo-accounts")
    assert User.objects.count() == len(Role)


def test_demo_accounts_are_refused_outside_the_embedded_install(settings):
    settings.M50_DEMO_ACCOUNTS = False
    MunicipalityFactory()
    with pytest.raises(CommandError):
        call_command("create-demo-accounts")
    assert not User.objects.exists()


def test_demo_accounts_are_marked_and_log_in_on_a_development_install(client):
    MunicipalityFactory(code="GM0384", name="Diemen")
    (user, password), *_ = services.demo_accounts_create(
        municipality=Municipality.objects.get(code="GM0384")
    )
    assert user.is_demo
    response = client.post("/account/inloggen/", {"username": user.username, "password": password})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_demo_account_cannot_log_in_on_a_production_install(client, settings):
    MunicipalityFactory(code="GM0384", name="Diemen")
    (user, password), *_ = services.demo_accounts_create(
        municipality=Municipality.objects.get(code="GM0384")
    )
    settings.M50_DEMO_ACCOUNTS = False
    response = client.post("/account/inloggen/", {"username": user.username, "password": password})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "onbekend" in response.content.decode()
    # A real account with the same password logs in: only the demo account is refused.
    real = services.user_create(username="echt", role=Role.BUREAU, password=password)
    client.post("/account/inloggen/", {"username": real.username, "password": password})
    assert client.session["_auth_user_id"] == str(real.pk)


def test_a_demo_session_ends_when_the_install_becomes_a_production_one(client, settings):
    MunicipalityFactory(code="GM0384", name="Diemen")
    (user, password), *_ = services.demo_accounts_create(
        municipality=Municipality.objects.get(code="GM0384")
    )
    client.post("/account/inloggen/", {"username": user.username, "password": password})
    assert client.get("/financien/").status_code == 200
    settings.M50_DEMO_ACCOUNTS = False
    response = client.get("/financien/")
    assert response.status_code == 302 and "/account/inloggen/" in response["Location"]


def test_a_demo_accounts_api_token_stops_working_on_a_production_install(client, settings):
    MunicipalityFactory(code="GM0384", name="Diemen")
    pairs = services.demo_accounts_create(municipality=Municipality.objects.get(code="GM0384"))
    demo = next(user for user, _password in pairs if user.role == Role.BUREAU)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=demo).key}")
    assert api.get("/api/v1/facturen").status_code == 200
    settings.M50_DEMO_ACCOUNTS = False
    response = api.get("/api/v1/facturen")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Token"
    # Answered as an unknown token is: nothing tells that the account exists.
    unknown = APIClient()
    unknown.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert response.json()["detail"] == unknown.get("/api/v1/facturen").json()["detail"]
    # A real account's token keeps working.
    real = services.user_create(username="echt", role=Role.BUREAU, password=PASSWORD)
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=real).key}")
    assert api.get("/api/v1/facturen").status_code == 200


def test_the_service_refuses_demo_accounts_on_a_production_install(settings):
    settings.M50_DEMO_ACCOUNTS = False
    with pytest.raises(ValidationError):
        services.demo_accounts_create(municipality=MunicipalityFactory())
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("env", "allowed"),
    [
        ({}, "True"),
        ({"M50_DEMO_ACCOUNTS": "0"}, "False"),
        ({"M50_SECRET_KEY": "x" * 50}, "False"),
        ({"M50_SECRET_KEY": "x" * 50, "M50_DEMO_ACCOUNTS": "1"}, "False"),
        ({"M50_SECRET_KEY": "x" * 50, "M50_DEBUG": "1"}, "True"),
    ],
)
def test_only_a_development_install_allows_demo_accounts(tmp_path, env, allowed):
    result = run_m50(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.M50_DEMO_ACCOUNTS)",
        env={**env, "M50_SQLITE_PATH": str(tmp_path / "db.sqlite3")},
    )
    assert result.stdout.strip().splitlines()[-1] == allowed, result.stderr


def test_createsuperuser_makes_a_bureau_account():
    call_command("createsuperuser", "--noinput", "--username", "eerste", "--email", "e@m50.example")
    user = User.objects.get(username="eerste")
    assert user.role == Role.BUREAU and user.is_superuser


def test_passwords_are_stored_with_a_slow_salted_hash_outside_the_tests(settings):
    # The tests hash with MD5 for speed (tests/conftest.py); the platform itself does not.
    from django.conf import global_settings
    from django.contrib.auth.hashers import identify_hasher, make_password

    import m50.conf.settings as production

    hashers = getattr(production, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    settings.PASSWORD_HASHERS = hashers
    stored = make_password("correct-horse-battery")
    assert identify_hasher(stored).algorithm in {"pbkdf2_sha256", "argon2", "scrypt"}
    assert identify_hasher(stored).algorithm != "md5"
