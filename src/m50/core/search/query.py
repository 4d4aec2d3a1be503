"""Searching the index as one viewer: ranked hits with snippets, facet counts, pages.

Four queries whatever the size of the index: how many entries match the words; the counts (per
kind, which make the total, and per facet value); the page of hits; and their texts. The counts
and the page are each one SQL statement with the match, the viewer's access condition and the
filters together, so what the viewer may not see is counted nowhere. Past ``EXACT_LIMIT``
matches the counts are taken over a sample of them (drawn from the ids the first query keeps,
when the sample is sparse enough) and the page from the full-text index's best-ranked matches,
so a search for a word in most of the index costs little more than the full-text ranking alone
(see ``bench/bench_search.py``).
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
# Matches counted one by one; above this many, the counts are estimated from a sample of about
# SAMPLE matches (MIN_SAMPLE of them visible at least, else all are counted after all).
EXACT_LIMIT = 2_000
SAMPLE = 500
MIN_SAMPLE = 30
ESTIMATED_PAGES = 50
HASH_FACTOR = 2_654_435_761
HASH_RANGE = 2**32
# The pass that counts the matches also keeps the ids of about one in PRESAMPLE_STEP of them:
# when the sample is that sparse or sparser it is taken from those, without a second pass over
# the matches (a word's or prefix's list of entries read once less).
PRESAMPLE_STEP = 32
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
    # True when total, kinds and facets are estimates (rounded to two figures).
    estimated: bool = False

    @property
    def pages(self) -> int:
        pages = max(1, math.ceil(self.total / self.per_page))
        return min(pages, ESTIMATED_PAGES) if self.estimated else pages

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

    Up to ``EXACT_LIMIT`` matches are counted one by one. Beyond that the total and the facet
    counts are estimated from a hashed sample of about ``SAMPLE`` matches
    (``Results.estimated``), at most
    ``ESTIMATED_PAGES`` pages are offered, and the page is picked from the best-ranked matches
    of the full-text index alone: what costs time then is the full-text ranking itself.
    """
    parsed = parse(text, prefix=prefix)
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    empty = Results(query=parsed, facets={name: [] for name in FACETS}, per_page=per_page)
    if parsed.empty:
        return empty
    condition = _condition(viewer, kinds, filters, restricted)
    if condition is None:
        return empty
    found = backends.match(parsed)
    with connection.cursor() as cursor:
        matches, presample = backends.matches_counted(
            cursor, found, _sampled(found.bare_id, PRESAMPLE_STEP)
        )
        step = 1 if matches <= EXACT_LIMIT else math.ceil(matches / SAMPLE)
        if step >= PRESAMPLE_STEP:
            bound = HASH_RANGE // step
            ids = [pk for pk in presample if (pk * HASH_FACTOR) % HASH_RANGE < bound]
            counts = _counts(cursor, found, condition, step, ids=ids)
        else:
            counts = _counts(cursor, found, condition, step)
        seen = sum(count for name, _kind, count in counts if name == "")
        if step > 1 and seen < MIN_SAMPLE:
            # Too few of the sample are the viewer's to say how many there are: count them all.
            step = 1
            counts = _counts(cursor, found, condition, step)
            seen = sum(count for name, _kind, count in counts if name == "")
        if not seen:
            return empty
        estimated = step > 1
        total = _rounded(seen * step) if estimated else seen
        pages = max(1, math.ceil(total / per_page))
        if estimated:
            pages = min(pages, ESTIMATED_PAGES)
        page = max(1, min(int(page), pages))
        offset = (page - 1) * per_page
        ranked = None
        if estimated:
            # Enough of the best-ranked matches to hold this page's visible ones at the share
            # the sample found, with a margin.
            wanted = math.ceil((offset + per_page) * matches / (seen * step) * 1.5) + 20
            if wanted < matches:
                ranked = _page_from_top(cursor, found, condition, wanted, offset, per_page)
        if ranked is None:
            ranked = _page(cursor, found, condition, offset, per_page)
        rows = _texts(cursor, ranked)
    kind_counts: list[tuple[str, int]] = []
    facets: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    for name, value, count in counts:
        count = _rounded(count * step) if estimated else count
        (kind_counts if name == "" else facets.setdefault(name, [])).append((value, count))
    for values in (kind_counts, *facets.values()):
        values.sort(key=lambda pair: (-pair[1], pair[0]))
    matches_of = matcher(parsed)
    hits = [
        Hit(
            kind=kind,
            object_id=object_id,
            title=title,
            url=url,
            date=_date(date),
            rank=float(rank),
            title_html=highlight(title, matches_of),
            snippet_html=snippet([summary, body], matches_of),
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
        estimated=estimated,
    )


def _rounded(count: int) -> int:
    """An estimate to two significant figures (12,345 -> 12,000), never below 1."""
    if count < 100:
        return max(1, count)
    scale = 10 ** (len(str(count)) - 2)
    return max(1, round(count / scale) * scale)


def _sampled(pk: str, step: int) -> str:
    """SQL: the entry id ``pk`` is in the sample of about one in ``step``, by a multiplicative
    hash of the id (Knuth's), not ``id % step``: ids written in a repeating pattern (every
    other one public) would skew a modulus. :func:`search` picks from a sparser sample in
    Python by the same hash."""
    return f"({pk} * {HASH_FACTOR}) %% {HASH_RANGE} < {HASH_RANGE // step}"


def _counts(
    cursor,
    found: backends.Match,
    condition: tuple[str, list],
    step: int,
    ids: list[int] | None = None,
) -> list:
    """(facet name, value, count) of the visible matches, name "" giving the count per kind;
    over about one in ``step`` of them when ``step`` > 1: those of ``ids`` when given (the
    sample, found already), else those the hash picks."""
    where, where_params = condition
    entry = backends.ENTRY
    if ids is not None:
        if not ids:
            return []
        # Ids of our own making (ints), written out: a sample's few hundred, no parameters.
        source = f"{entry} WHERE {entry}.id IN ({', '.join(str(int(pk)) for pk in ids)})"
        params = where_params
    else:
        sample = f" AND {_sampled(found.bare_id, step)}" if step > 1 else ""
        source = f"{found.source} WHERE {found.condition}{sample}"
        params = [*found.params, *where_params]
    # The matches are found once for both counts; facet names are never empty, so the rows of
    # "" are the counts per kind.
    cursor.execute(
        f"WITH matched AS MATERIALIZED (SELECT {entry}.id AS id, {entry}.kind AS kind "  # noqa: S608
        f"FROM {source} AND ({where})) "
        "SELECT '', kind, COUNT(*) FROM matched GROUP BY kind "
        "UNION ALL "
        "SELECT facet.name, facet.value, counted.n FROM (SELECT link.facet_id AS facet_id, "
        f"COUNT(*) AS n FROM {backends.facet_links('matched')} GROUP BY link.facet_id) counted "
        "JOIN core_searchfacet facet ON facet.id = counted.facet_id",
        params,
    )
    return cursor.fetchall()


def _page(cursor, found: backends.Match, condition: tuple[str, list], offset: int, size: int):
    """(id, rank) of one page of the visible matches in rank order, all of them ranked."""
    where, where_params = condition
    entry = backends.ENTRY
    cursor.execute(
        f"SELECT {entry}.id, {found.rank} AS rank FROM {found.source} "  # noqa: S608
        f"WHERE {found.condition} AND ({where}) "
        f"ORDER BY rank DESC, {entry}.date DESC NULLS LAST, {entry}.id LIMIT %s OFFSET %s",
        [*found.rank_params, *found.params, *where_params, size, offset],
    )
    return cursor.fetchall()


def _page_from_top(
    cursor, found: backends.Match, condition: tuple[str, list], top: int, offset: int, size: int
):
    """The page as :func:`_page` gives it, taken from the ``top`` best-ranked matches of the
    full-text index alone; None when those do not hold it for certain (too few visible, or a
    tie in rank at the edge of the ``top``)."""
    where, where_params = condition
    entry = backends.ENTRY
    cursor.execute(
        f"SELECT best.id, best.rank, {entry}.date, "  # noqa: S608
        f"CASE WHEN {where} THEN 1 ELSE 0 END "
        f"FROM (SELECT {found.bare_id} AS id, {found.rank} AS rank FROM {found.bare_source} "
        f"WHERE {found.condition} ORDER BY rank DESC LIMIT %s) best "
        # LEFT: SQLite then reads the ranked matches as they come out of the sort, where an
        # inner join first copies them, building a record of each match: 7 % of the search of
        # a word in every entry. Every match has its entry (one transaction writes both).
        f"LEFT JOIN {entry} ON {entry}.id = best.id",
        [*where_params, *found.rank_params, *found.params, top],
    )
    best = cursor.fetchall()
    if len(best) < top:
        return None
    edge = min(rank for _id, rank, _date, _visible in best)
    # A match outside the top may rank equal to the last one in it: only those above are sure.
    sure = [row for row in best if row[3] and row[1] > edge]
    if len(sure) < offset + size:
        return None
    sure.sort(key=lambda row: (-row[1], _descending(_date(row[2])), row[0]))
    return [(pk, rank) for pk, rank, _date_, _visible in sure[offset : offset + size]]


def _descending(value: datetime.date | None) -> int:
    # Newest first, no date last, as the SQL orders them.
    return -value.toordinal() if value else 1


def _texts(cursor, ranked: list[tuple[int, float]]) -> list[tuple]:
    """The page's entries with what a hit shows, in the order of ``ranked``."""
    if not ranked:
        return []
    entry = backends.ENTRY
    ids = [pk for pk, _rank in ranked]
    cursor.execute(
        f"SELECT id, kind, object_id, title, summary, body, url, date FROM {entry} "  # noqa: S608
        f"WHERE id IN ({', '.join(['%s'] * len(ids))})",
        ids,
    )
    by_id = {row[0]: row[1:] for row in cursor.fetchall()}
    return [(*by_id[pk], rank) for pk, rank in ranked]


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
    """Type-ahead: the best ``limit`` entries ``viewer`` may see whose title or summary holds
    ``text``, its last word a prefix. One query and no counts, facets or snippets; nothing at
    all when the text holds no word to search for. Not the bodies: a suggestion is a title to
    pick, and a word's first letters occur in far fewer headlines than whole texts."""
    parsed = parse(text, prefix=True)
    limit = max(1, min(int(limit), MAX_SUGGESTIONS))
    if parsed.empty:
        return []
    condition = _condition(viewer, None, None, restricted)
    if condition is None:
        return []
    where, where_params = condition
    found = backends.match(parsed, headline_only=True)
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
