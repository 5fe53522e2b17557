"""Readers for TimelineJS (JSON and its Google Sheets CSV) and TimelineSetter CSV.

Each reader turns its rows into event records of docs/format.md; a row that cannot be read is
reported with its line, never guessed. TimelineJS years are astronomical (``-500`` is 501 BCE),
as in ``dates.py``.
"""

from __future__ import annotations

import csv
import html
import html.parser
import io
import json
import re
from typing import Any

from timeline.content.dates import parse_span
from timeline.content.model import check_id, slugify
from timeline.content.reader import check_url
from timeline.errors import Diagnostic, error, warning

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")  # fmt: skip
_APPROXIMATE = re.compile(r"(?i)(\bc\.|\bca\.|\bcirca\b|\babout\b|\baround\b|~)")
Record = dict[str, Any]


class _Markdown(html.parser.HTMLParser):
    """Turn the small HTML of TimelineJS text into Markdown: paragraphs, links, emphasis."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.href: list[str | None] = []
        self.images: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag in ("p", "div", "br", "li", "blockquote"):
            self.out.append("\n\n" if tag != "br" else "\n")
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "a":
            href = (attr.get("href") or "").strip()
            ok = bool(href) and check_url(href) is None and not href.startswith("#")
            self.href.append(href if ok else None)
            self.out.append("[" if ok else "")
        elif tag == "img" and attr.get("src"):
            self.images.append(((attr.get("src") or "").strip(), attr.get("alt") or attr.get("title") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "a" and self.href:
            href = self.href.pop()
            self.out.append(f"](<{href}>)" if href else "")
        elif tag in ("p", "div", "li", "blockquote"):
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.out.append(re.sub(r"([\\`*_\[\]<>])", r"\\\1", re.sub(r"\s+", " ", data)))


def markdown_of(fragment: str) -> tuple[str, list[tuple[str, str]]]:
    """Return HTML as Markdown text, and the images (src, alt) it held.

    >>> markdown_of('<p>Talks <a href="https://x.org/a">begin</a>.</p><p>Next</p>')[0]
    'Talks [begin](<https://x.org/a>).\\n\\nNext'
    """
    parser = _Markdown()
    parser.feed(fragment)
    parser.close()
    paragraphs = re.split(r"\n\s*\n", "".join(parser.out))
    text = "\n\n".join(" ".join(p.split(" ")).strip() for p in paragraphs if p.strip())
    return re.sub(r"[ \t]+", " ", text), parser.images


def plain_text(fragment: str) -> str:
    """Return the text of an HTML fragment on one line."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", fragment)).split())


def _year(value: Any) -> str:
    year = int(str(value).strip())
    if not -9999 <= year <= 9999:
        raise ValueError(f"year {year} is outside -9999..9999")
    return f"{year:04d}" if year >= 0 else f"-{-year:04d}"


def tljs_date(value: Any) -> str | None:
    """Return a TimelineJS date object (``{"year": -500, ...}``) as a date of docs/format.md."""
    if not isinstance(value, dict) or str(value.get("year", "")).strip() == "":
        return None
    text = _year(value["year"])
    parts = [value.get(k) for k in ("month", "day", "hour", "minute", "second")]
    parts = [None if p is None or str(p).strip() == "" else int(str(p).strip()) for p in parts]
    for index, (part, sep) in enumerate(zip(parts[:2], ("-", "-"), strict=True)):
        if part is None:
            break
        text += f"{sep}{part:02d}"
        if index == 1 and parts[2] is not None:
            text += f"T{parts[2]:02d}:{parts[3] or 0:02d}" + (f":{parts[4]:02d}" if parts[4] is not None else "")
    parse_span(text)  # raises ValueError with a readable message
    return text


def _sheet_time(text: str) -> dict[str, int]:
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?\s*", text)
    if not match:
        raise ValueError(f"time '{text}' is not HH:MM, HH:MM:SS or H:MM AM/PM")
    hour = int(match[1]) % 12 + (12 if (match[4] or "").lower() == "pm" else 0) if match[4] else int(match[1])
    found = {"hour": hour, "minute": int(match[2])}
    return found | ({"second": int(match[3])} if match[3] else {})


