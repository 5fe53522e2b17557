"""The built site folder as the preview serves it: URL paths to files, the 404 page, content types."""

from __future__ import annotations

import mimetypes
import os
import threading
import time
from pathlib import Path
from urllib.parse import quote, unquote

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


class SiteFolder:
    """Find files inside ``root`` for URL paths under ``base_path``, never outside it."""

    def __init__(self, root: Path, base_path: str, building: threading.Event) -> None:
        self.root = root
        self.base_path = base_path
        self._building = building

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
        try:
            return self._find(root, parts, decoded, trailing)
        except OSError:
            # A name over 255 bytes (ENAMETOOLONG), a path too deep, a folder we may not read:
            # whatever the file system says, there is no page to serve here.
            return None

    def _find(self, root: Path, parts: list[str], decoded: str, trailing: bool) -> Path | str | None:
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
            try:
                page = (root / "404.html").resolve()
                if page.is_relative_to(root) and page.is_file():
                    return page.read_bytes()
            except OSError:
                pass  # swapped out or unreadable this instant: the plain page will do
        return _NOT_FOUND

    def _current_root(self) -> Path | None:
        # The build swaps a new folder in by rename; wait out the instant when root is missing.
        for _ in range(50):
            if self.root.is_dir():
                return Path(os.path.realpath(self.root))
            if not self._building.is_set():
                return None
            time.sleep(0.01)
        return None


def content_type(path: Path) -> str:
    """Return the ``Content-Type`` header for ``path``; text types say they are UTF-8."""
    ctype = _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{ctype}; charset=utf-8" if ctype.startswith(_TEXT_TYPES) else ctype
