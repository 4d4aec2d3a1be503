"""Reading ISO 20022 CAMT.053 bank-to-customer statements, as Dutch banks deliver them.

Only what the payment matching needs is read, into plain dataclasses; nothing touches the
database here. The parser is safe for files from outside: no DTD, no entity expansion, no
network access, and a file with a DOCTYPE is refused outright.

The file is read as a stream (``lxml.etree.iterparse``): each entry (``Ntry``) is read into a
small dataclass and its elements are dropped at once, so a statement never exists as a whole
tree in memory. With ``on_entry`` the entries are handed on instead of kept, and memory stays
the same whatever the size of the statement (the import reads the file twice that way: once
to check it all, once to store it batch by batch).

A file is checked as a whole: every problem found (not XML, another kind of document, a missing
element, an amount that is no exact cent amount, a bad date) is collected with the line in the
XML where it occurs, and :class:`CamtError` lists them all. A caller imports nothing then.

Layouts: ``camt.053.001.02`` (most Dutch banks until the SEPA 2025 migration) up to ``.13``.
The versions differ, for what is read here, in the related parties (``Dbtr/Nm`` until ``.07``,
``Dbtr/Pty/Nm`` from ``.08`` on) and in the entry status (``<Sts>BOOK</Sts>`` until ``.06``,
``<Sts><Cd>BOOK</Cd></Sts>`` from ``.07`` on); both forms are read. The account is an IBAN
(``Acct/Id/IBAN``) or another identifier (``Acct/Id/Othr/Id``).
"""

from __future__ import annotations

import contextlib
import datetime
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree
from stdnum import iban as stdnum_iban

from m50.municipalities.services import InputFileError, Problem

NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:camt.053.001."
_NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(\d{2})")
SUPPORTED_VERSIONS = frozenset(f"{n:02d}" for n in range(2, 14))
CURRENCY = "EUR"
# An xs:decimal as ISO 20022 writes an amount (ActiveOrHistoricCurrencyAndAmount): digits with
# a point, no sign, no thousands separator; leading zeros allowed (``000000000000001.90``).
_AMOUNT = re.compile(r"\+?(?=\.?\d)\d*(\.\d*)?")
ISO_TOTAL_DIGITS = 18
ISO_FRACTION_DIGITS = 5
CENT = Decimal("0.01")
# The statement line's amount column: twelve digits, two of them decimals.
MAX_AMOUNT = Decimal("9999999999.99")
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?")
# Lengths of the columns the values end up in; longer identifiers are refused, not cut.
MAX_ID_LENGTH = 100
MAX_NAME_LENGTH = 200
MAX_ACCOUNT_LENGTH = 34
# Entry status (ExternalEntryStatus1Code): only BOOK is money on the account.
BOOKED = "BOOK"
# EndToEndId a payer left empty.
NOT_PROVIDED = "NOTPROVIDED"
# The first bytes are scanned for a DOCTYPE before parsing (see ``_doctype_line``).
HEAD_BYTES = 64 * 1024


class CamtError(InputFileError):
    """A CAMT.053 file was refused; ``problems`` lists every problem with its XML line."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry (``Ntry``) of a statement."""

    line: int  # the line of the Ntry element in the file
    amount: Decimal
    currency: str
    credit: bool  # CdtDbtInd CRDT: money in
    booking_date: datetime.date | None  # None only for an entry that is not booked
    reference: str = ""  # AcctSvcrRef, the bank's own reference of the entry
    counterparty_name: str = ""
    counterparty_iban: str = ""  # or the other account identifier (Othr/Id)
    remittance: str = ""  # the Ustrd lines, joined with a space
    structured_references: tuple[str, ...] = ()  # Strd/CdtrRefInf/Ref
    status: str = BOOKED  # BOOK, PDNG, INFO, FUTR (or a bank's own code)
    value_date: datetime.date | None = None
    reversal: bool = False  # RvslInd
    entry_reference: str = ""  # NtryRef
    transaction_reference: str = ""  # TxDtls/Refs/AcctSvcrRef
    end_to_end_id: str = ""  # TxDtls/Refs/EndToEndId, without NOTPROVIDED
    additional_info: str = ""  # AddtlNtryInf
    remittance_lines: tuple[str, ...] = ()  # the Ustrd lines as delivered

    @property
    def booked(self) -> bool:
        return self.status == BOOKED

    @property
    def remittance_text(self) -> str:
        """All the payer said: the free text and the structured references."""
        return " ".join(part for part in (self.remittance, *self.structured_references) if part)

    @property
    def bank_reference(self) -> str:
        """The bank's reference of the entry or, lacking that, of its transaction."""
        return self.reference or self.transaction_reference


