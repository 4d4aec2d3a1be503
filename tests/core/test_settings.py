"""The settings module: production values pass Django's deployment check."""

import os
import secrets
import subprocess
import sys

import pytest


def run_m50(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # A clean environment: only what the test sets reaches the settings.
    prefixes = ("M50_", "DATABASE_URL", "DJANGO_")
    base = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    return subprocess.run(
        [sys.executable, "-m", "m50", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_with_production_values(tmp_path):
    result = run_m50(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "M50_SECRET_KEY": secrets.token_urlsafe(64),
            "M50_ALLOWED_HOSTS": "m50.example",
            "M50_SQLITE_PATH": str(tmp_path / "db.sqlite3"),
            "M50_STATIC_ROOT": str(tmp_path / "static"),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_complains_about_the_embedded_defaults(tmp_path):
    result = run_m50(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={"M50_SQLITE_PATH": str(tmp_path / "db.sqlite3")},
    )
    assert result.returncode != 0
    assert "security.W" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("name", "value"), [("M50_BAND_MIN", "dertig"), ("M50_SQLITE_TIMEOUT", "1.5")]
)
def test_a_bad_number_in_the_environment_is_named(tmp_path, name, value):
    result = run_m50("check", env={name: value, "M50_SQLITE_PATH": str(tmp_path / "x.sqlite3")})
    assert result.returncode != 0
    assert name in result.stderr
