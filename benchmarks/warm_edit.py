"""Time one-file edit rebuilds in a live process, as `timeline serve` rebuilds on a save.

    python benchmarks/warm_edit.py SITE [--edits 10] [--event FILE] [--article FILE]

Builds SITE once into a temporary folder with a build session, then edits one event's
``title:`` line and, separately, appends a paragraph to one article, ``--edits`` times each,
timing only ``build_site``. Prints one JSON line: the first build's time, every edit's time,
their median and p95 (seconds), and the process's peak resident memory (MiB). The edited files
are restored at the end. A benchmark, not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from timeline.build.pipeline import build_site
from timeline.build.session import BuildSession


def p95(times: list[float]) -> float:
    """Return the 95th percentile by nearest rank, as serve_latency.py reports it."""
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def middle(folder: Path, pattern: str) -> Path:
    """Return the middle file of ``folder`` in name order, so runs edit the same file."""
    files = sorted(folder.glob(pattern))
    if not files:
        raise SystemExit(f"no {pattern} files in {folder}")
    return files[len(files) // 2]


HINTS = "changed" in inspect.signature(build_site).parameters
"""Whether this timeline takes the changed paths, as serve's watcher gives them (older ones stat every file)."""


def timed_build(site: Path, out: Path, session: BuildSession, changed: set[Path]) -> float:
    """Rebuild ``site`` into ``out`` with the session; return the wall time, or exit if it failed."""
    hint = {"changed": frozenset(changed)} if HINTS else {}
    start = time.perf_counter()
    result = build_site(site, out, session=session, **hint)
    elapsed = time.perf_counter() - start
    if result.failed():
        errors = [d.format() for d in result.diagnostics if d.severity == "error"][:3]
        raise SystemExit("build failed: " + "; ".join(errors))
    return elapsed


def edit_loop(
    site: Path,
    out: Path,
    session: BuildSession,
    path: Path,
    edits: int,
    edit: Callable[[str, int], tuple[str, str]],
    pending: set[Path],
) -> list[float]:
    """Apply ``edit`` to ``path`` ``edits`` times, rebuilding after each; check the page shows it.

    ``pending`` holds the paths changed since the last build (the next build is told of them, as
    serve's watcher tells it); the restored file is left in it.
    """
    original = path.read_text(encoding="utf-8")
    kind = "events" if path.suffix in (".yaml", ".yml") else "articles"
    page = out / kind / path.stem / "index.html"
    times = []
    try:
        for n in range(edits):
            text, marker = edit(original, n)
            path.write_text(text, encoding="utf-8")
            pending.add(path)
            times.append(timed_build(site, out, session, pending))
            pending.clear()
            # Outside the timed part: a fast rebuild that missed the edit would be a false figure.
            if marker not in page.read_text(encoding="utf-8"):
                raise SystemExit(f"{page} does not show the edit {marker!r}")
    finally:
        path.write_text(original, encoding="utf-8")
        pending.add(path)
    return times


def edit_title(text: str, n: int) -> tuple[str, str]:
    """Return the event with a new title, and the title."""
    title = f"Edited title number {n}"
    return re.sub(r"(?m)^title: .*$", f"title: {title}", text, count=1), title


def append_paragraph(text: str, n: int) -> tuple[str, str]:
    """Return the article with one more paragraph, and the paragraph."""
    paragraph = f"An edited paragraph, number {n}."
    return f"{text.rstrip()}\n\n{paragraph}\n", paragraph


def summary(times: list[float]) -> dict[str, object]:
    """Return the times with their median and p95."""
    return {"times": times, "median": statistics.median(times), "p95": p95(times)}


def main() -> None:
    """Build once, time the edits and print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--edits", type=int, default=10, help="edits of each file (default: %(default)s)")
    parser.add_argument("--event", type=Path, help="the event file to edit (default: the middle one)")
    parser.add_argument("--article", type=Path, help="the article file to edit (default: the middle one)")
    args = parser.parse_args()
    site: Path = args.site.resolve()
    event = args.event or middle(site / "content" / "events", "*.yaml")
    article = args.article or middle(site / "content" / "articles", "*.md")
    session = BuildSession()
    with tempfile.TemporaryDirectory(prefix="timeline-warm-") as tmp:
        out = Path(tmp) / "site"
        start = time.perf_counter()
        result = build_site(site, out, session=session, workers=1)
        first = time.perf_counter() - start
        if result.failed():
            raise SystemExit("first build failed")
        pending: set[Path] = set()
        event_times = edit_loop(site, out, session, event, args.edits, edit_title, pending)
        article_times = edit_loop(site, out, session, article, args.edits, append_paragraph, pending)
    report = {
        "first_build": first,
        "event": summary(event_times),
        "article": summary(article_times),
        # Linux reports ru_maxrss in KiB.
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(json.dumps(report))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
