"""Benchmark of the invoice run: 1,000 and 10,000 memberships, to show it grows linearly.

    python -m bench                                                # SQLite
    python scripts/with_postgres.py .venv/bin/python -m bench      # PostgreSQL

Each run is measured in a transaction that is rolled back, after a setup (not timed) that
creates the members: listed members and, for every tenth, a dossier of decisions.
"""

from __future__ import annotations

import argparse
import datetime

from bench.bench_import import TABLE_HEADER, Result, measure
from bench.harness import throwaway_database

SIZES = (1_000, 10_000)


def _members(count: int) -> None:
    from m50.membership.models import Decision, Membership
    from m50.municipalities.models import Municipality, Province

    province, _created = Province.objects.get_or_create(code="PV98", defaults={"name": "Bench"})
    municipalities = Municipality.objects.bulk_create(
        # The bench database holds no real municipalities: all 10,000 codes are free.
        Municipality(code=f"GM{i:04d}", name=f"Benchgemeente {i:05d}", province=province)
        for i in range(count)
    )
    memberships = Membership.objects.bulk_create(
        Membership(municipality=m, listed_since="" if i % 10 == 0 else "2023-04")
        for i, m in enumerate(municipalities)
    )
    decisions = []
    for membership in memberships[::10]:
        decisions += [
            Decision(
                membership=membership,
                kind="aspirant",
                deciding_body="college",
                decided_on=datetime.date(2022, 8, 22),
                effective_on=datetime.date(2022, 8, 22),
                mandated_body="mayor",
                mandate_deadline=datetime.date(2023, 8, 22),
            ),
            Decision(
                membership=membership,
                kind="definitive",
                deciding_body="mayor",
                decided_on=datetime.date(2023, 5, 16),
                effective_on=datetime.date(2023, 5, 16),
            ),
        ]
    Decision.objects.bulk_create(decisions)
    # The status periods the services write one by one, for the whole bulk at once.
    from m50.membership.projection import status_periods_rebuild

    status_periods_rebuild()


def bench_invoice_run() -> list[Result]:
    from m50.finance import services

    services.fee_reference_load()
    results = []
    for size in SIZES:
        results.append(
            measure(
                f"invoice_run, {size:,} memberships",
                size,
                lambda: len(services.invoice_run(year=2024, issue_date=datetime.date(2024, 1, 15))),
                setup=lambda size=size: _members(size),
            )
        )
    return results


def linearity(results: list[Result]) -> str:
    small, large = results[0], results[-1]
    ratio = (large.seconds / large.rows) / (small.seconds / small.rows)
    return f"time per membership at {large.rows:,} vs {small.rows:,}: x{ratio:.2f} (1.0 = linear)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_invoice", description=__doc__)
    parser.parse_args(argv)
    with throwaway_database("m50-bench-invoice-"):
        print(TABLE_HEADER)
        results = bench_invoice_run()
        for result in results:
            print(result.line(), flush=True)
        print(linearity(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
