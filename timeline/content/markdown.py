"""Markdown to HTML: CommonMark with raw HTML off, cross-reference links, prefixed heading ids.

Every pass over the text here is linear. markdown-it-py is slow on some texts: each unclosed
``[`` or ``![`` makes it look ahead for a ``]`` through up to ``maxNesting`` (100) nested
lookaheads, it reads a link destination again from each ``](`` in one long word, and it spends
tens of microseconds on each line and markup character. So a text over a limit (lines, markup
characters, open brackets, destination length, nesting) is refused with a located error naming
the limit, before the slow inline stage starts; see "Limits" in docs/format.md.
"""

from __future__ import annotations

import dataclasses
import html.parser
import re
import urllib.parse
from collections.abc import Callable, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from timeline.content.model import slugify
from timeline.content.values import ALLOWED_SCHEMES, url_scheme

__all__ = [
    "ALLOWED_SCHEMES",
    "MAX_BRACKET_DEPTH",
    "MAX_DESTINATION_SCAN",
    "MAX_LINES",
    "MAX_MARKUP",
    "MAX_NESTING",
    "MAX_UNCLOSED_BRACKETS",
    "Link",
    "Rendered",
    "make_parser",
    "render_markdown",
]

# The limits, documented in docs/format.md ("Limits"). markdown-it-py costs up to about 60 µs a
# line and 30 µs a markup character on a busy machine; these keep the worst text near a second or
# two, and are far above what an article uses (200 KB of prose with a link a line: ~3,000 lines,
# ~15,000 markup characters, brackets 2 deep).
MAX_LINES = 20_000
"""Most lines in one Markdown text."""
MAX_MARKUP = 50_000
"""Most characters that start inline syntax (``MARKUP_CHARS``) in one text's running text (not code blocks)."""
MARKUP_CHARS = "[]*_~`<&"
MAX_BRACKET_DEPTH = 16
"""Most ``[`` (or ``![``) open at one point of a paragraph: each makes markdown-it look ahead for its ``]``."""
MAX_UNCLOSED_BRACKETS = 1000
"""Most ``[`` left without a ``]`` in one Markdown text, summed over its paragraphs."""
MAX_DESTINATION_SCAN = 1_000_000
"""Most characters after ``](`` up to the next space or control character, summed over a text.

markdown-it reads a link destination to its first space, its closing ``)`` or its 33rd nested
``(``: one long word holding many ``](`` is read again from each of them.
"""
MAX_NESTING = 32
"""Deepest nesting of blockquotes, lists and list items (markdown-it drops what is deeper than 100)."""
_DESTINATION_WINDOW = 512
"""Characters of a link destination read for its scheme: entities and invisible padding included."""

# Links that markdown-it itself refuses (javascript:, vbscript:, file:, data:) stay as text;
# these find link destinations in the source (inline, autolink, reference definition) so that
# a refused scheme is reported at its column too, not silently dropped.
_DESTINATION_RE = re.compile(r"\]\(\s*<?|<|^ {0,3}\[[^\]]+\]:[ \t]*<?")
_DESTINATION_END_RE = re.compile(r"[\s)>]")
_BRACKET_RE = re.compile(r"\\.|[\[\]]", re.DOTALL)
_DESTINATION_STOP_RE = re.compile(r"[\x00-\x20\x7f]")
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
XREF_KINDS = ("event", "article", "actor", "place", "tag")
_XREF_RE = re.compile(r"^(event|article|actor|place|tag):([^#]*)(?:#(.*))?$")

Resolver = Callable[[str, str], "str | None"]
"""``resolver(kind, target)`` -> the page path (``events/x/``) or None if there is no such page."""


@dataclasses.dataclass(frozen=True, slots=True)
class Link:
    """A cross-reference or in-page anchor link found in Markdown, with its line in the file."""

    kind: str
    """``event``, ``article``, ... or ``anchor`` for ``#x``, ``asset`` for a local image, ``scheme`` for a
    refused URL scheme and ``limit`` for a text over a limit (``target`` is then the message)."""
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


