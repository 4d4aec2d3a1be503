"""The library in the platform's search index (:mod:`m50.core.search`): one entry per item,
written by the services in the write's own transaction (all of them for
``m50 rebuild-search-index`` come from ``selectors.search_entries``), and searching as a user."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from m50.core.search import index, query
from m50.core.search.access import Viewer
from m50.knowledge import selectors
from m50.knowledge.models import KnowledgeItem
from m50.pillars import selectors as pillars


def item_index(item: KnowledgeItem) -> None:
    """Put ``item`` in the index as it is now (its access, text and facets); the index reads
    the level by the name the selector gives it ("PUBLIC")."""
    index.entry_put(
        kind=selectors.SEARCH_KIND, object_id=item.pk, **selectors.search_entry_data(item)
    )


def viewer_of(user) -> Viewer:
    """The search index's view of ``user``: role, and the pillars and groups they take part in
    today (one query)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Viewer.anonymous()
    pillar_ids: set[int] = set()
    group_ids: set[int] = set()
    if user.person_id:
        running = pillars.participations_of_person(person_id=user.person_id)
        for pillar_id, group_id in running.values_list("pillar_id", "theme_group_id"):
            (pillar_ids if pillar_id else group_ids).add(pillar_id or group_id)
    return Viewer(
        authenticated=True,
        role=user.role,
        pillar_ids=frozenset(pillar_ids),
        group_ids=frozenset(group_ids),
    )


def search(
    *,
    user,
    text: str,
    filters: Mapping[str, str] | None = None,
    kinds: Collection[str] | None = None,
    page: int = 1,
    per_page: int = 20,
    prefix: bool = False,
) -> query.Results:
    """What ``user`` may see that matches ``text``: entries of a whole level as the viewer's
    role and bodies allow, the others by their own app's rule (the library's items as the
    library shows them)."""
    return query.search(
        text=text,
        viewer=viewer_of(user),
        kinds=kinds,
        filters=filters,
        page=page,
        per_page=per_page,
        prefix=prefix,
        restricted=index.restricted_for(user),
    )


def suggest(*, user, text: str, limit: int = 8) -> list[query.Suggestion]:
    """Type-ahead for the header's search box: what ``user`` may see, as :func:`search` finds
    it, with the last word of ``text`` a prefix."""
    return query.suggest(
        text=text, viewer=viewer_of(user), limit=limit, restricted=index.restricted_for(user)
    )
