"""A command killed with SIGKILL halfway leaves nothing half-written; the next run does the work.

Each command runs as a real process on the test database (a file, or the PostgreSQL test
database), started through ``interrupt.py``, which stops it after a given row with that row's
writes done and the transaction still open. The test kills it there, checks that the database
is as before, runs the command again and checks that it completes the work.
"""

from __future__ import annotations

import datetime
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from m50.core.derived import derived_differences
from m50.core.models import AuditEvent
from m50.finance import services
from m50.finance.models import BankStatement, Invoice, InvoiceSequence, Payment, StatementLine
from m50.membership.models import Membership
from m50.membership.services import membership_listed_create
from m50.municipalities.models import PopulationCount
from tests.factories import MunicipalityFactory, PopulationCountFactory
from tests.faults import database_env, m50
from tests.finance.test_camt import entry_xml, make_invoices, statement_xml

pytestmark = pytest.mark.django_db(transaction=True)

INTERRUPT = Path(__file__).with_name("interrupt.py")
# How long a process may take to reach its stop: starting Django and the work before it.
START_TIMEOUT = 60


def killed_halfway(tmp_path: Path, at: str, call: int, *command: str, sets=()) -> None:
    """Runs ``m50 COMMAND`` until after the ``call``-th call of ``at``, and kills it there."""
    halfway = tmp_path / "halfway"
    process = subprocess.Popen(
        [
            sys.executable,
            str(INTERRUPT),
            "--signal",
            str(halfway),
            "--at",
            at,
            "--call",
            str(call),
            *[f"--set={value}" for value in sets],
            "--",
            *command,
        ],
        env=database_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while not halfway.exists():
            if process.poll() is not None:
                out, err = process.communicate()
                pytest.fail(f"{command} ended before its stop:\n{out}\n{err}")
            if time.monotonic() > deadline:
                pytest.fail(f"{command} did not reach its stop within {START_TIMEOUT} s")
            time.sleep(0.02)
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate()
    assert process.returncode == -signal.SIGKILL


def completed(*command: str) -> str:
    result = m50(*command)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


# --- Invoice run ------------------------------------------------------------------------------


def invoice_state() -> tuple:
    return (
        Invoice.objects.count(),
        InvoiceSequence.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    ("at", "call"),
    [
        # Halfway the rows: the invoices being built, the year's number series locked.
        ("m50.finance.services:_vat", 20),
        # After the insert of every invoice and the run's audit row, before the commit.
        ("m50.finance.services:audit_record", 1),
    ],
)
def test_an_invoice_run_killed_halfway_leaves_nothing_and_the_next_run_completes(
    tmp_path, at, call
):
    services.fee_reference_load()
    for _index in range(30):
        membership_listed_create(municipality=MunicipalityFactory(), listed_since="2023-04")
    before = invoice_state()
    command = ("invoice-run", "--year", "2024", "--datum", "2024-01-16")

    killed_halfway(tmp_path, at, call, *command)

    assert invoice_state() == before
    assert "30 facturen aangemaakt" in completed(*command)
    assert Invoice.objects.count() == 30
    assert Membership.objects.filter(invoices__fee_year=2024).distinct().count() == 30
    assert AuditEvent.objects.filter(action="invoice.run").count() == 1
    assert derived_differences() == []
    assert "alle facturen voor 2024 bestaan al" in completed(*command)


# --- CAMT import ------------------------------------------------------------------------------


def bank_state() -> tuple:
    return (
        BankStatement.objects.count(),
        StatementLine.objects.count(),
        Payment.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_camt_import_killed_halfway_leaves_nothing_and_the_next_run_completes(tmp_path):
    invoices = make_invoices(30)
    statement = tmp_path / "afschrift.xml"
    statement.write_bytes(
        statement_xml(
            [
                entry_xml(
                    "5000.00",
                    ustrd=f"Factuur {invoice.number}",
                    reference=f"REF{index:04d}",
                    debtor=invoice.debtor_name,
                )
                for index, invoice in enumerate(invoices)
            ]
        )
    )
    before = bank_state()

    # Batches of 5: three batches of lines and payments are written when it stops.
    killed_halfway(
        tmp_path,
        "m50.finance.payments:_entry_result",
        17,
        "import-camt",
        str(statement),
        sets=["m50.finance.payments:BATCH_SIZE=5"],
    )

    assert bank_state() == before
    completed("import-camt", str(statement))
    assert (BankStatement.objects.count(), StatementLine.objects.count()) == (1, 30)
    assert Payment.objects.count() == 30
    assert set(Payment.objects.values_list("invoice__number", flat=True)) == {
        invoice.number for invoice in invoices
    }
    assert AuditEvent.objects.filter(action="bank_statement.import").count() == 1
    assert derived_differences() == []
    completed("import-camt", str(statement))  # delivered again: nothing changes
    assert Payment.objects.count() == 30


# --- CBS import -------------------------------------------------------------------------------


def population() -> list[tuple]:
    return list(
        PopulationCount.objects.order_by("municipality__code", "year").values_list(
            "municipality__code", "year", "inhabitants", "source"
        )
    )


def test_a_cbs_import_killed_halfway_leaves_nothing_and_the_next_run_completes(tmp_path):
    counts = [PopulationCountFactory(year=2024, inhabitants=40_000) for _index in range(30)]
    lines = [
        "peildatum,gm_code,gemeentenaam,provincie_code,provincie,inwoners,cbs_tabel,cbs_variabele"
    ]
    for index, count in enumerate(counts):
        m = count.municipality
        row = f"{m.code},{m.name},{m.province.code},{m.province.name}"
        lines.append(f"2025-01-01,{row},{41_000 + index},37259NED,BevolkingOp1Januari_1")
        if index % 3 == 0:  # a correction of 2024 for every third
            lines.append(f"2024-01-01,{row},{40_500 + index},37259NED,BevolkingOp1Januari_1")
    file = tmp_path / "bevolking.csv"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = population()
    events = AuditEvent.objects.count()

    # Stopped after the new years are inserted and the corrections updated, before the commit.
    killed_halfway(
        tmp_path,
        "m50.municipalities.services:_population_counts_update",
        1,
        "import-cbs",
        str(file),
        sets=["m50.municipalities.services:BATCH_SIZE=7"],
    )

    assert population() == before
    assert AuditEvent.objects.count() == events
    completed("import-cbs", str(file))
    assert PopulationCount.objects.filter(year=2025).count() == 30
    assert sorted(
        PopulationCount.objects.filter(year=2024, inhabitants__gt=40_000).values_list(
            "inhabitants", flat=True
        )
    ) == [40_500 + index for index in range(0, 30, 3)]
    assert AuditEvent.objects.filter(action="population.import").count() == 1
    assert derived_differences() == []


# Not a fault, but the premise of the tests above: the stop is reached only on the given call,
# and a command run through the wrapper without reaching it completes normally.
def test_the_wrapper_leaves_a_command_that_does_not_reach_its_stop_alone(tmp_path):
    services.fee_reference_load()
    membership_listed_create(municipality=MunicipalityFactory(), listed_since="2023-04")
    result = subprocess.run(
        [
            sys.executable,
            str(INTERRUPT),
            "--signal",
            str(tmp_path / "halfway"),
            "--at",
            "m50.finance.services:_vat",
            "--call",
            "2",
            "--",
            "invoice-run",
            "--year",
            "2024",
            "--datum",
            str(datetime.date(2024, 1, 16)),
        ],
        env=database_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "halfway").exists()
    assert Invoice.objects.count() == 1
