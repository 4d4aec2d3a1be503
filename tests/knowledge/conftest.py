"""The knowledge library's tests: member municipalities with officials, a pillar's participant
and chair, and files built in the tests (a PDF with reportlab, DOCX and ODT with zipfile).
Everything is made through the services."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen import canvas

from m50.accounts.models import Role
from m50.contacts.models import Position
from m50.knowledge import services
from m50.knowledge.models import Access, Form, Kind
from m50.pillars import services as pillar_services
from m50.pillars.models import Role as PillarRole
from tests.factories import UserFactory
from tests.pillars.conftest import (  # noqa: F401 - fixtures used by the knowledge tests
    START,
    diemen,
    financieel,
    houten,
    official,
    sociaal,
    user_of,
)

Function = Position.Function
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT_TYPE = "application/vnd.oasis.opendocument.text"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root) -> list:
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def pdf_bytes(*lines: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    for number, line in enumerate(lines):
        page.drawString(72, 720 - 20 * number, line)
    page.showPage()
    page.save()
    return buffer.getvalue()


def zipped(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index, (name, content) in enumerate(entries):
            # An ODT's mimetype comes first and uncompressed.
            stored = index == 0 and name == "mimetype"
            archive.writestr(
                name, content, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            )
    return buffer.getvalue()


def docx_bytes(*paragraphs: str) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    document = f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    return zipped([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", document.encode())])


def odt_bytes(*paragraphs: str) -> bytes:
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        f"<office:text>{body}</office:text></office:body></office:document-content>"
    )
    return zipped([("mimetype", ODT_TYPE.encode()), ("content.xml", content.encode())])


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def bureau(db):
    return UserFactory(role=Role.BUREAU, username="bureau-kennis")


@pytest.fixture
def people(bureau, diemen, houten, sociaal):  # noqa: F811 - the fixtures imported above
    """Every kind of reader: anonymous, the bureau, public affairs, an official of Diemen in no
    pillar, a participant and the chair of Sociaal, and a member contact of Houten."""
    member_position = official(diemen, function=Function.POLICY_ADVISOR)
    pillar_services.participation_register(
        position=member_position, pillar=sociaal, start_date=START
    )
    chair_position = official(houten, function=Function.ALDERMAN)
    pillar_services.participation_register(
        position=chair_position, pillar=sociaal, role=PillarRole.CHAIR, start_date=START
    )
    return {
        "anonymous": AnonymousUser(),
        "bureau": bureau,
        "public_affairs": UserFactory(role=Role.PUBLIC_AFFAIRS),
        "official": user_of(official(diemen, function=Function.CIVIL_SERVANT)),
        "sociaal_member": user_of(member_position),
        "sociaal_chair": user_of(chair_position, role=Role.PILLAR_CHAIR),
        "member_contact": user_of(
            official(houten, function=Function.POLICY_ADVISOR), role=Role.MEMBER_CONTACT
        ),
    }


def note(actor, **kwargs):
    """A note of the bureau (a draft unless published after)."""
    kwargs.setdefault("form", Form.NOTE)
    kwargs.setdefault("kind", Kind.EXAMPLE)
    kwargs.setdefault("title", "Wijkteams in Diemen")
    kwargs.setdefault("note_what", "Eén wijkteam per wijk voor jeugdzorg en WMO.")
    kwargs.setdefault("access", Access.NETWORK)
    return services.item_create(actor=actor, **kwargs)


def published(actor, **kwargs):
    item = note(actor, **kwargs)
    return services.item_accept(actor=actor, item=item)
