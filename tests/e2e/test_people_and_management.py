"""People, password reset, the CBS import and the management screens in the browser, with
axe-core on every page and the forms used without JavaScript where they must work so."""

import re

from django.core import mail
from playwright.sync_api import expect

from m50.accounts import services as account_services
from m50.accounts.models import Role
from m50.contacts.models import Person, Position
from tests.conftest import PASSWORD
from tests.factories import UserFactory

CBS_HEADER = (
    "peildatum,gm_code,gemeentenaam,provincie_code,provincie,inwoners,cbs_tabel,cbs_variabele"
)


def check_page(page, axe_check, fits_narrow_screen):
    expect(page.locator("h1")).to_have_count(1)
    axe_check()
    fits_narrow_screen()
    axe_check()
    page.set_viewport_size({"width": 1280, "height": 900})


def test_member_contact_adds_an_alderman_and_ends_a_term(
    page, live_server, login, axe_check, fits_narrow_screen
):
    login(Role.MEMBER_CONTACT)
    page.goto(f"{live_server.url}/organisaties/gemeente-diemen/")
    page.get_by_role("link", name="Persoon toevoegen bij Gemeente Diemen").click()
    expect(page.locator("h1")).to_have_text("Persoon toevoegen bij Gemeente Diemen")
    check_page(page, axe_check, fits_narrow_screen)
    # A wrong period is refused, with the error linked to its field.
    page.get_by_label("Achternaam").fill("Bakker")
    page.get_by_label("Functie", exact=True).select_option("wethouder")
    page.get_by_label("Begindatum").fill("2026-04-01")
    page.get_by_label("Einddatum").fill("2026-03-01")
    page.get_by_role("button", name="Persoon en functie vastleggen").click()
    expect(page.get_by_role("alert")).to_contain_text("De einddatum ligt vóór de begindatum.")
    assert not Person.objects.filter(surname="Bakker").exists()
    axe_check()
    page.get_by_label("Einddatum").fill("")
    page.get_by_role("button", name="Persoon en functie vastleggen").click()
    expect(page.get_by_text("Bakker is toegevoegd bij Gemeente Diemen.")).to_be_visible()

    page.get_by_role("link", name="Bakker", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Bakker")
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("link", name=re.compile("^Beëindigen")).click()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Einddatum").fill("2026-12-31")
    page.get_by_role("button", name="Functie beëindigen").click()
    expect(page.get_by_text("eindigt op 31 december 2026")).to_be_visible()
    position = Position.objects.get(person__surname="Bakker")
    assert str(position.end_date) == "2026-12-31"


def test_bureau_adds_a_person_and_an_organisation(
    page, live_server, login, axe_check, fits_narrow_screen
):
    login(Role.BUREAU)
    page.get_by_role("link", name="Organisaties", exact=True).first.click()
    page.get_by_role("link", name="Organisatie toevoegen").click()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Soort organisatie").select_option("knowledge_partner")
    page.get_by_label("Naam").fill("Kennisplatform Gemeenten")
    page.get_by_role("button", name="Organisatie toevoegen").click()
    expect(page.locator("h1")).to_contain_text("Kennisplatform Gemeenten")
    page.get_by_role("link", name="Gegevens van de organisatie wijzigen").click()
    check_page(page, axe_check, fits_narrow_screen)

    page.goto(f"{live_server.url}/organisaties/personen/nieuw/")
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Voornaam of voorletters").fill("Sanne")
    page.get_by_label("Achternaam").fill("Visser")
    page.get_by_role("button", name="Persoon toevoegen").click()
    expect(page.locator("h1")).to_have_text("Functie toevoegen voor Sanne Visser")
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Organisatie", exact=True).select_option(label="Kennisplatform Gemeenten")
    page.get_by_label("Functie", exact=True).select_option("directeur")
    page.get_by_role("button", name="Functie vastleggen").click()
    expect(page.locator("h1")).to_have_text("Sanne Visser")
    expect(page.get_by_role("cell", name="directeur", exact=True)).to_be_visible()


def test_password_reset_in_the_browser(page, live_server, reference_data, axe_check):
    UserFactory(username="bea", email="bea@m50.example", role=Role.BUREAU)
    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    expect(page.locator("h1")).to_have_text("Wachtwoord vergeten")
    axe_check()
    page.get_by_label("E-mailadres").fill("bea@m50.example")
    page.get_by_role("button", name="Stuur mij een link").click()
    expect(page.locator("h1")).to_have_text("Kijk in uw e-mail")
    axe_check()
    path = re.search(r"/account/wachtwoord-herstellen/\S+/", mail.outbox[0].body).group(0)
    page.goto(live_server.url + path)
    expect(page.locator("h1")).to_have_text("Nieuw wachtwoord kiezen")
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("kort")
    page.get_by_label("Nieuw wachtwoord (nogmaals)").fill("kort")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("te kort")
    axe_check()
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("paars-konijn-zeilt-2026")
    page.get_by_label("Nieuw wachtwoord (nogmaals)").fill("paars-konijn-zeilt-2026")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.locator("h1")).to_have_text("Wachtwoord gewijzigd")
    axe_check()
    page.get_by_role("link", name="Naar inloggen").click()
    page.get_by_label("Gebruikersnaam").fill("bea")
    page.get_by_label("Wachtwoord").fill("paars-konijn-zeilt-2026")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    # An invalid link explains itself.
    page.goto(f"{live_server.url}/account/wachtwoord-herstellen/MQ/ongeldig/")
    expect(page.get_by_role("alert")).to_contain_text("Deze link werkt niet (meer)")
    axe_check()


