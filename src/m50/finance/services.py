"""Every write on money: fees, billing details, invoice runs, drafts, credit notes and payments.

A run creates drafts: invoices without a number, which can be brought up to date with the
current invoice details or withdrawn. A draft gets its number when it is made final, in the
transaction that sends it (see ``sending.invoice_send``): from a per-year counter (the year of
the invoice date) that is locked until that transaction ends, so a send that fails returns
its number and the numbers of invoices that went out have no gaps. Credit notes are numbered
when they are made. Two runs at once are serialised on the same counter, so the second finds
nothing left to do.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from stdnum.nl import postcode as nl_postcode

from m50.core.audit import audit_record, diff
from m50.core.versions import FINANCE, changes
from m50.finance import rules, selectors
from m50.finance.exports import money_text
from m50.finance.models import (
    DEFAULT_CATEGORY,
    BillingDetails,
    Fee,
    Invoice,
    InvoiceSequence,
    Payment,
)
from m50.membership.models import Membership

ZERO = Decimal("0.00")


@changes(FINANCE)
def fee_set(
    *, valid_from_year: int, amount: Decimal, category: str = DEFAULT_CATEGORY, actor=None
) -> Fee:
    if category not in settings.M50_FEE_CATEGORIES:
        raise ValidationError(_("Onbekende contributiecategorie: %(c)s.") % {"c": category})
    amount = Decimal(amount)
    if amount < 0:
        raise ValidationError(_("Een contributie kan niet negatief zijn."))
    fee = Fee.objects.filter(category=category, valid_from_year=valid_from_year).first()
    before = {"amount": fee.amount} if fee else {}
    if fee is None:
        fee = Fee.objects.create(category=category, valid_from_year=valid_from_year, amount=amount)
    else:
        fee.amount = amount
        fee.save(update_fields=["amount"])
    audit_record(action="fee.set", obj=fee, actor=actor, changes=diff(before, {"amount": amount}))
    return fee


def fee_reference_load() -> bool:
    """EUR 5,000 a year from 2023; idempotent. True when it created the row."""
    _fee, created = Fee.objects.get_or_create(
        category=DEFAULT_CATEGORY, valid_from_year=2023, defaults={"amount": Decimal("5000.00")}
    )
    return created


BILLING_FIELDS = (
    "name",
    "address_line",
    "postal_code",
    "city",
    "oin",
    "kvk",
    "email",
    "contact_name",
    "purchase_order",
)


@changes(FINANCE)
def billing_details_update(*, municipality, actor=None, **values) -> BillingDetails:
    unknown = set(values) - set(BILLING_FIELDS)
    if unknown:
        raise ValidationError(_("Onbekende velden: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    details = BillingDetails.objects.filter(municipality=municipality).first()
    if details is None:
        details = BillingDetails(municipality=municipality, **_billing_defaults(municipality))
    before = {name: getattr(details, name) for name in BILLING_FIELDS}
    for name, value in values.items():
        setattr(details, name, value)
    _billing_normalise(details)
    details.full_clean(exclude=["municipality"])
    details.save()
    changes = diff(before, {name: getattr(details, name) for name in BILLING_FIELDS})
    if changes:
        audit_record(action="billing.update", obj=details, actor=actor, changes=changes)
    return details


def _billing_normalise(details: BillingDetails) -> None:
    """Identifiers as the e-invoice needs them: an OIN of 20 digits, a KvK number of 8, a
    Dutch postcode written ``1234 AB``. Every problem at once, by field; nothing is saved."""
    errors: dict[str, str] = {}
    for name in BILLING_FIELDS:
        setattr(details, name, (getattr(details, name) or "").strip())
    oin = "".join(details.oin.split())
    if oin and not (oin.isdigit() and len(oin) == 20):
        errors["oin"] = _("Een OIN bestaat uit 20 cijfers, bijvoorbeeld 00000001001997233000.")
    kvk = "".join(details.kvk.split())
    if kvk and not (kvk.isdigit() and len(kvk) == 8):
        errors["kvk"] = _("Een KvK-nummer bestaat uit 8 cijfers, bijvoorbeeld 34374815.")
    details.oin, details.kvk = oin, kvk
    if details.postal_code:
        try:
            details.postal_code = nl_postcode.validate(details.postal_code)
        except ValueError:
            errors["postal_code"] = _(
                "Vul een Nederlandse postcode in: vier cijfers en twee letters, bijvoorbeeld "
                "1111 AA."
            )
    if errors:
        raise ValidationError(errors)


def _billing_defaults(municipality) -> dict:
    # Stored on invoices: always Dutch, whatever language the user reads the platform in.
    with translation.override("nl"):
        return {
            "name": _("Gemeente %(name)s") % {"name": municipality.name},
            "oin": municipality.oin,
            "kvk": municipality.kvk,
        }


@dataclass(frozen=True)
class PlannedInvoice:
    membership: Membership
    fee_year: int
    amount: Decimal
    description: str


def _fees(category: str) -> list[tuple[int, Decimal]]:
    return list(Fee.objects.filter(category=category).values_list("valid_from_year", "amount"))


def invoice_run_preview(*, year: int) -> list[PlannedInvoice]:
    with translation.override("nl"):  # the descriptions end up on the invoices
        return _invoice_run_preview(year=year)


def _invoice_run_preview(*, year: int) -> list[PlannedInvoice]:
    """The invoices a run for ``year`` would create: memberships that owe that year and have
    no (uncredited) invoice for it yet. A fixed number of queries, whatever the size."""
    fees = _fees(DEFAULT_CATEGORY)
    fee = rules.fee_for(fees, year)
    if fee is None:
        return []
    invoiced = set(
        Invoice.objects.filter(
            kind=Invoice.Kind.INVOICE, fee_year=year, credited=False
        ).values_list("membership_id", flat=True)
    )
    plan = []
    for membership, days in selectors.memberships_owing(year=year):
        if membership.pk in invoiced:
            continue
        amount = rules.amount_owed(
            fee=fee,
            year=year,
            member_days=days[year],
            entry_year=min(days) == year,
            pro_rata=settings.M50_PRO_RATA_ENTRY_YEAR,
        )
        description = _("Contributie M50 %(year)d, %(name)s") % {
            "year": year,
            "name": membership.municipality.name,
        }
        plan.append(PlannedInvoice(membership, year, amount, description))
    return plan


def _vat(amount: Decimal) -> tuple[str, Decimal, Decimal]:
    rate = Decimal(settings.M50_VAT_RATE)
    vat = (amount * rate / 100).quantize(rules.CENT)
    return settings.M50_VAT_CATEGORY, rate, vat


def _debtor_snapshot(municipality, billing: BillingDetails | None) -> dict:
    values = {
        **_billing_defaults(municipality),
        "address_line": "",
        "postal_code": "",
        "city": "",
        "email": "",
        "contact_name": "",
        "purchase_order": "",
    }
    if billing is not None:
        values.update({name: getattr(billing, name) for name in BILLING_FIELDS})
    return {
        "debtor_name": values["name"],
        "debtor_address_line": values["address_line"],
        "debtor_postal_code": values["postal_code"],
        "debtor_city": values["city"],
        "debtor_oin": values["oin"],
        "debtor_kvk": values["kvk"],
        "debtor_contact": values["contact_name"],
        "debtor_email": values["email"],
        "purchase_order": values["purchase_order"],
    }


def invoice_date_check(issue_date: datetime.date) -> None:
    """An invoice date is not before the network's first invoices (``M50_FIRST_INVOICE_YEAR``)
    nor more than a year ahead: such a date is a typing error, and it would open a number
    series of its own year."""
    first = datetime.date(settings.M50_FIRST_INVOICE_YEAR, 1, 1)
    latest = timezone.localdate() + datetime.timedelta(days=366)
    if not first <= issue_date <= latest:
        raise ValidationError(
            {
                "issue_date": _(
                    "Kies een factuurdatum vanaf 1 januari %(first)d en hoogstens een jaar "
                    "vooruit; het factuurnummer volgt het jaar van deze datum."
                )
                % {"first": first.year}
            }
        )


def _lock_sequence(year: int) -> InvoiceSequence:
    InvoiceSequence.objects.get_or_create(year=year)
    return InvoiceSequence.objects.select_for_update().get(year=year)


def _number(sequence: InvoiceSequence) -> tuple[int, str]:
    sequence.last_number += 1
    return sequence.last_number, f"{sequence.year}-{sequence.last_number:04d}"


@changes(FINANCE)
def invoice_run(*, year: int, issue_date: datetime.date | None = None, actor=None) -> list[Invoice]:
    """Creates the year's invoices that do not exist yet, as drafts without a number, dated
    ``issue_date`` until they are sent; returns them (none on a rerun)."""
    issue_date = issue_date or timezone.localdate()
    sequence = _lock_sequence(issue_date.year)  # held until commit: runs queue here
    plan = invoice_run_preview(year=year)
    if not plan:
        return []
    invoice_date_check(issue_date)
    # One query, no list of ids: runs of 10,000 memberships stay within SQLite's limits.
    billing = {
        b.municipality_id: b
        for b in BillingDetails.objects.filter(municipality__membership__isnull=False)
    }
    due = issue_date + datetime.timedelta(days=settings.M50_INVOICE_DUE_DAYS)
    invoices = []
    for item in plan:
        category, rate, vat = _vat(item.amount)
        invoices.append(
            Invoice(
                membership=item.membership,
                fee_year=item.fee_year,
                issue_date=issue_date,
                due_date=due,
                amount=item.amount,
                vat_category=category,
                vat_rate=rate,
                vat_amount=vat,
                total=item.amount + vat,
                description=item.description,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                **_debtor_snapshot(
                    item.membership.municipality, billing.get(item.membership.municipality_id)
                ),
            )
        )
    # Reread by a join on the run's own rows (no list of ids): bulk_create does not return
    # primary keys on every database.
    before = Invoice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    Invoice.objects.bulk_create(invoices, batch_size=500)
    created = list(
        Invoice.objects.filter(
            pk__gt=before, number__isnull=True, fee_year=year, kind=Invoice.Kind.INVOICE
        )
        .select_related("membership__municipality")
        .order_by("membership__municipality__name", "pk")
    )
    audit_record(
        action="invoice.run",
        obj=sequence,
        actor=actor,
        changes={
            "drafts": {"old": None, "new": len(created)},
            "fee_year": {"old": None, "new": year},
            "issue_date": {"old": None, "new": issue_date.isoformat()},
        },
    )
    return created


@changes(FINANCE)
def invoice_credit(*, invoice: Invoice, reason: str, issue_date=None, actor=None) -> Invoice:
    """A credit note for the whole invoice; the invoice itself is never edited or deleted."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.kind != Invoice.Kind.INVOICE:
        raise ValidationError(_("Alleen een factuur kan worden gecrediteerd."))
    if invoice.number is None:
        raise ValidationError(
            _("Een concept is nog niet verstuurd en wordt niet gecrediteerd; trek het in.")
        )
    if invoice.credited:
        raise ValidationError(_("Deze factuur is al gecrediteerd."))
    if not reason.strip():
        raise ValidationError(_("Geef de reden van de creditering."))
    issue_date = issue_date or timezone.localdate()
    sequence = _lock_sequence(issue_date.year)
    number_in_year, number = _number(sequence)
    sequence.save(update_fields=["last_number"])
    snapshot = {
        f.name: getattr(invoice, f.name)
        for f in Invoice._meta.fields
        if f.name.startswith("debtor_") or f.name == "purchase_order"
    }
    with translation.override("nl"):  # stored on the credit note
        description = _("Creditering van factuur %(number)s: %(reason)s") % {
            "number": invoice.number,
            "reason": reason,
        }
    note = Invoice.objects.create(
        number=number,
        year=sequence.year,
        sequence=number_in_year,
        kind=Invoice.Kind.CREDIT_NOTE,
        membership=invoice.membership,
        fee_year=invoice.fee_year,
        credits=invoice,
        issue_date=issue_date,
        due_date=issue_date,
        amount=-invoice.amount,
        vat_category=invoice.vat_category,
        vat_rate=invoice.vat_rate,
        vat_amount=-invoice.vat_amount,
        total=-invoice.total,
        description=description,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **snapshot,
    )
    invoice.credited = True
    invoice.save(update_fields=["credited"])
    audit_record(
        action="invoice.credit",
        obj=invoice,
        actor=actor,
        changes={
            "credit_note": {"old": None, "new": note.number},
            "reason": {"old": None, "new": reason},
        },
    )
    return note


