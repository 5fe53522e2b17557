"""The error overlay in a real Chromium shows the first cause once, first, with what follows counted."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import SiteFactory
from tests.integration.test_first_cause import BROKEN, CAUSE, FILES, GOOD_TALKS, OTHER
from timeline.commands.preview import make_rebuild
from timeline.serve.server import DevServer

pytestmark = pytest.mark.browser


@pytest.fixture
def server(make_site: SiteFactory, tmp_path: Path) -> Iterator[DevServer]:
    site = make_site(FILES)
    root = tmp_path / "preview" / "site"
    root.parent.mkdir()
    rebuild = make_rebuild(site, root, base_url=None)
    dev = DevServer(
        root=root, source_root=site, rebuild=rebuild, port=0, watch_paths=[site / "content"], out=io.StringIO()
    )
    dev.start()
    yield dev
    dev.stop()


def test_overlay_lists_the_cause_first_and_no_follow_on_errors(page: Page, server: DevServer) -> None:
    with page.expect_response(lambda r: "/__timeline/events" in r.url):
        page.goto(server.url)
    expect(page.locator("#timeline-error-overlay")).to_have_count(0)
    broken = server.source_root / BROKEN
    temporary = broken.with_name("talks.yaml.tmp")
    temporary.write_text(GOOD_TALKS.replace("date: 2021-03-02", "date: [2021-03-02"), encoding="utf-8")
    temporary.replace(broken)  # saved as editors save: the page reloads by itself
    items = page.locator("#timeline-error-overlay li")
    expect(items).to_have_count(2)
    first = items.nth(0).inner_text()
    assert first.splitlines()[0] == CAUSE
    assert "date: [2021-03-02" in first
    assert items.nth(1).inner_text().splitlines()[0] == OTHER
    assert "unknown event" not in page.locator("#timeline-error-overlay").inner_text()
