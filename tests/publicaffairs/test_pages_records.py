"""The public affairs pages added for the network's own records (issue 12): the published
positions on the public site, and unpublishing from the dossier page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from m50.accounts.models import Role
from m50.core.models import AuditEvent
from m50.publicaffairs import records
from tests.publicaffairs.records_helpers import audit_count, theme
from tests.publicaffairs.test_pages import _queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def lobbyist(user_for_role):
    return user_for_role(Role.PUBLIC_AFFAIRS, username="lobbyist")


@pytest.fixture
def wonen(lobbyist):
    dossier = records.dossier_create(
        actor=lobbyist, theme=theme("wonen"), goals="Intern doel: 20.000 woningen."
    )
    first = records.position_add(actor=lobbyist, dossier=dossier, text="Eerste standpunt.")
    records.position_add(actor=lobbyist, dossier=dossier, text="Tweede, nog intern.")
    records.position_publish(actor=lobbyist, version=first)
    return dossier


# --- Published positions ----------------------------------------------------------------------


def test_a_visitor_reads_the_published_version_with_its_date_and_not_the_rest(client, wonen):
    html = client.get(reverse("positions:list")).text
    assert "Wonen" in html and reverse("positions:detail", args=["wonen"]) in html
    response = client.get(reverse("positions:detail", args=["wonen"]))
    assert response.status_code == 200
    html = response.text
    assert "Eerste standpunt." in html and "Tweede, nog intern." not in html
    published_at = wonen.positions.get(number=1).published_at
    assert published_at is not None
    assert f"Gepubliceerd op {published_at.day} " in html
    # The goals are internal until public affairs marks them public.
    assert "Intern doel" not in html


def test_the_goals_show_once_marked_public(client, lobbyist, wonen):
    client.force_login(lobbyist)
    response = client.post(
        reverse("publicaffairs:dossier_edit", args=["wonen"]),
        {"goals": "Doel: 20.000 woningen.", "goals_public": "on", "watch_terms": ""},
    )
    assert response.status_code == 302
    client.logout()
    html = client.get(reverse("positions:detail", args=["wonen"])).text
    assert "Doel: 20.000 woningen." in html


def test_a_theme_without_a_published_version_is_404(client, lobbyist):
    dossier = records.dossier_create(actor=lobbyist, theme=theme("mobiliteit"))
    records.position_add(actor=lobbyist, dossier=dossier, text="Alleen intern.")
    assert client.get(reverse("positions:detail", args=["mobiliteit"])).status_code == 404
    assert client.get(reverse("positions:detail", args=["bestaat-niet"])).status_code == 404
    assert "Alleen intern." not in client.get(reverse("positions:list")).text


def test_the_lobbyist_unpublishes_and_the_public_page_is_gone(client, lobbyist, wonen):
    client.force_login(lobbyist)
    html = client.get(reverse("publicaffairs:dossier", args=["wonen"])).text
    assert "Versie 1 staat op de openbare site" in html
    assert reverse("publicaffairs:position_unpublish", args=["wonen"]) in html
    response = client.post(reverse("publicaffairs:position_unpublish", args=["wonen"]))
    assert response.status_code == 302
    assert not wonen.positions.filter(published=True).exists()
    assert AuditEvent.objects.filter(action="publicaffairs.position_unpublish").count() == 1
    client.logout()
    assert client.get(reverse("positions:detail", args=["wonen"])).status_code == 404


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.BUREAU, Role.PUBLIC_AFFAIRS)])
def test_others_may_not_unpublish(client, user_for_role, wonen, role):
    client.force_login(user_for_role(role))
    audits = audit_count()
    html = client.get(reverse("publicaffairs:dossier", args=["wonen"])).text
    assert reverse("publicaffairs:position_unpublish", args=["wonen"]) not in html
    response = client.post(reverse("publicaffairs:position_unpublish", args=["wonen"]))
    assert response.status_code == 403
    assert wonen.positions.filter(published=True).exists() and audit_count() == audits


def _published(n: int, start: int) -> None:
    """``n`` themes with a dossier and a published position (stored directly)."""
    from django.utils import timezone

    from m50.core.models import Theme
    from m50.publicaffairs.models import PositionVersion, ThemeDossier

    themes = Theme.objects.bulk_create(
        Theme(slug=f"thema-{i}", name=f"Thema {i}", position=100 + i)
        for i in range(start, start + n)
    )
    dossiers = ThemeDossier.objects.bulk_create(ThemeDossier(theme=t) for t in themes)
    PositionVersion.objects.bulk_create(
        PositionVersion(
            dossier=d, number=1, text="Tekst", published=True, published_at=timezone.now()
        )
        for d in dossiers
    )


def test_the_published_positions_cost_the_same_for_10_and_1000_themes(client):
    url = reverse("positions:list")
    _published(10, 0)
    few = _queries(client, url)
    _published(990, 10)
    assert _queries(client, url) == few
