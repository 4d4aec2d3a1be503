"""Shared checks of the knowledge tests: a refusal changes nothing, leaves no file, and says
why in Dutch."""

from __future__ import annotations

import contextlib

import pytest
from django.core.exceptions import ValidationError

from m50.core.models import AuditEvent, DataVersion
from m50.knowledge.models import KnowledgeDocument, KnowledgeItem
from tests.knowledge.conftest import stored_files


def snapshot(media) -> dict:
    return {
        "items": sorted(
            KnowledgeItem.objects.values_list("pk", "status", "title", "access", "status_reason")
        ),
        "documents": sorted(KnowledgeDocument.objects.values_list("pk", "item_id", "version")),
        "audit": AuditEvent.objects.count(),
        "versions": sorted(DataVersion.objects.values_list("name", "version")),
        "files": stored_files(media),
    }


@contextlib.contextmanager
def refused(media, *words: str):
    """Expects a ValidationError with every one of ``words`` in its message, and no change at
    all: no row, no audit, no data version, no file."""
    before = snapshot(media)
    with pytest.raises(ValidationError) as info:
        yield info
    assert snapshot(media) == before
    message = " ".join(info.value.messages)
    for word in words:
        assert word in message, message
