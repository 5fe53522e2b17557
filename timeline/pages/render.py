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
from timeline.incremental.deps import Digests, KeyTable, Resolved, Tape
from timeline.incremental.memo import Fragments, Memo
from timeline.layout import builtin_themes
from timeline.pages.axis import render_axis
from timeline.pages.i18n import Strings, Translator, site_strings
from timeline.pages.jsonld import Ranges, page_data
from timeline.pages.jsonld import page_meta as meta_of
from timeline.pages.plan import PageSpec, plan_pages, split_timeline
from timeline.pages.recording import RangesView, TimelineView, ValueView, unwrap
from timeline.pages.reuse import fingerprints, page_keys, record_digests, record_tokens, resolver, source_of
from timeline.pages.theme import ThemeEnvironment, make_environment, static_files
from timeline.parallel import map_forked
from timeline.progress import Progress

PARALLEL_FROM = 400
"""Fewest pages to render before forking workers is worth it."""

COLLECT_EVERY = 64
"""Pages rendered between two collections of the youngest generation (see ``young_collections``)."""

WholeSiteFiles = Callable[[Timeline, Fragments], Iterable[tuple[str, bytes]] | Mapping[str, bytes]]
"""A writer of files made from the whole timeline (feeds, open data, search): the build passes
them in (see ``timeline.outputs.WHOLE_SITE``), so that pages never import outputs. It asks the
``Fragments`` for each record's piece by calling it, and knows nothing of the memo behind it."""


COPY_MARK = "@copy"
"""The fingerprint of a file copied as it is (static file, asset): listed so a warm build sees it go."""


def whole_site_mark(digest: str) -> str:
    """Return the fingerprint of every whole-site file of a build: ``@`` and the digest of all its inputs."""
    return "@" + digest


def is_whole_site(path: str, value: str) -> bool:
    """Return True if fingerprint ``value`` of ``path`` marks a whole-site file (see ``whole_site_mark``)."""
    # A page's fingerprint is a bare digest; names that start with "@" are notes, not files ("@site").
    return value.startswith("@") and value != COPY_MARK and not path.startswith("@")


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
    deps: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    reads: Resolved | None = None
    """Every key this build resolved, for the next build in the same process (see ``Resolved``)."""
    """Page path -> the keys of what it read (sorted); its fingerprint is their combined digest."""


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
            for path, data in produced.items() if isinstance(produced, Mapping) else produced:
                # Each file's pieces are a kind of their own: once it is made they can go back to
                # the store, so that a build holds one kind at a time (see ``KindMemo``).
                self.pieces.release()
                yield path, data
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


CardMemo = Memo[str, tuple[str, tuple[str, ...], str]]
"""Template, variant and event id -> the piece's HTML, the keys it read and their combined digest."""


@dataclasses.dataclass(frozen=True, slots=True)
class Reads:
    """What a build records reads with: the tape, the digests of keys, one copy of each key."""

    tape: Tape
    digests: Digests
    table: KeyTable


