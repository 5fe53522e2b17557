"""Shared headless Chromium (Debian's, driven by Playwright) for browser tests."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.integration.sitecrawl import serve_pages

CHROMIUM = os.environ.get("TIMELINE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``browser`` marker so --strict-markers accepts it."""
    config.addinivalue_line("markers", "browser: drives a real headless Chromium")


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    """Yield one Playwright driver for the whole session."""
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    """Yield one headless Chromium for the whole session (launching it costs about a second)."""
    chromium = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """Yield a fresh page in its own context, so cookies and storage never leak between tests."""
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@contextlib.contextmanager
def static_server(out: Path) -> Iterator[str]:
    """Serve the folder ``out`` (it may be built after the server starts) as GitHub Pages does; yield its URL."""
    with serve_pages(out) as origin:
        yield f"{origin}/"
