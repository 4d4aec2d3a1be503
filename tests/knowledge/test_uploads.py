"""Uploads to the library, friendly and hostile: the type is read from the content (PDF, DOCX,
ODT only), the size is capped, the text is read in a limited child process, and a hostile file
is refused or stored inert (its text "not searchable") with a Dutch message — the test process
keeps running, and a refusal leaves no row and no file."""

from __future__ import annotations

import io
import os
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from m50.knowledge import extraction, services
from m50.knowledge.models import Form, Kind, KnowledgeDocument, TextReason, TextStatus
from tests.knowledge.conftest import (
    DOCX_TYPE,
    ODT_TYPE,
    docx_bytes,
    odt_bytes,
    pdf_bytes,
    stored_files,
    upload,
    zipped,
)
from tests.knowledge.helpers import refused

pytestmark = pytest.mark.django_db
WRONG_TYPE = "Dit soort bestand kan niet worden toegevoegd aan de bibliotheek."


def add_document(actor, uploaded, **kwargs):
    return services.item_create(
        actor=actor,
        form=Form.DOCUMENT,
        kind=Kind.GUIDE,
        title="Handreiking",
        uploaded_file=uploaded,
        **kwargs,
    )


def pdf_with_stream(content: bytes) -> bytes:
    """A one-page PDF whose content stream is ``content``, deflated."""
    packed = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


# --- Friendly files: their text is read ----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type", "filename"),
    [
        (
            "Wijkteams.pdf",
            pdf_bytes("Wijkteams in Diemen", "Jeugdzorg dichtbij"),
            "application/pdf",
            "Wijkteams.pdf",
        ),
        (
            "Wijkteams.docx",
            docx_bytes("Wijkteams in Diemen", "Jeugdzorg dichtbij"),
            DOCX_TYPE,
            "Wijkteams.docx",
        ),
        (
            "Wijkteams.odt",
            odt_bytes("Wijkteams in Diemen", "Jeugdzorg dichtbij"),
            ODT_TYPE,
            "Wijkteams.odt",
        ),
        # The name does not decide: a PDF called .docx is a PDF, and downloads as one.
        (
            "Wijkteams.docx",
            pdf_bytes("Wijkteams in Diemen", "Jeugdzorg dichtbij"),
            "application/pdf",
            "Wijkteams.pdf",
        ),
    ],
)
def test_the_text_of_a_pdf_docx_or_odt_is_read(
    people, media, name, content, content_type, filename
):
    item = add_document(people["bureau"], upload(name, content))
    document = KnowledgeDocument.objects.get(item=item)
    assert (document.content_type, document.filename, document.size) == (
        content_type,
        filename,
        len(content),
    )
    assert document.text.split("\n") == ["Wijkteams in Diemen", "Jeugdzorg dichtbij"]
    assert (document.text_status, document.text_reason, document.notice) == (
        TextStatus.EXTRACTED,
        "",
        "",
    )
    import hashlib

    assert document.sha256 == hashlib.sha256(content).hexdigest()
    # Stored under a random name, outside the static root.
    assert "Wijkteams" not in document.file.name
    assert (media / document.file.name).read_bytes() == content


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ('C:\\Users\\an\\Beleid "wonen".pdf', "Beleid wonen.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
        ("rapport.html", "rapport.pdf"),
        ("...", "document.pdf"),
    ],
)
def test_the_download_name_is_the_uploaded_one_made_harmless(people, name, stored):
    item = add_document(people["bureau"], upload(name, pdf_bytes("Tekst")))
    assert KnowledgeDocument.objects.get(item=item).filename == stored


def test_the_text_kept_is_capped(people, monkeypatch):
    monkeypatch.setattr(extraction, "TEXT_MAX_CHARS", 20)
    item = add_document(
        people["bureau"],
        upload("lang.docx", docx_bytes("Een hele lange alinea over woningbouw in Houten")),
    )
    assert KnowledgeDocument.objects.get(item=item).text == "Een hele lange aline"


# --- Hostile files ---------------------------------------------------------------------------