def _sheet_rows(text: str) -> tuple[list[tuple[int, Record]], list[tuple[int, str]]]:
    """Return the Google Sheets template's rows as TimelineJS slides; errors as (line, message)."""
    rows: list[tuple[int, Record]] = []
    problems: list[tuple[int, str]] = []
    reader = csv.DictReader(io.StringIO(text))
    for row in reader:
        line = reader.line_num
        get = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        try:
            start = {k: get[f"{k}"] for k in ("year", "month", "day") if get.get(k)}
            end = {k: get[f"end {k}"] for k in ("year", "month", "day") if get.get(f"end {k}")}
            if get.get("time"):
                start |= _sheet_time(get["time"])
            if get.get("end time"):
                end |= _sheet_time(get["end time"])
        except ValueError as exc:
            problems.append((line, str(exc)))
            continue
        slide: Record = {
            "start_date": start,
            "text": {"headline": get.get("headline", ""), "text": get.get("text", "")},
            "display_date": get.get("display date", ""),
            "group": get.get("group", ""),
            "type": get.get("type", "").lower(),
        }
        if end:
            slide["end_date"] = end
        if get.get("media"):
            slide["media"] = {"url": get["media"], "credit": get.get("media credit", ""),
                              "caption": get.get("media caption", "")}  # fmt: skip
        rows.append((line, slide))
    return rows, problems


def _unique(base: str, taken: set[str]) -> str:
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    taken.add(ident)
    return ident


def _with_display(summary: str, display: str, date: str) -> tuple[str, str]:
    """Keep a display date as words in the summary; mark the date approximate when they say so."""
    if not display:
        return summary, date
    if _APPROXIMATE.search(display) and date[-1] not in "~?%":
        date += "~"
    note = f"Date given as: {display}."
    return (f"{note}\n\n{summary}" if summary else note), date


def _slide_event(slide: Record, taken: set[str]) -> tuple[str, Record, list[str]]:
    """Return (id, event record, warnings) for one TimelineJS slide; raise ValueError if unreadable."""
    start = tljs_date(slide.get("start_date"))
    if start is None:
        raise ValueError("the slide has no start_date year")
    end = tljs_date(slide.get("end_date"))
    text = slide.get("text") or {}
    title = plain_text(str(text.get("headline", "")))
    summary, images = markdown_of(str(text.get("text", "")))
    if not title:
        title = summary.split(". ")[0][:100] or start
    ident = str(slide.get("unique_id") or "").strip()
    if not ident or check_id(ident):
        ident = slugify(title)
    ident = _unique(ident, taken)
    display = plain_text(str(slide.get("display_date") or (slide.get("start_date") or {}).get("display_date") or ""))
    summary, start = _with_display(summary, display, start)
    notes: list[str] = []
    pictures = []
    media = slide.get("media") or {}
    for src, alt in [(str(media.get("url", "")).strip(), ""), *images]:
        if not src:
            continue
        if not re.match(r"^https?://", src) or check_url(src):
            notes.append(f"media '{src[:60]}' is not an http(s) address; left out")
            continue
        caption = plain_text(str(media.get("caption", ""))) if not alt else ""
        pictures.append({"url": src, "alt": alt or caption or title, "caption": caption,
                         "credit": plain_text(str(media.get("credit", ""))) if not alt else ""})  # fmt: skip
    group = str(slide.get("group") or "").strip()
    record = {"title": title, "date": start, "end": end, "summary": summary + "\n" if summary else "",
              "tags": [group] if group else [], "images": pictures}  # fmt: skip
    return ident, record, notes


def _era(slide: Record) -> Record:
    start = tljs_date(slide.get("start_date"))
    if start is None:
        raise ValueError("the era has no start_date year")
    title = plain_text(str((slide.get("text") or {}).get("headline", ""))) or start
    return {"id": slugify(title), "title": title, "date": start, "end": tljs_date(slide.get("end_date"))}