def _draft(invoice: Invoice) -> Invoice:
    """The draft, locked; refused when it has gone out (or was withdrawn) meanwhile."""
    draft = Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
    if draft is None:
        raise ValidationError(_("Dit concept bestaat niet meer; het is ingetrokken."))
    if draft.number is not None:
        raise ValidationError(
            _("Factuur %(number)s is al definitief; alleen een concept kan dat.")
            % {"number": draft.number}
        )
    return draft


SNAPSHOT_FIELDS = (
    "debtor_name",
    "debtor_address_line",
    "debtor_postal_code",
    "debtor_city",
    "debtor_oin",
    "debtor_kvk",
    "debtor_contact",
    "debtor_email",
    "purchase_order",
)


def _refresh(draft: Invoice) -> dict:
    """Copies the municipality's current invoice details onto the draft; returns the diff."""
    municipality = draft.membership.municipality
    billing = BillingDetails.objects.filter(municipality=municipality).first()
    before = {name: getattr(draft, name) for name in SNAPSHOT_FIELDS}
    for name, value in _debtor_snapshot(municipality, billing).items():
        setattr(draft, name, value)
    return diff(before, {name: getattr(draft, name) for name in SNAPSHOT_FIELDS})


@changes(FINANCE)
def invoice_draft_refresh(*, invoice: Invoice, actor=None) -> Invoice:
    """Brings an unsent draft up to date with the municipality's current invoice details."""
    draft = _draft(invoice)
    changes = _refresh(draft)
    if changes:
        draft.save(update_fields=list(SNAPSHOT_FIELDS))
        audit_record(action="invoice.refresh", obj=draft, actor=actor, changes=changes)
    return draft


