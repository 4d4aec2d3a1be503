"""Bank statements as banks really write them: every CAMT.053 version from .02 to .08, padded
amounts, accounts as Othr/Id, the Sts/Cd status, pending and information entries, reversals,
re-delivery under a new message id, references in each place, the payer check, refusals of
sub-cent amounts, another account's statement and a file too large, and matching by hand."""

from __future__ import annotations

import datetime
import re
import threading
from decimal import Decimal
from io import StringIO
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import override_settings

from m50.core.models import AuditEvent
from m50.finance import camt, payments, references, selectors, services
from m50.finance.models import BankStatement, Invoice, Payment, StatementLine
from m50.membership.services import membership_listed_create
from tests.factories import MunicipalityFactory, UserFactory
from tests.finance import issue

DATA = Path(__file__).parent / "data"
EXPORT_V08 = DATA / "camt053_v08_bank_export.xml"
OTHR_V02 = DATA / "camt053_v02_othr_account.xml"
ACCOUNT = "NL91ABNA0417164300"
FOREIGN = "NL38BNGH0285012345"  # a valid IBAN, but not the network's
VERSIONS = ["02", "03", "04", "05", "06", "07", "08"]
NAMES = ("A-Voorbeeldstad", "B-Proefdorp", "C-Modelveen", "D-Testerhout", "E-Zandpolder")
IBANS = (
    "NL38BNGH0285012345",
    "NL33BNGH0285098765",
    "NL90BNGH0285111222",
    "NL31BNGH0285333444",
    "NL69BNGH0285555666",
)
FIVE_K = Decimal("5000.00")

pytestmark = pytest.mark.django_db


def make_invoices(count: int = 5) -> list[Invoice]:
    """Members named as the payers in the statements below: 2024-0001 is A-Voorbeeldstad's."""
    services.fee_reference_load()
    for name in NAMES[:count]:
        membership_listed_create(
            municipality=MunicipalityFactory(name=name), listed_since="2023-04", listed_source=""
        )
    # Sent, so numbered 2024-0001 onwards in the order of the names (a draft has no number).
    return issue(services.invoice_run(year=2024, issue_date=datetime.date(2024, 1, 16)))


def open_amount(number: str) -> Decimal:
    return selectors.open_amount(selectors.invoice_by_number(number=number))


def ntry(
    amount: str,
    *,
    version: str = "02",
    credit: bool = True,
    status: str = "BOOK",
    reversal: bool | None = None,
    ustrd: tuple[str, ...] = (),
    ref: str = "",
    info: str = "",
    bank_ref: str = "",
    tx_ref: str = "",
    end_to_end: str = "",
    payer: int = 0,
    name: str | None = None,
    booked: str | None = "2024-03-15",
    value: str | None = "2024-03-15",
) -> str:
    """One entry, written as version ``version`` writes it: the status as text until .06 and
    in Cd from .07, the party's name directly until .07 and under Pty from .08."""
    name = f"Gemeente {NAMES[payer]}" if name is None else name
    status_xml = f"<Sts><Cd>{status}</Cd></Sts>" if version >= "07" else f"<Sts>{status}</Sts>"
    party = f"<Nm>{escape(name)}</Nm>"
    if version >= "08":
        party = f"<Pty>{party}</Pty>"
    refs = ""
    if tx_ref or end_to_end:
        refs = "<Refs>"
        refs += f"<AcctSvcrRef>{tx_ref}</AcctSvcrRef>" if tx_ref else ""
        refs += f"<EndToEndId>{end_to_end}</EndToEndId>" if end_to_end else ""
        refs += "</Refs>"
    remittance = "".join(f"<Ustrd>{escape(line)}</Ustrd>" for line in ustrd)
    if ref:
        remittance += f"<Strd><CdtrRefInf><Ref>{ref}</Ref></CdtrRefInf></Strd>"
    # Money in: the payer is the debtor; a reversal of money in still names the payer.
    incoming = credit != bool(reversal)
    role = "Dbtr" if incoming else "Cdtr"
    return (
        "<Ntry>\n"
        f'<Amt Ccy="EUR">{amount}</Amt>\n'
        f"<CdtDbtInd>{'CRDT' if credit else 'DBIT'}</CdtDbtInd>\n"
        + ("" if reversal is None else f"<RvslInd>{str(reversal).lower()}</RvslInd>\n")
        + f"{status_xml}\n"
        + (f"<BookgDt><Dt>{booked}</Dt></BookgDt>\n" if booked else "")
        + (f"<ValDt><Dt>{value}</Dt></ValDt>\n" if value else "")
        + (f"<AcctSvcrRef>{bank_ref}</AcctSvcrRef>\n" if bank_ref else "")
        + "<NtryDtls><TxDtls>"
        + refs
        + f"<RltdPties><{role}>{party}</{role}>"
        f"<{role}Acct><Id><IBAN>{IBANS[payer]}</IBAN></Id></{role}Acct></RltdPties>"
        + (f"<RmtInf>{remittance}</RmtInf>" if remittance else "")
        + "</TxDtls></NtryDtls>\n"
        + (f"<AddtlNtryInf>{escape(info)}</AddtlNtryInf>\n" if info else "")
        + "</Ntry>\n"
    )


