"""The knowledge services: who may make which item, the rules of its fields, the submission
of a member's example and its acceptance or rejection, withdrawal (never deletion), the
versions of a document's file, the audit trail and the KNOWLEDGE data version."""

from __future__ import annotations

import datetime

import pytest

from m50.core.models import AuditEvent, Theme
from m50.core.versions import KNOWLEDGE, data_versions
from m50.knowledge import rules, selectors, services
from m50.knowledge.models import Access, Form, Kind, KnowledgeItem, Status
from tests.knowledge.conftest import (
    docx_bytes,
    note,
    odt_bytes,
    pdf_bytes,
    published,
    stored_files,
    upload,
)
from tests.knowledge.helpers import refused

pytestmark = pytest.mark.django_db


def version() -> int:
    return data_versions([KNOWLEDGE])[KNOWLEDGE].version


def actions(item) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="knowledge.KnowledgeItem", object_id=str(item.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


# --- Making items ---------------------------------------------------------------------------


def test_the_bureau_makes_a_link_audited_and_versioned(people):
    before = version()
    wonen = Theme.objects.get(slug="wonen")
    item = services.item_create(
        actor=people["bureau"],
        form=Form.LINK,
        kind=Kind.PUBLICATION,
        title="  Woningbouw in middelgrote gemeenten ",
        themes=[wonen],
        link_url="https://www.platform31.nl/publicaties/woningbouw",
        link_publisher="Platform31",
        link_published_on=datetime.date(2024, 2, 1),
        access=Access.PUBLIC,
    )
    assert (item.title, item.status, item.created_by) == (
        "Woningbouw in middelgrote gemeenten",
        Status.DRAFT,
        people["bureau"],
    )
    assert list(item.themes.all()) == [wonen]
    assert version() == before + 1
    event = AuditEvent.objects.get(action="knowledge.item_create")
    assert event.changes["link_url"]["new"] == "https://www.platform31.nl/publicaties/woningbouw"
    assert event.changes["themes"]["new"] == "wonen"
    services.item_accept(actor=people["bureau"], item=item)
    assert version() == before + 2
    assert actions(item) == ["knowledge.item_create", "knowledge.item_accept"]


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"title": "  "}, "title", "titel"),
        ({"kind": "roman"}, "kind", "wat voor kennisitem"),
        ({"access": "geheim"}, "access", "wie het kennisitem mag lezen"),
        ({"access": Access.BODY}, "access", "pijler of themagroep"),
        ({"form": Form.LINK, "note_what": ""}, "link_url", "adres van de publicatie"),
        (
            {"form": Form.LINK, "note_what": "", "link_url": "javascript:alert(1)"},
            "link_url",
            "volledig webadres",
        ),
        ({"note_what": ""}, "note_what", "wat de gemeente heeft gedaan"),
        ({"link_url": "https://example.org"}, "link_url", "Alleen een link"),
        ({"form": Form.DOCUMENT, "note_what": ""}, "file", "Kies een bestand"),
    ],
)
def test_bad_fields_are_refused_in_dutch_and_nothing_is_written(
    people, media, fields, field, words
):
    with refused(media, words) as info:
        note(people["bureau"], **fields)
    assert field in info.value.message_dict


def test_an_inactive_theme_is_refused(people, media):
    old = Theme.objects.get(slug="wonen")
    old.active = False
    old.save()
    with refused(media, "niet meer in gebruik"):
        note(people["bureau"], themes=[old])


def test_a_theme_no_longer_in_use_stays_on_an_item_that_has_it(people, media):
    wonen, mobiliteit = (Theme.objects.get(slug=slug) for slug in ("wonen", "mobiliteit"))
    item = note(people["bureau"], themes=[wonen])
    Theme.objects.filter(pk=wonen.pk).update(active=False)
    wonen.refresh_from_db()
    item = services.item_update(actor=people["bureau"], item=item, themes=[wonen], title="Nieuw")
    assert list(item.themes.all()) == [wonen]
    mobiliteit.active = False
    mobiliteit.save()
    with refused(media, "Mobiliteit is niet meer in gebruik"):
        services.item_update(actor=people["bureau"], item=item, themes=[wonen, mobiliteit])


