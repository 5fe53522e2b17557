"""The pipeline: config, read, index, render, then put the whole site in place atomically.

Rendered files stream into a pending folder beside the output as they are made (see
``timeline.pages.render`` for why), so a build holds paths, not page bytes. The live output folder is
touched only after the whole site rendered without errors, and then in one step (see
``timeline.build.outputdir``); a failed or killed build leaves the previous output byte for byte, and
a disk or permission error is a one-line diagnostic.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import secrets
import shutil
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import TracebackType

from timeline.build import manifest
from timeline.build.outputdir import (
    JOURNAL,
    MARKER,
    PENDING,
    SPARE,
    apply_plan,
    disk_error,
    exchange,
    finish_journal,
    is_ours,
    needs_journal,
    plan_tree,
    recover,
    sibling,
    target,
    walk,
    write_journal,
)
from timeline.build.session import BuildSession, fresh_session, hint, hinted_walk, load_session, save_session
from timeline.content.causes import first_causes
from timeline.content.config import SiteConfig, load_config, output_error, output_problem
from timeline.content.linking import index_content
from timeline.content.model import Timeline
from timeline.content.reader import read_content
from timeline.content.sourcefile import walk_sources
from timeline.errors import Diagnostic, TimelineError, error, has_errors
from timeline.incremental.store import StoreDamaged
from timeline.outputs import WHOLE_SITE
from timeline.pages.i18n import check_language, site_strings
from timeline.pages.render import RenderedSite, Sink, render_site
from timeline.progress import Progress, count_files


@dataclasses.dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build or check produced."""

    config: SiteConfig
    diagnostics: tuple[Diagnostic, ...]
    site: RenderedSite | None
    """None when the pipeline stopped on errors before rendering."""
    timeline: Timeline | None = None
    finish: Callable[[], None] | None = None
    """With ``defer_extras``: writes the whole-site files the build left for later (see ``build_site``)."""
    up_to_date: bool = False
    """True when the fast path found nothing changed since the last build: nothing was read or written."""
    files: int = 0
    """How many files the output folder holds after a good build (the build's ``FileCounts.total``)."""
    notes: tuple[Diagnostic, ...] = ()
    """Warnings about the build cache: printed, never part of the site's diagnostics, never failing it."""

    def failed(self, *, strict: bool = False) -> bool:
        """Return True if the result must not be written (errors, or warnings when strict)."""
        return (self.site is None and not self.up_to_date) or has_errors(self.diagnostics, strict=strict)