def document(
    entries: list[str],
    *,
    version: str = "02",
    message_id: str = "MSG-1",
    statement_id: str = "STMT-1",
    sequence: str = "1",
    period: tuple[str, str] | None = ("2024-03-15T00:00:00+01:00", "2024-03-15T23:59:59+01:00"),
    account: str = f"<IBAN>{ACCOUNT}</IBAN>",
) -> bytes:
    period_xml = (
        f"<FrToDt><FrDtTm>{period[0]}</FrDtTm><ToDtTm>{period[1]}</ToDtTm></FrToDt>\n"
        if period
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}">\n'
        "<BkToCstmrStmt>\n"
        f"<GrpHdr><MsgId>{message_id}</MsgId>"
        "<CreDtTm>2024-03-16T06:00:00+01:00</CreDtTm></GrpHdr>\n"
        "<Stmt>\n"
        f"<Id>{statement_id}</Id>\n"
        + (f"<ElctrncSeqNb>{sequence}</ElctrncSeqNb>\n" if sequence else "")
        + period_xml
        + f"<Acct><Id>{account}</Id></Acct>\n"
        + "".join(entries)
        + "</Stmt>\n</BkToCstmrStmt>\n</Document>\n"
    ).encode()


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (BankStatement, StatementLine, Payment, AuditEvent)
    )


# --- Every version ----------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_each_version_is_read_with_status_references_and_statement_identity(version):
    data = document(
        [
            ntry(
                "000000000005000.00",
                version=version,
                ref="RF3220240001",
                bank_ref="B-1",
                tx_ref="T-1",
                end_to_end="E2E-1",
                info="SEPA OVERBOEKING",
                value="2024-03-16",
            ),
            ntry("2500.00", version=version, status="PDNG", booked=None, payer=1),
            ntry("12.5", version=version, credit=False, reversal=True, end_to_end="NOTPROVIDED"),
        ],
        version=version,
        sequence="000071",
    )

    message = camt.parse(data)

    assert message.version == f"001.{version}"
    (statement,) = message.statements
    assert (statement.account_iban, statement.electronic_sequence) == (ACCOUNT, "71")
    assert statement.period_from == datetime.datetime.fromisoformat("2024-03-15T00:00:00+01:00")
    assert statement.period_to == datetime.datetime.fromisoformat("2024-03-15T23:59:59+01:00")
    paid, pending, reversal = statement.entries
    assert (paid.status, paid.booked, paid.amount) == ("BOOK", True, FIVE_K)
    assert (paid.booking_date, paid.value_date) == (
        datetime.date(2024, 3, 15),
        datetime.date(2024, 3, 16),
    )
    assert (paid.reference, paid.transaction_reference, paid.end_to_end_id) == (
        "B-1",
        "T-1",
        "E2E-1",
    )
    assert paid.structured_references == ("RF3220240001",)
    assert paid.additional_info == "SEPA OVERBOEKING"
    assert paid.counterparty_name == "Gemeente A-Voorbeeldstad"
    assert (pending.status, pending.booked) == ("PDNG", False)
    # No booking date yet: the value date stands in.
    assert pending.booking_date == pending.value_date == datetime.date(2024, 3, 15)
    assert (reversal.reversal, reversal.credit, reversal.amount) == (True, False, Decimal("12.50"))
    assert reversal.end_to_end_id == ""  # NOTPROVIDED is no reference
    # The payer of the reversed money in is still the debtor.
    assert reversal.counterparty_iban == IBANS[0]


@pytest.mark.parametrize("version", VERSIONS)
def test_each_version_books_a_payment_and_leaves_a_pending_entry_alone(version):
    make_invoices(2)
    data = document(
        [
            ntry("000000000005000.00", version=version, ref="RF3220240001", bank_ref="B-1"),
            ntry("5000.00", version=version, status="PDNG", ustrd=("2024-0002",), payer=1),
        ],
        version=version,
    )

    report = payments.bank_statement_import(file=data)

    assert [(r.outcome, r.invoice_number) for r in report.results] == [
        ("matched", "2024-0001"),
        ("not_booked", ""),
    ]
    assert open_amount("2024-0001") == 0 and open_amount("2024-0002") == FIVE_K


