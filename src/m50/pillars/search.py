"""Pillars, theme groups and topics in the platform's search index (:mod:`m50.core.search`):
one entry per object, written by the services in the write's own transaction, all of them for
``m50 rebuild-search-index``.

Decisions: pillars and groups are public, as their pages are. Topics are public too: the page
of their pillar or group shows every visitor their title, description and themes (see
``tests/pillars/test_pages.py``), and so does their own page, where a hit leads; their owner,
whom only logged-in users see, is not indexed. An ended pillar or group and a closed topic stay
findable (their pages still show them); none of them is ever deleted, so no entry is ever
removed. The text of a group or topic names its pillar or group, so a change of a name or of a
group's pillar re-indexes what names it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import Q
from django.urls import reverse

from m50.core.search import index
from m50.core.search.access import Access
from m50.pillars.models import Pillar, ThemeGroup, Topic, TopicStatus

PILLAR_KIND = "pijler"
GROUP_KIND = "themagroep"
TOPIC_KIND = "onderwerp"
KINDS = (PILLAR_KIND, GROUP_KIND, TOPIC_KIND)


def _year(date) -> list[str]:
    return [str(date.year)] if date else []


def _ended(body) -> str:
    # An ended pillar or group stays findable, marked so.
    return str(type(body)._meta.get_field("ended").verbose_name) if body.ended else ""


def _pillar_data(pillar: Pillar) -> index.EntryData:
    return index.EntryData(
        kind=PILLAR_KIND,
        object_id=pillar.pk,
        title=pillar.name,
        summary=pillar.purpose,
        body=_ended(pillar),
        url=reverse("pillars:detail", kwargs={"pillar": pillar.slug}),
        access=Access.PUBLIC,
        date=pillar.started_on,
        facets={"pillar": [pillar.slug], "year": _year(pillar.started_on)},
    )


def _group_data(group: ThemeGroup) -> index.EntryData:
    pillar = group.pillar
    return index.EntryData(
        kind=GROUP_KIND,
        object_id=group.pk,
        title=group.name,
        summary=group.purpose,
        body="\n".join(part for part in (pillar.name if pillar else "", _ended(group)) if part),
        url=reverse("pillars:group_detail", kwargs={"group": group.slug}),
        access=Access.PUBLIC,
        date=group.started_on,
        facets={"pillar": [pillar.slug] if pillar else [], "year": _year(group.started_on)},
    )


def _topic_data(topic: Topic) -> index.EntryData:
    body = topic.body
    pillar = topic.pillar if topic.pillar_id else topic.theme_group.pillar
    # Where it is worked on, and how far it is (a closed topic stays findable, marked so).
    names = [body.name, *([pillar.name] if pillar and pillar != body else [])]
    return index.EntryData(
        kind=TOPIC_KIND,
        object_id=topic.pk,
        title=topic.title,
        summary=topic.description,
        body="\n".join([*names, str(TopicStatus(topic.status).label)]),
        url=reverse("pillars:topic_detail", kwargs={"topic_id": topic.pk}),
        access=Access.PUBLIC,
        date=topic.created_at.date(),
        facets={
            "theme": sorted(theme.slug for theme in topic.themes.all()),
            "pillar": [pillar.slug] if pillar else [],
            "year": _year(topic.created_at),
        },
    )


def _put(data: index.EntryData) -> None:
    index.entry_put(
        kind=data.kind,
        object_id=data.object_id,
        title=data.title,
        summary=data.summary,
        body=data.body,
        url=data.url,
        access=data.access,
        pillar_id=data.pillar_id,
        group_id=data.group_id,
        date=data.date,
        facets=dict(data.facets or {}),
    )


def _groups():
    return ThemeGroup.objects.select_related("pillar").order_by("pk")


def _topics():
    return (
        Topic.objects.select_related("pillar", "theme_group__pillar")
        .prefetch_related("themes")
        .order_by("pk")
    )


def topic_index(topic: Topic) -> None:
    """Put ``topic`` in the index as it is now (its text, themes and pillar)."""
    _put(_topic_data(_topics().get(pk=topic.pk)))


def body_index(body: Pillar | ThemeGroup) -> None:
    """Put ``body`` in the index as it is now, and what names it: a pillar's groups, and the
    topics of the pillar, of its groups or of the group."""
    if isinstance(body, Pillar):
        _put(_pillar_data(body))
        groups = list(_groups().filter(pillar=body))
        topics = _topics().filter(Q(pillar=body) | Q(theme_group__pillar=body))
    else:
        groups = list(_groups().filter(pk=body.pk))
        topics = _topics().filter(theme_group=body)
    for group in groups:
        _put(_group_data(group))
    for topic in topics:
        _put(_topic_data(topic))


def pillar_entries() -> Iterator[index.EntryData]:
    for pillar in Pillar.objects.order_by("pk"):
        yield _pillar_data(pillar)


def group_entries() -> Iterator[index.EntryData]:
    for group in _groups():
        yield _group_data(group)


def topic_entries() -> Iterator[index.EntryData]:
    for topic in _topics():
        yield _topic_data(topic)


def kinds_refresh(kinds: Iterable[str] = KINDS) -> int:
    """Every pillar, group and topic in the index as it is now, entries of these kinds whose
    object is gone taken out, only what differs written: for loaders that write without the
    services (the data migration) and for ``make run``."""
    return sum(index.kind_refresh(kind) for kind in kinds)
