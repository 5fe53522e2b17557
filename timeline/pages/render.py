"""Render the timeline through the theme chain: into a sink that writes files, or into memory.

The design card said "render into an in-memory map, then write atomically". At 4,000 articles
and 10,000 events that map is ~400 MB of page bytes (held twice while forked workers pickled
their share back), so ``build`` streams instead: each page goes to a ``Sink`` (a pending folder
beside the output, see ``build.Staging``) as soon as it is rendered, and only its path comes
back. Atomicity is kept by that folder: nothing reaches the live output before the whole site
rendered without errors. ``check`` passes no sink and keeps pages in memory, as before.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import traceback
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import jinja2
from markupsafe import Markup

from timeline.content.config import Era, SiteConfig
from timeline.content.model import STATUSES, Event, Timeline
from timeline.content.urls import page_path
from timeline.errors import Diagnostic, error
from timeline.incremental.memo import Fragments, Memo
from timeline.layout import builtin_themes
from timeline.pages.axis import render_axis
from timeline.pages.i18n import Translator
from timeline.pages.jsonld import Ranges, page_data
from timeline.pages.plan import ALL_INPUTS, PageSpec, plan_pages
from timeline.pages.reuse import fingerprints, record_digests
from timeline.pages.theme import can_reuse, make_environment, static_files
from timeline.parallel import map_forked
from timeline.progress import Progress

PARALLEL_FROM = 400
"""Fewest pages to render before forking workers is worth it."""

COLLECT_EVERY = 64
"""Pages rendered between two collections of the youngest generation (see ``young_collections``)."""

WholeSiteFiles = Callable[[Timeline, Fragments], Iterable[tuple[str, bytes]] | Mapping[str, bytes]]
"""A writer of files made from the whole timeline (feeds, open data, search): the build passes
them in (see ``timeline.outputs.WHOLE_SITE``), so that pages never import outputs."""


class Sink(Protocol):
    """Where rendered files go as they are made, before the build is known to have succeeded."""

    @property
    def final(self) -> Path:
        """Return the folder the files will be in once the build is in place."""
        ...

    def write(self, rel: str, data: bytes) -> None:
        """Store one output file (callable from forked workers: it must not rely on parent state)."""
        ...


class PagesOnDisk(Mapping[str, bytes]):
    """Pages that were streamed to a sink: their paths, and their bytes read back on access.

    The bytes are read from the sink's final folder, so they can be read only once the build is
    in place; the paths (``len``, iteration, ``in``) are always there.
    """

    __slots__ = ("_folder", "_paths")

    def __init__(self, paths: Iterable[str], folder: Path) -> None:
        self._paths = frozenset(paths)
        self._folder = folder

    def __getitem__(self, rel: str) -> bytes:
        if rel not in self._paths:
            raise KeyError(rel)
        return (self._folder / rel).read_bytes()

    def __contains__(self, rel: object) -> bool:
        return rel in self._paths

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._paths))

    def __len__(self) -> int:
        return len(self._paths)


@dataclasses.dataclass(frozen=True, slots=True)
class RenderedSite:
    """The whole output: rendered pages (as bytes, or already in a sink), and files copied as they are."""

    pages: Mapping[str, bytes]
    """Every page rendered by this build; with a sink, a ``PagesOnDisk`` (see ``streamed``)."""
    copies: Mapping[str, Path]
    kept: frozenset[str] = frozenset()
    """Pages whose inputs did not change: the previous output's file is still right."""
    fingerprints: Mapping[str, str] = dataclasses.field(default_factory=dict)
    """Output path -> digest of everything the page was made from."""
    streamed: frozenset[str] = frozenset()
    """Pages already given to the sink: their bytes are not held here and must not be written again."""
    deferred: DeferredExtras | None = None
    """The whole-site files, when the caller asked for them later (see ``render_site``)."""


@dataclasses.dataclass(frozen=True, slots=True)
class DeferredExtras:
    """What it takes to make the whole-site files (feeds, open data, search) after the pages."""

    timeline: Timeline
    pieces: Fragments
    fingerprint: str
    """The fingerprint every one of these files gets (``@`` and the digest of all inputs)."""
    writers: tuple[WholeSiteFiles, ...] = ()

    def files(self) -> Iterator[tuple[str, bytes]]:
        """Yield each whole-site file, one at a time."""
        for produce in self.writers:
            produced = produce(self.timeline, self.pieces)
            # A producer may also yield its files one by one, so that only one is held at a time.
            yield from produced.items() if isinstance(produced, Mapping) else produced
            gc.collect(0)  # the cycles this whole-site file left (see young_collections)


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


CardMemo = Memo[str, str]
"""Digest of a card's inputs (the event, the articles it cites, the site) -> the card's HTML."""


