"""A scanner for active content in built pages (threats T1-T5; property P3)."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

URL_ATTRS = ("href", "src", "srcset", "action", "formaction", "xlink:href", "poster", "data", "cite")
BAD_SCHEME_RE = re.compile(r"^(javascript|vbscript|file):", re.IGNORECASE)
IMAGE_DATA_RE = re.compile(r"^data:image/(gif|png|jpeg|webp);", re.IGNORECASE)
FORBIDDEN_TAGS = ("iframe", "object", "embed", "base", "frame", "frameset", "applet")


def _squeeze(url: str) -> str:
    return re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(url))


class _Scanner(HTMLParser):
    def __init__(self, allowed_scripts: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed_scripts = allowed_scripts
        self.problems: list[str] = []
        self.in_script: str | None = None
        self.script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.problems.append(f"<{tag}> has event handler attribute {name}={value!r}")
            if name.lower() in URL_ATTRS and value is not None:
                for part in value.split(",") if name == "srcset" else [value]:
                    url = _squeeze(part.strip().split(" ")[0] if name == "srcset" else part)
                    if BAD_SCHEME_RE.match(url):
                        self.problems.append(f"<{tag} {name}> has a dangerous URL {value!r}")
                    if url.lower().startswith("data:") and not IMAGE_DATA_RE.match(url):
                        self.problems.append(f"<{tag} {name}> has a non-image data URL {value!r}")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"forbidden element <{tag}>")
        if tag == "script":
            found = dict(attrs)
            src, kind = found.get("src"), found.get("type")
            if src is not None:
                if src not in self.allowed_scripts:
                    self.problems.append(f"script not shipped by the theme: {src!r}")
                self.in_script = "src"
            elif kind in ("application/ld+json", "application/json"):
                self.in_script = "json"
            else:
                self.problems.append(f"inline script of type {kind!r}")
                self.in_script = "other"
            self.script_text = []

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.in_script:
            text = "".join(self.script_text)
            if self.in_script == "json":
                try:
                    json.loads(text)
                except ValueError:
                    self.problems.append(f"embedded JSON does not parse: {text[:80]!r}")
            elif self.in_script == "src" and text.strip():
                self.problems.append("script with src has a body")
            self.in_script = None


def scan_page(text: str, allowed_scripts: set[str]) -> list[str]:
    """Return the active-content problems of one page."""
    scanner = _Scanner(allowed_scripts)
    scanner.feed(text)
    scanner.close()
    return scanner.problems


def theme_scripts(base_path: str) -> set[str]:
    """Return the script URLs the built-in theme ships."""
    static = Path(__file__).resolve().parents[2] / "themes" / "default" / "static"
    return {f"{base_path}assets/{p.relative_to(static).as_posix()}" for p in static.rglob("*.js")}


def scan_tree(out: Path, base_path: str) -> dict[str, list[str]]:
    """Scan every HTML page under ``out``; return the problems per page (empty when clean)."""
    allowed = theme_scripts(base_path)
    found: dict[str, list[str]] = {}
    for page in sorted(out.rglob("*.html")):
        problems = scan_page(page.read_text(encoding="utf-8"), allowed)
        if problems:
            found[page.relative_to(out).as_posix()] = problems
    return found
