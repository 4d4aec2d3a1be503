"""The database keeps the rules of an item and a document's version even when the services are
bypassed: each constraint refuses a row that breaks it."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from m50.knowledge import services
from m50.knowledge.models import Form, Kind, KnowledgeDocument, KnowledgeItem
from tests.knowledge.conftest import note, pdf_bytes, published, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "change",
    [
        {"form": "video"},
        {"kind": "roman"},
        {"access": "geheim"},
        {"status": "weg"},
        {"title": ""},
        {"access": "pijler-of-groep"},  # without a pillar or group
        {"link_url": "https://example.org"},  # on a note
        {"form": "link"},  # a link without an address (and with a note's fields)
        {"status": "afgewezen"},  # without a reason
        {"status": "ingetrokken", "status_reason": "Oud"},  # without the moment
        {"status": "ingediend", "submitted_at": None},
        {"published_at": None},
    ],
)
def test_an_item_breaking_a_rule_is_refused_by_the_database(people, change):
    item = published(people["bureau"])
    with pytest.raises(IntegrityError), transaction.atomic():
        KnowledgeItem.objects.filter(pk=item.pk).update(**change)


def test_an_item_belongs_to_one_pillar_or_group(people, sociaal):
    from tests.factories import ThemeGroupFactory

    item = note(people["bureau"], body=sociaal)
    with pytest.raises(IntegrityError), transaction.atomic():
        KnowledgeItem.objects.filter(pk=item.pk).update(theme_group=ThemeGroupFactory())


@pytest.mark.parametrize(
    "change",
    [
        {"version": 0},
        {"version": 2},  # taken
        {"size": 0},
        {"sha256": "abc"},
        {"text_status": "half"},
        {"text_status": "onleesbaar"},  # without a reason
        {"text_reason": "te-groot"},  # read, yet with a reason
    ],
)
def test_a_document_breaking_a_rule_is_refused_by_the_database(people, change):
    bureau = people["bureau"]
    item = services.item_create(
        actor=bureau,
        form=Form.DOCUMENT,
        kind=Kind.GUIDE,
        title="Handreiking",
        uploaded_file=upload("v1.pdf", pdf_bytes("Een")),
    )
    services.document_version_add(
        actor=bureau, item=item, uploaded_file=upload("v2.pdf", pdf_bytes("Twee"))
    )
    first = KnowledgeDocument.objects.get(item=item, version=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        KnowledgeDocument.objects.filter(pk=first.pk).update(**change)