def test_a_topic_sets_the_pillar_and_must_belong_to_it(people, media, sociaal, financieel):
    from m50.pillars.models import Topic

    topic = Topic.objects.create(pillar=sociaal, title="Jeugdzorg dichtbij")
    item = note(people["bureau"], topic=topic)
    assert item.pillar == sociaal
    with refused(media, "hoort niet bij Financieel"):
        note(people["bureau"], topic=topic, body=financieel)


@pytest.mark.parametrize(
    ("who", "fields", "allowed"),
    [
        ("bureau", {}, True),
        ("sociaal_chair", {"body": "sociaal"}, True),
        ("sociaal_chair", {"body": "financieel"}, False),
        ("sociaal_chair", {}, False),
        ("sociaal_member", {"body": "sociaal", "kind": Kind.GUIDE}, False),
        ("official", {"municipality": "diemen"}, True),
        ("official", {"municipality": "houten"}, False),
        ("official", {"municipality": "diemen", "kind": Kind.POSITION_PAPER}, False),
        ("member_contact", {"municipality": "houten"}, True),
        ("public_affairs", {"municipality": "diemen"}, False),
    ],
)
def test_who_may_make_which_item(people, media, diemen, houten, who, fields, allowed):
    from m50.pillars.models import Pillar

    if "body" in fields:
        fields["body"] = Pillar.objects.get(slug=fields["body"])
    if "municipality" in fields:
        fields["municipality"] = {"diemen": diemen, "houten": houten}[
            fields["municipality"]
        ].municipality
    if allowed:
        assert note(people[who], **fields).status == Status.DRAFT
    else:
        with refused(media, "niet toevoegen"):
            note(people[who], **fields)


# --- Submission and acceptance --------------------------------------------------------------


def example(people, diemen, sociaal, **kwargs):
    return note(people["official"], body=sociaal, municipality=diemen.municipality, **kwargs)


def test_a_member_submits_an_example_the_chair_accepts_it(people, diemen, sociaal):
    writer, chair = people["official"], people["sociaal_chair"]
    item = example(people, diemen, sociaal)
    assert not rules.may_accept(chair, item)  # a draft is the writer's until submitted
    item = services.item_submit(actor=writer, item=item)
    assert (item.status, item.submitted_by) == (Status.SUBMITTED, writer)
    assert not selectors.item_list(user=people["member_contact"]).filter(pk=item.pk).exists()
    item = services.item_accept(actor=chair, item=item)
    assert (item.status, item.reviewed_by) == (Status.PUBLISHED, chair)
    assert item.published_at is not None
    assert selectors.item_list(user=people["member_contact"]).filter(pk=item.pk).exists()
    assert actions(item) == [
        "knowledge.item_create",
        "knowledge.item_submit",
        "knowledge.item_accept",
    ]


def test_a_rejected_example_is_changed_and_submitted_again(people, media, diemen, sociaal):
    writer, chair = people["official"], people["sociaal_chair"]
    item = services.item_submit(actor=writer, item=example(people, diemen, sociaal))
    with refused(media, "waarom"):
        services.item_reject(actor=chair, item=item, reason=" ")
    item = services.item_reject(actor=chair, item=item, reason="Graag de kosten erbij.")
    assert (item.status, item.status_reason) == (Status.REJECTED, "Graag de kosten erbij.")
    item = services.item_update(actor=writer, item=item, note_cost="€ 40.000 per jaar")
    item = services.item_submit(actor=writer, item=item)
    assert (item.status, item.status_reason) == (Status.SUBMITTED, "")
    assert services.item_accept(actor=people["bureau"], item=item).status == Status.PUBLISHED


