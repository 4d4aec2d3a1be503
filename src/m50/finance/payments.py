"""Bank statements: importing a CAMT.053 file and matching its lines to invoices.

Only a statement of one of the network's own accounts is read (the seller's IBAN and
``M50_OWN_ACCOUNTS``); another account's is refused whole. Of its entries, only booked ones
(``BOOK``) can become payments; pending (``PDNG``), information (``INFO``) and future entries
are stored and listed, never booked.

A booked credit is matched to an invoice by, in this order: the structured RF creditor
reference of the invoice (see :mod:`m50.finance.references`), the invoice number as printed
(``2024-0001``) in the remittance or the entry's additional information, and the number as payers
also write it (``2024 0001``, ``2024/0001``, ``20240001``, or split over two remittance lines),
the latter only when such an invoice exists. Its amount must be at most what is still open:
equal pays it, less is a partial payment. When the payer's account and name are not the
debtor's as known from earlier payments, the payment is made but flagged for review. Anything
else stays unmatched, for the bureau to match by hand (:func:`statement_line_match`) or to mark
as no invoice payment (:func:`statement_line_dismiss`).

A reversal (``RvslInd``) is never booked: a reversed incoming payment undoes its payment, so the
invoice is open again, and the report says so; but only when the reversal identifies that one
credit (its account, end-to-end id, bank reference or invoice), else it is left for the bureau.

Re-delivery: a statement is the same statement by account, statement id, electronic sequence
number and period, whatever its message id, and is skipped. An entry is recognised as imported
before by the bank's reference where there is one, otherwise by booking date, value date,
amount, counterparty account and remittance together; it is stored as a suspected duplicate,
shown to the bureau, and never booked, also not by hand, until the bureau marks it "geen
dubbele boeking" (:func:`statement_line_not_duplicate`).

The import costs a fixed number of queries per statement and per batch of lines, not per line:
the referenced invoices are read once with what was paid on them, and lines, payments and their
audit records are written in bulk.
"""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from m50.core.audit import audit_actor, audit_record, diff
from m50.core.models import AuditEvent
from m50.core.versions import FINANCE, changes
from m50.finance import camt, references, selectors, services
from m50.finance.models import BankStatement, Invoice, Payment, StatementLine
from m50.municipalities.services import Problem

# 2024-0001; a fifth digit past 9,999 invoices in a year (the column holds up to seven).
INVOICE_NUMBER = references.STRICT
BATCH_SIZE = 500
# Values per IN (...) list: far below the bound parameters SQLite (32,766 since 3.32) and
# PostgreSQL accept, so a file of any size needs one query per 5,000 invoice numbers.
IN_LIST_SIZE = 5_000
ZERO = Decimal("0.00")
REFERENCE_LENGTH = Payment._meta.get_field("reference").max_length
NOTE_LENGTH = StatementLine._meta.get_field("note").max_length
BOOKED = camt.BOOKED
# How alike two names must be (difflib ratio) for the payer to count as the debtor.
NAME_SIMILARITY = 0.8
MONEY = DecimalField(max_digits=12, decimal_places=2)
_NAME_NOISE = re.compile(r"\b(gemeente|gem|de|het|van|der|den|t)\b")


class Outcome:
    MATCHED = "matched"
    PARTIAL = "partial"
    UNMATCHED = "unmatched"
    NOT_BOOKED = "not_booked"  # pending, information: listed, never booked
    DUPLICATE = "duplicate"  # imported before: stored, shown, never booked
    REVERSAL = "reversal"  # RvslInd: never booked; undoes the payment it reverses


@dataclass(frozen=True)
class LineResult:
    """What became of one entry; ``source_line`` is its line in the XML file."""

    source_line: int
    outcome: str
    invoice_number: str = ""
    reason: str = ""
    review: str = ""  # why the payment is flagged for the bureau to check


@dataclass
class ImportReport:
    file_name: str
    message_id: str
    imported: list[str] = field(default_factory=list)  # statement ids stored now
    already_imported: list[str] = field(default_factory=list)  # statement ids skipped
    results: list[LineResult] = field(default_factory=list)
    debits: int = 0
    # Payments undone by a reversal: what the bureau must know.
    reversed_payments: list[str] = field(default_factory=list)

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
    def not_booked(self) -> int:
        return self._count(Outcome.NOT_BOOKED)

    @property
    def duplicates(self) -> int:
        return self._count(Outcome.DUPLICATE)

    @property
    def reversals(self) -> int:
        return self._count(Outcome.REVERSAL)

    @property
    def to_review(self) -> int:
        return sum(1 for result in self.results if result.review)

    @property
    def changed(self) -> bool:
        return bool(self.imported)

    def summary(self) -> str:
        """The outcome in Dutch, one or more sentences."""
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
            if self.not_booked:
                parts.append(
                    ngettext(
                        "%(count)d regel is nog niet geboekt door de bank (in afwachting of ter "
                        "informatie) en is niet verwerkt.",
                        "%(count)d regels zijn nog niet geboekt door de bank (in afwachting of ter "
                        "informatie) en zijn niet verwerkt.",
                        self.not_booked,
                    )
                    % {"count": self.not_booked}
                )
            if self.duplicates:
                parts.append(
                    ngettext(
                        "%(count)d regel is mogelijk dubbel (al eerder ingelezen) en is niet "
                        "geboekt.",
                        "%(count)d regels zijn mogelijk dubbel (al eerder ingelezen) en zijn niet "
                        "geboekt.",
                        self.duplicates,
                    )
                    % {"count": self.duplicates}
                )
            if self.reversals:
                parts.append(
                    ngettext("%(count)d terugboeking.", "%(count)d terugboekingen.", self.reversals)
                    % {"count": self.reversals}
                )
            if self.reversed_payments:
                parts.append(
                    _("Teruggeboekt, de factuur staat weer open: %(payments)s.")
                    % {"payments": "; ".join(self.reversed_payments)}
                )
            if self.to_review:
                parts.append(
                    ngettext(
                        "%(count)d betaling komt van een onbekende betaler; controleer die bij "
                        "Betalingen.",
                        "%(count)d betalingen komen van een onbekende betaler; controleer die bij "
                        "Betalingen.",
                        self.to_review,
                    )
                    % {"count": self.to_review}
                )
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


