"""/api/v1/activiteiten and /aanmeldingen: what each role sees, plans, changes, cancels,
registers and withdraws, per object; that a refusal writes nothing; and that the lists and
details cost the same number of queries for 10 rows as for 1,000."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from m50.accounts.models import Role
from m50.activities import services
from m50.activities.models import Activity, Audience, Kind, Registration, Status
from m50.contacts.models import Person
from m50.core.models import AuditEvent
from m50.pillars import services as pillar_services
from m50.pillars.models import Pillar, Topic
from m50.pillars.models import Role as PillarRole
from tests.activities.conftest import participant, plan
from tests.api.test_design_rules import assert_problem
from tests.factories import ThemeGroupFactory, UserFactory
from tests.pillars.conftest import START, municipality_organisation, official, user_of

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
H = datetime.timedelta(hours=1)


def client_of(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def snapshot():
    return (
        sorted(Activity.objects.values_list("pk", "status", "title", "capacity", "sequence")),
        sorted(Registration.objects.values_list("pk", "state")),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def world(db):
    """Diemen and Houten, members. Diemen's alderman chairs Sociaal; a Diemen official takes
    part in Sociaal; a Houten official in no pillar."""
    diemen = municipality_organisation("Diemen")
    houten = municipality_organisation("Houten")
    sociaal = Pillar.objects.get(slug="sociaal")
    financieel = Pillar.objects.get(slug="financieel")
    chair = pillar_services.participation_register(
        position=official(diemen), pillar=sociaal, role=PillarRole.CHAIR, start_date=START
    )
    member_user = participant(diemen)
    pillar_services.participation_register(
        position=member_user.person.positions.get(), pillar=sociaal, start_date=START
    )
    bureau = UserFactory(role=Role.BUREAU)
    return {
        "diemen": diemen,
        "houten": houten,
        "sociaal": sociaal,
        "financieel": financieel,
        "bureau": bureau,
        "public_affairs": UserFactory(role=Role.PUBLIC_AFFAIRS),
        "chair": user_of(chair.position, role=Role.PILLAR_CHAIR),
        "member": member_user,
        "outsider": participant(houten),
    }


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


# --- Seeing ------------------------------------------------------------------------------------


def test_each_activity_shows_to_its_audience(world):
    bureau = world["bureau"]
    public = plan(bureau, audience=Audience.PUBLIC, title="Open dag")
    members = plan(bureau, title="Ledenvergadering")
    social = plan(bureau, audience=Audience.BODY, audience_body=world["sociaal"])
    invited = plan(bureau, audience=Audience.INVITATION, title="Besloten")
    services.invitation_add(activity=invited, person=world["outsider"].person, actor=bureau)
    everything = [public.pk, members.pk, social.pk, invited.pk]

    assert ids(client_of(None).get("/api/v1/activiteiten")) == [public.pk]
    assert ids(client_of(world["member"]).get("/api/v1/activiteiten")) == [
        public.pk,
        members.pk,
        social.pk,
    ]
    assert ids(client_of(world["outsider"]).get("/api/v1/activiteiten")) == [
        public.pk,
        members.pk,
        invited.pk,
    ]
    assert ids(client_of(bureau).get("/api/v1/activiteiten")) == everything
    assert ids(client_of(world["public_affairs"]).get("/api/v1/activiteiten")) == everything

    # Who may not see one gets the same 404 as for one that does not exist.
    assert client_of(None).get(f"/api/v1/activiteiten/{public.pk}").status_code == 200
    for user, activity in (
        (None, members),
        (world["outsider"], social),
        (world["member"], invited),
    ):
        problem = assert_problem(client_of(user).get(f"/api/v1/activiteiten/{activity.pk}"), 404)
        assert problem["detail"] == f"Er is geen activiteit {activity.pk}."
    assert_problem(client_of(bureau).get("/api/v1/activiteiten/99999999"), 404)
    assert_problem(client_of(bureau).get("/api/v1/activiteiten/99999999999999999999999"), 404)


def test_the_activity_with_its_organiser_place_and_registrations(world):
    bureau = world["bureau"]
    topic = Topic.objects.create(pillar=world["sociaal"], title="Jeugdzorg")
    start = timezone.make_aware(datetime.datetime(2030, 3, 4, 10, 0))
    activity = plan(
        world["chair"],
        organiser=world["sociaal"],
        kind=Kind.PILLAR_MEETING,
        title="Bijeenkomst Sociaal",
        starts_at=start,
        ends_at=start + 2 * H,
        host_municipality=world["diemen"].municipality,
        address="Raadhuisplein 1",
        online_url="https://vergader.example/sociaal",
        capacity=1,
        topics=[topic],
    )
    services.registration_create(activity=activity, person=world["member"].person, actor=bureau)
    services.registration_create(activity=activity, person=world["outsider"].person, actor=bureau)

    body = client_of(world["outsider"]).get(f"/api/v1/activiteiten/{activity.pk}").json()
    assert body["kind"] == "pijlerbijeenkomst"
    assert body["pillar"] == {"slug": "sociaal", "name": "Sociaal"}
    assert body["themeGroup"] is None
    assert body["startsAt"] == "2030-03-04T10:00:00+01:00"
    assert body["hostMunicipality"]["code"] == world["diemen"].municipality.code
    assert body["address"] == "Raadhuisplein 1"
    assert body["audience"] == "leden"
    assert body["topics"] == [{"id": topic.pk, "title": "Jeugdzorg"}]
    assert body["registrations"] == {
        "capacity": 1,
        "confirmed": 1,
        "waitlisted": 1,
        "placesLeft": 0,
    }
    assert body["status"] == "gepland" and body["cancellationReason"] is None
    assert body["registrationOpen"] is True
    # On the waiting list: no link yet.
    assert body["online"] is True and body["onlineUrl"] is None
    mine = body["myRegistration"]
    assert (mine["state"], mine["waitingPosition"]) == ("wachtlijst", 1)
    assert body["mayManage"] is False

    seated = client_of(world["member"]).get(f"/api/v1/activiteiten/{activity.pk}").json()
    assert seated["onlineUrl"] == "https://vergader.example/sociaal"
    assert seated["myRegistration"]["state"] == "geplaatst"
    assert seated["myRegistration"]["waitingPosition"] is None
    organiser = client_of(world["chair"]).get(f"/api/v1/activiteiten/{activity.pk}").json()
    assert organiser["onlineUrl"] and organiser["mayManage"] is True
    assert organiser["myRegistration"] is None

    listed = client_of(world["outsider"]).get("/api/v1/activiteiten").json()["results"][0]
    assert "onlineUrl" not in listed and "myRegistration" not in listed
    assert listed["registrations"]["waitlisted"] == 1


def test_anonymous_callers_see_no_topics_and_no_link(world):
    topic = Topic.objects.create(pillar=world["sociaal"], title="Jeugdzorg")
    activity = plan(
        world["bureau"],
        audience=Audience.PUBLIC,
        online_url="https://vergader.example/open",
        topics=[topic],
    )
    body = client_of(None).get(f"/api/v1/activiteiten/{activity.pk}").json()
    assert body["topics"] is None
    assert body["online"] is True and body["onlineUrl"] is None
    assert body["myRegistration"] is None and body["mayManage"] is False


def test_activity_filters(world):
    bureau = world["bureau"]
    now = timezone.now()
    group = ThemeGroupFactory(pillar=world["financieel"], name="Belastingen", slug="belastingen")
    webinar = plan(bureau, kind=Kind.WEBINAR, starts_at=now + 3 * DAY)
    pillar = plan(bureau, organiser=world["sociaal"], starts_at=now + 10 * DAY)
    by_group = plan(bureau, organiser=group, starts_at=now + 20 * DAY)
    hosted = plan(bureau, host_municipality=world["houten"].municipality, starts_at=now + 30 * DAY)
    past = plan(bureau, starts_at=now - 30 * DAY)
    cancelled = plan(bureau, starts_at=now + 40 * DAY)
    services.activity_cancel(activity=cancelled, actor=bureau, reason="Geen zaal")
    client = client_of(bureau)

    def found(**params):
        return ids(client.get("/api/v1/activiteiten", params))

    assert found() == [past.pk, webinar.pk, pillar.pk, by_group.pk, hosted.pk, cancelled.pk]
    assert found(soort="webinar") == [webinar.pk]
    assert found(pijler="sociaal") == [pillar.pk]
    # A pillar includes what its theme groups organise.
    assert found(pijler="financieel") == [by_group.pk]
    assert found(themagroep="belastingen") == [by_group.pk]
    assert found(gemeente=world["houten"].municipality.code.lower()) == [hosted.pk]
    assert found(status="geannuleerd") == [cancelled.pk]
    today = timezone.localdate()
    assert found(van=today.isoformat(), status="gepland") == [
        webinar.pk,
        pillar.pk,
        by_group.pk,
        hosted.pk,
    ]
    assert found(tot=(today - DAY).isoformat()) == [past.pk]
    window = {"van": (today + 5 * DAY).isoformat(), "tot": (today + 25 * DAY).isoformat()}
    assert found(**window) == [pillar.pk, by_group.pk]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"soort": "feest"}, "soort"),
        ({"pijler": "bestaat-niet"}, "pijler"),
        ({"themagroep": "bestaat-niet"}, "themagroep"),
        ({"gemeente": "GM9999"}, "gemeente"),
        ({"gemeente": "Diemen"}, "gemeente"),
        ({"van": "morgen"}, "van"),
        ({"tot": "0001-01-01"}, "tot"),
        ({"van": "2027-02-01", "tot": "2027-01-01"}, "tot"),
        ({"status": "uitgesteld"}, "status"),
    ],
)
def test_bad_activity_filters_are_400_problems(world, params, name):
    problem = assert_problem(client_of(None).get("/api/v1/activiteiten", params), 400)
    assert [p["name"] for p in problem["invalidParams"]] == [name]


# --- Planning, changing, cancelling ------------------------------------------------------------

SOON = timezone.now().replace(microsecond=0) + 14 * DAY


def _body(**extra):
    return {
        "kind": "pijlerbijeenkomst",
        "title": "Bijeenkomst Sociaal",
        "startsAt": SOON.isoformat(),
        "endsAt": (SOON + 2 * H).isoformat(),
        **extra,
    }


def _plan(user, **extra):
    return client_of(user).post("/api/v1/activiteiten", _body(**extra), format="json")


def test_the_chair_plans_an_activity_of_their_pillar(world):
    topic = Topic.objects.create(pillar=world["sociaal"], title="Jeugdzorg")
    response = _plan(
        world["chair"],
        pillar="sociaal",
        audience="pijler-of-groep",
        audiencePillar="sociaal",
        capacity=30,
        hostMunicipality=world["diemen"].municipality.code,
        onlineUrl="https://vergader.example/x",
        topicIds=[topic.pk],
    )
    assert response.status_code == 201, response.content
    body = response.json()
    activity = Activity.objects.get()
    assert response["Location"].endswith(f"/api/v1/activiteiten/{activity.pk}")
    assert body["id"] == activity.pk
    assert body["pillar"]["slug"] == "sociaal"
    assert body["audiencePillar"]["slug"] == "sociaal"
    assert body["registrations"]["capacity"] == 30
    assert body["topics"] == [{"id": topic.pk, "title": "Jeugdzorg"}]
    assert body["mayManage"] is True
    assert activity.created_by == world["chair"]
    assert activity.host_municipality == world["diemen"].municipality
    event = AuditEvent.objects.get(action="activities.activity_create")
    assert event.origin == "API"


@pytest.mark.parametrize(
    ("who", "extra"),
    [
        ("chair", {"pillar": "financieel"}),  # another pillar
        ("chair", {}),  # the bureau's
        ("member", {"pillar": "sociaal"}),  # takes part, does not chair
        ("public_affairs", {"kind": "ledenvergadering"}),  # not a visit or consultation
    ],
)
def test_who_may_not_organise_it_is_refused_and_nothing_is_written(world, who, extra):
    before = snapshot()
    problem = assert_problem(_plan(world[who], **extra), 403)
    assert "niet organiseren" in problem["detail"]
    assert snapshot() == before


def test_public_affairs_plans_a_work_visit_and_anonymous_callers_nothing(world):
    response = _plan(world["public_affairs"], kind="werkbezoek", title="Werkbezoek Kamerleden")
    assert response.status_code == 201, response.content
    assert response.json()["pillar"] is None and response.json()["themeGroup"] is None
    assert_problem(_plan(None), 401)


@pytest.mark.parametrize(
    ("extra", "name"),
    [
        ({"endsAt": (SOON - H).isoformat()}, "endsAt"),
        ({"title": "   "}, "title"),
        ({"kind": "feest"}, "kind"),
        ({"startsAt": "gisteren"}, "startsAt"),
        ({"startsAt": "0001-01-01T00:00:00+14:00"}, "startsAt"),
        ({"allDay": True}, "allDay"),
        ({"capacity": 0}, "capacity"),
        ({"audience": "pijler-of-groep"}, "audience"),
        ({"audiencePillar": "sociaal", "audienceThemeGroup": "bestaat-niet"}, "audienceThemeGroup"),
        ({"hostMunicipality": "GM9999"}, "hostMunicipality"),
        ({"onlineUrl": "javascript:alert(1)"}, "onlineUrl"),
        ({"topicIds": [999999]}, "topicIds"),
        ({"registrationClosesAt": (SOON + 3 * H).isoformat()}, "registrationClosesAt"),
        ({"colour": "rood"}, "colour"),
        ({"pillar": "sociaal", "themeGroup": "jeugd"}, "themeGroup"),
    ],
)
def test_bad_activity_is_a_400_problem_and_nothing_is_written(world, extra, name):
    ThemeGroupFactory(pillar=world["sociaal"], name="Jeugd", slug="jeugd")
    before = snapshot()
    problem = assert_problem(_plan(world["bureau"], **extra), 400)
    assert name in [p["name"] for p in problem["invalidParams"]], problem
    assert snapshot() == before


def test_a_topic_of_another_body_is_refused_by_the_service(world):
    topic = Topic.objects.create(pillar=world["financieel"], title="Belastingen")
    before = snapshot()
    problem = assert_problem(_plan(world["chair"], pillar="sociaal", topicIds=[topic.pk]), 400)
    assert problem["invalidParams"][0]["name"] == "topicIds"
    assert "hoort niet bij" in problem["invalidParams"][0]["reason"]
    assert snapshot() == before


def test_the_organiser_changes_an_activity_and_more_places_move_the_list_up(world):
    bureau = world["bureau"]
    activity = plan(world["chair"], organiser=world["sociaal"], capacity=1)
    for user in (world["member"], world["outsider"]):
        services.registration_create(activity=activity, person=user.person, actor=bureau)
    url = f"/api/v1/activiteiten/{activity.pk}"

    response = client_of(world["chair"]).patch(
        url, {"capacity": 2, "title": "Nieuw"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "Nieuw"
    assert body["registrations"] == {
        "capacity": 2,
        "confirmed": 2,
        "waitlisted": 0,
        "placesLeft": 0,
    }
    assert Registration.objects.get(person=world["outsider"].person).state == "geplaatst"

    before = snapshot()
    problem = assert_problem(
        client_of(world["chair"]).patch(url, {"capacity": 1}, format="json"), 400
    )
    assert problem["invalidParams"][0]["name"] == "capacity"
    assert snapshot() == before


def test_who_may_not_manage_it_cannot_change_or_cancel(world):
    activity = plan(world["bureau"], organiser=world["sociaal"])
    hidden = plan(world["bureau"], audience=Audience.BODY, audience_body=world["financieel"])
    before = snapshot()
    for user in (world["member"], world["outsider"], world["public_affairs"]):
        client = client_of(user)
        url = f"/api/v1/activiteiten/{activity.pk}"
        assert_problem(client.patch(url, {"title": "Overgenomen"}, format="json"), 403)
        assert_problem(client.post(f"{url}/annulering", {"reason": "Weg"}, format="json"), 403)
    # An activity one may not see is not there at all.
    assert_problem(
        client_of(world["member"]).patch(
            f"/api/v1/activiteiten/{hidden.pk}", {"title": "x"}, format="json"
        ),
        404,
    )
    assert_problem(client_of(None).patch(f"/api/v1/activiteiten/{activity.pk}", {}), 401)
    assert snapshot() == before


def test_public_affairs_manages_the_bureaus_visits_but_cannot_make_them_another_kind(world):
    visit = plan(world["bureau"], kind=Kind.WORK_VISIT, title="Werkbezoek")
    client = client_of(world["public_affairs"])
    url = f"/api/v1/activiteiten/{visit.pk}"
    response = client.patch(url, {"title": "Werkbezoek Tweede Kamer"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["mayManage"] is True
    before = snapshot()
    assert_problem(client.patch(url, {"kind": "ledenvergadering"}, format="json"), 403)
    assert snapshot() == before
    response = client.patch(url, {"kind": "bestuurlijk-overleg"}, format="json")
    assert response.json()["kind"] == "bestuurlijk-overleg"


def test_cancelling_with_a_reason_once(world):
    activity = plan(world["bureau"], organiser=world["sociaal"])
    url = f"/api/v1/activiteiten/{activity.pk}/annulering"
    client = client_of(world["chair"])

    before = snapshot()
    problem = assert_problem(client.post(url, {}, format="json"), 400)
    assert problem["invalidParams"][0]["name"] == "reason"
    assert snapshot() == before

    response = client.post(url, {"reason": "De spreker is ziek"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "geannuleerd"
    assert body["cancellationReason"] == "De spreker is ziek"
    assert body["cancelledAt"] is not None
    assert Activity.objects.get().status == Status.CANCELLED

    before = snapshot()
    assert (
        "al geannuleerd"
        in assert_problem(client.post(url, {"reason": "Nog eens"}, format="json"), 400)[
            "invalidParams"
        ][0]["reason"]
    )
    problem = assert_problem(
        client.patch(f"/api/v1/activiteiten/{activity.pk}", {"title": "x"}, format="json"), 400
    )
    assert "geannuleerd" in problem["invalidParams"][0]["reason"]
    assert snapshot() == before


# --- Registrations ----------------------------------------------------------------------------


def _register(user, activity, **extra):
    data = {"activityId": activity.pk, **extra}
    return client_of(user).post("/api/v1/aanmeldingen", data, format="json")


def test_seats_then_the_waiting_list_and_withdrawing_moves_the_next_up(world, diemen_users):
    activity = plan(world["bureau"], capacity=1)
    first, second, third = diemen_users[:3]

    response = _register(first, activity, note="vegetarisch")
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"].endswith(f"/api/v1/aanmeldingen/{body['id']}")
    assert (body["state"], body["waitingPosition"]) == ("geplaatst", None)
    assert body["person"]["id"] == first.person_id
    assert body["municipality"]["code"] == world["diemen"].municipality.code
    assert body["activity"]["id"] == activity.pk
    assert body["note"] == "vegetarisch"

    assert _register(second, activity).json()["waitingPosition"] == 1
    third_body = _register(third, activity).json()
    assert (third_body["state"], third_body["waitingPosition"]) == ("wachtlijst", 2)

    # Twice is refused, and writes nothing.
    before = snapshot()
    problem = assert_problem(_register(first, activity), 400)
    assert "al aangemeld" in problem["invalidParams"][0]["reason"]
    assert snapshot() == before

    own = client_of(first).get("/api/v1/aanmeldingen").json()["results"]
    withdrawn = client_of(first).post(f"/api/v1/aanmeldingen/{own[0]['id']}/intrekking")
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["state"] == "afgemeld"
    assert withdrawn.json()["cancelledAt"] is not None
    moved_up = client_of(second).get("/api/v1/aanmeldingen").json()["results"][0]
    assert (moved_up["state"], moved_up["waitingPosition"]) == ("geplaatst", None)
    assert moved_up["promotedAt"] is not None
    assert (
        client_of(third).get(f"/api/v1/aanmeldingen/{third_body['id']}").json()["waitingPosition"]
        == 1
    )

    before = snapshot()
    problem = assert_problem(
        client_of(first).post(f"/api/v1/aanmeldingen/{own[0]['id']}/intrekking"), 400
    )
    assert "al ingetrokken" in problem["invalidParams"][0]["reason"]
    assert snapshot() == before


@pytest.fixture
def diemen_users(world):
    return [participant(world["diemen"]) for _ in range(3)]


def test_the_organiser_sees_the_queue_others_only_their_own(world, diemen_users):
    bureau = world["bureau"]
    activity = plan(world["chair"], organiser=world["sociaal"], capacity=1)
    other = plan(bureau)
    for user in diemen_users:
        services.registration_create(activity=activity, person=user.person, actor=user)
    services.registration_create(activity=other, person=diemen_users[0].person, actor=bureau)
    services.registration_cancel(
        registration=Registration.objects.get(activity=activity, person=diemen_users[1].person),
        actor=diemen_users[1],
    )

    params = {"activiteit": activity.pk}
    for organiser in (world["chair"], bureau):
        rows = client_of(organiser).get("/api/v1/aanmeldingen", params).json()["results"]
        assert [(r["person"]["id"], r["state"], r["waitingPosition"]) for r in rows] == [
            (diemen_users[0].person_id, "geplaatst", None),
            (diemen_users[2].person_id, "wachtlijst", 1),
            (diemen_users[1].person_id, "afgemeld", None),
        ]
    waiting = client_of(bureau).get("/api/v1/aanmeldingen", {**params, "status": "wachtlijst"})
    assert [r["person"]["id"] for r in waiting.json()["results"]] == [diemen_users[2].person_id]

    # A participant sees their own registrations only, with or without the filter.
    mine = client_of(diemen_users[0]).get("/api/v1/aanmeldingen").json()["results"]
    assert [r["activity"]["id"] for r in mine] == [activity.pk, other.pk]
    mine = client_of(diemen_users[0]).get("/api/v1/aanmeldingen", params).json()["results"]
    assert [r["activity"]["id"] for r in mine] == [activity.pk]
    assert client_of(world["outsider"]).get("/api/v1/aanmeldingen", params).json()["count"] == 0
    # A user without a person has none.
    assert client_of(bureau).get("/api/v1/aanmeldingen").json()["count"] == 0
    assert_problem(client_of(None).get("/api/v1/aanmeldingen"), 401)


def test_someone_elses_registration_is_not_found_and_stays(world, diemen_users):
    activity = plan(world["bureau"])
    registration = services.registration_create(
        activity=activity, person=diemen_users[0].person, actor=diemen_users[0]
    )
    url = f"/api/v1/aanmeldingen/{registration.pk}"
    before = snapshot()
    for user in (diemen_users[1], world["outsider"], world["public_affairs"]):
        assert_problem(client_of(user).get(url), 404)
        assert_problem(client_of(user).post(f"{url}/intrekking"), 404)
    assert_problem(client_of(None).get(url), 401)
    assert_problem(client_of(world["bureau"]).get("/api/v1/aanmeldingen/99999999999999999999"), 404)
    assert snapshot() == before
    # The organiser withdraws it.
    response = client_of(world["bureau"]).post(f"{url}/intrekking")
    assert response.status_code == 200 and response.json()["state"] == "afgemeld"


def test_only_the_organiser_registers_someone_else(world, diemen_users):
    activity = plan(world["chair"], organiser=world["sociaal"])
    before = snapshot()
    problem = assert_problem(
        _register(diemen_users[0], activity, personId=diemen_users[1].person_id), 403
    )
    assert "alleen uzelf" in problem["detail"]
    assert snapshot() == before
    response = _register(world["chair"], activity, personId=diemen_users[1].person_id)
    assert response.status_code == 201, response.content
    assert response.json()["person"]["id"] == diemen_users[1].person_id
    # The bureau's user is no person: it names whom it registers.
    problem = assert_problem(_register(world["bureau"], activity), 400)
    assert problem["invalidParams"][0]["name"] == "personId"


def test_registering_for_what_one_may_not_see_or_is_closed_is_refused(world):
    bureau = world["bureau"]
    hidden = plan(bureau, audience=Audience.BODY, audience_body=world["sociaal"])
    closed = plan(
        bureau,
        registration_opens_at=timezone.now() - 3 * DAY,
        registration_closes_at=timezone.now() - H,
    )
    cancelled = plan(bureau)
    services.activity_cancel(activity=cancelled, actor=bureau, reason="Geen zaal")
    outsider = world["outsider"]
    before = snapshot()
    for activity_id, name, text in (
        (hidden.pk, "activityId", f"Er is geen activiteit {hidden.pk}."),
        (99999999, "activityId", "Er is geen activiteit 99999999."),
        (closed.pk, "nonFieldErrors", "aanmelding is gesloten"),
        (cancelled.pk, "nonFieldErrors", "geannuleerd"),
    ):
        response = client_of(outsider).post(
            "/api/v1/aanmeldingen", {"activityId": activity_id}, format="json"
        )
        problem = assert_problem(response, 400)
        assert problem["invalidParams"][0]["name"] == name
        assert text in problem["invalidParams"][0]["reason"]
    for data, name in (
        ({}, "activityId"),
        ({"activityId": "een"}, "activityId"),
        ({"activityId": closed.pk, "personId": 99999999}, "personId"),
        ({"activityId": closed.pk, "extra": 1}, "extra"),
    ):
        response = client_of(outsider).post("/api/v1/aanmeldingen", data, format="json")
        assert name in [p["name"] for p in assert_problem(response, 400)["invalidParams"]]
    assert snapshot() == before
    assert_problem(_register(None, closed), 401)


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"activiteit": "een"}, "activiteit"),
        ({"activiteit": "0"}, "activiteit"),
        ({"activiteit": "99999999"}, "activiteit"),
        ({"status": "misschien"}, "status"),
    ],
)
def test_bad_registration_filters_are_400_problems(world, params, name):
    problem = assert_problem(client_of(world["member"]).get("/api/v1/aanmeldingen", params), 400)
    assert [p["name"] for p in problem["invalidParams"]] == [name]


def test_an_invisible_activity_is_an_unknown_filter(world):
    hidden = plan(world["bureau"], audience=Audience.BODY, audience_body=world["financieel"])
    response = client_of(world["member"]).get("/api/v1/aanmeldingen", {"activiteit": hidden.pk})
    assert assert_problem(response, 400)["invalidParams"][0]["name"] == "activiteit"


def test_registrations_cannot_be_deleted_or_replaced(world, diemen_users):
    activity = plan(world["bureau"])
    registration = services.registration_create(
        activity=activity, person=diemen_users[0].person, actor=diemen_users[0]
    )
    client = client_of(diemen_users[0])
    url = f"/api/v1/aanmeldingen/{registration.pk}"
    for method in ("delete", "put", "patch"):
        assert_problem(getattr(client, method)(url, {}, format="json"), 405)
    assert_problem(client.delete(f"/api/v1/activiteiten/{activity.pk}"), 405)
    assert_problem(client.put(f"/api/v1/activiteiten/{activity.pk}", {}, format="json"), 405)


# --- Query counts -----------------------------------------------------------------------------

SIZES = (10, 1_000)


def _count_queries(client, url, params=None) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return len(queries), response.json()


def _activities(world, count: int) -> None:
    """Up to ``count`` activities through the service, of every organiser and audience, with
    topics, each fifth hosted by Houten."""
    bureau = world["bureau"]
    topic = Topic.objects.get_or_create(pillar=world["sociaal"], title="Jeugdzorg")[0]
    start = timezone.now() + DAY
    for n in range(Activity.objects.count(), count):
        plan(
            bureau,
            title=f"Activiteit {n}",
            starts_at=start + n * H,
            organiser=world["sociaal"] if n % 2 else None,
            audience=(Audience.PUBLIC, Audience.MEMBERS, Audience.BODY)[n % 3],
            audience_body=world["sociaal"] if n % 3 == 2 else None,
            host_municipality=world["houten"].municipality if n % 5 == 0 else None,
            capacity=10,
            topics=[topic] if n % 2 else [],
        )


ACTIVITY_PARAMS = [
    {},
    {"pageSize": 500},
    {"pijler": "sociaal", "soort": "ledenvergadering", "status": "gepland"},
    {"van": "2000-01-01", "tot": "2099-12-31", "page": 2, "pageSize": 3},
]


@pytest.mark.parametrize("who", [None, "member", "chair", "bureau"])
@pytest.mark.parametrize("params", ACTIVITY_PARAMS)
def test_activity_list_query_count_does_not_grow(world, who, params):
    client = client_of(world[who] if who else None)
    counts = []
    for size in SIZES:
        _activities(world, size)
        count, body = _count_queries(client, "/api/v1/activiteiten", params)
        assert body["results"], "nothing listed proves nothing"
        counts.append(count)
    assert counts[0] == counts[1], counts
    # A count, a page and its themes; for logged-in users the topics of the page; the
    # pillar's look-up.
    assert counts[0] == 3 + (who is not None) + ("pijler" in params)


def _registrations(activity, count: int) -> None:
    """Up to ``count`` registrations for ``activity`` through the service (people made in
    bulk): beyond its ten places, on the waiting list."""
    existing = activity.registrations.count()
    people = Person.objects.bulk_create(
        Person(surname=f"Deelnemer {existing + n}") for n in range(count - existing)
    )
    for person in people:
        services.registration_create(activity=activity, person=person, actor=None)


@pytest.mark.parametrize("who", ["member", "chair"])
def test_activity_detail_query_count_does_not_grow_with_registrations(world, who):
    activity = plan(world["bureau"], organiser=world["sociaal"], capacity=10)
    services.registration_create(activity=activity, person=world["member"].person, actor=None)
    client = client_of(world[who])
    counts = []
    for size in SIZES:
        _registrations(activity, size)
        count, body = _count_queries(client, f"/api/v1/activiteiten/{activity.pk}")
        assert body["registrations"]["waitlisted"] == size - 10
        counts.append(count)
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize(
    "params", [{}, {"pageSize": 500}, {"status": "geplaatst", "page": 2, "pageSize": 3}]
)
def test_registration_list_query_count_does_not_grow(world, params):
    activity = plan(world["chair"], organiser=world["sociaal"], capacity=10)
    client = client_of(world["chair"])
    counts = []
    for size in SIZES:
        _registrations(activity, size)
        count, body = _count_queries(
            client, "/api/v1/aanmeldingen", {"activiteit": activity.pk, **params}
        )
        assert body["results"]
        assert all(r["waitingPosition"] for r in body["results"] if r["state"] == "wachtlijst")
        counts.append(count)
    assert counts[0] == counts[1], counts


def test_own_registration_list_and_detail_query_count_does_not_grow(world):
    member = world["member"]
    client = client_of(member)
    counts = []
    for size in SIZES:
        _activities(world, size)
        for activity in Activity.objects.exclude(registrations__person=member.person):
            services.registration_create(activity=activity, person=member.person, actor=None)
        count, body = _count_queries(client, "/api/v1/aanmeldingen", {"pageSize": 500})
        assert body["count"] == size
        detail, _ = _count_queries(client, f"/api/v1/aanmeldingen/{body['results'][-1]['id']}")
        counts.append((count, detail))
    assert counts[0] == counts[1], counts
