"""``python -m bench``: run every benchmark against a throw-away test database."""

import sys

from bench import bench_camt, bench_export, bench_import, bench_invoice

BENCHMARKS = (bench_import, bench_invoice, bench_camt, bench_export)

if __name__ == "__main__":
    sys.exit(max(benchmark.main(sys.argv[1:]) for benchmark in BENCHMARKS))
