"""Searching the index as one viewer: ranked hits with snippets, facet counts, pages.

Three queries whatever the size of the index: the count per kind (which is the total), the
page of hits, and the facet counts, each one SQL statement with the match, the viewer's access
condition and the filters together, so what the viewer may not see is counted nowhere.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.safestring import SafeString

from m50.core.models import SearchEntry, SearchFacet
from m50.core.search import backends
from m50.core.search.access import Viewer, visible_q
from m50.core.search.parser import ParsedQuery, parse
from m50.core.search.snippets import highlight, matcher, snippet

MAX_PER_PAGE = 100
FACETS = ("kind", "theme", "pillar", "year", "municipality")


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    title: str
    url: str
    date: datetime.date | None
    rank: float
    title_html: SafeString
    snippet_html: SafeString


@dataclass(frozen=True)
class Results:
    query: ParsedQuery
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    # {facet name: [(value, count), ...]} most frequent first; every name of FACETS is present.
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    # [(entry kind, count), ...] of the visible matches, most frequent first.
    kinds: list[tuple[str, int]] = field(default_factory=list)
    page: int = 1
    per_page: int = 20

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def message(self) -> str:
        """Why nothing was searched (stop words only, nothing typed), in Dutch; else ""."""
        return self.query.message


def _condition(
    viewer: Viewer,
    kinds: Collection[str] | None,
    filters: Mapping[str, str] | None,
    restricted: Mapping[str, QuerySet] | None,
) -> tuple[str, list] | None:
    """The WHERE of access, kinds and facet filters over ``core_searchentry``, from the ORM;
    None when nothing can match."""
    entries = SearchEntry.objects.filter(visible_q(viewer, restricted))
    if kinds is not None:
        entries = entries.filter(kind__in=sorted(kinds))
    for name, value in sorted((filters or {}).items()):
        entries = entries.filter(
            Exists(SearchFacet.objects.filter(entry=OuterRef("pk"), name=name, value=value))
        )
    compiler = entries.query.get_compiler(connection=connection)
    try:
        sql, params = compiler.compile(entries.query.where)
    except EmptyResultSet:
        return None
    except FullResultSet:
        return "1 = 1", []
    return sql, list(params)


def search(
    *,
    text: str,
    viewer: Viewer,
    kinds: Collection[str] | None = None,
    filters: Mapping[str, str] | None = None,
    page: int = 1,
    per_page: int = 20,
    restricted: Mapping[str, QuerySet] | None = None,
    prefix: bool = False,
) -> Results:
    """What ``viewer`` may see matching ``text`` (see :mod:`m50.core.search` for the language).

    ``filters`` narrows to entries with those facet values ({"theme": "wonen"}); ``kinds`` to
    those entry kinds. RESTRICTED entries of a kind are visible only when their object id is in
    ``restricted[kind]`` (a queryset of the objects the viewer may see). A page past the last
    gives the last.
    """
    parsed = parse(text, prefix=prefix)
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    empty = Results(query=parsed, facets={name: [] for name in FACETS}, per_page=per_page)
    if parsed.empty:
        return empty
    condition = _condition(viewer, kinds, filters, restricted)
    if condition is None:
        return empty
    where, where_params = condition
    found = backends.match(parsed)
    base = f"FROM {found.source} WHERE {found.condition} AND ({where})"
    params = [*found.params, *where_params]
    entry = backends.ENTRY
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {entry}.kind, COUNT(*) {base} GROUP BY {entry}.kind",  # noqa: S608
            params,
        )
        kind_counts = sorted(cursor.fetchall(), key=lambda row: (-row[1], row[0]))
        total = sum(count for _kind, count in kind_counts)
        if not total:
            return empty
        pages = max(1, math.ceil(total / per_page))
        page = max(1, min(int(page), pages))
        cursor.execute(
            f"SELECT {entry}.kind, {entry}.object_id, {entry}.title, {entry}.summary, "  # noqa: S608
            f"{entry}.body, {entry}.url, {entry}.date, {found.rank} AS rank {base} "
            f"ORDER BY rank DESC, {entry}.date DESC NULLS LAST, {entry}.id "
            "LIMIT %s OFFSET %s",
            [*found.rank_params, *params, per_page, (page - 1) * per_page],
        )
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT facet.name, facet.value, COUNT(*) "  # noqa: S608
            f"FROM {found.source} JOIN core_searchfacet facet ON facet.entry_id = {entry}.id "
            f"WHERE {found.condition} AND ({where}) GROUP BY facet.name, facet.value",
            params,
        )
        facet_rows = cursor.fetchall()
    facets: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    for name, value, count in facet_rows:
        facets.setdefault(name, []).append((value, count))
    for values in facets.values():
        values.sort(key=lambda pair: (-pair[1], pair[0]))
    matches = matcher(parsed)
    hits = [
        Hit(
            kind=kind,
            object_id=object_id,
            title=title,
            url=url,
            date=_date(date),
            rank=float(rank),
            title_html=highlight(title, matches),
            snippet_html=snippet([summary, body], matches),
        )
        for kind, object_id, title, summary, body, url, date, rank in rows
    ]
    return Results(
        query=parsed,
        hits=hits,
        total=total,
        facets=facets,
        kinds=kind_counts,
        page=page,
        per_page=per_page,
    )


def _date(value) -> datetime.date | None:
    # SQLite hands raw SQL dates back as text.
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value
