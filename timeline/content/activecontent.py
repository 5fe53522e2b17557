"""Content files a browser would run as a page of the site: SVG and other XML checked, HTML refused.

An SVG (or an XML file) opened on its own is a document on the site's origin, so a script in it
runs there. The site copies content files as they are, byte for byte, so instead of rewriting
one this finds every active or external part and reports each at its line and column; the
author removes them. expat is the parser: it never fetches anything, and a DOCTYPE (the only way
to declare entities, and so to build an entity bomb) is refused as soon as it starts. HTML files
are refused whole: a page of the site comes from a template, never from ``content/``.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from pathlib import Path

_XHTML_NS = "http://www.w3.org/1999/xhtml"
_XLINK_NS = "http://www.w3.org/1999/xlink"
# Elements that run code or embed another document, in any namespace.
_ACTIVE = frozenset({"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "frame"})
_ANIMATION = frozenset({"set", "animate", "animatemotion", "animatetransform", "animatecolor"})
# Only a fragment of this file, or an image inlined as data, may be referenced.
_SAFE_REF = re.compile(r"#[^\s]*|data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
_CSS_ACTIVE = re.compile(r"@import|expression\(|javascript:|-moz-binding|behavior\s*:", re.IGNORECASE)
_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml", ".svgz")
_XML_SUFFIXES = (".svg", ".xml", ".xsl", ".xslt", ".rss", ".atom", ".kml", ".gpx", ".rdf")
_LINK = re.compile(r"(?:https?://|mailto:)[^\s]*", re.IGNORECASE)

Problem = tuple[int, int, str]
"""Line, column (1-based) and what is wrong."""


class _Refused(Exception):
    """Stops the parse at a construct that makes the rest pointless (a DOCTYPE)."""


def _local(name: str) -> tuple[str, str]:
    ns, _, local = name.rpartition(" ")
    return ns, local


def _css_problem(text: str) -> str | None:
    if _CSS_ACTIVE.search(text):
        return "style sheet imports or runs code"
    for match in _CSS_URL.finditer(text):
        if not _SAFE_REF.fullmatch(match[1]):
            return f"style refers to another resource: url({match[1][:60]})"
    return None


def svg_problems(data: bytes) -> list[Problem]:
    """Return every script, event handler, javascript: URL, foreignObject and external reference in an SVG."""
    problems: list[Problem] = []
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    # A style sheet's text may come in several pieces (entities split it): check it whole at its end.
    styles: list[tuple[int, int, list[str]]] = []

    def at(message: str) -> None:
        problems.append((parser.CurrentLineNumber, parser.CurrentColumnNumber + 1, message))

    def doctype(*_: object) -> None:
        at("file has a DOCTYPE: entities and external DTDs are not allowed")
        raise _Refused

    def instruction(target: str, _data: str) -> None:
        at(f"file has a processing instruction <?{target}?> (a style sheet from elsewhere)")

    def start(name: str, attrs: dict[str, str]) -> None:
        ns, local = _local(name)
        lowered = local.lower()
        if lowered in _ACTIVE:
            at(f"file has a <{local}> element, which can run code")
        elif ns == _XHTML_NS:
            at(f"file has an HTML <{local}> element")
        if lowered == "style":
            styles.append((parser.CurrentLineNumber, parser.CurrentColumnNumber + 1, []))
        for key, value in attrs.items():
            attr_ns, attr = _local(key)
            low = attr.lower()
            ref = value.strip()
            if low.startswith("on"):
                at(f"file has an event handler attribute '{attr}'")
            elif low == "href" and lowered == "a" and _LINK.fullmatch(ref):
                pass  # a link the reader may follow loads nothing by itself
            elif low == "href" and attr_ns in ("", _XLINK_NS) and not _SAFE_REF.fullmatch(ref):
                at(f"file refers to another resource or a script: href '{value.strip()[:60]}'")
            elif low in ("attributename",) and lowered in _ANIMATION and (
                value.lower().endswith("href") or value.lower().startswith("on")
            ):
                at(f"file animates '{value}', which can turn into a script")
            elif (low == "style" or "url(" in value.lower()) and (problem := _css_problem(value)):
                at(f"file: {problem}")

    def end(name: str) -> None:
        if _local(name)[1].lower() == "style" and styles:
            line, col, parts = styles.pop()
            if problem := _css_problem("".join(parts)):
                problems.append((line, col, f"file: {problem}"))

    def text(content: str) -> None:
        if styles:
            styles[-1][2].append(content)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.ProcessingInstructionHandler = instruction
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except _Refused:
        pass
    except xml.parsers.expat.ExpatError as exc:
        message = xml.parsers.expat.ErrorString(exc.code)
        problems.append((exc.lineno, exc.offset + 1, f"file is not well-formed XML: {message}"))
    return problems


def asset_problems(path: Path) -> list[Problem]:
    """Return why the content file at ``path`` could run as a page of the site, or nothing."""
    suffix = path.suffix.lower()
    if suffix == ".svgz":
        return [(1, 1, "compressed SVG (.svgz) cannot be checked for scripts: publish it as .svg")]
    if suffix in _HTML_SUFFIXES:
        return [(1, 1, f"a {suffix} file in content would be a page of the site: pages come from templates")]
    if suffix not in _XML_SUFFIXES:
        return []
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [(1, 1, f"cannot read file: {exc.strerror or exc}")]
    return svg_problems(data)
