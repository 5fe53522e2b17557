"""The overview of a 10,000-event timeline in headless Chromium: small, and quick to get past by keyboard."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import static_server
from tests.browser.test_axis import ERAS, open_page, tabs_to_first_event, write_site
from timeline.build.pipeline import build_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]
EVENTS = 10_000


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """Build a site of 10,000 events over 1950-2025 (split into parts by year) and serve it."""
    root = tmp_path_factory.mktemp("big")
    rng = random.Random(15)
    dates = [f"{rng.randint(1950, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" for _ in range(EVENTS)]
    write_site(root / "site", dates, ERAS)
    out = root / "www"
    result = build_site(root / "site", out, cache=False, workers=2)
    assert not result.failed(), [d.format() for d in result.diagnostics if d.severity == "error"][:5]
    with static_server(out) as url:
        yield url, out


def test_overview_of_10000_events_is_small_and_its_first_events_are_few_tabs_away(
    browser: Browser, big_site: tuple[str, Path]
) -> None:
    url, out = big_site
    size = (out / "index.html").stat().st_size
    print(f"overview at {EVENTS} events: {size:,} bytes")  # noqa: T201 - the figure the issue asks for
    assert size < 100_000
    page = open_page(browser)
    try:
        page.goto(url)
        presses = tabs_to_first_event(page)
        print(f"Tab presses to the first link to events: {presses}")  # noqa: T201
        assert presses <= 30
        assert page.evaluate("document.querySelectorAll('.axis a').length") <= 5 * 40
        label = page.evaluate("document.activeElement.getAttribute('aria-label')")
        assert label and page.text_content("#axis-name") == label
    finally:
        page.context.close()
