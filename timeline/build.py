"""The pipeline: config, read, index, render, then put the whole site in place atomically.

Rendered files stream into a pending folder beside the output as they are made (see
``timeline.render`` for why), so a build holds paths, not page bytes. The live output folder is
touched only after the whole site rendered without errors; a failed build removes the pending
folder and leaves the previous output byte for byte.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import secrets
import shutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from types import TracebackType

from timeline.causes import first_causes
from timeline.config import SiteConfig, load_config
from timeline.errors import Diagnostic, TimelineError, error, has_errors
from timeline.i18n import check_language
from timeline.index import index_content
from timeline.model import Timeline
from timeline.progress import Progress
from timeline.reader import read_content
from timeline.render import RenderedSite, Sink, render_site
from timeline.session import BuildSession

MARKER = ".timeline-output"
"""A file in every output folder we write, so we never delete a folder we did not make."""


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

    def failed(self, *, strict: bool = False) -> bool:
        """Return True if the result must not be written (errors, or warnings when strict)."""
        return self.site is None or has_errors(self.diagnostics, strict=strict)


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
    file that could not be read are folded under it (see ``timeline.causes``).
    """
    diags: list[Diagnostic] = []
    problem = check_language(config.language)
    if problem:
        diags.append(error("site.yaml", 1, 1, problem))
    records, stats = (session.records, session.stats) if session else (None, None)
    content, read_diags = read_content(config, records, stats, progress)
    diags += read_diags
    if progress is not None:
        progress("indexing", 0, 0)
    timeline, index_diags = index_content(content, config, memo=session.markdown if session else None, workers=workers)
    diags += index_diags
    if has_errors(diags):
        return BuildResult(config, first_causes(diags, content, config), None, timeline)
    out = config.output.resolve()
    site, render_diags = render_site(
        timeline,
        session.environments.get(config) if session else None,
        digests=dict(content.digests),
        previous=session.outputs.get(str(out)) if session else None,
        previous_dir=out,
        cards=session.cards if session else None,
        fragments=session.fragments if session else None,
        workers=workers,
        sink=sink,
        defer_extras=defer_extras,
        progress=progress,
    )
    diags += render_diags
    return BuildResult(config, first_causes(diags, content, config), site, timeline)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Hold off the cycle collector while the pipeline runs, then let it run again.

    A build makes a great many objects that live until it ends; with a warm session in memory,
    each full collection walks all of it, which cost a third of a rebuild at 5,000 events.
    Reference counting still frees everything that is not in a cycle.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check_site(root: Path, *, base_url: str | None = None, progress: Progress | None = None) -> BuildResult:
    """Run the whole pipeline without writing anything."""
    return run_pipeline(load_config(root, base_url=base_url), progress=progress)


