"""Planning, changing and cancelling activities and series through the services: what a change
does to the calendar's sequence, who is e-mailed, what is audited, and that every refusal
changes nothing."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core import mail

from m50.activities import services
from m50.activities.models import (
    Activity,
    ActivitySeries,
    Audience,
    Cadence,
    Kind,
    RegistrationState,
    Status,
)
from m50.contacts.models import Position
from m50.core.models import AuditEvent
from tests.activities.conftest import participant, plan
from tests.activities.helpers import refused

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
UTC = datetime.UTC
H = datetime.timedelta(hours=1)


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=AMS)


def register(user, activity):
    return services.registration_create(activity=activity, person=user.person, actor=user)


@pytest.fixture
def full_house(bureau, diemen, houten):
    """An activity with one seat: a seat, a waiting place and a cancelled registration."""
    activity = plan(bureau, capacity=1, title="Pijlerbijeenkomst Sociaal")
    seated, waiting, gone = participant(diemen), participant(houten), participant(diemen)
    register(seated, activity)
    register(waiting, activity)
    services.registration_cancel(registration=register(gone, activity), actor=gone)
    return activity, seated, waiting, gone


# --- Planning ---------------------------------------------------------------------------------


def test_planning_is_audited_and_refusals_say_why(bureau, diemen):
    activity = plan(bureau, title="  Ledenvergadering  ")
    assert activity.title == "Ledenvergadering"
    event = AuditEvent.objects.get(action="activities.activity_create")
    assert event.object_id == str(activity.pk)
    start = activity.starts_at
    with refused("eindigen na het begin"):
        plan(bureau, starts_at=start, ends_at=start)
    with refused("titel"):
        plan(bureau, title=" ")
    with refused("pijler of de themagroep"):
        plan(bureau, audience=Audience.BODY)
    with refused("minstens 1"):
        plan(bureau, capacity=0)
    with refused("sluiten nadat het opengaat"):
        plan(bureau, registration_opens_at=start - H, registration_closes_at=start - 2 * H)
    with refused("middernacht"):
        plan(bureau, all_day=True)
    with refused("niet organiseren"):
        plan(participant(diemen))


def test_an_all_day_activity_runs_midnight_to_midnight(bureau):
    starts_at, ends_at = services.all_day_span(datetime.date(2027, 3, 3), datetime.date(2027, 3, 4))
    activity = plan(bureau, starts_at=starts_at, ends_at=ends_at, all_day=True)
    assert activity.starts_at == at(2027, 3, 3)
    assert activity.ends_at == at(2027, 3, 5)


def test_public_affairs_organises_work_visits_of_the_bureau_only(diemen, sociaal):
    from m50.accounts.models import Role
    from tests.factories import UserFactory

    lobbyist = UserFactory(role=Role.PUBLIC_AFFAIRS)
    visit = plan(lobbyist, kind=Kind.WORK_VISIT, title="Werkbezoek Kamerleden")
    assert visit.organiser is None
    with refused("niet organiseren"):
        plan(lobbyist, kind=Kind.GENERAL_MEETING)
    with refused("niet organiseren"):
        plan(lobbyist, kind=Kind.WORK_VISIT, organiser=sociaal)


# --- Changing ---------------------------------------------------------------------------------


def test_a_calendar_change_raises_the_sequence_and_mails_the_registered(
    bureau, full_house, django_capture_on_commit_callbacks
):
    activity, seated, waiting, gone = full_house
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_update(
            activity=activity, actor=bureau, starts_at=activity.starts_at + H, title="Nieuw"
        )
    activity.refresh_from_db()
    assert activity.sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [seated.person.email, waiting.person.email]
    )
    assert all(m.subject == "Gewijzigd: Nieuw" for m in mail.outbox)
    assert "begint op" in mail.outbox[0].body and "titel" in mail.outbox[0].body
    event = AuditEvent.objects.get(action="activities.activity_update")
    assert set(event.changes) == {"starts_at", "title"}


@pytest.mark.parametrize(
    "change",
    [
        {"kind": Kind.PILLAR_MEETING},
        {"capacity": 5},
        {"municipality_limit": 2},
        {"audience": Audience.PUBLIC},
    ],
)
def test_other_changes_keep_the_sequence_and_mail_nobody(
    bureau, full_house, django_capture_on_commit_callbacks, change
):
    activity = full_house[0]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_update(activity=activity, actor=bureau, **change)
    activity.refresh_from_db()
    assert activity.sequence == 0
    # More places give the waiting list its seat (one mail, to who moved up); nothing else.
    assert [m.subject for m in mail.outbox] == (
        ["U bent geplaatst: Pijlerbijeenkomst Sociaal"] if "capacity" in change else []
    )
    assert AuditEvent.objects.filter(action="activities.activity_update").count() == 1


def test_no_change_is_no_audit_row(bureau, full_house):
    activity = full_house[0]
    services.activity_update(activity=activity, actor=bureau, title=activity.title)
    assert not AuditEvent.objects.filter(action="activities.activity_update").exists()


def test_changes_refused(bureau, full_house, diemen):
    activity, seated, *_ = full_house
    with refused("niet wijzigen"):
        services.activity_update(activity=activity, actor=seated, title="Van mij")
    with refused("titel"):
        services.activity_update(activity=activity, actor=bureau, capacity=None, title="")
    with refused("minstens 1"):
        services.activity_update(activity=activity, actor=bureau, capacity=0)
    with refused("langer open"):
        services.activity_update(
            activity=activity, actor=bureau, registration_closes_at=activity.ends_at + H
        )
    services.activity_cancel(activity=activity, actor=bureau, reason="Zaal niet beschikbaar")
    with refused("geannuleerde"):
        services.activity_update(activity=activity, actor=bureau, title="Toch")


# --- Cancelling -------------------------------------------------------------------------------


def test_cancelling_mails_everyone_registered_and_takes_the_calendar_entry_away(
    bureau, full_house, django_capture_on_commit_callbacks
):
    activity, seated, waiting, gone = full_house
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_cancel(activity=activity, actor=bureau, reason="Te weinig sprekers")
    activity.refresh_from_db()
    assert (activity.status, activity.sequence) == (Status.CANCELLED, 1)
    assert activity.cancelled_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [seated.person.email, waiting.person.email]
    )
    assert {m.subject for m in mail.outbox} == {"Geannuleerd: Pijlerbijeenkomst Sociaal"}
    assert "Te weinig sprekers" in mail.outbox[0].body
    # The registrations stay as they were: who was registered remains known.
    assert set(activity.registrations.values_list("state", flat=True)) == {
        RegistrationState.CONFIRMED,
        RegistrationState.WAITLISTED,
        RegistrationState.CANCELLED,
    }
    assert AuditEvent.objects.filter(action="activities.activity_cancel").count() == 1


def test_cancelling_refused(bureau, full_house, monkeypatch):
    activity, seated, *_ = full_house
    with refused("reden"):
        services.activity_cancel(activity=activity, actor=bureau, reason="  ")
    with refused("niet annuleren"):
        services.activity_cancel(activity=activity, actor=seated, reason="Ik kan niet")
    later = activity.ends_at + H
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    with refused("voorbij"):
        services.activity_cancel(activity=activity, actor=bureau, reason="Achteraf")
    monkeypatch.undo()
    services.activity_cancel(activity=activity, actor=bureau, reason="Zaal dicht")
    with refused("al geannuleerd"):
        services.activity_cancel(activity=activity, actor=bureau, reason="Nog eens")


# --- Series -----------------------------------------------------------------------------------


def series(actor, *, cadence, count, start, hours=2, **kwargs):
    kwargs.setdefault("kind", Kind.CONSULTATION)
    return services.series_plan(
        actor=actor,
        title=kwargs.pop("title", "Bestuurlijk overleg J&V"),
        cadence=cadence,
        count=count,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=hours),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("cadence", "start", "expected_days"),
    [
        # Winter time, summer time, winter time again: always 10:00 in Amsterdam.
        (
            Cadence.HALF_YEARLY,
            at(2027, 3, 25, 10),
            [(2027, 3, 25), (2027, 9, 25), (2028, 3, 25)],
        ),
        # Summer time until 31 October 2027, then winter time.
        (
            Cadence.MONTHLY,
            at(2027, 10, 28, 10),
            [(2027, 10, 28), (2027, 11, 28), (2027, 12, 28)],
        ),
        (Cadence.WEEKLY, at(2027, 3, 22, 10), [(2027, 3, 22), (2027, 3, 29), (2027, 4, 5)]),
        (
            Cadence.QUARTERLY,
            at(2027, 1, 31, 10),
            [(2027, 1, 31), (2027, 4, 30), (2027, 7, 31)],
        ),
        (Cadence.YEARLY, at(2028, 2, 29, 10), [(2028, 2, 29), (2029, 2, 28), (2030, 2, 28)]),
    ],
)
def test_a_series_keeps_the_amsterdam_wall_clock_time(bureau, cadence, start, expected_days):
    planned = series(bureau, cadence=cadence, count=3, start=start)
    activities = list(planned.activities.order_by("starts_at"))
    assert len(activities) == 3
    local = [a.starts_at.astimezone(AMS) for a in activities]
    assert [(t.year, t.month, t.day) for t in local] == expected_days
    assert {(t.hour, t.minute) for t in local} == {(10, 0)}
    assert {(a.ends_at - a.starts_at) for a in activities} == {2 * H}
    assert {a.title for a in activities} == {"Bestuurlijk overleg J&V"}
    assert AuditEvent.objects.filter(action="activities.series_plan").count() == 1
    assert AuditEvent.objects.filter(action="activities.activity_create").count() == 3


def test_the_half_yearly_meeting_moves_in_utc_across_summer_time(bureau):
    planned = series(bureau, cadence=Cadence.HALF_YEARLY, count=2, start=at(2027, 3, 25, 10))
    march, september = planned.activities.order_by("starts_at")
    assert march.starts_at.astimezone(UTC).hour == 9  # CET, UTC+1
    assert september.starts_at.astimezone(UTC).hour == 8  # CEST, UTC+2


def test_an_evening_into_the_night_keeps_its_length_at_the_end_of_a_month(bureau):
    planned = series(bureau, cadence=Cadence.MONTHLY, count=2, start=at(2027, 1, 31, 22), hours=3)
    second = planned.activities.order_by("starts_at")[1]
    assert second.starts_at == at(2027, 2, 28, 22)
    assert second.ends_at == at(2027, 3, 1, 1)


def test_a_series_moves_its_registration_window_along(bureau):
    start = at(2027, 3, 25, 10)
    planned = series(
        bureau,
        cadence=Cadence.HALF_YEARLY,
        count=2,
        start=start,
        registration_opens_at=at(2027, 2, 25, 9),
        registration_closes_at=at(2027, 3, 24, 17),
    )
    second = planned.activities.order_by("starts_at")[1]
    assert second.registration_opens_at == at(2027, 8, 25, 9)
    assert second.registration_closes_at == at(2027, 9, 24, 17)


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"count": 1}, "2 tot 120"),
        ({"count": 121}, "2 tot 120"),
        ({"cadence": "dagelijks"}, "hoe vaak"),
        ({"title": "  "}, "titel"),
    ],
)
def test_series_refused(bureau, kwargs, word):
    arguments = {"cadence": Cadence.MONTHLY, "count": 3, "start": at(2027, 3, 1, 10)}
    arguments.update(kwargs)
    with refused(word):
        series(bureau, **arguments)


def test_a_series_the_actor_may_not_organise_leaves_nothing(diemen):
    with refused("niet organiseren"):
        series(participant(diemen), cadence=Cadence.MONTHLY, count=3, start=at(2027, 3, 1, 10))
    assert not ActivitySeries.objects.exists()


def test_cancelling_a_series_from_one_meeting_on(
    bureau, diemen, django_capture_on_commit_callbacks
):
    planned = series(
        bureau,
        cadence=Cadence.QUARTERLY,
        count=4,
        start=at(2027, 3, 1, 10),
        audience=Audience.MEMBERS,
    )
    first, second, third, fourth = planned.activities.order_by("starts_at")
    user = participant(diemen)
    register(user, fourth)
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.series_cancel_from(
            activity=third, actor=bureau, reason="Het overleg stopt"
        )
    assert [a.pk for a in cancelled] == [third.pk, fourth.pk]
    statuses = dict(Activity.objects.values_list("pk", "status"))
    assert [statuses[a.pk] for a in (first, second, third, fourth)] == [
        Status.SCHEDULED,
        Status.SCHEDULED,
        Status.CANCELLED,
        Status.CANCELLED,
    ]
    assert [m.to[0] for m in mail.outbox if m.subject.startswith("Geannuleerd")] == [
        user.person.email
    ]
    with refused("niets meer te annuleren"):
        services.series_cancel_from(activity=fourth, actor=bureau, reason="Nog eens")
    with refused("niet annuleren"):
        services.series_cancel_from(activity=first, actor=user, reason="Ik stop ermee")


def test_only_a_series_is_cancelled_as_a_series(bureau):
    single = plan(bureau)
    with refused("niet bij een reeks"):
        services.series_cancel_from(activity=single, actor=bureau, reason="Weg")


# --- Invitations ------------------------------------------------------------------------------


def test_invitations(bureau, houten, django_capture_on_commit_callbacks):
    activity = plan(bureau, audience=Audience.INVITATION, title="Diner met de minister")
    guest = participant(houten, Position.Function.MAYOR)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_add(activity=activity, person=guest.person, actor=bureau)
    assert [(m.to[0], m.subject) for m in mail.outbox] == [
        (guest.person.email, "Uitnodiging: Diner met de minister")
    ]
    with refused("al uitgenodigd"):
        services.invitation_add(activity=activity, person=guest.person, actor=bureau)
    with refused("niemand uitnodigen"):
        services.invitation_add(activity=activity, person=guest.person, actor=guest)
    open_to_all = plan(bureau)
    with refused("niet op uitnodiging"):
        services.invitation_add(activity=open_to_all, person=guest.person, actor=bureau)
    services.invitation_remove(invitation=invitation, actor=bureau)
    assert not activity.invitations.exists()
    assert AuditEvent.objects.filter(action__startswith="activities.invitation_").count() == 2


def test_a_series_without_its_first_moments_is_refused(bureau):
    with refused("eerste keer"):
        services.series_plan(
            actor=bureau,
            title="Overleg",
            cadence=Cadence.MONTHLY,
            count=2,
            kind=Kind.CONSULTATION,
            starts_at=None,
            ends_at=None,
        )


@pytest.mark.parametrize(
    ("start", "end", "all_day", "expected"),
    [
        (at(2027, 3, 3, 10), at(2027, 3, 3, 12, 30), False, "3 maart 2027 10:00–12:30"),
        (at(2027, 3, 3), at(2027, 3, 4), True, "3 maart 2027"),
        (at(2027, 3, 3), at(2027, 3, 6), True, "3 maart 2027 t/m 5 maart 2027"),
        (
            at(2027, 3, 27, 22),
            at(2027, 3, 28, 4),
            False,
            "27 maart 2027 22:00 – 28 maart 2027 04:00",
        ),
    ],
)
def test_when_in_words(start, end, all_day, expected):
    from django.utils import translation

    from m50.activities.services._common import long_span

    activity = Activity(starts_at=start, ends_at=end, all_day=all_day)
    with translation.override("nl"):
        assert long_span(activity) == expected
