"""The items of a pillar, theme group or municipality on that page, each visitor seeing only
what the library shows them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from m50.knowledge.models import Access
from tests.factories import ThemeGroupFactory
from tests.knowledge.conftest import published

pytestmark = pytest.mark.django_db


def test_the_pages_of_a_pillar_a_group_and_a_municipality_show_their_items(
    client, people, diemen, sociaal
):
    bureau = people["bureau"]
    group = ThemeGroupFactory(pillar=sociaal)
    published(bureau, title="Wijkteams openbaar", access=Access.PUBLIC, body=sociaal)
    published(bureau, title="Jeugdhulp in de groep", access=Access.PUBLIC, body=group)
    published(
        bureau, title="Voorbeeld van Diemen", access=Access.PUBLIC, municipality=diemen.municipality
    )
    published(bureau, title="Alleen het bureau", access=Access.BUREAU, body=sociaal)
    pillar_page = client.get(reverse("pillars:detail", args=[sociaal.slug])).content.decode()
    assert "Wijkteams openbaar" in pillar_page
    assert "Alleen het bureau" not in pillar_page
    assert f"?pijler={sociaal.slug}" in pillar_page
    group_page = client.get(reverse("pillars:group_detail", args=[group.slug])).content.decode()
    assert "Jeugdhulp in de groep" in group_page and "Wijkteams openbaar" not in group_page
    code = diemen.municipality.code
    town = client.get(reverse("municipalities:detail", args=[code])).content.decode()
    assert "Voorbeeld van Diemen" in town and f"?gemeente={code}" in town
    client.force_login(bureau)
    assert (
        "Alleen het bureau"
        in client.get(reverse("pillars:detail", args=[sociaal.slug])).content.decode()
    )
