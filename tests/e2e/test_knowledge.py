"""The library in the browser: a participant writes a good example of their municipality and
submits it, the pillar's chair accepts it, and the participant finds it by its theme; the
bureau adds a document and a new version of it. axe-core on every page of the library."""

import re

from playwright.sync_api import expect

from m50.accounts.models import Role
from m50.contacts.models import Position
from m50.core.models import Theme
from m50.knowledge import services
from m50.knowledge.models import Access, Form, Kind, KnowledgeItem, Status
from m50.pillars import services as pillar_services
from m50.pillars.models import Pillar
from m50.pillars.models import Role as PillarRole
from tests.e2e.test_pillars import log_in_as
from tests.e2e.test_registry import check_page
from tests.factories import UserFactory
from tests.knowledge.conftest import pdf_bytes, upload
from tests.pillars.conftest import START, municipality_organisation, official, user_of


def test_a_participant_submits_an_example_the_chair_accepts_it(
    page, live_server, reference_data, axe_check, fits_narrow_screen, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    pillar_services.pillars_reference_load()
    sociaal = Pillar.objects.get(slug="sociaal")
    zeewolde = municipality_organisation("Zeewolde")
    member = official(zeewolde, function=Position.Function.POLICY_ADVISOR)
    pillar_services.participation_register(position=member, pillar=sociaal, start_date=START)
    chair_position = official(municipality_organisation("Houtland"))
    pillar_services.participation_register(
        position=chair_position, pillar=sociaal, role=PillarRole.CHAIR, start_date=START
    )
    writer = user_of(member)
    chair = user_of(chair_position, role=Role.PILLAR_CHAIR)

    # The participant writes the example of Zeewolde from the library's page.
    log_in_as(page, live_server, writer)
    page.get_by_role("link", name="Kennis", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Kennis")
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("link", name="Kennisitem toevoegen").click()
    expect(page.locator("h1")).to_have_text("Kennisitem toevoegen")
    check_page(page, axe_check, fits_narrow_screen)
    # Without a title the form says so, and keeps what was typed.
    page.get_by_label("Wat hebben ze gedaan").fill("Eén wijkteam per wijk voor jeugd en WMO.")
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_text("Er is niets vastgelegd")).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Titel").fill("Wijkteams in Zeewolde")
    page.get_by_label("Jeugdzorg").check()
    page.get_by_label("Hoort bij").select_option(label="Pijler Sociaal")
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_text("is opgeslagen als concept")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Wijkteams in Zeewolde")
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("button", name="Indienen ter publicatie").click()
    expect(page.get_by_text("is ingediend")).to_be_visible()
    item = KnowledgeItem.objects.get()
    assert item.status == Status.SUBMITTED

    # The chair finds it among the submissions and accepts it.
    log_in_as(page, live_server, chair)
    page.goto(f"{live_server.url}/kennis/")
    page.get_by_role("link", name="Inzendingen beoordelen").click()
    expect(page.locator("h1")).to_have_text("Inzendingen beoordelen")
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("link", name="Wijkteams in Zeewolde").click()
    page.get_by_role("link", name="Afwijzen").click()
    expect(page.locator("h1")).to_have_text("Afwijzen: Wijkteams in Zeewolde")
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("link", name="Terug").click()
    page.get_by_role("button", name="Publiceren").click()
    expect(page.get_by_text("Wijkteams in Zeewolde is gepubliceerd.")).to_be_visible()

    # Another official of a member finds it by its theme.
    reader = user_of(official(municipality_organisation("Diemerland")))
    log_in_as(page, live_server, reader)
    page.goto(f"{live_server.url}/kennis/")
    page.get_by_label("Thema", exact=True).select_option(label="Jeugdzorg (1)")
    page.get_by_role("button", name="Toon kennisitems").click()
    expect(page.get_by_text("1 kennisitem gevonden")).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("link", name="Wijkteams in Zeewolde").click()
    expect(page.get_by_text("Eén wijkteam per wijk voor jeugd en WMO.")).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)


def test_the_bureau_adds_a_version_and_withdraws_a_document(
    page, live_server, reference_data, axe_check, fits_narrow_screen, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    pillar_services.pillars_reference_load()
    bureau = UserFactory(role=Role.BUREAU)
    item = services.item_create(
        actor=bureau,
        form=Form.DOCUMENT,
        kind=Kind.GUIDE,
        title="Handreiking woningbouw",
        access=Access.PUBLIC,
        uploaded_file=upload("handreiking.pdf", pdf_bytes("Woningbouw in middelgrote gemeenten")),
    )
    services.item_accept(actor=bureau, item=item)
    services.item_create(
        actor=bureau,
        form=Form.LINK,
        kind=Kind.PUBLICATION,
        title="Platform31 over wonen",
        link_url="https://www.platform31.nl/",
        access=Access.PUBLIC,
    )

    log_in_as(page, live_server, bureau)
    page.goto(f"{live_server.url}/kennis/{item.pk}/")
    expect(page.get_by_role("link", name=re.compile("handreiking.pdf downloaden"))).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("link", name="Nieuwe versie van het bestand toevoegen").click()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Nieuwe versie van het bestand").set_input_files(
        files=[{"name": "versie2.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Twee")}]
    )
    page.get_by_role("button", name="Versie toevoegen").click()
    expect(page.get_by_text("Versie 2 van het bestand is toegevoegd.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Versie 1: handreiking.pdf"))).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("link", name="Wijzigen").click()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("link", name="Annuleren").click()
    page.get_by_role("link", name="Intrekken").click()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Waarom wordt het ingetrokken?").fill("Vervangen door de nieuwe handreiking.")
    page.get_by_role("button", name="Intrekken").click()
    expect(page.get_by_text(re.compile("Dit kennisitem is ingetrokken op"))).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)
    # The link's page, a draft of the bureau.
    page.goto(f"{live_server.url}/kennis/")
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("link", name="Platform31 over wonen").click()
    expect(page.get_by_role("link", name="https://www.platform31.nl/")).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)


def test_a_visitor_filters_the_library_without_javascript(browser, live_server, reference_data):
    bureau = UserFactory(role=Role.BUREAU)
    wonen = Theme.objects.get(slug="wonen")
    for title, themes in (("Betaalbaar wonen", [wonen]), ("Vervoer op maat", [])):
        item = services.item_create(
            actor=bureau,
            form=Form.NOTE,
            kind=Kind.EXAMPLE,
            title=title,
            note_what="Wat de gemeente deed.",
            access=Access.PUBLIC,
            themes=themes,
        )
        services.item_accept(actor=bureau, item=item)
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    page.goto(f"{live_server.url}/kennis/")
    expect(page.get_by_text("2 kennisitems gevonden")).to_be_visible()
    page.get_by_label("Thema", exact=True).select_option(label="Wonen (1)")
    page.get_by_role("button", name="Toon kennisitems").click()
    expect(page.get_by_text("1 kennisitem gevonden")).to_be_visible()
    expect(page.get_by_role("link", name="Betaalbaar wonen")).to_be_visible()
    expect(page.get_by_role("link", name="Vervoer op maat")).to_have_count(0)
    context.close()
