"""Preview server: serve the last good build, rebuild on change, reload open pages."""

from __future__ import annotations

import collections
import contextlib
import errno
import io
import ipaddress
import os
import selectors
import shutil
import signal
import socket
import sys
import threading
import time
import warnings
import webbrowser
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from types import FrameType
from typing import TextIO
from urllib.parse import quote, urlsplit

from timeline.errors import Diagnostic, error, escape_control
from timeline.progress import WarningLog, format_seconds
from timeline.serve.livereload import PREFIX, ReloadState, asset, decorate, seen_version
from timeline.serve.sitefolder import SiteFolder, content_type
from timeline.serve.watch import Watcher

PORT_TRIES = 20
REQUEST_TIMEOUT = 10.0
"""Seconds a connection has to send its whole request head, and that one write to it may stall."""
MAX_HANDLERS = 64
"""Requests handled at once, one thread each; up to ``MAX_STREAMS`` of them are live-reload streams."""
MAX_WAITING = 256
"""Connections still sending their request head (they hold no thread); beyond this the oldest is closed."""
MAX_HEAD = 128 * 1024
"""Bytes of request line and headers; the handler's own limits (64 KiB a line, 100 headers) come first."""
_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True, slots=True)
class RebuildResult:
    """The outcome of one build: ok, its diagnostics, and the pages whose sources changed."""

    ok: bool
    diagnostics: tuple[Diagnostic, ...]
    changed_urls: tuple[str, ...] = ()
    finish: Callable[[], None] | None = None
    """Work the build left until open pages have been told to reload (the whole-site files)."""
    summary: str | None = None
    """The line a good build ends with, in ``timeline build``'s words (None: just the time; "": nothing)."""


Rebuild = Callable[[frozenset[Path]], RebuildResult]


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
        request_timeout: float = REQUEST_TIMEOUT,
        port_fallback: bool = True,
    ) -> None:
        self.root = Path(root)
        self.source_root = Path(source_root)
        self.host = host
        parts = [p for p in base_path.split("/") if p]
        self.base_path = "/" + "/".join(parts) + "/" if parts else "/"
        self.live_reload = live_reload
        self.navigate = navigate
        self.out = out if out is not None else sys.stderr
        self.state = ReloadState()
        self._rebuild_fn = rebuild
        self._port = port
        self.request_timeout = request_timeout
        self._port_fallback = port_fallback
        self._warnings = WarningLog()
        self._allowed = _LOOPBACK_NAMES | {_host_only(host)}
        self._watcher = (
            Watcher(watch_paths, self.rebuild, ignore_paths=ignore_paths, poll=poll, out=self.out) if watch else None
        )
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._building = threading.Event()
        self.folder = SiteFolder(self.root, self.base_path, self._building)
        self.url = ""
        self.address: tuple[str, int] = (host, port)

    def say(self, text: str) -> None:
        """Print one line to the terminal with control characters made visible."""
        print(escape_control(text), file=self.out, flush=True)

    def start(self) -> None:
        """Bind (trying the next ports if taken), watch, run the first build, then serve."""
        self._httpd = _bind(self.host, self._port, self, fallback=self._port_fallback)
        self.address = (str(self._httpd.server_address[0]), int(self._httpd.server_address[1]))
        bound_port = self.address[1]
        if self._port and bound_port != self._port:
            self.say(f"port {self._port} is in use; serving on port {bound_port} instead")
        shown = f"[{self.host}]" if ":" in self.host else self.host
        self.url = f"http://{shown}:{bound_port}{self.base_path}"
        if not _is_loopback(self.host):
            note = "anyone who can reach this machine can read the preview"
            self.say(f"warning: listening on {self.host}: {note}")
        if self._watcher is not None:
            # Armed before the first build, held until it is done: a save during the build (or
            # right after the first page is served) is queued and built next, never lost.
            self._watcher.start(held=True)
        self.rebuild(frozenset())
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="timeline-http", daemon=True)
        self._thread.start()
        if self._watcher is not None:
            self._watcher.release()
        self.say(f"Serving on {self.url}")

    def stop(self) -> None:
        """Stop watching and serving; open reload streams end."""
        if self._watcher is not None:
            self._watcher.stop()
        self.state.close()
        if self._httpd is not None:
            self._httpd.shutdown()
            if self._thread is not None:
                # A loop that had not begun when shutdown looked must end before its socket closes.
                self._thread.join(timeout=5)
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
        # Errors each time a build fails; warnings once when they appear and once when they go.
        for line in self._warnings.lines(result.diagnostics, complete=result.ok):
            self.say(line)
        if not result.ok:
            kept = "still serving the last good site" if self.root.is_dir() else "nothing to serve until it is fixed"
            self.say(f"Build failed after {elapsed:.0f} ms; {kept}")
            self.state.publish_failure(result.diagnostics)
            return
        target = None
        if self.navigate and result.changed_urls:
            target = self.base_path + quote(result.changed_urls[0].lstrip("/"), safe="/")
        if result.summary is None:
            self.say(f"built in {format_seconds(elapsed / 1000)}" + (f" ({len(changed)} changed)" if changed else ""))
        elif result.summary:
            self.say(result.summary)
        self.state.publish_success(changed, target)
        if result.finish is not None:
            # After the reload is on its way: feeds and open data are not what an open page shows.
            try:
                result.finish()
            except Exception as exc:  # broad on purpose, as above: the preview must keep running
                self.say(f"error: writing feeds and open data failed: {type(exc).__name__}: {exc}")

    def host_allowed(self, host: str | None) -> bool:
        """Return True if a ``Host`` header names this server, not a rebinding domain."""
        if not host:
            return False
        name = _host_only(host)
        return name in self._allowed or name.endswith(".localhost") or _is_ip(name)


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