# --- Amounts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("000000000000001.90", Decimal("1.90")),
        ("000000000005000.00", FIVE_K),
        ("5000", FIVE_K),
        ("5000.", FIVE_K),
        ("1.9", Decimal("1.90")),
        (".5", Decimal("0.50")),
        ("5000.00000", FIVE_K),  # five decimals, all zero
        ("000000000000000000", Decimal("0.00")),  # eighteen digits
        ("9999999999.99", Decimal("9999999999.99")),  # the largest the column holds
        ("+12.30", Decimal("12.30")),
    ],
)
def test_every_amount_iso_20022_allows_that_is_whole_cents_is_accepted(text, amount):
    assert camt.parse_amount(text) == (amount, None)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("5000.001", "is geen heel aantal centen"),
        ("0.12345", "is geen heel aantal centen"),
        ("0.123456", "heeft meer cijfers dan ISO 20022 toestaat"),
        ("1234567890123456789", "heeft meer cijfers dan ISO 20022 toestaat"),
        ("10000000000.00", "is te groot om op te slaan"),
        ("-5.00", "is negatief"),
        ("5.000,00", "is geen geldig bedrag"),
        ("1e3", "is geen geldig bedrag"),
        ("", "is geen geldig bedrag"),
    ],
)
def test_amounts_are_refused_naming_the_real_reason(text, reason):
    amount, refusal = camt.parse_amount(text)
    assert amount is None and reason in refusal
    assert "ten hoogste twee decimalen" not in refusal


def test_a_sub_cent_amount_refuses_the_file_with_its_line():
    make_invoices(1)
    data = document([ntry("000000000005000.001")])
    before = counts()

    with pytest.raises(camt.CamtError) as refused:
        payments.bank_statement_import(file=data)

    ((line, message),) = [(p.line, p.message) for p in refused.value.problems]
    assert line == data[: data.index(b"5000.001")].count(b"\n") + 1
    assert message == (
        "bedrag '000000000005000.001' is geen heel aantal centen; een betaling in euro's kan "
        "geen fractie van een cent bevatten."
    )
    assert counts() == before


# --- The real-world export --------------------------------------------------------------------


def test_a_bank_export_in_version_08_is_booked_as_the_bank_means_it(
    django_capture_on_commit_callbacks,
):
    make_invoices(4)
    with django_capture_on_commit_callbacks(execute=True):
        report = payments.bank_statement_import(file=EXPORT_V08)

    outcomes = [(r.outcome, r.invoice_number) for r in report.results]
    assert outcomes == [
        ("matched", "2024-0001"),  # by the RF reference; then reversed (entry 6)
        ("partial", "2024-0002"),  # the number split over two Ustrd lines
        ("matched", "2024-0003"),  # "2024 0003" in AddtlNtryInf
        ("not_booked", ""),  # PDNG
        ("unmatched", ""),  # bank costs of € 1,90
        ("reversal", ""),
        ("not_booked", ""),  # INFO
    ]
    assert report.summary() == (
        "7 regels ingelezen: 2 betaald, 1 deels betaald, 1 niet gekoppeld (waarvan 1 "
        "afschrijving). 2 regels zijn nog niet geboekt door de bank (in afwachting of ter "
        "informatie) en zijn niet verwerkt. 1 terugboeking. Teruggeboekt, de factuur staat "
        "weer open: € 5.000,00 op factuur 2024-0001 (betaald 2024-03-15)."
    )
    assert open_amount("2024-0001") == FIVE_K  # reversed: open again
    assert open_amount("2024-0002") == Decimal("2500.00")
    assert open_amount("2024-0003") == 0
    assert open_amount("2024-0004") == FIVE_K  # pending: not booked
    assert Payment.objects.count() == 2
    costs = StatementLine.objects.get(amount=Decimal("1.90"))
    assert not costs.credit and costs.additional_info == "KOSTEN SEPA OVERBOEKINGEN"
    assert list(payments.unmatched_lines()) == [costs]
    assert [line.status for line in payments.unbooked_lines()] == ["PDNG", "INFO"]
    reversal = StatementLine.objects.get(reversal=True)
    assert reversal.reverses.entry_reference == "EXP0315000001"
    assert list(payments.reversed_lines()) == [reversal]
    (event,) = AuditEvent.objects.filter(action="payment.reverse")
    assert event.changes["invoice"] == {"old": "2024-0001", "new": None}
    statement = BankStatement.objects.get()
    assert (statement.electronic_sequence, statement.account_iban) == ("71", ACCOUNT)
    # The bureau is told by e-mail too.
    (message,) = mail.outbox
    assert "2024-0001" in message.body and message.to == ["bureau@m50.example"]


def test_the_same_export_again_changes_nothing():
    make_invoices(4)
    payments.bank_statement_import(file=EXPORT_V08)
    before = counts()

    report = payments.bank_statement_import(file=EXPORT_V08)

    assert not report.changed and counts() == before


# --- Own accounts -----------------------------------------------------------------------------


def test_a_statement_of_another_account_is_refused_and_nothing_stored():
    make_invoices(1)
    data = document([ntry("5000.00", ustrd=("2024-0001",))], account=f"<IBAN>{FOREIGN}</IBAN>")
    before = counts()

    with pytest.raises(camt.CamtError) as refused:
        payments.bank_statement_import(file=data)

    ((line, message),) = [(p.line, p.message) for p in refused.value.problems]
    assert line == 5
    assert message == (
        f"rekening {FOREIGN} is geen rekening van het netwerk (eigen rekeningen: {ACCOUNT}); "
        "een afschrift van een andere rekening wordt niet ingelezen."
    )
    assert counts() == before


