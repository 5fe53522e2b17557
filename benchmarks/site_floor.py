"""The full-site floor: as many pages as the real site, each from a trivial template, with the same Markdown.

    python benchmarks/site_floor.py SITE OUT --pages N [--procs 1]
    python benchmarks/site_floor.py SITE OUT --like BUILT      # N = the HTML pages in a real build

SITE is a timeline site (content/events/*.yaml, content/articles/*.md). Every event's summary and
body and every article's body is rendered with markdown-it-py once per page that would show it,
the pages cycling through the records until N pages are written to ``OUT/p<i>/index.html``.
Nothing else happens (no ids resolved, no links, no lists), so it is the like-for-like floor of a
cold full build: what reading the same files, rendering the same Markdown and writing the same
number of pages costs on our own libraries. ``run.py`` prints a cold full build against it.
"""

from __future__ import annotations

import argparse
import multiprocessing
from pathlib import Path

import jinja2
import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1><p><time>{{ date }}</time></p>
<main>{{ body }}</main></body></html>
"""


def read_records(site: Path) -> list[tuple[str, str, str]]:
    """Return (title, date, Markdown) of every event and article, in file order."""
    records: list[tuple[str, str, str]] = []
    for path in sorted((site / "content" / "events").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        text = "\n\n".join(str(data.get(k) or "") for k in ("summary", "body"))
        records.append((str(data.get("title", path.stem)), str(data.get("date", "")), text))
    for path in sorted((site / "content" / "articles").glob("*.md")):
        raw = path.read_text(encoding="utf-8")
        head, _, body = raw.removeprefix("---\n").partition("\n---\n")
        front = yaml.safe_load(head) or {}
        records.append((str(front.get("title", path.stem)), str(front.get("date", "")), body))
    return records


def render_pages(site: Path, out: Path, numbers: range) -> int:
    """Read the site and write the pages whose numbers are given; return how many were written."""
    records = read_records(site)
    md = MarkdownIt("commonmark", {"html": False})
    template = jinja2.Environment(autoescape=True).from_string(PAGE)
    for i in numbers:
        title, date, text = records[i % len(records)]
        target = out / f"p{i}" / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template.render(title=title, date=date, body=Markup(md.render(text))), encoding="utf-8")
    return len(numbers)


def _worker(job: tuple[Path, Path, range]) -> int:
    return render_pages(*job)


def main() -> None:
    """Write N trivial pages from the site's own Markdown, in one or more processes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--pages", type=int, help="how many pages to write")
    group.add_argument("--like", type=Path, help="a built site: write as many pages as it has HTML files")
    parser.add_argument("--procs", type=int, default=1)
    args = parser.parse_args()
    total = args.pages if args.pages is not None else sum(1 for _ in args.like.rglob("*.html"))
    if args.procs <= 1:
        render_pages(args.site, args.out, range(total))
        return
    jobs = [(args.site, args.out, range(i, total, args.procs)) for i in range(args.procs)]
    with multiprocessing.get_context("fork").Pool(args.procs) as pool:
        pool.map(_worker, jobs)


if __name__ == "__main__":
    main()
