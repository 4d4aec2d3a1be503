"""Bank statements: importing a CAMT.053 file and matching its lines to invoices.

A statement line that brings money in is matched to an invoice when its remittance names exactly
one invoice number (``2024-0001``) and its amount is at most what is still open on that invoice:
equal pays it, less is a partial payment. Anything else (money out, no or an unknown number, a
credited invoice, more than is open) stays unmatched, for the bureau to match by hand with
:func:`statement_line_match` under the same checks.

The import costs a fixed number of queries per statement and per batch of lines, not per line:
the referenced invoices are read once with what was paid on them, and lines, payments and their
audit records are written in bulk. A statement already imported (same account, message id and
statement id) is skipped, so importing a file again changes nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from m50.core.audit import audit_record, diff
from m50.core.models import AuditEvent
from m50.finance import camt, selectors, services
from m50.finance.models import BankStatement, Invoice, Payment, StatementLine

# 2024-0001; a fifth digit past 9,999 invoices in a year (the column holds up to seven).
INVOICE_NUMBER = re.compile(r"\b(20\d{2})-(\d{4,7})\b")
BATCH_SIZE = 500
# Values per IN (...) list: far below the bound parameters SQLite (32,766 since 3.32) and
# PostgreSQL accept, so a file of any size needs one query per 5,000 invoice numbers.
IN_LIST_SIZE = 5_000
ZERO = Decimal("0.00")
REFERENCE_LENGTH = Payment._meta.get_field("reference").max_length


class Outcome:
    MATCHED = "matched"
    PARTIAL = "partial"
    UNMATCHED = "unmatched"


@dataclass(frozen=True)
class LineResult:
    """What became of one entry; ``source_line`` is its line in the XML file."""

    source_line: int
    outcome: str
    invoice_number: str = ""
    reason: str = ""


@dataclass
class ImportReport:
    file_name: str
    message_id: str
    imported: list[str] = field(default_factory=list)  # statement ids stored now
    already_imported: list[str] = field(default_factory=list)  # statement ids skipped
    results: list[LineResult] = field(default_factory=list)
    debits: int = 0

    @property
    def lines(self) -> int:
        return len(self.results)

    def _count(self, outcome: str) -> int:
        return sum(1 for result in self.results if result.outcome == outcome)

    @property
    def matched(self) -> int:
        return self._count(Outcome.MATCHED)

    @property
    def partial(self) -> int:
        return self._count(Outcome.PARTIAL)

    @property
    def unmatched(self) -> int:
        return self._count(Outcome.UNMATCHED)

    @property
    def changed(self) -> bool:
        return bool(self.imported)

    def summary(self) -> str:
        """The outcome in Dutch, one or two sentences."""
        parts = []
        if self.imported:
            read = ngettext(
                "%(lines)d regel ingelezen", "%(lines)d regels ingelezen", self.lines
            ) % {"lines": self.lines}
            counts = _(
                "%(matched)d betaald, %(partial)d deels betaald, %(unmatched)d niet gekoppeld"
            ) % {"matched": self.matched, "partial": self.partial, "unmatched": self.unmatched}
            debits = (
                ngettext(
                    " (waarvan %(debits)d afschrijving)",
                    " (waarvan %(debits)d afschrijvingen)",
                    self.debits,
                )
                % {"debits": self.debits}
                if self.debits
                else ""
            )
            parts.append(f"{read}: {counts}{debits}.")
        if self.already_imported:
            ids = ", ".join(self.already_imported)
            if self.imported:
                parts.append(
                    _("Al eerder ingelezen en overgeslagen: afschrift %(ids)s.") % {"ids": ids}
                )
            else:
                parts.append(
                    _("Niets gewijzigd: afschrift %(ids)s (bericht %(message)s) was al ingelezen.")
                    % {"ids": ids, "message": self.message_id}
                )
        return " ".join(parts)


# --- The checks, shared by the import and matching by hand -------------------------------------


def _euro(amount: Decimal) -> str:
    text = f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"€ {text}"


def _refusal(invoice: Invoice, amount: Decimal, open_amount: Decimal) -> str | None:
    """Why ``amount`` cannot be booked on ``invoice``, or None when it can."""
    if invoice.kind != Invoice.Kind.INVOICE:
        return _("%(number)s is een creditnota; daarop wordt niet betaald.") % {
            "number": invoice.number
        }
    if invoice.credited:
        return _("factuur %(number)s is gecrediteerd.") % {"number": invoice.number}
    if amount <= 0:
        return _("het bedrag is nul.")
    if open_amount <= 0:
        return _("factuur %(number)s is al volledig betaald.") % {"number": invoice.number}
    if amount > open_amount:
        return _(
            "het bedrag (%(amount)s) is hoger dan wat op factuur %(number)s openstaat (%(open)s)."
        ) % {"amount": _euro(amount), "number": invoice.number, "open": _euro(open_amount)}
    return None


def invoice_numbers(text: str) -> list[str]:
    """The distinct invoice numbers in a remittance text, in order of appearance."""
    numbers: dict[str, None] = {}
    for year, sequence in INVOICE_NUMBER.findall(text):
        numbers[f"{year}-{sequence}"] = None
    return list(numbers)


def _chunks(values: list[Any], size: int = IN_LIST_SIZE) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _lock_invoices(**lookup) -> None:
    """Locks the invoices until the end of the transaction, so that two imports (or an import
    and a match by hand) at once cannot both book what is open.

    A statement of its own, before the amounts are read: in PostgreSQL's READ COMMITTED a
    query that waited for a lock still reads with the snapshot from before the wait, and so
    would miss the other's payments. SQLite has no row locks; its transactions take the write
    lock at BEGIN (``transaction_mode`` IMMEDIATE in the settings) and queue there.
    """
    if connection.features.has_select_for_update:
        list(Invoice.objects.filter(**lookup).select_for_update().order_by("pk").values_list("pk"))


def _invoices_with_paid(**lookup) -> QuerySet[Invoice]:
    """Invoices annotated with ``paid``, the sum of their payments (see ``_lock_invoices``)."""
    paid = (
        Payment.objects.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Invoice.objects.filter(**lookup).annotate(
        paid=Coalesce(
            Subquery(paid),
            Value(ZERO),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        )
    )


def _referenced_invoices(numbers: Iterable[str]) -> dict[str, Invoice]:
    """The invoices with these numbers, locked, with what was paid on them: one query (two on
    PostgreSQL, with the lock) per 5,000 numbers."""
    wanted = sorted(set(numbers))
    invoices: dict[str, Invoice] = {}
    for chunk in _chunks(wanted):
        _lock_invoices(number__in=chunk)
        invoices.update(
            (invoice.number, invoice) for invoice in _invoices_with_paid(number__in=chunk)
        )
    return invoices


def _booked_before(statements: list[camt.Statement]) -> set[tuple]:
    """Entries already stored from another statement of the same account: same bank reference,
    amount, date and direction. A bank that delivers a statement again under a new message id
    would otherwise have it paid twice."""
    found: set[tuple] = set()
    by_account: dict[str, set[str]] = {}
    for statement in statements:
        refs = by_account.setdefault(statement.account_iban, set())
        refs.update(entry.reference for entry in statement.entries if entry.reference)
    for iban, refs in by_account.items():
        for chunk in _chunks(sorted(refs)):
            found.update(
                (iban, *row)
                for row in StatementLine.objects.filter(
                    statement__account_iban=iban, entry_reference__in=chunk
                ).values_list("entry_reference", "amount", "booking_date", "credit")
            )
    return found


def _entry_key(iban: str, entry: camt.Entry) -> tuple:
    return (iban, entry.reference, entry.amount, entry.booking_date, entry.credit)


def _actor_user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _audit_events(payments: list[Payment], actor) -> list[AuditEvent]:
    """The audit rows ``audit_record`` would write for each payment, for one bulk insert."""
    user = _actor_user(actor)
    label = user.get_username() if user else "systeem"
    return [
        AuditEvent(
            actor=user,
            actor_label=label,
            origin="",
            action="payment.register",
            object_type=Payment._meta.label,
            object_id=str(payment.pk),
            object_repr=str(payment)[:300],
            result=AuditEvent.Result.SUCCESS,
            changes=diff(
                {},
                {
                    "invoice": payment.invoice.number,
                    "amount": payment.amount,
                    "paid_on": payment.paid_on,
                    "statement_line": payment.statement_line_id,
                },
            ),
        )
        for payment in payments
    ]


# --- Import -----------------------------------------------------------------------------------


@transaction.atomic
def bank_statement_import(*, file, actor=None) -> ImportReport:
    """Imports a CAMT.053 file (a path, bytes or a stream) and matches its credit lines.

    Raises :class:`camt.CamtError` listing every problem of a malformed file; nothing is stored
    then. A statement imported before is skipped, so a second import changes nothing.
    """
    message = camt.parse(file)
    name = camt.file_name(file)[: BankStatement._meta.get_field("file_name").max_length]
    report = ImportReport(file_name=name, message_id=message.message_id)

    existing = set(
        BankStatement.objects.filter(
            message_id=message.message_id,
            account_iban__in={s.account_iban for s in message.statements},
        ).values_list("account_iban", "statement_id")
    )
    stored: list[tuple[camt.Statement, BankStatement]] = []
    for statement in message.statements:
        if (statement.account_iban, statement.id) in existing:
            report.already_imported.append(statement.id)
            continue
        try:
            # A savepoint: an import of the same file at the same moment waits here for the
            # other to commit, and then finds the statement taken.
            with transaction.atomic():
                row = BankStatement.objects.create(
                    message_id=message.message_id,
                    statement_id=statement.id,
                    account_iban=statement.account_iban,
                    created_on=statement.created_at or message.created_at,
                    imported_by=_actor_user(actor),
                    file_name=name,
                )
        except IntegrityError:
            report.already_imported.append(statement.id)
            continue
        stored.append((statement, row))
    if not stored:
        return report

    numbers_of: dict[tuple[int, int], list[str]] = {}
    for s_index, (statement, _row) in enumerate(stored):
        for e_index, entry in enumerate(statement.entries):
            if entry.credit:
                numbers_of[s_index, e_index] = invoice_numbers(entry.remittance_text)
    invoices = _referenced_invoices(n for numbers in numbers_of.values() for n in numbers)
    booked_before = _booked_before([statement for statement, _row in stored])

    lines: list[StatementLine] = []
    for statement, row in stored:
        for entry in statement.entries:
            lines.append(
                StatementLine(
                    statement=row,
                    entry_reference=entry.reference,
                    booking_date=entry.booking_date,
                    amount=entry.amount,
                    credit=entry.credit,
                    counterparty_name=entry.counterparty_name,
                    counterparty_iban=entry.counterparty_iban,
                    remittance=entry.remittance_text,
                )
            )
    StatementLine.objects.bulk_create(lines, batch_size=BATCH_SIZE)

    open_amounts: dict[str, Decimal] = {}
    payments: list[Payment] = []
    user = _actor_user(actor)
    seen: set[tuple] = set()
    position = 0
    for s_index, (statement, _row) in enumerate(stored):
        for e_index, entry in enumerate(statement.entries):
            line = lines[position]
            position += 1
            key = _entry_key(statement.account_iban, entry)
            if not entry.credit:
                report.debits += 1
                report.results.append(
                    LineResult(entry.line, Outcome.UNMATCHED, reason=_("afschrijving."))
                )
                continue
            if entry.reference and (key in booked_before or key in seen):
                report.results.append(
                    LineResult(
                        entry.line,
                        Outcome.UNMATCHED,
                        reason=_(
                            "mogelijk dubbel: een boeking met bankreferentie %(ref)s, hetzelfde "
                            "bedrag en dezelfde datum is al eerder ingelezen."
                        )
                        % {"ref": entry.reference},
                    )
                )
                continue
            seen.add(key)
            result, invoice = _match(entry, numbers_of[s_index, e_index], invoices, open_amounts)
            report.results.append(result)
            if invoice is None:
                continue
            open_amounts[invoice.number] -= entry.amount
            payments.append(
                Payment(
                    invoice=invoice,
                    paid_on=entry.booking_date,
                    amount=entry.amount,
                    reference=entry.remittance_text[:REFERENCE_LENGTH],
                    statement_line=line,
                    recorded_by=user,
                )
            )
    Payment.objects.bulk_create(payments, batch_size=BATCH_SIZE)
    AuditEvent.objects.bulk_create(_audit_events(payments, actor), batch_size=BATCH_SIZE)
    first = 0
    for statement, row in stored:
        results = report.results[first : first + len(statement.entries)]
        first += len(statement.entries)
        outcomes = Counter(result.outcome for result in results)
        audit_record(
            action="bank_statement.import",
            obj=row,
            actor=actor,
            changes=diff(
                {},
                {
                    "message_id": message.message_id,
                    "file_name": name,
                    "lines": len(results),
                    "matched": outcomes[Outcome.MATCHED],
                    "partial": outcomes[Outcome.PARTIAL],
                    "unmatched": outcomes[Outcome.UNMATCHED],
                },
            ),
        )
    report.imported = [statement.id for statement, _row in stored]
    return report


def _match(
    entry: camt.Entry,
    numbers: list[str],
    invoices: dict[str, Invoice],
    open_amounts: dict[str, Decimal],
) -> tuple[LineResult, Invoice | None]:
    """The outcome for one credit entry, and the invoice to book it on (None: unmatched)."""
    if not numbers:
        return LineResult(
            entry.line, Outcome.UNMATCHED, reason=_("geen factuurnummer in de omschrijving.")
        ), None
    known = [number for number in numbers if number in invoices]
    if not known:
        return LineResult(
            entry.line,
            Outcome.UNMATCHED,
            numbers[0],
            ngettext(
                "onbekend factuurnummer %(numbers)s.",
                "onbekende factuurnummers %(numbers)s.",
                len(numbers),
            )
            % {"numbers": ", ".join(numbers)},
        ), None
    if len(known) > 1:
        return LineResult(
            entry.line,
            Outcome.UNMATCHED,
            known[0],
            _("meerdere factuurnummers (%(numbers)s); koppel deze regel met de hand.")
            % {"numbers": ", ".join(known)},
        ), None
    invoice = invoices[known[0]]
    if invoice.number not in open_amounts:
        open_amounts[invoice.number] = selectors.open_amount(invoice)
    open_amount = open_amounts[invoice.number]
    refusal = _refusal(invoice, entry.amount, open_amount)
    if refusal:
        return LineResult(entry.line, Outcome.UNMATCHED, invoice.number, refusal), None
    outcome = Outcome.MATCHED if entry.amount == open_amount else Outcome.PARTIAL
    return LineResult(entry.line, outcome, invoice.number), invoice


# --- Matching by hand -------------------------------------------------------------------------


@transaction.atomic
def statement_line_match(*, line: StatementLine, invoice: Invoice, actor) -> Payment:
    """Books an unmatched credit line on ``invoice``, under the checks of the import."""
    line = StatementLine.objects.select_for_update().get(pk=line.pk)
    if not line.credit:
        raise ValidationError(
            _("Deze regel is een afschrijving; alleen bijschrijvingen horen bij een factuur.")
        )
    existing = Payment.objects.filter(statement_line=line).select_related("invoice").first()
    if existing is not None:
        raise ValidationError(
            _("Deze regel is al gekoppeld aan factuur %(number)s.")
            % {"number": existing.invoice.number if existing.invoice else "-"}
        )
    _lock_invoices(pk=invoice.pk)
    invoice = _invoices_with_paid(pk=invoice.pk).get()
    refusal = _refusal(invoice, line.amount, selectors.open_amount(invoice))
    if refusal:
        raise ValidationError(_("Niet gekoppeld: %(reason)s") % {"reason": refusal})
    payment = services.payment_register(
        invoice=invoice,
        paid_on=line.booking_date,
        amount=line.amount,
        reference=line.remittance[:REFERENCE_LENGTH],
        statement_line=line,
        actor=actor,
    )
    audit_record(
        action="statement_line.match",
        obj=line,
        actor=actor,
        changes=diff({}, {"invoice": invoice.number, "payment": payment.pk}),
    )
    return payment


# --- Reads ------------------------------------------------------------------------------------


def unmatched_lines(*, credit_only: bool = False) -> QuerySet[StatementLine]:
    """Statement lines without a payment, oldest first, for the bureau to match by hand.
    Money out (bank costs) is among them unless ``credit_only``."""
    lines = StatementLine.objects.filter(payment__isnull=True).select_related("statement")
    if credit_only:
        lines = lines.filter(credit=True)
    return lines.order_by("booking_date", "pk")
