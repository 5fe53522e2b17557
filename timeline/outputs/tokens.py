"""The words of the search index: how text is folded and cut into tokens.

The reader's browser cuts its query the same way (``themes/default/static/search.js``,
``fold`` and ``tokens``), so the two must change together. Folding is deliberately simple and
language-neutral, so that it works the same for every script the content may use:

- lower case, then compatibility decomposition (NFKD) with every combining mark dropped:
  ``Éire`` -> ``eire``, Arabic harakat and the hamza over an alef go, ``ё`` -> ``е``;
- Arabic and Persian letters that writers use for one another are made one: Arabic yeh and
  alef maksura -> Persian yeh, Arabic kaf -> keheh, and the tatweel is dropped;
- Greek final sigma is an ordinary sigma, so a word typed in capitals still matches;
- a token is a run of letters and digits (Unicode categories L and N); Han, Hiragana and
  Katakana, written without spaces, give one token per character, and a query of several such
  characters must find them all (no dictionary is needed, at the price of some false matches).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

MAX_TOKEN = 32
"""Longer words are cut to this many characters (a query word is cut the same way)."""

_SAME = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9", "\u03c2": "\u03c3", "\u0640": None})
_IDEOGRAPHIC = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_IDEOGRAPHIC}]|[^\W_{_IDEOGRAPHIC}]+")


def fold(text: str) -> str:
    """Return ``text`` lower-cased, without accents or other marks, with look-alike letters made one.

    >>> fold("Ermənistan ÉIRE ОДОС كتاب")
    'ermənistan eire одос کتاب'
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).translate(_SAME)


def tokens(text: str) -> Iterator[str]:
    """Yield the tokens of ``text``, folded, in order (repeats included).

    >>> list(tokens("Gencatan senjata di Ղարաբաղ, 2020-10-10; 東京"))
    ['gencatan', 'senjata', 'di', 'ղարաբաղ', '2020', '10', '10', '東', '京']
    """
    for match in _WORD.finditer(fold(text)):
        yield match[0][:MAX_TOKEN]
