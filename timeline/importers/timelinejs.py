"""Readers for TimelineJS (JSON and its Google Sheets CSV) and TimelineSetter CSV.

Each reader turns its rows into event records of docs/format.md; a row that cannot be read is
reported with its line, never guessed. TimelineJS years are astronomical (``-500`` is 501 BCE),
as in ``dates.py``.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import html.parser
import io
import re
from collections.abc import Callable
from typing import Any

from timeline.content.dates import format_span, parse_span, zone_names
from timeline.content.model import check_id, slugify
from timeline.content.reader import check_url
from timeline.errors import Diagnostic, error, warning
from timeline.importers.located import Cell, JSONProblem, Located, load_json, read_csv

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")  # fmt: skip
_APPROXIMATE = re.compile(r"(?i)(\bc\.|\bca\.|\bcirca\b|\babout\b|\baround\b|~)")
Record = dict[str, Any]
Key = tuple[str | int, ...]
_HIDDEN = ("script", "style", "template", "noscript", "iframe", "object")
_BARE_URL = re.compile(r"(?i)\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")


class _Markdown(html.parser.HTMLParser):
    """Turn the small HTML of TimelineJS text into Markdown: paragraphs, links, emphasis."""

    def __init__(self, *, autolink: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.autolink = autolink
        self.hidden = 0
        self.out: list[str] = []
        self.href: list[str | None] = []
        self.images: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in ("p", "div", "br", "li", "blockquote"):
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
        if tag in _HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "a" and self.href:
            href = self.href.pop()
            self.out.append(f"](<{href}>)" if href else "")
        elif tag in ("p", "div", "li", "blockquote"):
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return  # the text of a script or style is code, not words
        data = re.sub(r"\s+", " ", data)
        # TimelineJS makes bare addresses links ("autolink"); Markdown does so for <https://...>.
        links = [m for m in _BARE_URL.finditer(data) if self.autolink and not self.href and not check_url(m.group())]
        at = 0
        for match in links:
            self.out.append(_escape(data[at : match.start()]) + f"<{match.group()}>")
            at = match.end()
        self.out.append(_escape(data[at:]))


def _escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


def markdown_of(fragment: str, *, autolink: bool = False) -> tuple[str, list[tuple[str, str]]]:
    """Return HTML as Markdown text, and the images (src, alt) it held; ``autolink`` links bare URLs.

    >>> markdown_of('<p>Talks <a href="https://x.org/a">begin</a>.</p><p>Next</p>')[0]
    'Talks [begin](<https://x.org/a>).\\n\\nNext'
    """
    parser = _Markdown(autolink=autolink)
    parser.feed(fragment)
    parser.close()
    paragraphs = re.split(r"\n\s*\n", "".join(parser.out))
    text = "\n\n".join(" ".join(p.split(" ")).strip() for p in paragraphs if p.strip())
    return re.sub(r"[ \t]+", " ", text), parser.images


_INLINE_TAG = re.compile(
    r"(?i)</?(?:a|abbr|b|bdi|bdo|cite|code|em|font|i|mark|q|s|small|span|strong|sub|sup|u)\b[^>]*>"
)


def plain_text(fragment: str) -> str:
    """Return the text of an HTML fragment on one line; block tags separate words, inline tags do not.

    >>> plain_text("<p>Under <i>timeline</i>.</p><p>Next</p>")
    'Under timeline. Next'
    """
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", _INLINE_TAG.sub("", fragment))).split())


class _Problem(ValueError):
    """A field that cannot be read; ``key`` is where it is in the slide (``("start_date", "month")``)."""

    def __init__(self, message: str, key: Key = ()) -> None:
        super().__init__(message)
        self.key = key


_PARTS = ("month", "day", "hour", "minute", "second")
_LIMITS = {"month": (1, 12), "hour": (0, 23), "minute": (0, 59), "second": (0, 59)}
_LARGEST_YEAR = 10**15  # far beyond the age of the universe; keeps a hostile number of digits out
_IMAGE = re.compile(r"(?i)\.(jpe?g|png|gif|webp|avif|svg|bmp|tiff?)(\?[^#]*)?(#.*)?$|^https?://upload\.wikimedia\.org/")


def _integer(value: Any, key: Key) -> int | None:
    """Return a date part as a whole number; commas and spaces are dropped, as TimelineJS does."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _Problem(f"{key[-1]} {value!r} is not a whole number", key)
    if isinstance(value, float):
        if not value.is_integer():
            raise _Problem(f"{key[-1]} {value!r} is not a whole number", key)
        return int(value)
    if isinstance(value, int):
        return value
    text = re.sub(r"[\s,]+", "", str(value))
    if text == "":
        return None
    if not re.fullmatch(r"[+-]?\d{1,20}", text):
        raise _Problem(f"{key[-1]} '{str(value)[:40]}' is not a whole number", key)
    return int(text)


