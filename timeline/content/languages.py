"""Languages of text: writing direction by BCP 47 tag and by script, per-language names, bidi controls.

A tag's direction comes from its script subtag when it has one (``ku-Arab`` is right to left,
``az-Latn`` left to right), else from its language (``ar``, ``fa``, ``he``, ...). Text with no
tag is judged by its first strong character, as ``dir="auto"`` does in a browser.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any, Literal

Direction = Literal["ltr", "rtl"]

RTL_SCRIPTS = frozenset(
    {"arab", "aran", "hebr", "syrc", "syre", "syrj", "syrn", "thaa", "nkoo", "adlm", "rohg", "mand", "samr",
     "mend", "yezi", "avst", "phnx", "khar", "sogd", "sarb", "narb", "nbat", "palm", "hatr", "mani", "chrs"}
)  # fmt: skip
"""ISO 15924 codes (lower case) of scripts written right to left."""

RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "glk", "he", "iw", "ji", "khw", "ks", "mzn", "nqo", "pnb", "ps", "sd",
     "syr", "ug", "ur", "yi", "azb", "bal", "bqi", "lrc", "prs", "sdh", "skr"}
)  # fmt: skip
"""Languages (primary subtags) whose default script is written right to left."""

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Embeddings, overrides and isolates (U+202A-202E, U+2066-2069): they reorder the text after them."""

_BIDI_RE = re.compile(f"[{BIDI_CONTROLS}]")
_SCRIPT_RE = re.compile(r"^[A-Za-z]{4}$")


def script_subtag(tag: str) -> str:
    """Return the script subtag of ``tag`` in lower case (``az-Arab-IR`` -> ``arab``), or "".

    >>> script_subtag("az-Arab-IR"), script_subtag("hy"), script_subtag("sr-Cyrl")
    ('arab', '', 'cyrl')
    """
    parts = tag.replace("_", "-").split("-")
    # The script is the first four-letter subtag after the language (and its extlangs).
    for part in parts[1:]:
        if _SCRIPT_RE.match(part):
            return part.lower()
        if len(part) != 3 or not part.isalpha():
            break
    return ""


def tag_direction(tag: str) -> Direction:
    """Return the writing direction of text in language ``tag`` (BCP 47).

    >>> tag_direction("fa-IR"), tag_direction("az-Latn"), tag_direction("ku-Arab"), tag_direction("hy")
    ('rtl', 'ltr', 'rtl', 'ltr')
    """
    script = script_subtag(tag)
    if script:
        return "rtl" if script in RTL_SCRIPTS else "ltr"
    return "rtl" if tag.replace("_", "-").split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def is_rtl(tag: str) -> bool:
    """Return True if text in language ``tag`` is written right to left."""
    return bool(tag) and tag_direction(tag) == "rtl"


def text_direction(text: str) -> Direction | None:
    """Return the direction of ``text``'s first strong character (as ``dir="auto"``), or None if it has none.

    >>> text_direction("«سلام» world"), text_direction("2020 Карабах"), text_direction("1,000")
    ('rtl', 'ltr', None)
    """
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def same_language(a: str, b: str) -> bool:
    """Return True if tags ``a`` and ``b`` name the same language (``en`` and ``EN_us`` do not; ``en`` and ``en`` do).

    >>> same_language("pt_BR", "pt-br"), same_language("en", "en-GB")
    (True, False)
    """
    return a.replace("_", "-").lower() == b.replace("_", "-").lower()


def strip_bidi_controls(text: str) -> str:
    """Return ``text`` without embeddings, overrides and isolates, so it cannot reorder what follows it.

    >>> strip_bidi_controls("abc\\u202edef")
    'abcdef'
    """
    return _BIDI_RE.sub("", text) if _BIDI_RE.search(text) else text


def neutralise(value: Any) -> Any:
    """Remove bidi controls from every string in a freshly loaded YAML value, in place; return it.

    Keys are ids and field names, checked on their own; only values are contributor text.
    """
    if isinstance(value, str):
        return strip_bidi_controls(value)
    if isinstance(value, dict):
        for key, item in value.items():
            value[key] = neutralise(item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            value[index] = neutralise(item)
    return value


def pick(entries: Iterable[tuple[str, str]], language: str) -> tuple[str, str]:
    """Return the (language, text) to show on a site in ``language``: its own entry, else the first.

    A site in ``pt-BR`` takes ``pt-BR``, then ``pt``; a site in ``pt`` takes ``pt``, then ``pt-...``.

    >>> pick([("en", "Armenia"), ("hy", "Հայաստան")], "hy")
    ('hy', 'Հայաստան')
    >>> pick([("hy", "Հայաստան"), ("ru", "Армения")], "en-GB")
    ('hy', 'Հայաստան')
    """
    items = list(entries)
    if not items:
        return ("", "")
    wanted = language.replace("_", "-").lower()
    base = wanted.split("-")[0]
    tags = [tag.replace("_", "-").lower() for tag, _ in items]
    for found in (wanted, base):
        if found in tags:
            return items[tags.index(found)]
    for index, tag in enumerate(tags):
        if tag.split("-")[0] == base:
            return items[index]
    return items[0]
