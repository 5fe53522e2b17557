"""Which pages the site has, and what each shows (what each reads is recorded as it renders)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from timeline.content.dates import format_year
from timeline.content.model import Article, Event, Timeline
from timeline.content.urls import page_path
from timeline.pages.i18n import Strings, Translator
from timeline.pages.pagination import Pager, PagerLink, chunks, page_count, page_dir, series


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


SPLIT_AT = 120
"""A timeline of more events than this is split into pages by decade (a crowded decade by year, a
crowded year by month): at about 1.3 KB an event card, a part stays well under 200 KB."""


@dataclasses.dataclass(frozen=True, slots=True)
class Part:
    """One page of a split timeline: the events that start in a decade, a year or a month."""

    key: str
    """``1990s``, ``1994`` or ``1994-03``; the page is ``timeline/<key>/``."""
    label: str
    events: tuple[Event, ...]


def _numeric_month(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def split_timeline(
    events: tuple[Event, ...],
    limit: int = SPLIT_AT,
    month_label: Callable[[int, int], str] = _numeric_month,
    locale: str = "en",
) -> tuple[Part, ...]:
    """Return the parts of a long timeline (none when it fits on one page), in date order.

    A crowded year is cut into runs of months; its events known only to the year stay in a part of
    the year. ``month_label`` names a month (``March 1994``). Years and decades before year 1 are
    labelled as every output writes them (``format_year``): the astronomical decade -20 holds the
    years 21 BCE to 12 BCE.
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
        for year, group in years.items():
            if len(group) <= limit:
                parts.append(Part(str(year), format_year(year, locale), tuple(group)))
                continue
            months: dict[int, list[Event]] = {}
            for event in group:
                months.setdefault(event.span.start.month or 0, []).append(event)
            if 0 in months:
                parts.append(Part(str(year), format_year(year, locale), tuple(months.pop(0))))
            parts += _month_parts(year, months, limit, month_label)
    return tuple(parts)


def _month_parts(
    year: int, months: dict[int, list[Event]], limit: int, month_label: Callable[[int, int], str]
) -> list[Part]:
    """Return a crowded year's parts: runs of consecutive months of at most ``limit`` events together.

    Months are joined (``January 1994 – April 1994``) so that a year just over the limit makes two
    parts, not twelve small ones; a month over the limit alone is one part, as a year is.
    """
    runs: list[list[int]] = []
    total = 0
    for month in sorted(months):
        if runs and total + len(months[month]) <= limit:
            runs[-1].append(month)
            total += len(months[month])
        else:
            runs.append([month])
            total = len(months[month])
    parts = []
    for run in runs:
        first, last = run[0], run[-1]
        label = month_label(year, first) if first == last else f"{month_label(year, first)} – {month_label(year, last)}"
        events = tuple(event for month in run for event in months[month])
        parts.append(Part(f"{year}-{first:02d}", label, events))
    return parts


@dataclasses.dataclass(frozen=True, slots=True)
class PagedList:
    """A list page before it is cut into pages: its address, template, title, and the lists it shows."""

    base: str
    """The folder of page 1 (``actors/armenia/``)."""
    template: str
    title: str
    context: Mapping[str, Any]
    """What every page of it shows besides its share of the items."""
    items: tuple[tuple[str, tuple[Any, ...]], ...]
    """Named lists, paged as one run (an actor's events, then its articles)."""
    origin: str = ""
    section: bool = False
    """A section list (``actors/``): its pages go under ``page/`` so they never meet an id's folder."""

    @property
    def total(self) -> int:
        """Return how many entries its lists hold together."""
        return sum(len(items) for _, items in self.items)


def plan_pages(tl: Timeline, strings: Strings | None = None) -> list[PageSpec]:
    """Return every page of the site, in a stable order (titles in ``strings``, the built-in theme's without)."""
    lang = tl.config.language
    t = Translator(lang, strings)
    parts = split_timeline(tl.events, month_label=t.month, locale=lang)
    links = tuple(PagerLink(f"timeline/{part.key}/", part.label, len(part.events)) for part in parts)
    overview = {"parts": parts, "paging": Pager(links, -1, t("parts"), numbered=False)} if parts else {}
    specs = [
        PageSpec("index.html", "timeline.html", tl.config.title, lang, overview),
        PageSpec("404.html", "404.html", t("not_found"), lang, {}),
    ]
    lists = paged_lists(tl, t)
    for listed in lists[:5]:
        specs += _paged_pages(listed, tl.config.page_size, lang, t)
    for n, part in enumerate(parts):
        paging = Pager(links, n, part.label, numbered=False)
        context = {"parts": parts, "part": part, "events": part.events, "part_index": n, "paging": paging}
        title = f"{tl.config.title}: {part.label}"
        specs.append(PageSpec(f"timeline/{part.key}/index.html", "timeline.html", title, lang, context))
    for index, event in enumerate(tl.events):
        before = tl.events[index - 1] if index > 0 else None
        after = tl.events[index + 1] if index + 1 < len(tl.events) else None
        specs.append(_event_page(tl, event, lang, before, after))
    for article in tl.articles:
        specs.append(_article_page(tl, article, lang))
    for listed in lists[5:]:
        specs += _paged_pages(listed, tl.config.page_size, lang, t)
    return specs


