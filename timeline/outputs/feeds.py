"""Feeds for people who follow the timeline: Atom, iCalendar, sitemap and robots.txt.

Every date written here comes from the content (an event's ``updated``, else the latest date it
holds). Only when the content has no usable date does ``SOURCE_DATE_EPOCH`` (else the Unix
epoch) stand in, so the output never depends on the build clock.

Each record's part of a file (its Atom entry, sitemap date, VEVENT) is made by a pure function
and asked for through a ``Piece`` (see ``timeline.outputs.pieces``), so that a build that keeps
pieces makes again only those of changed records; what spans records (order, the feed's
``updated``, which events a calendar lists, the VTIMEZONEs) is computed every build.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import html.parser
import uuid
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any, TypeVar

from timeline.content.config import SiteConfig
from timeline.content.dates import DateSpan, EDate, zone_info
from timeline.content.markdown import html_text
from timeline.content.model import Article, Event, Timeline
from timeline.content.urls import absolute_links, is_absolute, page_path, site_host, site_url, uri
from timeline.outputs.ics import XML_INVALID, Vevent, calendar, day_after, text_value, time_value, timezones, vevent
from timeline.outputs.pieces import Piece, made
from timeline.pages.i18n import Translator
from timeline.pages.plan import page_paths

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
R = TypeVar("R", Event, Article)


def fallback_instant(config: SiteConfig) -> dt.datetime:
    """Return ``SOURCE_DATE_EPOCH`` (else the Unix epoch) for dates the content cannot give."""
    return dt.datetime.fromtimestamp(config.source_date_epoch or 0, dt.UTC)


def instant(date: EDate, config: SiteConfig) -> dt.datetime | None:
    """Return the UTC instant a date starts at (dates without a zone in the site's zone)."""
    if not 1 <= date.year <= 9999:
        return None
    moment = date.moment()
    if moment is None:
        wall = dt.datetime(
            date.year, date.month or 1, date.day or 1, date.hour or 0, date.minute or 0, date.second or 0
        )
        try:
            return wall.replace(tzinfo=zone_info(config.timezone)).astimezone(dt.UTC)
        except OverflowError:
            # Only a calendar date can get here (the reader refuses such date-times): 0001-01-01
            # east of Greenwich starts before the first datetime, so it is taken as UTC.
            return wall.replace(tzinfo=dt.UTC)
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
    return found if found else (fallback_instant(tl.config), None)


def article_updated(tl: Timeline, article: Article) -> tuple[dt.datetime, EDate | None]:
    """Return an article's publication instant, else the fallback."""
    found = latest([article.published], tl.config)
    return found if found else (fallback_instant(tl.config), None)


def _x(text: str) -> str:
    return html.escape(XML_INVALID.sub("", text), quote=True)


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"  # years < 1000 too


def _atom_id(config: SiteConfig, path: str) -> str:
    if is_absolute(config):
        return site_url(config, path)
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{config.title}\n{path}").urn


def _atom(tl: Timeline, name: str, title: str, entries: list[tuple[dt.datetime, str]]) -> bytes:
    config = tl.config
    updated = max((moment for moment, _ in entries), default=fallback_instant(config))
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


def _lang(language: str, config: SiteConfig) -> str:
    """Return an ``xml:lang`` attribute when ``language`` is not the feed's own ("" when it is)."""
    return f' xml:lang="{_x(language)}"' if language and language != config.language else ""


def _entry(
    tl: Timeline,
    path: str,
    title: tuple[str, str],
    updated: dt.datetime,
    summary: tuple[str, str],
    extra: list[str],
) -> str:
    """Return one Atom entry; ``title`` and ``summary`` are (text, its language)."""
    config = tl.config
    parts = [
        "<entry>",
        f"<id>{_x(_atom_id(config, path))}</id>",
        f"<title{_lang(title[1], config)}>{_x(title[0])}</title>",
        f"<updated>{_stamp(updated)}</updated>",
        f'<link rel="alternate" type="text/html" href="{_x(site_url(config, path))}"/>',
        *extra,
        f'<summary type="html"{_lang(summary[1], config)}>{_x(absolute_links(summary[0], config))}</summary>',
        "</entry>",
    ]
    return "\n".join(parts)


def _dated(kind: str, config: SiteConfig) -> str:
    # A kind per file, so that the pieces of one file can be let go once it is made.
    # A piece that may show the fallback date is kept only while SOURCE_DATE_EPOCH stays the same.
    return f"{kind}@{fallback_instant(config).isoformat()}"


def event_entry(tl: Timeline, event: Event) -> tuple[str, str]:
    """Return an event's piece of ``feed.xml``: (its ``updated`` in ISO form, its Atom entry)."""
    updated, _ = event_updated(tl, event)
    extra = [f'<category term="{_x(tag)}"/>' for tag in event.tags]
    summary = tl.html.get(f"event:{event.id}:summary", "")
    path = page_path("event", event.id)
    title = (event.title, event.title_language)
    return updated.isoformat(), _entry(tl, path, title, updated, (summary, event.language), extra)


def article_entry(tl: Timeline, article: Article) -> tuple[str, str]:
    """Return an article's piece of ``articles.xml``: (its ``updated`` in ISO form, its Atom entry)."""
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
    title = (article.title, article.title_language)
    # An article's summary is the site's own words about it, in the site's language (docs/format.md).
    return updated.isoformat(), _entry(tl, path, title, updated, (summary, ""), extra)


def _entries(pairs: Iterable[tuple[str, str]]) -> list[tuple[dt.datetime, str]]:
    # Pieces hold instants as ISO text: a build cache unpickles only timeline's own types.
    return [(dt.datetime.fromisoformat(moment), text) for moment, text in pairs]


def events_feed(tl: Timeline, piece: Piece = made) -> bytes:
    """Return the Atom feed of the newest ``feed_entries`` events, the latest event first."""
    kind = _dated("feed.xml", tl.config)
    newest = tl.events[::-1][: tl.config.feed_entries]
    pairs = [piece(kind, f"event:{e.id}", partial(event_entry, tl, e)) for e in newest]
    return _atom(tl, "feed.xml", tl.config.title, _entries(pairs))


def articles_feed(tl: Timeline, piece: Piece = made) -> bytes:
    """Return the Atom feed of the newest ``feed_entries`` collected articles, newest first."""
    kind = _dated("articles.xml", tl.config)
    newest = tl.articles[: tl.config.feed_entries]
    pairs = [piece(kind, f"article:{a.id}", partial(article_entry, tl, a)) for a in newest]
    return _atom(tl, "articles.xml", f"{tl.config.title}: articles", _entries(pairs))


def record_lastmod(
    updated: Callable[[Timeline, R], tuple[dt.datetime, EDate | None]], tl: Timeline, record: R
) -> str | None:
    """Return a record's piece of ``sitemap.xml``: its ``lastmod``, if its date is a day or finer."""
    moment, date = updated(tl, record)
    return _stamp(moment) if date is not None and date.precision not in ("year", "season", "month") else None


def sitemap(tl: Timeline, piece: Piece = made) -> bytes:
    """Return ``sitemap.xml`` with every page but the 404 page; ``lastmod`` only from content."""
    config = tl.config
    kind = _dated("sitemap.xml", config)
    modified: dict[str, str | None] = {}
    for event in tl.events:
        stamp = piece(kind, f"event:{event.id}", partial(record_lastmod, event_updated, tl, event))
        modified[page_path("event", event.id) + "index.html"] = stamp
    for article in tl.articles:
        stamp = piece(kind, f"article:{article.id}", partial(record_lastmod, article_updated, tl, article))
        modified[page_path("article", article.id) + "index.html"] = stamp
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    for path in sorted(page_paths(tl)):
        if path == "404.html":
            continue
        lines.append(f"<url><loc>{_x(site_url(config, path))}</loc>")
        stamp = modified.get(path)
        if stamp is not None:
            lines.append(f"<lastmod>{stamp}</lastmod>")
        lines.append("</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(tl: Timeline) -> bytes:
    """Return ``robots.txt``: allow everything, and name the sitemap when its URL is absolute."""
    lines = ["User-agent: *", "Allow: /"]
    if is_absolute(tl.config):
        lines.append(f"Sitemap: {uri(site_url(tl.config, 'sitemap.xml'))}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def event_vevent(tl: Timeline, event: Event) -> Vevent | None:
    """Return an event's VEVENTs (its own, then one per milestone) and the zone-years they name.

    None when no date of the event starts on a day (a year, season or month is never pinned to
    its first day; see the docs).
    """
    config = tl.config
    t = Translator(config.language)
    summary = html_text(tl.html.get(f"event:{event.id}:summary", ""))
    stamp, _ = event_updated(tl, event)
    found = [_vevent(tl, event, event.span, f"{event.id}@{site_host(config)}", event.title, summary, stamp, t)]
    for number, milestone in enumerate(event.milestones, start=1):
        uid = f"{event.id}-{number}@{site_host(config)}"
        found.append(_vevent(tl, event, milestone.span, uid, f"{event.title}: {milestone.label}", "", stamp, t))
    made = [v for v in found if v is not None]
    if not made:
        return None
    return "".join(text for text, _ in made), tuple(z for _, names in made for z in names)


def _vevent(
    tl: Timeline, event: Event, span: DateSpan, uid: str, title: str, summary: str, stamp: dt.datetime, t: Translator
) -> Vevent | None:
    """Return one VEVENT for ``span``, or None when it does not start on a day of the years 1 to 9998."""
    config = tl.config
    start, end = span.start, span.end
    if span.before or start.precision in ("year", "season", "month") or not 1 <= start.year <= 9998:
        return None
    if end is not None and not (1 <= end.year and end.years()[1] <= 9998):
        end = None
    properties: list[tuple[str, Any]] = [("UID", text_value(uid))]
    properties.append(("DTSTAMP", stamp.astimezone(dt.UTC)))  # from the content, never the clock
    if start.hour is None and (end is None or end.hour is None):
        last = end if end is not None else start
        properties += [("DTSTART", day_after(start) - dt.timedelta(days=1))]
        # A range's end is the all-day DTEND after the period it names (after a month: its next 1st).
        if not span.after:
            properties.append(("DTEND", day_after(last)))
    elif start.hour is None:
        # A day that runs to a time: iCalendar wants both ends of one type, so the day starts at
        # its 00:00 in the end's zone, and the end keeps the time it was written with.
        assert end is not None
        begin = dataclasses.replace(end, year=start.year, month=start.month, day=start.day, hour=0, minute=0,
                                    second=None, fold=0, approximate=False, uncertain=False)  # fmt: skip
        properties.append(("DTSTART", time_value(begin, instant(begin, config), config)))
        properties.append(("DTEND", time_value(end, instant(end, config), config)))
    else:
        properties.append(("DTSTART", time_value(start, instant(start, config), config)))
        if end is not None and end.hour is not None:
            properties.append(("DTEND", time_value(end, instant(end, config), config)))
        elif end is not None and end.precision == "day":
            after = day_after(end)
            close = dataclasses.replace(start, year=after.year, month=after.month, day=after.day, hour=0, minute=0,
                                        second=None, fold=0, approximate=False, uncertain=False)  # fmt: skip
            properties.append(("DTEND", time_value(close, instant(close, config), config)))
    description = "\n\n".join(p for p in (t.span(span), summary, site_url(config,
                                page_path("event", event.id)) if is_absolute(config) else "") if p)  # fmt: skip
    properties += [("SUMMARY", text_value(title)), ("DESCRIPTION", text_value(description))]
    places = [tl.places[p].name for p in event.places if p in tl.places]
    if places:
        properties.append(("LOCATION", text_value(", ".join(places))))
    if event.tags:
        properties.append(("CATEGORIES", [text_value(tag) for tag in event.tags]))
    if is_absolute(config):
        properties.append(("URL", uri(site_url(config, page_path("event", event.id)))))
    if event.status == "scheduled" or span.qualified:
        properties.append(("STATUS", "TENTATIVE"))
    return vevent(properties)


def render_feeds(tl: Timeline, piece: Piece = made) -> Iterator[tuple[str, bytes]]:
    """Yield the feed files of the site as (output path, bytes), one at a time."""
    yield "feed.xml", events_feed(tl, piece)
    yield "articles.xml", articles_feed(tl, piece)
    kind = _dated("events.ics", tl.config)
    # Every calendar lists some of these: each event's VEVENT is asked for once, by events.ics.
    vevents = {e.id: piece(kind, f"event:{e.id}", partial(event_vevent, tl, e)) for e in tl.events}
    zones = timezones(vevents.values())
    yield "events.ics", calendar(tl.config.title, vevents.values(), zones)
    yield "robots.txt", robots(tl)
    # A sitemap must list absolute URLs; without a host in base_url there is none to write.
    if is_absolute(tl.config):
        yield "sitemap.xml", sitemap(tl, piece)
    for table_kind, table in (("actor", tl.actors), ("place", tl.places)):
        for key, entity in table.items():
            listed = (vevents[i] for i in tl.events_of.get(f"{table_kind}:{key}", ()))
            title = f"{tl.config.title}: {entity.name}"
            yield page_path(table_kind, key) + "events.ics", calendar(title, listed, zones)
