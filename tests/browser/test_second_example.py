"""The second example site (examples/south-caucasus) in real headless Chromium.

Axe finds no violation; Arabic and Persian text is laid out right to left; every name written
in a non-Latin script carries its language; the claims chart has a text alternative; a BCE year
is written one way on the timeline (headings, axis, labels) and on its event page.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from tests.browser.conftest import static_server
from timeline.build.pipeline import build_site

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "south-caucasus"
pytestmark = pytest.mark.browser

PAGES = {
    "timeline": "",
    "persian": "events/treaty-of-gulistan/",
    "claims": "events/deaths-in-the-2020-war/",
    "arabic": "articles/xinhua-arabic-2020-11-10-ceasefire/",
}

# Text in a non-Latin script (Armenian, Georgian, Cyrillic, Arabic, Hebrew), as a browser sees it.
NON_LATIN_TEXT = r"""
() => {
  const found = [];
  const letters = /[\u0530-\u058F\u10A0-\u10FF\u0400-\u04FF\u0600-\u06FF\u0590-\u05FF]/;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!letters.test(node.data) || parent.closest('script, style, template')) continue;
    const marked = parent.closest('[lang]');
    found.push([node.data.trim().slice(0, 40), marked ? marked.getAttribute('lang') : '']);
  }
  return found;
}
"""


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build the example for a real server on an ephemeral port, and yield its URL."""
    out = tmp_path_factory.mktemp("second-example") / "_site"
    with static_server(out) as url:
        result = build_site(EXAMPLE, out, base_url=url, cache=False)
        assert not result.failed(strict=True), [d.format() for d in result.diagnostics]
        yield url


def _open(browser: Browser, url: str, **options: Any) -> Page:
    page = browser.new_context(**options).new_page()
    page.set_default_timeout(10_000)
    page.goto(url)
    return page


@pytest.mark.parametrize(
    ("name", "scheme"),
    [("timeline", "light"), ("timeline", "dark"), ("claims", "light"), ("claims", "dark"), ("persian", "light"),
     ("arabic", "dark")],
)  # fmt: skip
def test_axe_finds_no_violation(browser: Browser, site_url: str, name: str, scheme: str) -> None:
    page = _open(browser, site_url + PAGES[name], color_scheme=scheme)
    try:
        results = Axe().run(page)
        violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]]
        assert violations == [], results.generate_report()
    finally:
        page.context.close()


@pytest.mark.parametrize("name", ["persian", "arabic", "claims"])
def test_arabic_and_persian_text_runs_right_to_left(browser: Browser, site_url: str, name: str) -> None:
    page = _open(browser, site_url + PAGES[name])
    try:
        directions = page.eval_on_selector_all(
            "[lang|=ar], [lang|=fa]", "nodes => nodes.map(n => [n.getAttribute('lang'), getComputedStyle(n).direction])"
        )
        assert directions, "no Arabic or Persian text is marked with its language"
        assert {d for _, d in directions} == {"rtl"}, directions
    finally:
        page.context.close()


@pytest.mark.parametrize(
    "path",
    ["", "actors/armenia/", "places/nagorno-karabakh/", "events/ceasefire-statement-2020/",
     "events/treaty-of-kurekchay/"],
)  # fmt: skip
def test_every_name_in_a_non_latin_script_has_its_language(browser: Browser, site_url: str, path: str) -> None:
    page = _open(browser, site_url + path)
    try:
        texts = page.evaluate(NON_LATIN_TEXT)
        assert texts or path == "", path
        unmarked = [(text, lang) for text, lang in texts if lang in ("", "en")]
        assert unmarked == []
    finally:
        page.context.close()


def test_the_claims_chart_has_a_text_alternative(browser: Browser, site_url: str) -> None:
    page = _open(browser, site_url + PAGES["claims"])
    try:
        chart = page.locator("svg").filter(has=page.locator("title")).first
        assert chart.count() == 1
        name = chart.evaluate(
            "svg => [svg.querySelector('title'), svg.querySelector('desc')].map(n => n ? n.textContent : '').join(' ')"
        )
        assert "Armenian military deaths" in name or "deaths" in name.lower(), name
        # The figures are also there as text: each claimant's number appears outside the drawing.
        text = page.locator("main").inner_text()
        for figure in ("874", "2,317", "3,330"):
            assert figure in text
    finally:
        page.context.close()


def test_a_bce_year_is_written_one_way(browser: Browser, site_url: str) -> None:
    page = _open(browser, site_url)
    try:
        shown = page.evaluate(
            "() => document.body.innerText + ' ' + [...document.querySelectorAll('[aria-label], [title]')]"
            ".map(n => (n.getAttribute('aria-label') || '') + ' ' + (n.getAttribute('title') || '')).join(' ')"
        )
        assert "782 BCE" in shown
        assert "-781" not in shown and "-0781" not in shown and "-3626" not in shown
    finally:
        page.context.close()
    page = _open(browser, site_url + "events/erebuni-founded/")
    try:
        text = page.locator("main").inner_text()
        assert "782 BCE" in text and "-781" not in text and "-0781" not in text
    finally:
        page.context.close()
