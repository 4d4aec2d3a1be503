"""Public affairs in the browser: the lobbyist records a work visit in a member municipality
with two Kamerleden, adds a follow-up, and sees the visit on the theme's stakeholder map.
axe-core on every page visited."""

import re
import uuid

from playwright.sync_api import expect

from m50.accounts.models import Role
from m50.core.models import Theme
from m50.publicaffairs import records
from m50.publicaffairs.models import (
    Decision,
    FollowUp,
    Fractie,
    Interaction,
    MemberOfParliament,
    Motion,
    MotionSubmitter,
    Vote,
)
from tests.e2e.test_registry import check_page


def _tk_world():
    """Wonen with a motion submitted by two Kamerleden of two fracties, voted on."""
    wonen = records.dossier_create(actor=None, theme=Theme.objects.get(slug="wonen"))
    cda = Fractie.objects.create(tk_id=uuid.uuid4(), name="CDA", abbreviation="CDA", seats=5)
    vvd = Fractie.objects.create(tk_id=uuid.uuid4(), name="VVD", abbreviation="VVD", seats=24)
    members = [
        MemberOfParliament.objects.create(
            tk_id=uuid.uuid4(), surname=name, display_name=name, fractie=fractie
        )
        for name, fractie in (("Bontenbal", cda), ("Jansen", vvd))
    ]
    motion = Motion.objects.create(
        source=Motion.Source.TWEEDE_KAMER,
        tk_id=uuid.uuid4(),
        number="36000-12",
        title="Motie over betaalbare woningen in middelgrote gemeenten",
    )
    wonen.motions.add(motion)
    for member, role in zip(members, ("submitter", "co_signer"), strict=True):
        MotionSubmitter.objects.create(
            tk_id=uuid.uuid4(), motion=motion, member=member, role=role, name=str(member)
        )
    decision = Decision.objects.create(tk_id=uuid.uuid4(), motion=motion, result="Aangenomen")
    for fractie, kind in ((cda, "Voor"), (vvd, "Tegen")):
        Vote.objects.create(
            tk_id=uuid.uuid4(),
            decision=decision,
            fractie=fractie,
            kind=kind,
            actor_name=fractie.abbreviation,
            fractie_size=fractie.seats,
        )
    return members, motion


def test_the_lobbyist_records_a_work_visit_and_sees_it_on_the_stakeholder_map(
    page, live_server, login, axe_check, fits_narrow_screen
):
    members, motion = _tk_world()
    lobbyist = login(Role.PUBLIC_AFFAIRS)

    page.get_by_role("link", name="Public affairs", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Public affairs")
    check_page(page, axe_check, fits_narrow_screen)

    # The visit: Diemen, with both Kamerleden, on Wonen.
    page.get_by_role("link", name="Contactmoment vastleggen").first.click()
    expect(page.locator("h1")).to_have_text("Contactmoment vastleggen")
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Soort contactmoment").select_option("werkbezoek")
    page.get_by_label("Datum").fill("2026-11-03")
    page.get_by_label("Onderwerp").fill("Werkbezoek woningbouw in Diemen")
    # Without the municipality the form says so and records nothing.
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("Kies de gemeente van het werkbezoek.").first).to_be_visible()
    assert not Interaction.objects.exists()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Gemeente").select_option(label="Diemen")
    page.get_by_label("Kamerleden").select_option([str(member.pk) for member in members])
    page.get_by_label("Thema's").select_option(label="Wonen")
    page.get_by_label("Vertrouwelijke notitie").fill("De wethouder wil een vervolg.")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("Het contactmoment is vastgelegd.")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Werkbezoek woningbouw in Diemen")
    check_page(page, axe_check, fits_narrow_screen)

    # A follow-up for the lobbyist.
    page.get_by_label("Vervolgactie").fill("Cijfers over de bouwopgave sturen")
    page.get_by_label("Eigenaar").select_option(str(lobbyist.pk))
    page.get_by_label("Uiterlijk").fill("2026-12-15")
    page.get_by_role("button", name="Vervolgactie toevoegen").click()
    expect(page.get_by_text("De vervolgactie is toegevoegd.")).to_be_visible()
    assert FollowUp.objects.filter(owner=lobbyist).count() == 1
    check_page(page, axe_check, fits_narrow_screen)

    page.get_by_role("link", name="Mijn acties").first.click()
    expect(page.get_by_text("Cijfers over de bouwopgave sturen")).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)

    # The theme's stakeholder map: both Kamerleden, last spoken to on the visit.
    page.get_by_role("link", name="Overzicht").click()
    page.get_by_role("link", name="Wonen", exact=True).click()
    expect(page.locator("h1")).to_have_text("Wonen")
    stakeholder_map = page.locator("table", has_text="Kamerleden bij Wonen")
    for member in members:
        row = stakeholder_map.locator("tr", has_text=str(member))
        expect(row).to_contain_text("3 november 2026")
    check_page(page, axe_check, fits_narrow_screen)

    # The motion with its votes as a table and a chart.
    page.get_by_role("link", name=re.compile("Motie over betaalbare woningen")).click()
    expect(page.locator("table", has_text="Stemmen per fractie")).to_contain_text("Tegen")
    expect(page.locator("svg.m50-vote-chart")).to_have_count(1)
    check_page(page, axe_check, fits_narrow_screen)

    # The lists and the pages of a Kamerlid and a fractie.
    for link, heading in (
        ("Moties", "Moties"),
        ("Kamerleden", "Kamerleden"),
        ("Fracties", "Fracties"),
        ("Contactmomenten", "Contactmomenten"),
    ):
        page.get_by_role("link", name=link, exact=True).last.click()
        expect(page.locator("h1")).to_have_text(heading)
        check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("link", name="Kamerleden", exact=True).last.click()
    page.get_by_label("Naam", exact=True).fill("Jans")
    page.get_by_role("button", name="Filteren").click()
    page.get_by_role("link", name="Jansen").click()
    expect(page.locator("h1")).to_have_text("Jansen")
    expect(page.get_by_text("Werkbezoek woningbouw in Diemen")).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("link", name="VVD").first.click()
    expect(page.locator("h1")).to_have_text("VVD")
    check_page(page, axe_check, fits_narrow_screen)


