"""The deadlines page follows every aspirant: with a mandate its deadline, without one the end
of its aspirant year (one year after the aspirant decision)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import formats

from m50.membership import rules, selectors
from m50.membership.views import DEADLINES_PAGE_SIZE
from tests.membership.builders import (
    aspirant,
    bulk_memberships,
    count_queries,
    detail_url,
    municipality,
    section,
    text,
    today,
)

pytestmark = pytest.mark.django_db

DEADLINES = reverse("membership:deadlines")
DAY = datetime.timedelta(days=1)


def long(day: datetime.date) -> str:
    return formats.date_format(day, "j F Y")


def test_the_aspirant_year_ends_one_year_after_the_aspirant_decision():
    decided = datetime.date(2024, 2, 29)
    dossier = rules.Dossier(
        facts=(rules.Fact(1, "aspirant", "college", decided, decided),),
    )
    assert rules.trial_end(dossier, datetime.date(2024, 6, 1)) == datetime.date(2025, 2, 28)
    summary = rules.summarise(dossier, datetime.date(2025, 3, 1))
    assert (summary.trial_end, summary.trial_days_left, summary.trial_over) == (
        datetime.date(2025, 2, 28),
        -1,
        True,
    )
    assert rules.trial_end(dossier, datetime.date(2024, 1, 1)) is None  # not yet aspirant


def test_an_aspirant_without_a_mandate_is_followed_with_its_end_date(client, bureau_user):
    decided = today() - datetime.timedelta(days=100)
    aspirant(municipality("Zondermandaat", "GM0301"), decided, mandated_body="")
    aspirant(municipality("Metmandaat", "GM0302"), today() - datetime.timedelta(days=300))
    past = today() - datetime.timedelta(days=370)
    aspirant(municipality("Overtijd", "GM0303"), past, mandated_body="")
    client.force_login(bureau_user)
    html = client.get(DEADLINES).text
    table = text(section(html, "mandaten", "voortzettingen"))
    end = rules.add_one_year(decided)
    assert f"Zondermandaat {long(decided)} geen mandaat: het college besluit zelf" in table
    assert f"{long(end)} einde aspirantjaar nog {(end - today()).days} dagen" in table
    overdue = (today() - rules.add_one_year(past)).days
    assert f"aspirantjaar voorbij {overdue} dagen geleden" in table
    # Past first, then fewest days left: the mandate's 65 days before the 265 of the year.
    assert table.index("Overtijd") < table.index("Metmandaat") < table.index("Zondermandaat")
    rows = selectors.deadline_rows()
    assert [row.municipality.name for row in rows] == ["Overtijd", "Metmandaat", "Zondermandaat"]


def test_the_dossier_names_the_end_of_the_aspirant_year(client):
    decided = today() - 10 * DAY
    item = municipality("Zondermandaat", "GM0301")
    aspirant(item, decided, mandated_body="")
    html = text(section(client.get(detail_url(item.code)).text, "lidmaatschap", "besluiten"))
    end = rules.add_one_year(decided)
    assert f"Het aspirantjaar loopt tot en met {long(end)}: nog {(end - today()).days} dagen" in (
        html
    )


def test_deadlines_query_count_is_fixed_with_aspirants_without_a_mandate(client, bureau_user):
    bulk_memberships(10, start=1000, mandated=False)
    client.force_login(bureau_user)
    small = count_queries(client, DEADLINES)
    bulk_memberships(990, start=2000, mandated=False)
    assert count_queries(client, DEADLINES) == small
    assert "einde aspirantjaar" in client.get(DEADLINES).text


def test_the_deadlines_come_in_pages_of_the_most_urgent_first(client, bureau_user):
    bulk_memberships(360, start=1000)  # a third aspirants: 120, each with a mandate
    client.force_login(bureau_user)
    size = DEADLINES_PAGE_SIZE
    first = text(section(client.get(DEADLINES).text, "mandaten", "voortzettingen"))
    last = text(section(client.get(DEADLINES + "?pagina=5").text, "mandaten", "voortzettingen"))
    rows = list(selectors.deadline_rows())
    assert len(rows) == 120
    assert rows[0].municipality.name in first and rows[size - 1].municipality.name in first
    assert rows[size].municipality.name not in first
    assert rows[4 * size].municipality.name in last and rows[119].municipality.name in last
    assert "Volgende pagina" in first