def test_bureau_imports_a_cbs_file_after_a_preview(
    page, live_server, login, axe_check, fits_narrow_screen, tmp_path
):
    login(Role.BUREAU)
    page.get_by_role("link", name="Gemeenten", exact=True).first.click()
    page.get_by_role("link", name="Inwonertallen van het CBS importeren").click()
    check_page(page, axe_check, fits_narrow_screen)
    bad = tmp_path / "fout.csv"
    bad.write_text(
        f"{CBS_HEADER}\n2025-01-01,GM9999,Nergens,PV27,x,1,37259NED,y\n", encoding="utf-8"
    )
    page.get_by_label("CBS-bestand (CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_role("alert")).to_contain_text("regel 2: onbekende gemeentecode")
    axe_check()
    good = tmp_path / "bevolking-2024.csv"
    good.write_text(
        f"{CBS_HEADER}\n2024-01-01,GM0384,Diemen,PV27,Noord-Holland,33000,37259NED,"
        "BevolkingOp1Januari_1\n2025-01-01,GM0384,Diemen,PV27,Noord-Holland,33412,37259NED,"
        "BevolkingOp1Januari_1\n",
        encoding="utf-8",
    )
    page.get_by_label("CBS-bestand (CSV)").set_input_files(str(good))
    page.get_by_role("button", name="Controleren").click()
    expect(page.locator("h1")).to_have_text("Controleer de wijzigingen")
    table = page.get_by_role("table", name="Inwonertallen die het bestand wijzigt: oud en nieuw")
    expect(
        table.get_by_role("row", name=re.compile(r"Diemen .*2024 32\.977 33\.000 \+23"))
    ).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("button", name="Inwonertallen inlezen").click()
    expect(page.get_by_text("bijgewerkt: 1")).to_be_visible()


def test_management_screens_pass_axe(page, live_server, reference_data, axe_check):
    bureau = account_services.user_create(username="beheer", role=Role.BUREAU, password=PASSWORD)
    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(bureau.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Beheer", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/beheer/")
    for path in (
        "/beheer/",
        "/beheer/accounts/loginattempt/",
        "/beheer/accounts/loginrecord/",
        "/beheer/contacts/person/",
        "/beheer/core/auditevent/",
    ):
        page.goto(live_server.url + path)
        assert page.url == live_server.url + path
        axe_check()
