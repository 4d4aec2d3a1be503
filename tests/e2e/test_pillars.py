"""Pillars in the browser: a member contact registers an alderman for Sociaal, the chair of
Sociaal adopts a topic, and the matrix shows the municipality in Sociaal; axe-core on the
pillars list, the pillar's page, a topic's page, the registration form and the matrix. Without
JavaScript the chair changes a topic's status on its page."""

import datetime
import re

from playwright.sync_api import expect

from m50.accounts.models import Role
from m50.contacts.models import Organisation, Position
from m50.pillars import services as pillar_services
from m50.pillars.models import Participation, Pillar, ThemeGroup, Topic, TopicStatus
from m50.pillars.models import Role as PillarRole
from tests.conftest import PASSWORD
from tests.e2e.test_registry import check_page
from tests.factories import PersonFactory, PositionFactory, UserFactory


def log_in_as(page, live_server, user):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")


def test_contact_registers_an_alderman_and_the_chair_adopts_a_topic(
    page, live_server, login, axe_check, fits_narrow_screen
):
    # The shipped pillars (the test database is emptied between browser tests).
    pillar_services.pillars_reference_load()
    sociaal = Pillar.objects.get(slug="sociaal")
    diemen = Organisation.objects.get(municipality__code="GM0384")
    start = datetime.date(2023, 6, 1)
    mayor = PositionFactory(
        organisation=diemen,
        function=Position.Function.MAYOR,
        person=PersonFactory(given_name="Dirk", surname="Burgemeester"),
        start_date=start,
    )
    pillar_services.participation_register(
        position=mayor, pillar=sociaal, role=PillarRole.CHAIR, start_date=start
    )
    topic = pillar_services.topic_propose(pillar=sociaal, title="Jeugdzorg", owner=mayor.person)
    alderman = PositionFactory(
        organisation=diemen,
        function=Position.Function.ALDERMAN,
        person=PersonFactory(given_name="Wendy", surname="Wethouder"),
        start_date=start,
    )

    # Anonymous: the pillars, without people.
    page.goto(f"{live_server.url}/pijlers/")
    expect(page.locator("h1")).to_have_text("Pijlers en themagroepen")
    expect(page.get_by_text("een bestuurder van Diemen").first).to_be_visible()
    expect(page.get_by_text("Dirk Burgemeester")).to_have_count(0)
    check_page(page, axe_check, fits_narrow_screen)

    # The member contact of Diemen registers the alderman for Sociaal.
    login(Role.MEMBER_CONTACT)
    page.goto(f"{live_server.url}/gemeenten/GM0384/")
    page.get_by_role("link", name="Deelnemer registreren").click()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Functionaris").select_option(label="Wendy Wethouder, wethouder")
    page.get_by_label("Pijler of themagroep").select_option(label="Pijler Sociaal")
    page.get_by_role("button", name="Deelnemer registreren").click()
    expect(page).to_have_url(re.compile("/gemeenten/GM0384/#pijlers"))
    expect(page.get_by_text("Wendy Wethouder is geregistreerd als deelnemer")).to_be_visible()
    participation = Participation.objects.get(position=alderman)
    assert participation.pillar == sociaal and participation.category == "bestuurder"
    expect(page.get_by_role("link", name="Pijler Sociaal").first).to_be_visible()
    axe_check()
    # The contact's own start page shows it too.
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Pijlers en themagroepen")).to_be_visible()
    axe_check()

    # The chair of Sociaal adopts the topic.
    chair = UserFactory(
        role=Role.PILLAR_CHAIR, person=mayor.person, municipality=diemen.municipality
    )
    log_in_as(page, live_server, chair)
    page.goto(f"{live_server.url}/pijlers/sociaal/")
    expect(page.locator("h1")).to_have_text("Pijler Sociaal")
    expect(page.get_by_role("cell", name="Wendy Wethouder (wethouder)")).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Nieuwe status").select_option(label="aangenomen")
    page.locator(f"#onderwerp-{topic.pk}-note").fill("Past bij het jaarplan.")
    page.get_by_role("button", name="Status van Jeugdzorg wijzigen").click()
    expect(page.get_by_text("Het onderwerp Jeugdzorg is nu aangenomen.")).to_be_visible()
    expect(page.get_by_role("heading", name="Aangenomen (1)")).to_be_visible()
    topic.refresh_from_db()
    assert topic.status == TopicStatus.ADOPTED
    axe_check()

    # The topic's own page, from its link on the pillar's page: its status and the chair's form.
    page.get_by_role("link", name="Jeugdzorg", exact=True).click()
    expect(page.locator("h1")).to_have_text("Onderwerp Jeugdzorg")
    expect(page.get_by_role("button", name="Status van Jeugdzorg wijzigen")).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)

    # The matrix shows Diemen in Sociaal with its two bestuurders.
    page.goto(f"{live_server.url}/pijlers/deelname/")
    expect(page.locator("h1")).to_have_text("Deelname per gemeente")
    row = page.get_by_role("row", name=re.compile("^Diemen"))
    expect(row).to_contain_text("2 (2 bestuurders)")
    expect(row).not_to_contain_text("in geen pijler")
    check_page(page, axe_check, fits_narrow_screen)
    assert Topic.objects.get(pk=topic.pk).status_changes.count() == 2


