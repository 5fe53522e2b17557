"""Open one content file safely: size cap first, then strict UTF-8, no NUL, no BOM.

A file that fails any of these is never parsed; the reason comes back as a located diagnostic.
"""

from __future__ import annotations

from pathlib import Path

from timeline.errors import Diagnostic, error


def read_source(
    path: Path, rel: str, cap: int, data: bytes | None = None
) -> tuple[str | None, Diagnostic | None]:
    """Return the text of ``path`` (reported as ``rel``), or None and the reason it cannot be used.

    ``data``, when given, is the file's bytes already read by the caller.
    """
    if data is None:
        try:
            size = path.stat().st_size
            if size > cap:
                return None, error(rel, 1, 1, f"file is {size} bytes, over the {cap // 1024} KiB limit")
            data = path.read_bytes()
        except OSError as exc:
            return None, error(rel, 1, 1, f"cannot read file: {exc.strerror or exc}")
    # A file that grew between stat() and read() is still held to the cap.
    if len(data) > cap:
        return None, error(rel, 1, 1, f"file is {len(data)} bytes, over the {cap // 1024} KiB limit")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, error(rel, line, col, "file is not valid UTF-8")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, error(rel, line, 1, "file contains a NUL character")
    return text.removeprefix("\ufeff"), None