# --- Settings ---------------------------------------------------------------------------------


def own_accounts() -> list[str]:
    """The network's own accounts: the seller's IBAN and ``M50_OWN_ACCOUNTS``, compact."""
    accounts = [settings.M50_SELLER.get("iban", ""), *getattr(settings, "M50_OWN_ACCOUNTS", [])]
    found: dict[str, None] = {}
    for account in accounts:
        compact = "".join((account or "").split()).upper()
        if compact:
            found[compact] = None
    return list(found)


def max_upload_bytes() -> int:
    return int(getattr(settings, "M50_CAMT_MAX_UPLOAD_BYTES", 64 * 1024 * 1024))


def upload_refusal(size: int | None) -> str | None:
    """Why a statement of ``size`` bytes is refused (too large), or None."""
    limit = max_upload_bytes()
    if size is not None and size > limit:
        return _(
            "Het bestand is %(size)s MB; een bankafschrift mag ten hoogste %(max)s MB zijn "
            "(instelling M50_CAMT_MAX_UPLOAD_BYTES). Vraag de bank om een afschrift per dag of "
            "per week."
        ) % {"size": _megabytes(size), "max": _megabytes(limit)}
    return None


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}".replace(".", ",")


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
    """The distinct invoice numbers in a remittance text as printed (``2024-0001``), in order
    of appearance."""
    return references.strict_numbers(text)


@dataclass(frozen=True)
class Candidates:
    """The invoice numbers a payer named, by how sure they are."""

    rf: tuple[str, ...] = ()  # from a valid RF creditor reference
    strict: tuple[str, ...] = ()  # written as printed: 2024-0001
    loose: tuple[str, ...] = ()  # 2024 0001, 2024/0001, 20240001, split over lines

    @property
    def all(self) -> list[str]:
        return list(dict.fromkeys((*self.rf, *self.strict, *self.loose)))


def candidates(
    *,
    remittance_lines: Iterable[str] = (),
    structured: Iterable[str] = (),
    additional_info: str = "",
    text: str = "",
) -> Candidates:
    """The invoice numbers in what a payer wrote: structured references, remittance lines
    (also as one text without the line breaks a bank puts in) and additional information."""
    lines = [line for line in remittance_lines if line]
    joined = " ".join([*lines, *structured, additional_info, text])
    glued = "".join(lines)
    rf = references.references_in(joined) + references.references_in(glued)
    strict = references.strict_numbers(joined)
    loose = [
        number
        for number in [
            *references.strict_numbers(glued),
            *references.loose_numbers(joined),
            *references.loose_numbers(glued),
        ]
        if number not in strict
    ]
    return Candidates(
        tuple(dict.fromkeys(rf)), tuple(dict.fromkeys(strict)), tuple(dict.fromkeys(loose))
    )


def _entry_candidates(entry: camt.Entry) -> Candidates:
    return candidates(
        remittance_lines=entry.remittance_lines,
        structured=entry.structured_references,
        additional_info=entry.additional_info,
    )


