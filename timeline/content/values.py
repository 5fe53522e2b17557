"""Value checks shared by the readers: URLs, language codes, whole numbers, booleans.

Every value read from YAML that ends up in an ``href``, ``src`` or ``lang`` attribute passes one
of these first: Jinja's autoescape keeps quotes shut but does nothing about ``javascript:``.
"""

from __future__ import annotations

import html
import re

from timeline.content.yamldoc import Fields

ALLOWED_SCHEMES = ("http", "https", "mailto")
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,4}$")
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_INVISIBLE_RE = re.compile(r"[\x00-\x20\x7f]+")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")

EVENT_FIELDS = (
    "id", "title", "date", "end", "summary", "places", "actors", "tags", "status", "sources",
    "related", "images", "updated", "corrections", "claims", "draft", "calendar", "milestones",
    "language",
)  # fmt: skip
ARTICLE_FIELDS = (
    "id", "title", "published", "date", "language", "publisher", "author", "via", "url", "summary",
    "events", "actors", "places", "tags", "images", "quotes", "related", "draft",
)  # fmt: skip
SOURCE_FIELDS = (
    "article", "quote", "translation", "translation_language", "title", "publisher", "url", "published",
    "accessed", "archive_url", "language",
)  # fmt: skip
IMAGE_FIELDS = ("src", "url", "alt", "caption", "credit", "width", "height")
CLAIM_FIELDS = ("quantity", "value", "number", "qualifier", "claimant", "date", "source", "wording")
QUOTE_FIELDS = ("text", "speaker", "translation", "translation_language")
ENTITY_FIELDS = ("name", "kind", "description", "language")
QUOTED_FIELDS = ("article", "quote", "translation", "translation_language")
"""Source fields an article source may have too: the rest belong to an external reference."""


def url_scheme(url: str) -> str | None:
    """Return the scheme a browser would read from ``url`` (lower case), or None if relative.

    >>> url_scheme(" JaVa&#x53;cript:alert(1)")
    'javascript'
    >>> url_scheme("java\\tscript:x"), url_scheme("/events/x/")
    ('javascript', None)
    """
    text = url
    # Entities may be decoded by whatever shows the URL (an attribute, a |safe field), and
    # browsers drop ASCII white space and control characters inside and around a scheme.
    for _ in range(3):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    # Only the part before the first colon can be a scheme (stripping never makes a colon):
    # stripping a long URL whole would make a scan of many destinations quadratic.
    head, colon, _ = text.partition(":")
    match = _SCHEME_RE.match(_INVISIBLE_RE.sub("", head) + colon)
    return match.group(1).lower() if match else None


def check_url(url: str) -> str | None:
    """Return why ``url`` may not be linked (a scheme outside http, https, mailto), or None."""
    scheme = url_scheme(url)
    if scheme is not None and scheme not in ALLOWED_SCHEMES:
        return f"URL scheme '{scheme}:' is not allowed (use http, https, mailto or a relative URL)"
    if _CONTROL_RE.search(url):
        return "URL contains control characters"
    return None


def check_language(code: str) -> str | None:
    """Return why ``code`` is not a BCP 47 language tag such as ``en`` or ``pt-BR``, or None."""
    if LANGUAGE_RE.match(code):
        return None
    return f"language '{code}' is not a BCP 47 code such as en, id or pt-BR"


def positive_int(text: str) -> int:
    """Return ``text`` as a whole number of at least 1; raise ValueError otherwise."""
    if not re.match(r"^[0-9]{1,9}$", text) or int(text) < 1:
        raise ValueError(f"'{text}' is not a positive whole number")
    return int(text)


def is_true(fields: Fields, key: str) -> bool:
    """Return a yes/no field as a bool; any other word is an error (and counts as no)."""
    value = fields.text(key, default="false").lower()
    if value not in ("true", "false", "yes", "no"):
        fields.fail(key, f"'{key}' must be true or false")
    return value in ("true", "yes")
