"""Public affairs in the API (issue 12): themes, Kamerleden, fracties, motions, votes and
contacts for the network's logged-in users; filters checked (a bad value is a 400 problem in
Dutch); a contact's confidential note only for public affairs and the bureau, and not even
selected for anyone else; the lists cost the same queries for 10 rows as for 1,000."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from m50.accounts.models import Role
from m50.contacts.models import Organisation
from m50.publicaffairs import records
from m50.publicaffairs.models import (
    CommitteeMembership,
    Decision,
    Interaction,
    MemberOfParliament,
    Motion,
    MotionSubmitter,
    Vote,
)
from tests.api.test_design_rules import assert_problem
from tests.factories import OrganisationFactory
from tests.publicaffairs.records_helpers import (
    TODAY,
    committee,
    fractie,
    mp,
    statistics_refresh,
    theme,
    tk_motion,
)

pytestmark = pytest.mark.django_db

NOTE = "De minister wil dit nog niet openbaar maken."
LISTS = [
    "/api/v1/themas",
    "/api/v1/kamerleden",
    "/api/v1/fracties",
    "/api/v1/moties",
    "/api/v1/stemmingen",
    "/api/v1/contactmomenten",
]
OTHERS = [Role.PARTICIPANT, Role.PILLAR_CHAIR, Role.MEMBER_CONTACT]


def client_of(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def decision(motion, result: str, count: str = "") -> Decision:
    return Decision.objects.create(
        tk_id=uuid.uuid4(),
        motion=motion,
        tk_motion_id=motion.tk_id,
        kind="Stemmen - " + result.lower(),
        result=result,
        vote_count=count,
    )


def vote(decision_, kind: str, *, fractie_=None, member=None) -> Vote:
    return Vote.objects.create(
        tk_id=uuid.uuid4(),
        decision=decision_,
        tk_decision_id=decision_.tk_id,
        fractie=fractie_,
        member=member,
        kind=kind,
        actor_name=str(member or fractie_),
        actor_fractie=str(fractie_ or ""),
    )


def submitter(motion, member, role=MotionSubmitter.Role.SUBMITTER) -> MotionSubmitter:
    return MotionSubmitter.objects.create(
        tk_id=uuid.uuid4(),
        motion=motion,
        member=member,
        role=role,
        name=str(member),
        fractie_name=str(member.fractie or ""),
    )


@pytest.fixture
def lobbyist(user_for_role):
    return user_for_role(Role.PUBLIC_AFFAIRS)


@pytest.fixture
def reader(user_for_role):
    return user_for_role(Role.PARTICIPANT)


@pytest.fixture
def world(lobbyist):
    """Two fracties, a committee, two Kamerleden; two Tweede Kamer motions (one adopted, on
    the theme Wonen, one rejected) with fractie votes; a VNG motion; a talk with a note."""
    vvd, gl = fractie("VVD", 24), fractie("GL-PvdA", 25)
    housing = committee("Volkshuisvesting")
    jansen, bakker = mp("Jansen", vvd), mp("Bakker", gl)
    CommitteeMembership.objects.create(
        tk_id=uuid.uuid4(), committee=housing, member=jansen, function="Lid"
    )
    adopted = tk_motion("Meer woningen bouwen", committee_=housing)
    submitter(adopted, jansen)
    submitter(adopted, bakker, MotionSubmitter.Role.CO_SIGNER)
    adopted_decision = decision(adopted, "Aangenomen", "95–55")
    vote(adopted_decision, "Voor", fractie_=vvd)
    vote(adopted_decision, "Tegen", fractie_=gl)
    rejected = tk_motion("Minder regels", date=datetime.date(2025, 3, 1))
    submitter(rejected, bakker)
    rejected_decision = decision(rejected, "Verworpen", "40–110")
    vote(rejected_decision, "Voor", fractie_=gl)
    vote(rejected_decision, "Tegen", fractie_=vvd)
    g40 = OrganisationFactory(kind=Organisation.Kind.PARTNER_NETWORK, name="G40", slug="g40")
    dossier = records.dossier_create(
        actor=lobbyist,
        theme=theme("wonen"),
        goals="Meer betaalbare woningen.",
        watch_terms=["woningbouw"],
        committees=[housing],
    )
    records.position_add(actor=lobbyist, dossier=dossier, text="Bouwen, bouwen, bouwen.")
    records.dossier_motion_link(actor=lobbyist, dossier=dossier, motion=adopted)
    vng = records.vng_motion_create(
        actor=lobbyist,
        title="Structurele middelen jeugdzorg",
        date=datetime.date(2026, 6, 12),
        co_submitters=[g40],
        outcome="aangenomen",
    )
    talk = records.interaction_create(
        actor=lobbyist,
        kind=Interaction.Kind.TALK,
        date=TODAY,
        subject="Gesprek over woningbouw",
        members=[jansen],
        fracties=[vvd],
        themes=[theme("wonen")],
        outcome="Vervolggesprek in maart.",
        confidential_note=NOTE,
    )
    return {
        "vvd": vvd,
        "gl": gl,
        "housing": housing,
        "jansen": jansen,
        "bakker": bakker,
        "adopted": adopted,
        "adopted_decision": adopted_decision,
        "rejected": rejected,
        "vng": vng,
        "talk": talk,
        "dossier": dossier,
    }


def results(client, url, params=None) -> list[dict]:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- Who reads ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", LISTS)
def test_anonymous_callers_get_401(world, url):
    assert_problem(client_of(None).get(url), 401)


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("role", list(Role))
def test_every_role_of_the_network_reads_the_lists(world, user_for_role, url, role):
    assert results(client_of(user_for_role(role)), url)


def test_a_token_reads_the_lists_too(world, reader):
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reader).key}")
    assert [m["surname"] for m in results(client, "/api/v1/kamerleden")] == ["Bakker", "Jansen"]


# --- Themes ------------------------------------------------------------------------------------


def test_a_theme_dossier_with_its_position_committees_and_motions(world, reader):
    client = client_of(reader)
    [listed] = results(client, "/api/v1/themas")
    response = client.get("/api/v1/themas/wonen")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body == listed
    assert body["theme"] == {"slug": "wonen", "name": theme("wonen").name}
    assert body["position"]["version"] == 1
    assert body["position"]["text"] == "Bouwen, bouwen, bouwen."
    assert body["goals"] == "Meer betaalbare woningen."
    assert body["watchTerms"] == ["woningbouw"]
    assert [c["name"] for c in body["committees"]] == ["Volkshuisvesting"]
    assert body["motionIds"] == [world["adopted"].pk]


def test_a_theme_without_a_dossier_is_a_404_problem(world, reader):
    problem = assert_problem(client_of(reader).get("/api/v1/themas/jeugdzorg"), 404)
    assert problem["detail"] == "Er is geen themadossier jeugdzorg."


# --- Kamerleden and fracties ------------------------------------------------------------------


def test_kamerleden_with_fractie_and_committees_filtered(world, reader):
    client = client_of(reader)
    jansen = client.get(f"/api/v1/kamerleden/{world['jansen'].pk}").json()
    assert jansen["fractie"]["abbreviation"] == "VVD"
    assert [seat["committee"]["name"] for seat in jansen["committees"]] == ["Volkshuisvesting"]
    # Only what the model keeps: no date of birth, gender or other personal data.
    assert set(jansen) == {
        "id",
        "tkId",
        "name",
        "titles",
        "initials",
        "firstName",
        "surnamePrefix",
        "surname",
        "function",
        "residence",
        "municipality",
        "fractie",
        "committees",
    }

    def names(**params):
        return [m["surname"] for m in results(client, "/api/v1/kamerleden", params)]

    assert names(fractie=world["gl"].pk) == ["Bakker"]
    assert names(commissie=world["housing"].pk) == ["Jansen"]
    assert names(fractie=world["gl"].pk, commissie=world["housing"].pk) == []


@pytest.mark.parametrize(
    ("params", "name", "reason"),
    [
        ({"fractie": "VVD"}, "fractie", "Een geldig getal is vereist."),
        ({"fractie": "999999"}, "fractie", "Er is geen fractie 999999."),
        ({"commissie": "0"}, "commissie", None),
    ],
)
def test_a_bad_kamerleden_filter_is_a_400_problem(world, reader, params, name, reason):
    problem = assert_problem(client_of(reader).get("/api/v1/kamerleden", params), 400)
    [param] = problem["invalidParams"]
    assert param["name"] == name
    if reason:
        assert param["reason"] == reason


def test_fracties_list_and_detail(world, reader):
    client = client_of(reader)
    assert [f["abbreviation"] for f in results(client, "/api/v1/fracties")] == ["GL-PvdA", "VVD"]
    body = client.get(f"/api/v1/fracties/{world['vvd'].pk}").json()
    assert body["seats"] == 24
    assert body["active"] is True
    assert_problem(client.get("/api/v1/fracties/99999999999999999999999"), 404)


# --- Motions -----------------------------------------------------------------------------------


def test_a_motion_with_submitters_decisions_and_themes(world, reader):
    body = client_of(reader).get(f"/api/v1/moties/{world['adopted'].pk}").json()
    assert body["source"] == "tweede-kamer"
    assert body["themes"] == ["wonen"]
    assert [(s["name"], s["role"], s["memberId"]) for s in body["submitters"]] == [
        ("Jansen", "indiener", world["jansen"].pk),
        ("Bakker", "medeondertekenaar", world["bakker"].pk),
    ]
    assert [(d["result"], d["voteCount"]) for d in body["decisions"]] == [("Aangenomen", "95–55")]
    assert body["committee"]["name"] == "Volkshuisvesting"
    assert body["outcome"] is None
    vng = client_of(reader).get(f"/api/v1/moties/{world['vng'].pk}").json()
    assert vng["source"] == "vng"
    assert vng["coSubmitters"] == [{"slug": "g40", "name": "G40"}]
    assert vng["outcome"]["outcome"] == "aangenomen"


def test_motions_filtered_by_theme_fractie_result_date_and_source(world, reader):
    client = client_of(reader)

    def titles(**params):
        return [m["title"] for m in results(client, "/api/v1/moties", params)]

    assert titles() == [
        "Meer woningen bouwen",
        "Structurele middelen jeugdzorg",
        "Minder regels",
    ]
    assert titles(thema="wonen") == ["Meer woningen bouwen"]
    # A submitter's or co-signer's fractie.
    assert titles(fractie=world["vvd"].pk) == ["Meer woningen bouwen"]
    assert titles(fractie=world["gl"].pk) == ["Meer woningen bouwen", "Minder regels"]
    assert titles(resultaat="aangenomen") == [
        "Meer woningen bouwen",
        "Structurele middelen jeugdzorg",
    ]
    assert titles(resultaat="verworpen") == ["Minder regels"]
    assert titles(van="2026-01-01") == ["Meer woningen bouwen", "Structurele middelen jeugdzorg"]
    assert titles(tot="2026-06-12") == ["Structurele middelen jeugdzorg", "Minder regels"]
    assert titles(van="2026-06-01", tot="2026-06-30") == ["Structurele middelen jeugdzorg"]
    assert titles(bron="vng") == ["Structurele middelen jeugdzorg"]
    assert titles(bron="tweede-kamer", resultaat="aangenomen") == ["Meer woningen bouwen"]


@pytest.mark.parametrize(
    ("params", "name", "reason"),
    [
        ({"resultaat": "gewonnen"}, "resultaat", None),
        ({"bron": "senaat"}, "bron", None),
        ({"thema": "bestaat-niet"}, "thema", "Er is geen thema bestaat-niet."),
        ({"van": "12-06-2026"}, "van", None),
        ({"tot": "1800-01-01"}, "tot", "Geef een datum van 1900 tot en met 2099."),
        (
            {"van": "2026-06-12", "tot": "2026-01-01"},
            "tot",
            "De einddatum (tot) ligt vóór de begindatum (van).",
        ),
        ({"fractie": "-1"}, "fractie", None),
    ],
)
def test_a_bad_motion_filter_is_a_400_problem(world, reader, params, name, reason):
    problem = assert_problem(client_of(reader).get("/api/v1/moties", params), 400)
    [param] = problem["invalidParams"]
    assert param["name"] == name
    if reason:
        assert param["reason"] == reason


# --- Votes -------------------------------------------------------------------------------------


def test_votes_filtered_by_decision_member_and_fractie(world, reader):
    client = client_of(reader)
    decided = world["adopted_decision"]
    by_decision = results(client, "/api/v1/stemmingen", {"tkBesluit": str(decided.tk_id)})
    assert [(v["fractie"]["abbreviation"], v["kind"]) for v in by_decision] == [
        ("VVD", "Voor"),
        ("GL-PvdA", "Tegen"),
    ]
    assert {v["tkBesluit"] for v in by_decision} == {str(decided.tk_id)}
    assert {v["motionId"] for v in by_decision} == {world["adopted"].pk}
    by_fractie = results(client, "/api/v1/stemmingen", {"fractie": world["vvd"].pk})
    assert [v["kind"] for v in by_fractie] == ["Voor", "Tegen"]
    # A roll call: one member's vote, with the mistake flag; one waiting for its decision.
    roll_call = vote(decided, "Tegen", member=world["jansen"])
    Vote.objects.filter(pk=roll_call.pk).update(mistake=True)
    waiting = uuid.uuid4()
    Vote.objects.create(tk_id=uuid.uuid4(), tk_decision_id=waiting, kind="Voor")
    [mine] = results(client, "/api/v1/stemmingen", {"kamerlid": world["jansen"].pk})
    assert mine["member"] == {"id": world["jansen"].pk, "name": "Jansen"}
    assert mine["mistake"] is True
    [early] = results(client, "/api/v1/stemmingen", {"tkBesluit": str(waiting)})
    assert early["tkBesluit"] == str(waiting)
    assert early["motionId"] is None
    assert results(client, "/api/v1/stemmingen", {"tkBesluit": str(uuid.uuid4())}) == []


@pytest.mark.parametrize(
    ("params", "name"),
    [({"tkBesluit": "geen-uuid"}, "tkBesluit"), ({"kamerlid": "999999"}, "kamerlid")],
)
def test_a_bad_vote_filter_is_a_400_problem(world, reader, params, name):
    problem = assert_problem(client_of(reader).get("/api/v1/stemmingen", params), 400)
    assert [param["name"] for param in problem["invalidParams"]] == [name]


# --- Contacts ----------------------------------------------------------------------------------


def _selected_note(queries) -> bool:
    return any("confidential_note" in query["sql"] for query in queries)


@pytest.mark.parametrize("role", OTHERS)
def test_the_confidential_note_is_null_and_not_selected_for_other_roles(world, user_for_role, role):
    client = client_of(user_for_role(role))
    with CaptureQueriesContext(connection) as queries:
        [listed] = results(client, "/api/v1/contactmomenten")
        detail = client.get(f"/api/v1/contactmomenten/{world['talk'].pk}").json()
    assert not _selected_note(queries.captured_queries)
    assert listed["confidentialNote"] is None
    assert detail["confidentialNote"] is None
    assert NOTE not in str(listed) + str(detail)
    assert listed["subject"] == "Gesprek over woningbouw"


@pytest.mark.parametrize("role", [Role.PUBLIC_AFFAIRS, Role.BUREAU])
def test_public_affairs_and_the_bureau_read_the_confidential_note(world, user_for_role, role):
    client = client_of(user_for_role(role))
    [listed] = results(client, "/api/v1/contactmomenten")
    assert listed["confidentialNote"] == NOTE


def test_a_contact_with_its_people_themes_and_follow_ups(world, lobbyist, reader):
    records.follow_up_create(
        actor=lobbyist,
        interaction=world["talk"],
        description="Notitie sturen",
        owner=lobbyist,
        due_date=datetime.date(2026, 12, 15),
    )
    client = client_of(reader)
    body = client.get(f"/api/v1/contactmomenten/{world['talk'].pk}").json()
    assert body["kind"] == "bestuurlijk-gesprek"
    assert body["themes"] == ["wonen"]
    assert body["members"] == [{"id": world["jansen"].pk, "name": "Jansen"}]
    assert [f["abbreviation"] for f in body["fracties"]] == ["VVD"]
    assert body["outcome"] == "Vervolggesprek in maart."
    assert body["followUps"] == [
        {"description": "Notitie sturen", "dueDate": "2026-12-15", "done": False}
    ]

    def subjects(**params):
        return [c["subject"] for c in results(client, "/api/v1/contactmomenten", params)]

    assert subjects(thema="wonen", soort="bestuurlijk-gesprek") == ["Gesprek over woningbouw"]
    assert subjects(kamerlid=world["bakker"].pk) == []
    assert subjects(fractie=world["vvd"].pk) == ["Gesprek over woningbouw"]
    assert subjects(soort="werkbezoek") == []
    problem = assert_problem(client.get("/api/v1/contactmomenten", {"soort": "feest"}), 400)
    assert problem["invalidParams"][0]["name"] == "soort"
    assert_problem(client.get("/api/v1/contactmomenten/12345"), 404)


# --- Query counts ------------------------------------------------------------------------------

SIZES = (10, 1_000)


def _grow(world, size: int) -> None:
    """``size`` rows of each list: Kamerleden with a committee seat, fracties, motions on the
    theme with a submitter, a decision and a vote, contacts with their links."""
    housing, vvd = world["housing"], world["vvd"]
    missing = size - Motion.objects.count()
    if missing <= 0:
        return
    members = MemberOfParliament.objects.bulk_create(
        MemberOfParliament(tk_id=uuid.uuid4(), surname=f"Lid {n:05d}", fractie=vvd)
        for n in range(missing)
    )
    CommitteeMembership.objects.bulk_create(
        CommitteeMembership(tk_id=uuid.uuid4(), committee=housing, member=member, function="Lid")
        for member in members
    )
    fractie_rows = [fractie(f"F{size}-{n}") for n in range(min(missing, 5))]
    from m50.publicaffairs.models import Fractie

    Fractie.objects.bulk_create(
        Fractie(tk_id=uuid.uuid4(), name=f"Fractie {size}-{n:05d}", abbreviation=f"X{n}")
        for n in range(missing - len(fractie_rows))
    )
    motions = Motion.objects.bulk_create(
        Motion(
            source=Motion.Source.TWEEDE_KAMER,
            tk_id=uuid.uuid4(),
            number=f"99{size}-{n}",
            title=f"Motie {n}",
            date=TODAY,
            committee=housing,
        )
        for n in range(missing)
    )
    world["dossier"].motions.add(*motions)
    MotionSubmitter.objects.bulk_create(
        MotionSubmitter(
            tk_id=uuid.uuid4(),
            motion=motion,
            member=member,
            role=MotionSubmitter.Role.SUBMITTER,
            name=member.surname,
            fractie_name="VVD",
        )
        for motion, member in zip(motions, members, strict=True)
    )
    decisions = Decision.objects.bulk_create(
        Decision(tk_id=uuid.uuid4(), motion=motion, result="Aangenomen") for motion in motions
    )
    Vote.objects.bulk_create(
        Vote(
            tk_id=uuid.uuid4(),
            decision=decision_,
            tk_decision_id=decision_.tk_id,
            fractie=vvd,
            member=member,
            kind="Voor",
        )
        for decision_, member in zip(decisions, members, strict=True)
    )
    interactions = Interaction.objects.bulk_create(
        Interaction(
            kind=Interaction.Kind.TALK,
            date=TODAY,
            subject=f"Gesprek {n}",
            confidential_note=NOTE,
        )
        for n in range(missing)
    )
    wonen = theme("wonen")
    Interaction.themes.through.objects.bulk_create(
        Interaction.themes.through(interaction=interaction, theme=wonen)
        for interaction in interactions
    )
    Interaction.members.through.objects.bulk_create(
        Interaction.members.through(interaction=interaction, memberofparliament=member)
        for interaction, member in zip(interactions, members, strict=True)
    )
    Interaction.fracties.through.objects.bulk_create(
        Interaction.fracties.through(interaction=interaction, fractie=vvd)
        for interaction in interactions
    )
    statistics_refresh()


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v1/themas", {}),
        ("/api/v1/kamerleden", {"pageSize": 500}),
        ("/api/v1/kamerleden", {"fractie": "vvd", "commissie": "housing"}),
        ("/api/v1/fracties", {"pageSize": 500}),
        ("/api/v1/moties", {"pageSize": 500}),
        (
            "/api/v1/moties",
            {"thema": "wonen", "fractie": "vvd", "resultaat": "aangenomen", "van": "2020-01-01"},
        ),
        ("/api/v1/stemmingen", {"pageSize": 500}),
        ("/api/v1/stemmingen", {"fractie": "vvd", "tkBesluit": "adopted_decision"}),
        ("/api/v1/contactmomenten", {"pageSize": 500}),
        (
            "/api/v1/contactmomenten",
            {"thema": "wonen", "fractie": "vvd", "soort": "bestuurlijk-gesprek"},
        ),
    ],
)
@pytest.mark.parametrize("role", [Role.PUBLIC_AFFAIRS, Role.PARTICIPANT])
def test_list_query_count_does_not_grow(world, user_for_role, url, params, role):
    client = client_of(user_for_role(role))
    references = {
        "vvd": world["vvd"].pk,
        "housing": world["housing"].pk,
        "adopted_decision": str(world["adopted_decision"].tk_id),
    }
    params = {key: references.get(value, value) for key, value in params.items()}
    counts = []
    for size in SIZES:
        _grow(world, size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200, response.content
        assert response.json()["results"], "the list must not be empty, or it proves nothing"
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- Recording a contact -----------------------------------------------------------------------


def _visit_body(world, place, **extra) -> dict:
    return {
        "kind": "werkbezoek",
        "date": "2026-12-02",
        "subject": "Werkbezoek woningbouw",
        "municipality": place.code,
        "memberIds": [world["jansen"].pk, world["bakker"].pk],
        "themes": ["wonen"],
        "outcome": "Vragen over de bouwleges.",
        "confidentialNote": NOTE,
        **extra,
    }


@pytest.mark.parametrize("role", [Role.PUBLIC_AFFAIRS, Role.BUREAU])
def test_public_affairs_and_the_bureau_record_a_work_visit(world, user_for_role, role):
    from m50.core.models import AuditEvent
    from tests.factories import MunicipalityFactory

    diemen = MunicipalityFactory()
    response = client_of(user_for_role(role)).post(
        "/api/v1/contactmomenten", _visit_body(world, diemen), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"].endswith(f"/api/v1/contactmomenten/{body['id']}")
    assert body["kind"] == "werkbezoek"
    assert body["municipality"]["code"] == diemen.code
    # Members in their order (by name).
    assert [m["name"] for m in body["members"]] == ["Bakker", "Jansen"]
    assert body["confidentialNote"] == NOTE
    visit = Interaction.objects.get(pk=body["id"])
    assert visit.confidential_note == NOTE
    assert set(visit.members.all()) == {world["jansen"], world["bakker"]}
    event = AuditEvent.objects.get(action="publicaffairs.interaction_create", object_id=visit.pk)
    assert NOTE not in str(event.changes)


@pytest.mark.parametrize("role", OTHERS)
def test_other_roles_may_not_record_a_contact(world, user_for_role, role):
    from tests.factories import MunicipalityFactory

    body = _visit_body(world, MunicipalityFactory())
    assert_problem(
        client_of(user_for_role(role)).post("/api/v1/contactmomenten", body, format="json"), 403
    )
    assert_problem(client_of(None).post("/api/v1/contactmomenten", body, format="json"), 401)
    assert Interaction.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "name", "reason"),
    [
        ({"municipality": None}, "municipality", "Kies de gemeente van het werkbezoek."),
        ({"memberIds": [999999]}, "memberIds", "Er is geen Kamerlid 999999."),
        ({"fractieIds": ["VVD"]}, "fractieIds", None),
        ({"organisations": ["bestaat-niet"]}, "organisations", None),
        ({"themes": ["bestaat-niet"]}, "themes", "Er is geen thema bestaat-niet."),
        ({"kind": "feest"}, "kind", None),
        ({"subject": "   "}, "subject", None),
        ({"date": "1800-01-01"}, "date", "Geef een datum van 1900 tot en met 2099."),
        ({"municipality": "GM9999"}, "municipality", "Onbekende gemeente GM9999."),
        ({"notitie": "x"}, "notitie", None),
    ],
)
def test_a_refused_contact_is_a_400_problem_and_nothing_is_recorded(
    world, lobbyist, change, name, reason
):
    from tests.factories import MunicipalityFactory

    body = _visit_body(world, MunicipalityFactory(), **change)
    response = client_of(lobbyist).post("/api/v1/contactmomenten", body, format="json")
    problem = assert_problem(response, 400)
    names = [param["name"] for param in problem["invalidParams"]]
    assert names and names[0].startswith(name), problem
    if reason:
        assert problem["invalidParams"][0]["reason"] == reason
    assert Interaction.objects.count() == 1
