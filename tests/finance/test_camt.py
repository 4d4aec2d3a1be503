"""CAMT.053 bank statements: parsing, matching to invoices, re-import, bad files, matching by
hand, the import-camt command, and a query count that does not grow with the lines."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal
from io import StringIO
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from m50.core.models import AuditEvent
from m50.finance import camt, payments, selectors, services
from m50.finance.models import BankStatement, Invoice, Payment, StatementLine
from m50.membership.services import membership_listed_create
from tests.factories import MunicipalityFactory, UserFactory
from tests.finance import issue

SAMPLE = Path(__file__).parent / "data" / "camt053_sample.xml"
ACCOUNT = "NL91ABNA0417164300"
RUN_DATE = datetime.date(2024, 1, 16)
FIVE_K = Decimal("5000.00")

pytestmark = pytest.mark.django_db


# The payers of the sample statement, so that its payments come from their debtors (the run
# numbers the invoices in the order of the names).
PAYERS = ("A-Voorbeeldstad", "B-Proefdorp", "C-Modelveen", "D-Testerhout")


def make_invoices(count: int) -> list[Invoice]:
    """``count`` members from the April 2023 list, invoiced for 2024: 2024-0001 onwards; the
    first four are the sample's payers."""
    services.fee_reference_load()
    for index in range(count):
        named = {"name": PAYERS[index]} if index < len(PAYERS) else {}
        municipality = MunicipalityFactory(**named)
        membership_listed_create(
            municipality=municipality, listed_since="2023-04", listed_source=""
        )
    invoices = issue(services.invoice_run(year=2024, issue_date=RUN_DATE))
    assert [i.number for i in invoices] == [f"2024-{n:04d}" for n in range(1, count + 1)]
    return invoices


def entry_xml(
    amount: str,
    *,
    indicator: str = "CRDT",
    ustrd: str | None = None,
    ref: str | None = None,
    currency: str = "EUR",
    booked: str = "2024-03-15",
    reference: str = "",
    debtor: str = "Gemeente A-Voorbeeldstad",
    party_in_pty: bool = False,
) -> str:
    name = f"<Nm>{escape(debtor)}</Nm>"
    if party_in_pty:
        name = f"<Pty>{name}</Pty>"
    remittance = ""
    if ustrd is not None:
        remittance += f"<Ustrd>{escape(ustrd)}</Ustrd>"
    if ref is not None:
        remittance += f"<Strd><CdtrRefInf><Ref>{escape(ref)}</Ref></CdtrRefInf></Strd>"
    return (
        "<Ntry>\n"
        f'<Amt Ccy="{currency}">{amount}</Amt>\n'
        f"<CdtDbtInd>{indicator}</CdtDbtInd>\n"
        "<Sts>BOOK</Sts>\n"
        f"<BookgDt><Dt>{booked}</Dt></BookgDt>\n"
        + (f"<AcctSvcrRef>{reference}</AcctSvcrRef>\n" if reference else "")
        + "<NtryDtls><TxDtls>\n"
        f"<RltdPties><Dbtr>{name}</Dbtr>"
        "<DbtrAcct><Id><IBAN>NL38BNGH0285012345</IBAN></Id></DbtrAcct></RltdPties>\n"
        f"<RmtInf>{remittance}</RmtInf>\n"
        "</TxDtls></NtryDtls>\n"
        "</Ntry>\n"
    )


def statement_xml(
    entries: list[str],
    *,
    message_id: str = "MSG-0001",
    statement_id: str = "STMT-0001",
    iban: str = ACCOUNT,
    version: str = "02",
) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}">\n'
        "<BkToCstmrStmt>\n"
        f"<GrpHdr><MsgId>{message_id}</MsgId>"
        "<CreDtTm>2024-03-16T06:00:00+01:00</CreDtTm></GrpHdr>\n"
        "<Stmt>\n"
        f"<Id>{statement_id}</Id>\n"
        f"<Acct><Id><IBAN>{iban}</IBAN></Id></Acct>\n" + "".join(entries) + "</Stmt>\n"
        "</BkToCstmrStmt>\n"
        "</Document>\n"
    ).encode()


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (BankStatement, StatementLine, Payment, AuditEvent)
    )


