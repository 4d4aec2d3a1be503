"""Type-ahead in the header's search box: a participant types the start of a word, sees what
they may see as options of a listbox (not the bureau's own), chooses one with the keyboard and
lands on its page; axe-core finds no violation with the list open, nor at 320 px."""

from playwright.sync_api import expect

from m50.knowledge.models import Access
from tests.activities.conftest import participant
from tests.e2e.test_pillars import log_in_as
from tests.factories import UserFactory
from tests.knowledge.conftest import published
from tests.pillars.conftest import municipality_organisation


def test_a_participant_chooses_a_suggestion_with_the_keyboard(
    page, live_server, axe_check, fits_narrow_screen
):
    bureau = UserFactory(role="bureau")
    item = published(
        bureau,
        title="Woningbouw versnellen in Zeewolde",
        note_what="Tachtig flexwoningen in een jaar.",
        access=Access.NETWORK,
    )
    published(bureau, title="Woningbouw: interne notitie", access=Access.BUREAU)
    official = participant(municipality_organisation("Zeewolde"))
    log_in_as(page, live_server, official)

    box = page.get_by_role("search", name="Zoeken in het platform").get_by_role(
        "combobox", name="Zoekwoorden"
    )
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press_sequentially("wonin", delay=30)
    listbox = page.get_by_role("listbox", name="Suggesties")
    option = listbox.get_by_role("option", name="Woningbouw versnellen in Zeewolde")
    expect(option).to_be_visible()
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("status")).to_have_text("1 suggestie, kies met de pijltjestoetsen.")
    axe_check()
    fits_narrow_screen()
    expect(option).to_be_visible()
    axe_check()
    page.set_viewport_size({"width": 1280, "height": 900})

    # Escape closes the list; ArrowDown opens it again on its first option, Enter opens that.
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    box.press("Enter")
    page.wait_for_url(f"{live_server.url}{item.get_absolute_url()}")
    expect(page.locator("h1")).to_have_text("Woningbouw versnellen in Zeewolde")
