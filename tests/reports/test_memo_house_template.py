"""A municipality's own house template: filled from the memo, and refused clearly (naming the
unknown placeholder) when it cannot be used; nothing is written then."""

import io
import zipfile

import docx
import pytest
from django.urls import reverse

from m50.accounts.models import Role
from m50.core.models import AuditEvent
from m50.reports import selectors
from m50.reports.memo.house_template import (
    PLACEHOLDERS,
    TemplateRefused,
    template_check,
    template_path,
)
from tests.reports import memo_helpers as h

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def template_dir(settings, tmp_path):
    settings.M50_MEMO_TEMPLATE_DIR = tmp_path / "sjablonen"
    return settings.M50_MEMO_TEMPLATE_DIR


def house_template(*lines: str, header: str = "{{ titel }}", table: str = "{{ datum }}") -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = header
    paragraph = document.add_paragraph()
    # A placeholder split over runs, as Word saves an edited field.
    paragraph.add_run("Onderwerp: {{ onder")
    paragraph.add_run("werp }}").bold = True
    for line in lines:
        document.add_paragraph(line)
    cells = document.add_table(rows=1, cols=2).rows[0].cells
    cells[0].text, cells[1].text = "Datum", table
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(client, code, data, name="huisstijl.docx"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("reports:council_memo_template", args=[code]), {"sjabloon": file})


def write_in_house_style(client, code):
    """The memo of 4 June 2024, written into the stored house template."""
    return client.post(
        reverse("reports:council_memo", args=[code]),
        {
            "datum": "2024-06-04",
            "portefeuillehouder": "E. Boog",
            "team": "TBDA",
            "steller": "Jan Dick de Kort",
            "bestandsvorm": "huisstijl",
        },
    )


def test_the_template_is_filled_with_the_memo(client, user_for_role):
    h.fees()
    member = h.member_via_mandate()
    client.force_login(user_for_role(Role.MEMBER_CONTACT, municipality=member))
    data = house_template(
        "Gemeente {{ gemeente }}, {{ portefeuillehouder }}, {{ team }}, {{ steller }}",
        *(f"{{{{ {name} }}}}" for name in ("voorgeschiedenis", "collegebesluit")),
        "{{samenvatting}}",
        "{{ financieel }} ({{ periode }})",
    )
    response = upload(client, member.code, data)
    assert response.status_code == 302
    assert template_path(member).read_bytes() == data
    assert AuditEvent.objects.filter(action="memo_template.store").count() == 1
    response = write_in_house_style(client, member.code)
    assert response["Content-Disposition"].startswith("attachment")
    text = h.docx_text(response.content)
    filled = docx.Document(io.BytesIO(response.content))
    assert filled.sections[0].header.paragraphs[0].text == "Informatie van de burgemeester"
    assert "Onderwerp: Lidmaatschap van het M50 (Mandaatstad)" in text
    assert "Datum | 4 juni 2024" in text
    assert "Gemeente Mandaatstad, E. Boog, TBDA, Jan Dick de Kort" in text
    assert "op grond van het mandaat van 1 september 2022" in text
    assert "De jaarlijkse contributie is € 5.000,00" in text
    assert "{{" not in text and "}}" not in text


def test_every_placeholder_is_documented_on_the_page(client, user_for_role):
    member = h.member_via_mandate()
    client.force_login(user_for_role(Role.BUREAU))
    html = client.get(reverse("reports:council_memo", args=[member.code])).content.decode()
    for name in PLACEHOLDERS:
        assert f"{{{{ {name} }}}}" in html


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


