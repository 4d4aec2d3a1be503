"""Sending invoices and payment reminders by e-mail.

An invoice (or credit note) goes to the invoice address on the invoice, the debtor's e-mail as
it was on the invoice date; without one, to the municipality's member contacts. The PDF and the
UBL e-invoice are attached. The mail is sent inside the transaction that records the invoice as
sent, so a mail server that refuses leaves the invoice as it was. An invoice that another
request sent after this one read it is not mailed again (:class:`InvoiceAlreadySent`).

Payment reminders: an overdue invoice gets one reminder per round (the first the day after the
due date, the next ``M50_PAYMENT_REMINDER_DAYS`` later). Each reminder is recorded (unique per
invoice and round) in the same transaction as it is sent, so running the command twice a day,
or after a missed day, sends each reminder once, and only the latest round that is due.

A mail server that fails stops one invoice or reminder, not the batch it is part of: the rest
go out, and the one that failed is reported with the reason (:func:`send_failure`).
"""

from __future__ import annotations

import datetime
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from m50.accounts.models import Role, User
from m50.core.formats import long_date
from m50.core.versions import FINANCE, data_version_bump
from m50.finance import selectors, services
from m50.finance.models import Invoice, PaymentReminder

# Days after the due date on which each reminder round starts: round 1 the day after the due
# date, round 2 thirty days later.
PDF_CONTENT_TYPE = "application/pdf"
UBL_CONTENT_TYPE = "application/xml"


def reminder_days() -> tuple[int, ...]:
    return tuple(sorted(int(d) for d in settings.M50_PAYMENT_REMINDER_DAYS))


def _contact_emails(municipality_ids) -> dict[int, list[str]]:
    emails: dict[int, list[str]] = {}
    rows = (
        User.objects.filter(
            role=Role.MEMBER_CONTACT, municipality_id__in=municipality_ids, is_active=True
        )
        .exclude(email="")
        .order_by("email")
        .values_list("municipality_id", "email")
    )
    for municipality_id, email in rows:
        emails.setdefault(municipality_id, []).append(email)
    return emails


def invoice_recipients(invoice: Invoice) -> list[str]:
    """The debtor's e-mail on the invoice, else the municipality's member contacts."""
    if invoice.debtor_email.strip():
        return [invoice.debtor_email.strip()]
    municipality_id = invoice.membership.municipality_id
    return _contact_emails([municipality_id]).get(municipality_id, [])


def invoice_attachments(invoice: Invoice) -> list[tuple[str, bytes, str]]:
    """(file name, content, type) of the PDF and the UBL e-invoice; a Dutch ValidationError
    when the invoice cannot be an e-invoice."""
    from m50.finance.pdf import invoice_pdf
    from m50.finance.ubl import UblError, invoice_ubl

    try:
        ubl = invoice_ubl(invoice)
    except UblError as error:
        raise ValidationError(
            _("Geen e-factuur mogelijk voor %(number)s: %(problems)s")
            % {"number": invoice.number, "problems": " ".join(error.messages)}
        ) from error
    stem = ("creditnota" if invoice.kind == Invoice.Kind.CREDIT_NOTE else "factuur") + (
        f"-{invoice.number}"
    )
    return [
        (f"{stem}.pdf", invoice_pdf(invoice), PDF_CONTENT_TYPE),
        (f"{stem}.xml", ubl, UBL_CONTENT_TYPE),
    ]


def _render(name: str, context: dict) -> tuple[str, str]:
    with translation.override("nl"):
        subject = render_to_string(f"finance/email/{name}_subject.txt", context)
        body = render_to_string(f"finance/email/{name}.txt", context)
    return " ".join(subject.split()), body


# What can go wrong with one invoice or reminder while sending it, and must not stop the others:
# the mail server (refused, unreachable, timed out; smtplib's errors are OSErrors too) and a
# draft withdrawn after the batch read it.
SEND_ERRORS = (smtplib.SMTPException, OSError, Invoice.DoesNotExist)


