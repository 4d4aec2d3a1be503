"""What an uploaded file is: its type read from its content (never from its name or the
browser's word for it), and its size checked before anything is read.

Recognised: PDF; Office Open XML (docx, pptx, xlsx: a ZIP with ``[Content_Types].xml`` and the
part folder of its kind); OpenDocument (odt, odp, ods: a ZIP whose first entry ``mimetype``
names the type); plain text and CSV in UTF-8. Anything else (HTML, SVG, executables, images
with scripts) is recognised as nothing. A ZIP's directory is read, nothing is extracted.
Each app says which of these types it accepts (activities: all; knowledge: PDF, DOCX, ODT).
"""

from __future__ import annotations

import codecs
import posixpath
import unicodedata
import zipfile
from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF = "application/pdf"
TEXT = "text/plain"
CSV = "text/csv"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
OOXML = {
    "word/": (DOCX, "docx"),
    "ppt/": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
ODF = {
    ODT: "odt",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
#: Every type this module recognises.
KNOWN_TYPES = frozenset({PDF, TEXT, CSV, *(t for t, _e in OOXML.values()), *ODF})
# How much of the start is read to tell the type; the rest stays on disk.
HEAD_BYTES = 8192


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int


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


def sniff(uploaded) -> tuple[str, str] | None:
    """``(content type, extension)`` of ``uploaded`` read from its content, or None."""
    uploaded.seek(0)
    head = uploaded.read(8)
    if head.startswith(b"%PDF-"):
        found = (PDF, "pdf")
    elif head.startswith(b"PK\x03\x04"):
        found = _zip_type(uploaded)
    else:
        found = _text_type(uploaded, uploaded.name or "")
    uploaded.seek(0)
    return found


def check_size(uploaded, *, max_bytes: int) -> int:
    """The size ``uploaded`` declares, or a ValidationError on ``file`` when it is empty or
    larger than ``max_bytes``; nothing is read."""
    size = uploaded.size or 0
    if size == 0:
        raise ValidationError({"file": _("Het bestand is leeg.")})
    if size > max_bytes:
        raise ValidationError(
            {
                "file": _("Het bestand is %(size)s; het mag hoogstens %(max)s zijn.")
                % {"size": filesizeformat(size), "max": filesizeformat(max_bytes)}
            }
        )
    return size


def check_upload(
    uploaded, *, max_bytes: int, accepted: Collection[str], refusal: str
) -> CheckedFile:
    """The checked type of ``uploaded`` (a Django UploadedFile), or a ValidationError on
    ``file``: the size first, from what the upload declares, before any reading; then the type
    from the content, which must be one of ``accepted`` (else ``refusal`` is the message)."""
    size = check_size(uploaded, max_bytes=max_bytes)
    found = sniff(uploaded)
    if found is None or found[0] not in accepted:
        raise ValidationError({"file": refusal})
    return CheckedFile(content_type=found[0], extension=found[1], size=size)


def clean_filename(name: str, extension: str) -> str:
    """The uploaded name without folders, control characters or quotes, ending in the
    extension of the type found (a PDF named ``.html`` is downloaded as ``.pdf``)."""
    name = posixpath.basename((name or "").replace("\\", "/"))
    name = "".join(
        c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C"
    )
    name = name.replace('"', "").strip(" .") or _("document")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem = ext
    return f"{stem[:200]}.{extension}"
