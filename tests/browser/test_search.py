"""Site-wide search in Chromium on a generated site of thousands of events: loaded on demand, in pieces, any script."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from benchmarks.corpus import make_articles, write_timeline
from tests.browser.conftest import static_server
from timeline.build.pipeline import build_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EVENTS = 2000
ARABIC = "وَقْفُ إطلاق النار في مدينة زنكزور"
HOSTILE = '"><img src=x onerror="window.pwned=1"> Zyxquorum & co'
SEARCH_FILES = "performance.getEntriesByType('resource').filter(e => /\\/search[/.-]/.test(e.name))"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build a generated site of thousands of events (one Arabic, one hostile) for a real server."""
    root = tmp_path_factory.mktemp("search") / "site"
    write_timeline(root, make_articles(40, 0), EVENTS, 0)
    events = root / "content" / "events"
    (events / "zz-arabic.yaml").write_text(f'title: "{ARABIC}"\ndate: 1931-03-04\nsummary: هدنة\n', encoding="utf-8")
    (events / "zz-russian.yaml").write_text('title: "Прекращение огня в Ёлкино"\ndate: 1933-01-01\n', encoding="utf-8")
    hostile = HOSTILE.replace('"', '\\"')
    (events / "zz-hostile.yaml").write_text(f'title: "{hostile}"\ndate: 1932-06-07\n', encoding="utf-8")
    out = root / "_site"
    with static_server(out) as url:
        result = build_site(root, out, base_url=url, cache=False)
        assert not result.failed(), [d.format() for d in result.diagnostics if d.severity == "error"][:5]
        assert (out / "timeline").is_dir()  # split into parts: results come from other pages
        yield url


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def search_bytes(page: Page) -> tuple[int, list[str]]:
    """Return the bytes of search files (index, shards, chunks, scripts) the page loaded, and their names."""
    script = f"{SEARCH_FILES}.map(e => ({{name: e.name, size: e.decodedBodySize}}))"
    entries: list[dict[str, Any]] = page.evaluate(script)
    return sum(e["size"] for e in entries), [e["name"] for e in entries]


def test_a_query_on_the_overview_finds_an_event_of_another_part_loading_under_150_kb(tab: Page, site_url: str) -> None:
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(request.url))
    tab.goto(site_url)
    tab.wait_for_load_state("networkidle")
    # Before the reader searches, only the box's own small script is there: no index, no search code.
    assert [u for u in requested if "/search/" in u or u.endswith("/search.js")] == []
    size, names = search_bytes(tab)
    assert [n.rsplit("/", 1)[1] for n in names] == ["search-box.js"] and size < 2_000
    tab.locator("#site-q").press_sequentially("zyxquor", delay=20)
    result = tab.locator("#site-search-results li a").first
    expect(result).to_have_text(HOSTILE.strip())  # shown as text, never as markup
    href = result.evaluate("a => a.href")
    assert href.startswith(site_url + "timeline/") and href.endswith("#event-zz-hostile")
    assert tab.evaluate("window.pwned") is None
    expect(tab.locator("#site-search-status")).to_have_text("1 event found")
    size, names = search_bytes(tab)
    assert any("/search/t/" in n for n in names) and any("/search/d/" in n for n in names)
    assert size < 150_000, (size, names)
    # Common words of the generated prose, typed at a reader's pace: each pause searches, and
    # all of it together still reads little.
    tab.locator("#site-q").fill("")
    tab.locator("#site-q").press_sequentially("ceasefire talks", delay=220)
    expect(tab.locator("#site-search-results li")).to_have_count(10)
    size, names = search_bytes(tab)
    assert size < 150_000, (size, names)
    tab.locator("#site-search-results li a").first.click()
    tab.wait_for_load_state()
    assert "/timeline/" in tab.url and "#event-" in tab.url
    target = tab.url.rsplit("#", 1)[1]
    expect(tab.locator(f"#{target}")).to_be_visible()


def test_an_arabic_query_finds_the_right_to_left_event_without_its_marks(tab: Page, site_url: str) -> None:
    tab.goto(site_url + "articles/")
    tab.locator("#site-q").click()
    tab.locator("#site-q").fill("وقف اطلاق")  # typed without harakat or hamza
    result = tab.locator("#site-search-results li a").first
    expect(result).to_have_text(ARABIC)
    assert result.get_attribute("dir") == "auto"
    assert result.evaluate("a => getComputedStyle(a).direction") == "rtl"
    assert (result.get_attribute("href") or "").endswith("#event-zz-arabic")
    tab.locator("#site-q").fill("هدنة")  # a word of the summary only
    expect(result).to_have_text(ARABIC)
    tab.locator("#site-q").fill("زنکزور")  # with the Persian keheh, where the title has the Arabic kaf
    expect(result).to_have_text(ARABIC)
    tab.locator("#site-q").fill("ЕЛКИНО")  # capitals, and Е for Ё, fold as the index was folded
    expect(result).to_have_text("Прекращение огня в Ёлкино")


def test_filters_of_a_part_page_read_only_that_parts_records(tab: Page, site_url: str) -> None:
    tab.goto(site_url + "timeline/1930s/")
    expect(tab.locator("#filters")).to_be_visible()
    _, names = search_bytes(tab)
    assert [n.split("/search/", 1)[1] for n in names if "/search/" in n] == ["page/1930s.json"]
    expect(tab.locator("#events article.event:visible")).to_have_count(3)
    tab.locator("#f-q").fill("zyxquorum")
    expect(tab.locator("#events article.event:visible")).to_have_count(1)
    expect(tab.locator("#filter-status")).to_contain_text("1")


def test_without_javascript_the_box_says_so_and_a_part_lists_its_events(browser: Browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(site_url + "timeline/1930s/")
        expect(page.locator(".site-search-note")).to_be_visible()
        expect(page.locator("#events article.event")).to_have_count(3)
        assert [u for u in requested if "/search" in u] == []
    finally:
        context.close()
