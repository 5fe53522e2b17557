"""Markdown to HTML: CommonMark with raw HTML off, cross-reference links, prefixed heading ids."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from timeline.model import slugify

ALLOWED_SCHEMES = ("http", "https", "mailto")
# Links that markdown-it itself refuses (javascript:, vbscript:, file:, data:) stay as text;
# this finds them in the source so that they are reported too, not silently dropped.
_SCHEME_IN_SOURCE_RE = re.compile(r"(?:\]\(\s*<?|<)([A-Za-z][A-Za-z0-9+.-]*)(?:&#?[0-9a-zA-Z]+;|[\s\x00-\x1f])*:")
XREF_KINDS = ("event", "article", "actor", "place", "tag")
_XREF_RE = re.compile(r"^(event|article|actor|place|tag):([^#]*)(?:#(.*))?$")

Resolver = Callable[[str, str], "str | None"]
"""``resolver(kind, target)`` -> the page path (``events/x/``) or None if there is no such page."""


@dataclasses.dataclass(frozen=True, slots=True)
class Link:
    """A cross-reference or in-page anchor link found in Markdown, with its line in the file."""

    kind: str
    """``event``, ``article``, ... or ``anchor`` for ``#x`` and ``asset`` for a local image."""
    target: str
    anchor: str
    line: int


@dataclasses.dataclass(frozen=True, slots=True)
class Rendered:
    """Markdown rendered to HTML, with the links it makes and the anchors it defines."""

    html: str
    links: tuple[Link, ...]
    anchors: tuple[str, ...]


def make_parser() -> MarkdownIt:
    """Return the one configured parser: the js-default preset, where raw HTML is text."""
    md = MarkdownIt("js-default")
    assert md.options["html"] is False
    return md


def render_markdown(
    md: MarkdownIt, text: str, *, base_path: str, resolve: Resolver, first_line: int = 1
) -> Rendered:
    """Render ``text``; rewrite ``event:id`` style links with ``resolve``; record every link."""
    env: dict[str, Any] = {}
    tokens = md.parse(text, env)
    links: list[Link] = []
    anchors: list[str] = []
    _rewrite(tokens, links, anchors, base_path, resolve, first_line)
    for number, source_line in enumerate(text.splitlines()):
        for match in _SCHEME_IN_SOURCE_RE.finditer(source_line):
            scheme = match.group(1).lower()
            if scheme not in ALLOWED_SCHEMES and scheme not in XREF_KINDS:
                found = Link("scheme", scheme, "", first_line + number)
                if found not in links:
                    links.append(found)
    html = md.renderer.render(tokens, md.options, env)
    return Rendered(html, tuple(links), tuple(anchors))


def _rewrite(
    tokens: Sequence[Token],
    links: list[Link],
    anchors: list[str],
    base_path: str,
    resolve: Resolver,
    first_line: int,
) -> None:
    line = first_line
    for index, token in enumerate(tokens):
        if token.map:
            line = first_line + token.map[0]
        if token.type == "heading_open" and index + 1 < len(tokens):
            anchor = _unique("h-" + slugify(tokens[index + 1].content or "section"), anchors)
            anchors.append(anchor)
            token.attrSet("id", anchor)
        for child in token.children or ():
            if child.type == "link_open":
                _rewrite_link(child, links, base_path, resolve, line)
            elif child.type == "image":
                _rewrite_image(child, links, base_path, line)


def _unique(anchor: str, taken: list[str]) -> str:
    if anchor not in taken:
        return anchor
    n = 1
    while f"{anchor}-{n}" in taken:
        n += 1
    return f"{anchor}-{n}"


def _rewrite_link(token: Token, links: list[Link], base_path: str, resolve: Resolver, line: int) -> None:
    href = str(token.attrGet("href") or "")
    match = _XREF_RE.match(href)
    if match:
        kind, target, anchor = match.group(1), match.group(2), match.group(3) or ""
        links.append(Link(kind, target, anchor, line))
        path = resolve(kind, target)
        token.attrSet("href", base_path + (path or "") + (f"#{anchor}" if anchor else ""))
    elif href.startswith("#"):
        links.append(Link("anchor", "", href[1:], line))
    elif re.match(r"^[a-z][a-z0-9+.-]*:", href, re.IGNORECASE):
        if href.split(":")[0].lower() not in ALLOWED_SCHEMES:
            links.append(Link("scheme", href.split(":")[0].lower(), "", line))
        # External links leave the site: tell the browser not to leak the reader's page.
        token.attrSet("rel", "noopener noreferrer")


def _rewrite_image(token: Token, links: list[Link], base_path: str, line: int) -> None:
    src = str(token.attrGet("src") or "")
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.IGNORECASE):
        # Never hot-link: a third-party image would tell its host who reads the page.
        alt = "".join(c.content for c in token.children or ()) or src
        token.type = "html_inline"
        token.content = (
            f'<a class="external-image" href="{escapeHtml(src)}" rel="noopener noreferrer">'
            f"{escapeHtml(alt)} (external image)</a>"
        )
        token.children = None
        return
    path = src.split("#")[0].split("?")[0]
    links.append(Link("asset", path, "", line))
    token.attrSet("src", base_path + path.lstrip("/"))
    token.attrSet("loading", "lazy")