@pytest.mark.parametrize("who", ["sociaal_member", "public_affairs", "member_contact"])
def test_others_cannot_accept_or_reject_a_submission(people, media, diemen, sociaal, who):
    item = services.item_submit(actor=people["official"], item=example(people, diemen, sociaal))
    with refused(media, "niet publiceren"):
        services.item_accept(actor=people[who], item=item)
    with refused(media, "niet afwijzen"):
        services.item_reject(actor=people[who], item=item, reason="Nee")


def test_only_the_writer_submits_and_only_an_example_of_their_own(people, media, diemen, sociaal):
    item = example(people, diemen, sociaal)
    for who in ("sociaal_member", "bureau", "member_contact"):
        with refused(media, "niet indienen"):
            services.item_submit(actor=people[who], item=item)
    bureau_item = note(people["bureau"], municipality=diemen.municipality)
    with refused(media, "niet indienen"):
        services.item_submit(actor=people["official"], item=bureau_item)


def test_a_published_example_is_no_longer_the_writers_to_change(people, media, diemen, sociaal):
    writer = people["official"]
    item = services.item_submit(actor=writer, item=example(people, diemen, sociaal))
    item = services.item_accept(actor=people["sociaal_chair"], item=item)
    with refused(media, "niet wijzigen"):
        services.item_update(actor=writer, item=item, title="Anders")
    with refused(media, "niet intrekken"):
        services.item_withdraw(actor=writer, item=item, reason="Weg ermee")
    item = services.item_update(actor=people["sociaal_chair"], item=item, title="Wijkteams")
    assert item.title == "Wijkteams"


def test_the_writer_cannot_turn_an_example_into_someone_elses(people, media, diemen, houten):
    item = note(people["official"], municipality=diemen.municipality)
    with refused(media, "zo niet opslaan"):
        services.item_update(actor=people["official"], item=item, municipality=houten.municipality)


def test_an_update_is_audited_field_by_field(people):
    wonen = Theme.objects.get(slug="wonen")
    item = published(people["bureau"])
    services.item_update(actor=people["bureau"], item=item, title="Nieuwe titel", themes=[wonen])
    event = AuditEvent.objects.filter(action="knowledge.item_update").get()
    assert event.changes == {
        "themes": {"old": "", "new": "wonen"},
        "title": {"old": "Wijkteams in Diemen", "new": "Nieuwe titel"},
    }


def test_a_chair_moves_an_item_only_to_a_body_they_manage(people, media, sociaal, financieel):
    item = note(people["bureau"], body=sociaal)
    with refused(media, "niet bij Financieel"):
        services.item_update(actor=people["sociaal_chair"], item=item, body=financieel)
    assert services.item_update(actor=people["bureau"], item=item, body=financieel).pillar == (
        financieel
    )


# --- Withdrawal -----------------------------------------------------------------------------


def test_withdrawal_keeps_the_item_with_its_reason(people, media):
    item = published(people["bureau"], access=Access.PUBLIC)
    before = version()
    with refused(media, "waarom"):
        services.item_withdraw(actor=people["bureau"], item=item, reason="")
    with refused(media, "niet intrekken"):
        services.item_withdraw(actor=people["official"], item=item, reason="Oud")
    item = services.item_withdraw(actor=people["bureau"], item=item, reason="Vervangen door 2025")
    assert (item.status, item.status_reason) == (Status.WITHDRAWN, "Vervangen door 2025")
    assert item.withdrawn_at is not None and version() == before + 1
    assert KnowledgeItem.objects.filter(pk=item.pk).exists()
    event = AuditEvent.objects.get(action="knowledge.item_withdraw")
    assert event.changes["status_reason"]["new"] == "Vervangen door 2025"
    with refused(media, "niet intrekken"):
        services.item_withdraw(actor=people["bureau"], item=item, reason="Nogmaals")
    with refused(media, "ingetrokken en kan niet"):
        services.item_accept(actor=people["bureau"], item=item)


def test_the_writer_withdraws_their_own_submission(people, diemen, sociaal):
    writer = people["official"]
    item = services.item_submit(actor=writer, item=example(people, diemen, sociaal))
    item = services.item_withdraw(actor=writer, item=item, reason="Toch niet")
    assert item.status == Status.WITHDRAWN


