"""The organiser's pages: planning an activity or a series, changing and cancelling it, and the
management page (registrations, waiting list, invitations, attendance). Refusals are Dutch
form errors (400) that write nothing; who may not see an activity gets a 404, who sees it but
does not manage it a 403."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from m50.accounts.models import Role
from m50.activities import services
from m50.activities.models import (
    Activity,
    Attendance,
    Audience,
    Invitation,
    Kind,
    Registration,
    RegistrationState,
    Status,
)
from m50.activities.services._common import local_zone
from m50.core.models import AuditEvent
from m50.pillars import services as pillar_services
from m50.pillars.models import Role as PillarRole
from m50.pillars.models import Topic
from tests.activities.conftest import H, participant, plan
from tests.factories import PersonFactory, UserFactory
from tests.pillars.conftest import START, official, user_of

pytestmark = pytest.mark.django_db
CREATE = reverse("activities:create")
SERIES = reverse("activities:series_create")


def manage(activity) -> str:
    return reverse("activities:manage", args=[activity.pk])


def chair_of(body, organisation, **person):
    position = official(organisation, **({"person": PersonFactory(**person)} if person else {}))
    pillar_services.participation_register(
        position=position, pillar=body, role=PillarRole.CHAIR, start_date=START
    )
    return user_of(position, role=Role.PILLAR_CHAIR)


@pytest.fixture
def sociaal_chair(sociaal, diemen):
    return chair_of(sociaal, diemen, given_name="Anna", surname="Voorzitter")


@pytest.fixture
def financieel_chair(financieel, houten):
    return chair_of(financieel, houten)


@pytest.fixture
def public_affairs(db):
    return UserFactory(role=Role.PUBLIC_AFFAIRS)


def day(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def form(**changes) -> dict:
    data = {
        "kind": Kind.GENERAL_MEETING,
        "title": "Najaarsvergadering",
        "description": "Met de begroting.",
        "organiser": "bureau",
        "start_date": day(30).isoformat(),
        "start_time": "14:00",
        "end_date": "",
        "end_time": "16:30",
        "address": "Stadhuis, Diemen",
        "host_municipality": "",
        "online_url": "",
        "audience": Audience.MEMBERS,
        "audience_body": "",
        "registration_opens_date": "",
        "registration_closes_date": "",
        "capacity": "40",
        "municipality_limit": "",
    }
    data.update(changes)
    return data


def written() -> tuple[int, int, int]:
    return Activity.objects.count(), Registration.objects.count(), AuditEvent.objects.count()


def refused(client, url, data, *messages) -> str:
    before = written()
    response = client.post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Er is niets vastgelegd" in body
    for message in messages:
        assert message in body, message
    assert written() == before
    return body


def local(moment) -> datetime.datetime:
    return timezone.localtime(moment, local_zone())


# --- Planning ---------------------------------------------------------------------------------


def test_the_bureau_plans_an_activity_in_amsterdam_time(client, bureau, diemen):
    client.force_login(bureau)
    page = client.get(CREATE)
    assert page.status_code == 200
    assert "Het bureau" in page.content.decode()
    response = client.post(
        CREATE, form(host_municipality=str(diemen.municipality_id), capacity="40")
    )
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response.url == manage(activity)
    assert local(activity.starts_at).strftime("%Y-%m-%d %H:%M") == f"{day(30)} 14:00"
    assert local(activity.ends_at).strftime("%H:%M") == "16:30"
    assert activity.organiser is None
    assert activity.host_municipality_id == diemen.municipality_id
    assert activity.capacity == 40
    assert AuditEvent.objects.filter(action="activities.activity_create").count() == 1


def test_a_whole_day_activity_runs_from_midnight_to_midnight_after_the_last_day(client, bureau):
    client.force_login(bureau)
    data = form(all_day="on", start_time="", end_time="", end_date=day(31).isoformat())
    assert client.post(CREATE, data).status_code == 302
    activity = Activity.objects.get()
    assert activity.all_day
    assert local(activity.starts_at) == datetime.datetime.combine(
        day(30), datetime.time(0), tzinfo=local_zone()
    )
    assert local(activity.ends_at) == datetime.datetime.combine(
        day(32), datetime.time(0), tzinfo=local_zone()
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Vul dit veld in."),
        ({"end_time": "13:00"}, "De activiteit moet eindigen na het begin."),
        ({"end_time": ""}, "Vul een eindtijd in, of kies ‘hele dag’."),
        ({"start_date": "morgen"}, "Vul een datum in als dag-maand-jaar"),
        ({"audience": Audience.BODY}, "Kies de pijler of de themagroep waarvoor"),
        ({"capacity": "0"}, "Vul een aantal van minstens 1 in"),
        (
            {"registration_closes_date": day(40).isoformat()},
            "Aanmelden kan niet langer open blijven dan de activiteit duurt.",
        ),
        ({"online_url": "geen adres"}, "Vul een volledig webadres in"),
    ],
)
def test_a_refused_plan_says_why_at_the_field_and_writes_nothing(client, bureau, changes, message):
    client.force_login(bureau)
    refused(client, CREATE, form(**changes), message)


def test_a_chair_plans_for_their_pillar_with_its_topics_not_for_another(
    client, sociaal_chair, sociaal, financieel
):
    topic = Topic.objects.create(pillar=sociaal, title="Schuldhulp", owner=sociaal_chair.person)
    Topic.objects.create(pillar=financieel, title="Fondsen", owner=sociaal_chair.person)
    client.force_login(sociaal_chair)
    page = client.get(CREATE).content.decode()
    assert "Pijler Sociaal" in page
    assert "Het bureau" not in page
    assert "Schuldhulp" in page and "Fondsen" not in page
    refused(
        client,
        CREATE,
        form(organiser=f"pijler-{financieel.pk}", kind=Kind.PILLAR_MEETING),
        "Kies een waarde uit de lijst",
    )
    response = client.post(
        CREATE,
        form(organiser=f"pijler-{sociaal.pk}", kind=Kind.PILLAR_MEETING, topics=[str(topic.pk)]),
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.organiser_pillar == sociaal
    assert list(activity.topics.all()) == [topic]


def test_a_participant_plans_nothing(client, diemen):
    client.force_login(participant(diemen))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form()).status_code == 403
    assert Activity.objects.count() == 0


def test_public_affairs_plans_the_bureaus_work_visits_only(client, public_affairs):
    client.force_login(public_affairs)
    assert client.get(CREATE).status_code == 200
    refused(client, CREATE, form(), "U mag deze activiteit niet organiseren.")
    assert client.post(CREATE, form(kind=Kind.WORK_VISIT)).status_code == 302
    assert Activity.objects.get().kind == Kind.WORK_VISIT


def test_a_series_is_planned_at_the_same_local_time(client, bureau):
    client.force_login(bureau)
    data = form(cadence="maandelijks", count="1")
    refused(client, SERIES, data, "Een reeks heeft 2 tot 120 keer.")
    response = client.post(SERIES, form(cadence="maandelijks", count="3"))
    assert response.status_code == 302
    activities = list(Activity.objects.order_by("starts_at"))
    assert len(activities) == 3
    assert {a.series_id for a in activities} == {activities[0].series_id}
    assert {local(a.starts_at).strftime("%H:%M") for a in activities} == {"14:00"}
    assert response.url == manage(activities[0])


# --- Changing and cancelling ------------------------------------------------------------------


def test_the_organiser_changes_an_activity_and_a_refusal_writes_nothing(
    client, sociaal_chair, sociaal, diemen
):
    topic = Topic.objects.create(pillar=sociaal, title="Schuldhulp", owner=sociaal_chair.person)
    activity = plan(sociaal_chair, organiser=sociaal, kind=Kind.PILLAR_MEETING, capacity=2)
    for user in (participant(diemen), participant(diemen)):
        services.registration_create(activity=activity, person=user.person, actor=user)
    url = reverse("activities:edit", args=[activity.pk])
    client.force_login(sociaal_chair)
    page = client.get(url)
    assert page.status_code == 200
    start = local(activity.starts_at)
    data = form(
        kind=Kind.PILLAR_MEETING,
        start_date=start.date().isoformat(),
        start_time=start.strftime("%H:%M"),
        # The end's own date: an activity planned a week from late evening ends after midnight.
        end_date=local(activity.ends_at).date().isoformat(),
        end_time=local(activity.ends_at).strftime("%H:%M"),
        capacity="1",
    )
    del data["organiser"]
    refused(client, url, data, "Er zijn al 2 mensen geplaatst")
    data.update(capacity="5", title="Pijleroverleg", topics=[str(topic.pk)])
    assert client.post(url, data).status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.capacity) == ("Pijleroverleg", 5)
    assert list(activity.topics.all()) == [topic]


def test_cancelling_needs_a_reason_and_a_series_can_go_from_here_on(client, bureau):
    client.force_login(bureau)
    client.post(SERIES, form(cadence="maandelijks", count="3"))
    first, second, third = Activity.objects.order_by("starts_at")
    url = reverse("activities:cancel", args=[second.pk])
    page = client.get(url).content.decode()
    assert "Ook de latere keren van de reeks annuleren" in page
    refused(client, url, {"reason": ""}, "Vul dit veld in.")
    response = client.post(url, {"reason": "De zaal is niet beschikbaar.", "whole_series": "on"})
    assert response.status_code == 302
    statuses = [a.status for a in Activity.objects.order_by("starts_at")]
    assert statuses == [Status.SCHEDULED, Status.CANCELLED, Status.CANCELLED]
    assert Activity.objects.get(pk=third.pk).cancellation_reason == "De zaal is niet beschikbaar."
    # One activity alone.
    single = plan(bureau)
    client.post(reverse("activities:cancel", args=[single.pk]), {"reason": "Te weinig animo."})
    assert Activity.objects.get(pk=single.pk).is_cancelled
    assert Activity.objects.get(pk=first.pk).status == Status.SCHEDULED


# --- Who manages what -------------------------------------------------------------------------


def test_who_may_see_the_management_page(
    client, bureau, sociaal_chair, financieel_chair, public_affairs, sociaal, diemen
):
    members = plan(sociaal_chair, organiser=sociaal, kind=Kind.PILLAR_MEETING)
    closed = plan(
        sociaal_chair,
        organiser=sociaal,
        kind=Kind.PILLAR_MEETING,
        audience=Audience.BODY,
        audience_body=sociaal,
    )
    visit = plan(public_affairs, kind=Kind.WORK_VISIT)

    def status(user, activity):
        client.force_login(user)
        return client.get(manage(activity)).status_code

    assert status(bureau, members) == 200
    assert status(sociaal_chair, members) == 200
    assert status(sociaal_chair, closed) == 200
    # The chair of another pillar sees the activity for all members, but does not manage it;
    # the one for Sociaal's participants only they do not even see.
    assert status(financieel_chair, members) == 403
    assert status(financieel_chair, closed) == 404
    assert status(participant(diemen), members) == 403
    assert status(public_affairs, visit) == 200
    assert status(public_affairs, members) == 403
    assert status(sociaal_chair, visit) == 403
    client.force_login(financieel_chair)
    for name in ("edit", "cancel", "document_add"):
        assert client.get(reverse(f"activities:{name}", args=[members.pk])).status_code == 403
    client.logout()
    assert client.get(manage(members)).status_code == 302


# --- Registrations on the management page -----------------------------------------------------


def test_the_organiser_finds_and_registers_people_with_a_waiting_list_in_order(
    client, bureau, diemen
):
    activity = plan(bureau, capacity=1)
    people = [PersonFactory(given_name="Jan", surname=f"Jansen{i}") for i in range(3)]
    client.force_login(bureau)
    found = client.get(manage(activity), {"zoek": "jan jansen"}).content.decode()
    assert all(p.full_name in found for p in people)
    for person in people:
        response = client.post(
            manage(activity), {"actie": "aanmelden", "aanmelden-person": str(person.pk)}
        )
        assert response.status_code == 302
    states = [r.state for r in Registration.objects.order_by("pk")]
    assert states == [RegistrationState.CONFIRMED, *[RegistrationState.WAITLISTED] * 2]
    registration = Registration.objects.get(person=people[0])
    assert registration.registered_by == bureau
    page = client.get(manage(activity)).content.decode()
    waiting = page[page.index("wachtlijst-caption") :]
    assert waiting.index(people[1].full_name) < waiting.index(people[2].full_name)
    # Twice is refused, with the reason, and changes nothing.
    refused(
        client,
        manage(activity),
        {"actie": "aanmelden", "aanmelden-person": str(people[0].pk)},
        "is al aangemeld voor deze activiteit",
    )
    # Cancelling the seat moves the first of the waiting list up.
    response = client.post(
        manage(activity), {"actie": "afmelden", "registration": str(registration.pk)}
    )
    assert response.status_code == 302
    assert Registration.objects.get(person=people[1]).state == RegistrationState.CONFIRMED
    assert Registration.objects.get(pk=registration.pk).state == RegistrationState.CANCELLED


def test_invitations_are_added_and_withdrawn_for_an_activity_by_invitation(client, bureau):
    activity = plan(bureau, audience=Audience.INVITATION)
    person = PersonFactory(given_name="Ina", surname="Uitgenodigd")
    client.force_login(bureau)
    assert "Nog niemand uitgenodigd." in client.get(manage(activity)).content.decode()
    data = {"actie": "uitnodigen", "uitnodigen-person": str(person.pk)}
    assert client.post(manage(activity), data).status_code == 302
    invitation = Invitation.objects.get(activity=activity)
    assert invitation.person == person
    refused(client, manage(activity), data, "Ina Uitgenodigd is al uitgenodigd.")
    data = {"actie": "uitnodiging-intrekken", "invitation": str(invitation.pk)}
    assert client.post(manage(activity), data).status_code == 302
    assert not Invitation.objects.exists()


# --- Attendance -------------------------------------------------------------------------------


def running(bureau, **kwargs):
    """An activity that began an hour ago and runs another hour."""
    return plan(bureau, starts_at=timezone.now() - H, ends_at=timezone.now() + H, **kwargs)


def test_attendance_is_recorded_from_the_registrations_and_walk_ins(client, bureau, diemen):
    upcoming = plan(bureau)
    client.force_login(bureau)
    assert "Aanwezigheid vastleggen" not in client.get(manage(upcoming)).content.decode()

    activity = running(bureau)
    users = [participant(diemen) for _ in range(3)]
    registrations = [
        services.registration_create(activity=activity, person=u.person, actor=bureau)
        for u in users
    ]
    page = client.get(manage(activity)).content.decode()
    assert "Aanwezigheid vastleggen" in page
    present = [str(registrations[0].pk), str(registrations[2].pk)]
    data = {"actie": "aanwezigheid", "aanwezig": present}
    assert client.post(manage(activity), data).status_code == 302
    assert {a.registration_id for a in Attendance.objects.all()} == {
        registrations[0].pk,
        registrations[2].pk,
    }
    assert Attendance.objects.first().municipality == diemen.municipality
    # Unticking one removes its attendance.
    data = {"actie": "aanwezigheid", "aanwezig": [str(registrations[0].pk)]}
    client.post(manage(activity), data)
    assert Attendance.objects.count() == 1
    # Another activity's registration is refused.
    other = services.registration_create(
        activity=plan(bureau), person=users[1].person, actor=bureau
    )
    before = Attendance.objects.count()
    response = client.post(manage(activity), {"actie": "aanwezigheid", "aanwezig": [str(other.pk)]})
    assert response.status_code == 400
    assert "Kies alleen aanmeldingen van deze activiteit." in response.content.decode()
    assert Attendance.objects.count() == before

    # A walk-in by name and municipality, then taken off again.
    refused(client, manage(activity), {"actie": "zonder-aanmelding"}, "Kies een bekende persoon")
    data = {
        "actie": "zonder-aanmelding",
        "binnen-name": "Piet Binnenloper",
        "binnen-municipality": str(diemen.municipality_id),
    }
    assert client.post(manage(activity), data).status_code == 302
    walk_in = Attendance.objects.get(walk_in=True)
    assert (walk_in.name, walk_in.municipality) == ("Piet Binnenloper", diemen.municipality)
    # A known person who came without registering.
    known = PersonFactory(given_name="Karin", surname="Bekend")
    page = client.get(manage(activity), {"zoek": "Bekend"}).content.decode()
    assert "Karin Bekend" in page
    data = {"actie": "zonder-aanmelding", "binnen-person": str(known.pk)}
    assert client.post(manage(activity), data).status_code == 302
    assert Attendance.objects.filter(person=known, walk_in=True).exists()
    data = {"actie": "aanwezigheid-schrappen", "attendance": str(walk_in.pk)}
    assert client.post(manage(activity), data).status_code == 302
    assert not Attendance.objects.filter(pk=walk_in.pk).exists()


def test_attendance_before_the_start_is_refused(client, bureau, diemen):
    activity = plan(bureau)
    user = participant(diemen)
    registration = services.registration_create(activity=activity, person=user.person, actor=user)
    client.force_login(bureau)
    data = {"actie": "aanwezigheid", "aanwezig": [str(registration.pk)]}
    response = client.post(manage(activity), data)
    assert response.status_code == 400
    assert "De aanwezigheid wordt vastgelegd als de activiteit begonnen is" in (
        response.content.decode()
    )
    assert not Attendance.objects.exists()


# --- Query counts -----------------------------------------------------------------------------


def fill(activity, actor, count: int, municipality) -> None:
    """``count`` registrations, through the service: half get a seat, half wait."""
    for i in range(count):
        services.registration_create(
            activity=activity,
            person=PersonFactory(surname=f"Deelnemer{i:04}"),
            actor=actor,
            municipality=municipality if i % 2 else None,
        )


def queries_of(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content) if response.streaming else response.content
    return len(context.captured_queries)


def test_the_management_page_costs_the_same_queries_for_10_and_1000_registrations(
    client, bureau, diemen
):
    small, large = running(bureau, capacity=5), running(bureau, capacity=500)
    fill(small, bureau, 10, diemen.municipality)
    fill(large, bureau, 1000, diemen.municipality)
    client.force_login(bureau)
    assert queries_of(client, manage(small)) == queries_of(client, manage(large))
    page = client.get(manage(large)).content.decode()
    assert "Deelnemer0999" in page and "500 op de wachtlijst" in page


def test_a_whole_day_activity_keeps_its_days_when_saved_unchanged(client, bureau):
    first, last = day(10), day(12)
    starts_at, ends_at = services.all_day_span(first, last)
    activity = plan(bureau, starts_at=starts_at, ends_at=ends_at, all_day=True, title="Congres")
    url = reverse("activities:edit", args=[activity.pk])
    client.force_login(bureau)
    page = client.get(url).content.decode()
    assert f'value="{first.isoformat()}"' in page and f'value="{last.isoformat()}"' in page
    data = form(
        title="Congres",
        description="",
        address="",
        all_day="on",
        start_date=first.isoformat(),
        end_date=last.isoformat(),
        start_time="",
        end_time="",
        capacity="",
    )
    assert client.post(url, data).status_code == 302
    activity.refresh_from_db()
    assert (activity.starts_at, activity.ends_at, activity.sequence) == (starts_at, ends_at, 0)


def test_a_cancelled_activity_is_shown_but_no_longer_changed(client, bureau, diemen):
    activity = plan(bureau)
    user = participant(diemen)
    services.registration_create(activity=activity, person=user.person, actor=user)
    services.activity_cancel(activity=activity, actor=bureau, reason="Storm.")
    client.force_login(bureau)
    page = client.get(manage(activity)).content.decode()
    # Escaped as the page writes it: a generated surname may hold an apostrophe.
    assert "Storm." in page and escape(user.person.full_name) in page
    assert "Iemand aanmelden" not in page
    edit = client.get(reverse("activities:edit", args=[activity.pk]))
    assert edit.status_code == 302 and edit.url == manage(activity)
    assert (
        "al geannuleerd"
        in client.get(reverse("activities:cancel", args=[activity.pk])).content.decode()
    )
