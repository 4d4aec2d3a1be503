"""The membership dossier in the browser: the bureau records decisions, contacts see their own."""

import re

from playwright.sync_api import expect

from m50.accounts.models import Role
from tests.e2e.test_registry import check_page

AALSMEER = "GM0358"  # in the band, not a member in the shipped data


def record(page, *, kind, body, decided, mandated_body=None, title="Collegebesluit"):
    page.get_by_role("link", name="Besluit vastleggen").click()
    page.get_by_label("Soort besluit").select_option(label=kind)
    page.get_by_label("Besluitvormend orgaan").select_option(label=body)
    page.get_by_label("Besloten op").fill(decided)
    if mandated_body:
        page.get_by_label("Gemandateerd orgaan").select_option(label=mandated_body)
    page.get_by_label("Titel van het document").fill(title)
    page.get_by_role("button", name="Besluit vastleggen").click()


def test_bureau_records_an_aspirant_and_a_mandated_definitive_decision(
    page, live_server, login, axe_check, fits_narrow_screen
):
    login(Role.BUREAU)
    page.goto(f"{live_server.url}/gemeenten/{AALSMEER}/")
    expect(page.get_by_text("Er is geen lidmaatschap van het M50 vastgelegd.")).to_be_visible()
    page.get_by_role("link", name="Besluit vastleggen").click()
    check_page(page, axe_check, fits_narrow_screen)
    page.go_back()

    record(
        page,
        kind="aspirant-lidmaatschap",
        body="college van B&W",
        decided="2025-09-01",
        mandated_body="burgemeester",
        title="Collegebesluit aspirant-lidmaatschap",
    )
    expect(page).to_have_url(re.compile(f"/gemeenten/{AALSMEER}/"))
    expect(page.get_by_text("aspirant-lid sinds 1 september 2025").first).to_be_visible()
    expect(page.get_by_text(re.compile("tot en met 1 september 2026")).first).to_be_visible()

    # The mayor decides within the mandate's year.
    record(
        page,
        kind="definitief lidmaatschap",
        body="burgemeester",
        decided="2026-05-01",
        title="Informatie van de burgemeester",
    )
    expect(page.get_by_text("lid sinds 1 mei 2026").first).to_be_visible()
    expect(page.get_by_text("mandaat gebruikt binnen de termijn")).to_be_visible()
    timeline = page.get_by_role("table", name=re.compile("Besluiten over het lidmaatschap"))
    expect(timeline.locator("tbody tr")).to_have_count(2)
    expect(page.get_by_role("heading", name="Wijzigingsgeschiedenis")).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)

    # A contradicting decision is refused with the rule, and nothing changes.
    record(page, kind="definitief lidmaatschap", body="college van B&W", decided="2026-06-01")
    expect(page.get_by_text("De gemeente is al lid.").first).to_be_visible()
    axe_check()
    page.goto(f"{live_server.url}/gemeenten/{AALSMEER}/")
    expect(timeline.locator("tbody tr")).to_have_count(2)


def test_a_member_contact_sees_only_its_own_restricted_dossier(page, live_server, login, axe_check):
    login(Role.MEMBER_CONTACT, municipality_code=AALSMEER)
    page.goto(f"{live_server.url}/gemeenten/GM0384/")  # Diemen: someone else's dossier
    expect(page.get_by_text("lid sinds 16 mei 2023").first).to_be_visible()
    expect(page.get_by_text("mandaat gebruikt binnen de termijn")).to_be_visible()
    expect(page.get_by_role("heading", name="Wijzigingsgeschiedenis")).to_have_count(0)
    expect(page.get_by_text("Informatie van de burgemeester: lidmaatschap M50")).to_have_count(0)
    expect(page.get_by_role("link", name="Besluit voorstellen")).to_have_count(0)
    response = page.goto(f"{live_server.url}/lidmaatschap/GM0384/voorstellen/nieuw/")
    assert response.status == 403
    axe_check()
    # Its own municipality: it may propose a decision.
    page.goto(f"{live_server.url}/gemeenten/{AALSMEER}/")
    page.get_by_role("link", name="Besluit voorstellen").click()
    expect(page.locator("h1")).to_contain_text("voorstellen")
    axe_check()


def test_diemens_contact_sees_the_documents(page, live_server, login):
    login(Role.MEMBER_CONTACT)  # of Diemen
    page.goto(f"{live_server.url}/gemeenten/GM0384/")
    document = page.get_by_role(
        "cell", name="Informatie van de burgemeester: lidmaatschap M50", exact=True
    )
    expect(document).to_be_visible()
    expect(page.get_by_role("heading", name="Wijzigingsgeschiedenis")).to_be_visible()


def test_overview_and_deadlines_pass_axe(page, live_server, login, axe_check, fits_narrow_screen):
    login(Role.BUREAU)
    page.get_by_role("link", name="Lidmaatschap", exact=True).click()
    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_role("link", name="Diemen", exact=True)).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("CSV")).click()
    assert download.value.suggested_filename.endswith(".csv")
    page.goto(f"{live_server.url}/lidmaatschap/termijnen/")
    check_page(page, axe_check, fits_narrow_screen)
