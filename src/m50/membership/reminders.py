"""Reminders of a mandate's deadline to the municipality's contact, 60, 30 and 7 days before.

Idempotent: a reminder is recorded (unique per decision and threshold) in the same
transaction as it is sent, so running the command twice a day, or after a missed day, sends
each reminder once, and only the most urgent one that is due.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from m50.accounts.models import Role, User
from m50.membership import selectors
from m50.membership.models import Decision, ReminderSent, body_phrase


@dataclass(frozen=True)
class SentReminder:
    municipality: str
    days_before: int
    days_left: int
    recipients: tuple[str, ...]


def _recipients(municipality) -> list[str]:
    return sorted(
        User.objects.filter(role=Role.MEMBER_CONTACT, municipality=municipality, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def mandate_reminders_send(*, today: datetime.date) -> list[SentReminder]:
    thresholds = sorted(settings.M50_MANDATE_REMINDER_DAYS)
    sent: list[SentReminder] = []
    for row in list(selectors.deadline_rows(today=today)):
        summary = row.summary
        if summary.mandate_expired:
            continue
        due = [t for t in thresholds if summary.days_left <= t]
        if not due:
            continue
        threshold = due[0]  # the most urgent one that applies
        decision = Decision.objects.get(pk=summary.mandate.fact_id)
        already = set(decision.reminders.values_list("days_before", flat=True))
        if any(earlier <= threshold for earlier in already):
            continue
        recipients = _recipients(row.municipality)
        if not recipients:
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    decision=decision, days_before=threshold, recipients=", ".join(recipients)
                )
                _send(row, decision, summary, recipients)
        except IntegrityError:
            continue  # another run sent it a moment ago
        sent.append(
            SentReminder(row.municipality.name, threshold, summary.days_left, tuple(recipients))
        )
    return sent


def _send(row, decision, summary, recipients) -> None:
    url = settings.M50_SITE_URL.rstrip("/") + reverse(
        "municipalities:detail", kwargs={"code": row.municipality.code}
    )
    with translation.override("nl"):
        context = {
            "municipality": row.municipality,
            "days_left": summary.days_left,
            "deadline": summary.mandate.deadline,
            "body": body_phrase(summary.mandate.body),
            "decision": decision,
            "url": url,
        }
        subject = render_to_string("membership/email/mandate_reminder_subject.txt", context)
        body = render_to_string("membership/email/mandate_reminder.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, recipients)