def _globals(
    tl: Timeline,
    env: jinja2.Environment,
    reads: Reads,
    memo: CardMemo | None = None,
    strings: Strings | None = None,
) -> dict[str, Any]:
    config = tl.config
    base = config.base_path
    tape = reads.tape
    # Templates see the timeline through a view that records each read (see pages.recording).
    view = TimelineView(tl, tape)
    # Plain text, wrapped on use: a Markup kept here would copy every card the memo already holds.
    made: dict[tuple[str, str, str], tuple[str, tuple[str, ...]]] = {}
    ranged = RangesView(Ranges(tl), tape, view.view)
    card_page = PageSpec("", "_card.html", "", config.language, {})

    def url(kind: str = "", key: str = "") -> str:
        if not kind:
            return base
        if kind == "tag":
            return base + page_path("tag", view.tags[key].slug)
        return base + page_path(kind, key)

    def html(key: str) -> Markup:
        # The only |safe-equivalent: HTML that our own Markdown renderer produced, with raw HTML off.
        return Markup(view.html.get(key, ""))

    def piece(template: str, shown: Event, variant: str, **context: Any) -> Markup:
        # A part of a page that shows one event and nothing of the page around it (a card in a
        # list, the event's rows on the sources page): rendered once per build, and across builds
        # (serve, the build cache) kept while nothing it read changed. What it read counts as
        # read by every page that shows it.
        event = unwrap(shown)
        key = (template, event.id, variant)
        if key in made:
            text, keys = made[key]
            tape.update(keys)
            return Markup(text)
        stored = f"{template}\0{variant}\0{event.id}"
        hit = memo.get(stored) if memo is not None else None
        if isinstance(hit, tuple) and len(hit) == 3 and reads.digests.combined(hit[1]) == hit[2]:
            text, keys = hit[0], hit[1]
            tape.update(keys)
        else:
            with tape.scope() as read:
                values = {**shared, **context, "event": view.view(event)}
                text = env.get_template(template).render(values, page=card_page, t=Translator(config.language, strings))
            keys = reads.table.canonical(read)
            if memo is not None:
                memo.put(stored, (text, keys, reads.digests.combined(keys)))
        made[key] = (text, keys)
        return Markup(text)

    def card(event: Event, level: int = 3, eras: bool = False) -> Markup:
        classes = era_classes(unwrap(event), config.eras) if eras else ""
        if eras:
            event.span  # noqa: B018 - read through the view: the page's shading follows the date
        # The shading is part of the key: a kept card always has the classes its date gives now.
        return piece("_card.html", event, f"{level}:{eras}:{classes}", level=level, era_class=classes)

    split: list[tuple[Any, ...]] = []  # the parts, made once per build when a page first asks

    def time_axis(part: str | None = None) -> Markup:
        if not split:
            split.append(split_timeline(tl.events))
        parts = split[0]
        if part is not None:
            # A part's axis reads only its own events (which they are is the page's plan), and of them
            # only what the axis shows: renaming an event renders again the part that holds it, not all.
            events = next((p.events for p in parts if p.key == part), ())
            for event in events:
                for field in AXIS_FIELDS:
                    tape.add(f"rec:event:{field}:{event.id}")
            return render_axis(tl, strings, events=events)
        tape.add("all")  # the overview's axis shows every event, and which part holds each
        if not parts:
            return render_axis(tl, strings)
        where = {event.id: p.key for p in parts for event in p.events}
        # On a split timeline the overview's periods link to the part pages that list their events.
        return render_axis(tl, strings, page_of=lambda event: f"{base}timeline/{where[event.id]}/")

    def structured_data(page: PageSpec) -> list[dict[str, Any]]:
        context = {name: view.wrap(value) for name, value in page.context.items()}
        return page_data(view, page.path, context, ranged, strings)  # type: ignore[arg-type]

    def page_meta(page: PageSpec) -> dict[str, str]:
        context = {name: view.wrap(value) for name, value in page.context.items()}
        return meta_of(view, page.path, context)  # type: ignore[arg-type]

    shared = {
        "site": config,
        "tl": view,
        "url": url,
        "asset": lambda name: f"{base}assets/{name}",
        "media": lambda src: f"{base}{src}",
        "absolute": lambda path: _absolute(config, path),
        "html": html,
        "time_axis": time_axis,
        "structured_data": structured_data,
        "page_meta": page_meta,
        "card": card,
        "source_rows": lambda event: piece("_source_rows.html", event, ""),
        # Computed once per build, recorded where used (the same digests as reuse.resolver's).
        # The filter shows only statuses that some event has.
        "statuses": ValueView(
            tuple(status for status in STATUSES if any(e.status == status for e in tl.events)), tape, "g:statuses"
        ),
    }
    return shared


