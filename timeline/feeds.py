"""Feeds for people who follow the timeline: Atom, iCalendar, sitemap and robots.txt.

Every date written here comes from the content (an event's ``updated``, else the latest date it
holds). Only when the content has no usable date does ``SOURCE_DATE_EPOCH`` (else the Unix
epoch) stand in, so the output never depends on the build clock.
"""

from __future__ import annotations

import datetime as dt
import html
import html.parser
import os
import re
import urllib.parse
import uuid
import zoneinfo
from collections.abc import Iterable

from timeline.config import SiteConfig
from timeline.dates import EDate
from timeline.i18n import Translator
from timeline.index import page_path
from timeline.memo import Fragments
from timeline.model import Article, Event, Timeline
from timeline.pages import plan_pages

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def is_absolute(config: SiteConfig) -> bool:
    """Return True when ``base_url`` names a host, so feeds and sitemaps can carry full URLs."""
    return "://" in config.base_url


def site_url(config: SiteConfig, path: str = "") -> str:
    """Return the URL of a site path: absolute when ``base_url`` is, else path-absolute."""
    root = config.base_url if is_absolute(config) else config.base_path
    return root + path.removesuffix("index.html")


def site_host(config: SiteConfig) -> str:
    """Return a stable host name for UIDs: the site's, or a slug of its title under ``.invalid``."""
    host = urllib.parse.urlsplit(config.base_url).hostname
    if host:
        return host
    return (re.sub(r"[^a-z0-9]+", "-", config.title.lower()).strip("-") or "timeline") + ".invalid"


def fallback_instant() -> dt.datetime:
    """Return ``SOURCE_DATE_EPOCH`` (else the Unix epoch) for dates the content cannot give."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(raw) if re.fullmatch(r"-?\d{1,12}", raw) else 0
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def instant(date: EDate, config: SiteConfig) -> dt.datetime | None:
    """Return the UTC instant a date starts at (dates without a zone in the site's zone)."""
    if date.year < 1:
        return None
    moment = date.moment()
    if moment is None:
        zone = zoneinfo.ZoneInfo(config.timezone)
        moment = dt.datetime(
            date.year, date.month or 1, date.day or 1, date.hour or 0, date.minute or 0, date.second or 0, tzinfo=zone
        )
    return moment.astimezone(dt.UTC)


def latest(dates: Iterable[EDate | None], config: SiteConfig) -> tuple[dt.datetime, EDate] | None:
    """Return the latest of ``dates`` as (UTC instant, date), or None if none is usable."""
    found = [(i, d) for d in dates if d is not None and (i := instant(d, config)) is not None]
    return max(found, key=lambda pair: (pair[0], pair[1].sort_key())) if found else None


def event_dates(tl: Timeline, event: Event) -> list[EDate | None]:
    """Return the dates an event's record holds: its own, its corrections', its sources'."""
    dates: list[EDate | None] = [event.span.start, event.span.end]
    dates += [c.date for c in event.corrections] + [c.date for c in event.claims]
    for source in event.sources:
        article = tl.article_by_id.get(source.article)
        dates += [source.published, source.accessed, article.published if article else None]
    return dates


def event_updated(tl: Timeline, event: Event) -> tuple[dt.datetime, EDate | None]:
    """Return when an event's record last changed: ``updated``, else the latest date in it."""
    found = latest([event.updated], tl.config) or latest(event_dates(tl, event), tl.config)
    return found if found else (fallback_instant(), None)


def article_updated(tl: Timeline, article: Article) -> tuple[dt.datetime, EDate | None]:
    """Return an article's publication instant, else the fallback."""
    found = latest([article.published], tl.config)
    return found if found else (fallback_instant(), None)


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


def absolute_links(fragment: str, config: SiteConfig) -> str:
    """Return rendered HTML with site-internal links made absolute, for use outside the site."""
    if not is_absolute(config):
        return fragment
    base = re.escape(config.base_path)
    return re.sub(rf'(href|src)="{base}', lambda m: f'{m.group(1)}="{config.base_url}', fragment)


def _x(text: str) -> str:
    return html.escape(_XML_INVALID.sub("", text), quote=True)


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _atom_id(config: SiteConfig, path: str) -> str:
    if is_absolute(config):
        return site_url(config, path)
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{config.title}\n{path}").urn


def _atom(tl: Timeline, name: str, title: str, entries: list[tuple[dt.datetime, str]]) -> bytes:
    config = tl.config
    updated = max((moment for moment, _ in entries), default=fallback_instant())
    author = config.author or config.title
    head = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM_NS}" xml:lang="{_x(config.language)}">',
        f"<id>{_x(_atom_id(config, name))}</id>",
        f"<title>{_x(title)}</title>",
    ]
    if config.description:
        head.append(f"<subtitle>{_x(config.description)}</subtitle>")
    head += [
        f"<updated>{_stamp(updated)}</updated>",
        f'<link rel="self" type="application/atom+xml" href="{_x(site_url(config, name))}"/>',
        f'<link rel="alternate" type="text/html" href="{_x(site_url(config))}"/>',
        f"<author><name>{_x(author)}</name></author>",
        "<generator>timeline</generator>",
    ]
    body = [text for _, text in entries]
    return ("\n".join([*head, *body, "</feed>"]) + "\n").encode("utf-8")


