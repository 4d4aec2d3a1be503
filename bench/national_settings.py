"""The project's settings with the benchmark's URLconf (the bare view): for gunicorn in
``bench.bench_national``'s load test only."""

from m50.conf.settings import *  # noqa: F403

ROOT_URLCONF = "bench.national_urls"
