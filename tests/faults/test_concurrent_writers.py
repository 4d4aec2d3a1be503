"""Many writers at once get no "database is locked": they queue for SQLite's write lock.

Threads write through the services and log in through the pages, and two other processes write
through the services too, all released at the same moment. On SQLite every transaction takes
the write lock at BEGIN (``transaction_mode`` IMMEDIATE) and waits up to ``M50_SQLITE_TIMEOUT``
for it; a transaction that read first and then tried to write would instead fail at once when
another writer committed in between. The same test runs on PostgreSQL, where the writers
queue on row locks.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from m50.accounts.models import Role
from m50.contacts.models import Person
from m50.finance import services
from m50.finance.models import Payment
from tests.conftest import PASSWORD
from tests.faults import database_env
from tests.finance import RUN_DATE
from tests.finance.test_camt import make_invoices

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 10
PAYMENT_THREADS = 4
PEOPLE_THREADS = 2
WEB_THREADS = 2
# A login costs a password hash (deliberately slow); two per thread are enough.
WEB_ROUNDS = 2
PROCESSES = 2

# A process of its own: says it is ready, waits for the start signal, then writes through the
# services.
PROCESS_CODE = """
import pathlib, sys, time
from m50.contacts import services
go = pathlib.Path(sys.argv[-1])
go.with_name(f"ready-{{sys.argv[-2]}}").touch()
while not go.exists():
    time.sleep(0.005)
for round in range({rounds}):
    services.person_create(surname=f"Proces {{sys.argv[-2]}} ronde {{round}}")
"""


def test_concurrent_writers_all_succeed_without_a_lock_error(tmp_path, user_for_role):
    invoices = make_invoices(PAYMENT_THREADS)
    bureau = user_for_role(Role.BUREAU, username="bureau")
    bureau.set_password(PASSWORD)
    bureau.save()
    go = tmp_path / "go"
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import django, os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                "'m50.conf.settings'); django.setup(); exec(sys.argv[1])",
                PROCESS_CODE.format(rounds=ROUNDS),
                str(index),
                str(go),
            ],
            env=database_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for index in range(PROCESSES)
    ]
    errors: list[BaseException] = []
    statuses: list[int] = []
    start = threading.Barrier(PAYMENT_THREADS + PEOPLE_THREADS + WEB_THREADS)

    def pay(index: int) -> None:
        for _round in range(ROUNDS):
            services.payment_register(
                invoice=invoices[index], paid_on=RUN_DATE, amount=Decimal("100.00")
            )

    def people(index: int) -> None:
        from m50.contacts import services as contacts

        for round_ in range(ROUNDS):
            contacts.person_create(surname=f"Draad {index} ronde {round_}")

    def web(_index: int) -> None:
        client = Client()
        for _round in range(WEB_ROUNDS):
            response = client.post(
                reverse("accounts:login"), {"username": "bureau", "password": PASSWORD}
            )
            statuses.append(response.status_code)
            statuses.append(client.post(reverse("accounts:logout")).status_code)

    def run(work, index: int) -> None:
        try:
            start.wait()
            work(index)
        except BaseException as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(work, index))
        for work, count in ((pay, PAYMENT_THREADS), (people, PEOPLE_THREADS), (web, WEB_THREADS))
        for index in range(count)
    ]
    # Every writer starts at the same moment: the processes once Django has started in them.
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"ready-{index}").exists() for index in range(PROCESSES)):
        assert time.monotonic() < deadline, "the writer processes did not start"
        assert all(process.poll() is None for process in processes)
        time.sleep(0.02)
    go.touch()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outputs = [process.communicate(timeout=120) for process in processes]

    assert errors == []
    for process, (_out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
        assert "locked" not in err
    assert Payment.objects.count() == PAYMENT_THREADS * ROUNDS
    assert Person.objects.count() == (PEOPLE_THREADS + PROCESSES) * ROUNDS
    assert set(statuses) == {302}
    assert len(statuses) == WEB_THREADS * WEB_ROUNDS * 2