def test_a_pdf_bomb_is_stored_inert_with_a_notice(people, media):
    # 0.1 MB that inflates to 100 MB: pypdf's cap and the child's memory limit stop it.
    bomb = pdf_with_stream(b"BT /F1 12 Tf 72 720 Td (a) Tj ET\n" + b" " * (100 * 1024 * 1024))
    assert len(bomb) < 1024 * 1024
    item = add_document(people["bureau"], upload("rapport.pdf", bomb))
    document = KnowledgeDocument.objects.get(item=item)
    assert (document.text_status, document.text_reason, document.text) == (
        TextStatus.UNREADABLE,
        TextReason.TOO_BIG,
        "",
    )
    assert document.notice == (
        "De tekst van dit bestand is niet doorzoekbaar: het lezen van de tekst vroeg te veel "
        "geheugen."
    )
    assert stored_files(media) == [document.file.name.rsplit("/", 1)[1]]


def test_a_zip_bomb_disguised_as_docx_is_refused(people, media):
    bomb = zipped(
        [
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document>" + b" " * (100 * 1024 * 1024)),
        ]
    )
    assert len(bomb) < 1024 * 1024
    with refused(media, "uitgepakt zou het veel te groot worden"):
        add_document(people["bureau"], upload("notulen.docx", bomb))


def lying_about(archive: bytes, name: bytes, size: int) -> bytes:
    """``archive`` with the unpacked size of member ``name`` changed to ``size``, in its local
    header and in the central directory."""
    data = bytearray(archive)
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = data.find(signature)
        while start != -1:
            if data[start + name_at : start + name_at + len(name)] == name:
                data[start + size_at : start + size_at + 4] = struct.pack("<I", size)
            start = data.find(signature, start + 4)
    return bytes(data)


def test_a_zip_whose_directory_lies_about_sizes_is_stored_inert(people, media):
    # The directory says 1 kB, so it passes the check; the reading stops there (and finds the
    # checksum wrong) instead of inflating 100 MB.
    honest = zipped(
        [
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document>" + b" " * (100 * 1024 * 1024)),
        ]
    )
    item = add_document(
        people["bureau"], upload("notulen.docx", lying_about(honest, b"word/document.xml", 1000))
    )
    document = KnowledgeDocument.objects.get(item=item)
    assert (document.text_status, document.text_reason) == (
        TextStatus.UNREADABLE,
        TextReason.DAMAGED,
    )


def test_a_part_larger_than_the_cap_is_not_read(people, monkeypatch):
    monkeypatch.setattr(extraction, "XML_MAX_BYTES", 1000)
    item = add_document(people["bureau"], upload("lang.docx", docx_bytes("woningbouw " * 500)))
    document = KnowledgeDocument.objects.get(item=item)
    assert (document.text_status, document.text_reason) == (
        TextStatus.UNREADABLE,
        TextReason.TOO_BIG,
    )


def test_the_reading_process_is_held_to_its_memory_limit(people, monkeypatch):
    # Too little memory to even load the PDF reader: the child fails, the upload is kept.
    monkeypatch.setattr(extraction, "MEMORY_BYTES", 16 * 1024 * 1024)
    item = add_document(people["bureau"], upload("klein.pdf", pdf_bytes("Woningbouw")))
    document = KnowledgeDocument.objects.get(item=item)
    assert (document.text_status, document.text_reason) == (
        TextStatus.UNREADABLE,
        TextReason.TOO_BIG,
    )


def test_too_many_members_is_refused(people, media, monkeypatch):
    monkeypatch.setattr(extraction, "ZIP_MAX_MEMBERS", 3)
    many = zipped(
        [("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w/>")]
        + [(f"word/media/{n}.xml", b"<x/>") for n in range(5)]
    )
    with refused(media, "veel te groot"):
        add_document(people["bureau"], upload("veel.docx", many))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + os.urandom(200)),
        ("rapport.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("rapport.html", b"<html><body><h1>Rapport</h1></body></html>"),
        ("logo.pdf", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
        ("notities.txt", b"Gewone tekst, maar geen document van de bibliotheek.\n"),
        (
            "cijfers.xlsx",
            zipped([("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<w/>")]),
        ),
        ("stuk.docx", b"PK\x03\x04 dit is geen zip"),
    ],
)
def test_a_file_lying_about_its_type_or_of_another_type_is_refused(people, media, name, content):
    with refused(media, WRONG_TYPE):
        add_document(people["bureau"], upload(name, content))


