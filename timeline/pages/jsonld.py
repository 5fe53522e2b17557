"""Structured data (schema.org JSON-LD) for every page.

Dates go out at exactly the precision the content has (``1994``, ``2020-10``, ``2020-09-27``,
``2020-10-23T18:01+07:00``), as ISO 8601 allows. People, organisations and countries an event
involves are given as its ``about``: schema.org's ``performer``, ``organizer`` and ``attendee``
would claim roles the content does not state.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Any

from timeline.content.config import Era
from timeline.content.dates import DateSpan, EDate, format_span
from timeline.content.markdown import html_text
from timeline.content.model import Article, Entity, Event, Timeline
from timeline.content.urls import page_path, site_url
from timeline.pages.i18n import Strings, Translator

CONTEXT = "https://schema.org"
RELATED = 3
"""At most this many related things (range events, works, actors, places) per list: the page lists them all."""
SUMMARY = 300
"""A description longer than this many characters is cut at a word: the page holds the whole text."""
_ENTITY_TYPES = {"person": "Person", "organisation": "Organization", "country": "Country", "group": "Organization"}


def _url(tl: Timeline, kind: str, key: str) -> str:
    return site_url(tl.config, page_path(kind, key))


def within(event: Event, start: EDate, end: EDate) -> bool:
    """Return True when the event lies certainly inside the range from ``start`` to ``end`` (inclusive).

    Certainly: every instant the event may cover lies in every instant the range certainly covers,
    so an approximate or uncertain date (``1988-02~``, which may be January or 1987) is inside
    nothing, and an event in February 1988 is not inside a range starting on 20 February 1988.
    """
    span = event.span
    if not span.bounded or span.qualified or start.qualified or end.qualified:
        return False
    last = span.end or span.start
    return start.first_second() <= span.start.first_second() and last.last_second() <= end.last_second()


_INDEXED_YEARS = 400
"""A range event longer than this is checked against every event instead of indexed by year."""


class Ranges:
    """The events that span a range, indexed by the years they cover, for superEvent look-ups."""

    def __init__(self, tl: Timeline) -> None:
        self.by_year: dict[int, list[Event]] = {}
        starts: list[int] | None = None
        for other in tl.events:
            if other.span.end:
                first, last = other.span.start.years()[0], other.span.end.years()[1]
                if last - first > _INDEXED_YEARS:
                    # Deep time: only the years some event starts in, or the index would not fit in memory.
                    starts = starts if starts is not None else sorted({e.span.start.years()[0] for e in tl.events})
                    years: Iterable[int] = starts[bisect.bisect_left(starts, first) : bisect.bisect_right(starts, last)]
                else:
                    years = range(first, last + 1)
                for year in years:
                    self.by_year.setdefault(year, []).append(other)

    def containing(self, event: Event) -> list[Event]:
        """Return the range events (in date order) that contain ``event``."""
        return [
            other
            for other in self.by_year.get(event.span.start.years()[0], ())
            if other.id != event.id
            and other.span != event.span
            and other.span.end
            and within(event, other.span.start, other.span.end)
        ]


def _machine(date: EDate) -> bool:
    """Return True when ISO 8601 (as schema.org reads it) can say this date."""
    return -9999 <= date.year <= 9999 and not date.year_x and date.season is None


def date_properties(span: DateSpan, language: str) -> dict[str, Any]:
    """Return ``startDate``/``endDate`` as far as ISO 8601 says them, and the date as written when it says more.

    Uncertainty, approximation, unspecified digits, seasons, deep time, open or unknown ends and
    another calendar have no ISO 8601 form: they are kept as text (``disambiguatingDescription``)
    rather than dropped.
    """
    data: dict[str, Any] = {}
    if not span.before and _machine(span.start):
        data["startDate"] = span.start.iso()
    end = span.end or (span.start if span.before else None)
    if end is not None and _machine(end):
        data["endDate"] = end.iso()
    dates = [span.start] + ([span.end] if span.end else [])
    if not span.bounded or span.qualified or any(not _machine(d) or d.calendar != "gregorian" for d in dates):
        data["disambiguatingDescription"] = f"{format_span(span, language)} (EDTF: {span.edtf()})"
    return data


def super_events(tl: Timeline, event: Event, ranges: Ranges | None = None) -> list[dict[str, Any]]:
    """Return the range events and eras that contain ``event``, as schema.org Events."""
    # The innermost ranges (latest to start) name the event's context; an event inside hundreds
    # of ranges would otherwise carry them all on its page.
    inner = (ranges or Ranges(tl)).containing(event)[-RELATED:]
    found: list[dict[str, Any]] = [_ref(tl, "event", other.id, other.title) for other in reversed(inner)]
    for era in tl.config.eras:
        if within(event, era.span.start, era.span.end or era.span.start):
            found.append(_era(era))
    return found


def _era(era: Era) -> dict[str, Any]:
    return {"@type": "Event", "name": era.title, **date_properties(era.span, "en")}


def alternate_names(entries: tuple[tuple[str, str], ...], shown: str) -> list[dict[str, str]]:
    """Return the names other than ``shown`` as JSON-LD language-tagged strings (``@value``, ``@language``)."""
    return [{"@value": text, "@language": tag} for tag, text in entries if text != shown]


def _ref(tl: Timeline, kind: str, key: str, name: str) -> dict[str, Any]:
    """Return a related thing by its ``@id``, name and URL: its own page describes it."""
    types = {"event": "Event", "article": "NewsArticle", "place": "Place"}
    url = _url(tl, kind, key)
    return {"@type": types.get(kind, "Thing"), "@id": url + "#" + kind, "name": shorten(name, 80), "url": url}


def shorten(text: str, limit: int = SUMMARY) -> str:
    """Return ``text`` on one line, cut at a word before ``limit`` characters with an ellipsis.

    >>> shorten("A ceasefire ends the war.", 16)
    'A ceasefire…'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(",;:.") + "…"