AXIS_FIELDS = ("id", "title", "span", "status", "disputed", "milestones")
"""The fields of an event that its mark on the axis shows."""


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
    previous_deps: Mapping[str, tuple[str, ...]] | None = None,
    previous_reads: Resolved | None = None,
    cards: CardMemo | None = None,
    fragments: Memo[str, Any] | None = None,
    workers: int = 1,
    sink: Sink | None = None,
    defer_extras: bool = False,
    progress: Progress | None = None,
    whole_site: Sequence[WholeSiteFiles] = (),
) -> tuple[RenderedSite, list[Diagnostic]]:
    """Render every page; return the output map and every problem (template errors, collisions).

    With ``previous`` (the fingerprints of what ``previous_dir`` holds) and ``previous_deps``
    (what each of its pages read), a page none of whose reads changed is not rendered again but
    kept from that folder. ``workers`` > 1 renders pages in
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
    strings = site_strings(tl.config, diags)
    specs = plan_pages(tl, strings)
    prints = fingerprints(tl, digests or {})
    # Kept among the fingerprints (like "@extra"; the writers skip names that start with "@"), so
    # that the next build can tell whether the site's frame changed.
    site_digest = prints["@site"]
    records = record_digests(tl, digests or {}, site_digest)
    # Templates are dependencies only when the environment records its loads (one of ours).
    recorded = isinstance(env, ThemeEnvironment)
    tokens = record_tokens(tl, digests or {})
    reads = Reads(Tape(), Digests(resolver(tl, env, specs, digests or {}, strings), source_of, tokens), KeyTable())
    shared = _globals(tl, env, reads, cards if recorded else None, strings)
    old = previous if previous is not None and previous_dir is not None else {}
    known = (previous_deps or {}) if recorded else {}
    deps: dict[str, tuple[str, ...]] = {}
    kept: set[str] = set()

    folder = str(previous_dir) if previous_dir is not None else ""

    # With the digests of the last build in this process, only the keys that changed since are
    # looked for in each page's reads (a set test in C), instead of digesting every page's reads.
    # The keys of a record whose file is as it was are not looked at (see ``Digests.changed``).
    changed = reads.digests.changed(previous_reads) if previous_reads is not None and known else None

    def reusable(path: str) -> bool:
        # Kept iff nothing the page read last time reads differently now (Lektor's rule).
        keys = known.get(path)
        if keys is None or not folder or path not in old:
            return False
        if changed is not None and previous_reads is not None:
            # A fingerprint someone changed since that build (a file edited by hand) is stale.
            unchanged = old[path] == previous_reads.outputs.get(path) and changed.isdisjoint(keys)
        else:
            unchanged = old[path] == reads.digests.combined(keys)
        return unchanged and os.path.isfile(os.path.join(folder, path))

    todo: list[PageSpec] = []
    for spec in specs:
        origins.append((spec.path, spec.origin or spec.path))
        if reusable(spec.path):
            kept.add(spec.path)
            deps[spec.path] = known[spec.path]  # sorted already, and sharing its keys with the others kept
            prints[spec.path] = old[spec.path]
        else:
            todo.append(spec)

    # Forking pays off only for many pages; a few pages render faster than a child starts.
    forks = workers if len(todo) >= PARALLEL_FROM else 1
    rendered = render_progress(progress, len(todo), forks)

    with young_collections() as collect, _recording(env, reads.tape):

        def render_one(spec: PageSpec) -> tuple[bytes | None, list[Diagnostic], tuple[str, ...]]:
            found: list[Diagnostic] = []
            with reads.tape.scope() as read:
                text = render_page(env, spec, tl.config, found, shared, reads.tape, strings)
            collect()
            rendered()
            # Sorted here: in a forked worker, the parent gets them ready to keep.
            return (None if text is None else text.encode("utf-8")), found, tuple(sorted(page_keys(spec, read)))

        def render_to_sink(spec: PageSpec) -> tuple[bool, list[Diagnostic], tuple[str, ...]]:
            # Runs in a forked worker too: the page goes to disk there, only this small result comes back.
            data, found, keys = render_one(spec)
            if data is not None and sink is not None:
                sink.write(spec.path, data)
            return data is not None, found, keys

        if sink is None:
            for spec, (data, found, keys) in zip(todo, map_forked(render_one, todo, forks), strict=True):
                diags += found
                if data is not None:
                    pages[spec.path] = data
                    _note(spec.path, keys, reads, deps, prints, recorded)
        else:
            for spec, (written, found, keys) in zip(todo, map_forked(render_to_sink, todo, forks), strict=True):
                diags += found
                if written:
                    streamed.add(spec.path)
                    _note(spec.path, keys, reads, deps, prints, recorded)
        mark = whole_site_mark(prints["@extra"])
        extra = [path for path, value in old.items() if is_whole_site(path, value)]
        on_disk = bool(extra) and all(previous_dir is not None and (previous_dir / p).is_file() for p in extra)
        later = DeferredExtras(tl, Fragments(fragments, records), mark, tuple(whole_site))
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
    prints.update(dict.fromkeys(copies, COPY_MARK))
    _check_collisions(origins, diags)
    # Every page's reads are resolved by now (kept ones while deciding, rendered ones in _note).
    resolved = None
    if recorded:
        resolved = reads.digests.resolved({path: prints[path] for path in deps})
    if sink is not None:
        done = frozenset(streamed)
        on_disk_pages = PagesOnDisk(done, sink.final)
        return RenderedSite(on_disk_pages, copies, frozenset(kept), prints, done, deferred, deps, resolved), diags
    return RenderedSite(pages, copies, frozenset(kept), prints, deferred=deferred, deps=deps, reads=resolved), diags


def _note(
    path: str,
    keys: tuple[str, ...],
    reads: Reads,
    deps: dict[str, tuple[str, ...]],
    prints: dict[str, str],
    recorded: bool,
) -> None:
    """Keep what a rendered page read, and its fingerprint: the combined digest of that."""
    if not recorded:
        return  # without recorded template loads, a page is never kept: it gets no fingerprint
    deps[path] = reads.table.canonical(keys)
    prints[path] = reads.digests.combined(deps[path])


@contextlib.contextmanager
def _recording(env: jinja2.Environment, tape: Tape) -> Iterator[None]:
    """Record the templates ``env`` loads on ``tape`` for the block (if it is one of ours)."""
    if not isinstance(env, ThemeEnvironment):
        yield
        return
    env.tape = tape
    try:
        yield
    finally:
        env.tape = None


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
    tape: Tape | None = None,
    strings: Strings | None = None,
) -> str | None:
    """Render one page; a template error (a UI string in no strings file too) becomes a diagnostic at its line.

    With a ``tape``, the records in the page's context are seen through views that record reads.
    """
    t = Translator(spec.lang, strings)
    view = shared.get("tl")
    if tape is not None and type(view) is TimelineView:
        # ``page.context`` too: a theme may read the records there.
        spec = dataclasses.replace(spec, context={name: view.wrap(value) for name, value in spec.context.items()})
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
