"""Reminders before an activity (``m50 send-activity-reminders``, run every hour from cron).

For each day count in ``settings.M50_ACTIVITY_REMINDER_DAYS`` (e.g. 7 and 1) a reminder is due
from that many days before the start until the start. Each seat of a scheduled activity gets
only its latest due reminder, and only one whose moment came after the person got the seat:
who registers three days ahead gets no "one week ahead" reminder, and a run after a pause sends
one reminder, not a backlog. ``ReminderSent`` (unique per registration and day count) makes each
reminder go once, also when two runs overlap; the record and the mail are one transaction, so
a mail server that fails leaves nothing recorded and the next run tries again.
"""

from __future__ import annotations

import datetime
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from m50.activities import notifications
from m50.activities.models import Registration, RegistrationState, ReminderSent, Status

DAY = datetime.timedelta(days=1)
SEND_ERRORS = (smtplib.SMTPException, OSError)


@dataclass(frozen=True)
class Reminder:
    registration_id: int
    person: str
    activity: str
    starts_at: datetime.datetime
    days_before: int
    address: str


@dataclass
class ReminderReport:
    sent: list[Reminder]
    # Due, but the person has no e-mail address (their names).
    unaddressed: list[str]
    # The mail server refused or was unreachable: (name, reason); the next run tries again.
    failed: list[tuple[str, str]]


def reminder_days() -> list[int]:
    """The configured day counts, largest first (positive only: a reminder comes before)."""
    return sorted({int(d) for d in settings.M50_ACTIVITY_REMINDER_DAYS if int(d) > 0}, reverse=True)


def due_days(
    *, starts_at: datetime.datetime, seated_at: datetime.datetime, now: datetime.datetime, days
) -> int | None:
    """The latest reminder due at ``now`` (its day count), or None: its moment has come, the
    activity has not begun, and the person had their seat before that moment."""
    if now >= starts_at:
        return None
    due = [d for d in days if starts_at - d * DAY <= now and seated_at < starts_at - d * DAY]
    return min(due) if due else None


def reminders_due(*, now: datetime.datetime | None = None) -> list[tuple[Registration, int]]:
    """The registrations owed a reminder at ``now``, with its day count; three queries."""
    now = now or timezone.now()
    days = reminder_days()
    if not days:
        return []
    candidates = list(
        Registration.objects.filter(
            state=RegistrationState.CONFIRMED,
            activity__status=Status.SCHEDULED,
            activity__starts_at__gt=now,
            activity__starts_at__lte=now + max(days) * DAY,
        )
        .annotate(seated_at=Coalesce(F("promoted_at"), F("registered_at")))
        .select_related("activity__host_municipality", "person__user")
        .order_by("activity__starts_at", "pk")
    )
    sent = set(
        ReminderSent.objects.filter(registration__in=[r.pk for r in candidates]).values_list(
            "registration_id", "days_before"
        )
    )
    due = []
    for registration in candidates:
        days_before = due_days(
            starts_at=registration.activity.starts_at,
            seated_at=registration.seated_at,
            now=now,
            days=days,
        )
        if days_before is not None and (registration.pk, days_before) not in sent:
            due.append((registration, days_before))
    return due


def reminders_send(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> ReminderReport:
    """Sends the reminders due at ``now`` (see the module); ``dry_run``: says what it would
    send, and sends and records nothing."""
    now = now or timezone.now()
    report = ReminderReport(sent=[], unaddressed=[], failed=[])
    for registration, days_before in reminders_due(now=now):
        person = registration.person
        address = notifications.address_of(person)
        if not address:
            report.unaddressed.append(person.full_name)
            continue
        reminder = Reminder(
            registration.pk,
            person.full_name,
            registration.activity.title,
            registration.activity.starts_at,
            days_before,
            address,
        )
        if dry_run:
            report.sent.append(reminder)
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    registration=registration, days_before=days_before, sent_at=now
                )
                message = notifications.reminder_message(registration=registration)
                if message is not None:
                    message.send()
        except IntegrityError:
            continue  # another run sent it a moment ago
        except SEND_ERRORS as error:
            report.failed.append((person.full_name, str(error) or error.__class__.__name__))
            continue
        report.sent.append(reminder)
    return report


def reminders_rearm(*, activity, now: datetime.datetime | None = None) -> int:
    """After a new start: forgets the reminders whose moment for the new start is still ahead,
    so they go out again at the right time. Called by ``activity_update``."""
    now = now or timezone.now()
    ahead = [d for d in reminder_days() if activity.starts_at - d * DAY > now]
    if not ahead:
        return 0
    deleted, _ = ReminderSent.objects.filter(
        registration__activity=activity, days_before__in=ahead
    ).delete()
    return deleted