def _sheet_time(text: str, key: Key) -> dict[str, int]:
    """Return the parts of a sheet's Time cell (``7:15 AM``, ``19:15:30``, ``1915``, ``7.15 pm``)."""
    match = re.fullmatch(r"\s*(\d{1,2})(?:(?::|\.)?(\d{2})(?:[:.](\d{2})(?:[.,]\d+)?)?)?\s*(?:([AaPp])\.?[Mm]\.?)?\s*",
                         text)  # fmt: skip
    if not match:
        raise _Problem(f"time '{text[:40]}' is not HH:MM, HH:MM:SS or H:MM AM/PM", key)
    hour, period = int(match[1]), (match[4] or "").lower()
    if period and not 1 <= hour <= 12:
        raise _Problem(f"time '{text}' has no hour {hour} on a 12-hour clock", key)
    hour = hour % 12 + (12 if period == "p" else 0) if period else hour
    found = {"hour": hour, "minute": int(match[2] or 0)}
    return found | ({"second": int(match[3])} if match[3] else {})


def _v1_date(text: str, key: Key) -> dict[str, Any]:
    """Return the parts of a first-version sheet's Start Date cell (``2020-10-23``, ``10/23/2020 14:30``)."""
    text = text.strip()
    if match := re.fullmatch(r"([+-]?\d+)(?:-(\d{2}))?(?:-(\d{2}))?", text):
        return {"year": match[1], "month": match[2], "day": match[3]}
    if match := re.fullmatch(r"([+-]?\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}:\d{2}(?::\d{2})?)", text):
        return {"year": match[1], "month": match[2], "day": match[3], "time": match[4]}
    if match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(-?\d+)(?:\s+(.+))?", text):
        return {"year": match[3], "month": match[1], "day": match[2], "time": match[4]}
    if match := re.fullmatch(r"(\d{1,2})/(-?\d+)", text):
        return {"year": match[2], "month": match[1]}
    raise _Problem(f"'{text[:40]}' is not a date (use 2020-10-23, 10/23/2020, 10/2020 or -500)", key)