def test_the_lobbyist_keeps_relations_vng_motions_and_the_public_position(
    page, live_server, login, axe_check, fits_narrow_screen
):
    """The pages of the network's own records: stakeholders, a VNG motion entered by hand,
    editing a contact, the municipality's Kamerleden nearby, and the published position on the
    public site, which unpublishing takes off. axe-core on every page."""
    import datetime

    from m50.contacts.models import Organisation
    from m50.municipalities.models import Municipality
    from tests.factories import OrganisationFactory

    members, _motion = _tk_world()
    diemen = Municipality.objects.get(code="GM0384")
    elsewhere = Municipality.objects.filter(province=diemen.province).exclude(pk=diemen.pk).first()
    MemberOfParliament.objects.filter(pk=members[0].pk).update(municipality=diemen)
    MemberOfParliament.objects.filter(pk=members[1].pk).update(municipality=elsewhere)
    OrganisationFactory(kind=Organisation.Kind.MINISTRY, name="Ministerie van SZW")
    OrganisationFactory(kind=Organisation.Kind.PARTNER_NETWORK, name="G40")
    wonen = Theme.objects.get(slug="wonen").dossier
    version = records.position_add(actor=None, dossier=wonen, text="Bouw meer betaalbare woningen.")
    records.position_publish(actor=None, version=version)
    visit = records.interaction_create(
        actor=None,
        kind=Interaction.Kind.WORK_VISIT,
        date=datetime.date(2026, 11, 3),
        subject="Werkbezoek Diemen",
        municipality=diemen,
        members=members,
    )
    lobbyist = login(Role.PUBLIC_AFFAIRS)

    # A relation with a ministry, and its next step.
    page.goto(f"{live_server.url}/public-affairs/")
    page.get_by_role("link", name="Stakeholders", exact=True).click()
    expect(page.locator("h1")).to_have_text("Stakeholders")
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("link", name="Relatie vastleggen").click()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("button", name="Vastleggen").click()
    expect(
        page.get_by_text("Kies één organisatie, één Kamerlid of één fractie.").first
    ).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Organisatie").select_option(label="Ministerie van SZW")
    page.get_by_label("Relatiebeheerder").select_option(str(lobbyist.pk))
    page.get_by_label("Volgende stap", exact=True).fill("Halfjaarlijks gesprek over de Jeugdwet")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("De relatie is vastgelegd.")).to_be_visible()
    expect(page.locator("table", has_text="Ministerie van SZW")).to_contain_text("Jeugdwet")
    page.get_by_label("Soort").select_option("ministry")
    page.get_by_role("button", name="Filteren").click()
    check_page(page, axe_check, fits_narrow_screen)

    # A resolution of the VNG's general meeting, co-submitted by the G40.
    page.get_by_role("link", name="Moties", exact=True).last.click()
    page.get_by_role("link", name="Motie of resolutie van de VNG invoeren").click()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Soort").select_option("resolutie")
    page.get_by_label("Nummer").fill("ALV-2026-7")
    page.get_by_label("Titel").fill("Resolutie gelijkwaardige positie middelgrote gemeenten")
    page.get_by_label("Datum van de algemene ledenvergadering").fill("2026-06-05")
    page.get_by_label("Thema's").select_option(label="Wonen")
    page.get_by_label("Mede-indieners").select_option(label="G40")
    page.get_by_label("Uitkomst").select_option("aangenomen")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("De motie van de VNG is vastgelegd.")).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("link", name="Motie wijzigen").click()
    check_page(page, axe_check, fits_narrow_screen)

    # Editing the work visit.
    page.goto(f"{live_server.url}/public-affairs/contactmomenten/{visit.pk}/")
    page.get_by_role("link", name="Contactmoment wijzigen").click()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Uitkomst").fill("Twee locaties bezocht.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het contactmoment is bijgewerkt.")).to_be_visible()
    expect(page.get_by_text("Twee locaties bezocht.")).to_be_visible()

    # Diemen's page: the Kamerlid living there and the one nearby.
    page.goto(f"{live_server.url}/gemeenten/GM0384/")
    expect(page.get_by_role("heading", name=re.compile("Kamerleden in de buurt"))).to_be_visible()
    expect(page.get_by_text(f"woont in {elsewhere.name}")).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)

    # The published position: on the public site, until the lobbyist takes it off.
    page.goto(f"{live_server.url}/public-affairs/themas/wonen/")
    page.get_by_role("link", name="openbare pagina").click()
    expect(page.locator("h1")).to_have_text("Standpunt over Wonen")
    check_page(page, axe_check, fits_narrow_screen)
    page.goto(f"{live_server.url}/standpunten/")
    check_page(page, axe_check, fits_narrow_screen)
    page.goto(f"{live_server.url}/public-affairs/themas/wonen/")
    page.get_by_role("button", name="Van de openbare site halen").click()
    expect(page.get_by_text("Het standpunt staat niet meer op de openbare site.")).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)
    response = page.goto(f"{live_server.url}/standpunten/wonen/")
    assert response.status == 404
