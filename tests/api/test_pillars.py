"""/api/v1/pijlers, /themagroepen, /deelnames and /onderwerpen: what each role reads and writes,
per object, and that a refusal writes nothing."""

import datetime

import pytest
from rest_framework.test import APIClient

from m50.accounts.models import Role
from m50.core.models import AuditEvent
from m50.pillars import services
from m50.pillars.models import Participation, Pillar, Topic, TopicStatusChange
from m50.pillars.models import Role as PillarRole
from tests.api.test_design_rules import assert_problem
from tests.factories import ThemeGroupFactory, UserFactory
from tests.pillars.conftest import Function, municipality_organisation, official, user_of

pytestmark = pytest.mark.django_db
D = datetime.date
START = D(2024, 3, 1)


def client_of(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def snapshot():
    return (
        sorted(Participation.objects.values_list("pk", "end_date", "end_reason", "role")),
        sorted(Topic.objects.values_list("pk", "status")),
        TopicStatusChange.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def world(db):
    """Diemen and Houten, members; Diemen's alderman chairs Sociaal, its secretary is in
    Sociaal too; Houten's alderman is in Financieel."""
    diemen = municipality_organisation("Diemen")
    houten = municipality_organisation("Houten")
    sociaal = Pillar.objects.get(slug="sociaal")
    financieel = Pillar.objects.get(slug="financieel")
    chair = services.participation_register(
        position=official(diemen), pillar=sociaal, role=PillarRole.CHAIR, start_date=START
    )
    secretary = services.participation_register(
        position=official(diemen, Function.MUNICIPAL_SECRETARY), pillar=sociaal, start_date=START
    )
    houten_alderman = services.participation_register(
        position=official(houten), pillar=financieel, start_date=START
    )
    return {
        "diemen": diemen,
        "houten": houten,
        "sociaal": sociaal,
        "financieel": financieel,
        "chair": chair,
        "secretary": secretary,
        "houten_alderman": houten_alderman,
        "bureau": UserFactory(role=Role.BUREAU),
        "diemen_contact": UserFactory(role=Role.MEMBER_CONTACT, municipality=diemen.municipality),
        "houten_contact": UserFactory(role=Role.MEMBER_CONTACT, municipality=houten.municipality),
        "chair_user": user_of(chair.position, role=Role.PILLAR_CHAIR),
        "secretary_user": user_of(secretary.position),
    }


# --- Pillars and theme groups: public -------------------------------------------------------


def test_pillars_both_generations_with_successions_and_unknown_dates(world):
    body = client_of(None).get("/api/v1/pijlers").json()
    pillars = {p["slug"]: p for p in body["results"]}
    assert body["count"] == 8
    # The running ones first.
    assert [p["running"] for p in body["results"]] == [True] * 3 + [False] * 5
    samenleving = pillars["samenleving"]
    assert samenleving["ended"] is True
    assert samenleving["endedOn"] is None and samenleving["startedOn"] is None
    assert [s["slug"] for s in samenleving["successors"]] == ["sociaal"]
    assert [p["slug"] for p in pillars["ruimtelijk"]["predecessors"]] == [
        "duurzaamheid",
        "economie-fysieke-leefomgeving",
    ]
    assert pillars["sociaal"]["ended"] is False


def test_anonymous_sees_the_chairs_municipality_not_the_person(world):
    sociaal = client_of(None).get("/api/v1/pijlers/sociaal").json()
    assert sociaal["chair"]["municipality"]["name"] == "Diemen"
    assert sociaal["chair"]["personName"] is None
    assert "Participation" not in str(sociaal)
    logged_in = client_of(world["houten_contact"]).get("/api/v1/pijlers/sociaal").json()
    assert logged_in["chair"]["personName"] == world["chair"].position.person.full_name
    assert client_of(None).get("/api/v1/pijlers/financieel").json()["chair"] is None


def test_pillar_lists_its_theme_groups(world):
    group = ThemeGroupFactory(pillar=world["sociaal"], name="Jeugdzorg", slug="jeugdzorg")
    ThemeGroupFactory(pillar=None, name="Netwerkbreed", slug="netwerkbreed")
    sociaal = client_of(None).get("/api/v1/pijlers/sociaal").json()
    assert sociaal["themeGroups"] == [{"slug": "jeugdzorg", "name": "Jeugdzorg"}]
    groups = client_of(None).get("/api/v1/themagroepen").json()
    assert {g["slug"] for g in groups["results"]} == {"jeugdzorg", "netwerkbreed"}
    only = client_of(None).get("/api/v1/themagroepen", {"pijler": "sociaal"}).json()
    assert [g["slug"] for g in only["results"]] == [group.slug]
    detail = client_of(None).get("/api/v1/themagroepen/netwerkbreed").json()
    assert detail["pillar"] is None and detail["chair"] is None


def test_unknown_pillar_or_group_is_a_problem(world):
    assert_problem(client_of(None).get("/api/v1/pijlers/bestaat-niet"), 404)
    assert_problem(client_of(None).get("/api/v1/themagroepen/bestaat-niet"), 404)
    problem = assert_problem(client_of(None).get("/api/v1/themagroepen", {"pijler": "nee"}), 400)
    assert problem["invalidParams"][0]["name"] == "pijler"


# --- Participations: read -------------------------------------------------------------------


def test_participations_are_for_logged_in_users_only(world):
    assert_problem(client_of(None).get("/api/v1/deelnames"), 401)
    pk = world["chair"].pk
    assert_problem(client_of(None).get(f"/api/v1/deelnames/{pk}"), 401)


def test_participations_with_person_municipality_and_body(world):
    client = client_of(world["houten_contact"])
    body = client.get("/api/v1/deelnames").json()
    assert body["count"] == 3
    chair = client.get(f"/api/v1/deelnames/{world['chair'].pk}").json()
    assert chair["role"] == "voorzitter"
    assert chair["category"] == "bestuurder"
    assert chair["function"] == "wethouder"
    assert chair["municipality"]["name"] == "Diemen"
    assert chair["pillar"] == {"slug": "sociaal", "name": "Sociaal"}
    assert chair["themeGroup"] is None
    assert chair["startDate"] == "2024-03-01"
    assert chair["endDate"] is None and chair["endReason"] is None
    assert chair["running"] is True
    assert set(chair["person"]) == {"id", "name"}  # no contact details


def test_participation_filters(world):
    client = client_of(world["bureau"])

    def ids(**params):
        return {p["id"] for p in client.get("/api/v1/deelnames", params).json()["results"]}

    diemen_code = world["diemen"].municipality.code
    assert ids(gemeente=diemen_code) == {world["chair"].pk, world["secretary"].pk}
    assert ids(pijler="financieel") == {world["houten_alderman"].pk}
    assert ids(categorie="gemeentesecretaris") == {world["secretary"].pk}
    assert ids(pijler="sociaal", categorie="bestuurder") == {world["chair"].pk}
    assert ids(peildatum="2024-02-29") == set()
    services.participation_end(participation=world["secretary"], end_date=D(2025, 1, 31))
    assert world["secretary"].pk in ids(peildatum="2025-01-31")
    assert world["secretary"].pk not in ids(peildatum="2025-02-01")


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"gemeente": "GM9999"}, "gemeente"),
        ({"gemeente": "Diemen"}, "gemeente"),
        ({"pijler": "bestaat-niet"}, "pijler"),
        ({"themagroep": "bestaat-niet"}, "themagroep"),
        ({"categorie": "burgemeester"}, "categorie"),
        ({"peildatum": "morgen"}, "peildatum"),
        ({"peildatum": "0001-01-01"}, "peildatum"),
    ],
)
def test_bad_participation_filters_are_400_problems(world, params, name):
    problem = assert_problem(client_of(world["bureau"]).get("/api/v1/deelnames", params), 400)
    assert [p["name"] for p in problem["invalidParams"]] == [name]


