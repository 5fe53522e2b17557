"""Render the timeline into an in-memory map of output paths, through the theme chain."""

from __future__ import annotations

import dataclasses
import traceback
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from timeline.axis import render_axis
from timeline.config import Era, SiteConfig
from timeline.errors import Diagnostic, error
from timeline.feeds import render_feeds
from timeline.i18n import Translator
from timeline.ignore import is_ignored
from timeline.index import page_path
from timeline.jsonld import Ranges, page_data
from timeline.model import Article, Entity, Event, Timeline
from timeline.opendata import render_open_data
from timeline.search import render_search_index

# Machine-readable files rendered from the whole timeline, beside the HTML pages.
EXTRA_OUTPUTS = (render_feeds, render_open_data, render_search_index)

BUILTIN_THEMES = Path(__file__).resolve().parent.parent / "themes"


def builtin_themes() -> Path:
    """Return the folder of the themes that ship with timeline."""
    # In a source checkout the themes sit beside the package; installed, they are package data.
    if (BUILTIN_THEMES / "default" / "templates").is_dir():
        return BUILTIN_THEMES
    return Path(__file__).resolve().parent / "_themes"


def theme_dirs(config: SiteConfig) -> tuple[Path, ...]:
    """Return the theme folders to search, nearest first: the site's, then the built-in ones."""
    candidates = [config.root / "themes" / config.theme, builtin_themes() / config.theme, builtin_themes() / "default"]
    seen: list[Path] = []
    for folder in candidates:
        if folder.is_dir() and folder.resolve() not in [s.resolve() for s in seen]:
            seen.append(folder)
    return tuple(seen)


