"""Keeping the index in step: replacing and deleting entries, rebuilding from the providers,
checking, and a search's cost that does not grow with the index."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from m50.core.models import AuditEvent, SearchEntry, SearchEntryFacet
from m50.core.search import backends, index, query
from m50.core.search.access import Access
from m50.core.search.index import EntryData
from tests.core.search.conftest import ANONYMOUS, BUREAU, PARTICIPANT

pytestmark = pytest.mark.django_db


def found(text, viewer=BUREAU) -> list[tuple[str, int]]:
    return [(hit.kind, hit.object_id) for hit in query.search(text=text, viewer=viewer).hits]


def put(**fields) -> None:
    index.entry_put(**{"kind": "knowledge", "object_id": 1, "url": "/k/1", **fields})


def test_entry_put_replaces_the_entry_its_facets_and_its_text():
    put(title="Parkeerbeleid", access=Access.PUBLIC, facets={"theme": ["mobiliteit"]})
    put(
        title="Laadpalen",
        body="Snelladen in de wijk.",
        access=Access.NETWORK,
        date=datetime.date(2024, 1, 2),
        facets={"theme": ["klimaat-en-energie"], "year": ["2024"]},
    )
    assert SearchEntry.objects.count() == 1
    assert found("parkeerbeleid") == []
    assert found("laadpalen") == [("knowledge", 1)]
    assert found("laadpalen", viewer=ANONYMOUS) == []
    results = query.search(text="snelladen", viewer=PARTICIPANT)
    assert results.facets["theme"] == [("klimaat-en-energie", 1)]
    assert results.hits[0].date == datetime.date(2024, 1, 2)
    assert backends.documents_count() == 1


def test_entry_delete_removes_it_and_its_facets():
    put(title="Parkeerbeleid", access="public", facets={"theme": ["mobiliteit"]})
    put(title="Parkeerbeleid", object_id=2, access="public")
    index.entry_delete(kind="knowledge", object_id=1)
    index.entry_delete(kind="knowledge", object_id=99)  # none: nothing happens
    assert found("parkeerbeleid") == [("knowledge", 2)]
    assert not SearchEntryFacet.objects.exists()
    assert backends.documents_count() == 1 and index.index_documents_in_step()


@pytest.mark.parametrize(
    "fields",
    [
        {"access": "geheim"},
        {"access": "public", "kind": ""},
        {"access": "public", "url": ""},
        {"access": "public", "facets": {"theme": ["x" * 201]}},
    ],
)
def test_bad_entries_are_refused_and_change_nothing(fields):
    put(title="Parkeerbeleid", access="public")
    with pytest.raises(ValidationError):
        put(title="Vervangen", **fields)
    assert found("parkeerbeleid") == [("knowledge", 1)]
    assert SearchEntry.objects.get().title == "Parkeerbeleid"


def test_an_entry_follows_its_callers_transaction():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        put(title="Parkeerbeleid", access="public")
        raise RuntimeError
    assert found("parkeerbeleid") == [] and backends.documents_count() == 0


def _provider(titles: dict[int, str]):
    def entries():
        for object_id, title in titles.items():
            yield EntryData(
                kind="pillar",
                object_id=object_id,
                title=title,
                url=f"/pijlers/{object_id}",
                access=Access.PUBLIC,
                facets={"pillar": [title.lower()]},
            )

    return entries


def run(*args) -> str:
    out = io.StringIO()
    call_command("rebuild-search-index", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_rebuild_writes_every_providers_entries_and_check_finds_differences(no_providers):
    titles = {1: "Ruimtelijk", 2: "Sociaal", 3: "Financieel"}
    index.provider_register("pillar", _provider(titles))
    put(title="Vergeten kennisitem", access="public")  # a kind no provider gives
    with pytest.raises(CommandError, match="wijkt op 4 punten af"):
        run("--check")
    assert SearchEntry.objects.count() == 1  # --check wrote nothing

    output = run()
    assert "pillar: 3 regels; 3 ontbraken, 0 weken af, 0 waren overbodig." in output
    assert "knowledge: 0 regels; 0 ontbraken, 0 weken af, 1 waren overbodig." in output
    assert found("sociaal") == [("pillar", 2)]
    assert found("kennisitem") == []
    event = AuditEvent.objects.get(action="search.rebuild")
    assert event.changes["regels"] == {"old": 1, "new": 3}
    assert "De zoekindex is in orde." in run("--check")

    titles[2] = "Samenleving"
    del titles[3]
    titles[4] = "Duurzaamheid"
    with pytest.raises(CommandError, match="wijkt op 3 punten af"):
        run("--check")
    output = run()
    assert "pillar: 3 regels; 1 ontbraken, 1 weken af, 1 waren overbodig." in output
    assert found("samenleving") == [("pillar", 2)] and found("financieel") == []
    assert "De zoekindex is in orde." in run("--check")


def test_check_notices_a_full_text_index_out_of_step(no_providers):
    index.provider_register("pillar", _provider({1: "Ruimtelijk"}))
    run()
    SearchEntry.objects.filter(kind="pillar").update(title="Ruimtelijk")  # same: no difference
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM core_searchentry_fts")
        else:
            cursor.execute("UPDATE core_searchentry SET document = ''::tsvector")
    with pytest.raises(CommandError, match="wijkt op 1 punt af"):
        run("--check")
    run()
    assert found("ruimtelijk") == [("pillar", 1)]


def test_a_provider_may_yield_mappings(no_providers):
    index.provider_register(
        "knowledge",
        lambda: [
            {"object_id": 5, "title": "Handreiking", "url": "/k/5", "access": "network"},
            # The level by its name, as the library gives it; empty facet lists are none.
            {
                "kind": "knowledge",
                "object_id": 6,
                "title": "Handreiking concept",
                "url": "/k/6",
                "access": "RESTRICTED",
                "facets": {"pillar": [], "year": ["2024"]},
            },
        ],
    )
    run()
    assert found("handreiking") == [("knowledge", 5)]
    assert SearchEntry.objects.get(object_id=6).access == Access.RESTRICTED
    assert "De zoekindex is in orde." in run("--check")


def _bulk(count: int) -> None:
    index.provider_register(
        "knowledge",
        lambda: (
            EntryData(
                kind="knowledge",
                object_id=n,
                title=f"Voorbeeld {n} over woningbouw",
                summary="Een voorbeeld van een gemeente.",
                # Bodies of different lengths rank differently, as real texts do.
                body="Het netwerk deelt dit voorbeeld." + " Met een toelichting." * (n % 40),
                url=f"/k/{n}",
                access=[Access.PUBLIC, Access.NETWORK, Access.BODY, Access.RESTRICTED][n % 4],
                pillar_id=n % 3,
                date=datetime.date(2020 + n % 5, 1, 1),
                facets={"theme": ["wonen"], "year": [str(2020 + n % 5)], "kind": ["voorbeeld"]},
            )
            for n in range(count)
        ),
    )
    index.index_rebuild()


@pytest.mark.parametrize(
    ("count", "exact_limit"),
    [(10, query.EXACT_LIMIT), (1000, query.EXACT_LIMIT), (1000, 100)],
    ids=["10", "1000", "1000-estimated"],
)
def test_a_search_costs_four_queries_for_10_and_for_1000_entries(
    no_providers, django_assert_num_queries, monkeypatch, count, exact_limit
):
    from m50.core.models import Theme

    # The third case counts from a sample and picks the page from the best-ranked matches.
    monkeypatch.setattr(query, "EXACT_LIMIT", exact_limit)
    monkeypatch.setattr(query, "SAMPLE", 500)
    monkeypatch.setattr(query, "MIN_SAMPLE", 10)
    _bulk(count)
    viewer = PARTICIPANT.__class__(
        authenticated=True, role="participant", pillar_ids=frozenset({1}), group_ids=frozenset()
    )
    with django_assert_num_queries(4):
        results = query.search(
            text="voorbeelden woningbouw",
            viewer=viewer,
            filters={"year": "2021"},
            restricted={"knowledge": Theme.objects.all()},
        )
    assert results.total and results.hits and results.facets["year"] == [("2021", results.total)]
    with django_assert_num_queries(4):
        assert query.search(text="gemeente", viewer=ANONYMOUS, page=2).total


def test_a_query_of_stop_words_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert query.search(text="de van het", viewer=BUREAU).message
