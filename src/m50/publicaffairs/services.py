"""Writes of public affairs. The Tweede Kamer sync applies each page in its own transaction
(see ``tweedekamer.sync``), so that one bad file does not hold back the others; the run as a
whole is audited once, with its counts."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import transaction

from m50.core.audit import audit_record_of
from m50.publicaffairs.tweedekamer.pages import PageError, page_load
from m50.publicaffairs.tweedekamer.rows import sqlite_tuned
from m50.publicaffairs.tweedekamer.sync import (
    PageResult,
    SyncReport,
    SyncSession,
    page_apply,
    synced_file_result,
    synced_files_counts,
)

SYNC_AUDIT_ACTION = "tweedekamer.sync"
# Files read ahead to look up their digests at once (a file of 250 votes is about 100 KiB).
FILES_PER_LOOKUP = 20


def tweedekamer_directory_sync(*, directory: Path, actor=None) -> SyncReport:
    """Apply every ``*.json`` file in ``directory`` (by name), each in its own transaction;
    a file that cannot be read or applied changes nothing and is reported by name. A file
    with the same bytes as one applied whole before is passed over (``SyncedFile``)."""
    report = SyncReport()
    session = SyncSession()
    paths = sorted(directory.glob("*.json"))
    with sqlite_tuned():
        for first in range(0, len(paths), FILES_PER_LOOKUP):
            # Files are read whole (a page is at most the API's 250 records), some at a time:
            # one query for which of them were applied before.
            chunk = [(path, path.read_bytes()) for path in paths[first : first + FILES_PER_LOOKUP]]
            digests = [hashlib.sha256(content).hexdigest() for _path, content in chunk]
            known = synced_files_counts(digests=digests)
            for (path, content), digest in zip(chunk, digests, strict=True):
                if digest in known:
                    report.pages.append(synced_file_result(name=path.name, counts=known[digest]))
                    continue
                try:
                    page = page_load(content, path=path)
                except PageError as exc:
                    report.pages.append(PageResult(name=path.name, error=str(exc)))
                    continue
                report.pages.append(
                    page_apply(page, name=path.name, session=session, digest=digest)
                )
    sync_run_audit(report=report, source=str(directory), actor=actor)
    return report


def tweedekamer_online_sync(*, entities: tuple[str, ...] | None = None, actor=None, **options):
    """What changed at the Tweede Kamer since the last sync, read from its API (see
    ``tweedekamer.online``); audited once, like a sync from files."""
    from m50.publicaffairs.tweedekamer import online

    report = online.online_sync(entities=entities or online.ENTITY_NAMES, **options)
    sync_run_audit(report=report, source=online.base_url(), actor=actor)
    return report


@transaction.atomic
def sync_run_audit(*, report: SyncReport, source: str, actor=None) -> None:
    """One audit event per run: what it read, the counts per entity, the files that failed."""
    changes = {
        entity: {"old": None, "new": counts.as_dict()} for entity, counts in report.totals().items()
    }
    changes["bestanden"] = {
        "old": None,
        "new": {"gelezen": len(report.pages), "mislukt": [page.name for page in report.failed]},
    }
    audit_record_of(
        action=SYNC_AUDIT_ACTION,
        object_type="publicaffairs.SyncState",
        object_id="tweedekamer",
        object_repr=source,
        actor=actor,
        changes=changes,
    )