def test_unknown_participation_is_a_404_problem(world):
    client = client_of(world["bureau"])
    assert_problem(client.get("/api/v1/deelnames/999999"), 404)
    assert_problem(client.get("/api/v1/deelnames/99999999999999999999999"), 404)


# --- Participations: register and end -------------------------------------------------------


def _register(user, position, **extra):
    data = {"positionId": position.pk, "pillar": "sociaal", "startDate": "2025-01-01", **extra}
    return client_of(user).post("/api/v1/deelnames", data, format="json")


def test_member_contact_registers_an_official_of_its_own_municipality(world):
    alderman = official(world["diemen"])
    response = _register(world["diemen_contact"], alderman)
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"].endswith(f"/api/v1/deelnames/{body['id']}")
    assert body["role"] == "lid" and body["category"] == "bestuurder"
    participation = Participation.objects.get(pk=body["id"])
    event = AuditEvent.objects.get(action="participation.register", object_id=participation.pk)
    assert event.origin == "API"


def test_member_contact_is_refused_another_municipalitys_official(world):
    alderman = official(world["diemen"])
    before = snapshot()
    problem = assert_problem(_register(world["houten_contact"], alderman), 403)
    assert "contactpersoon" in problem["detail"]
    assert snapshot() == before


def test_chair_registers_in_their_own_pillar_only(world):
    alderman = official(world["houten"])
    chair = world["chair_user"]
    before = snapshot()
    assert_problem(_register(chair, alderman, pillar="financieel"), 403)
    assert snapshot() == before
    response = _register(chair, alderman)
    assert response.status_code == 201, response.content


