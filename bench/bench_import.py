"""Benchmarks of the registry's writers: ``population_import`` and ``reference_data_load``.

Runs against a throw-away test database (a temporary SQLite file, or ``test_<name>`` on the
PostgreSQL server of ``DATABASE_URL``), so the working database is never touched:

    python -m bench                      # SQLite
    python scripts/with_postgres.py .venv/bin/python -m bench      # PostgreSQL

Each scenario runs twice inside a transaction that is rolled back: once timed, once under
tracemalloc for the peak memory (tracemalloc slows Python down, so it is kept out of the timing).
"""

from __future__ import annotations

import argparse
import csv
import os
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SYNTHETIC_FIRST_CODE = 2000  # real CBS codes end below GM2000
SYNTHETIC_PROVINCE = "PV99"
HEADER = (
    "peildatum",
    "gm_code",
    "gemeentenaam",
    "provincie_code",
    "provincie",
    "inwoners",
    "cbs_tabel",
    "cbs_variabele",
)


@dataclass(frozen=True)
class Result:
    scenario: str
    rows: int
    seconds: float
    peak_bytes: int
    outcome: str

    def line(self) -> str:
        rate = f"{self.rows / self.seconds:>11,.0f}" if self.rows and self.seconds else " " * 11
        return (
            f"{self.scenario:<56} {self.rows:>7,} {self.seconds:>9.3f} {rate} "
            f"{self.peak_bytes / 2**20:>8.1f}  {self.outcome}"
        )


TABLE_HEADER = (
    f"{'scenario':<56} {'rows':>7} {'seconds':>9} {'rows/s':>11} {'peak MiB':>8}  outcome\n"
    + "-" * 114
)


class _Rollback(Exception):
    pass


def _in_rolled_back_transaction(
    function: Callable[[], object], setup: Callable[[], object] | None
) -> tuple[object, float]:
    """(outcome, seconds) of ``function``, after ``setup``, all rolled back afterwards."""
    from django.db import transaction

    result: tuple[object, float] = (None, 0.0)
    try:
        with transaction.atomic():
            if setup is not None:
                setup()
            started = time.perf_counter()
            outcome = function()
            result = (outcome, time.perf_counter() - started)
            raise _Rollback
    except _Rollback:
        pass
    return result


def measure(
    scenario: str,
    rows: int,
    function: Callable[[], object],
    *,
    setup: Callable[[], object] | None = None,
) -> Result:
    """Time ``function`` and take its peak memory, each in a transaction that is rolled back.

    ``setup`` brings the database into the state to measure from; it is neither timed nor
    traced.
    """
    outcome, seconds = _in_rolled_back_transaction(function, setup)

    def traced():
        tracemalloc.start()
        try:
            function()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak, _seconds = _in_rolled_back_transaction(traced, setup)
    return Result(scenario, rows, seconds, peak, _describe(outcome))


def _describe(outcome: object) -> str:
    if outcome is None:
        return ""
    if isinstance(outcome, Exception):
        problems = getattr(outcome, "problems", [])
        return f"refused: {len(problems)} problem(s)"
    created = getattr(outcome, "created", None)
    if created is not None:
        return (
            f"created {outcome.created}, updated {outcome.updated}, unchanged {outcome.unchanged}"
        )
    counts = getattr(outcome, "counts", None)
    if counts is not None:
        created = sum(c.created for c in counts.values())
        updated = sum(c.updated for c in counts.values())
        unchanged = sum(c.unchanged for c in counts.values())
        return f"all kinds: created {created}, updated {updated}, unchanged {unchanged}"
    return str(outcome)


