"""``m50 backup`` and ``m50 restore`` on the database the suite runs on (SQLite or PostgreSQL).

Transactional tests: the backup reads what is committed, and the restore replaces the whole
database, as they do in production.
"""

from __future__ import annotations

import io
import json
import sqlite3
import threading
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from m50.core import backup
from m50.core.models import AuditEvent
from m50.finance import services
from m50.finance.models import Invoice, Payment
from m50.municipalities.models import Municipality
from tests.finance import RUN_DATE, diemen, listed

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def some_data() -> None:
    services.fee_reference_load()
    diemen()
    listed("Heemstede", "GM0397")
    invoices = services.invoice_run(year=2024, issue_date=RUN_DATE)
    sent = services.invoice_mark_sent(invoice=invoices[0], recipients=["f@diemen.example"])
    services.payment_register(invoice=sent, paid_on=RUN_DATE, amount=Decimal("1250.00"))


def snapshot() -> dict:
    return {
        "municipalities": sorted(Municipality.objects.values_list("code", flat=True)),
        "invoices": list(Invoice.objects.order_by("pk").values_list("number", "total", "fee_year")),
        "payments": sorted(Payment.objects.values_list("amount", flat=True)),
    }


def test_a_restore_brings_back_exactly_what_the_backup_held(tmp_path):
    some_data()
    before = snapshot()
    target = tmp_path / "m50.backup"

    out = run("backup", "--output", str(target))

    assert target.is_file() and "Back-up geschreven" in out
    # Everything changes after the backup: rows removed, rows added.
    Payment.objects.all().delete()
    Invoice.objects.all().delete()
    listed("Zandvoort", "GM0473")
    assert snapshot() != before

    out = run("restore", str(target), "--noinput")

    assert "teruggezet; aantallen rijen en afgeleide gegevens gecontroleerd" in out
    assert snapshot() == before
    # Audited: the backup's own event was written after the snapshot, so the restore's is the
    # only one now.
    (event,) = AuditEvent.objects.filter(action__startswith="backup.")
    assert (event.action, event.object_id) == ("backup.restore", "m50.backup")
    assert event.origin == "opdrachtregel (restore)"


def test_the_manifest_counts_the_rows_of_the_snapshot(tmp_path):
    some_data()
    target = tmp_path / "m50.backup"

    run("backup", "--output", str(target))

    manifest = backup.backup_manifest(path=target)
    assert manifest["engine"] == connection.vendor
    assert manifest["counts"]["finance.Invoice"] == 2
    assert manifest["counts"]["finance.Payment"] == 1
    assert manifest["counts"]["municipalities.Municipality"] == Municipality.objects.count()
    if connection.vendor == "postgresql":
        assert backup.manifest_path(target).is_file()
    else:  # inside the copy; the live database has no such table
        assert backup.MANIFEST_TABLE not in connection.introspection.table_names()


def test_a_file_of_the_wrong_kind_is_refused_and_nothing_changes(tmp_path):
    some_data()
    before = snapshot()
    not_a_backup = tmp_path / "facturen.csv"
    not_a_backup.write_text("nummer;bedrag\n2024-0001;5000\n", encoding="utf-8")
    plain_sqlite = tmp_path / "andere.sqlite3"
    sqlite3.connect(plain_sqlite).execute("CREATE TABLE t (x)").connection.close()

    with pytest.raises(CommandError, match="is geen back-up van het M50-platform"):
        run("restore", str(not_a_backup), "--noinput")
    if connection.vendor == "sqlite":
        with pytest.raises(CommandError, match="is geen back-up van het M50-platform"):
            run("restore", str(plain_sqlite), "--noinput")
    else:
        with pytest.raises(CommandError, match="back-up van een SQLite-database; deze "):
            run("restore", str(plain_sqlite), "--noinput")
    with pytest.raises(CommandError, match="Bestand niet gevonden"):
        run("restore", str(tmp_path / "weg.backup"), "--noinput")

    assert snapshot() == before
    assert not AuditEvent.objects.filter(action="backup.restore").exists()


def test_a_backup_of_the_other_database_engine_is_refused(tmp_path):
    other = tmp_path / "ander.backup"
    if connection.vendor == "sqlite":
        other.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(64))
        message = "back-up van een PostgreSQL-database; deze installatie gebruikt SQLite"
    else:
        with sqlite3.connect(other) as db:
            db.execute(f"CREATE TABLE {backup.MANIFEST_TABLE} (key TEXT, value TEXT)")
        message = "back-up van een SQLite-database; deze installatie gebruikt PostgreSQL"
    listed("Heemstede", "GM0397")

    with pytest.raises(CommandError, match=message):
        run("restore", str(other), "--noinput")

    assert Municipality.objects.filter(code="GM0397").exists()


def test_without_confirmation_nothing_is_restored(tmp_path, monkeypatch):
    target = tmp_path / "m50.backup"
    run("backup", "--output", str(target))
    listed("Heemstede", "GM0397")
    questions = []
    monkeypatch.setattr("builtins.input", lambda q: questions.append(q) or "nee")

    with pytest.raises(CommandError, match="Niets teruggezet"):
        run("restore", str(target))

    assert "worden vervangen door die van de back-up van" in questions[0]
    assert Municipality.objects.filter(code="GM0397").exists()