def tljs_date(value: Any, key: Key = ("start_date",), notes: list[tuple[str, Key]] | None = None) -> str | None:
    """Return a TimelineJS date object as a date of docs/format.md, or None when it has no year.

    TimelineJS shows year ``-500`` as "500 BCE", so a negative year is one more in the
    astronomical numbering of docs/format.md (``-0499``). Years beyond ±9999 become EDTF extended
    years (``Y-13800000000``) at year precision, as on TimelineJS's cosmological scale, where a
    year's difference is below what the scale can show. Raise _Problem at the part that is wrong.

    >>> tljs_date({"year": -500}), tljs_date({"year": "2020", "month": 9, "day": "27", "hour": 7})
    ('-0499', '2020-09-27T07:00')
    >>> tljs_date({"year": "-13,800,000,000"})
    'Y-13800000000'
    """
    notes = [] if notes is None else notes
    if value is None or value == "" or value == {}:
        return None
    if not isinstance(value, dict):
        raise _Problem("a date is an object such as {\"year\": 1994, \"month\": 3}", key)
    if value.get("text"):
        value = _v1_date(str(value["text"]), (*key, "text"))
    year = _integer(value.get("year"), (*key, "year"))
    if year is None:
        return None
    parts = {name: _integer(value.get(name), (*key, name)) for name in _PARTS}
    if value.get("time"):
        parts |= _sheet_time(str(value["time"]), (*key, "time"))
    if abs(year) > _LARGEST_YEAR:
        raise _Problem(f"year {year} is beyond ±{_LARGEST_YEAR:,}", (*key, "year"))
    if abs(year) > 9999:
        if any(v is not None for v in parts.values()):
            notes.append((f"only the year of {year} is kept, as on TimelineJS's cosmological scale", key))
        return f"Y{year}"
    if year == 0:
        notes.append(("TimelineJS has no year 0; it is read as 1 BCE", (*key, "year")))
    astronomical = year + 1 if year < 0 else year
    text = f"{astronomical:04d}" if astronomical >= 0 else f"-{-astronomical:04d}"
    for name, (low, high) in _LIMITS.items():
        number = parts[name]
        if number is not None and not low <= number <= high:
            raise _Problem(f"{name} {number} is not {low} to {high}", (*key, "time" if "time" in value else name))
    month, day, hour = parts["month"], parts["day"], parts["hour"]
    if day is not None and month is None:
        raise _Problem(f"day {day} has no month", (*key, "day"))
    if month is not None:
        text += f"-{month:02d}"
    if day is not None:
        text += f"-{day:02d}"
    if hour is not None and day is None:
        notes.append(("a time of day without a day is left out", key))
    elif hour is not None:
        text += f"T{hour:02d}:{parts['minute'] or 0:02d}" + (f":{parts['second']:02d}" if parts["second"] else "")
    try:
        parse_span(text)
    except ValueError as exc:
        raise _Problem(str(exc), (*key, "day" if day is not None else "year")) from None
    return text


def _check_order(start: str, end: str | None) -> None:
    """Raise ValueError if ``end`` is before ``start``; extended years (``Y-...``) are compared by year."""
    if end is None:
        return
    if start.startswith("Y") or end.startswith("Y"):
        years = [int(m[1]) if (m := re.match(r"Y?(-?\d+)", d)) else 0 for d in (start, end)]
        if years[1] < years[0]:
            raise ValueError(f"'{start}/{end}' ends before it starts")
        return
    parse_span(f"{start}/{end}")


def _with_zone(date: str | None, display: str) -> str | None:
    """Return a date-time with the zone its display words end with (``..., 17:17 UTC+07:00``).

    TimelineJS has no zones, so timeline's own export (and careful authors) name the zone in
    ``display_date``; reading it back keeps the instant instead of a floating wall-clock time.
    """
    if date is None or "T" not in date or not display:
        return date
    if match := re.search(r"\b(?:UTC|GMT)(?:([+-]\d{2}:\d{2}))?\s*$", display):
        return date + (match[1] or "Z")
    match = re.search(r"(?<![\w/])([A-Za-z_]+(?:/[A-Za-z0-9_+-]+)+)\s*$", display)
    if match and match[1] in zone_names():
        return f"{date} {match[1]}"
    return date


def _qualified(date: str, display: str) -> str:
    """Return ``date`` with the qualifier its display words give (``c. 1805`` -> ``1805~``)."""
    if not display or date[-1] in "~?%":
        return date
    approximate, uncertain = bool(_APPROXIMATE.search(display)), "?" in display
    return date + ("%" if approximate and uncertain else "~" if approximate else "?" if uncertain else "")


def _says(words: str, date: str) -> bool:
    """Return True if ``words`` say the date as timeline shows it (or as it is written), no more."""
    try:
        shown = format_span(parse_span(date), "en")
    except ValueError:
        shown = ""
    return words.casefold() in {shown.casefold(), date.casefold()}


def _display_note(display: str, start: str, end: str | None) -> str:
    """Return the display date as words for the summary, or "" when it says no more than the dates."""
    if not display:
        return ""
    sides = re.split(r"\s+[–—-]\s+", display, maxsplit=1)
    if _says(display, start + (f"/{end}" if end else "")):
        return ""
    if end and len(sides) == 2 and _says(sides[0], start) and _says(sides[1], end):
        return ""
    return f"Date given as: {display}."


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


_Where = Callable[[Key], tuple[int, int]]


@dataclasses.dataclass(frozen=True, slots=True)
class _Slide:
    """One TimelineJS slide (in its JSON form), and where each of its fields was written."""

    data: Record
    where: _Where
    label: str


