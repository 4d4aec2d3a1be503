"""What an uploaded document of an activity may be: its size and its type, the type read from
its content (never from its name or the browser's word for it).

Accepted: PDF; Office Open XML (docx, pptx, xlsx: a ZIP with ``[Content_Types].xml`` and the
part folder of its kind); OpenDocument (odt, odp, ods: a ZIP whose first entry ``mimetype``
names the type); plain text and CSV in UTF-8. Anything else (HTML, SVG, executables, images
with scripts) is refused. A ZIP's directory is read, nothing is extracted.
"""

from __future__ import annotations

import codecs
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF = "application/pdf"
TEXT = "text/plain"
CSV = "text/csv"
OOXML = {
    "word/": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "ppt/": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
#: Every type a stored document can have (what a download may be served as).
ALLOWED_TYPES = frozenset({PDF, TEXT, CSV, *(t for t, _e in OOXML.values()), *ODF})
# How much of the start is read to tell the type; the rest stays on disk.
HEAD_BYTES = 8192


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int


def max_bytes() -> int:
    return settings.M50_ACTIVITY_DOCUMENT_MAX_BYTES


def _refuse_type() -> ValidationError:
    return ValidationError(
        {
            "file": _(
                "Dit soort bestand kan niet worden toegevoegd. Kies een PDF, een Word-, "
                "PowerPoint- of Excel-bestand, een OpenDocument-bestand of platte tekst."
            )
        }
    )


def _zip_type(uploaded) -> tuple[str, str] | None:
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if entries and entries[0].filename == "mimetype" and entries[0].file_size < 100:
                declared = archive.read(entries[0]).decode("ascii", "replace").strip()
                if declared in ODF:
                    return declared, ODF[declared]
                return None
            if "[Content_Types].xml" in names:
                for folder, kind in OOXML.items():
                    if any(name.startswith(folder) for name in names):
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return None
    return None


def _text_type(uploaded, name: str) -> tuple[str, str] | None:
    """Plain text or CSV: UTF-8 without control characters, not starting with ``<`` (HTML, SVG
    and XML all do; a browser could take them for markup whatever the name says)."""
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    if b"\x00" in head:
        return None
    try:
        # final=False: a character cut in two at the end of the head is no error.
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return None
    if text.lstrip("\ufeff \t\r\n\f").startswith("<"):
        return None
    if any(ord(c) < 32 and c not in "\t\r\n\f" for c in text):
        return None
    if name.lower().endswith(".csv"):
        return CSV, "csv"
    return TEXT, "txt"


def check_upload(uploaded) -> CheckedFile:
    """The checked type of ``uploaded`` (a Django UploadedFile), or a ValidationError on
    ``file``. The size is checked first, from what the upload declares, before any reading."""
    size = uploaded.size or 0
    if size == 0:
        raise ValidationError({"file": _("Het bestand is leeg.")})
    if size > max_bytes():
        raise ValidationError(
            {
                "file": _("Het bestand is %(size)s; het mag hoogstens %(max)s zijn.")
                % {"size": filesizeformat(size), "max": filesizeformat(max_bytes())}
            }
        )
    uploaded.seek(0)
    head = uploaded.read(8)
    found: tuple[str, str] | None
    if head.startswith(b"%PDF-"):
        found = (PDF, "pdf")
    elif head.startswith(b"PK\x03\x04"):
        found = _zip_type(uploaded)
    else:
        found = _text_type(uploaded, uploaded.name or "")
    uploaded.seek(0)
    if found is None:
        raise _refuse_type()
    return CheckedFile(content_type=found[0], extension=found[1], size=size)
