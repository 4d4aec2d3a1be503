"""Search in the browser: a participant finds a member's example by a word in its PDF through
the search box in the header, narrows by theme, and sees no item that is not theirs to see;
axe-core on the search page, also narrowed to 320 px. Without JavaScript the box works too."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from m50.core.models import Theme
from m50.knowledge import services
from m50.knowledge.models import Access, Form, Kind
from tests.activities.conftest import participant
from tests.e2e.test_pillars import log_in_as
from tests.e2e.test_registry import check_page
from tests.factories import UserFactory
from tests.knowledge.conftest import pdf_bytes
from tests.pillars.conftest import municipality_organisation


def _example(bureau, title, words, access, themes):
    item = services.item_create(
        actor=bureau,
        form=Form.DOCUMENT,
        kind=Kind.EXAMPLE,
        title=title,
        summary="Een voorbeeld van een lid.",
        access=access,
        themes=themes,
        uploaded_file=SimpleUploadedFile("voorbeeld.pdf", pdf_bytes(words)),
    )
    return services.item_accept(actor=bureau, item=item)


def test_a_participant_finds_an_example_by_a_word_in_its_pdf(
    page, live_server, axe_check, fits_narrow_screen, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    bureau = UserFactory(role="bureau")
    wonen = Theme.objects.get(slug="wonen")
    mobiliteit = Theme.objects.get(slug="mobiliteit")
    _example(
        bureau,
        "Flexwonen voor spoedzoekers",
        "Zeewolde bouwde tachtig tijdelijke woningen voor spoedzoekers.",
        Access.NETWORK,
        [wonen],
    )
    _example(
        bureau,
        "Deelauto's voor spoedzoekers",
        "Spoedzoekers kregen een deelauto op proef.",
        Access.NETWORK,
        [mobiliteit],
    )
    _example(
        bureau, "Interne notitie spoedzoekers", "Alleen voor het bureau.", Access.BUREAU, [wonen]
    )
    official = participant(municipality_organisation("Zeewolde"))

    log_in_as(page, live_server, official)

    def heading(name):
        return page.get_by_role("heading", level=2, name=name)

    page.get_by_role("search", name="Zoeken in het platform").get_by_label("Zoekwoorden").fill(
        "spoedzoeker"
    )
    page.get_by_role("search", name="Zoeken in het platform").get_by_role(
        "button", name="Zoeken"
    ).click()
    expect(page.locator("h1")).to_have_text("Zoeken")
    expect(
        page.get_by_role("heading", level=2, name="2 resultaten voor “spoedzoeker”")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Flexwonen voor spoedzoekers")).to_be_visible()
    expect(page.get_by_text("Interne notitie")).to_have_count(0)
    expect(page.locator("mark", has_text="spoedzoekers").first).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)

    # Narrowed to the theme Wonen: one hit; choosing it again takes the filter off.
    page.get_by_role("link", name="Wonen (1)").click()
    expect(
        page.get_by_role("heading", level=2, name="1 resultaat voor “spoedzoeker”")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Deelauto's voor spoedzoekers")).to_have_count(0)
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("link", name=re.compile(r"^Wonen \(1\).*gekozen")).click()
    expect(
        page.get_by_role("heading", level=2, name="2 resultaten voor “spoedzoeker”")
    ).to_be_visible()

    # A word of the PDF alone, not in any title or summary, finds it as well.
    page.goto(f"{live_server.url}/zoeken/?zoek=tijdelijke+woning")
    expect(page.get_by_role("link", name="Flexwonen voor spoedzoekers")).to_be_visible()


def test_the_search_box_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    page.goto(live_server.url + "/")
    box = page.get_by_role("search", name="Zoeken in het platform")
    box.get_by_label("Zoekwoorden").fill("de het")
    box.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_text("veelvoorkomende woorden", exact=False)).to_be_visible()
    context.close()
