"""The demo library of the embedded install: made once through the services, searchable (also
in its PDF's text), each item at its level."""

from __future__ import annotations

import pytest

from m50.knowledge import search
from m50.knowledge.demo import demo_knowledge_create
from m50.knowledge.models import KnowledgeItem, Status

pytestmark = pytest.mark.django_db


def test_the_demo_items_are_made_once_and_found(people, diemen):
    participant = people["official"]
    lines = demo_knowledge_create(municipality=diemen.municipality)
    assert len(lines) == 4 and all(line.startswith("Demo-kennisitem gemaakt") for line in lines)
    assert demo_knowledge_create(municipality=diemen.municipality) == []
    assert KnowledgeItem.objects.filter(status=Status.PUBLISHED).count() == 4
    # A word of the position paper's PDF, for members only.
    assert [hit.title for hit in search.search(user=participant, text="ravijnjaar").hits] == [
        "Position paper: de financiële positie van middelgrote gemeenten"
    ]
    assert search.search(user=people["anonymous"], text="ravijnjaar").total == 0
    assert search.search(user=people["anonymous"], text="regio").total == 1
    assert search.search(user=participant, text="jaarplan").total == 0
    assert search.search(user=people["bureau"], text="jaarplan").total == 1
