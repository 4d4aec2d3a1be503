"""/api/v1/kennisitems: what each role sees of the library, in the list, the detail and the
downloads of its files (an item one may not see is a 404 everywhere); the filters; who adds,
changes (If-Match), withdraws, uploads a version, submits, publishes and rejects, and that a
refusal writes nothing; and that the list and detail cost the same number of queries for 10
items as for 1,000."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from m50.core.models import AuditEvent, Theme
from m50.core.search import index
from m50.knowledge import services
from m50.knowledge.models import (
    Access,
    Form,
    Kind,
    KnowledgeDocument,
    KnowledgeItem,
    Status,
    TextStatus,
)
from m50.pillars.models import Pillar
from tests.api.test_design_rules import assert_problem
from tests.knowledge import conftest as library
from tests.knowledge.conftest import docx_bytes, note, pdf_bytes, published, upload

# The library tests' fixtures (media in a temporary folder, every kind of reader), by name.
media, bureau, people = library.media, library.bureau, library.people
diemen, houten, sociaal, financieel = (
    library.diemen,
    library.houten,
    library.sociaal,
    library.financieel,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/kennisitems"
EVERYONE = (
    "anonymous",
    "bureau",
    "public_affairs",
    "official",
    "sociaal_member",
    "sociaal_chair",
    "member_contact",
)


def client_of(user) -> APIClient:
    client = APIClient()
    if user is not None and user.is_authenticated:
        client.force_authenticate(user)
    return client


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def document_item(actor, *contents: bytes, **kwargs) -> KnowledgeItem:
    """A published document of the bureau with a version per one of ``contents`` (a PDF)."""
    kwargs.setdefault("kind", Kind.GUIDE)
    kwargs.setdefault("title", "Handreiking wonen")
    item = services.item_create(
        actor=actor,
        form=Form.DOCUMENT,
        uploaded_file=upload("handreiking.pdf", contents[0]),
        **kwargs,
    )
    for content in contents[1:]:
        services.document_version_add(
            actor=actor, item=item, uploaded_file=upload("handreiking-2.pdf", content)
        )
    return services.item_accept(actor=actor, item=item)


# --- Seeing ------------------------------------------------------------------------------------


def test_each_item_shows_to_its_readers_in_list_detail_and_download(people):
    bureau = people["bureau"]
    sociaal = Pillar.objects.get(slug="sociaal")
    financieel = Pillar.objects.get(slug="financieel")
    pdf = pdf_bytes("Wijkteams en woningbouw")
    items = {
        "public": document_item(bureau, pdf, access=Access.PUBLIC),
        "network": document_item(bureau, pdf, access=Access.NETWORK),
        "sociaal": document_item(bureau, pdf, access=Access.BODY, body=sociaal),
        "financieel": document_item(bureau, pdf, access=Access.BODY, body=financieel),
        "bureau": document_item(bureau, pdf, access=Access.BUREAU),
    }
    readers = {
        "public": set(EVERYONE),
        "network": set(EVERYONE) - {"anonymous"},
        "sociaal": {"bureau", "public_affairs", "sociaal_member", "sociaal_chair"},
        "financieel": {"bureau", "public_affairs"},
        "bureau": {"bureau"},
    }
    for name in EVERYONE:
        client = client_of(people[name])
        expected = [item.pk for key, item in items.items() if name in readers[key]]
        assert sorted(ids(client.get(URL, {"pageSize": 500}))) == sorted(expected), name
        for key, item in items.items():
            detail = client.get(f"{URL}/{item.pk}")
            download = client.get(f"{URL}/{item.pk}/document")
            if name in readers[key]:
                assert detail.status_code == 200, (name, key)
                assert download.status_code == 200, (name, key)
                assert b"".join(download.streaming_content) == pdf
            else:
                # The same 404 as for an item that does not exist.
                problem = assert_problem(detail, 404)
                assert problem["detail"] == f"Er is geen kennisitem {item.pk}."
                assert_problem(download, 404)
                assert_problem(client.get(f"{URL}/{item.pk}/document", {"versie": 1}), 404)


def test_drafts_and_submissions_show_to_their_writer_and_managers_only(people, diemen):
    bureau = people["bureau"]
    official = people["official"]  # of Diemen
    sociaal = Pillar.objects.get(slug="sociaal")
    draft = note(bureau, access=Access.PUBLIC, title="Concept van het bureau")
    example = note(
        official,
        access=Access.PUBLIC,
        title="Ons voorbeeld",
        municipality=diemen.municipality,
        body=sociaal,
    )
    services.item_submit(actor=official, item=example)
    seen = {
        name: set(ids(client_of(people[name]).get(URL, {"pageSize": 500, "status": "ingediend"})))
        for name in EVERYONE
    }
    assert {name for name, found in seen.items() if example.pk in found} == {
        "bureau",
        "official",
        "sociaal_chair",
    }
    # Not published: not in the default list, even for the bureau.
    assert ids(client_of(bureau).get(URL)) == []
    assert ids(client_of(bureau).get(URL, {"status": "concept"})) == [draft.pk]
    assert_problem(client_of(None).get(f"{URL}/{draft.pk}"), 404)
    assert_problem(client_of(people["sociaal_member"]).get(f"{URL}/{example.pk}"), 404)
    mine = client_of(official).get(f"{URL}/{example.pk}").json()
    assert mine["status"] == "ingediend" and mine["mayEdit"] is True
    assert client_of(people["sociaal_chair"]).get(f"{URL}/{example.pk}").json()["mayEdit"]


def test_the_item_with_its_context_and_versions(people, diemen):
    bureau = people["bureau"]
    sociaal = Pillar.objects.get(slug="sociaal")
    wonen = Theme.objects.get(slug="wonen")
    first, second = pdf_bytes("Eerste versie"), pdf_bytes("Tweede versie")
    item = document_item(
        bureau,
        first,
        second,
        access=Access.PUBLIC,
        body=sociaal,
        municipality=diemen.municipality,
        themes=[wonen],
        summary="Hoe Diemen bouwt.",
        date=datetime.date(2024, 5, 1),
    )
    response = client_of(people["official"]).get(f"{URL}/{item.pk}")
    body = response.json()
    assert response["ETag"].startswith(f'"{item.pk}-')
    assert body["form"] == "document" and body["kind"] == "handreiking"
    assert body["title"] == "Handreiking wonen" and body["summary"] == "Hoe Diemen bouwt."
    assert body["date"] == "2024-05-01" and body["themes"] == ["wonen"]
    assert body["pillar"] == {"slug": "sociaal", "name": "Sociaal"}
    assert body["themeGroup"] is None
    assert body["municipality"] == {"code": diemen.municipality.code, "name": "Diemen"}
    assert body["access"] == "openbaar" and body["status"] == "gepubliceerd"
    assert body["link"] is None and body["note"] is None
    assert body["document"]["version"] == 2
    assert body["document"]["contentType"] == "application/pdf"
    assert body["document"]["searchable"] is True and body["document"]["notice"] is None
    assert [d["version"] for d in body["documents"]] == [2, 1]
    assert body["mayEdit"] is False and body["mayWithdraw"] is False
    assert client_of(bureau).get(f"{URL}/{item.pk}").json()["mayEdit"] is True

    current = client_of(None).get(f"{URL}/{item.pk}/document")
    assert b"".join(current.streaming_content) == second
    assert current["Content-Type"] == "application/pdf"
    assert current["Content-Disposition"].startswith("attachment;")
    assert "handreiking-2.pdf" in current["Content-Disposition"]
    assert current["X-Content-Type-Options"] == "nosniff"
    assert current["Cache-Control"] == "private, no-store"
    older = client_of(None).get(f"{URL}/{item.pk}/document", {"versie": 1})
    assert b"".join(older.streaming_content) == first
    # Any Accept: a client asks for the file's own type.
    assert (
        client_of(None).get(f"{URL}/{item.pk}/document", HTTP_ACCEPT="application/pdf").status_code
        == 200
    )
    assert_problem(client_of(None).get(f"{URL}/{item.pk}/document", {"versie": 3}), 404)
    problem = assert_problem(client_of(None).get(f"{URL}/{item.pk}/document", {"versie": 0}), 400)
    assert problem["invalidParams"][0]["name"] == "versie"


def test_links_and_notes(people, diemen):
    bureau = people["bureau"]
    link = services.item_accept(
        actor=bureau,
        item=services.item_create(
            actor=bureau,
            form=Form.LINK,
            kind=Kind.PUBLICATION,
            title="Platform31 over wonen",
            link_url="https://www.platform31.nl/wonen",
            link_publisher="Platform31",
            access=Access.PUBLIC,
        ),
    )
    example = published(
        bureau,
        access=Access.PUBLIC,
        note_cost="€ 40.000 per jaar",
        note_contact_text="Het wijkteam, 020 123 45 67",
    )
    body = client_of(None).get(f"{URL}/{link.pk}").json()
    assert body["link"] == {
        "url": "https://www.platform31.nl/wonen",
        "publisher": "Platform31",
        "publishedOn": None,
    }
    assert body["document"] is None and body["documents"] == []
    assert_problem(client_of(None).get(f"{URL}/{link.pk}/document"), 404)
    anonymous = client_of(None).get(f"{URL}/{example.pk}").json()["note"]
    assert anonymous["what"].startswith("Eén wijkteam") and anonymous["cost"] == "€ 40.000 per jaar"
    # Whom to call: for the network's own users.
    assert anonymous["contact"] is None
    signed_in = client_of(people["official"]).get(f"{URL}/{example.pk}").json()["note"]
    assert signed_in["contact"] == "Het wijkteam, 020 123 45 67"


def test_a_withdrawn_item_shows_its_reason_to_who_manages_it(people):
    bureau = people["bureau"]
    item = published(bureau, access=Access.PUBLIC)
    services.item_withdraw(actor=bureau, item=item, reason="Verouderd")
    assert ids(client_of(None).get(URL, {"status": "ingetrokken"})) == []
    assert_problem(client_of(None).get(f"{URL}/{item.pk}"), 404)
    body = client_of(bureau).get(f"{URL}/{item.pk}").json()
    assert body["status"] == "ingetrokken" and body["statusReason"] == "Verouderd"
    assert body["withdrawnAt"] and body["mayWithdraw"] is False


def test_unknown_ids_are_404_problems(people):
    client = client_of(people["bureau"])
    for url in (f"{URL}/99999999", f"{URL}/99999999999999999999999"):
        assert_problem(client.get(url), 404)
        assert_problem(client.get(f"{url}/document"), 404)


def test_knowledge_filters(people, diemen, houten):
    bureau = people["bureau"]
    sociaal = Pillar.objects.get(slug="sociaal")
    wonen = Theme.objects.get(slug="wonen")
    common = {"access": Access.PUBLIC}
    by_theme = published(bureau, title="Thema", themes=[wonen], **common)
    by_pillar = published(bureau, title="Pijler", body=sociaal, **common)
    by_kind = published(bureau, title="Verslag", kind=Kind.MINUTES, **common)
    by_year = published(bureau, title="Oud", date=datetime.date(2019, 3, 1), **common)
    by_place = published(bureau, title="Plaats", municipality=houten.municipality, **common)
    words = published(
        bureau, title="Woningbouw versnellen", summary="Flexwoningen in Diemen", **common
    )
    client = client_of(None)
    assert ids(client.get(URL, {"thema": "wonen"})) == [by_theme.pk]
    assert ids(client.get(URL, {"pijler": "sociaal"})) == [by_pillar.pk]
    assert ids(client.get(URL, {"soort": "verslag"})) == [by_kind.pk]
    assert ids(client.get(URL, {"jaar": 2019})) == [by_year.pk]
    assert ids(client.get(URL, {"gemeente": houten.municipality.code.lower()})) == [by_place.pk]
    assert ids(client.get(URL, {"zoek": "woningbouw FLEXWONINGEN"})) == [words.pk]
    assert ids(client.get(URL, {"zoek": "woningbouw onbekend"})) == []
    # As the search box reads it: a stem, no accents needed, a prefix, a phrase.
    assert ids(client.get(URL, {"zoek": "flexwoning"})) == [words.pk]
    assert ids(client.get(URL, {"zoek": "woningb*"})) == [words.pk]
    assert ids(client.get(URL, {"zoek": '"woningbouw versnellen"'})) == [words.pk]
    assert ids(client.get(URL, {"zoek": '"versnellen woningbouw"'})) == []
    assert ids(client.get(URL, {"zoek": "de het"})) == []  # only stop words: nothing
    assert len(ids(client.get(URL, {"zoek": ""}))) == 6  # empty counts as absent
    for params, name in (
        ({"thema": "geen-thema"}, "thema"),
        ({"pijler": "geen-pijler"}, "pijler"),
        ({"soort": "roman"}, "soort"),
        ({"jaar": 1800}, "jaar"),
        ({"jaar": "vorig"}, "jaar"),
        ({"gemeente": "GM9999"}, "gemeente"),
        ({"gemeente": "Diemen"}, "gemeente"),
        ({"status": "weg"}, "status"),
        ({"zoek": "x" * 201}, "zoek"),
    ):
        problem = assert_problem(client.get(URL, params), 400)
        assert [p["name"] for p in problem["invalidParams"]] == [name], params


def test_an_unreadable_file_says_it_is_not_searchable(people):
    bureau = people["bureau"]
    item = document_item(bureau, pdf_bytes(), access=Access.PUBLIC)  # a PDF without text
    body = client_of(None).get(f"{URL}/{item.pk}").json()
    assert body["document"]["searchable"] is False
    assert body["document"]["notice"].startswith("De tekst van dit bestand is niet doorzoekbaar")


# --- Writing -----------------------------------------------------------------------------------


def snapshot():
    return (
        sorted(KnowledgeItem.objects.values_list("pk", "status", "title", "summary", "access")),
        sorted(KnowledgeItem.themes.through.objects.values_list("knowledgeitem_id", "theme_id")),
        AuditEvent.objects.count(),
    )


NOTE = {
    "form": "notitie",
    "kind": "voorbeeld",
    "title": "Wijkteams in Diemen",
    "noteWhat": "Eén wijkteam per wijk.",
    "themes": ["jeugdzorg", "wonen"],
    "access": "netwerk",
}


def test_the_bureau_adds_a_link_and_a_note(people):
    client = client_of(people["bureau"])
    response = client.post(URL, NOTE, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"].endswith(f"{URL}/{body['id']}")
    assert response["ETag"].startswith(f'"{body["id"]}-')
    assert body["status"] == "concept" and body["themes"] == ["wonen", "jeugdzorg"]
    assert body["note"]["what"] == "Eén wijkteam per wijk." and body["mayEdit"] is True
    item = KnowledgeItem.objects.get(pk=body["id"])
    assert item.created_by == people["bureau"]
    assert AuditEvent.objects.filter(
        action="knowledge.item_create", object_id=str(item.pk)
    ).exists()
    link = client.post(
        URL,
        {
            "form": "link",
            "kind": "publicatie",
            "title": "Platform31 over wonen",
            "linkUrl": "https://www.platform31.nl/wonen",
            "linkPublisher": "Platform31",
            "linkPublishedOn": "2024-03-01",
            "pillar": "sociaal",
            "access": "pijler-of-groep",
        },
        format="json",
    )
    assert link.status_code == 201, link.content
    assert link.json()["pillar"]["slug"] == "sociaal"
    assert link.json()["link"]["publishedOn"] == "2024-03-01"


def test_a_participant_adds_an_example_of_their_own_municipality_only(people, diemen, houten):
    official = client_of(people["official"])  # of Diemen
    own = {**NOTE, "municipality": diemen.municipality.code}
    response = official.post(URL, own, format="json")
    assert response.status_code == 201, response.content
    assert KnowledgeItem.objects.get(pk=response.json()["id"]).created_by == people["official"]
    before = snapshot()
    for body in (
        {**own, "municipality": houten.municipality.code},
        {**own, "kind": "handreiking"},
        {**NOTE},
    ):
        problem = assert_problem(official.post(URL, body, format="json"), 403)
        assert problem["detail"].startswith("U mag dit kennisitem niet toevoegen")
    # Public affairs and a chair of another pillar add nothing for the bureau either.
    for name in ("public_affairs", "sociaal_chair"):
        assert_problem(client_of(people[name]).post(URL, NOTE, format="json"), 403)
    assert_problem(client_of(None).post(URL, NOTE, format="json"), 401)
    assert snapshot() == before


def test_a_refused_item_is_a_dutch_400_and_writes_nothing(people):
    client = client_of(people["bureau"])
    before = snapshot()
    for body, name in (
        ({**NOTE, "form": "link"}, "linkUrl"),
        ({**NOTE, "noteWhat": ""}, "noteWhat"),
        ({**NOTE, "themes": ["geen-thema"]}, "themes.0"),
        ({**NOTE, "form": "document"}, "form"),
        ({**NOTE, "access": "pijler-of-groep"}, "access"),
        ({**NOTE, "pillar": "sociaal", "themeGroup": "geen"}, "themeGroup"),
        ({**NOTE, "municipality": "GM9999"}, "municipality"),
        ({**NOTE, "geheim": True}, "geheim"),
        ({"form": "notitie"}, "kind"),
    ):
        problem = assert_problem(client.post(URL, body, format="json"), 400)
        assert name in [p["name"] for p in problem["invalidParams"]], (body, problem)
    problem = assert_problem(client.post(URL, {**NOTE, "noteWhat": " "}, format="json"), 400)
    assert problem["invalidParams"][0]["reason"] == "Beschrijf wat de gemeente heeft gedaan."
    assert snapshot() == before


def test_a_change_needs_the_current_etag(people):
    bureau = people["bureau"]
    item = published(bureau, access=Access.PUBLIC)
    client = client_of(bureau)
    url = f"{URL}/{item.pk}"
    etag = client.get(url)["ETag"]
    before = snapshot()
    assert_problem(client.patch(url, {"title": "Nieuw"}, format="json"), 428)
    assert_problem(client.patch(url, {"title": "Nieuw"}, format="json", HTTP_IF_MATCH="*"), 428)
    assert_problem(
        client.patch(url, {"title": "Nieuw"}, format="json", HTTP_IF_MATCH=f'"{item.pk}-0"'), 412
    )
    assert snapshot() == before
    response = client.patch(
        url, {"title": "Nieuw", "themes": ["wonen"]}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Nieuw" and response.json()["themes"] == ["wonen"]
    assert response["ETag"] != etag
    # The old version is stale now: someone else's change is not overwritten unnoticed.
    assert_problem(client.patch(url, {"title": "Ander"}, format="json", HTTP_IF_MATCH=etag), 412)
    # A withdrawal changes the version too.
    fresh = client.get(url)["ETag"]
    services.item_withdraw(actor=bureau, item=item, reason="Verouderd")
    assert_problem(client.patch(url, {"title": "Ander"}, format="json", HTTP_IF_MATCH=fresh), 403)
    assert KnowledgeItem.objects.get(pk=item.pk).title == "Nieuw"


def test_who_may_not_change_it_gets_403_or_404_and_nothing_changes(people, diemen):
    bureau = people["bureau"]
    item = published(bureau, access=Access.PUBLIC)
    hidden = published(bureau, access=Access.BUREAU)
    etag = client_of(bureau).get(f"{URL}/{item.pk}")["ETag"]
    before = snapshot()
    for name in ("official", "public_affairs", "sociaal_chair", "member_contact"):
        client = client_of(people[name])
        body = {"title": "Overgenomen"}
        assert_problem(
            client.patch(f"{URL}/{item.pk}", body, format="json", HTTP_IF_MATCH=etag), 403
        )
        assert_problem(client.post(f"{URL}/{item.pk}/intrekking", {"reason": "x"}), 403)
        if name != "public_affairs":
            assert_problem(client.patch(f"{URL}/{hidden.pk}", body, format="json"), 404)
    assert_problem(client_of(None).patch(f"{URL}/{item.pk}", {}, format="json"), 401)
    # A service's refusal names the field: a link has no note.
    problem = assert_problem(
        client_of(bureau).patch(
            f"{URL}/{item.pk}",
            {"linkUrl": "https://example.org"},
            format="json",
            HTTP_IF_MATCH=etag,
        ),
        400,
    )
    assert [p["name"] for p in problem["invalidParams"]] == ["linkUrl"]
    assert snapshot() == before


def test_the_writer_changes_their_submission_and_the_chair_withdraws_it(people, diemen):
    official = people["official"]
    sociaal = Pillar.objects.get(slug="sociaal")
    example = note(official, municipality=diemen.municipality, body=sociaal)
    services.item_submit(actor=official, item=example)
    client = client_of(official)
    url = f"{URL}/{example.pk}"
    etag = client.get(url)["ETag"]
    changed = client.patch(url, {"noteCost": "Twee fte"}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200, changed.content
    assert changed.json()["note"]["cost"] == "Twee fte"
    chair = client_of(people["sociaal_chair"])
    assert_problem(chair.post(f"{url}/intrekking", {}, format="json"), 400)
    withdrawn = chair.post(f"{url}/intrekking", {"reason": "Dubbel"}, format="json")
    assert withdrawn.status_code == 200, withdrawn.content
    body = withdrawn.json()
    assert body["status"] == "ingetrokken" and body["statusReason"] == "Dubbel"
    assert AuditEvent.objects.filter(
        action="knowledge.item_withdraw", object_id=str(example.pk)
    ).exists()
    # Withdrawn is final: not again, and not changed any more.
    assert_problem(chair.post(f"{url}/intrekking", {"reason": "Nog eens"}, format="json"), 403)


def test_a_new_version_of_the_file_is_uploaded_by_who_may_edit(people, media):
    bureau = people["bureau"]
    item = document_item(bureau, pdf_bytes("Eerste versie"), access=Access.PUBLIC)
    url = f"{URL}/{item.pk}/documenten"
    second = docx_bytes("Tweede versie")
    response = client_of(bureau).post(url, {"file": upload("tweede.docx", second)})
    assert response.status_code == 201, response.content
    assert response["Location"].endswith(f"{URL}/{item.pk}/document?versie=2")
    body = response.json()
    assert body["document"]["version"] == 2 and body["document"]["filename"] == "tweede.docx"
    assert [d["version"] for d in body["documents"]] == [2, 1]
    download = client_of(None).get(f"{URL}/{item.pk}/document")
    assert b"".join(download.streaming_content) == second
    assert download["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )

    text = published(bureau, access=Access.PUBLIC)
    files = sorted(p.name for p in media.rglob("*") if p.is_file())
    before = snapshot(), item.documents.count()
    lying = upload("rapport.pdf", b"<html><script>alert(1)</script></html>")
    problem = assert_problem(client_of(bureau).post(url, {"file": lying}), 400)
    assert [p["name"] for p in problem["invalidParams"]] == ["file"]
    assert "Kies een PDF" in problem["invalidParams"][0]["reason"]
    assert_problem(client_of(bureau).post(url, {}), 400)
    assert_problem(client_of(bureau).post(url, {"file": "tekst"}, format="json"), 415)
    other = upload("derde.pdf", pdf_bytes("Derde"))
    assert_problem(client_of(people["official"]).post(url, {"file": other}), 403)
    assert_problem(client_of(None).post(url, {"file": other}), 401)
    # A note has no file.
    assert_problem(client_of(bureau).post(f"{URL}/{text.pk}/documenten", {"file": other}), 403)
    assert (snapshot(), item.documents.count()) == before
    assert sorted(p.name for p in media.rglob("*") if p.is_file()) == files


def test_an_example_is_submitted_rejected_resubmitted_and_published(people, diemen):
    official = client_of(people["official"])  # of Diemen, writing for Sociaal
    chair = client_of(people["sociaal_chair"])
    other = client_of(people["member_contact"])
    created = official.post(
        URL, {**NOTE, "municipality": diemen.municipality.code, "pillar": "sociaal"}, format="json"
    )
    assert created.status_code == 201, created.content
    url = f"{URL}/{created.json()['id']}"
    # Not submitted yet: nothing to accept or reject; only its writer submits it.
    assert_problem(chair.post(f"{url}/afwijzing", {"reason": "Nee"}, format="json"), 403)
    assert_problem(other.post(f"{url}/indiening"), 404)  # a draft shows to its writer only
    submitted = official.post(f"{url}/indiening")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "ingediend"
    before = snapshot()
    assert_problem(official.post(f"{url}/publicatie"), 403)  # not by its writer
    assert_problem(chair.post(f"{url}/afwijzing", {}, format="json"), 400)
    assert_problem(chair.post(f"{url}/publicatie", {"extra": 1}, format="json"), 400)
    assert snapshot() == before
    rejected = chair.post(f"{url}/afwijzing", {"reason": "Voeg de kosten toe."}, format="json")
    assert rejected.status_code == 200, rejected.content
    assert rejected.json()["status"] == "afgewezen"
    assert rejected.json()["statusReason"] == "Voeg de kosten toe."
    assert official.post(f"{url}/indiening", {}, format="json").status_code == 200
    published_ = chair.post(f"{url}/publicatie")
    assert published_.status_code == 200, published_.content
    assert published_.json()["status"] == "gepubliceerd" and published_.json()["publishedAt"]
    # Published for all users of members: the member contact of Houten reads it now.
    assert other.get(url).status_code == 200
    assert_problem(chair.post(f"{url}/publicatie"), 403)
    actions = set(
        AuditEvent.objects.filter(object_id=url.rsplit("/", 1)[1]).values_list("action", flat=True)
    )
    assert {"knowledge.item_submit", "knowledge.item_reject", "knowledge.item_accept"} <= actions


def test_a_document_without_its_file_is_not_published(people):
    bureau = people["bureau"]
    draft = note(bureau, access=Access.PUBLIC)
    KnowledgeItem.objects.filter(pk=draft.pk).update(form=Form.DOCUMENT, note_what="")
    problem = assert_problem(client_of(bureau).post(f"{URL}/{draft.pk}/publicatie"), 400)
    assert problem["invalidParams"][0]["reason"] == "Voeg eerst het bestand van het document toe."
    assert KnowledgeItem.objects.get(pk=draft.pk).status == Status.DRAFT


def test_items_cannot_be_deleted_or_replaced(people):
    item = published(people["bureau"], access=Access.PUBLIC)
    client = client_of(people["bureau"])
    assert_problem(client.delete(f"{URL}/{item.pk}"), 405)
    assert_problem(client.put(f"{URL}/{item.pk}", {}, format="json"), 405)
    assert_problem(client.post(f"{URL}/{item.pk}/document", {}, format="json"), 405)


# --- Query counts -----------------------------------------------------------------------------

SIZES = (10, 1_000)


def _count_queries(client, url, params=None) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return len(queries), response.json()


def _items(people, count: int) -> None:
    """Up to ``count`` published items of every form and level, made in bulk (the services are
    tested above; here only the reading cost counts): themes, pillars, municipalities,
    notes with a contact person, documents with two versions."""
    sociaal = Pillar.objects.get(slug="sociaal")
    themes = list(Theme.objects.filter(slug__in=["wonen", "mobiliteit", "jeugdzorg"]))
    contact = people["official"].person
    now = timezone.now()
    existing = KnowledgeItem.objects.count()
    forms = (Form.NOTE, Form.LINK, Form.DOCUMENT)
    access = (Access.PUBLIC, Access.NETWORK, Access.BODY, Access.BUREAU)
    items = KnowledgeItem.objects.bulk_create(
        KnowledgeItem(
            form=forms[n % 3],
            kind=Kind.EXAMPLE,
            title=f"Kennisitem {n}",
            summary="Samenvatting",
            date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n % 300),
            pillar=sociaal if n % 2 else None,
            municipality=people["official"].municipality if n % 5 == 0 else None,
            link_url="https://example.org/kennis" if forms[n % 3] == Form.LINK else "",
            note_what="Gedaan" if forms[n % 3] == Form.NOTE else "",
            note_contact_person=contact if forms[n % 3] == Form.NOTE else None,
            # Every level with and without a pillar (a level for one pillar needs one).
            access=access[(n // 2) % 4] if n % 2 or (n // 2) % 4 != 2 else Access.PUBLIC,
            status=Status.PUBLISHED,
            published_at=now,
        )
        for n in range(existing, count)
    )
    through = KnowledgeItem.themes.through
    through.objects.bulk_create(
        through(knowledgeitem_id=item.pk, theme_id=themes[i % 3].pk) for i, item in enumerate(items)
    )
    KnowledgeDocument.objects.bulk_create(
        KnowledgeDocument(
            item=item,
            version=version,
            file=f"knowledge/bulk/{item.pk}-{version}.pdf",
            filename="bestand.pdf",
            content_type="application/pdf",
            size=100,
            sha256="0" * 64,
            text="tekst",
            text_status=TextStatus.EXTRACTED,
        )
        for item in items
        if item.form == Form.DOCUMENT
        for version in (1, 2)
    )
    # Rows made in bulk pass no service: the search index (for ?zoek=) is rebuilt from them.
    index.index_rebuild()


KNOWLEDGE_PARAMS = [
    {},
    {"pageSize": 500},
    {"pijler": "sociaal", "soort": "voorbeeld", "jaar": 2024, "zoek": "kennisitem"},
    {"thema": "wonen", "page": 1, "pageSize": 3},
]


@pytest.mark.parametrize("who", ["anonymous", "official", "sociaal_chair", "bureau"])
@pytest.mark.parametrize("params", KNOWLEDGE_PARAMS)
def test_knowledge_list_query_count_does_not_grow(people, who, params):
    client = client_of(people[who])
    counts = []
    for size in SIZES:
        _items(people, size)
        count, body = _count_queries(client, URL, params)
        assert body["results"], "nothing listed proves nothing"
        counts.append(count)
    assert counts[0] == counts[1], counts
    # A count and a page, the page's themes and current files; a slug's look-up per filter.
    assert counts[0] == 4 + ("pijler" in params) + ("thema" in params), counts


@pytest.mark.parametrize("who", ["anonymous", "sociaal_chair", "bureau"])
def test_knowledge_detail_query_count_does_not_grow_with_versions(people, who):
    bureau = people["bureau"]
    item = document_item(bureau, pdf_bytes("Versie"), access=Access.PUBLIC)
    client = client_of(people[who])
    counts = []
    for size in SIZES:
        KnowledgeDocument.objects.bulk_create(
            KnowledgeDocument(
                item=item,
                version=version,
                file=f"knowledge/bulk/{item.pk}-{version}.pdf",
                filename="bestand.pdf",
                content_type="application/pdf",
                size=100,
                sha256="0" * 64,
                text_status=TextStatus.EXTRACTED,
            )
            for version in range(item.documents.count() + 1, size + 1)
        )
        count, body = _count_queries(client, f"{URL}/{item.pk}")
        assert len(body["documents"]) == size and body["document"]["version"] == size
        counts.append(count)
    assert counts[0] == counts[1], counts


# --- The OpenAPI document ---------------------------------------------------------------------


def test_the_knowledge_operations_are_documented():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    listing = paths["/kennisitems"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert names == {
        "zoek",
        "thema",
        "pijler",
        "themagroep",
        "soort",
        "jaar",
        "gemeente",
        "status",
        "page",
        "pageSize",
    }
    assert {} in listing["security"]  # anonymous callers too
    download = paths["/kennisitems/{id}/document"]["get"]
    assert set(download["responses"]["200"]["content"]) == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
    }
    assert "Content-Disposition" in download["responses"]["200"]["headers"]
    assert {"400", "404"} <= set(download["responses"])
    assert {p["name"] for p in download["parameters"]} == {"id", "versie"}
    detail = paths["/kennisitems/{id}"]["get"]["responses"]["200"]
    assert "ETag" in detail["headers"]
