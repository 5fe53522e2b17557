"""Count what one event-title edit re-renders on a generated site, against what it changes.

    .venv/bin/python benchmarks/title_edit.py [--events 5000] [--articles 500] [--theme] [--range] [--workers 1]

Generates a site (``corpus.py``), builds it once with a build session in this process, edits
one event's ``title:``, builds again, and prints one JSON line: the pages planned, the pages
re-rendered and the whole-site files made again, the output files whose bytes changed, the
pages that show the new title, and both builds' times (seconds). With ``--theme`` the site has
a theme of its own that overrides the event template, as many sites do; with ``--range`` the
edited event spans a range, so the structured data of the events inside it names it too. A benchmark, not a
test: it prints figures (counts are exact; times depend on the machine).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import make_articles, write_timeline  # noqa: E402

from timeline.build.pipeline import build_site  # noqa: E402
from timeline.build.session import BuildSession  # noqa: E402

TITLE = "Edited title QX7"
"""The new title: a string no generated text contains, so that the pages showing it can be counted."""

OVERRIDE = """{% extends "default/event.html" %}
{% block event_nav %}<p class="desk">Corrections: desk@example.org</p>{{ super() }}{% endblock %}
"""


def snapshot(out: Path) -> dict[str, str]:
    """Return the digest of every file in the output folder, by relative path."""
    return {
        path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


def build(site: Path, out: Path, session: BuildSession, workers: int) -> tuple[float, object]:
    """Build and return the wall time and the result; exit if the build failed."""
    start = time.perf_counter()
    result = build_site(site, out, session=session, workers=workers)
    elapsed = time.perf_counter() - start
    if result.failed():
        raise SystemExit("build failed: " + "; ".join(d.format() for d in result.diagnostics[:3]))
    return elapsed, result


def main() -> None:
    """Generate, build, edit one title, rebuild, print the counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--theme", action="store_true", help="give the site a theme that overrides event.html")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--range", action="store_true", help="edit an event that spans a range")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site, out = Path(tmp) / "site", Path(tmp) / "out"
        write_timeline(site, make_articles(args.articles, args.seed), args.events, args.seed)
        if args.theme:
            templates = site / "themes" / "default" / "templates"
            templates.mkdir(parents=True)
            (templates / "event.html").write_text(OVERRIDE, encoding="utf-8")
        session = BuildSession()
        cold, first = build(site, out, session, args.workers)
        before = snapshot(out)
        events = sorted((site / "content" / "events").glob("*.yaml"))
        if args.range:
            events = [path for path in events if re.search(r"(?m)^date: \S+/", path.read_text(encoding="utf-8"))]
        event = events[len(events) // 2]
        text = event.read_text(encoding="utf-8")
        event.write_text(re.sub(r"(?m)^title: .*$", f"title: {TITLE}", text, count=1), encoding="utf-8")
        warm, second = build(site, out, session, args.workers)
        after = snapshot(out)
        rendered = sorted(second.site.pages)  # type: ignore[attr-defined]
        planned = [p for p in first.site.fingerprints if p.endswith(".html")]  # type: ignore[attr-defined]
        showing = [
            rel for rel in after if rel.endswith(".html") and TITLE in (out / rel).read_text(encoding="utf-8")
        ]
        changed = sorted(rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel))
        pages = [p for p in rendered if p.endswith(".html")]
        deps = getattr(second.site, "deps", {})  # what the session keeps of the pages' reads
        print(
            json.dumps(
                {
                    "events": args.events,
                    "articles": args.articles,
                    "theme": args.theme,
                    "edited": event.stem,
                    "pages_planned": len(planned),
                    "pages_rerendered": len(pages),
                    "pages_showing_title": len(showing),
                    "rerendered_not_showing": len(set(pages) - set(showing)),
                    "showing_not_rerendered": len(set(showing) - set(pages)),
                    "whole_site_files_made": len(rendered) - len(pages),
                    "output_files_changed": len(changed),
                    "html_files_changed": len([p for p in changed if p.endswith(".html")]),
                    "recorded_keys": sum(map(len, deps.values())),
                    "distinct_keys": len({key for keys in deps.values() for key in keys}),
                    "recorded_pickled_kib": len(pickle.dumps(dict(deps))) // 1024,
                    "cold_s": round(cold, 2),
                    "warm_s": round(warm, 2),
                }
            )
        )


if __name__ == "__main__":
    main()
