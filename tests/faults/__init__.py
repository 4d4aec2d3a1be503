"""Fault tests: processes killed halfway, concurrent writers."""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import quote

from django.db import connection


def database_env() -> dict[str, str]:
    """The environment under which a real ``m50`` process uses the test's own database: the
    SQLite file, or the test database on the PostgreSQL server."""
    settings = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "M50_SQLITE_PATH")}
    if connection.vendor == "sqlite":
        env["M50_SQLITE_PATH"] = str(settings["NAME"])
    else:
        login = quote(settings["USER"] or "")
        if settings["PASSWORD"]:
            login += ":" + quote(settings["PASSWORD"])
        host = settings["HOST"] or "localhost"
        port = f":{settings['PORT']}" if settings["PORT"] else ""
        env["DATABASE_URL"] = f"postgres://{login}@{host}{port}/{quote(settings['NAME'])}"
    return env


def m50(*args: str) -> subprocess.CompletedProcess:
    """Runs ``m50 ARGS`` as a process of its own on the test database."""
    return subprocess.run(
        [sys.executable, "-m", "m50", *args],
        env=database_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
