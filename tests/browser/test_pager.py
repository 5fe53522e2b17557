"""The page picker in real headless Chromium: keyboard only, JavaScript off, and no axe violation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import static_server
from tests.integration.test_pagination import site_files
from timeline.build.pipeline import build_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build a site whose lists have several pages, serve it on an ephemeral port, and yield its URL."""
    root = tmp_path_factory.mktemp("pager")
    site = root / "site"
    files = {
        **site_files(),
        "content/actors.yaml": "putin:\n  name: Vladimir Putin\n  kind: person\n",
        "content/places.yaml": "karabakh:\n  name: Nagorno-Karabakh\n",
    }
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    out = root / "_site"
    with static_server(out) as url:
        result = build_site(site, out, base_url=url, cache=False)
        assert not result.failed(), [d.format() for d in result.diagnostics]
        yield url


def tab_to(page: Page, selector: str, most: int = 40) -> None:
    """Press Tab until the element matching ``selector`` has the focus (fail after ``most`` presses)."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus in {most} Tab presses")


@pytest.fixture
def no_js(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_the_picker_opens_and_leads_to_another_page_by_keyboard_without_javascript(no_js: Page, site_url: str) -> None:
    page = no_js
    page.goto(site_url + "actors/putin/")
    summary = page.locator("nav.pager summary")
    expect(summary).to_contain_text("Page 1 of 4")
    links = page.locator("nav.pager .pager-list a")
    expect(links.first).to_be_hidden()  # closed, the list takes no room and no Tab stop
    tab_to(page, "nav.pager summary")
    page.keyboard.press("Enter")
    expect(links.nth(2)).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "1"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "3"
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "actors/putin/3/")
    expect(page.locator("h1")).to_contain_text("Page 3 of 4")
    # Next from the top of the page, by keyboard too.
    tab_to(page, "nav.pager a[rel=next]")
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "actors/putin/4/")
    expect(page.locator("nav.pager a[rel=next]")).to_have_count(0)
    expect(page.locator("main article.event, main article.article-item").first).to_be_visible()


def test_the_picker_fits_a_narrow_screen(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.goto(site_url + "sources/page/2/")
        page.locator("nav.pager summary").click()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        box = page.locator("nav.pager summary").bounding_box()
        assert box is not None and box["height"] >= 24  # a tap target, not a speck
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["actors/putin/2/", "sources/page/2/"])
def test_axe_finds_no_violation_on_a_paged_list(browser: Browser, site_url: str, path: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(site_url + path)
        page.locator("nav.pager summary").click()  # audit it open, with every link shown
        expect(page.locator("nav.pager .pager-list a").first).to_be_visible()
        results = Axe().run(page)
        violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]]
        assert violations == [], results.generate_report()
    finally:
        context.close()
