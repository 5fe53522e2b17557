"""Which pages the site has, what each shows, and which source files each depends on."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from timeline.content.model import Article, Entity, Event, Timeline
from timeline.content.urls import page_path
from timeline.pages.i18n import Strings, Translator


@dataclasses.dataclass(frozen=True, slots=True)
class PageSpec:
    """One page to render: where it goes, with which template, about what."""

    path: str
    template: str
    title: str
    lang: str
    context: Mapping[str, Any]
    inputs: tuple[str, ...] = ()
    """Content files whose bytes this page shows, for dependency tracking; ``ALL_INPUTS`` for all.

    Besides these, every page depends on site.yaml, the theme, the actors, places and tags, and
    which ids exist (links resolve or not); see ``fingerprint.fingerprints``.
    """


SPLIT_AT = 300
"""A timeline of more events than this is split into pages by decade (and a crowded decade by year)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Part:
    """One page of a split timeline: the events that start in a decade or a year."""

    key: str
    """``1990s`` or ``1994``; the page is ``timeline/<key>/``."""
    label: str
    events: tuple[Event, ...]


def split_timeline(events: tuple[Event, ...], limit: int = SPLIT_AT) -> tuple[Part, ...]:
    """Return the parts of a long timeline (none when it fits on one page), in date order."""
    if len(events) <= limit:
        return ()
    decades: dict[int, list[Event]] = {}
    for event in events:
        decades.setdefault(event.span.start.year // 10 * 10, []).append(event)
    parts: list[Part] = []
    for decade, members in decades.items():
        if len(members) <= limit:
            parts.append(Part(f"{decade}s", f"{decade}s" if decade >= 0 else f"{-decade}s BCE", tuple(members)))
            continue
        years: dict[int, list[Event]] = {}
        for event in members:
            years.setdefault(event.span.start.year, []).append(event)
        parts += [Part(str(year), str(year), tuple(group)) for year, group in years.items()]
    return tuple(parts)


ALL_INPUTS = ("*",)
"""The inputs of a page that shows something of every event or article."""
LAYOUT = "@layout"
"""An input standing for how a long timeline is split and which statuses occur (the part pages' frame)."""
RANGES = "@ranges"
"""An input standing for every event that spans a range (its files' digests, together)."""


def card_inputs(tl: Timeline, events: Iterable[Event]) -> tuple[str, ...]:
    """Return the files event cards show: each event's own, and those of the articles it cites."""
    files = tl.card_files
    return tuple(itertools.chain.from_iterable(files[e.id] for e in events))


def plan_pages(tl: Timeline, strings: Strings | None = None) -> list[PageSpec]:
    """Return every page of the site, in a stable order (titles in ``strings``, the built-in theme's without)."""
    lang = tl.config.language
    t = Translator(lang, strings)
    everything = ALL_INPUTS
    actors = {"kind": "actor", "items": tl.actors}
    places = {"kind": "place", "items": tl.places}
    parts = split_timeline(tl.events)
    specs = [
        PageSpec("index.html", "timeline.html", tl.config.title, lang, {"parts": parts} if parts else {}, everything),
        PageSpec("404.html", "404.html", t("not_found"), lang, {}, ()),
        PageSpec("sources/index.html", "sources.html", t("sources"), lang, {}, everything),
        PageSpec("articles/index.html", "articles.html", t("articles"), lang, {}, everything),
        PageSpec("actors/index.html", "entities.html", t("actors"), lang, actors, everything),
        PageSpec("places/index.html", "entities.html", t("places"), lang, places, everything),
        PageSpec("tags/index.html", "tags.html", t("tags"), lang, {}, everything),
    ]
    for n, part in enumerate(parts):
        context = {"parts": parts, "part": part, "events": part.events, "part_index": n}
        title = f"{tl.config.title}: {part.label}"
        inputs = (*card_inputs(tl, part.events), LAYOUT)
        specs.append(PageSpec(f"timeline/{part.key}/index.html", "timeline.html", title, lang, context, inputs))
    for index, event in enumerate(tl.events):
        before = tl.events[index - 1] if index > 0 else None
        after = tl.events[index + 1] if index + 1 < len(tl.events) else None
        specs.append(_event_page(tl, event, lang, before, after))
    for article in tl.articles:
        specs.append(_article_page(tl, article, lang))
    for kind, table in (("actor", tl.actors), ("place", tl.places)):
        for entity in table.values():
            specs.append(_entity_page(tl, kind, entity, lang))
    for name, tag in tl.tags.items():
        ids = tl.events_of.get(f"tag:{name}", ())
        articles = tuple(a for a in tl.articles if name in a.tags)
        events = tuple(tl.event_by_id[i] for i in ids)
        context = {"tag": tag, "events": events, "articles": articles}
        inputs = (*card_inputs(tl, events), *(a.path for a in articles))
        specs.append(PageSpec(page_path("tag", tag.slug) + "index.html", "tag.html", name, lang, context, inputs))
    return specs


def page_paths(tl: Timeline) -> list[str]:
    """Return the path of every page ``plan_pages`` plans, cheaply (for the sitemap)."""
    paths = ["index.html", "404.html", "sources/index.html", "articles/index.html", "actors/index.html",
             "places/index.html", "tags/index.html"]  # fmt: skip
    paths += [f"timeline/{part.key}/index.html" for part in split_timeline(tl.events)]
    paths += [page_path("event", e.id) + "index.html" for e in tl.events]
    paths += [page_path("article", a.id) + "index.html" for a in tl.articles]
    paths += [
        page_path(kind, key) + "index.html"
        for kind, table in (("actor", tl.actors), ("place", tl.places))
        for key in table
    ]
    paths += [page_path("tag", tag.slug) + "index.html" for tag in tl.tags.values()]
    return paths


def _event_page(tl: Timeline, event: Event, lang: str, before: Event | None, after: Event | None) -> PageSpec:
    related = tuple(tl.event_by_id[i] for i in tl.related.get(event.id, ()))
    context = {
        "event": event,
        "previous": before,
        "next": after,
        "related": related,
        "articles": tuple(tl.article_by_id[i] for i in tl.articles_of_event.get(event.id, ())),
    }
    neighbours = tuple(e.path for e in (before, after) if e is not None)
    articles = tuple(tl.article_by_id[i].path for i in tl.articles_of_event.get(event.id, ()))
    # Structured data names every range event that contains this one (superEvent).
    inputs = (event.path, *neighbours, *articles, *card_inputs(tl, related), RANGES)
    return PageSpec(page_path("event", event.id) + "index.html", "event.html", event.title, lang, context, inputs)


def _article_page(tl: Timeline, article: Article, lang: str) -> PageSpec:
    events = tuple(tl.event_by_id[i] for i in tl.events_of_article.get(article.id, ()))
    context = {"article": article, "events": events}
    inputs = (article.path, *card_inputs(tl, events))
    path = page_path("article", article.id) + "index.html"
    return PageSpec(path, "article.html", article.title, lang, context, inputs)


def _entity_page(tl: Timeline, kind: str, entity: Entity, lang: str) -> PageSpec:
    ids = tl.events_of.get(f"{kind}:{entity.id}", ())
    articles = tuple(a for a in tl.articles if entity.id in (a.actors if kind == "actor" else a.places))
    events = tuple(tl.event_by_id[i] for i in ids)
    context = {"kind": kind, "entity": entity, "events": events, "articles": articles}
    path = page_path(kind, entity.id) + "index.html"
    inputs = (*card_inputs(tl, events), *(a.path for a in articles))
    return PageSpec(path, "entity.html", entity.name, lang, context, inputs)