REFUSALS = {
    "unknown": (
        lambda: house_template("{{ burgemeester }} en {{ onderwerp }}"),
        "Het sjabloon gebruikt een veld dat het platform niet kent: {{ burgemeester }}.",
    ),
    "unclosed": (
        lambda: house_template("{{ datum"),
        "Het sjabloon gebruikt een veld dat het platform niet kent: {{ {{ datum }}.",
    ),
    "damaged": (
        lambda: house_template("{{ datum }}")[:-200],
        "Het Word-document is beschadigd en kan niet worden gelezen.",
    ),
    "not a docx": (
        lambda: b"%PDF-1.7 geen Word",
        "Dit is geen Word-document (DOCX).",
    ),
    "zip without word parts": (
        lambda: zip_bytes({"a.txt": b"{{ datum }}"}),
        "het mist de onderdelen van een Word-bestand",
    ),
    "zip bomb": (
        lambda: zip_bytes(
            {"[Content_Types].xml": b"<x/>", "word/document.xml": b"\0" * (30 * 1024 * 1024)}
        ),
        "Het sjabloon is uitgepakt te groot (30,0 MB, ten hoogste 20,0 MB); het is niet geopend.",
    ),
    "damaged inside": (
        lambda: _flip_document_bytes(house_template("{{ datum }}")),
        "Het Word-document is beschadigd en kan niet worden gelezen.",
    ),
    "unknown in a content control": (
        lambda: _with_content_control(house_template("{{ datum }}"), "{{ bogus }}"),
        "Het sjabloon gebruikt een veld dat het platform niet kent: {{ bogus }}.",
    ),
    "marked as encrypted": (
        lambda: _encrypted_flag(house_template("{{ datum }}")),
        "Het Word-document is beschadigd en kan niet worden gelezen.",
    ),
    "no placeholder": (
        lambda: _no_fields(),
        "Het sjabloon bevat geen enkel veld, zoals {{ onderwerp }}",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_template_that_cannot_be_used_is_refused_clearly(client, user_for_role, case):
    member = h.member_via_mandate()
    client.force_login(user_for_role(Role.BUREAU))
    make, message = REFUSALS[case]
    data = make()
    with pytest.raises(TemplateRefused) as refused:
        template_check(data)
    assert message in str(refused.value)
    response = upload(client, member.code, data)
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'").replace("&amp;", "&")
    assert str(refused.value) in html
    assert not template_path(member).exists()
    assert not AuditEvent.objects.filter(action="memo_template.store").exists()


def _flip_document_bytes(data: bytes) -> bytes:
    """The archive's directory intact, the compressed document part garbled."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
    garbled = bytes(b ^ 0xFF for b in data[start : start + 40])
    return data[:start] + garbled + data[start + 40 :]


def _no_fields() -> bytes:
    document = docx.Document()
    document.add_paragraph("Informatie van de burgemeester")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_huge_template_is_refused_without_reading_it(client, user_for_role, settings):
    settings.M50_MEMO_TEMPLATE_MAX_BYTES = 10_000
    member = h.member_via_mandate()
    client.force_login(user_for_role(Role.BUREAU))
    data = house_template("{{ datum }}") + b"\0" * 20_000
    response = upload(client, member.code, data)
    assert "Het sjabloon is te groot" in response.content.decode()
    assert "ten hoogste 0,0 MB" in response.content.decode()
    assert not template_path(member).exists()


def test_a_stored_template_is_replaced_whole_and_can_be_removed(client, user_for_role):
    member = h.member_via_mandate()
    client.force_login(user_for_role(Role.BUREAU))
    first, second = house_template("{{ datum }}"), house_template("{{ steller }}")
    upload(client, member.code, first)
    upload(client, member.code, second)
    assert template_path(member).read_bytes() == second
    assert [p.name for p in template_path(member).parent.iterdir()] == [f"{member.code}.docx"]
    assert selectors.house_template_of(municipality=member) == second
    client.post(
        reverse("reports:council_memo_template", args=[member.code]), {"actie": "verwijderen"}
    )
    assert selectors.house_template_of(municipality=member) is None
    assert AuditEvent.objects.filter(action="memo_template.remove").count() == 1


def test_another_municipalitys_contact_cannot_upload(client, user_for_role):
    member = h.member_via_mandate()
    client.force_login(user_for_role(Role.MEMBER_CONTACT))
    assert upload(client, member.code, house_template("{{ datum }}")).status_code == 404
    assert not template_path(member).exists()


def _with_content_control(data: bytes, text: str, hyperlink: str = "") -> bytes:
    """The template with a paragraph inside a block content control (as house styles use for
    their fields) and, with ``hyperlink``, a paragraph whose field is the text of a link."""
    from docx.oxml import parse_xml

    namespace = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    body.insert(
        0,
        parse_xml(
            f"<w:sdt {namespace}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>{text}</w:t></w:r>"
            "</w:p></w:sdtContent></w:sdt>"
        ),
    )
    if hyperlink:
        body.insert(
            1,
            parse_xml(
                f'<w:p {namespace}><w:r><w:t xml:space="preserve">Team: </w:t></w:r>'
                f"<w:hyperlink><w:r><w:t>{hyperlink}</w:t></w:r></w:hyperlink></w:p>"
            ),
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _encrypted_flag(data: bytes) -> bytes:
    """The archive with bit 0 (encrypted) set in every member's local and central header."""
    data = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start != -1:
            data[start + offset] |= 0x01
            start = data.find(signature, start + 4)
    return bytes(data)


def test_fields_in_content_controls_and_links_are_filled(client, user_for_role):
    h.fees()
    member = h.member_via_mandate()
    client.force_login(user_for_role(Role.MEMBER_CONTACT, municipality=member))
    data = _with_content_control(house_template("Tekst"), "Op {{ datum }}", hyperlink="{{ team }}")
    assert upload(client, member.code, data).status_code == 302
    response = write_in_house_style(client, member.code)
    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
    assert "Op 4 juni 2024" in xml and "Team: TBDA" in xml
    assert "{{" not in xml and "}}" not in xml
