"""An invoice as a UBL 2.1 e-invoice: Peppol BIS Billing 3.0, which conforms to EN 16931.

Why Peppol BIS Billing 3.0 and not SI-UBL 2.0 (NLCIUS): both are core invoice usage
specifications of EN 16931 in the same UBL 2.1 syntax, and Dutch public bodies receive both.
Municipalities receive e-invoices over the Peppol network, addressed by their OIN (scheme
0190), and every Peppol access point must accept BIS Billing 3.0, while SI-UBL 2.0 is a
Dutch-only document type that a receiver may or may not have registered. The Dutch rules
that matter for a Dutch supplier were taken from NLCIUS into BIS Billing 3.0 as its
country-specific rules NL-R-001 to NL-R-009 (KvK or OIN as legal identifier, full addresses,
payment means, the credited invoice on a credit note), and this document follows them, so it
meets the mandatory NLCIUS rules (BR-NL-1 to BR-NL-13) too; only the specification identifier
says which rule set a receiver should validate it with.

What the document carries (EN 16931 business terms in brackets):

- a ``CreditNote`` (type 381) for a credit note, with the credited invoice in
  ``BillingReference`` (BT-25, NL-R-001) and its amounts positive: the document type carries
  the sign, although the model stores a credit note's amounts as negatives;
- ``BuyerReference`` (BT-10): the municipality's purchase-order or reference number, or the
  invoice number when it gave none (PEPPOL-EN16931-R003 wants a buyer or order reference);
- the seller with its KvK number as legal identifier and electronic address (scheme 0106);
- the buyer with its OIN as electronic address (scheme 0190; its KvK number, 0106, when it
  has no OIN) and as legal identifier (NL-R-005);
- SEPA credit transfer (code 58) to the network's IBAN, the invoice's ISO 11649 RF creditor
  reference (derived from its number) as payment reference (BT-83); a credit note asks no
  payment and has none (NL-R-007);
- the VAT breakdown of the invoice's category. For the default, ``O`` (not subject to VAT),
  EN 16931 asks (BR-O-*): no seller or buyer VAT identifier, no VAT rate on the category, a
  tax amount of zero and an exemption reason (code ``VATEX-EU-O`` and the text of
  ``M50_VAT_EXEMPTION_REASON``).

Amounts are the invoice's ``Decimal`` values with two decimals; no floats anywhere.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from lxml import etree

from m50.core.formats import long_date
from m50.finance.models import Invoice
from m50.finance.references import creditor_reference

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

INVOICE_TYPE_CODE = "380"  # commercial invoice
CREDIT_NOTE_TYPE_CODE = "381"  # credit note
PAYMENT_MEANS_SEPA_CREDIT_TRANSFER = "58"
SCHEME_KVK = "0106"  # Netherlands Chamber of Commerce (ICD / EAS)
SCHEME_OIN = "0190"  # Dutch Originator's Identification Number (ICD / EAS)
UNIT_ONE = "C62"  # UN/ECE Recommendation 20: "one"
CURRENCY = "EUR"
CENT = Decimal("0.01")
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'

# VAT categories (UNCL5305 subset) this module can express, and what EN 16931 asks of each.
EXEMPTION_CODES = {"O": "VATEX-EU-O", "E": None}  # categories that need an exemption reason
CATEGORIES_WITHOUT_RATE = {"O"}  # BR-O-05: no rate at all
CATEGORIES_WITH_SELLER_VAT_ID = {"S", "Z", "E"}  # BR-S-02, BR-Z-02, BR-E-02
SUPPORTED_CATEGORIES = {"S", "Z", "E", "O"}


class UblError(ValidationError):
    """The invoice lacks what an EN 16931 e-invoice must carry; ``messages`` says what."""


def _cbc(parent: etree._Element, name: str, text: str | None = None, **attributes):
    element = etree.SubElement(parent, f"{{{NS_CBC}}}{name}", attributes)
    element.text = text
    return element


def _cac(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{NS_CAC}}}{name}")


def _optional(parent: etree._Element, name: str, text: str) -> None:
    """PEPPOL-EN16931-R008: a document has no empty elements; leave out what is not known."""
    if text and text.strip():
        _cbc(parent, name, text.strip())


def _amount(parent: etree._Element, name: str, value: Decimal) -> None:
    if not isinstance(value, Decimal):
        raise TypeError(f"{name}: an amount is a Decimal, not {type(value).__name__}")
    value = value.quantize(CENT)
    _cbc(parent, name, f"{abs(value) if value == 0 else value}", currencyID=CURRENCY)  # no -0.00


def _signed(invoice: Invoice) -> tuple[Decimal, Decimal, Decimal]:
    """Amount, VAT and total as the document states them: a credit note's as positives."""
    sign = -1 if invoice.kind == Invoice.Kind.CREDIT_NOTE else 1
    return sign * invoice.amount, sign * invoice.vat_amount, sign * invoice.total


