"""The claims chart and the right-to-left texts of a multiscript site in real headless Chromium, with axe."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from tests.browser.conftest import static_server
from tests.integration.multiscript import write_site
from timeline.build.pipeline import build_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build a small multiscript site, serve it on an ephemeral port, and yield its URL."""
    root = tmp_path_factory.mktemp("multiscript")
    site = write_site(root / "site", events=12)
    out = root / "out"
    with static_server(out) as url:
        result = build_site(site, out, base_url=url, cache=False)
        assert not result.failed(), [d.format() for d in result.diagnostics]
        yield url


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_renders_with_its_text_alternative_and_axe_finds_nothing(
    browser: Browser, site_url: str, scheme: str
) -> None:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(site_url + "events/e10/")
        chart = page.locator("figure.claim-chart svg[role=img]")
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 80
        # Its accessible name and description come from <title> and <desc>; the description says every point.
        expect(chart).to_have_accessible_name("Figures by claimant over time: Deaths")
        expect(chart).to_have_accessible_description(
            "Russia: 5,000 (October 22, 2020); Iran: 1,000 (October 1, 2020); Armenia: 900 (October 5, 2020), "
            "1,200 (October 20, 2020); Azerbaijan: 61 (October 10, 2020), 300 (October 21, 2020)."
        )
        # One series per claimant, drawn in a colour of the scheme (not the default black).
        series = page.locator("figure.claim-chart svg[role=img] g.series")
        assert series.count() == 4
        colour = series.first.evaluate("g => getComputedStyle(g).color")
        assert colour not in ("rgb(0, 0, 0)", ""), colour
        # The legend names the claimants in their languages, in the right direction.
        legend = page.locator(".chart-legend bdi")
        expect(legend.first).to_be_visible()
        assert legend.count() == 4
        # Arabic and Persian text is laid out right to left.
        quote = page.locator('blockquote[lang="ar"]').first
        assert quote.evaluate("q => getComputedStyle(q).direction") == "rtl"
        title = page.locator("h1")
        assert title.get_attribute("lang") == "ar" and title.evaluate("h => getComputedStyle(h).direction") == "rtl"
        results = Axe().run(page)
        violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]]
        assert violations == [], results.generate_report()
    finally:
        context.close()


def test_timeline_of_the_multiscript_site_has_no_axe_violation(browser: Browser, site_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(site_url)
        expect(page.locator(".claim-span").first).to_contain_text("4 claimants")
        rtl = page.locator('.event-title[dir="rtl"]').first
        assert rtl.evaluate("h => getComputedStyle(h).direction") == "rtl"
        results = Axe().run(page)
        violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]]
        assert violations == [], results.generate_report()
    finally:
        context.close()
