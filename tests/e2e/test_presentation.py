"""Presentation in the browser: the dossier's decisions at 1280 px, the finance tabs."""

from playwright.sync_api import expect

from m50.accounts.models import Role

DESKTOP = {"width": 1280, "height": 900}


def test_the_decisions_table_fits_a_1280_px_screen(page, live_server, login, axe_check):
    login(Role.BUREAU)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/gemeenten/GM0384/")
    region = page.get_by_role("region", name="Besluiten over het lidmaatschap van Diemen")
    expect(region).to_be_visible()
    overflow = region.evaluate("element => element.scrollWidth - element.clientWidth")
    assert overflow <= 0, f"de besluitentabel is {overflow}px te breed bij 1280px"
    expect(region.get_by_role("cell", name="16-05-2023").first).to_be_visible()
    axe_check()


def test_the_finance_tabs_show_the_current_page_without_overlap(
    page, live_server, login, axe_check
):
    login(Role.BUREAU)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/financien/facturen/")
    nav = page.get_by_role("navigation", name="Financiën")
    current = nav.locator("[aria-current=page]")
    expect(current).to_have_count(1)
    expect(current).to_have_text("Facturen")
    assert current.evaluate("el => getComputedStyle(el).fontWeight") == "700"
    items = nav.get_by_role("listitem")
    assert items.first.evaluate("el => getComputedStyle(el).listStyleType") == "none"
    boxes = [items.nth(i).bounding_box() for i in range(items.count())]
    for left, right in zip(boxes, boxes[1:], strict=False):
        same_row = abs(left["y"] - right["y"]) < 1
        assert not same_row or left["x"] + left["width"] <= right["x"], "tabs overlap"
    axe_check()