@changes(FINANCE)
def invoice_draft_withdraw(*, invoice: Invoice, reason: str = "", actor=None) -> None:
    """Withdraws an unsent draft: it is deleted, so the contribution year can be invoiced
    again and no number is lost (a draft has none). What it was stays in the audit trail."""
    draft = _draft(invoice)
    if draft.payments.exists():
        raise ValidationError(_("Op dit concept is betaald; het kan niet worden ingetrokken."))
    audit_record(
        action="invoice.withdraw",
        obj=draft,
        actor=actor,
        changes=diff(
            {
                "municipality": draft.membership.municipality.code,
                "fee_year": draft.fee_year,
                "total": draft.total,
                "issue_date": draft.issue_date.isoformat(),
            },
            {"reason": reason.strip() or None},
        ),
    )
    draft.delete()


def _finalise(invoice: Invoice, issue_date: datetime.date | None) -> dict:
    """Makes a locked draft final: the invoice date (and due date) as given, the current
    invoice details, and the next number of the invoice date's year. The counter stays
    locked until the caller's transaction ends."""
    before = {"number": None, "issue_date": invoice.issue_date.isoformat()}
    invoice_date_check(issue_date or invoice.issue_date)
    if issue_date is not None:
        invoice.issue_date = issue_date
        invoice.due_date = issue_date + datetime.timedelta(days=settings.M50_INVOICE_DUE_DAYS)
    changes = _refresh(invoice)
    sequence = _lock_sequence(invoice.issue_date.year)
    invoice.sequence, invoice.number = _number(sequence)
    invoice.year = sequence.year
    sequence.save(update_fields=["last_number"])
    changes.update(
        diff(before, {"number": invoice.number, "issue_date": invoice.issue_date.isoformat()})
    )
    return changes


