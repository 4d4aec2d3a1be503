"""Reads of invoices and payments, with their derived status."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Trim
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from m50.accounts.models import Role, User
from m50.core.derived import Difference
from m50.core.versions import FINANCE, MEMBERS, REGISTRY, VersionedFigures
from m50.finance import rules
from m50.finance.models import Invoice
from m50.membership import rules as membership_rules
from m50.membership.models import Membership, StatusPeriod


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


#: What the finance figures and lists read: the finance data, the memberships (who owes) and
#: the registry (the names shown and filtered on).
FIGURES_DATA = (FINANCE, MEMBERS, REGISTRY)


def figures() -> VersionedFigures:
    """Counts and totals over the finance data, kept per version of everything they read."""
    return VersionedFigures(FIGURES_DATA)


def invoice_queryset() -> QuerySet[Invoice]:
    """Invoices with their municipality and ``paid``: the stored sum of their payments."""
    return Invoice.objects.select_related("membership__municipality", "credits").annotate(
        paid=F("paid_amount")
    )


def invoice_status_q(status: str, today: datetime.date) -> Q:
    """The rows of one status, as :func:`invoice_status` decides it, as a filter the database
    applies to the stored paid amount (the tests check the two agree on every status)."""
    unpaid = open_condition()
    late = Q(due_date__lt=today)
    return {
        Status.CREDIT_NOTE: Q(kind=Invoice.Kind.CREDIT_NOTE),
        Status.CREDITED: Q(kind=Invoice.Kind.INVOICE, credited=True),
        Status.PAID: Q(kind=Invoice.Kind.INVOICE, credited=False, paid_amount__gte=F("total")),
        Status.OVERDUE: unpaid & late & (Q(paid_amount__gt=0) | Q(state=Invoice.State.SENT)),
        Status.PARTLY_PAID: unpaid & ~late & Q(paid_amount__gt=0),
        Status.DRAFT: unpaid & Q(paid_amount=0, state=Invoice.State.DRAFT),
        Status.SENT: unpaid & ~late & Q(paid_amount=0, state=Invoice.State.SENT),
    }[status]


def open_condition() -> Q:
    """An invoice with something left to pay."""
    return Q(kind=Invoice.Kind.INVOICE, credited=False, total__gt=F("paid_amount"))


def paid_differences() -> Iterator[Difference]:
    """Every invoice whose stored paid amount is not the sum of its payments: one aggregate
    query over all invoices, streamed (the ``finance.invoice_paid`` projection's check)."""
    rows = (
        Invoice.objects.order_by("pk")
        .annotate(computed=Sum("payments__amount"))
        .values_list("pk", "number", "paid_amount", "computed")
    )
    for pk, number, stored, computed in rows.iterator(chunk_size=2000):
        computed = (computed or ZERO).quantize(ZERO)  # SQLite sums without decimal places
        if stored != computed:
            yield Difference(
                projection=PAID_PROJECTION,
                key=f"factuur {number}" if number else f"concept #{pk}",
                stored=str(stored),
                computed=str(computed),
            )


PAID_PROJECTION = "finance.invoice_paid"
ZERO = Decimal("0.00")


def invoice_status(invoice: Invoice, today: datetime.date | None = None) -> str:
    """The status of an invoice: from ``paid`` when annotated (see :func:`invoice_queryset`),
    else from its stored ``paid_amount``."""
    today = today or timezone.localdate()
    if invoice.kind == Invoice.Kind.CREDIT_NOTE:
        return Status.CREDIT_NOTE
    if invoice.credited:
        return Status.CREDITED
    paid = getattr(invoice, "paid", invoice.paid_amount)
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
    return max(invoice.total - getattr(invoice, "paid", invoice.paid_amount), Decimal("0.00"))


def invoice_by_number(*, number: str) -> Invoice | None:
    if not number:  # a draft has no number; None would find every draft
        return None
    return invoice_queryset().filter(number=number).first()


def invoices_for_year(*, year: int) -> QuerySet[Invoice]:
    return invoice_queryset().filter(fee_year=year).order_by("year", "sequence")


# --- Invoice details an e-invoice needs -------------------------------------------------------


@dataclass(frozen=True)
class MissingDetails:
    """A member whose invoice details are not enough for an e-invoice, and what is missing."""

    membership: Membership
    missing: tuple[str, ...]

    @property
    def municipality(self):
        return self.membership.municipality


def memberships_owing(*, year: int) -> list[tuple[Membership, dict[int, int]]]:
    """Every membership that is a definitive member on at least one day of ``year``, with its
    member days per year; each with its municipality and billing details. Read from the
    status-period projection: three queries, filtered in the database."""
    member = StatusPeriod.objects.filter(status=membership_rules.Status.MEMBER)
    memberships = (
        Membership.objects.filter(owing_condition(year))
        .select_related("municipality__billing")
        .prefetch_related(
            Prefetch("status_periods", queryset=member.order_by("start"), to_attr="member_periods")
        )
        .order_by("municipality__name", "pk")
    )
    owing = []
    for membership in memberships:
        listed_year = int(membership.listed_since[:4]) if membership.listed_since else None
        days = rules.member_days_in_periods(
            membership.member_periods, listed_from_year=listed_year, through_year=year
        )
        if days.get(year):
            owing.append((membership, days))
    return owing


def _digits(value: str, length: int) -> bool:
    return value.isdigit() and len(value) == length


def invoice_details_missing(municipality, billing, contact_emails) -> list[str]:
    """What an invoice to ``municipality`` would lack to be sent as an e-invoice: the UBL's
    debtor (name, full address, OIN or KvK number as its electronic address, see
    ``ubl.ubl_problems``) and an e-mail address to send it to (the invoice address, else a
    member contact's)."""
    name = billing.name if billing else "Gemeente"
    oin = (billing.oin if billing else municipality.oin).strip()
    kvk = (billing.kvk if billing else municipality.kvk).strip()
    missing = []
    if not name.strip():
        missing.append(gettext_now("naam"))
    for label, value in (
        (gettext_now("adres"), billing.address_line if billing else ""),
        (gettext_now("postcode"), billing.postal_code if billing else ""),
        (gettext_now("plaats"), billing.city if billing else ""),
    ):
        if not value.strip():
            missing.append(label)
    if not (_digits(oin, 20) or _digits(kvk, 8)):
        missing.append(gettext_now("OIN of KvK-nummer"))
    if not ((billing.email.strip() if billing else "") or contact_emails):
        missing.append(gettext_now("e-mailadres"))
    return missing


def members_missing_invoice_details(
    *, year: int | None = None, memberships: list[Membership] | None = None
) -> list[MissingDetails]:
    """The members whose invoice details are incomplete for an e-invoice, by name, with what
    is missing: of ``memberships`` when given (each with ``municipality`` and its billing
    details loaded), else of every membership that owes a contribution for ``year`` (this
    year by default). A fixed number of queries, whatever the number of members."""
    if memberships is None:
        year = year or timezone.localdate().year
        memberships = [membership for membership, _days in memberships_owing(year=year)]
    if not memberships:
        return []
    # A join, not a list of ids: no limit on the number of members.
    with_email = set(
        User.objects.filter(
            role=Role.MEMBER_CONTACT,
            is_active=True,
            municipality__membership__isnull=False,
        )
        .exclude(email="")
        .values_list("municipality_id", flat=True)
    )
    result = []
    for membership in memberships:
        municipality = membership.municipality
        missing = invoice_details_missing(
            municipality,
            getattr(municipality, "billing", None),
            municipality.pk in with_email,
        )
        if missing:
            result.append(MissingDetails(membership, tuple(missing)))
    return result


def owing_condition(year: int) -> Q:
    """Memberships that owe ``year``, as member_days_in_periods counts it: a period of
    definitive membership overlapping the year, or a listed member's period without a start
    whose list year is not after it. Correlated EXISTS, so the database answers it per
    membership from the periods' index, whatever it knows of the tables' sizes."""
    member = StatusPeriod.objects.filter(
        Q(end__isnull=True) | Q(end__gt=datetime.date(year, 1, 1)),
        membership=OuterRef("pk"),
        status=membership_rules.Status.MEMBER,
    )
    return Exists(member.filter(start__lt=datetime.date(year + 1, 1, 1))) | (
        Q(listed_since__gt="", listed_since__lt=str(year + 1))  # "2023-04" < "2024"
        & Exists(member.filter(start__isnull=True))
    )


def _blank(field: str) -> Q:
    return Q(**{f"{field}__regex": r"^\s*$"})


def members_missing_invoice_details_count(*, year: int) -> int:
    """How many :func:`members_missing_invoice_details` lists for ``year``, counted in the
    database in one query (the bureau's work queue shows it on every visit). The same rules,
    as a filter; a test holds the two equal."""
    billing = "municipality__billing"
    has_billing = Q(**{f"{billing}__isnull": False})
    oin = Case(When(has_billing, then=Trim(f"{billing}__oin")), default=Trim("municipality__oin"))
    kvk = Case(When(has_billing, then=Trim(f"{billing}__kvk")), default=Trim("municipality__kvk"))
    contact_email = Exists(
        User.objects.filter(
            role=Role.MEMBER_CONTACT, is_active=True, municipality=OuterRef("municipality")
        ).exclude(email="")
    )
    missing = (
        ~has_billing
        | _blank(f"{billing}__name")
        | _blank(f"{billing}__address_line")
        | _blank(f"{billing}__postal_code")
        | _blank(f"{billing}__city")
        | ~(Q(debtor_oin__regex=r"^[0-9]{20}$") | Q(debtor_kvk__regex=r"^[0-9]{8}$"))
        | (_blank(f"{billing}__email") & Q(has_contact_email=False))
    )
    return (
        Membership.objects.filter(owing_condition(year))
        .annotate(debtor_oin=oin, debtor_kvk=kvk, has_contact_email=contact_email)
        .filter(missing)
        .count()
    )


# --- Contributions per year (the bureau's dashboard, the network's year) ----------------------


@dataclass(frozen=True)
class ContributionYear:
    """What was invoiced for one contribution year (net: a credited invoice is left out, as
    in the finance overview), what was paid on it and what is still open."""

    year: int
    invoices: int
    invoiced: Decimal
    paid: Decimal
    open: Decimal


def contributions_by_year(*, year: int | None = None) -> list[ContributionYear]:
    """Per contribution year (only ``year`` when given), oldest first: one aggregate query
    over the invoices and their stored paid amounts."""
    money = DecimalField(max_digits=14, decimal_places=2)
    outstanding = Case(
        When(open_condition(), then=F("total") - F("paid_amount")),
        default=Value(ZERO),
        output_field=money,
    )
    invoices = Invoice.objects.filter(kind=Invoice.Kind.INVOICE, credited=False)
    if year is not None:
        invoices = invoices.filter(fee_year=year)
    rows = (
        invoices.values("fee_year")
        .annotate(
            count=Count("pk"),
            invoiced=Sum("total", output_field=money),
            paid=Sum("paid_amount", output_field=money),
            outstanding=Sum(outstanding, output_field=money),
        )
        .order_by("fee_year")
    )
    # SQLite sums without decimal places: every amount back to cents.
    return [
        ContributionYear(
            year=row["fee_year"],
            invoices=row["count"],
            invoiced=Decimal(str(row["invoiced"] or 0)).quantize(ZERO),
            paid=Decimal(str(row["paid"] or 0)).quantize(ZERO),
            open=Decimal(str(row["outstanding"] or 0)).quantize(ZERO),
        )
        for row in rows
    ]


def fee_schedule() -> list[tuple[int, Decimal]]:
    """The standard category's fee rows as ``(valid_from_year, amount)``: one query."""
    from m50.finance.models import DEFAULT_CATEGORY, Fee

    return list(
        Fee.objects.filter(category=DEFAULT_CATEGORY)
        .order_by("valid_from_year")
        .values_list("valid_from_year", "amount")
    )


def sent_invoices_of_membership(*, membership_id: int, until: datetime.date) -> QuerySet[Invoice]:
    """The membership's numbered invoices and credit notes dated up to ``until``: one query."""
    return Invoice.objects.filter(
        membership_id=membership_id, number__isnull=False, issue_date__lte=until
    ).order_by("issue_date", "year", "sequence")
