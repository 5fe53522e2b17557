"""Read a built site back: parse pages, resolve internal links and anchors; serve a site and crawl it."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import http.server
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import lxml.html


def pages(out: Path) -> dict[str, lxml.html.HtmlElement]:
    """Return every HTML page of a built site, parsed, by its path relative to ``out``."""
    return {p.relative_to(out).as_posix(): lxml.html.fromstring(p.read_bytes()) for p in sorted(out.rglob("*.html"))}


def broken_links(out: Path, base_path: str) -> list[str]:
    """Return every internal href/src under ``base_path`` that has no file or no anchor."""
    parsed = pages(out)
    ids = {path: set(tree.xpath("//@id")) for path, tree in parsed.items()}
    broken = []
    for path, tree in parsed.items():
        for element, attribute, link, _ in tree.iterlinks():
            if (
                attribute not in ("href", "src")
                or element.tag == "a"
                and link.startswith(("http:", "https:", "mailto:"))
            ):
                continue
            url = urllib.parse.urlsplit(link)
            if url.scheme or url.netloc:
                continue
            if not url.path:  # "#anchor" on the same page
                target = path
            elif url.path.startswith(base_path):
                target = urllib.parse.unquote(url.path[len(base_path) :])
                if target == "" or target.endswith("/"):
                    target += "index.html"
            else:
                broken.append(f"{path}: {link} is outside the base path {base_path}")
                continue
            if not (out / target).is_file():
                broken.append(f"{path}: {link} -> no file {target}")
            elif url.fragment and url.fragment not in ids.get(target, set()):
                broken.append(f"{path}: {link} -> no #{url.fragment} in {target}")
    return broken


def tree_digest(folder: Path) -> dict[str, str]:
    """Return every file under ``folder`` (POSIX path) with the sha256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serve a folder as GitHub Pages does: a miss at any depth gets the site's 404.html, status 404."""

    not_found: Path | None = None

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code == 404 and self.not_found is not None and self.not_found.is_file():
            body = self.not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


@contextlib.contextmanager
def serve_pages(root: Path, site_path: str = "/") -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port) with the 404 page of the site at ``site_path``; yield the origin."""
    not_found = root / site_path.strip("/") / "404.html"
    handler = type("Handler", (PagesHandler,), {"not_found": not_found})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def fetch(url: str) -> tuple[int, bytes]:
    """Return the status and body of a GET of ``url``."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read()


@dataclasses.dataclass(frozen=True)
class Crawl:
    """What a crawl of a served site found."""

    pages: tuple[str, ...]
    """Every URL fetched."""
    broken: tuple[str, ...]
    """``status url`` for every link or resource that did not answer 200."""
    missing_anchors: tuple[str, ...]
    """``url#fragment`` for every link to an id that its page does not have."""


def crawl(start: str, origin: str) -> Crawl:
    """Follow every href and src on ``origin`` from ``start``; report misses and missing anchors."""
    seen: set[str] = set()
    queue = [start]
    broken: list[str] = []
    anchors: dict[str, set[str]] = {}
    fragments: list[tuple[str, str]] = []
    while queue:
        url = queue.pop()
        page, _, fragment = url.partition("#")
        if fragment:
            fragments.append((page, fragment))
        if page in seen:
            continue
        seen.add(page)
        status, body = fetch(page)
        if status != 200:
            broken.append(f"{status} {page}")
            continue
        if body.lstrip()[:15].lower() == b"<!doctype html>":
            tree = lxml.html.fromstring(body)
            anchors[page] = set(tree.xpath("//@id"))
            for _, attribute, link, _ in tree.iterlinks():
                absolute = urllib.parse.urljoin(page, link)
                if attribute in ("href", "src") and absolute.startswith(origin + "/"):
                    queue.append(absolute)
    missing = [f"{p}#{f}" for p, f in fragments if p in anchors and f not in anchors[p]]
    return Crawl(tuple(sorted(seen)), tuple(sorted(broken)), tuple(sorted(missing)))
