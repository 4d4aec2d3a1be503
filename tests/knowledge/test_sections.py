"""The items of a pillar, theme group or municipality on that page, each visitor seeing only
what the library shows them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from m50.knowledge import selectors
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


def test_the_memo_lists_only_the_items_every_member_may_read(bureau, diemen, sociaal):
    """The council memo and the value report go to the council and to the member's contact:
    an item of the bureau or of one pillar is not in them, not even by title."""
    day = datetime.date(2024, 5, 1)
    for access in Access:
        published(
            bureau,
            title=f"Item {access}",
            municipality=diemen.municipality,
            date=day,
            access=access,
            body=sociaal if access == Access.BODY else None,
        )
    found = selectors.published_items_of_municipality(
        municipality_id=diemen.municipality.pk, start=day, end=day
    )
    assert sorted(item.title for item in found) == [
        f"Item {Access.NETWORK}",
        f"Item {Access.PUBLIC}",
    ]
