"""Highlighted titles and snippets, made in Python from the stored text of a page's hits.

A word is marked when its search token matches the query as the index would: its stem is a
word or phrase token of the query, or starts with a prefix. Everything else is escaped. Done the
same way on both databases, and only for the hits shown.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator

# What django.utils.html.escape does, without its lazy-text wrapper around each of a page's
# few hundred calls.
from html import escape

from django.utils.safestring import SafeString, mark_safe

from m50.core.search.normalise import STOP_WORDS, stem
from m50.core.search.parser import ParsedQuery
from m50.core.text import fold, words

_WORD = re.compile(r"[^\W_]+")
BEFORE = 8  # words shown before the first match
LENGTH = 30  # words in a snippet
SHORT = 240  # characters of a text shown whole
# The stemmer changes only the end of a word (after its first three letters), so a matching
# word starts as its token does: a cheap scan finds the candidates, the stemmer decides.
STEM_KEEPS = 3


@functools.lru_cache(maxsize=65_536)
def _tokens(word: str) -> tuple[str, ...]:
    """The index tokens of one word of text (a word may fold into several: "ﬁ" → "fi")."""
    return tuple(stem(folded) for folded in words(word) if folded not in STOP_WORDS)


class Marker:
    """Finds the words of a text that match a query."""

    def __init__(self, query: ParsedQuery) -> None:
        self.stems, self.prefixes = query.stems(), query.prefixes()
        starts = {token[:STEM_KEEPS] for token in (*self.stems, *self.prefixes) if token}
        alternatives = "|".join(re.escape(s) for s in sorted(starts, key=len, reverse=True))
        # A word starting so; that it starts a word is checked apart (a look-behind before the
        # alternatives would be tried at every character of the text).
        self.candidates = re.compile(rf"(?:{alternatives})[^\W_]*") if alternatives else None

    def matches(self, word: str) -> bool:
        return any(
            token in self.stems or token.startswith(self.prefixes) for token in _tokens(word)
        )

    def spans(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """(start, end) of every matching word of ``text``, or of ``text[start:end]`` (which
        must start and end at the edge of a word)."""
        return list(self._spans(text, start, len(text) if end is None else end))

    def first(self, text: str) -> tuple[int, int] | None:
        """(start, end) of the first matching word of ``text``, or None."""
        return next(self._spans(text, 0, len(text)), None)

    def _spans(self, text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
        part = text[start:end]
        folded = part.lower() if part.isascii() else fold(part)
        if self.candidates is not None and len(folded) == len(part):
            # Folding kept every character in its place: scan the folded text for candidates.
            found = (
                m.span()
                for m in self.candidates.finditer(folded)
                if not m.start() or not folded[m.start() - 1].isalnum()
            )
        else:
            found = (m.span() for m in _WORD.finditer(part))
        for left, right in found:
            if self.matches(part[left:right]):
                yield start + left, start + right


def matcher(query: ParsedQuery) -> Marker:
    return Marker(query)


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, position = [], start
    for left, right in spans:
        out.append(escape(text[position:left]))
        out.append(f"<mark>{escape(text[left:right])}</mark>")
        position = right
    out.append(escape(text[position:end]))
    return "".join(out)


def highlight(text: str, marker: Marker) -> SafeString:
    """All of ``text``, escaped, with the matching words in ``<mark>``."""
    return mark_safe(_render(text, marker.spans(text), 0, len(text)))  # noqa: S308 - escaped


def _window(text: str, marker: Marker) -> tuple[int, int, list[tuple[int, int]]] | None:
    """(start, end, marked spans) of the words around the first match, or None."""
    if len(text) <= SHORT:
        marked = marker.spans(text)
        return (0, len(text), marked) if marked else None
    found = marker.first(text)
    if found is None:
        return None
    first = found[0]
    before = [m.start() for m in _WORD.finditer(text, max(0, first - 40 * BEFORE), first)]
    start = before[-BEFORE:][0] if before else first
    after = _WORD.finditer(text, first, first + 40 * LENGTH)
    end = [m.end() for m in itertools.islice(after, LENGTH - len(before[-BEFORE:]))][-1]
    return start, end, marker.spans(text, start, end)


def snippet(texts: list[str], marker: Marker) -> SafeString:
    """About :data:`LENGTH` words of the first of ``texts`` with a match, around it, escaped and
    marked; "…" where text is left out. Without a match: the start of the first non-empty text.
    """
    for text in texts:
        window = _window(text, marker)
        if window is not None:
            start, end, marked = window
            break
    else:
        text = next((t for t in texts if t.strip()), "")
        spans = [m.span() for m in _WORD.finditer(text, 0, 40 * LENGTH)][:LENGTH]
        start, end, marked = 0, (spans[-1][1] if spans else 0), []
    # Text up to the next space after the last word (its punctuation), but no further.
    while end < len(text) and not text[end].isspace() and end - start < 2_000:
        end += 1
    html = _render(text, marked, start, end).strip()
    if start > 0:
        html = "… " + html
    if text[end:].strip():
        html += " …"
    return mark_safe(html)  # noqa: S308 - escaped in _render