def paged_lists(tl: Timeline, t: Translator) -> list[PagedList]:
    """Return every list page of the site before paging: the five section lists, then actors, places, tags."""
    external = tuple(e for e in tl.events if any(not s.article for s in e.sources))
    sections: tuple[tuple[str, str, str, dict[str, str], tuple[tuple[str, tuple[Any, ...]], ...]], ...] = (
        ("sources/", "sources.html", "sources", {}, (("articles", tl.articles), ("source_events", external))),
        ("articles/", "articles.html", "articles", {}, (("articles", tl.articles),)),
        ("actors/", "entities.html", "actors", {"kind": "actor"}, (("items", tuple(tl.actors.items())),)),
        ("places/", "entities.html", "places", {"kind": "place"}, (("items", tuple(tl.places.items())),)),
        ("tags/", "tags.html", "tags", {}, (("items", tuple(tl.tags.items())),)),
    )
    lists = [
        PagedList(base, template, t(key), context, named, section=True)
        for base, template, key, context, named in sections
    ]
    for kind, table in (("actor", tl.actors), ("place", tl.places)):
        for entity in table.values():
            ids = tl.events_of.get(f"{kind}:{entity.id}", ())
            articles = tuple(a for a in tl.articles if entity.id in (a.actors if kind == "actor" else a.places))
            events = tuple(tl.event_by_id[i] for i in ids)
            context = {"kind": kind, "entity": entity}
            named = (("events", events), ("articles", articles))
            lists.append(PagedList(page_path(kind, entity.id), "entity.html", entity.name, context, named, entity.path))
    for name, tag in tl.tags.items():
        events = tuple(tl.event_by_id[i] for i in tl.events_of.get(f"tag:{name}", ()))
        articles = tuple(a for a in tl.articles if name in a.tags)
        named = (("events", events), ("articles", articles))
        lists.append(PagedList(page_path("tag", tag.slug), "tag.html", name, {"tag": tag}, named))
    return lists


def _paged_pages(listed: PagedList, size: int, lang: str, t: Translator) -> list[PageSpec]:
    """Return the pages of one list: each with its share of the items, the totals, and the picker."""
    run = [(name, item) for name, items in listed.items for item in items]
    pages = chunks(run, size)
    count = len(pages)
    links = series(listed.base, count, section=listed.section)
    totals = {name: len(items) for name, items in listed.items}
    specs = []
    for n, page in enumerate(pages, start=1):
        label = t("page_of").format(page=n, pages=count)
        shares = {name: tuple(item for named, item in page if named == name) for name, _ in listed.items}
        context = {**listed.context, **shares, "totals": totals, "paging": Pager(links, n - 1, label)}
        title = t("page_title").format(title=listed.title, page=n, pages=count) if count > 1 else listed.title
        path = page_dir(listed.base, n, section=listed.section) + "index.html"
        specs.append(PageSpec(path, listed.template, title, lang, context, listed.origin))
    return specs


def page_paths(tl: Timeline) -> list[str]:
    """Return the path of every page ``plan_pages`` plans, cheaply (for the sitemap)."""
    size = tl.config.page_size
    lists = paged_lists(tl, Translator(tl.config.language))
    paths = ["index.html", "404.html"]
    paths += [
        page_dir(listed.base, n, section=listed.section) + "index.html"
        for listed in lists
        for n in range(1, page_count(listed.total, size) + 1)
    ]
    paths += [f"timeline/{part.key}/index.html" for part in split_timeline(tl.events)]
    paths += [page_path("event", e.id) + "index.html" for e in tl.events]
    paths += [page_path("article", a.id) + "index.html" for a in tl.articles]
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
