"""The UBL e-invoice: valid against the OASIS UBL 2.1 schemas in ``standards/``, and the
EN 16931 / Peppol BIS Billing 3.0 business rules that matter for a contribution invoice,
asserted by XPath (the rule codes are EN 16931's, PEPPOL-EN16931-R* and the Dutch NL-R-*)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings
from lxml import etree

from m50.finance import references, services
from m50.finance.models import Invoice
from m50.finance.ubl import (
    CUSTOMIZATION_ID,
    PROFILE_ID,
    UblError,
    invoice_ubl,
    ubl_problems,
)
from tests.finance import (
    DIEMEN_KVK,
    DIEMEN_OIN,
    credit,
    diemen,
    diemen_invoice,
    invoice_run_2024,
    listed,
)

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parents[2] / "standards" / "ubl-2.1" / "maindoc"
NS = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
_schemas: dict[str, etree.XMLSchema] = {}


def schema(name: str) -> etree.XMLSchema:
    if name not in _schemas:
        _schemas[name] = etree.XMLSchema(file=str(SCHEMAS / f"UBL-{name}-2.1.xsd"))
    return _schemas[name]


def valid(invoice: Invoice) -> etree._Element:
    """The invoice's UBL, parsed and validated against the schema of its document type."""
    data = invoice_ubl(invoice)
    document = etree.fromstring(data)
    name = "CreditNote" if invoice.kind == Invoice.Kind.CREDIT_NOTE else "Invoice"
    assert etree.QName(document).localname == name
    schema(name).assertValid(document)
    return document


def text(document: etree._Element, path: str) -> str:
    (value,) = document.xpath(path, namespaces=NS)
    return value.text if isinstance(value, etree._Element) else str(value)


def texts(document: etree._Element, path: str) -> list[str]:
    return [element.text for element in document.xpath(path, namespaces=NS)]


def amount(document: etree._Element, path: str) -> Decimal:
    return Decimal(text(document, path))


def amounts(document: etree._Element) -> list[etree._Element]:
    return document.xpath("//*[@currencyID]")


# -- the invoice ------------------------------------------------------------------------------


def test_invoice_validates_against_the_ubl_21_schema_and_names_the_peppol_bis_3_profile():
    invoice = diemen_invoice()
    document = valid(invoice)
    assert text(document, "cbc:CustomizationID") == CUSTOMIZATION_ID
    assert CUSTOMIZATION_ID == (
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    )
    assert text(document, "cbc:ProfileID") == PROFILE_ID
    assert text(document, "cbc:ID") == "2024-0001" == invoice.number
    assert text(document, "cbc:IssueDate") == "2024-01-16"
    assert text(document, "cbc:DueDate") == "2024-02-15"
    assert text(document, "cbc:InvoiceTypeCode") == "380"
    assert text(document, "cbc:DocumentCurrencyCode") == "EUR"
    assert text(document, "cac:InvoicePeriod/cbc:StartDate") == "2024-01-01"
    assert text(document, "cac:InvoicePeriod/cbc:EndDate") == "2024-12-31"
    assert not document.xpath("cac:BillingReference", namespaces=NS)


def test_every_invoice_of_a_run_and_its_credit_note_validates():
    diemen()
    address = {"address_line": "Markt 1", "postal_code": "2801 JG"}
    listed("Gouda", "GM0513", oin="00000001001849680000", city="Gouda", **address)
    listed("Ede", "GM0228", kvk="09172727", city="Ede", **address)
    listed(
        "Hoorn",
        "GM0405",
        oin="00000001001834800000",
        city="Hoorn",
        purchase_order="PO-77",
        **address,
    )
    created = invoice_run_2024()
    assert [invoice.number for invoice in created] == [f"2024-000{n}" for n in range(1, 5)]
    for invoice in created:
        valid(invoice)
        valid(credit(invoice))


