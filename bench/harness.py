"""A throw-away test database for a benchmark: a temporary SQLite file, or ``test_<name>`` on
the PostgreSQL server of ``DATABASE_URL``."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def throwaway_database(prefix: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        workdir = Path(tmp)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "m50.conf.settings")
        import django

        django.setup()
        from django.db import connection
        from django.test.utils import setup_test_environment, teardown_test_environment

        if connection.vendor == "sqlite":
            # A file of our own, so the figures include real writes.
            connection.settings_dict["TEST"]["NAME"] = str(workdir / "bench.sqlite3")
        setup_test_environment()
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
            yield workdir
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()
