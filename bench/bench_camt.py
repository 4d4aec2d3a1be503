"""Benchmark of the CAMT.053 import: statements of 1,000 and 10,000 lines against 10,000 invoices.

Runs against a throw-away test database, like ``bench_import``: a temporary SQLite file, or
``test_<name>`` on the PostgreSQL server of ``DATABASE_URL``:

    python -m bench                                                # SQLite
    python scripts/with_postgres.py .venv/bin/python -m bench      # PostgreSQL

The invoices are made once, through the services, for 5,000 synthetic members over 2023 and
2024 (numbers 2023-0001..2023-5000 and 2024-0001..2024-5000: four digits, as the invoice
number column and the matching pattern expect). Each import is then timed three times (the
best counts), each in a transaction that is rolled back. The import should grow linearly: rows/s
about equal at both sizes.
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from bench.bench_import import (
    TABLE_HEADER,
    Result,
    _in_rolled_back_transaction,
    synthetic_municipalities,
)

ACCOUNT = "NL91ABNA0417164300"
MEMBERS = 5_000
YEARS = (2023, 2024)


def _entry(index: int, number: str) -> str:
    """One booked entry in a Dutch bank's layout; a realistic mix of what arrives.

    Of every 20 lines: 16 pay an invoice in full (every fourth of them with the number as a
    structured reference), 2 pay half, 1 has no reference, 1 is money out (bank costs).
    """
    kind = index % 20
    credit, amount, ustrd, ref = "CRDT", "5000.00", f"Factuur {number} contributie M50", ""
    if kind in (16, 17):
        amount, ustrd = "2500.00", f"Contributie M50 eerste termijn factuur {number}"
    elif kind == 18:
        ustrd = "Bijdrage lidmaatschap"
    elif kind == 19:
        credit, amount, ustrd = "DBIT", "3.95", "Kosten betalingsverkeer"
    elif kind % 4 == 0:
        ustrd, ref = "", number
    remittance = f"<Ustrd>{ustrd}</Ustrd>" if ustrd else ""
    if ref:
        remittance += f"<Strd><CdtrRefInf><Ref>{ref}</Ref></CdtrRefInf></Strd>"
    party = "Dbtr" if credit == "CRDT" else "Cdtr"
    return f"""      <Ntry>
        <Amt Ccy="EUR">{amount}</Amt>
        <CdtDbtInd>{credit}</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2024-03-15</Dt></BookgDt>
        <ValDt><Dt>2024-03-15</Dt></ValDt>
        <AcctSvcrRef>B{index:09d}</AcctSvcrRef>
        <NtryDtls>
          <TxDtls>
            <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
            <RltdPties>
              <{party}><Nm>Benchgemeente {index:05d}</Nm></{party}>
              <{party}Acct><Id><IBAN>NL38BNGH0285012345</IBAN></Id></{party}Acct>
            </RltdPties>
            <RmtInf>{remittance}</RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>
"""


def write_statement(
    path: Path, numbers: list[str], *, message_id: str, bad_last_line: bool = False
) -> int:
    """A CAMT.053.001.02 statement with one line per invoice number. Returns the line count."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">\n'
            "  <BkToCstmrStmt>\n"
            f"    <GrpHdr><MsgId>{message_id}</MsgId>"
            "<CreDtTm>2024-03-16T06:00:00+01:00</CreDtTm></GrpHdr>\n"
            "    <Stmt>\n"
            f"      <Id>{message_id}-1</Id>\n"
            f"      <Acct><Id><IBAN>{ACCOUNT}</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
        )
        for index, number in enumerate(numbers):
            handle.write(_entry(index, number))
        if bad_last_line:
            handle.write(
                _entry(len(numbers), "2024-0001").replace(
                    '<Amt Ccy="EUR">5000.00</Amt>', '<Amt Ccy="EUR">5.000,00</Amt>'
                )
            )
        handle.write("    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n")
    return len(numbers) + int(bad_last_line)


