"""In the browser: the contact of Diemen writes its council memo and reads its value report,
downloading both; axe finds no violation on either page."""

import docx
from playwright.sync_api import expect

from m50.accounts.models import Role


def test_the_contact_of_diemen_downloads_its_memo_and_value_report(
    page, live_server, login, axe_check, tmp_path
):
    login(Role.MEMBER_CONTACT)
    page.goto(f"{live_server.url}/gemeenten/GM0384/")
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
    path = tmp_path / "brief.docx"
    download.value.save_as(path)
    text = "\n".join(p.text for p in docx.Document(path).paragraphs)
    assert "Op 22 augustus 2022 besloot het college van B&W" in text

    page.goto(f"{live_server.url}/gemeenten/GM0384/")
    page.get_by_role("link", name="Wat het M50 de gemeente bracht (pagina en PDF)").click()
    expect(page.locator("h1")).to_contain_text("Wat het M50 Diemen bracht")
    axe_check()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download als PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
