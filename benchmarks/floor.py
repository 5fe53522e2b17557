"""The floor of a cold build on our libraries: read, split front matter, Markdown, a trivial Jinja page, write.

    python benchmarks/floor.py SRC OUT [--procs 2]

SRC is a folder of ``*.md`` files with YAML front matter; every file becomes ``OUT/<stem>/index.html``.
Nothing else happens (no cross-references, no index pages), so anything a real build takes above
this is the generator's own overhead.
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
<main>{{ body }}</main>
<ul>{% for tag in tags %}<li>{{ tag }}</li>{% endfor %}</ul></body></html>
"""


def render_files(paths: list[Path], out: Path) -> int:
    """Render each Markdown file to ``out/<stem>/index.html``; return how many were written."""
    md = MarkdownIt("js-default")
    template = jinja2.Environment(autoescape=True).from_string(PAGE)
    for path in paths:
        text = path.read_text(encoding="utf-8")
        front: dict[str, object] = {}
        body = text
        if text.startswith("---\n"):
            head, _, body = text[4:].partition("\n---\n")
            front = yaml.safe_load(head) or {}
        page = template.render(
            title=str(front.get("title", path.stem)),
            date=str(front.get("date", "")),
            tags=front.get("tags") or [],
            body=Markup(md.render(body)),
        )
        target = out / path.stem / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    return len(paths)


def _worker(job: tuple[list[Path], Path]) -> int:
    return render_files(*job)


def main() -> None:
    """Render a folder of Markdown files in one or more processes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--procs", type=int, default=1)
    args = parser.parse_args()
    paths = sorted(args.src.glob("*.md"))
    if args.procs <= 1:
        render_files(paths, args.out)
        return
    jobs = [(paths[i :: args.procs], args.out) for i in range(args.procs)]
    with multiprocessing.get_context("fork").Pool(args.procs) as pool:
        pool.map(_worker, jobs)


if __name__ == "__main__":
    main()