def test_an_account_as_othr_id_is_read_and_must_be_listed_as_own():
    make_invoices(4)
    with pytest.raises(camt.CamtError, match="rekening 0417164300 is geen rekening"):
        payments.bank_statement_import(file=OTHR_V02)

    with override_settings(M50_OWN_ACCOUNTS=["0417 1643 00"]):
        report = payments.bank_statement_import(file=OTHR_V02)

    assert [(r.outcome, r.invoice_number) for r in report.results] == [("matched", "2024-0004")]
    assert BankStatement.objects.get().account_iban == "0417164300"


def test_an_own_account_from_the_setting_is_accepted():
    make_invoices(1)
    data = document([ntry("5000.00", ustrd=("2024-0001",))], account=f"<IBAN>{FOREIGN}</IBAN>")
    with override_settings(M50_OWN_ACCOUNTS=[FOREIGN]):
        assert payments.bank_statement_import(file=data).matched == 1


# --- Re-delivery ------------------------------------------------------------------------------


def test_a_partial_payment_delivered_again_under_a_new_message_id_is_not_booked_twice():
    make_invoices(1)
    entry = ntry("2500.00", ustrd=("Factuur 2024-0001 eerste termijn",))  # no bank reference
    payments.bank_statement_import(file=document([entry], message_id="MSG-A"))
    assert open_amount("2024-0001") == Decimal("2500.00")
    before = counts()

    report = payments.bank_statement_import(file=document([entry], message_id="MSG-B"))

    assert not report.changed and report.already_imported == ["STMT-1"]
    assert counts() == before
    invoice = selectors.invoice_by_number(number="2024-0001")
    assert selectors.invoice_status(invoice) != selectors.Status.PAID
    assert invoice.paid == Decimal("2500.00") and open_amount("2024-0001") == Decimal("2500.00")


def test_the_same_entry_in_a_statement_sent_again_with_other_ids_is_a_suspected_duplicate():
    make_invoices(1)
    entry = ntry("2500.00", ustrd=("Factuur 2024-0001 eerste termijn",))
    payments.bank_statement_import(file=document([entry], message_id="MSG-A"))

    # The bank re-sends the day with a new message id, statement id and sequence number.
    report = payments.bank_statement_import(
        file=document([entry], message_id="MSG-B", statement_id="STMT-1-BIS", sequence="2")
    )

    assert report.changed and report.duplicates == 1 and report.partial == 0
    assert "mogelijk dubbel" in report.summary()
    assert Payment.objects.count() == 1
    assert open_amount("2024-0001") == Decimal("2500.00")
    duplicate = StatementLine.objects.get(duplicate=True)
    assert duplicate in payments.unmatched_lines()  # shown, not dropped
    assert duplicate.note.startswith("mogelijk dubbel: een boeking met dezelfde datums")


def _a_suspected_duplicate(bureau) -> StatementLine:
    """2024-0001 half paid; the same entry again in a statement sent again under other ids."""
    make_invoices(1)
    entry = ntry("2500.00", ustrd=("factuur 2024-0001",))
    payments.bank_statement_import(file=document([entry], statement_id="D1"), actor=bureau)
    report = payments.bank_statement_import(
        file=document([entry], statement_id="D1b", message_id="M2", sequence="9"), actor=bureau
    )
    assert [result.outcome for result in report.results] == ["duplicate"]
    return StatementLine.objects.get(duplicate=True)


def test_a_suspected_duplicate_is_not_booked_by_hand_nor_suggested():
    bureau = UserFactory(username="bureau")
    duplicate = _a_suspected_duplicate(bureau)
    invoice = selectors.invoice_by_number(number="2024-0001")

    assert duplicate in payments.unmatched_lines()  # shown, marked
    assert payments.match_suggestions(duplicate) == []
    with pytest.raises(ValidationError, match="mogelijk een dubbele boeking"):
        payments.statement_line_match(line=duplicate, invoice=invoice, actor=bureau)
    assert open_amount("2024-0001") == Decimal("2500.00")  # the bank received 2500 once
    assert Payment.objects.count() == 1


def test_a_suspected_duplicate_marked_no_duplicate_is_matched_like_any_line():
    bureau = UserFactory(username="bureau")
    duplicate = _a_suspected_duplicate(bureau)
    invoice = selectors.invoice_by_number(number="2024-0001")
    with pytest.raises(ValidationError, match="Geef een reden op."):
        payments.statement_line_not_duplicate(line=duplicate, reason="  ", actor=bureau)

    payments.statement_line_not_duplicate(
        line=duplicate, reason="Twee keer betaald, bank bevestigt", actor=bureau
    )

    duplicate.refresh_from_db()
    assert not duplicate.duplicate
    assert duplicate.note == "geen dubbele boeking: Twee keer betaald, bank bevestigt"
    event = payments.not_duplicate_event(duplicate)
    assert (event.actor, event.changes["duplicate"]) == (bureau, {"old": True, "new": False})
    assert event.changes["reason"]["new"] == "Twee keer betaald, bank bevestigt"
    assert [s.invoice.number for s in payments.match_suggestions(duplicate)] == ["2024-0001"]
    payments.statement_line_match(line=duplicate, invoice=invoice, actor=bureau)
    assert open_amount("2024-0001") == 0
    with pytest.raises(ValidationError, match="niet gemarkeerd als mogelijk dubbel"):
        payments.statement_line_not_duplicate(line=duplicate, reason="nogmaals", actor=bureau)


