"""Type-ahead for the header's search box (``/zoeken/suggesties``): JSON of at most eight
things the visitor may see, the last word typed a prefix; never cached, never a 500."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from m50.core.search import index
from m50.core.search.access import Access as IndexAccess
from m50.knowledge import selectors
from m50.knowledge.models import Access
from tests.knowledge.conftest import published

pytestmark = pytest.mark.django_db
SUGGESTIONS = reverse("search:suggestions")


def suggested(client, user=None, text="") -> list[dict]:
    if user is not None and user.is_authenticated:
        client.force_login(user)
    response = client.get(SUGGESTIONS, {"zoek": text})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "private, no-store"
    return response.json()


def test_the_address_is_the_search_pages_with_suggesties():
    assert SUGGESTIONS == "/zoeken/suggesties"


def test_the_header_box_names_the_endpoint_and_loads_the_script_deferred(client):
    html = client.get(reverse("core:home")).content.decode()
    assert f'data-suggestions-url="{SUGGESTIONS}"' in html
    assert 'data-suggestions-label="Suggesties"' in html
    assert re.search(r'<script src="[^"]*/m50/typeahead\.js" defer></script>', html)
    # Without the script the box is the plain form it was: no combobox role in the HTML.
    assert 'role="combobox"' not in html


def test_a_word_being_typed_finds_the_item_it_begins(client, people):
    item = published(
        people["bureau"], title="Woningbouw versnellen in Diemen", access=Access.PUBLIC
    )
    published(people["bureau"], title="Fietsbeleid", access=Access.PUBLIC)
    assert suggested(client, text="wonin") == [
        {"title": item.title, "kind": "Kennis", "url": item.get_absolute_url()}
    ]
    # Earlier words are whole words; only the last is being typed.
    assert [s["url"] for s in suggested(client, text="versnellen woningb")] == [
        item.get_absolute_url()
    ]
    assert suggested(client, text="versnel woningb") == []


@pytest.mark.parametrize("who", ["anonymous", "official", "sociaal_member", "public_affairs"])
def test_a_bureau_item_is_never_suggested_to_others(client, people, who):
    published(people["bureau"], title="Woningbouw openbaar", access=Access.PUBLIC)
    published(people["bureau"], title="Woningbouw intern", access=Access.BUREAU)
    titles = [s["title"] for s in suggested(client, people[who], text="woningb")]
    assert titles == ["Woningbouw openbaar"]


def test_the_bureau_is_suggested_its_own_and_anonymous_only_public_items(client, people):
    bureau = people["bureau"]
    published(bureau, title="Woningbouw openbaar", access=Access.PUBLIC)
    published(bureau, title="Woningbouw netwerk", access=Access.NETWORK)
    published(bureau, title="Woningbouw intern", access=Access.BUREAU)
    assert {s["title"] for s in suggested(client, text="woningb")} == {"Woningbouw openbaar"}
    assert {s["title"] for s in suggested(client, people["official"], text="woningb")} == {
        "Woningbouw openbaar",
        "Woningbouw netwerk",
    }
    client.logout()
    assert {s["title"] for s in suggested(client, bureau, text="woningb")} == {
        "Woningbouw openbaar",
        "Woningbouw netwerk",
        "Woningbouw intern",
    }


def test_at_most_eight(client, people):
    _entries(12, 0)
    assert len(suggested(client, text="parkeer")) == 8


@pytest.mark.parametrize("text", ["", "w", " w ", "    "])
def test_less_than_two_characters_suggest_nothing(client, people, text, django_assert_num_queries):
    published(people["bureau"], title="Woningbouw", access=Access.PUBLIC)
    with django_assert_num_queries(0):
        assert suggested(client, text=text) == []


@pytest.mark.parametrize(
    "text",
    [
        "x" * 10_000,
        "woningbouw " * 2_000,
        "?!.,;:()[]{}",
        '"""',
        "***",
        "de het een",
        "\x00\x01 wo\x00",
        "' OR 1=1 --",
        'NEAR(a b) "',
    ],
)
def test_bad_input_suggests_nothing_and_is_no_error(client, people, text):
    published(people["bureau"], title="Openbaar stuk", access=Access.PUBLIC)
    assert suggested(client, text=text) == []


def test_without_a_search_parameter_nothing(client):
    response = client.get(SUGGESTIONS)
    assert response.status_code == 200 and response.json() == []


def _entries(count: int, start: int) -> None:
    """``count`` public entries of the library's kind (straight into the index: the endpoint
    reads only the index)."""
    for number in range(start, start + count):
        index.entry_put(
            kind=selectors.SEARCH_KIND,
            object_id=100_000 + number,
            title=f"Handreiking parkeerbeleid {number}",
            body="Parkeren in de binnenstad van middelgrote gemeenten.",
            url=f"/kennis/{100_000 + number}/",
            access=IndexAccess.PUBLIC,
            facets={"theme": ["mobiliteit"], "year": [str(2000 + number % 20)]},
        )


@pytest.mark.parametrize("who", ["anonymous", "official", "sociaal_member", "bureau"])
def test_the_suggestions_cost_the_same_queries_for_10_and_1000_entries(client, people, who):
    user = people[who]
    if user.is_authenticated:
        client.force_login(user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(SUGGESTIONS, {"zoek": "handreiking parkeer"})
            assert response.status_code == 200
            assert len(response.json()) == 8
        return len(context.captured_queries)

    _entries(10, 0)
    small = queries()
    _entries(990, 10)
    assert queries() == small
