"""Read a saved news report (plain text or HTML) into an article file with front matter."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import tempfile
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import yaml

from timeline.errors import Diagnostic, error, has_errors, warning
from timeline.model import check_id


@dataclasses.dataclass(frozen=True, slots=True)
class DraftImage:
    """An image named by the report: its URL, caption, credit and alt text."""

    url: str
    caption: str | None = None
    credit: str | None = None
    alt: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class ArticleDraft:
    """Everything read from a report; None means it could not be read (a diagnostic says why)."""

    title: str | None = None
    published: str | None = None
    language: str | None = None
    publisher: str | None = None
    via: str | None = None
    author: str | None = None
    url: str | None = None
    images: tuple[DraftImage, ...] = ()
    related: tuple[str, ...] = ()
    body: tuple[str, ...] = ()


_MONTHS = (
    ("januari", 1), ("january", 1), ("jan", 1), ("februari", 2), ("february", 2), ("feb", 2),
    ("maret", 3), ("march", 3), ("mar", 3), ("april", 4), ("apr", 4), ("mei", 5), ("may", 5),
    ("juni", 6), ("june", 6), ("jun", 6), ("juli", 7), ("july", 7), ("jul", 7), ("agustus", 8),
    ("august", 8), ("agu", 8), ("agt", 8), ("aug", 8), ("september", 9), ("sept", 9), ("sep", 9),
    ("oktober", 10), ("october", 10), ("okt", 10), ("oct", 10), ("november", 11), ("nopember", 11),
    ("nov", 11), ("desember", 12), ("december", 12), ("des", 12), ("dec", 12),
)  # fmt: skip
# Weekday numbers as datetime.weekday() gives them, so a stated day name can be checked.
_DAYS = (
    ("senin", 0), ("monday", 0), ("selasa", 1), ("tuesday", 1), ("rabu", 2), ("wednesday", 2),
    ("kamis", 3), ("thursday", 3), ("jumat", 4), ("friday", 4), ("sabtu", 5), ("saturday", 5),
    ("minggu", 6), ("ahad", 6), ("sunday", 6),
)  # fmt: skip
_ZONES = (("wita", "+08:00"), ("wib", "+07:00"), ("wit", "+09:00"))
_ID_WORDS = frozenset((
    "yang", "dan", "di", "dari", "dengan", "untuk", "tidak", "ini", "itu", "dalam", "pada", "akan", "telah",
    "juga", "bahwa", "oleh", "sebagai", "mereka", "kata", "adalah", "tersebut", "ke", "atau", "karena", "sejak",
    "kedua", "pihak", "namun", "baca", "jumat", "oktober", "januari", "februari", "maret", "mei", "juni", "juli",
    "agustus", "desember", "senin", "selasa", "rabu", "kamis", "sabtu", "minggu",
))  # fmt: skip
_EN_WORDS = frozenset((
    "the", "and", "of", "to", "in", "that", "is", "was", "for", "on", "with", "said", "has", "have", "by", "as",
    "from", "it", "will", "not", "are", "were", "been", "their", "which", "also", "read", "friday", "october",
    "january", "february", "march", "june", "july", "august", "december", "monday", "tuesday", "wednesday",
    "thursday", "saturday", "sunday",
))  # fmt: skip
# Hosts whose owner is known for certain; anything else is reported, not guessed.
_PUBLISHER_HOSTS = (("okezone.com", "Okezone"),)
_BOILERPLATE = frozenset((
    "bagikan artikel ini", "cari berita lain di sini", "share this article", "find other news here",
    "follow berita okezone di google news", "baca berita lainnya",
))  # fmt: skip
# Apostrophes, dashes, the minus sign and the full-width colon as news sites type them.
_APOSTROPHES = "'\u2019\u02bc"
_NAME = rf"[^\W\d_]+(?:[{_APOSTROPHES}][^\W\d_]+)?"
_DATE_RE = re.compile(
    rf"(?<!\w)(?:(?P<dayname>{_NAME})\s*,?\s+)?"
    r"(?:(?P<d1>\d{1,2})\s+(?P<m1>[^\W\d_]+)\.?,?\s+(?P<y1>\d{4})"
    r"|(?P<m2>[^\W\d_]+)\.?\s+(?P<d2>\d{1,2}),?\s+(?P<y2>\d{4}))"
    r"(?:\s*(?:,|-|\u2013|\u2014|·|\||at|pukul|jam|pkl\.?)?\s*(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"(?:\s*(?P<ampm>[ap]\.?m\b\.?))?"
    r"(?:\s*(?P<zone>wita|wib|wit|(?:utc|gmt)(?:\s*[+\-\u2212]\s*\d{1,2}(?::?\d{2})?)?|z|[+\-\u2212]\d{2}:?\d{2})\b)?)?",
    re.IGNORECASE,
)
_IMAGE_RE = re.compile(
    r"^(?P<scheme>https?):/{0,2}\s*(?P<path>\S+?(?:\s+\S+?)*?\.(?:jpe?g|png|gif|webp))(?=\s|$)(?P<rest>.*)$",
    re.IGNORECASE,
)
_CREDIT_RE = re.compile(
    r"\(\s*(?:foto|photo|image|gambar|sumber|source)\s*[:/]\s*(?P<credit>[^()]*?)\s*\)\s*$", re.IGNORECASE
)
_RELATED_RE = re.compile(
    r"^(?:baca juga|read also|also read|read more|lihat juga|see also)\s*[:\uff1a]\s*(?P<title>.*)$", re.IGNORECASE
)
_INITIALS_RE = re.compile(r"^\(\s*(?P<who>[a-z]{2,6}(?:\s*/\s*[a-z]{2,6})*)\s*\)$", re.IGNORECASE)


def _name_lookup(table: tuple[tuple[str, int], ...], word: str | None) -> int | None:
    """Return the number a month or day name stands for, or None."""
    if word is None:
        return None
    key = re.sub(f"[{_APOSTROPHES}]", "", word).casefold()
    return next((n for name, n in table if name == key), None)


def _offset(zone: str) -> str | None:
    """Return ``+HH:MM`` (or ``Z``) for a zone written as WIB, UTC+7, GMT+07:00, +0700; None if invalid."""
    z = zone.casefold().replace("\u2212", "-").replace(" ", "")
    named = next((off for name, off in _ZONES if name == z), None)
    if named is not None:
        return named
    z = z.removeprefix("utc").removeprefix("gmt")
    if z in ("", "z"):
        return "Z"
    m = re.fullmatch(r"([+-])(\d{1,2}):?(\d{2})?", z)
    if not m or int(m[2]) > 14 or int(m[3] or 0) > 59:
        return None
    return f"{m[1]}{int(m[2]):02d}:{m[3] or '00'}"


def _written_date(text: str, path: str, line: int, col: int, diags: list[Diagnostic]) -> tuple[str | None, int] | None:
    """Find a written date in ``text``; return (ISO form or None, match start), or None if there is none."""
    for m in _DATE_RE.finditer(text):
        month = _name_lookup(_MONTHS, m["m1"] or m["m2"])
        if month is None:
            continue
        start = (
            m.start("dayname") if _name_lookup(_DAYS, m["dayname"]) is not None else m.start("d1" if m["d1"] else "m2")
        )
        at = col + start
        try:
            day = dt.date(int(m["y1"] or m["y2"]), month, int(m["d1"] or m["d2"]))
        except ValueError:
            diags.append(warning(path, line, at, f"not a valid date: {m[0].strip()!r}"))
            return None, start
        weekday = _name_lookup(_DAYS, m["dayname"])
        if weekday is not None and weekday != day.weekday():
            diags.append(warning(path, line, at, f"{m['dayname']!r} does not match {day.isoformat()}"))
        if m["h"] is None:
            return day.isoformat(), start
        hour, minute = int(m["h"]), int(m["mi"])
        if m["ampm"]:
            hour = hour % 12 + (12 if m["ampm"].casefold().startswith("p") else 0)
        if hour > 23 or minute > 59 or int(m["s"] or 0) > 59:
            diags.append(warning(path, line, col + m.start("h"), "not a valid time; only the date is kept"))
            return day.isoformat(), start
        offset = _offset(m["zone"]) if m["zone"] else None
        if offset is None:
            what = f"unknown time zone {m['zone']!r}" if m["zone"] else "the time has no zone"
            diags.append(warning(path, line, col + m.start("h"), f"{what}; only the date is kept"))
            return day.isoformat(), start
        seconds = f":{m['s']}" if m["s"] and m["s"] != "00" else ""
        return f"{day.isoformat()}T{hour:02d}:{minute:02d}{seconds}{offset}", start
    return None


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


def detect_language(texts: list[str]) -> str | None:
    """Return "id" or "en" when the words clearly say so, else None."""
    words = re.findall(r"[^\W\d_]+", " ".join(texts).casefold())
    ind = sum(w in _ID_WORDS for w in words)
    eng = sum(w in _EN_WORDS for w in words)
    if max(ind, eng) < 3 or max(ind, eng) < 2 * min(ind, eng):
        return None
    return "id" if ind > eng else "en"


def _publisher_for_url(url: str) -> str | None:
    """Return the publisher known to own ``url``'s host, or None."""
    m = re.match(r"https?://([^/:?#]+)", url, re.IGNORECASE)
    host = m[1].casefold() if m else ""
    return next((name for suffix, name in _PUBLISHER_HOSTS if host == suffix or host.endswith("." + suffix)), None)