def test_a_second_instalment_on_another_day_is_no_duplicate():
    make_invoices(1)
    first = ntry("2500.00", ustrd=("Factuur 2024-0001",))
    second = ntry("2500.00", ustrd=("Factuur 2024-0001",), booked="2024-04-15", value="2024-04-15")
    payments.bank_statement_import(file=document([first], statement_id="S-MAR"))

    report = payments.bank_statement_import(file=document([second], statement_id="S-APR"))

    assert report.matched == 1 and open_amount("2024-0001") == 0


def test_an_entry_with_a_bank_reference_is_recognised_by_it():
    make_invoices(1)
    payments.bank_statement_import(
        file=document([ntry("2500.00", ustrd=("2024-0001",), bank_ref="R-1")], statement_id="A")
    )
    # Same reference, other remittance text (the bank reformatted it): still the same entry.
    again = ntry("2500.00", ustrd=("FACTUUR 2024-0001",), bank_ref="R-1")
    other = ntry("2500.00", ustrd=("2024-0001",), bank_ref="R-2")

    report = payments.bank_statement_import(file=document([again, other], statement_id="B"))

    assert [r.outcome for r in report.results] == ["duplicate", "matched"]
    assert open_amount("2024-0001") == 0


def test_a_pending_entry_later_booked_is_booked_then():
    make_invoices(1)
    pending = ntry("5000.00", status="PDNG", ustrd=("2024-0001",), bank_ref="R-1", booked=None)
    payments.bank_statement_import(file=document([pending], statement_id="D1"))
    assert open_amount("2024-0001") == FIVE_K

    booked = ntry("5000.00", ustrd=("2024-0001",), bank_ref="R-1")
    report = payments.bank_statement_import(file=document([booked], statement_id="D2"))

    assert report.matched == 1 and open_amount("2024-0001") == 0


# --- Reversals --------------------------------------------------------------------------------


def test_a_reversal_in_a_later_statement_undoes_the_payment_and_opens_the_invoice():
    make_invoices(1)
    bureau = UserFactory(username="bureau")
    paid = ntry("5000.00", ref="RF3220240001", end_to_end="E-1", bank_ref="R-1")
    payments.bank_statement_import(file=document([paid], statement_id="D1"), actor=bureau)
    assert open_amount("2024-0001") == 0
    reversal = ntry(
        "5000.00", credit=False, reversal=True, end_to_end="E-1", bank_ref="R-9", value=None
    )

    report = payments.bank_statement_import(
        file=document([reversal], statement_id="D2"), actor=bureau
    )

    assert [r.outcome for r in report.results] == ["reversal"]
    assert report.reversed_payments == ["€ 5.000,00 op factuur 2024-0001 (betaald 2024-03-15)"]
    assert Payment.objects.count() == 0
    assert open_amount("2024-0001") == FIVE_K
    invoice = selectors.invoice_by_number(number="2024-0001")
    assert selectors.invoice_status(invoice) != selectors.Status.PAID
    assert AuditEvent.objects.filter(action="payment.reverse", actor=bureau).count() == 1
    assert list(payments.unmatched_lines()) == []  # neither the original nor its reversal
    # Reversed again by mistake (the bank re-sends it in another statement): nothing more.
    report = payments.bank_statement_import(file=document([reversal], statement_id="D3"))
    assert [r.outcome for r in report.results] == ["duplicate"]


def test_a_reversal_is_never_booked_as_a_payment():
    make_invoices(1)
    # Money in flagged as a reversal (an outgoing payment that came back), naming an invoice.
    data = document([ntry("5000.00", reversal=True, ustrd=("Factuur 2024-0001",))])

    report = payments.bank_statement_import(file=data)

    assert [r.outcome for r in report.results] == ["reversal"]
    assert Payment.objects.count() == 0 and open_amount("2024-0001") == FIVE_K


def test_a_reversal_without_its_original_stays_for_the_bureau():
    make_invoices(1)
    data = document([ntry("750.00", credit=False, reversal=True, payer=2)])

    report = payments.bank_statement_import(file=data)

    assert report.results[0].reason == (
        "terugboeking; de oorspronkelijke bijschrijving is niet gevonden."
    )
    (line,) = payments.unmatched_lines()
    assert line.reversal and line.reverses is None


