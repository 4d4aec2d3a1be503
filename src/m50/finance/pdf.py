"""An invoice or credit note as a print-ready A4 PDF in Dutch.

The seller is the network as configured in ``M50_SELLER``; the debtor is the snapshot on the
invoice, as it was on the invoice date. Built with ReportLab's platypus in its invariant mode,
so the same invoice always gives the same bytes.
"""

from __future__ import annotations

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from m50.core.formats import long_date
from m50.finance.models import Invoice
from m50.finance.references import creditor_reference_display

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9e9e9e")
ACCENT = colors.HexColor("#01689b")  # Rijksoverheid blue, AA contrast on white
NBSP = "\u00a0"
MARGIN = 20 * mm
FRAME_PADDING = 6  # platypus' frame keeps 6 pt inside the margins
LEFT, RIGHT_EDGE = MARGIN + FRAME_PADDING, A4[0] - MARGIN - FRAME_PADDING
WIDTH = RIGHT_EDGE - LEFT

BODY = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, textColor=INK)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8.5, leading=11.5, textColor=MUTED)
SMALL_RIGHT = ParagraphStyle("small_right", parent=SMALL, alignment=TA_RIGHT)
SELLER = ParagraphStyle("seller", parent=BODY, fontName=FONT_BOLD, fontSize=16, leading=20)
TITLE = ParagraphStyle(
    "title", parent=BODY, fontName=FONT_BOLD, fontSize=18, leading=22, textColor=ACCENT
)
LABEL = ParagraphStyle("label", parent=BODY, textColor=MUTED)
BOLD = ParagraphStyle("bold", parent=BODY, fontName=FONT_BOLD)
RIGHT = ParagraphStyle("right", parent=BODY, alignment=TA_RIGHT)
BOLD_RIGHT = ParagraphStyle("bold_right", parent=BOLD, alignment=TA_RIGHT)


def euro(value: Decimal) -> str:
    """``Decimal("-5000")`` as ``€ -5.000,00``: Dutch grouping and decimal comma."""
    if not isinstance(value, Decimal):
        raise TypeError(f"an amount is a Decimal, not {type(value).__name__}")
    value = value.quantize(Decimal("0.01"))
    sign = "-" if value < 0 else ""
    digits = f"{abs(value):,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"€ {sign}{digits}"


def iban_display(iban: str) -> str:
    """An IBAN in groups of four, as printed on paper: ``NL91 ABNA 0417 1643 00``."""
    compact = "".join(iban.split()).upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def _p(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(text), style)


def _lines(*lines: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph("<br/>".join(escape(line) for line in lines if line and line.strip()), style)


def invoice_pdf(invoice: Invoice, *, language: str = "nl", compress: bool = True) -> bytes:
    """The invoice (or credit note) as an A4 PDF. ``compress=False`` leaves the page content
    readable as text, for tests and for inspection."""
    with translation.override(language):
        buffer = io.BytesIO()
        credit_note = invoice.kind == Invoice.Kind.CREDIT_NOTE
        title = _("Creditnota") if credit_note else _("Factuur")
        seller = settings.M50_SELLER
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=18 * mm,
            bottomMargin=28 * mm,
            title=f"{title} {invoice.number}",
            author=seller["name"],
            subject=invoice.description,
            creator="M50-platform",
            lang=language,
            invariant=1,
            pageCompression=1 if compress else 0,
        )
        footer = _footer_text()
        page_label = _("Pagina")

        def on_page(canvas, doc):
            canvas.saveState()
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.5)
            canvas.line(LEFT, 20 * mm, RIGHT_EDGE, 20 * mm)
            canvas.setFont(FONT, 8)
            canvas.setFillColor(MUTED)
            canvas.drawString(LEFT, 15 * mm, footer)
            canvas.drawRightString(RIGHT_EDGE, 15 * mm, f"{page_label} {doc.page}")
            canvas.restoreState()

        document.build(_story(invoice, title), onFirstPage=on_page, onLaterPages=on_page)
        return buffer.getvalue()