def _image(line: str) -> DraftImage | None:
    """Read an image line (its URL possibly mangled into spaces) with caption and credit."""
    m = _IMAGE_RE.match(line)
    if not m:
        return None
    parts = m["path"].split()
    url = f"{m['scheme'].lower()}://" + "/".join(p.strip("/") for p in parts)
    if not re.fullmatch(r"https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?/[^\s\"<>\\^`{|}]*", url):
        return None
    rest = m["rest"].strip()
    credit_m = _CREDIT_RE.search(rest)
    credit = credit_m["credit"] or None if credit_m else None
    caption = (rest[: credit_m.start()] if credit_m else rest).strip() or None
    return DraftImage(url=url, caption=caption, credit=credit, alt=caption)


def _is_boilerplate(line: str) -> bool:
    """Return True for share buttons and similar page furniture saved with the text."""
    return re.sub(r"[^\w\s]", "", line).strip().casefold() in _BOILERPLATE


def _split_body(
    lines: list[tuple[int, str]], path: str, diags: list[Diagnostic]
) -> tuple[tuple[str, ...], tuple[str, ...], str | None, list[DraftImage]]:
    """Split numbered body lines into paragraphs, related titles, author initials and images."""
    kept = [(n, s) for n, s in lines if not _is_boilerplate(s)]
    while kept and not kept[-1][1]:
        kept.pop()
    author = None
    if kept and (m := _INITIALS_RE.match(kept[-1][1])):
        author = re.sub(r"\s+", "", m["who"])
        kept.pop()
    paragraphs: list[str] = []
    related: list[str] = []
    images: list[DraftImage] = []
    current: list[str] = []
    for n, s in [*kept, (0, "")]:
        rel = _RELATED_RE.match(s)
        img = _image(s) if not rel else None
        if (not s or rel or img) and current:
            paragraphs.append(" ".join(current))
            current = []
        if rel:
            title = rel["title"].strip()
            if title:
                related.append(title)
            else:
                diags.append(warning(path, n, 1, "related report without a title"))
        elif img:
            images.append(img)
        elif s:
            current.append(s)
    return tuple(paragraphs), tuple(related), author, images