def make_environment(config: SiteConfig) -> jinja2.Environment:
    """Return a Jinja environment: autoescape on for every template, undefined names fatal.

    Templates resolve through the chain (site theme, then built-in), and every built-in theme is
    also reachable by name (``{% extends "default/event.html" %}``) so an override can extend it.
    """
    chain = [jinja2.FileSystemLoader(str(d / "templates")) for d in theme_dirs(config)]
    by_name = {
        d.name: jinja2.FileSystemLoader(str(d / "templates"))
        for d in sorted(builtin_themes().iterdir())
        if (d / "templates").is_dir()
    }
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader([*chain, jinja2.PrefixLoader(by_name)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclasses.dataclass(frozen=True, slots=True)
class PageSpec:
    """One page to render: where it goes, with which template, about what."""

    path: str
    template: str
    title: str
    lang: str
    context: Mapping[str, Any]
    inputs: tuple[str, ...] = ()
    """Source files this page shows, for dependency tracking."""


@dataclasses.dataclass(frozen=True, slots=True)
class RenderedSite:
    """The whole output: rendered pages as bytes, and files copied as they are."""

    pages: Mapping[str, bytes]
    copies: Mapping[str, Path]


def plan_pages(tl: Timeline) -> list[PageSpec]:
    """Return every page of the site, in a stable order."""
    lang = tl.config.language
    t = Translator(lang)
    every = tuple(e.path for e in tl.events)
    specs = [
        PageSpec("index.html", "timeline.html", tl.config.title, lang, {}, every),
        PageSpec("404.html", "404.html", t("not_found"), lang, {}),
        PageSpec("sources/index.html", "sources.html", t("sources"), lang, {}, every),
        PageSpec("articles/index.html", "articles.html", t("articles"), lang, {}, tuple(a.path for a in tl.articles)),
        PageSpec("actors/index.html", "entities.html", t("actors"), lang, {"kind": "actor", "items": tl.actors}),
        PageSpec("places/index.html", "entities.html", t("places"), lang, {"kind": "place", "items": tl.places}),
        PageSpec("tags/index.html", "tags.html", t("tags"), lang, {}),
    ]
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
        context = {"tag": tag, "events": tuple(tl.event_by_id[i] for i in ids), "articles": articles}
        specs.append(PageSpec(page_path("tag", tag.slug) + "index.html", "tag.html", name, lang, context))
    return specs


def _event_page(tl: Timeline, event: Event, lang: str, before: Event | None, after: Event | None) -> PageSpec:
    context = {
        "event": event,
        "previous": before,
        "next": after,
        "related": tuple(tl.event_by_id[i] for i in tl.related.get(event.id, ())),
        "articles": tuple(tl.article_by_id[i] for i in tl.articles_of_event.get(event.id, ())),
    }
    inputs = (event.path, *(tl.article_by_id[i].path for i in tl.articles_of_event.get(event.id, ())))
    return PageSpec(page_path("event", event.id) + "index.html", "event.html", event.title, lang, context, inputs)


def _article_page(tl: Timeline, article: Article, lang: str) -> PageSpec:
    events = tuple(tl.event_by_id[i] for i in tl.events_of_article.get(article.id, ()))
    context = {"article": article, "events": events}
    inputs = (article.path, *(e.path for e in events))
    path = page_path("article", article.id) + "index.html"
    return PageSpec(path, "article.html", article.title, lang, context, inputs)


def _entity_page(tl: Timeline, kind: str, entity: Entity, lang: str) -> PageSpec:
    ids = tl.events_of.get(f"{kind}:{entity.id}", ())
    articles = tuple(a for a in tl.articles if entity.id in (a.actors if kind == "actor" else a.places))
    context = {"kind": kind, "entity": entity, "events": tuple(tl.event_by_id[i] for i in ids), "articles": articles}
    path = page_path(kind, entity.id) + "index.html"
    return PageSpec(path, "entity.html", entity.name, lang, context, (entity.path,))


def in_era(event: Event, era: Era) -> bool:
    """Return True if ``event`` starts inside ``era``, compared at the precision of the era's ends."""
    start, low, high = event.span.start, era.span.start, era.span.end or era.span.start
    key = (start.year, start.month or 0, start.day or 0)
    after = (
        key >= (low.year, low.month or 0, low.day or 0)
        or (low.month is None and start.year == low.year)
        or (low.day is None and low.month is not None and (start.year, start.month) == (low.year, low.month))
    )
    if high.month is None:
        before = start.year <= high.year
    elif high.day is None:
        before = (start.year, start.month or 0) <= (high.year, high.month)
    else:
        before = key <= (high.year, high.month, high.day)
    return after and before


def era_classes(event: Event, eras: tuple[Era, ...]) -> str:
    """Return the CSS classes that shade an event by the eras it falls in."""
    return " ".join(f"in-era era-{n % 4}" for n, era in enumerate(eras) if in_era(event, era))


def _globals(tl: Timeline, env: jinja2.Environment) -> dict[str, Any]:
    config = tl.config
    base = config.base_path
    cards: dict[tuple[str, int, bool], Markup] = {}
    ranges = Ranges(tl)
    card_page = PageSpec("", "_card.html", "", config.language, {})

    def url(kind: str = "", key: str = "") -> str:
        if not kind:
            return base
        if kind == "tag":
            return base + page_path("tag", tl.tags[key].slug)
        return base + page_path(kind, key)

    def html(key: str) -> Markup:
        # The only |safe-equivalent: HTML that our own Markdown renderer produced, with raw HTML off.
        return Markup(tl.html.get(key, ""))

    def card(event: Event, level: int = 3, eras: bool = False) -> Markup:
        # An event's card appears on many pages (timeline, actors, places, tags, related):
        # render it once per build. It depends on nothing of the page it is shown on.
        key = (event.id, level, eras)
        if key not in cards:
            classes = era_classes(event, config.eras) if eras else ""
            context = {**shared, "event": event, "level": level, "era_class": classes}
            text = env.get_template("_card.html").render(context, page=card_page, t=Translator(config.language))
            cards[key] = Markup(text.rstrip("\n"))
        return cards[key]

    shared = {
        "site": config,
        "tl": tl,
        "url": url,
        "asset": lambda name: f"{base}assets/{name}",
        "media": lambda src: f"{base}{src}",
        "absolute": lambda path: _absolute(config, path),
        "html": html,
        "time_axis": lambda: render_axis(tl),
        "structured_data": lambda page: page_data(tl, page.path, dict(page.context), ranges),
        "card": card,
    }
    return shared


def _absolute(config: SiteConfig, path: str) -> str:
    root = config.base_url if "://" in config.base_url else config.base_path
    return root + path.removesuffix("index.html")


def render_site(tl: Timeline, env: jinja2.Environment | None = None) -> tuple[RenderedSite, list[Diagnostic]]:
    """Render every page; return the output map and every problem (template errors, collisions)."""
    env = env or make_environment(tl.config)
    # Per-build values travel with each render call, never in env.globals, so one environment
    # (and its compiled templates) can serve many builds in `timeline serve`.
    shared = _globals(tl, env)
    diags: list[Diagnostic] = []
    pages: dict[str, bytes] = {}
    origins: list[tuple[str, str]] = []
    for spec in plan_pages(tl):
        origins.append((spec.path, spec.inputs[0] if spec.inputs and spec.template != "timeline.html" else spec.path))
        text = render_page(env, spec, tl.config, diags, shared)
        if text is not None:
            pages[spec.path] = text.encode("utf-8")
    for produce in EXTRA_OUTPUTS:
        for path, data in produce(tl).items():
            pages[path] = data
            origins.append((path, path))
    copies = _static_files(tl.config)
    origins += [(path, path) for path in copies]
    for rel in tl.assets:
        copies[rel] = tl.config.content_dir / rel
        origins.append((rel, f"content/{rel}"))
    _check_collisions(origins, diags)
    return RenderedSite(pages, copies), diags


def render_page(
    env: jinja2.Environment,
    spec: PageSpec,
    config: SiteConfig,
    diags: list[Diagnostic],
    shared: Mapping[str, Any],
) -> str | None:
    """Render one page; a template error becomes a diagnostic at the template's line."""
    t = Translator(spec.lang)
    try:
        template = env.get_template(spec.template)
        return template.render(
            {**shared, **spec.context}, page=spec, t=t, canonical=_absolute(config, spec.path)
        )
    except jinja2.TemplateSyntaxError as exc:
        diags.append(error(_template_path(exc.filename, config), exc.lineno or 1, 1, f"template: {exc.message}"))
    except jinja2.TemplateNotFound as exc:
        diags.append(error(f"themes/{config.theme}/templates/{spec.template}", 1, 1, f"template not found: {exc.name}"))
    except Exception as exc:  # noqa: BLE001 - a theme bug must become a located diagnostic, not a traceback
        filename, line = _template_frame(exc)
        message = " ".join(str(exc).split()) or type(exc).__name__
        diags.append(error(_template_path(filename, config), line, 1, f"template error on {spec.path}: {message}"))
    return None


def _template_frame(exc: BaseException) -> tuple[str | None, int]:
    # Jinja rewrites tracebacks so template frames carry the template's file and line.
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt", ".json", ".ics", ".svg")):
            return frame.filename, frame.lineno or 1
    return None, 1


def _template_path(filename: str | None, config: SiteConfig) -> str:
    if not filename:
        return f"themes/{config.theme}/templates"
    path = Path(filename)
    for base in (config.root, builtin_themes().parent):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return path.as_posix()


def _static_files(config: SiteConfig) -> dict[str, Path]:
    """Return theme static files, the nearest theme's copy of each name winning."""
    files: dict[str, Path] = {}
    for theme in reversed(theme_dirs(config)):
        static = theme / "static"
        for path in sorted(static.rglob("*")) if static.is_dir() else ():
            rel = path.relative_to(static)
            if path.is_file() and not any(is_ignored(p) for p in rel.parts):
                files["assets/" + rel.as_posix()] = path
    return files


def _check_collisions(origins: list[tuple[str, str]], diags: list[Diagnostic]) -> None:
    # Case-insensitive file systems (macOS, Windows) and NFC/NFD spellings would merge these.
    seen: dict[str, tuple[str, str]] = {}
    for path, origin in sorted(origins):
        key = unicodedata.normalize("NFC", path).casefold()
        if key in seen:
            other, other_origin = seen[key]
            diags.append(error(origin, 1, 1, f"output path '{path}' collides with '{other}' (from {other_origin})"))
        else:
            seen[key] = (path, origin)
