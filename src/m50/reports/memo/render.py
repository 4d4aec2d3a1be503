"""The memo's content as DOCX (python-docx) and as PDF (reportlab): the same title, fields and
sections in the same order, so both say the same."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import docx
from docx.shared import Pt
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from m50.finance.pdf import ACCENT, BODY, BOLD, FONT_BOLD, INK, MARGIN, RULE
from m50.reports.memo.content import MemoContent, SectionTable

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"

TITLE_STYLE = ParagraphStyle(
    "memo_title", parent=BODY, fontName=FONT_BOLD, fontSize=16, leading=20, textColor=ACCENT
)
HEADING_STYLE = ParagraphStyle(
    "memo_heading", parent=BODY, fontName=FONT_BOLD, fontSize=11, leading=15, spaceBefore=10
)
PARAGRAPH_STYLE = ParagraphStyle("memo_body", parent=BODY, spaceAfter=4)


def memo_docx(content: MemoContent) -> bytes:
    document = docx.Document()
    document.core_properties.title = content.title
    document.core_properties.subject = dict(content.fields).get("Onderwerp", content.title)
    document.core_properties.author = "M50-platform"
    document.add_heading(content.title, level=1)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in content.fields:
        cells = table.add_row().cells
        cells[0].text = label
        cells[0].paragraphs[0].runs[0].bold = True
        cells[1].text = value
    for section in content.sections:
        document.add_heading(section.heading, level=2)
        for text in section.paragraphs:
            paragraph = document.add_paragraph(text)
            paragraph.paragraph_format.space_after = Pt(6)
        for section_table in section.tables:
            _docx_table(document, section_table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_table(document, section_table: SectionTable) -> None:
    table = document.add_table(rows=1, cols=len(section_table.header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, section_table.header, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in section_table.rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    # Word joins two tables that follow each other into one: a paragraph keeps them apart.
    document.add_paragraph()


def _pdf_table(section_table: SectionTable):
    rows = [[Paragraph(escape(text), BOLD) for text in section_table.header]]
    rows.extend([Paragraph(escape(text), BODY) for text in row] for row in section_table.rows)
    table = Table(rows, repeatRows=1, spaceBefore=2 * mm, spaceAfter=2 * mm)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ]
        )
    )
    return table


def memo_pdf(content: MemoContent, *, compress: bool = True) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=18 * mm,
        bottomMargin=20 * mm,
        title=content.title,
        subject=dict(content.fields).get("Onderwerp", ""),
        author="M50-platform",
        creator="M50-platform",
        lang="nl",
        invariant=1,
        pageCompression=1 if compress else 0,
    )
    story = [Paragraph(escape(content.title), TITLE_STYLE), Spacer(1, 4 * mm)]
    rows = [
        [Paragraph(escape(label), BOLD), Paragraph(escape(value), BODY)]
        for label, value in content.fields
    ]
    table = Table(rows, colWidths=[40 * mm, None])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ]
        )
    )
    story.append(table)
    for section in content.sections:
        story.append(Paragraph(escape(section.heading), HEADING_STYLE))
        story.extend(Paragraph(escape(text), PARAGRAPH_STYLE) for text in section.paragraphs)
        story.extend(_pdf_table(section_table) for section_table in section.tables)
    document.build(story)
    return buffer.getvalue()