def line_candidates(line: StatementLine) -> Candidates:
    """The invoice numbers in a stored line (its remittance and additional information)."""
    return candidates(text=line.remittance, additional_info=line.additional_info)


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
    return (
        Invoice.objects.filter(**lookup)
        .select_related("membership__municipality")
        .annotate(paid=F("paid_amount"))
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


# --- The payer --------------------------------------------------------------------------------


def _plain_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    return " ".join(_NAME_NOISE.sub(" ", text).split())


def names_alike(name: str, *others: str) -> bool:
    """Whether a payer's name is the debtor's: equal or contained once ``gemeente`` and such
    are left out, or alike by at least ``NAME_SIMILARITY``."""
    payer = _plain_name(name)
    if not payer:
        return False
    for other in others:
        known = _plain_name(other)
        if not known:
            continue
        if f" {known} " in f" {payer} " or f" {payer} " in f" {known} ":
            return True
        if difflib.SequenceMatcher(None, payer, known).ratio() >= NAME_SIMILARITY:
            return True
    return False


def _known_accounts(municipality_ids: Iterable[int]) -> dict[int, set[str]]:
    """The accounts each municipality paid from before (not those of a payment still to be
    checked): one query per 5,000 municipalities."""
    known: dict[int, set[str]] = {}
    for chunk in _chunks(sorted(set(municipality_ids))):
        rows = (
            StatementLine.objects.filter(
                Q(payment__review_reason="") | Q(payment__reviewed_at__isnull=False),
                payment__invoice__membership__municipality_id__in=chunk,
                counterparty_iban__gt="",
            )
            .values_list("payment__invoice__membership__municipality_id", "counterparty_iban")
            .distinct()
        )
        for municipality_id, account in rows:
            known.setdefault(municipality_id, set()).add(account)
    return known


def payer_review(invoice: Invoice, *, name: str, account: str, known: dict[int, set[str]]) -> str:
    """Why a payment from ``name``/``account`` on ``invoice`` is to be checked, or "" when the
    payer is the debtor: an account that municipality paid from before, or a name alike."""
    municipality = invoice.membership.municipality
    if account and account in known.get(municipality.pk, set()):
        return ""
    if names_alike(name, invoice.debtor_name, municipality.name):
        return ""
    return _(
        "betaald door %(name)s (%(account)s): niet de rekening of naam van de debiteur %(debtor)s."
    ) % {
        "name": name or _("onbekende naam"),
        "account": account or _("geen rekening"),
        "debtor": invoice.debtor_name or municipality.name,
    }


# --- Entries seen before ----------------------------------------------------------------------


def _key(account: str, bank_reference: str, amount, credit, reversal, *rest) -> tuple:
    """What identifies an entry: the bank's reference where there is one, otherwise booking
    date, value date, amount, counterparty account and remittance together."""
    if bank_reference:
        return (account, "ref", bank_reference, amount, credit, reversal)
    return (account, "fields", amount, credit, reversal, *rest)


def _entry_key(account: str, entry: camt.Entry) -> tuple:
    return _key(
        account,
        entry.bank_reference,
        entry.amount,
        entry.credit,
        entry.reversal,
        entry.booking_date,
        entry.value_date,
        entry.counterparty_iban,
        entry.remittance_text,
    )


def _booked_before(entries: list[tuple[str, camt.Entry]]) -> dict[tuple, int]:
    """Booked entries already stored like these (account, entry), by their key (see
    ``_key``): one query per kind and 5,000 references or dates."""
    refs: set[str] = set()
    dates: set = set()
    accounts = {account for account, _entry in entries}
    for _account, entry in entries:
        if not entry.booked:
            continue
        if entry.bank_reference:
            refs.add(entry.bank_reference)
        elif entry.booking_date:
            dates.add(entry.booking_date)
    fields = (
        "pk",
        "statement__account_iban",
        "entry_reference",
        "transaction_reference",
        "amount",
        "credit",
        "reversal",
        "booking_date",
        "value_date",
        "counterparty_iban",
        "remittance",
    )
    rows: list[tuple] = []
    base = StatementLine.objects.filter(statement__account_iban__in=accounts, status=BOOKED)
    for chunk in _chunks(sorted(refs)):
        rows += base.filter(
            Q(entry_reference__in=chunk) | Q(transaction_reference__in=chunk)
        ).values_list(*fields)
    for chunk in _chunks(sorted(dates)):
        rows += base.filter(
            booking_date__in=chunk, entry_reference="", transaction_reference=""
        ).values_list(*fields)
    found: dict[tuple, int] = {}
    for pk, account, ref, tx_ref, amount, credit, reversal, *rest in rows:
        found.setdefault(_key(account, ref or tx_ref, amount, credit, reversal, *rest), pk)
    return found


def _actor_user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _audit_rows(action: str, rows: list[tuple[Any, dict]], actor) -> list[AuditEvent]:
    """The audit rows ``audit_record`` would write for each (object, changes), for one bulk
    insert."""
    user, label, origin = audit_actor(actor)
    return [
        AuditEvent(
            actor=user,
            actor_label=label,
            origin=origin,
            action=action,
            object_type=obj._meta.label,
            object_id=str(obj.pk),
            object_repr=str(obj)[:300],
            result=AuditEvent.Result.SUCCESS,
            changes=changes,
        )
        for obj, changes in rows
    ]


def _audit_events(payments: list[Payment], actor) -> list[AuditEvent]:
    return _audit_rows(
        "payment.register",
        [
            (
                payment,
                diff(
                    {},
                    {
                        "invoice": payment.invoice.number,
                        "amount": payment.amount,
                        "paid_on": payment.paid_on,
                        "statement_line": payment.statement_line_id,
                        "review": payment.review_reason,
                    },
                ),
            )
            for payment in payments
        ],
        actor,
    )


def _identity(statement: camt.Statement) -> str:
    def moment(value) -> str:
        return value.astimezone(datetime.UTC).isoformat() if value else ""

    return "|".join(
        (
            statement.account_iban,
            statement.id,
            statement.electronic_sequence,
            moment(statement.period_from),
            moment(statement.period_to),
        )
    )


def _check_accounts(message: camt.Message) -> None:
    """Refuses the whole file when a statement is of an account not the network's own."""
    own = own_accounts()
    problems = [
        Problem(
            statement.line,
            _(
                "rekening %(account)s is geen rekening van het netwerk (eigen rekeningen: "
                "%(own)s); een afschrift van een andere rekening wordt niet ingelezen."
            )
            % {"account": statement.account_iban, "own": ", ".join(own) or "-"},
        )
        for statement in message.statements
        if statement.account_iban not in own
    ]
    if problems:
        raise camt.CamtError(problems)


# --- Import -----------------------------------------------------------------------------------


@changes(FINANCE)
def bank_statement_import(*, file, actor=None) -> ImportReport:
    """Imports a CAMT.053 file (a path, bytes or a stream) and matches its booked credits.

    Raises :class:`camt.CamtError` listing every problem of a malformed file, a file too large
    or a statement of another account; nothing is stored then. A statement imported before is
    skipped, so a second import changes nothing.
    """
    refusal = upload_refusal(camt.file_size(file))
    if refusal:
        raise camt.CamtError([Problem(None, refusal)])
    # Two passes over the file: the first checks all of it and keeps no entries, the second
    # hands the entries on in batches; neither holds the whole statement in memory.
    message = camt.parse(file, on_entry=_ignore)
    _check_accounts(message)
    name = camt.file_name(file)[: BankStatement._meta.get_field("file_name").max_length]
    report = ImportReport(file_name=name, message_id=message.message_id)

    identities = {_identity(statement) for statement in message.statements}
    existing = set(
        BankStatement.objects.filter(
            Q(identity__in=identities)
            | Q(
                message_id=message.message_id,
                account_iban__in={s.account_iban for s in message.statements},
            )
        ).values_list("identity", "account_iban", "statement_id", "message_id")
    )
    known_identities = {row[0] for row in existing}
    known_ids = {(row[1], row[2]) for row in existing if row[3] == message.message_id}
    stored: list[tuple[camt.Statement, BankStatement]] = []
    positions: dict[int, tuple[camt.Statement, BankStatement]] = {}
    for position, statement in enumerate(message.statements):
        identity = _identity(statement)
        if identity in known_identities or (statement.account_iban, statement.id) in known_ids:
            report.already_imported.append(statement.id)
            continue
        try:
            # A savepoint: an import of the same statement at the same moment waits here for
            # the other to commit, and then finds the statement taken.
            with transaction.atomic():
                row = BankStatement.objects.create(
                    message_id=message.message_id,
                    statement_id=statement.id,
                    account_iban=statement.account_iban,
                    created_on=statement.created_at or message.created_at,
                    imported_by=_actor_user(actor),
                    file_name=name,
                    electronic_sequence=statement.electronic_sequence,
                    period_from=statement.period_from,
                    period_to=statement.period_to,
                    identity=identity,
                )
        except IntegrityError:
            report.already_imported.append(statement.id)
            continue
        stored.append((statement, row))
        positions[position] = (statement, row)
    if not stored:
        return report

    reversals: list[tuple[StatementLine, camt.Entry]] = []
    batch: list[tuple[camt.Statement, BankStatement, camt.Entry, datetime.date]] = []
    fallback = {
        position: timezone.localtime(
            statement.created_at or message.created_at or timezone.now()
        ).date()
        for position, (statement, _row) in positions.items()
    }

    def collect(position: int, entry: camt.Entry) -> None:
        if position not in positions:  # a statement imported before
            return
        statement, row = positions[position]
        batch.append((statement, row, entry, fallback[position]))
        if len(batch) >= BATCH_SIZE:
            reversals.extend(_import_chunk(batch, report, actor))
            batch.clear()

    camt.parse(file, on_entry=collect)
    if batch:
        reversals.extend(_import_chunk(batch, report, actor))
    if reversals:
        _reverse(reversals, report, actor)
    first = 0
    for statement, row in stored:
        results = report.results[first : first + statement.entry_count]
        first += statement.entry_count
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
                    "not_booked": outcomes[Outcome.NOT_BOOKED],
                    "duplicates": outcomes[Outcome.DUPLICATE],
                    "reversals": outcomes[Outcome.REVERSAL],
                },
            ),
        )
    report.imported = [statement.id for statement, _row in stored]
    return report


