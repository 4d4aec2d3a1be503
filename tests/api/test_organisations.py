"""/api/v1/organisaties: only for the platform's users, by token (or session)."""

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from m50.accounts.models import Role
from m50.accounts.permissions import RULES

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organisaties"


def assert_problem(response, status: int):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response["API-Version"]
    problem = response.json()
    assert problem["status"] == status
    assert problem["type"] == "about:blank"
    assert problem["title"]
    assert problem["detail"]
    return problem


@pytest.mark.parametrize("url", [LIST, f"{LIST}/gemeente-diemen"])
def test_anonymous_gets_401_with_www_authenticate(api_client, organisations, url):
    response = api_client.get(url)
    problem = assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"
    assert problem["title"] == "Niet geauthenticeerd"


@pytest.mark.parametrize("url", [LIST, f"{LIST}/gemeente-diemen"])
def test_participant_with_token_gets_200(token_client, organisations, url):
    response = token_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_invalid_token_is_401(api_client, organisations, participant_token):
    api_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = api_client.get(LIST)
    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"


def test_invalid_token_is_refused_on_public_endpoints_too(api_client, registry):
    api_client.credentials(HTTP_AUTHORIZATION="Token onzin")
    assert_problem(api_client.get("/api/v1/gemeenten"), 401)


def test_token_of_inactive_user_is_401(api_client, organisations, participant, participant_token):
    participant.is_active = False
    participant.save()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {participant_token}")
    assert_problem(api_client.get(LIST), 401)


def test_session_login_works_too(api_client, organisations, participant):
    api_client.force_login(participant)
    assert api_client.get(LIST).status_code == 200


def test_role_without_the_rule_gets_403(monkeypatch, api_client, organisations, user_for_role):
    monkeypatch.setitem(RULES, "contacts.view", frozenset({Role.BUREAU}))
    user = user_for_role(Role.PARTICIPANT)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    problem = assert_problem(api_client.get(LIST), 403)
    assert problem["title"] == "Geen toegang"
    bureau = user_for_role(Role.BUREAU)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=bureau).key}")
    assert api_client.get(LIST).status_code == 200


def test_list_fields(token_client, organisations):
    body = token_client.get(LIST).json()
    assert body["count"] == 2
    assert body["results"] == [
        {
            "slug": "gemeente-diemen",
            "name": "Gemeente Diemen",
            "abbreviation": None,
            "kind": "gemeente",
            "website": "https://www.diemen.nl",
            "municipalityCode": "GM0384",
            "networkCode": None,
        },
        {
            "slug": "ministerie-bzk",
            "name": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
            "abbreviation": "BZK",
            "kind": "ministerie",
            "website": None,
            "municipalityCode": None,
            "networkCode": None,
        },
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"soort": "ministerie"}, ["ministerie-bzk"]),
        ({"soort": "gemeente"}, ["gemeente-diemen"]),
        ({"soort": "fractie"}, []),
        ({"zoek": "diemen"}, ["gemeente-diemen"]),
        ({"zoek": "bzk"}, ["ministerie-bzk"]),
        ({"zoek": "binnenlandse", "soort": "ministerie"}, ["ministerie-bzk"]),
        ({"zoek": "", "soort": ""}, ["gemeente-diemen", "ministerie-bzk"]),
    ],
)
def test_list_filters(token_client, organisations, params, expected):
    response = token_client.get(LIST, params)
    assert response.status_code == 200
    assert [item["slug"] for item in response.json()["results"]] == expected


def test_unknown_kind_is_400_naming_soort(token_client, organisations):
    problem = assert_problem(token_client.get(LIST, {"soort": "ministry"}), 400)
    assert [param["name"] for param in problem["invalidParams"]] == ["soort"]


def test_detail_lists_current_positions_only(token_client, organisations):
    body = token_client.get(f"{LIST}/gemeente-diemen").json()
    assert body["slug"] == "gemeente-diemen"
    assert body["kind"] == "gemeente"
    assert body["municipalityCode"] == "GM0384"
    positions = sorted(body["currentPositions"], key=lambda p: p["personName"])
    assert positions == [
        {
            "personName": "Daan Burgemeester",
            "function": "burgemeester",
            "title": None,
            "portfolio": None,
            "startDate": "2019-09-01",
            "endDate": None,
        },
        {
            "personName": "Wil de Wethouder",
            "function": "wethouder",
            "title": "wethouder",
            "portfolio": "Wonen en Financiën",
            "startDate": "2022-06-01",
            "endDate": None,
        },
    ]


def test_detail_has_no_contact_details(token_client, organisations):
    text = token_client.get(f"{LIST}/gemeente-diemen").content.decode()
    assert "@example.org" not in text
    assert "email" not in text


def test_position_ending_today_is_still_current(token_client, organisations):
    position = organisations["diemen"].positions.get(person__surname="Burgemeester")
    position.end_date = timezone.localdate()
    position.save()
    body = token_client.get(f"{LIST}/gemeente-diemen").json()
    assert "Daan Burgemeester" in [p["personName"] for p in body["currentPositions"]]


def test_unknown_slug_is_404_problem(token_client, organisations):
    problem = assert_problem(token_client.get(f"{LIST}/bestaat-niet"), 404)
    assert "bestaat-niet" in problem["detail"]


def test_unknown_slug_for_anonymous_is_401_not_404(api_client, organisations):
    assert_problem(api_client.get(f"{LIST}/bestaat-niet"), 401)