def _globals(
    tl: Timeline,
    env: jinja2.Environment,
    memo: CardMemo | None = None,
    records: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    config = tl.config
    base = config.base_path
    # Plain text, wrapped on use: a Markup kept here would copy every card the memo already holds.
    made: dict[tuple[str, str, str], str] = {}
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

    def piece(template: str, event: Event, variant: str, **context: Any) -> Markup:
        # A part of a page that shows one event and nothing of the page around it (a card in a
        # list, the event's rows on the sources page): rendered once per build, and across builds
        # (serve, the build cache) kept while the event's record digest is unchanged.
        key = (template, event.id, variant)
        if key in made:
            return Markup(made[key])
        stored = f"{records[f'event:{event.id}']}:{template}:{variant}" if memo is not None and records else None
        text = memo.get(stored) if memo is not None and stored is not None else None
        if text is None:
            values = {**shared, **context, "event": event}
            text = env.get_template(template).render(values, page=card_page, t=Translator(config.language))
            if memo is not None and stored is not None:
                memo.put(stored, text)
        made[key] = text
        return Markup(text)

    def card(event: Event, level: int = 3, eras: bool = False) -> Markup:
        classes = era_classes(event, config.eras) if eras else ""
        return piece("_card.html", event, f"{level}:{eras}", level=level, era_class=classes)

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
        "source_rows": lambda event: piece("_source_rows.html", event, ""),
        "has_external_sources": any(not s.article for e in tl.events for s in e.sources),
        # Computed once per build: the filter shows only statuses that some event has.
        "statuses": tuple(status for status in STATUSES if any(e.status == status for e in tl.events)),
    }
    return shared


def _absolute(config: SiteConfig, path: str) -> str:
    root = config.base_url if "://" in config.base_url else config.base_path
    return root + path.removesuffix("index.html")


@contextlib.contextmanager
def young_collections() -> Iterator[Callable[[], None]]:
    """Freeze what is alive now, and yield a callable that frees the cycles made since, now and then.

    ``build.paused_gc`` holds off the collector for the whole build, but rendering a page leaves
    reference cycles (Jinja's contexts and macros, ``json``'s encoder closures) that only the
    collector frees: at 4,000 articles and 10,000 events they held ~250 MB until the build
    ended. Frozen objects (the timeline, the session) are never walked, so collecting the
    youngest generation every few pages walks only what those pages made. Freezing before the
    fork also spares the children copy-on-write faults on the parent's objects.
    """
    # Only under ``paused_gc`` (no other thread runs): elsewhere the collector does its usual work.
    froze = gc.get_freeze_count() == 0 and not gc.isenabled()
    if froze:
        gc.freeze()
    count = 0

    def tick() -> None:
        nonlocal count
        count += 1
        if count % COLLECT_EVERY == 0:
            gc.collect(0)

    try:
        yield tick
    finally:
        if froze:
            gc.unfreeze()


