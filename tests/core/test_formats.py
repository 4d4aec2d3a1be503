"""Dates and money one Dutch way: 2 december 2026 in text, 02-12-2026 in tables, € 5.000,00."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from m50.accounts.models import Role
from m50.core.formats import money
from tests.finance import diemen, invoice_run_2024

DATE = datetime.date(2026, 12, 2)


def render(source: str, **context) -> str:
    # No {% load %}: the money filter is a builtin of every template.
    return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("5000"), "€ 5.000,00"),
        (Decimal("1234567.891"), "€ 1.234.567,89"),
        (Decimal("0.5"), "€ 0,50"),
        (Decimal("-5000"), "€ -5.000,00"),
        (Decimal("0"), "€ 0,00"),
        (5000, "€ 5.000,00"),
        ("12.5", "€ 12,50"),
        (None, ""),
        ("geen bedrag", ""),
    ],
)
def test_money_is_written_the_dutch_way(amount, expected):
    assert money(amount) == expected
    assert render("{{ amount|money }}", amount=amount) == expected


def test_money_that_went_out_is_negative():
    assert render("{{ a|money:False }}", a=Decimal("1.90")) == "€ -1,90"
    assert render("{{ a|money:True }}", a=Decimal("1.90")) == "€ 1,90"


def test_money_follows_the_language_for_the_digits():
    with translation.override("en"):
        assert money(Decimal("5000")) == "€ 5,000.00"


def test_one_long_and_one_short_date_form():
    assert render("{{ d|date }}", d=DATE) == "2 december 2026"
    assert render('{{ d|date:"DATE_FORMAT" }}', d=DATE) == "2 december 2026"
    assert render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=DATE) == "02-12-2026"
    assert render("{{ d }}", d=DATE) == "2 december 2026"
    assert render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=datetime.date(2026, 3, 9)) == "09-03-2026"


@pytest.mark.django_db
def test_an_invoice_page_shows_the_long_date_and_money(client, user_for_role):
    diemen()
    (invoice,) = invoice_run_2024(issue_date=DATE)
    client.force_login(user_for_role(Role.BUREAU))
    page = client.get(reverse("finance:invoice_detail", args=[invoice.number])).text
    assert "2 december 2026" in page
    assert "€ 5.000,00" in page
    assert "floatformat" not in page
    listing = client.get(reverse("finance:invoice_list")).text
    assert "02-12-2026" in listing  # the short form in the table
    assert "€ 5.000,00" in listing
    assert "2 dec 2026" not in listing


@pytest.mark.django_db
def test_the_finance_subnavigation_marks_the_current_page(client, user_for_role):
    client.force_login(user_for_role(Role.BUREAU))
    page = client.get(reverse("finance:invoice_list")).text
    nav = page[page.index('class="m50-subnav"') :]
    nav = nav[: nav.index("</nav>")]
    assert nav.count('aria-current="page"') == 1
    current = nav[: nav.index('aria-current="page"')].rsplit("href=", 1)[1]
    assert current.startswith(f'"{reverse("finance:invoice_list")}"')
    # Tabs, not a bulleted list laid out in a row.
    assert "utrecht-unordered-list" not in nav
