"""/api/v1/lidmaatschappen: who is a member and since when, public, derived from decisions."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from m50.accounts.models import Role
from m50.membership import rules, services
from m50.membership.models import DecidingBody, Decision, DecisionKind, Membership
from m50.membership.projection import status_periods_rebuild
from m50.membership.services import membership_listed_create
from m50.municipalities.models import Municipality

pytestmark = pytest.mark.django_db

LIST = "/api/v1/lidmaatschappen"
SOURCE = "website van het M50, ledenlijst april 2023"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response["API-Version"] == settings.API_VERSION
    problem = response.json()
    assert problem["status"] == status
    return problem


def record(municipality, kind, body, decided_on, **kwargs):
    return services.decision_record(
        membership=services.membership_for(municipality=municipality),
        kind=kind,
        deciding_body=body,
        decided_on=decided_on,
        **kwargs,
    )


@pytest.fixture
def memberships(registry):
    """Diemen by decisions (member), Zeist listed only (member), Houten an aspirant with a
    running mandate, Wijdemeren an aspirant whose mandate expired, Amsterdam terminated."""
    today = timezone.localdate()
    record(
        registry["diemen"],
        DecisionKind.ASPIRANT,
        DecidingBody.COLLEGE,
        datetime.date(2022, 8, 22),
        mandated_body=DecidingBody.MAYOR,
        remarks="Vertrouwelijke toelichting.",
    )
    record(
        registry["diemen"],
        DecisionKind.DEFINITIVE,
        DecidingBody.MAYOR,
        datetime.date(2023, 5, 16),
        announced_on=datetime.date(2023, 5, 16),
    )
    membership_listed_create(
        municipality=registry["zeist"], listed_since="2023-04", listed_source=SOURCE
    )
    record(
        registry["houten"],
        DecisionKind.ASPIRANT,
        DecidingBody.COLLEGE,
        today - datetime.timedelta(days=30),
        mandated_body=DecidingBody.MAYOR,
    )
    record(
        registry["wijdemeren"],
        DecisionKind.ASPIRANT,
        DecidingBody.COLLEGE,
        today - datetime.timedelta(days=400),
        mandated_body=DecidingBody.MAYOR,
        mandate_deadline=today - datetime.timedelta(days=35),
    )
    record(
        registry["amsterdam"],
        DecisionKind.ASPIRANT,
        DecidingBody.COLLEGE,
        datetime.date(2020, 3, 1),
    )
    record(
        registry["amsterdam"],
        DecisionKind.DEFINITIVE,
        DecidingBody.COUNCIL,
        datetime.date(2020, 12, 1),
    )
    record(
        registry["amsterdam"],
        DecisionKind.TERMINATION,
        DecidingBody.COLLEGE,
        datetime.date(2022, 6, 1),
    )
    return today


def by_code(response) -> dict[str, dict]:
    return {item["municipality"]["code"]: item for item in response.json()["results"]}


def test_list_is_public_paginated_and_by_name(api_client, memberships):
    response = api_client.get(LIST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    names = [item["municipality"]["name"] for item in body["results"]]
    assert names == ["Amsterdam", "Diemen", "Houten", "Wijdemeren", "Zeist"]


def test_member_by_decisions(api_client, memberships):
    assert by_code(api_client.get(LIST))["GM0384"] == {
        "municipality": {"code": "GM0384", "name": "Diemen"},
        "status": "lid",
        "since": "2023-05-16",
        "listedSince": None,
        "source": None,
        "mandate": None,
    }


def test_member_known_from_the_list_only_has_no_invented_date(api_client, memberships):
    assert by_code(api_client.get(LIST))["GM0355"] == {
        "municipality": {"code": "GM0355", "name": "Zeist"},
        "status": "lid",
        "since": None,
        "listedSince": "2023-04",
        "source": SOURCE,
        "mandate": None,
    }


def test_aspirant_with_its_running_mandate(api_client, memberships):
    today = memberships
    decided = today - datetime.timedelta(days=30)
    deadline = rules.add_one_year(decided)
    item = by_code(api_client.get(LIST))["GM0321"]
    assert item["status"] == "aspirant"
    assert item["since"] == decided.isoformat()
    assert item["mandate"] == {
        "body": "burgemeester",
        "deadline": deadline.isoformat(),
        "daysLeft": (deadline - today).days,
        "expired": False,
    }


def test_aspirant_whose_mandate_expired(api_client, memberships):
    item = by_code(api_client.get(LIST))["GM1696"]
    assert item["status"] == "aspirant"
    assert item["mandate"]["expired"] is True
    assert item["mandate"]["daysLeft"] == -35


def test_terminated_member(api_client, memberships):
    item = by_code(api_client.get(LIST))["GM0363"]
    assert item["status"] == "beeindigd"
    assert item["since"] == "2023-01-01"  # the end of the calendar year of the decision


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "lid"}, ["GM0384", "GM0355"]),
        ({"status": "aspirant"}, ["GM0321", "GM1696"]),
        ({"status": "beeindigd"}, ["GM0363"]),
        ({"gemeente": "GM0384"}, ["GM0384"]),
        ({"gemeente": "gm0355", "status": "lid"}, ["GM0355"]),
        ({"gemeente": "GM0355", "status": "aspirant"}, []),
        ({"gemeente": "GM0457"}, []),  # Weesp: known, without a membership
        ({"status": "", "gemeente": ""}, ["GM0363", "GM0384", "GM0321", "GM1696", "GM0355"]),
    ],
)
def test_list_filters(api_client, memberships, params, expected):
    response = api_client.get(LIST, params)
    assert response.status_code == 200, response.content
    assert [item["municipality"]["code"] for item in response.json()["results"]] == expected


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("status", "geen"),
        ("status", "member"),
        ("gemeente", "GM9999"),
        ("gemeente", "Diemen"),
    ],
)
def test_invalid_filter_is_400_naming_it(api_client, memberships, parameter, value):
    problem = assert_problem(api_client.get(LIST, {parameter: value}), 400)
    assert [param["name"] for param in problem["invalidParams"]] == [parameter]
    assert problem["title"] == "Ongeldig verzoek"


def test_membership_without_running_or_past_status_is_not_listed(api_client, memberships):
    # A dossier whose only decision was withdrawn: status "geen" today.
    houten = Decision.objects.get(membership__municipality__code="GM0321")
    services.decision_withdraw(decision=houten, reason="Verkeerde gemeente.")
    assert "GM0321" not in by_code(api_client.get(LIST))
    assert api_client.get(f"{LIST}/GM0321").json()["status"] == "geen"


def test_detail_with_its_periods(api_client, memberships):
    response = api_client.get(f"{LIST}/GM0384")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "lid" and body["since"] == "2023-05-16"
    assert body["periods"] == [
        {"status": "aspirant", "start": "2022-08-22", "end": "2023-05-16"},
        {"status": "lid", "start": "2023-05-16", "end": None},
    ]


def test_detail_of_a_listed_member(api_client, memberships):
    body = api_client.get(f"{LIST}/gm0355").json()
    assert body["listedSince"] == "2023-04" and body["source"] == SOURCE
    assert body["periods"] == [{"status": "lid", "start": None, "end": None}]


def test_detail_of_a_municipality_without_membership_is_geen(api_client, memberships):
    body = api_client.get(f"{LIST}/GM0457").json()
    assert body == {
        "municipality": {"code": "GM0457", "name": "Weesp"},
        "status": "geen",
        "since": None,
        "listedSince": None,
        "source": None,
        "mandate": None,
        "periods": [],
    }


@pytest.mark.parametrize("code", ["GM9999", "Diemen", "GM03840"])
def test_detail_of_an_unknown_municipality_is_404(api_client, memberships, code):
    problem = assert_problem(api_client.get(f"{LIST}/{code}"), 404)
    assert code.upper() in problem["detail"]


@pytest.mark.parametrize(
    ("role", "own"),
    [
        (Role.MEMBER_CONTACT, True),
        (Role.MEMBER_CONTACT, False),
        (Role.PARTICIPANT, True),
        (Role.BUREAU, False),
    ],
)
def test_public_for_every_role_alike(api_client, user_for_role, registry, memberships, role, own):
    kwargs = {}
    if role in (Role.MEMBER_CONTACT, Role.PARTICIPANT):
        kwargs["municipality"] = registry["diemen"] if own else registry["zeist"]
    client = APIClient()
    token = Token.objects.create(user=user_for_role(role, **kwargs))
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    for url in (LIST, f"{LIST}/GM0384"):
        assert client.get(url).json() == api_client.get(url).json()
    # Remarks are not part of a membership, whoever asks.
    assert "Vertrouwelijke" not in client.get(f"{LIST}/GM0384").content.decode()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_read_only(api_client, user_for_role, memberships, method):
    client = APIClient()
    client.force_authenticate(user_for_role(Role.BUREAU))
    for url in (LIST, f"{LIST}/GM0384"):
        for each in (api_client, client):
            assert_problem(getattr(each, method)(url, {}, format="json"), 405)


# --- Cost does not grow with data -------------------------------------------------------------


def _memberships(count: int) -> None:
    """Up to ``count`` memberships: listed ones, aspirants with a mandate, and members."""
    existing = Membership.objects.count()
    province = Municipality.objects.first().province
    municipalities = Municipality.objects.bulk_create(
        # Codes from GM3000 on: none of the registry's, nor the factories' (GM9000 downwards).
        Municipality(code=f"GM{3000 + existing + n:04d}", name=f"Lid {n:04d}", province=province)
        for n in range(count - existing)
    )
    memberships = Membership.objects.bulk_create(
        Membership(municipality=m, listed_since="2023-04" if n % 3 == 0 else "")
        for n, m in enumerate(municipalities)
    )
    decided = datetime.date(2024, 2, 1)
    decisions = [
        Decision(
            membership=membership,
            kind=DecisionKind.ASPIRANT,
            deciding_body=DecidingBody.COLLEGE,
            decided_on=decided,
            effective_on=decided,
            mandated_body=DecidingBody.MAYOR,
            mandate_deadline=rules.add_one_year(decided),
        )
        for n, membership in enumerate(memberships)
        if n % 3
    ]
    decisions += [
        Decision(
            membership=membership,
            kind=DecisionKind.DEFINITIVE,
            deciding_body=DecidingBody.MAYOR,
            decided_on=datetime.date(2024, 6, 1),
            effective_on=datetime.date(2024, 6, 1),
        )
        for n, membership in enumerate(memberships)
        if n % 3 == 2
    ]
    Decision.objects.bulk_create(decisions)
    status_periods_rebuild()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"pageSize": 500},
        {"status": "aspirant", "page": 2, "pageSize": 3},
        {"gemeente": "GM0384"},
    ],
)
def test_list_query_count_does_not_grow(api_client, memberships, params):
    counts = []
    for size in (10, 1_000):
        _memberships(size)
        assert Membership.objects.count() == size
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(LIST, params)
        assert response.status_code == 200, response.content
        assert response.json()["results"], "the list must not be empty, or it proves nothing"
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # The data versions (ETag), those of the count (kept per version; here with no cache), the
    # count, the page of memberships with their municipalities (+ the filter's look-up).
    assert counts[0] == 4 + ("gemeente" in params)


def test_detail_query_count_does_not_grow_with_decisions(api_client, memberships):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get(f"{LIST}/GM0384").status_code == 200
        return len(queries)

    before = count()
    diemen = Decision.objects.filter(membership__municipality__code="GM0384")
    for decision in list(diemen):
        services.decision_document_update(
            decision=decision, expected_version=decision.version, remarks="Aangevuld."
        )
    record(
        Municipality.objects.get(code="GM0384"),
        DecisionKind.TERMINATION,
        DecidingBody.COUNCIL,
        datetime.date(2024, 3, 1),
    )
    assert count() == before