def build_site(
    root: Path,
    out_dir: Path | None = None,
    *,
    base_url: str | None = None,
    strict: bool = False,
    session: BuildSession | None = None,
    workers: int = 1,
    defer_extras: bool = False,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the site into ``out_dir`` (default: the configured output); write only on success.

    ``session`` keeps work between builds of one process (``serve``) or, saved in the build
    cache, between runs (``build``). With ``defer_extras`` (``serve``: the page in the browser
    first), a warm build may write its pages and return with ``finish`` set, which makes and
    writes the feeds, open data and search files; until it runs they are the previous build's.
    """
    config = load_config(root, base_url=base_url, output=out_dir.resolve() if out_dir else None)
    check_output_dir(config)
    out = config.output.resolve()
    previous = session.outputs.get(str(out)) if session is not None else None
    # Warm: the session knows what the output folder holds, so only changed files are replaced.
    warm = previous is not None and (out / MARKER).is_file()
    with Staging(out, warm=warm) as staging:
        with paused_gc():
            result = run_pipeline(
                config, session, workers=workers, sink=staging, defer_extras=defer_extras and warm, progress=progress
            )
        if not result.failed(strict=strict):
            assert result.site is not None
            if progress is not None:
                progress("writing", 0, 0)
            if previous is not None and warm:
                update_tree(result.site, out, previous, staging.folder)
            else:
                write_tree(result.site, out, staging.folder)
            if session is not None:
                session.outputs[str(out)] = dict(result.site.fingerprints)
    if session is not None:
        session.finish()
    deferred = result.site.deferred if result.site is not None and not result.failed(strict=strict) else None
    if deferred is None:
        return result

    def finish() -> None:
        prints = session.outputs.get(str(out)) if session is not None else None
        for rel, data in deferred.files():
            target = _target(out, rel)
            if not _holds(target, data):
                _replace_file(target, data)
            if prints is not None:
                prints[rel] = deferred.fingerprint
        if session is not None:
            session.fragments.prune()

    return dataclasses.replace(result, finish=finish)


def check_output_dir(config: SiteConfig) -> None:
    """Refuse an output folder that is the site itself, holds it, or lies inside its content."""
    out = config.output.resolve()
    root = config.root.resolve()
    where = "--output" if out.parent != root else "site.yaml"
    if root.is_relative_to(out) or out.is_relative_to(config.content_dir.resolve()):
        raise TimelineError([error(where, 1, 1, f"output folder {out} would hold or overwrite the site's sources")])
    for source in ("themes", "site.yaml", ".git"):
        if out.is_relative_to(root / source):
            raise TimelineError([error(where, 1, 1, f"output folder {out} lies inside {source}")])
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise TimelineError(
            [error(where, 1, 1, f"output folder {out} exists and was not made by timeline; remove it or pick another")]
        )


def _target(staging: Path, rel: str) -> Path:
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in rel or "\x00" in rel:
        raise ValueError(f"unsafe output path {rel!r}")
    return staging.joinpath(*pure.parts)


class Staging:
    """A pending folder beside the output that rendered files stream into while the site renders.

    Cold (``warm=False``) it becomes the new output folder: ``write`` hard-links a file whose
    bytes did not change from the previous output (keeping its modification time) and writes the
    rest. Warm, it holds only the files whose bytes differ from the output folder's, to be moved
    into place one by one. Either way, leaving the ``with`` block removes what is left of it, so
    a failed build leaves nothing behind. ``write`` is called from forked workers too, so it
    keeps no state: everything it does is on disk.
    """

    def __init__(self, out_dir: Path, *, warm: bool) -> None:
        self.final = out_dir.resolve()
        self.folder = self.final.with_name(f".{self.final.name}.staging-{secrets.token_hex(4)}")
        self.warm = warm

    def __enter__(self) -> Staging:
        self.final.parent.mkdir(parents=True, exist_ok=True)
        self.folder.mkdir()
        if not self.warm:
            (self.folder / MARKER).write_bytes(b"")
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def write(self, rel: str, data: bytes) -> None:
        """Stage one output file (a page rendered again with the same bytes costs no write when warm)."""
        target = _target(self.folder, rel)
        if not self.warm:
            _write_file(target, data, self.final / rel)
        elif not _holds(_target(self.final, rel), data):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)  # a share redone after a failed worker writes afresh
            target.write_bytes(data)


def write_tree(site: RenderedSite, out_dir: Path, staging: Path) -> None:
    """Finish the staging folder (pages not yet in it, unchanged files, copies), then swap it into place.

    The previous output stays whole until the swap, and a file whose bytes did not change is
    hard-linked from it, so it keeps its modification time.
    """
    out_dir = out_dir.resolve()
    retired = out_dir.with_name(f".{out_dir.name}.old-{secrets.token_hex(4)}")
    try:
        for rel in sorted(site.pages.keys() - site.streamed):
            _write_file(_target(staging, rel), site.pages[rel], out_dir / rel)
        for rel in sorted(site.kept):
            # Unchanged inputs: the previous output's file is right; share it (and its mtime).
            target = _target(staging, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(out_dir / rel, target)
        for rel, source in sorted(site.copies.items()):
            _write_file(_target(staging, rel), source.read_bytes(), out_dir / rel)
        if out_dir.exists():
            os.replace(out_dir, retired)
        os.replace(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not out_dir.exists():
            os.replace(retired, out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def update_tree(site: RenderedSite, out_dir: Path, previous: Mapping[str, str], pending: Path) -> None:
    """Bring an output folder that holds ``previous`` up to date, touching only what changed.

    Used for warm builds (``serve``, the build cache), where a whole staging copy would cost more
    than the change: each changed file is replaced atomically (streamed ones are moved in from
    ``pending``, which holds only files whose bytes changed), and files that are no longer part
    of the site are removed. Nothing is written before the whole site has rendered.
    """
    for rel in sorted(site.streamed):
        source = _target(pending, rel)
        if os.path.lexists(source):
            target = _target(out_dir, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    for rel in sorted(site.pages.keys() - site.streamed):
        data = site.pages[rel]
        if not _holds(_target(out_dir, rel), data):
            _replace_file(_target(out_dir, rel), data)
    for rel, source in sorted(site.copies.items()):
        target = _target(out_dir, rel)
        data = source.read_bytes()
        if not _holds(target, data):
            _replace_file(target, data)
    current = {*site.pages, *site.kept, *site.copies}
    for rel in sorted(set(previous) - current):
        if rel.startswith("@"):
            continue
        target = _target(out_dir, rel)
        target.unlink(missing_ok=True)
        for folder in target.parents:
            if folder == out_dir or any(folder.iterdir()):
                break
            folder.rmdir()


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


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _write_file(target: Path, data: bytes, previous: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    # A share redone after a failed worker may find the worker's file, perhaps a link to the
    # previous output: unlink it, so that the write never goes through into the live folder.
    target.unlink(missing_ok=True)
    try:
        if previous.is_file() and not previous.is_symlink() and previous.stat().st_size == len(data):
            if previous.read_bytes() == data:
                os.link(previous, target)
                return
    except OSError:
        pass  # a file system without hard links: write a fresh copy instead
    target.write_bytes(data)
