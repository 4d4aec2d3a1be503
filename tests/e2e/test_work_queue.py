"""Where each role starts, in the browser: the bureau's work queue leads to a waiting
proposal; a contact sees why its proposal was rejected. Both pass axe."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from m50.accounts.models import Role
from m50.membership import services
from m50.membership.models import DecidingBody, DecisionKind
from m50.municipalities.models import Municipality
from tests.e2e.test_registry import check_page
from tests.factories import UserFactory

AALSMEER = "GM0358"  # in the band, not a member in the shipped data
REASON = "Het document is een concept; stuur het getekende collegebesluit."


def propose(document_title: str):
    aalsmeer = Municipality.objects.get(code=AALSMEER)
    contact = UserFactory(role=Role.MEMBER_CONTACT, municipality=aalsmeer)
    return services.proposal_create(
        membership=services.membership_for(municipality=aalsmeer),
        actor=contact,
        kind=DecisionKind.ASPIRANT,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=timezone.localdate() - datetime.timedelta(days=3),
        mandated_body=DecidingBody.MAYOR,
        document_title=document_title,
    )


def test_the_bureaus_work_queue_leads_to_a_waiting_proposal(
    page, live_server, login, axe_check, fits_narrow_screen
):
    login(Role.BUREAU)
    propose("Collegebesluit aspirant-lidmaatschap Aalsmeer")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkvoorraad van het bureau")
    row = page.locator("#werk-proposals")
    expect(row).to_contain_text("1")
    check_page(page, axe_check, fits_narrow_screen)

    page.get_by_role("link", name="Voorstellen die wachten op bevestiging").click()
    expect(page).to_have_url(re.compile(r"/lidmaatschap/termijnen/#voorstellen$"))
    proposals = page.get_by_role("table", name=re.compile("Besluiten voorgesteld door gemeenten"))
    expect(proposals).to_contain_text("Aalsmeer")
    expect(proposals).to_contain_text("Collegebesluit aspirant-lidmaatschap Aalsmeer")
    proposals.get_by_role("link", name=re.compile("Bevestigen")).click()
    expect(page.locator("h1")).to_contain_text("Voorstel bevestigen")
    axe_check()
    page.get_by_role("button", name=re.compile("bevestigen", re.I)).click()
    expect(page.get_by_text(re.compile("Het voorstel is bevestigd"))).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page.locator("#werk-proposals")).to_contain_text("0")


def test_a_contact_sees_why_its_proposal_was_rejected(
    page, live_server, login, axe_check, fits_narrow_screen
):
    contact = login(Role.MEMBER_CONTACT, municipality_code=AALSMEER)
    proposal = propose("Concept collegebesluit")
    bureau = UserFactory(role=Role.BUREAU)
    services.proposal_reject(proposal=proposal, reason=REASON, actor=bureau)
    assert contact.municipality.code == AALSMEER

    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gemeente Aalsmeer in het M50")
    handled = page.locator(f"#voorstel-{proposal.pk}")
    expect(handled).to_contain_text("afgewezen")
    expect(handled).to_contain_text("Concept collegebesluit")
    expect(handled).to_contain_text(f"Reden van afwijzing: {REASON}")
    check_page(page, axe_check, fits_narrow_screen)

    # The dossier on its municipality's page says the same.
    page.get_by_role("link", name="Het hele dossier, met besluiten en wijzigingen").click()
    section = page.locator(f"#voorstel-{proposal.pk}")
    expect(section).to_contain_text(REASON)
    axe_check()

    # And its invoice details: a change goes to the bureau.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Wijziging doorgeven").click()
    expect(page.locator("h1")).to_have_text("Wijziging van de factuurgegevens doorgeven")
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("E-mailadres facturen").fill("facturen@aalsmeer.example")
    page.get_by_role("button", name="Wijziging doorgeven").click()
    expect(page.get_by_text(re.compile("Uw wijziging is doorgegeven"))).to_be_visible()
    changes = page.locator("#gevraagde-wijzigingen + ul")
    expect(changes).to_contain_text("in behandeling")
    expect(changes).to_contain_text("facturen@aalsmeer.example")
    axe_check()


def test_the_bureau_handles_a_requested_change_of_invoice_details(
    page, live_server, login, axe_check, fits_narrow_screen
):
    from m50.reports import services as report_services

    login(Role.BUREAU)
    aalsmeer = Municipality.objects.get(code=AALSMEER)
    contact = UserFactory(role=Role.MEMBER_CONTACT, municipality=aalsmeer)
    report_services.billing_change_request(
        municipality=aalsmeer,
        actor=contact,
        current={"city": ""},
        proposed={"city": "Aalsmeer"},
    )
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Gevraagde wijzigingen van factuurgegevens").click()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("link", name=re.compile("Behandelen")).click()
    expect(page.locator("h1")).to_contain_text("Aalsmeer")
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("button", name="Verwerken in de factuurgegevens").click()
    expect(page.get_by_text(re.compile("De wijziging is verwerkt"))).to_be_visible()
    axe_check()
