"""Searching the corpus: Dutch matching, ranking, snippets, facets, pages and access.

Run on SQLite and on PostgreSQL (scripts/with_postgres.py): the expected results are the same
lists on both, so both databases give the same top results for the corpus.
"""

import pytest
from django.db import connection

from m50.core.models import Theme
from m50.core.search import index, query
from m50.core.search.access import Access, Viewer
from tests.core.search.conftest import (
    ANONYMOUS,
    BUREAU,
    PARTICIPANT,
    PUBLIC_AFFAIRS,
    VIEWERS,
    VISIBLE,
)

pytestmark = pytest.mark.django_db


def ids(results) -> list[int]:
    return [hit.object_id for hit in results.hits]


def found(text, viewer=BUREAU, **options) -> set[int]:
    return set(ids(query.search(text=text, viewer=viewer, **options)))


def test_gemeente_finds_gemeenten_and_woningen_finds_woning(corpus):
    assert found("gemeente") >= {1, 2, 5, 6}
    assert 2 in found("woningen")  # "een woning" in its body
    assert 1 in found("woning")  # "woningen" in its body


def test_accents_and_case_are_folded(corpus):
    assert found("beeindigd") == {3}
    assert found("BEËINDIGD") == {3}


def test_all_words_must_occur(corpus):
    assert found("jeugdzorg woningbouw") == {3}
    assert found("jeugdzorg kamerleden") == set()


def test_stop_words_are_not_searched_for(corpus):
    assert found("de jeugdzorg van het netwerk") == found("jeugdzorg netwerk") == {2, 3}
    results = query.search(text="de het van", viewer=BUREAU)
    assert results.hits == [] and results.total == 0
    assert "veelvoorkomende woorden" in results.message


def test_a_phrase_finds_its_words_in_order(corpus):
    assert found('"huis van de toekomst"') == {9}
    assert found('"toekomst van het huis"') == {10}
    assert found("huis toekomst") == {9, 10}


def test_a_prefix_finds_longer_words_but_a_compound_is_not_split(corpus):
    assert found("flexwon*") == {1}  # and the restricted 7, not asked for
    assert found("woningbouw*") == {1, 3, 5}
    # "woningbouw" is one word, not found by its end: "bouw" finds the "bouwen" of 1 only.
    assert found("bouw") == {1}
    assert found("zorg") == set()
    assert found("woning*") >= {1, 2, 3, 5}


def test_type_ahead_finds_a_word_being_typed(corpus):
    assert found("hertogen", prefix=True) == {796}
    assert found("s-hertogen", prefix=True) == {796}
    assert found("den bos", prefix=True) == {796}
    assert found("hertogen") == set()


def test_a_title_match_ranks_above_a_summary_match_above_a_body_match(db):
    for object_id, field in enumerate(["body", "summary", "title"]):
        text = {"title": "Notitie", "summary": "Een samenvatting.", "body": "Een tekst."}
        text[field] += " Fietsparkeren bij het station."
        index.entry_put(
            kind="knowledge", object_id=object_id, url="/k", access=Access.PUBLIC, **text
        )
    assert ids(query.search(text="fietsparkeren", viewer=ANONYMOUS)) == [2, 1, 0]


# The order of the hits for the corpus, asked by the bureau with the restricted activity allowed:
# the same on SQLite (bm25) and PostgreSQL (ts_rank_cd). Title above summary above body, a short
# text above a long one with the word as often.
SAME_ON_EVERY_DATABASE = [
    ("woningbouw", [("activity", 1), ("knowledge", 5), ("knowledge", 1), ("knowledge", 3)]),
    ("jeugdzorg", [("knowledge", 2), ("knowledge", 3)]),
    ("huis", [("knowledge", 9), ("knowledge", 10)]),
    ("toekomst", [("knowledge", 9), ("knowledge", 10)]),
    ("diemen", [("activity", 1), ("knowledge", 1)]),
    ("kamerleden", [("knowledge", 5), ("activity", 1)]),
    ("flexwoningen", [("knowledge", 1), ("activity", 1)]),
    (
        "gemeente*",
        [("knowledge", 1), ("knowledge", 2), ("knowledge", 4), ("knowledge", 6), ("knowledge", 5)],
    ),
    (
        "netwerk",
        [
            ("knowledge", 9),
            ("municipality", 796),
            ("activity", 1),
            ("knowledge", 4),
            ("knowledge", 10),
            ("knowledge", 3),
            ("knowledge", 6),
            ("knowledge", 5),
            ("knowledge", 2),
            ("knowledge", 1),
        ],
    ),
]


