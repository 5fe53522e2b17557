"""Preview server: serve the last good build, rebuild on change, reload open pages."""

from __future__ import annotations

import errno
import html
import ipaddress
import json
import mimetypes
import os
import shutil
import socket
import sys
import threading
import time
import warnings
import webbrowser
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TextIO
from urllib.parse import parse_qs, quote, unquote, urlsplit

from timeline.errors import Diagnostic, error, escape_control
from timeline.watch import Watcher

PREFIX = "/__timeline/"
PORT_TRIES = 20
MAX_STREAMS = 32  # each open tab holds one thread; hidden tabs disconnect (P8)
KEEPALIVE = 15.0
_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_TEXT_TYPES = (
    "text/",
    "application/javascript",
    "application/json",
    "application/xml",
    "image/svg+xml",
)
_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".ics": "text/calendar",
    ".atom": "application/atom+xml",
    ".webp": "image/webp",
    ".woff2": "font/woff2",
    ".txt": "text/plain",
}
_NOT_FOUND = b"<!doctype html><meta charset=utf-8><title>Not found</title><h1>Not found</h1>\n"


@dataclass(frozen=True, slots=True)
class RebuildResult:
    """The outcome of one build: ok, its diagnostics, and the pages whose sources changed."""

    ok: bool
    diagnostics: tuple[Diagnostic, ...]
    changed_urls: tuple[str, ...] = ()


Rebuild = Callable[[frozenset[Path]], RebuildResult]


@dataclass(frozen=True, slots=True)
class _Change:
    version: int
    kind: str  # "reload" or "css"
    navigate: str | None


