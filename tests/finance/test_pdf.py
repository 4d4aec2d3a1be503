"""The PDF invoice: an A4 document in Dutch with what a municipality's finance department needs
to book and pay it. The text is read from the uncompressed page content (no PDF library is
installed): ReportLab writes each line as a PDF string, ``(...) Tj``, in WinAnsi encoding."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import override_settings

from m50.finance import services
from m50.finance.models import Invoice
from m50.finance.pdf import euro, iban_display, invoice_pdf
from tests.finance import DIEMEN_OIN, credit, diemen_invoice, invoice_run_2024, listed

pytestmark = pytest.mark.django_db

A4_MEDIA_BOX = re.compile(rb"/MediaBox \[\s*0 0 595\.27\d* 841\.88\d*\s*\]")
SHOWN_STRING = re.compile(rb"\(((?:[^()\\]|\\.)*)\)\s*Tj", re.DOTALL)
ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.DOTALL)
SIMPLE_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(match: re.Match) -> bytes:
    value = match.group(1)
    if value[:1].isdigit():
        return bytes([int(value, 8)])
    return SIMPLE_ESCAPES.get(value, value)


def pdf_lines(data: bytes) -> list[str]:
    """Every string shown on the pages of an uncompressed PDF, in drawing order."""
    assert b"/FlateDecode" not in data, "build the PDF with compress=False to read its text"
    return [ESCAPE.sub(_unescape, raw).decode("cp1252") for raw in SHOWN_STRING.findall(data)]


def pdf_text(invoice: Invoice) -> str:
    return "\n".join(pdf_lines(invoice_pdf(invoice, compress=False)))


def test_a_pdf_of_one_a4_page():
    data = invoice_pdf(diemen_invoice())
    assert data.startswith(b"%PDF-1.")
    assert data.rstrip().endswith(b"%%EOF")
    assert A4_MEDIA_BOX.search(data)
    assert len(re.findall(rb"/Type /Page\b", data)) == 1  # one page, not /Pages
    assert b"/FlateDecode" in data  # compressed unless asked otherwise


def test_the_invoice_shows_the_network_the_debtor_and_the_numbers():
    invoice = diemen_invoice(purchase_order="4500012345")
    text = pdf_text(invoice)
    lines = text.splitlines()
    # The network, as in M50_SELLER.
    for expected in ("Vereniging M50", "Postbus 50", "3500 AA Utrecht", "KvK 00000000"):
        assert expected in lines
    assert "IBAN NL91 ABNA 0417 1643 00" in lines
    assert "BIC ABNANL2A" in lines
    # The debtor as on the invoice.
    for expected in ("Gemeente Diemen", "t.a.v. Afdeling Financiën", "Raadhuisplein 1"):
        assert expected in lines
    assert "1111 AA Diemen" in lines
    assert DIEMEN_OIN in lines
    # The invoice itself.
    assert "Factuur" in lines and "Creditnota" not in lines
    assert "2024-0001" in lines
    assert "16 januari 2024" in lines  # invoice date
    assert "15 februari 2024" in lines  # due date, 30 days later
    assert "4500012345" in lines  # the municipality's reference
    assert "Contributie M50 2024, Diemen" in lines
    assert "Totaal te betalen" in lines
    assert lines.count("€ 5.000,00") == 3  # the line, excl. VAT and the total
    assert "Niet onderworpen aan btw" in lines
    assert "€ 0,00" in lines


def test_the_payment_instructions_name_iban_bic_and_the_invoice_number_as_reference():
    text = pdf_text(diemen_invoice())
    flat = " ".join(text.replace("\u00a0", " ").split())
    assert (
        "Betalingskenmerk: RF32 2024 0001. Vermeld dit kenmerk bij de betaling (als "
        "gestructureerde mededeling), of anders factuurnummer 2024-0001." in flat
    )
    # The reference is never broken over two lines.
    assert sum("RF32 2024 0001" in line for line in text.splitlines()) == 1
    assert (
        "Wij verzoeken u het bedrag van € 5.000,00 uiterlijk 15 februari 2024 over te maken "
        "op IBAN NL91 ABNA 0417 1643 00 (BIC ABNANL2A) ten name van Vereniging M50." in flat
    )
    # The IBAN is never broken over two lines: in the header and in the instructions.
    assert sum("IBAN NL91 ABNA 0417 1643 00" in line for line in text.splitlines()) == 2


def test_the_vat_note_follows_the_setting():
    with override_settings(M50_VAT_EXEMPTION_REASON="Buiten de heffing van btw"):
        text = pdf_text(diemen_invoice())
    assert "Buiten de heffing van btw." in text.splitlines()


def test_a_credit_note_says_so_and_names_the_credited_invoice():
    invoice = diemen_invoice()
    note = credit(invoice, reason="Dubbel gefactureerd")
    lines = pdf_text(note).splitlines()
    assert "Creditnota" in lines and "Factuur" not in lines
    assert "2024-0002" in lines
    assert "Crediteert factuur" in lines
    assert "2024-0001 van 16 januari 2024" in lines
    assert "1 maart 2024" in lines
    assert "Contributie M50 2024, Diemen" in lines
    assert "Creditering van factuur 2024-0001: Dubbel gefactureerd" in lines
    assert lines.count("€ -5.000,00") == 3
    assert "Totaal te verrekenen" in lines
    assert "€ 0,00" in lines  # no "-0,00" for the VAT
    assert not any("betalingskenmerk" in line for line in lines)


def test_the_same_invoice_gives_the_same_bytes_and_metadata_names_it():
    invoice = diemen_invoice()
    data = invoice_pdf(invoice)
    assert data == invoice_pdf(Invoice.objects.get(pk=invoice.pk))
    plain = invoice_pdf(invoice, compress=False)
    assert b"(Factuur 2024-0001)" in plain  # the document title
    assert b"/Lang (nl)" in plain


def test_names_with_markup_characters_are_printed_as_they_are():
    membership = listed("Bergen (L.)", "GM0893", oin="00000001003214345000")
    services.billing_details_update(
        municipality=membership.municipality, name="Gemeente Bergen (L.) & <Co>"
    )
    (invoice,) = invoice_run_2024()
    # Drawn as it is (ReportLab shows "&", "<" and ">" as separate strings on the line).
    shown = "".join(pdf_lines(invoice_pdf(invoice, compress=False)))
    assert "Gemeente Bergen (L.) & <Co>" in shown


def test_amounts_in_dutch_notation():
    assert euro(Decimal("5000")) == "€ 5.000,00"
    assert euro(Decimal("-1234567.891")) == "€ -1.234.567,89"
    assert euro(Decimal("0.5")) == "€ 0,50"
    assert iban_display("nl91abna0417164300") == "NL91 ABNA 0417 1643 00"
    with pytest.raises(TypeError):
        euro(5000.0)