def _ignore(_position: int, _entry: camt.Entry) -> None:
    """The first pass keeps no entries."""


def _import_chunk(chunk, report: ImportReport, actor) -> list[tuple[StatementLine, camt.Entry]]:
    """Stores one batch of entries and books its payments; the reversals among them, for
    after the last batch.

    Batch by batch, so the objects of a large statement never exist all at once: what the
    earlier batches booked is in the database already, where the next batch's reads (what is
    paid on an invoice, entries seen before, a municipality's known accounts) find it. A fixed
    number of queries per batch.
    """
    found = {
        index: _entry_candidates(entry)
        for index, (_statement, _row, entry, _date) in enumerate(chunk)
        if entry.booked and entry.credit and not entry.reversal
    }
    invoices = _referenced_invoices(n for numbers in found.values() for n in numbers.all)
    booked_before = _booked_before(
        [(statement.account_iban, entry) for statement, _row, entry, _date in chunk]
    )
    known = _known_accounts(invoice.membership.municipality_id for invoice in invoices.values())

    lines: list[StatementLine] = []
    open_amounts: dict[str, Decimal] = {}
    payments: list[Payment] = []
    reversals: list[tuple[StatementLine, camt.Entry]] = []
    user = _actor_user(actor)
    seen: set[tuple] = set()
    for index, (statement, row, entry, fallback_date) in enumerate(chunk):
        line = StatementLine(
            statement=row,
            entry_reference=entry.reference,
            booking_date=entry.booking_date or entry.value_date or fallback_date,
            value_date=entry.value_date,
            amount=entry.amount,
            credit=entry.credit,
            counterparty_name=entry.counterparty_name,
            counterparty_iban=entry.counterparty_iban,
            remittance=entry.remittance_text,
            status=entry.status,
            reversal=entry.reversal,
            ntry_reference=entry.entry_reference,
            transaction_reference=entry.transaction_reference,
            end_to_end_id=entry.end_to_end_id,
            additional_info=entry.additional_info,
        )
        lines.append(line)
        result, invoice = _entry_result(
            entry,
            statement.account_iban,
            found.get(index),
            invoices,
            open_amounts,
            booked_before,
            seen,
            known,
        )
        if result.outcome == Outcome.DUPLICATE:
            line.duplicate = True
        if result.outcome == Outcome.REVERSAL and not entry.credit:
            reversals.append((line, entry))
        if not entry.credit and entry.booked and not entry.reversal:
            report.debits += 1
        line.note = result.reason[:NOTE_LENGTH]
        report.results.append(result)
        if invoice is None:
            continue
        open_amounts[invoice.number] -= entry.amount
        payments.append(
            Payment(
                invoice=invoice,
                paid_on=line.booking_date,
                amount=entry.amount,
                reference=entry.remittance_text[:REFERENCE_LENGTH],
                statement_line=line,
                recorded_by=user,
                review_reason=result.review[:NOTE_LENGTH],
            )
        )
    StatementLine.objects.bulk_create(lines, batch_size=BATCH_SIZE)
    for payment in payments:
        payment.statement_line_id = payment.statement_line.pk
    Payment.objects.bulk_create(payments, batch_size=BATCH_SIZE)
    # The invoices were locked when they were read (``_referenced_invoices``).
    services.invoice_paid_refresh(invoice_ids={payment.invoice_id for payment in payments})
    AuditEvent.objects.bulk_create(_audit_events(payments, actor), batch_size=BATCH_SIZE)
    return reversals


