"""`timeline serve` on a copy of the example site, in real Chromium: edits show by themselves."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    shutil.copytree(REPO / "content", root / "content")
    return root


@pytest.fixture
def served(site: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "timeline", "serve", str(site), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/timeline/"
    deadline = time.monotonic() + 30
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if "Serving on" in line:
            break
    else:  # pragma: no cover - only when the server never came up
        process.kill()
        pytest.fail("timeline serve did not start")
    # Keep reading what serve prints: a pipe nobody reads fills up and blocks its next print.
    said: list[str] = []
    drain = threading.Thread(target=lambda: said.extend(process.stdout or ()), daemon=True)
    drain.start()
    try:
        yield url
    finally:
        process.terminate()
        try:
            # Generous: under a loaded machine the stop waits for a rebuild in progress; a hang still fails.
            process.wait(timeout=30)
        finally:
            process.kill()
            process.wait()
            drain.join(timeout=10)
            process.stdout.close()


def test_title_edit_appears_without_action(page: Page, site: Path, served: str) -> None:
    page.goto(served + "events/washington-talks-scheduled/")
    event = site / "content/events/washington-talks-scheduled.yaml"
    text = event.read_text(encoding="utf-8")
    new = re.sub(r"(?m)^title: .*$", "title: Talks in Washington moved", text, count=1)
    event.write_text(new, encoding="utf-8")
    expect(page.locator("h1")).to_have_text("Talks in Washington moved", timeout=5000)


def test_yaml_error_shows_overlay_then_fix_restores(page: Page, site: Path, served: str) -> None:
    page.goto(served)
    event = site / "content/events/ceasefire-1994.yaml"
    good = event.read_text(encoding="utf-8")
    event.write_text("title: [broken\n" + good, encoding="utf-8")
    overlay = page.get_by_text(re.compile(r"content/events/ceasefire-1994\.yaml:\d+"))
    expect(overlay.first).to_be_visible(timeout=5000)
    # The last good site is still what is served underneath.
    assert page.locator("article.event").count() > 5
    event.write_text(good.replace("title:", "title: Restored -", 1), encoding="utf-8")
    expect(page.locator("#event-ceasefire-1994 h3")).to_contain_text("Restored -", timeout=5000)
    expect(overlay).to_have_count(0)
