"""A site theme's Persian strings in real headless Chromium: right to left, and the filter's status line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import static_server
from tests.conftest import copy_example
from timeline.build.pipeline import build_site

pytestmark = pytest.mark.browser

PERSIAN = """\
search: "جستجو"
shown_of: "{shown} از {total} رویداد نمایش داده شد"
no_match: "هیچ رویدادی با این پالایه‌ها جور نیست."
"""


@pytest.fixture(scope="module")
def persian_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build the example site in Persian with a theme of its own, serve it on an ephemeral port."""
    site = copy_example(tmp_path_factory.mktemp("fa"))
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en", "language: fa"), encoding="utf-8")
    strings = site / "themes" / "default" / "strings"
    strings.mkdir(parents=True)
    (strings / "fa.yaml").write_text(PERSIAN, encoding="utf-8")
    out: Path = site / "_site"
    with static_server(out) as url:
        result = build_site(site, out, base_url=url)
        assert not result.failed() and not result.diagnostics, [d.format() for d in result.diagnostics]
        yield url


def test_persian_strings_read_right_to_left_and_fill_the_filter_status(browser: Browser, persian_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(persian_url)
        assert page.eval_on_selector("html", "e => getComputedStyle(e).direction") == "rtl"
        expect(page.locator("label[for=f-q]")).to_have_text("جستجو")
        page.select_option("#f-actor", "vladimir-putin")
        # The theme's sentence, with the numbers the script counted put in its placeholders.
        expect(page.locator("#filter-status")).to_have_text("3 از 10 رویداد نمایش داده شد")
        page.fill("#f-q", "zzzz-no-such-word")
        expect(page.locator("#filter-status")).to_have_text("هیچ رویدادی با این پالایه‌ها جور نیست.")
    finally:
        context.close()