def test_the_bureau_starts_a_pillar_and_ends_a_theme_group(
    page, live_server, login, axe_check, fits_narrow_screen
):
    pillar_services.pillars_reference_load()
    login(Role.BUREAU)

    # A new pillar that continues the work of Bestuur, from the list.
    page.goto(f"{live_server.url}/pijlers/")
    page.get_by_role("link", name="Nieuwe pijler").click()
    expect(page.locator("h1")).to_have_text("Nieuwe pijler")
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("button", name="Pijler aanmaken").click()
    expect(page.get_by_text("Er is niets vastgelegd")).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Naam").fill("Wonen")
    page.get_by_label("Bestuur").check()
    page.get_by_role("button", name="Pijler aanmaken").click()
    expect(page.locator("h1")).to_have_text("Pijler Wonen")
    expect(page.get_by_text("De pijler Wonen is aangemaakt.")).to_be_visible()
    wonen = Pillar.objects.get(slug="wonen")
    assert [p.slug for p in wonen.predecessors.all()] == ["bestuur"]

    # A theme group of the new pillar, from its page.
    page.get_by_role("link", name="Nieuwe themagroep").click()
    expect(page.locator("h1")).to_have_text("Nieuwe themagroep van de pijler Wonen")
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Naam").fill("Huisvesting")
    page.get_by_role("button", name="Themagroep aanmaken").click()
    expect(page.locator("h1")).to_have_text("Themagroep Huisvesting")

    # The network-wide form.
    page.goto(f"{live_server.url}/pijlers/themagroepen/nieuw/")
    expect(page.locator("h1")).to_have_text("Nieuwe themagroep")
    check_page(page, axe_check, fits_narrow_screen)

    # Ending the group: the confirm form says what happens to its participations.
    page.goto(f"{live_server.url}/pijlers/themagroepen/huisvesting/")
    page.get_by_role("link", name="Themagroep beëindigen").click()
    expect(page.locator("h1")).to_have_text("Themagroep Huisvesting beëindigen")
    expect(page.get_by_text("Er zijn nu 0 deelnames die nog niet zijn beëindigd.")).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Laatste dag").fill("2027-01-31")
    page.get_by_role("button", name="Themagroep beëindigen").click()
    expect(page.get_by_text("De themagroep Huisvesting is beëindigd.")).to_be_visible()
    assert ThemeGroup.objects.get(slug="huisvesting").ended_on == datetime.date(2027, 1, 31)

    # The pillar's end form.
    page.goto(f"{live_server.url}/pijlers/wonen/beeindigen/")
    expect(page.locator("h1")).to_have_text("Pijler Wonen beëindigen")
    check_page(page, axe_check, fits_narrow_screen)


def test_the_chair_parks_a_topic_on_its_page_without_javascript(
    browser, live_server, reference_data
):
    pillar_services.pillars_reference_load()
    sociaal = Pillar.objects.get(slug="sociaal")
    diemen = Organisation.objects.get(municipality__code="GM0384")
    start = datetime.date(2023, 6, 1)
    mayor = PositionFactory(organisation=diemen, function=Position.Function.MAYOR, start_date=start)
    pillar_services.participation_register(
        position=mayor, pillar=sociaal, role=PillarRole.CHAIR, start_date=start
    )
    topic = pillar_services.topic_propose(pillar=sociaal, title="Jeugdzorg", owner=mayor.person)
    chair = UserFactory(
        role=Role.PILLAR_CHAIR, person=mayor.person, municipality=diemen.municipality
    )
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    log_in_as(page, live_server, chair)
    page.goto(f"{live_server.url}/pijlers/onderwerpen/{topic.pk}/")
    expect(page.locator("h1")).to_have_text("Onderwerp Jeugdzorg")
    page.get_by_label("Nieuwe status").select_option(label="geparkeerd")
    page.get_by_role("button", name="Status van Jeugdzorg wijzigen").click()
    expect(page).to_have_url(f"{live_server.url}/pijlers/onderwerpen/{topic.pk}/")
    expect(page.get_by_text("Het onderwerp Jeugdzorg is nu geparkeerd.")).to_be_visible()
    expect(page.get_by_text("van voorgesteld naar geparkeerd")).to_be_visible()
    topic.refresh_from_db()
    assert topic.status == TopicStatus.PARKED
    context.close()