def _entry(tl: Timeline, path: str, title: str, updated: dt.datetime, summary: str, extra: list[str]) -> str:
    config = tl.config
    parts = [
        "<entry>",
        f"<id>{_x(_atom_id(config, path))}</id>",
        f"<title>{_x(title)}</title>",
        f"<updated>{_stamp(updated)}</updated>",
        f'<link rel="alternate" type="text/html" href="{_x(site_url(config, path))}"/>',
        *extra,
        f'<summary type="html">{_x(absolute_links(summary, config))}</summary>',
        "</entry>",
    ]
    return "\n".join(parts)


def events_feed(tl: Timeline) -> bytes:
    """Return the Atom feed of events, the latest event first."""
    entries = []
    for event in reversed(tl.events):
        updated, _ = event_updated(tl, event)
        extra = [f'<category term="{_x(tag)}"/>' for tag in event.tags]
        summary = tl.html.get(f"event:{event.id}:summary", "")
        path = page_path("event", event.id)
        entries.append((updated, _entry(tl, path, event.title, updated, summary, extra)))
    return _atom(tl, "feed.xml", tl.config.title, entries)


def articles_feed(tl: Timeline) -> bytes:
    """Return the Atom feed of collected articles, newest first."""
    entries = []
    for article in tl.articles:
        updated, published = article_updated(tl, article)
        extra = []
        if published is not None:
            extra.append(f"<published>{_stamp(updated)}</published>")
        name = article.author or article.publisher
        if name:
            extra.append(f"<author><name>{_x(name)}</name></author>")
        if article.url:
            extra.append(f'<link rel="related" type="text/html" href="{_x(article.url)}"/>')
        extra += [f'<category term="{_x(tag)}"/>' for tag in article.tags]
        summary = tl.html.get(f"article:{article.id}:summary", "")
        path = page_path("article", article.id)
        entries.append((updated, _entry(tl, path, article.title, updated, summary, extra)))
    return _atom(tl, "articles.xml", f"{tl.config.title}: articles", entries)


