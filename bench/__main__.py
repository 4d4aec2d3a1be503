"""``python -m bench``: run every benchmark against a throw-away test database."""

import sys

from bench import bench_import

if __name__ == "__main__":
    sys.exit(bench_import.main(sys.argv[1:]))
