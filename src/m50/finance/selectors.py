"""Reads of invoices and payments, with their derived status."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from m50.finance.models import Invoice


class Status:
    DRAFT = "draft"
    SENT = "sent"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    OVERDUE = "overdue"
    CREDITED = "credited"
    CREDIT_NOTE = "credit_note"

    LABELS = {
        DRAFT: _("concept"),
        SENT: _("verzonden"),
        PARTLY_PAID: _("deels betaald"),
        PAID: _("betaald"),
        OVERDUE: _("te laat"),
        CREDITED: _("gecrediteerd"),
        CREDIT_NOTE: _("creditnota"),
    }


def invoice_queryset() -> QuerySet[Invoice]:
    return Invoice.objects.select_related("membership__municipality", "credits").annotate(
        paid=Coalesce(Sum("payments__amount"), Value(Decimal("0.00")), output_field=DecimalField())
    )


def invoice_status(invoice: Invoice, today: datetime.date | None = None) -> str:
    """The status of an invoice annotated with ``paid`` (see :func:`invoice_queryset`)."""
    today = today or timezone.localdate()
    if invoice.kind == Invoice.Kind.CREDIT_NOTE:
        return Status.CREDIT_NOTE
    if invoice.credited:
        return Status.CREDITED
    paid = getattr(invoice, "paid", None)
    if paid is None:
        paid = invoice.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    if paid >= invoice.total:
        return Status.PAID
    if invoice.due_date < today and (paid > 0 or invoice.state == Invoice.State.SENT):
        return Status.OVERDUE
    if paid > 0:  # also a draft that was paid before it was sent
        return Status.PARTLY_PAID
    return Status.DRAFT if invoice.state == Invoice.State.DRAFT else Status.SENT


def open_amount(invoice: Invoice) -> Decimal:
    if invoice.kind == Invoice.Kind.CREDIT_NOTE or invoice.credited:
        return Decimal("0.00")
    return max(invoice.total - invoice.paid, Decimal("0.00"))


def invoice_by_number(*, number: str) -> Invoice | None:
    return invoice_queryset().filter(number=number).first()


def invoices_for_year(*, year: int) -> QuerySet[Invoice]:
    return invoice_queryset().filter(fee_year=year).order_by("year", "sequence")


def members_missing_invoice_details():
    """Aspirant and definitive members today whose invoice details cannot make an e-invoice:
    no details at all, or without name, address, postal code or city, or without both OIN and
    KvK number. A queryset of Municipality, by name."""
    from django.db.models import Q

    from m50.membership import rules as membership_rules
    from m50.membership.selectors import membership_rows
    from m50.municipalities.models import Municipality

    incomplete = (
        Q(billing__isnull=True)
        | Q(billing__name="")
        | Q(billing__address_line="")
        | Q(billing__postal_code="")
        | Q(billing__city="")
        | Q(billing__oin="", billing__kvk="")
    )
    candidates = set(
        Municipality.objects.filter(membership__isnull=False)
        .filter(incomplete)
        .values_list("pk", flat=True)
    )
    running = (membership_rules.Status.ASPIRANT, membership_rules.Status.MEMBER)
    ids = [
        row.municipality.pk
        for row in membership_rows(statuses=running)
        if row.municipality.pk in candidates
    ]
    return Municipality.objects.filter(pk__in=ids).order_by("name", "code")
