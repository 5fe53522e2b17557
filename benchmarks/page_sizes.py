"""Print the largest page of each kind of a generated site, against the 200 KB page budget.

    .venv/bin/python benchmarks/page_sizes.py [--events 10000] [--articles 4000] [--workers 2] [--site DIR]

Generates a site (``corpus.py``) of that many events and articles, builds it, and prints for
each kind of page (overview, part, event, article, actor, place, tag, sources, lists: the
section lists of articles, actors, places and tags) how many pages it has and the largest one,
marked ``OVER`` past 200 KB; then the total size and file count of the site. With ``--site``
it builds that site folder instead. A benchmark, not a test: it prints figures and asserts
nothing (``tests/integration/test_page_budget.py`` holds the list pages to a bound).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import make_articles, write_timeline  # noqa: E402

from timeline.build.pipeline import build_site  # noqa: E402

BUDGET = 200 * 1024
"""The most bytes any one page may have (issue 15)."""

KINDS = ("overview", "part", "event", "article", "actor", "place", "tag", "sources", "lists", "other")
SECTIONS = {"articles": "article", "actors": "actor", "places": "place", "tags": "tag"}


def page_kind(rel: str) -> str:
    """Return the kind of the page at site path ``rel`` (``actors/x/2/index.html`` -> ``actor``)."""
    parts = rel.split("/")
    if rel == "index.html":
        return "overview"
    if parts[0] == "timeline":
        return "part"
    if parts[0] == "events":
        return "event"
    if parts[0] == "sources":
        return "sources"
    if parts[0] in SECTIONS:
        # The section list is <section>/index.html and <section>/page/<n>/index.html.
        if len(parts) == 2 or (len(parts) == 4 and parts[1] == "page" and parts[2].isdigit()):
            return "lists"
        return SECTIONS[parts[0]]
    return "other"


def largest_by_kind(out: Path) -> dict[str, tuple[int, int, str]]:
    """Return kind -> (pages of that kind, bytes of the largest, its path) for every HTML page under ``out``."""
    found: dict[str, tuple[int, int, str]] = {}
    for path in sorted(out.rglob("*.html")):
        rel = path.relative_to(out).as_posix()
        kind = page_kind(rel)
        size = path.stat().st_size
        count, biggest, where = found.get(kind, (0, -1, ""))
        found[kind] = (count + 1, size, rel) if size > biggest else (count + 1, biggest, where)
    return found


def site_totals(out: Path) -> tuple[int, int]:
    """Return the bytes and the number of files under ``out``."""
    total = files = 0
    for folder, _, names in os.walk(out):
        for name in names:
            total += os.path.getsize(os.path.join(folder, name))
            files += 1
    return total, files


def main() -> None:
    """Generate or take a site, build it, print the largest page of each kind."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=4_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--site", type=Path, help="build this site folder instead of a generated one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="page-sizes-") as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            write_timeline(site, make_articles(args.articles, args.seed), args.events, args.seed)
            print(f"site: {args.events} events, {args.articles} articles (corpus.py, seed {args.seed})")
        out = Path(tmp) / "out"
        began = time.perf_counter()
        result = build_site(site, out, workers=args.workers, cache=False)
        if result.failed():
            sys.exit("\n".join(d.format() for d in result.diagnostics))
        print(f"built in {time.perf_counter() - began:.1f} s")
        found = largest_by_kind(out)
        print(f"{'kind':<10} {'pages':>7} {'largest KB':>11}  path")
        over = 0
        for kind in KINDS:
            if kind not in found:
                continue
            count, size, rel = found[kind]
            flag = "  OVER" if size > BUDGET else ""
            over += size > BUDGET
            print(f"{kind:<10} {count:>7} {size / 1024:>11.1f}  {rel}{flag}")
        total, files = site_totals(out)
        print(f"site: {total / 1024**2:.1f} MB in {files} files (GitHub Pages refuses a site over 1 GB)")
        print(f"kinds with a page over {BUDGET // 1024} KB: {over}")


if __name__ == "__main__":
    main()