def _named(tl: Timeline, kind: str, entity: Entity) -> dict[str, Any]:
    data = _ref(tl, kind, entity.id, entity.name)
    if kind == "actor":
        data["@type"] = _ENTITY_TYPES.get(entity.kind, "Thing")
    return data


def _entity(tl: Timeline, kind: str, entity: Entity) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": _ENTITY_TYPES.get(entity.kind, "Thing") if kind == "actor" else "Place",
        "@id": _url(tl, kind, entity.id) + "#" + kind,
        "name": entity.name,
        "url": _url(tl, kind, entity.id),
    }
    if others := alternate_names(entity.names, entity.name):
        data["alternateName"] = others
    if entity.description:
        data["description"] = entity.description
    return data


def event_data(tl: Timeline, event: Event, ranges: Ranges | None = None) -> dict[str, Any]:
    """Return the schema.org Event of an event page."""
    url = _url(tl, "event", event.id)
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Event",
        "@id": url + "#event",
        "name": event.title,
        "url": url,
        **date_properties(event.span, tl.config.language),
    }
    if event.milestones:
        data["subEvent"] = [
            {"@type": "Event", "name": m.label, **date_properties(m.span, tl.config.language)} for m in event.milestones
        ]
    if others := alternate_names(event.titles, event.title):
        data["alternateName"] = others
    if event.language:
        data["inLanguage"] = event.language
    summary = shorten(html_text(tl.html.get(f"event:{event.id}:summary", "")))
    if summary:
        data["description"] = summary
    places = [_named(tl, "place", tl.places[p]) for p in event.places if p in tl.places][:RELATED]
    if places:
        data["location"] = places
    actors = [_named(tl, "actor", tl.actors[a]) for a in event.actors if a in tl.actors][:RELATED]
    if actors:
        data["about"] = actors
    if event.status == "scheduled":
        data["eventStatus"] = "https://schema.org/EventScheduled"
    parents = super_events(tl, event, ranges)
    if parents:
        data["superEvent"] = parents
    if event.tags:
        data["keywords"] = ", ".join(event.tags)
    images = [site_url(tl.config, i.src) for i in event.images if i.src][:RELATED]
    if images:
        data["image"] = images
    works: list[dict[str, Any]] = []
    for article_id in tl.articles_of_event.get(event.id, ())[:RELATED]:
        article = tl.article_by_id[article_id]
        works.append({"@type": "NewsArticle", "@id": _url(tl, "article", article.id) + "#article",
                      "url": _url(tl, "article", article.id)})  # fmt: skip
    for source in [s for s in event.sources if not s.article][: RELATED - len(works)]:
        # A cited work outside the site: named and linked, its details are on the page.
        work: dict[str, Any] = {"@type": "CreativeWork", "name": shorten(source.title or source.url, 120)}
        if source.url:
            work["url"] = source.url
        works.append(work)
    if works:
        data["subjectOf"] = works
    return data


def article_data(tl: Timeline, article: Article) -> dict[str, Any]:
    """Return the schema.org NewsArticle of an article page: the report the page is about."""
    page = _url(tl, "article", article.id)
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "@id": page + "#article",
        "headline": article.title,
        "mainEntityOfPage": page,
        "inLanguage": article.language or tl.config.language,
    }
    if others := alternate_names(article.titles, article.title):
        data["alternativeHeadline"] = others
    if article.url:
        data["url"] = article.url
    if article.published:
        data["datePublished"] = article.published.iso()
    if article.publisher:
        data["publisher"] = {"@type": "Organization", "name": article.publisher}
    if article.author:
        data["author"] = {"@type": "Person", "name": article.author}
    if article.via:
        # "Agregasi BBC Indonesia": the report is based on one published by another outlet.
        data["isBasedOn"] = {"@type": "NewsArticle", "publisher": {"@type": "Organization", "name": article.via}}
    summary = html_text(tl.html.get(f"article:{article.id}:summary", ""))
    if summary:
        data["abstract"] = summary
    citations = []
    for report in article.related:
        cited: dict[str, Any] = {"@type": "NewsArticle", "headline": report.title}
        if report.url:
            cited["url"] = report.url
        citations.append(cited)
    if citations:
        data["citation"] = citations
    images = [i.url or site_url(tl.config, i.src) for i in article.images]
    if images:
        data["image"] = images
    events = tl.events_of_article.get(article.id, ())
    if events:
        data["about"] = [{"@type": "Event", "@id": _url(tl, "event", e) + "#event"} for e in events]
    mentions = [_named(tl, "actor", tl.actors[a]) for a in article.actors if a in tl.actors]
    mentions += [_named(tl, "place", tl.places[p]) for p in article.places if p in tl.places]
    if mentions:
        data["mentions"] = mentions
    if article.tags:
        data["keywords"] = ", ".join(article.tags)
    return data


