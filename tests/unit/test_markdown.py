"""Markdown: raw HTML off, every link located, dangerous schemes found in every spelling."""

from __future__ import annotations

import pytest

from timeline.markdown import make_parser, render_markdown
from timeline.schema import check_url, url_scheme


def render(text: str, *, first_line: int = 1, first_col: int = 1) -> tuple[str, list[tuple[str, str, int, int]]]:
    """Render with a resolver that knows only ``event:known``."""
    rendered = render_markdown(
        make_parser(),
        text,
        base_path="/b/",
        resolve=lambda kind, target: "events/known/" if (kind, target) == ("event", "known") else None,
        first_line=first_line,
        first_col=first_col,
    )
    return rendered.html, [(k.kind, k.target or k.anchor, k.line, k.col) for k in rendered.links]


def test_cross_references_are_rewritten_and_located() -> None:
    """``event:`` links point at the page; each link reports its own line and column in the file."""
    html, links = render("a [x](event:known) [y](event:missing)\n\n[z](#top)", first_line=10, first_col=3)
    assert 'href="/b/events/known/"' in html
    assert links == [("event", "known", 10, 9), ("event", "missing", 10, 26), ("anchor", "top", 12, 7)]


def test_same_target_twice_gets_two_columns() -> None:
    """Repeated targets are located one after the other, not both at the first."""
    _, links = render("[a](event:x) [b](event:x)")
    assert [link[3] for link in links] == [5, 18]


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](jav&#x61;script:alert(1))",
        "[x](javascript&#x3A;alert(1))",
        "<javascript:alert(1)>",
        "[x](vbscript:msgbox(1))",
        "[x](file:///etc/passwd)",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "![x](data:image/svg+xml;base64,PHN2Zz4=)",
        "[x]: javascript:alert(1)\n\n[y][x]",
        "[x](ftp://example.org/)",
    ],
)
def test_bad_schemes_are_reported_once_and_not_linked(text: str) -> None:
    """Every spelling of a scheme outside http, https, mailto is one located error; no live link."""
    html, links = render(text)
    schemes = [link for link in links if link[0] == "scheme"]
    assert len(schemes) == 1
    assert schemes[0][2] == 1 and schemes[0][3] > 1
    assert 'href="javascript' not in html.lower() and 'href="vbscript' not in html.lower()


def test_code_is_not_scanned() -> None:
    """A dangerous link shown inside a fenced code block is text, not an error."""
    _, links = render("```\n[x](javascript:alert(1))\n```\n")
    assert links == []


def test_raw_html_and_headings() -> None:
    """Raw HTML is text; heading ids are prefixed and unique (T1, T6)."""
    html, _ = render("# location\n\n# Intro\n\n# Intro\n\n<script>alert(1)</script>")
    assert 'id="h-location"' in html and 'id="h-intro-1"' in html
    assert "&lt;script&gt;" in html and "<script>" not in html


@pytest.mark.parametrize(
    ("url", "scheme"),
    [(" JaVaScRiPt:alert(1)", "javascript"), ("jav&#x61;script:x", "javascript"), ("java\tscript:x", "javascript"),
     ("\x01javascript:x", "javascript"), ("javascript&colon;x", "javascript"), ("https://a.example", "https"),
     ("/events/x/", None), ("images/a.png", None), ("jav&amp;#x61;script:x", "javascript")],
)  # fmt: skip
def test_url_scheme_reads_like_a_browser(url: str, scheme: str | None) -> None:
    """Entities, case, white space and control characters do not hide a scheme."""
    assert url_scheme(url) == scheme


def test_check_url_allows_only_safe_schemes() -> None:
    """http, https, mailto and relative URLs pass; others and control characters do not."""
    assert check_url("https://example.org/a b") is None
    assert check_url("mailto:a@b.example") is None
    assert check_url("../x") is None
    assert check_url("data:image/png;base64,AAAA") is not None
    assert check_url("https://a.example/\x07") == "URL contains control characters"