@pytest.mark.parametrize(("text", "top"), SAME_ON_EVERY_DATABASE)
def test_the_ranking_is_the_same_on_every_database(corpus, text, top):
    assert corpus["activity"] == 1  # the theme Wonen's id, as the expected lists name it
    results = query.search(
        text=text, viewer=BUREAU, restricted={"activity": Theme.objects.filter(slug="wonen")}
    )
    assert [(hit.kind, hit.object_id) for hit in results.hits] == top, connection.vendor
    ranks = [hit.rank for hit in results.hits]
    assert ranks == sorted(ranks, reverse=True)


def test_snippets_mark_the_matching_words_and_escape_the_rest(corpus):
    results = query.search(text="netwerk", viewer=ANONYMOUS, kinds=["knowledge"])
    by_id = {hit.object_id: hit for hit in results.hits}
    assert by_id[10].snippet_html == (
        "Een publicatie over &lt;script&gt;alert(1)&lt;/script&gt; en het <mark>netwerk</mark>."
    )
    assert str(by_id[1].title_html) == "Woningbouw versnellen in middelgrote gemeenten"
    results = query.search(text="woningen gemeente", viewer=ANONYMOUS)
    hit = next(hit for hit in results.hits if hit.object_id == 1)
    assert hit.title_html == "Woningbouw versnellen in middelgrote <mark>gemeenten</mark>"
    # The summary has "gemeenten"; the snippet comes from it, whole.
    assert hit.snippet_html == (
        "Hoe <mark>gemeenten</mark> met flexwoningen sneller bouwen voor starters."
    )


def test_a_snippet_of_a_long_text_is_cut_around_the_first_match(db):
    words = [f"woord{n}" for n in range(200)]
    words[100] = "Rekenkamer"
    index.entry_put(
        kind="knowledge", object_id=1, title="Lang", body=" ".join(words), url="/k", access="public"
    )
    hit = query.search(text="rekenkamer", viewer=ANONYMOUS).hits[0]
    assert hit.snippet_html.startswith("… woord92 ")
    assert "<mark>Rekenkamer</mark>" in hit.snippet_html
    assert hit.snippet_html.endswith("woord121 …")


def test_a_hit_without_a_match_in_its_text_shows_the_start_of_its_summary(corpus):
    hit = query.search(text="hertogenbosch", viewer=ANONYMOUS).hits[0]
    assert hit.title_html == "&#x27;s-<mark>Hertogenbosch</mark>"
    assert hit.snippet_html == "Den Bosch, hoofdstad van Noord-Brabant, lid van het netwerk."
    assert (hit.kind, hit.url, hit.date) == ("municipality", "/municipality/796", None)


def test_facets_count_the_visible_matches(corpus):
    results = query.search(text="netwerk", viewer=ANONYMOUS)
    assert results.total == 4
    assert results.facets["theme"] == [("wonen", 3)]
    assert results.facets["year"] == [("2021", 2), ("2024", 1)]
    assert results.facets["municipality"] == [("GM0384", 1), ("GM0796", 1)]
    assert results.facets["pillar"] == []
    assert results.kinds == [("knowledge", 3), ("municipality", 1)]


def test_filters_narrow_hits_total_and_facets(corpus):
    results = query.search(text="netwerk", viewer=BUREAU, filters={"theme": "jeugdzorg"})
    assert set(ids(results)) == {2, 3} and results.total == 2
    assert results.facets["theme"] == [("jeugdzorg", 2)]
    both = query.search(text="netwerk", viewer=BUREAU, filters={"theme": "wonen", "year": "2024"})
    assert set(ids(both)) == {1, 5}
    assert found("netwerk", kinds=["municipality"]) == {796}
    assert found("netwerk", kinds=[]) == set()


