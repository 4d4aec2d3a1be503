"""``python -m bench``: run every benchmark against a throw-away test database.

``python -m bench NAME [options]`` runs one of them (import, invoice, camt, export, faults,
national, activities, agenda, calendar,
search, tweedekamer, memo) with its own options, e.g.
``python -m bench national --quick``.
"""

import sys

from bench import (
    bench_activities,
    bench_agenda,
    bench_calendar,
    bench_camt,
    bench_export,
    bench_faults,
    bench_import,
    bench_invoice,
    bench_memo,
    bench_national,
    bench_search,
    bench_tweedekamer,
)

BENCHMARKS = {
    "import": bench_import,
    "invoice": bench_invoice,
    "camt": bench_camt,
    "export": bench_export,
    "faults": bench_faults,
    "national": bench_national,
    "activities": bench_activities,
    "calendar": bench_calendar,
    "agenda": bench_agenda,
    "search": bench_search,
    "tweedekamer": bench_tweedekamer,
    "memo": bench_memo,
}

if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments and arguments[0] in BENCHMARKS:
        sys.exit(BENCHMARKS[arguments[0]].main(arguments[1:]))
    sys.exit(max(benchmark.main(arguments) for benchmark in BENCHMARKS.values()))
