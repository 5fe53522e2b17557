"""Read a built site back: parse pages, resolve internal links and anchors."""

from __future__ import annotations

import hashlib
import urllib.parse
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