def open_amount(number: str) -> Decimal:
    return selectors.open_amount(selectors.invoice_by_number(number=number))


def ntry_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), start=1) if line.strip() == "<Ntry>"]


# --- Parsing ----------------------------------------------------------------------------------


def test_the_sample_parses_into_its_statement_and_entries():
    message = camt.parse(SAMPLE)

    assert message.message_id == "ABN20240315T0612341234567"
    assert message.version == "001.02"
    assert message.created_at == datetime.datetime(
        2024, 3, 16, 6, 12, 34, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
    )
    (statement,) = message.statements
    assert (statement.id, statement.account_iban) == ("0417164300-2024-03-15", ACCOUNT)
    entries = statement.entries
    assert [e.line for e in entries] == ntry_lines(SAMPLE.read_text())
    assert [e.amount for e in entries] == [
        FIVE_K,
        Decimal("2500.00"),
        FIVE_K,
        FIVE_K,
        Decimal("12.50"),
        FIVE_K,
    ]
    assert all(isinstance(e.amount, Decimal) and e.currency == "EUR" for e in entries)
    assert [e.credit for e in entries] == [True, True, True, True, False, True]
    assert {e.booking_date for e in entries} == {datetime.date(2024, 3, 15)}
    full, partial, structured, _unknown, debit, _none = entries
    assert full.remittance == "Factuur 2024-0001 contributie M50"
    assert full.reference == "0315A1B2C3D4E5F6"
    assert (full.counterparty_name, full.counterparty_iban) == (
        "GEMEENTE VOORBEELDSTAD",
        "NL38BNGH0285012345",
    )
    # Two Ustrd lines joined, in order.
    assert partial.remittance == (
        "Contributie M50 2024 eerste termijn uw factuur 2024-0002 kenmerk 24/1187"
    )
    assert structured.remittance == "" and structured.structured_references == ("2024-0003",)
    assert structured.remittance_text == "2024-0003"
    assert debit.counterparty_name == "" and not debit.credit


def test_version_08_reads_the_party_under_pty_and_a_booking_datetime():
    data = statement_xml(
        [entry_xml("5000.00", ustrd="Factuur 2024-0001", party_in_pty=True)], version="08"
    ).replace(
        b"<BookgDt><Dt>2024-03-15</Dt></BookgDt>",
        b"<BookgDt><DtTm>2024-03-15T23:30:00Z</DtTm></BookgDt>",
    )
    message = camt.parse(data)
    (entry,) = message.statements[0].entries
    assert message.version == "001.08"
    assert entry.counterparty_name == "Gemeente A-Voorbeeldstad"
    # 23:30 UTC is already 16 March in Amsterdam.
    assert entry.booking_date == datetime.date(2024, 3, 16)


def test_a_stream_and_a_text_stream_parse_like_a_path():
    from io import BytesIO

    data = SAMPLE.read_bytes()
    assert camt.parse(BytesIO(data)) == camt.parse(SAMPLE)
    assert camt.parse(StringIO(data.decode())) == camt.parse(SAMPLE)


# --- Matching on import -----------------------------------------------------------------------