def render_site(
    tl: Timeline,
    env: jinja2.Environment | None = None,
    *,
    digests: Mapping[str, str] | None = None,
    previous: Mapping[str, str] | None = None,
    previous_dir: Path | None = None,
    cards: CardMemo | None = None,
    fragments: Memo[str, Any] | None = None,
    workers: int = 1,
    sink: Sink | None = None,
    defer_extras: bool = False,
    progress: Progress | None = None,
    whole_site: Sequence[WholeSiteFiles] = (),
) -> tuple[RenderedSite, list[Diagnostic]]:
    """Render every page; return the output map and every problem (template errors, collisions).

    With ``previous`` (the fingerprints of what ``previous_dir`` holds), a page whose inputs did
    not change is not rendered again but kept from that folder. ``workers`` > 1 renders pages in
    that many forked processes (only from a process without other threads). With a ``sink``,
    every rendered file is written to it as it is made (by the worker that made it) instead of
    being held in memory. With ``defer_extras`` and a previous build of the same site frame
    (config, theme, actors, places, tags, ids: so the same set of whole-site files), the feeds,
    open data and search files are not made here: the previous ones are kept for now and
    ``RenderedSite.deferred`` makes the new ones, for ``serve`` to write after the pages.
    ``progress`` hears of each page rendered (see ``render_progress``). ``whole_site`` are the
    writers of the whole-site files.
    """
    env = env or make_environment(tl.config)
    # Per-build values travel with each render call, never in env.globals, so one environment
    # (and its compiled templates) can serve many builds in `timeline serve`.
    diags: list[Diagnostic] = []
    pages: dict[str, bytes] = {}
    streamed: set[str] = set()
    origins: list[tuple[str, str]] = []
    specs = plan_pages(tl)
    prints = fingerprints(tl, specs, digests or {})
    # Kept among the fingerprints (like "@extra"; the writers skip names that start with "@"), so
    # that the next build can tell whether the site's frame changed.
    site_digest = prints["@site"]
    reuse = can_reuse(tl.config)
    records = record_digests(tl, digests or {}, site_digest)
    shared = _globals(tl, env, cards if reuse else None, records)
    old = previous if previous is not None and previous_dir is not None and reuse else {}
    kept: set[str] = set()

    folder = str(previous_dir) if previous_dir is not None else ""

    def reusable(path: str) -> bool:
        return bool(folder) and old.get(path) == prints.get(path) and os.path.isfile(os.path.join(folder, path))

    todo: list[PageSpec] = []
    for spec in specs:
        origins.append((spec.path, spec.inputs[0] if spec.inputs and spec.inputs != ALL_INPUTS else spec.path))
        if reusable(spec.path):
            kept.add(spec.path)
        else:
            todo.append(spec)

    # Forking pays off only for many pages; a few pages render faster than a child starts.
    forks = workers if len(todo) >= PARALLEL_FROM else 1
    rendered = render_progress(progress, len(todo), forks)

    with young_collections() as collect:

        def render_one(spec: PageSpec) -> tuple[bytes | None, list[Diagnostic]]:
            found: list[Diagnostic] = []
            text = render_page(env, spec, tl.config, found, shared)
            collect()
            rendered()
            return (None if text is None else text.encode("utf-8")), found

        def render_to_sink(spec: PageSpec) -> tuple[bool, list[Diagnostic]]:
            # Runs in a forked worker too: the page goes to disk there, only this small result comes back.
            data, found = render_one(spec)
            if data is not None and sink is not None:
                sink.write(spec.path, data)
            return data is not None, found

        if sink is None:
            for spec, (data, found) in zip(todo, map_forked(render_one, todo, forks), strict=True):
                diags += found
                if data is not None:
                    pages[spec.path] = data
        else:
            for spec, (written, found) in zip(todo, map_forked(render_to_sink, todo, forks), strict=True):
                diags += found
                if written:
                    streamed.add(spec.path)
        mark = "@" + prints["@extra"]
        extra = [path for path, value in old.items() if value.startswith("@") and value != "@copy" and path[0] != "@"]
        on_disk = bool(extra) and all(previous_dir is not None and (previous_dir / p).is_file() for p in extra)
        later = DeferredExtras(tl, Fragments(fragments, records) if reuse else Fragments(), mark, tuple(whole_site))
        if on_disk and all(old[path] == mark for path in extra):
            deferred = None
            kept.update(extra)
            origins += [(path, path) for path in extra]
            prints.update(dict.fromkeys(extra, mark))
        elif on_disk and defer_extras and old.get("@site") == site_digest:
            # The same frame gives the same set of files: keep the old ones until ``deferred`` runs.
            deferred = later
            kept.update(extra)
            origins += [(path, path) for path in extra]
            prints.update({path: old[path] for path in extra})
        else:
            deferred = None
            if progress is not None:
                progress("feeds, open data, search", 0, 0)
            for path, data in later.files():
                if sink is None:
                    pages[path] = data
                else:
                    sink.write(path, data)
                    streamed.add(path)
                origins.append((path, path))
                prints[path] = mark
    copies = static_files(tl.config, diags)
    origins += [(path, path) for path in copies]
    for rel in tl.assets:
        copies[rel] = tl.config.content_dir / rel
        origins.append((rel, f"content/{rel}"))
    # Copied files are listed too, so that a later warm build knows to remove one that went away.
    prints.update({rel: "@copy" for rel in copies})
    _check_collisions(origins, diags)
    if sink is not None:
        done = frozenset(streamed)
        return RenderedSite(PagesOnDisk(done, sink.final), copies, frozenset(kept), prints, done, deferred), diags
    return RenderedSite(pages, copies, frozenset(kept), prints, deferred=deferred), diags


def render_progress(progress: Progress | None, total: int, forks: int) -> Callable[[], None]:
    """Return a callable to run after each page, which tells ``progress`` how far rendering is.

    Only the parent process reports (a forked worker shares the terminal but not the count).
    The parent renders every ``forks``-th page while the workers render the rest at about the
    same pace, so its own count times ``forks`` is the estimate shown.
    """
    if progress is None:
        return lambda: None
    parent = os.getpid()
    done = 0

    def rendered() -> None:
        nonlocal done
        if os.getpid() == parent:
            done += 1
            progress("rendering", min(done * forks, total), total)

    progress("rendering", 0, total)
    return rendered


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
        return template.render({**shared, **spec.context}, page=spec, t=t, canonical=_absolute(config, spec.path))
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