class _State:
    """The published build version, its change history and the current errors."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.version = 0
        self.history: tuple[_Change, ...] = ()
        self.diagnostics: tuple[Diagnostic, ...] = ()
        self.closed = False

    def publish(self, kind: str, navigate: str | None, diagnostics: tuple[Diagnostic, ...]) -> None:
        with self.cond:
            self.version += 1
            self.history = (*self.history[-99:], _Change(self.version, kind, navigate))
            self.diagnostics = diagnostics
            self.cond.notify_all()

    def wait(self, seen: int, timeout: float) -> tuple[bool, _Change | None]:
        """Wait up to ``timeout`` for a build newer than ``seen``; return (closed, change)."""
        with self.cond:
            self.cond.wait_for(lambda: self.closed or self.version > seen, timeout)
            return self.closed, self.since(seen)

    def since(self, version: int) -> _Change | None:
        """Return the merged change a page at ``version`` needs, or None if it is current."""
        if self.version <= version:
            return None
        newer = [c for c in self.history if c.version > version]
        complete = bool(newer) and newer[0].version == version + 1
        kind = "css" if complete and all(c.kind == "css" for c in newer) else "reload"
        navigate = next((c.navigate for c in reversed(newer) if c.navigate), None)
        return _Change(self.version, kind, navigate)


class DevServer:
    """Serve ``root`` over HTTP, rebuild with ``rebuild`` on source changes, reload browsers."""

    def __init__(
        self,
        *,
        root: Path,
        source_root: Path,
        rebuild: Rebuild,
        watch_paths: Iterable[Path] = (),
        ignore_paths: Iterable[Path] = (),
        host: str = "127.0.0.1",
        port: int = 8000,
        base_path: str = "/",
        live_reload: bool = True,
        poll: float | None = None,
        navigate: bool = False,
        watch: bool = True,
        out: TextIO | None = None,
    ) -> None:
        self.root = Path(root)
        self.source_root = Path(source_root)
        self.host = host
        parts = [p for p in base_path.split("/") if p]
        self.base_path = "/" + "/".join(parts) + "/" if parts else "/"
        self.live_reload = live_reload
        self.navigate = navigate
        self.out = out if out is not None else sys.stderr
        self.state = _State()
        self._rebuild_fn = rebuild
        self._port = port
        self._allowed = _LOOPBACK_NAMES | {_host_only(host)}
        self._streams = threading.BoundedSemaphore(MAX_STREAMS)
        self._watcher = (
            Watcher(watch_paths, self.rebuild, ignore_paths=ignore_paths, poll=poll, out=self.out) if watch else None
        )
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._building = threading.Event()
        self.url = ""
        self.address: tuple[str, int] = (host, port)

    def say(self, text: str) -> None:
        """Print one line to the terminal with control characters made visible."""
        print(escape_control(text), file=self.out, flush=True)

    def start(self) -> None:
        """Bind (trying the next ports if taken), run the first build, then serve and watch."""
        self._httpd = _bind(self.host, self._port, self)
        self.address = (str(self._httpd.server_address[0]), int(self._httpd.server_address[1]))
        bound_port = self.address[1]
        shown = f"[{self.host}]" if ":" in self.host else self.host
        self.url = f"http://{shown}:{bound_port}{self.base_path}"
        if not _is_loopback(self.host):
            note = "anyone who can reach this machine can read the preview"
            self.say(f"warning: listening on {self.host}: {note}")
        self.rebuild(frozenset())
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="timeline-http",
            daemon=True,
        )
        self._thread.start()
        if self._watcher is not None:
            self._watcher.start()
        self.say(f"Serving on {self.url}")

    def stop(self) -> None:
        """Stop watching and serving; open reload streams end."""
        if self._watcher is not None:
            self._watcher.stop()
        with self.state.cond:
            self.state.closed = True
            self.state.cond.notify_all()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until the watcher has no queued or running rebuild (for tests)."""
        return self._watcher.wait_idle(timeout) if self._watcher is not None else True

    def rebuild(self, changed: frozenset[Path]) -> None:
        """Run one build and publish its result to open pages."""
        started = time.monotonic()
        self._building.set()
        try:
            result = self._rebuild_fn(changed)
        except Exception as exc:  # broad on purpose: a crashing build must not stop the preview
            result = RebuildResult(False, (error("(build)", 1, 1, f"internal error: {type(exc).__name__}: {exc}"),))
        finally:
            self._building.clear()
        elapsed = (time.monotonic() - started) * 1000
        for diagnostic in result.diagnostics:
            self.say(diagnostic.format())
        if not result.ok:
            self.say(f"Build failed after {elapsed:.0f} ms; still serving the last good site")
            self.state.publish("reload", None, result.diagnostics or (error("(build)", 1, 1, "build failed"),))
            return
        css_only = bool(changed) and all(p.suffix.lower() == ".css" for p in changed)
        kind = "css" if css_only and not self.state.diagnostics else "reload"
        target = None
        if self.navigate and result.changed_urls:
            target = self.base_path + quote(result.changed_urls[0].lstrip("/"), safe="/")
        self.say(f"Built in {elapsed:.0f} ms" + (f" ({len(changed)} changed)" if changed else ""))
        self.state.publish(kind, target, ())

    def host_allowed(self, host: str | None) -> bool:
        """Return True if a ``Host`` header names this server, not a rebinding domain."""
        if not host:
            return False
        name = _host_only(host)
        return name in self._allowed or name.endswith(".localhost") or _is_ip(name)

    def resolve(self, rel: str) -> Path | str | None:
        """Map a site-relative URL path to a file inside root, a redirect target, or None (404)."""
        lowered = rel.lower()
        if "%2f" in lowered or "%5c" in lowered or "%00" in lowered:
            return None
        try:
            decoded = unquote(rel, errors="strict")
        except UnicodeDecodeError:
            return None
        if "\\" in decoded or "\x00" in decoded:
            return None
        trailing = decoded == "" or decoded.endswith("/")
        parts = decoded.split("/")[:-1] if trailing else decoded.split("/")
        if any(p in ("", ".", "..") or ":" in p for p in parts):
            return None
        root = self._current_root()
        if root is None:
            return None
        candidate = root.joinpath(*parts).resolve()
        if not candidate.is_relative_to(root):
            return None
        if candidate.is_dir():
            if not trailing:
                return self.base_path + quote(decoded, safe="/") + "/"
            candidate = (candidate / "index.html").resolve()
        elif trailing:
            return None
        return candidate if candidate.is_relative_to(root) and candidate.is_file() else None

    def not_found_page(self) -> bytes:
        """Return the site's 404.html, or a plain page when the site has none."""
        root = self._current_root()
        if root is not None:
            page = (root / "404.html").resolve()
            if page.is_relative_to(root) and page.is_file():
                return page.read_bytes()
        return _NOT_FOUND

    def decorate(self, body: bytes, version: int, diagnostics: tuple[Diagnostic, ...]) -> bytes:
        """Insert the error overlay and the reload script before ``</body>``."""
        snippet = self._overlay(diagnostics) if diagnostics else ""
        if self.live_reload:
            snippet += f'<script src="{PREFIX}reload.js" data-version="{version}"></script>'
        if not snippet:
            return body
        at = body.lower().rfind(b"</body")
        data = snippet.encode()
        return body + data if at < 0 else body[:at] + data + body[at:]

    def _overlay(self, diagnostics: tuple[Diagnostic, ...]) -> str:
        items = []
        for d in diagnostics:
            text = f"{d.path}:{d.line}:{d.col}: {d.severity}: {d.message}"
            line = _source_line(self.source_root, d.path, d.line)
            if line is not None:
                gutter = f"{d.line} | "
                caret = "".join(c if c == "\t" else " " for c in line[: d.col - 1]) + "^"
                text += f"\n\n{gutter}{line}\n{'| ':>{len(gutter)}}{caret}"
            items.append(f"<li><pre>{html.escape(text)}</pre></li>")
        return (
            f'<link rel="stylesheet" href="{PREFIX}overlay.css">'
            '<div id="timeline-error-overlay" role="alert">'
            f"<h2>Build failed: showing the last good site</h2><ol>{''.join(items)}</ol>"
            "<p>Fix the file and save; this page updates by itself.</p></div>"
        )

    def _current_root(self) -> Path | None:
        # The build swaps a new folder in by rename; wait out the instant when root is missing.
        for _ in range(50):
            if self.root.is_dir():
                return Path(os.path.realpath(self.root))
            if not self._building.is_set():
                return None
            time.sleep(0.01)
        return None

    def open_stream(self) -> bool:
        """Reserve one of the live-reload stream slots; False when all are taken."""
        return self._streams.acquire(blocking=False)

    def close_stream(self) -> None:
        """Release a live-reload stream slot."""
        self._streams.release()