def send_failure(error: Exception) -> str:
    """Why an invoice or reminder did not go out, in Dutch (one of ``SEND_ERRORS``)."""
    if isinstance(error, Invoice.DoesNotExist):
        return _("Het concept is intussen ingetrokken; er is niets verstuurd.")
    return _(
        "Het versturen is mislukt: de mailserver weigerde of was niet bereikbaar (%(error)s). "
        "Er is niets verstuurd of vastgelegd; probeer het later opnieuw."
    ) % {"error": str(error) or error.__class__.__name__}


class InvoiceAlreadySent(ValidationError):
    """The invoice was sent by another request after the caller read it (a double click, two
    bureau users at once): it is not mailed again."""


def invoice_label(invoice: Invoice) -> str:
    """How a message names the invoice: its number, or the draft's municipality and year."""
    if invoice.number:
        return invoice.number
    return _("het concept voor %(name)s (contributie %(year)d)") % {
        "name": invoice.membership.municipality.name,
        "year": invoice.fee_year,
    }


def invoice_send(
    *, invoice: Invoice, issue_date: datetime.date | None = None, actor=None
) -> Invoice:
    """E-mails the invoice (or credit note) with its PDF and UBL, and records it as sent. A
    draft is made final in the same transaction: dated ``issue_date`` (else its own date),
    with the current invoice details and the next number; nothing of that stays when the
    send fails.

    Refuses, with a Dutch ValidationError and nothing sent or changed, a credited invoice, an
    invoice without an address to send it to, and one that cannot be an e-invoice.
    """
    label = invoice_label(invoice)
    if invoice.kind == Invoice.Kind.INVOICE and invoice.credited:
        raise ValidationError(
            _("Factuur %(number)s is gecrediteerd; verstuur de creditnota in plaats daarvan.")
            % {"number": label}
        )
    # The mail is sent inside this transaction, while the invoice row and (for a draft) the
    # year's InvoiceSequence are locked: a failed send then rolls the numbering back, so no
    # number is lost or left on an invoice nobody received. EMAIL_TIMEOUT (M50_EMAIL_TIMEOUT)
    # bounds how long a slow mail server holds those locks. Not covered: a server that takes
    # the mail but times out before confirming it, or a commit that fails after the send,
    # rolls back the number of a mailed invoice (closing that would take an outbox).
    with transaction.atomic():
        # Recipients and attachments are those of the final invoice (number, details).
        final = services.invoice_finalise(invoice=invoice, issue_date=issue_date, actor=actor)
        # Locked now: sent since the caller read it means another request mailed it already.
        if final.state == Invoice.State.SENT and final.sent_at != invoice.sent_at:
            raise InvoiceAlreadySent(
                _(
                    "%(number)s is intussen al verstuurd, op %(date)s aan %(to)s; er is niets "
                    "opnieuw verstuurd."
                )
                % {
                    "number": final.number,
                    "date": long_date(timezone.localtime(final.sent_at)),
                    "to": final.sent_to,
                }
            )
        recipients = invoice_recipients(final)
        problems = []  # all of them at once, so the bureau can fix them in one go
        if not recipients:
            problems.append(
                _(
                    "Er is geen e-mailadres om %(number)s naar te versturen: de factuur heeft "
                    "geen e-mailadres van de debiteur en de gemeente heeft geen contactpersoon "
                    "met een e-mailadres."
                )
                % {"number": label}
            )
        try:
            attachments = invoice_attachments(final)
        except ValidationError as error:
            # A draft's number goes back with the transaction: name it as before.
            problems += [message.replace(final.number, label) for message in error.messages]
        if problems:
            raise ValidationError(problems)
        sent = services.invoice_mark_sent(invoice=final, recipients=recipients, actor=actor)
        subject, body = _render(
            "invoice",
            {
                "invoice": sent,
                "credit_note": sent.kind == Invoice.Kind.CREDIT_NOTE,
                "seller": settings.M50_SELLER,
            },
        )
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        for attachment in attachments:
            message.attach(*attachment)
        message.send()
    return sent


