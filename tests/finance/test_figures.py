"""Counts and totals over all invoices, payments and bank lines are kept per version of the
data (``m50.core.versions.VersionedFigures``): every finance service raises the version, so a
page never shows a figure older than the data, and a list of 12,000 invoices costs what one of
2,000 does."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from m50.core.versions import FINANCE, data_version_bump, data_versions
from m50.finance import payments, sending, services
from m50.finance.models import Invoice, StatementLine
from m50.membership.models import Membership
from tests.finance.test_camt_real_world import make_invoices
from tests.finance.test_projection import History

pytestmark = pytest.mark.django_db

MAIL = "facturen@gemeente.example"

PAGES = {
    "overview": ("finance:overview", {}, ("totals", "overdue", "unmatched")),
    "invoices": ("finance:invoice_list", {}, ("totals",)),
    "paid": ("finance:invoice_list", {"status": "paid"}, ("totals",)),
    "open": ("finance:open_amounts", {}, ("totals", "rows")),
    "payments": ("finance:payment_list", {}, ("total",)),
    "reminders": ("finance:reminders", {}, ("due_count",)),
    "bank": (
        "finance:bank_lines",
        {},
        ("unbooked_count", "dismissed_count", "reversed_count", "to_review_count"),
    ),
}


def finance_version() -> int:
    return data_versions([FINANCE])[FINANCE].version


def shown(client) -> dict:
    """Every figure the finance pages and the bureau's work queue show."""
    figures = {}
    for name, (url, query, keys) in PAGES.items():
        response = client.get(reverse(url), query)
        assert response.status_code == 200, name
        figures[name] = {key: response.context[key] for key in keys}
        if "page" in response.context:
            figures[name]["count"] = response.context["page"].paginator.count
    home = client.get("/")
    figures["queue"] = {item.key: item.count for item in home.context["queue"]}
    return figures


@pytest.fixture
def bureau(client, bureau_user):
    client.force_login(bureau_user)
    return client


def test_figures_are_taken_once_per_version_of_the_data(bureau, figure_cache):
    make_invoices(3)
    url = reverse("finance:invoice_list")
    bureau.get(url)
    with CaptureQueriesContext(transaction.get_connection()) as first:
        bureau.get(url)
    data_version_bump(names=[FINANCE])
    with CaptureQueriesContext(transaction.get_connection()) as after_bump:
        bureau.get(url)
    # Kept: the count and the totals are not asked again until the data change.
    assert len(after_bump) == len(first) + 2
    assert not any("SUM(" in query["sql"] for query in first)
    assert any("SUM(" in query["sql"] for query in after_bump)


def test_every_finance_service_raises_the_version_so_no_figure_is_stale(
    bureau, bureau_user, figure_cache
):
    """After each service, the figures shown (possibly from the cache) equal those computed
    afresh: a service that wrote without raising the version would show its old figures."""
    invoices = make_invoices(3)
    history = History(invoices)
    drafts: list[Invoice] = []

    def run_2025():
        drafts.extend(services.invoice_run(year=2025, issue_date=datetime.date(2025, 1, 16)))

    def withdraw():
        services.invoice_draft_withdraw(invoice=drafts.pop(), reason="dubbel")

    def dismiss():
        line = payments.unmatched_lines().first()
        payments.statement_line_dismiss(line=line, reason="rente", actor=bureau_user)

    def restore():
        line = StatementLine.objects.filter(dismissed_at__isnull=False).first()
        payments.statement_line_restore(line=line, actor=bureau_user)

    def billing():
        for membership in Membership.objects.select_related("municipality"):
            services.billing_details_update(
                municipality=membership.municipality, email=MAIL, actor=bureau_user
            )

    steps = [
        ("payment by hand", lambda: history.register(0, Decimal("1000.00"))),
        ("bank statement", lambda: history.bank(1, Decimal("5000.00"))),
        ("line matched by hand", lambda: history.by_hand(2, Decimal("2500.00"))),
        ("unmatched bank line", lambda: history._import(*_unmatched_entry())),
        ("line dismissed", dismiss),
        ("line restored", restore),
        ("reversal", lambda: history.reverse(0, Decimal("0"))),
        ("credit note", lambda: history.credit(0, Decimal("0"))),
        ("billing details", billing),  # the 2025 drafts then carry an address
        ("invoice run", run_2025),
        ("draft refreshed", lambda: services.invoice_draft_refresh(invoice=drafts[0])),
        ("draft withdrawn", withdraw),
        ("draft sent", lambda: services.invoice_mark_sent(invoice=drafts.pop(), recipients=[MAIL])),
        ("reminders", lambda: sending.payment_reminders_send(today=timezone.localdate())),
    ]
    for name, step in steps:
        before = shown(bureau)  # fills the cache
        version = finance_version()
        try:
            step()
        except ValidationError as error:  # the step's own refusal would prove nothing here
            pytest.fail(f"{name}: {error}")
        assert finance_version() > version, name
        cached = shown(bureau)
        figure_cache.clear()
        assert shown(bureau) == cached, name
        assert cached != before or name in {"draft refreshed", "billing details"}, name


def _unmatched_entry():
    from tests.finance.test_camt_real_world import ntry

    return (ntry("12.34", ustrd=("rente",), bank_ref="R-rente", end_to_end="E-rente", payer=0),)


def test_a_refused_service_leaves_the_version_as_it_was(bureau_user):
    invoices = make_invoices(1)
    version = finance_version()
    with pytest.raises(ValidationError):
        services.payment_register(
            invoice=invoices[0], paid_on=datetime.date(2024, 3, 1), amount=Decimal("-1")
        )
    assert finance_version() == version


@pytest.mark.parametrize("name", ["overview", "invoices", "paid", "open", "payments", "bank"])
def test_the_finance_lists_answer_a_conditional_request_until_the_data_change(
    client, bureau_user, user_for_role, name
):
    """Validators per user and data version: a reload of an unchanged list is a 304 of one
    query (the versions) after the session's; a payment, or another bureau user, gets the page."""
    from m50.accounts.models import Role

    invoices = make_invoices(2)
    url, query, _keys = PAGES[name]
    client.force_login(bureau_user)
    first = client.get(reverse(url), query)
    etag = first["ETag"]
    assert set(first["Cache-Control"].split(", ")) == {"no-cache", "private"}
    with CaptureQueriesContext(transaction.get_connection()) as queries:
        again = client.get(reverse(url), query, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert len(queries) == 3  # session, user, data versions
    services.payment_register(
        invoice=invoices[0], paid_on=datetime.date(2024, 3, 1), amount=Decimal("100.00")
    )
    changed = client.get(reverse(url), query, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    client.force_login(user_for_role(Role.BUREAU))
    other = client.get(reverse(url), query, headers={"if-none-match": changed["ETag"]})
    assert other.status_code == 200