def run_pipeline(
    config: SiteConfig,
    session: BuildSession | None = None,
    *,
    workers: int = 1,
    sink: Sink | None = None,
    defer_extras: bool = False,
    progress: Progress | None = None,
) -> BuildResult:
    """Read, index and render the site; write nothing but into ``sink`` (without one, keep pages in memory).

    With a ``session``, unchanged files are not parsed again, unchanged Markdown is not rendered
    again, and pages whose inputs are unchanged are kept from the output folder. ``progress``
    hears of each stage and of each file read and page rendered. Errors that only follow from a
    file that could not be read are folded under it (see ``timeline.content.causes``). With a
    session's ``hint`` (the paths changed since its last walk), only those files are looked at
    again (see ``hinted_walk``).
    """
    diags: list[Diagnostic] = []
    problem = check_language(config.language)
    if problem:
        diags.append(error("site.yaml", 1, 1, problem))
    records, stats = (session.records, session.stats) if session else (None, None)
    walk = hinted_walk(session) if session else walk_sources
    content, read_diags = read_content(config, records, stats, progress, walk)
    diags += read_diags
    if progress is not None:
        progress("indexing", 0, 0)
    timeline, index_diags = index_content(content, config, memo=session.markdown if session else None, workers=workers)
    diags += index_diags
    if has_errors(diags):
        site_strings(config, diags)  # every problem in one run: the theme's strings files too, though nothing renders
        return BuildResult(config, first_causes(diags, content, config), None, timeline)
    out = config.output.resolve()
    site, render_diags = render_site(
        timeline,
        session.environments.get(config) if session else None,
        digests=dict(content.digests),
        previous=session.outputs.get(str(out)) if session else None,
        previous_dir=out,
        previous_deps=session.deps.get(str(out)) if session else None,
        previous_reads=session.reads.get(str(out)) if session else None,
        cards=session.cards if session else None,
        fragments=session.fragments if session else None,
        workers=workers,
        sink=sink,
        defer_extras=defer_extras,
        progress=progress,
        whole_site=WHOLE_SITE,
    )
    diags += render_diags
    return BuildResult(config, first_causes(diags, content, config), site, timeline)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Hold off the cycle collector while the pipeline runs, if no other thread runs; then restore it.

    A build makes a great many objects that live until it ends; with a warm session in memory,
    each full collection walks all of it, which cost a third of a rebuild at 5,000 events.
    Reference counting still frees everything that is not in a cycle. The switch is the whole
    process's: with other threads running (``serve``'s HTTP and watcher threads) it would hold
    off their collections too, so there the collector is left alone.
    """
    if threading.active_count() > 1 or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def check_site(root: Path, *, base_url: str | None = None, progress: Progress | None = None) -> BuildResult:
    """Run the whole pipeline without writing anything."""
    config = load_config(root, base_url=base_url)
    with paused_gc():
        return run_pipeline(config, progress=progress)


def build_site(
    root: Path,
    out_dir: Path | None = None,
    *,
    base_url: str | None = None,
    strict: bool = False,
    cache: bool = True,
    session: BuildSession | None = None,
    workers: int = 1,
    defer_extras: bool = False,
    progress: Progress | None = None,
    changed: frozenset[Path] | None = None,
) -> BuildResult:
    """Build the site into ``out_dir`` (default: the configured output) as ``timeline build`` does.

    With ``cache`` (``build`` without ``--no-cache``) the build cache ``root/.timeline-cache/``
    makes a rebuild cheap: a site whose files are all as the last good build left them is not
    built again (``up_to_date``, its warnings as they were; see ``timeline.build.manifest``), and
    otherwise the saved session is loaded, used and saved back. A ``session`` given here instead
    keeps work in memory between builds of one process (``serve``), and no cache is read or
    written. Either way the output is written only on success. With ``defer_extras`` and a
    ``session`` (``serve``: the page in the browser first), a warm build may write its pages and
    return with ``finish`` set, which makes and writes the feeds, open data and search files;
    until it runs they are the previous build's. ``changed``, with a ``session``, names every
    path that changed since its last build (``serve``'s watcher); without it every file is
    looked at.
    """
    if session is not None or not cache:
        return _write_site(root, out_dir, base_url, strict, session, workers, defer_extras, progress, changed)
    try:
        config = load_config(root, base_url=base_url, output=out_dir.resolve() if out_dir else None)
    except TimelineError:
        manifest.clear_manifest(root)  # a failed build never leaves a manifest behind
        raise
    # A refused output folder is refused before the build cache is touched.
    check_output_dir(config)
    out = config.output.resolve()
    try:
        # What a killed build left is finished or undone before anything looks at the output.
        recover(out)
    except OSError as exc:
        raise disk_error(exc, out) from None
    found = manifest.load_manifest(root)
    if found is not None and manifest.is_current(found, config, strict):
        files = sum(rel != manifest.MARKER for rel in found.outputs)
        return BuildResult(config, tuple(found.diagnostics()), None, up_to_date=True, files=files)
    # Before the build reads anything, so that an edit made while it runs is seen next time.
    snapshot = manifest.snapshot_inputs(config)
    described = found or manifest.load_manifest(root, retired=True)
    stale = manifest.stale_outputs(described) if described is not None else set()
    # Whatever happens next, no manifest may claim that these inputs were built.
    manifest.clear_manifest(root)
    saved, store, notes = load_session(root)
    _forget_untrusted(saved, described, stale)
    # Never deferred: the manifest recorded below must describe every file of the output.
    try:
        result = _write_site(root, out_dir, base_url, strict, saved, workers, False, progress)
    except StoreDamaged as exc:
        # Found damaged halfway (the pages were decided with it): build again without the store.
        store.discard(f"the saved session is damaged ({exc}); it was discarded")
        saved = fresh_session(store)
        result = _write_site(root, out_dir, base_url, strict, saved, workers, False, progress)
    if result.failed(strict=strict):
        return dataclasses.replace(result, notes=tuple(notes) + tuple(store.cache.news()))
    notes += save_session(saved, store)
    if store.cache.enabled:
        out_dir = result.config.output.resolve()
        done = manifest.Manifest(
            key=manifest.manifest_key(config, strict),
            taken_ns=snapshot[0],
            inputs=snapshot[1],
            outputs=manifest.snapshot_outputs(out_dir),
            warnings=manifest.as_warnings(result.diagnostics),
            out_dir=str(out_dir),
        )
        manifest.save_manifest(root, done)
    return dataclasses.replace(result, notes=tuple(notes))


def _forget_untrusted(session: BuildSession, described: manifest.Manifest | None, stale: set[str]) -> None:
    """Drop what the saved session says of output folders that no manifest vouches for, and of ``stale`` files."""
    for kept in list(session.outputs):
        if described is None or kept != described.out_dir:
            # No manifest says what that folder holds (a build may have been killed after it
            # switched the folder in): build it without trusting the session's record.
            del session.outputs[kept]
            session.reads.pop(kept, None)
    previous = session.outputs.get(described.out_dir) if described is not None else None
    if previous is not None:
        for rel in stale:
            # Deleted or edited by hand since the last build: write it again, however unchanged its inputs.
            if previous.get(rel, "@copy").startswith("@") and previous.get(rel) != "@copy":
                previous[rel] = "@stale"  # a whole-site file: the set of them is made again together
            else:
                previous.pop(rel, None)


def _write_site(
    root: Path,
    out_dir: Path | None,
    base_url: str | None,
    strict: bool,
    session: BuildSession | None,
    workers: int,
    defer_extras: bool,
    progress: Progress | None,
    changed: frozenset[Path] | None = None,
) -> BuildResult:
    """Build the site with what ``session`` (if any) keeps; write only on success."""
    if session is not None:
        hint(session, changed)
    config = load_config(root, base_url=base_url, output=out_dir.resolve() if out_dir else None)
    check_output_dir(config)
    out = config.output.resolve()
    try:
        recover(out)
        previous = session.outputs.get(str(out)) if session is not None else None
        # Warm: the session knows what the output folder holds, so only changed pages are rendered.
        warm = previous is not None and (out / MARKER).is_file()
        with Staging(out, journal=needs_journal(out)) as staging:
            with paused_gc():
                defer = defer_extras and warm
                result = run_pipeline(
                    config, session, workers=workers, sink=staging, defer_extras=defer, progress=progress
                )
            if not result.failed(strict=strict):
                assert result.site is not None
                if progress is not None:
                    progress("writing", 0, 0)
                put_in_place(result.site, staging)
                if session is not None:
                    session.outputs[str(out)] = dict(result.site.fingerprints)
                    session.deps[str(out)] = dict(result.site.deps)
                    if result.site.reads is not None:
                        session.reads[str(out)] = result.site.reads
                    else:
                        session.reads.pop(str(out), None)
    except OSError as exc:
        if session is not None:
            # What the output folder holds is no longer known for sure: the next build starts cold.
            session.outputs.pop(str(out), None)
            session.reads.pop(str(out), None)
        raise disk_error(exc, out) from None
    if session is not None:
        session.finish()
    if not result.failed(strict=strict) and result.site is not None:
        result = dataclasses.replace(result, files=count_files(result.site).total)
    deferred = result.site.deferred if result.site is not None and not result.failed(strict=strict) else None
    if deferred is None:
        return result

    def finish() -> None:
        prints = session.outputs.get(str(out)) if session is not None else None
        for rel, data in deferred.files():
            path = target(out, rel)
            if not _holds(path, data):
                _replace_file(path, data)
            if prints is not None:
                prints[rel] = deferred.fingerprint
        if session is not None:
            session.fragments.prune()

    return dataclasses.replace(result, finish=finish)


def check_output_dir(config: SiteConfig) -> None:
    """Refuse an output folder that is the site itself, holds it, lies inside its sources, or is not ours."""
    out = config.output.resolve()
    problem = output_problem(config.root, config.output)
    if problem is None and out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        problem = f"output folder {out} exists and was not made by timeline; remove it or pick another"
    if problem is not None:
        raise output_error(config, problem)


class Staging:
    """A pending folder that rendered files stream into while the site renders, and the switch.

    ``write`` stores a file only when its bytes differ from the live output's (a page rendered
    again with the same bytes costs no write), so the pending folder holds what changed. After a
    successful render, ``switch`` turns the spare folder beside the output into the whole new
    tree (unchanged files as hard links to the live ones) and exchanges it with the output in one
    step (see ``timeline.build.outputdir``). A folder that cannot be renamed (``journal``: a mount
    point) gets its pending folder inside it and is updated through a write-ahead journal.
    Leaving the ``with`` block removes what is left of the pending folder, so a failed build
    leaves nothing behind. ``write`` is called from forked workers too, so it keeps no state:
    everything it does is on disk.
    """

    def __init__(self, out_dir: Path, *, journal: bool = False) -> None:
        self.final = out_dir.resolve()
        self.journal = journal
        token = secrets.token_hex(4)
        if journal:
            self.folder = self.final / f"{PENDING}{token}"
        else:
            self.folder = sibling(self.final, f"staging-{token}")

    def __enter__(self) -> Staging:
        self.final.parent.mkdir(parents=True, exist_ok=True)
        if self.journal and not (self.final / MARKER).is_file():
            # An empty folder we update in place is ours from now on, so that ``recover`` may finish the job.
            (self.final / MARKER).write_bytes(b"")
        self.folder.mkdir()
        # Marked as ours, so that a run killed now has it removed by the next one (``recover``).
        (self.folder / MARKER).write_bytes(b"")
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        if not (self.journal and (self.final / JOURNAL).is_file()):
            # A committed journal needs its pending files: the next run rolls it forward.
            shutil.rmtree(self.folder, ignore_errors=True)

    def write(self, rel: str, data: bytes) -> None:
        """Stage one output file, unless the live output already holds these bytes."""
        pending = target(self.folder, rel)
        if _holds(target(self.final, rel), data):
            # A share redone after a failed worker may find the worker's (perhaps torn) file.
            with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                pending.unlink()
            return
        _write_file(pending, data)

    def switch(self, files: Mapping[str, bool]) -> None:
        """Put the new tree in place; ``files`` maps each of its files to True if its bytes are pending."""
        live = self.final
        if self.journal:
            steps = plan_tree(live, live, files, skip=(self.folder.name, JOURNAL))
            write_journal(live, self.folder, steps)
            apply_plan(steps, live, live, self.folder)
            finish_journal(live)
            return
        if not os.path.lexists(live):
            os.replace(self.folder, live)  # the first build: the pending folder is the whole tree
            return
        spare = sibling(live, SPARE)
        folder = spare if is_ours(spare) else self.folder
        steps = plan_tree(folder, live, files)
        if folder == self.folder:
            steps = [step for step in steps if step[0] != "move"]
        apply_plan(steps, folder, live, self.folder)
        exchange(folder, live)
        # The output is the new tree now; what follows only tidies the spare, and may fail.
        try:
            if folder == self.folder and not os.path.lexists(spare) and is_ours(folder):
                os.replace(folder, spare)
            if is_ours(spare):
                # The old bytes of changed files are of no use to the next build: free their space.
                for rel, pending in files.items():
                    if pending:
                        target(spare, rel).unlink(missing_ok=True)
        except OSError:
            pass


def put_in_place(site: RenderedSite, staging: Staging) -> None:
    """Stage what the render did not stream (copies, in-memory pages), then switch the new tree in."""
    for rel in sorted(site.pages.keys() - site.streamed):
        staging.write(rel, site.pages[rel])
    for rel, source in sorted(site.copies.items()):
        staging.write(rel, source.read_bytes())
    # The pending folder holds only what changed: walking it beats a stat of every file of the site.
    pending = {rel for rel, (is_dir, _) in walk(staging.folder).items() if not is_dir}
    files = {rel: rel in pending for rel in (*site.pages, *site.kept, *site.copies)}
    files[MARKER] = not (staging.final / MARKER).is_file()
    staging.switch(files)


def _holds(target: Path, data: bytes) -> bool:
    # The size first: most changed pages change length, and a stat is cheaper than a read.
    try:
        return (
            target.is_file()
            and not target.is_symlink()
            and target.stat().st_size == len(data)
            and target.read_bytes() == data
        )
    except OSError:
        return False


def _replace_file(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _write_file(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    # Never through a file that is there already: it may be a hard link to a live one.
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    try:
        target.write_bytes(data)
    except OSError as exc:
        if exc.filename is None:  # a failed write(), not open(), names no file: name it
            raise OSError(exc.errno, exc.strerror, str(target)) from None
        raise