def _entry_result(
    entry: camt.Entry,
    account: str,
    numbers: Candidates | None,
    invoices: dict[str, Invoice],
    open_amounts: dict[str, Decimal],
    booked_before: dict[tuple, int],
    seen: set[tuple],
    known: dict[int, set[str]],
) -> tuple[LineResult, Invoice | None]:
    """The outcome for one entry, and the invoice to book it on (None: not booked)."""
    if not entry.booked:
        return LineResult(
            entry.line,
            Outcome.NOT_BOOKED,
            reason=_("status %(status)s: nog niet geboekt door de bank, niet verwerkt.")
            % {"status": entry.status},
        ), None
    key = _entry_key(account, entry)
    if key in booked_before or key in seen:
        if entry.bank_reference:
            reason = _(
                "mogelijk dubbel: een boeking met bankreferentie %(ref)s en hetzelfde bedrag is "
                "al eerder ingelezen; niet geboekt."
            ) % {"ref": entry.bank_reference}
        else:
            reason = _(
                "mogelijk dubbel: een boeking met dezelfde datums, hetzelfde bedrag, dezelfde "
                "tegenrekening en omschrijving is al eerder ingelezen; niet geboekt."
            )
        return LineResult(entry.line, Outcome.DUPLICATE, reason=reason), None
    seen.add(key)
    if entry.reversal:
        return LineResult(
            entry.line,
            Outcome.REVERSAL,
            reason=_("terugboeking van een afschrijving; niet als betaling geboekt.")
            if entry.credit
            else _("terugboeking; de oorspronkelijke bijschrijving is niet gevonden."),
        ), None
    if not entry.credit:
        return LineResult(entry.line, Outcome.UNMATCHED, reason=_("afschrijving.")), None
    result, invoice = _match(entry, numbers or Candidates(), invoices, open_amounts)
    if invoice is None:
        return result, None
    review = payer_review(
        invoice, name=entry.counterparty_name, account=entry.counterparty_iban, known=known
    )
    if entry.counterparty_iban and not review:
        # Later lines of this file from the same account count as known too.
        known.setdefault(invoice.membership.municipality_id, set()).add(entry.counterparty_iban)
    return LineResult(
        result.source_line, result.outcome, result.invoice_number, result.reason, review
    ), invoice


def _match(
    entry: camt.Entry,
    numbers: Candidates,
    invoices: dict[str, Invoice],
    open_amounts: dict[str, Decimal],
) -> tuple[LineResult, Invoice | None]:
    """The outcome for one booked credit entry, and the invoice to book it on."""
    chosen = None
    for group in (numbers.rf, numbers.strict, numbers.loose):
        known = [number for number in group if number in invoices]
        if len(known) > 1:
            return LineResult(
                entry.line,
                Outcome.UNMATCHED,
                known[0],
                _("meerdere factuurnummers (%(numbers)s); koppel deze regel met de hand.")
                % {"numbers": ", ".join(known)},
            ), None
        if known:
            chosen = known[0]
            break
    if chosen is None:
        named = list(dict.fromkeys((*numbers.rf, *numbers.strict)))
        if not named:
            return LineResult(
                entry.line, Outcome.UNMATCHED, reason=_("geen factuurnummer in de omschrijving.")
            ), None
        return LineResult(
            entry.line,
            Outcome.UNMATCHED,
            named[0],
            ngettext(
                "onbekend factuurnummer %(numbers)s.",
                "onbekende factuurnummers %(numbers)s.",
                len(named),
            )
            % {"numbers": ", ".join(named)},
        ), None
    invoice = invoices[chosen]
    if invoice.number not in open_amounts:
        open_amounts[invoice.number] = selectors.open_amount(invoice)
    open_amount = open_amounts[invoice.number]
    refusal = _refusal(invoice, entry.amount, open_amount)
    if refusal:
        return LineResult(entry.line, Outcome.UNMATCHED, invoice.number, refusal), None
    outcome = Outcome.MATCHED if entry.amount == open_amount else Outcome.PARTIAL
    return LineResult(entry.line, outcome, invoice.number), invoice


# --- Reversals --------------------------------------------------------------------------------


