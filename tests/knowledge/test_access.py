"""Who sees which knowledge item (rules.visible_q through the selectors, and rules.may_view):
every access level and status against anonymous visitors, the bureau, public affairs, an
official, a pillar's participant and chair, and a member contact. An item one may not see is
in no list and its page does not exist for them."""

from __future__ import annotations

import pytest

from m50.knowledge import rules, selectors, services
from m50.knowledge.models import Access, Form, Kind, KnowledgeDocument, KnowledgeItem
from m50.pillars.models import Pillar
from tests.knowledge.conftest import note, pdf_bytes, published, upload

pytestmark = pytest.mark.django_db
EVERYONE = {
    "anonymous",
    "bureau",
    "public_affairs",
    "official",
    "sociaal_member",
    "sociaal_chair",
    "member_contact",
}
SIGNED_IN = EVERYONE - {"anonymous"}


def seen_by(people, item) -> set[str]:
    """The viewers who see ``item``, asked three ways; the three must agree."""
    listed = {
        name
        for name, user in people.items()
        if selectors.item_list(user=user, status=None).filter(pk=item.pk).exists()
    }
    allowed = {name for name, user in people.items() if rules.may_view(user, item)}
    found = set()
    for name, user in people.items():
        try:
            selectors.item_detail(user=user, pk=item.pk)
        except KnowledgeItem.DoesNotExist:
            continue
        found.add(name)
    assert listed == allowed == found
    return listed


@pytest.mark.parametrize(
    ("access", "body", "readers"),
    [
        (Access.PUBLIC, None, EVERYONE),
        (Access.NETWORK, None, SIGNED_IN),
        (Access.BODY, "sociaal", {"bureau", "public_affairs", "sociaal_member", "sociaal_chair"}),
        (Access.BODY, "financieel", {"bureau", "public_affairs"}),
        (Access.BUREAU, None, {"bureau"}),
    ],
)
def test_a_published_item_is_seen_by_the_readers_of_its_level(people, access, body, readers):
    body = Pillar.objects.get(slug=body) if body else None
    item = published(people["bureau"], access=access, body=body)
    assert seen_by(people, item) == readers


def test_a_draft_is_seen_by_who_manages_it_only(people, sociaal):
    item = note(people["bureau"], access=Access.PUBLIC, body=sociaal)
    assert seen_by(people, item) == {"bureau", "sociaal_chair"}


def test_a_submitted_example_is_seen_by_its_writer_and_who_may_accept_it(people, diemen, sociaal):
    writer = people["official"]
    item = note(writer, access=Access.PUBLIC, body=sociaal, municipality=diemen.municipality)
    assert seen_by(people, item) == {"bureau", "sociaal_chair", "official"}
    services.item_submit(actor=writer, item=item)
    assert seen_by(people, item) == {"bureau", "sociaal_chair", "official"}
    assert list(selectors.submissions_to_review(user=people["sociaal_chair"])) == [item]
    assert list(selectors.submissions_to_review(user=people["bureau"])) == [item]
    for name in ("sociaal_member", "public_affairs", "official", "anonymous"):
        assert not selectors.submissions_to_review(user=people[name]).exists()


def test_a_withdrawn_item_is_seen_no_longer_by_its_readers(people):
    item = published(people["bureau"], access=Access.PUBLIC)
    item = services.item_withdraw(actor=people["bureau"], item=item, reason="Verouderd")
    assert seen_by(people, item) == {"bureau"}


def test_a_chair_sees_their_pillar_only_while_they_chair_it(people, sociaal, financieel):
    ours = note(people["bureau"], body=sociaal)
    theirs = note(people["bureau"], body=financieel)
    chair = people["sociaal_chair"]
    assert set(selectors.item_list(user=chair, status=None)) == {ours}
    assert rules.may_manage(chair, ours) and not rules.may_manage(chair, theirs)


def test_the_list_filters_by_kind_theme_pillar_municipality_and_year(people, diemen, sociaal):
    import datetime

    from m50.core.models import Theme

    wonen = Theme.objects.get(slug="wonen")
    bureau = people["bureau"]
    match = published(
        bureau,
        kind=Kind.EXAMPLE,
        themes=[wonen],
        body=sociaal,
        municipality=diemen.municipality,
        date=datetime.date(2024, 5, 1),
    )
    published(bureau, kind=Kind.GUIDE, date=datetime.date(2023, 1, 1))
    official = people["official"]
    assert list(selectors.item_list(user=official, kind=Kind.EXAMPLE)) == [match]
    assert list(selectors.item_list(user=official, theme=wonen)) == [match]
    assert list(selectors.item_list(user=official, pillar=sociaal)) == [match]
    assert list(selectors.item_list(user=official, municipality=diemen.municipality)) == [match]
    assert list(selectors.item_list(user=official, year=2024)) == [match]
    assert selectors.item_list(user=official).count() == 2


def test_a_document_is_reached_only_through_an_item_one_may_see(people):
    bureau = people["bureau"]
    item = services.item_create(
        actor=bureau,
        form=Form.DOCUMENT,
        kind=Kind.GUIDE,
        title="Handreiking",
        access=Access.BUREAU,
        uploaded_file=upload("handreiking.pdf", pdf_bytes("Handreiking woningbouw")),
    )
    services.item_accept(actor=bureau, item=item)
    assert selectors.document_detail(user=bureau, item_pk=item.pk).version == 1
    for name in EVERYONE - {"bureau"}:
        with pytest.raises(KnowledgeDocument.DoesNotExist):
            selectors.document_detail(user=people[name], item_pk=item.pk)


def test_the_list_costs_the_same_queries_for_10_as_for_100_items(
    people, sociaal, django_assert_num_queries
):
    from m50.core.models import Theme

    themes = list(Theme.objects.all()[:2])
    bureau, member = people["bureau"], people["sociaal_member"]

    def make(count):
        for number in range(count):
            published(bureau, title=f"Item {number}", themes=themes, body=sociaal)

    def listed():
        return [
            (i.title, i.pillar.slug, [t.slug for t in i.themes.all()])
            for i in selectors.item_list(user=member)
        ]

    make(10)
    with django_assert_num_queries(2):
        assert len(listed()) == 10
    make(90)
    with django_assert_num_queries(2):
        assert len(listed()) == 100


def test_related_items_share_a_theme_or_the_pillar_and_are_visible(people, sociaal, financieel):
    from m50.core.models import Theme

    wonen, jeugdzorg = (Theme.objects.get(slug=slug) for slug in ("wonen", "jeugdzorg"))
    bureau, official = people["bureau"], people["official"]
    item = published(bureau, title="Basis", themes=[wonen, jeugdzorg], body=sociaal)
    both = published(bureau, title="Beide thema's", themes=[wonen, jeugdzorg])
    one = published(bureau, title="Eén thema", themes=[wonen])
    same_pillar = published(bureau, title="Zelfde pijler", body=sociaal)
    published(bureau, title="Niets gedeeld", body=financieel)
    published(bureau, title="Verborgen", themes=[wonen], access=Access.BUREAU)
    note(bureau, title="Concept", themes=[wonen])
    related = selectors.related_items(user=official, item=item)
    assert related[0] == both
    assert set(related) == {both, one, same_pillar}
    assert len(selectors.related_items(user=bureau, item=item)) == 4
    assert selectors.related_items(user=official, item=item, limit=1) == [both]