def test_the_buyer_is_addressed_by_its_oin_in_scheme_0190():
    document = valid(diemen_invoice())
    party = "cac:AccountingCustomerParty/cac:Party"
    assert text(document, f"{party}/cbc:EndpointID") == DIEMEN_OIN
    assert text(document, f"{party}/cbc:EndpointID/@schemeID") == "0190"
    assert DIEMEN_KVK not in texts(document, "//cbc:EndpointID | //cbc:CompanyID")  # OIN first
    # NL-R-005: the legal identifier of a Dutch buyer is its KvK number or OIN.
    assert text(document, f"{party}/cac:PartyLegalEntity/cbc:CompanyID") == DIEMEN_OIN
    assert text(document, f"{party}/cac:PartyLegalEntity/cbc:CompanyID/@schemeID") == "0190"
    assert text(document, f"{party}/cac:PartyLegalEntity/cbc:RegistrationName") == (
        "Gemeente Diemen"
    )
    # NL-R-004: a Dutch buyer's address has street, city and postal zone.
    assert text(document, f"{party}/cac:PostalAddress/cbc:StreetName") == "Raadhuisplein 1"
    assert text(document, f"{party}/cac:PostalAddress/cbc:CityName") == "Diemen"
    assert text(document, f"{party}/cac:PostalAddress/cbc:PostalZone") == "1111 AA"
    assert text(document, f"{party}/cac:PostalAddress/cac:Country/cbc:IdentificationCode") == ("NL")
    assert text(document, f"{party}/cac:Contact/cbc:Name") == "Afdeling Financiën"


def test_a_buyer_without_oin_is_addressed_by_its_kvk_number_in_scheme_0106():
    listed(
        "Ede",
        "GM0228",
        kvk="09172727",
        address_line="Bergstraat 4",
        postal_code="6711 BE",
        city="Ede",
    )
    (invoice,) = invoice_run_2024()
    document = valid(invoice)
    party = "cac:AccountingCustomerParty/cac:Party"
    assert text(document, f"{party}/cbc:EndpointID") == "09172727"
    assert text(document, f"{party}/cbc:EndpointID/@schemeID") == "0106"
    assert text(document, f"{party}/cac:PartyLegalEntity/cbc:CompanyID/@schemeID") == "0106"
    assert not document.xpath("//*[@schemeID='0190']")


def test_the_seller_is_identified_by_its_kvk_number_and_has_no_vat_id_under_category_o():
    document = valid(diemen_invoice())
    party = "cac:AccountingSupplierParty/cac:Party"
    assert text(document, f"{party}/cbc:EndpointID") == "00000000"
    assert text(document, f"{party}/cbc:EndpointID/@schemeID") == "0106"
    # NL-R-003: KvK (0106) or OIN (0190) as the Dutch seller's legal identifier.
    assert text(document, f"{party}/cac:PartyLegalEntity/cbc:CompanyID/@schemeID") == "0106"
    assert text(document, f"{party}/cac:PartyLegalEntity/cbc:RegistrationName") == (
        "Vereniging M50"
    )
    # NL-R-002: the seller's address has street, city and postal zone.
    for name in ("StreetName", "CityName", "PostalZone"):
        assert text(document, f"{party}/cac:PostalAddress/cbc:{name}")
    # BR-O-02: no seller (or buyer) VAT identifier on an invoice of category O.
    assert not document.xpath("//cac:PartyTaxScheme", namespaces=NS)