def _reverse(
    reversals: list[tuple[StatementLine, camt.Entry]], report: ImportReport, actor
) -> None:
    """Undoes the payments of the incoming entries these reversals reverse.

    The original is a booked credit of the same account and amount, not reversed yet, that
    something positively identifies (see :func:`_original_of`); a reversal that identifies no
    single one is left for the bureau. Its payment is deleted (audited with what it was), so
    the invoice is open again; both lines leave the unmatched list. The candidates are locked
    first, so a match by hand of one of them waits for this import or this for it; then two
    queries read them, whatever their number, and a few write.
    """
    accounts = {line.statement.account_iban for line, _entry in reversals}
    amounts = {line.amount for line, _entry in reversals}
    candidates = StatementLine.objects.filter(
        statement__account_iban__in=accounts,
        amount__in=amounts,
        credit=True,
        reversal=False,
        status=BOOKED,
        duplicate=False,
        reversed_by__isnull=True,
    ).exclude(pk__in=[line.pk for line, _entry in reversals])
    if connection.features.has_select_for_update:
        # A statement of its own, before the read (see _lock_invoices): a payment booked by
        # hand while this waited is then seen, and deleted with the line it was booked from.
        of = ("self",) if connection.features.has_select_for_update_of else ()
        list(candidates.select_for_update(of=of).order_by("pk").values_list("pk"))
    pool = list(
        candidates.select_related("statement", "payment__invoice").order_by("-booking_date", "-pk")
    )
    used: set[int] = set()
    undone: list[tuple[Payment, StatementLine]] = []
    updated: list[StatementLine] = []
    for line, entry in reversals:
        original = _original_of(line, entry, pool, used)
        if original is None:
            continue
        used.add(original.pk)
        line.reverses = original
        payment = getattr(original, "payment", None)
        index = report.results.index(next(r for r in report.results if r.source_line == entry.line))
        if payment is not None:
            undone.append((payment, original))
            text = _("%(amount)s op factuur %(number)s (betaald %(date)s)") % {
                "amount": _euro(payment.amount),
                "number": payment.invoice.number if payment.invoice else "-",
                "date": payment.paid_on.isoformat(),
            }
            report.reversed_payments.append(text)
            reason = _(
                "terugboeking: de betaling van %(payment)s is ongedaan gemaakt; de factuur staat "
                "weer open."
            ) % {"payment": text}
        else:
            reason = _(
                "terugboeking van de bijschrijving van %(date)s, die niet als betaling geboekt was."
            ) % {"date": original.booking_date.isoformat()}
        line.note = reason[:NOTE_LENGTH]
        report.results[index] = LineResult(entry.line, Outcome.REVERSAL, "", reason)
        updated.append(line)
    if not updated:
        return
    StatementLine.objects.bulk_update(updated, ["reverses", "note"], batch_size=BATCH_SIZE)
    if undone:
        AuditEvent.objects.bulk_create(
            _audit_rows(
                "payment.reverse",
                [
                    (
                        payment,
                        diff(
                            {
                                "invoice": payment.invoice.number if payment.invoice else "",
                                "amount": payment.amount,
                                "paid_on": payment.paid_on,
                                "statement_line": original.pk,
                            },
                            {},
                        ),
                    )
                    for payment, original in undone
                ],
                actor,
            ),
            batch_size=BATCH_SIZE,
        )
        invoice_ids = {payment.invoice_id for payment, _original in undone}
        _lock_invoices(pk__in=invoice_ids)
        Payment.objects.filter(pk__in=[payment.pk for payment, _original in undone]).delete()
        services.invoice_paid_refresh(invoice_ids=invoice_ids)
        _tell_the_bureau(report)


def _original_of(
    line: StatementLine, entry: camt.Entry, pool: list[StatementLine], used: set[int]
) -> StatementLine | None:
    """The credit this reversal undoes, or None when nothing identifies exactly one.

    Same account, amount and an earlier date only narrow it down: another municipality may
    well have paid the same amount. A candidate must be identified positively, by the same
    counterparty account, the same end-to-end id, the same bank reference, or an invoice
    number or RF reference in the reversal that is the invoice its payment was booked on; it
    must not contradict the reversal (another account, another end-to-end id). The candidate
    identified in the most of these ways is the original; a tie is left for the bureau.
    """
    named = set(_entry_candidates(entry).all)
    words = _words(f"{entry.remittance_text} {entry.additional_info}")

    def fits(candidate: StatementLine) -> bool:
        return (
            candidate.pk not in used
            and candidate.amount == line.amount
            and candidate.statement.account_iban == line.statement.account_iban
            and candidate.booking_date <= line.booking_date
            and (
                not (entry.counterparty_iban and candidate.counterparty_iban)
                or candidate.counterparty_iban == entry.counterparty_iban
            )
            and (
                not (entry.end_to_end_id and candidate.end_to_end_id)
                or candidate.end_to_end_id == entry.end_to_end_id
            )
        )

    def signs(candidate: StatementLine) -> int:
        payment = getattr(candidate, "payment", None)
        references = {candidate.entry_reference, candidate.transaction_reference} - {""}
        return sum(
            (
                bool(entry.counterparty_iban)
                and candidate.counterparty_iban == entry.counterparty_iban,
                bool(entry.end_to_end_id) and candidate.end_to_end_id == entry.end_to_end_id,
                (
                    bool(entry.transaction_reference)
                    and candidate.transaction_reference == entry.transaction_reference
                )
                or bool(references & words),
                payment is not None
                and payment.invoice is not None
                and payment.invoice.number in named,
            )
        )

    scored = [(signs(candidate), candidate) for candidate in pool if fits(candidate)]
    best = max((score for score, _candidate in scored), default=0)
    found = [candidate for score, candidate in scored if score == best]
    return found[0] if best and len(found) == 1 else None


def _words(text: str) -> set[str]:
    """The words of a text, without the punctuation around them: a bank reference named in
    it is one of them."""
    return {word.strip(".,;:()[]\"'") for word in text.split()} - {""}


