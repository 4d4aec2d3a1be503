"""/api/v1/besluiten: public decisions, restricted documents, writes for the bureau only,
the rules of the services as 400 problems, and optimistic concurrency with ETag/If-Match."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from m50.accounts.models import Role
from m50.core.models import AuditEvent
from m50.membership import services
from m50.membership.models import DecidingBody, Decision, DecisionKind, Membership
from m50.membership.projection import status_periods_rebuild
from m50.membership.services import membership_listed_create
from m50.municipalities.models import Municipality

pytestmark = pytest.mark.django_db

LIST = "/api/v1/besluiten"
DETAIL_FIELDS = ("documentTitle", "documentNumber", "documentUrl", "remarks")


def detail(decision) -> str:
    return f"{LIST}/{decision.pk}"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response["API-Version"] == settings.API_VERSION
    problem = response.json()
    assert problem["status"] == status
    assert problem["title"]
    return problem


def codes(problem) -> list[str]:
    return [param["code"] for param in problem["invalidParams"]]


@pytest.fixture
def client_for(user_for_role):
    """An API client authenticated by token as a new user of ``role``."""

    def make(role: Role, **kwargs) -> APIClient:
        user = user_for_role(role, **kwargs)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        client.user = user
        return client

    return make


@pytest.fixture
def bureau(client_for):
    return client_for(Role.BUREAU)


@pytest.fixture
def diemen_dossier(registry):
    """Diemen's real dossier: aspirant by the college, definitive by the mandated mayor."""
    membership = services.membership_for(municipality=registry["diemen"])
    aspirant = services.decision_record(
        membership=membership,
        kind=DecisionKind.ASPIRANT,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=datetime.date(2022, 8, 22),
        mandated_body=DecidingBody.MAYOR,
        document_title="Collegebesluit aspirant-lidmaatschap M50",
        document_number="Z-22-0815",
        document_url="https://diemen.example/besluiten/z-22-0815.pdf",
        remarks="Mandaat aan de burgemeester voor het definitieve besluit.",
    )
    definitive = services.decision_record(
        membership=membership,
        kind=DecisionKind.DEFINITIVE,
        deciding_body=DecidingBody.MAYOR,
        decided_on=datetime.date(2023, 5, 16),
        announced_on=datetime.date(2023, 5, 16),
        document_title="Informatie van de burgemeester: lidmaatschap M50",
    )
    return {"membership": membership, "aspirant": aspirant, "definitive": definitive}


# --- Reading ----------------------------------------------------------------------------------


