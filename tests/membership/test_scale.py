"""No page or endpoint costs more queries with more dossiers, successions, mergers,
corrections or terminations: the same count at 10 as at 1,000 such histories."""

from __future__ import annotations

import pytest
from django.urls import reverse

from m50.accounts.models import Role
from m50.core.derived import derived_differences
from m50.membership import selectors
from tests.membership.builders import bulk_histories, count_queries, detail_url, today

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("membership:overview"),
    reverse("membership:overview") + "?status=beeindigd",
    reverse("membership:overview") + "?status=aspirant&pagina=2",
    reverse("membership:overview") + "?formaat=csv",
    reverse("membership:deadlines"),
    "/api/v1/lidmaatschappen",
    "/api/v1/lidmaatschappen?status=beeindigd&pageSize=500",
    reverse("finance:invoice_run") + "?year=2024",
]


def test_pages_cost_the_same_queries_at_10_and_1000_histories(client, user_for_role):
    first = bulk_histories(10, start=5000)
    client.force_login(user_for_role(Role.BUREAU))
    successor = next(m for m in first if m.municipality.code == "GM5003")
    pages = [*PAGES, detail_url(successor.municipality.code), detail_url("GM5004")]
    small = {url: count_queries(client, url) for url in pages}
    bulk_histories(990, start=6000)
    assert {url: count_queries(client, url) for url in pages} == small
    assert list(derived_differences()) == []


def test_the_shapes_read_from_the_projection(db):
    bulk_histories(10, start=5000)
    statuses = {
        row.municipality.code: row.summary.status
        for row in selectors.membership_rows(
            today=today(), statuses=("aspirant", "member", "terminated")
        )
    }
    assert statuses["GM5000"] == "aspirant"  # corrected, still aspirant
    assert statuses["GM5001"] == "terminated"
    assert "GM5002" not in statuses  # its only decision withdrawn: no status
    assert statuses["GM5003"] == "member"  # continues its predecessor's membership
    proposals = selectors.succession_proposals(today=today())
    assert [(m.municipality.code, s.code) for m, s in proposals] == [
        ("GM2004", "GM5004"),
        ("GM2009", "GM5009"),
    ]
