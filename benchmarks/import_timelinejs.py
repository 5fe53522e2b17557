"""Time a TimelineJS round trip on a generated site: build, export timeline.json, import it, build.

    .venv/bin/python benchmarks/import_timelinejs.py [--events 5000] [--articles 200]

Generates a site (``corpus.py``), builds it, imports the ``timeline.json`` it wrote into a new,
empty folder (the title slide names the new site) and builds that. Prints one JSON line: the
events exported and imported, the diagnostics of the import, and the seconds of each step. A
benchmark, not a test: it prints figures (counts are exact; times depend on the machine).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import make_articles, write_timeline  # noqa: E402

from timeline.build.pipeline import build_site  # noqa: E402
from timeline.importers.interchange import import_file  # noqa: E402


def main() -> None:
    """Run the round trip once and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        site = root / "site"
        write_timeline(site, make_articles(args.articles, 0), args.events, 0)
        started = time.perf_counter()
        first = build_site(site, root / "out", cache=False)
        built = time.perf_counter()
        exported = json.loads((root / "out" / "timeline.json").read_text(encoding="utf-8"))
        written, diags = import_file("timelinejs", root / "out" / "timeline.json", root / "imported")
        imported = time.perf_counter()
        second = build_site(root / "imported", root / "out2", cache=False)
        rebuilt = time.perf_counter()
        figures = {
            "events_exported": len(exported["events"]),
            "files_written": len(written),
            "import_errors": sum(d.severity == "error" for d in diags),
            "import_warnings": sum(d.severity == "warning" for d in diags),
            "build_failed": [first.failed(), second.failed()],
            "build_s": round(built - started, 2),
            "import_s": round(imported - built, 2),
            "build_imported_s": round(rebuilt - imported, 2),
        }
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