def test_the_sample_matches_full_partial_and_structured_and_leaves_the_rest():
    make_invoices(4)

    report = payments.bank_statement_import(file=SAMPLE)

    assert (report.lines, report.matched, report.partial, report.unmatched) == (6, 2, 1, 3)
    assert report.debits == 1
    assert report.imported == ["0417164300-2024-03-15"] and report.already_imported == []
    assert report.summary() == (
        "6 regels ingelezen: 2 betaald, 1 deels betaald, 3 niet gekoppeld (waarvan 1 afschrijving)."
    )
    outcomes = [(r.outcome, r.invoice_number) for r in report.results]
    assert outcomes == [
        ("matched", "2024-0001"),
        ("partial", "2024-0002"),
        ("matched", "2024-0003"),
        ("unmatched", "2024-0999"),
        ("unmatched", ""),
        ("unmatched", ""),
    ]
    reasons = [r.reason for r in report.results]
    assert reasons[3] == "onbekend factuurnummer 2024-0999."
    assert reasons[4] == "afschrijving."
    assert reasons[5] == "geen factuurnummer in de omschrijving."
    assert [r.source_line for r in report.results] == ntry_lines(SAMPLE.read_text())

    assert open_amount("2024-0001") == 0
    assert open_amount("2024-0002") == Decimal("2500.00")
    assert open_amount("2024-0003") == 0
    assert open_amount("2024-0004") == FIVE_K
    paid = selectors.invoice_by_number(number="2024-0001")
    assert selectors.invoice_status(paid) == selectors.Status.PAID
    payment = Payment.objects.get(invoice__number="2024-0001")
    assert payment.amount == FIVE_K and payment.paid_on == datetime.date(2024, 3, 15)
    assert payment.statement_line.entry_reference == "0315A1B2C3D4E5F6"
    assert payment.reference == "Factuur 2024-0001 contributie M50"

    statement = BankStatement.objects.get()
    assert (statement.account_iban, statement.message_id, statement.file_name) == (
        ACCOUNT,
        "ABN20240315T0612341234567",
        "camt053_sample.xml",
    )
    assert statement.lines.count() == 6
    assert [line.remittance for line in payments.unmatched_lines()] == [
        "Factuur 2024-0999 contributie M50",
        "Kosten zakelijk betalingsverkeer februari 2024",
        "Bijdrage lidmaatschap",
    ]
    assert payments.unmatched_lines(credit_only=True).count() == 2
    # Each payment is in the audit trail, and so is the import.
    assert AuditEvent.objects.filter(action="payment.register").count() == 3
    assert AuditEvent.objects.filter(action="bank_statement.import").count() == 1


def test_partial_payments_add_up_and_an_over_payment_stays_unmatched():
    make_invoices(2)
    data = statement_xml(
        [
            entry_xml("1000.00", ustrd="Factuur 2024-0001 termijn 1"),
            entry_xml("4000.00", ustrd="Factuur 2024-0001 termijn 2"),  # pays the rest
            entry_xml("10.00", ustrd="Factuur 2024-0001 nogmaals"),  # nothing left open
            entry_xml("5000.01", ustrd="Factuur 2024-0002"),  # one cent too much
        ]
    )

    report = payments.bank_statement_import(file=data)

    assert [(r.outcome, r.invoice_number) for r in report.results] == [
        ("partial", "2024-0001"),
        ("matched", "2024-0001"),
        ("unmatched", "2024-0001"),
        ("unmatched", "2024-0002"),
    ]
    assert report.summary() == ("4 regels ingelezen: 1 betaald, 1 deels betaald, 2 niet gekoppeld.")
    assert report.results[2].reason == "factuur 2024-0001 is al volledig betaald."
    assert report.results[3].reason == (
        "het bedrag (€ 5.000,01) is hoger dan wat op factuur 2024-0002 openstaat (€ 5.000,00)."
    )
    assert open_amount("2024-0001") == 0
    assert open_amount("2024-0002") == FIVE_K


def test_credited_invoices_credit_notes_and_several_numbers_stay_unmatched():
    first, _second, third = make_invoices(3)
    note = services.invoice_credit(
        invoice=first, reason="Dubbel gefactureerd", issue_date=datetime.date(2024, 3, 1)
    )
    assert note.number == "2024-0004"
    data = statement_xml(
        [
            entry_xml("5000.00", ustrd="Factuur 2024-0001"),
            entry_xml("5000.00", ustrd="Creditnota 2024-0004"),
            entry_xml("10000.00", ustrd="Facturen 2024-0002 en 2024-0003"),
            entry_xml("5000.00", ustrd="Factuur 2024-0003 ref. 2019-12"),  # one real number
        ]
    )

    report = payments.bank_statement_import(file=data)

    assert [r.reason for r in report.results] == [
        "factuur 2024-0001 is gecrediteerd.",
        "2024-0004 is een creditnota; daarop wordt niet betaald.",
        "meerdere factuurnummers (2024-0002, 2024-0003); koppel deze regel met de hand.",
        "",
    ]
    assert Payment.objects.get().invoice == third


