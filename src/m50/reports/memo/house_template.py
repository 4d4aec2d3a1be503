"""A municipality's own house template for the memo: a DOCX with placeholders such as
``{{ onderwerp }}``, filled from the memo's content.

Checked before python-docx opens it: its size, that it is a zip archive with the parts of a
Word document, and what its members unpack to according to the archive's directory (a zip
bomb is refused without unpacking; zipfile never reads a member past its declared size).
Then every placeholder must be one the platform knows: an unknown one is refused by name.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

import docx
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx.oxml.ns import qn
from docx.text.run import Run

# The placeholders, each with what it becomes; ``memo.content`` fills exactly these.
PLACEHOLDERS = {
    "titel": gettext_lazy("de kop: Informatie van de burgemeester"),
    "gemeente": gettext_lazy("de naam van de gemeente"),
    "onderwerp": gettext_lazy("het onderwerp"),
    "datum": gettext_lazy("de datum van de collegevergadering, bijvoorbeeld 30 mei 2023"),
    "portefeuillehouder": gettext_lazy("de portefeuillehouder"),
    "team": gettext_lazy("het team"),
    "steller": gettext_lazy("de steller"),
    "voorgeschiedenis": gettext_lazy(
        "de voorgeschiedenis en de concrete aanleiding: de groei van de gemeente, het netwerk "
        "en de besluiten in volgorde"
    ),
    "collegebesluit": gettext_lazy("“Ja, datum: …” met de data van de besluiten, of “Nee”"),
    "samenvatting": gettext_lazy(
        "de samenvatting: pijlers, deelname, activiteiten, public affairs en kennis"
    ),
    "financieel": gettext_lazy(
        "de contributie, de jaren wel en niet verschuldigd, wat gefactureerd en betaald is, "
        "en de begrotingspost"
    ),
    "periode": gettext_lazy("de periode van de brief"),
}
PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
REQUIRED_PARTS = ("[Content_Types].xml", "word/document.xml")
MAX_MEMBERS = 1_000


def template_path(municipality) -> Path:
    """Where the municipality's house template is kept: outside the static root, by code."""
    return Path(settings.M50_MEMO_TEMPLATE_DIR) / f"{municipality.code}.docx"


class TemplateRefused(Exception):
    """Why the template cannot be used, in Dutch."""


def _megabytes(count: int) -> str:
    return f"{count / (1024 * 1024):.1f}".replace(".", ",")


def _archive(data: bytes) -> zipfile.ZipFile:
    limit = settings.M50_MEMO_TEMPLATE_MAX_BYTES
    if len(data) > limit:
        raise TemplateRefused(
            _("Het sjabloon is te groot: %(size)s MB, ten hoogste %(limit)s MB.")
            % {"size": _megabytes(len(data)), "limit": _megabytes(limit)}
        )
    if data.startswith(b"PK") and not zipfile.is_zipfile(io.BytesIO(data)):
        # A zip archive whose directory is gone: a broken download or a truncated copy.
        raise TemplateRefused(_("Het Word-document is beschadigd en kan niet worden gelezen."))
    if not data.startswith(b"PK"):
        raise TemplateRefused(
            _(
                "Dit is geen Word-document (DOCX). Sla het sjabloon op als .docx en probeer "
                "het opnieuw."
            )
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise TemplateRefused(
            _("Het Word-document is beschadigd en kan niet worden gelezen.")
        ) from exc
    names = {entry.filename for entry in entries}
    if not all(part in names for part in REQUIRED_PARTS):
        raise TemplateRefused(
            _("Dit is geen Word-document (DOCX): het mist de onderdelen van een Word-bestand.")
        )
    unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_MEMBERS or unpacked > settings.M50_MEMO_TEMPLATE_MAX_UNPACKED_BYTES:
        raise TemplateRefused(
            _(
                "Het sjabloon is uitgepakt te groot (%(size)s MB, ten hoogste %(limit)s MB); "
                "het is niet geopend."
            )
            % {
                "size": _megabytes(unpacked),
                "limit": _megabytes(settings.M50_MEMO_TEMPLATE_MAX_UNPACKED_BYTES),
            }
        )
    return archive


def _document(data: bytes):
    archive = _archive(data)
    try:
        damaged = archive.testzip()
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,
        RuntimeError,  # a member marked as encrypted
    ):
        damaged = "?"
    if damaged is not None:
        raise TemplateRefused(_("Het Word-document is beschadigd en kan niet worden gelezen."))
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a broken part
        raise TemplateRefused(
            _("Het Word-document is beschadigd en kan niet worden gelezen.")
        ) from exc


def _parts(document):
    """The document's body and every header and footer part, each once."""
    yield document.element.body
    seen = set()
    for section in document.sections:
        for part in (
            section.header,
            section.footer,
            section.first_page_header,
            section.first_page_footer,
            section.even_page_header,
            section.even_page_footer,
        ):
            if not part.is_linked_to_previous and id(part._element) not in seen:
                seen.add(id(part._element))
                yield part._element


def _paragraphs(document):
    """Every paragraph of the document as (its runs, its text), read from the XML: also those
    in tables, content controls and text boxes, and the runs of hyperlinks, which python-docx's
    lists of paragraphs and runs leave out. A run belongs to the paragraph nearest to it."""
    for part in _parts(document):
        for paragraph in part.iter(qn("w:p")):
            runs = [
                run
                for run in paragraph.iter(qn("w:r"))
                if next(run.iterancestors(qn("w:p")), None) is paragraph
            ]
            yield runs, "".join(Run(run, None).text for run in runs)


def _used(document) -> tuple[list[str], list[str]]:
    used, unknown = [], []
    for _runs, text in _paragraphs(document):
        for name in PLACEHOLDER.findall(text):
            (used if name in PLACEHOLDERS else unknown).append(name)
        rest = PLACEHOLDER.sub("", text)
        if "{{" in rest or "}}" in rest:
            unknown.append(rest.strip()[:60])
    return used, unknown


def template_check(data: bytes) -> list[str]:
    """The placeholders the template uses, in order; raises :class:`TemplateRefused`."""
    document = _document(data)
    used, unknown = _used(document)
    if unknown:
        raise TemplateRefused(
            _("Het sjabloon gebruikt een veld dat het platform niet kent: %(names)s.")
            % {"names": ", ".join(f"{{{{ {name} }}}}" for name in dict.fromkeys(unknown))}
        )
    if not used:
        raise TemplateRefused(
            _(
                "Het sjabloon bevat geen enkel veld, zoals {{ onderwerp }}: er valt niets in "
                "te vullen."
            )
        )
    return list(dict.fromkeys(used))


def template_fill(data: bytes, values: dict[str, str]) -> bytes:
    """The template with every placeholder replaced; the text of a paragraph that holds one
    goes into its first run (its formatting), a value of several lines as line breaks."""
    template_check(data)
    document = _document(data)
    for runs, text in _paragraphs(document):
        if "{{" not in text:
            continue
        filled = PLACEHOLDER.sub(lambda match: values[match.group(1)], text)
        Run(runs[0], None).text = filled
        for run in runs[1:]:
            Run(run, None).text = ""
    # What the paragraphs above did not reach would go to the council as "{{ ... }}".
    if any(PLACEHOLDER.search(text) for _runs, text in _paragraphs(document)):
        raise TemplateRefused(
            _("Het sjabloon kon niet volledig worden ingevuld; sla het opnieuw op in Word.")
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
