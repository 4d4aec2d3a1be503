"""Text to search tokens: folded (:mod:`m50.core.text`), Dutch stop words left out, stemmed.

One function for indexing and searching, in Python, so both databases index and are asked the
same tokens, and the full-text engines only match words (FTS5's ``unicode61`` and PostgreSQL's
``simple`` configuration, neither of which stems or drops words).

The stemmer is Snowball's classic Dutch algorithm (``dutch_porter`` in snowballstemmer 3, the one
PostgreSQL's ``dutch`` configuration uses). snowballstemmer 3's new ``dutch`` algorithm also
strips the participle prefix "ge-", which merges unrelated words ("gezondheid" and "zon" both
become "zon", "gemeente" and "menen" both "meen"); for finding documents that costs more than
it brings.
"""

from __future__ import annotations

import functools
from pathlib import Path

import snowballstemmer

from m50.core.text import fold, words

STEMMER = "dutch_porter"
STOP_WORDS_FILE = Path(__file__).parent / "data" / "stopwords_nl.txt"


def _stop_words() -> frozenset[str]:
    lines = STOP_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(fold(line.strip()) for line in lines if line.strip())


STOP_WORDS = _stop_words()
_stemmer = snowballstemmer.stemmer(STEMMER)


@functools.lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The stem of one folded word: ``"woningen"`` → ``"woning"``."""
    return _stemmer.stemWord(word)


def tokens(text: str) -> list[str]:
    """The search tokens of ``text``: folded words, stop words left out, stemmed.

    ``"De gemeenten beëindigden"`` → ``["gemeent", "beeindigd"]``.
    """
    return [stem(word) for word in words(text) if word not in STOP_WORDS]


def normalise(text: str) -> str:
    """``tokens(text)`` as one space-separated string, the form the full-text index stores."""
    return " ".join(tokens(text))
