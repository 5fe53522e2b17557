"""Read a saved HTML news page from its og: meta tags, JSON-LD NewsArticle and paragraphs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

from timeline.errors import Diagnostic, warning
from timeline.importers.draft import ArticleDraft, DraftImage, detect_language, split_body

_SKIP_TAGS = frozenset(
    ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template", "svg", "button")
)
_BREAK_TAGS = frozenset((
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "article",
    "figure", "figcaption", "table", "tr", "td", "main",
))  # fmt: skip
_ARTICLE_TYPES = frozenset((
    "NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BackgroundNewsArticle",
    "OpinionNewsArticle", "ReviewNewsArticle", "BlogPosting",
))  # fmt: skip


class _PageParser(HTMLParser):
    """Collect a page's language, meta tags, JSON-LD blocks, title and paragraphs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: tuple[str, int, int] | None = None
        self.meta: list[tuple[str, str, int, int]] = []
        self.jsonld: list[tuple[str, int, int]] = []
        self.titles: dict[str, str] = {}
        self.paragraphs: list[tuple[bool, int, str]] = []
        self._skip: list[str] = []
        self._article = 0
        self._capture: str | None = None
        self._buf: list[str] = []
        self._at = (1, 0)

    def _flush(self) -> None:
        text = " ".join("".join(self._buf).split())
        if text and self._capture == "p":
            self.paragraphs.append((self._article > 0, self._at[0], text))
        elif text and self._capture == "ld":
            self.jsonld.append(("".join(self._buf), *self._at))
        elif text and self._capture in ("title", "h1"):
            self.titles.setdefault(self._capture, text)
        self._capture, self._buf = None, []

    def close(self) -> None:
        """Finish parsing and keep the text of an element left open at the end."""
        super().close()
        self._flush()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note where captured text starts and read attributes of html and meta."""
        a = {k.casefold(): v or "" for k, v in attrs}
        line, offset = self.getpos()
        if tag == "html" and self.lang is None and a.get("lang"):
            self.lang = (a["lang"], line, offset + 1)
        elif tag == "meta" and (key := a.get("property") or a.get("name") or a.get("itemprop")):
            self.meta.append((key.casefold(), " ".join(a.get("content", "").split()), line, offset + 1))
        elif tag == "link" and "canonical" in a.get("rel", "").casefold().split():
            self.meta.append(("canonical", a.get("href", "").strip(), line, offset + 1))
        if tag == "script" and a.get("type", "").strip().casefold() == "application/ld+json":
            self._flush()
            self._capture, self._at = "ld", (line, offset + 1)
        elif tag in _SKIP_TAGS:
            self._skip.append(tag)
        elif tag == "br":
            self._buf.append(" ")
        elif tag in _BREAK_TAGS or tag == "title":
            self._flush()
            self._article += tag == "article"
            if tag in ("p", "title", "h1"):
                self._capture, self._at = tag, (line, offset + 1)

    def handle_endtag(self, tag: str) -> None:
        """Close captured text at the end of its element."""
        if self._skip and tag == self._skip[-1]:
            self._skip.pop()
        elif (tag == "script" and self._capture == "ld") or tag in _BREAK_TAGS or tag == "title":
            self._flush()
            if tag == "article":
                self._article = max(self._article - 1, 0)

    def handle_data(self, data: str) -> None:
        """Keep text of the element being captured, outside skipped elements."""
        if self._capture is None or (self._skip and self._capture != "ld"):
            return
        if self._capture == "ld" and not self._buf:
            line, offset = self.getpos()
            self._at = (line, offset + 1)
        self._buf.append(data)


def _name(value: Any) -> str | None:
    """Return the name(s) in a JSON-LD value: a string, a Thing with a name, or a list of them."""
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if isinstance(value, dict):
        return _name(value.get("name") or value.get("alternateName") or value.get("@value"))
    if isinstance(value, list):
        names = [n for n in map(_name, value) if n]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def _find_article(block: Any) -> dict[str, Any] | None:
    """Return the first NewsArticle-like object in a JSON-LD value."""
    if isinstance(block, list):
        return next((a for a in map(_find_article, block) if a is not None), None)
    if not isinstance(block, dict):
        return None
    kinds = block.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if any(isinstance(k, str) and k.split("/")[-1] in _ARTICLE_TYPES for k in kinds):
        return block
    return _find_article(block.get("@graph"))


def _read_jsonld(
    blocks: list[tuple[str, int, int]], path: str, diags: list[Diagnostic]
) -> tuple[dict[str, Any], int, int]:
    """Parse the JSON-LD blocks and return the article object and where its block starts."""
    parsed = 0
    for text, line, col in blocks:
        try:
            found = _find_article(json.loads(text))
        except json.JSONDecodeError as exc:
            at_line = line + exc.lineno - 1
            at_col = col + exc.colno - 1 if exc.lineno == 1 else exc.colno
            diags.append(warning(path, at_line, at_col, f"invalid JSON-LD: {exc.msg}"))
            continue
        except RecursionError:
            diags.append(warning(path, line, col, "JSON-LD nested too deeply"))
            continue
        parsed += 1
        if found is not None:
            return found, line, col
    if parsed:
        diags.append(warning(path, blocks[0][1], blocks[0][2], "no NewsArticle in the JSON-LD"))
    return {}, 1, 1


def _language_code(value: str | None) -> str | None:
    """Return the primary BCP 47 subtag of ``en_US``, ``id-ID``, ``en``; None if it is not one."""
    m = re.fullmatch(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*", (value or "").strip())
    return m[1].lower() if m else None


def _http_url(value: Any, base: str | None) -> str | None:
    """Return ``value`` as an absolute http(s) URL, resolved against ``base``, or None."""
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl") or value.get("@id")
    if not isinstance(value, str) or not value.strip():
        return None
    url = urljoin(base, value.strip()) if base else value.strip()
    return url if re.match(r"https?://[^\s/]+", url, re.IGNORECASE) and not re.search(r"\s", url) else None


def _iso_datetime(value: str, path: str, line: int, col: int, diags: list[Diagnostic]) -> str | None:
    """Normalise an ISO 8601 date-time from HTML metadata; keep only the date when it has no offset."""
    try:
        stamp = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        diags.append(warning(path, line, col, f"not an ISO 8601 date: {value!r}"))
        return None
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        if "T" in value or " " in value.strip():
            diags.append(warning(path, line, col, f"{value!r} has no UTC offset; only the date is kept"))
        return stamp.date().isoformat()
    off = stamp.utcoffset() or dt.timedelta()
    minutes = int(off.total_seconds()) // 60
    zone = "Z" if minutes == 0 else f"{'+' if minutes > 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    seconds = f":{stamp.second:02d}" if stamp.second else ""
    return f"{stamp.date().isoformat()}T{stamp.hour:02d}:{stamp.minute:02d}{seconds}{zone}"


def read_html(text: str, path: str, diags: list[Diagnostic]) -> ArticleDraft:
    """Read a saved HTML page from its og: meta tags, JSON-LD NewsArticle and paragraphs."""
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    meta: dict[str, tuple[str, int, int]] = {}
    for key, value, line, col in parser.meta:
        if value:
            meta.setdefault(key, (value, line, col))
    ld, ld_line, ld_col = _read_jsonld(parser.jsonld, path, diags)

    def pick(ld_key: str, *meta_keys: str) -> tuple[str | None, int, int]:
        if (value := _name(ld.get(ld_key))) is not None:
            return value, ld_line, ld_col
        return next((meta[k] for k in meta_keys if k in meta), (None, 1, 1))

    title = pick("headline", "og:title", "twitter:title")[0] or parser.titles.get("title") or parser.titles.get("h1")
    url = _http_url(ld.get("url") or ld.get("mainEntityOfPage"), None)
    url = url or _http_url(meta.get("og:url", meta.get("canonical", ("",)))[0], None)
    published = None
    raw_date, line, col = pick("datePublished", "article:published_time", "og:article:published_time")
    if raw_date is not None:
        published = _iso_datetime(raw_date, path, line, col, diags)
    else:
        diags.append(warning(path, 1, 1, "no publication date (JSON-LD datePublished or article:published_time)"))
    publisher, line, col = pick("publisher", "og:site_name")
    if publisher is None:
        diags.append(warning(path, 1, 1, "no publisher (JSON-LD publisher or og:site_name); add it by hand"))
    based_on = ld.get("isBasedOn")
    via = _name(based_on.get("publisher") or based_on.get("sourceOrganization")) if isinstance(based_on, dict) else None
    via = via or _name(ld.get("sourceOrganization"))
    via = None if via == publisher else via
    author = _name(ld.get("author")) or _name(meta.get("author", ("",))[0])
    lang_raw, line, col = pick("inLanguage", "og:locale")
    if lang_raw is None and parser.lang is not None:
        lang_raw, line, col = parser.lang
    language = _language_code(lang_raw)
    if lang_raw is not None and language is None:
        diags.append(warning(path, line, col, f"not a language code: {lang_raw!r}"))
    images: dict[str, DraftImage] = {}
    ld_images = ld.get("image")
    for item in ld_images if isinstance(ld_images, list) else [ld_images]:
        if img_url := _http_url(item, url):
            caption = _name(item.get("caption")) if isinstance(item, dict) else None
            credit = _name(item.get("creditText") or item.get("copyrightHolder")) if isinstance(item, dict) else None
            images.setdefault(img_url, DraftImage(img_url, caption, credit, caption))
    og_images = [(v, k) for k, v, _, _ in parser.meta if k in ("og:image", "og:image:url", "og:image:alt")]
    for i, (value, key) in enumerate(og_images):
        if key != "og:image:alt" and (img_url := _http_url(value, url)):
            alt = og_images[i + 1][0] if i + 1 < len(og_images) and og_images[i + 1][1] == "og:image:alt" else None
            old = images.get(img_url, DraftImage(img_url))
            images[img_url] = dataclasses.replace(old, alt=alt or old.alt)
    in_article = [p for p in parser.paragraphs if p[0]]
    lines = [pair for _, n, s in in_article or parser.paragraphs for pair in ((n, s), (n, ""))]
    if not lines and "description" in meta:
        lines = [(meta["description"][1], meta["description"][0])]
    body, related, initials, more_images = split_body(lines, path, diags)
    for im in more_images:
        images.setdefault(im.url, im)
    if language is None:
        language = detect_language([title or "", *body])
        if language is None:
            diags.append(warning(path, 1, 1, "cannot tell the language; add 'language:' by hand"))
    return ArticleDraft(
        title=title,
        published=published,
        language=language,
        publisher=publisher,
        via=via,
        author=author or initials,
        url=url,
        images=tuple(images.values()),
        related=related,
        body=body,
    )