# --- Versions of a document -----------------------------------------------------------------


def test_versions_of_a_document_stay_reachable(people, media):
    bureau = people["bureau"]
    item = services.item_create(
        actor=bureau,
        form=Form.DOCUMENT,
        kind=Kind.GUIDE,
        title="Handreiking wijkteams",
        uploaded_file=upload("Handreiking.pdf", pdf_bytes("Eerste versie over wijkteams")),
    )
    item = services.item_accept(actor=bureau, item=item)
    second = services.document_version_add(
        actor=bureau, item=item, uploaded_file=upload("v2.docx", docx_bytes("Tweede versie"))
    )
    third = services.document_version_add(
        actor=bureau, item=item, uploaded_file=upload("v3.odt", odt_bytes("Derde versie"))
    )
    assert [d.version for d in selectors.document_versions(item=item)] == [3, 2, 1]
    assert selectors.document_current(item=item) == third
    assert selectors.document_detail(user=people["official"], item_pk=item.pk) == third
    first = selectors.document_detail(user=people["official"], item_pk=item.pk, version=1)
    assert "Eerste versie" in first.text and first.filename == "Handreiking.pdf"
    assert (second.text, third.text) == ("Tweede versie", "Derde versie")
    assert len(stored_files(media)) == 3
    assert AuditEvent.objects.filter(action="knowledge.document_version_add").count() == 3


def test_a_version_is_only_for_a_document_and_for_who_may_edit_it(people, media):
    item = published(people["bureau"])
    with refused(media, "Alleen een document"):
        services.document_version_add(
            actor=people["bureau"], item=item, uploaded_file=upload("a.pdf", pdf_bytes("x"))
        )
    document = services.item_create(
        actor=people["bureau"],
        form=Form.DOCUMENT,
        kind=Kind.GUIDE,
        title="Handreiking",
        uploaded_file=upload("a.pdf", pdf_bytes("Eerste")),
    )
    with refused(media, "geen nieuwe versie"):
        services.document_version_add(
            actor=people["sociaal_chair"],
            item=document,
            uploaded_file=upload("b.pdf", pdf_bytes("x")),
        )
    with refused(media, "Alleen een document heeft een bestand"):
        note(people["bureau"], uploaded_file=upload("a.pdf", pdf_bytes("x")))


def test_a_document_without_a_file_cannot_be_published(people, media):
    from m50.knowledge.models import KnowledgeDocument

    item = services.item_create(
        actor=people["bureau"],
        form=Form.DOCUMENT,
        kind=Kind.GUIDE,
        title="Handreiking",
        uploaded_file=upload("a.pdf", pdf_bytes("Eerste")),
    )
    KnowledgeDocument.objects.filter(item=item).delete()  # as if its file never arrived
    with refused(media, "Voeg eerst het bestand"):
        services.item_accept(actor=people["bureau"], item=item)


def test_a_member_contact_submits_an_example_of_their_municipality(people, houten):
    contact = people["member_contact"]
    item = note(contact, municipality=houten.municipality, access=Access.PUBLIC)
    item = services.item_submit(actor=contact, item=item)
    assert rules.may_accept(people["bureau"], item)
    assert not rules.may_accept(people["sociaal_chair"], item)  # it belongs to no pillar
    item = services.item_accept(actor=people["bureau"], item=item)
    assert selectors.item_list(user=people["anonymous"]).get() == item


def test_a_withdrawn_document_gets_no_new_version(people, media):
    bureau = people["bureau"]
    item = services.item_create(
        actor=bureau,
        form=Form.DOCUMENT,
        kind=Kind.GUIDE,
        title="Handreiking",
        uploaded_file=upload("v1.pdf", pdf_bytes("Een")),
    )
    item = services.item_withdraw(actor=bureau, item=item, reason="Vervallen")
    with refused(media, "geen nieuwe versie"):
        services.document_version_add(
            actor=bureau, item=item, uploaded_file=upload("v2.pdf", pdf_bytes("Twee"))
        )
