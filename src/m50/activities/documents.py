"""What an uploaded document of an activity may be: its size and its type, the type read from
its content (never from its name or the browser's word for it).

Accepted: PDF; Office Open XML (docx, pptx, xlsx: a ZIP with ``[Content_Types].xml`` and the
part folder of its kind); OpenDocument (odt, odp, ods: a ZIP whose first entry ``mimetype``
names the type); plain text and CSV in UTF-8. Anything else (HTML, SVG, executables, images
with scripts) is refused. A ZIP's directory is read, nothing is extracted. The reading is
:mod:`m50.core.uploads`'s; this module says what activities accept.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from m50.core import uploads
from m50.core.uploads import CheckedFile

#: Every type a stored document can have (what a download may be served as).
ALLOWED_TYPES = uploads.KNOWN_TYPES


def max_bytes() -> int:
    return settings.M50_ACTIVITY_DOCUMENT_MAX_BYTES


def check_upload(uploaded) -> CheckedFile:
    """The checked type of ``uploaded`` (a Django UploadedFile), or a ValidationError on
    ``file``. The size is checked first, from what the upload declares, before any reading."""
    return uploads.check_upload(
        uploaded,
        max_bytes=max_bytes(),
        accepted=ALLOWED_TYPES,
        refusal=_(
            "Dit soort bestand kan niet worden toegevoegd. Kies een PDF, een Word-, "
            "PowerPoint- of Excel-bestand, een OpenDocument-bestand of platte tekst."
        ),
    )
