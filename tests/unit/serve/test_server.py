"""The preview server over real HTTP: safety cases, injection, overlay, reload events."""

from __future__ import annotations

import http.client
import io
import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import timeline
from timeline.errors import Diagnostic, error
from timeline.serve.livereload import MAX_STREAMS
from timeline.serve.server import DevServer, RebuildResult, serve_site

INDEX = "<!doctype html><html><head><title>Home</title></head><body><h1>Home</h1></body></html>"


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


class FakeBuild:
    """A rebuild callable that writes ``pages`` to a staging folder and renames it into root."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pages: dict[str, str] = {
            "index.html": INDEX,
            "events/fighting-erupts/index.html": "<html><body><p>Fighting erupts</p></body></html>",
            "style.css": "h1 { color: red; }",
            "404.html": "<html><body><p>Custom missing page</p></body></html>",
        }
        self.failure: tuple[Diagnostic, ...] = ()
        self.changed_urls: tuple[str, ...] = ()
        self.calls: list[frozenset[Path]] = []

    def __call__(self, changed: frozenset[Path]) -> RebuildResult:
        self.calls.append(changed)
        if self.failure:
            return RebuildResult(False, self.failure)
        staging = self.root.with_name(self.root.name + ".staging")
        shutil.rmtree(staging, ignore_errors=True)
        for rel, text in self.pages.items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_text(text, encoding="utf-8")
        old = self.root.with_name(self.root.name + ".old")
        if self.root.exists():
            os.rename(self.root, old)
        os.rename(staging, self.root)
        shutil.rmtree(old, ignore_errors=True)
        return RebuildResult(True, (), self.changed_urls)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    (src / "content" / "events").mkdir(parents=True)
    (src / "site.yaml").write_text("title: T\n")
    return src


@pytest.fixture
def build(tmp_path: Path) -> FakeBuild:
    return FakeBuild(tmp_path / "out" / "site")


def make_server(build: FakeBuild, source: Path, **kwargs: object) -> DevServer:
    build.root.parent.mkdir(parents=True, exist_ok=True)
    options: dict[str, object] = {"port": 0, "watch": False, "out": io.StringIO()}
    options.update(kwargs)
    return DevServer(root=build.root, source_root=source, rebuild=build, **options)  # type: ignore[arg-type]


@pytest.fixture
def server(build: FakeBuild, source: Path) -> Iterator[DevServer]:
    dev = make_server(build, source)
    dev.start()
    yield dev
    dev.stop()


def get(
    dev: DevServer,
    path: str,
    *,
    host: str | None = "localhost",
    headers: dict[str, str] | None = None,
    method: str = "GET",
) -> tuple[int, dict[str, str], bytes]:
    """Send one raw request (no client-side path normalisation) and return status, headers, body."""
    conn = http.client.HTTPConnection("127.0.0.1", dev.address[1], timeout=5)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        if host is not None:
            conn.putheader("Host", host)
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def out_text(dev: DevServer) -> str:
    assert isinstance(dev.out, io.StringIO)
    return dev.out.getvalue()


def test_binds_loopback_by_default(build: FakeBuild, source: Path) -> None:
    dev = DevServer(root=build.root, source_root=source, rebuild=build, port=0, watch=False, out=io.StringIO())
    build.root.parent.mkdir(parents=True)
    dev.start()
    try:
        assert dev.address[0] == "127.0.0.1"
        assert f"Serving on {dev.url}" in out_text(dev)
        assert "warning" not in out_text(dev)
    finally:
        dev.stop()


def test_html_gets_reload_script_but_file_on_disk_does_not(server: DevServer, build: FakeBuild) -> None:
    status, headers, body = get(server, "/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert b"<h1>Home</h1>" in body
    assert body.index(b'src="/__timeline/reload.js"') < body.index(b"</body>")
    assert int(headers["content-length"]) == len(body)
    assert (build.root / "index.html").read_text() == INDEX


def test_other_files_are_served_untouched(server: DevServer) -> None:
    status, headers, body = get(server, "/style.css")
    assert status == 200 and body == b"h1 { color: red; }"
    assert headers["content-type"] == "text/css; charset=utf-8"
    assert headers["cache-control"] == "no-store"


def test_head_has_length_and_no_body(server: DevServer) -> None:
    status, headers, body = get(server, "/style.css", method="HEAD")
    assert status == 200 and body == b"" and headers["content-length"] == "18"


TRAVERSALS = [
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/..%2fsecret.txt",
    "/%2e%2e%2f%2e%2e%2fetc/passwd",
    "/static/..%5c..%5csecret.txt",
    "//etc/passwd",
    "/link/s.txt",
    "/link/",
    "/events/../../secret.txt",
    "/events/%2E%2E/%2E%2E/secret.txt",
    "/..%5c..%5csecret",
    "/..%20/secret",
    "/C:%5cWindows",
    "/CON",
    "/index.html%00.css",
    "/%ff%fe",
    "/./index.html",
    "/events//fighting-erupts/",
    "/inner/../index.html",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_gives_404_without_leaking(server: DevServer, build: FakeBuild, path: str) -> None:
    outside = build.root.parent.parent
    (outside / "secret.txt").write_text("SECRET")
    (outside / "exp").mkdir(exist_ok=True)
    (outside / "exp" / "s.txt").write_text("SECRET")
    os.symlink(outside / "exp", build.root / "link")
    status, headers, body = get(server, path)
    assert status == 404 and b"SECRET" not in body
    assert not headers.get("location", "").startswith(("//", "/\\"))
    assert get(server, "/index.html")[0] == 200


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1:8000", "[::1]:8000", "localhost", "[::1]"])
def test_local_hosts_pass(server: DevServer, host: str) -> None:
    assert get(server, "/", host=host)[0] == 200


@pytest.mark.parametrize("host", ["attacker.example:8000", "attacker.example", "localhost.attacker.example", ""])
def test_foreign_host_is_forbidden(server: DevServer, host: str) -> None:
    status, _, body = get(server, "/", host=host)
    assert status == 403 and b"Home" not in body


def test_missing_host_is_forbidden(server: DevServer) -> None:
    assert get(server, "/", host=None)[0] == 403


def test_wildcard_bind_warns_and_keeps_host_check(build: FakeBuild, source: Path) -> None:
    dev = make_server(build, source, host="0.0.0.0")
    dev.start()
    try:
        assert out_text(dev).startswith("warning: listening on 0.0.0.0")
        assert get(dev, "/", host="attacker.example")[0] == 403
        assert get(dev, "/", host=f"127.0.0.1:{dev.address[1]}")[0] == 200
    finally:
        dev.stop()


@pytest.mark.parametrize(
    "path",
    ["/", "/style.css", "/missing", "/events", "/__timeline/reload.js", "/__timeline/events?v=99x"],
)
def test_no_cors_header(server: DevServer, path: str) -> None:
    _, headers, _ = get(server, path, headers={"Origin": "http://attacker.example"})
    assert "access-control-allow-origin" not in headers


def test_directory_redirects_to_trailing_slash(server: DevServer) -> None:
    status, headers, _ = get(server, "/events/fighting-erupts?x=1")
    assert status == 301 and headers["location"] == "/events/fighting-erupts/"
    status, _, body = get(server, "/events/fighting-erupts/")
    assert status == 200 and b"Fighting erupts" in body


@pytest.mark.parametrize(
    "path",
    ["//evil.example/%2e%2e", "/\\evil.example/%2e%2e%2f", "//evil.example", "///evil.example/"],
)
def test_no_open_redirect(server: DevServer, path: str) -> None:
    status, headers, _ = get(server, path)
    assert status == 404
    assert "location" not in headers


def test_misses_serve_404_page_with_status_404(server: DevServer) -> None:
    status, _, body = get(server, "/no/such/page/")
    assert status == 404 and b"Custom missing page" in body and b"reload.js" in body


def test_misses_without_404_page_still_answer(build: FakeBuild, source: Path) -> None:
    del build.pages["404.html"]
    dev = make_server(build, source)
    dev.start()
    try:
        status, _, body = get(dev, "/nothing")
        assert status == 404 and b"Not found" in body
    finally:
        dev.stop()


def test_base_path_mount(build: FakeBuild, source: Path) -> None:
    dev = make_server(build, source, base_path="/repo")
    dev.start()
    try:
        assert dev.url.endswith("/repo/")
        assert get(dev, "/")[1]["location"] == "/repo/"
        assert get(dev, "/repo")[1]["location"] == "/repo/"
        assert b"<h1>Home</h1>" in get(dev, "/repo/")[2]
        assert get(dev, "/repo/events/fighting-erupts")[1]["location"] == "/repo/events/fighting-erupts/"
        assert get(dev, "/index.html")[0] == 404
        assert get(dev, "/repo/style.css")[0] == 200
    finally:
        dev.stop()


def test_taken_port_moves_to_next(build: FakeBuild, source: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        dev = make_server(build, source, port=port)
        try:
            dev.start()
        except OSError:
            pytest.fail("the next ports were not tried")
        try:
            assert dev.address[1] != port
            assert f"Serving on http://127.0.0.1:{dev.address[1]}/" in out_text(dev)
            assert get(dev, "/")[0] == 200
            assert f"port {port} is in use; serving on port {dev.address[1]} instead" in out_text(dev)
        finally:
            dev.stop()


def test_taken_explicit_port_is_a_usage_error_naming_a_free_one(tmp_path: Path) -> None:
    """serve_site with a named port that is taken: exit 2, the port named, the next free one offered."""
    out = io.StringIO()
    built: list[frozenset[Path]] = []

    def rebuild(changed: frozenset[Path]) -> RebuildResult:
        built.append(changed)
        return RebuildResult(True, ())

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = serve_site(
            root=tmp_path / "site",
            source_root=tmp_path,
            rebuild=rebuild,
            watch_paths=[],
            ignore_paths=[],
            port=port,
            port_fallback=False,
            out=out,
        )
    assert code == 2
    message = out.getvalue()
    assert f"port {port} on 127.0.0.1 is in use" in message
    suggested = int(message.split("try --port ")[1].split(",")[0])
    assert suggested > port
    assert built == []  # refused before any build


BAD_LINE = "title: <img src=x onerror=alert(1)> ["


def test_failed_build_keeps_last_site_and_shows_escaped_overlay(
    server: DevServer, build: FakeBuild, source: Path
) -> None:
    (source / "content" / "events" / "bad.yaml").write_text(f"date: 2020\n{BAD_LINE}\n")
    build.pages["index.html"] = INDEX.replace("Home", "Changed")
    build.failure = (error("content/events/bad.yaml", 2, 8, "unexpected <img> \x1b[2J"),)
    server.rebuild(frozenset({source / "content" / "events" / "bad.yaml"}))
    status, _, body = get(server, "/")
    text = body.decode()
    assert status == 200 and "<h1>Home</h1>" in text
    assert "content/events/bad.yaml:2:8" in text
    assert "title: &lt;img src=x onerror=alert(1)&gt; [" in text
    assert "unexpected &lt;img&gt;" in text
    assert "<img" not in text
    assert "\x1b" not in out_text(server) and "\\x1b[2J" in out_text(server)
    assert 'id="timeline-error-overlay"' in get(server, "/events/fighting-erupts/")[2].decode()
    assert "timeline-error-overlay" not in get(server, "/style.css")[2].decode()

    build.failure = ()
    server.rebuild(frozenset({source / "content" / "events" / "bad.yaml"}))
    fixed = get(server, "/")[2].decode()
    assert "<h1>Changed</h1>" in fixed and "timeline-error-overlay" not in fixed


def test_break_fix_cycles_leak_no_threads(server: DevServer, build: FakeBuild) -> None:
    before = threading.active_count()
    for cycle in range(100):
        build.failure = (error("site.yaml", 1, 1, "bad"),) if cycle % 2 == 0 else ()
        server.rebuild(frozenset())
        status, _, body = get(server, "/")
        assert status == 200 and (b"site.yaml:1:1" in body) == (cycle % 2 == 0)
    assert wait_until(lambda: abs(threading.active_count() - before) <= 2)


def test_crashing_build_is_an_overlay_not_a_crash(server: DevServer, build: FakeBuild) -> None:
    def explode(changed: frozenset[Path]) -> RebuildResult:
        raise RuntimeError("disk on fire")

    server._rebuild_fn = explode
    server.rebuild(frozenset())
    body = get(server, "/")[2].decode()
    assert "internal error: RuntimeError: disk on fire" in body and "<h1>Home</h1>" in body


def test_first_build_failing_still_serves_overlay(build: FakeBuild, source: Path) -> None:
    build.failure = (error("site.yaml", 1, 1, "missing title"),)
    dev = make_server(build, source)
    dev.start()
    try:
        status, _, body = get(dev, "/")
        assert status == 404 and b"site.yaml:1:1" in body and b"reload.js" in body
        build.failure = ()
        dev.rebuild(frozenset({source / "site.yaml"}))
        status, _, body = get(dev, "/")
        assert status == 200 and b"<h1>Home</h1>" in body and b"timeline-error-overlay" not in body
    finally:
        dev.stop()


def test_no_reload_means_no_script_but_overlay_stays(build: FakeBuild, source: Path) -> None:
    dev = make_server(build, source, live_reload=False)
    dev.start()
    try:
        assert b"reload.js" not in get(dev, "/")[2]
        build.failure = (error("site.yaml", 1, 1, "bad"),)
        dev.rebuild(frozenset())
        assert b"site.yaml:1:1" in get(dev, "/")[2]
        assert get(dev, "/__timeline/events")[0] == 404
    finally:
        dev.stop()


class Stream:
    """A raw live-reload event stream."""

    def __init__(self, dev: DevServer, since: int, origin: str | None = None) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", dev.address[1], timeout=5)
        headers = {"Host": "localhost"} | ({"Origin": origin} if origin else {})
        self.conn.request("GET", f"/__timeline/events?v={since}", headers=headers)
        self.response = self.conn.getresponse()

    def next_event(self) -> dict[str, object]:
        while True:
            line = self.response.readline().decode()
            assert line, "stream closed"
            if line.startswith("data: "):
                event: dict[str, object] = json.loads(line[6:])
                return event

    def close(self) -> None:
        self.response.close()  # the response holds the socket open too
        self.conn.close()


def test_reload_event_after_rebuild(server: DevServer, source: Path) -> None:
    version = server.state.version
    stream = Stream(server, version)
    try:
        assert stream.response.status == 200
        assert stream.response.getheader("Content-Type") == "text/event-stream; charset=utf-8"
        server.rebuild(frozenset({source / "content" / "events" / "a.yaml"}))
        assert stream.next_event() == {"v": version + 1, "kind": "reload", "navigate": None}
        server.rebuild(frozenset({source / "themes" / "t" / "style.css"}))
        assert stream.next_event() == {"v": version + 2, "kind": "css", "navigate": None}
    finally:
        stream.close()


def test_deferred_work_runs_after_the_reload_is_published(build: FakeBuild, source: Path) -> None:
    order: list[str] = []

    def rebuild(changed: frozenset[Path]) -> RebuildResult:
        build(changed)
        return RebuildResult(True, (), (), finish=lambda: order.append(f"finish after v{server.state.version}"))

    server = DevServer(root=build.root, source_root=source, rebuild=rebuild, port=0, watch=False, out=io.StringIO())
    before = server.state.version
    server.rebuild(frozenset({source / "content" / "events" / "a.yaml"}))
    assert order == [f"finish after v{before + 1}"]


def test_failing_deferred_work_is_reported_and_the_server_goes_on(build: FakeBuild, source: Path) -> None:
    def boom() -> None:
        raise OSError("disk full")

    out = io.StringIO()
    server = DevServer(
        root=build.root,
        source_root=source,
        rebuild=lambda changed: (build(changed), RebuildResult(True, (), (), finish=boom))[1],
        port=0,
        watch=False,
        out=out,
    )
    server.rebuild(frozenset())
    assert "writing feeds and open data failed: OSError: disk full" in out.getvalue()
    assert server.state.version >= 1


def test_stale_page_gets_merged_event_at_once(server: DevServer, source: Path) -> None:
    version = server.state.version
    server.rebuild(frozenset({source / "a.css"}))
    server.rebuild(frozenset({source / "content" / "events" / "a.yaml"}))
    stream = Stream(server, version)
    try:
        assert stream.next_event() == {"v": version + 2, "kind": "reload", "navigate": None}
    finally:
        stream.close()


def test_css_change_after_failure_reloads(server: DevServer, build: FakeBuild, source: Path) -> None:
    build.failure = (error("site.yaml", 1, 1, "bad"),)
    server.rebuild(frozenset({source / "site.yaml"}))
    build.failure = ()
    version = server.state.version
    server.rebuild(frozenset({source / "style.css"}))
    stream = Stream(server, version)
    try:
        assert stream.next_event()["kind"] == "reload"
    finally:
        stream.close()


def test_navigate_sends_changed_page(build: FakeBuild, source: Path) -> None:
    dev = make_server(build, source, navigate=True, base_path="/repo/")
    dev.start()
    stream = Stream(dev, dev.state.version)
    try:
        build.changed_urls = ("events/fighting-erupts/",)
        dev.rebuild(frozenset({source / "content" / "events" / "fighting-erupts.yaml"}))
        assert stream.next_event()["navigate"] == "/repo/events/fighting-erupts/"
    finally:
        stream.close()
        dev.stop()


def test_foreign_origin_stream_is_forbidden(server: DevServer) -> None:
    stream = Stream(server, 0, origin="http://attacker.example")
    try:
        assert stream.response.status == 403
    finally:
        stream.close()
    same = Stream(server, server.state.version, origin=f"http://localhost:{server.address[1]}")
    try:
        assert same.response.status == 200
    finally:
        same.close()


def test_stream_count_is_capped_and_pages_still_answer(server: DevServer) -> None:
    streams = [Stream(server, server.state.version) for _ in range(MAX_STREAMS + 8)]
    try:
        statuses = [s.response.status for s in streams]
        assert statuses.count(200) == MAX_STREAMS and statuses.count(503) == 8
        assert get(server, "/")[0] == 200
    finally:
        for s in streams:
            s.close()


def test_bad_request_log_escapes_control_characters(server: DevServer) -> None:
    with socket.create_connection(("127.0.0.1", server.address[1]), timeout=5) as raw:
        raw.sendall(b"\x1b[2J\x1b[1;1HPWNED / HTTP/1.0\r\n\r\n")
        assert raw.recv(100).startswith(b"HTTP/1.0 501")
    assert "PWNED" in out_text(server) and "\x1b" not in out_text(server)


def test_watcher_drives_rebuilds_end_to_end(build: FakeBuild, source: Path) -> None:
    event = source / "content" / "events" / "a.yaml"
    event.write_text("title: First\n")

    def from_source(changed: frozenset[Path]) -> RebuildResult:
        title = event.read_text().removeprefix("title: ").strip()
        build.pages["index.html"] = INDEX.replace("Home", title)
        return build(changed)

    dev = DevServer(
        root=build.root,
        source_root=source,
        rebuild=from_source,
        port=0,
        watch_paths=[source / "content", source / "site.yaml"],
        out=io.StringIO(),
    )
    build.root.parent.mkdir(parents=True)
    dev.start()
    try:
        assert b"<h1>First</h1>" in get(dev, "/")[2]
        temp = event.with_name("a.yaml.tmp")
        temp.write_text("title: Second\n")
        os.replace(temp, event)
        assert wait_until(lambda: b"<h1>Second</h1>" in get(dev, "/")[2])
        assert dev.wait_idle()
        assert build.calls[1:] == [frozenset({event})]
    finally:
        dev.stop()


SERVE_SCRIPT = """
import pathlib, sys
from timeline.serve.server import RebuildResult, serve_site
root = pathlib.Path(sys.argv[1])
def build(changed):
    root.mkdir(exist_ok=True)
    (root / "index.html").write_text("<body><h1>Served</h1></body>")
    return RebuildResult(True, ())