def bench_numbers() -> list[str]:
    """The invoice numbers the benchmark made (for statements that only need their form)."""
    return [f"{year}-{n:04d}" for year in YEARS for n in range(1, MEMBERS + 1)]


def make_invoices() -> list[str]:
    """10,000 invoices through the services; committed, so every scenario starts from them."""
    from django.db import transaction

    from m50.finance import services
    from m50.membership.models import Membership
    from m50.membership.projection import status_periods_rebuild
    from m50.municipalities.models import Municipality

    with transaction.atomic():
        codes = [code for code, _name in synthetic_municipalities(MEMBERS)]
        Membership.objects.bulk_create(
            [
                Membership(municipality=m, listed_since="2023-04")
                for m in Municipality.objects.filter(code__in=codes)
            ],
            batch_size=500,
        )
        status_periods_rebuild()  # what the services write one by one, for the whole bulk
        services.fee_reference_load()
        numbers = []
        for year in YEARS:
            invoices = services.invoice_run(year=year, issue_date=datetime.date(year, 1, 16))
            # Drafts get their numbers when they are sent.
            numbers += [
                services.invoice_mark_sent(
                    invoice=invoice, recipients=["f@gemeente.example"]
                ).number
                for invoice in invoices
            ]
    return numbers


def measure(
    scenario: str,
    rows: int,
    function: Callable[[], object],
    *,
    setup: Callable[[], object] | None = None,
    repeat: int = 3,
) -> Result:
    """Like ``bench_import.measure``, but the best of ``repeat`` timed runs: a shared machine's
    noise only ever adds time. Each run, and the traced one for the peak memory, is rolled
    back."""
    timings = [_in_rolled_back_transaction(function, setup) for _ in range(repeat)]
    outcome, seconds = min(timings, key=lambda timing: timing[1])

    def traced():
        tracemalloc.start()
        try:
            function()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak, _seconds = _in_rolled_back_transaction(traced, setup)
    return Result(scenario, rows, seconds, peak, str(outcome))


def _summary(report) -> str:
    if isinstance(report, Exception):
        return f"refused: {len(getattr(report, 'problems', []))} problem(s)"
    return (
        f"lines {report.lines}, paid {report.matched}, partial {report.partial}, "
        f"unmatched {report.unmatched}" + ("" if report.changed else " (already imported)")
    )


def bench_camt_import(workdir: Path) -> list[Result]:
    from m50.finance import camt, payments

    numbers = make_invoices()
    assert len(numbers) == MEMBERS * len(YEARS), len(numbers)

    def run(path: Path):
        def function():
            try:
                return _summary(payments.bank_statement_import(file=path))
            except camt.CamtError as exc:
                return _summary(exc)

        return function

    def parse(path: Path):
        def function():
            message = camt.parse(path)
            return f"parsed {message.entry_count} entries"

        return function

    # One untimed import first: the first in a process also pays for loading the translations
    # and compiling the queries, which would make the small file look slower per line.
    warm_up = workdir / "camt-warm-up.xml"
    write_statement(warm_up, numbers[:100], message_id="WARMUP")
    _in_rolled_back_transaction(run(warm_up), None)

    results = []
    for label, count in (("1,000 lines", 1_000), ("10,000 lines", 10_000)):
        path = workdir / f"camt-{count}.xml"
        bad = workdir / f"camt-{count}-bad.xml"
        rows = write_statement(path, numbers[:count], message_id=f"BENCH{count}")
        write_statement(bad, numbers[:count], message_id=f"BAD{count}", bad_last_line=True)
        results.append(measure(f"camt.parse only, {label}", rows, parse(path)))
        results.append(measure(f"bank_statement_import, {label}", rows, run(path)))
        results.append(
            measure(
                f"bank_statement_import, same file again, {label}",
                rows,
                run(path),
                setup=lambda path=path: payments.bank_statement_import(file=path),
            )
        )
        results.append(
            measure(f"bank_statement_import, refused (1 bad amount), {label}", rows + 1, run(bad))
        )
    return results


