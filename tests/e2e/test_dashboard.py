"""The bureau's dashboard and the network's year, in the browser: reached from the work queue,
charts with their tables, the annual report downloaded as DOCX and PDF, and no axe violation
(also at 320 px)."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from m50.accounts.models import Role
from m50.contacts.models import Organisation
from m50.membership import services
from m50.membership.models import DecidingBody, DecisionKind
from m50.municipalities.models import Municipality
from m50.pillars import services as pillar_services
from m50.pillars.models import Pillar
from tests.e2e.test_registry import check_page
from tests.factories import OrganisationFactory, PositionFactory

AALSMEER = "GM0358"  # in the band, not a member in the shipped data


def test_the_bureau_reads_the_dashboard_and_the_networks_year(
    page, live_server, login, axe_check, fits_narrow_screen
):
    login(Role.BUREAU)
    today = timezone.localdate()
    aalsmeer = Municipality.objects.get(code=AALSMEER)
    services.decision_record(
        membership=services.membership_for(municipality=aalsmeer),
        kind=DecisionKind.ASPIRANT,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=today - datetime.timedelta(days=320),
        mandated_body=DecidingBody.MAYOR,
    )
    diemen = Municipality.objects.get(code="GM0384")
    organisation = Organisation.objects.filter(municipality=diemen).first() or OrganisationFactory(
        kind=Organisation.Kind.MUNICIPALITY, municipality=diemen
    )
    position = PositionFactory(
        organisation=organisation, function="wethouder", start_date=datetime.date(2022, 6, 1)
    )
    pillar_services.participation_register(
        position=position,
        pillar=Pillar.objects.get(slug="sociaal"),
        start_date=datetime.date(2024, 3, 1),
    )

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Dashboard van het netwerk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard van het netwerk")
    chart = page.get_by_role("img", name="Leden en aspirant-leden aan het eind van elk kwartaal")
    expect(chart).to_be_visible()
    members = page.get_by_role("table", name="Leden en aspirant-leden per kwartaal")
    expect(members).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("mandaat dat afloopt"))).to_contain_text(
        "Aalsmeer"
    )
    heat = page.get_by_role("table", name="Deelnemers per lid en pijler")
    expect(heat.get_by_role("row", name=re.compile("^Diemen"))).to_contain_text("1")
    expect(page.get_by_text(re.compile(r"^Bron: besluiten in het platform, stand"))).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)

    page.get_by_role("link", name=f"Het netwerk in {today.year - 1}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Het netwerk in {today.year - 1}")
    expect(
        page.get_by_role("table", name=re.compile("Leden en aspirant-leden aan het begin"))
    ).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)

    last = today.year - 1
    for label, extension in (("Word-bestand (DOCX)", "docx"), ("PDF", "pdf")):
        with page.expect_download() as download:
            page.get_by_role("link", name=f"Jaarverslag {last} downloaden als {label}").click()
        assert download.value.suggested_filename == f"jaarverslag-m50-{last}.{extension}"
