"""Live reload for the preview: build versions, the event stream, the page script and the error overlay."""

from __future__ import annotations

import html
import json
import threading
from dataclasses import dataclass
from io import BufferedIOBase
from pathlib import Path
from urllib.parse import parse_qs

from timeline.errors import Diagnostic, error

PREFIX = "/__timeline/"
HEARTBEAT = 1.0
"""Seconds between comment lines on an idle stream: the second write after a tab has gone fails,
so its slot is free within two heartbeats (a closed socket gives no other sign to a writer)."""
MAX_STREAMS = 32  # each open tab holds one thread; hidden tabs disconnect (P8)


@dataclass(frozen=True, slots=True)
class Change:
    """One published build: its version, how pages apply it ("reload" or "css") and where to go."""

    version: int
    kind: str
    navigate: str | None

    def event(self) -> bytes:
        """Return this change as one server-sent event."""
        data = json.dumps({"v": self.version, "kind": self.kind, "navigate": self.navigate})
        return f"id: {self.version}\ndata: {data}\n\n".encode()


class ReloadState:
    """The published build version, its change history and the current errors."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.version = 0
        self.history: tuple[Change, ...] = ()
        self.diagnostics: tuple[Diagnostic, ...] = ()
        self.closed = False
        self._streams = threading.BoundedSemaphore(MAX_STREAMS)

    def publish(self, kind: str, navigate: str | None, diagnostics: tuple[Diagnostic, ...]) -> None:
        """Publish a new build version to every waiting page."""
        with self.cond:
            self.version += 1
            self.history = (*self.history[-99:], Change(self.version, kind, navigate))
            self.diagnostics = diagnostics
            self.cond.notify_all()

    def publish_failure(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        """Publish a failed build: pages reload to show its errors over the last good site."""
        self.publish("reload", None, diagnostics or (error("(build)", 1, 1, "build failed"),))

    def publish_success(self, changed: frozenset[Path], navigate: str | None) -> None:
        """Publish a good build; a CSS-only change swaps stylesheets unless an overlay must go."""
        css_only = bool(changed) and all(p.suffix.lower() == ".css" for p in changed)
        kind = "css" if css_only and not self.diagnostics else "reload"
        self.publish(kind, navigate, ())

    def close(self) -> None:
        """End every open stream."""
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def current(self) -> tuple[int, tuple[Diagnostic, ...]]:
        """Return the current version and its diagnostics, read together."""
        with self.cond:
            return self.version, self.diagnostics

    def wait(self, seen: int, timeout: float) -> tuple[bool, Change | None]:
        """Wait up to ``timeout`` for a build newer than ``seen``; return (closed, change)."""
        with self.cond:
            self.cond.wait_for(lambda: self.closed or self.version > seen, timeout)
            return self.closed, self.since(seen)

    def since(self, version: int) -> Change | None:
        """Return the merged change a page at ``version`` needs, or None if it is current."""
        if self.version <= version:
            return None
        newer = [c for c in self.history if c.version > version]
        complete = bool(newer) and newer[0].version == version + 1
        kind = "css" if complete and all(c.kind == "css" for c in newer) else "reload"
        navigate = next((c.navigate for c in reversed(newer) if c.navigate), None)
        return Change(self.version, kind, navigate)

    def open_stream(self) -> bool:
        """Reserve one of the live-reload stream slots; False when all are taken."""
        return self._streams.acquire(blocking=False)

    def close_stream(self) -> None:
        """Release a live-reload stream slot."""
        self._streams.release()

    def stream(self, wfile: BufferedIOBase, seen: int) -> None:
        """Write server-sent events for every build after ``seen`` until the server stops."""
        wfile.write(b"retry: 1000\n\n")
        wfile.flush()
        while True:
            closed, change = self.wait(seen, HEARTBEAT)
            if closed:
                return
            if change is None:
                wfile.write(b":\n\n")
            else:
                wfile.write(change.event())
                seen = change.version
            wfile.flush()


def seen_version(query: str, last_event_id: str) -> int:
    """Return the build version a reconnecting page already has, from its URL or ``Last-Event-ID``."""
    return max(_int(parse_qs(query).get("v", ["0"])[0]), _int(last_event_id))


def _int(text: str) -> int:
    return int(text) if text.isdigit() and len(text) < 12 else 0


def asset(name: str) -> tuple[bytes, str] | None:
    """Return the body and content type of an internal file under ``PREFIX``, or None."""
    if name == "reload.js":
        return RELOAD_JS.encode(), "text/javascript; charset=utf-8"
    if name == "overlay.css":
        return OVERLAY_CSS.encode(), "text/css; charset=utf-8"
    return None


def decorate(
    body: bytes, version: int, diagnostics: tuple[Diagnostic, ...], *, source_root: Path, live_reload: bool
) -> bytes:
    """Insert the error overlay and the reload script before ``</body>``."""
    snippet = overlay(source_root, diagnostics) if diagnostics else ""
    if live_reload:
        snippet += f'<script src="{PREFIX}reload.js" data-version="{version}"></script>'
    if not snippet:
        return body
    at = body.lower().rfind(b"</body")
    data = snippet.encode()
    return body + data if at < 0 else body[:at] + data + body[at:]


def overlay(source_root: Path, diagnostics: tuple[Diagnostic, ...]) -> str:
    """Return the HTML of the error overlay, quoting each error's source line with a caret."""
    items = []
    for d in diagnostics:
        text = f"{d.path}:{d.line}:{d.col}: {d.severity}: {d.message}"
        line = source_line(source_root, d.path, d.line)
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


def source_line(source_root: Path, rel: str, line: int) -> str | None:
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


OVERLAY_CSS = """#timeline-error-overlay {
  position: fixed; inset: 0; z-index: 2147483647; overflow: auto; padding: 2rem;
  background: rgba(20, 20, 20, .94); color: #f6f6f6; font: 15px/1.5 system-ui, sans-serif;
}
#timeline-error-overlay h2 { color: #ff8080; margin: 0 0 1rem; font-size: 1.3rem; }
#timeline-error-overlay pre {
  font: 13px/1.4 ui-monospace, monospace; background: #000; color: #ffd479;
  padding: .5rem .75rem; overflow: auto; white-space: pre;
}
"""

RELOAD_JS = r"""(function () {
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
