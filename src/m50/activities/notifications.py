"""E-mails about activities: a registration's state (a seat, the waiting list, moved up,
cancelled), an invitation, and changes and cancellations of an activity to everyone registered.

Sent after the transaction commits, so a refused or rolled-back write mails nobody, and a mail
server that is down does not undo the write (it is logged). Each mail is addressed to one person
and carries the activity's calendar entry (.ics) where it has one, so a calendar that took the
entry over updates or cancels it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from m50.activities.models import RegistrationState

logger = logging.getLogger(__name__)


def _url(path: str) -> str:
    return settings.M50_SITE_URL.rstrip("/") + path


def activity_url(activity) -> str:
    return _url(reverse("activities:detail", kwargs={"pk": activity.pk}))


def _when(activity) -> str:
    from m50.activities.services._common import long_span

    with translation.override("nl"):
        return long_span(activity)


def address_of(person) -> str:
    """The person's own address, else their account's."""
    if person.email:
        return person.email
    user = getattr(person, "user", None)
    return user.email if user is not None and user.is_active else ""


def _calendar_attachment(activity, *, cancel: bool = False, seat: bool = False, person=None):
    """The .ics a mail carries: for one receiver (``person``) it names them as attendee, and
    with ``seat`` it holds the online link."""
    from m50.activities import calendar

    attendee = address_of(person) if person is not None else ""
    return calendar.email_attachment(activity, cancel=cancel, seat=seat, attendee=attendee)


def _send(*, person, subject: str, template: str, context: dict, ics=None) -> None:
    address = address_of(person)
    if not address:
        logger.info("No address for %s; mail %r not sent", person.pk, template)
        return
    try:
        with translation.override("nl"):
            activity = context.get("activity")
            when = _when(activity) if activity is not None else ""
            body = render_to_string(template, {**context, "person": person, "when": when})
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        if ics is not None:
            message.attach(*ics)
        message.send()
    except Exception:  # the write stands; the page shows the state
        logger.exception("Sending %s to %s failed", template, address)


def _registration_mail(registration, template: str, subject: str, *, ics: bool) -> None:
    activity = registration.activity

    def send():
        context = {
            "activity": activity,
            "registration": registration,
            "activity_url": activity_url(activity),
        }
        with translation.override("nl"):
            text = subject % {"title": activity.title}
        _send(
            person=registration.person,
            subject=text,
            template=template,
            context=context,
            ics=_calendar_attachment(activity, seat=True, person=registration.person)
            if ics
            else None,
        )

    transaction.on_commit(send)


def registration_created(*, registration) -> None:
    confirmed = registration.state == "geplaatst"
    _registration_mail(
        registration,
        "activities/email/registration_created.txt",
        _("Aangemeld: %(title)s") if confirmed else _("Op de wachtlijst: %(title)s"),
        ics=confirmed,
    )


def registration_promoted(*, registration) -> None:
    _registration_mail(
        registration,
        "activities/email/registration_promoted.txt",
        _("U bent geplaatst: %(title)s"),
        ics=True,
    )


def registration_cancelled(*, registration) -> None:
    activity = registration.activity

    def send():
        with translation.override("nl"):
            subject = _("Afgemeld: %(title)s") % {"title": activity.title}
        _send(
            person=registration.person,
            subject=subject,
            template="activities/email/registration_cancelled.txt",
            context={"activity": activity, "activity_url": activity_url(activity)},
            ics=_calendar_attachment(activity, cancel=True, person=registration.person),
        )

    transaction.on_commit(send)


def _to_registered(activity, template: str, subject: str, *, cancel: bool, extra=None) -> None:
    """One mail per person registered (a seat or the waiting list)."""
    from m50.activities import selectors

    def send():
        with translation.override("nl"):
            text = subject % {"title": activity.title}
        for registration in selectors.open_registrations(activity=activity):
            seat = registration.state == RegistrationState.CONFIRMED
            # A calendar holds the entry only for a seat: the waiting list gets no entry to
            # update, and a cancellation removes whatever entry there is.
            ics = (
                _calendar_attachment(activity, cancel=True, person=registration.person)
                if cancel
                else _calendar_attachment(activity, seat=True, person=registration.person)
                if seat
                else None
            )
            _send(
                person=registration.person,
                subject=text,
                template=template,
                context={
                    "activity": activity,
                    "registration": registration,
                    "activity_url": activity_url(activity),
                    **(extra or {}),
                },
                ics=ics,
            )

    transaction.on_commit(send)


def activity_changed(*, activity, fields: list[str]) -> None:
    from m50.activities.models import Activity

    labels = [str(Activity._meta.get_field(name).verbose_name) for name in fields]
    _to_registered(
        activity,
        "activities/email/activity_changed.txt",
        _("Gewijzigd: %(title)s"),
        cancel=False,
        extra={"changed": labels},
    )


def activity_cancelled(*, activity) -> None:
    _to_registered(
        activity,
        "activities/email/activity_cancelled.txt",
        _("Geannuleerd: %(title)s"),
        cancel=True,
    )


def invited(*, invitation) -> None:
    activity = invitation.activity

    def send():
        with translation.override("nl"):
            subject = _("Uitnodiging: %(title)s") % {"title": activity.title}
        _send(
            person=invitation.person,
            subject=subject,
            template="activities/email/invited.txt",
            context={"activity": activity, "activity_url": activity_url(activity)},
        )

    transaction.on_commit(send)


def reminder_message(*, registration) -> EmailMessage | None:
    """The reminder before an activity, for a seat (None: the person has no address). Built,
    not sent: the reminders service sends it inside the transaction that records it, so a mail
    server that fails leaves it unrecorded and the next run tries again."""
    activity = registration.activity
    person = registration.person
    address = address_of(person)
    if not address:
        return None
    with translation.override("nl"):
        subject = _("Herinnering: %(title)s op %(date)s") % {
            "title": activity.title,
            "date": _when_date(activity),
        }
        body = render_to_string(
            "activities/email/reminder.txt",
            {
                "activity": activity,
                "registration": registration,
                "person": person,
                "activity_url": activity_url(activity),
                "when": _when(activity),
            },
        )
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    message.attach(*_calendar_attachment(activity, seat=True, person=person))
    return message


def _when_date(activity) -> str:
    from m50.activities.services._common import local_zone
    from m50.core.formats import long_date

    return long_date(activity.starts_at.astimezone(local_zone()).date())
