"""Live reload in a real Chromium: reload on edit, error overlay and recovery, CSS hot swap."""

from __future__ import annotations

import html
import http.client
import io
import os
import select
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from timeline.errors import error
from timeline.serve.livereload import MAX_STREAMS
from timeline.serve.server import DevServer, RebuildResult

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="style.css"></head>
<body><h1>{title}</h1><div style="height: 5000px">tall</div><p id="end">end</p></body></html>"""
EVENT = "content/events/a.yaml"


class SourceBuild:
    """A rebuild callable that renders one page from the source and rename-swaps it into root."""

    def __init__(self, source: Path, root: Path) -> None:
        self.source, self.root = source, root

    def __call__(self, changed: frozenset[Path]) -> RebuildResult:
        lines = (self.source / EVENT).read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if line.rstrip().endswith("["):
                return RebuildResult(False, (error(EVENT, number, len(line), "unclosed '[' in flow sequence"),))
        title = lines[0].removeprefix("title: ")
        staging = self.root.with_name("staging")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        (staging / "index.html").write_text(PAGE.format(title=html.escape(title)), encoding="utf-8")
        shutil.copy(self.source / "theme" / "style.css", staging / "style.css")
        old = self.root.with_name("old")
        if self.root.exists():
            os.rename(self.root, old)
        os.rename(staging, self.root)
        shutil.rmtree(old, ignore_errors=True)
        return RebuildResult(True, ())


@pytest.fixture
def source(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    (src / "content" / "events").mkdir(parents=True)
    (src / "theme").mkdir()
    (src / EVENT).write_text("title: First\n", encoding="utf-8")
    (src / "theme" / "style.css").write_text("h1 { color: rgb(255, 0, 0); }\n", encoding="utf-8")
    return src


def make_server(tmp_path: Path, source: Path, **options: float) -> DevServer:
    (tmp_path / "out").mkdir()
    root = tmp_path / "out" / "site"
    return DevServer(
        root=root,
        source_root=source,
        rebuild=SourceBuild(source, root),
        port=0,
        watch_paths=[source / "content", source / "theme"],
        out=io.StringIO(),
        **options,
    )


@pytest.fixture
def server(tmp_path: Path, source: Path) -> Iterator[DevServer]:
    dev = make_server(tmp_path, source)
    dev.start()
    yield dev
    dev.stop()


def save(path: Path, text: str) -> None:
    """Save like an editor does: write a temporary file, then rename it over the original."""
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def open_page(page: Page, dev: DevServer) -> None:
    """Open the site and wait until its live-reload stream is connected."""
    with page.expect_response(lambda r: "/__timeline/events" in r.url):
        page.goto(dev.url)
    page.evaluate("window.__marker = 42")


def test_page_reloads_by_itself_and_keeps_scroll(page: Page, server: DevServer, source: Path) -> None:
    open_page(page, server)
    expect(page.locator("h1")).to_have_text("First")
    page.evaluate("window.scrollTo(0, 1500)")
    save(source / EVENT, "title: Second\n")
    expect(page.locator("h1")).to_have_text("Second")
    assert page.evaluate("window.__marker") is None  # a real reload, not a DOM patch
    page.wait_for_function("window.scrollY === 1500")


def test_error_overlay_shows_then_clears(page: Page, server: DevServer, source: Path) -> None:
    open_page(page, server)
    save(source / EVENT, 'title: First\ntags: <img src=x onerror="window.__xss=1"> [\n')
    overlay = page.locator("#timeline-error-overlay")
    expect(overlay).to_be_visible()
    expect(overlay).to_contain_text(f"{EVENT}:2:")
    expect(overlay).to_contain_text("unclosed '[' in flow sequence")
    expect(overlay).to_contain_text('tags: <img src=x onerror="window.__xss=1"> [')
    assert overlay.locator("img").count() == 0
    assert page.evaluate("window.__xss") is None
    expect(page.locator("h1")).to_have_text("First")  # the last good site is still served

    save(source / EVENT, "title: Fixed\n")
    expect(page.locator("h1")).to_have_text("Fixed")
    expect(overlay).to_have_count(0)


def test_css_change_swaps_stylesheet_without_reload(page: Page, server: DevServer, source: Path) -> None:
    open_page(page, server)
    heading = page.locator("h1")
    expect(heading).to_have_css("color", "rgb(255, 0, 0)")
    save(source / "theme" / "style.css", "h1 { color: rgb(0, 0, 255); }\n")
    expect(heading).to_have_css("color", "rgb(0, 0, 255)")
    assert page.evaluate("window.__marker") == 42
    assert page.locator('link[rel="stylesheet"]').count() == 1


def closed_by_server(sock: socket.socket) -> bool:
    """Return True if the server has closed ``sock`` (it sends an idle connection nothing else)."""
    readable, _, _ = select.select([sock], [], [], 0)
    if not readable:
        return False
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def test_idle_connections_do_not_keep_a_tab_from_its_reload(page: Page, tmp_path: Path, source: Path) -> None:
    timeout = 5.0
    dev = make_server(tmp_path, source, request_timeout=timeout)
    dev.start()
    idle: list[socket.socket] = []
    try:
        open_page(page, dev)
        for n in range(200):
            sock = socket.create_connection(("127.0.0.1", dev.address[1]), timeout=5)
            if n % 2:
                sock.sendall(b"GET / HT")  # half a request line, then nothing (slowloris)
            idle.append(sock)
        save(source / EVENT, "title: Second\n")
        expect(page.locator("h1")).to_have_text("Second")
        # The reload (page, stylesheet, script, stream) went through while all 200 were held.
        assert not any(closed_by_server(sock) for sock in idle)
        deadline = time.monotonic() + timeout + 2
        while time.monotonic() < deadline and not all(closed_by_server(sock) for sock in idle):
            time.sleep(0.1)
        assert all(closed_by_server(sock) for sock in idle)
    finally:
        for sock in idle:
            sock.close()
        dev.stop()


def test_closed_streams_do_not_lock_a_tab_out(page: Page, server: DevServer, source: Path) -> None:
    streams = []
    for _ in range(MAX_STREAMS):
        conn = http.client.HTTPConnection("127.0.0.1", server.address[1], timeout=5)
        conn.request("GET", f"/__timeline/events?v={server.state.version}", headers={"Host": "localhost"})
        response = conn.getresponse()
        assert response.status == 200
        streams.append((conn, response))
    for conn, response in streams:  # tabs that went away without a word
        response.close()
        conn.close()
    # The tab's stream may be refused at first; it retries, and the heartbeats free the slots.
    with page.expect_response(lambda r: "/__timeline/events" in r.url and r.status == 200):
        page.goto(server.url)
    save(source / EVENT, "title: Second\n")
    expect(page.locator("h1")).to_have_text("Second")
