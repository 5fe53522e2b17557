"""A draft article read from a saved report, and the body reading that text and HTML reports share."""

from __future__ import annotations

import dataclasses
import re

from timeline.errors import Diagnostic, warning


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
_BOILERPLATE = frozenset((
    "bagikan artikel ini", "cari berita lain di sini", "share this article", "find other news here",
    "follow berita okezone di google news", "baca berita lainnya",
))  # fmt: skip
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


def detect_language(texts: list[str]) -> str | None:
    """Return "id" or "en" when the words clearly say so, else None."""
    words = re.findall(r"[^\W\d_]+", " ".join(texts).casefold())
    ind = sum(w in _ID_WORDS for w in words)
    eng = sum(w in _EN_WORDS for w in words)
    if max(ind, eng) < 3 or max(ind, eng) < 2 * min(ind, eng):
        return None
    return "id" if ind > eng else "en"


def image_line(line: str) -> DraftImage | None:
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


def is_boilerplate(line: str) -> bool:
    """Return True for share buttons and similar page furniture saved with the text."""
    return re.sub(r"[^\w\s]", "", line).strip().casefold() in _BOILERPLATE


def split_body(
    lines: list[tuple[int, str]], path: str, diags: list[Diagnostic]
) -> tuple[tuple[str, ...], tuple[str, ...], str | None, list[DraftImage]]:
    """Split numbered body lines into paragraphs, related titles, author initials and images."""
    kept = [(n, s) for n, s in lines if not is_boilerplate(s)]
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
        img = image_line(s) if not rel else None
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