def test_totals_are_the_sum_of_the_lines_and_exact_to_the_cent():
    document = valid(diemen_invoice())
    lines = [Decimal(v) for v in texts(document, "cac:InvoiceLine/cbc:LineExtensionAmount")]
    assert lines == [Decimal("5000.00")]
    total = "cac:LegalMonetaryTotal"
    # BR-CO-10: sum of line net amounts; BR-CO-13: tax exclusive = lines (no allowances).
    assert amount(document, f"{total}/cbc:LineExtensionAmount") == sum(lines)
    assert amount(document, f"{total}/cbc:TaxExclusiveAmount") == sum(lines)
    # BR-CO-15: tax inclusive = tax exclusive + VAT; payable = tax inclusive (nothing prepaid).
    assert amount(document, f"{total}/cbc:TaxInclusiveAmount") == sum(lines) + amount(
        document, "cac:TaxTotal/cbc:TaxAmount"
    )
    assert amount(document, f"{total}/cbc:PayableAmount") == Decimal("5000.00")
    # BR-CO-14: the VAT total is the sum of the breakdown; BR-O-08: the taxable amount is the
    # sum of the lines.
    assert amount(document, "cac:TaxTotal/cbc:TaxAmount") == sum(
        Decimal(v) for v in texts(document, "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount")
    )
    assert amount(document, "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount") == sum(lines)
    # Every amount in euro, with exactly two decimals (BR-DEC-*).
    for element in amounts(document):
        assert element.get("currencyID") == "EUR"
        integer, decimals = element.text.split(".")
        assert integer.isdigit() and len(decimals) == 2


def test_category_o_has_a_zero_tax_amount_no_rate_and_an_exemption_reason():
    document = valid(diemen_invoice())
    # PEPPOL-EN16931-R053: exactly one tax total with a breakdown; BR-O-11: only category O.
    assert len(document.xpath("cac:TaxTotal", namespaces=NS)) == 1
    (subtotal,) = document.xpath("cac:TaxTotal/cac:TaxSubtotal", namespaces=NS)
    assert text(document, "cac:TaxTotal/cbc:TaxAmount") == "0.00"
    assert text(subtotal, "cbc:TaxAmount") == "0.00"
    assert text(subtotal, "cac:TaxCategory/cbc:ID") == "O"
    assert text(subtotal, "cac:TaxCategory/cac:TaxScheme/cbc:ID") == "VAT"
    # BR-O-10: an exemption reason code or text; both here.
    assert text(subtotal, "cac:TaxCategory/cbc:TaxExemptionReasonCode") == "VATEX-EU-O"
    assert text(subtotal, "cac:TaxCategory/cbc:TaxExemptionReason").startswith(
        "Niet onderworpen aan btw"
    )
    # BR-O-05 and the breakdown: category O has no VAT rate anywhere.
    assert texts(document, "//cac:ClassifiedTaxCategory/cbc:ID") == ["O"]
    assert not document.xpath("//cbc:Percent", namespaces=NS)


def test_payment_by_sepa_credit_transfer_with_the_rf_creditor_reference():
    invoice = diemen_invoice()
    document = valid(invoice)
    means = "cac:PaymentMeans"
    assert text(document, f"{means}/cbc:PaymentMeansCode") == "58"  # NL-R-008
    assert text(document, f"{means}/cbc:PaymentID") == "RF3220240001"
    assert references.number_from_reference("RF3220240001") == invoice.number
    assert text(document, f"{means}/cac:PayeeFinancialAccount/cbc:ID") == "NL91ABNA0417164300"
    assert text(document, f"{means}/cac:PayeeFinancialAccount/cbc:Name") == "Vereniging M50"
    assert (
        text(document, f"{means}/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID")
        == "ABNANL2A"
    )
    assert "15 februari 2024" in text(document, "cac:PaymentTerms/cbc:Note")


def test_the_buyer_reference_is_the_municipalitys_reference_or_else_the_invoice_number():
    # PEPPOL-EN16931-R003: a buyer reference or an order reference must be there.
    diemen()
    listed(
        "Hoorn",
        "GM0405",
        oin="00000001001834800000",
        address_line="Nieuwe Steen 1",
        postal_code="1625 HV",
        city="Hoorn",
        purchase_order="4500012345",
    )
    without, with_reference = invoice_run_2024()
    assert without.debtor_name == "Gemeente Diemen"
    assert text(valid(without), "cbc:BuyerReference") == without.number
    assert text(valid(with_reference), "cbc:BuyerReference") == "4500012345"


