"""Documents of an activity: the type is read from the content (a page renamed .pdf is refused),
the size is capped, the file is stored under a random name, and a download is an attachment
with the stored type and nosniff, for whoever sees the activity only."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from m50.activities import services
from m50.activities.documents import check_upload
from m50.activities.models import ActivityDocument, Audience, Kind
from m50.core.models import AuditEvent
from tests.activities.conftest import participant, plan

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
REFUSED = "Dit soort bestand kan niet worden toegevoegd."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list:
    return sorted(p.name for p in root.rglob("*") if p.is_file())


def zipped(entries: list[tuple[str, bytes]], *, stored_first=False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index, (name, content) in enumerate(entries):
            compression = (
                zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            )
            archive.writestr(name, content, compress_type=compression)
    return buffer.getvalue()


DOCX = zipped([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")])
PPTX = zipped([("[Content_Types].xml", b"<Types/>"), ("ppt/presentation.xml", b"<p/>")])
XLSX = zipped([("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<workbook/>")])
ODT = zipped(
    [("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<office/>")],
    stored_first=True,
)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("agenda.pdf", PDF, "application/pdf"),
        ("notulen.docx", DOCX, "application/vnd.openxmlformats-officedocument"),
        ("dia's.pptx", PPTX, "presentationml.presentation"),
        ("cijfers.xlsx", XLSX, "spreadsheetml.sheet"),
        ("verslag.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("lijst.csv", "naam;gemeente\nÉén;Diemen\n".encode(), "text/csv"),
        ("leesmij.txt", b"Agenda\n1. Opening\n", "text/plain"),
        # The name does not decide: a PDF called .docx is a PDF.
        ("agenda.docx", PDF, "application/pdf"),
    ],
)
def test_accepted_types_are_read_from_the_content(name, content, expected):
    assert expected in check_upload(SimpleUploadedFile(name, content)).content_type


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("agenda.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("agenda.pdf", b"  <html><body>hallo</body></html>"),
        ("logo.pdf", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"),
        ("stuk.docx", b"PK\x03\x04 dit is geen zip"),
        ("map.docx", zipped([("word/document.xml", b"<w/>")])),
        ("raar.odt", zipped([("mimetype", b"text/html"), ("index.html", b"<p/>")])),
        ("binair.txt", b"\x00\x01\x02\x03"),
    ],
)
def test_other_content_is_refused_whatever_its_name(name, content):
    with pytest.raises(ValidationError) as info:
        check_upload(SimpleUploadedFile(name, content))
    assert info.value.message_dict["file"][0].startswith(REFUSED)


def test_the_size_is_checked_before_the_content_is_read(settings):
    settings.M50_ACTIVITY_DOCUMENT_MAX_BYTES = 100

    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("read before the size was checked")

    with pytest.raises(ValidationError) as info:
        check_upload(Unreadable("groot.pdf", PDF + b" " * 200))
    assert "mag hoogstens 100" in info.value.message_dict["file"][0]


def add_url(activity) -> str:
    return reverse("activities:document_add", args=[activity.pk])


def test_the_organiser_adds_a_pdf_stored_under_a_random_name(client, bureau, media):
    activity = plan(bureau)
    client.force_login(bureau)
    page = client.get(add_url(activity))
    assert page.status_code == 200
    assert "hoogstens 20,0" in page.content.decode()
    response = client.post(
        add_url(activity),
        {"kind": "agenda", "title": "Agenda", "file": SimpleUploadedFile("Agenda ALV.pdf", PDF)},
    )
    assert response.status_code == 302
    document = ActivityDocument.objects.get()
    assert (document.filename, document.content_type, document.size) == (
        "Agenda ALV.pdf",
        "application/pdf",
        len(PDF),
    )
    assert "Agenda" not in document.file.name
    assert stored_files(media) == [document.file.name.rsplit("/", 1)[1]]
    assert (media / document.file.name).read_bytes() == PDF
    assert AuditEvent.objects.filter(action="activities.document_add").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"kind": "agenda", "title": "Agenda", "file": ("agenda.pdf", b"<html>x</html>")},
            REFUSED,
        ),
        ({"kind": "agenda", "title": "", "file": ("agenda.pdf", PDF)}, "Vul dit veld in."),
        ({"kind": "", "title": "Agenda", "file": ("agenda.pdf", PDF)}, "Maak een keuze."),
        ({"kind": "agenda", "title": "Agenda"}, "Kies een bestand."),
    ],
)
def test_a_refused_document_says_why_and_stores_nothing(client, bureau, media, data, message):
    activity = plan(bureau)
    client.force_login(bureau)
    if "file" in data:
        data = {**data, "file": SimpleUploadedFile(*data["file"])}
    before = AuditEvent.objects.count()
    response = client.post(add_url(activity), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ActivityDocument.objects.exists()
    assert AuditEvent.objects.count() == before
    assert stored_files(media) == []


def test_a_too_large_document_is_refused(client, bureau, media, settings):
    settings.M50_ACTIVITY_DOCUMENT_MAX_BYTES = 64
    activity = plan(bureau)
    client.force_login(bureau)
    response = client.post(
        add_url(activity),
        {"kind": "verslag", "title": "Verslag", "file": SimpleUploadedFile("v.pdf", PDF * 2)},
    )
    assert response.status_code == 400
    assert "het mag hoogstens 64" in response.content.decode()
    assert not ActivityDocument.objects.exists()
    assert stored_files(media) == []


def test_a_failed_write_takes_its_stored_file_away(bureau, media, monkeypatch):
    activity = plan(bureau)

    def fail(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr("m50.activities.services.documents.audit_record", fail)
    with pytest.raises(RuntimeError):
        services.document_add(
            activity=activity,
            actor=bureau,
            kind="agenda",
            title="Agenda",
            uploaded_file=SimpleUploadedFile("agenda.pdf", PDF),
        )
    assert not ActivityDocument.objects.exists()
    assert stored_files(media) == []


def add(activity, actor, content=PDF, name="agenda.pdf"):
    return services.document_add(
        activity=activity,
        actor=actor,
        kind="agenda",
        title="Agenda",
        uploaded_file=SimpleUploadedFile(name, content),
    )


def download(activity, document) -> str:
    return reverse("activities:document", args=[activity.pk, document.pk])


def test_the_download_is_an_attachment_of_the_stored_type(client, bureau, diemen):
    activity = plan(bureau)
    document = add(activity, bureau, name='a"gen\\da.pdf')
    client.force_login(participant(diemen))
    response = client.get(download(activity, document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "da.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert b"".join(response.streaming_content) == PDF
    text = add(activity, bureau, content=b"Opening\nRondvraag\n", name="agenda.txt")
    assert client.get(download(activity, text))["Content-Type"] == "text/plain; charset=utf-8"


def test_who_may_not_see_the_activity_gets_no_document(client, bureau, sociaal, diemen):
    closed = plan(bureau, audience=Audience.BODY, audience_body=sociaal, kind=Kind.PILLAR_MEETING)
    document = add(closed, bureau)
    client.force_login(participant(diemen))
    assert client.get(download(closed, document)).status_code == 404
    client.logout()
    assert client.get(download(closed, document)).status_code == 404
    # Another activity's number with this document's is no way in either.
    public = plan(bureau, audience=Audience.PUBLIC)
    assert client.get(download(public, document)).status_code == 404
    own = add(public, bureau)
    assert client.get(download(public, own)).status_code == 200


def test_documents_are_added_and_removed_by_organisers_only(
    client, bureau, diemen, media, django_capture_on_commit_callbacks
):
    activity = plan(bureau)
    document = add(activity, bureau)
    remove = reverse("activities:document_remove", args=[activity.pk, document.pk])
    client.force_login(participant(diemen))
    assert client.get(add_url(activity)).status_code == 403
    assert client.post(remove).status_code == 403
    with pytest.raises(ValidationError):
        add(activity, participant(diemen))
    client.force_login(bureau)
    page = client.get(reverse("activities:manage", args=[activity.pk])).content.decode()
    assert download(activity, document) in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(remove).status_code == 302
    assert not ActivityDocument.objects.exists()
    assert stored_files(media) == []
    assert AuditEvent.objects.filter(action="activities.document_remove").count() == 1