@dataclass
class SendReport:
    """What a send of all drafts did: the invoices that went out, and those that could not,
    each with the reasons."""

    sent: list[Invoice]
    refused: list[tuple[Invoice, list[str]]]
    # Sent by another request after this one read its drafts: not mailed again.
    already_sent: list[Invoice] = field(default_factory=list)
    # Not sent for a reason outside the invoice (see ``send_failure``): try again later.
    failed: list[tuple[Invoice, str]] = field(default_factory=list)

    @property
    def not_sent_count(self) -> int:
        return len(self.refused) + len(self.failed)


def unsent_drafts(*, year: int) -> list[Invoice]:
    """The invoices of contribution year ``year`` still to be sent, by municipality name."""
    return list(
        selectors.invoice_queryset()
        # Also an unsent invoice numbered before drafts had none: it keeps its number.
        .filter(kind=Invoice.Kind.INVOICE, fee_year=year, credited=False, state=Invoice.State.DRAFT)
        .order_by("membership__municipality__name", "pk")
    )


def invoices_send_all(
    *, year: int, issue_date: datetime.date | None = None, actor=None
) -> SendReport:
    """Sends every unsent invoice for contribution year ``year``, each in its own transaction:
    one that cannot go out (no address, no e-mail, incomplete details) stays a draft without
    a number, and the others are sent all the same; so do those the mail server fails on. One
    that another request sent meanwhile (a double submit) is reported, not mailed again."""
    if issue_date is not None:
        services.invoice_date_check(issue_date)  # once, not refused for every draft
    report = SendReport([], [])
    for draft in unsent_drafts(year=year):
        try:
            report.sent.append(invoice_send(invoice=draft, issue_date=issue_date, actor=actor))
        except InvoiceAlreadySent:
            report.already_sent.append(selectors.invoice_queryset().get(pk=draft.pk))
        except ValidationError as error:
            report.refused.append((draft, error.messages))
        except SEND_ERRORS as error:
            report.failed.append((draft, send_failure(error)))
    return report


@dataclass(frozen=True)
class SentReminder:
    number: str
    municipality: str
    round: int
    recipients: tuple[str, ...]


def overdue_queryset(*, today: datetime.date) -> QuerySet[Invoice]:
    """Invoices overdue on ``today`` (see :func:`selectors.invoice_status`), oldest first:
    filtered in the database on the stored paid amount."""
    return (
        selectors.invoice_queryset()
        .filter(
            selectors.invoice_status_q(selectors.Status.OVERDUE, today),
            kind=Invoice.Kind.INVOICE,
            number__isnull=False,
        )
        .order_by("due_date", "year", "sequence", "pk")
    )


def overdue_invoices(*, today: datetime.date) -> list[Invoice]:
    return list(overdue_queryset(today=today))


def _due_round_expression(today: datetime.date) -> Case:
    """:func:`due_round` as an expression: round n is due once the invoice is more than the
    n-th reminder period late."""
    days = reminder_days()
    return Case(
        *(
            When(due_date__lt=today - datetime.timedelta(days=start), then=Value(number))
            for number, start in reversed(list(enumerate(days, start=1)))
        ),
        default=Value(0),
        output_field=IntegerField(),
    )


def reminders_due_count(*, today: datetime.date) -> int:
    """How many reminders :func:`payment_reminders_send` would send on ``today`` (the rows of
    the reminders page that are ``due``), counted in the database in one query."""
    latest_sent = (
        PaymentReminder.objects.filter(invoice=OuterRef("pk")).order_by("-round").values("round")
    )
    contact = User.objects.filter(
        role=Role.MEMBER_CONTACT,
        is_active=True,
        municipality=OuterRef("membership__municipality"),
    ).exclude(email="")
    return (
        overdue_queryset(today=today)
        .annotate(
            due_round=_due_round_expression(today),
            latest_round=Coalesce(Subquery(latest_sent[:1]), Value(0)),
        )
        .filter(Q(due_round__gt=0) & Q(due_round__gt=F("latest_round")))
        .filter(~Q(debtor_email__regex=r"^\s*$") | Exists(contact))
        .count()
    )


