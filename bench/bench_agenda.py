"""Benchmark of the agenda pages at 20,000 activities with 40,000 registrations: the agenda's
first and a deep page, the month, an activity's page and a participant's own registrations,
each as the test client asks it (time, peak memory, and the queries it cost).

    python -m bench agenda                                                  # SQLite
    python scripts/with_postgres.py .venv/bin/python -m bench agenda         # PostgreSQL

The data is made once (not timed), stored in bulk: half the activities ahead and half behind,
each with a seat and a waiting-list place taken; the participant waits for one in twenty.
"""

from __future__ import annotations

import argparse
import datetime

from bench.bench_import import TABLE_HEADER, measure
from bench.harness import throwaway_database

ACTIVITIES = 20_000
BATCH = 2_000


def _populate():
    """The participant's user and the first activity ahead."""
    from django.utils import timezone

    from m50.accounts.models import Role, User
    from m50.activities.models import Activity, Audience, Kind, Registration, RegistrationState
    from m50.contacts.models import Person
    from m50.municipalities.models import Municipality, Province

    province, _created = Province.objects.get_or_create(code="PV97", defaults={"name": "Bench"})
    hosts = Municipality.objects.bulk_create(
        Municipality(code=f"GM9{i:03d}", name=f"Benchgemeente {i:03d}", province=province)
        for i in range(50)
    )
    now = timezone.now().replace(microsecond=0)
    hour = datetime.timedelta(hours=1)
    activities = Activity.objects.bulk_create(
        (
            Activity(
                kind=Kind.values[n % len(Kind.values)],
                title=f"Activiteit {n:05d}",
                starts_at=now + (n // 2 + 1) * hour * (1 if n % 2 == 0 else -1),
                ends_at=now + (n // 2 + 1) * hour * (1 if n % 2 == 0 else -1) + hour,
                audience=Audience.PUBLIC if n % 3 == 0 else Audience.MEMBERS,
                capacity=1,
                host_municipality=hosts[n % len(hosts)],
            )
            for n in range(ACTIVITIES)
        ),
        batch_size=BATCH,
    )
    people = Person.objects.bulk_create(
        (Person(surname=f"Naam {n:05d}") for n in range(2 * ACTIVITIES + 1)), batch_size=BATCH
    )
    Registration.objects.bulk_create(
        (
            Registration(
                activity=activity,
                person=people[2 * n + k],
                state=RegistrationState.CONFIRMED if k == 0 else RegistrationState.WAITLISTED,
            )
            for n, activity in enumerate(activities)
            for k in range(2)
        ),
        batch_size=BATCH,
    )
    participant = people[-1]
    Registration.objects.bulk_create(
        (
            Registration(activity=activity, person=participant, state=RegistrationState.WAITLISTED)
            for activity in activities[::20]
        ),
        batch_size=BATCH,
    )
    user = User.objects.create_user(
        username="bench-deelnemer", role=Role.PARTICIPANT, person=participant, municipality=hosts[0]
    )
    return user, activities[0]


def _page(client, url: str):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return f"{len(response.content) / 1024:.0f} KiB, {len(queries)} queries"

    return get


def bench_agenda() -> list:
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    user, activity = _populate()
    client = Client()
    client.force_login(user)
    agenda = reverse("activities:agenda")
    month = timezone.localdate().strftime("%Y-%m")
    pages = [
        ("agenda, first page", agenda),
        ("agenda, past, page 300", f"{agenda}?wanneer=verleden&pagina=300"),
        ("agenda, filtered on kind and host", f"{agenda}?soort=webinar&gemeente=GM9005"),
        ("month", f"{reverse('activities:month')}?maand={month}"),
        ("activity page", reverse("activities:detail", args=[activity.pk])),
        ("own registrations", reverse("activities:mine")),
    ]
    return [
        measure(f"{name}, {ACTIVITIES:,} activities", ACTIVITIES, _page(client, url))
        for name, url in pages
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench agenda", description=__doc__)
    parser.parse_args(argv)
    with throwaway_database("m50-bench-agenda-"):
        print(TABLE_HEADER)
        for result in bench_agenda():
            print(result.line(), flush=True)
    return 0
