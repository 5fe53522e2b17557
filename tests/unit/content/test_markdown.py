"""Markdown: raw HTML off, every link located, dangerous schemes found in every spelling."""

from __future__ import annotations

import pytest

from timeline.content.markdown import (
    MAX_BRACKET_DEPTH,
    MAX_DESTINATION_SCAN,
    MAX_LINES,
    MAX_MARKUP,
    MAX_NESTING,
    MAX_UNCLOSED_BRACKETS,
    make_parser,
    render_markdown,
)
from timeline.content.values import check_url, url_scheme


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


def anchors_of(text: str) -> tuple[str, ...]:
    """Return the heading ids that ``text`` defines, in order."""
    return render_markdown(make_parser(), text, base_path="/", resolve=lambda kind, target: None).anchors


def test_repeated_headings_take_the_first_free_number() -> None:
    """Repeats get -1, -2 ...; a heading that is itself ``a-1`` is stepped over, as before."""
    assert anchors_of("# a\n" * 4) == ("h-a", "h-a-1", "h-a-2", "h-a-3")
    assert anchors_of("# a\n# a-1\n# a\n# a\n# a-1\n") == ("h-a", "h-a-1", "h-a-2", "h-a-3", "h-a-1-1")
    assert anchors_of("# a-2\n# a\n# a\n# a\n# a\n") == ("h-a-2", "h-a", "h-a-1", "h-a-3", "h-a-4")


def test_non_latin_and_rtl_headings_get_stable_unique_ids() -> None:
    """Headings with no Latin letters get hash ids, unique when repeated; Latin ones keep their slug."""
    ids = anchors_of("# مرحبا بالعالم\n" * 3 + "# Карабах\n# Карабах 2020\n")
    assert len(set(ids)) == 5
    assert ids[0].startswith("h-x-") and ids[1] == ids[0] + "-1" and ids[2] == ids[0] + "-2"
    assert ids[4] == "h-2020"


def test_many_duplicate_headings_are_all_unique() -> None:
    """Thousands of one heading (cubic before) give as many distinct ids."""
    ids = anchors_of("# a\n" * 5000)
    assert len(set(ids)) == 5000 and ids[-1] == "h-a-4999"


def limit_of(text: str, *, first_line: int = 1) -> tuple[str, int, int] | None:
    """Return the limit ``text`` is refused for, with its line and column, or None if accepted."""
    rendered = render_markdown(
        make_parser(), text, base_path="/", resolve=lambda kind, target: None, first_line=first_line
    )
    limits = [(link.target, link.line, link.col) for link in rendered.links if link.kind == "limit"]
    assert len(limits) <= 1
    if limits:
        assert rendered.html == "" and len(rendered.links) == 1
    return limits[0] if limits else None


@pytest.mark.parametrize(
    ("text", "words", "line", "col"),
    [
        ("ok\n\nsee " + "![" * 17 + "x", f"{MAX_BRACKET_DEPTH} '[' open at once", 12, 38),
        ("ok\n\n> a " + "[" * 17, f"{MAX_BRACKET_DEPTH} '[' open at once", 12, 21),
        ("ok\n\n" + "> " * (MAX_NESTING + 5) + "deep", f"nested more than {MAX_NESTING} deep", 12, 1),
        ("- a\n" + "".join("  " * i + "- b\n" for i in range(1, 40)), f"nested more than {MAX_NESTING} deep", 0, 1),
        ("a\n" * (MAX_LINES + 1), f"more than {MAX_LINES} lines", 10 + MAX_LINES, 1),
        ("ok\n\n" + "[](" + "x" * 2000 * 1000, f"over {MAX_DESTINATION_SCAN} characters after '](", 12, 2),
        ("ok\n\n" + "[](x" * 2000, f"over {MAX_DESTINATION_SCAN} characters after '](", 12, 0),
        ("ok\n\n" + "*a " * (MAX_MARKUP + 1), f"more than {MAX_MARKUP} of the characters", 12, 1),
        ("".join("x [ y\n\n" for _ in range(MAX_UNCLOSED_BRACKETS + 1)), f"{MAX_UNCLOSED_BRACKETS} '[' without", 0, 1),
    ],
)
def test_texts_over_a_limit_are_refused_where_they_go_over(text: str, words: str, line: int, col: int) -> None:
    """Each limit gives one located error that names it; the text is not rendered."""
    found = limit_of(text, first_line=10)
    assert found is not None and words in found[0] and "(the limit)" in found[0]
    if line and col:
        assert found[1:] == (line, col)
    elif line:
        assert found[1] == line and 1 < found[2] < len(text)
    else:
        assert found[1] > 10


def test_a_text_of_exactly_the_line_limit_is_accepted() -> None:
    """``MAX_LINES`` lines pass, with or without a final newline; one more does not."""
    assert limit_of("a\n" * MAX_LINES) is None
    assert limit_of("a\n" * (MAX_LINES - 1) + "a") is None
    assert limit_of("a\n" * MAX_LINES + "a") is not None


def test_escaped_brackets_do_not_count_as_open() -> None:
    """``\\[`` is text to markdown-it, so it does not count towards the bracket limits."""
    assert limit_of("\\[" * (MAX_BRACKET_DEPTH + 50)) is None
    assert limit_of("[" * MAX_BRACKET_DEPTH + "x" + "]" * MAX_BRACKET_DEPTH) is None


def test_a_long_ordinary_article_is_accepted() -> None:
    """200 KB of prose with links, emphasis, code, lists and headings is inside every limit."""
    paragraph = (
        "Putin says close to [5,000 people](https://example.org/a) died in *the fighting* between\n"
        "[Azerbaijani](event:known) and Armenian forces over `Nagorno-Karabakh` (see [talks](#h-talks));\n"
        "![map](images/a.png) more than **2,000** on each side &amp; [the [nested] label](event:known).\n\n"
        "- one [item](https://example.org/b)\n  - and _another_\n\n> quoted [source](https://example.org/c)\n\n"
    )
    text = "# Talks\n\n" + "\n## Section\n\n".join([paragraph] * (200_000 // len(paragraph)))
    assert len(text) > 190_000
    rendered = render_markdown(make_parser(), text, base_path="/", resolve=lambda kind, target: "events/known/")
    assert not [link for link in rendered.links if link.kind == "limit"]
    assert rendered.html.count("<a href") > 3000


def test_rewritten_targets_are_still_located() -> None:
    """A target markdown-it %-escapes is found as written; many unfound ones still get their block."""
    _, links = render("x\n\n![a](<images/карта 1.png>)")
    assert links == [("asset", "images/%D0%BA%D0%B0%D1%80%D1%82%D0%B0%201.png", 3, 7)]
    text = "".join(f"[x](event:&#{100 + i % 20};)\n" for i in range(3000))
    rendered = render_markdown(make_parser(), text, base_path="/", resolve=lambda kind, target: None)
    assert len(rendered.links) == 3000 and all(link.line >= 1 for link in rendered.links)


def test_scheme_scan_reads_only_a_window_of_each_destination() -> None:
    """Many destinations on one line are scanned in linear time, and each bad one is still found."""
    _, links = render("<a:" * 30_000)
    assert len(links) == 30_000 and links[-1] == ("scheme", "a", 1, 3 * 29_999 + 2)
    _, links = render("[x](ftp://a)" + " <" * 20_000 + " [y](" + "&#9;" * 100 + "javascript:x)")
    assert [link[:2] for link in links] == [("scheme", "ftp"), ("scheme", "javascript")]
