"""The SQL that differs per database: writing the full-text index and matching it.

SQLite: the FTS5 table ``core_searchentry_fts`` ranked by ``bm25`` with title 10, summary 4,
body 1. PostgreSQL: the ``document`` tsvector (title A, summary B, body C) ranked by
``ts_rank_cd`` with the same 10 : 4 : 1 weighting, normalised by the log of the length as bm25
also favours short texts. Both match the tokens of :mod:`.normalise` only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection

from m50.core.search.parser import ParsedQuery, Phrase, Prefix, Word

ENTRY = "core_searchentry"
FTS = "core_searchentry_fts"
# ts_rank_cd's weights are given as {D, C, B, A}; D is not used.
POSTGRES_WEIGHTS = "{0.1, 0.1, 0.4, 1.0}"


def _vendor() -> str:
    if connection.vendor not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"Zoeken werkt niet op {connection.vendor}.")
    return connection.vendor


def documents_write(rows: Sequence[tuple[int, str, str, str]]) -> None:
    """Index (entry id, title, summary, body) rows of normalised text, replacing what was."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if _vendor() == "sqlite":
            cursor.executemany(f"DELETE FROM {FTS} WHERE rowid = %s", [(row[0],) for row in rows])  # noqa: S608
            cursor.executemany(
                f"INSERT INTO {FTS} (rowid, title, summary, body) VALUES (%s, %s, %s, %s)",  # noqa: S608
                rows,
            )
        else:
            cursor.executemany(
                f"UPDATE {ENTRY} SET document = "  # noqa: S608
                "setweight(to_tsvector('simple', %s), 'A') || "
                "setweight(to_tsvector('simple', %s), 'B') || "
                "setweight(to_tsvector('simple', %s), 'C') WHERE id = %s",
                [(title, summary, body, pk) for pk, title, summary, body in rows],
            )


def documents_count() -> int:
    """How many entries have a full-text document (for ``rebuild-search-index --check``)."""
    with connection.cursor() as cursor:
        if _vendor() == "sqlite":
            cursor.execute(f"SELECT COUNT(*) FROM {FTS}")  # noqa: S608
        else:
            cursor.execute(f"SELECT COUNT(*) FROM {ENTRY} WHERE document != ''::tsvector")  # noqa: S608
        return cursor.fetchone()[0]


def documents_clear() -> None:
    with connection.cursor() as cursor:
        if _vendor() == "sqlite":
            cursor.execute(f"DELETE FROM {FTS}")  # noqa: S608


def facet_links(matches: str) -> str:
    """``FROM``-clause tail joining each row of ``matches`` (with an ``id``) to its facet links
    as ``link``, from the matches outward: its cost grows with the matches, not the index.
    SQLite keeps the order of a CROSS JOIN; PostgreSQL would hash the whole link table, so it
    is given a LATERAL subquery, run per match on the (entry, facet) index (OFFSET 0 keeps it
    from being flattened into that join)."""
    if _vendor() == "sqlite":
        return f"{matches} CROSS JOIN core_searchentryfacet link WHERE link.entry_id = {matches}.id"
    return (
        f"{matches} CROSS JOIN LATERAL (SELECT facet_id FROM core_searchentryfacet "  # noqa: S608
        f"WHERE entry_id = {matches}.id OFFSET 0) link"
    )


def _fts5_string(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _fts5(query: ParsedQuery, headline_only: bool) -> str:
    parts = []
    for term in query.terms:
        if isinstance(term, Word):
            parts.append(_fts5_string(term.token))
        elif isinstance(term, Phrase):
            parts.append(_fts5_string(" ".join(term.tokens)))
        elif isinstance(term, Prefix):
            alternatives = [_fts5_string(start) + "*" for start in term.starts]
            parts.append("(" + " OR ".join(alternatives) + ")")
    expression = " AND ".join(parts)
    return f"{{title summary}} : ({expression})" if headline_only else expression


def _tsquery_lexeme(token: str, weights: str = "", prefix: bool = False) -> str:
    # "'woning':*AB": a prefix, of the title's and summary's lexemes only (weights A and B).
    marks = ("*" if prefix else "") + weights
    return (
        "'" + token.replace("\\", "\\\\").replace("'", "''") + "'" + (f":{marks}" if marks else "")
    )


def _tsquery(query: ParsedQuery, headline_only: bool) -> str:
    weights = "AB" if headline_only else ""
    parts = []
    for term in query.terms:
        if isinstance(term, Word):
            parts.append(_tsquery_lexeme(term.token, weights))
        elif isinstance(term, Phrase):
            lexemes = (_tsquery_lexeme(t, weights) for t in term.tokens)
            parts.append("(" + " <-> ".join(lexemes) + ")")
        elif isinstance(term, Prefix):
            lexemes = (_tsquery_lexeme(s, weights, prefix=True) for s in term.starts)
            parts.append("(" + " | ".join(lexemes) + ")")
    return " & ".join(parts)


@dataclass(frozen=True)
class Match:
    """SQL pieces of a full-text match: ``FROM {source} WHERE {condition}``, ordered by
    ``{rank} DESC`` (larger is better on both databases)."""

    source: str
    condition: str
    params: tuple[str, ...]
    rank: str
    rank_params: tuple[str, ...]
    # The full-text index alone (``FROM {bare_source} WHERE {condition}``, the same params)
    # and the entry id there: counting and ranking without reading the entries.
    bare_source: str
    bare_id: str


def match(query: ParsedQuery, *, headline_only: bool = False) -> Match:
    """The match of ``query``; with ``headline_only`` in the entries' titles and summaries
    alone, not their bodies (type-ahead)."""
    if _vendor() == "sqlite":
        return Match(
            # The narrow index: the access check of every match reads no text (migration 0006).
            source=f"{FTS} JOIN {ENTRY} INDEXED BY core_searchentry_match "
            f"ON {ENTRY}.id = {FTS}.rowid",
            condition=f"{FTS} MATCH %s",
            params=(_fts5(query, headline_only),),
            rank=f"-bm25({FTS}, 10.0, 4.0, 1.0)",
            rank_params=(),
            bare_source=FTS,
            bare_id=f"{FTS}.rowid",
        )
    text = _tsquery(query, headline_only)
    return Match(
        source=ENTRY,
        condition=f"{ENTRY}.document @@ to_tsquery('simple', %s)",
        params=(text,),
        rank=(
            f"ts_rank_cd('{POSTGRES_WEIGHTS}'::float4[], {ENTRY}.document, "
            "to_tsquery('simple', %s), 1)"
        ),
        rank_params=(text,),
        bare_source=ENTRY,
        bare_id=f"{ENTRY}.id",
    )


def matches_counted(cursor, found: Match, sampled: str) -> tuple[int, list[int]]:
    """How many entries match, and the ids of the matches for which the SQL condition
    ``sampled`` (over ``found.bare_id``) holds: one pass over the full-text index alone."""
    if _vendor() == "sqlite":
        ids = f"group_concat(CASE WHEN {sampled} THEN {found.bare_id} END)"
    else:
        ids = f"array_agg({found.bare_id}) FILTER (WHERE {sampled})"
    cursor.execute(
        f"SELECT COUNT(*), {ids} FROM {found.bare_source} WHERE {found.condition}",  # noqa: S608
        list(found.params),
    )
    count, ids = cursor.fetchone()
    if isinstance(ids, str):  # SQLite: one text
        return count, list(map(int, ids.split(",")))
    return count, list(ids or [])
