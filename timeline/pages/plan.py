"""Which pages the site has, and what each shows (what each reads is recorded as it renders)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from timeline.content.dates import format_year
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
    origin: str = ""
    """The content file the page is about, named when its output path collides with another's."""


SPLIT_AT = 300
"""A timeline of more events than this is split into pages by decade (and a crowded decade by year)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Part:
    """One page of a split timeline: the events that start in a decade or a year."""

    key: str
    """``1990s`` or ``1994``; the page is ``timeline/<key>/``."""
    label: str
    events: tuple[Event, ...]


def split_timeline(events: tuple[Event, ...], limit: int = SPLIT_AT, locale: str = "en") -> tuple[Part, ...]:
    """Return the parts of a long timeline (none when it fits on one page), in date order.

    Years and decades before year 1 are labelled as every output writes them (``format_year``):
    the astronomical decade -20 holds the years 21 BCE to 12 BCE.
    """
    if len(events) <= limit:
        return ()
    decades: dict[int, list[Event]] = {}
    for event in events:
        decades.setdefault(event.span.start.year // 10 * 10, []).append(event)
    parts: list[Part] = []
    for decade, members in decades.items():
        if len(members) <= limit:
            bce = f"{format_year(decade, locale)} – {format_year(decade + 9, locale)}"
            label = f"{decade}s" if decade >= 0 else bce
            parts.append(Part(f"{decade}s", label, tuple(members)))
            continue
        years: dict[int, list[Event]] = {}
        for event in members:
            years.setdefault(event.span.start.year, []).append(event)
        parts += [Part(str(year), format_year(year, locale), tuple(group)) for year, group in years.items()]
    return tuple(parts)


def plan_pages(tl: Timeline, strings: Strings | None = None) -> list[PageSpec]:
    """Return every page of the site, in a stable order (titles in ``strings``, the built-in theme's without)."""
    lang = tl.config.language
    t = Translator(lang, strings)
    actors = {"kind": "actor", "items": tl.actors}
    places = {"kind": "place", "items": tl.places}
    parts = split_timeline(tl.events, locale=lang)
    specs = [
        PageSpec("index.html", "timeline.html", tl.config.title, lang, {"parts": parts} if parts else {}),
        PageSpec("404.html", "404.html", t("not_found"), lang, {}),
        PageSpec("sources/index.html", "sources.html", t("sources"), lang, {}),
        PageSpec("articles/index.html", "articles.html", t("articles"), lang, {}),
        PageSpec("actors/index.html", "entities.html", t("actors"), lang, actors),
        PageSpec("places/index.html", "entities.html", t("places"), lang, places),
        PageSpec("tags/index.html", "tags.html", t("tags"), lang, {}),
    ]
    for n, part in enumerate(parts):
        context = {"parts": parts, "part": part, "events": part.events, "part_index": n}
        title = f"{tl.config.title}: {part.label}"
        specs.append(PageSpec(f"timeline/{part.key}/index.html", "timeline.html", title, lang, context))
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
        specs.append(PageSpec(page_path("tag", tag.slug) + "index.html", "tag.html", name, lang, context))
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
    path = page_path("event", event.id) + "index.html"
    return PageSpec(path, "event.html", event.title, lang, context, event.path)


def _article_page(tl: Timeline, article: Article, lang: str) -> PageSpec:
    events = tuple(tl.event_by_id[i] for i in tl.events_of_article.get(article.id, ()))
    context = {"article": article, "events": events}
    path = page_path("article", article.id) + "index.html"
    return PageSpec(path, "article.html", article.title, lang, context, article.path)


def _entity_page(tl: Timeline, kind: str, entity: Entity, lang: str) -> PageSpec:
    ids = tl.events_of.get(f"{kind}:{entity.id}", ())
    articles = tuple(a for a in tl.articles if entity.id in (a.actors if kind == "actor" else a.places))
    events = tuple(tl.event_by_id[i] for i in ids)
    context = {"kind": kind, "entity": entity, "events": events, "articles": articles}
    path = page_path(kind, entity.id) + "index.html"
    return PageSpec(path, "entity.html", entity.name, lang, context, entity.path)
