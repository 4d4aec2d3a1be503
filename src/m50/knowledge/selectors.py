"""Reads of the knowledge library, already scoped to who asks (DESIGN.md §3), and what the
search index takes of an item (:func:`search_entry_data`)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear

from m50.knowledge import rules
from m50.knowledge.models import Access, KnowledgeDocument, KnowledgeItem, Status

#: The kind under which items go into the search index.
SEARCH_KIND = "kennisitem"
#: The search index's access level (m50.core.search.access.Access, by name) of a published
#: item's access. Anything else is RESTRICTED, found only by who may see it through
#: ``rules.visible_q`` (pass ``visible_ids(user=...)`` as the restricted subquery): an item not
#: published; one for the bureau only (the chair of its pillar or group, who manages it, sees it
#: too, which the index's BUREAU level would not allow); and one for a pillar or group (who
#: wrote or submitted it sees it too, also when not taking part in it, e.g. a member's official
#: whose example was accepted for a pillar they are not in; the index's BODY level would not).
SEARCH_ACCESS = {
    Access.PUBLIC: "PUBLIC",
    Access.NETWORK: "NETWORK",
}


def _items() -> QuerySet[KnowledgeItem]:
    return KnowledgeItem.objects.select_related(
        "pillar",
        "theme_group",
        "topic",
        "activity",
        "municipality",
        "source_organisation",
    )


def item_list(
    *,
    user,
    status: str | None = Status.PUBLISHED,
    kind: str = "",
    theme=None,
    pillar=None,
    theme_group=None,
    municipality=None,
    topic=None,
    activity=None,
    year: int | None = None,
) -> QuerySet[KnowledgeItem]:
    """The items ``user`` may see, newest first; published ones only unless ``status`` says
    otherwise (None: every status the user may see). A pillar includes its theme groups'."""
    queryset = _items().filter(rules.visible_q(user)).prefetch_related("themes")
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if theme is not None:
        queryset = queryset.filter(themes=theme)
    if pillar is not None:
        queryset = queryset.filter(Q(pillar=pillar) | Q(theme_group__pillar=pillar))
    if theme_group is not None:
        queryset = queryset.filter(theme_group=theme_group)
    if municipality is not None:
        queryset = queryset.filter(municipality=municipality)
    if topic is not None:
        queryset = queryset.filter(topic=topic)
    if activity is not None:
        queryset = queryset.filter(activity=activity)
    if year is not None:
        queryset = queryset.filter(date__year=year)
    return queryset.order_by("-date", "-pk")


