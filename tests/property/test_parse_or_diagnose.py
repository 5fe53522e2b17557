"""P1: arbitrary text and bytes give a model or located diagnostics, never an uncaught exception."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from timeline.content.config import SiteConfig
from timeline.content.linking import index_content
from timeline.content.markdown import make_parser, render_markdown
from timeline.content.model import Content
from timeline.content.reader import read_content
from timeline.content.yamldoc import load_yaml, split_front_matter
from timeline.errors import Diagnostic

BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
# Text that looks like our files, so that generation reaches past the first syntax error.
FRAGMENTS = [
    "---\n", "title: ", "date: ", "2020-02-30", "2020-13-01", "1994~", "2020/2019", "id: ", "../x", "con",
    "summary: |\n  ", "[x](event:nope)", "[y](#nowhere)", "![i](images/x.png)", "[z](javascript:alert(1))",
    "sources:\n  - ", "url: ", "javascript:", "&#x61;", "claims:\n  - ", "source: 9", "tags: [a, A]", "&a ", "*a",
    "!!python/name:os.system", "!!set", "? [a]\n: b\n", "\t", "\r\n", "\ufeff", "\x00", "\u2028", "[", "{", ":",
    "- ", "NO", "10:30", "0755", "'", '"', "\\", "<script>", "{{ 7*7 }}", "\n", "  ", "#",
]  # fmt: skip
fragment_text = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=30).map("".join)
any_text = st.text(max_size=300) | fragment_text


def lines_in(text: str) -> int:
    """Return the number of lines in ``text``, counting every break any of our parsers knows."""
    return len(BREAKS.split(text))


def assert_located(diags: list[Diagnostic], path: str, text: str) -> None:
    """Every diagnostic names ``path`` and lies inside the text."""
    for diag in diags:
        assert diag.path == path
        assert 1 <= diag.line <= lines_in(text), (diag, text)
        assert diag.col >= 1
        assert "\n" not in diag.format()


@settings(max_examples=400, deadline=None)
@given(any_text)
@example("date: 2024-02-30\n")
@example("a: !!int x\n")
@example("[" * 1000)
@example("title: [unclosed\n")
@example("a: b\u2028c: [")
def test_load_yaml_parses_or_diagnoses(text: str) -> None:
    """load_yaml never raises; a failure is a located diagnostic."""
    value, diags = load_yaml(text, "x.yaml")
    assert value is None or isinstance(value, str | list | dict)
    assert_located(diags, "x.yaml", text)
    if diags:
        assert value is None


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_split_front_matter_keeps_every_line(text: str) -> None:
    """split_front_matter never raises, and the body's first line is a line of the file."""
    front, body, body_line = split_front_matter(text)
    if front is None:
        assert (body, body_line) == (text, 1)
    else:
        assert text.startswith("---")
        assert text.endswith(body)
        assert 1 <= body_line <= lines_in(text) + 1


@settings(max_examples=300, deadline=None)
@given(any_text)
@example("[x](event:a)" * 3 + "\n\n# h\n# h\n")
@example("?c_" * 2000)
def test_render_markdown_never_raises(text: str) -> None:
    """Markdown renders or reports; every link it reports lies inside the text."""
    rendered = render_markdown(make_parser(), text, base_path="/", resolve=lambda kind, target: None, first_line=3)
    assert "<script" not in rendered.html
    for link in rendered.links:
        assert 3 <= link.line <= 3 + lines_in(text) - 1
        assert link.col >= 1


@pytest.fixture(scope="module")
def site() -> Iterator[SiteConfig]:
    """Return a throwaway site with an empty content folder."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for sub in ("events", "articles"):
            (root / "content" / sub).mkdir(parents=True)
        yield SiteConfig(root=root, title="T")


def read_one(config: SiteConfig, name: str, data: bytes) -> tuple[Content, list[Diagnostic], str]:
    """Write ``data`` as the only file ``name`` and read the site with the real reader."""
    path = config.root / "content" / name
    path.write_bytes(data)
    try:
        content, diags = read_content(config)
    finally:
        path.unlink()
    return content, diags, f"content/{name}"


byte_inputs = st.binary(max_size=300) | any_text.map(lambda t: t.encode("utf-8", "surrogatepass"))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=byte_inputs)
@example(data=b"title: T\ndate: 2020-01-01\nsummary: |\n  [x](event:nope)\n")
@example(data=b"\xef\xbb\xbftitle: T\r\ndate: 2020-02-30\r\n")
def test_event_reader_parses_or_diagnoses(site: SiteConfig, data: bytes) -> None:
    """Any bytes as an event file give an event or diagnostics inside the file, indexing included."""
    content, diags, rel = read_one(site, "events/e.yaml", data)
    text = data.decode("utf-8", "replace")
    assert_located(diags, rel, text)
    if not content.events:
        assert diags or b"draft" in data
    _, index_diags = index_content(content, site)
    assert_located(index_diags, rel, text)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=byte_inputs.map(lambda b: b"---\n" + b))
@example(data=b"---\ntitle: A\n---\n[x](article:a#nowhere) [y](javascript:x)\n")
@example(data=b"---\r\n---\r\n")
@example(data=b"---\n")
def test_article_reader_parses_or_diagnoses(site: SiteConfig, data: bytes) -> None:
    """Any bytes as an article file give an article or diagnostics inside the file, indexing included."""
    content, diags, rel = read_one(site, "articles/a.md", data)
    text = data.decode("utf-8", "replace")
    assert_located(diags, rel, text)
    _, index_diags = index_content(content, site)
    assert_located(index_diags, rel, text)
