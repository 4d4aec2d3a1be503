"""Reading and inserting the sync's rows in plain SQL, for its hot path.

A re-sync of 50,000 motions reads some 800,000 records and must compare each with the stored
one; the ORM's per-value preparation and conversion (a UUID and a datetime per row, each way)
cost more than the comparison itself. Here each value is converted once, by the database
backend's own adapters (``connection.ops``), so the rows are the same as the ORM would write.
Updates, deletes and everything else still go through the ORM.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, models

# For a run of the sync on SQLite (see :func:`sqlite_tuned`): reads through a memory map of
# the file (at most 256 MiB) instead of a system call per page (a re-sync of 50,000 motions
# looks up 850,000 ids: 7.6 s of CPU against 6.3 s mapped), and a checkpoint of the
# write-ahead log every 64 MiB instead of every 4 MiB (each checkpoint is a flush to disk).
SQLITE_RUN_PRAGMAS = {"mmap_size": 2**28, "wal_autocheckpoint": 16_384}


def aware(value) -> datetime.datetime | None:
    """A stored datetime as an aware one: SQLite keeps it in UTC without zone (as text, or
    parsed by the driver), PostgreSQL gives it aware."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)


def _sqlite_datetime(value: datetime.datetime) -> str:
    """What SQLite's backend stores for an aware datetime (naive UTC, as text), without its
    checks per call: a first sync inserts 850,000 of them."""
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return str(value)


@contextmanager
def sqlite_tuned() -> Iterator[None]:
    """SQLite's connection set for a long run of pages, and set back after it; on other
    databases nothing. The map is of the database file (the operating system's page cache,
    shared and reclaimable), not the process's own memory."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        before = {}
        for name, value in SQLITE_RUN_PRAGMAS.items():
            cursor.execute(f"PRAGMA {name}")
            before[name] = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA {name} = {int(value)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in before.items():
                cursor.execute(f"PRAGMA {name} = {int(value)}")


_UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# See Table._statistics_keep.
ANALYZE_AFTER = 2_000


@contextmanager
def _server_cursor():
    """On PostgreSQL, a cursor of psycopg's own that binds parameters at the server, in the
    transaction the sync runs in. Django's binds them in the client, quoting each of the 250
    ids of a page as text; this one sends them in binary. It passes Django's query log by."""
    import psycopg

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        yield cursor