@dataclass(frozen=True)
class ReminderRow:
    """An overdue invoice on the reminders page: what was sent and what is due today."""

    invoice: Invoice
    reminders: tuple[PaymentReminder, ...]
    round: int  # the latest round due today
    recipients: tuple[str, ...]

    @property
    def due(self) -> bool:
        """Whether a reminder of this round is still to be sent (and can be)."""
        return (
            self.round > 0
            and bool(self.recipients)
            and all(r.round < self.round for r in self.reminders)
        )

    @property
    def unaddressed(self) -> bool:
        return not self.recipients


def reminder_rows(*, invoices: list[Invoice], today: datetime.date) -> list[ReminderRow]:
    """``invoices`` (overdue ones, e.g. a page of them) with their reminders and the round
    due on ``today``: two queries, for a page of any size."""
    sent: dict[int, list[PaymentReminder]] = {}
    for reminder in PaymentReminder.objects.filter(invoice__in=invoices).order_by("round"):
        sent.setdefault(reminder.invoice_id, []).append(reminder)
    contacts = _contact_emails({invoice.membership.municipality_id for invoice in invoices})
    return [
        ReminderRow(
            invoice,
            tuple(sent.get(invoice.pk, ())),
            due_round(invoice, today),
            tuple(
                [invoice.debtor_email.strip()]
                if invoice.debtor_email.strip()
                else contacts.get(invoice.membership.municipality_id, [])
            ),
        )
        for invoice in invoices
    ]


def due_round(invoice: Invoice, today: datetime.date) -> int:
    """The latest reminder round due on ``today`` (1, 2, ...); 0 before the due date passed."""
    days_late = (today - invoice.due_date).days
    return sum(1 for start in reminder_days() if days_late > start)


def payment_reminders_send(
    *,
    today: datetime.date | None = None,
    unaddressed: list[str] | None = None,
    failed: list[tuple[str, str]] | None = None,
) -> list[SentReminder]:
    """Sends the reminders due on ``today``; returns them. The numbers of overdue invoices
    that have no address to send a reminder to are added to ``unaddressed`` when given; those
    the mail server failed on, with the reason, to ``failed`` (not recorded: the next run
    sends them)."""
    today = today or timezone.localdate()
    invoices = overdue_invoices(today=today)
    sent_rounds: dict[int, set[int]] = {}
    # The same selection as a join, not a list of ids: no limit on the number of invoices.
    for invoice_id, number in PaymentReminder.objects.filter(
        invoice__kind=Invoice.Kind.INVOICE, invoice__credited=False, invoice__due_date__lt=today
    ).values_list("invoice_id", "round"):
        sent_rounds.setdefault(invoice_id, set()).add(number)
    contacts = _contact_emails({invoice.membership.municipality_id for invoice in invoices})
    sent: list[SentReminder] = []
    for invoice in invoices:
        round_number = due_round(invoice, today)
        if round_number == 0 or any(r >= round_number for r in sent_rounds.get(invoice.pk, ())):
            continue
        recipients = (
            [invoice.debtor_email.strip()]
            if invoice.debtor_email.strip()
            else contacts.get(invoice.membership.municipality_id, [])
        )
        if not recipients:
            if unaddressed is not None:
                unaddressed.append(invoice.number)
            continue
        subject, body = _render(
            "payment_reminder",
            {
                "invoice": invoice,
                "round": round_number,
                "open_amount": selectors.open_amount(invoice),
                "days_late": (today - invoice.due_date).days,
                "seller": settings.M50_SELLER,
            },
        )
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        try:
            with transaction.atomic():
                PaymentReminder.objects.create(
                    invoice=invoice,
                    round=round_number,
                    sent_on=today,
                    sent_to=", ".join(recipients)[:300],
                )
                data_version_bump(names=[FINANCE])
                message.send()
        except IntegrityError:
            continue  # another run sent it a moment ago
        except SEND_ERRORS as error:
            if failed is not None:
                failed.append((invoice.number, send_failure(error)))
            continue
        sent.append(
            SentReminder(
                invoice.number,
                invoice.membership.municipality.name,
                round_number,
                tuple(recipients),
            )
        )
    return sent