def test_the_line_is_the_contribution():
    document = valid(diemen_invoice())
    (line,) = document.xpath("cac:InvoiceLine", namespaces=NS)
    assert text(line, "cbc:ID") == "1"
    assert text(line, "cbc:InvoicedQuantity") == "1"
    assert text(line, "cbc:InvoicedQuantity/@unitCode") == "C62"
    assert text(line, "cac:Item/cbc:Name") == "Contributie M50 2024, Diemen"
    assert text(line, "cac:Price/cbc:PriceAmount") == "5000.00"


def test_no_empty_elements_and_utf8_with_a_declaration():
    data = invoice_ubl(diemen_invoice())
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    assert "Afdeling Financiën".encode() in data
    # PEPPOL-EN16931-R008: no empty elements.
    for element in etree.fromstring(data).iter():
        assert len(element) or (element.text or "").strip(), element.tag


def test_the_same_invoice_gives_the_same_document():
    invoice = diemen_invoice()
    assert invoice_ubl(invoice) == invoice_ubl(Invoice.objects.get(pk=invoice.pk))


# -- the credit note --------------------------------------------------------------------------


def test_credit_note_validates_and_references_the_credited_invoice():
    invoice = diemen_invoice(purchase_order="4500012345")
    note = credit(invoice)
    document = valid(note)
    assert text(document, "cbc:CustomizationID") == CUSTOMIZATION_ID
    assert text(document, "cbc:ID") == note.number == "2024-0002"
    assert text(document, "cbc:IssueDate") == "2024-03-01"
    assert text(document, "cbc:CreditNoteTypeCode") == "381"
    # NL-R-001: a credit note names the invoice it credits (BT-25, BT-26).
    reference = "cac:BillingReference/cac:InvoiceDocumentReference"
    assert text(document, f"{reference}/cbc:ID") == invoice.number
    assert text(document, f"{reference}/cbc:IssueDate") == "2024-01-16"
    assert text(document, "cbc:BuyerReference") == "4500012345"
    assert "Dubbel gefactureerd" in text(document, "cbc:Note")
    assert text(document, "cac:AccountingCustomerParty/cac:Party/cbc:EndpointID") == DIEMEN_OIN


def test_credit_note_amounts_are_positive_although_the_model_stores_negatives():
    note = credit(diemen_invoice())
    assert note.amount == note.total == Decimal("-5000.00")
    document = valid(note)
    assert amounts(document)
    for element in amounts(document):
        assert not element.text.startswith("-"), element.tag
    assert amount(document, "cac:LegalMonetaryTotal/cbc:PayableAmount") == Decimal("5000.00")
    assert amount(document, "cac:CreditNoteLine/cbc:LineExtensionAmount") == Decimal("5000.00")
    assert text(document, "cac:CreditNoteLine/cbc:CreditedQuantity") == "1"
    assert text(document, "cac:TaxTotal/cbc:TaxAmount") == "0.00"  # not -0.00
    assert not document.xpath("//cbc:Percent", namespaces=NS)


def test_credit_note_asks_no_payment_but_says_what_happens_to_the_amount():
    document = valid(credit(diemen_invoice()))
    # NL-R-007 asks payment means only when the buyer pays; BR-CO-25 wants payment terms for
    # a positive amount due where there is no due date.
    assert not document.xpath("cac:PaymentMeans", namespaces=NS)
    assert "2024-0001" in text(document, "cac:PaymentTerms/cbc:Note")
    assert text(document, "cac:CreditNoteLine/cac:Item/cbc:Name") == (
        "Contributie M50 2024, Diemen"
    )


# -- other VAT treatments and amounts ----------------------------------------------------------


def test_pro_rata_amounts_stay_exact_decimals():
    diemen()
    services.fee_reference_load()
    with override_settings(M50_PRO_RATA_ENTRY_YEAR=True):
        (invoice,) = services.invoice_run(year=2023, issue_date=datetime.date(2023, 6, 1))
    # Definitive from 16 May 2023: 230 of 365 days of EUR 5,000.
    assert invoice.amount == Decimal("3150.68")
    document = valid(invoice)
    assert amount(document, "cac:LegalMonetaryTotal/cbc:PayableAmount") == Decimal("3150.68")
    assert text(document, "cac:InvoiceLine/cac:Price/cbc:PriceAmount") == "3150.68"
    assert text(document, "cac:InvoicePeriod/cbc:StartDate") == "2023-01-01"