def test_a_restore_whose_counts_differ_from_the_manifest_says_so(tmp_path):
    some_data()
    target = tmp_path / "m50.backup"
    run("backup", "--output", str(target))
    manifest = backup.backup_manifest(path=target)
    manifest["counts"]["finance.Invoice"] = 3  # as if rows were lost on the way
    if connection.vendor == "sqlite":
        with sqlite3.connect(target) as db:
            db.execute("UPDATE m50_backup SET value = ?", [json.dumps(manifest)])
        db.close()
    else:
        backup.manifest_path(target).write_text(json.dumps(manifest), encoding="utf-8")

    with pytest.raises(CommandError, match="1 afwijkende aantallen"):
        run("restore", str(target), "--noinput")

    (event,) = AuditEvent.objects.filter(action="backup.restore")
    assert event.changes["afwijkende aantallen"]["new"] == 1


def test_a_postgresql_dump_with_a_manifest_of_another_dump_is_refused(tmp_path):
    if connection.vendor != "postgresql":
        # The SQLite copy carries its manifest inside; here the side file stands in for it.
        target = tmp_path / "m50.backup"
        run("backup", "--output", str(target))
        assert not backup.manifest_path(target).exists()
        return
    first, second = tmp_path / "een.backup", tmp_path / "twee.backup"
    run("backup", "--output", str(first))
    listed("Heemstede", "GM0397")
    run("backup", "--output", str(second))
    backup.manifest_path(first).replace(backup.manifest_path(second))

    with pytest.raises(CommandError, match="hoort niet bij twee.backup"):
        run("restore", str(second), "--noinput")
    backup.manifest_path(second).unlink()
    with pytest.raises(CommandError, match="ontbreekt twee.backup.manifest.json; zonder"):
        run("restore", str(second), "--noinput")


def test_a_missing_postgresql_client_program_is_named(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")

    with pytest.raises(backup.BackupError, match="Het programma pg_dump is niet gevonden"):
        backup.program("pg_dump")


def test_an_interrupted_backup_leaves_no_file_under_the_name(tmp_path, monkeypatch):
    listed("Heemstede", "GM0397")
    target = tmp_path / "m50.backup"

    def fail(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "_replace", fail)
    with pytest.raises(OSError, match="No space left"):
        run("backup", "--output", str(target))

    assert list(tmp_path.iterdir()) == []


def test_a_damaged_backup_is_refused_and_nothing_changes(tmp_path):
    some_data()
    target = tmp_path / "m50.backup"
    run("backup", "--output", str(target))
    data = bytearray(target.read_bytes())
    if connection.vendor == "sqlite":
        data[3 * 4096 : 4 * 4096] = b"\xff" * 4096  # a table's page overwritten
        message = "is beschadigd"
    else:
        data[len(data) // 2 :] = b"\xff" * (len(data) - len(data) // 2)  # the data blocks
        message = "pg_restore is mislukt; er is niets teruggezet"
    target.write_bytes(bytes(data))
    if connection.vendor == "postgresql":  # damaged before its checksum was taken
        manifest = json.loads(backup.manifest_path(target).read_text(encoding="utf-8"))
        manifest["sha256"] = backup._sha256(target)
        backup.manifest_path(target).write_text(json.dumps(manifest), encoding="utf-8")
    listed("Zandvoort", "GM0473")
    before = snapshot()

    with pytest.raises(CommandError, match=message):
        run("restore", str(target), "--noinput")

    assert snapshot() == before


def test_a_backup_taken_while_others_write_is_one_consistent_snapshot(tmp_path):
    from m50.contacts import services as contacts
    from m50.contacts.models import Person

    events = AuditEvent.objects.count()
    stop, errors = threading.Event(), []

    def write() -> None:
        try:
            while not stop.is_set():  # each person and its audit row in one transaction
                contacts.person_create(surname="Schrijver")
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        manifests = []
        for index in range(3):
            while Person.objects.count() < 5 * (index + 1):  # the writer is under way
                time.sleep(0.01)
            manifests.append(backup.backup_create(output=tmp_path / f"m50-{index}.backup"))
    finally:
        stop.set()
        writer.join()

    assert errors == []
    for manifest in manifests:
        people = manifest["counts"]["contacts.Person"]
        assert people > 0
        assert manifest["counts"]["core.AuditEvent"] - events == people
    run("restore", str(tmp_path / "m50-1.backup"), "--noinput")
    assert Person.objects.count() == manifests[1]["counts"]["contacts.Person"]


def test_a_restore_while_another_writer_holds_the_lock_gives_up_and_changes_nothing(
    tmp_path, monkeypatch
):
    target = tmp_path / "m50.backup"
    run("backup", "--output", str(target))
    listed("Heemstede", "GM0397")
    if connection.vendor != "sqlite":
        # No database-wide write lock here: pg_restore's transaction waits for row and table
        # locks as any other; the restore itself is what is checked.
        run("restore", str(target), "--noinput")
        assert not Municipality.objects.filter(code="GM0397").exists()
        return
    monkeypatch.setitem(settings.DATABASES["default"]["OPTIONS"], "timeout", 0.2)
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # a writer that holds the lock past the timeout
    try:
        with pytest.raises(CommandError, match="De database is bezet"):
            run("restore", str(target), "--noinput")
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert Municipality.objects.filter(code="GM0397").exists()
