"""Builders for the tests of public affairs' own records (issue 12)."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError

from m50.core.models import AuditEvent, Theme
from m50.publicaffairs.models import (
    Committee,
    Fractie,
    MemberOfParliament,
    Motion,
    ParliamentActivity,
)

TODAY = datetime.date(2026, 12, 2)


def theme(slug: str) -> Theme:
    return Theme.objects.get(slug=slug)


def fractie(abbreviation: str, seats: int = 10) -> Fractie:
    return Fractie.objects.create(
        tk_id=uuid.uuid4(), name=f"Fractie {abbreviation}", abbreviation=abbreviation, seats=seats
    )


def mp(surname: str, fractie_: Fractie | None = None, municipality=None) -> MemberOfParliament:
    return MemberOfParliament.objects.create(
        tk_id=uuid.uuid4(),
        surname=surname,
        display_name=surname,
        fractie=fractie_,
        municipality=municipality,
    )


def committee(name: str) -> Committee:
    return Committee.objects.create(tk_id=uuid.uuid4(), name=name, abbreviation=name[:10])


def tk_motion(title: str, *, committee_=None, subject: str = "", date=TODAY) -> Motion:
    return Motion.objects.create(
        source=Motion.Source.TWEEDE_KAMER,
        tk_id=uuid.uuid4(),
        number=f"36{Motion.objects.count():04d}",
        title=title,
        subject=subject,
        committee=committee_,
        date=date,
    )


def activity(subject: str, *, date, committee_=None) -> ParliamentActivity:
    return ParliamentActivity.objects.create(
        tk_id=uuid.uuid4(), subject=subject, date=date, kind="Commissiedebat", committee=committee_
    )


def audit_count() -> int:
    return AuditEvent.objects.count()


def refused(call, **kwargs) -> ValidationError:
    """Calls ``call(**kwargs)``, which must refuse; returns the error."""
    try:
        call(**kwargs)
    except ValidationError as exc:
        return exc
    raise AssertionError(f"{call.__name__} did not refuse")


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def statistics_refresh() -> None:
    """After a bulk load, what autovacuum would do on a live PostgreSQL: fresh planner
    statistics for the public affairs tables that hold rows, so a query-count test does not
    run on the plan of a table seen empty.

    Only those: ANALYZE writes a table's row estimate in place, outside the test's transaction,
    so it outlives the rollback. An empty table analyzed here would be taken for empty by every
    later test that fills it, and planned with nested loops that run for minutes."""
    from django.apps import apps
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    models = apps.get_app_config("publicaffairs").get_models(include_auto_created=True)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted({model._meta.db_table for model in models}):
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")  # noqa: S608
            if cursor.fetchone()[0]:
                cursor.execute(f"ANALYZE {quote(table)}")
