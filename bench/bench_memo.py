"""Benchmark of the council memo: the memo of every member, as DOCX and as PDF, for 20 and
200 members, to show that the time per memo does not grow with the number of members.

    python -m bench memo                                           # SQLite
    python scripts/with_postgres.py .venv/bin/python -m bench memo # PostgreSQL

Each run is measured in a transaction that is rolled back, after a setup (not timed) that
creates the members (listed members and, for every tenth, Diemen's dossier of decisions).
"""

from __future__ import annotations

import argparse
import datetime

from bench.bench_import import TABLE_HEADER, Result, measure
from bench.bench_invoice import _members
from bench.harness import throwaway_database

SIZES = (20, 200)
QUICK_SIZES = (10, 100)
MEETING = datetime.date(2024, 6, 4)


def _all_memos(file_format: str) -> int:
    from m50.membership.models import Membership
    from m50.reports import selectors
    from m50.reports.memo.content import MemoInput

    given = MemoInput(datum=MEETING, portefeuillehouder="E. Boog", team="TBDA", steller="Bench")
    codes = Membership.objects.values_list("municipality__code", flat=True)
    written = 0
    for code in codes:
        content = selectors.council_memo(municipality_code=code, given=given)
        data, _type, _extension = selectors.council_memo_file(
            content=content, file_format=file_format
        )
        written += bool(data)
    return written


def bench_memo(sizes=SIZES) -> list[Result]:
    from m50.finance import services

    services.fee_reference_load()
    results = []
    for file_format in ("docx", "pdf"):
        for size in sizes:
            results.append(
                measure(
                    f"council memo ({file_format}), {size:,} members",
                    size,
                    lambda file_format=file_format: _all_memos(file_format),
                    setup=lambda size=size: _members(size),
                )
            )
    return results


def per_memo(results: list[Result]) -> list[str]:
    lines = []
    for index in range(0, len(results), 2):
        small, large = results[index], results[index + 1]
        ratio = (large.seconds / large.rows) / (small.seconds / small.rows)
        lines.append(
            f"{large.scenario.split(',')[0]}: {1000 * small.seconds / small.rows:.1f} ms per "
            f"memo at {small.rows:,}, {1000 * large.seconds / large.rows:.1f} ms at "
            f"{large.rows:,}: x{ratio:.2f} (1.0 = linear)"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_memo", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10 and 100 members")
    options = parser.parse_args(argv)
    with throwaway_database("m50-bench-memo-"):
        print(TABLE_HEADER)
        results = bench_memo(QUICK_SIZES if options.quick else SIZES)
        for result in results:
            print(result.line(), flush=True)
        for line in per_memo(results):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
