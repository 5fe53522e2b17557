"""Threats T1-T9 as real builds of the example site with hostile content added."""

from __future__ import annotations

import io
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import copy_example as example_copy
from tests.security.scan import scan_tree
from timeline.commands.cli import main
from timeline.content.config import load_config
from timeline.content.markdown import make_parser
from timeline.pages.theme import make_environment

HOSTILE_EVENT = """\
title: '"><script>alert(1)</script></script><script>alert(2)</script><!--'
date: 2020-10-01
summary: |
  <script>alert(1)</script>

  hi <img src=x onerror=alert(1)> <b onclick=x>bold</b> <a href="javascript:alert(1)">raw</a>

  [x](https://a.example 't" onmouseover="alert(1)') and ![a" onerror="alert(1)](https://a.example/x.png)

  {{ 7*7 }} {{ cycler.__init__.__globals__.os.popen('id').read() }} {% include '/etc/passwd' %}

  ```js" onclick="alert(1)
  code
  ```
places: [nagorno-karabakh]
tags: ['<img src=x onerror=alert(1)>', '{{ 7*7 }}']
sources:
  - title: '<svg onload=alert(1)>'
    url: 'https://example.org/a?x="><script>alert(1)</script>'
    publisher: "{{ 7*7 }}"
"""

HOSTILE_ARTICLE = """\
---
title: '{{ 7*7 }}</script><script>alert(1)</script>'
publisher: '<iframe src=//evil.example>'
events: [hostile]
quotes:
  - text: '" onmouseover="alert(1)'
---
# location

# __proto__

# Intro

# Intro

<script>alert(1)</script> <iframe src="//evil.example"></iframe>
"""