def _footer_text() -> str:
    seller = settings.M50_SELLER
    parts = [
        seller["name"],
        f"{seller['address_line']}, {seller['postal_code']} {seller['city']}",
        _("KvK %(kvk)s") % {"kvk": seller["kvk"]},
        seller.get("email", ""),
    ]
    return "  ·  ".join(part for part in parts if part and part.strip())


def _story(invoice: Invoice, title: str) -> list:
    credit_note = invoice.kind == Invoice.Kind.CREDIT_NOTE
    return [
        _header(),
        Spacer(0, 14 * mm),
        _debtor(invoice),
        Spacer(0, 12 * mm),
        _p(title, TITLE),
        Spacer(0, 4 * mm),
        _details(invoice),
        Spacer(0, 8 * mm),
        _amounts(invoice),
        Spacer(0, 4 * mm),
        _vat_note(invoice),
        Spacer(0, 6 * mm),
        KeepTogether(_credit_text(invoice) if credit_note else _payment_text(invoice)),
    ]


def _header() -> Table:
    seller = settings.M50_SELLER
    left = [_p(seller["name"], SELLER)]
    right_lines = [
        seller["address_line"],
        f"{seller['postal_code']} {seller['city']}",
        seller.get("email", ""),
        _("KvK %(kvk)s") % {"kvk": seller["kvk"]},
        _("IBAN %(iban)s") % {"iban": iban_display(seller["iban"])},
        _("BIC %(bic)s") % {"bic": seller["bic"]} if seller.get("bic") else "",
        _("Btw-nummer %(vat)s") % {"vat": seller["vat_number"]} if seller.get("vat_number") else "",
    ]
    table = Table([[left, _lines(*right_lines, style=SMALL_RIGHT)]], colWidths=[WIDTH * 0.55, None])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, -1), 1.5, ACCENT),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def _debtor(invoice: Invoice) -> Paragraph:
    contact = (
        _("t.a.v. %(name)s") % {"name": invoice.debtor_contact}
        if invoice.debtor_contact.strip()
        else ""
    )
    return _lines(
        invoice.debtor_name,
        contact,
        invoice.debtor_address_line,
        f"{invoice.debtor_postal_code}  {invoice.debtor_city}".strip(),
    )


def _details(invoice: Invoice) -> Table:
    credit_note = invoice.kind == Invoice.Kind.CREDIT_NOTE
    rows = [
        (_("Creditnotanummer") if credit_note else _("Factuurnummer"), invoice.number),
        (_("Datum"), long_date(invoice.issue_date)),
    ]
    if credit_note:
        rows.append(
            (
                _("Crediteert factuur"),
                _("%(number)s van %(date)s")
                % {"number": invoice.credits.number, "date": long_date(invoice.credits.issue_date)},
            )
        )
    else:
        rows.append((_("Vervaldatum"), long_date(invoice.due_date)))
    rows.append((_("Contributiejaar"), str(invoice.fee_year)))
    if invoice.purchase_order.strip():
        rows.append((_("Uw referentie"), invoice.purchase_order))
    if invoice.debtor_oin.strip():
        rows.append((_("Uw OIN"), invoice.debtor_oin))
    if invoice.debtor_kvk.strip():
        rows.append((_("Uw KvK-nummer"), invoice.debtor_kvk))
    table = Table(
        [
            [_p(label, LABEL), _p(value, BOLD if i == 0 else BODY)]
            for i, (label, value) in enumerate(rows)
        ],
        colWidths=[45 * mm, None],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def _vat_label(invoice: Invoice) -> str:
    if invoice.vat_category == "O":
        return _("Niet onderworpen aan btw")
    if invoice.vat_category == "E":
        return _("Vrijgesteld van btw")
    return _("Btw %(rate)s%%") % {"rate": f"{invoice.vat_rate.normalize():f}".replace(".", ",")}


def _line_description(invoice: Invoice) -> str:
    """What is invoiced; a credit note's line names what it credits."""
    if invoice.kind == Invoice.Kind.CREDIT_NOTE:
        return invoice.credits.description
    return invoice.description


def _amounts(invoice: Invoice) -> Table:
    rows = [
        [_p(_("Omschrijving"), BOLD), _p(_("Bedrag"), BOLD_RIGHT)],
        [_p(_line_description(invoice)), _p(euro(invoice.amount), RIGHT)],
        [_p(_("Totaal excl. btw")), _p(euro(invoice.amount), RIGHT)],
        [_p(_vat_label(invoice)), _p(euro(invoice.vat_amount), RIGHT)],
        [
            _p(_("Totaal te verrekenen") if invoice.total < 0 else _("Totaal te betalen"), BOLD),
            _p(euro(invoice.total), BOLD_RIGHT),
        ],
    ]
    table = Table(rows, colWidths=[None, 40 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LINEBELOW", (0, 0), (-1, 0), 0.75, INK),
                ("LINEBELOW", (0, 1), (-1, 1), 0.5, RULE),
                ("LINEABOVE", (0, -1), (-1, -1), 0.75, INK),
                ("LINEBELOW", (0, -1), (-1, -1), 0.75, INK),
            ]
        )
    )
    return table


