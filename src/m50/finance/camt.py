"""Reading ISO 20022 CAMT.053 bank-to-customer statements, as Dutch banks deliver them.

Only what the payment matching needs is read, into plain dataclasses; nothing touches the
database here. The parser is safe for files from outside: no DTD, no entity expansion, no
network access, and a file with a DOCTYPE is refused outright.

A file is checked as a whole: every problem found (not XML, another kind of document, a missing
element, an amount that is not an exact euro amount, a bad date) is collected with the line in
the XML where it occurs, and :class:`CamtError` lists them all. A caller imports nothing then.

Layouts: ``camt.053.001.02`` (most Dutch banks until the SEPA 2025 migration) up to ``.13``.
The versions differ, for what is read here, only in the related parties: ``Dbtr/Nm`` until
``.07``, ``Dbtr/Pty/Nm`` from ``.08`` on; both are read.
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from m50.municipalities.services import InputFileError, Problem

NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:camt.053.001."
_NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(\d{2})")
SUPPORTED_VERSIONS = frozenset(f"{n:02d}" for n in range(2, 14))
CURRENCY = "EUR"
# An ISO 20022 amount: digits, a point, decimals; no sign, no thousands separator. A euro amount
# has at most two decimals; the database column holds twelve digits in all.
_AMOUNT = re.compile(r"\d{1,10}(\.\d{1,2})?")
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?")
_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")
# Lengths of the columns the values end up in; longer identifiers are refused, not cut.
MAX_ID_LENGTH = 100
MAX_NAME_LENGTH = 200


class CamtError(InputFileError):
    """A CAMT.053 file was refused; ``problems`` lists every problem with its XML line."""


@dataclass(frozen=True)
class Entry:
    """One booked entry (``Ntry``) of a statement."""

    line: int  # the line of the Ntry element in the file
    amount: Decimal
    currency: str
    credit: bool  # CdtDbtInd CRDT: money in
    booking_date: datetime.date
    reference: str = ""  # AcctSvcrRef, the bank's own reference of the entry
    counterparty_name: str = ""
    counterparty_iban: str = ""
    remittance: str = ""  # the Ustrd lines, joined with a space
    structured_references: tuple[str, ...] = ()  # Strd/CdtrRefInf/Ref

    @property
    def remittance_text(self) -> str:
        """All the payer said: the free text and the structured references."""
        return " ".join(part for part in (self.remittance, *self.structured_references) if part)


@dataclass(frozen=True)
class Statement:
    line: int
    id: str
    account_iban: str
    created_at: datetime.datetime | None
    entries: tuple[Entry, ...] = ()


@dataclass(frozen=True)
class Message:
    """A ``BkToCstmrStmt`` message: one file, one or more statements."""

    message_id: str
    created_at: datetime.datetime
    version: str
    statements: tuple[Statement, ...] = field(default_factory=tuple)

    @property
    def entry_count(self) -> int:
        return sum(len(statement.entries) for statement in self.statements)


# --- Reading ----------------------------------------------------------------------------------


def _parser() -> etree.XMLParser:
    # No entity expansion, no DTD, no network; huge_tree off keeps libxml2's size limits.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _read_bytes(file: Any) -> bytes:
    if isinstance(file, bytes):
        return file
    if isinstance(file, str | os.PathLike):
        return Path(file).read_bytes()
    data = file.read()
    if isinstance(data, str):
        # A text stream: lxml refuses a str with an encoding declaration, so encode it again.
        return data.encode("utf-8")
    return data


def file_name(file: Any) -> str:
    if isinstance(file, str | os.PathLike):
        return Path(file).name
    return Path(str(getattr(file, "name", "") or "")).name


def parse(file: Any) -> Message:
    """The statement message in ``file`` (a path, bytes or a stream).

    Raises :class:`CamtError` with every problem found.
    """
    data = _read_bytes(file)
    if not data.strip():
        raise CamtError([Problem(None, _("het bestand is leeg."))])
    doctype_line = _doctype_line(data)
    if doctype_line is not None:
        raise CamtError([Problem(doctype_line, _doctype_message())])
    parser = _parser()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        # The parser's own log: the exception's collects every parse of the thread.
        problems = [
            Problem(
                error.line or None, _("geen geldige XML: %(reason)s") % {"reason": error.message}
            )
            for error in parser.error_log
            if error.level_name in ("ERROR", "FATAL")
        ] or [Problem(exc.lineno or None, _("geen geldige XML: %(reason)s") % {"reason": exc.msg})]
        raise CamtError(problems) from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        # Not found by the scan before parsing (an encoding that is not ASCII-compatible).
        raise CamtError([Problem(None, _doctype_message())])
    return _Reader(root).message()


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


class _Reader:
    """Walks the tree once, collecting problems instead of stopping at the first."""

    def __init__(self, root: etree._Element):
        self.root = root
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

    def message(self) -> Message:
        root = self.root
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
        body = self.find(root, "BkToCstmrStmt")
        if body is None:
            raise CamtError(
                [Problem(root.sourceline, _("het element BkToCstmrStmt ontbreekt in Document."))]
            )

        header = self.find(body, "GrpHdr")
        message_id, created_at = "", None
        if header is None:
            self.problem(body, _("verplicht element GrpHdr ontbreekt in BkToCstmrStmt."))
        else:
            message_id = self.identifier(header, "MsgId", "GrpHdr")
            created = self.required(header, "CreDtTm", "GrpHdr")
            if created is not None:
                created_at = self.moment(created)

        statements = []
        seen: dict[tuple[str, str], int] = {}
        elements = self.findall(body, "Stmt")
        if not elements:
            self.problem(body, _("het bestand bevat geen afschrift (Stmt)."))
        for element in elements:
            statement = self.statement(element)
            key = (statement.account_iban, statement.id)
            if statement.id and key in seen:
                self.problem(
                    element,
                    _(
                        "afschrift %(id)s komt twee keer voor in het bestand (eerder op regel "
                        "%(line)d)."
                    )
                    % {"id": statement.id, "line": seen[key]},
                )
            seen.setdefault(key, element.sourceline)
            statements.append(statement)

        if self.problems:
            # In the order of the file; a missing child is reported at its parent's line.
            raise CamtError(sorted(self.problems, key=lambda problem: problem.line or 0))
        return Message(
            message_id=message_id,
            created_at=created_at,
            version=f"001.{version}",
            statements=tuple(statements),
        )

    def statement(self, element: etree._Element) -> Statement:
        statement_id = self.identifier(element, "Id", "Stmt")
        iban_element = self.required(element, "Acct/Id/IBAN", "Stmt")
        iban = ""
        if iban_element is not None:
            iban = _compact(iban_element.text)
            if not iban_valid(iban):
                self.problem(
                    iban_element,
                    _("%(iban)s is geen geldig IBAN-rekeningnummer.") % {"iban": iban},
                )
        created = self.find(element, "CreDtTm")
        created_at = self.moment(created) if created is not None else None
        entries = tuple(
            entry
            for entry in (self.entry(ntry) for ntry in self.findall(element, "Ntry"))
            if entry is not None
        )
        return Statement(
            line=element.sourceline,
            id=statement_id,
            account_iban=iban,
            created_at=created_at,
            entries=entries,
        )

    def entry(self, element: etree._Element) -> Entry | None:
        before = len(self.problems)
        amount, currency = self.amount(element)

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

        booking_date = self.booking_date(element)

        # Details: the first transaction's parties; remittance of every transaction.
        transactions = self.findall(element, "NtryDtls/TxDtls")
        parties = self.find(transactions[0], "RltdPties") if transactions else None
        party, account = ("Dbtr", "DbtrAcct") if credit else ("Cdtr", "CdtrAcct")
        name = self.text(parties, f"{party}/Nm") or self.text(parties, f"{party}/Pty/Nm")
        iban = _compact(self.text(parties, f"{account}/Id/IBAN"))
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
            counterparty_iban=iban[:34],
            remittance=" ".join(free_text),
            structured_references=tuple(references),
        )

    def amount(self, entry: etree._Element) -> tuple[Decimal, str]:
        element = self.required(entry, "Amt", "Ntry")
        if element is None:
            return Decimal("0.00"), ""
        value = element.text.strip()
        currency = (element.get("Ccy") or "").strip()
        if not _AMOUNT.fullmatch(value):
            self.problem(
                element,
                _(
                    "bedrag %(value)r is geen geldig bedrag in euro's (verwacht cijfers met ten "
                    "hoogste twee decimalen na een punt, zoals 5000.00)."
                )
                % {"value": value},
            )
            amount = Decimal("0.00")
        else:
            amount = Decimal(value).quantize(Decimal("0.01"))
        if currency != CURRENCY:
            self.problem(
                element,
                _("valuta %(currency)r wordt niet ondersteund; alleen EUR.")
                % {"currency": currency},
            )
        return amount, currency

    def booking_date(self, entry: etree._Element) -> datetime.date | None:
        for path in ("BookgDt", "ValDt"):
            holder = self.find(entry, path)
            if holder is None:
                continue
            date_element = self.find(holder, "Dt")
            if date_element is not None:
                return self.day(date_element, f"{path}/Dt")
            time_element = self.find(holder, "DtTm")
            if time_element is not None:
                moment = self.moment(time_element)
                return timezone.localtime(moment).date() if moment else None
            self.problem(holder, _("%(path)s bevat geen Dt of DtTm.") % {"path": path})
            return None
        self.problem(entry, _("verplicht element BookgDt ontbreekt in Ntry."))
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
    """Format and ISO 13616 check digits (mod 97)."""
    if not _IBAN.fullmatch(iban):
        return False
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    return int(digits) % 97 == 1
