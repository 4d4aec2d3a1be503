"""The search index (m50.core.search): entries, their facets, and the full-text index beside them.

The full-text index is no model field, so it is made here per database:
- SQLite: an FTS5 table ``core_searchentry_fts`` (title, summary, body as normalised tokens;
  rowid = the entry's id), a trigger that deletes its row with the entry (also when Django
  flushes or cascades), and a narrow index of what the access check reads. A later migration
  that makes Django rebuild ``core_searchentry`` on SQLite drops that trigger and that index
  and must create them again.
- PostgreSQL: a ``document`` tsvector column (weights A/B/C for title/summary/body) with a GIN
  index.
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_CREATE = [
    # unicode61 without diacritics removal: the tokens are folded and stemmed in Python already.
    "CREATE VIRTUAL TABLE core_searchentry_fts USING fts5("
    "title, summary, body, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3')",
    # What the access check and the order of every match read, narrow, so a search over many
    # matches does not read their long texts (the search names it: INDEXED BY).
    "CREATE INDEX core_searchentry_match ON core_searchentry "
    "(id, access, kind, object_id, pillar_id, group_id, date)",
    "CREATE TRIGGER core_searchentry_fts_delete AFTER DELETE ON core_searchentry BEGIN "
    "DELETE FROM core_searchentry_fts WHERE rowid = old.id; END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_searchentry_fts_delete",
    "DROP INDEX IF EXISTS core_searchentry_match",
    "DROP TABLE IF EXISTS core_searchentry_fts",
]
POSTGRES_CREATE = [
    "ALTER TABLE core_searchentry ADD COLUMN document tsvector NOT NULL DEFAULT ''::tsvector",
    "CREATE INDEX core_searchentry_document ON core_searchentry USING gin (document)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS core_searchentry_document",
    "ALTER TABLE core_searchentry DROP COLUMN IF EXISTS document",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def full_text_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}.get(vendor, []))


def full_text_drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_reference_themes"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=40, verbose_name="soort")),
                ("object_id", models.BigIntegerField(verbose_name="object-id")),
                (
                    "access",
                    models.CharField(
                        choices=[
                            ("public", "openbaar"),
                            ("network", "netwerk"),
                            ("body", "pijler of themagroep"),
                            ("bureau", "bureau"),
                            ("confidential", "vertrouwelijk"),
                            ("restricted", "eigen regel"),
                        ],
                        max_length=20,
                        verbose_name="toegang",
                    ),
                ),
                ("pillar_id", models.BigIntegerField(blank=True, null=True, verbose_name="pijler")),
                (
                    "group_id",
                    models.BigIntegerField(blank=True, null=True, verbose_name="themagroep"),
                ),
                ("date", models.DateField(blank=True, null=True, verbose_name="datum")),
                ("url", models.CharField(max_length=500, verbose_name="adres")),
                ("title", models.CharField(max_length=500, verbose_name="titel")),
                ("summary", models.TextField(blank=True, verbose_name="samenvatting")),
                ("body", models.TextField(blank=True, verbose_name="tekst")),
            ],
            options={
                "verbose_name": "zoekindexregel",
                "verbose_name_plural": "zoekindex",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "object_id"), name="search_entry_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "access__in",
                                [
                                    "public",
                                    "network",
                                    "body",
                                    "bureau",
                                    "confidential",
                                    "restricted",
                                ],
                            )
                        ),
                        name="search_entry_access_valid",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="SearchFacet",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=40, verbose_name="naam")),
                ("value", models.CharField(max_length=200, verbose_name="waarde")),
            ],
            options={
                "verbose_name": "zoekfacet",
                "verbose_name_plural": "zoekfacetten",
                "constraints": [
                    models.UniqueConstraint(fields=("name", "value"), name="search_facet_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="SearchEntryFacet",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "entry",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="facets",
                        to="core.searchentry",
                    ),
                ),
                (
                    "facet",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.searchfacet",
                    ),
                ),
            ],
            options={
                "verbose_name": "facet van een zoekindexregel",
                "verbose_name_plural": "facetten van zoekindexregels",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("entry", "facet"), name="search_entry_facet_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(full_text_create, full_text_drop),
    ]
