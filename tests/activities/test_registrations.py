"""Registrations through the services: seats, the waiting list and its order, cancelling and
moving up, windows, audience, double registration and the per-municipality limit."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from m50.activities import selectors, services
from m50.activities.models import Activity, Audience, Registration, RegistrationState
from m50.core.models import AuditEvent
from tests.activities.conftest import participant, plan

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