SELLER_WITH_VAT = {
    "name": "Vereniging M50",
    "address_line": "Postbus 50",
    "postal_code": "3500 AA",
    "city": "Utrecht",
    "country": "NL",
    "kvk": "00000000",
    "vat_number": "nl 0000 99998 b57",
    "iban": "NL91 ABNA 0417 1643 00",
    "bic": "ABNANL2A",
    "email": "bureau@m50.example",
}


@override_settings(M50_VAT_CATEGORY="S", M50_VAT_RATE="21", M50_SELLER=SELLER_WITH_VAT)
def test_standard_rated_vat_has_a_rate_the_sellers_vat_id_and_no_exemption_reason():
    document = valid(diemen_invoice())
    assert text(document, "cac:TaxTotal/cbc:TaxAmount") == "1050.00"
    subtotal = "cac:TaxTotal/cac:TaxSubtotal"
    assert text(document, f"{subtotal}/cbc:TaxableAmount") == "5000.00"
    assert text(document, f"{subtotal}/cac:TaxCategory/cbc:ID") == "S"
    assert text(document, f"{subtotal}/cac:TaxCategory/cbc:Percent") == "21"
    assert not document.xpath("//cbc:TaxExemptionReason", namespaces=NS)
    assert text(document, "cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cbc:Percent") == (
        "21"
    )
    # BR-S-02: the seller's VAT identifier, written without spaces.
    seller = "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme"
    assert text(document, f"{seller}/cbc:CompanyID") == "NL000099998B57"
    assert text(document, f"{seller}/cac:TaxScheme/cbc:ID") == "VAT"
    total = "cac:LegalMonetaryTotal"
    assert amount(document, f"{total}/cbc:TaxInclusiveAmount") == Decimal("6050.00")
    assert amount(document, f"{total}/cbc:PayableAmount") == Decimal("6050.00")
    assert text(document, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID") == (
        "NL91ABNA0417164300"
    )


# -- what cannot be an e-invoice -----------------------------------------------------------------


def test_a_debtor_without_oin_or_kvk_cannot_get_an_e_invoice():
    listed("Zonderland", "GM9999", address_line="Markt 1", postal_code="9999 ZZ", city="Z")
    (invoice,) = invoice_run_2024()
    assert any("OIN" in problem for problem in ubl_problems(invoice))
    with pytest.raises(UblError) as raised:
        invoice_ubl(invoice)
    assert "geen OIN en geen KvK-nummer" in " ".join(raised.value.messages)


def test_a_debtor_without_a_complete_address_cannot_get_an_e_invoice():
    listed("Gouda", "GM0513", oin="00000001001849680000")
    (invoice,) = invoice_run_2024()
    with pytest.raises(UblError) as raised:
        invoice_ubl(invoice)
    assert "adres van de debiteur is onvolledig" in " ".join(raised.value.messages)


def test_amounts_must_be_decimals():
    invoice = diemen_invoice()
    invoice.amount = 5000.0
    invoice.total = 5000.0
    with pytest.raises(TypeError):
        invoice_ubl(invoice)


def test_identifiers_that_cannot_be_an_oin_or_kvk_number_are_refused():
    invoice = diemen_invoice()
    invoice.debtor_oin = "0000000100199723300"  # 19 digits
    invoice.debtor_kvk = "3437481A"
    with override_settings(M50_SELLER={**SELLER_WITH_VAT, "kvk": "KVK123"}):
        problems = ubl_problems(invoice)
    assert problems == [
        "Het OIN van de debiteur (0000000100199723300) is geen nummer van 20 cijfers.",
        "Het KvK-nummer van de debiteur (3437481A) is geen nummer van 8 cijfers.",
        "Het KvK-nummer van het netwerk (KVK123) is geen nummer van 8 cijfers.",
    ]
