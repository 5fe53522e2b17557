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
from timeline.schema import ALLOWED_SCHEMES, url_scheme

__all__ = ["ALLOWED_SCHEMES", "Link", "Rendered", "make_parser", "render_markdown"]

# Links that markdown-it itself refuses (javascript:, vbscript:, file:, data:) stay as text;
# these find link destinations in the source (inline, autolink, reference definition) so that
# a refused scheme is reported at its column too, not silently dropped.
_DESTINATION_RE = re.compile(r"\]\(\s*<?|<|^ {0,3}\[[^\]]+\]:[ \t]*<?")
_DESTINATION_END_RE = re.compile(r"[\s)>]")
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
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
    col: int = 1


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


class _Locator:
    """Find where a link's target is written, in document order, as a 1-based line and column."""

    def __init__(self, text: str, first_line: int, first_col: int) -> None:
        self.lines = [line.rstrip("\r\n") for line in _LINE_RE.findall(text)]
        self.first_line = first_line
        self.first_col = first_col
        self.cursor = (0, 0)

    def find(self, needle: str, block: int) -> tuple[int, int]:
        """Return the position of ``needle`` at or after the cursor (else the block's start)."""
        start = max(self.cursor, (block, 0))
        for number in range(start[0], len(self.lines)):
            column = self.lines[number].find(needle, start[1] if number == start[0] else 0) if needle else -1
            if column >= 0:
                self.cursor = (number, column + len(needle))
                return self.first_line + number, self.first_col + column
        return self.first_line + block, self.first_col

    def bad_schemes(self, skip: set[int]) -> list[Link]:
        """Return a ``scheme`` link for every destination whose scheme is not allowed."""
        found = []
        for number, line in enumerate(self.lines):
            if number in skip:
                continue
            for match in _DESTINATION_RE.finditer(line):
                rest = line[match.end() :]
                end = _DESTINATION_END_RE.search(rest)
                scheme = url_scheme(rest[: end.start()] if end else rest)
                if scheme and scheme not in ALLOWED_SCHEMES and scheme not in XREF_KINDS:
                    position = (self.first_line + number, self.first_col + match.end())
                    found.append(Link("scheme", scheme, "", *position))
        return found


def render_markdown(
    md: MarkdownIt, text: str, *, base_path: str, resolve: Resolver, first_line: int = 1, first_col: int = 1
) -> Rendered:
    """Render ``text``; rewrite ``event:id`` style links with ``resolve``; record every link.

    ``first_line`` and ``first_col`` place the text in its file (an indented YAML block).
    """
    env: dict[str, Any] = {}
    tokens = md.parse(text, env)
    links: list[Link] = []
    anchors: list[str] = []
    locator = _Locator(text, first_line, first_col)
    _rewrite(tokens, links, anchors, base_path, resolve, locator)
    code = {n for t in tokens if t.type in ("fence", "code_block") and t.map for n in range(*t.map)}
    schemes = locator.bad_schemes(code)
    # markdown-it lets through schemes it does not know (ftp:, tel:); report those too, once.
    seen = {(link.target, link.line) for link in schemes}
    links = [k for k in links if k.kind != "scheme" or (k.target, k.line) not in seen] + schemes
    html = md.renderer.render(tokens, md.options, env)
    return Rendered(html, tuple(sorted(links, key=lambda k: (k.line, k.col))), tuple(anchors))


def _rewrite(
    tokens: Sequence[Token],
    links: list[Link],
    anchors: list[str],
    base_path: str,
    resolve: Resolver,
    locator: _Locator,
) -> None:
    block = 0
    for index, token in enumerate(tokens):
        if token.map:
            block = token.map[0]
        if token.type == "heading_open" and index + 1 < len(tokens):
            anchor = _unique("h-" + slugify(tokens[index + 1].content or "section"), anchors)
            anchors.append(anchor)
            token.attrSet("id", anchor)
        for child in token.children or ():
            if child.type == "link_open":
                _rewrite_link(child, links, base_path, resolve, locator, block)
            elif child.type == "image":
                _rewrite_image(child, links, base_path, locator, block)


def _unique(anchor: str, taken: list[str]) -> str:
    if anchor not in taken:
        return anchor
    n = 1
    while f"{anchor}-{n}" in taken:
        n += 1
    return f"{anchor}-{n}"


def _rewrite_link(
    token: Token, links: list[Link], base_path: str, resolve: Resolver, locator: _Locator, block: int
) -> None:
    href = str(token.attrGet("href") or "")
    match = _XREF_RE.match(href)
    if match:
        kind, target, anchor = match.group(1), match.group(2), match.group(3) or ""
        links.append(Link(kind, target, anchor, *locator.find(href, block)))
        path = resolve(kind, target)
        token.attrSet("href", base_path + (path or "") + (f"#{anchor}" if anchor else ""))
    elif href.startswith("#"):
        links.append(Link("anchor", "", href[1:], *locator.find(href, block)))
    elif re.match(r"^[a-z][a-z0-9+.-]*:", href, re.IGNORECASE):
        if href.split(":")[0].lower() not in ALLOWED_SCHEMES:
            links.append(Link("scheme", href.split(":")[0].lower(), "", *locator.find(href, block)))
        # External links leave the site: tell the browser not to leak the reader's page.
        token.attrSet("rel", "noopener noreferrer")


def _rewrite_image(token: Token, links: list[Link], base_path: str, locator: _Locator, block: int) -> None:
    src = str(token.attrGet("src") or "")
    position = locator.find(src, block)
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
    links.append(Link("asset", path, "", *position))
    token.attrSet("src", base_path + path.lstrip("/"))
    token.attrSet("loading", "lazy")
