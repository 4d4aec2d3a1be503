"""Benchmark of the calendar feeds: 20,000 activities as the public feed (streamed) and as a
participant's own feed (built whole, for its ETag), time and peak memory.

    python -m bench.bench_calendar                                          # SQLite
    python scripts/with_postgres.py .venv/bin/python -m bench.bench_calendar   # PostgreSQL

Each run is in a transaction that is rolled back, after a setup (not timed, not traced) that
stores 20,000 activities two hours apart from now on (so about two and a half years of
summer-time changes), every other one public, a third organised by Sociaal, and registrations
of the participant for every fourth.
"""

from __future__ import annotations

import argparse
import datetime

from bench.bench_import import TABLE_HEADER, Result, measure
from bench.harness import throwaway_database

ACTIVITIES = 20_000
BATCH = 2_000
USERNAME = "bench-abonnee"


def _activities() -> None:
    from django.utils import timezone

    from m50.accounts.models import Role, User
    from m50.activities.models import Activity, Audience, Kind, Registration, RegistrationState
    from m50.contacts.models import Organisation, Person, Position
    from m50.municipalities.models import Municipality, Province
    from m50.pillars.models import Participation, Pillar

    province, _created = Province.objects.get_or_create(code="PV97", defaults={"name": "Bench"})
    municipality = Municipality.objects.create(code="GM9997", name="Benchstad", province=province)
    organisation = Organisation.objects.create(
        kind=Organisation.Kind.MUNICIPALITY,
        municipality=municipality,
        name="Gemeente Benchstad",
        slug="gemeente-benchstad",
    )
    person = Person.objects.create(given_name="Bea", surname="Abonnee")
    position = Position.objects.create(
        person=person,
        organisation=organisation,
        function=Position.Function.POLICY_ADVISOR,
        start_date=datetime.date(2024, 1, 1),
    )
    sociaal = Pillar.objects.get(slug="sociaal")
    Participation.objects.create(
        position=position, pillar=sociaal, category="adviseur", start_date=datetime.date(2024, 1, 1)
    )
    User.objects.create(
        username=USERNAME, role=Role.PARTICIPANT, person=person, municipality=municipality
    )
    now = timezone.now()
    kinds = list(Kind.values)
    activities = Activity.objects.bulk_create(
        (
            Activity(
                kind=kinds[n % len(kinds)],
                title=f"Activiteit {n}: wonen, zorg; veiligheid",
                description=f"Agenda\n1. Opening\n2. Punt {n}",
                starts_at=now + datetime.timedelta(hours=2 * n + 1),
                ends_at=now + datetime.timedelta(hours=2 * n + 2),
                audience=Audience.PUBLIC if n % 2 else Audience.MEMBERS,
                organiser_pillar=sociaal if n % 3 == 0 else None,
                host_municipality=municipality if n % 5 == 0 else None,
                online_url="https://meet.example.org/m50" if n % 7 == 0 else "",
            )
            for n in range(ACTIVITIES)
        ),
        batch_size=BATCH,
    )
    Registration.objects.bulk_create(
        (
            Registration(
                activity=activity,
                person=person,
                municipality=municipality,
                state=RegistrationState.CONFIRMED,
            )
            for activity in activities[::4]
        ),
        batch_size=BATCH,
    )


def _public_feed() -> str:
    from m50.activities import calendar

    chunks = calendar.feed(calendar.public_activities(), name="M50")
    size = sum(len(chunk) for chunk in chunks)
    return f"{size / 2**20:.1f} MiB"


def _own_feed() -> str:
    from m50.accounts.models import User
    from m50.activities import calendar

    user = User.objects.get(username=USERNAME)
    content = calendar.feed_bytes(calendar.user_activities(user), name="M50")
    return f"{len(content) / 2**20:.1f} MiB, {content.count(b'BEGIN:VEVENT'):,} entries"


def bench_feeds() -> list[Result]:
    return [
        measure(
            f"public calendar feed, {ACTIVITIES:,} activities",
            ACTIVITIES,
            _public_feed,
            setup=_activities,
        ),
        measure(
            f"own calendar feed, {ACTIVITIES:,} activities",
            ACTIVITIES,
            _own_feed,
            setup=_activities,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_calendar", description=__doc__)
    parser.parse_args(argv)
    with throwaway_database("m50-bench-calendar-"):
        print(TABLE_HEADER)
        for result in bench_feeds():
            print(result.line(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