def breadcrumbs(tl: Timeline, path: str, context: dict[str, Any], strings: Strings | None = None) -> dict[str, Any]:
    """Return the BreadcrumbList of a page: the site, its section, the page itself."""
    t = Translator(tl.config.language, strings)
    config = tl.config
    crumbs: list[tuple[str, str | None]] = [(config.title, site_url(config))]
    parts = path.split("/")
    sections = {"articles": "articles", "actors": "actors", "places": "places", "tags": "tags", "sources": "sources"}
    if path == "404.html":
        crumbs.append((t("not_found"), None))
    elif parts[0] in sections:
        crumbs.append((t(sections[parts[0]]), site_url(config, parts[0] + "/")))
    if len(parts) == 3 and parts[0] != "404.html":
        crumbs.append((_title(context) or parts[1], site_url(config, path)))
    items = []
    for position, (name, url) in enumerate(crumbs, start=1):
        item: dict[str, Any] = {"@type": "ListItem", "position": position, "name": name}
        if url is not None:
            item["item"] = url
        items.append(item)
    return {"@context": CONTEXT, "@type": "BreadcrumbList", "itemListElement": items}


def _title(context: dict[str, Any]) -> str:
    for key, attribute in (("event", "title"), ("article", "title"), ("entity", "name"), ("tag", "name")):
        if key in context:
            return str(getattr(context[key], attribute))
    return ""


def website(tl: Timeline) -> dict[str, Any]:
    """Return the schema.org WebSite of the home page."""
    config = tl.config
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "WebSite",
        "@id": site_url(config) + "#website",
        "name": config.title,
        "url": site_url(config),
        "inLanguage": config.language,
    }
    if config.description:
        data["description"] = config.description
    if config.author:
        data["publisher"] = {"@type": "Organization", "name": config.author}
    return data


def page_data(
    tl: Timeline, path: str, context: dict[str, Any], ranges: Ranges | None = None, strings: Strings | None = None
) -> list[dict[str, Any]]:
    """Return the JSON-LD objects for the page at ``path`` (``ranges``: made once per build; ``strings``: the UI's)."""
    blocks: list[dict[str, Any]] = []
    if path == "index.html":
        blocks.append(website(tl))
    event = context.get("event")
    if isinstance(event, Event) and path == page_path("event", event.id) + "index.html":
        blocks.append(event_data(tl, event, ranges))
    article = context.get("article")
    if isinstance(article, Article):
        blocks.append(article_data(tl, article))
    entity, kind = context.get("entity"), context.get("kind")
    if isinstance(entity, Entity) and kind in ("actor", "place"):
        blocks.append({"@context": CONTEXT, **_entity(tl, str(kind), entity)})
    blocks.append(breadcrumbs(tl, path, context, strings))
    return blocks


_NAMES = (("event", "title"), ("article", "title"), ("entity", "name"), ("part", "label"), ("tag", "name"))


def page_meta(tl: Timeline, path: str, context: dict[str, Any]) -> dict[str, str]:
    """Return what a page says of itself to search engines and link previews: description, type, image.

    The description is the event's or article's summary, the actor's or place's description,
    else the site's; the image (absolute when ``base_url`` is) is the first one the event or
    article has. The template escapes every value for its attribute.
    """
    config = tl.config
    description, image, kind = "", "", "website"
    event, article, entity = context.get("event"), context.get("article"), context.get("entity")
    if isinstance(event, Event) and path == page_path("event", event.id) + "index.html":
        description = html_text(tl.html.get(f"event:{event.id}:summary", ""))
        image = next((site_url(config, i.src) for i in event.images if i.src), "")
        kind = "article"
    elif isinstance(article, Article):
        description = html_text(tl.html.get(f"article:{article.id}:summary", ""))
        image = next((site_url(config, i.src) for i in article.images if i.src), "")
        kind = "article"
    elif isinstance(entity, Entity):
        description = entity.description
    # A page with nothing of its own to say is named before the site's words, so no two say the same.
    named = next((str(getattr(context.get(key), attr)) for key, attr in _NAMES if context.get(key) is not None), "")
    if not description and named:
        description = f"{named} · {config.description or config.title}"
    return {"description": shorten(description or config.description, 200), "image": image, "type": kind}