def _source_line(source_root: Path, rel: str, line: int) -> str | None:
    """Return line ``line`` of ``source_root/rel`` if it is a readable file inside the source."""
    try:
        base = source_root.resolve()
        path = (base / rel).resolve()
        if not path.is_relative_to(base) or not path.is_file() or line < 1:
            return None
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except (OSError, ValueError):
        return None
    return lines[line - 1][:500] if line <= len(lines) else None


def _host_only(host: str) -> str:
    """Return the host part of a ``Host`` header value, lower-cased, without port or brackets."""
    host = host.strip().lower()
    if host.startswith("["):
        end = host.find("]")
        return host[1:end] if end > 0 else host
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def _is_ip(name: str) -> bool:
    # An IP literal can't be a DNS-rebinding name, so it is as safe as localhost.
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], dev: DevServer) -> None:
        self.dev = dev
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls getfqdn(), a DNS lookup that can stall start-up.
        if os.name != "nt":  # on Windows SO_REUSEADDR lets two servers share a port
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(self.server_address)
        self.server_address = self.socket.getsockname()[:2]
        self.server_name, self.server_port = (
            str(self.server_address[0]),
            int(self.server_address[1]),
        )

    def handle_error(self, request: object, client_address: object) -> None:
        self.dev.say(f"error: request from {client_address} failed: {sys.exc_info()[1]!r}")


class _HTTPServer6(_HTTPServer):
    address_family = socket.AF_INET6