def _vat_note(invoice: Invoice):
    """Why no VAT is charged, as the exemption reason in the settings says."""
    reason = settings.M50_VAT_EXEMPTION_REASON.strip()
    if invoice.vat_category in {"O", "E"} and reason:
        return _p(reason if reason.endswith(".") else f"{reason}.", SMALL)
    return Spacer(0, 0)


def _payment_text(invoice: Invoice) -> list:
    seller = settings.M50_SELLER
    bic = _(" (BIC %(bic)s)") % {"bic": seller["bic"]} if seller.get("bic") else ""
    return [
        _p(_("Betaling"), BOLD),
        Spacer(0, 1.5 * mm),
        _p(
            _(
                "Wij verzoeken u het bedrag van %(total)s uiterlijk %(due)s over te maken op "
                "%(iban)s%(bic)s ten name van %(name)s."
            )
            % {
                "total": euro(invoice.total),
                "due": long_date(invoice.due_date),
                "iban": NBSP.join(["IBAN", *iban_display(seller["iban"]).split()]),  # one line
                "bic": bic,
                "name": seller["name"],
            }
        ),
        _payment_reference(invoice),
        Spacer(0, 3 * mm),
        _p(
            _("Vragen over deze factuur? Mail %(email)s en noem het factuurnummer.")
            % {"email": seller.get("email", "")},
            SMALL,
        ),
    ]


def _payment_reference(invoice: Invoice):
    """The structured RF creditor reference to pay with (the bank matches on it), and the
    invoice number for a payer whose bank takes only free text."""
    reference = creditor_reference_display(invoice.number)
    if not reference:
        return _p(
            _("Vermeld factuurnummer %(number)s als betalingskenmerk.")
            % {"number": invoice.number},
            BOLD,
        )
    return _p(
        _(
            "Betalingskenmerk: %(reference)s. Vermeld dit kenmerk bij de betaling (als "
            "gestructureerde mededeling), of anders factuurnummer %(number)s."
        )
        % {"reference": NBSP.join(reference.split()), "number": invoice.number},
        BOLD,
    )


def _credit_text(invoice: Invoice) -> list:
    return [
        _p(_("Creditering"), BOLD),
        Spacer(0, 1.5 * mm),
        _p(invoice.description),
        _p(
            _(
                "Het bedrag van deze creditnota wordt verrekend met factuur %(number)s of aan u "
                "terugbetaald. U hoeft niets te betalen."
            )
            % {"number": invoice.credits.number}
        ),
    ]
