"""Backups of the whole database and their restore, for SQLite and PostgreSQL.

SQLite: a copy made with SQLite's online backup API (``sqlite3.Connection.backup``), which
reads one consistent snapshot while the platform keeps running; a file copy of a live
database in WAL mode can miss the last commits or tear. The manifest (row counts per model at
the moment of the snapshot) is stored inside the copy, in the table ``m50_backup``, and removed
again after a restore.

PostgreSQL: ``pg_dump -Fc`` (PostgreSQL's own custom format), restored with ``pg_restore
--clean --if-exists --no-owner --single-transaction`` (a restore that fails changes nothing).
The counts are taken in the very snapshot that pg_dump dumps (``pg_export_snapshot``) and
written beside the dump as ``FILE.manifest.json``, with the dump's SHA-256, so that a dump and
the manifest of another dump are not taken for a pair.

After a restore the counts are compared with the manifest and every projection is recomputed
from its source (``derived_differences``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from m50.core.derived import derived_differences

FORMAT = "m50-backup"
FORMAT_VERSION = 1
MANIFEST_TABLE = "m50_backup"
SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"
ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for the operator (Dutch)."""


@dataclass
class RestoreReport:
    manifest: dict
    count_differences: list[str] = field(default_factory=list)
    derived: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.count_differences and not self.derived