def test_the_size_is_capped_before_anything_is_read(people, media, settings):
    settings.M50_KNOWLEDGE_DOCUMENT_MAX_BYTES = 100

    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("read before the size was checked")

    with refused(media, "mag hoogstens 100"):
        add_document(people["bureau"], Unreadable("groot.pdf", b"%PDF-1.7" + b" " * 200))
    with refused(media, "leeg"):
        add_document(people["bureau"], upload("leeg.pdf", b""))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"%PDF-1.7\n" + b"\x00\x13 kapot" * 50, TextReason.DAMAGED),
        (pdf_with_stream(b"0 0 m 100 100 l S\n"), TextReason.EMPTY),
    ],
)
def test_a_file_whose_text_cannot_be_read_is_stored_with_its_reason(people, content, reason):
    item = add_document(people["bureau"], upload("scan.pdf", content))
    document = KnowledgeDocument.objects.get(item=item)
    assert (document.text_status, document.text_reason) == (TextStatus.UNREADABLE, reason)
    assert document.notice.startswith("De tekst van dit bestand is niet doorzoekbaar: ")


def encrypted_pdf(text: str, *, password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(text))))
    writer.encrypt(user_password=password, owner_password="eigenaar", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_locked_with_a_password_is_stored_as_encrypted(people):
    item = add_document(
        people["bureau"], upload("geheim.pdf", encrypted_pdf("Geheim", password="x"))
    )
    document = KnowledgeDocument.objects.get(item=item)
    assert (document.text_status, document.text_reason) == (
        TextStatus.UNREADABLE,
        TextReason.ENCRYPTED,
    )
    assert (
        document.notice
        == "De tekst van dit bestand is niet doorzoekbaar: het bestand is versleuteld."
    )
    # Encrypted without a password to open it (only to change it): its text is read.
    item = add_document(people["bureau"], upload("open.pdf", encrypted_pdf("Open", password="")))
    assert KnowledgeDocument.objects.get(item=item).text == "Open"


def test_a_reading_that_takes_too_long_is_stopped(people, settings):
    settings.M50_KNOWLEDGE_EXTRACT_SECONDS = 0.001
    item = add_document(people["bureau"], upload("traag.pdf", pdf_bytes("Woningbouw")))
    document = KnowledgeDocument.objects.get(item=item)
    assert (document.text_status, document.text_reason) == (
        TextStatus.UNREADABLE,
        TextReason.TOO_SLOW,
    )


def test_entities_in_xml_are_not_expanded(people):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "woning">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">'
        b'<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:p><w:r><w:t>Tekst &c; &e;</w:t></w:r></w:p></w:document>"
    )
    item = add_document(
        people["bureau"],
        upload(
            "lol.docx",
            zipped([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", laughs)]),
        ),
    )
    document = KnowledgeDocument.objects.get(item=item)
    assert "woning" not in document.text and "root" not in document.text


def test_a_file_stored_for_a_write_that_fails_is_removed(people, media, monkeypatch):
    item = add_document(people["bureau"], upload("v1.pdf", pdf_bytes("Eerste")))

    def fail(**kwargs):
        raise RuntimeError("database weg")

    monkeypatch.setattr(services, "audit_record", fail)
    before = (stored_files(media), KnowledgeDocument.objects.count())
    with pytest.raises(RuntimeError):
        services.document_version_add(
            actor=people["bureau"], item=item, uploaded_file=upload("v2.pdf", pdf_bytes("Twee"))
        )
    with pytest.raises(RuntimeError):
        add_document(people["bureau"], upload("ander.pdf", pdf_bytes("Ander")))
    assert (stored_files(media), KnowledgeDocument.objects.count()) == before
