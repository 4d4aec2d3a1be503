"""The library's pages through the Django test client: browsing with filters and counts, an
item's page with its context and versions, downloads, who sees what (a hidden item is a 404
and counts nowhere), and the query counts at 10 and 1,000 items."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from m50.core.models import Theme
from m50.knowledge import selectors, services
from m50.knowledge.models import Access, Form, Kind, KnowledgeItem, Status
from m50.knowledge.views.library import items_section_context
from tests.knowledge.conftest import note, pdf_bytes, published, upload

pytestmark = pytest.mark.django_db
D = datetime.date
LIST = reverse("knowledge:list")


def detail_url(item) -> str:
    return reverse("knowledge:detail", args=[item.pk])


def log_in(client, people, who):
    client.logout()
    if who != "anonymous":
        client.force_login(people[who])


def text_of(response) -> str:
    return response.content.decode()


def theme(slug: str) -> Theme:
    return Theme.objects.get(slug=slug)


def document(actor, *lines, **kwargs):
    kwargs.setdefault("kind", Kind.PUBLICATION)
    kwargs.setdefault("title", "Woningbouw in middelgrote gemeenten")
    return services.item_create(
        actor=actor,
        form=Form.DOCUMENT,
        uploaded_file=upload("rapport.pdf", pdf_bytes(*(lines or ["Woningbouw en wonen"]))),
        **kwargs,
    )


def test_get_absolute_url_is_the_items_page(people):
    item = published(people["bureau"])
    assert item.get_absolute_url() == f"/kennis/{item.pk}/"


@pytest.mark.parametrize(
    ("who", "titles"),
    [
        ("anonymous", {"Openbaar"}),
        ("official", {"Openbaar", "Netwerk"}),
        ("sociaal_member", {"Openbaar", "Netwerk", "Sociaal"}),
        ("public_affairs", {"Openbaar", "Netwerk", "Sociaal"}),
        ("bureau", {"Openbaar", "Netwerk", "Sociaal", "Bureau"}),
    ],
)
def test_the_list_shows_what_each_reader_may_see(client, people, sociaal, who, titles):
    bureau = people["bureau"]
    wonen = theme("wonen")
    published(bureau, title="Openbaar", access=Access.PUBLIC, themes=[wonen])
    published(bureau, title="Netwerk", access=Access.NETWORK, themes=[wonen])
    published(bureau, title="Sociaal", access=Access.BODY, body=sociaal, themes=[wonen])
    published(bureau, title="Bureau", access=Access.BUREAU, themes=[wonen])
    note(bureau, title="Concept", access=Access.PUBLIC, themes=[wonen])
    log_in(client, people, who)
    response = client.get(LIST)
    assert response.status_code == 200
    shown = {row["item"].title for row in response.context["page"].rows}
    assert shown == titles
    # A hidden item counts in no filter either.
    label = dict(response.context["form"].fields["thema"].choices)["wonen"]
    assert label == f"Wonen ({len(titles)})"
    assert f"{len(titles)} kennisitem" in text_of(response)


def test_the_filters(client, people, diemen, houten, sociaal):
    bureau = people["bureau"]
    published(
        bureau,
        title="Wonen Diemen",
        themes=[theme("wonen")],
        municipality=diemen.municipality,
        date=D(2024, 5, 1),
    )
    published(
        bureau,
        title="Jeugd Houten",
        themes=[theme("jeugdzorg")],
        municipality=houten.municipality,
        body=sociaal,
        kind=Kind.GUIDE,
        date=D(2025, 2, 1),
    )
    client.force_login(people["official"])

    def titles(**params):
        response = client.get(LIST, params)
        assert response.status_code == 200
        return {row["item"].title for row in response.context["page"].rows}

    assert titles() == {"Wonen Diemen", "Jeugd Houten"}
    assert titles(thema="wonen") == {"Wonen Diemen"}
    assert titles(soort="handreiking") == {"Jeugd Houten"}
    assert titles(jaar="2024") == {"Wonen Diemen"}
    assert titles(gemeente=houten.municipality.code) == {"Jeugd Houten"}
    assert titles(pijler="sociaal") == {"Jeugd Houten"}
    assert titles(pijler="sociaal", jaar="2024") == set()


def test_a_wrong_filter_is_a_dutch_message_and_the_rest_applies(client, people):
    published(people["bureau"], title="Wonen", themes=[theme("wonen")], access=Access.PUBLIC)
    published(people["bureau"], title="Anders", access=Access.PUBLIC)
    response = client.get(LIST, {"thema": "wonen", "jaar": "1850"})
    assert response.status_code == 200
    assert "Kies een jaar uit de lijst; 1850 bestaat niet." in text_of(response)
    assert {row["item"].title for row in response.context["page"].rows} == {"Wonen"}


def test_the_list_is_paginated_by_25_keeping_the_filters(client, people):
    bureau = people["bureau"]
    for number in range(27):
        published(bureau, title=f"Item {number:02}", access=Access.PUBLIC, kind=Kind.MINUTES)
    response = client.get(LIST, {"soort": "verslag"})
    assert len(response.context["page"].rows) == 25
    assert "soort=verslag&amp;pagina=2" in text_of(response)
    second = client.get(LIST, {"soort": "verslag", "pagina": 2})
    assert len(second.context["page"].rows) == 2


def test_the_item_page_shows_its_context(client, people, diemen, sociaal):
    bureau = people["bureau"]
    item = published(
        bureau,
        title="Wijkteams",
        summary="Zo werken de wijkteams.",
        themes=[theme("jeugdzorg")],
        municipality=diemen.municipality,
        body=sociaal,
        note_cost="€ 40.000 per jaar",
        note_contact_text="Beleidsadviseur jeugd",
        date=D(2025, 3, 4),
    )
    other = published(bureau, title="Ook jeugdzorg", themes=[theme("jeugdzorg")])
    published(bureau, title="Iets anders")
    client.force_login(people["official"])
    response = client.get(detail_url(item))
    assert response.status_code == 200
    text = text_of(response)
    for expected in (
        "Wijkteams",
        "Zo werken de wijkteams.",
        "4 maart 2025",
        "Jeugdzorg",
        "Diemen",
        reverse("municipalities:detail", args=[diemen.municipality.code]),
        reverse("pillars:detail", args=["sociaal"]),
        "€ 40.000 per jaar",
        "Beleidsadviseur jeugd",
        "Alle gebruikers van leden",
    ):
        assert expected in text, expected
    assert [row["item"] for row in response.context["related"]] == [other]
    assert "Wijzigen" not in text


@pytest.mark.parametrize(
    ("access", "body", "hidden_from"),
    [
        (Access.NETWORK, None, ["anonymous"]),
        (Access.BODY, "sociaal", ["anonymous", "official", "member_contact"]),
        (Access.BUREAU, None, ["anonymous", "public_affairs", "sociaal_member", "official"]),
    ],
)
def test_an_item_one_may_not_see_is_a_404_and_so_is_its_file(
    client, people, sociaal, access, body, hidden_from
):
    item = document(people["bureau"], access=access, body=sociaal if body else None)
    services.item_accept(actor=people["bureau"], item=item)
    urls = [
        detail_url(item),
        reverse("knowledge:download", args=[item.pk]),
        reverse("knowledge:download", args=[item.pk, 1]),
    ]
    for who in hidden_from:
        log_in(client, people, who)
        for url in urls:
            assert client.get(url).status_code == 404, (who, url)
        assert item.title not in text_of(client.get(LIST))
    log_in(client, people, "bureau")
    for url in urls:
        assert client.get(url).status_code == 200
    if body:
        assert "De deelnemers van Pijler Sociaal" in text_of(client.get(detail_url(item)))


def test_a_draft_is_a_404_for_readers_until_published(client, people):
    item = note(people["bureau"], access=Access.PUBLIC, title="Nog niet af")
    assert client.get(detail_url(item)).status_code == 404
    assert "Nog niet af" not in text_of(client.get(LIST))
    services.item_accept(actor=people["bureau"], item=item)
    assert client.get(detail_url(item)).status_code == 200


def test_the_download_is_an_attachment_of_the_stored_type(client, people):
    bureau = people["bureau"]
    item = document(bureau, access=Access.PUBLIC)
    services.item_accept(actor=bureau, item=item)
    services.document_version_add(
        actor=bureau, item=item, uploaded_file=upload("nieuw.pdf", pdf_bytes("Versie twee"))
    )
    response = client.get(reverse("knowledge:download", args=[item.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="nieuw.pdf"' in response["Content-Disposition"]
    older = client.get(reverse("knowledge:download", args=[item.pk, 1]))
    assert 'filename="rapport.pdf"' in older["Content-Disposition"]
    assert b"".join(older.streaming_content).startswith(b"%PDF-")
    assert client.get(reverse("knowledge:download", args=[item.pk, 3])).status_code == 404
    page = text_of(client.get(detail_url(item)))
    assert "Eerdere versies" in page
    assert reverse("knowledge:download", args=[item.pk, 1]) in page


def test_a_withdrawn_item_says_so_to_who_still_sees_it(client, people):
    bureau = people["bureau"]
    item = published(bureau, access=Access.PUBLIC)
    services.item_withdraw(actor=bureau, item=item, reason="Verouderd")
    assert client.get(detail_url(item)).status_code == 404
    client.force_login(bureau)
    text = text_of(client.get(detail_url(item)))
    assert "Dit kennisitem is ingetrokken op" in text
    assert "Verouderd" in text


def test_an_unreadable_file_shows_the_notice(client, people):
    bureau = people["bureau"]
    item = services.item_create(
        actor=bureau,
        form=Form.DOCUMENT,
        kind=Kind.PUBLICATION,
        title="Scan",
        access=Access.PUBLIC,
        uploaded_file=upload("scan.pdf", pdf_bytes()),
    )
    services.item_accept(actor=bureau, item=item)
    assert "niet doorzoekbaar" in text_of(client.get(detail_url(item)))


# --- Query counts -----------------------------------------------------------------------------


def populate(count: int, *, bureau, municipality, pillar, body_pillar) -> None:
    """``count`` published items of every level, with two themes each, stored directly."""
    now = timezone.now()
    levels = [Access.PUBLIC, Access.NETWORK, Access.BODY, Access.BUREAU]
    items = KnowledgeItem.objects.bulk_create(
        KnowledgeItem(
            form=Form.NOTE,
            kind=Kind.EXAMPLE,
            title=f"Voorbeeld {n}",
            note_what="Iets gedaan.",
            date=D(2020 + n % 6, 1 + n % 12, 1),
            municipality=municipality,
            access=levels[n % 4],
            pillar=body_pillar if levels[n % 4] == Access.BODY else pillar,
            status=Status.PUBLISHED,
            published_at=now,
            created_by=bureau,
        )
        for n in range(count)
    )
    themes = list(Theme.objects.all()[:2])
    through = KnowledgeItem.themes.through
    through.objects.bulk_create(
        through(knowledgeitem_id=item.pk, theme_id=t.pk) for item in items for t in themes
    )


def queries_of(client, url, params) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries)


@pytest.mark.parametrize("who", ["anonymous", "sociaal_member", "sociaal_chair", "bureau"])
def test_the_pages_cost_the_same_for_10_and_1000_items(
    client, django_assert_num_queries, people, diemen, sociaal, who
):
    bureau = people["bureau"]
    item = document(
        bureau,
        access=Access.PUBLIC,
        body=sociaal,
        municipality=diemen.municipality,
        themes=list(Theme.objects.all()[:2]),
    )
    services.item_accept(actor=bureau, item=item)
    urls = [
        (LIST, {}),
        (LIST, {"thema": Theme.objects.first().slug, "jaar": "2021", "pijler": "sociaal"}),
        (LIST, {"pagina": 2}),
        (detail_url(item), {}),
    ]
    if who != "anonymous":
        urls.append((reverse("knowledge:review"), {}))
    if who == "bureau":
        urls += [(reverse("knowledge:edit", args=[item.pk]), {})]
    if who in ("bureau", "sociaal_member"):
        urls += [(reverse("knowledge:create"), {})]
    fields = {"bureau": bureau, "municipality": diemen.municipality, "pillar": sociaal}
    populate(10, body_pillar=sociaal, **fields)
    log_in(client, people, who)
    small = [queries_of(client, url, params) for url, params in urls]
    populate(990, body_pillar=sociaal, **fields)
    log_in(client, people, who)
    for (url, params), expected in zip(urls, small, strict=True):
        with django_assert_num_queries(expected):
            response = client.get(url, params)
        assert response.status_code == 200


def test_the_main_menu_links_the_library_for_everyone(client, people):
    for who in ("anonymous", "official"):
        log_in(client, people, who)
        html = text_of(client.get(reverse("core:home")))
        assert f'<a class="m50-nav__link" href="{LIST}">Kennis</a>' in html
        html = text_of(client.get(LIST))
        assert f'<a class="m50-nav__link" href="{LIST}" aria-current="page">Kennis</a>' in html


def test_the_section_for_other_pages_lists_what_the_visitor_may_see(rf, people, diemen, sociaal):
    bureau = people["bureau"]
    published(
        bureau,
        title="Openbaar van Diemen",
        access=Access.PUBLIC,
        body=sociaal,
        municipality=diemen.municipality,
    )
    published(
        bureau,
        title="Netwerk van Diemen",
        access=Access.NETWORK,
        body=sociaal,
        municipality=diemen.municipality,
    )
    published(bureau, title="Elders", access=Access.PUBLIC)
    request = rf.get("/")
    for who, titles in (
        ("anonymous", ["Openbaar van Diemen"]),
        ("official", ["Netwerk van Diemen", "Openbaar van Diemen"]),
    ):
        request.user = people[who]
        for target in ({"pillar": sociaal}, {"municipality": diemen.municipality}):
            context = items_section_context(request, **target)
            rows = context["knowledge_items"]["rows"]
            assert sorted(row["item"].title for row in rows) == sorted(titles)
            html = render_to_string("knowledge/_items_section.html", context)
            assert "Elders" not in html
            assert context["knowledge_items"]["list_url"] in html


def test_the_selectors_of_the_filters_count_only_what_one_may_see(people, diemen, houten):
    bureau = people["bureau"]
    published(bureau, kind=Kind.GUIDE, date=D(2024, 1, 2), municipality=diemen.municipality)
    published(bureau, kind=Kind.GUIDE, date=D(2025, 1, 2), access=Access.PUBLIC)
    published(
        bureau,
        kind=Kind.MINUTES,
        date=D(2025, 6, 1),
        access=Access.BUREAU,
        municipality=houten.municipality,
    )
    official = people["official"]
    counts = selectors.filter_counts(items=selectors.item_list(user=official))
    assert counts["kind"] == {"handreiking": 2}
    assert counts["year"] == {2024: 1, 2025: 1}
    assert selectors.item_municipalities(user=official) == [
        (diemen.municipality.pk, diemen.municipality.code, "Diemen")
    ]
    assert len(selectors.item_municipalities(user=bureau)) == 2
    assert not selectors.own_unpublished(user=people["anonymous"]).exists()