def _date(value: datetime.date) -> str:
    return value.isoformat()


def _compact(value: str) -> str:
    return "".join(value.split()).upper()


def buyer_endpoint(invoice: Invoice) -> tuple[str, str] | None:
    """The buyer's electronic address: its OIN (0190), else its KvK number (0106)."""
    if invoice.debtor_oin.strip():
        return SCHEME_OIN, invoice.debtor_oin.strip()
    if invoice.debtor_kvk.strip():
        return SCHEME_KVK, invoice.debtor_kvk.strip()
    return None


def buyer_reference(invoice: Invoice) -> str:
    """BT-10: the municipality's own reference, else the (credited) invoice's number, so that
    a credit note reaches the same desk as the invoice it credits."""
    if invoice.purchase_order.strip():
        return invoice.purchase_order.strip()
    return invoice.credits.number if invoice.kind == Invoice.Kind.CREDIT_NOTE else invoice.number


def ubl_problems(invoice: Invoice) -> list[str]:
    """What keeps this invoice from being a conforming e-invoice; empty when nothing does."""
    seller = settings.M50_SELLER
    problems = []
    if invoice.vat_category not in SUPPORTED_CATEGORIES:
        problems.append(
            _("Btw-categorie %(c)s wordt in de e-factuur niet ondersteund.")
            % {"c": invoice.vat_category}
        )
    if buyer_endpoint(invoice) is None:
        problems.append(
            _("De debiteur heeft geen OIN en geen KvK-nummer (nodig als elektronisch adres).")
        )
    for label, value, length in (
        (_("Het OIN van de debiteur"), invoice.debtor_oin.strip(), 20),
        (_("Het KvK-nummer van de debiteur"), invoice.debtor_kvk.strip(), 8),
        (_("Het KvK-nummer van het netwerk"), str(seller.get("kvk", "")).strip(), 8),
    ):
        if value and not (value.isdigit() and len(value) == length):
            problems.append(
                _("%(label)s (%(value)s) is geen nummer van %(length)d cijfers.")
                % {"label": label, "value": value, "length": length}
            )
    if not (invoice.debtor_address_line and invoice.debtor_postal_code and invoice.debtor_city):
        problems.append(_("Het adres van de debiteur is onvolledig (adres, postcode en plaats)."))
    if not seller.get("kvk"):
        problems.append(_("Het KvK-nummer van het netwerk ontbreekt (M50_SELLER_KVK)."))
    if not (seller.get("address_line") and seller.get("postal_code") and seller.get("city")):
        problems.append(_("Het adres van het netwerk is onvolledig (M50_SELLER_*)."))
    if invoice.kind == Invoice.Kind.INVOICE and not seller.get("iban"):
        problems.append(_("Het IBAN van het netwerk ontbreekt (M50_SELLER_IBAN)."))
    if invoice.vat_category in CATEGORIES_WITH_SELLER_VAT_ID and not seller.get("vat_number"):
        problems.append(
            _("Voor btw-categorie %(c)s is het btw-nummer van het netwerk nodig (M50_SELLER_VAT).")
            % {"c": invoice.vat_category}
        )
    if invoice.amount + invoice.vat_amount != invoice.total:
        problems.append(_("Het totaal is niet het bedrag plus de btw."))
    if any(value < 0 for value in _signed(invoice)):
        problems.append(
            _("Een factuur heeft geen negatieve bedragen, een creditnota geen positieve.")
        )
    if invoice.kind == Invoice.Kind.CREDIT_NOTE and invoice.credits_id is None:
        problems.append(_("Een creditnota moet naar de gecrediteerde factuur verwijzen."))
    return problems