def test_a_participant_registers_nobody(world):
    before = snapshot()
    assert_problem(_register(world["secretary_user"], official(world["diemen"])), 403)
    assert_problem(_register(None, official(world["diemen"])), 401)
    assert snapshot()[0] == before[0]


@pytest.mark.parametrize(
    ("extra", "name", "text"),
    [
        ({"pillar": "samenleving"}, "nonFieldErrors", "neemt geen nieuwe deelnemers aan"),
        ({"category": "adviseur"}, "category", "neemt deel als bestuurder"),
        ({"role": "voorzitter"}, "role", "al voorzitter"),
        ({"startDate": "2025-01-01", "endDate": "2024-12-31"}, "endDate", "vóór de begindatum"),
    ],
)
def test_a_refused_participation_is_a_400_problem_and_writes_nothing(world, extra, name, text):
    alderman = official(world["diemen"])
    before = snapshot()
    problem = assert_problem(_register(world["bureau"], alderman, **extra), 400)
    assert [p["name"] for p in problem["invalidParams"]] == [name]
    assert text in problem["invalidParams"][0]["reason"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ({"pillar": "sociaal"}, "positionId"),
        ({"positionId": 999999, "pillar": "sociaal"}, "positionId"),
        ({"positionId": "POSITION"}, "nonFieldErrors"),
        ({"positionId": "POSITION", "pillar": "sociaal", "themeGroup": "x"}, "themeGroup"),
        ({"positionId": "POSITION", "pillar": "nee"}, "pillar"),
        ({"positionId": "POSITION", "pillar": "sociaal", "rol": "lid"}, "rol"),
        ({"positionId": "POSITION", "pillar": "sociaal", "startDate": "2200-01-01"}, "startDate"),
    ],
)
def test_bad_register_bodies_are_400_problems(world, data, name):
    position = official(world["diemen"])
    data = {k: position.pk if v == "POSITION" else v for k, v in data.items()}
    before = snapshot()
    response = client_of(world["bureau"]).post("/api/v1/deelnames", data, format="json")
    problem = assert_problem(response, 400)
    assert name in [p["name"] for p in problem["invalidParams"]]
    assert snapshot() == before


def _end(user, participation, **data):
    return client_of(user).post(
        f"/api/v1/deelnames/{participation.pk}/beeindiging", data, format="json"
    )


def test_a_participant_ends_their_own_participation(world):
    response = _end(world["secretary_user"], world["secretary"], endDate="2025-06-30")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["endDate"] == "2025-06-30" and body["endReason"] == "afgemeld"
    assert AuditEvent.objects.filter(
        action="participation.end", object_id=world["secretary"].pk, origin="API"
    ).exists()


def test_who_may_end_a_participation(world):
    houten = world["houten_alderman"]
    before = snapshot()
    # Another municipality's contact, a chair of another pillar, another participant.
    for user in (world["diemen_contact"], world["chair_user"], world["secretary_user"]):
        assert_problem(_end(user, houten, endDate="2025-06-30"), 403)
    assert snapshot() == before
    assert _end(world["houten_contact"], houten, endDate="2025-06-30").status_code == 200
    # The chair of Sociaal ends a participation in Sociaal.
    assert _end(world["chair_user"], world["secretary"]).status_code == 200


def test_an_end_before_the_start_is_refused(world):
    before = snapshot()
    problem = assert_problem(_end(world["bureau"], world["secretary"], endDate="2024-01-01"), 400)
    assert problem["invalidParams"][0]["name"] == "endDate"
    assert snapshot() == before


# --- Topics ---------------------------------------------------------------------------------


def _propose(user, **extra):
    data = {"pillar": "sociaal", "title": "Wachtlijsten jeugdzorg", **extra}
    return client_of(user).post("/api/v1/onderwerpen", data, format="json")


def test_a_participant_proposes_and_the_chair_adopts(world):
    response = _propose(world["secretary_user"], description="Samen optrekken.")
    assert response.status_code == 201, response.content
    topic = response.json()
    assert topic["status"] == "voorgesteld"
    assert topic["owner"]["id"] == world["secretary"].position.person_id
    assert [h["toStatus"] for h in topic["history"]] == ["voorgesteld"]
    url = f"/api/v1/onderwerpen/{topic['id']}/statuswijziging"
    response = client_of(world["chair_user"]).post(
        url, {"status": "aangenomen", "note": "In het overleg besproken."}, format="json"
    )
    assert response.status_code == 200, response.content
    history = response.json()["history"]
    assert [(h["fromStatus"], h["toStatus"]) for h in history] == [
        (None, "voorgesteld"),
        ("voorgesteld", "aangenomen"),
    ]
    assert history[1]["note"] == "In het overleg besproken."
    assert AuditEvent.objects.filter(action="topic.status_change", origin="API").exists()