def read_timelinejs(text: str, path: str) -> tuple[dict[str, Record], list[Record], list[Diagnostic]]:
    """Return events by id, eras and problems from TimelineJS JSON or its Sheets CSV."""
    diags: list[Diagnostic] = []
    slides: list[tuple[int, Record]] = []
    eras: list[tuple[int, Record]] = []
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            return {}, [], [error(path, exc.lineno, exc.colno, f"not JSON: {exc.msg}")]
        slides = [(1, s) for s in data.get("events") or [] if isinstance(s, dict)]
        eras = [(1, s) for s in data.get("eras") or [] if isinstance(s, dict)]
    else:
        rows, problems = _sheet_rows(text)
        diags += [error(path, line, 1, message) for line, message in problems]
        slides = [(n, s) for n, s in rows if s.get("type") not in ("title", "era")]
        eras = [(n, s) for n, s in rows if s.get("type") == "era"]
    events: dict[str, Record] = {}
    taken: set[str] = set()
    for number, (line, slide) in enumerate(slides, start=1):
        try:
            ident, record, notes = _slide_event(slide, taken)
        except (ValueError, TypeError, AttributeError) as exc:
            diags.append(error(path, line, 1, f"event {number}: {exc}"))
            continue
        events[ident] = record
        diags += [warning(path, line, 1, f"event {number}: {note}") for note in notes]
    era_records = []
    for line, slide in eras:
        try:
            era_records.append(_era(slide))
        except (ValueError, TypeError, AttributeError) as exc:
            diags.append(error(path, line, 1, f"era: {exc}"))
    return events, era_records, diags


def _timelinesetter_date(text: str) -> str:
    """Return a TimelineSetter date (ISO, ``M/D/YYYY`` or ``Month D, YYYY``) in our grammar."""
    text = text.strip()
    try:
        parse_span(text)
        return text
    except ValueError:
        pass
    if match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
        return _checked(f"{match[3]}-{int(match[1]):02d}-{int(match[2]):02d}")
    words = re.fullmatch(r"([A-Za-z]+)\.?\s+(?:(\d{1,2}),?\s+)?(\d{4})|(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})", text)
    if words:
        name, day, year = (words[1], words[2], words[3]) if words[1] else (words[5], words[4], words[6])
        month = next((n for n, m in enumerate(_MONTHS, 1) if m.startswith(name.lower()) and len(name) >= 3), None)
        if month is not None:
            return _checked(f"{year}-{month:02d}" + (f"-{int(day):02d}" if day else ""))
    raise ValueError(f"'{text}' is not a date (use 2020-09-27, 9/27/2020 or September 27, 2020)")


def _checked(text: str) -> str:
    parse_span(text)
    return text


def read_timelinesetter(text: str, path: str) -> tuple[dict[str, Record], list[Diagnostic]]:
    """Return events by id from TimelineSetter's CSV (date, display_date, description, link, series, html)."""
    diags: list[Diagnostic] = []
    events: dict[str, Record] = {}
    taken: set[str] = set()
    reader = csv.DictReader(io.StringIO(text))
    header = [(h or "").strip().lower() for h in reader.fieldnames or []]
    if "date" not in header or "description" not in header:
        return {}, [error(path, 1, 1, "a TimelineSetter CSV needs the columns date and description")]
    for row in reader:
        line = reader.line_num
        get = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        try:
            date = _timelinesetter_date(get.get("date", ""))
        except ValueError as exc:
            diags.append(error(path, line, header.index("date") + 1, str(exc)))
            continue
        summary, _ = markdown_of(get.get("description", ""))
        extra, images = markdown_of(get.get("html", ""))
        summary = "\n\n".join(p for p in (summary, extra) if p)
        first = plain_text(get.get("description", "")) or plain_text(get.get("html", "")) or date
        title = re.split(r"(?<=[.!?])\s", first)[0].removesuffix(".")
        title = title if len(title) <= 100 else title[:99].rsplit(" ", 1)[0] + "…"
        summary, date = _with_display(summary, get.get("display_date", ""), date)
        link = get.get("link", "")
        if link and check_url(link):
            diags.append(error(path, line, header.index("link") + 1, f"link: {check_url(link)}"))
            continue
        pictures = [{"url": src, "alt": alt or title} for src, alt in images if re.match(r"^https?://", src)]
        series = get.get("series", "")
        events[_unique(slugify(title), taken)] = {
            "title": title, "date": date, "summary": summary + "\n" if summary else "",
            "tags": [series] if series else [], "sources": [{"url": link}] if link else [], "images": pictures,
        }  # fmt: skip
    return events, diags
