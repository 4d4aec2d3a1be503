"""Fault benchmark: the web processes survive a restart of PostgreSQL under load.

    python -m bench.bench_faults

Starts a PostgreSQL cluster of its own (scripts/with_postgres.py's, whatever database the
other benchmarks use), migrates it, serves the platform with gunicorn (2 workers) on it and
loads a public page and a public API endpoint from several threads. Then it stops PostgreSQL,
keeps it down for a moment and starts it again, without touching gunicorn. It checks:

- every request while the server was down failed cleanly: a 5xx answer within the client's
  timeout (no hang, no dropped connection);
- every request started after the server was back succeeded, from the same worker processes;
- so did every request after a second restart during which no request ran, when every worker
  still holds its dead connection from before (it is checked before use: CONN_HEALTH_CHECKS);

and prints the figures. Exits with status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from scripts.with_postgres import Cluster, free_port

WORKERS = 2
CLIENTS = 4
REQUEST_TIMEOUT = 10.0  # seconds a client waits for an answer; more is a hang
PATHS = ("/gemeenten/", "/api/v1/gemeenten")
WARM_UP, DOWN, AFTER = 2.0, 1.5, 3.0


@dataclass(frozen=True)
class Answer:
    started: float
    path: str
    status: int | None  # None: no HTTP answer at all
    error: str
    seconds: float
    content_type: str = ""


def _get(base: str, path: str) -> Answer:
    started = time.monotonic()
    try:
        # Our own server on the loopback address.
        with urllib.request.urlopen(base + path, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310
            response.read()
            status, error, kind = response.status, "", response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        exc.read()
        status, error, kind = exc.code, "", exc.headers.get_content_type()
    except (OSError, urllib.error.URLError) as exc:  # timeouts, resets, refusals
        status, error, kind = None, f"{type(exc).__name__}: {exc}", ""
    return Answer(started, path, status, error, time.monotonic() - started, kind)


def _children(pid: int) -> set[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return set()
    return {int(child) for child in text.split()}


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def run() -> int:
    cluster = Cluster()
    gunicorn = None
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    try:
        began = time.monotonic()
        cluster.start()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("M50_SQLITE")},
            "DATABASE_URL": cluster.url(),
            "DJANGO_SETTINGS_MODULE": "m50.conf.settings",
        }
        m50 = [sys.executable, "-m", "m50"]
        subprocess.run([*m50, "migrate", "--noinput", "-v0"], env=env, check=True)  # noqa: S603
        subprocess.run([*m50, "load-reference-data", "-v0"], env=env, check=True)  # noqa: S603
        port = free_port()
        gunicorn = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "gunicorn", "m50.conf.wsgi"]
            + ["--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--timeout", "30"]
            + ["--log-level", "warning"],
            env=env,
            # The 500s of the restart are logged with their tracebacks: kept out of the table.
            stderr=log,
        )
        _wait_for_port(port, gunicorn)
        base = f"http://127.0.0.1:{port}"
        print(
            f"Set-up (cluster, migrate, reference data, gunicorn): {time.monotonic() - began:.1f} s"
        )

        answers: list[Answer] = []
        stop, running = threading.Event(), threading.Event()
        running.set()
        parked = threading.Barrier(CLIENTS + 1)

        def client(index: int) -> None:
            turn = index
            while not stop.is_set():
                if not running.is_set():
                    parked.wait()  # its last request answered
                    running.wait()
                    continue
                answers.append(_get(base, PATHS[turn % len(PATHS)]))
                turn += 1

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        # Each worker loads the application on its first request: warm up on answers, not time.
        time.sleep(WARM_UP)
        while len(answers) < 5 * CLIENTS:
            time.sleep(0.1)
        workers_before = _children(gunicorn.pid)
        down_at = time.monotonic()
        cluster.stop()
        stopped_at = time.monotonic()
        time.sleep(DOWN)
        cluster.start()
        up_at = time.monotonic()
        time.sleep(AFTER)
        # Then a restart while no request runs: every worker still holds the connection of its
        # last request, now dead, and must notice before using it (CONN_HEALTH_CHECKS).
        running.clear()
        parked.wait()
        quiet_at = time.monotonic()
        cluster.stop()
        cluster.start()
        quiet_up_at = time.monotonic()
        running.set()
        time.sleep(AFTER)
        stop.set()
        for thread in threads:
            thread.join()
        workers_after = _children(gunicorn.pid)
        print(f"{len(answers)} requests in all")
        times = (down_at, stopped_at, up_at, quiet_at, quiet_up_at)
        return _report(answers, times, workers_before, workers_after)
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        cluster.remove()
        log.close()


def _report(answers, times, workers_before, workers_after) -> int:
    down_at, stopped_at, up_at, quiet_at, quiet_up_at = times
    before = [a for a in answers if a.started + a.seconds < down_at]
    during = [a for a in answers if stopped_at <= a.started < up_at]
    after = [a for a in answers if up_at <= a.started < quiet_at]
    after_quiet = [a for a in answers if a.started >= quiet_up_at]

    def summary(rows: list[Answer]) -> str:
        statuses = Counter(str(a.status) if a.status else a.error.split(":")[0] for a in rows)
        slowest = max((a.seconds for a in rows), default=0.0)
        return f"{len(rows)} requests, {dict(sorted(statuses.items()))}, slowest {slowest:.2f} s"

    print(f"PostgreSQL restart under load ({CLIENTS} clients, gunicorn {WORKERS} workers):")
    print(f"  before the restart:   {summary(before)}")
    print(f"  server down ({up_at - stopped_at:.1f} s): {summary(during)}")
    print(f"  after it was back:    {summary(after)}")
    print(f"  after a restart without load in between: {summary(after_quiet)}")
    failures = []
    if not before or any(a.status != 200 for a in before):
        failures.append("requests before the restart did not all succeed")
    if not during:
        failures.append("no request was made while the server was down")
    # The server accepts connections a moment before pg_ctl sees it, so a 200 is clean too.
    unclean = [a for a in during if a.status is None or 200 < a.status < 500]
    if unclean:
        failures.append(f"{len(unclean)} requests during the restart did not fail cleanly")
    # The platform's own error answers: its page, or problem+json for the API.
    expected = {PATHS[0]: "text/html", PATHS[1]: "application/problem+json"}
    foreign = [a for a in during if a.status == 500 and a.content_type != expected[a.path]]
    if foreign:
        failures.append(f"{len(foreign)} error answers were not the platform's error page")
    if not after or any(a.status != 200 for a in after):
        failures.append("requests after the restart did not all succeed")
    if not after_quiet or any(a.status != 200 for a in after_quiet):
        failures.append("requests after the restart without load did not all succeed")
    if not workers_before or workers_before != workers_after:
        failures.append(f"gunicorn workers changed: {workers_before} -> {workers_after}")
    for failure in failures:
        print(f"  FAILED: {failure}")
    if not failures:
        print("  OK: clean 5xx while down, every request after it succeeded, same workers.")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_faults", description=__doc__)
    parser.parse_known_args(argv)  # `python -m bench` passes every benchmark's options
    return run()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
