"""Demo items for the embedded install, so the library, its access levels, a submission to
review and the search (also in a PDF's text) can be tried out: a publication of Platform31
(a link, public), a position paper as PDF (for members), an example of the demo municipality
(a note) and a note for the bureau only. All of it is the command's operator's work (the audit
trail names them); a submission to review is left to the demo participant to try.
Made through the same services as the pages; the items are data, written in Dutch as the
network would. Idempotent: what exists (by title) is left
alone, so a second run adds nothing.
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from m50.core.models import Theme
from m50.knowledge import services
from m50.knowledge.models import Access, Form, KnowledgeItem
from m50.knowledge.models import Kind as ItemKind

PUBLICATION = "Middelgrote gemeenten: sterk in de regio"
POSITION_PAPER = "Position paper: de financiële positie van middelgrote gemeenten"
EXAMPLE = "Wijkteams voor jeugd en gezin"
BUREAU_NOTE = "Aandachtspunten voor het jaarplan van het bureau"
PAPER_LINES = (
    "Middelgrote gemeenten dragen een groot deel van de taken in het sociaal domein.",
    "Het ravijnjaar 2026 raakt hen hard: de opschalingskorting en de trap-op-trap-af",
    "systematiek maken begroten onzeker. Het M50 vraagt om structurele middelen voor",
    "jeugdzorg en een eerlijke verdeling van het gemeentefonds.",
)


def _themes(*slugs: str) -> list[Theme]:
    return list(Theme.objects.filter(slug__in=slugs, active=True))


def _paper_pdf() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(POSITION_PAPER)
    for number, line in enumerate(PAPER_LINES):
        page.drawString(72, 760 - 18 * number, line)
    page.showPage()
    page.save()
    return SimpleUploadedFile("position-paper-financien.pdf", buffer.getvalue())


def demo_knowledge_create(*, municipality=None) -> list[str]:
    """Makes the demo items that do not exist yet; lines saying what was done, or why not
    (a refusal is reported, never raised). Written without an actor, as the command's
    operator's work."""
    lines: list[str] = []

    def published(**fields) -> None:
        item = services.item_create(actor=None, origin="demo", **fields)
        services.item_accept(actor=None, item=item, origin="demo")

    def publication():
        published(
            form=Form.LINK,
            kind=ItemKind.PUBLICATION,
            title=PUBLICATION,
            summary=(
                "Wat middelgrote gemeenten bijdragen aan wonen, werken en voorzieningen in hun "
                "regio, en wat ze daarvoor nodig hebben."
            ),
            link_url="https://www.platform31.nl/",
            link_publisher="Platform31",
            access=Access.PUBLIC,
            themes=_themes("wonen", "economie"),
        )

    def position_paper():
        published(
            form=Form.DOCUMENT,
            kind=ItemKind.POSITION_PAPER,
            title=POSITION_PAPER,
            summary="De inbreng van het M50 voor het commissiedebat over de gemeentefinanciën.",
            access=Access.NETWORK,
            themes=_themes("gemeentefinancien", "jeugdzorg"),
            uploaded_file=_paper_pdf(),
        )

    def example():
        published(
            form=Form.NOTE,
            kind=ItemKind.EXAMPLE,
            title=EXAMPLE,
            summary="Eén team per wijk voor jeugdhulp, WMO en schuldhulp.",
            municipality=municipality,
            note_what=(
                "Vier wijkteams met jeugdconsulenten, WMO-consulenten en schuldhulpverleners "
                "onder één dak; inwoners hebben één aanspreekpunt."
            ),
            note_cost="Ongeveer € 40.000 per jaar aan coördinatie, uit bestaande budgetten.",
            note_contact_text="Team Sociaal Domein van de gemeente",
            access=Access.NETWORK,
            themes=_themes("jeugdzorg", "zorg-en-welzijn"),
        )

    def bureau_note():
        published(
            form=Form.NOTE,
            kind=ItemKind.OTHER,
            title=BUREAU_NOTE,
            note_what="Ledenwerving in de bandbreedte en de evaluatie van de pijlers.",
            access=Access.BUREAU,
            themes=_themes("bestuur-en-dienstverlening"),
        )

    for title, make in (
        (PUBLICATION, publication),
        (POSITION_PAPER, position_paper),
        (EXAMPLE, example),
        (BUREAU_NOTE, bureau_note),
    ):
        if KnowledgeItem.objects.filter(title=title).exists():
            continue
        try:
            with transaction.atomic():
                make()
        except ValidationError as error:
            lines.append(
                _("Demo-kennisitem %(title)s niet gemaakt: %(reason)s")
                % {"title": title, "reason": " ".join(error.messages)}
            )
            continue
        lines.append(_("Demo-kennisitem gemaakt: %(title)s.") % {"title": title})
    return lines
