"""Run a command against a throw-away PostgreSQL server.

Creates a cluster in a temporary folder, starts it on a free loopback port, runs the command
with ``DATABASE_URL`` pointing at it, and stops and removes the cluster afterwards, whatever
the command's outcome. PostgreSQL refuses to run as root, so as root the cluster is run by
the ``postgres`` system user that Debian's package creates.

Usage: python scripts/with_postgres.py COMMAND [ARGS...]
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path


def pg_bindir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for candidate in candidates:
        if Path(candidate, "pg_ctl").exists():
            return Path(candidate)
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    sys.exit("ERROR: PostgreSQL server binaries (pg_ctl) not found; install package 'postgresql'.")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster in a temporary folder, on a free loopback port, trusting local
    connections; as root, run by the ``postgres`` system user."""

    def __init__(self) -> None:
        self.bindir = pg_bindir()
        self.run_as: list[str] = []
        self.workdir = Path(tempfile.mkdtemp(prefix="m50-pg-"))
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.workdir, user.pw_uid, user.pw_gid)
            self.run_as = ["runuser", "-u", "postgres", "--"]
        self.datadir, self.sockdir = self.workdir / "data", self.workdir / "sock"
        self.port = free_port()
        subprocess.run([*self.run_as, "mkdir", "-p", str(self.sockdir)], check=True)
        subprocess.run(
            [
                *self.run_as,
                str(self.bindir / "initdb"),
                "-D",
                str(self.datadir),
                "-U",
                "m50",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgres://m50@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        # Durability is irrelevant for a test cluster; speed is not. No autovacuum: every test
        # rolls its rows back, so a vacuum records each table as holding 0 rows on its pages,
        # and the planner then takes the next test's 1,000 rows for one and chooses nested
        # loops that run for minutes. Never vacuumed, it estimates from the table's size.
        options = (
            f"-p {self.port} -k {self.sockdir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100 "
            "-c autovacuum=off"
        )
        subprocess.run(
            [
                *self.run_as,
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.datadir),
                "-o",
                options,
                "-l",
                str(self.workdir / "server.log"),
                "-w",
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            [*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", mode]
            + ["-w", "stop"],
            stdout=subprocess.DEVNULL,
        )

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


def main(argv: list[str]) -> int:
    if not argv:
        sys.exit(__doc__)
    cluster = Cluster()
    try:
        cluster.start()
        env = dict(os.environ, DATABASE_URL=cluster.url())
        print(f"PostgreSQL {cluster.bindir.parent.name} test server on 127.0.0.1:{cluster.port}")
        sys.stdout.flush()
        return subprocess.run(argv, env=env).returncode
    finally:
        cluster.remove()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
