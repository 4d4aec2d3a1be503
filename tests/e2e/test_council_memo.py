"""In the browser: the contact of Diemen, from its own start page, writes its council memo and
reads its value report, downloading both; axe finds no violation on any page."""

import docx
from playwright.sync_api import expect
from pypdf import PdfReader

from m50.accounts.models import Role


def test_the_contact_of_diemen_downloads_its_memo_and_value_report(
    page, live_server, login, axe_check, tmp_path
):
    login(Role.MEMBER_CONTACT)  # lands on its own start page
    expect(page.locator("h1")).to_contain_text("Gemeente Diemen in het M50")
    expect(page.get_by_role("heading", name="Wat het M50 uw gemeente bracht")).to_be_visible()
    axe_check()
    page.get_by_role("link", name="Raadsinformatiebrief over het M50 maken (Word of PDF)").click()
    expect(page.locator("h1")).to_contain_text("Raadsinformatiebrief over het M50: Diemen")
    axe_check()
    # Nothing filled in: refused, with what is missing.
    page.get_by_role("button", name="Brief maken en downloaden").click()
    expect(page.get_by_role("alert").first).to_contain_text("De brief is niet gemaakt")
    axe_check()
    page.get_by_label("Datum van de collegevergadering").fill("2023-05-30")
    page.get_by_label("Portefeuillehouder").fill("E. Boog")
    page.get_by_label("Team").fill("TBDA")
    page.get_by_label("Steller").fill("Jan Dick de Kort")
    with page.expect_download() as download:
        page.get_by_role("button", name="Brief maken en downloaden").click()
    assert download.value.suggested_filename.endswith(".docx")
    path = tmp_path / "brief.docx"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"PK")  # a DOCX is a zip
    text = "\n".join(p.text for p in docx.Document(path).paragraphs)
    assert "Op 22 augustus 2022 besloot het college van B&W" in text

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Waarderapport: wat het M50 de gemeente bracht").click()
    expect(page.locator("h1")).to_contain_text("Wat het M50 Diemen bracht")
    axe_check()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download als PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    path = tmp_path / "waarde.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    text = " ".join(sheet.extract_text() for sheet in PdfReader(path).pages)
    assert "Wat het M50 Diemen bracht" in " ".join(text.split())

    # The same report straight from the start page.
    page.goto(f"{live_server.url}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Waarderapport downloaden als PDF").click()
    path = tmp_path / "waarde-start.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
