"""Glue between ``serve`` and the pipeline: a rebuild callable that builds into a preview folder."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from timeline.build.pipeline import build_site
from timeline.build.session import BuildSession
from timeline.content.model import Timeline
from timeline.content.urls import page_path
from timeline.errors import Diagnostic, TimelineError, error
from timeline.progress import ProgressLine, count_files, summary_line
from timeline.serve.server import Rebuild, RebuildResult


def changed_pages(timeline: Timeline | None, site: Path, changed: Iterable[Path]) -> tuple[str, ...]:
    """Return the site-relative URLs of the event and article pages whose files changed."""
    if timeline is None:
        return ()
    by_path = {e.path: page_path("event", e.id) for e in timeline.events}
    by_path.update({a.path: page_path("article", a.id) for a in timeline.articles})
    urls = []
    for path in sorted(changed):
        try:
            rel = path.resolve().relative_to(site.resolve()).as_posix()
        except ValueError:
            continue
        if rel in by_path:
            urls.append(by_path[rel])
    return tuple(urls)


def make_rebuild(
    site: Path,
    root: Path,
    *,
    base_url: str | None,
    quiet: bool = False,
    progress: ProgressLine | None = None,
) -> Rebuild:
    """Return a callable that rebuilds ``site`` into ``root`` (swapped in whole), re-reading site.yaml.

    A good build's result carries the summary line ``build`` prints too (none when ``quiet``);
    ``progress`` draws the live line of a long build.
    """

    session = BuildSession()

    def rebuild(changed: frozenset[Path]) -> RebuildResult:
        started = time.monotonic()
        if progress is not None:
            progress.restart()
        try:
            # The first build's empty set names no change; later ones name every path the watcher saw.
            hint = changed or None
            result = build_site(
                site, root, base_url=base_url, session=session, defer_extras=True, progress=progress, changed=hint
            )
        except TimelineError as exc:
            return RebuildResult(False, exc.diagnostics)
        except OSError as exc:
            problem: Diagnostic = error("site.yaml", 1, 1, f"cannot write the preview: {exc}")
            return RebuildResult(False, (problem,))
        finally:
            if progress is not None:
                progress.clear()
        ok = not result.failed()
        summary = ""
        if ok and not quiet and result.site is not None:
            summary = summary_line(count_files(result.site), time.monotonic() - started)
            if changed:
                summary += f" ({len(changed)} changed)"
        urls = changed_pages(result.timeline, site, changed)
        return RebuildResult(ok, result.diagnostics, urls, result.finish, summary)

    return rebuild