@dataclass(slots=True)
class _Connection:
    """An accepted connection: its socket, peer, the request head received so far and its deadline."""

    sock: socket.socket
    address: tuple[str, int]
    deadline: float
    head: bytearray = field(default_factory=bytearray)


class _HTTPServer(HTTPServer):
    """An HTTP server that gives a thread only to a connection whose request head has arrived.

    One loop accepts connections and collects their request heads without blocking, so idle or
    trickling clients (slowloris) cost a socket, not a thread, and are closed at their deadline.
    Complete requests go to at most ``MAX_HANDLERS`` threads; the rest wait their turn, and are
    answered 503 if none comes before the timeout.
    """

    # Connections queue in the kernel until the loop accepts them; a burst beyond this would
    # wait for the client's SYN retry (a second or more), so room for one is cheap.
    request_queue_size = 1024

    def __init__(self, address: tuple[str, int], dev: DevServer) -> None:
        self.dev = dev
        self.timeout_s = dev.request_timeout
        self._slots = threading.BoundedSemaphore(MAX_HANDLERS)
        self._waiting: dict[int, _Connection] = {}
        self._ready: collections.deque[_Connection] = collections.deque()
        self._stopping = False
        self._done = threading.Event()
        self._done.set()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        try:
            super().__init__(address, _Handler)
        except BaseException:
            self._wake_r.close()
            self._wake_w.close()
            raise

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

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Accept, collect request heads and hand complete requests to threads until ``shutdown``."""
        self._done.clear()
        try:
            if self._stopping:
                return
            self.socket.setblocking(False)
            with selectors.DefaultSelector() as selector:
                selector.register(self.socket, selectors.EVENT_READ)
                selector.register(self._wake_r, selectors.EVENT_READ)
                while not self._stopping:
                    try:
                        self._turn(selector, poll_interval)
                    except Exception as exc:  # broad on purpose: the loop is the whole server
                        self.dev.say(f"error: serving connections failed: {exc!r}")
                        time.sleep(0.05)
        finally:
            for conn in [*self._waiting.values(), *self._ready]:
                _close(conn.sock)
            self._waiting.clear()
            self._ready.clear()
            self._done.set()

    def _turn(self, selector: selectors.BaseSelector, poll_interval: float) -> None:
        """Accept, read whatever arrived, drop what is overdue and start what may start."""
        for key, _ in selector.select(self._next_timeout(poll_interval)):
            if key.fileobj is self.socket:
                self._accept(selector)
            elif key.fileobj is self._wake_r:
                self._drain_wake()
            else:
                self._receive(selector, key.data)
        self._expire(selector)
        self._dispatch()

    def shutdown(self) -> None:
        """Stop the loop and wait until it has closed every waiting connection."""
        self._stopping = True
        self._wake()
        self._done.wait()

    def server_close(self) -> None:
        super().server_close()
        self._wake_r.close()
        self._wake_w.close()

    def _next_timeout(self, poll_interval: float) -> float:
        first = (next(iter(self._waiting.values()), None), self._ready[0] if self._ready else None)
        deadlines = [c.deadline for c in first if c is not None]
        if not deadlines:
            return poll_interval
        return max(0.0, min(poll_interval, min(deadlines) - time.monotonic()))

    def _wake(self) -> None:
        try:
            self._wake_w.send(b"\0")
        except OSError:
            pass  # the pipe is full (a wake-up is pending anyway) or closed (the server is gone)

    def _drain_wake(self) -> None:
        try:
            while self._wake_r.recv(4096):
                pass
        except OSError:
            pass

    def _accept(self, selector: selectors.BaseSelector) -> None:
        for _ in range(64):  # a burst at a time, then the waiting connections get their turn
            try:
                sock, address = self.socket.accept()
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                return
            except OSError as exc:
                if exc.errno in (errno.EMFILE, errno.ENFILE) and self._waiting:
                    # Out of file descriptors: the longest-waiting connection gives its one back.
                    self._forget(selector, next(iter(self._waiting.values())))
                    continue
                self.dev.say(f"error: cannot accept a connection: {exc.strerror or exc}")
                time.sleep(0.05)  # the listener stays readable: do not spin while this lasts
                return
            sock.setblocking(False)
            if len(self._waiting) >= MAX_WAITING:
                self._forget(selector, next(iter(self._waiting.values())))
            conn = _Connection(sock, address, time.monotonic() + self.timeout_s)
            self._waiting[sock.fileno()] = conn
            selector.register(sock, selectors.EVENT_READ, conn)
            self._receive(selector, conn)  # the request often came with the connection: no wait for select

    def _receive(self, selector: selectors.BaseSelector, conn: _Connection) -> None:
        try:
            data = conn.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._forget(selector, conn)
            return
        # Search only the new bytes (and three before them): a trickled head must stay linear.
        start = max(0, len(conn.head) - 3)
        conn.head += data
        complete = conn.head.find(b"\r\n\r\n", start) >= 0 or conn.head.find(b"\n\n", start) >= 0
        if not complete and len(conn.head) <= MAX_HEAD:
            return
        selector.unregister(conn.sock)
        del self._waiting[conn.sock.fileno()]
        if not complete:
            _refuse(conn.sock, 431, "Request Header Fields Too Large")
            return
        conn.deadline = time.monotonic() + self.timeout_s
        self._ready.append(conn)

    def _forget(self, selector: selectors.BaseSelector, conn: _Connection) -> None:
        selector.unregister(conn.sock)
        del self._waiting[conn.sock.fileno()]
        _close(conn.sock)

    def _expire(self, selector: selectors.BaseSelector) -> None:
        now = time.monotonic()
        # Deadlines are in arrival order, so the expired ones are at the front.
        while self._waiting:
            conn = next(iter(self._waiting.values()))
            if conn.deadline > now:
                break
            self._forget(selector, conn)
        while self._ready and self._ready[0].deadline <= now:
            _refuse(self._ready.popleft().sock, 503, "Service Unavailable")

    def _dispatch(self) -> None:
        while self._ready and self._slots.acquire(blocking=False):
            conn = self._ready.popleft()
            threading.Thread(target=self._handle, args=(conn,), name="timeline-http-request", daemon=True).start()

    def _handle(self, conn: _Connection) -> None:
        try:
            conn.sock.settimeout(self.timeout_s)
            self.finish_request(_Request(conn.sock, bytes(conn.head)), conn.address)  # type: ignore[arg-type]
        except Exception:  # broad on purpose: one bad request must never stop the server
            self.handle_error(conn.sock, conn.address)
        finally:
            self.shutdown_request(conn.sock)
            self._slots.release()
            self._wake()


@dataclass(frozen=True, slots=True)
class _Request:
    """A connection whose request head was read by the server loop."""

    sock: socket.socket
    head: bytes


def _close(sock: socket.socket) -> None:
    try:
        sock.close()
    except OSError:
        pass


def _refuse(sock: socket.socket, status: int, reason: str) -> None:
    """Answer ``status`` without waiting for the client (best effort), then close."""
    body = f"{reason}\n".encode()
    head = f"HTTP/1.0 {status} {reason}\r\nContent-Type: text/plain\r\nContent-Length: {len(body)}\r\n"
    try:
        sock.setblocking(False)
        sock.send(head.encode() + b"Retry-After: 1\r\nConnection: close\r\n\r\n" + body)
    except OSError:
        pass
    _close(sock)


class _HTTPServer6(_HTTPServer):
    address_family = socket.AF_INET6


class PortInUse(OSError):
    """An explicitly asked-for port is taken (a usage error: the user named it)."""

    def __init__(self, host: str, port: int, free: int | None) -> None:
        hint = f"; try --port {free}, which is free now" if free is not None else "; try another --port"
        super().__init__(errno.EADDRINUSE, f"port {port} on {host} is in use{hint}")
        self.port = port
        self.free = free


def _bind(host: str, port: int, dev: DevServer, *, fallback: bool = True) -> _HTTPServer:
    """Bind ``host:port``; when it is taken, the next free port after it (``fallback``) or PortInUse."""
    cls = _HTTPServer6 if ":" in host else _HTTPServer
    tries = 1 if port == 0 or not fallback else PORT_TRIES
    taken = OSError(errno.EADDRINUSE, "no free port")
    for candidate in range(port, min(port + tries, 65536)):
        try:
            return cls((host, candidate), dev)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            taken = exc
    if not fallback and port:
        raise PortInUse(host, port, _free_port(host, port + 1))
    raise taken


def _free_port(host: str, start: int) -> int | None:
    """Return the first port from ``start`` that can be bound on ``host`` now, or None."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for candidate in range(start, min(start + PORT_TRIES, 65536)):
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            if os.name != "nt":
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, candidate))
            except OSError:
                continue
            return candidate
    return None


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "timeline-serve"
    sys_version = ""

    def setup(self) -> None:
        """Read the request from the head the server loop already received."""
        request = self.request
        if isinstance(request, _Request):
            self.request = request.sock
            super().setup()
            self.rfile.close()  # the socket's reader: an open one would keep the socket from closing
            self.rfile = io.BytesIO(request.head)
        else:
            super().setup()

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
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            pass  # the client went away, or stopped reading for longer than the timeout
        except (FileNotFoundError, NotADirectoryError):
            # A rebuild swapped the folder between resolving the path and reading the file.
            self._page(self.server.dev.folder.not_found_page(), 404, head)
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
                self._page(dev.folder.not_found_page(), 404, head)
        else:
            target = dev.folder.resolve(raw[len(dev.base_path) :])
            if isinstance(target, str):
                self._redirect(target, head)
            elif target is None:
                self._page(dev.folder.not_found_page(), 404, head)
            elif content_type(target).startswith("text/html"):
                self._page(target.read_bytes(), 200, head)
            else:
                self._file(target, head)

    def _page(self, body: bytes, status: int, head: bool) -> None:
        dev = self.server.dev
        version, diagnostics = dev.state.current()
        page = decorate(body, version, diagnostics, source_root=dev.source_root, live_reload=dev.live_reload)
        self._send(status, page, "text/html; charset=utf-8", head=head)

    def _file(self, path: Path, head: bool) -> None:
        with path.open("rb") as stream:
            self.send_response(200)
            self._headers(content_type(path), os.fstat(stream.fileno()).st_size)
            if not head:
                shutil.copyfileobj(stream, self.wfile)

    def _internal(self, name: str, query: str, head: bool) -> None:
        if name == "events" and self.server.dev.live_reload:
            self._events(query)
        elif (found := asset(name)) is not None:
            self._send(200, found[0], found[1], head=head)
        else:
            self._send(404, b"Not found\n", "text/plain", head=head)

    def _events(self, query: str) -> None:
        dev = self.server.dev
        origin = self.headers.get("Origin")
        if origin is not None and not dev.host_allowed(urlsplit(origin).netloc):
            self._send(403, b"Forbidden: foreign Origin\n", "text/plain", head=False)
            return
        seen = seen_version(query, self.headers.get("Last-Event-ID", "0"))
        if not dev.state.open_stream():
            self._send(503, b"Too many live-reload connections\n", "text/plain", head=False)
            return
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            dev.state.stream(self.wfile, seen)
        finally:
            dev.state.close_stream()

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
    port_fallback: bool = True,
) -> int:
    """Build, serve and watch until Ctrl-C or SIGTERM; return the exit code (``out`` defaults to stderr).

    A taken port is passed over for the next free one, said aloud; with ``port_fallback`` False
    (the user named the port) it is a usage error instead: exit 2.
    """
    out = out if out is not None else sys.stderr
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
        port_fallback=port_fallback,
    )
    with warnings.catch_warnings(), _terminate_as_interrupt():
        # watchdog 7 warns when new nested folders make it add a watch twice; that is harmless noise.
        warnings.filterwarnings("ignore", "Callback with id", RuntimeWarning, r"watchdog\.")
        try:
            try:
                server.start()
            except PortInUse as exc:
                print(escape_control(f"error: {exc.strerror}"), file=out)
                return 2
            except OSError as exc:
                print(
                    escape_control(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}"),
                    file=out,
                )
                return 1
            if open_browser:
                webbrowser.open(server.url)
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("Stopped.", file=out)
        finally:
            server.stop()
    return 0


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is: stop serving, let the caller remove its temporary folder."""


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into ``KeyboardInterrupt`` in the main thread while the block runs."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; a caller in another thread keeps its own
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