def _bind(host: str, port: int, dev: DevServer) -> _HTTPServer:
    """Bind ``host:port``, or the next free port after it when it is taken."""
    cls = _HTTPServer6 if ":" in host else _HTTPServer
    tries = 1 if port == 0 else PORT_TRIES
    taken = OSError(errno.EADDRINUSE, "no free port")
    for candidate in range(port, min(port + tries, 65536)):
        try:
            return cls((host, candidate), dev)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            taken = exc
    raise taken


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "timeline-serve"
    sys_version = ""

    def do_GET(self) -> None:
        """Answer a GET."""
        self._guarded(head=False)

    def do_HEAD(self) -> None:
        """Answer a HEAD."""
        self._guarded(head=True)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Log nothing for successful requests: the terminal is for build output."""

    def log_message(self, format: str, *args: object) -> None:
        """Log a server error with control characters escaped (CPython gh-100001)."""
        self.server.dev.say(f"{self.address_string()} - {format % args}")

    def _guarded(self, *, head: bool) -> None:
        try:
            self._dispatch(head)
        except (BrokenPipeError, ConnectionResetError):
            pass
        except (FileNotFoundError, NotADirectoryError):
            # A rebuild swapped the folder between resolving the path and reading the file.
            self._page(self.server.dev.not_found_page(), 404, head)
        except Exception as exc:  # broad on purpose: one bad request must never stop the server
            self.server.dev.say(f"error: {self.command} {self.path}: {exc!r}")
            self._send(500, b"Internal error\n", "text/plain", head=head)

    def _dispatch(self, head: bool) -> None:
        dev = self.server.dev
        if not dev.host_allowed(self.headers.get("Host")):
            self._send(403, b"Forbidden: unknown Host header\n", "text/plain", head=head)
            return
        raw, _, query = self.path.partition("?")
        raw = raw.partition("#")[0]
        if not raw.startswith("/"):
            self._send(400, b"Bad request\n", "text/plain", head=head)
        elif raw.startswith(PREFIX):
            self._internal(raw[len(PREFIX) :], query, head)
        elif not raw.startswith(dev.base_path):
            if raw == "/" or raw + "/" == dev.base_path:
                self._redirect(dev.base_path, head)
            else:
                self._page(dev.not_found_page(), 404, head)
        else:
            target = dev.resolve(raw[len(dev.base_path) :])
            if isinstance(target, str):
                self._redirect(target, head)
            elif target is None:
                self._page(dev.not_found_page(), 404, head)
            elif _content_type(target).startswith("text/html"):
                self._page(target.read_bytes(), 200, head)
            else:
                self._file(target, head)

    def _page(self, body: bytes, status: int, head: bool) -> None:
        state = self.server.dev.state
        with state.cond:
            version, diagnostics = state.version, state.diagnostics
        self._send(
            status,
            self.server.dev.decorate(body, version, diagnostics),
            "text/html; charset=utf-8",
            head=head,
        )

    def _file(self, path: Path, head: bool) -> None:
        with path.open("rb") as stream:
            self.send_response(200)
            self._headers(_content_type(path), os.fstat(stream.fileno()).st_size)
            if not head:
                shutil.copyfileobj(stream, self.wfile)

    def _internal(self, name: str, query: str, head: bool) -> None:
        if name == "events" and self.server.dev.live_reload:
            self._events(query)
        elif name == "reload.js":
            self._send(200, _RELOAD_JS.encode(), "text/javascript; charset=utf-8", head=head)
        elif name == "overlay.css":
            self._send(200, _OVERLAY_CSS.encode(), "text/css; charset=utf-8", head=head)
        else:
            self._send(404, b"Not found\n", "text/plain", head=head)

    def _events(self, query: str) -> None:
        dev, state = self.server.dev, self.server.dev.state
        origin = self.headers.get("Origin")
        if origin is not None and not dev.host_allowed(urlsplit(origin).netloc):
            self._send(403, b"Forbidden: foreign Origin\n", "text/plain", head=False)
            return
        seen = max(_int(parse_qs(query).get("v", ["0"])[0]), _int(self.headers.get("Last-Event-ID", "0")))
        if not dev.open_stream():
            self._send(503, b"Too many live-reload connections\n", "text/plain", head=False)
            return
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            while True:
                closed, change = state.wait(seen, KEEPALIVE)
                if closed:
                    return
                if change is None:
                    self.wfile.write(b": keepalive\n\n")
                else:
                    data = json.dumps({"v": change.version, "kind": change.kind, "navigate": change.navigate})
                    self.wfile.write(f"id: {change.version}\ndata: {data}\n\n".encode())
                    seen = change.version
                self.wfile.flush()
        finally:
            dev.close_stream()

    def _redirect(self, location: str, head: bool) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self._headers("text/plain", 0)

    def _send(self, status: int, body: bytes, ctype: str, *, head: bool) -> None:
        self.send_response(status)
        self._headers(ctype, len(body))
        if not head:
            self.wfile.write(body)

    def _headers(self, ctype: str, length: int) -> None:
        # no-store: a rebuilt stylesheet or page must never come from the browser cache.
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()


def _content_type(path: Path) -> str:
    ctype = _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{ctype}; charset=utf-8" if ctype.startswith(_TEXT_TYPES) else ctype


def _int(text: str) -> int:
    return int(text) if text.isdigit() and len(text) < 12 else 0


def serve_site(
    *,
    root: Path,
    source_root: Path,
    rebuild: Rebuild,
    watch_paths: Iterable[Path],
    ignore_paths: Iterable[Path],
    host: str = "127.0.0.1",
    port: int = 8000,
    base_path: str = "/",
    open_browser: bool = False,
    live_reload: bool = True,
    poll: float | None = None,
    navigate: bool = False,
    out: TextIO | None = None,
) -> int:
    """Build, serve and watch until Ctrl-C; return the exit code (``out`` defaults to stderr)."""
    out = out if out is not None else sys.stderr
    # watchdog 7 warns when new nested folders make it add a watch twice; that is harmless noise.
    warnings.filterwarnings("ignore", "Callback with id", RuntimeWarning, r"watchdog\.")
    server = DevServer(
        root=root,
        source_root=source_root,
        rebuild=rebuild,
        watch_paths=watch_paths,
        ignore_paths=ignore_paths,
        host=host,
        port=port,
        base_path=base_path,
        live_reload=live_reload,
        poll=poll,
        navigate=navigate,
        out=out,
    )
    try:
        server.start()
    except OSError as exc:
        print(
            escape_control(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}"),
            file=out,
        )
        return 1
    try:
        if open_browser:
            webbrowser.open(server.url)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("Stopped.", file=out)
    finally:
        server.stop()
    return 0


_OVERLAY_CSS = """#timeline-error-overlay {
  position: fixed; inset: 0; z-index: 2147483647; overflow: auto; padding: 2rem;
  background: rgba(20, 20, 20, .94); color: #f6f6f6; font: 15px/1.5 system-ui, sans-serif;
}
#timeline-error-overlay h2 { color: #ff8080; margin: 0 0 1rem; font-size: 1.3rem; }
#timeline-error-overlay pre {
  font: 13px/1.4 ui-monospace, monospace; background: #000; color: #ffd479;
  padding: .5rem .75rem; overflow: auto; white-space: pre;
}
"""

_RELOAD_JS = r"""(function () {
  "use strict";
  var version = Number(document.currentScript.getAttribute("data-version")) || 0;
  var key = "timeline-scroll:" + location.pathname;
  var source = null, timer = null;
  try {
    var saved = sessionStorage.getItem(key);
    if (saved !== null) {
      sessionStorage.removeItem(key);
      var pos = JSON.parse(saved);
      var restore = function () { window.scrollTo(pos[0], pos[1]); };
      if (document.readyState === "complete") { restore(); }
      else { window.addEventListener("load", restore); }
    }
  } catch (e) {}
  function saveScroll() {
    try { sessionStorage.setItem(key, JSON.stringify([scrollX, scrollY])); } catch (e) {}
  }
  function swapCss(v) {
    document.querySelectorAll('link[rel~="stylesheet"]').forEach(function (old) {
      var url = new URL(old.href, location.href);
      if (url.origin !== location.origin || url.pathname.indexOf("/__timeline/") === 0) { return; }
      url.searchParams.set("timeline-v", String(v));
      var fresh = old.cloneNode();
      fresh.href = url.href;
      // Keep the old sheet until the new one has loaded, so the page never flashes unstyled.
      fresh.addEventListener("load", function () { old.remove(); });
      // A sheet that no longer loads (renamed, or the build now fails) needs the whole page.
      fresh.addEventListener("error", function () { fresh.remove(); location.reload(); });
      old.after(fresh);
    });
  }
  function disconnect() {
    clearTimeout(timer);
    if (source) { source.close(); source = null; }
  }
  function connect() {
    if (source || document.hidden) { return; }
    source = new EventSource("/__timeline/events?v=" + version);
    source.onmessage = function (message) {
      var data = JSON.parse(message.data);
      version = data.v;
      if (data.navigate && data.navigate !== location.pathname) {
        disconnect();
        location.assign(data.navigate);
      } else if (data.kind === "css") {
        swapCss(data.v);
      } else {
        disconnect();
        saveScroll();
        location.reload();
      }
    };
    source.onerror = function () {
      // The browser retries by itself while CONNECTING; a refused stream (503) ends CLOSED.
      if (source && source.readyState === EventSource.CLOSED) {
        source = null;
        timer = setTimeout(connect, 2000);
      }
    };
  }
  // Hidden tabs give their connection back, so many open tabs can't exhaust the server (P8).
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { disconnect(); } else { connect(); }
  });
  window.addEventListener("pagehide", disconnect);
  connect();
})();
"""
