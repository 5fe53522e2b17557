"""No Markdown text makes ``check`` or ``build`` hang: each finishes with a result or a located limit.

The timeouts are generous and only catch hangs (the quadratic and cubic passes this guards against
took 10 s to minutes on these inputs); benchmarks/pathological.py prints the actual figures.
"""

from __future__ import annotations

import contextlib
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from tests.conftest import SiteFactory
from timeline.build.pipeline import build_site, check_site
from timeline.content.markdown import MAX_MARKUP

LOCATED = re.compile(r"^\S[^:]*:\d+:\d+: (error|warning): \S")
ARTICLE = "content/articles/a.md"
FRONT = "---\ntitle: A\npublished: 2020-10-23\n---\n"

# The inputs named in issue 13, at the sizes that hung.
ISSUE = {
    "duplicate headings": "# a\n" * 4000,
    "single guillemets": "‹" * 40_000,
    "angle brackets": "<" * 40_000,
    "empty links": "[](" * 20_000,
    "image openers": "![" * 20_000,
}
# Others of the same families, most just under a size limit so that a quadratic pass would show.
HOSTILE = {
    "angle brackets at the markup limit": "<" * (MAX_MARKUP - 10),
    "autolink-like": "<a:" * (MAX_MARKUP // 2),
    "link closers": "](" * (MAX_MARKUP - 10),
    "unclosed links": "[a](b" * (MAX_MARKUP // 2 - 10),
    "unclosed angle destinations": "[a](<b" * (MAX_MARKUP // 2 - 10),
    "link openers": "[" * 100_000,
    "long destinations": ("[](" + "x" * 50) * 5000,
    "long destinations with spaces": ("[](" + "x" * 50 + " ") * 5000,
    "image openers per paragraph": ("![" * 16 + "\n\n") * 4000,
    "nested images at the depth limit": ("![" * 16 + "]" * 16 + " ") * (MAX_MARKUP // 33),
    "nested blockquotes": "> " * 50_000 + "a",
    "nested blockquote lines": ("> " * 30 + "a\n") * 2000,
    "nested lists": "".join("  " * i + "- a\n" for i in range(300)),
    "stars": "*" * 100_000,
    "emphasis openers": "*a" * (MAX_MARKUP - 10),
    "mixed emphasis": "*a **a " * (MAX_MARKUP // 3 - 10),
    "backticks": "`" * 100_000,
    "backtick runs": "".join("e" + "`" * (i % 200 + 1) for i in range(1000)),
    "less-thans": "<" * 200_000,
    "entities on a line": "&amp;" * (MAX_MARKUP - 10),
    "entity-encoded scheme padding": "[x](" + "&#9;" * 40_000 + "javascript:alert(1))",
    "many identical RTL headings": "# مرحبا بالعالم\n" * 10_000,
    "many identical Cyrillic slugs": "## Карабах\n" * 10_000,
    "headings that look numbered": "".join(f"# a\n# a {i}\n" for i in range(5000)),
    "many lines": "a\n" * 100_000,
    "many unknown events": "".join(f"[e](event:missing-{i})\n" for i in range(10_000)),
}


def article_site(make_site: SiteFactory, body: str) -> Path:
    """Return a minimal site whose one article has ``body``, and an event that links to it."""
    event = "title: E\ndate: 2020-10-23\nsources:\n  - article: a\n"
    return make_site({ARTICLE: FRONT + body + "\n", "content/events/e.yaml": event})


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail the block if it runs longer than ``seconds`` (a hang, not a slow run)."""

    def hang(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("name", list(ISSUE))
def test_issue_inputs_check_and_build_in_a_subprocess(make_site: SiteFactory, tmp_path: Path, name: str) -> None:
    """``timeline check`` and ``build`` finish with exit 0 or 1, no traceback, every problem located."""
    site = article_site(make_site, ISSUE[name])
    for command in (["check", str(site)], ["build", "-q", str(site), "-o", str(tmp_path / "out")]):
        run = subprocess.run(
            [sys.executable, "-m", "timeline", *command], capture_output=True, text=True, timeout=20, check=False
        )
        assert run.returncode in (0, 1) and "Traceback" not in run.stderr
        problems = [line for line in (run.stdout + run.stderr).splitlines() if ": error:" in line]
        assert all(LOCATED.match(line) for line in problems), problems[:3]
        assert (run.returncode == 1) == bool(problems)
    if run.returncode == 0:
        assert (tmp_path / "out" / "articles" / "a" / "index.html").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_markdown_checks_without_hanging(make_site: SiteFactory, name: str) -> None:
    """Every hostile body gives a result or located errors within a generous timeout."""
    site = article_site(make_site, HOSTILE[name])
    with deadline(10):
        result = check_site(site)
    for diagnostic in result.diagnostics:
        assert diagnostic.line >= 1 and diagnostic.col >= 1
        if "(the limit)" in diagnostic.message:
            assert diagnostic.path == ARTICLE and diagnostic.line >= 5


def test_a_summary_over_a_limit_is_located_in_its_yaml_file(make_site: SiteFactory, tmp_path: Path) -> None:
    """A YAML summary is Markdown too: its limit error points into the event file, and build refuses."""
    summary = "summary: |\n  fine\n\n  " + "[" * 40 + "\n"
    site = make_site({"content/events/e.yaml": "title: E\ndate: 2020-10-23\n" + summary})
    with deadline(10):
        result = build_site(site, tmp_path / "out")
    limits = [d for d in result.diagnostics if "(the limit)" in d.message]
    assert [(d.path, d.line, d.col, d.severity) for d in limits] == [("content/events/e.yaml", 6, 19, "error")]
    assert "16 '[' open at once" in limits[0].message
    assert not (tmp_path / "out").exists()