def test_a_number_inside_a_longer_token_is_not_an_invoice_number():
    assert payments.invoice_numbers("NL2024-00015 x12024-0001 2024-0001a") == []
    assert payments.invoice_numbers("fact.nr.2024-0001/2024-0002, 2024-0001 2024-10000") == [
        "2024-0001",
        "2024-0002",
        "2024-10000",  # past 9,999 invoices in a year
    ]


def test_a_day_without_entries_is_imported_as_an_empty_statement():
    report = payments.bank_statement_import(file=statement_xml([]))

    assert report.changed and report.lines == 0
    assert report.summary() == "0 regels ingelezen: 0 betaald, 0 deels betaald, 0 niet gekoppeld."
    assert BankStatement.objects.count() == 1


# --- Importing again --------------------------------------------------------------------------


def test_importing_the_same_statement_again_changes_nothing():
    make_invoices(4)
    payments.bank_statement_import(file=SAMPLE)
    before = counts()

    report = payments.bank_statement_import(file=SAMPLE)

    assert counts() == before
    assert not report.changed and report.lines == 0
    assert report.already_imported == ["0417164300-2024-03-15"]
    assert report.summary() == (
        "Niets gewijzigd: afschrift 0417164300-2024-03-15 (bericht ABN20240315T0612341234567) "
        "was al ingelezen."
    )


def test_a_statement_delivered_again_under_a_new_message_id_is_the_same_statement():
    make_invoices(1)
    entry = entry_xml("5000.00", ustrd="Factuur 2024-0001", reference="REF-1")
    payments.bank_statement_import(file=statement_xml([entry], message_id="MSG-A"))
    before = counts()

    report = payments.bank_statement_import(file=statement_xml([entry], message_id="MSG-B"))

    assert not report.changed and report.already_imported == ["STMT-0001"]
    assert counts() == before
    assert open_amount("2024-0001") == 0


def test_an_entry_delivered_again_in_another_statement_is_a_suspected_duplicate():
    make_invoices(1)
    entry = entry_xml("5000.00", ustrd="Factuur 2024-0001", reference="REF-1")
    payments.bank_statement_import(file=statement_xml([entry], statement_id="S1"))

    report = payments.bank_statement_import(
        file=statement_xml([entry], message_id="MSG-B", statement_id="S1-CORRECTED")
    )

    assert report.changed and report.duplicates == 1
    assert report.results[0].reason.startswith("mogelijk dubbel")
    assert Payment.objects.count() == 1
    line = StatementLine.objects.get(duplicate=True)
    assert line.note.startswith("mogelijk dubbel") and line in payments.unmatched_lines()
    assert open_amount("2024-0001") == 0


def test_a_file_with_a_new_and_an_old_statement_imports_only_the_new_one():
    make_invoices(2)
    payments.bank_statement_import(
        file=statement_xml([entry_xml("5000.00", ustrd="2024-0001")], statement_id="S1")
    )
    both = statement_xml([entry_xml("5000.00", ustrd="2024-0001")], statement_id="S1").replace(
        b"</Stmt>\n",
        b"</Stmt>\n<Stmt><Id>S2</Id><Acct><Id><IBAN>"
        + ACCOUNT.encode()
        + b"</IBAN></Id></Acct>"
        + entry_xml("5000.00", ustrd="2024-0002").encode()
        + b"</Stmt>\n",
    )

    report = payments.bank_statement_import(file=both)

    assert (report.imported, report.already_imported) == (["S2"], ["S1"])
    (event,) = AuditEvent.objects.filter(action="bank_statement.import", object_repr__endswith="S2")
    assert event.changes["lines"] == {"old": None, "new": 1}
    assert event.changes["matched"] == {"old": None, "new": 1}
    assert report.summary().endswith("Al eerder ingelezen en overgeslagen: afschrift S1.")
    assert Payment.objects.count() == 2