def read_text(text: str, path: str, diags: list[Diagnostic]) -> ArticleDraft:
    """Read a plain-text report laid out as title, outlet and date, image, body."""
    raw = text.split("\n")
    numbered = [(i, s.strip()) for i, s in enumerate(raw, start=1)]
    content = [(i, s) for i, s in numbered if s and not _is_boilerplate(s)]
    if not content:
        diags.append(error(path, 1, 1, "the report is empty"))
        return ArticleDraft()
    title_line, title = content[0]
    header_end = title_line
    published = via = byline = outlet = None
    outlet_at = (title_line, 1)
    for n, s in content[1:4]:
        col = len(raw[n - 1]) - len(raw[n - 1].lstrip()) + 1
        found = _written_date(s, path, n, col, diags)
        if found is None:
            continue
        published, start = found
        header_end, outlet_at = n, (n, col)
        outlet = s[:start].strip(" \t,·|-\u2013\u2014") or None
        break
    else:
        line = min(title_line + 1, len(numbered))
        diags.append(
            warning(
                path,
                line,
                1,
                "no publication date found after the title "
                "(expected a line like 'Okezone · Jum'at 23 Oktober 2020 18:01 WIB')",
            )
        )
    if outlet and (m := re.match(r"(?:agregasi|aggregated from|via)\s+(?P<via>.+)$", outlet, re.IGNORECASE)):
        via = m["via"].strip(" ,") or None
    elif outlet and (
        m := re.match(r"(?P<who>.+?),\s*(?:jurnalis|journalist|reporter|wartawan)$", outlet, re.IGNORECASE)
    ):
        byline = m["who"].strip()
    # A headline may name a date; a line that starts with one, or has the outlet separator, is the byline.
    in_title = _written_date(title, path, title_line, 1, [])
    if _image(title) or (in_title is not None and (in_title[1] == 0 or "\u00b7" in title)):
        diags.append(error(path, title_line, 1, "the first line is not a title"))
        title = ""
    body, related, initials, images = _split_body([(n, s) for n, s in numbered if n > header_end], path, diags)
    publisher = "Okezone" if via and outlet and outlet.casefold().startswith("agregasi") else None
    publisher = publisher or next((p for im in images if (p := _publisher_for_url(im.url))), None)
    named = next((name for _, name in _PUBLISHER_HOSTS if outlet and outlet.casefold() == name.casefold()), None)
    publisher = publisher or named
    if publisher is None:
        what = f"from {outlet!r}" if outlet and not byline else "from the report"
        diags.append(warning(path, *outlet_at, f"cannot tell the publisher {what}; add 'publisher:' by hand"))
    language = detect_language([title, *([outlet] if outlet else []), *related, *body])
    if language is None:
        diags.append(warning(path, title_line, 1, "cannot tell the language; add 'language:' by hand"))
    return ArticleDraft(
        title=title or None,
        published=published,
        language=language,
        publisher=publisher,
        via=via,
        author=byline or initials,
        images=tuple(images),
        related=related,
        body=body,
    )


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
    body, related, initials, more_images = _split_body(lines, path, diags)
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


