"""What templates write so that every text is read in its language and direction.

``lang_attrs(tag)`` gives the ``lang`` and ``dir`` attributes an element needs when its text is
in another language than the page (or another direction); templates put it on the element that
holds the text. ``number(value)`` writes a figure in the page's locale (Babel, never the process
locale).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import babel
import babel.numbers
import jinja2
from markupsafe import Markup, escape

from timeline.content.languages import same_language, tag_direction


def _page_language(context: Any) -> str:
    page = context.get("page")
    return str(getattr(page, "lang", "") or "")


def attributes(tag: str, page_language: str, *, auto: bool = False) -> Markup:
    """Return `` lang="..."`` and `` dir="..."`` for text in ``tag`` on a page in ``page_language``.

    ``lang`` is written when the languages differ; ``dir`` when the directions do. With ``auto``,
    text in the page's direction gets ``dir="auto"``, so that a title written in another script
    than its language says still lays out on its own (a contributor's mistake cannot reorder the page).

    >>> str(attributes("fa", "en")), str(attributes("en", "en")), str(attributes("hy", "en", auto=True))
    (' lang="fa" dir="rtl"', '', ' lang="hy" dir="auto"')
    """
    parts = []
    if tag and page_language and not same_language(tag, page_language):
        parts.append(f' lang="{escape(tag)}"')
    direction = tag_direction(tag) if tag else None
    page_direction = tag_direction(page_language) if page_language else "ltr"
    if direction is not None and direction != page_direction:
        parts.append(f' dir="{direction}"')
    elif auto:
        parts.append(' dir="auto"')
    return Markup("".join(parts))


@jinja2.pass_context
def lang_attrs(context: Any, tag: str, auto: bool = False) -> Markup:
    """Return the ``lang``/``dir`` attributes for text in ``tag`` on the page being rendered."""
    return attributes(tag, _page_language(context), auto=auto)


def format_number(value: str | int | float | Decimal, language: str) -> str:
    """Return ``value`` written as ``language`` writes numbers (``5000`` -> ``5,000`` / ``5.000``).

    >>> format_number("5000", "en"), format_number("5000", "id"), format_number("12.5", "de")
    ('5,000', '5.000', '12,5')
    """
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    try:
        locale = babel.Locale.parse(language.replace("-", "_")) if language else babel.Locale("en")
    except (ValueError, babel.UnknownLocaleError):
        locale = babel.Locale("en")
    return str(babel.numbers.format_decimal(number, locale=locale))


@jinja2.pass_context
def number(context: Any, value: str | int | float | Decimal) -> str:
    """Return ``value`` formatted in the page's locale."""
    return format_number(value, _page_language(context))