@dataclass(frozen=True)
class Statement:
    line: int
    id: str
    account_iban: str  # the IBAN, or the other identifier of the account (Othr/Id)
    created_at: datetime.datetime | None
    entries: tuple[Entry, ...] = ()
    electronic_sequence: str = ""  # ElctrncSeqNb
    period_from: datetime.datetime | None = None  # FrToDt/FrDtTm
    period_to: datetime.datetime | None = None  # FrToDt/ToDtTm
    entry_count: int = 0  # also when the entries were handed on, not kept (``on_entry``)

    @property
    def identity(self) -> tuple:
        """What makes two deliveries the same statement: not the message id, which a bank
        changes when it sends a statement again."""
        return (
            self.account_iban,
            self.id,
            self.electronic_sequence,
            self.period_from,
            self.period_to,
        )


@dataclass(frozen=True)
class Message:
    """A ``BkToCstmrStmt`` message: one file, one or more statements."""

    message_id: str
    created_at: datetime.datetime
    version: str
    statements: tuple[Statement, ...] = field(default_factory=tuple)

    @property
    def entry_count(self) -> int:
        return sum(statement.entry_count for statement in self.statements)


def parse_amount(value: str) -> tuple[Decimal | None, str | None]:
    """The amount in ``value`` as ISO 20022 writes it, or None with the reason it is refused.

    Accepted: what the schema allows (up to 18 digits, up to 5 of them decimals, leading
    zeros) when it is an exact number of cents and fits the database.
    """
    if not _AMOUNT.fullmatch(value):
        if value.startswith("-"):
            return None, _(
                "bedrag %(value)r is negatief; in CAMT.053 is een bedrag nooit negatief, de "
                "richting staat in CdtDbtInd."
            ) % {"value": value}
        return None, _(
            "bedrag %(value)r is geen geldig bedrag (verwacht cijfers met een punt als "
            "decimaalteken, zoals 5000.00)."
        ) % {"value": value}
    try:
        amount = Decimal(value.lstrip("+"))
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return None, _("bedrag %(value)r is geen geldig bedrag.") % {"value": value}
    digits = amount.normalize().as_tuple()
    fraction = max(0, -digits.exponent)
    total = max(len(digits.digits), fraction)
    if fraction > ISO_FRACTION_DIGITS or total > ISO_TOTAL_DIGITS:
        return None, _(
            "bedrag %(value)r heeft meer cijfers dan ISO 20022 toestaat (ten hoogste "
            "%(total)d cijfers, waarvan %(fraction)d decimalen)."
        ) % {"value": value, "total": ISO_TOTAL_DIGITS, "fraction": ISO_FRACTION_DIGITS}
    if amount != amount.quantize(CENT):
        return None, _(
            "bedrag %(value)r is geen heel aantal centen; een betaling in euro's kan geen "
            "fractie van een cent bevatten."
        ) % {"value": value}
    amount = amount.quantize(CENT)
    if amount > MAX_AMOUNT:
        return None, _(
            "bedrag %(value)r is te groot om op te slaan (ten hoogste € 9.999.999.999,99)."
        ) % {"value": value}
    return amount, None


# --- Reading ----------------------------------------------------------------------------------


class _Prefixed:
    """A byte stream whose first bytes were already read (to look for a DOCTYPE)."""

    def __init__(self, head: bytes, rest: Any):
        self.head = head
        self.rest = rest

    def read(self, size: int = -1) -> bytes:
        if self.head:
            if size is None or size < 0:
                data, self.head = self.head + (self.rest.read() or b""), b""
                return data
            data, self.head = self.head[:size], self.head[size:]
            return data
        return self.rest.read(size) if size is not None and size >= 0 else self.rest.read()


def _open(file: Any) -> tuple[Any, Any]:
    """A binary stream over ``file`` (a path, bytes or a stream) and what to close after."""
    if isinstance(file, bytes | bytearray):
        return io.BytesIO(file), None
    if isinstance(file, str | os.PathLike):
        handle = Path(file).open("rb")  # noqa: SIM115 - closed by parse()
        return handle, handle
    if hasattr(file, "seek"):
        with contextlib.suppress(OSError, ValueError):
            file.seek(0)  # a form's validation may have read an uploaded file already
    return file, None