sys.exit(serve_site(root=root, source_root=root.parent, rebuild=build, watch_paths=[root.parent / "src"],
                    ignore_paths=[root], port=0))
"""


def test_serve_site_runs_until_ctrl_c(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    env = {**os.environ, "PYTHONPATH": str(Path(timeline.__file__).parent.parent)}
    command = [sys.executable, "-c", SERVE_SCRIPT, str(tmp_path / "site")]
    with subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env) as proc:
        try:
            assert proc.stderr is not None
            lines = [proc.stderr.readline(), proc.stderr.readline()]
            assert lines[0].startswith("built in ") and lines[1].startswith("Serving on http://127.0.0.1:")
            port = int(lines[1].rstrip("/\n").rsplit(":", 1)[1])
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/")
            assert b"<h1>Served</h1>" in conn.getresponse().read()
            conn.close()
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=10) == 0
            assert proc.stderr.read() == "Stopped.\n"
        finally:
            proc.kill()


def test_serve_site_reports_unusable_address(tmp_path: Path) -> None:
    out = io.StringIO()
    code = serve_site(
        root=tmp_path / "site",
        source_root=tmp_path,
        rebuild=FakeBuild(tmp_path / "site"),
        watch_paths=[],
        ignore_paths=[],
        host="256.0.0.1",
        port=0,
        out=out,
    )
    assert code == 1 and out.getvalue().startswith("error: cannot listen on 256.0.0.1:0")


def closed_by_server(sock: socket.socket, timeout: float) -> bool:
    """Return True if the server closes ``sock`` (EOF or reset) within ``timeout`` seconds."""
    sock.settimeout(timeout)
    try:
        while sock.recv(4096):
            pass  # a refusal may come with a short answer first
    except TimeoutError:
        return False
    except ConnectionResetError:
        pass
    return True


def request_threads() -> int:
    return sum(t.name == "timeline-http-request" for t in threading.enumerate())


def test_idle_connections_hold_no_thread_and_are_closed_at_the_deadline(build: FakeBuild, source: Path) -> None:
    dev = make_server(build, source, request_timeout=1.0)
    dev.start()
    threads_before = threading.active_count()
    idle: list[socket.socket] = []
    try:
        opened = time.monotonic()
        for n in range(200):
            sock = socket.create_connection(("127.0.0.1", dev.address[1]), timeout=5)
            if n % 2:
                sock.sendall(b"GET /index.html HT")  # half a request line, then nothing (slowloris)
            idle.append(sock)
        # Slowloris by trickle: a byte every 0.2 s keeps the socket busy but never ends the head.
        trickle = socket.create_connection(("127.0.0.1", dev.address[1]), timeout=5)
        idle.append(trickle)
        for byte in b"GET / HTTP/1.0\r\nX: y":
            if closed_by_server(trickle, 0.2) or trickle.send(bytes([byte])) == 0:
                break
        # While all of them are held, a real request is answered at once, and no thread waits on them.
        assert get(dev, "/")[0] == 200
        assert threading.active_count() <= threads_before + 1
        assert all(closed_by_server(sock, 3.0) for sock in idle)
        # Every one went at its deadline (1 s): well before the 3 s each check could wait.
        assert time.monotonic() - opened < 1.0 + 3.0
        assert get(dev, "/")[0] == 200
    finally:
        for sock in idle:
            sock.close()
        dev.stop()


def test_request_threads_are_bounded_and_the_excess_waits_or_is_refused(build: FakeBuild, source: Path) -> None:
    from timeline.serve.server import MAX_HANDLERS

    build.pages["big.bin"] = "x" * (16 << 20)  # more than loopback buffers hold: a non-reader stalls
    dev = make_server(build, source, request_timeout=1.0)
    dev.start()
    clients: list[socket.socket] = []
    try:
        for _ in range(MAX_HANDLERS + 40):
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.connect(("127.0.0.1", dev.address[1]))
            sock.sendall(b"GET /big.bin HTTP/1.0\r\nHost: localhost\r\n\r\n")  # and never read
            clients.append(sock)
        assert wait_until(lambda: request_threads() == MAX_HANDLERS)
        peak = 0
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            peak = max(peak, request_threads())
            time.sleep(0.01)
        # A thread that gave its slot back may be listed for an instant beside its successor.
        assert peak <= MAX_HANDLERS + 1
        # Each stalled write ends at the timeout; the waiting requests are then served, or
        # answered 503 if no thread came before their own timeout.
        assert wait_until(lambda: request_threads() == 0, timeout=10)
        answers = [sock.recv(64) for sock in clients]
        assert all(a.startswith((b"HTTP/1.0 200", b"HTTP/1.0 503")) for a in answers)
        assert get(dev, "/")[0] == 200
    finally:
        for sock in clients:
            sock.close()
        dev.stop()


def test_closed_stream_slots_are_freed_within_seconds(server: DevServer) -> None:
    streams = [Stream(server, server.state.version) for _ in range(MAX_STREAMS)]
    assert all(s.response.status == 200 for s in streams)
    # An idle stream carries heartbeat comments, which is how the server finds a tab gone.
    assert streams[0].response.readline() == b"retry: 1000\n"
    assert streams[0].response.readline() == b"\n"
    assert streams[0].response.readline() == b":\n"
    late = Stream(server, server.state.version)
    assert late.response.status == 503
    late.close()
    for s in streams:
        s.close()
    reopened: list[Stream] = []
    try:
        # Two heartbeats (1 s apart) find every closed socket; 5 s allows for a loaded machine.
        deadline = time.monotonic() + 5
        while len(reopened) < MAX_STREAMS and time.monotonic() < deadline:
            stream = Stream(server, server.state.version)
            if stream.response.status == 200:
                reopened.append(stream)
            else:
                stream.close()
                time.sleep(0.1)
        assert len(reopened) == MAX_STREAMS
    finally:
        for s in reopened:
            s.close()


LONG_PATHS = [
    "/" + "a" * 256,
    "/" + "a" * 256 + "/",
    "/" + "%E2%80%B9" * 100,  # 100 characters, 300 bytes
    "/" + "/".join(["b" * 200] * 30),  # each name fits, the whole is over PATH_MAX
    "/events/" + "c" * 5000 + "/index.html",
]


@pytest.mark.parametrize("path", LONG_PATHS)
def test_over_long_path_is_404(server: DevServer, path: str) -> None:
    status, _, body = get(server, path)
    assert status == 404 and b"Custom missing page" in body
    assert "error:" not in out_text(server)


def test_beyond_the_waiting_limit_the_oldest_idle_connection_goes_first(build: FakeBuild, source: Path) -> None:
    from timeline.serve.server import MAX_WAITING

    dev = make_server(build, source, request_timeout=30.0)
    dev.start()
    idle: list[socket.socket] = []
    try:
        for _ in range(MAX_WAITING + 20):
            idle.append(socket.create_connection(("127.0.0.1", dev.address[1]), timeout=5))
        assert get(dev, "/")[0] == 200  # itself one more, which pushes out one more of the oldest
        assert all(closed_by_server(sock, 3.0) for sock in idle[:20])
        with selectors.DefaultSelector() as selector:  # the server sends an idle socket nothing but EOF
            for sock in idle[22:]:
                selector.register(sock, selectors.EVENT_READ)
            assert selector.select(0.2) == []
    finally:
        for sock in idle:
            sock.close()
        dev.stop()


def test_over_long_request_head_is_refused_with_431(server: DevServer) -> None:
    with socket.create_connection(("127.0.0.1", server.address[1]), timeout=5) as raw:
        raw.sendall(b"GET / HTTP/1.0\r\nHost: localhost\r\n")
        try:
            for _ in range(20):
                raw.sendall(b"X-Filler: " + b"y" * 8000 + b"\r\n")  # 160 KB of headers, never ended
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused while still sending
        assert raw.recv(100).startswith(b"HTTP/1.0 431")
    assert get(server, "/")[0] == 200
