"""The SQLite full-text index keeps its words' first two to six letters (was two and three).

A search for ``woning*`` or a word being typed in the header's box reads one prepared list of
the entries with words so beginning, where FTS5 otherwise merges the lists of every such word,
in each statement that asks: a prefix of four letters in half of 100,000 entries took 6 ms to
count, now 2.5 (``bench/bench_search.py``). It doubles the index's size (from 1.2 to 2.5 kB an
entry of the benchmark's text).

FTS5 takes its options only when a table is made: the table is made anew beside the old one,
filled from it (its words are stored normalised already), and put in its place. The trigger
that deletes an entry's row names the table, so it is dropped for the swap and made again.
PostgreSQL: nothing changes (its index matches a prefix from the words themselves).
"""

from django.db import migrations

TABLE = "core_searchentry_fts"
TRIGGER = "core_searchentry_fts_delete"
COPY = f"{TABLE}_new"


def _create(name: str, prefixes: str) -> str:
    return (
        f"CREATE VIRTUAL TABLE {name} USING fts5(title, summary, body, "
        f"tokenize = 'unicode61 remove_diacritics 0', prefix = '{prefixes}')"
    )


def _swap(prefixes: str) -> list[str]:
    return [
        _create(COPY, prefixes),
        f"INSERT INTO {COPY} (rowid, title, summary, body) "  # noqa: S608 - constant names
        f"SELECT rowid, title, summary, body FROM {TABLE}",
        f"DROP TRIGGER IF EXISTS {TRIGGER}",
        f"DROP TABLE {TABLE}",
        f"ALTER TABLE {COPY} RENAME TO {TABLE}",
        f"CREATE TRIGGER {TRIGGER} AFTER DELETE ON core_searchentry BEGIN "  # noqa: S608
        f"DELETE FROM {TABLE} WHERE rowid = old.id; END",
    ]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in statements:
        schema_editor.execute(statement)


def prefixes_widen(apps, schema_editor):
    _run(schema_editor, _swap("2 3 4 5 6"))


def prefixes_narrow(apps, schema_editor):
    _run(schema_editor, _swap("2 3"))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_search_index"),
    ]

    operations = [
        migrations.RunPython(prefixes_widen, prefixes_narrow, elidable=False),
    ]