def file_name(file: Any) -> str:
    if isinstance(file, str | os.PathLike):
        return Path(file).name
    return Path(str(getattr(file, "name", "") or "")).name


def file_size(file: Any) -> int | None:
    """The size in bytes of ``file`` (a path, bytes or an uploaded file), when known."""
    if isinstance(file, bytes | bytearray):
        return len(file)
    if isinstance(file, str | os.PathLike):
        return Path(file).stat().st_size
    return getattr(file, "size", None)


def parse(file: Any, *, on_entry: Callable[[int, Entry], None] | None = None) -> Message:
    """The statement message in ``file`` (a path, bytes or a stream).

    With ``on_entry``, each entry is handed to it as it is read, with the index of its
    statement in the file, and not kept in the message: memory then stays the same whatever
    the number of entries. Raises :class:`CamtError` with every problem found.
    """
    stream, handle = _open(file)
    try:
        head = stream.read(HEAD_BYTES)
        if isinstance(head, str):
            # A text stream: lxml refuses a str with an encoding declaration, so encode it.
            head = (head + stream.read()).encode("utf-8")
            stream = io.BytesIO(b"")
        if not head.strip():
            raise CamtError([Problem(None, _("het bestand is leeg."))])
        doctype_line = _doctype_line(head)
        if doctype_line is not None:
            raise CamtError([Problem(doctype_line, _doctype_message())])
        return _Reader(on_entry).read(_Prefixed(head, stream))
    finally:
        if handle is not None:
            handle.close()


def _doctype_message() -> str:
    return _(
        "het bestand bevat een DOCTYPE-declaratie; die hoort niet in een CAMT.053-afschrift en "
        "wordt om veiligheidsredenen geweigerd."
    )


def _doctype_line(data: bytes) -> int | None:
    """The line of a DOCTYPE in the prolog (before the root element), or None.

    Checked before parsing, so that a file with entity tricks gets this message and not a
    parse error about an undefined entity.
    """
    position = 0
    while True:
        start = data.find(b"<", position)
        if start < 0:
            return None
        if data.startswith(b"<?", start):
            position = data.find(b"?>", start)
        elif data.startswith(b"<!--", start):
            position = data.find(b"-->", start)
        elif data[start : start + 9].upper() == b"<!DOCTYPE":
            return data.count(b"\n", 0, start) + 1
        else:
            return None  # the root element
        if position < 0:
            return None


def _syntax_problems(exc: etree.XMLSyntaxError) -> list[Problem]:
    # The exception's own message; its error_log collects every parse of the thread.
    reason = re.sub(r", line \d+, column \d+$", "", exc.msg or "")
    return [Problem(exc.lineno or None, _("geen geldige XML: %(reason)s") % {"reason": reason})]


