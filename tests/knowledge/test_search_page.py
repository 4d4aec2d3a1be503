"""The search page (``/zoeken/``) and the search box in every page's header: ranked hits with
the words found marked, filters with counts, pages, the municipalities the words name, and
for each visitor only what they may see — in the hits, the total and every count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from m50.core.models import Theme
from m50.core.search import index
from m50.core.search.access import Access as IndexAccess
from m50.knowledge import selectors
from m50.knowledge.models import Access, Kind
from tests.knowledge.conftest import published
from tests.membership.builders import text

pytestmark = pytest.mark.django_db
SEARCH = reverse("search:page")


def page(client, user=None, **params) -> str:
    if user is not None and user.is_authenticated:
        client.force_login(user)
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return response.content.decode()


def test_every_page_has_the_search_box_in_its_header(client):
    home = client.get(reverse("core:home")).content.decode()
    assert f'action="{SEARCH}"' in home
    assert 'name="zoek"' in home and 'role="search"' in home


def test_a_hit_links_to_the_item_with_the_words_marked(client, people):
    wonen = Theme.objects.get(slug="wonen")
    item = published(
        people["bureau"],
        title="Starterswoningen in Diemen",
        note_what="Tweehonderd woningen voor starters gebouwd.",
        access=Access.PUBLIC,
        themes=[wonen],
    )
    html = page(client, zoek="woning")
    assert f'href="{item.get_absolute_url()}"' in html
    assert "<mark>woningen</mark>" in html
    assert "1 resultaat voor “woning”" in text(html)
    assert "Wonen (1)" in text(html)
    assert "voorbeeld (1)" in text(html)
    assert "Kennis (1)" in text(html)
    # Narrowed to what is knowledge: the same hit, the kind's link now takes it off.
    narrowed = page(client, zoek="woning", wat="kennisitem")
    assert f'href="{item.get_absolute_url()}"' in narrowed
    assert 'href="?zoek=woning" aria-current="true"' in narrowed
    assert "0 resultaten" in text(page(client, zoek="woning", wat="activiteit"))


def test_a_filter_narrows_and_choosing_it_again_takes_it_off(client, people):
    wonen, jeugdzorg = Theme.objects.get(slug="wonen"), Theme.objects.get(slug="jeugdzorg")
    bureau = people["bureau"]
    published(bureau, title="Wijkaanpak wonen", access=Access.PUBLIC, themes=[wonen])
    published(bureau, title="Wijkaanpak jeugd", access=Access.PUBLIC, themes=[jeugdzorg])
    assert "2 resultaten" in text(page(client, zoek="wijkaanpak"))
    html = page(client, zoek="wijkaanpak", thema="wonen")
    assert "1 resultaat" in text(html)
    assert "Wijkaanpak wonen" in text(html) and "Wijkaanpak jeugd" not in text(html)
    # The chosen value links to the same search without it.
    assert 'href="?zoek=wijkaanpak" aria-current="true"' in html


def test_what_a_visitor_may_not_see_is_in_no_hit_total_or_count(client, people):
    bureau = people["bureau"]
    wonen = Theme.objects.get(slug="wonen")
    published(bureau, title="Openbaar geheim", access=Access.PUBLIC)
    published(bureau, title="Intern geheim", access=Access.BUREAU, themes=[wonen])
    html = text(page(client, people["official"], zoek="geheim"))
    assert "1 resultaat" in html
    assert "Openbaar geheim" in html
    assert "Intern" not in html and "Wonen" not in html
    client.logout()
    assert "2 resultaten" in text(page(client, bureau, zoek="geheim"))


def test_stop_words_only_say_so_and_an_empty_box_searches_nothing(client, people):
    published(people["bureau"], title="De gemeente", access=Access.PUBLIC)
    assert "veelvoorkomende woorden" in text(page(client, zoek="de het"))
    html = text(page(client))
    assert "resultaat" not in html and "Niets gevonden" not in html


def test_the_municipalities_the_words_name_are_listed(client, people, diemen):
    html = page(client, zoek="diemen")
    code = diemen.municipality.code
    assert f'href="{reverse("municipalities:detail", args=[code])}"' in html


def test_the_hits_come_in_pages(client, people):
    bureau = people["bureau"]
    for number in range(23):
        published(bureau, title=f"Fietsbeleid {number}", access=Access.PUBLIC)
    first = text(page(client, zoek="fietsbeleid"))
    assert "23 resultaten" in first and "Pagina 1 van 2" in first
    second = text(page(client, zoek="fietsbeleid", pagina="2"))
    assert "Pagina 2 van 2 (resultaat 21 tot en met 23)" in second
    # A page past the last, or not a number, is still a page.
    assert "Pagina 2 van 2" in text(page(client, zoek="fietsbeleid", pagina="99"))
    assert "Pagina 1 van 2" in text(page(client, zoek="fietsbeleid", pagina="x"))


def _entries(count: int, start: int) -> None:
    """``count`` public entries of the library's kind with every facet (straight into the
    index: the page reads only the index and the labels)."""
    for number in range(start, start + count):
        index.entry_put(
            kind=selectors.SEARCH_KIND,
            object_id=100_000 + number,
            title=f"Handreiking parkeerbeleid {number}",
            body="Parkeren in de binnenstad van middelgrote gemeenten.",
            url=f"/kennis/{100_000 + number}/",
            access=IndexAccess.PUBLIC,
            facets={
                "kind": [Kind.GUIDE.value],
                "theme": ["mobiliteit", "wonen"],
                "pillar": ["ruimtelijk"],
                "year": [str(2000 + number % 20)],
                "municipality": ["GM0384"],
            },
        )


@pytest.mark.parametrize("who", ["anonymous", "official", "sociaal_member", "bureau"])
def test_the_page_costs_the_same_queries_for_10_and_1000_entries(client, people, diemen, who):
    user = people[who]
    if user.is_authenticated:
        client.force_login(user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(SEARCH, {"zoek": "parkeerbeleid", "thema": "wonen"})
            assert response.status_code == 200
        return len(context.captured_queries)

    _entries(10, 0)
    small = queries()
    _entries(990, 10)
    assert queries() == small


def test_a_large_result_says_its_counts_are_estimated(client, people, monkeypatch):
    from m50.core.search import query

    monkeypatch.setattr(query, "EXACT_LIMIT", 50)
    monkeypatch.setattr(query, "SAMPLE", 100)
    monkeypatch.setattr(query, "MIN_SAMPLE", 10)
    monkeypatch.setattr(query, "ESTIMATED_PAGES", 4)
    _entries(300, 0)
    html = text(page(client, zoek="parkeerbeleid"))
    assert "Ongeveer" in html and "resultaten voor “parkeerbeleid”" in html
    assert "Zoveel resultaten worden geschat" in html
    assert "Mobiliteit (ca. " in html
    # No more pages than the search gives, however many it estimates.
    assert "Pagina 1 van 4" in html
    last = text(page(client, zoek="parkeerbeleid", pagina="9"))
    assert "Pagina 4 van 4 (resultaat 61 tot en met 80)" in last
    # Counted one by one, a narrower search says exactly how many.
    exact = text(page(client, zoek="parkeerbeleid 12"))
    assert "1 resultaat voor" in exact and "Ongeveer" not in exact and "ca." not in exact