def sitemap(tl: Timeline) -> bytes:
    """Return ``sitemap.xml`` with every page but the 404 page; ``lastmod`` only from content."""

    config = tl.config
    modified: dict[str, dt.datetime] = {}
    for event in tl.events:
        moment, date = event_updated(tl, event)
        if date is not None and date.precision not in ("year", "month"):
            modified[page_path("event", event.id) + "index.html"] = moment
    for article in tl.articles:
        moment, date = article_updated(tl, article)
        if date is not None and date.precision not in ("year", "month"):
            modified[page_path("article", article.id) + "index.html"] = moment
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    for spec in sorted(plan_pages(tl), key=lambda s: s.path):
        if spec.path == "404.html":
            continue
        lines.append(f"<url><loc>{_x(site_url(config, spec.path))}</loc>")
        if spec.path in modified:
            lines.append(f"<lastmod>{_stamp(modified[spec.path])}</lastmod>")
        lines.append("</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(tl: Timeline) -> bytes:
    """Return ``robots.txt``: allow everything, and name the sitemap when its URL is absolute."""
    lines = ["User-agent: *", "Allow: /"]
    if is_absolute(tl.config):
        lines.append(f"Sitemap: {site_url(tl.config, 'sitemap.xml')}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 sequence (RFC 5545 3.1)."""
    if len(line) <= 75 and line.isascii():
        return line  # most lines: nothing to fold
    out: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def ics_text(text: str) -> str:
    r"""Escape a TEXT value: backslash, semicolon, comma and newlines.

    >>> ics_text("a,b;c\\d\ne")
    'a\\,b\\;c\\\\d\\ne'
    """
    text = _XML_INVALID.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _after(date: EDate) -> dt.date:
    """Return the first day after the period a year, month or day names."""
    if date.month is None:
        return dt.date(date.year + 1, 1, 1)
    if date.day is None:
        return dt.date(date.year + 1, 1, 1) if date.month == 12 else dt.date(date.year, date.month + 1, 1)
    return dt.date(date.year, date.month, date.day) + dt.timedelta(days=1)


def _zone_of(date: EDate, config: SiteConfig) -> str:
    """Return ``Z`` for times written in UTC or with an offset, else the IANA zone name."""
    zone = date.zone or config.timezone
    if zone == "Z" or zone[0] in "+-" or zone in ("UTC", "Etc/UTC"):
        return "Z"
    return zone


def _ics_time(name: str, date: EDate, config: SiteConfig) -> str:
    zone = _zone_of(date, config)
    if zone == "Z":
        moment = instant(date, config)
        assert moment is not None
        return f"{name}:{moment.strftime('%Y%m%dT%H%M%SZ')}"
    wall = f"{date.year:04d}{date.month:02d}{date.day:02d}T{date.hour:02d}{date.minute:02d}{date.second or 0:02d}"
    return f"{name};TZID={zone}:{wall}"


def _vtimezone(name: str, years: set[int], known: dict[tuple[str, int], list[str]] | None = None) -> list[str]:
    """Return a VTIMEZONE with the zone's offsets and transitions in the given years, from tzdata.

    ``known`` keeps each (zone, year)'s observances between the calendars of one build.
    """
    known = {} if known is None else known
    lines = ["BEGIN:VTIMEZONE", f"TZID:{name}"]
    for year in sorted(years):
        if (name, year) not in known:
            known[name, year] = _observances(name, year)
        lines += known[name, year]
    return [*lines, "END:VTIMEZONE"]


def _observances(name: str, year: int) -> list[str]:
    """Return the STANDARD/DAYLIGHT observances of zone ``name`` in ``year``."""
    zone = zoneinfo.ZoneInfo(name)
    lines: list[str] = []

    def offset(moment: dt.datetime) -> dt.timedelta:
        return moment.astimezone(zone).utcoffset() or dt.timedelta()

    def text(delta: dt.timedelta) -> str:
        minutes = int(delta.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"

    def observance(at: dt.datetime, before: dt.timedelta, after: dt.timedelta) -> list[str]:
        kind = "DAYLIGHT" if at.astimezone(zone).dst() else "STANDARD"
        wall = (at + before).strftime("%Y%m%dT%H%M%S")
        return [f"BEGIN:{kind}", f"DTSTART:{wall}", f"TZOFFSETFROM:{text(before)}", f"TZOFFSETTO:{text(after)}",
                f"END:{kind}"]  # fmt: skip

    moment = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    lines += observance(moment, offset(moment), offset(moment))
    end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC) if year < 9999 else moment
    while moment < end:
        step = moment + dt.timedelta(days=1)
        if offset(step) != offset(moment):
            low, high = moment, step
            while high - low > dt.timedelta(minutes=1):  # the change falls inside (low, high]
                middle = low + (high - low) / 2
                low, high = (low, middle) if offset(middle) != offset(low) else (middle, high)
            lines += observance(high, offset(low), offset(high))
        moment = step
    return lines


def _vevent(tl: Timeline, event: Event) -> list[str] | None:
    """Return an event's VEVENT, or None when its start is a year or a month (see the docs)."""
    config = tl.config
    start, end = event.span.start, event.span.end
    if start.precision in ("year", "month") or not 1 <= start.year <= 9998:
        return None
    stamp, _ = event_updated(tl, event)
    lines = ["BEGIN:VEVENT", f"UID:{event.id}@{site_host(config)}", f"DTSTAMP:{stamp.strftime('%Y%m%dT%H%M%SZ')}"]
    if start.hour is None:
        lines.append(f"DTSTART;VALUE=DATE:{_after(start) - dt.timedelta(days=1):%Y%m%d}")
        last = end if end is not None and 1 <= end.year <= 9998 else start
        lines.append(f"DTEND;VALUE=DATE:{_after(last):%Y%m%d}")
    else:
        lines.append(_ics_time("DTSTART", start, config))
        if end is not None and end.hour is not None:
            lines.append(_ics_time("DTEND", end, config))
    t = Translator(config.language)
    summary = html_text(tl.html.get(f"event:{event.id}:summary", ""))
    description = "\n\n".join(p for p in (t.span(event.span), summary, site_url(config,
                                page_path("event", event.id)) if is_absolute(config) else "") if p)  # fmt: skip
    lines += [f"SUMMARY:{ics_text(event.title)}", f"DESCRIPTION:{ics_text(description)}"]
    places = [tl.places[p].name for p in event.places if p in tl.places]
    if places:
        lines.append(f"LOCATION:{ics_text(', '.join(places))}")
    if event.tags:
        lines.append("CATEGORIES:" + ",".join(ics_text(tag) for tag in event.tags))
    if is_absolute(config):
        lines.append(f"URL:{site_url(config, page_path('event', event.id))}")
    if event.status == "scheduled" or start.uncertain or start.approximate:
        lines.append("STATUS:TENTATIVE")
    return [*lines, "END:VEVENT"]


class CalendarParts:
    """Each event's folded VEVENT and each zone-year's observances, shared by one build's calendars."""

    def __init__(self) -> None:
        self.vevents: dict[str, str | None] = {}
        self.zones: dict[tuple[str, int], list[str]] = {}


def calendar(tl: Timeline, events: Iterable[Event], name: str, parts: CalendarParts | None = None) -> bytes:
    """Return an iCalendar file of the events dated to a day or a time of day."""
    parts = parts or CalendarParts()
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//timeline//timeline//EN", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", f"NAME:{ics_text(name)}", f"X-WR-CALNAME:{ics_text(name)}"]  # fmt: skip
    zones: dict[str, set[int]] = {}
    body: list[str] = []
    for event in events:
        if event.id not in parts.vevents:
            lines = _vevent(tl, event)
            parts.vevents[event.id] = None if lines is None else "".join(_fold(line) + "\r\n" for line in lines)
        vevent = parts.vevents[event.id]
        if vevent is None:
            continue
        body.append(vevent)
        for date in (event.span.start, event.span.end):
            if date is not None and date.hour is not None and _zone_of(date, tl.config) != "Z":
                zones.setdefault(_zone_of(date, tl.config), set()).add(date.year)
    for zone in sorted(zones):
        head += _vtimezone(zone, zones[zone], parts.zones)
    text = "".join(_fold(line) + "\r\n" for line in head) + "".join(body) + "END:VCALENDAR\r\n"
    return text.encode("utf-8")


def render_feeds(tl: Timeline, pieces: Fragments | None = None) -> dict[str, bytes]:
    """Return the feed files of the site, by output path."""
    parts = CalendarParts()
    files = {
        "feed.xml": events_feed(tl),
        "articles.xml": articles_feed(tl),
        "events.ics": calendar(tl, tl.events, tl.config.title, parts),
        "robots.txt": robots(tl),
    }
    # A sitemap must list absolute URLs; without a host in base_url there is none to write.
    if is_absolute(tl.config):
        files["sitemap.xml"] = sitemap(tl)
    for kind, table in (("actor", tl.actors), ("place", tl.places)):
        for key, entity in table.items():
            events = [tl.event_by_id[i] for i in tl.events_of.get(f"{kind}:{key}", ())]
            title = f"{tl.config.title}: {entity.name}"
            files[page_path(kind, key) + "events.ics"] = calendar(tl, events, title, parts)
    return files