def _at_once(*files: bytes) -> list:
    """Imports the files in threads started together; each result or exception, in order."""
    results: list = [None] * len(files)
    start = threading.Barrier(len(files))

    def run(index: int) -> None:
        try:
            start.wait()
            results[index] = payments.bank_statement_import(file=files[index])
        except Exception as exc:  # noqa: BLE001 - asserted by the caller
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(files))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_the_same_file_imported_twice_at_the_same_moment_is_imported_once():
    make_invoices(4)
    data = SAMPLE.read_bytes()

    first, second = _at_once(data, data)

    assert sorted([first.changed, second.changed]) == [False, True]
    assert BankStatement.objects.count() == 1 and StatementLine.objects.count() == 6
    assert Payment.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_statements_paying_one_invoice_at_the_same_moment_pay_it_once():
    make_invoices(1)
    one = statement_xml([entry_xml("5000.00", ustrd="2024-0001")], message_id="A", statement_id="A")
    other = statement_xml(  # another payment, not the same one delivered twice
        [entry_xml("5000.00", ustrd="Factuur 2024-0001")], message_id="B", statement_id="B"
    )

    reports = _at_once(one, other)

    assert sorted(r.results[0].outcome for r in reports) == ["matched", "unmatched"]
    assert Payment.objects.count() == 1
    assert open_amount("2024-0001") == 0


# --- Bad files --------------------------------------------------------------------------------

GOOD_ENTRY = entry_xml("5000.00", ustrd="Factuur 2024-0001")


def _lines_of(data: bytes, needle: bytes) -> int:
    return data[: data.index(needle)].count(b"\n") + 1