def _two_payments_of_the_same_amount() -> None:
    """A-Voorbeeldstad pays 2024-0001 on 14 March, B-Proefdorp 2024-0002 on 15 March."""
    make_invoices(2)
    a = ntry("5000.00", ref="RF3220240001", end_to_end="E-A", bank_ref="R-A", booked="2024-03-14")
    b = ntry("5000.00", ustrd=("factuur 2024-0002",), bank_ref="R-B", payer=1)
    payments.bank_statement_import(file=document([a, b], statement_id="D1"))
    assert open_amount("2024-0001") == 0 and open_amount("2024-0002") == 0


def _anonymous_reversal(*, ustrd: tuple[str, ...] = (), payer: int = 0) -> str:
    """A reversal of € 5.000,00 without the payer's account and without an end-to-end id."""
    entry = ntry(
        "5000.00",
        credit=False,
        reversal=True,
        bank_ref="R-9",
        ustrd=ustrd,
        payer=payer,
        booked="2024-03-20",
        value=None,
    )
    return re.sub(r"<DbtrAcct>.*?</DbtrAcct>", "", entry)


def test_a_reversal_naming_an_invoice_undoes_that_payment_not_the_latest_of_its_amount():
    _two_payments_of_the_same_amount()

    report = payments.bank_statement_import(
        file=document([_anonymous_reversal(ustrd=("retour 2024-0001",))], statement_id="D2")
    )

    assert report.reversed_payments == ["€ 5.000,00 op factuur 2024-0001 (betaald 2024-03-14)"]
    assert open_amount("2024-0001") == FIVE_K
    assert open_amount("2024-0002") == 0  # B-Proefdorp's payment stands
    assert StatementLine.objects.get(reversal=True).reverses.entry_reference == "R-A"


def test_a_reversal_naming_a_bank_reference_undoes_that_entry():
    _two_payments_of_the_same_amount()

    report = payments.bank_statement_import(
        file=document([_anonymous_reversal(ustrd=("storno (R-A)",))], statement_id="D2")
    )

    assert report.reversed_payments == ["€ 5.000,00 op factuur 2024-0001 (betaald 2024-03-14)"]
    assert open_amount("2024-0001") == FIVE_K and open_amount("2024-0002") == 0


def test_a_reversal_that_identifies_no_payment_is_left_for_the_bureau(
    django_capture_on_commit_callbacks,
):
    _two_payments_of_the_same_amount()

    with django_capture_on_commit_callbacks(execute=True):
        report = payments.bank_statement_import(
            file=document([_anonymous_reversal(ustrd=("retour",))], statement_id="D2")
        )

    assert report.reversed_payments == [] and Payment.objects.count() == 2
    assert open_amount("2024-0001") == 0 and open_amount("2024-0002") == 0
    assert report.results[0].reason == (
        "terugboeking; de oorspronkelijke bijschrijving is niet gevonden."
    )
    (line,) = payments.unmatched_lines()
    assert line.reversal and line.reverses is None
    assert mail.outbox == []  # nothing was undone, so nothing to announce


def test_a_reversal_fitting_two_payments_of_one_account_equally_is_left_for_the_bureau():
    make_invoices(1)
    first = ntry("2500.00", ustrd=("2024-0001 termijn 1",), booked="2024-03-01", value=None)
    second = ntry("2500.00", ustrd=("2024-0001 termijn 2",), booked="2024-03-15", value=None)
    payments.bank_statement_import(file=document([first, second], statement_id="D1"))
    assert open_amount("2024-0001") == 0
    # The payer's account, but nothing telling the two instalments apart.
    reversal = ntry("2500.00", credit=False, reversal=True, booked="2024-03-20", value=None)

    report = payments.bank_statement_import(file=document([reversal], statement_id="D2"))

    assert report.reversed_payments == [] and Payment.objects.count() == 2
    assert StatementLine.objects.get(reversal=True).reverses is None


def test_a_reversal_from_the_payers_account_undoes_its_only_payment_of_that_amount():
    _two_payments_of_the_same_amount()
    reversal = ntry("5000.00", credit=False, reversal=True, payer=1, booked="2024-03-20")

    report = payments.bank_statement_import(file=document([reversal], statement_id="D2"))

    assert report.reversed_payments == ["€ 5.000,00 op factuur 2024-0002 (betaald 2024-03-15)"]
    assert open_amount("2024-0001") == 0