def test_list_is_public_with_public_fields(api_client, diemen_dossier):
    response = api_client.get(LIST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["count"] == 2
    aspirant = diemen_dossier["aspirant"]
    assert body["results"][0] == {
        "id": aspirant.pk,
        "municipalityCode": "GM0384",
        "kind": "aspirant",
        "decidingBody": "college",
        "decidedOn": "2022-08-22",
        "effectiveOn": "2022-08-22",
        "announcedOn": None,
        "mandate": {"body": "burgemeester", "deadline": "2023-08-22"},
        "predecessorCode": None,
        "corrects": None,
        "correctedBy": None,
        "withdrawn": False,
        "inEffect": True,
        "detailsVisible": False,
        "documentTitle": None,
        "documentNumber": None,
        "documentUrl": None,
        "remarks": None,
    }
    definitive = body["results"][1]
    assert definitive["kind"] == "definitief"
    assert definitive["decidingBody"] == "burgemeester"
    assert definitive["announcedOn"] == "2023-05-16"
    assert definitive["mandate"] is None


@pytest.mark.parametrize(
    ("role", "own_municipality", "visible"),
    [
        (None, False, False),
        (Role.MEMBER_CONTACT, True, True),
        (Role.MEMBER_CONTACT, False, False),
        (Role.PARTICIPANT, True, True),
        (Role.PARTICIPANT, False, False),
        (Role.PILLAR_CHAIR, False, True),
        (Role.PUBLIC_AFFAIRS, False, True),
        (Role.BUREAU, False, True),
    ],
)
def test_documents_and_remarks_only_for_those_allowed(
    api_client, client_for, registry, diemen_dossier, role, own_municipality, visible
):
    if role is None:
        client = api_client
    elif own_municipality:
        client = client_for(role, municipality=registry["diemen"])
    elif role in (Role.MEMBER_CONTACT, Role.PARTICIPANT):
        client = client_for(role, municipality=registry["zeist"])
    else:
        client = client_for(role)
    aspirant = diemen_dossier["aspirant"]
    for item in (
        client.get(LIST).json()["results"][0],
        client.get(detail(aspirant)).json(),
    ):
        assert item["id"] == aspirant.pk
        assert item["detailsVisible"] is visible
        assert set(DETAIL_FIELDS) <= set(item)  # always present; null when not allowed
        if visible:
            assert item["documentTitle"] == "Collegebesluit aspirant-lidmaatschap M50"
            assert item["documentNumber"] == "Z-22-0815"
            assert item["documentUrl"] == "https://diemen.example/besluiten/z-22-0815.pdf"
            assert item["remarks"].startswith("Mandaat aan de burgemeester")
        else:
            assert all(item[name] is None for name in DETAIL_FIELDS)
        # The public facts are the same for everyone.
        assert item["kind"] == "aspirant" and item["decidedOn"] == "2022-08-22"


def test_blank_document_fields_are_null_for_those_allowed(bureau, diemen_dossier):
    item = bureau.get(detail(diemen_dossier["definitive"])).json()
    assert item["detailsVisible"] is True
    assert item["documentTitle"] == "Informatie van de burgemeester: lidmaatschap M50"
    assert item["documentNumber"] is None and item["remarks"] is None


def test_detail_carries_an_etag(api_client, diemen_dossier):
    aspirant = diemen_dossier["aspirant"]
    response = api_client.get(detail(aspirant))
    assert response.status_code == 200
    assert response["ETag"] == f'"{aspirant.pk}-1"'


def test_filter_by_municipality(api_client, registry, diemen_dossier):
    zeist = services.membership_for(municipality=registry["zeist"])
    services.decision_record(
        membership=zeist,
        kind=DecisionKind.ASPIRANT,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=datetime.date(2024, 1, 9),
    )
    assert api_client.get(LIST).json()["count"] == 3
    for code in ("GM0384", "gm0384"):
        body = api_client.get(LIST, {"gemeente": code}).json()
        assert [item["municipalityCode"] for item in body["results"]] == ["GM0384", "GM0384"]
    assert api_client.get(LIST, {"gemeente": "GM1696"}).json()["count"] == 0


@pytest.mark.parametrize("value", ["GM9999", "Diemen", "GM03841"])
def test_unknown_or_malformed_municipality_filter_is_400(api_client, registry, value):
    problem = assert_problem(api_client.get(LIST, {"gemeente": value}), 400)
    assert [param["name"] for param in problem["invalidParams"]] == ["gemeente"]


@pytest.mark.parametrize(
    "path", ["999999", "99999999999999999999", "123456789012345678901234567890"]
)
def test_unknown_decision_is_404(api_client, registry, path):
    problem = assert_problem(api_client.get(f"{LIST}/{path}"), 404)
    assert path in problem["detail"]


# --- Recording --------------------------------------------------------------------------------


def aspirant_body(**changes) -> dict:
    body = {
        "municipalityCode": "GM0321",
        "kind": "aspirant",
        "decidingBody": "college",
        "decidedOn": "2024-03-12",
        "mandate": {"body": "burgemeester"},
        "documentTitle": "Collegebesluit aspirant-lidmaatschap",
        "remarks": "Op voorstel van de wethouder.",
    }
    body.update(changes)
    return body


def test_bureau_records_a_decision(bureau, registry):
    response = bureau.post(LIST, aspirant_body(), format="json")
    assert response.status_code == 201, response.content
    decision = Decision.objects.get()
    assert response["Location"] == f"http://testserver{LIST}/{decision.pk}"
    assert response["ETag"] == f'"{decision.pk}-1"'
    body = response.json()
    assert body["id"] == decision.pk
    assert body["municipalityCode"] == "GM0321"
    assert body["kind"] == "aspirant"
    assert body["effectiveOn"] == "2024-03-12"  # the service's default: the decision date
    assert body["mandate"] == {"body": "burgemeester", "deadline": "2025-03-12"}
    assert body["documentTitle"] == "Collegebesluit aspirant-lidmaatschap"
    assert decision.membership.municipality.code == "GM0321"
    assert decision.recorded_by == bureau.user
    event = AuditEvent.objects.get(action="decision.record")
    assert event.actor == bureau.user and event.origin == "API"


def test_bureau_records_by_session_too(registry, bureau_user):
    client = APIClient()
    client.force_login(bureau_user)
    response = client.post(LIST, aspirant_body(), format="json")
    assert response.status_code == 201, response.content


def test_recorded_decision_appears_in_the_membership(bureau, api_client, registry):
    bureau.post(LIST, aspirant_body(), format="json")
    body = api_client.get("/api/v1/lidmaatschappen/GM0321").json()
    assert body["status"] == "aspirant"
    assert body["since"] == "2024-03-12"


@pytest.mark.parametrize(
    "role", [Role.MEMBER_CONTACT, Role.PARTICIPANT, Role.PUBLIC_AFFAIRS, Role.PILLAR_CHAIR]
)
def test_other_roles_may_not_record(client_for, registry, role):
    kwargs = (
        {"municipality": registry["houten"]}
        if role in (Role.MEMBER_CONTACT, Role.PARTICIPANT)
        else {}
    )
    client = client_for(role, **kwargs)
    problem = assert_problem(client.post(LIST, aspirant_body(), format="json"), 403)
    assert problem["detail"]
    assert not Decision.objects.exists() and not Membership.objects.exists()


def test_anonymous_may_not_record(api_client, registry):
    response = api_client.post(LIST, aspirant_body(), format="json")
    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"
    assert not Decision.objects.exists()


def test_definitive_after_the_mandate_is_refused_with_the_rule(bureau, registry):
    assert bureau.post(LIST, aspirant_body(), format="json").status_code == 201
    late = {
        "municipalityCode": "GM0321",
        "kind": "definitief",
        "decidingBody": "burgemeester",
        "decidedOn": "2025-03-13",  # the day after the deadline
    }
    before = (Decision.objects.count(), AuditEvent.objects.count())
    problem = assert_problem(bureau.post(LIST, late, format="json"), 400)
    assert codes(problem) == ["mandate_expired"]
    assert "12 maart 2025" in problem["invalidParams"][0]["reason"]
    assert problem["invalidParams"][0]["reason"].startswith("Het mandaat liep tot en met")
    assert problem["detail"].startswith("Het besluit is geweigerd")
    assert (Decision.objects.count(), AuditEvent.objects.count()) == before
    # On the deadline itself the mayor may still decide.
    on_time = {**late, "decidedOn": "2025-03-12"}
    assert bureau.post(LIST, on_time, format="json").status_code == 201


def test_refused_decision_writes_nothing_not_even_a_membership(bureau, registry):
    definitive = {
        "municipalityCode": "GM1696",
        "kind": "definitief",
        "decidingBody": "burgemeester",
        "decidedOn": "2024-05-01",
    }
    problem = assert_problem(bureau.post(LIST, definitive, format="json"), 400)
    assert codes(problem) == ["definitive_without_aspirant", "no_mandate"]
    assert all(param["name"] == "nonFieldErrors" for param in problem["invalidParams"])
    assert not Membership.objects.exists()
    assert not Decision.objects.exists()
    assert not AuditEvent.objects.exists()


def test_every_broken_rule_is_listed(bureau, registry):
    body = aspirant_body(decidingBody="burgemeester", effectiveOn="2024-03-01")
    problem = assert_problem(bureau.post(LIST, body, format="json"), 400)
    assert set(codes(problem)) == {"effective_before_decided", "body_not_competent"}


@pytest.mark.parametrize(
    ("changes", "name", "code"),
    [
        ({"municipalityCode": "GM9999"}, "municipalityCode", "unknown"),
        ({"municipalityCode": "Houten"}, "municipalityCode", "invalid"),
        ({"kind": "intrekking"}, "kind", "invalid_choice"),
        ({"kind": "aspirant-lid"}, "kind", "invalid_choice"),
        ({"decidingBody": "mayor"}, "decidingBody", "invalid_choice"),
        ({"decidedOn": "12-03-2024"}, "decidedOn", "invalid"),
        ({"decidedOn": "9999-12-31"}, "decidedOn", "out_of_range"),
        ({"decidedOn": None}, "decidedOn", "null"),
        ({"mandate": {"body": "wethouder"}}, "mandate.body", "invalid_choice"),
        ({"mandate": {"deadline": "2025-01-01"}}, "mandate.body", "required"),
        ({"corrects": 424242}, "corrects", "unknown"),
        ({"corrects": 2**63}, "corrects", "max_value"),
        ({"predecessorCode": "GM0384"}, "predecessorCode", "unknown"),
        ({"documentUrl": "geen link"}, "documentUrl", "invalid"),
        ({"documentTitle": "x" * 301}, "documentTitle", "max_length"),
        ({"soort": "aspirant"}, "soort", "unknown_field"),
    ],
)
def test_invalid_body_is_400_naming_the_field(bureau, registry, changes, name, code):
    problem = assert_problem(bureau.post(LIST, aspirant_body(**changes), format="json"), 400)
    assert [(p["name"], p["code"]) for p in problem["invalidParams"]] == [(name, code)]
    assert not Decision.objects.exists()


def test_missing_fields_are_named(bureau, registry):
    problem = assert_problem(bureau.post(LIST, {}, format="json"), 400)
    assert {p["name"] for p in problem["invalidParams"]} == {
        "municipalityCode",
        "kind",
        "decidingBody",
        "decidedOn",
    }


@pytest.mark.parametrize("body", ["[]", "42", '"x"', "{"])
def test_body_that_is_no_object_is_400(bureau, registry, body):
    response = bureau.post(LIST, body, content_type="application/json")
    assert_problem(response, 400)


def test_body_that_is_no_json_is_415(bureau, registry):
    response = bureau.post(LIST, "kind=aspirant", content_type="application/x-www-form-urlencoded")
    assert_problem(response, 415)


def test_a_correction_replaces_the_decision(bureau, api_client, diemen_dossier):
    definitive = diemen_dossier["definitive"]
    correction = {
        "municipalityCode": "GM0384",
        "kind": "definitief",
        "decidingBody": "burgemeester",
        "decidedOn": "2023-05-15",
        "announcedOn": "2023-05-16",
        "corrects": definitive.pk,
        "remarks": "Besluitdatum volgens het register van de burgemeester.",
    }
    response = bureau.post(LIST, correction, format="json")
    assert response.status_code == 201, response.content
    new = response.json()
    assert new["corrects"] == definitive.pk and new["inEffect"] is True
    old = api_client.get(detail(definitive)).json()
    assert old["correctedBy"] == new["id"]
    assert old["withdrawn"] is False and old["inEffect"] is False
    membership = api_client.get("/api/v1/lidmaatschappen/GM0384").json()
    assert membership["since"] == "2023-05-15"


def test_a_decision_is_corrected_only_once(bureau, diemen_dossier):
    definitive = diemen_dossier["definitive"]
    correction = {
        "municipalityCode": "GM0384",
        "kind": "definitief",
        "decidingBody": "burgemeester",
        "decidedOn": "2023-05-15",
        "corrects": definitive.pk,
    }
    assert bureau.post(LIST, correction, format="json").status_code == 201
    count = Decision.objects.count()
    response = bureau.post(LIST, correction, format="json")
    # The rules refuse it first (two definitive decisions would count: 400 already_member);
    # the database's "corrected once" constraint is the last guard (409).
    assert_problem(response, response.status_code)
    assert response.status_code in (400, 409)
    assert Decision.objects.count() == count


def test_a_correction_belongs_to_the_same_dossier(bureau, diemen_dossier):
    body = aspirant_body(corrects=diemen_dossier["aspirant"].pk)  # for Houten
    problem = assert_problem(bureau.post(LIST, body, format="json"), 400)
    assert codes(problem) == ["unknown_correction"]


def test_succession_continues_the_predecessor(bureau, api_client, registry):
    membership_listed_create(
        municipality=registry["weesp"], listed_since="2021-01", listed_source=""
    )
    succession = {
        "municipalityCode": "GM0363",
        "kind": "voortzetting",
        "decidingBody": "bestuur-m50",
        "decidedOn": "2022-03-01",
        "predecessorCode": "GM0457",
    }
    response = bureau.post(LIST, succession, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["predecessorCode"] == "GM0457"
    assert body["effectiveOn"] == "2022-03-24"  # the day of the merger
    assert api_client.get("/api/v1/lidmaatschappen/GM0363").json()["status"] == "lid"


def test_succession_without_a_merger_is_refused(bureau, diemen_dossier):
    succession = {
        "municipalityCode": "GM0321",
        "kind": "voortzetting",
        "decidingBody": "bestuur-m50",
        "decidedOn": "2024-01-01",
        "predecessorCode": "GM0384",
    }
    problem = assert_problem(bureau.post(LIST, succession, format="json"), 400)
    assert codes(problem) == ["succession_without_merger"]


# --- Withdrawal -------------------------------------------------------------------------------


def withdraw(client, decision, reason="Dubbel ingevoerd."):
    return client.post(f"{detail(decision)}/intrekking", {"reason": reason}, format="json")


def test_bureau_withdraws_a_decision(bureau, api_client, diemen_dossier):
    definitive = diemen_dossier["definitive"]
    response = withdraw(bureau, definitive)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "intrekking"
    assert body["corrects"] == definitive.pk
    assert body["inEffect"] is False
    assert body["remarks"] == "Dubbel ingevoerd."
    assert response["Location"].endswith(f"{LIST}/{body['id']}")
    assert response["ETag"] == f'"{body["id"]}-1"'
    old = api_client.get(detail(definitive)).json()
    assert old["withdrawn"] is True and old["correctedBy"] == body["id"]
    assert api_client.get("/api/v1/lidmaatschappen/GM0384").json()["status"] == "aspirant"


@pytest.mark.parametrize("reason", ["", "   "])
def test_withdrawal_needs_a_reason(bureau, diemen_dossier, reason):
    problem = assert_problem(withdraw(bureau, diemen_dossier["definitive"], reason), 400)
    assert [p["name"] for p in problem["invalidParams"]] == ["reason"]
    assert Decision.objects.count() == 2


def test_a_decision_is_withdrawn_only_once(bureau, diemen_dossier):
    assert withdraw(bureau, diemen_dossier["definitive"]).status_code == 201
    problem = assert_problem(withdraw(bureau, diemen_dossier["definitive"]), 400)
    assert codes(problem) == ["already_corrected"]
    assert Decision.objects.count() == 3


def test_only_the_bureau_withdraws(api_client, client_for, registry, diemen_dossier):
    contact = client_for(Role.MEMBER_CONTACT, municipality=registry["diemen"])
    assert_problem(withdraw(contact, diemen_dossier["definitive"]), 403)
    assert_problem(withdraw(api_client, diemen_dossier["definitive"]), 401)
    assert Decision.objects.count() == 2


def test_withdrawing_an_unknown_decision_is_404(bureau, registry):
    assert_problem(bureau.post(f"{LIST}/4242/intrekking", {"reason": "x"}, format="json"), 404)


# --- Documentary fields under optimistic concurrency ------------------------------------------


def test_patch_with_the_current_etag_updates_and_gives_a_new_one(bureau, diemen_dossier):
    definitive = diemen_dossier["definitive"]
    etag = bureau.get(detail(definitive))["ETag"]
    changes = {
        "documentNumber": "BM-2023-16",
        "documentUrl": "https://diemen.example/raad/informatie-2023-16.pdf",
        "remarks": "Bekendgemaakt in de collegevergadering.",
        "announcedOn": "2023-05-17",
    }
    response = bureau.patch(detail(definitive), changes, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"{definitive.pk}-2"' != etag
    body = response.json()
    assert {name: body[name] for name in changes} == changes
    assert body["documentTitle"] == "Informatie van de burgemeester: lidmaatschap M50"  # kept
    definitive.refresh_from_db()
    assert definitive.version == 2 and definitive.document_number == "BM-2023-16"
    assert AuditEvent.objects.filter(action="decision.update", actor=bureau.user).count() == 1
    assert bureau.get(detail(definitive))["ETag"] == response["ETag"]


def test_patch_null_or_blank_empties_a_field(bureau, diemen_dossier):
    aspirant = diemen_dossier["aspirant"]
    response = bureau.patch(
        detail(aspirant),
        {"documentNumber": None, "remarks": ""},
        format="json",
        HTTP_IF_MATCH=f'"{aspirant.pk}-1"',
    )
    assert response.status_code == 200, response.content
    aspirant.refresh_from_db()
    assert aspirant.document_number == "" and aspirant.remarks == ""


def test_patch_accepts_a_list_of_etags_with_the_current_one(bureau, diemen_dossier):
    aspirant = diemen_dossier["aspirant"]
    header = f'"{aspirant.pk}-0", "{aspirant.pk}-1"'
    response = bureau.patch(
        detail(aspirant), {"remarks": "Aangevuld."}, format="json", HTTP_IF_MATCH=header
    )
    assert response.status_code == 200, response.content


def test_patch_without_if_match_is_428(bureau, diemen_dossier):
    aspirant = diemen_dossier["aspirant"]
    problem = assert_problem(bureau.patch(detail(aspirant), {"remarks": "x"}, format="json"), 428)
    assert "If-Match" in problem["detail"]
    aspirant.refresh_from_db()
    assert aspirant.version == 1 and aspirant.remarks.startswith("Mandaat")


def test_patch_with_if_match_star_is_428(bureau, diemen_dossier):
    aspirant = diemen_dossier["aspirant"]
    response = bureau.patch(detail(aspirant), {"remarks": "x"}, format="json", HTTP_IF_MATCH="*")
    assert_problem(response, 428)


@pytest.mark.parametrize("header", ['"{pk}-0"', '"{pk}-2"', 'W/"{pk}-1"', '"1-1x"', "onzin"])
def test_patch_with_a_stale_or_foreign_etag_is_412(bureau, diemen_dossier, header):
    aspirant = diemen_dossier["aspirant"]
    response = bureau.patch(
        detail(aspirant),
        {"remarks": "x"},
        format="json",
        HTTP_IF_MATCH=header.format(pk=aspirant.pk),
    )
    problem = assert_problem(response, 412)
    assert "opnieuw" in problem["detail"]
    aspirant.refresh_from_db()
    assert aspirant.version == 1


def test_concurrent_edits_first_wins_second_gets_412(client_for, diemen_dossier):
    first, second = client_for(Role.BUREAU), client_for(Role.BUREAU)
    aspirant = diemen_dossier["aspirant"]
    etag_first = first.get(detail(aspirant))["ETag"]
    etag_second = second.get(detail(aspirant))["ETag"]
    assert etag_first == etag_second
    won = first.patch(
        detail(aspirant), {"remarks": "Eerste."}, format="json", HTTP_IF_MATCH=etag_first
    )
    assert won.status_code == 200
    lost = second.patch(
        detail(aspirant), {"remarks": "Tweede."}, format="json", HTTP_IF_MATCH=etag_second
    )
    assert_problem(lost, 412)
    aspirant.refresh_from_db()
    assert aspirant.remarks == "Eerste." and aspirant.version == 2
    # Read again, the second edit goes through with the new ETag.
    fresh = second.get(detail(aspirant))["ETag"]
    retry = second.patch(
        detail(aspirant), {"remarks": "Tweede."}, format="json", HTTP_IF_MATCH=fresh
    )
    assert retry.status_code == 200


def test_edit_between_the_check_and_the_write_is_412(bureau, diemen_dossier, monkeypatch):
    """The service compares the version under its lock; its ConcurrentEdit is a 412 too."""

    def raced(**kwargs):
        raise services.ConcurrentEdit

    monkeypatch.setattr(services, "decision_document_update", raced)
    aspirant = diemen_dossier["aspirant"]
    response = bureau.patch(
        detail(aspirant), {"remarks": "x"}, format="json", HTTP_IF_MATCH=f'"{aspirant.pk}-1"'
    )
    assert_problem(response, 412)


@pytest.mark.parametrize(
    ("changes", "name", "code"),
    [
        ({"kind": "definitief"}, "kind", "unknown_field"),
        ({"decidedOn": "2023-01-01"}, "decidedOn", "unknown_field"),
        ({"documentUrl": "geen link"}, "documentUrl", "invalid"),
        ({"announcedOn": "2022-08-21"}, "nonFieldErrors", "announced_before_decided"),
    ],
)
def test_patch_changes_only_documentary_fields_within_the_rules(
    bureau, diemen_dossier, changes, name, code
):
    aspirant = diemen_dossier["aspirant"]
    response = bureau.patch(
        detail(aspirant), changes, format="json", HTTP_IF_MATCH=f'"{aspirant.pk}-1"'
    )
    problem = assert_problem(response, 400)
    assert [(p["name"], p["code"]) for p in problem["invalidParams"]] == [(name, code)]
    aspirant.refresh_from_db()
    assert aspirant.version == 1 and aspirant.kind == DecisionKind.ASPIRANT


def test_only_the_bureau_patches(api_client, client_for, registry, diemen_dossier):
    aspirant = diemen_dossier["aspirant"]
    contact = client_for(Role.MEMBER_CONTACT, municipality=registry["diemen"])
    etag = f'"{aspirant.pk}-1"'
    assert_problem(contact.patch(detail(aspirant), {}, format="json", HTTP_IF_MATCH=etag), 403)
    assert_problem(api_client.patch(detail(aspirant), {}, format="json", HTTP_IF_MATCH=etag), 401)


def test_patch_of_an_unknown_decision_is_404(bureau, registry):
    assert_problem(bureau.patch(f"{LIST}/4242", {}, format="json", HTTP_IF_MATCH='"4242-1"'), 404)


# --- History is never deleted -----------------------------------------------------------------


@pytest.mark.parametrize("method", ["delete", "put"])
def test_delete_and_put_are_405(api_client, bureau, diemen_dossier, method):
    aspirant = diemen_dossier["aspirant"]
    for client in (bureau, api_client):
        response = getattr(client, method)(detail(aspirant), {}, format="json")
        problem = assert_problem(response, 405)
        assert method.upper() in problem["detail"]
        assert "DELETE" not in response["Allow"]
    assert Decision.objects.filter(pk=aspirant.pk).exists()


def test_delete_on_the_list_is_405(bureau, diemen_dossier):
    assert_problem(bureau.delete(LIST), 405)
    assert Decision.objects.count() == 2


# --- Cost does not grow with data -------------------------------------------------------------


def _decisions(count: int) -> None:
    """``count`` municipalities with an aspirant decision, every third also definitive."""
    existing = Municipality.objects.count()
    province = Municipality.objects.first().province
    municipalities = Municipality.objects.bulk_create(
        # Codes from GM3000 on: none of the registry's, nor the factories' (GM9000 downwards).
        Municipality(
            code=f"GM{3000 + existing + n:04d}", name=f"Gemeente {n:04d}", province=province
        )
        for n in range(count)
    )
    memberships = Membership.objects.bulk_create(
        Membership(municipality=municipality) for municipality in municipalities
    )
    aspirants = Decision.objects.bulk_create(
        Decision(
            membership=membership,
            kind=DecisionKind.ASPIRANT,
            deciding_body=DecidingBody.COLLEGE,
            decided_on=datetime.date(2022, 1, 10),
            effective_on=datetime.date(2022, 1, 10),
            mandated_body=DecidingBody.MAYOR,
            mandate_deadline=datetime.date(2023, 1, 10),
            document_title="Besluit",
        )
        for membership in memberships
    )
    Decision.objects.bulk_create(
        Decision(
            membership=aspirant.membership,
            kind=DecisionKind.DEFINITIVE,
            deciding_body=DecidingBody.MAYOR,
            decided_on=datetime.date(2022, 6, 1),
            effective_on=datetime.date(2022, 6, 1),
            corrects=None,
        )
        for aspirant in aspirants[::3]
    )
    status_periods_rebuild()


def _count(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, params)
    assert response.status_code == 200, response.content
    assert response.json()["results"], "the list must not be empty, or it proves nothing"
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"pageSize": 500}, {"gemeente": "GM0384", "page": 1}])
def test_list_query_count_does_not_grow(api_client, client_for, diemen_dossier, params):
    bureau = client_for(Role.BUREAU)
    withdraw(bureau, diemen_dossier["definitive"])  # corrections are part of every row
    counts = {"anonymous": [], "bureau": []}
    for size in (10, 1_000):
        _decisions(size - Membership.objects.count())
        counts["anonymous"].append(_count(api_client, params))
        counts["bureau"].append(_count(bureau, params))
    assert counts["anonymous"][0] == counts["anonymous"][1], counts
    assert counts["bureau"][0] == counts["bureau"][1], counts
    # A count and a page (+ the municipality filter's look-up); the bureau's token once more.
    assert counts["anonymous"][0] == 2 + ("gemeente" in params)
    assert counts["bureau"][0] == counts["anonymous"][0] + 1