def synthetic_municipalities(count: int) -> list[tuple[str, str]]:
    """Create ``count`` synthetic municipalities (codes from GM2000); returns (code, name)."""
    from m50.municipalities.models import Municipality, Province

    province, _created = Province.objects.get_or_create(
        code=SYNTHETIC_PROVINCE, defaults={"name": "Benchmarkprovincie"}
    )
    wanted = [(f"GM{SYNTHETIC_FIRST_CODE + i:04d}", f"Benchgemeente {i:05d}") for i in range(count)]
    existing = set(
        Municipality.objects.filter(code__in=[code for code, _name in wanted]).values_list(
            "code", flat=True
        )
    )
    Municipality.objects.bulk_create(
        [
            Municipality(code=code, name=name, province=province)
            for code, name in wanted
            if code not in existing
        ],
        batch_size=500,
    )
    return wanted


def write_population_file(
    path: Path,
    municipalities: list[tuple[str, str]],
    years: range,
    *,
    offset: int = 0,
    bad_last_line: bool = False,
) -> int:
    """A CBS long-format file: one row per municipality per year. Returns the row count."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for year in years:
            for index, (code, name) in enumerate(municipalities):
                inhabitants = 20_000 + (index * 37 + year * 11) % 70_000 + offset
                writer.writerow(
                    (
                        f"{year}-01-01",
                        code,
                        name,
                        SYNTHETIC_PROVINCE,
                        "Benchmarkprovincie",
                        inhabitants,
                        "37259NED",
                        "BevolkingOp1Januari_1",
                    )
                )
                rows += 1
        if bad_last_line:
            writer.writerow(
                (f"{years[0]}-01-01", "GM9999", "Onbekend", SYNTHETIC_PROVINCE, "x", "veel", "", "")
            )
            rows += 1
    return rows


def bench_population_import(workdir: Path) -> list[Result]:
    from django.db import transaction

    from m50.municipalities.services import PopulationImportError, population_import

    def run(path: Path):
        def function():
            try:
                return population_import(file=path)
            except PopulationImportError as exc:
                return exc

        return function

    results = []
    with transaction.atomic():
        municipalities = synthetic_municipalities(2_000)
    for label, municipality_count, years in (
        ("2,000 rows", 2_000, range(2030, 2031)),
        ("20,000 rows", 2_000, range(2031, 2041)),
    ):
        selection = municipalities[:municipality_count]
        new = workdir / f"new-{len(years)}.csv"
        corrected = workdir / f"corrected-{len(years)}.csv"
        refused = workdir / f"refused-{len(years)}.csv"
        rows = write_population_file(new, selection, years)
        write_population_file(corrected, selection, years, offset=1)
        write_population_file(refused, selection, years, bad_last_line=True)
        results.append(measure(f"population_import, new year(s), {label}", rows, run(new)))
        for name, second in (("re-import unchanged", new), ("correction of every row", corrected)):
            results.append(
                measure(
                    f"population_import, {name}, {label}",
                    rows,
                    run(second),
                    setup=lambda new=new: population_import(file=new),
                )
            )
        results.append(
            measure(f"population_import, refused (1 bad line), {label}", rows + 1, run(refused))
        )
    return results


def bench_reference_data_load() -> list[Result]:
    from django.conf import settings

    from m50.municipalities.services import reference_data_load

    def load():
        return reference_data_load(data_dir=settings.DATA_DIR)

    first = measure("reference_data_load, empty registry", 2091, load)
    reference_data_load(data_dir=settings.DATA_DIR)  # committed, for the second run
    second = measure("reference_data_load, second run (nothing to do)", 2091, load)
    return [first, second]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="m50-bench-") as tmp:
        workdir = Path(tmp)
        # A file, not SQLite's in-memory default, so that the figures include real writes.
        os.environ.setdefault("M50_SQLITE_TEST_PATH", str(workdir / "bench.sqlite3"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "m50.conf.settings")
        import django

        django.setup()
        from django.db import connection
        from django.test.utils import setup_test_environment, teardown_test_environment

        setup_test_environment()
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
            print(TABLE_HEADER)
            for result in bench_reference_data_load() + bench_population_import(workdir):
                print(result.line(), flush=True)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()
    return 0