@changes(FINANCE)
def invoice_finalise(
    *, invoice: Invoice, issue_date: datetime.date | None = None, actor=None
) -> Invoice:
    """Makes a draft final (see ``_finalise``); an invoice with a number is returned as it
    is. Call it in the transaction that sends the invoice, so a failed send takes the
    number back and no number is lost."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.number is None:
        changes = _finalise(invoice, issue_date)
        invoice.save()
        audit_record(action="invoice.finalise", obj=invoice, actor=actor, changes=changes)
    return invoice


@changes(FINANCE)
def invoice_mark_sent(
    *,
    invoice: Invoice,
    recipients: list[str],
    issue_date: datetime.date | None = None,
    actor=None,
) -> Invoice:
    """Records the invoice as sent. A draft is made final first (see ``_finalise``): call
    this in the transaction that sends it, so a failed send takes its number back."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    changes = {}
    if invoice.number is None:
        changes = _finalise(invoice, issue_date)
    before = {"state": invoice.state}
    invoice.state, invoice.sent_at = Invoice.State.SENT, timezone.now()
    invoice.sent_to = ", ".join(recipients)[:300]
    invoice.save()
    audit_record(
        action="invoice.send",
        obj=invoice,
        actor=actor,
        changes={
            **changes,
            **diff(before, {"state": invoice.state, "sent_to": invoice.sent_to}),
        },
    )
    return invoice