def test_who_takes_no_part_proposes_nothing(world):
    before = snapshot()
    assert_problem(_propose(world["houten_contact"]), 403)
    # A participant of Financieel in Sociaal.
    houten_user = user_of(world["houten_alderman"].position)
    assert_problem(_propose(houten_user), 403)
    # A participant names another owner: only the chair and the bureau may.
    chair_person = world["chair"].position.person_id
    assert_problem(_propose(world["secretary_user"], ownerId=chair_person), 403)
    assert snapshot() == before


def test_the_bureau_names_the_owner(world):
    before = snapshot()
    problem = assert_problem(_propose(world["bureau"]), 400)
    assert problem["invalidParams"][0]["name"] == "ownerId"
    outsider = world["houten_alderman"].position.person_id
    problem = assert_problem(_propose(world["bureau"], ownerId=outsider), 400)
    assert "neemt niet deel" in problem["invalidParams"][0]["reason"]
    assert snapshot() == before
    owner = world["secretary"].position.person_id
    assert _propose(world["bureau"], ownerId=owner).status_code == 201


@pytest.fixture
def topic(world):
    return services.topic_propose(
        title="Armoedebeleid", owner=world["secretary"].position.person, pillar=world["sociaal"]
    )


def test_a_chair_of_another_pillar_changes_no_status(world, topic):
    houten_chair = services.participation_register(
        position=official(world["houten"]),
        pillar=world["financieel"],
        role=PillarRole.CHAIR,
        start_date=START,
    )
    before = snapshot()
    url = f"/api/v1/onderwerpen/{topic.pk}/statuswijziging"
    for user in (user_of(houten_chair.position), world["secretary_user"]):
        response = client_of(user).post(url, {"status": "aangenomen"}, format="json")
        assert_problem(response, 403)
    assert snapshot() == before


def test_an_impossible_transition_is_a_400_problem(world, topic):
    services.topic_status_change(topic=topic, status="closed")
    before = snapshot()
    url = f"/api/v1/onderwerpen/{topic.pk}/statuswijziging"
    response = client_of(world["chair_user"]).post(url, {"status": "aangenomen"}, format="json")
    problem = assert_problem(response, 400)
    assert problem["invalidParams"][0]["name"] == "status"
    assert snapshot() == before


def test_topics_list_filters_and_is_for_logged_in_users(world, topic):
    assert_problem(client_of(None).get("/api/v1/onderwerpen"), 401)
    client = client_of(world["houten_contact"])
    assert client.get("/api/v1/onderwerpen", {"pijler": "sociaal"}).json()["count"] == 1
    assert client.get("/api/v1/onderwerpen", {"pijler": "financieel"}).json()["count"] == 0
    assert client.get("/api/v1/onderwerpen", {"status": "aangenomen"}).json()["count"] == 0
    detail = client.get(f"/api/v1/onderwerpen/{topic.pk}").json()
    assert detail["title"] == "Armoedebeleid" and detail["pillar"]["slug"] == "sociaal"
    assert_problem(client.get("/api/v1/onderwerpen", {"status": "open"}), 400)
    assert_problem(client.get("/api/v1/onderwerpen/999999"), 404)


# --- Design rules on the new paths ----------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/pijlers"),
        ("delete", "/api/v1/pijlers/sociaal"),
        ("post", "/api/v1/themagroepen"),
        ("put", "/api/v1/deelnames/PK"),
        ("delete", "/api/v1/deelnames/PK"),
        ("get", "/api/v1/deelnames/PK/beeindiging"),
        ("patch", "/api/v1/onderwerpen/TOPIC"),
        ("get", "/api/v1/onderwerpen/TOPIC/statuswijziging"),
    ],
)
def test_other_methods_are_405_problems(world, topic, method, url):
    url = url.replace("PK", str(world["chair"].pk)).replace("TOPIC", str(topic.pk))
    before = snapshot()
    response = getattr(client_of(world["bureau"]), method)(url, {}, format="json")
    assert_problem(response, 405)
    assert snapshot() == before


@pytest.mark.parametrize(
    "url",
    ["/api/v1/pijlers/", "/api/v1/pijlers/sociaal/", "/api/v1/deelnames/", "/api/v1/onderwerpen/"],
)
def test_trailing_slash_is_a_404_problem(world, url):
    assert_problem(client_of(world["bureau"]).get(url), 404)


def test_a_write_that_is_not_json_is_a_415_problem(world):
    before = snapshot()
    response = client_of(world["bureau"]).post(
        "/api/v1/onderwerpen", "title=x", content_type="application/x-www-form-urlencoded"
    )
    assert_problem(response, 415)
    assert snapshot() == before
