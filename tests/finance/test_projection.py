"""The paid amount of an invoice is a projection of its payments: every service that books or
undoes a payment rewrites it, ``m50 check-derived`` recomputes it and reports any difference,
and the pages and the API filter and sort on it at a cost that does not grow with the data."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from m50.core.derived import derived_differences
from m50.core.models import AuditEvent
from m50.finance import payments, selectors, services
from m50.finance.models import Invoice, Payment, StatementLine
from m50.finance.selectors import Status
from tests.finance.test_camt_real_world import document, make_invoices, ntry
from tests.finance.test_pages import bulk_invoices

pytestmark = pytest.mark.django_db

PAID_ON = datetime.date(2024, 3, 20)
AMOUNTS = [Decimal(a) for a in ("0.01", "1000.00", "1234.56", "2500.00", "4999.99", "5000.00")]


def paid_by_payments() -> dict[int, Decimal]:
    sums = dict(
        Payment.objects.values("invoice")
        .annotate(total=Sum("amount"))
        .values_list("invoice", "total")
    )
    return {
        pk: sums.get(pk) or Decimal("0.00") for pk in Invoice.objects.values_list("pk", flat=True)
    }


def stored_paid() -> dict[int, Decimal]:
    return dict(Invoice.objects.values_list("pk", "paid_amount"))


def assert_consistent() -> None:
    assert derived_differences() == []
    assert stored_paid() == paid_by_payments()


# --- Random histories -------------------------------------------------------------------------


class History:
    """Applies steps through the real services; a step the services refuse changes nothing."""

    def __init__(self, invoices: list[Invoice]):
        self.invoices = invoices
        self.step = 0
        self.imported: list[tuple[str, Decimal, int]] = []  # end-to-end id, amount, payer

    def _import(self, *entries: str):
        self.step += 1
        n = self.step
        return payments.bank_statement_import(
            file=document(
                list(entries), message_id=f"M-{n}", statement_id=f"S-{n}", sequence=str(n)
            )
        )

    def register(self, index: int, amount: Decimal) -> None:
        services.payment_register(invoice=self.invoices[index], paid_on=PAID_ON, amount=amount)

    def bank(self, index: int, amount: Decimal) -> None:
        """A credit naming the invoice: booked by the import when it fits what is open."""
        e2e = f"E-{self.step + 1}"
        self._import(
            ntry(
                str(amount),
                ustrd=(f"Factuur {self.invoices[index].number}",),
                bank_ref=f"R-{self.step + 1}",
                end_to_end=e2e,
                payer=index,
            )
        )
        self.imported.append((e2e, amount, index))

    def by_hand(self, index: int, amount: Decimal) -> None:
        """A credit naming no invoice, matched by hand by the bureau."""
        e2e = f"E-{self.step + 1}"
        self._import(
            ntry(
                str(amount),
                ustrd=("contributie",),
                bank_ref=f"R-{self.step + 1}",
                end_to_end=e2e,
                payer=index,
            )
        )
        self.imported.append((e2e, amount, index))
        line = StatementLine.objects.get(end_to_end_id=e2e)
        payments.statement_line_match(line=line, invoice=self.invoices[index], actor=None)

    def reverse(self, which: int, _amount: Decimal) -> None:
        """The bank reverses an incoming entry imported before: its payment is undone."""
        if not self.imported:
            return
        e2e, amount, payer = self.imported[which % len(self.imported)]
        self._import(
            ntry(
                str(amount),
                credit=False,
                reversal=True,
                end_to_end=e2e,
                bank_ref=f"R-{self.step + 1}",
                value=None,
                payer=payer,
            )
        )

    def credit(self, index: int, _amount: Decimal) -> None:
        services.invoice_credit(
            invoice=self.invoices[index], reason="verkeerd bedrag", issue_date=PAID_ON
        )


STEPS = st.lists(
    st.tuples(
        st.sampled_from(["register", "bank", "by_hand", "reverse", "credit"]),
        st.integers(min_value=0, max_value=2),
        st.sampled_from(AMOUNTS),
    ),
    min_size=1,
    max_size=8,
)


def test_random_payment_histories_leave_the_paid_amounts_equal_to_the_payments():
    invoices = make_invoices(3)

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(steps=STEPS)
    def run(steps):
        # Each history in a savepoint that is rolled back: the next starts from the invoices.
        with transaction.atomic():
            history = History(invoices)
            for action, index, amount in steps:
                try:
                    with transaction.atomic():
                        getattr(history, action)(index, amount)
                    event(f"{action}: done")
                except ValidationError:
                    event(f"{action}: refused")
                assert_consistent()
                for invoice in selectors.invoice_queryset():
                    # The status the pages filter on is the status the rows show.
                    status = selectors.invoice_status(invoice)
                    assert (
                        selectors.invoice_queryset()
                        .filter(
                            selectors.invoice_status_q(status, timezone.localdate()), pk=invoice.pk
                        )
                        .exists()
                    ), (invoice, status)
            transaction.set_rollback(True)

    run()


def test_every_payment_service_writes_the_paid_amount():
    """Registered by hand, booked by the import, matched by hand, reversed by the bank."""
    invoices = make_invoices(3)
    history = History(invoices)
    history.register(0, Decimal("1000.00"))
    history.bank(0, Decimal("1500.00"))
    history.by_hand(1, Decimal("5000.00"))
    history.bank(2, Decimal("2500.00"))
    assert [i.paid_amount for i in Invoice.objects.order_by("number")] == [
        Decimal("2500.00"),
        Decimal("5000.00"),
        Decimal("2500.00"),
    ]
    history.reverse(0, Decimal("0"))  # the 1500 on the first
    history.reverse(1, Decimal("0"))  # the 5000 on the second
    assert [i.paid_amount for i in Invoice.objects.order_by("number")] == [
        Decimal("1000.00"),
        Decimal("0.00"),
        Decimal("2500.00"),
    ]
    assert_consistent()


# --- m50 check-derived ------------------------------------------------------------------------


def check_derived(*args) -> str:
    out = StringIO()
    call_command("check-derived", *args, stdout=out)
    return out.getvalue()


def test_check_derived_on_a_consistent_database_reports_nothing():
    make_invoices(2)
    output = check_derived()
    assert "finance.invoice_paid: 0 afwijkingen." in output
    assert "Afgeleide gegevens gecontroleerd." in output


def test_check_derived_on_an_empty_database_reports_nothing():
    assert "Afgeleide gegevens gecontroleerd." in check_derived()


def test_check_derived_reports_a_tampered_paid_amount_and_repair_restores_it():
    first = make_invoices(2)[0]
    services.payment_register(invoice=first, paid_on=PAID_ON, amount=Decimal("1200.00"))
    Invoice.objects.filter(pk=first.pk).update(paid_amount=Decimal("5000.00"))
    draft = services.invoice_run(year=2025, issue_date=datetime.date(2025, 1, 10))[0]
    Invoice.objects.filter(pk=draft.pk).update(paid_amount=Decimal("7.00"))
    # The tampered row shows as paid: the pages trust the projection.
    assert Invoice.objects.filter(
        selectors.invoice_status_q(Status.PAID, PAID_ON), pk=first.pk
    ).exists()

    out = StringIO()
    with pytest.raises(CommandError, match="2 afgeleide gegevens wijken af"):
        call_command("check-derived", stdout=out)
    assert (
        "finance.invoice_paid factuur 2024-0001: opgeslagen 5000.00, berekend 1200.00"
        in out.getvalue()
    )
    assert f"finance.invoice_paid concept #{draft.pk}: opgeslagen 7.00, berekend 0.00" in (
        out.getvalue()
    )

    output = check_derived("--repair", "--operator", "beheerder")
    assert "finance.invoice_paid: hersteld (2 rijen herschreven)." in output
    assert Invoice.objects.get(pk=first.pk).paid_amount == Decimal("1200.00")
    event = AuditEvent.objects.get(action="derived.repair")
    assert event.object_id == "finance.invoice_paid"
    assert event.changes["afwijkingen"] == {"old": 2, "new": 0}
    assert "0 afwijkingen" in check_derived()


# --- At the same moment -----------------------------------------------------------------------


def _at_once(*calls) -> list:
    results: list = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index: int) -> None:
        try:
            start.wait()
            results[index] = calls[index]()
        except Exception as exc:  # noqa: BLE001 - asserted by the caller
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_payments_booked_at_the_same_moment_on_one_invoice_all_count():
    (invoice,) = make_invoices(1)
    statement = document(
        [ntry("2000.00", ustrd=("Factuur 2024-0001",), bank_ref="R-1", end_to_end="E-1")]
    )

    results = _at_once(
        lambda: services.payment_register(
            invoice=invoice, paid_on=PAID_ON, amount=Decimal("1000.00")
        ),
        lambda: services.payment_register(
            invoice=invoice, paid_on=PAID_ON, amount=Decimal("1500.00")
        ),
        lambda: payments.bank_statement_import(file=statement),
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    invoice.refresh_from_db()
    assert invoice.paid_amount == Decimal("4500.00") == paid_by_payments()[invoice.pk]
    assert derived_differences() == []


# --- Cost that does not grow with the invoices ------------------------------------------------


def invoices_with_payments(count: int, start: int) -> None:
    """``count`` invoices (see ``test_pages.bulk_invoices``: every status on the page), and two
    more payments on every open one, in bulk; the paid amounts then by the rebuild."""
    bulk_invoices(count, start=start)
    open_invoices = Invoice.objects.filter(selectors.open_condition(), number__isnull=False)
    Payment.objects.bulk_create(
        Payment(invoice=invoice, paid_on=PAID_ON, amount=amount)
        for invoice in open_invoices
        for amount in (Decimal("10.00"), Decimal("20.00"))
    )
    services.invoice_paid_rebuild()


@pytest.fixture
def bureau(client, bureau_user):
    client.force_login(bureau_user)
    return client


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        reverse("finance:invoice_list"),
        reverse("finance:invoice_list") + "?status=paid",
        reverse("finance:invoice_list") + "?status=partly_paid",
        reverse("finance:invoice_list") + "?status=overdue",
        "/api/v1/facturen?status=betaald",
        "/api/v1/facturen?status=deels-betaald&pageSize=5",
    ],
)
def test_invoice_lists_cost_the_same_at_10_and_1000_invoices(bureau, url):
    invoices_with_payments(10, start=1000)
    small = count_queries(bureau, url)
    invoices_with_payments(990, start=2000)
    assert Invoice.objects.count() > 1000
    assert Payment.objects.count() > 1500
    assert count_queries(bureau, url) == small
    assert derived_differences() == []


def test_the_invoice_detail_costs_the_same_at_10_and_1000_invoices(bureau):
    invoices_with_payments(10, start=1000)
    target = Invoice.objects.filter(
        selectors.open_condition(), number__isnull=False, payments__isnull=False
    ).first()
    url = reverse("finance:invoice_detail", args=[target.number])
    small = count_queries(bureau, url)
    invoices_with_payments(990, start=2000)
    # And more payments on this one invoice.
    services.payment_register(invoice=target, paid_on=PAID_ON, amount=Decimal("1.00"))
    services.payment_register(invoice=target, paid_on=PAID_ON, amount=Decimal("2.00"))
    assert count_queries(bureau, url) == small