def _payment_date_check(paid_on: datetime.date) -> None:
    """A payment typed by hand is not in the future, nor before the network's first
    invoices (``M50_FIRST_INVOICE_YEAR``): such a date is a typing error."""
    today = timezone.localdate()
    if paid_on > today:
        raise ValidationError(
            {
                "paid_on": _(
                    "Een betaling kan niet in de toekomst liggen; vul de datum in waarop "
                    "het geld binnenkwam."
                )
            }
        )
    first = datetime.date(settings.M50_FIRST_INVOICE_YEAR, 1, 1)
    if paid_on < first:
        raise ValidationError(
            {
                "paid_on": _(
                    "Deze datum ligt vóór %(year)d, het jaar van de eerste facturen; "
                    "controleer het jaartal."
                )
                % {"year": first.year}
            }
        )


@changes(FINANCE)
def payment_register(
    *,
    invoice: Invoice,
    paid_on: datetime.date,
    amount: Decimal,
    reference: str = "",
    statement_line=None,
    actor=None,
) -> Payment:
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationError(_("Een betaling is een positief bedrag."))
    if statement_line is None:  # typed by hand; a bank's booking date is a fact
        _payment_date_check(paid_on)
    if invoice.kind != Invoice.Kind.INVOICE:
        raise ValidationError(_("Een betaling hoort bij een factuur, niet bij een creditnota."))
    # Locked, so two payments registered at once cannot both fit the same open amount.
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.number is None:
        raise ValidationError(
            _("Dit concept is nog niet verstuurd; een betaling hoort bij een verstuurde factuur.")
        )
    if invoice.credited:
        raise ValidationError(_("Deze factuur is gecrediteerd; er valt niets meer te betalen."))
    paid = invoice.payments.aggregate(total=Sum("amount"))["total"] or ZERO
    if amount > invoice.total - paid:
        raise ValidationError(
            _("Het bedrag (€ %(amount)s) is hoger dan wat openstaat (€ %(open)s).")
            % {"amount": money_text(amount), "open": money_text(invoice.total - paid)}
        )
    payment = Payment.objects.create(
        invoice=invoice,
        paid_on=paid_on,
        amount=amount,
        reference=reference,
        statement_line=statement_line,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    invoice.paid_amount = paid + amount
    invoice.save(update_fields=["paid_amount"])
    audit_record(
        action="payment.register",
        obj=payment,
        actor=actor,
        changes=diff({}, {"invoice": invoice.number, "amount": amount, "paid_on": paid_on}),
    )
    return payment


# --- The paid amount of an invoice (a projection of its payments) ----------------------------

PAID_BATCH = 2000


def _paid_sums(invoice_ids=None):
    """(invoice id, sum of its payments) of these invoices, or of every invoice: one query,
    streamed. Exact: Django turns each sum into a two-decimal ``Decimal``."""
    rows = Invoice.objects.order_by("pk")
    if invoice_ids is not None:
        rows = rows.filter(pk__in=invoice_ids)
    return rows.annotate(computed=Sum("payments__amount")).values_list(
        "pk", "number", "paid_amount", "computed"
    )


def invoice_paid_refresh(*, invoice_ids) -> None:
    """Rewrites the paid amount of these invoices from their payments. Call it in the
    transaction that booked or deleted the payments, with the invoices locked (on PostgreSQL
    in a statement before this one, so its read sees every committed payment)."""
    ids = sorted({pk for pk in invoice_ids if pk is not None})
    for start in range(0, len(ids), PAID_BATCH):
        changed = [
            Invoice(pk=pk, paid_amount=(computed or ZERO).quantize(ZERO))
            for pk, _number, stored, computed in _paid_sums(ids[start : start + PAID_BATCH])
            if stored != (computed or ZERO)
        ]
        Invoice.objects.bulk_update(changed, ["paid_amount"], batch_size=PAID_BATCH)


@changes(FINANCE)
def invoice_paid_rebuild() -> int:
    """Sets the paid amount of every invoice to the sum of its payments; returns how many
    rows were written. The invoices are locked first, so no payment is booked in between.
    Only the rows that differ are written: on PostgreSQL, rows rewritten by the current
    transaction make its later reads of them very slow (seen: minutes for 50,000)."""
    if connection.features.has_select_for_update:
        list(Invoice.objects.select_for_update().order_by("pk").values_list("pk"))
    rows = [  # read in full: SQLite does not isolate a read from writes
        Invoice(pk=pk, paid_amount=(computed or ZERO).quantize(ZERO))
        for pk, _number, stored, computed in _paid_sums()
        if stored != (computed or ZERO)
    ]
    Invoice.objects.bulk_update(rows, ["paid_amount"], batch_size=PAID_BATCH)
    return len(rows)