BAD_FILES = {
    "not XML": (b"Datum;Bedrag\n2024-03-15;5000,00\n", [(1, "geen geldige XML")]),
    "broken XML": (
        statement_xml([GOOD_ENTRY]).replace(b"</Stmt>", b"</Stmnt>"),
        [(18, "geen geldige XML: Opening and ending tag mismatch: Stmt line 5 and Stmnt")],
    ),
    "another document": (
        b'<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">'
        b"<CstmrCdtTrfInitn/></Document>",
        [(2, "dit is geen CAMT.053-bankafschrift")],
    ),
    "CAMT.052, not .053": (
        statement_xml([GOOD_ENTRY]).replace(b"camt.053.001.02", b"camt.052.001.02"),
        [(2, "dit is geen CAMT.053-bankafschrift")],
    ),
    "no namespace": (
        statement_xml([GOOD_ENTRY]).replace(
            b' xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"', b""
        ),
        [(2, "dit is geen CAMT.053-bankafschrift")],
    ),
    "empty": (b"  \n", [(None, "het bestand is leeg.")]),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_file_that_is_no_camt053_is_refused_with_its_line(kind):
    data, expected = BAD_FILES[kind]
    make_invoices(1)
    before = counts()

    with pytest.raises(camt.CamtError) as refused:
        payments.bank_statement_import(file=data)

    problems = refused.value.problems
    assert len(problems) >= len(expected)
    for (line, start), problem in zip(expected, problems, strict=False):
        assert (problem.line, problem.message[: len(start)]) == (line, start)
    assert counts() == before


def test_every_problem_of_a_file_is_listed_with_its_line_and_nothing_is_imported():
    make_invoices(2)
    data = statement_xml(
        [
            entry_xml("5000.00", ustrd="Factuur 2024-0001"),  # fine, but not imported
            entry_xml("vijfduizend", ustrd="Factuur 2024-0002"),
            entry_xml("5000.00", currency="USD"),
            entry_xml("5000,00"),
            entry_xml("5000.001"),
            entry_xml("-5.00"),
            entry_xml("5000.00", booked="2024-02-30"),
            entry_xml("5000.00", indicator="CREDIT"),
        ]
    ).replace(b"<MsgId>MSG-0001</MsgId>", b"")
    data = data.replace(b"<IBAN>" + ACCOUNT.encode(), b"<IBAN>NL91ABNA0417164301", 1)
    before = counts()

    with pytest.raises(camt.CamtError) as refused:
        payments.bank_statement_import(file=data)

    def line_of(needle: bytes) -> int:
        return _lines_of(data, needle)

    assert [(p.line, p.message) for p in refused.value.problems] == [
        (line_of(b"<GrpHdr>"), "verplicht element MsgId ontbreekt in GrpHdr."),
        (line_of(b"<Acct>"), "NL91ABNA0417164301 is geen geldig IBAN-rekeningnummer."),
        (
            line_of(b">vijfduizend<"),
            "bedrag 'vijfduizend' is geen geldig bedrag (verwacht cijfers met een punt als "
            "decimaalteken, zoals 5000.00).",
        ),
        (line_of(b'"USD"'), "valuta 'USD' wordt niet ondersteund; alleen EUR."),
        (
            line_of(b">5000,00<"),
            "bedrag '5000,00' is geen geldig bedrag (verwacht cijfers met een punt als "
            "decimaalteken, zoals 5000.00).",
        ),
        (
            line_of(b">5000.001<"),
            "bedrag '5000.001' is geen heel aantal centen; een betaling in euro's kan geen "
            "fractie van een cent bevatten.",
        ),
        (
            line_of(b">-5.00<"),
            "bedrag '-5.00' is negatief; in CAMT.053 is een bedrag nooit negatief, de "
            "richting staat in CdtDbtInd.",
        ),
        (
            line_of(b"2024-02-30"),
            "ongeldige datum '2024-02-30' in BookgDt/Dt (verwacht JJJJ-MM-DD).",
        ),
        (line_of(b">CREDIT<"), "CdtDbtInd is 'CREDIT'; verwacht CRDT (bij) of DBIT (af)."),
    ]
    assert str(refused.value.problems[0]) == (
        f"regel {line_of(b'<GrpHdr>')}: verplicht element MsgId ontbreekt in GrpHdr."
    )
    assert counts() == before
    assert open_amount("2024-0001") == FIVE_K


def test_missing_elements_are_named_at_the_line_of_their_parent():
    entry = "<Ntry>\n<CdtDbtInd>CRDT</CdtDbtInd>\n</Ntry>\n"  # no Amt, no booking date
    data = statement_xml([entry]).replace(b"<Id>STMT-0001</Id>\n", b"")
    data = data.replace(
        b"<CreDtTm>2024-03-16T06:00:00+01:00</CreDtTm>", b"<CreDtTm>gisteren</CreDtTm>"
    )

    with pytest.raises(camt.CamtError) as refused:
        camt.parse(data)

    stmt, ntry = _lines_of(data, b"<Stmt>"), _lines_of(data, b"<Ntry>")
    assert [(p.line, p.message) for p in refused.value.problems] == [
        (
            _lines_of(data, b"gisteren"),
            "ongeldig tijdstip 'gisteren' in CreDtTm (verwacht JJJJ-MM-DDTuu:mm:ss).",
        ),
        (stmt, "verplicht element Id ontbreekt in Stmt."),
        (ntry, "verplicht element Amt ontbreekt in Ntry."),
        (ntry, "verplicht element Sts ontbreekt in Ntry."),
        (ntry, "verplicht element BookgDt ontbreekt in Ntry."),
    ]


def test_a_file_without_statements_is_refused():
    data = statement_xml([]).replace(
        b"<Stmt>\n<Id>STMT-0001</Id>\n<Acct><Id><IBAN>"
        + ACCOUNT.encode()
        + b"</IBAN></Id></Acct>\n</Stmt>\n",
        b"",
    )
    with pytest.raises(camt.CamtError) as refused:
        camt.parse(data)
    assert [p.message for p in refused.value.problems] == [
        "het bestand bevat geen afschrift (Stmt)."
    ]


@pytest.mark.parametrize(
    "doctype",
    [
        # XXE: would read a local file into the remittance.
        '<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        # A billion laughs, shortened.
        '<!DOCTYPE Document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        # An external DTD over the network.
        '<!DOCTYPE Document SYSTEM "http://example.invalid/camt.dtd">',
    ],
)
def test_a_doctype_is_refused_and_no_entity_is_expanded(doctype):
    make_invoices(1)
    data = statement_xml([entry_xml("5000.00", ustrd="Factuur 2024-0001 &xxe;&b;")]).replace(
        b"&amp;xxe;&amp;b;", b"&xxe;&b;"
    )
    data = data.replace(b"?>\n", b"?>\n" + doctype.encode() + b"\n", 1)
    before = counts()

    with pytest.raises(camt.CamtError) as refused:
        payments.bank_statement_import(file=data)

    assert [(p.line, p.message) for p in refused.value.problems] == [
        (
            2,
            "het bestand bevat een DOCTYPE-declaratie; die hoort niet in een CAMT.053-afschrift "
            "en wordt om veiligheidsredenen geweigerd.",
        )
    ]
    assert counts() == before


# --- Matching by hand -------------------------------------------------------------------------


def test_the_bureau_matches_a_line_by_hand_under_the_same_checks():
    make_invoices(4)
    bureau = UserFactory(username="bureau")
    services.invoice_credit(
        invoice=Invoice.objects.get(number="2024-0004"),
        reason="Onterecht",
        issue_date=datetime.date(2024, 3, 1),
    )
    # The credited year is invoiced again: 2024-0006 replaces 2024-0004.
    (fifth,) = issue(services.invoice_run(year=2024, issue_date=RUN_DATE))
    assert fifth.number == "2024-0006"
    payments.bank_statement_import(file=SAMPLE)
    unknown, debit, no_reference = payments.unmatched_lines()

    def refused(line, number) -> str:
        invoice = Invoice.objects.get(number=number)
        with pytest.raises(ValidationError) as error:
            payments.statement_line_match(line=line, invoice=invoice, actor=bureau)
        return error.value.messages[0]

    assert refused(debit, "2024-0006") == (
        "Deze regel is een afschrijving; alleen bijschrijvingen horen bij een factuur."
    )
    assert refused(unknown, "2024-0002") == (
        "Niet gekoppeld: het bedrag (€ 5.000,00) is hoger dan wat op factuur 2024-0002 "
        "openstaat (€ 2.500,00)."
    )
    assert (
        refused(unknown, "2024-0001") == "Niet gekoppeld: factuur 2024-0001 is al volledig betaald."
    )
    assert refused(unknown, "2024-0004") == "Niet gekoppeld: factuur 2024-0004 is gecrediteerd."
    assert refused(unknown, "2024-0005") == (
        "Niet gekoppeld: 2024-0005 is een creditnota; daarop wordt niet betaald."
    )
    before = counts()

    payment = payments.statement_line_match(line=no_reference, invoice=fifth, actor=bureau)

    assert (payment.invoice, payment.amount, payment.statement_line) == (
        fifth,
        FIVE_K,
        no_reference,
    )
    assert payment.recorded_by == bureau
    assert counts()[2] == before[2] + 1
    assert open_amount("2024-0006") == 0
    assert list(payments.unmatched_lines()) == [unknown, debit]
    assert AuditEvent.objects.filter(
        action="statement_line.match", actor=bureau, object_id=str(no_reference.pk)
    ).exists()
    assert refused(no_reference, "2024-0003") == "Deze regel is al gekoppeld aan factuur 2024-0006."


def test_a_partial_payment_by_hand():
    (invoice,) = make_invoices(1)
    payments.bank_statement_import(file=statement_xml([entry_xml("1250.00", ustrd="M50")]))
    (line,) = payments.unmatched_lines()

    payments.statement_line_match(line=line, invoice=invoice, actor=None)

    assert open_amount("2024-0001") == Decimal("3750.00")


# --- The command ------------------------------------------------------------------------------


def test_the_command_prints_the_counts_and_a_rerun_changes_nothing():
    make_invoices(4)
    out = StringIO()

    call_command("import-camt", str(SAMPLE), stdout=out, verbosity=2)

    printed = out.getvalue()
    assert printed.startswith(
        "6 regels ingelezen: 2 betaald, 1 deels betaald, 3 niet gekoppeld "
        "(waarvan 1 afschrijving).\n"
    )
    assert "niet gekoppeld: onbekend factuurnummer 2024-0999." in printed
    again = StringIO()
    call_command("import-camt", str(SAMPLE), stdout=again)
    assert again.getvalue().startswith("Niets gewijzigd: afschrift 0417164300-2024-03-15")


def test_the_command_lists_every_problem_on_stderr_and_fails(tmp_path):
    bad = tmp_path / "afschrift.xml"
    data = statement_xml([entry_xml("5000.00", currency="USD"), entry_xml("abc")])
    bad.write_bytes(data)
    err = StringIO()
    before = counts()

    with pytest.raises(CommandError) as failed:
        call_command("import-camt", str(bad), stderr=err)

    assert str(failed.value) == "Niets geïmporteerd: 2 problemen gevonden in afschrift.xml."
    assert err.getvalue().splitlines() == [
        f"afschrift.xml: regel {_lines_of(data, b'USD')}: valuta 'USD' wordt niet ondersteund; "
        "alleen EUR.",
        f"afschrift.xml: regel {_lines_of(data, b'>abc<')}: bedrag 'abc' is geen geldig bedrag "
        "(verwacht cijfers met een punt als decimaalteken, zoals 5000.00).",
    ]
    assert counts() == before
    with pytest.raises(CommandError, match="Bestand niet gevonden"):
        call_command("import-camt", str(tmp_path / "weg.xml"))


# --- Cost -------------------------------------------------------------------------------------


def _mixed_statement(first: int, count: int, message_id: str) -> bytes:
    """``count`` lines for invoices from number ``first`` on: full, partial, unknown, debit."""
    entries = []
    for index in range(count):
        number = f"2024-{first + index:04d}"
        kind = index % 4
        if kind == 0:
            entries.append(
                entry_xml("5000.00", ustrd=f"Factuur {number}", reference=f"{message_id}-{index}")
            )
        elif kind == 1:
            entries.append(entry_xml("2000.00", ref=number, reference=f"{message_id}-{index}"))
        elif kind == 2:
            entries.append(entry_xml("5000.00", ustrd="Factuur 2019-9999"))
        else:
            entries.append(entry_xml("3.95", indicator="DBIT", ustrd="Kosten"))
    return statement_xml(entries, message_id=message_id, statement_id=message_id)


def test_the_query_count_of_an_import_does_not_grow_with_its_lines():
    make_invoices(110)
    small, large = _mixed_statement(1, 10, "SMALL"), _mixed_statement(11, 100, "LARGE")

    with CaptureQueriesContext(connection) as ten:
        report_ten = payments.bank_statement_import(file=small)
    with CaptureQueriesContext(connection) as hundred:
        report_hundred = payments.bank_statement_import(file=large)

    assert (report_ten.matched, report_ten.partial) == (3, 3)
    assert (report_hundred.matched, report_hundred.partial) == (25, 25)
    # Fixed per batch: the only difference is the statement lines' insert, which Django cuts
    # into batches of at most 999 parameters on SQLite (one batch on PostgreSQL).
    assert len(ten) - line_batches(10) == len(hundred) - line_batches(100), (
        [q["sql"][:80] for q in ten.captured_queries],
        [q["sql"][:80] for q in hundred.captured_queries],
    )


def line_batches(lines: int) -> int:
    fields = [f for f in StatementLine._meta.concrete_fields if not f.primary_key]
    size = min(payments.BATCH_SIZE, connection.ops.bulk_batch_size(fields, [None] * lines))
    return -(-lines // size)


def test_a_doctype_in_a_utf16_file_is_refused_too():
    text = (
        statement_xml([GOOD_ENTRY])
        .decode()
        .replace(
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE Document>\n',
        )
    )
    with pytest.raises(camt.CamtError) as refused:
        camt.parse(text.encode("utf-16"))
    assert "DOCTYPE" in refused.value.problems[0].message


def test_a_statement_twice_in_one_file_is_refused():
    data = statement_xml([GOOD_ENTRY]).replace(
        b"</Stmt>\n",
        b"</Stmt>\n<Stmt>\n<Id>STMT-0001</Id>\n<Acct><Id><IBAN>"
        + ACCOUNT.encode()
        + b"</IBAN></Id></Acct>\n</Stmt>\n",
    )
    with pytest.raises(camt.CamtError) as refused:
        camt.parse(data)
    first, second = (n for n, line in enumerate(data.splitlines(), 1) if line == b"<Stmt>")
    assert [(p.line, p.message) for p in refused.value.problems] == [
        (
            second,
            f"afschrift STMT-0001 komt twee keer voor in het bestand (eerder op regel {first}).",
        )
    ]
