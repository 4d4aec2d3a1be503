"""Two new versions of one document at the same moment get the next two numbers: the item's row
is locked while the number is taken (PostgreSQL: the second waits for the lock; SQLite: the
two queue at BEGIN). Runs on both databases (``scripts/with_postgres.py`` for PostgreSQL)."""

from __future__ import annotations

import pytest

from m50.knowledge import services
from m50.knowledge.models import Form, Kind, KnowledgeDocument
from tests.activities.test_concurrency import _at_once
from tests.knowledge.conftest import pdf_bytes, stored_files, upload

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_versions_added_at_once_are_numbered_one_after_the_other(bureau, media):
    item = services.item_create(
        actor=bureau,
        form=Form.DOCUMENT,
        kind=Kind.GUIDE,
        title="Handreiking",
        uploaded_file=upload("v1.pdf", pdf_bytes("Een")),
    )

    def add(text):
        return lambda: services.document_version_add(
            actor=bureau, item=item, uploaded_file=upload(f"{text}.pdf", pdf_bytes(text))
        )

    assert _at_once([add("Twee"), add("Drie")]) == []
    versions = sorted(KnowledgeDocument.objects.filter(item=item).values_list("version", "text"))
    assert [v for v, _t in versions] == [1, 2, 3]
    assert {t for _v, t in versions[1:]} == {"Twee", "Drie"}
    assert len(stored_files(media)) == 3
