"""Writing the library through its pages: adding a note, a link and a document, changing an
item, a new version of its file, a member's example submitted and accepted or rejected by the
chair, and withdrawing. A refusal is a Dutch form error (status 400) and writes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from m50.core.models import AuditEvent, Theme
from m50.knowledge import services
from m50.knowledge.models import Access, Form, Kind, KnowledgeDocument, KnowledgeItem, Status
from m50.pillars.forms import body_key
from m50.pillars.models import Topic
from tests.knowledge.conftest import docx_bytes, note, pdf_bytes, published, stored_files, upload

pytestmark = pytest.mark.django_db
CREATE = reverse("knowledge:create")


def url(name, item, *args) -> str:
    return reverse(f"knowledge:{name}", args=[item.pk, *args])


def fields(**values) -> dict:
    data = {
        "form": Form.NOTE,
        "kind": Kind.EXAMPLE,
        "title": "Wijkteams",
        "summary": "",
        "date": "2025-03-04",
        "municipality": "",
        "body": "bureau",
        "access": Access.NETWORK,
        "link_url": "",
        "link_publisher": "",
        "link_published_on": "",
        "note_what": "Eén wijkteam per wijk.",
        "note_cost": "",
        "note_contact_text": "",
    }
    data.update(values)
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_bureau_adds_a_note_and_publishes_it(client, people):
    client.force_login(people["bureau"])
    wonen = Theme.objects.get(slug="wonen")
    response = client.post(CREATE, fields(themes=[str(wonen.pk)]))
    item = KnowledgeItem.objects.get()
    assert response.status_code == 302
    assert response.url == url("detail", item)
    assert item.status == Status.DRAFT
    assert list(item.themes.all()) == [wonen]
    assert item.created_by == people["bureau"]
    page = client.get(url("detail", item))
    assert "Publiceren" in page.content.decode()
    response = client.post(url("accept", item), follow=True)
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED
    assert "Wijkteams is gepubliceerd." in messages_of(response)
    assert AuditEvent.objects.filter(action="knowledge.item_accept").count() == 1


def test_a_link_with_a_bad_address_is_a_dutch_error_and_writes_nothing(client, people):
    client.force_login(people["bureau"])
    response = client.post(
        CREATE, fields(form=Form.LINK, kind=Kind.PUBLICATION, note_what="", link_url="geen adres")
    )
    assert response.status_code == 400
    assert "Vul een volledig webadres in, beginnend met https://." in response.content.decode()
    assert not KnowledgeItem.objects.exists()
    # A refusal of the service (a note's fields on a link) lands on its field too.
    response = client.post(
        CREATE, fields(form=Form.LINK, kind=Kind.PUBLICATION, link_url="https://platform31.nl")
    )
    assert response.status_code == 400
    assert "Alleen een notitie beschrijft" in response.content.decode()
    assert not KnowledgeItem.objects.exists()


def test_a_document_is_uploaded_with_its_file(client, people, media):
    client.force_login(people["bureau"])
    response = client.post(
        CREATE,
        {
            **fields(form=Form.DOCUMENT, kind=Kind.GUIDE, note_what=""),
            "file": upload("handreiking.docx", docx_bytes("Huisvesting van statushouders")),
        },
    )
    assert response.status_code == 302
    document = KnowledgeDocument.objects.get()
    assert document.filename == "handreiking.docx"
    assert "statushouders" in document.text


def test_a_file_lying_about_its_type_is_refused_and_nothing_is_stored(client, people, media):
    client.force_login(people["bureau"])
    response = client.post(
        CREATE,
        {
            **fields(form=Form.DOCUMENT, kind=Kind.GUIDE, note_what=""),
            "file": upload("rapport.pdf", b"<html><script>alert(1)</script></html>"),
        },
    )
    assert response.status_code == 400
    assert "Dit soort bestand kan niet worden toegevoegd" in response.content.decode()
    assert not KnowledgeItem.objects.exists()
    assert stored_files(media) == []


def test_an_unreadable_file_is_stored_with_the_notice(client, people, media):
    client.force_login(people["bureau"])
    response = client.post(
        CREATE,
        {
            **fields(form=Form.DOCUMENT, kind=Kind.GUIDE, note_what=""),
            "file": upload("scan.pdf", pdf_bytes()),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert any("niet doorzoekbaar" in message for message in messages_of(response))
    assert KnowledgeDocument.objects.get().searchable is False


def test_a_new_version_keeps_the_old_one(client, people, media):
    bureau = people["bureau"]
    item = services.item_create(
        actor=bureau,
        form=Form.DOCUMENT,
        kind=Kind.GUIDE,
        title="Handreiking",
        uploaded_file=upload("een.pdf", pdf_bytes("Versie een")),
    )
    client.force_login(bureau)
    page = client.get(url("version_add", item))
    assert "een.pdf" in page.content.decode()
    response = client.post(
        url("version_add", item), {"file": upload("twee.pdf", pdf_bytes("Versie twee"))}
    )
    assert response.status_code == 302
    assert list(item.documents.values_list("version", "filename")) == [
        (2, "twee.pdf"),
        (1, "een.pdf"),
    ]
    response = client.post(url("version_add", item), {})
    assert response.status_code == 400
    assert "Kies een bestand." in response.content.decode()
    assert item.documents.count() == 2


def test_the_bureau_changes_an_item(client, people, sociaal):
    bureau = people["bureau"]
    item = published(bureau, title="Oud")
    client.force_login(bureau)
    form = client.get(url("edit", item))
    assert form.status_code == 200
    assert 'value="Oud"' in form.content.decode()
    response = client.post(
        url("edit", item),
        fields(title="Nieuw", body=body_key(sociaal), access=Access.BODY),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.pillar, item.access) == ("Nieuw", sociaal, Access.BODY)
    response = client.post(url("edit", item), fields(title=""))
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.title == "Nieuw"


def test_who_sees_but_may_not_change_an_item_gets_403(client, people):
    item = published(people["bureau"])
    client.force_login(people["official"])
    for name in ("edit", "withdraw"):
        assert client.get(url(name, item)).status_code == 403
    assert client.post(url("edit", item), fields(title="Gekaapt")).status_code == 403
    item.refresh_from_db()
    assert item.title == "Wijkteams in Diemen"


def test_a_member_submits_an_example_and_the_chair_accepts_it(client, people, diemen, sociaal):
    writer, chair = people["sociaal_member"], people["sociaal_chair"]
    client.force_login(writer)
    form = client.get(CREATE)
    assert form.status_code == 200
    assert form.context["form"].initial["municipality"] == str(diemen.municipality.pk)
    response = client.post(
        CREATE,
        fields(
            municipality=str(diemen.municipality.pk),
            body=body_key(sociaal),
            title="Ons voorbeeld",
        ),
    )
    assert response.status_code == 302
    item = KnowledgeItem.objects.get()
    listed = client.get(reverse("knowledge:list"))
    assert [row["item"] for row in listed.context["own"]] == [item]
    assert "Indienen ter publicatie" in client.get(url("detail", item)).content.decode()
    client.post(url("submit", item))
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED

    client.force_login(chair)
    review = client.get(reverse("knowledge:review"))
    assert [row["item"] for row in review.context["page"].rows] == [item]
    assert f"door {writer}" in review.content.decode()
    assert client.post(url("accept", item)).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED
    assert item.reviewed_by == chair
    assert not client.get(reverse("knowledge:review")).context["page"].rows


def test_the_chair_rejects_with_a_reason_the_writer_sees_it(client, people, diemen, sociaal):
    writer, chair = people["sociaal_member"], people["sociaal_chair"]
    item = note(writer, municipality=diemen.municipality, body=sociaal)
    services.item_submit(actor=writer, item=item)
    client.force_login(chair)
    response = client.post(url("reject", item), {"reason": ""})
    assert response.status_code == 400
    assert "Vul dit veld in." in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED
    response = client.post(url("reject", item), {"reason": "Graag de kosten erbij."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.status_reason) == (Status.REJECTED, "Graag de kosten erbij.")
    client.force_login(writer)
    page = client.get(url("detail", item)).content.decode()
    assert "Graag de kosten erbij." in page
    assert "Indienen ter publicatie" in page


def test_a_member_may_not_publish_their_own_example(client, people, diemen):
    writer = people["sociaal_member"]
    item = note(writer, municipality=diemen.municipality)
    client.force_login(writer)
    response = client.post(url("accept", item), follow=True)
    assert "U mag dit kennisitem niet publiceren." in messages_of(response)
    item.refresh_from_db()
    assert item.status == Status.DRAFT


def test_an_example_of_another_municipality_is_refused(client, people, houten):
    client.force_login(people["sociaal_member"])
    response = client.post(CREATE, fields(municipality=str(houten.municipality.pk)))
    assert response.status_code == 400
    assert "U mag dit kennisitem niet toevoegen." in response.content.decode()
    assert not KnowledgeItem.objects.exists()


def test_public_affairs_adds_no_items(client, people):
    client.force_login(people["public_affairs"])
    assert client.get(CREATE).status_code == 403


def test_withdrawing_keeps_the_item_with_its_reason(client, people):
    bureau = people["bureau"]
    item = published(bureau, access=Access.PUBLIC)
    client.force_login(bureau)
    assert client.get(url("withdraw", item)).status_code == 200
    response = client.post(url("withdraw", item), {"reason": "Verouderd"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.status_reason) == (Status.WITHDRAWN, "Verouderd")
    again = client.get(url("withdraw", item), follow=True)
    assert "Dit kennisitem is al ingetrokken." in messages_of(again)
    client.logout()
    assert client.get(url("detail", item)).status_code == 404


def test_the_link_to_add_shows_for_who_may_add(client, people):
    for who, shown in (
        ("bureau", True),
        ("sociaal_chair", True),
        ("sociaal_member", True),
        ("public_affairs", False),
    ):
        client.force_login(people[who])
        assert (CREATE in client.get(reverse("knowledge:list")).content.decode()) is shown, who
    client.logout()
    assert CREATE not in client.get(reverse("knowledge:list")).content.decode()


def test_a_topic_and_a_source_are_chosen_and_shown(client, people, sociaal, diemen):
    topic = Topic.objects.create(
        pillar=sociaal, title="Wachtlijsten jeugdzorg", owner=people["sociaal_member"].person
    )
    client.force_login(people["bureau"])
    response = client.post(
        CREATE,
        fields(topic=str(topic.pk), source_organisation=str(diemen.pk), title="Uit het onderwerp"),
    )
    assert response.status_code == 302
    item = KnowledgeItem.objects.get()
    # The topic puts the item with its pillar.
    assert (item.topic, item.pillar, item.source_organisation) == (topic, sociaal, diemen)
    page = client.get(url("detail", item)).content.decode()
    assert "Wachtlijsten jeugdzorg" in page
    assert "Gemeente Diemen" in page
    edit = client.get(url("edit", item))
    assert edit.context["form"].initial["topic"] == str(topic.pk)
