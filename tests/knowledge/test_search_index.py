"""The library in the search index: every write of an item puts it there as it is, and a search
shows each user exactly the items the library shows them — in the hits, the total and the
facet counts."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from m50.core.models import Theme
from m50.knowledge import search, selectors, services
from m50.knowledge.models import Access, Form, Kind
from m50.pillars.models import Pillar
from tests.knowledge.conftest import pdf_bytes, published, upload

pytestmark = pytest.mark.django_db


def found(user, text, **options) -> set[int]:
    return {hit.object_id for hit in search.search(user=user, text=text, **options).hits}


def document(actor, text, **kwargs):
    kwargs.setdefault("access", Access.PUBLIC)
    item = services.item_create(
        actor=actor,
        form=Form.DOCUMENT,
        kind=Kind.EXAMPLE,
        title=kwargs.pop("title", "Voorbeeld uit de praktijk"),
        uploaded_file=upload("voorbeeld.pdf", pdf_bytes(text)),
        **kwargs,
    )
    return services.item_accept(actor=actor, item=item)


def test_an_item_is_found_by_a_word_of_its_pdf_in_another_form(people):
    item = document(people["bureau"], "Wij bouwden tweehonderd woningen voor starters")
    assert found(people["anonymous"], "woning") == {item.pk}
    assert found(people["anonymous"], "starter") == {item.pk}
    assert found(people["anonymous"], "kantoren") == set()


def test_a_new_version_replaces_the_text_and_a_withdrawal_takes_it_out(people):
    bureau = people["bureau"]
    item = document(bureau, "Over parkeren in de binnenstad")
    services.document_version_add(
        actor=bureau, item=item, uploaded_file=upload("v2.pdf", pdf_bytes("Over fietsenstallingen"))
    )
    assert found(people["anonymous"], "parkeren") == set()
    assert found(people["anonymous"], "fietsenstalling") == {item.pk}
    services.item_withdraw(actor=bureau, item=item, reason="Verouderd")
    assert found(people["anonymous"], "fietsenstalling") == set()


def test_a_change_of_title_or_access_follows_at_once(people):
    bureau = people["bureau"]
    item = published(bureau, title="Zwembadbeleid", access=Access.PUBLIC)
    services.item_update(actor=bureau, item=item, title="Sportbeleid", access=Access.NETWORK)
    assert found(people["anonymous"], "sportbeleid") == set()
    assert found(people["official"], "sportbeleid") == {item.pk}
    assert found(people["official"], "zwembadbeleid") == set()


@pytest.mark.parametrize(
    ("access", "body"),
    [
        (Access.PUBLIC, None),
        (Access.NETWORK, None),
        (Access.BODY, "sociaal"),
        (Access.BODY, "financieel"),
        (Access.BUREAU, None),
    ],
)
def test_search_shows_each_user_what_the_library_shows_them(people, access, body):
    body = Pillar.objects.get(slug=body) if body else None
    wonen = Theme.objects.get(slug="wonen")
    item = published(
        people["bureau"], access=access, body=body, themes=[wonen], note_what="Starterswoningen"
    )
    draft = services.item_create(
        actor=people["bureau"],
        form=Form.NOTE,
        kind=Kind.EXAMPLE,
        title="Concept",
        note_what="Starterswoningen",
        access=Access.PUBLIC,
    )
    for name, user in people.items():
        listed = set(selectors.item_list(user=user, status=None).values_list("pk", flat=True))
        results = search.search(user=user, text="starterswoning")
        hits = {hit.object_id for hit in results.hits}
        assert hits == listed & {item.pk, draft.pk}, name
        assert results.total == len(hits), name
        themes = dict(results.facets["theme"])
        assert themes.get("wonen", 0) == (1 if item.pk in hits else 0), name


def test_the_rebuilt_index_equals_the_one_kept_in_step(people, capsys):
    bureau = people["bureau"]
    document(bureau, "Woningbouw in Diemen")
    published(bureau, title="Jeugdzorg", access=Access.NETWORK)
    call_command("rebuild-search-index", "--check")  # raises CommandError on a difference
    report = capsys.readouterr().out
    assert "kennisitem: 2 regels; 0 ontbraken, 0 weken af, 0 waren overbodig." in report
    assert found(people["official"], "woningbouw")


def test_who_submitted_an_example_for_a_pillar_they_are_not_in_finds_it_as_its_page_shows_it(
    people, diemen, sociaal, client
):
    official, chair = people["official"], people["sociaal_chair"]  # the official: in no pillar
    wonen = Theme.objects.get(slug="wonen")
    item = services.item_create(
        actor=official,
        form=Form.NOTE,
        kind=Kind.EXAMPLE,
        title="Tiny houses in Diemen",
        note_what="Vijftig tijdelijke woningen voor jongeren.",
        municipality=diemen.municipality,
        body=sociaal,
        access=Access.BODY,
        themes=[wonen],
    )
    services.item_submit(actor=official, item=item)
    services.item_accept(actor=chair, item=item)
    client.force_login(official)
    assert client.get(f"/kennis/{item.pk}/").status_code == 200
    for name, seen in (("official", True), ("member_contact", False), ("sociaal_member", True)):
        results = search.search(user=people[name], text="tiny jongeren")
        assert {hit.object_id for hit in results.hits} == ({item.pk} if seen else set()), name
        assert results.total == int(seen), name
        count = 1 if seen else 0
        assert dict(results.facets["theme"]).get("wonen", 0) == count, name
        assert dict(results.facets["kind"]).get(Kind.EXAMPLE, 0) == count, name
        assert dict(results.facets["pillar"]).get("sociaal", 0) == count, name
        municipalities = dict(results.facets["municipality"])
        assert municipalities.get(diemen.municipality.code, 0) == count, name
