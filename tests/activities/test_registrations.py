"""Registrations through the services: seats, the waiting list and its order, cancelling and
moving up, windows, audience, double registration and the per-municipality limit."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from m50.activities import rules, selectors, services
from m50.activities.models import Activity, Audience, Registration, RegistrationState
from m50.core.models import AuditEvent
from m50.pillars import services as pillar_services
from tests.activities.conftest import participant, plan
from tests.activities.helpers import refused as refused_with

pytestmark = pytest.mark.django_db
CONFIRMED, WAITLISTED, CANCELLED = (
    RegistrationState.CONFIRMED,
    RegistrationState.WAITLISTED,
    RegistrationState.CANCELLED,
)


def register(user, activity, **kwargs):
    return services.registration_create(activity=activity, person=user.person, actor=user, **kwargs)


def refused(user, activity, **kwargs) -> str:
    before = Registration.objects.count()
    with pytest.raises(ValidationError) as info:
        register(user, activity, **kwargs)
    assert Registration.objects.count() == before
    return " ".join(info.value.messages)


def test_seats_then_the_waiting_list_in_order_and_the_first_moves_up(bureau, diemen, houten):
    activity = plan(bureau, capacity=2)
    users = [participant(diemen), participant(houten), participant(diemen), participant(houten)]
    states = [register(u, activity).state for u in users]
    assert states == [CONFIRMED, CONFIRMED, WAITLISTED, WAITLISTED]
    third = selectors.registration_of(activity=activity, person_id=users[3].person_id)
    assert third.waiting_position == 2

    first = Registration.objects.get(person=users[0].person)
    services.registration_cancel(registration=first, actor=users[0])
    assert Registration.objects.get(person=users[2].person).state == CONFIRMED
    assert Registration.objects.get(person=users[3].person).state == WAITLISTED
    assert (
        selectors.registration_of(activity=activity, person_id=users[3].person_id).waiting_position
        == 1
    )
    summary = selectors.registration_summary(activity=activity)
    assert (summary.confirmed, summary.waitlisted, summary.places_left) == (2, 1, 0)
    assert AuditEvent.objects.filter(action="activities.registration_promote").count() == 1


def test_a_waiting_place_given_up_moves_nobody(bureau, diemen):
    activity = plan(bureau, capacity=1)
    a, b = participant(diemen), participant(diemen)
    register(a, activity)
    waiting = register(b, activity)
    services.registration_cancel(registration=waiting, actor=b)
    assert Registration.objects.get(person=a.person).state == CONFIRMED
    assert Registration.objects.get(pk=waiting.pk).state == CANCELLED


def test_more_places_move_the_waiting_list_up_and_fewer_than_taken_is_refused(bureau, diemen):
    activity = plan(bureau, capacity=1)
    a, b, c = participant(diemen), participant(diemen), participant(diemen)
    for user in (a, b, c):
        register(user, activity)
    with pytest.raises(ValidationError):
        services.activity_update(activity=activity, actor=bureau, capacity=None, title="")
    services.activity_update(activity=activity, actor=bureau, capacity=2)
    assert [r.state for r in Registration.objects.order_by("pk")] == [
        CONFIRMED,
        CONFIRMED,
        WAITLISTED,
    ]
    with pytest.raises(ValidationError) as info:
        services.activity_update(activity=activity, actor=bureau, capacity=1)
    assert "al 2 mensen geplaatst" in " ".join(info.value.messages)


def test_one_registration_per_person_and_again_after_cancelling(bureau, diemen):
    activity = plan(bureau)
    user = participant(diemen)
    registration = register(user, activity)
    assert "al aangemeld" in refused(user, activity)
    services.registration_cancel(registration=registration, actor=user)
    assert register(user, activity).state == CONFIRMED


def test_the_registration_window(bureau, diemen):
    now = timezone.now()
    later = plan(bureau, registration_opens_at=now + datetime.timedelta(days=1))
    closed = plan(
        bureau,
        registration_closes_at=now - datetime.timedelta(hours=1),
        registration_opens_at=now - datetime.timedelta(days=3),
    )
    user = participant(diemen)
    assert "Aanmelden kan vanaf" in refused(user, later)
    assert "aanmelding is gesloten" in refused(user, closed)
    # The organiser registers someone outside the window.
    services.registration_create(activity=closed, person=user.person, actor=bureau)


def test_the_per_municipality_limit_counts_the_waiting_list_too(bureau, diemen, houten):
    activity = plan(bureau, capacity=1, municipality_limit=2)
    register(participant(diemen), activity)
    register(participant(diemen), activity)
    assert "Uit Diemen zijn al 2 mensen aangemeld" in refused(participant(diemen), activity)
    assert register(participant(houten), activity).state == WAITLISTED


def test_who_may_not_see_it_cannot_register(bureau, diemen, sociaal):
    activity = plan(bureau, audience=Audience.BODY, audience_body=sociaal)
    user = participant(diemen)
    with pytest.raises(Activity.DoesNotExist):
        register(user, activity)
    with pytest.raises(ValidationError):
        services.registration_create(
            activity=activity, person=participant(diemen).person, actor=user
        )
    assert not Registration.objects.exists()


def test_a_cancelled_activity_takes_no_registrations_and_its_series_is_planned(bureau, diemen):
    activity = plan(bureau)
    services.activity_cancel(activity=activity, actor=bureau, reason="Te weinig aanmeldingen")
    assert "geannuleerd" in refused(participant(diemen), activity)
    activity.refresh_from_db()
    assert activity.sequence == 1


# --- E-mails, refusals that change nothing, and the edges of the rules ------------------------

from django.core import mail  # noqa: E402

from m50.contacts.models import Position  # noqa: E402
from tests.activities.helpers import refused as unchanged_refusal  # noqa: E402


def test_the_one_moved_up_is_mailed_and_the_rest_of_the_list_is_not(
    bureau, diemen, houten, django_capture_on_commit_callbacks
):
    activity = plan(
        bureau, capacity=1, title="Pijlerbijeenkomst", online_url="https://meet.example/x"
    )
    seated, first, second = participant(diemen), participant(houten), participant(diemen)
    with django_capture_on_commit_callbacks(execute=True):
        for user in (seated, first, second):
            register(user, activity)
    assert [m.subject for m in mail.outbox] == [
        "Aangemeld: Pijlerbijeenkomst",
        "Op de wachtlijst: Pijlerbijeenkomst",
        "Op de wachtlijst: Pijlerbijeenkomst",
    ]
    # The online link goes only to whoever holds a seat.
    assert "https://meet.example/x" in mail.outbox[0].body
    assert "https://meet.example/x" not in mail.outbox[1].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(
            registration=Registration.objects.get(person=seated.person), actor=seated
        )
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == sorted(
        [
            (seated.person.email, "Afgemeld: Pijlerbijeenkomst"),
            (first.person.email, "U bent geplaatst: Pijlerbijeenkomst"),
        ]
    )
    promoted = next(m for m in mail.outbox if m.subject.startswith("U bent geplaatst"))
    assert "https://meet.example/x" in promoted.body
    assert Registration.objects.get(person=first.person).promoted_at is not None
    assert Registration.objects.get(person=second.person).state == WAITLISTED


def test_a_refused_registration_mails_nobody(bureau, diemen, django_capture_on_commit_callbacks):
    activity = plan(bureau)
    user = participant(diemen)
    register(user, activity)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), unchanged_refusal("al aangemeld"):
        register(user, activity)
    assert mail.outbox == []


def test_without_a_capacity_everyone_has_a_seat(bureau, diemen):
    activity = plan(bureau)
    states = {register(participant(diemen), activity).state for _ in range(5)}
    assert states == {CONFIRMED}
    assert selectors.registration_summary(activity=activity).places_left is None


def test_the_waiting_list_moves_up_in_order_when_seats_are_added(bureau, diemen, houten):
    activity = plan(bureau, capacity=1)
    users = [participant(diemen), participant(houten), participant(diemen), participant(houten)]
    for user in users:
        register(user, activity)
    services.activity_update(activity=activity, actor=bureau, capacity=3)
    states = [Registration.objects.get(person=u.person).state for u in users]
    assert states == [CONFIRMED, CONFIRMED, CONFIRMED, WAITLISTED]
    services.activity_update(activity=activity, actor=bureau, capacity=None)
    assert Registration.objects.get(person=users[3].person).state == CONFIRMED


def test_the_registration_list_is_in_the_queues_order(bureau, diemen):
    activity = plan(bureau, capacity=1)
    users = [participant(diemen) for _ in range(4)]
    registrations = [register(u, activity) for u in users]
    services.registration_cancel(registration=registrations[2], actor=users[2])
    # Seat, then the waiting list in order, then the cancelled.
    listed = list(selectors.registration_list(activity=activity))
    assert [(r.person_id, r.state) for r in listed] == [
        (users[0].person_id, CONFIRMED),
        (users[1].person_id, WAITLISTED),
        (users[3].person_id, WAITLISTED),
        (users[2].person_id, CANCELLED),
    ]
    assert [r.person_id for r in selectors.waiting_list(activity=activity)] == [
        users[1].person_id,
        users[3].person_id,
    ]


def test_the_window_opens_and_closes_at_its_moments(bureau, diemen, monkeypatch):
    now = timezone.now()
    opens = now + datetime.timedelta(days=1)
    closes = now + datetime.timedelta(days=2)
    activity = plan(bureau, registration_opens_at=opens, registration_closes_at=closes)
    user = participant(diemen)
    assert not rules.registration_window_open(activity, now=now)
    assert rules.registration_window_open(activity, now=opens)
    assert not rules.registration_window_open(activity, now=closes)
    monkeypatch.setattr("django.utils.timezone.now", lambda: opens)
    assert register(user, activity).state == CONFIRMED


def test_without_a_closing_moment_registration_closes_at_the_start(bureau, diemen):
    started = plan(bureau, starts_at=timezone.now() - datetime.timedelta(minutes=10))
    user = participant(diemen)
    with unchanged_refusal("gesloten"):
        register(user, started)
    # The organiser still adds someone until the end (a walk-up at the door).
    services.registration_create(activity=started, person=user.person, actor=bureau)


def test_nobody_registers_for_what_is_over(bureau, diemen):
    over = plan(
        bureau,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        ends_at=timezone.now() - datetime.timedelta(hours=20),
    )
    user = participant(diemen)
    with unchanged_refusal("voorbij"):
        services.registration_create(activity=over, person=user.person, actor=bureau)


def test_cancelling_refused(bureau, diemen, monkeypatch):
    activity = plan(bureau)
    user, other = participant(diemen), participant(diemen)
    registration = register(user, activity)
    with unchanged_refusal("niet intrekken"):
        services.registration_cancel(registration=registration, actor=other)
    later = activity.ends_at + datetime.timedelta(minutes=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    with unchanged_refusal("voorbij"):
        services.registration_cancel(registration=registration, actor=user)
    monkeypatch.undo()
    services.registration_cancel(registration=registration, actor=bureau)
    with unchanged_refusal("al ingetrokken"):
        services.registration_cancel(registration=registration, actor=user)
    assert AuditEvent.objects.filter(action="activities.registration_cancel").count() == 1


def test_a_cancelled_registration_frees_the_municipalitys_place(bureau, diemen):
    activity = plan(bureau, municipality_limit=1)
    first, second = participant(diemen), participant(diemen)
    registration = register(first, activity)
    with unchanged_refusal("Uit Diemen zijn al 1 mensen aangemeld"):
        register(second, activity)
    services.registration_cancel(registration=registration, actor=first)
    assert register(second, activity).municipality.name == "Diemen"


def test_the_limit_does_not_bind_people_of_no_municipality(bureau, diemen):
    from m50.accounts.models import Role
    from tests.factories import PersonFactory

    activity = plan(bureau, municipality_limit=1)
    for _ in range(2):
        registration = services.registration_create(
            activity=activity, person=PersonFactory(), actor=bureau
        )
        assert registration.municipality is None
    assert bureau.role == Role.BUREAU


def test_an_official_without_an_account_municipality_registers_for_their_position(bureau, houten):
    from m50.accounts.models import Role
    from tests.factories import UserFactory
    from tests.pillars.conftest import official

    position = official(houten, function=Position.Function.POLICY_ADVISOR)
    # A role that acts for no municipality: the running position says which one.
    user = UserFactory(role=Role.PILLAR_CHAIR, person=position.person, municipality=None)
    activity = plan(bureau)
    assert register(user, activity).municipality.name == "Houten"


def test_registering_is_audited_with_its_state(bureau, diemen):
    activity = plan(bureau, capacity=1)
    register(participant(diemen), activity)
    register(participant(diemen), activity)
    events = AuditEvent.objects.filter(action="activities.registration_create").order_by("pk")
    assert [e.changes["state"]["new"] for e in events] == [CONFIRMED, WAITLISTED]


def _calendar_of(message):
    from icalendar import Calendar

    attached = [a for a in message.attachments if a[2].startswith("text/calendar")]
    return Calendar.from_ical(attached[0][1]) if attached else None


def test_the_mails_calendar_entry_names_its_receiver_and_holds_the_link_only_for_a_seat(
    bureau, diemen, django_capture_on_commit_callbacks
):
    activity = plan(bureau, capacity=1, title="Webinar wonen", online_url="https://meet.example/w")
    seated, waiting = participant(diemen), participant(diemen)
    with django_capture_on_commit_callbacks(execute=True):
        register(seated, activity)
        register(waiting, activity)
    entry = _calendar_of(mail.outbox[0])
    assert entry["METHOD"] == "REQUEST"
    event = entry.walk("VEVENT")[0]
    assert str(event["ATTENDEE"]) == f"mailto:{seated.person.email}"
    assert "https://meet.example/w" in event.to_ical().decode().replace("\r\n ", "")
    # The waiting list gets no entry: it has no seat in anyone's calendar.
    assert _calendar_of(mail.outbox[1]) is None

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_update(activity=activity, actor=bureau, title="Webinar wonen (nieuw)")
    by_receiver = {m.to[0]: _calendar_of(m) for m in mail.outbox}
    assert by_receiver[seated.person.email].walk("VEVENT")[0]["SEQUENCE"] == 1
    assert by_receiver[waiting.person.email] is None

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_cancel(activity=activity, actor=bureau, reason="Spreker ziek")
    assert {m.to[0]: _calendar_of(m)["METHOD"] for m in mail.outbox} == {
        seated.person.email: "CANCEL",
        waiting.person.email: "CANCEL",
    }


def test_the_same_moment_in_another_zone_is_no_change(bureau, diemen):
    activity = plan(bureau)
    amsterdam = activity.starts_at.astimezone(zoneinfo.ZoneInfo("Europe/Amsterdam"))
    services.activity_update(activity=activity, actor=bureau, starts_at=amsterdam)
    activity.refresh_from_db()
    assert activity.sequence == 0
    assert not AuditEvent.objects.filter(action="activities.activity_update").exists()


def test_the_organiser_registers_only_people_of_the_audience(bureau, diemen, sociaal):
    member_of_sociaal = participant(diemen)
    pillar_services.participation_register(
        position=member_of_sociaal.person.positions.get(),
        pillar=sociaal,
        start_date=datetime.date(2024, 3, 1),
    )
    outsider = participant(diemen)
    meeting = plan(bureau, audience=Audience.BODY, audience_body=sociaal)
    by_invitation = plan(bureau, audience=Audience.INVITATION)

    def organiser_registers(user, activity):
        return services.registration_create(activity=activity, person=user.person, actor=bureau)

    with refused_with("hoort niet bij het publiek", "één pijler of themagroep"):
        organiser_registers(outsider, meeting)
    assert organiser_registers(member_of_sociaal, meeting).state == CONFIRMED
    with refused_with("op uitnodiging", "nodig"):
        organiser_registers(outsider, by_invitation)
    services.invitation_add(activity=by_invitation, person=outsider.person, actor=bureau)
    assert organiser_registers(outsider, by_invitation).state == CONFIRMED
