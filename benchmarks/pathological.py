"""Time Markdown rendering of hostile inputs at several sizes: every row should grow linearly.

    python benchmarks/pathological.py [--sizes 16000 64000 256000] [--only NAME ...] [--check]

Each case repeats a unit (or builds lines) up to about the given number of characters and times
``render_markdown`` on it, the step that ``check`` and ``build`` run for every Markdown text.
The last columns take the largest size that stays under the line and markup limits (the slowest
text the limits let through), its time and outcome: ``ok`` or the limit that refused it.
``--check`` also runs ``timeline check`` on the example site with that text as an article body.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from timeline.content.markdown import MARKUP_CHARS, MAX_LINES, MAX_MARKUP, make_parser, render_markdown

REPO = Path(__file__).resolve().parent.parent
PROSE = (
    "Putin says close to [5,000 people](https://example.org/a) have died in *the fighting* between"
    " [Azerbaijani](event:known) and Armenian forces over `Nagorno-Karabakh`, ![map](images/a.png)"
    " more than **2,000** on each side; see [the talks](#h-talks).\n\n"
)


def repeat(unit: str) -> Callable[[int], str]:
    """Return a maker of ``unit`` repeated to at least ``size`` characters."""
    return lambda size: unit * (size // len(unit) + 1)


def numbered(line: Callable[[int], str]) -> Callable[[int], str]:
    """Return a maker of lines ``line(0)``, ``line(1)``, ... to at least ``size`` characters."""

    def make(size: int) -> str:
        parts: list[str] = []
        total = 0
        while total < size:
            parts.append(line(len(parts)))
            total += len(parts[-1])
        return "".join(parts)

    return make


CASES: dict[str, Callable[[int], str]] = {
    "prose with links (baseline)": repeat(PROSE),
    "'# a\\n' (duplicate headings)": repeat("# a\n"),
    "'# a\\n# a-N\\n' (headings that take -n ids)": numbered(lambda i: f"# a\n# a-{i + 1}\n"),
    "RTL duplicate headings": repeat("# مرحبا بالعالم\n"),
    "Cyrillic distinct headings": numbered(lambda i: f"## Карабах {i}\n"),
    "'<'": repeat("<"),
    "'‹'": repeat("‹"),
    "'<a:'": repeat("<a:"),
    "'[]('": repeat("[]("),
    "']('": repeat("]("),
    "'!['": repeat("!["),
    "'['": repeat("["),
    "'a]'": repeat("a]"),
    "'[a](<b'": repeat("[a](<b"),
    "'[a](b'": repeat("[a](b"),
    "'[ (]('": repeat("[ (]("),
    "'[](' + 'x' x50 (long destinations)": repeat("[](" + "x" * 50),
    "'[](' + 'x' x50 + ' '": repeat("[](" + "x" * 50 + " "),
    "'![' x16 per paragraph": repeat("![" * 16 + "\n\n"),
    "'![' x16 + ']' x16": repeat("![" * 16 + "]" * 16 + " "),
    "'[' x15 + 'a](x)' + ']' x14": repeat("[" * 15 + "a](x)" + "]" * 14 + " "),
    "'> ' on one line": repeat("> "),
    "'> ' x30 + 'a' per line": repeat("> " * 30 + "a\n"),
    "'- ' on one line": repeat("- "),
    "'*'": repeat("*"),
    "'*a'": repeat("*a"),
    "'_a '": repeat("_a "),
    "'*a **a '": repeat("*a **a "),
    "'`'": repeat("`"),
    "'e' + '`' x i": numbered(lambda i: "e" + "`" * (i % 200 + 1)),
    "'&amp;'": repeat("&amp;"),
    "'&#106;' (entity-encoded j)": repeat("&#106;"),
    "reference definitions": numbered(lambda i: f"[r{i}]: https://example.org/{i}\n"),
    "links to unknown events": numbered(lambda i: f"[e](event:missing-{i}) "),
    "images with escaped paths": numbered(lambda i: f"![x](<images/ä b {i}.png>) "),
}


def largest_accepted(make: Callable[[int], str], size: int) -> int:
    """Return a size near the largest at which the case stays under the line and markup limits."""
    while size > 100:
        text = make(size)
        lines = text.count("\n") + (not text.endswith("\n"))
        markup = sum(text.count(mark) for mark in MARKUP_CHARS)
        if lines <= MAX_LINES and markup <= MAX_MARKUP:
            return size
        size = int(size * min(0.99, MAX_LINES / lines, MAX_MARKUP / max(markup, 1)))
    return size


def time_case(make: Callable[[int], str], size: int) -> tuple[float, str]:
    """Return the seconds ``render_markdown`` took on the case at ``size``, and its outcome."""
    md = make_parser()
    text = make(size)
    start = time.perf_counter()
    rendered = render_markdown(md, text, base_path="/", resolve=lambda kind, target: None)
    seconds = time.perf_counter() - start
    limits = [link.target for link in rendered.links if link.kind == "limit"]
    return seconds, ("refused: " + limits[0][:48]) if limits else "ok"


def time_check(make: Callable[[int], str], size: int) -> float:
    """Return the wall time of ``timeline check`` on the example site with the case as an article body."""
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        site.mkdir()
        shutil.copy(REPO / "site.yaml", site / "site.yaml")
        shutil.copytree(REPO / "content", site / "content")
        article = next((site / "content" / "articles").glob("*.md"))
        article.write_text(article.read_text(encoding="utf-8") + "\n" + make(size), encoding="utf-8")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "timeline", "check", str(site)], capture_output=True, check=False)
        return time.perf_counter() - start


def main() -> None:
    """Print one row per case: seconds at each size, and the outcome at the largest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[16_000, 64_000, 256_000])
    parser.add_argument("--only", nargs="+", help="case names containing any of these words")
    parser.add_argument("--check", action="store_true", help="also time `timeline check` at the largest size")
    args = parser.parse_args()
    cases = {k: v for k, v in CASES.items() if not args.only or any(w in k for w in args.only)}
    sizes = sorted(args.sizes)
    header = "".join(f"{size:>10,}" for size in sizes)
    print(f"{'case (characters ->)':46}{header}  {'largest accepted':>22}  {'check' if args.check else ''}")
    for name, make in cases.items():
        row = [time_case(make, size) for size in sizes]
        figures = "".join(f"{seconds:>9.3f}s" for seconds, _ in row)
        # Under the line and markup limits, but maybe over the bracket or nesting ones.
        edge = largest_accepted(make, sizes[-1])
        seconds, outcome = time_case(make, edge)
        check = f"{time_check(make, edge):6.2f}s" if args.check else ""
        print(f"{name[:45]:46}{figures}  {edge:>10,} {seconds:>9.3f}s  {check}  {outcome}", flush=True)


if __name__ == "__main__":
    main()
