"""Latency from a file edit to the reloaded page in Chromium, under `timeline serve`.

Prints the median and p95 over N edits (default 20) for the example site and for a generated
site (default 5,000 events and 500 articles). A benchmark, not a test: it prints figures.
Two figures per site: until the reloaded page painted the new title (first contentful paint, by
the page's own clock), and until Playwright saw it (adding Playwright's polling after a reload).
Then the same for a YAML syntax error: until the error overlay is seen, and until the fix removes it.

    .venv/bin/python benchmarks/serve_latency.py [--edits 20] [--events 5000] [--articles 500]
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(site: Path, port: int) -> subprocess.Popen[str]:
    """Start `timeline serve` and wait until it prints its URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "timeline", "serve", str(site), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if "Serving on" in line:
            return process
        if not line and process.poll() is not None:
            break
    process.kill()
    raise SystemExit(f"timeline serve did not start for {site}")


# Stamped by the page itself: when the new document's content was first painted (else when its
# DOM was ready), on the wall clock, so it can be set against the moment the file was written.
PAINTED_AT = """() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const nav = performance.getEntriesByType("navigation")[0];
  return performance.timeOrigin + (paint ? paint.startTime : nav.domContentLoadedEventEnd);
}"""


def measure(page: Page, url: str, event_file: Path, edits: int) -> tuple[list[float], list[float]]:
    """Edit the event's title ``edits`` times; return seconds from each write to the new title.

    Two figures per edit: until the reloaded page painted (the page's own clock), and until
    Playwright saw the new <h1> (which adds Playwright's own polling after a navigation).
    """
    page.goto(url)
    original = event_file.read_text(encoding="utf-8")
    painted, seen = [], []
    try:
        for n in range(edits):
            title = f"Edited title number {n}"
            text = re.sub(r"(?m)^title: .*$", f"title: {title}", original, count=1)
            wall = time.time()
            start = time.perf_counter()
            event_file.write_text(text, encoding="utf-8")
            page.wait_for_function(
                "t => document.querySelector('h1') && document.querySelector('h1').textContent.trim() === t",
                arg=title,
                timeout=60_000,
                polling=10,
            )
            seen.append(time.perf_counter() - start)
            painted.append(page.evaluate(PAINTED_AT) / 1000 - wall)
            time.sleep(0.3)  # let the watcher settle, so edits are separate rebuilds
    finally:
        event_file.write_text(original, encoding="utf-8")
    return painted, seen


def measure_errors(page: Page, event_file: Path, tries: int) -> tuple[list[float], list[float]]:
    """Break the event's YAML ``tries`` times; return seconds until the overlay shows, and until the fix is back."""
    original = event_file.read_text(encoding="utf-8")
    shown, fixed = [], []
    try:
        for n in range(tries):
            start = time.perf_counter()
            event_file.write_text(f"title: [unclosed {n}\n" + original, encoding="utf-8")
            page.wait_for_selector("#timeline-error-overlay", timeout=60_000)
            shown.append(time.perf_counter() - start)
            start = time.perf_counter()
            event_file.write_text(original, encoding="utf-8")
            page.wait_for_selector("#timeline-error-overlay", state="detached", timeout=60_000)
            fixed.append(time.perf_counter() - start)
            time.sleep(0.3)
    finally:
        event_file.write_text(original, encoding="utf-8")
    return shown, fixed


def report(name: str, timings: list[float]) -> None:
    """Print median and p95 in milliseconds."""
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    median = statistics.median(ordered) * 1000
    print(f"{name:<64} edits={len(timings):>3}  median={median:7.0f} ms  p95={p95 * 1000:7.0f} ms")


def run(name: str, site: Path, event_id: str, edits: int) -> None:
    """Serve ``site``, open the event page, and report the edit-to-reload latency."""
    port = free_port()
    server = start_server(site, port)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page()
            config = (site / "site.yaml").read_text(encoding="utf-8")
            base = re.search(r"(?m)^base_url:\s*\S+?//[^/]+(/\S*)", config)
            path = base.group(1).rstrip("/") + "/" if base else "/"
            url = f"http://127.0.0.1:{port}{path}events/{event_id}/"
            painted, seen = measure(page, url, site / "content" / "events" / f"{event_id}.yaml", edits)
            report(f"{name}: painted", painted)
            report(f"{name}: seen by Playwright", seen)
            shown, fixed = measure_errors(page, site / "content" / "events" / f"{event_id}.yaml", max(3, edits // 4))
            report(f"{name}: YAML error, overlay seen", shown)
            report(f"{name}: fix, overlay gone", fixed)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout:
            server.stdout.close()


def main() -> None:
    """Run the benchmark on the example site and on a generated site."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="timeline-bench-serve-") as tmp:
        example = Path(tmp) / "example"
        example.mkdir()
        shutil.copy(REPO / "site.yaml", example / "site.yaml")
        shutil.copytree(REPO / "content", example / "content")
        run("example site", example, "washington-talks-scheduled", args.edits)
        if not args.skip_large:
            generate(Path(tmp) / "corpus", args.articles, args.events)
            large = Path(tmp) / "corpus" / "timeline"
            run(f"generated ({args.events} events, {args.articles} articles)", large, "e00000", args.edits)


if __name__ == "__main__":
    main()