class MarkdownLimit(Exception):
    """A Markdown text over one of the limits: the message, and where in the text.

    ``line`` is 0-based in the text; ``offset`` counts characters into ``content``, the text of
    the block that starts on that line (without ``content``, the error is at the line's start).
    """

    def __init__(self, message: str, line: int, offset: int = 0, content: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.offset = offset
        self.content = content


def make_parser() -> MarkdownIt:
    """Return the one configured parser: the js-default preset, where raw HTML is text.

    It refuses, with ``MarkdownLimit``, a text over a limit: lines before the block stage,
    nesting, brackets and markup after it, before the inline stage (the slow one) starts.
    """
    md = MarkdownIt("js-default")
    assert md.options["html"] is False
    md.core.ruler.before("block", "timeline_lines", _check_lines)
    md.core.ruler.at("inline", _guarded_inline)
    return md


def _check_lines(state: StateCore) -> None:
    """Refuse a text of more than ``MAX_LINES`` lines (after markdown-it's newline normalising)."""
    if state.src.count("\n") + (not state.src.endswith("\n")) > MAX_LINES:
        raise MarkdownLimit(f"text has more than {MAX_LINES} lines (the limit); split it", MAX_LINES)


def _guarded_inline(state: StateCore) -> None:
    """Parse each block's inline text as markdown-it's own rule does, once the limits allow it."""
    unclosed = 0
    markup = 0
    scanned = 0
    for token in state.tokens:
        line = token.map[0] if token.map else 0
        if token.level >= MAX_NESTING:
            message = f"blockquotes and lists nested more than {MAX_NESTING} deep (the limit)"
            raise MarkdownLimit(message, line)
        if token.type != "inline":
            continue
        unclosed += _check_brackets(token.content, line)
        if unclosed > MAX_UNCLOSED_BRACKETS:
            limit = MAX_UNCLOSED_BRACKETS
            message = f"more than {limit} '[' without a closing ']' (the limit); close or escape them as \\["
            raise MarkdownLimit(message, line)
        markup += sum(token.content.count(mark) for mark in MARKUP_CHARS)
        if markup > MAX_MARKUP:
            marks = " ".join(MARKUP_CHARS)
            message = f"more than {MAX_MARKUP} of the characters {marks} outside code blocks (the limit)"
            raise MarkdownLimit(message, line)
        cost, over = _destination_cost(token.content, MAX_DESTINATION_SCAN - scanned)
        scanned += cost
        if over >= 0:
            limit = MAX_DESTINATION_SCAN
            message = f"link destinations run on: over {limit} characters after '](' before a space (the limit)"
            raise MarkdownLimit(message, line, over, token.content)
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            state.md.inline.parse(token.content, state.md, state.env, token.children)


def _destination_cost(content: str, left: int) -> tuple[int, int]:
    """Return how far markdown-it may read link destinations in ``content`` (a bound), and where it passed ``left``.

    The second number is -1 while the total stays within ``left``.
    """
    cost, end, at = 0, -1, content.find("](")
    while at >= 0:
        if at >= end:
            # The next space or control character ends every destination that starts before it.
            stop = _DESTINATION_STOP_RE.search(content, at + 2)
            end = stop.start() if stop else len(content)
        cost += end - at
        if cost > left:
            return cost, at
        at = content.find("](", at + 2)
    return cost, -1


def _check_brackets(content: str, line: int) -> int:
    """Return how many ``[`` stay open at the end of ``content``; raise past the depth limit."""
    depth = 0
    for match in _BRACKET_RE.finditer(content):
        mark = match.group()
        if mark == "[":
            depth += 1
            if depth > MAX_BRACKET_DEPTH:
                message = f"more than {MAX_BRACKET_DEPTH} '[' open at once (the limit); close or escape them as \\["
                raise MarkdownLimit(message, line, match.start(), content)
        elif mark == "]" and depth:
            depth -= 1
    return depth


class _Locator:
    """Find where a link's target is written, in document order, as a 1-based line and column."""

    def __init__(self, text: str, first_line: int, first_col: int) -> None:
        self.lines = [line.rstrip("\r\n") for line in _LINE_RE.findall(text)]
        self.first_line = first_line
        self.first_col = first_col
        self.cursor = (0, 0)
        # A target that is not written as markdown-it gives it (entities, escapes) is searched
        # for to the end of the text; this budget keeps many such links from being quadratic.
        # Found targets read the text about once in all, as the cursor only moves forward.
        self.budget = 8 * len(text) + 65536

    def find(self, needle: str, block: int) -> tuple[int, int]:
        """Return the position of ``needle`` at or after the cursor (else the block's start)."""
        # markdown-it %-escapes what is not ASCII: look for the target as written too.
        for written in dict.fromkeys((needle, urllib.parse.unquote(needle))):
            found = self._search(written, max(self.cursor, (block, 0)))
            if found is not None:
                return found
        return self.first_line + block, self.first_col

    def _search(self, needle: str, start: tuple[int, int]) -> tuple[int, int] | None:
        for number in range(start[0], len(self.lines) if needle else start[0]):
            if self.budget <= 0:
                break
            line = self.lines[number]
            self.budget -= len(line) + 1
            column = line.find(needle, start[1] if number == start[0] else 0)
            if column >= 0:
                self.cursor = (number, column + len(needle))
                return self.first_line + number, self.first_col + column
        return None

    def column(self, line: int, content: str, offset: int) -> int:
        """Return the column of ``content[offset]`` in the text, the block's text starting on ``line``."""
        before = content[:offset]
        number = line + before.count("\n")
        written = content.split("\n")[number - line] if content else ""
        source = self.lines[number] if number < len(self.lines) else ""
        # Containers (> and list markers) and indentation are cut from the block's text.
        shift = source.find(written) if written else -1
        return self.first_col + max(shift, 0) + len(before) - (before.rfind("\n") + 1)

    def bad_schemes(self, skip: set[int]) -> list[Link]:
        """Return a ``scheme`` link for every destination whose scheme is not allowed."""
        found = []
        for number, line in enumerate(self.lines):
            if number in skip:
                continue
            for match in _DESTINATION_RE.finditer(line):
                # Only a window is read: a scheme is short, and reading each destination to the
                # end of its line would make a line of many '<' or '](' quadratic.
                start = match.end()
                window = line[start : start + _DESTINATION_WINDOW]
                end = _DESTINATION_END_RE.search(window)
                destination = window[: end.start()] if end else window
                if ":" not in destination and "&" not in destination:
                    continue
                scheme = url_scheme(destination)
                if scheme and scheme not in ALLOWED_SCHEMES and scheme not in XREF_KINDS:
                    position = (self.first_line + number, self.first_col + start)
                    found.append(Link("scheme", scheme, "", *position))
        return found


def render_markdown(
    md: MarkdownIt, text: str, *, base_path: str, resolve: Resolver, first_line: int = 1, first_col: int = 1
) -> Rendered:
    """Render ``text``; rewrite ``event:id`` style links with ``resolve``; record every link.

    ``first_line`` and ``first_col`` place the text in its file (an indented YAML block).
    """
    env: dict[str, Any] = {}
    locator = _Locator(text, first_line, first_col)
    try:
        tokens = md.parse(text, env)
    except MarkdownLimit as exc:
        line = locator.first_line + exc.line
        col = locator.column(exc.line, exc.content, exc.offset) if exc.content else locator.first_col
        return Rendered("", (Link("limit", exc.message, "", line, col),), ())
    links: list[Link] = []
    anchors = _Anchors()
    _rewrite(tokens, links, anchors, base_path, resolve, locator)
    code = {n for t in tokens if t.type in ("fence", "code_block") and t.map for n in range(*t.map)}
    schemes = locator.bad_schemes(code)
    # markdown-it lets through schemes it does not know (ftp:, tel:); report those too, once.
    seen = {(link.target, link.line) for link in schemes}
    links = [k for k in links if k.kind != "scheme" or (k.target, k.line) not in seen] + schemes
    html = md.renderer.render(tokens, md.options, env)
    return Rendered(html, tuple(sorted(links, key=lambda k: (k.line, k.col))), tuple(anchors.order))


def _rewrite(
    tokens: Sequence[Token],
    links: list[Link],
    anchors: _Anchors,
    base_path: str,
    resolve: Resolver,
    locator: _Locator,
) -> None:
    block = 0
    for index, token in enumerate(tokens):
        if token.map:
            block = token.map[0]
        if token.type == "heading_open" and index + 1 < len(tokens):
            token.attrSet("id", anchors.add("h-" + slugify(tokens[index + 1].content or "section")))
        for child in token.children or ():
            if child.type == "link_open":
                _rewrite_link(child, links, base_path, resolve, locator, block)
            elif child.type == "image":
                _rewrite_image(child, links, base_path, locator, block)


class _Anchors:
    """Heading ids handed out so far: ``h-a``, then ``h-a-1``, ``h-a-2`` ... for repeats."""

    def __init__(self) -> None:
        self.order: list[str] = []
        self.taken: set[str] = set()
        # The next number to try per id: each taken "id-n" is stepped over once, so n repeats
        # of one heading cost n steps in all, not n squared.
        self.next: dict[str, int] = {}

    def add(self, anchor: str) -> str:
        """Return ``anchor``, or its first ``-n`` form not yet taken, and take it."""
        if anchor in self.taken:
            n = self.next.get(anchor, 1)
            while f"{anchor}-{n}" in self.taken:
                n += 1
            self.next[anchor] = n + 1
            anchor = f"{anchor}-{n}"
        self.taken.add(anchor)
        self.order.append(anchor)
        return anchor


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


class _Text(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        self.parts.append("\n\n" if tag in ("p", "li", "blockquote", "h1", "h2", "h3") else "")


def html_text(fragment: str) -> str:
    """Return the plain text of an HTML fragment, paragraphs kept as blank lines.

    >>> html_text("<p>A <a href='/x'>b</a> &amp; c</p>\\n<p>d</p>")
    'A b & c\\n\\nd'
    """
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    paragraphs = re.split(r"\n\s*\n", "".join(parser.parts))
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())