def _lock_waiters() -> int:
    """How many other sessions wait for a row lock (PostgreSQL); SQLite queues whole
    transactions at BEGIN instead, so none ever shows here."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_reversal_imported_while_the_line_is_matched_by_hand_undoes_that_payment():
    make_invoices(1)
    bureau = UserFactory(username="bureau")
    payments.bank_statement_import(file=document([ntry("5000.00", ustrd=("bijdrage",))]))
    (line,) = payments.unmatched_lines()
    invoice = selectors.invoice_by_number(number="2024-0001")
    matched, commit = threading.Event(), threading.Event()

    def match_by_hand() -> None:
        try:
            with transaction.atomic():
                payments.statement_line_match(line=line, invoice=invoice, actor=bureau)
                matched.set()
                commit.wait()
        finally:
            connection.close()

    def import_reversal() -> None:
        try:
            reversal = ntry("5000.00", credit=False, reversal=True, booked="2024-03-20")
            payments.bank_statement_import(file=document([reversal], statement_id="D2"))
        finally:
            connection.close()

    hand = threading.Thread(target=match_by_hand)
    hand.start()
    matched.wait()
    bank = threading.Thread(target=import_reversal)
    bank.start()
    # The import must wait for the match (the line is locked) rather than read past it.
    while connection.vendor == "postgresql" and bank.is_alive() and not _lock_waiters():
        bank.join(0.01)
    commit.set()
    hand.join()
    bank.join()

    assert Payment.objects.count() == 0  # booked by hand, then undone by the reversal
    assert open_amount("2024-0001") == FIVE_K
    assert StatementLine.objects.get(reversal=True).reverses_id == line.pk


# --- References -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "number"),
    [
        ({"ref": "RF3220240001"}, "2024-0001"),
        ({"ustrd": ("betaling RF32 2024 0001",)}, "2024-0001"),
        ({"ustrd": ("Contributie M50 factuur 2024-00", "01 dank u")}, "2024-0001"),
        ({"info": "FACTUUR 2024-0001"}, "2024-0001"),
        ({"ustrd": ("factuur 2024 0001",)}, "2024-0001"),
        ({"ustrd": ("factuur 2024/0001",)}, "2024-0001"),
        ({"ustrd": ("factuur 20240001",)}, "2024-0001"),
        # The RF reference wins over another number in the text.
        ({"ref": "RF3220240001", "ustrd": ("zie ook 2024-0002",)}, "2024-0001"),
    ],
)
def test_the_invoice_is_found_where_payers_put_its_reference(entry, number):
    make_invoices(2)

    report = payments.bank_statement_import(file=document([ntry("5000.00", **entry)]))

    assert [(r.outcome, r.invoice_number) for r in report.results] == [("matched", number)]


@pytest.mark.parametrize(
    "ustrd",
    [
        "van rekening NL20INGB0020240001",  # digits of an account
        "kenmerk 120240001",  # a longer number
        "tel 06-20240001",
        "ordernummer 2024 00011",
    ],
)
def test_no_invoice_is_taken_from_accounts_and_long_numbers(ustrd):
    make_invoices(1)

    report = payments.bank_statement_import(file=document([ntry("5000.00", ustrd=(ustrd,))]))

    assert report.results[0].reason == "geen factuurnummer in de omschrijving."
    assert Payment.objects.count() == 0


def test_a_loose_number_of_no_invoice_is_not_reported_as_an_unknown_number():
    report = payments.bank_statement_import(
        file=document([ntry("5000.00", ustrd=("postbus 2024 1234",))])
    )
    assert report.results[0].reason == "geen factuurnummer in de omschrijving."


def test_the_reference_of_each_invoice_is_its_number_as_rf():
    (first,) = make_invoices(1)
    assert references.creditor_reference(first.number) == "RF3220240001"


# --- The payer --------------------------------------------------------------------------------


def test_a_payment_by_someone_else_is_booked_but_flagged_until_reviewed():
    make_invoices(2)
    bureau = UserFactory(username="bureau")
    stranger = ntry("5000.00", ustrd=("2024-0001",), payer=4, name="Stichting Onbekend")

    report = payments.bank_statement_import(file=document([stranger]))

    (result,) = report.results
    assert result.outcome == "matched"
    assert result.review == (
        f"betaald door Stichting Onbekend ({IBANS[4]}): niet de rekening of naam van de "
        "debiteur Gemeente A-Voorbeeldstad."
    )
    assert "1 betaling komt van een onbekende betaler" in report.summary()
    payment = Payment.objects.get()
    assert list(payments.payments_to_review()) == [payment]

    payments.payment_review(payment=payment, actor=bureau)

    assert list(payments.payments_to_review()) == []
    assert AuditEvent.objects.filter(action="payment.review", actor=bureau).exists()
    with pytest.raises(ValidationError):
        payments.payment_review(payment=payment, actor=bureau)
    # Once checked, the account is known for that municipality: no flag next time.
    again = ntry("2500.00", ustrd=("2024-0002",), payer=4, name="Stichting Onbekend")
    report = payments.bank_statement_import(file=document([again], statement_id="S-2"))
    assert report.results[0].review != ""  # another municipality: still flagged
    # The first municipality's invoice of next year would now pass on the account alone.
    invoice = selectors.invoice_by_number(number="2024-0001")
    known = payments._known_accounts([invoice.membership.municipality_id])
    assert payments.payer_review(invoice, name="X", account=IBANS[4], known=known) == ""


@pytest.mark.parametrize(
    ("payer", "alike"),
    [
        ("GEMEENTE A-VOORBEELDSTAD", True),
        ("Gem. A-Voorbeeldstad afd. Financiën", True),
        ("A Voorbeeldstadt", True),
        ("Gemeente Zandpolder", False),
        ("", False),
    ],
)
def test_names_alike(payer, alike):
    assert payments.names_alike(payer, "Gemeente A-Voorbeeldstad") is alike


# --- Size -------------------------------------------------------------------------------------


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path):
    data = document([ntry("5000.00")])
    path = tmp_path / "groot.xml"
    path.write_bytes(data)
    with override_settings(M50_CAMT_MAX_UPLOAD_BYTES=100):
        with pytest.raises(camt.CamtError) as refused:
            payments.bank_statement_import(file=data)
        assert "mag ten hoogste 0,0 MB zijn" in refused.value.problems[0].message
        with pytest.raises(CommandError, match="Niets geïmporteerd: Het bestand is"):
            call_command("import-camt", str(path), stdout=StringIO())
    assert BankStatement.objects.count() == 0


# --- Matching by hand -------------------------------------------------------------------------


def test_suggestions_rank_named_then_payer_then_amount():
    make_invoices(5)
    # E-Zandpolder paid before from its account.
    payments.bank_statement_import(
        file=document([ntry("1000.00", ustrd=("2024-0005",), payer=4)], statement_id="S-0")
    )
    payments.bank_statement_import(
        file=document(
            [ntry("4000.00", ustrd=("bijdrage",), payer=4, name="Anders", bank_ref="X")],
            statement_id="S-1",
        )
    )
    line = StatementLine.objects.get(entry_reference="X")

    suggestions = payments.match_suggestions(line)

    assert [s.invoice.number for s in suggestions][0] == "2024-0005"
    assert suggestions[0].reasons[0].startswith("deze rekening betaalde eerder voor E-Zandpolder")
    assert suggestions[0].open_amount == Decimal("4000.00")

    named = StatementLine.objects.create(
        statement=line.statement,
        booking_date=line.booking_date,
        amount=FIVE_K,
        remittance="zie 2024 0003",
    )
    numbers = [s.invoice.number for s in payments.match_suggestions(named)]
    assert numbers[0] == "2024-0003"
    # Each open invoice of exactly this amount is suggested too.
    assert set(numbers) == {"2024-0001", "2024-0002", "2024-0003", "2024-0004"}


def test_a_line_marked_no_invoice_payment_leaves_the_list_and_can_be_restored():
    bureau = UserFactory(username="bureau")
    payments.bank_statement_import(file=document([ntry("12.00", ustrd=("rente",))]))
    (line,) = payments.unmatched_lines()

    with pytest.raises(ValidationError, match="Geef een reden op"):
        payments.statement_line_dismiss(line=line, reason="  ", actor=bureau)
    payments.statement_line_dismiss(line=line, reason="Rente", actor=bureau)

    assert list(payments.unmatched_lines()) == []
    assert list(payments.dismissed_lines()) == [line]
    with pytest.raises(ValidationError, match="gemarkeerd als geen factuurbetaling"):
        payments.statement_line_match(line=line, invoice=Invoice(pk=0, number="x"), actor=bureau)

    payments.statement_line_restore(line=line, actor=bureau)

    assert list(payments.unmatched_lines()) == [line]
    actions = list(
        AuditEvent.objects.filter(object_id=str(line.pk), action__startswith="statement_line")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["statement_line.dismiss", "statement_line.restore"]


def test_a_pending_line_cannot_be_matched_by_hand():
    (invoice,) = make_invoices(1)
    payments.bank_statement_import(
        file=document([ntry("5000.00", status="PDNG", ustrd=("x",), booked=None)])
    )
    line = StatementLine.objects.get()
    with pytest.raises(ValidationError, match="nog niet geboekt"):
        payments.statement_line_match(line=line, invoice=invoice, actor=None)


def test_a_statement_is_booked_batch_by_batch_as_if_at_once(monkeypatch):
    """What earlier batches booked counts in the later ones: open amounts, entries seen."""
    make_invoices(2)
    monkeypatch.setattr(payments, "BATCH_SIZE", 2)
    entries = [
        ntry("1000.00", ustrd=("2024-0001 termijn 1",)),
        ntry("5000.00", ustrd=("2024-0002",), payer=1),
        ntry("4000.00", ustrd=("2024-0001 termijn 2",)),  # the second batch: the rest
        ntry("1.00", ustrd=("2024-0001 te veel",)),  # nothing open any more
        ntry("5000.00", ustrd=("2024-0002",), payer=1),  # the same entry as the second
    ]

    report = payments.bank_statement_import(file=document(entries))

    assert [r.outcome for r in report.results] == [
        "partial",
        "matched",
        "matched",
        "unmatched",
        "duplicate",
    ]
    assert open_amount("2024-0001") == 0 and open_amount("2024-0002") == 0
    assert Payment.objects.count() == 3 and StatementLine.objects.count() == 5
