"""The default theme in real headless Chromium: accessibility, no-JS completeness, filters, layout."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import static_server
from timeline.build.pipeline import build_site, check_site

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
pytestmark = pytest.mark.browser

PAGES = {
    "timeline": "",
    "event": "events/putin-death-toll-statement/",
    "article": "articles/okezone-2020-10-23-putin-5000/",
    "actor": "actors/vladimir-putin/",
    "404": "404.html",
}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build the example site for a real server on an ephemeral port, and yield its URL."""
    out = tmp_path_factory.mktemp("theme") / "_site"
    with static_server(out) as url:
        result = build_site(REPO, out, base_url=url, cache=False)
        assert not result.failed(), [d.format() for d in result.diagnostics]
        yield url


def open_page(browser: Browser, url: str, **options: Any) -> Page:
    context = browser.new_context(**options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def close(page: Page) -> None:
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violation(browser: Browser, site_url: str, name: str, scheme: str) -> None:
    page = open_page(browser, site_url, color_scheme=scheme)
    try:
        page.goto(site_url + PAGES[name])
        if name == "timeline":
            expect(page.locator("#filters")).to_be_visible()  # audit the page as enhanced, filters shown
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
        results = Axe().run(page)
        violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]]
        assert violations == [], results.generate_report()
    finally:
        close(page)


def test_without_javascript_every_event_has_its_title_date_and_source_link(browser: Browser, site_url: str) -> None:
    page = open_page(browser, site_url, java_script_enabled=False)
    try:
        page.goto(site_url)
        assert page.locator("#filters").is_hidden()  # the script never ran
        tl = check_site(REPO, base_url=site_url).timeline
        assert tl is not None and len(tl.events) == 10
        for event in tl.events:
            item = page.locator(f"#event-{event.id}")
            expect(item).to_be_visible()
            expect(item.locator(".event-title a")).to_have_text(event.title)
            expect(item.locator(".event-title a")).to_have_attribute("href", f"/events/{event.id}/")
            expect(item.locator("time").first).to_have_attribute("datetime", event.span.start.iso())
            source_links = item.locator(".sources dd a")
            assert source_links.count() == len(event.sources)
            for source, link in zip(event.sources, source_links.all(), strict=True):
                href = link.get_attribute("href")
                assert href == (f"/articles/{source.article}/" if source.article else source.url)
    finally:
        close(page)


def visible_ids(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        "#events article.event", "els => els.filter(e => e.offsetParent !== null).map(e => e.id.slice(6))"
    )


def test_filters_and_search_narrow_the_list_and_live_in_the_url(browser: Browser, site_url: str) -> None:
    page = open_page(browser, site_url)
    try:
        page.goto(site_url)
        expect(page.locator("#filters")).to_be_visible()
        assert len(visible_ids(page)) == 10
        page.select_option("#f-actor", "vladimir-putin")
        expect(page.locator("#filter-status")).to_contain_text("3 of 10")
        putin = {"putin-death-toll-statement", "putin-talks-with-leaders", "russia-neutrality-turkey"}
        assert set(visible_ids(page)) == putin
        assert "actor=vladimir-putin" in page.url
        expect(page.locator("#y1988")).to_be_hidden()  # a year with nothing left is hidden too
        page.select_option("#f-actor", "")
        page.fill("#f-q", "helicopter")
        expect(page.locator("#filter-status")).to_contain_text("1 of 10")
        assert visible_ids(page) == ["armenia-claims-helicopter-downed"]
        page.fill("#f-q", "SIX-YEAR war")  # every word must match, in title or summary, in any case
        expect(page.locator("#filter-status")).to_contain_text("of 10")
        assert set(visible_ids(page)) == {"ceasefire-1994", "first-nagorno-karabakh-war"}
        page.fill("#f-q", "")
        page.select_option("#f-status", "scheduled")
        page.select_option("#f-tag", "diplomacy")
        expect(page.locator("#filter-status")).to_contain_text("1 of 10")
        assert visible_ids(page) == ["washington-talks-scheduled"]
        shared = page.url
        assert "status=scheduled" in shared and "tag=diplomacy" in shared
        page.fill("#f-q", "zzzz-no-such-word")
        expect(page.locator("#filter-status")).to_have_text("No event matches these filters.")
        page.click("button[type=reset]")
        expect(page.locator("#filter-status")).to_have_text("")
        assert len(visible_ids(page)) == 10 and "?" not in page.url
        # A shared address opens with the same filters applied.
        other = open_page(browser, shared)
        try:
            other.goto(shared)
            expect(other.locator("#filter-status")).to_contain_text("1 of 10")
            assert visible_ids(other) == ["washington-talks-scheduled"]
            assert other.input_value("#f-tag") == "diplomacy"
        finally:
            close(other)
    finally:
        close(page)


def test_j_and_k_move_focus_between_events(browser: Browser, site_url: str) -> None:
    page = open_page(browser, site_url)
    try:
        page.goto(site_url)
        expect(page.locator("#filters")).to_be_visible()
        page.keyboard.press("j")
        assert page.evaluate("document.activeElement.id") == "event-first-nagorno-karabakh-war"
        page.keyboard.press("j")
        assert page.evaluate("document.activeElement.id") == "event-ceasefire-1994"
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        page.keyboard.press("k")
        assert page.evaluate("document.activeElement.id") == "event-first-nagorno-karabakh-war"
        page.select_option("#f-actor", "vladimir-putin")  # j skips events the filters hide
        page.locator("h1").click()
        page.keyboard.press("j")
        page.keyboard.press("j")
        assert page.evaluate("document.activeElement.id") == "event-putin-talks-with-leaders"
        page.fill("#f-q", "j")  # typing in the search box is not navigation
        assert page.input_value("#f-q") == "j"
    finally:
        close(page)


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots_of_the_timeline(browser: Browser, site_url: str, width: int) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = open_page(browser, site_url, viewport={"width": width, "height": 900})
    try:
        page.goto(site_url)
        expect(page.locator("#filters")).to_be_visible()
        target = ARTIFACTS / f"timeline-{width}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    finally:
        close(page)


@pytest.mark.parametrize("name", list(PAGES))
def test_no_horizontal_scroll_at_320_px(browser: Browser, site_url: str, name: str) -> None:
    page = open_page(browser, site_url, viewport={"width": 320, "height": 700})
    try:
        page.goto(site_url + PAGES[name])
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], widths
    finally:
        close(page)


def test_no_third_party_request(browser: Browser, site_url: str) -> None:
    page = open_page(browser, site_url)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        for path in PAGES.values():
            page.goto(site_url + path)
        expect(page.locator("h1")).to_be_visible()
        page.goto(site_url)
        expect(page.locator("#filters")).to_be_visible()
        assert any(url.endswith("/search/page/index.json") for url in requested)
        assert not any("/search/t/" in url or url.endswith("search.js") for url in requested)
        assert [url for url in requested if not url.startswith(site_url)] == []
    finally:
        close(page)


def test_reduced_motion_and_print_styles(browser: Browser, site_url: str) -> None:
    page = open_page(browser, site_url, reduced_motion="reduce")
    try:
        page.goto(site_url)
        assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
        page.emulate_media(media="print")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        assert page.evaluate("getComputedStyle(document.querySelector('#y1994')).breakBefore") != "page"
        assert page.locator(".site-nav").is_hidden()
        after = page.evaluate(
            "getComputedStyle(document.querySelector('.event .sources dd a'), '::after').content"
        )
        assert f"{site_url}articles/okezone-2020-10-23-putin-5000/" in after
    finally:
        close(page)
