"""Migration 0007 makes the SQLite full-text index anew with more prefix lengths: what was
indexed stays found, and deleting an entry still deletes its row (the trigger made again)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from m50.core.search import backends, query
from tests.core.search.conftest import BUREAU, CORPUS, put

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("core", "0006_search_index")]
AFTER = [("core", "0007_search_prefixes")]


def _migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def _options() -> str:
    if connection.vendor != "sqlite":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [backends.FTS])
        return cursor.fetchone()[0]


def _found(text: str) -> list[int]:
    return sorted(h.object_id for h in query.search(text=text, viewer=BUREAU).hits)


def test_the_index_made_anew_keeps_its_rows_and_its_trigger():
    for row in CORPUS[:3]:
        put(row)
    woningbouw = _found("woningb*")
    assert woningbouw == [1, 3]
    try:
        _migrate(BEFORE)
        if connection.vendor == "sqlite":
            assert "prefix = '2 3')" in _options()
        assert _found("woningb*") == woningbouw
        _migrate(AFTER)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    if connection.vendor == "sqlite":
        assert "prefix = '2 3 4 5 6')" in _options()
    assert _found("woningb*") == woningbouw
    assert _found("jeugdzorg") == [2, 3]
    # The trigger deletes the full-text row with its entry.
    from m50.core.models import SearchEntry

    SearchEntry.objects.filter(object_id=2).delete()
    assert _found("jeugdzorg") == [3]
    assert backends.documents_count() == SearchEntry.objects.count()