def invoice_ubl(invoice: Invoice, *, language: str = "nl") -> bytes:
    """The invoice as a UBL 2.1 Invoice, or a CreditNote for a credit note, in UTF-8.

    Raises :class:`UblError` when the invoice lacks something an e-invoice must carry.
    """
    problems = ubl_problems(invoice)
    if problems:
        raise UblError(problems)
    with translation.override(language):
        root = _document(invoice)
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8", pretty_print=True)


def _document(invoice: Invoice) -> etree._Element:
    credit_note = invoice.kind == Invoice.Kind.CREDIT_NOTE
    ns = NS_CREDIT_NOTE if credit_note else NS_INVOICE
    root = etree.Element(
        f"{{{ns}}}{'CreditNote' if credit_note else 'Invoice'}",
        nsmap={None: ns, "cac": NS_CAC, "cbc": NS_CBC},
    )
    _cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    _cbc(root, "ProfileID", PROFILE_ID)
    _cbc(root, "ID", invoice.number)
    _cbc(root, "IssueDate", _date(invoice.issue_date))
    if credit_note:
        _cbc(root, "CreditNoteTypeCode", CREDIT_NOTE_TYPE_CODE)
        _cbc(root, "Note", invoice.description)  # the reason for the credit (BT-22)
    else:
        _cbc(root, "DueDate", _date(invoice.due_date))
        _cbc(root, "InvoiceTypeCode", INVOICE_TYPE_CODE)
    _cbc(root, "DocumentCurrencyCode", CURRENCY)
    _cbc(root, "BuyerReference", buyer_reference(invoice))
    period = _cac(root, "InvoicePeriod")  # the contribution year (BG-14)
    _cbc(period, "StartDate", _date(datetime.date(invoice.fee_year, 1, 1)))
    _cbc(period, "EndDate", _date(datetime.date(invoice.fee_year, 12, 31)))
    if credit_note:
        reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(reference, "ID", invoice.credits.number)
        _cbc(reference, "IssueDate", _date(invoice.credits.issue_date))
    _supplier(root, invoice)
    _customer(root, invoice)
    if not credit_note:
        _payment_means(root, invoice)
    _payment_terms(root, invoice)
    _tax_total(root, invoice)
    _monetary_total(root, invoice)
    _line(root, invoice)
    return root


def _address(parent: etree._Element, *, line: str, postal_code: str, city: str, country: str):
    address = _cac(parent, "PostalAddress")
    _optional(address, "StreetName", line)
    _optional(address, "CityName", city)
    _optional(address, "PostalZone", postal_code)
    _cbc(_cac(address, "Country"), "IdentificationCode", country)