class Table:
    """One model's table: its rows by Tweede Kamer id, and bulk inserts."""

    _tables: dict[type[models.Model], Table] = {}

    @classmethod
    def of(cls, model: type[models.Model]) -> Table:
        if model not in cls._tables:
            cls._tables[model] = cls(model)
        return cls._tables[model]

    @classmethod
    def statistics_forget(cls) -> None:
        """Count inserts from zero again (at the start of a run): a run that inserts fewer
        than ``ANALYZE_AFTER`` rows into a table never analyzes it."""
        for table in cls._tables.values():
            table.analyzed_rows, table.unanalyzed = None, 0

    def __init__(self, model: type[models.Model]):
        quote = connection.ops.quote_name
        self.model = model
        self.name = quote(model._meta.db_table)
        self.pk_column = quote(model._meta.pk.column)
        self.native_uuid = connection.features.has_native_uuid_field
        self.sqlite = connection.vendor == "sqlite"
        self.fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        columns = ", ".join(quote(field.column) for field in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        # Names from the model's own metadata, values as parameters.
        self.insert_sql = f"INSERT INTO {self.name} ({columns}) VALUES ({marks})"  # noqa: S608
        self.copy_sql = f"COPY {self.name} ({columns}) FROM STDIN"
        # Rows inserted since the planner's statistics were taken (PostgreSQL).
        self.analyzed_rows: int | None = None
        self.unanalyzed = 0
        # What the ORM would store for a field left out ("" for text, None for a link).
        self.defaults = {field.attname: field.get_default() for field in self.fields}
        self.adapters = [self._adapter(field) for field in self.fields]

    def _adapter(self, field: models.Field):
        ops = connection.ops
        if isinstance(field, models.UUIDField):
            return None if self.native_uuid else (lambda value: value.hex)
        if isinstance(field, models.DateTimeField):
            if self.sqlite and settings.USE_TZ and connection.timezone_name == "UTC":
                return _sqlite_datetime
            return ops.adapt_datetimefield_value
        if isinstance(field, models.DateField):
            return ops.adapt_datefield_value
        if isinstance(field, models.JSONField):
            return lambda value: field.get_db_prep_save(value, connection)
        return None

    def key(self, tk_id: uuid.UUID) -> str:
        """``tk_id`` as :meth:`_select` gives it back: its canonical text on PostgreSQL (lower
        case, with hyphens), SQLite's 32 hex digits."""
        return str(tk_id) if self.native_uuid else tk_id.hex

    def key_of_text(self, tk_text: str) -> str:
        """:meth:`key` of an id in its canonical text form, without making a UUID of it (a
        re-sync of 50,000 motions reads 850,000 ids)."""
        if self.native_uuid:
            # Checked as the UUID type would check it, which the database does again.
            if len(tk_text) != 36 or not _UUID_TEXT.fullmatch(tk_text):
                raise ValueError(tk_text)
            return tk_text
        return tk_text.replace("-", "")

    def _select(self, columns: str, keys: list) -> list[tuple]:
        if not keys:
            return []
        if self.sqlite:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT tk_id, {columns} FROM {self.name} "  # noqa: S608
                    f"WHERE tk_id IN ({', '.join(['%s'] * len(keys))})",
                    keys,
                )
                return cursor.fetchall()
        # One array parameter, not 250, of the ids as text. Not prepared: a generic plan, made
        # without the array's size, can be a scan of the whole table.
        with _server_cursor() as cursor:
            cursor.execute(
                f"SELECT tk_id::text, {columns} FROM {self.name} "  # noqa: S608
                "WHERE tk_id = ANY(%s::uuid[])",
                [keys],
                prepare=False,
            )
            return cursor.fetchall()

    def differing(self, pairs: list[tuple]) -> dict:
        """Of ``pairs`` (key, version), those with no row or a row of another version:
        ``{key: (stored version, stored tk_changed_at) or None}``, the datetime as stored (for
        :func:`aware`).

        In a re-sync nearly every record is unchanged, and this returns none of them, so
        nothing is fetched or compared per record for those.
        """
        if not pairs:
            return {}
        if not self.sqlite:
            # Looked up by the unique index and compared here: a join of the page's ids and
            # versions (``unnest``) measured slower, 26 s against 12 s for a re-sync of 50,000
            # motions.
            stored = dict(self._select("tk_version", [key for key, _version in pairs]))
            keys = [key for key, version in pairs if version is None or stored.get(key) != version]
            existing = [key for key in keys if key in stored]
            # The moments only of the rows that differ: none in a re-sync, none in a first.
            moments = dict(self._select("tk_changed_at", existing)) if existing else {}
            return {key: (stored[key], moments.get(key)) if key in stored else None for key in keys}
        values = ", ".join(["(%s, %s)"] * len(pairs))
        sql = (
            f"WITH incoming(k, v) AS (VALUES {values}) SELECT k FROM incoming "  # noqa: S608
            f"WHERE NOT EXISTS (SELECT 1 FROM {self.name} AS stored "
            "WHERE stored.tk_id = incoming.k AND stored.tk_version = incoming.v)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [value for pair in pairs for value in pair])
            keys = [key for (key,) in cursor.fetchall()]
        # As text: the driver's conversion of a datetime column costs more, and is only needed
        # for the few rows whose version differs.
        stored = {
            key: (version, changed)
            for key, version, changed in self._select("tk_version, tk_changed_at || ''", keys)
        }
        return {key: stored.get(key) for key in keys}

    def pks(self, tk_ids: list[uuid.UUID]) -> dict:
        """``{key: pk}`` of the rows with these ids that exist."""
        return dict(self._select(self.pk_column, [self.key(tk_id) for tk_id in tk_ids]))

    def insert(self, rows: list[dict]) -> None:
        """Insert ``rows`` (``{attname: value}``; what is missing gets the field's default)."""
        if not rows:
            return
        defaults = self.defaults
        params = []
        for row in rows:
            values = []
            for field, adapter in zip(self.fields, self.adapters, strict=True):
                value = row[field.attname] if field.attname in row else defaults[field.attname]
                if adapter is not None and value is not None:
                    value = adapter(value)
                values.append(value)
            params.append(values)
        if self.sqlite:
            with connection.cursor() as cursor:
                cursor.executemany(self.insert_sql, params)
            return
        # COPY: a first sync of 50,000 motions inserts 850,000 rows, one INSERT each took
        # ten times as long.
        with _server_cursor() as cursor, cursor.copy(self.copy_sql) as copy:
            for values in params:
                copy.write_row(values)
        self._statistics_keep(len(params))

    def _statistics_keep(self, inserted: int) -> None:
        """PostgreSQL: fresh planner statistics each time the table has doubled since the last
        (at least ``ANALYZE_AFTER`` rows). A first sync fills empty tables page by page, faster
        than autovacuum looks; planned as still empty, each page's lookup of 250 ids became a
        scan of the whole table (a first sync of 5,000 motions spent 4 of its 12 s there)."""
        if self.analyzed_rows is None:
            with _server_cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [self.name]
                )
                self.analyzed_rows = max(0, int(cursor.fetchone()[0]))
        self.unanalyzed += inserted
        if self.unanalyzed < max(ANALYZE_AFTER, self.analyzed_rows):
            return
        with _server_cursor() as cursor:
            # Rows this transaction inserted count: ANALYZE sees them as live.
            cursor.execute(f"ANALYZE {self.name}")
        self.analyzed_rows += self.unanalyzed
        self.unanalyzed = 0
