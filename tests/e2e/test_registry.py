"""The registry in the browser: per role, with axe-core on every page and at 320 px."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from m50.accounts import services as account_services
from m50.accounts.models import Role
from m50.accounts.permissions import has_rule_for_role
from m50.contacts import services as contacts
from m50.contacts.models import Organisation, Position
from tests.conftest import PASSWORD


def check_page(page, axe_check, fits_narrow_screen):
    """One h1, no axe violation at desktop width, and none after reflow to 320 px."""
    expect(page.locator("h1")).to_have_count(1)
    axe_check()
    fits_narrow_screen()
    axe_check()
    page.set_viewport_size({"width": 1280, "height": 900})


def test_anonymous_visitor_finds_diemen_without_javascript(browser, live_server, reference_data):
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Gemeenten", exact=True).first.click()
    expect(page.get_by_role("heading", level=2, name="342 gemeenten gevonden")).to_be_visible()
    page.get_by_label("Zoek op naam of CBS-code").fill("Diemen")
    page.get_by_role("button", name="Toon gemeenten").click()
    expect(page).to_have_url(re.compile(r"zoek=Diemen"))
    page.get_by_role("link", name="Diemen", exact=True).click()
    expect(page.locator("h1")).to_have_text("Diemen")
    expect(page.get_by_text("in de bandbreedte sinds 1 januari 2020")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Inwoners"))).to_be_visible()
    table = page.get_by_role("table", name="Inwoners van Diemen op 1 januari")
    expect(table.get_by_role("row", name=re.compile(r"2020 30\.780"))).to_be_visible()
    expect(table.get_by_role("row", name=re.compile(r"2024 32\.977"))).to_be_visible()
    # People are for the network's users only.
    expect(page.get_by_role("heading", name="Mensen")).to_have_count(0)
    context.close()


def test_anonymous_pages_pass_axe(page, live_server, reference_data, axe_check, fits_narrow_screen):
    for path in (
        "/",
        "/gemeenten/",
        "/gemeenten/GM0384/",
        "/gemeenten/GM0457/",
        "/gemeenten/GM1980/",
        "/account/inloggen/",
        "/gemeenten/GM9999/",
    ):
        page.goto(live_server.url + path)
        check_page(page, axe_check, fits_narrow_screen)


def test_filters_and_sorting(page, live_server, reference_data, axe_check, fits_narrow_screen):
    page.goto(live_server.url + "/gemeenten/")
    page.get_by_label("Bandbreedte", exact=True).select_option(label="Binnen de bandbreedte")
    page.get_by_label("Netwerk", exact=True).select_option("M50")
    page.get_by_label("Sorteer op", exact=True).select_option(label="Inwoners, meeste eerst")
    page.get_by_role("button", name="Toon gemeenten").click()
    expect(page).to_have_url(re.compile(r"bandbreedte=binnen.*netwerk=M50.*sorteer=-inwoners"))
    # 61 members, of whom 5 are outside the band on 1 January 2024.
    expect(page.get_by_role("heading", level=2, name="56 gemeenten gevonden")).to_be_visible()
    first_row = page.locator("tbody tr").first
    expect(first_row).to_contain_text("M50-lid")
    check_page(page, axe_check, fits_narrow_screen)
    # A bad value in a link is explained, not fatal.
    page.goto(live_server.url + "/gemeenten/?bandbreedte=misschien")
    expect(page.get_by_role("alert").or_(page.locator(".m50-error-summary")).first).to_contain_text(
        "Kies bij bandbreedte"
    )
    check_page(page, axe_check, fits_narrow_screen)


def test_members_outside_the_band_are_flagged(page, live_server, reference_data):
    page.goto(live_server.url + "/gemeenten/?netwerk=M50&bandbreedte=buiten")
    expect(page.get_by_role("heading", level=2, name="5 gemeenten gevonden")).to_be_visible()
    for name in ("Wassenaar", "Winterswijk", "Oost Gelre", "Meierijstad", "Dijk en Waard"):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()


@pytest.fixture
def diemen_people(reference_data):
    organisation = Organisation.objects.get(municipality__code="GM0384")
    mayor = contacts.person_create(given_name="Dennis", surname="Straat", email="d@diemen.nl")
    contacts.position_create(
        person=mayor,
        organisation=organisation,
        function=Position.Function.MAYOR,
        start_date=datetime.date(2023, 1, 1),
    )
    former = contacts.person_create(given_name="Erik", surname="Boog")
    contacts.position_create(
        person=former,
        organisation=organisation,
        function=Position.Function.ALDERMAN,
        portfolio="Financiën",
        start_date=datetime.date(2018, 5, 1),
        end_date=datetime.date(2022, 3, 30),
    )
    return organisation, mayor, former


@pytest.mark.parametrize("role", list(Role))
def test_each_role_walks_its_pages(
    page, live_server, login, diemen_people, axe_check, fits_narrow_screen, role
):
    organisation, mayor, _former = diemen_people
    login(role)
    check_page(page, axe_check, fits_narrow_screen)
    pages = [
        "/gemeenten/",
        "/gemeenten/GM0384/",
        "/gemeenten/kansrijk/",
        "/organisaties/",
        f"/organisaties/{organisation.slug}/",
        f"/organisaties/personen/{mayor.pk}/",
        "/organisaties/?soort=ministerie",
    ]
    for path in pages:
        response = page.goto(live_server.url + path)
        rule = (
            "registry.view_prospects"
            if "kansrijk" in path
            else ("contacts.view" if path.startswith("/organisaties") else "registry.view")
        )
        assert response.status == (200 if has_rule_for_role(role, rule) else 403), path
        check_page(page, axe_check, fits_narrow_screen)
    page.goto(live_server.url + "/gemeenten/GM0384/")
    expect(page.get_by_role("heading", name="Mensen")).to_be_visible()
    expect(page.get_by_role("link", name="Dennis Straat")).to_be_visible()
    shows_email = page.get_by_text("d@diemen.nl").count() > 0
    assert shows_email == has_rule_for_role(role, "contacts.view_contact_details")


def test_prospects_for_the_bureau(page, live_server, login, axe_check, fits_narrow_screen):
    login(Role.BUREAU)
    page.get_by_role("link", name="Kansrijke gemeenten").click()
    expect(page.locator("h1")).to_have_text("Kansrijke gemeenten")
    rows = page.get_by_role("table").first.locator("tbody tr")
    assert rows.count() > 10
    # Members are not prospects.
    expect(page.get_by_role("link", name="Diemen", exact=True)).to_have_count(0)
    check_page(page, axe_check, fits_narrow_screen)


def test_person_and_organisation_link_both_ways(page, live_server, login, diemen_people, axe_check):
    organisation, mayor, former = diemen_people
    login(Role.PUBLIC_AFFAIRS)
    page.goto(f"{live_server.url}/organisaties/{organisation.slug}/")
    page.get_by_role("link", name="Erik Boog").click()
    expect(page.locator("h1")).to_have_text("Erik Boog")
    expect(page.get_by_role("heading", name="Eerdere functies")).to_be_visible()
    expect(page.get_by_role("cell", name="Financiën")).to_be_visible()
    axe_check()
    page.get_by_role("link", name=organisation.name).first.click()
    expect(page.locator("h1")).to_contain_text(organisation.name)


def test_english_is_available(page, live_server, reference_data, axe_check):
    page.goto(live_server.url + "/gemeenten/GM0384/")
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Wijzig taal").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    axe_check()


def test_bureau_management_screens_pass_axe(page, live_server, reference_data, axe_check):
    bureau = account_services.user_create(username="beheer", role=Role.BUREAU, password=PASSWORD)
    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(bureau.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    for path in (
        "/beheer/",
        "/beheer/accounts/user/",
        "/beheer/accounts/user/add/",
        "/beheer/municipalities/municipality/",
    ):
        page.goto(live_server.url + path)
        assert page.url == live_server.url + path  # really in, not on a login page
        axe_check()