def _tell_the_bureau(report: ImportReport) -> None:
    """An e-mail to the bureau when a reversal opened invoices again (after the commit)."""
    address = settings.M50_SELLER.get("email", "")
    if not address:
        return
    from django.core.mail import send_mail

    body = _(
        "Bij het inlezen van bankafschrift %(file)s (bericht %(message)s) zijn betalingen "
        "teruggeboekt door de bank. Deze facturen staan weer open:\n\n%(payments)s\n"
    ) % {
        "file": report.file_name or "-",
        "message": report.message_id,
        "payments": "\n".join(f"- {text}" for text in report.reversed_payments),
    }
    subject = _("Terugboeking: %(count)d betaling ongedaan gemaakt") % {
        "count": len(report.reversed_payments)
    }
    transaction.on_commit(lambda: send_mail(subject, body, None, [address], fail_silently=True))


# --- Matching by hand -------------------------------------------------------------------------


@changes(FINANCE)
def statement_line_match(*, line: StatementLine, invoice: Invoice, actor) -> Payment:
    """Books an unmatched credit line on ``invoice``, under the checks of the import."""
    line = StatementLine.objects.select_for_update().get(pk=line.pk)
    if not line.credit:
        raise ValidationError(
            _("Deze regel is een afschrijving; alleen bijschrijvingen horen bij een factuur.")
        )
    if line.status != BOOKED:
        raise ValidationError(
            _("Deze regel is nog niet geboekt door de bank (status %(status)s).")
            % {"status": line.status}
        )
    if line.reversal:
        raise ValidationError(
            _("Deze regel is een terugboeking; die wordt niet als betaling geboekt.")
        )
    if StatementLine.objects.filter(reverses=line).exists():
        raise ValidationError(_("Deze bijschrijving is door de bank teruggeboekt."))
    if line.dismissed_at is not None:
        raise ValidationError(
            _("Deze regel is gemarkeerd als geen factuurbetaling; maak dat eerst ongedaan.")
        )
    if line.duplicate:
        raise ValidationError(
            _(
                "Deze regel is mogelijk een dubbele boeking van een eerder ingelezen regel en "
                "wordt niet geboekt. Heeft de bank het bedrag echt nog een keer ontvangen, "
                "markeer de regel dan eerst als geen dubbele boeking."
            )
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


@changes(FINANCE)
def statement_line_dismiss(*, line: StatementLine, reason: str, actor) -> StatementLine:
    """Marks a line "geen factuurbetaling" with the bureau's reason: it leaves the unmatched
    list. Undone with :func:`statement_line_restore`."""
    line = StatementLine.objects.select_for_update().get(pk=line.pk)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Geef een reden op."))
    if Payment.objects.filter(statement_line=line).exists():
        raise ValidationError(_("Deze regel is al gekoppeld aan een factuur."))
    if line.dismissed_at is not None:
        raise ValidationError(_("Deze regel is al gemarkeerd als geen factuurbetaling."))
    limit = StatementLine._meta.get_field("dismissed_reason").max_length
    if len(reason) > limit:
        raise ValidationError(
            _("De reden is te lang (ten hoogste %(max)d tekens).") % {"max": limit}
        )
    line.dismissed_reason = reason
    line.dismissed_at = timezone.now()
    line.dismissed_by = _actor_user(actor)
    line.save(update_fields=["dismissed_reason", "dismissed_at", "dismissed_by"])
    audit_record(
        action="statement_line.dismiss", obj=line, actor=actor, changes=diff({}, {"reason": reason})
    )
    return line


@changes(FINANCE)
def statement_line_restore(*, line: StatementLine, actor) -> StatementLine:
    """Undoes "geen factuurbetaling": the line is unmatched again."""
    line = StatementLine.objects.select_for_update().get(pk=line.pk)
    if line.dismissed_at is None:
        raise ValidationError(_("Deze regel is niet gemarkeerd als geen factuurbetaling."))
    old = line.dismissed_reason
    line.dismissed_reason = ""
    line.dismissed_at = None
    line.dismissed_by = None
    line.save(update_fields=["dismissed_reason", "dismissed_at", "dismissed_by"])
    audit_record(
        action="statement_line.restore", obj=line, actor=actor, changes=diff({"reason": old}, {})
    )
    return line


NOT_DUPLICATE = "statement_line.not_duplicate"


@changes(FINANCE)
def statement_line_not_duplicate(*, line: StatementLine, reason: str, actor) -> StatementLine:
    """The bureau checked a suspected duplicate: it is a payment of its own (the bank did
    receive the amount twice), so it can be matched like any line. Audited with who, when and
    the reason; the line's note says so from then on."""
    line = StatementLine.objects.select_for_update().get(pk=line.pk)
    reason = " ".join((reason or "").split())
    if not line.duplicate:
        raise ValidationError(_("Deze regel is niet gemarkeerd als mogelijk dubbel."))
    if not reason:
        raise ValidationError(_("Geef een reden op."))
    if len(reason) > NOTE_LENGTH:
        raise ValidationError(
            _("De reden is te lang (ten hoogste %(max)d tekens).") % {"max": NOTE_LENGTH}
        )
    old_note = line.note
    line.duplicate = False
    line.note = (_("geen dubbele boeking: %(reason)s") % {"reason": reason})[:NOTE_LENGTH]
    line.save(update_fields=["duplicate", "note"])
    audit_record(
        action=NOT_DUPLICATE,
        obj=line,
        actor=actor,
        changes=diff(
            {"duplicate": True, "note": old_note},
            {"duplicate": False, "note": line.note, "reason": reason},
        ),
    )
    return line


def not_duplicate_event(line: StatementLine) -> AuditEvent | None:
    """Who marked this line "geen dubbele boeking", when and why; None if nobody did."""
    return (
        AuditEvent.objects.filter(
            action=NOT_DUPLICATE, object_type=StatementLine._meta.label, object_id=str(line.pk)
        )
        .select_related("actor")
        .first()
    )


@changes(FINANCE)
def payment_review(*, payment: Payment, actor) -> Payment:
    """The bureau checked a payment flagged for its payer: it leaves the list to check."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if not payment.review_reason:
        raise ValidationError(_("Deze betaling hoeft niet gecontroleerd te worden."))
    if payment.reviewed_at is not None:
        raise ValidationError(_("Deze betaling is al gecontroleerd."))
    payment.reviewed_at = timezone.now()
    payment.reviewed_by = _actor_user(actor)
    payment.save(update_fields=["reviewed_at", "reviewed_by"])
    audit_record(
        action="payment.review",
        obj=payment,
        actor=actor,
        changes=diff({}, {"reviewed": True, "reason": payment.review_reason}),
    )
    return payment


# --- Reads ------------------------------------------------------------------------------------


def unmatched_lines(*, credit_only: bool = False) -> QuerySet[StatementLine]:
    """Booked statement lines without a payment that still need the bureau, oldest first:
    not marked "geen factuurbetaling", not reversed or a matched reversal. Money out (bank
    costs) is among them unless ``credit_only``; suspected duplicates are among them, marked."""
    lines = StatementLine.objects.filter(
        payment__isnull=True,
        status=BOOKED,
        dismissed_at__isnull=True,
        reverses__isnull=True,
        reversed_by__isnull=True,
    ).select_related("statement")
    if credit_only:
        lines = lines.filter(credit=True)
    return lines.order_by("booking_date", "pk")


def unbooked_lines() -> QuerySet[StatementLine]:
    """Pending, information and future entries: listed, never booked; newest first."""
    return (
        StatementLine.objects.exclude(status=BOOKED)
        .select_related("statement")
        .order_by("-booking_date", "-pk")
    )


def dismissed_lines() -> QuerySet[StatementLine]:
    """Lines the bureau marked "geen factuurbetaling"; latest first."""
    return (
        StatementLine.objects.filter(dismissed_at__isnull=False)
        .select_related("statement", "dismissed_by")
        .order_by("-dismissed_at", "-pk")
    )


def reversed_lines() -> QuerySet[StatementLine]:
    """Reversals that undid an incoming entry, with what they reversed; latest first."""
    return (
        StatementLine.objects.filter(reverses__isnull=False)
        .select_related("statement", "reverses")
        .order_by("-booking_date", "-pk")
    )


def payments_to_review() -> QuerySet[Payment]:
    """Payments flagged for their payer and not checked yet; oldest first."""
    return (
        Payment.objects.filter(reviewed_at__isnull=True)
        .exclude(review_reason="")
        .select_related("invoice__membership__municipality", "statement_line")
        .order_by("paid_on", "pk")
    )


@dataclass(frozen=True)
class Suggestion:
    invoice: Invoice
    open_amount: Decimal
    reasons: tuple[str, ...]


SUGGESTIONS = 10


def match_suggestions(line: StatementLine, *, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """The invoices a line likely pays, best first: named in it (RF reference or number),
    from an account that municipality paid from before, or with exactly its amount open.
    A fixed number of queries: open invoices are read in one, ranked here. None for a
    suspected duplicate: it is not booked until the bureau marks it "geen dubbele boeking"."""
    if not line.credit or line.duplicate:
        return []
    named = line_candidates(line)
    by_number = {number: rank for rank, number in enumerate(named.all)}
    payer_municipalities = set(
        StatementLine.objects.filter(
            counterparty_iban=line.counterparty_iban, payment__invoice__isnull=False
        )
        .exclude(counterparty_iban="")
        .values_list("payment__invoice__membership__municipality_id", flat=True)
        .distinct()[:50]
    )
    wanted = (
        Q(number__in=list(by_number))
        | Q(membership__municipality_id__in=payer_municipalities)
        | Q(open_amount=line.amount)
    )
    payer = _plain_name(line.counterparty_name)
    if len(payer) >= 4:
        wanted |= Q(debtor_name__icontains=payer) | Q(membership__municipality__name__iexact=payer)
    rows = (
        Invoice.objects.filter(kind=Invoice.Kind.INVOICE, credited=False)
        .select_related("membership__municipality")
        .annotate(paid=F("paid_amount"))
        .annotate(open_amount=ExpressionWrapper(F("total") - F("paid"), output_field=MONEY))
        .filter(wanted, open_amount__gt=0)
    )
    scored = []
    for invoice in rows[:500]:
        municipality = invoice.membership.municipality
        reasons = []
        score = 0
        if invoice.number in by_number:
            reasons.append(_("genoemd in de omschrijving"))
            score += 4
        if municipality.pk in payer_municipalities:
            reasons.append(
                _("deze rekening betaalde eerder voor %(name)s") % {"name": municipality.name}
            )
            score += 2
        elif names_alike(line.counterparty_name, invoice.debtor_name, municipality.name):
            reasons.append(_("naam van de betaler"))
            score += 2
        if invoice.open_amount == line.amount:
            reasons.append(_("bedrag is gelijk aan wat openstaat"))
            score += 1
        if score == 0 or not invoice.number:
            continue
        suggestion = Suggestion(invoice, invoice.open_amount, tuple(reasons))
        scored.append((-score, invoice.due_date, invoice.number, suggestion))
    scored.sort(key=lambda item: item[:3])
    return [item[3] for item in scored[:limit]]