def related_items(*, user, item: KnowledgeItem, limit: int = 5) -> list[KnowledgeItem]:
    """Published items ``user`` may see that share a theme, the topic or the pillar or group of
    ``item``: those sharing most first, then the newest. Three queries."""
    theme_ids = list(item.themes.values_list("pk", flat=True))
    shared = Q(themes__in=theme_ids) if theme_ids else Q(pk__in=[])
    if item.topic_id:
        shared |= Q(topic_id=item.topic_id)
    if item.pillar_id:
        shared |= Q(pillar_id=item.pillar_id)
    if item.theme_group_id:
        shared |= Q(theme_group_id=item.theme_group_id)
    ids = list(
        KnowledgeItem.objects.filter(rules.visible_q(user), shared, status=Status.PUBLISHED)
        .exclude(pk=item.pk)
        .values("pk")
        .annotate(weight=Count("pk"), newest=Max("date"))
        .order_by("-weight", "-newest", "-pk")
        .values_list("pk", flat=True)[:limit]
    )
    found = {found.pk: found for found in _items().filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def visible_ids(*, user) -> QuerySet:
    """The ids of the items ``user`` may see: a subquery (for the search index's RESTRICTED
    entries), no query of its own."""
    return KnowledgeItem.objects.filter(rules.visible_q(user)).values("pk")


def item_detail(*, user, pk: int) -> KnowledgeItem:
    """The item, if ``user`` may see it; KnowledgeItem.DoesNotExist otherwise (a page answers
    404: an item one may not see does not exist for them)."""
    return _items().prefetch_related("themes").filter(rules.visible_q(user)).get(pk=pk)


def submissions_to_review(*, user) -> QuerySet[KnowledgeItem]:
    """The submitted items ``user`` may accept or reject, oldest first."""
    return (
        _items()
        .filter(rules.managed_q(user), status=Status.SUBMITTED)
        .order_by("submitted_at", "pk")
    )


def document_versions(*, item: KnowledgeItem) -> QuerySet[KnowledgeDocument]:
    """Every version of the item's file, the current (highest) one first; without the text."""
    return item.documents.defer("text").order_by("-version")


def document_current(*, item: KnowledgeItem) -> KnowledgeDocument | None:
    return document_versions(item=item).first()


def document_detail(*, user, item_pk: int, version: int | None = None) -> KnowledgeDocument:
    """A version (None: the current one) of the file of an item ``user`` may see;
    KnowledgeDocument.DoesNotExist otherwise."""
    documents = KnowledgeDocument.objects.defer("text").filter(
        item__in=KnowledgeItem.objects.filter(rules.visible_q(user), pk=item_pk)
    )
    if version is None:
        found = documents.order_by("-version").first()
        if found is None:
            raise KnowledgeDocument.DoesNotExist
        return found
    return documents.get(version=version)


# --- The search index -------------------------------------------------------------------------


def _current_text(item: KnowledgeItem) -> str:
    prefetched = getattr(item, "current_documents", None)
    if prefetched is not None:
        return prefetched[0].text if prefetched else ""
    current = item.documents.order_by("-version").only("text").first()
    return current.text if current else ""


def search_entry_data(item: KnowledgeItem) -> dict:
    """What the search index takes of ``item`` (the fields of ``index.entry_put`` besides
    ``kind`` and ``object_id``): the body is the note's text and the current document's
    text; the access is the name of the index's level (see SEARCH_ACCESS)."""
    note = "\n".join(
        part
        for part in (
            item.note_what,
            item.note_cost,
            item.note_contact_text,
            str(item.note_contact_person) if item.note_contact_person_id else "",
        )
        if part
    )
    # The summary is a field of its own in the index (weighted above the body).
    body = "\n\n".join(part for part in (note, _current_text(item)) if part)
    pillar = item.pillar or (item.theme_group.pillar if item.theme_group_id else None)
    facets = {
        "kind": [item.kind],
        "theme": sorted(theme.slug for theme in item.themes.all()),
        "pillar": [pillar.slug] if pillar else [],
        "year": [str(item.date.year)] if item.date else [],
        "municipality": [item.municipality.code] if item.municipality_id else [],
    }
    return {
        "title": item.title,
        "summary": item.summary,
        "body": body,
        "url": item.get_absolute_url(),
        "access": SEARCH_ACCESS.get(item.access, "RESTRICTED")
        if item.is_published
        else "RESTRICTED",
        "pillar_id": item.pillar_id,
        "group_id": item.theme_group_id,
        "date": item.date,
        "facets": facets,
    }


def search_entries() -> Iterator[dict]:
    """``search_entry_data`` of every item with its ``kind`` and ``object_id``, in a fixed
    number of queries (for rebuilding the index)."""
    items = (
        _items()
        .select_related("theme_group__pillar", "note_contact_person")
        .prefetch_related(
            "themes",
            Prefetch(
                "documents",
                queryset=KnowledgeDocument.objects.filter(
                    ~Exists(
                        KnowledgeDocument.objects.filter(
                            item=OuterRef("item"), version__gt=OuterRef("version")
                        )
                    )
                ).only("item_id", "version", "text"),
                to_attr="current_documents",
            ),
        )
        .order_by("pk")
    )
    for item in items.iterator(chunk_size=500):
        yield {"kind": SEARCH_KIND, "object_id": item.pk, **search_entry_data(item)}


# --- The library's pages ----------------------------------------------------------------------


def filter_counts(*, items: QuerySet[KnowledgeItem]) -> dict[str, dict]:
    """How many of ``items`` (a list of :func:`item_list`) there are per kind, theme slug and
    year, for the library's filters: three queries, whatever the number of items."""
    plain = items.order_by().prefetch_related(None)
    return {
        "kind": dict(plain.values_list("kind").annotate(count=Count("pk", distinct=True))),
        "theme": dict(
            plain.filter(themes__isnull=False)
            .values_list("themes__slug")
            .annotate(count=Count("pk", distinct=True))
        ),
        "year": dict(
            plain.annotate(year=ExtractYear("date"))
            .values_list("year")
            .annotate(count=Count("pk", distinct=True))
        ),
    }


def item_municipalities(*, user) -> list[tuple[int, str, str]]:
    """(id, code, name) of the municipalities with a published item ``user`` may see, by name:
    one query."""
    return list(
        KnowledgeItem.objects.filter(
            rules.visible_q(user), status=Status.PUBLISHED, municipality__isnull=False
        )
        .order_by("municipality__name", "municipality__code")
        .values_list("municipality_id", "municipality__code", "municipality__name")
        .distinct()
    )


def own_unpublished(*, user) -> QuerySet[KnowledgeItem]:
    """The items ``user`` made or submitted that are not published (drafts, submissions,
    rejected and withdrawn ones), newest change first."""
    if not user.is_authenticated:
        return KnowledgeItem.objects.none()
    return (
        _items()
        .filter(Q(created_by=user.pk) | Q(submitted_by=user.pk))
        .exclude(status=Status.PUBLISHED)
        .order_by("-updated_at", "-pk")
    )


def published_per_kind(*, year: int) -> list[tuple[str, str, int]]:
    """The published items dated in ``year`` per kind: (kind, label, count), for the network's
    year. One query."""
    from m50.knowledge.models import Kind

    labels = dict(Kind.choices)
    rows = (
        KnowledgeItem.objects.filter(status=Status.PUBLISHED, date__year=year)
        .values("kind")
        .annotate(count=Count("pk"))
        .order_by("kind")
    )
    return [(row["kind"], str(labels.get(row["kind"], row["kind"])), row["count"]) for row in rows]


def published_items_of_municipality(*, municipality_id: int, start, end) -> QuerySet[KnowledgeItem]:
    """Published items that are the municipality's (its examples, or about it) dated within
    ``start``..``end`` (inclusive), oldest first: one query (the council memo).

    Only those every user of a member may read: the memo goes to the council and the value
    report to the municipality's contact, neither of whom may see an item of the bureau or of
    a pillar they may not be in."""
    return (
        KnowledgeItem.objects.filter(
            municipality_id=municipality_id,
            status=Status.PUBLISHED,
            access__in=(Access.PUBLIC, Access.NETWORK),
            date__gte=start,
            date__lte=end,
        )
        .only("pk", "title", "date", "kind")
        .order_by("date", "pk")
    )