def _supplier(root: etree._Element, invoice: Invoice) -> None:
    seller = settings.M50_SELLER
    party = _cac(_cac(root, "AccountingSupplierParty"), "Party")
    _cbc(party, "EndpointID", seller["kvk"], schemeID=SCHEME_KVK)
    _cbc(_cac(party, "PartyName"), "Name", seller["name"])
    _address(
        party,
        line=seller["address_line"],
        postal_code=seller["postal_code"],
        city=seller["city"],
        country=seller.get("country") or "NL",
    )
    if invoice.vat_category in CATEGORIES_WITH_SELLER_VAT_ID:
        # BR-O-02: an invoice of category O carries no seller VAT identifier.
        tax_scheme = _cac(party, "PartyTaxScheme")
        _cbc(tax_scheme, "CompanyID", _compact(seller["vat_number"]))
        _cbc(_cac(tax_scheme, "TaxScheme"), "ID", "VAT")
    legal = _cac(party, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", seller["name"])
    _cbc(legal, "CompanyID", seller["kvk"], schemeID=SCHEME_KVK)
    if seller.get("email"):
        _cbc(_cac(party, "Contact"), "ElectronicMail", seller["email"])


def _customer(root: etree._Element, invoice: Invoice) -> None:
    party = _cac(_cac(root, "AccountingCustomerParty"), "Party")
    scheme, endpoint = buyer_endpoint(invoice)
    _cbc(party, "EndpointID", endpoint, schemeID=scheme)
    _cbc(_cac(party, "PartyName"), "Name", invoice.debtor_name)
    _address(
        party,
        line=invoice.debtor_address_line,
        postal_code=invoice.debtor_postal_code,
        city=invoice.debtor_city,
        country="NL",
    )
    legal = _cac(party, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", invoice.debtor_name)
    _cbc(legal, "CompanyID", endpoint, schemeID=scheme)
    if invoice.debtor_contact.strip() or invoice.debtor_email.strip():
        contact = _cac(party, "Contact")
        _optional(contact, "Name", invoice.debtor_contact)
        _optional(contact, "ElectronicMail", invoice.debtor_email)


def _payment_means(root: etree._Element, invoice: Invoice) -> None:
    seller = settings.M50_SELLER
    means = _cac(root, "PaymentMeans")
    _cbc(means, "PaymentMeansCode", PAYMENT_MEANS_SEPA_CREDIT_TRANSFER)
    # BT-83: the structured RF creditor reference the bank statement is matched on first.
    _cbc(means, "PaymentID", creditor_reference(invoice.number) or invoice.number)
    account = _cac(means, "PayeeFinancialAccount")
    _cbc(account, "ID", _compact(seller["iban"]))
    _cbc(account, "Name", seller["name"])
    if seller.get("bic"):
        _cbc(_cac(account, "FinancialInstitutionBranch"), "ID", _compact(seller["bic"]))


def _payment_terms(root: etree._Element, invoice: Invoice) -> None:
    # BR-CO-25: a positive amount due needs a due date or payment terms. A credit note has no
    # due date of its own, so it says in its terms what happens to the amount.
    if invoice.kind == Invoice.Kind.CREDIT_NOTE:
        text = _(
            "Het bedrag van deze creditnota wordt verrekend met factuur %(number)s "
            "of aan u terugbetaald."
        ) % {"number": invoice.credits.number}
    else:
        text = _(
            "Betalen binnen %(days)d dagen na factuurdatum, uiterlijk %(due)s, onder "
            "vermelding van factuurnummer %(number)s."
        ) % {
            "days": (invoice.due_date - invoice.issue_date).days,
            "due": long_date(invoice.due_date),
            "number": invoice.number,
        }
    _cbc(_cac(root, "PaymentTerms"), "Note", text)


def _tax_category(parent: etree._Element, name: str, invoice: Invoice, *, reason: bool) -> None:
    category = _cac(parent, name)
    _cbc(category, "ID", invoice.vat_category)
    if invoice.vat_category not in CATEGORIES_WITHOUT_RATE:
        _cbc(category, "Percent", f"{invoice.vat_rate.normalize():f}")
    if reason and invoice.vat_category in EXEMPTION_CODES:
        code = EXEMPTION_CODES[invoice.vat_category]
        if code:
            _cbc(category, "TaxExemptionReasonCode", code)
        _cbc(category, "TaxExemptionReason", settings.M50_VAT_EXEMPTION_REASON)
    _cbc(_cac(category, "TaxScheme"), "ID", "VAT")


def _tax_total(root: etree._Element, invoice: Invoice) -> None:
    amount, vat, _total = _signed(invoice)
    total = _cac(root, "TaxTotal")
    _amount(total, "TaxAmount", vat)
    subtotal = _cac(total, "TaxSubtotal")
    _amount(subtotal, "TaxableAmount", amount)
    _amount(subtotal, "TaxAmount", vat)
    _tax_category(subtotal, "TaxCategory", invoice, reason=True)


def _monetary_total(root: etree._Element, invoice: Invoice) -> None:
    amount, _vat, total = _signed(invoice)
    monetary = _cac(root, "LegalMonetaryTotal")
    _amount(monetary, "LineExtensionAmount", amount)
    _amount(monetary, "TaxExclusiveAmount", amount)
    _amount(monetary, "TaxInclusiveAmount", total)
    _amount(monetary, "PayableAmount", total)


def _line(root: etree._Element, invoice: Invoice) -> None:
    credit_note = invoice.kind == Invoice.Kind.CREDIT_NOTE
    amount, _vat, _total = _signed(invoice)
    line = _cac(root, "CreditNoteLine" if credit_note else "InvoiceLine")
    _cbc(line, "ID", "1")
    _cbc(line, "CreditedQuantity" if credit_note else "InvoicedQuantity", "1", unitCode=UNIT_ONE)
    _amount(line, "LineExtensionAmount", amount)
    item = _cac(line, "Item")
    # A credit note's line names what it credits: the contribution of the credited invoice.
    _cbc(item, "Name", invoice.credits.description if credit_note else invoice.description)
    _tax_category(item, "ClassifiedTaxCategory", invoice, reason=False)
    _amount(_cac(line, "Price"), "PriceAmount", amount)
