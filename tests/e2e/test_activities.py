"""Activities in the browser: a participant registers for a full activity and lands on the
waiting list, the seat holder cancels, and the first on the waiting list is moved up and sees
it on their own page; axe-core on the agenda, the month, the activity and your registrations."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from m50.activities import services
from m50.activities.models import Kind, Registration, RegistrationState
from m50.pillars import services as pillar_services
from tests.activities.conftest import participant
from tests.e2e.test_pillars import log_in_as
from tests.e2e.test_registry import check_page
from tests.factories import UserFactory
from tests.pillars.conftest import municipality_organisation


def test_the_waiting_list_moves_up_when_the_seat_holder_cancels(
    page, live_server, reference_data, axe_check, fits_narrow_screen
):
    pillar_services.pillars_reference_load()
    bureau = UserFactory(role="bureau")
    start = timezone.now() + datetime.timedelta(days=7)
    activity = services.activity_create(
        actor=bureau,
        kind=Kind.CONSULTATION,
        title="Bestuurlijk overleg Jeugdwet",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        address="Ministerie van VWS, Den Haag",
        online_url="https://vergadering.example/jeugdwet",
        capacity=1,
    )
    holder = participant(municipality_organisation("Zeewolde"))
    waiting = participant(municipality_organisation("Houtland"))
    services.registration_create(activity=activity, person=holder.person, actor=holder)

    # The participant finds the full activity in the agenda and joins the waiting list.
    log_in_as(page, live_server, waiting)
    page.get_by_role("link", name="Activiteiten", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Activiteiten")
    row = page.get_by_role("row", name=re.compile("Bestuurlijk overleg Jeugdwet"))
    expect(row).to_contain_text("vol — wachtlijst")
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("link", name="Maandoverzicht").click()
    month = timezone.localtime(start).strftime("%Y-%m")
    page.goto(f"{live_server.url}/activiteiten/maand/?maand={month}")
    expect(
        page.get_by_role("link", name=re.compile("Bestuurlijk overleg Jeugdwet"))
    ).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("link", name=re.compile("Bestuurlijk overleg Jeugdwet")).click()
    expect(page.locator("h1")).to_have_text("Bestuurlijk overleg Jeugdwet")
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Opmerking (bijvoorbeeld een dieetwens), niet verplicht").fill("rolstoel")
    page.get_by_role("button", name="Aanmelden voor de wachtlijst").click()
    expect(
        page.get_by_text(
            "Bestuurlijk overleg Jeugdwet is vol. U staat op plaats 1 van de wachtlijst."
        )
    ).to_be_visible()
    expect(page.get_by_text("De link staat hier voor wie een plaats heeft.")).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)

    # The seat holder cancels.
    log_in_as(page, live_server, holder)
    page.goto(f"{live_server.url}/activiteiten/{activity.pk}/")
    expect(page.get_by_text("U bent aangemeld.")).to_be_visible()
    expect(page.get_by_role("link", name="Link voor online deelname")).to_be_visible()
    page.get_by_role("button", name="Afmelden").click()
    expect(page.get_by_text("U bent afgemeld voor Bestuurlijk overleg Jeugdwet.")).to_be_visible()
    # The seat went to the waiting list: whoever registers now waits.
    expect(page.get_by_role("button", name="Aanmelden voor de wachtlijst")).to_be_visible()

    # The first on the waiting list has the seat now: on their own page and the activity's.
    assert Registration.objects.get(person=waiting.person).state == RegistrationState.CONFIRMED
    log_in_as(page, live_server, waiting)
    page.goto(f"{live_server.url}/activiteiten/mijn/")
    expect(page.locator("h1")).to_have_text("Mijn aanmeldingen")
    row = page.get_by_role("row", name=re.compile("Bestuurlijk overleg Jeugdwet"))
    expect(row).to_contain_text("aangemeld")
    expect(row).not_to_contain_text("wachtlijst")
    check_page(page, axe_check, fits_narrow_screen)
    row.get_by_role("link", name="Bestuurlijk overleg Jeugdwet").click()
    expect(page.get_by_text("U bent aangemeld.")).to_be_visible()
    expect(page.get_by_role("link", name="Link voor online deelname")).to_have_attribute(
        "href", "https://vergadering.example/jeugdwet"
    )
    axe_check()


def test_anonymous_visitors_use_the_agenda_without_javascript(browser, live_server, reference_data):
    bureau = UserFactory(role="bureau")
    start = timezone.now() + datetime.timedelta(days=3)
    services.activity_create(
        actor=bureau,
        kind=Kind.WEBINAR,
        title="Webinar woningbouw",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        audience="iedereen",
    )
    services.activity_create(
        actor=bureau,
        kind=Kind.GENERAL_MEETING,
        title="Ledenvergadering",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    page.goto(f"{live_server.url}/activiteiten/")
    expect(page.get_by_role("link", name="Webinar woningbouw")).to_be_visible()
    expect(page.get_by_text("Ledenvergadering", exact=True)).to_have_count(0)
    page.get_by_label("Soort", exact=True).select_option(label="ledenvergadering")
    page.get_by_role("button", name="Toon activiteiten").click()
    expect(page).to_have_url(re.compile(r"soort=ledenvergadering"))
    expect(page.get_by_role("heading", name="0 activiteiten gevonden")).to_be_visible()
    context.close()
