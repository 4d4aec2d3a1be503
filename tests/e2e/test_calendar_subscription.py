"""The calendar subscription page in the browser: a participant of Sociaal finds their secret
addresses, the feed answers, renewing makes the old address 404; axe-core on the page."""

import datetime

from playwright.sync_api import expect

from m50.accounts.models import Role
from m50.contacts.models import Organisation, Position
from m50.pillars import services as pillar_services
from m50.pillars.models import Pillar
from tests.e2e.test_pillars import log_in_as
from tests.e2e.test_registry import check_page
from tests.factories import PersonFactory, PositionFactory, UserFactory


def test_a_participant_subscribes_and_renews(
    page, live_server, reference_data, axe_check, fits_narrow_screen
):
    pillar_services.pillars_reference_load()
    diemen = Organisation.objects.get(municipality__code="GM0384")
    start = datetime.date(2023, 6, 1)
    alderman = PositionFactory(
        organisation=diemen,
        function=Position.Function.ALDERMAN,
        person=PersonFactory(given_name="Wendy", surname="Wethouder"),
        start_date=start,
    )
    pillar_services.participation_register(
        position=alderman, pillar=Pillar.objects.get(slug="sociaal"), start_date=start
    )
    user = UserFactory(
        role=Role.PARTICIPANT, person=alderman.person, municipality=diemen.municipality
    )
    log_in_as(page, live_server, user)

    page.goto(f"{live_server.url}/activiteiten/abonnement/")
    expect(page.locator("h1")).to_have_text("Activiteiten in uw eigen agenda")
    own = page.get_by_label("Mijn activiteiten").input_value()
    expect(page.get_by_label("Sociaal (pijler)")).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)
    path = own.split("://", 1)[1].split("/", 1)[1]
    feed = page.request.get(f"{live_server.url}/{path}")
    assert feed.status == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert feed.text().startswith("BEGIN:VCALENDAR")

    page.get_by_role("button", name="Adressen vernieuwen").click()
    expect(page.get_by_text("Uw agenda-adressen zijn vernieuwd")).to_be_visible()
    assert page.get_by_label("Mijn activiteiten").input_value() != own
    assert page.request.get(f"{live_server.url}/{path}").status == 404
    check_page(page, axe_check, fits_narrow_screen)