def test_pages(db):
    for n in range(45):
        index.entry_put(
            kind="knowledge", object_id=n, title=f"Verslag {n}", url="/k", access="public"
        )
    first = query.search(text="verslag", viewer=ANONYMOUS, per_page=20)
    assert (first.total, first.pages, len(first.hits)) == (45, 3, 20)
    assert first.has_next and not first.has_previous
    last = query.search(text="verslag", viewer=ANONYMOUS, per_page=20, page=3)
    assert len(last.hits) == 5 and not last.has_next and last.has_previous
    beyond = query.search(text="verslag", viewer=ANONYMOUS, per_page=20, page=99)
    assert beyond.page == 3 and ids(beyond) == ids(last)
    everything = {
        i for p in (1, 2, 3) for i in ids(query.search(text="verslag", viewer=ANONYMOUS, page=p))
    }
    assert everything == set(range(45))


@pytest.mark.parametrize("name", sorted(VIEWERS))
def test_each_viewer_sees_only_its_levels_in_hits_totals_and_facets(corpus, name):
    results = query.search(text="netwerk", viewer=VIEWERS[name], per_page=100)
    assert set(ids(results)) == VISIBLE[name] - {7}
    assert results.total == len(VISIBLE[name] - {7})
    visible_themes = {
        "anonymous": {"wonen": 3},
        "participant": {"wonen": 3, "jeugdzorg": 1},
        "pillar member": {"wonen": 3, "jeugdzorg": 2},
        "group member": {"wonen": 3, "jeugdzorg": 1, "mobiliteit": 1},
        "public affairs": {"wonen": 4, "jeugdzorg": 2, "mobiliteit": 1},
        "bureau": {"wonen": 4, "jeugdzorg": 2, "mobiliteit": 1, "gemeentefinancien": 1},
    }[name]
    assert dict(results.facets["theme"]) == visible_themes


def test_a_role_counts_only_when_logged_in(corpus):
    pretender = Viewer(authenticated=False, role="bureau", pillar_ids=frozenset({11}))
    assert found("netwerk", viewer=pretender) == VISIBLE["anonymous"]


def test_restricted_entries_need_their_kinds_subquery(corpus):
    wonen = Theme.objects.filter(slug="wonen")
    others = Theme.objects.exclude(slug="wonen")
    assert 7 not in {h.kind for h in query.search(text="werkbezoek", viewer=BUREAU).hits}
    assert query.search(text="werkbezoek", viewer=BUREAU).total == 0
    allowed = query.search(text="werkbezoek", viewer=ANONYMOUS, restricted={"activity": wonen})
    assert [(hit.kind, hit.object_id) for hit in allowed.hits] == [("activity", corpus["activity"])]
    assert allowed.facets["year"] == [("2025", 1)]
    refused = query.search(text="werkbezoek", viewer=BUREAU, restricted={"activity": others})
    assert refused.total == 0 and refused.facets["year"] == []
    # A subquery of another kind does not open this one; one of values works as well.
    other_kind = query.search(text="werkbezoek", viewer=BUREAU, restricted={"knowledge": wonen})
    assert other_kind.total == 0
    as_values = {"activity": Theme.objects.filter(slug="wonen").values("pk")}
    assert query.search(text="werkbezoek", viewer=PARTICIPANT, restricted=as_values).total == 1


def test_public_affairs_reads_confidential_but_not_the_bureaus_own(corpus):
    assert found("kamerleden", viewer=PUBLIC_AFFAIRS) == {5}
    assert found("begroting", viewer=PUBLIC_AFFAIRS) == set()
    assert found("begroting", viewer=BUREAU) == {4}


def test_snippets_mark_prefix_and_phrase_matches(corpus):
    hit = query.search(text="flexwon*", viewer=ANONYMOUS).hits[0]
    assert "<mark>flexwoningen</mark>" in hit.snippet_html
    hit = query.search(text='"huis van de toekomst"', viewer=ANONYMOUS).hits[0]
    assert hit.title_html == "Het <mark>huis</mark> van de <mark>toekomst</mark>"