def _models():
    """Every table a model keeps rows in, many-to-many tables included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _counts(cursor, quote) -> dict[str, int]:
    counts = {}
    for model in _models():
        cursor.execute(f"SELECT COUNT(*) FROM {quote(model._meta.db_table)}")  # noqa: S608 names
        counts[model._meta.label] = cursor.fetchone()[0]
    return dict(sorted(counts.items()))


def _manifest(engine: str, counts: dict[str, int], **extra) -> dict:
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "engine": engine,
        "created": timezone.now().isoformat(timespec="seconds"),
        "counts": counts,
        **extra,
    }


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def program(name: str) -> str:
    """The path of a PostgreSQL client program, or a message that names what is missing."""
    found = shutil.which(name)
    if not found:
        raise BackupError(
            _(
                "Het programma %(name)s is niet gevonden. Installeer de PostgreSQL-"
                "clientprogramma's (Debian: postgresql-client, dezelfde hoofdversie als de "
                "server of nieuwer) of zet %(name)s in het zoekpad (PATH)."
            )
            % {"name": name}
        )
    return found


class _Busy(Exception):
    pass


def _copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """``source.backup(target)``, all pages in one step, giving up when the other database
    stays locked beyond the configured timeout (Python's backup retries a locked step
    forever)."""
    timeout = settings.DATABASES["default"]["OPTIONS"]["timeout"]
    deadline = time.monotonic() + timeout

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise _Busy

    try:
        source.backup(target, progress=progress)
    except _Busy as exc:
        raise sqlite3.OperationalError(
            f"database is locked (na {timeout} seconden gewacht)"
        ) from exc


def _replace(tmp: Path, target: Path) -> None:
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, target)


# --- Backup -----------------------------------------------------------------------------------


def backup_create(*, output: Path) -> dict:
    """Writes a backup of the whole database to ``output``; returns its manifest."""
    output = Path(output)
    if output.is_dir():
        raise BackupError(_("%(file)s is een map, geen bestand.") % {"file": output})
    if not output.parent.is_dir():
        raise BackupError(_("De map %(dir)s bestaat niet.") % {"dir": output.parent})
    if connection.vendor == "sqlite":
        try:
            return _sqlite_backup(output)
        except sqlite3.OperationalError as exc:
            raise BackupError(_("De back-up is niet gemaakt: %(error)s") % {"error": exc}) from exc
    if connection.vendor == "postgresql":
        return _postgres_backup(output)
    raise BackupError(
        _("Geen back-up mogelijk van een %(vendor)s-database.") % {"vendor": connection.vendor}
    )


def _sqlite_path() -> Path:
    return Path(connection.settings_dict["NAME"]).resolve()


def _sqlite_backup(output: Path) -> dict:
    live = _sqlite_path()
    if output.resolve() == live:
        raise BackupError(_("De back-up kan niet de database zelf overschrijven."))
    # Written beside the target and renamed when complete: an interrupted backup never
    # leaves a half file under the name a restore would use.
    tmp = output.with_name(f".{output.name}.onvolledig")
    tmp.unlink(missing_ok=True)
    # A connection of its own, not Django's: it reads the committed state, whatever
    # transaction this process has open.
    source = sqlite3.connect(live, timeout=settings.DATABASES["default"]["OPTIONS"]["timeout"])
    try:
        target = sqlite3.connect(tmp)
        try:
            _copy(source, target)  # all pages in one step: one consistent snapshot
            counts = _counts(target.cursor(), _quote)
            manifest = _manifest("sqlite", counts)
            # A file that stands alone: no -wal beside it is needed to read it.
            target.execute("PRAGMA journal_mode=DELETE")
            target.execute(f"CREATE TABLE {MANIFEST_TABLE} (key TEXT PRIMARY KEY, value TEXT)")
            target.execute(
                f"INSERT INTO {MANIFEST_TABLE} VALUES ('manifest', ?)",  # noqa: S608 constant
                [json.dumps(manifest)],
            )
            target.commit()
        finally:
            target.close()
            source.close()
        _replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
    return manifest


def _pg_env() -> dict[str, str]:
    """libpq's environment for Django's database: the password travels in PGPASSWORD, never
    on a command line that other users of the machine can read."""
    s = connection.settings_dict
    env = dict(os.environ)
    values = {
        "PGHOST": s.get("HOST"),
        "PGPORT": s.get("PORT"),
        "PGUSER": s.get("USER"),
        "PGPASSWORD": s.get("PASSWORD"),
        "PGDATABASE": s.get("NAME"),
        "PGSSLMODE": (s.get("OPTIONS") or {}).get("sslmode"),
    }
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_path(path: Path) -> Path:
    return Path(f"{path}.manifest.json")


def _postgres_backup(output: Path) -> dict:
    pg_dump = program("pg_dump")
    tmp = output.with_name(f".{output.name}.onvolledig")
    tmp.unlink(missing_ok=True)
    connection.close()  # a fresh connection, outside any transaction of this process
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # The counts and the dump read the same snapshot: pg_dump joins this transaction's.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _counts(cursor, connection.ops.quote_name)
            result = subprocess.run(  # noqa: S603 - fixed program, no shell
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={tmp}",
                    f"--dbname={connection.settings_dict['NAME']}",
                ],
                env=_pg_env(),
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise BackupError(
                    _("pg_dump is mislukt: %(error)s") % {"error": result.stderr.strip()}
                )
        manifest = _manifest("postgresql", counts, sha256=_sha256(tmp))
        manifest_tmp = tmp.with_name(tmp.name + ".manifest")
        manifest_tmp.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        _replace(tmp, output)
        _replace(manifest_tmp, manifest_path(output))
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".manifest").unlink(missing_ok=True)
    return manifest


# --- Restore ----------------------------------------------------------------------------------


def _header(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(16)
    except OSError as exc:
        raise BackupError(
            _("%(file)s kan niet worden gelezen: %(error)s")
            % {"file": path, "error": exc.strerror or exc}
        ) from exc


def _file_engine(path: Path) -> str | None:
    header = _header(path)
    if header.startswith(SQLITE_HEADER):
        return "sqlite"
    if header.startswith(PG_CUSTOM_HEADER):
        return "postgresql"
    return None


def _not_a_backup(path: Path) -> BackupError:
    return BackupError(
        _(
            "%(file)s is geen back-up van het M50-platform (gemaakt met m50 backup); er is "
            "niets teruggezet."
        )
        % {"file": path}
    )


def backup_manifest(*, path: Path) -> dict:
    """The manifest of a backup that this installation can restore; BackupError otherwise.
    Reads only."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("Bestand niet gevonden: %(file)s") % {"file": path})
    engine = _file_engine(path)
    if engine is None:
        raise _not_a_backup(path)
    if engine != connection.vendor:
        raise BackupError(
            _(
                "%(file)s is een back-up van een %(file_engine)s-database; deze installatie "
                "gebruikt %(engine)s. Er is niets teruggezet."
            )
            % {
                "file": path,
                "file_engine": ENGINES[engine],
                "engine": ENGINES.get(connection.vendor, connection.vendor),
            }
        )
    manifest = _sqlite_manifest(path) if engine == "sqlite" else _postgres_manifest(path)
    if manifest.get("format") != FORMAT or manifest.get("engine") != engine:
        raise _not_a_backup(path)
    if manifest.get("version") != FORMAT_VERSION or not isinstance(manifest.get("counts"), dict):
        raise BackupError(
            _("%(file)s is een back-up in een vorm die deze versie niet kent.") % {"file": path}
        )
    return manifest


