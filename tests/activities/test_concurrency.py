"""The last seat is given once: two people asking for it at the same moment get one seat and
one waiting-list place.

The activity's row is locked for every change of its registrations. On PostgreSQL the second
registration waits for that row lock and counts the seats only after the first commits; on
SQLite every transaction takes the write lock at BEGIN, so the two queue as a whole. Both
tests run on both databases (``scripts/with_postgres.py`` for PostgreSQL); the second also
checks, on PostgreSQL, that the later registration really waited on the lock.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from m50.activities import services
from m50.activities.models import Registration, RegistrationState
from tests.activities.conftest import participant, plan

pytestmark = pytest.mark.django_db(transaction=True)


def _at_once(targets) -> list:
    """Runs ``targets`` in threads released together; the errors they raised."""
    errors = []
    start = threading.Barrier(len(targets))

    def run(target):
        try:
            start.wait()
            target()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _lock_waiters() -> int:
    """Other sessions waiting for a lock (PostgreSQL only; SQLite queues at BEGIN)."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@pytest.fixture
def last_seat(bureau, diemen, houten):
    """An activity of two places with one taken, and two people who want the other."""
    activity = plan(bureau, capacity=2, title="Pijlerbijeenkomst Sociaal")
    taken = participant(diemen)
    services.registration_create(activity=activity, person=taken.person, actor=taken)
    return activity, participant(diemen), participant(houten)


def _states(activity, *users) -> list[str]:
    return sorted(
        Registration.objects.filter(
            activity=activity, person__in=[u.person for u in users]
        ).values_list("state", flat=True)
    )


def test_two_people_asking_for_the_last_seat_at_once_get_one_seat_and_one_waiting_place(
    last_seat,
):
    activity, first, second = last_seat
    errors = _at_once(
        [
            lambda user=user: services.registration_create(
                activity=activity, person=user.person, actor=user
            )
            for user in (first, second)
        ]
    )
    assert errors == []
    assert _states(activity, first, second) == [
        RegistrationState.CONFIRMED,
        RegistrationState.WAITLISTED,
    ]
    assert activity.registrations.filter(state=RegistrationState.CONFIRMED).count() == 2


def test_the_second_waits_for_the_first_and_then_finds_the_activity_full(last_seat):
    activity, first, second = last_seat
    registered, commit = threading.Event(), threading.Event()
    errors = []

    def hold_the_seat():
        try:
            with transaction.atomic():
                services.registration_create(activity=activity, person=first.person, actor=first)
                registered.set()
                commit.wait(timeout=30)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            registered.set()
            connection.close()

    def ask_for_it():
        try:
            services.registration_create(activity=activity, person=second.person, actor=second)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_seat)
    holder.start()
    registered.wait(timeout=30)
    asker = threading.Thread(target=ask_for_it)
    asker.start()
    waited = False
    # On PostgreSQL the second must be seen waiting on the lock, not reading past it.
    while connection.vendor == "postgresql" and asker.is_alive() and not waited:
        waited = _lock_waiters() > 0
        asker.join(0.01)
    commit.set()
    holder.join()
    asker.join()
    assert errors == []
    if connection.vendor == "postgresql":
        assert waited
    assert Registration.objects.get(person=first.person).state == RegistrationState.CONFIRMED
    assert Registration.objects.get(person=second.person).state == RegistrationState.WAITLISTED


def test_two_reminder_runs_at_once_send_each_reminder_once(bureau, diemen, monkeypatch):
    import datetime

    from django.core import mail

    from m50.activities.models import ReminderSent
    from m50.activities.services.reminders import reminders_send

    activity = plan(bureau, title="Ledenvergadering")
    users = [participant(diemen) for _ in range(3)]
    for user in users:
        services.registration_create(activity=activity, person=user.person, actor=user)
    mail.outbox.clear()
    moment = activity.starts_at - datetime.timedelta(hours=20)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    reports = []
    errors = _at_once([lambda: reports.append(reminders_send()) for _ in range(2)])
    assert errors == []
    assert sum(len(r.sent) for r in reports) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.person.email for u in users)
    assert ReminderSent.objects.count() == 3