# Run in a fresh interpreter: prints its peak resident set size (KiB) after reading the file
# as the import does (a stream), as a whole lxml tree (how it was read before), or not at all.
_RSS_PROBE = """
import os, resource, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "m50.conf.settings")
import django
django.setup()
from lxml import etree
from m50.finance import camt
mode, path = sys.argv[1], sys.argv[2]
if mode == "stream":
    camt.parse(path, on_entry=lambda position, entry: None)  # each pass of the import
elif mode == "kept":
    camt.parse(path)
elif mode == "tree":
    etree.fromstring(open(path, "rb").read())
def peak():
    # VmHWM starts afresh at exec; ru_maxrss would carry over the parent's size.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(peak())
"""


def _max_rss(mode: str, path: Path) -> int:
    """The peak resident memory, in bytes, of a fresh Python that reads ``path`` by ``mode``."""
    output = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", _RSS_PROBE, mode, str(path)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    ).stdout
    return int(output.split()[-1]) * 1024  # KiB


def memory_figures(workdir: Path, numbers: list[str], results: list[Result]) -> list[str]:
    """The memory the 10,000-line import needs, and what reading a statement costs the process.

    tracemalloc counts Python's allocations only; libxml2's tree is C memory, so the parse is
    also measured as the growth of a fresh process's peak resident set size over one that
    reads nothing, next to reading the same file as one whole tree (as before the stream).
    """
    by_name = {result.scenario: result for result in results}
    lines = []
    imported = by_name["bank_statement_import, 10,000 lines"]
    lines.append(
        f"Memory: bank_statement_import of 10,000 lines: peak Python allocations "
        f"{imported.peak_bytes / 2**20:.1f} MiB (tracemalloc)"
    )
    for label, count in (("10,000 lines", 10_000), ("40,000 lines", 40_000)):
        path = workdir / f"camt-memory-{count}.xml"
        repeated = (numbers * (count // len(numbers) + 1))[:count]
        write_statement(path, repeated, message_id=f"MEM{count}")
        size = path.stat().st_size
        base = _max_rss("none", path)
        stream = _max_rss("stream", path) - base
        kept = _max_rss("kept", path) - base
        tree = _max_rss("tree", path) - base
        lines.append(
            f"Memory: reading {label} ({size / 2**20:.0f} MiB file), growth of peak RSS: "
            f"streamed as the import does {stream / 2**20:.0f} MiB; streamed keeping every "
            f"entry {kept / 2**20:.0f} MiB; one whole lxml tree {tree / 2**20:.0f} MiB"
        )
        path.unlink()
    return lines


def linearity(results: list[Result]) -> str:
    by_name = {result.scenario: result for result in results}
    small = by_name["bank_statement_import, 1,000 lines"]
    large = by_name["bank_statement_import, 10,000 lines"]
    ratio = large.seconds / small.seconds if small.seconds else float("nan")
    return (
        f"bank_statement_import 10,000 vs 1,000 lines: {ratio:.1f}x the time for 10x the lines "
        f"({small.rows / small.seconds:,.0f} vs {large.rows / large.seconds:,.0f} rows/s)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_camt", description=__doc__)
    parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="m50-bench-camt-") as tmp:
        workdir = Path(tmp)
        os.environ.setdefault("M50_SQLITE_TEST_PATH", str(workdir / "bench.sqlite3"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "m50.conf.settings")
        import django

        django.setup()
        from django.db import connection
        from django.test.utils import setup_test_environment, teardown_test_environment

        if connection.vendor == "sqlite":
            # A file of our own, also when another benchmark ran first in this process and
            # its temporary folder is gone: the figures include real writes.
            connection.settings_dict["TEST"]["NAME"] = str(workdir / "bench_camt.sqlite3")
        setup_test_environment()
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
            print(TABLE_HEADER)
            results = []
            for result in bench_camt_import(workdir):
                print(result.line(), flush=True)
                results.append(result)
            print(linearity(results))
            for line in memory_figures(workdir, bench_numbers(), results):
                print(line, flush=True)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