def build(site: Path) -> tuple[int, str]:
    """Build ``site`` in this process; return the exit code and everything printed."""
    out, err = io.StringIO(), io.StringIO()
    code = main(["build", str(site), "-q"], out, err)
    return code, out.getvalue() + err.getvalue()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the example site plus the hostile event and article once for this module."""
    site = example_copy(tmp_path_factory.mktemp("xss"))
    (site / "content" / "events" / "hostile.yaml").write_text(HOSTILE_EVENT, encoding="utf-8")
    (site / "content" / "articles" / "hostile-article.md").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    code, printed = build(site)
    assert code == 0, printed
    return site / "_site"


def test_no_active_content_in_any_page(hostile_site: Path) -> None:
    """P3: no on* attribute, foreign script, dangerous URL or frame in any built page."""
    pages = list(hostile_site.rglob("*.html"))
    assert len(pages) > 30
    assert scan_tree(hostile_site, "/timeline/") == {}


def test_raw_html_is_shown_as_text(hostile_site: Path) -> None:
    """T1: raw HTML in Markdown is escaped, not passed through."""
    page = (hostile_site / "events" / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_attribute_injection_is_quoted(hostile_site: Path) -> None:
    """T3: link titles, alt text and fence info strings cannot open a new attribute."""
    page = (hostile_site / "events" / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "t&quot; onmouseover=&quot;alert(1)" in page
    assert 'class="language-js&quot;' in page
    assert ' onmouseover="' not in page and ' onclick="' not in page and ' onerror="' not in page


def test_title_cannot_break_out_of_embedded_json(hostile_site: Path) -> None:
    """T5: ``</script>`` in a title stays inside the JSON-LD block."""
    for page in (hostile_site / "events" / "hostile" / "index.html", hostile_site / "index.html"):
        text = page.read_text(encoding="utf-8")
        assert text.count("<script") == text.count("</script>")
        assert "<script>alert" not in text


def test_jinja_in_content_stays_literal(hostile_site: Path) -> None:
    """T7: template syntax in content is data: shown literally, never evaluated."""
    event = (hostile_site / "events" / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in event
    assert "{% include &#39;/etc/passwd&#39; %}" in event or "{% include '/etc/passwd' %}" in event
    assert "root:x:0:0" not in event
    article = (hostile_site / "articles" / "hostile-article" / "index.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in article


def test_heading_ids_are_prefixed(hostile_site: Path) -> None:
    """T6: heading ids carry a prefix and stay unique, so they cannot clobber DOM globals."""
    page = (hostile_site / "articles" / "hostile-article" / "index.html").read_text(encoding="utf-8")
    assert 'id="h-location"' in page and 'id="h-intro"' in page and 'id="h-intro-1"' in page
    assert 'id="location"' not in page and 'id="__proto__"' not in page


def test_build_runs_no_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """T7: with os.popen and subprocess.Popen made to explode, the hostile build still succeeds."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("content ran a command")

    site = example_copy(tmp_path)
    (site / "content" / "events" / "hostile.yaml").write_text(HOSTILE_EVENT, encoding="utf-8")
    monkeypatch.setattr(os, "popen", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    code, printed = build(site)
    assert code == 0, printed


def test_every_template_autoescapes_and_markdown_has_no_html(tmp_path: Path) -> None:
    """T1, T4: the parser refuses raw HTML, and every theme template is autoescaped."""
    assert make_parser().options["html"] is False
    env = make_environment(load_config(example_copy(tmp_path)))
    names = env.list_templates()
    assert names
    for name in names:
        assert env.autoescape is True or env.autoescape(name), name


BAD_MARKDOWN = [
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](jav&#x61;script:alert(1))",
    "[x](javascript&#x3A;alert(1))",
    "<javascript:alert(1)>",
    "[x](vbscript:msgbox(1))",
    "[x](file:///etc/passwd)",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "![x](data:image/svg+xml;base64,PHN2Zz4=)",
    "[x][r]\n\n[r]: javascript:alert(1)",
]
BAD_URLS = [
    '" JaVaScRiPt:alert(1)"',
    '"jav&#x61;script:alert(1)"',
    '"java\\tscript:alert(1)"',
    '"\\x01javascript:alert(1)"',
    '"vbscript:msgbox(1)"',
    '"file:///etc/passwd"',
    '"data:text/html;base64,PHNjcmlwdD4="',
]


@pytest.mark.parametrize("markdown", BAD_MARKDOWN)
def test_bad_scheme_in_markdown_fails_the_build(markdown: str, tmp_path: Path) -> None:
    """T2: every spelling of a dangerous scheme in Markdown is an error; nothing is written."""
    site = example_copy(tmp_path)
    summary = "\n".join("  " + line for line in markdown.splitlines())
    event = f"title: T\ndate: 2020-10-01\nsummary: |\n{summary}\nsources:\n  - title: S\n"
    (site / "content" / "events" / "x.yaml").write_text(event, encoding="utf-8")
    code, printed = build(site)
    assert code == 1
    assert re.search(r"content/events/x.yaml:[46]:\d+: error: link scheme '\w+:' is not allowed", printed)
    assert not (site / "_site").exists()


@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_scheme_in_yaml_url_fails_the_build(url: str, tmp_path: Path) -> None:
    """T2: every spelling of a dangerous scheme in a YAML URL field is an error at its value."""
    site = example_copy(tmp_path)
    event = f"title: T\ndate: 2020-10-01\nsources:\n  - title: S\n    url: {url}\n"
    (site / "content" / "events" / "x.yaml").write_text(event, encoding="utf-8")
    code, printed = build(site)
    assert code == 1
    assert "content/events/x.yaml:5:10: error: url:" in printed
    assert not (site / "_site").exists()


def test_python_tags_never_run(tmp_path: Path) -> None:
    """T9: a python tag in an event is refused and the command it names never runs."""
    site = example_copy(tmp_path)
    pwned = tmp_path / "outside" / "pwned"
    pwned.parent.mkdir()
    event = f'title: T\ndate: 2020-10-01\nsummary: !!python/object/apply:os.system ["touch {pwned}"]\n'
    (site / "content" / "events" / "x.yaml").write_text(event, encoding="utf-8")
    (site / "content" / "events" / "y.yaml").write_text("title: !!python/name:os.system\n", encoding="utf-8")
    code, printed = build(site)
    assert code == 1
    assert "content/events/x.yaml:3:10: error: explicit tags are not allowed" in printed
    assert "content/events/y.yaml:1:8: error: explicit tags are not allowed" in printed
    assert not pwned.exists()


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    """T10: the billion-laughs document is refused at its first anchor."""
    site = example_copy(tmp_path)
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefg", "bcdefgh", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    (site / "content" / "events" / "x.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, printed = build(site)
    assert code == 1
    assert "content/events/x.yaml:1:4: error: anchors are not allowed" in printed
