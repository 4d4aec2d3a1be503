"""Highlighted titles and snippets, made in Python from the stored text of a page's hits.

A word is marked when its search token matches the query as the index would: its stem is a
word or phrase token of the query, or starts with a prefix. Everything else is escaped. Done the
same way on both databases, and only for the hits shown.
"""

from __future__ import annotations

import functools
import re
from collections import deque
from collections.abc import Callable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from m50.core.search.normalise import STOP_WORDS, stem
from m50.core.search.parser import ParsedQuery
from m50.core.text import words

_WORD = re.compile(r"[^\W_]+")
BEFORE = 8  # words shown before the first match
LENGTH = 30  # words in a snippet
SHORT = 240  # characters of a text shown whole

Matcher = Callable[[str], bool]


@functools.lru_cache(maxsize=65_536)
def _tokens(word: str) -> tuple[str, ...]:
    """The index tokens of one word of text (a word may fold into several: "ﬁ" → "fi")."""
    return tuple(stem(folded) for folded in words(word) if folded not in STOP_WORDS)


def matcher(query: ParsedQuery) -> Matcher:
    stems, prefixes = query.stems(), query.prefixes()

    def matches(word: str) -> bool:
        return any(token in stems or token.startswith(prefixes) for token in _tokens(word))

    return matches


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, position = [], start
    for left, right in spans:
        out.append(escape(text[position:left]))
        out.append(f"<mark>{escape(text[left:right])}</mark>")
        position = right
    out.append(escape(text[position:end]))
    return "".join(out)


def highlight(text: str, matches: Matcher) -> SafeString:
    """All of ``text``, escaped, with the matching words in ``<mark>``."""
    spans = [m.span() for m in _WORD.finditer(text) if matches(m.group())]
    return mark_safe(_render(text, spans, 0, len(text)))  # noqa: S308 - escaped in _render


def _window(text: str, matches: Matcher) -> tuple[int, int, list[tuple[int, int]]] | None:
    """(start, end, marked spans) of the words around the first match, or None."""
    before: deque[tuple[int, int]] = deque(maxlen=BEFORE)
    taken: list[tuple[int, int]] = []
    marked: list[tuple[int, int]] = []
    for found in _WORD.finditer(text):
        span = found.span()
        if not taken:
            if matches(found.group()):
                taken = [*before, span]
                marked.append(span)
            else:
                before.append(span)
            continue
        if len(taken) >= LENGTH:
            break
        taken.append(span)
        if matches(found.group()):
            marked.append(span)
    if not taken:
        return None
    if len(text) <= SHORT:
        return 0, len(text), [m.span() for m in _WORD.finditer(text) if matches(m.group())]
    return taken[0][0], taken[-1][1], marked


def snippet(texts: list[str], matches: Matcher) -> SafeString:
    """About :data:`LENGTH` words of the first of ``texts`` with a match, around it, escaped and
    marked; "…" where text is left out. Without a match: the start of the first non-empty text.
    """
    for text in texts:
        window = _window(text, matches)
        if window is not None:
            start, end, marked = window
            break
    else:
        text = next((t for t in texts if t.strip()), "")
        spans = [m.span() for m in _WORD.finditer(text)][:LENGTH]
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
