"""The search box's language: words ANDed, ``"quoted phrases"``, ``prefix*``.

The parsed query holds search tokens (:mod:`.normalise`) and is compiled per database by
:mod:`.backends`; the same parse also marks the matching words in snippets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from m50.core.search.normalise import STOP_WORDS, stem
from m50.core.text import words

MAX_LENGTH = 500  # characters of a query that are read
MAX_TERMS = 16  # terms of a query that are kept; each costs the engine a lookup


@dataclass(frozen=True)
class Word:
    token: str


@dataclass(frozen=True)
class Phrase:
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class Prefix:
    """Matches a token starting with any of ``starts``: the folded prefix as typed, and its
    stem when that differs ("gemeenten*" must also find the stem "gemeent")."""

    starts: tuple[str, ...]


Term = Word | Phrase | Prefix


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    terms: tuple[Term, ...] = ()
    # The words typed that are not searched for: stop words.
    ignored: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.terms

    @property
    def message(self) -> str:
        """Why nothing is searched, in Dutch, or "" when something is."""
        if self.terms:
            return ""
        if self.ignored:
            return _(
                "Uw zoekopdracht bevat alleen veelvoorkomende woorden (%(words)s); daarop wordt "
                "niet gezocht. Probeer een specifieker woord."
            ) % {"words": ", ".join(self.ignored)}
        return _("Typ een of meer woorden om te zoeken.")

    def stems(self) -> frozenset[str]:
        """The tokens a word must have to match a word or phrase term."""
        found: set[str] = set()
        for term in self.terms:
            if isinstance(term, Word):
                found.add(term.token)
            elif isinstance(term, Phrase):
                found.update(term.tokens)
        return frozenset(found)

    def prefixes(self) -> tuple[str, ...]:
        found = [term.starts for term in self.terms if isinstance(term, Prefix)]
        return tuple(start for starts in found for start in starts)


def _prefix(word: str) -> Prefix:
    stemmed = stem(word)
    starts = (word,) if stemmed == word or not stemmed else (word, stemmed)
    return Prefix(tuple(sorted(set(starts), key=len)))


def _chunks(text: str) -> list[tuple[str, bool]]:
    """(chunk, quoted) pairs: quoted phrases and whitespace-separated chunks; an unclosed
    quote runs to the end."""
    found: list[tuple[str, bool]] = []
    position = 0
    while position < len(text):
        char = text[position]
        if char.isspace():
            position += 1
        elif char == '"':
            end = text.find('"', position + 1)
            end = len(text) if end == -1 else end
            found.append((text[position + 1 : end], True))
            position = end + 1
        else:
            end = position
            while end < len(text) and not text[end].isspace() and text[end] != '"':
                end += 1
            found.append((text[position:end], False))
            position = end
    return found


def parse(text: str, *, prefix: bool = False) -> ParsedQuery:
    """The terms of ``text``; ``prefix=True`` (type-ahead) makes the last word a prefix unless
    the text ends in a space or a closing quote.

    A chunk of several words ("COVID-19", "'s-Hertogenbosch") is a phrase; stop words are left
    out of words and phrases alike, as they are left out of the index.
    """
    text = text[:MAX_LENGTH]
    chunks = _chunks(text)
    typing_last = prefix and bool(text) and not text[-1].isspace() and not text.endswith('"')
    terms: list[Term] = []
    ignored: list[str] = []
    for number, (chunk, quoted) in enumerate(chunks):
        found = words(chunk)
        if not found:
            continue
        is_last = number == len(chunks) - 1
        as_prefix = not quoted and (chunk.endswith("*") or (typing_last and is_last))
        last: Prefix | None = None
        if as_prefix:
            last = _prefix(found.pop())
        kept = [word for word in found if word not in STOP_WORDS]
        ignored.extend(word for word in found if word in STOP_WORDS)
        tokens = tuple(stem(word) for word in kept)
        if last is not None:
            # A prefix follows the chunk's other words; "s-hertogen*" needs both, not in order.
            terms.extend(Word(token) for token in tokens)
            terms.append(last)
        elif len(tokens) > 1:
            terms.append(Phrase(tokens))
        elif tokens:
            terms.append(Word(tokens[0]))
    unique = tuple(dict.fromkeys(terms))[:MAX_TERMS]
    return ParsedQuery(text=text, terms=unique, ignored=tuple(dict.fromkeys(ignored)))