def read_report(data: bytes, path: str) -> tuple[ArticleDraft, list[Diagnostic]]:
    """Read a saved report (plain text or HTML, sniffed) into a draft and diagnostics."""
    diags: list[Diagnostic] = []
    raw = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
        col = len(before) - max(before.rfind(b"\n"), before.rfind(b"\r"))
        diags.append(error(path, line, col, "not UTF-8 text; save the report as UTF-8"))
        text = raw.decode("utf-8", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        diags.append(error(path, 1, 1, "binary data, not a saved report"))
        return ArticleDraft(), diags
    if re.match(r"\s*<(?:!doctype\s+html|html|head|meta|!--)", text, re.IGNORECASE):
        draft = read_html(text, path, diags)
    else:
        draft = read_text(text, path, diags)
    if draft.title is None and not has_errors(diags):
        diags.append(error(path, 1, 1, "no title found"))
    return draft, diags


def _yaml_str(value: str) -> str:
    """Return ``value`` as one double-quoted YAML scalar, so it always loads as a string."""
    return yaml.safe_dump(value, default_style='"', allow_unicode=True, width=2**31 - 1).rstrip("\n")


def _markdown_text(paragraph: str) -> str:
    """Escape Markdown syntax so the saved text shows as written and makes no links or HTML."""
    text = re.sub(r"([\\`*_\[\]<>&|~])", r"\\\1", paragraph)
    return re.sub(r"^(\d*)([#+=\-.)])", r"\1\\\2", text)


def format_article(draft: ArticleDraft, *, article_id: str) -> str:
    """Return the article file text: YAML front matter, then the saved text as a quote."""
    out = ["---", f"id: {_yaml_str(article_id)}"]
    for key in ("title", "published", "language", "publisher", "via", "author", "url"):
        if value := getattr(draft, key):
            out.append(f"{key}: {_yaml_str(value)}")
    out += ["# summary: write a summary in your own words", "events: []"]
    if draft.images:
        out.append("images:")
        for im in draft.images:
            out.append(f"  - url: {_yaml_str(im.url)}")
            for key, value in (("alt", im.alt or im.caption), ("caption", im.caption), ("credit", im.credit)):
                if value:
                    out.append(f"    {key}: {_yaml_str(value)}")
    if draft.related:
        out.append("related:")
        out += [f"  - title: {_yaml_str(title)}" for title in draft.related]
    out.append("---")
    if draft.body:
        out += ["", "## Original text (excerpt for reference)", ""]
        out.append("\n>\n".join(f"> {_markdown_text(p)}" for p in draft.body))
    return "\n".join(out) + "\n"


def _slug(text: str) -> str:
    """Return ``text`` as lowercase ASCII kebab-case."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def article_id_for(draft: ArticleDraft, fallback: str) -> str:
    """Return a default id: publisher, date and the first title words, at most 60 characters."""
    words = [w for w in map(_slug, (draft.title or "").split()) if w][:5]
    slug = "-".join(p for p in (_slug(draft.publisher or ""), (draft.published or "")[:10], *words) if p)
    slug = slug or _slug(fallback) or "article"
    while len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0] if "-" in slug[:60] else slug[:60]
    return slug.strip("-") or "article"


def _write_atomic(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` through a temporary file, so readers never see half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def import_article(
    source: Path, content_dir: Path, *, article_id: str | None = None, force: bool = False
) -> tuple[Path | None, list[Diagnostic]]:
    """Write ``content_dir/articles/<id>.md`` from a saved report; return its path (None if refused)."""
    if article_id is not None and (why := check_id(article_id)):
        return None, [error("--id", 1, 1, why)]
    try:
        data = source.read_bytes()
    except OSError as exc:
        return None, [error(str(source), 1, 1, f"cannot read the report: {exc.strerror or exc}")]
    draft, diags = read_report(data, str(source))
    if has_errors(diags):
        return None, diags
    target = content_dir / "articles" / f"{article_id or article_id_for(draft, source.stem)}.md"
    if target.exists() and not force:
        return None, [*diags, error(str(target), 1, 1, "the article already exists; use --force to replace it")]
    try:
        _write_atomic(target, format_article(draft, article_id=target.stem))
    except OSError as exc:
        return None, [*diags, error(str(target), 1, 1, f"cannot write the article: {exc.strerror or exc}")]
    return target, diags
