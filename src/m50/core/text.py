"""Text as people type it: case, accents and punctuation folded away, one way everywhere.

"Súdwest-Fryslân", "sudwest fryslan" and "SUDWEST-FRYSLAN" fold to the same words, as do
"beëindigd" and "beeindigd". The search index and every name lookup use these, so what is
stored and what is asked are compared in the same form.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that do not decompose into a base letter and a mark.
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ĳ": "ij", "ł": "l"})
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents: ``"Beëindigd"`` → ``"beeindigd"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of ``text``; hyphens, apostrophes and other punctuation separate them:
    ``"'s-Hertogenbosch"`` → ``["s", "hertogenbosch"]``."""
    return _WORD.findall(fold(text))