def _sqlite_manifest(path: Path) -> dict:
    try:
        backup = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = backup.execute(
                f"SELECT value FROM {MANIFEST_TABLE} WHERE key = 'manifest'"  # noqa: S608
            ).fetchone()
            # A damaged copy is refused before it replaces anything.
            damaged = bool(row) and _damaged(backup)
        finally:
            backup.close()
        if damaged:
            raise BackupError(
                _("%(file)s is beschadigd (SQLite quick_check); er is niets teruggezet.")
                % {"file": path}
            )
        return json.loads(row[0]) if row else {}
    except (sqlite3.DatabaseError, json.JSONDecodeError, TypeError) as exc:
        raise _not_a_backup(path) from exc


def _damaged(database: sqlite3.Connection) -> bool:
    try:
        return database.execute("PRAGMA quick_check").fetchone()[0] != "ok"
    except sqlite3.DatabaseError:
        return True


def _postgres_manifest(path: Path) -> dict:
    side = manifest_path(path)
    if not side.is_file():
        raise BackupError(
            _(
                "Bij %(file)s ontbreekt %(manifest)s; zonder dat bestand kan het terugzetten "
                "niet worden gecontroleerd. Er is niets teruggezet."
            )
            % {"file": path, "manifest": side.name}
        )
    try:
        manifest = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _not_a_backup(side) from exc
    if not isinstance(manifest, dict):
        raise _not_a_backup(side)
    if manifest.get("sha256") != _sha256(path):
        raise BackupError(
            _(
                "%(manifest)s hoort niet bij %(file)s (de controlesom verschilt); er is niets "
                "teruggezet."
            )
            % {"file": path.name, "manifest": side.name}
        )
    return manifest


def backup_restore(*, path: Path) -> RestoreReport:
    """Replaces the database's contents by those of the backup and checks the result.

    The file is checked first (BackupError, and nothing changes); after the restore the row
    count of every model is compared with the manifest, and every projection with a
    recomputation from its source.
    """
    path = Path(path)
    manifest = backup_manifest(path=path)
    connection.close()
    if connection.vendor == "sqlite":
        _sqlite_restore(path)
    else:
        _postgres_restore(path)
    return backup_check(manifest=manifest)


def _sqlite_restore(path: Path) -> None:
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(
        _sqlite_path(), timeout=settings.DATABASES["default"]["OPTIONS"]["timeout"]
    )
    try:
        # All pages in one step under the write lock: others see the old or the new database.
        _copy(source, target)
        target.execute(f"DROP TABLE IF EXISTS {MANIFEST_TABLE}")
        target.commit()
    except sqlite3.OperationalError as exc:  # busy beyond the timeout: the step is undone
        raise BackupError(
            _(
                "De database is bezet (%(error)s); stop de webprocessen en geplande taken en "
                "probeer het opnieuw. Er is niets teruggezet."
            )
            % {"error": exc}
        ) from exc
    finally:
        source.close()
        target.close()


def _postgres_restore(path: Path) -> None:
    pg_restore = program("pg_restore")
    result = subprocess.run(  # noqa: S603 - fixed program, no shell
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            # One transaction: a restore that fails halfway changes nothing.
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(path),
        ],
        env=_pg_env(),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(
            _("pg_restore is mislukt; er is niets teruggezet: %(error)s")
            % {"error": result.stderr.strip()}
        )


def backup_check(*, manifest: dict) -> RestoreReport:
    """Compares the database with a backup's manifest: the rows per model, and the
    projections against their source."""
    report = RestoreReport(manifest=manifest)
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    for label, expected in sorted(manifest["counts"].items()):
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            model = None
        if model is None or model._meta.db_table not in tables:
            report.count_differences.append(
                _("%(model)s: in de back-up %(expected)d rijen, nu geen tabel")
                % {"model": label, "expected": expected}
            )
            continue
        actual = model._base_manager.count()
        if actual != expected:
            report.count_differences.append(
                _("%(model)s: in de back-up %(expected)d rijen, teruggezet %(actual)d")
                % {"model": label, "expected": expected, "actual": actual}
            )
    report.derived = [str(difference) for difference in derived_differences()]
    return report


def created_label(manifest: dict) -> str:
    try:
        moment = datetime.datetime.fromisoformat(manifest["created"])
    except (KeyError, TypeError, ValueError):
        return "?"
    moment = timezone.localtime(moment)
    return f"{date_format(moment, 'j F Y')} {moment:%H:%M}"