class _Reader:
    """Streams through the file once, collecting problems instead of stopping at the first."""

    def __init__(self, on_entry: Callable[[int, Entry], None] | None = None):
        self.on_entry = on_entry
        self.problems: list[Problem] = []
        self.ns = ""
        self._paths: dict[str, str] = {}  # "Acct/Id/IBAN" -> "{ns}Acct/{ns}Id/{ns}IBAN"

    # -- helpers

    def problem(self, element: etree._Element | None, message: str) -> None:
        line = getattr(element, "sourceline", None)
        self.problems.append(Problem(line, message))

    def find(self, parent: etree._Element | None, path: str) -> etree._Element | None:
        if parent is None:
            return None
        return parent.find(self._qualified(path))

    def findall(self, parent: etree._Element | None, path: str) -> list[etree._Element]:
        if parent is None:
            return []
        return parent.findall(self._qualified(path))

    def _qualified(self, path: str) -> str:
        qualified = self._paths.get(path)
        if qualified is None:
            qualified = "/".join(f"{{{self.ns}}}{step}" for step in path.split("/"))
            self._paths[path] = qualified
        return qualified

    def text(self, parent: etree._Element | None, path: str) -> str:
        element = self.find(parent, path)
        return (element.text or "").strip() if element is not None else ""

    def required(self, parent: etree._Element, path: str, where: str) -> etree._Element | None:
        """The element at ``path`` with text; a problem at ``parent``'s line when missing."""
        element = self.find(parent, path)
        if element is None or not (element.text or "").strip():
            self.problem(
                element if element is not None else parent,
                _("verplicht element %(path)s ontbreekt in %(where)s.")
                % {"path": path, "where": where},
            )
            return None
        return element

    def identifier(self, parent: etree._Element, path: str, where: str) -> str:
        element = self.required(parent, path, where)
        if element is None:
            return ""
        value = element.text.strip()
        if len(value) > MAX_ID_LENGTH:
            self.problem(
                element,
                _("%(path)s is langer dan %(max)d tekens.") % {"path": path, "max": MAX_ID_LENGTH},
            )
        return value

    # -- the message

    def read(self, stream: Any) -> Message:
        context = etree.iterparse(
            stream,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        root = None
        header = None
        body_seen = False
        message_id, created_at, version = "", None, ""
        statements: list[Statement] = []
        entries: list[Entry] = []
        count = 0
        seen: dict[tuple, int] = {}
        try:
            for event, element in context:
                if root is None:
                    root = element
                    version = self.root(element)
                    continue
                if event == "start":
                    if element.tag == self._qualified("Stmt"):
                        entries, count = [], 0
                    continue
                tag = element.tag
                parent = element.getparent()
                if tag == self._qualified("Ntry") and parent is not None:
                    entry = self.entry(element)
                    count += 1
                    if entry is not None and self.on_entry is not None:
                        if not self.problems:  # handed on only while the file is sound
                            self.on_entry(len(statements), entry)
                    elif entry is not None:
                        entries.append(entry)
                    self._drop(element)
                elif (
                    tag == self._qualified("GrpHdr")
                    and parent is not None
                    and parent.getparent() is root
                ):
                    header = element
                    message_id, created_at = self.header(element)
                    self._drop(element)
                elif tag == self._qualified("Stmt"):
                    statement = self.statement(element, tuple(entries), count)
                    entries, count = [], 0
                    key = statement.identity
                    if statement.id and key in seen:
                        self.problem(
                            element,
                            _(
                                "afschrift %(id)s komt twee keer voor in het bestand (eerder op "
                                "regel %(line)d)."
                            )
                            % {"id": statement.id, "line": seen[key]},
                        )
                    seen.setdefault(key, statement.line)
                    statements.append(statement)
                    self._drop(element)
                elif tag == self._qualified("BkToCstmrStmt") and parent is root:
                    body_seen = True
                    if header is None:
                        self.problem(
                            element, _("verplicht element GrpHdr ontbreekt in BkToCstmrStmt.")
                        )
                    if not statements:
                        self.problem(element, _("het bestand bevat geen afschrift (Stmt)."))
        except etree.XMLSyntaxError as exc:
            raise CamtError(_syntax_problems(exc)) from exc
        if root is not None and not body_seen:
            raise CamtError(
                [Problem(root.sourceline, _("het element BkToCstmrStmt ontbreekt in Document."))]
            )
        if self.problems:
            # In the order of the file; a missing child is reported at its parent's line.
            raise CamtError(sorted(self.problems, key=lambda problem: problem.line or 0))
        return Message(
            message_id=message_id,
            created_at=created_at,
            version=f"001.{version}",
            statements=tuple(statements),
        )

    @staticmethod
    def _drop(element: etree._Element) -> None:
        """Frees a read element (and what came before it) so the tree never grows."""
        element.clear()
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)

    def root(self, root: etree._Element) -> str:
        docinfo = root.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            # Not found by the scan before parsing (an encoding that is not ASCII-compatible).
            raise CamtError([Problem(None, _doctype_message())])
        match = _NAMESPACE.fullmatch(etree.QName(root).namespace or "")
        if etree.QName(root).localname != "Document" or match is None:
            raise CamtError(
                [
                    Problem(
                        root.sourceline,
                        _(
                            "dit is geen CAMT.053-bankafschrift: het hoofdelement is %(tag)s, "
                            "verwacht Document in de naamruimte %(ns)s02 (of .08)."
                        )
                        % {"tag": root.tag, "ns": NAMESPACE_PREFIX},
                    )
                ]
            )
        version = match.group(1)
        if version not in SUPPORTED_VERSIONS:
            raise CamtError(
                [
                    Problem(
                        root.sourceline,
                        _("CAMT.053-versie %(version)s wordt niet ondersteund.")
                        % {"version": f"001.{version}"},
                    )
                ]
            )
        self.ns = match.group(0)
        return version

    def header(self, header: etree._Element) -> tuple[str, datetime.datetime | None]:
        message_id = self.identifier(header, "MsgId", "GrpHdr")
        created_at = None
        created = self.required(header, "CreDtTm", "GrpHdr")
        if created is not None:
            created_at = self.moment(created)
        return message_id, created_at

    def statement(
        self, element: etree._Element, entries: tuple[Entry, ...], count: int
    ) -> Statement:
        statement_id = self.identifier(element, "Id", "Stmt")
        account = self.account(element)
        created = self.find(element, "CreDtTm")
        created_at = self.moment(created) if created is not None else None
        sequence = self.text(element, "ElctrncSeqNb")
        if sequence:
            try:
                sequence = str(int(Decimal(sequence)))
            except (InvalidOperation, ValueError):
                self.problem(
                    self.find(element, "ElctrncSeqNb"),
                    _("ElctrncSeqNb %(value)r is geen volgnummer.") % {"value": sequence},
                )
        period_from = period_to = None
        period = self.find(element, "FrToDt")
        if period is not None:
            start, end = self.find(period, "FrDtTm"), self.find(period, "ToDtTm")
            period_from = self.moment(start) if start is not None else None
            period_to = self.moment(end) if end is not None else None
        return Statement(
            line=element.sourceline,
            id=statement_id,
            account_iban=account,
            created_at=created_at,
            entries=entries,
            entry_count=count,
            electronic_sequence=sequence,
            period_from=period_from,
            period_to=period_to,
        )

    def account(self, statement: etree._Element) -> str:
        """The account's IBAN, or its other identifier (``Othr/Id``)."""
        iban_element = self.find(statement, "Acct/Id/IBAN")
        if iban_element is not None and (iban_element.text or "").strip():
            iban = _compact(iban_element.text)
            if not iban_valid(iban):
                self.problem(
                    iban_element,
                    _("%(iban)s is geen geldig IBAN-rekeningnummer.") % {"iban": iban},
                )
            return iban
        other = self.find(statement, "Acct/Id/Othr/Id")
        if other is not None and (other.text or "").strip():
            value = _compact(other.text)
            if len(value) > MAX_ACCOUNT_LENGTH:
                self.problem(
                    other,
                    _("Acct/Id/Othr/Id is langer dan %(max)d tekens.")
                    % {"max": MAX_ACCOUNT_LENGTH},
                )
            return value
        self.problem(
            self.find(statement, "Acct") if self.find(statement, "Acct") is not None else statement,
            _("verplicht element Acct/Id/IBAN (of Acct/Id/Othr/Id) ontbreekt in Stmt."),
        )
        return ""

    def status(self, entry: etree._Element) -> str:
        element = self.find(entry, "Sts")
        if element is None:
            self.problem(entry, _("verplicht element Sts ontbreekt in Ntry."))
            return ""
        # Until .06 the code is the element's text; from .07 on it is in Cd (or Prtry).
        value = (
            (element.text or "").strip() or self.text(element, "Cd") or self.text(element, "Prtry")
        ).upper()
        if not value:
            self.problem(element, _("Sts bevat geen status in Ntry."))
        return value[:35]

    def entry(self, element: etree._Element) -> Entry | None:
        before = len(self.problems)
        amount, currency = self.amount(element)
        status = self.status(element)

        credit = True
        indicator = self.required(element, "CdtDbtInd", "Ntry")
        if indicator is not None:
            value = indicator.text.strip()
            if value not in ("CRDT", "DBIT"):
                self.problem(
                    indicator,
                    _("CdtDbtInd is %(value)r; verwacht CRDT (bij) of DBIT (af).")
                    % {"value": value},
                )
            credit = value == "CRDT"

        value_date = self.date_of(element, "ValDt")
        booking_date = self.date_of(element, "BookgDt")
        if self.find(element, "BookgDt") is None:
            booking_date = value_date
            missing = self.find(element, "ValDt") is None
            if missing and status in (BOOKED, ""):
                self.problem(element, _("verplicht element BookgDt ontbreekt in Ntry."))

        reversal = self.text(element, "RvslInd").lower() in ("true", "1")

        # Details: the first transaction's parties and references; remittance of every one.
        transactions = self.findall(element, "NtryDtls/TxDtls")
        first = transactions[0] if transactions else None
        parties = self.find(first, "RltdPties")
        # The counterparty: who paid (money in) or was paid (money out). A reversal of money
        # in is booked as money out, with the original payer still as debtor.
        incoming = credit != reversal
        party, account = ("Dbtr", "DbtrAcct") if incoming else ("Cdtr", "CdtrAcct")
        name = self.text(parties, f"{party}/Nm") or self.text(parties, f"{party}/Pty/Nm")
        counter_account = _compact(
            self.text(parties, f"{account}/Id/IBAN") or self.text(parties, f"{account}/Id/Othr/Id")
        )
        end_to_end = self.text(first, "Refs/EndToEndId")
        if end_to_end.upper() == NOT_PROVIDED:
            end_to_end = ""
        free_text: list[str] = []
        references: list[str] = []
        for transaction in transactions:
            for line in self.findall(transaction, "RmtInf/Ustrd"):
                if (line.text or "").strip():
                    free_text.append(" ".join(line.text.split()))
            for reference in self.findall(transaction, "RmtInf/Strd/CdtrRefInf/Ref"):
                if (reference.text or "").strip():
                    references.append(reference.text.strip())
        if len(self.problems) > before:
            return None
        return Entry(
            line=element.sourceline,
            amount=amount,
            currency=currency,
            credit=credit,
            booking_date=booking_date,
            reference=self.text(element, "AcctSvcrRef")[:MAX_ID_LENGTH],
            counterparty_name=name[:MAX_NAME_LENGTH],
            counterparty_iban=counter_account[:MAX_ACCOUNT_LENGTH],
            remittance=" ".join(free_text),
            structured_references=tuple(references),
            status=status,
            value_date=value_date,
            reversal=reversal,
            entry_reference=self.text(element, "NtryRef")[:MAX_ID_LENGTH],
            transaction_reference=self.text(first, "Refs/AcctSvcrRef")[:MAX_ID_LENGTH],
            end_to_end_id=end_to_end[:MAX_ID_LENGTH],
            additional_info=" ".join(self.text(element, "AddtlNtryInf").split()),
            remittance_lines=tuple(free_text),
        )

    def amount(self, entry: etree._Element) -> tuple[Decimal, str]:
        element = self.required(entry, "Amt", "Ntry")
        if element is None:
            return Decimal("0.00"), ""
        value = element.text.strip()
        currency = (element.get("Ccy") or "").strip()
        amount, refusal = parse_amount(value)
        if refusal:
            self.problem(element, refusal)
        if currency != CURRENCY:
            self.problem(
                element,
                _("valuta %(currency)r wordt niet ondersteund; alleen EUR.")
                % {"currency": currency},
            )
        return amount if amount is not None else Decimal("0.00"), currency

    def date_of(self, entry: etree._Element, path: str) -> datetime.date | None:
        """The date in ``BookgDt`` or ``ValDt`` (as Dt or DtTm), or None."""
        holder = self.find(entry, path)
        if holder is None:
            return None
        date_element = self.find(holder, "Dt")
        if date_element is not None:
            return self.day(date_element, f"{path}/Dt")
        time_element = self.find(holder, "DtTm")
        if time_element is not None:
            moment = self.moment(time_element)
            return timezone.localtime(moment).date() if moment else None
        self.problem(holder, _("%(path)s bevat geen Dt of DtTm.") % {"path": path})
        return None

    def day(self, element: etree._Element, path: str) -> datetime.date | None:
        value = (element.text or "").strip()
        match = _DATE.fullmatch(value)
        try:
            if match is None:
                raise ValueError(value)
            return datetime.date.fromisoformat(match.group(1))
        except ValueError:
            self.problem(
                element,
                _("ongeldige datum %(value)r in %(path)s (verwacht JJJJ-MM-DD).")
                % {"value": value, "path": path},
            )
            return None

    def moment(self, element: etree._Element) -> datetime.datetime | None:
        value = (element.text or "").strip()
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            self.problem(
                element,
                _("ongeldig tijdstip %(value)r in %(tag)s (verwacht JJJJ-MM-DDTuu:mm:ss).")
                % {"value": value, "tag": etree.QName(element).localname},
            )
            return None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment


def _compact(value: str | None) -> str:
    return "".join((value or "").split()).upper()


def iban_valid(iban: str) -> bool:
    """Format, country length and ISO 13616 check digits (python-stdnum)."""
    return stdnum_iban.is_valid(iban)