class _Report:
    """Problems of one file, each at the field it names."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []

    def error(self, slide: _Slide, key: Key, message: str) -> None:
        self.diagnostics.append(error(self.path, *slide.where(key), f"{slide.label}: {message}"))

    def warning(self, slide: _Slide, key: Key, message: str) -> None:
        self.diagnostics.append(warning(self.path, *slide.where(key), f"{slide.label}: {message}"))


def _text(slide: Record, field: str) -> str:
    text = slide.get("text")
    return str(text.get(field) or "") if isinstance(text, dict) else ""


def _media(slide: _Slide, title: str, report: _Report) -> tuple[list[Record], list[Record]]:
    """Return (images, sources) of a slide's media: an image with its credit, or a cited page.

    Media that is not an image file (a video, a tweet, a Wikipedia page) becomes a source, as does
    credited media with an address to cite (its ``link``, a link in the credit, or the media
    itself); markup (``<iframe>``, ``<blockquote>``) is never kept, only the address it cites.
    """
    media = slide.data.get("media")
    if not isinstance(media, dict):
        return [], []
    url = str(media.get("url") or "").strip()
    credit_html = str(media.get("credit") or "")
    credit, caption = plain_text(credit_html), plain_text(str(media.get("caption") or ""))
    name = plain_text(str(media.get("title") or "")) or caption or title
    if url.startswith("<"):
        found = re.search(r"""(?i)\b(?:src|href|cite)\s*=\s*["']?(https?://[^"'\s>]+)""", url)
        if not found:
            report.warning(slide, ("media", "url"), "media markup with no http(s) address is left out")
            return [], []
        report.warning(slide, ("media", "url"), "media markup is not kept; the address it shows is cited instead")
        url = html.unescape(found[1])
    if url and (not re.match(r"(?i)^https?://", url) or check_url(url)):
        report.warning(slide, ("media", "url"), f"media '{url[:60]}' is not an http(s) address; left out")
        url = ""
    link = str(media.get("link") or "").strip()
    if link and (not re.match(r"(?i)^https?://", link) or check_url(link)):
        report.warning(slide, ("media", "link"), f"media link '{link[:60]}' is not an http(s) address; left out")
        link = ""
    credit_link = next((h for h in re.findall(r"""(?i)href\s*=\s*["'](https?://[^"']+)""", credit_html)
                        if not check_url(html.unescape(h))), "")  # fmt: skip
    images, sources = [], []
    is_image = bool(url) and bool(_IMAGE.search(url))
    if is_image:
        alt = plain_text(str(media.get("alt") or "")) or caption or title
        images.append({"url": url, "alt": alt, "caption": caption, "credit": credit})
    cited = link or html.unescape(credit_link) or (url if (credit or not is_image) else "")
    if cited:
        sources.append({"title": name, "publisher": credit, "url": cited})
    return images, sources


def _slide_event(slide: _Slide, taken: set[str], report: _Report) -> tuple[str, Record] | None:
    """Return (id, event record) for one slide, or None when it cannot be read (reported)."""
    data = slide.data
    notes: list[tuple[str, Key]] = []
    try:
        start = tljs_date(data.get("start_date"), ("start_date",), notes)
        if start is None:
            raise _Problem("a slide needs a start year (start_date.year, or the Year column of a sheet)",
                           ("start_date", "year"))  # fmt: skip
        end = tljs_date(data.get("end_date"), ("end_date",), notes)
        _check_order(start, end)
    except _Problem as exc:
        report.error(slide, exc.key, str(exc))
        return None
    except ValueError as exc:
        report.error(slide, ("end_date",), str(exc))
        return None
    for note, key in notes:
        report.warning(slide, key, note)
    title = plain_text(_text(data, "headline"))
    summary, pictures = markdown_of(_text(data, "text"), autolink=data.get("autolink") is not False)
    if not title:
        title = plain_text(summary.split("\n")[0]).split(". ")[0][:100] or start
    ident = str(data.get("unique_id") or "").strip()
    if ident and (check_id(ident) or ident in taken):
        report.warning(slide, ("unique_id",), f"unique_id '{ident[:40]}' cannot be used as an id; a new one is made")
        ident = ""
    ident = _unique(ident or slugify(title), taken)
    ends = [data.get(k) for k in ("start_date", "end_date")]
    own = [plain_text(str(d.get("display_date") or "")) for d in ends if isinstance(d, dict)]
    display = plain_text(str(data.get("display_date") or "")) or " – ".join(d for d in own if d)
    # The words for each end: its date's own display_date, else its side of the slide's ("A – B").
    sides = re.split(r"\s+[–—-]\s+", display, maxsplit=1) if end else [display]
    start_words = own[0] if own and own[0] else sides[0]
    end_words = (own[1] if len(own) > 1 and own[1] else sides[-1] if len(sides) > 1 else "") if end else ""
    start = _qualified(_with_zone(start, start_words) or start, start_words)
    end = _with_zone(end, end_words)
    end = _qualified(end, end_words) if end else end
    note = _display_note(display, start, end)
    summary = "\n\n".join(p for p in (note, summary) if p)
    images, sources = _media(slide, title, report)
    for src, alt in pictures:
        if re.match(r"(?i)^https?://", src) and not check_url(src):
            images.append({"url": src, "alt": plain_text(alt) or title})
        else:
            report.warning(slide, ("text", "text"), f"image '{src[:60]}' is not an http(s) address; left out")
    group = plain_text(str(data.get("group") or ""))
    record = {"title": title, "date": start, "end": end, "summary": summary + "\n" if summary else "",
              "tags": [group] if group else [], "sources": sources, "images": images}  # fmt: skip
    return ident, record


def _era(slide: _Slide, taken: set[str], report: _Report) -> Record | None:
    notes: list[tuple[str, Key]] = []
    try:
        start = tljs_date(slide.data.get("start_date"), ("start_date",), notes)
        end = tljs_date(slide.data.get("end_date"), ("end_date",), notes)
        if start is None or end is None:
            which, words, column = ("start_date", "a start", "Year") if start is None else ("end_date", "an end",
                                                                                            "End Year")  # fmt: skip
            raise _Problem(f"an era needs {words} year ({which}.year, or the {column} column)", (which, "year"))
        _check_order(start, end)
    except _Problem as exc:
        report.error(slide, exc.key, str(exc))
        return None
    except ValueError as exc:
        report.error(slide, ("end_date",), str(exc))
        return None
    for note, key in notes:
        report.warning(slide, key, note)
    title = plain_text(_text(slide.data, "headline")) or f"{start}/{end}"
    return {"id": _unique(slugify(title), taken), "title": title, "date": start, "end": end}


@dataclasses.dataclass(frozen=True, slots=True)
class TimelineJS:
    """What a TimelineJS file holds, as records of docs/format.md, and every problem found."""

    events: dict[str, Record]
    eras: tuple[Record, ...]
    title: str
    description: str
    title_at: tuple[int, int]
    diagnostics: tuple[Diagnostic, ...]


# Sheet columns (lower case) by the slide field they fill, from TimelineJS3's ConfigFactory.js.
_COLUMNS: dict[Key, tuple[str, ...]] = {
    ("start_date", "year"): ("year",), ("start_date", "month"): ("month",), ("start_date", "day"): ("day",),
    ("start_date", "time"): ("time",), ("end_date", "year"): ("end year",), ("end_date", "month"): ("end month",),
    ("end_date", "day"): ("end day",), ("end_date", "time"): ("end time",), ("start_date", "text"): ("start date",),
    ("end_date", "text"): ("end date",), ("display_date",): ("display date",), ("text", "headline"): ("headline",),
    ("text", "text"): ("text",), ("media", "url"): ("media",), ("media", "credit"): ("media credit",),
    ("media", "caption"): ("media caption",), ("media", "thumbnail"): ("media thumbnail",),
    ("media", "alt"): ("alt text",), ("group",): ("group", "tag"), ("type",): ("type",),
    ("background",): ("background",),
}  # fmt: skip


def is_timelinejs_sheet(header: list[str]) -> bool:
    """Return True if a CSV header is TimelineJS's Google Sheets template (either version)."""
    names = {h.strip().lower() for h in header}
    return "headline" in names and bool(names & {"year", "start date"})


def _sheet_slides(text: str, path: str) -> tuple[list[_Slide], list[Diagnostic]]:
    """Return the rows of TimelineJS's Google Sheets template as slides in their JSON form."""
    rows = read_csv(text)
    if not rows or not is_timelinejs_sheet([c.text for c in rows[0]]):
        return [], [error(path, 1, 1, "not TimelineJS JSON or a TimelineJS sheet: a sheet's first row names the "
                                      "columns Year (or Start Date) and Headline")]  # fmt: skip
    header = [c.text.strip().lower() for c in rows[0]]
    slides = []
    for row in rows[1:]:
        cells = {name: cell for name, cell in zip(header, row, strict=False) if name}
        if not any(c.text.strip() for c in cells.values()):
            continue  # an empty row, as TimelineJS skips it
        get = {name: cell.text.strip() for name, cell in cells.items()}

        def where(key: Key, cells: dict[str, Cell] = cells, row: list[Cell] = row) -> tuple[int, int]:
            # A first-version sheet holds the whole date in one column (Start Date, End Date).
            names = (*_COLUMNS.get(tuple(key[:2]), ()), *_COLUMNS.get((key[0], "text"), ())) if key else ()
            cell = next((cells[n] for n in names if n in cells), row[0])
            return cell.line, cell.col

        def date(end: bool, get: dict[str, str] = get) -> dict[str, str]:
            whole = "end date" if end else "start date"
            if whole in get:
                return {"text": get[whole]} if get[whole] else {}
            lead = "end " if end else ""
            return {k: get.get(f"{lead}{k}", "") for k in ("year", "month", "day", "time")}

        media = {key[1]: get.get(names[0], "") for key, names in _COLUMNS.items() if key[0] == "media"}
        end = date(True)
        slide: Record = {
            "start_date": date(False), "end_date": end if any(end.values()) else {},
            "display_date": get.get("display date", ""),
            "text": {"headline": get.get("headline", ""), "text": get.get("text", "")}, "media": media,
            "group": get.get("group") or get.get("tag") or "", "type": get.get("type", "").lower(),
        }  # fmt: skip
        slides.append(_Slide(slide, where, f"row {row[0].line}"))
    return slides, []


# TimelineJS 2 kept everything under "timeline": "date" slides with "startDate": "2011,12,10",
# "tag" for the group, and media in "asset". Its files are still published; they are read as the
# same slides, each problem still at the field that holds it.
_TL2_FIELDS = {"start_date": "startDate", "end_date": "endDate", "group": "tag", "display_date": "displayDate"}


def _tl2_date(value: Any) -> dict[str, Any]:
    text = "" if value is None or isinstance(value, (dict, list)) else str(value).strip()
    parts = [p.strip() for p in text.split(",")]
    if text and len(parts) <= 6 and all(re.fullmatch(r"[+-]?\d+", p) for p in parts):
        return dict(zip(("year", "month", "day", "hour", "minute", "second"), parts, strict=False))
    return {"text": text} if text else {}


def _tl2_slide(item: Record) -> Record:
    asset = item.get("asset") if isinstance(item.get("asset"), dict) else {}
    media = {"url": "media", "credit": "credit", "caption": "caption", "thumbnail": "thumbnail"}
    return {
        "start_date": _tl2_date(item.get("startDate")), "end_date": _tl2_date(item.get("endDate")),
        "text": {"headline": item.get("headline") or "", "text": item.get("text") or ""},
        "media": {k: asset.get(v) or "" for k, v in media.items()} if asset else {},
        "group": item.get("tag") or "", "display_date": item.get("displayDate") or "",
    }  # fmt: skip


def _tl2_where(located: Located, prefix: Key) -> _Where:
    def where(key: Key) -> tuple[int, int]:
        head = str(key[0]) if key else ""
        if head in _TL2_FIELDS:
            return located.where((*prefix, _TL2_FIELDS[head]))
        if head == "text" and len(key) > 1:
            return located.where((*prefix, key[1]))
        if head == "media":
            return located.where((*prefix, "asset", *({"url": "media"}.get(str(k), k) for k in key[1:2])))
        return located.where((*prefix, *key))

    return where


def _timelinejs2(timeline: Record, located: Located) -> tuple[_Slide | None, list[_Slide], list[_Slide]]:
    """Return the title slide, slides and eras of a TimelineJS 2 document, as TimelineJS3 slides."""
    groups: list[list[_Slide]] = [[], []]
    for field, found, label in (("date", groups[0], "event"), ("era", groups[1], "era")):
        items = timeline.get(field)
        for number, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                found.append(_Slide(_tl2_slide(item), _tl2_where(located, ("timeline", field, number)),
                                    f"{label} {number + 1}"))  # fmt: skip
    title = _Slide(_tl2_slide(timeline), _tl2_where(located, ("timeline",)), "title slide")
    return (title if timeline.get("headline") else None), groups[0], groups[1]


def read_timelinejs(text: str, path: str) -> TimelineJS:
    """Return the events, eras and title slide of TimelineJS JSON or its Google Sheets CSV."""
    report = _Report(path)
    title_slide: _Slide | None = None
    eras: list[_Slide] = []
    slides: list[_Slide] = []
    if text.lstrip().startswith(("{", "[")):
        try:
            located = load_json(text)
        except JSONProblem as exc:
            return TimelineJS({}, (), "", "", (1, 1), (error(path, exc.line, exc.col, str(exc)),))
        data = located.value

        def at(*prefix: str | int) -> _Where:
            return lambda key: located.where((*prefix, *key))

        if isinstance(data, dict) and "events" not in data and isinstance(data.get("timeline"), dict):
            title_slide, slides, eras = _timelinejs2(data["timeline"], located)
        elif not isinstance(data, dict) or not isinstance(data.get("events", []), list):
            where = located.where(("events",)) if isinstance(data, dict) else (1, 1)
            problem = "TimelineJS JSON is an object with a list of 'events'"
            return TimelineJS({}, (), "", "", (1, 1), (error(path, *where, problem),))
        else:
            for number, slide in enumerate(data.get("events") or []):
                if isinstance(slide, dict):
                    slides.append(_Slide(slide, at("events", number), f"event {number + 1}"))
                else:
                    report.diagnostics.append(error(path, *located.where(("events", number)),
                                                    f"event {number + 1}: a slide is an object"))  # fmt: skip
            listed = data.get("eras")
            for number, slide in enumerate(listed if isinstance(listed, list) else []):
                if isinstance(slide, dict):
                    eras.append(_Slide(slide, at("eras", number), f"era {number + 1}"))
            if isinstance(data.get("title"), dict):
                title_slide = _Slide(data["title"], at("title"), "title slide")
            scale = data.get("scale", "human")
            if scale not in ("human", "cosmological"):
                odd = f"scale '{str(scale)[:20]}' is neither human nor cosmological"
                report.diagnostics.append(warning(path, *located.where(("scale",)), odd))
    else:
        rows, problems = _sheet_slides(text, path)
        report.diagnostics += problems
        for slide in rows:
            kind = slide.data.get("type")
            if kind == "title" and title_slide is None:
                title_slide = slide
            elif kind == "era":
                eras.append(slide)
            else:
                if kind == "title":
                    report.warning(slide, ("type",), "a second title slide is read as an event, as TimelineJS does")
                slides.append(slide)
    events: dict[str, Record] = {}
    taken: set[str] = set()
    for slide in slides:
        found = _slide_event(slide, taken, report)
        if found:
            events[found[0]] = found[1]
    era_ids: set[str] = set()
    era_records = tuple(r for s in eras if (r := _era(s, era_ids, report)) is not None)
    title = description = ""
    title_at = (1, 1)
    if title_slide is not None:
        title = plain_text(_text(title_slide.data, "headline"))
        description = plain_text(_text(title_slide.data, "text"))
        title_at = title_slide.where(("text", "headline"))
    located_problems = tuple(sorted(report.diagnostics, key=lambda d: (d.line, d.col)))
    return TimelineJS(events, era_records, title, description, title_at, located_problems)


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
    if is_timelinejs_sheet(header):
        return {}, [error(path, 1, 1, "this is a TimelineJS sheet (its columns are Year, ..., Headline): "
                                      f"use `timeline import timelinejs {path}`")]  # fmt: skip
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
