"""Benchmark of the activities' reads at 20,000 activities with 100,000 registrations: the
selector of the agenda's first page, and (once they exist) the agenda page, an activity's page
and the public feed through Django's test client, with query counts and p50/p95.

    python -m bench activities                                                  # SQLite
    python scripts/with_postgres.py .venv/bin/python -m bench activities        # PostgreSQL
    python -m bench activities --quick                                          # 2,000

The data are built in a throw-away database. A handful of activities go through the services
(so the data have the services' shape: audit rows, a seat and a waiting list); the bulk is
written with ``bulk_create``, because through the services each activity and each
registration is its own locked, audited transaction with a version bump: 120,000 of them would
take the better part of an hour, and the reads measured here do not depend on how the rows came
to be. The bulk honours the model's constraints (one organiser, the body of a body audience,
one open registration per person, seats within the capacity). Randomness is seeded.

Each measurement runs ``--rounds`` times after one warm-up; the first round's query count is
reported (it must not grow with the data: the tests hold it equal at 10 and 1,000 rows).
"""

from __future__ import annotations

import argparse
import datetime
import logging
import random
import time
from collections.abc import Callable

from bench.bench_national import Measurement
from bench.harness import throwaway_database

SEED = 20_261_206
ACTIVITIES = 20_000
REGISTRATIONS_PER_ACTIVITY = 5
PEOPLE = 3_000
MUNICIPALITIES = 60
BATCH = 2_000
PAGE = 25


def build(activities: int, rng: random.Random) -> dict:
    """The users to ask as, and an activity with registrations to open."""
    from django.utils import timezone

    from m50.accounts.models import Role
    from m50.accounts.services import user_create, user_person_set
    from m50.activities import services
    from m50.activities.models import (
        Activity,
        Audience,
        Invitation,
        Kind,
        Registration,
        RegistrationState,
    )
    from m50.contacts.models import Organisation, Person, Position
    from m50.membership.services import membership_listed_create
    from m50.municipalities.models import Municipality, Province
    from m50.pillars.models import Pillar, ThemeGroup
    from m50.pillars.services import participation_register

    province, _created = Province.objects.get_or_create(code="PV96", defaults={"name": "Bench"})
    municipalities = Municipality.objects.bulk_create(
        Municipality(code=f"GM{9000 + i}", name=f"Benchgemeente {i:03d}", province=province)
        for i in range(MUNICIPALITIES)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(
            kind=Organisation.Kind.MUNICIPALITY,
            municipality=m,
            name=f"Gemeente {m.name}",
            slug=f"bench-gemeente-{m.code.lower()}",
        )
        for m in municipalities
    )
    people = Person.objects.bulk_create(
        (Person(given_name="Bench", surname=f"Persoon {i:05d}") for i in range(PEOPLE)),
        batch_size=BATCH,
    )
    functions = [Position.Function.POLICY_ADVISOR] * 4 + [Position.Function.ALDERMAN]
    Position.objects.bulk_create(
        (
            Position(
                person=p,
                organisation=organisations[i % MUNICIPALITIES],
                function=functions[i % len(functions)],
                start_date=datetime.date(2022, 1, 1),
            )
            for i, p in enumerate(people)
        ),
        batch_size=BATCH,
    )
    bureau = user_create(username="bench-bureau", role=Role.BUREAU)
    participant = user_create(
        username="bench-deelnemer", role=Role.PARTICIPANT, municipality=municipalities[0]
    )
    user_person_set(user=participant, person=people[0])
    membership_listed_create(municipality=municipalities[0])
    pillars = list(Pillar.objects.all())
    groups = list(ThemeGroup.objects.all())
    participation_register(
        position=Position.objects.get(person=people[0]),
        pillar=pillars[0],
        start_date=datetime.date(2023, 1, 1),
    )

    # Through the services: the shape the bulk copies.
    now = timezone.now()
    shaped = services.activity_create(
        actor=bureau,
        kind=Kind.PILLAR_MEETING,
        title="Pijlerbijeenkomst (via de services)",
        starts_at=now + datetime.timedelta(days=3),
        ends_at=now + datetime.timedelta(days=3, hours=2),
        organiser=pillars[0],
        capacity=3,
    )
    for person in people[:6]:
        services.registration_create(activity=shaped, person=person, actor=bureau)

    audiences = (
        [Audience.MEMBERS] * 8
        + [Audience.PUBLIC] * 3
        + [Audience.BODY] * 5
        + [Audience.ADMINISTRATORS] * 2
        + [Audience.INVITATION] * 2
    )
    first = now - datetime.timedelta(days=4 * 365)
    rows = []
    for i in range(activities):
        audience = rng.choice(audiences)
        starts_at = first + datetime.timedelta(hours=rng.randrange(8 * 365 * 24))
        organiser = rng.random()
        body = rng.choice(pillars) if audience == Audience.BODY else None
        rows.append(
            Activity(
                kind=rng.choice(Kind.values),
                title=f"Activiteit {i:05d}",
                description="Een activiteit van de benchmark.",
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=rng.choice((1, 2, 3, 26))),
                organiser_pillar=rng.choice(pillars) if organiser < 0.4 else None,
                organiser_theme_group=(
                    rng.choice(groups) if groups and 0.4 <= organiser < 0.6 else None
                ),
                host_municipality=rng.choice(municipalities) if rng.random() < 0.3 else None,
                address="Raadhuisplein 1",
                audience=audience,
                audience_pillar=body,
                capacity=rng.choice((None, None, 20, 50, 100)),
                created_by=bureau,
            )
        )
    created = Activity.objects.bulk_create(rows, batch_size=BATCH)
    registrations, invitations = [], []
    for activity in created:
        attendees = rng.sample(people, REGISTRATIONS_PER_ACTIVITY)
        for n, person in enumerate(attendees):
            waiting = activity.capacity is not None and n >= activity.capacity
            registrations.append(
                Registration(
                    activity=activity,
                    person=person,
                    municipality=municipalities[person.pk % MUNICIPALITIES],
                    state=(
                        RegistrationState.WAITLISTED if waiting else RegistrationState.CONFIRMED
                    ),
                    registered_at=activity.starts_at - datetime.timedelta(days=10, minutes=n),
                )
            )
        if activity.audience == Audience.INVITATION:
            invitations += [Invitation(activity=activity, person=p) for p in attendees[:2]]
    Registration.objects.bulk_create(registrations, batch_size=BATCH)
    Invitation.objects.bulk_create(invitations, batch_size=BATCH)
    _analyze()
    return {"bureau": bureau, "participant": participant, "activity": shaped}


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(function: Callable[[], object], rounds: int) -> Measurement:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        outcome = function()
    measurement = Measurement(
        queries=len(queries), status=outcome if isinstance(outcome, int) else 0, bytes=0
    )
    for _round in range(rounds):
        started = time.perf_counter()
        function()
        measurement.samples_ms.append((time.perf_counter() - started) * 1000)
    return measurement


