"""Reminders of a mandate's deadline to the municipality's contact, 60, 30 and 7 days before.

Idempotent: a reminder is recorded (unique per decision and threshold) in the same
transaction as it is sent, so running the command twice a day, or after a missed day, sends
each reminder once, and only the most urgent one that is due.

Each reminder carries the municipality's value report for the running aspirant period as a
PDF. A report that fails to render does not hold the reminder back: the mail goes without the
attachment, says where the report is on the site, and the log says why (a reminder about a
deadline matters more than its attachment, and retrying could run past the deadline).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from m50.accounts.models import Role, User
from m50.membership import selectors
from m50.membership.models import Decision, ReminderSent, body_phrase

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SentReminder:
    municipality: str
    days_before: int
    days_left: int
    recipients: tuple[str, ...]
    attachment: str | None = None


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
        # Rendered before the reminder's transaction: only for a reminder that is due, so the
        # run's queries grow per reminder sent, not per municipality looked at.
        attachment = _value_report(row.municipality, summary)
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    decision=decision, days_before=threshold, recipients=", ".join(recipients)
                )
                _send(row, decision, summary, recipients, attachment)
        except IntegrityError:
            continue  # another run sent it a moment ago
        sent.append(
            SentReminder(
                row.municipality.name,
                threshold,
                summary.days_left,
                tuple(recipients),
                attachment[0] if attachment else None,
            )
        )
    return sent


def _value_report(municipality, summary) -> tuple[str, bytes] | None:
    """(file name, PDF) of the value report for the running aspirant period, or None when it
    cannot be rendered (logged; the reminder goes without it)."""
    # Imported here, not at module level: reports imports membership (its selectors read the
    # dossier), so membership reaches reports only through its selectors' entry point, late.
    from m50.reports import selectors as reports

    start = summary.since
    end = summary.trial_end or summary.mandate.deadline
    try:
        # A savepoint: a database error while rendering leaves the run's transaction usable.
        with transaction.atomic():
            return reports.value_report_attachment(
                municipality_code=municipality.code, start=start, end=end
            )
    except Exception:
        logger.exception(
            "Waarderapport van %s niet gemaakt; de herinnering gaat zonder bijlage.",
            municipality.code,
        )
        return None


def _send(row, decision, summary, recipients, attachment) -> None:
    site = settings.M50_SITE_URL.rstrip("/")
    url = site + reverse("municipalities:detail", kwargs={"code": row.municipality.code})
    report_url = site + reverse("reports:value_report", kwargs={"code": row.municipality.code})
    with translation.override("nl"):
        context = {
            "municipality": row.municipality,
            "days_left": summary.days_left,
            "deadline": summary.mandate.deadline,
            "body": body_phrase(summary.mandate.body),
            "decision": decision,
            "url": url,
            "report_url": report_url,
            "attachment": attachment[0] if attachment else None,
        }
        subject = render_to_string("membership/email/mandate_reminder_subject.txt", context)
        body = render_to_string("membership/email/mandate_reminder.txt", context)
    message = EmailMessage(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, recipients)
    if attachment:
        message.attach(attachment[0], attachment[1], "application/pdf")
    message.send()