# --- The OpenAPI document says all this -------------------------------------------------------


def test_document_describes_concurrency_and_writes(api_client, db):
    document = api_client.get("/api/v1/openapi.json").json()
    paths = document["paths"]
    assert set(paths["/besluiten"]) == {"get", "post"}
    assert set(paths["/besluiten/{id}"]) == {"get", "patch"}  # no put, no delete
    assert set(paths["/besluiten/{id}/intrekking"]) == {"post"}
    assert set(paths["/lidmaatschappen"]) == {"get"} == set(paths["/lidmaatschappen/{code}"])
    patch = paths["/besluiten/{id}"]["patch"]
    if_match = next(p for p in patch["parameters"] if p["name"] == "If-Match")
    assert if_match["in"] == "header" and if_match["required"] is True
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for code in ("400", "403", "412", "415", "428"):
        assert patch["responses"][code]["content"] == problem, code
    assert "ETag" in patch["responses"]["200"]["headers"]
    assert "ETag" in paths["/besluiten/{id}"]["get"]["responses"]["200"]["headers"]
    post = paths["/besluiten"]["post"]
    assert {"ETag", "Location"} <= set(post["responses"]["201"]["headers"])
    assert post["responses"]["409"]["content"] == problem
    assert {} not in post["security"] and {} in paths["/besluiten"]["get"]["security"]
    schemas = document["components"]["schemas"]
    assert schemas["DecisionRecordRequest"]["additionalProperties"] is False
    assert "intrekking" not in schemas["RecordableDecisionKind"]["enum"]
    assert schemas["MembershipStatus"]["enum"] == ["geen", "aspirant", "lid", "beeindigd"]
    assert "null" in schemas["Decision"]["description"]  # who sees documents, and who null