def scenarios(data: dict) -> list[tuple[str, Callable[[], object]]]:
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from m50.activities import selectors

    found: list[tuple[str, Callable[[], object]]] = []
    for label, user in (
        ("bureau", data["bureau"]),
        ("deelnemer", data["participant"]),
        ("anoniem", AnonymousUser()),
    ):

        def first_page(user=user):
            page = selectors.with_registration_counts(selectors.activity_list(user=user))
            return len(list(page[:PAGE]))

        found.append((f"selectors.activity_list, first page ({label})", first_page))

    clients = {"anoniem": Client()}
    for label in ("bureau", "deelnemer"):
        client = Client()
        client.force_login(data["bureau" if label == "bureau" else "participant"])
        clients[label] = client
    pages = [
        ("activities:agenda", {}, ("bureau", "deelnemer", "anoniem")),
        ("activities:detail", {"pk": data["activity"].pk}, ("bureau", "deelnemer")),
        ("activities:feed_public", {}, ("anoniem",)),
    ]
    for name, kwargs, roles in pages:
        try:
            path = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            print(f"{name}: no such page yet; not measured")
            continue
        for label in roles:

            def get(client=clients[label], path=path):
                response = client.get(path)
                if getattr(response, "streaming", False):
                    b"".join(response.streaming_content)
                return response.status_code

            found.append((f"GET {path} ({label})", get))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench activities", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2,000 activities, 10 rounds")
    parser.add_argument("--rounds", type=int, default=None)
    options = parser.parse_args(argv)
    activities = ACTIVITIES // 10 if options.quick else ACTIVITIES
    rounds = options.rounds or (10 if options.quick else 30)
    with throwaway_database("m50-bench-activities-"):
        from django.conf import settings
        from django.test.utils import override_settings

        with override_settings(
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ):
            # The bench's people have no address: the mails of the services' part are skipped.
            logging.getLogger("m50.activities.notifications").setLevel(logging.WARNING)
            started = time.perf_counter()
            data = build(activities, random.Random(SEED))
            print(
                f"Built {activities:,} activities with "
                f"{activities * REGISTRATIONS_PER_ACTIVITY:,} registrations in "
                f"{time.perf_counter() - started:.1f} s"
            )
            print(f"{'scenario':<64} {'status':>6} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}")
            print("-" * 97)
            for name, function in scenarios(data):
                result = timed(function, rounds)
                status = result.status if name.startswith("GET") else ""
                print(
                    f"{name:<64} {status!s:>6} {result.queries:>7} "
                    f"{result.quantile(0.5):>8.1f} {result.quantile(0.95):>8.1f}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
