"""Benchmark of the invoice exports: 50,000 invoices as CSV and as XLSX, time and peak memory.

    python -m bench.bench_export                                        # SQLite
    python scripts/with_postgres.py .venv/bin/python -m bench.bench_export   # PostgreSQL

The export is measured as the invoice list answers ``?formaat=csv`` / ``?formaat=xlsx``: the
view's selection, the response, and the whole body read as a server would send it. Each run is
in a transaction that is rolled back, after a setup (not timed, not traced) that creates 5,000
members with ten years of numbered invoices each, a third of them with a payment.
"""

from __future__ import annotations

import argparse
import datetime
from decimal import Decimal

from bench.bench_import import TABLE_HEADER, Result, measure
from bench.harness import throwaway_database

MEMBERS = 5_000
YEARS = tuple(range(2016, 2026))
INVOICES = MEMBERS * len(YEARS)
BATCH = 2_000
PAYMENT = Decimal("1000.00")


def _invoices() -> None:
    from m50.finance import selectors
    from m50.finance.models import Invoice, Payment
    from m50.membership.models import Membership
    from m50.municipalities.models import Municipality, Province

    province, _created = Province.objects.get_or_create(code="PV97", defaults={"name": "Bench"})
    municipalities = Municipality.objects.bulk_create(
        (
            Municipality(code=f"GM{i:04d}", name=f"Benchgemeente {i:05d}", province=province)
            for i in range(MEMBERS)
        ),
        batch_size=BATCH,
    )
    memberships = Membership.objects.bulk_create(
        (Membership(municipality=m, listed_since="2015-01") for m in municipalities),
        batch_size=BATCH,
    )
    invoices = []
    for year in YEARS:
        issued = datetime.date(year, 1, 15)
        for sequence, membership in enumerate(memberships, start=1):
            invoices.append(
                Invoice(
                    number=f"{year}-{sequence:04d}",
                    year=year,
                    sequence=sequence,
                    membership=membership,
                    fee_year=year,
                    issue_date=issued,
                    due_date=issued + datetime.timedelta(days=30),
                    amount=Decimal("4132.23"),
                    vat_category="S",
                    vat_rate=Decimal("21.00"),
                    vat_amount=Decimal("867.77"),
                    total=Decimal("5000.00"),
                    description=f"Contributie M50 {year}",
                    state=Invoice.State.SENT,
                    debtor_name=f"Gemeente Benchgemeente {sequence:05d}",
                    debtor_oin=f"00000001{sequence:012d}",
                    purchase_order=f"PO-{year}-{sequence}",
                )
            )
    # Every third invoice has a payment of 1,000.00; its stored paid amount is set with it,
    # as the services would have written it (checked below against the payments).
    for invoice in invoices[::3]:
        invoice.paid_amount = PAYMENT
    Invoice.objects.bulk_create(invoices, batch_size=BATCH)
    Payment.objects.bulk_create(
        (
            Payment(invoice=invoice, paid_on=invoice.issue_date, amount=PAYMENT)
            for invoice in Invoice.objects.filter(paid_amount=PAYMENT).only("pk", "issue_date")
        ),
        batch_size=BATCH,
    )
    assert next(selectors.paid_differences(), None) is None


def _export(export_format: str) -> str:
    from m50.finance import exports, views

    today = datetime.date(2026, 6, 1)
    response = exports.invoices_response(
        views.invoice_list(today=today), export_format, today=today
    )
    # Read the body as a server sends it; an older export built it whole, in ``content``.
    if response.streaming:
        size = sum(len(chunk) for chunk in response.streaming_content)
        response.close()
    else:
        size = len(response.content)
    return f"{size / 2**20:.1f} MiB {export_format}"


def bench_exports() -> list[Result]:
    return [
        measure(
            f"invoice export {export_format}, {INVOICES:,} invoices",
            INVOICES,
            lambda export_format=export_format: _export(export_format),
            setup=_invoices,
        )
        for export_format in ("csv", "xlsx")
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_export", description=__doc__)
    parser.parse_args(argv)
    with throwaway_database("m50-bench-export-"):
        print(TABLE_HEADER)
        for result in bench_exports():
            print(result.line(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
