"""Score the overview, a part page and an event page with Lighthouse (mobile), as issue 15 asks.

    .venv/bin/python benchmarks/lighthouse.py --lighthouse PATH/TO/lighthouse [--events 10000]
        [--articles 4000] [--site DIR] [--chromium /usr/bin/chromium] [--workers 2]

Generates a site (``corpus.py``) or takes ``--site``, builds it for ``http://127.0.0.1:<port>/``,
serves the output on 127.0.0.1 and runs the Lighthouse CLI (``npm install lighthouse``; it is not
a dependency of timeline) with its default mobile settings (simulated slow 4G and a 4x slower CPU)
on each page. Prints the performance and accessibility scores, First Contentful Paint, Largest
Contentful Paint, Total Blocking Time, Cumulative Layout Shift and the bytes transferred. A
benchmark, not a test: it prints figures and asserts nothing. Run it alone on an idle machine.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import make_articles, write_timeline  # noqa: E402

from timeline.build.pipeline import build_site  # noqa: E402

AUDITS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "total-byte-weight": "bytes",
}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class names it
        """Say nothing per request."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _pages(out: Path) -> dict[str, str]:
    """Return name -> site path of the pages to score: the overview, the first part, the first event."""
    pages = {"overview": ""}
    parts = sorted(p.parent.relative_to(out).as_posix() for p in out.glob("timeline/*/index.html"))
    if parts:
        pages["part"] = parts[len(parts) // 2] + "/"
    events = sorted(p.parent.relative_to(out).as_posix() for p in out.glob("events/*/index.html"))
    if events:
        pages["event"] = events[len(events) // 2] + "/"
    return pages


def score(lighthouse: str, chromium: str, url: str, work: Path) -> dict[str, str]:
    """Run Lighthouse on ``url``; return the figures to print."""
    report = work / "report.json"
    command = [
        lighthouse, url, "--quiet", "--output=json", f"--output-path={report}",
        "--only-categories=performance,accessibility",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]  # fmt: skip
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": chromium}, timeout=600)
    data = json.loads(report.read_text(encoding="utf-8"))
    figures = {name: str(round(cat["score"] * 100)) for name, cat in data["categories"].items()}
    for audit, label in AUDITS.items():
        figures[label] = data["audits"][audit]["displayValue"].replace("\xa0", " ")
    failed = [a["id"] for a in data["audits"].values() if a.get("score") == 0 and a.get("scoreDisplayMode") == "binary"]
    figures["failed audits"] = ", ".join(failed) or "none"
    return figures


def main() -> None:
    """Build, serve and score the pages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lighthouse", default="lighthouse", help="the Lighthouse CLI")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=4_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--site", type=Path, help="score this site folder instead of a generated one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        work = Path(tmp)
        site = args.site
        if site is None:
            site = work / "site"
            write_timeline(site, make_articles(args.articles, args.seed), args.events, args.seed)
            print(f"site: {args.events} events, {args.articles} articles (corpus.py, seed {args.seed})")
        port = _free_port()
        out = work / "out"
        result = build_site(site, out, base_url=f"http://127.0.0.1:{port}/", workers=args.workers, cache=False)
        if result.failed():
            sys.exit("\n".join(d.format() for d in result.diagnostics))
        handler = functools.partial(_Quiet, directory=str(out))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            for name, path in _pages(out).items():
                url = f"http://127.0.0.1:{port}/{path}"
                figures = score(args.lighthouse, args.chromium, url, work)
                shown = ", ".join(f"{k} {v}" for k, v in figures.items())
                print(f"{name:<9} {(out / path / 'index.html').stat().st_size / 1024:7.1f} KB  {shown}")
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
