"""What the search index takes of an item (selectors.search_entry_data): title, summary, a body
of the note and the current document's text, the access level by the index's name
(an item that is not published only through the item's own rule), and the facets."""

from __future__ import annotations

import datetime

import pytest

from m50.core.models import Theme
from m50.knowledge import selectors, services
from m50.knowledge.models import Access, Form, Kind, KnowledgeItem
from tests.factories import PersonFactory, PositionFactory, ThemeGroupFactory
from tests.knowledge.conftest import docx_bytes, note, pdf_bytes, published, upload

pytestmark = pytest.mark.django_db


def test_a_published_note_of_a_member(people, diemen, sociaal):
    themes = list(Theme.objects.filter(slug__in=["wonen", "jeugdzorg"]))
    contact = PersonFactory(given_name="Anna", surname="de Vries")
    PositionFactory(person=contact, organisation=diemen)  # whom to call: someone in office
    item = published(
        people["bureau"],
        title="Wijkteams in Diemen",
        summary="Eén team per wijk.",
        note_what="Jeugdzorg en WMO samen in de wijk.",
        note_cost="€ 40.000 per jaar",
        note_contact_person=contact,
        note_contact_text="Team Sociaal Domein",
        themes=themes,
        body=sociaal,
        access=Access.BODY,
        municipality=diemen.municipality,
        date=datetime.date(2024, 5, 1),
    )
    assert selectors.search_entry_data(item) == {
        "title": "Wijkteams in Diemen",
        "summary": "Eén team per wijk.",
        "body": "Jeugdzorg en WMO samen in de wijk.\n€ 40.000 per jaar\n"
        f"Team Sociaal Domein\n{contact}",
        "url": f"/kennis/{item.pk}/",
        "access": "RESTRICTED",
        "pillar_id": sociaal.pk,
        "group_id": None,
        "date": datetime.date(2024, 5, 1),
        "facets": {
            "kind": ["voorbeeld"],
            "theme": ["jeugdzorg", "wonen"],
            "pillar": ["sociaal"],
            "year": ["2024"],
            "municipality": [diemen.municipality.code],
        },
    }


def test_the_body_holds_the_current_documents_text_only(people):
    bureau = people["bureau"]
    item = services.item_create(
        actor=bureau,
        form=Form.DOCUMENT,
        kind=Kind.GUIDE,
        title="Handreiking",
        summary="Over woningbouw.",
        uploaded_file=upload("v1.pdf", pdf_bytes("Oude tekst over parkeren")),
    )
    services.document_version_add(
        actor=bureau, item=item, uploaded_file=upload("v2.docx", docx_bytes("Nieuwe tekst"))
    )
    data = selectors.search_entry_data(item)
    assert data["body"] == "Nieuwe tekst"
    assert data["facets"]["pillar"] == [] and data["facets"]["municipality"] == []


@pytest.mark.parametrize(
    ("access", "name"),
    [
        (Access.PUBLIC, "PUBLIC"),
        (Access.NETWORK, "NETWORK"),
        (Access.BUREAU, "RESTRICTED"),  # the chair of its pillar or group sees it too
        (Access.BODY, "RESTRICTED"),  # who wrote or submitted it sees it too
    ],
)
def test_the_access_level_by_the_index_name(people, sociaal, access, name):
    body = sociaal if access == Access.BODY else None
    item = note(people["bureau"], access=access, body=body)
    assert selectors.search_entry_data(item)["access"] == "RESTRICTED"
    item = services.item_accept(actor=people["bureau"], item=item)
    assert selectors.search_entry_data(item)["access"] == name
    item = services.item_withdraw(actor=people["bureau"], item=item, reason="Oud")
    assert selectors.search_entry_data(item)["access"] == "RESTRICTED"


def test_an_item_of_a_theme_group_faceted_by_its_pillar(people, sociaal):
    group = ThemeGroupFactory(pillar=sociaal, slug="armoede")
    item = published(people["bureau"], body=group, access=Access.BODY)
    data = selectors.search_entry_data(item)
    assert (data["pillar_id"], data["group_id"], data["facets"]["pillar"]) == (
        None,
        group.pk,
        ["sociaal"],
    )


def test_the_restricted_subquery_is_what_the_user_may_see(people, diemen):
    draft = note(people["official"], municipality=diemen.municipality)
    other = note(people["bureau"])
    for name, expected in (("official", {draft}), ("bureau", {draft, other}), ("anonymous", set())):
        ids = selectors.visible_ids(user=people[name])
        assert set(KnowledgeItem.objects.filter(pk__in=ids)) == expected


def test_all_entries_in_a_fixed_number_of_queries(
    people, sociaal, diemen, django_assert_num_queries
):
    themes = list(Theme.objects.all()[:2])
    bureau = people["bureau"]

    def make(count):
        for number in range(count):
            item = services.item_create(
                actor=bureau,
                form=Form.DOCUMENT,
                kind=Kind.GUIDE,
                title=f"Handreiking {number}",
                themes=themes,
                body=ThemeGroupFactory(pillar=sociaal),
                municipality=diemen.municipality,
                uploaded_file=upload("v1.docx", docx_bytes(f"Versie een {number}")),
            )
            services.document_version_add(
                actor=bureau,
                item=item,
                uploaded_file=upload("v2.docx", docx_bytes(f"Versie twee {number}")),
            )

    make(2)
    with django_assert_num_queries(3):
        entries = list(selectors.search_entries())
    assert [e["body"] for e in entries] == ["Versie twee 0", "Versie twee 1"]
    first = KnowledgeItem.objects.get(pk=entries[0]["object_id"])
    assert entries[0] == {
        "kind": "kennisitem",
        "object_id": first.pk,
        **selectors.search_entry_data(first),
    }
    make(8)
    with django_assert_num_queries(3):
        assert len(list(selectors.search_entries())) == 10
