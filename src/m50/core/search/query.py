"""Searching the index as one viewer: ranked hits with snippets, facet counts, pages.

Two queries whatever the size of the index: the counts (per kind, which make the total, and per
facet value) and the page of hits, each one SQL statement with the match, the viewer's access
condition and the filters together, so what the viewer may not see is counted nowhere.
Type-ahead (:func:`suggest`) is one query: the best few matches, without counts or snippets.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString

from m50.core.models import SearchEntry, SearchEntryFacet
from m50.core.search import backends
from m50.core.search.access import Viewer, visible_q
from m50.core.search.parser import ParsedQuery, parse
from m50.core.search.snippets import highlight, matcher, snippet

MAX_PER_PAGE = 100
MAX_SUGGESTIONS = 20
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
            Exists(
                SearchEntryFacet.objects.filter(
                    entry=OuterRef("pk"), facet__name=name, facet__value=value
                )
            )
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
        # The matches are found once for both counts; facet names are never empty, so the
        # rows of "" are the counts per kind.
        cursor.execute(
            f"WITH matched AS MATERIALIZED (SELECT {entry}.id AS id, {entry}.kind AS kind "  # noqa: S608
            f"{base}) "
            "SELECT '', kind, COUNT(*) FROM matched GROUP BY kind "
            "UNION ALL "
            "SELECT facet.name, facet.value, counted.n FROM (SELECT link.facet_id AS facet_id, "
            f"COUNT(*) AS n FROM {backends.facet_links('matched')} GROUP BY link.facet_id) counted "
            "JOIN core_searchfacet facet ON facet.id = counted.facet_id",
            params,
        )
        counts = cursor.fetchall()
        kind_counts = sorted(
            ((kind, count) for name, kind, count in counts if name == ""),
            key=lambda row: (-row[1], row[0]),
        )
        total = sum(count for _kind, count in kind_counts)
        if not total:
            return empty
        pages = max(1, math.ceil(total / per_page))
        page = max(1, min(int(page), pages))
        # The page is chosen from the narrow columns; only its hits' texts are read.
        cursor.execute(
            "SELECT hit.kind, hit.object_id, hit.title, hit.summary, hit.body, hit.url, "  # noqa: S608
            f"hit.date, top.rank FROM (SELECT {entry}.id AS id, {entry}.date AS date, "
            f"{found.rank} AS rank {base} "
            f"ORDER BY rank DESC, {entry}.date DESC NULLS LAST, {entry}.id LIMIT %s OFFSET %s) top "
            f"JOIN {entry} hit ON hit.id = top.id "
            "ORDER BY top.rank DESC, top.date DESC NULLS LAST, top.id",
            [*found.rank_params, *params, per_page, (page - 1) * per_page],
        )
        rows = cursor.fetchall()
    facets: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    for name, value, count in counts:
        if name:
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


@dataclass(frozen=True)
class Suggestion:
    kind: str
    title: str
    url: str


def suggest(
    *,
    text: str,
    viewer: Viewer,
    limit: int = 8,
    restricted: Mapping[str, QuerySet] | None = None,
) -> list[Suggestion]:
    """Type-ahead: the best ``limit`` entries ``viewer`` may see for ``text``, its last word a
    prefix. One query and no counts, facets or snippets; nothing at all when the text holds no
    word to search for."""
    parsed = parse(text, prefix=True)
    limit = max(1, min(int(limit), MAX_SUGGESTIONS))
    if parsed.empty:
        return []
    condition = _condition(viewer, None, None, restricted)
    if condition is None:
        return []
    where, where_params = condition
    found = backends.match(parsed)
    entry = backends.ENTRY
    with connection.cursor() as cursor:
        # As the page of hits: the best few are chosen from the narrow columns, then read.
        cursor.execute(
            "SELECT hit.kind, hit.title, hit.url FROM (SELECT "  # noqa: S608
            f"{entry}.id AS id, {entry}.date AS date, {found.rank} AS rank "
            f"FROM {found.source} WHERE {found.condition} AND ({where}) "
            f"ORDER BY rank DESC, {entry}.date DESC NULLS LAST, {entry}.id LIMIT %s) top "
            f"JOIN {entry} hit ON hit.id = top.id "
            "ORDER BY top.rank DESC, top.date DESC NULLS LAST, top.id",
            [*found.rank_params, *found.params, *where_params, limit],
        )
        rows = cursor.fetchall()
    return [Suggestion(kind=kind, title=title, url=url) for kind, title, url in rows]


def _date(value) -> datetime.date | None:
    # SQLite hands raw SQL dates back as text.
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value


def matching_q(*, text: str, kind: str, field: str = "pk") -> Q | None:
    """The objects of ``kind`` whose entry matches ``text``, as a condition on ``field`` (a
    subquery: no query of its own), for a list that keeps its own order and filters, as the
    API's ``?zoek=`` does. None when the text holds no word to search for (only stop words);
    who may see what is the list's own rule."""
    parsed = parse(text)
    if parsed.empty:
        return None
    found = backends.match(parsed)
    entry = backends.ENTRY
    sql = (
        f"SELECT {entry}.object_id FROM {found.source} "  # noqa: S608
        f"WHERE {found.condition} AND {entry}.kind = %s"
    )
    # The SQL is the backend's constant pieces; the query's words and the kind are parameters.
    return Q(**{f"{field}__in": RawSQL(sql, [*found.params, kind])})  # noqa: S611
