"""Open one content file safely: size cap first, then strict UTF-8, no NUL, no BOM.

A file that fails any of these is never parsed; the reason comes back as a located diagnostic.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from timeline.content.ignore import is_ignored
from timeline.errors import Diagnostic, error

StatMemo = dict[str, tuple[int, int, int, int, int, str]]
"""File -> (size, modification time, change time, inode, time it was read (ns), sha256 of its bytes)."""

RACY_NS = 2_000_000_000
"""A file changed this close to being read may change again within the same clock tick, unseen by stat."""


def digest_source(
    path: Path, rel: str, cap: int, stats: StatMemo | None, stat: os.stat_result | None = None
) -> tuple[str, bytes | None] | None:
    """Return the sha256 of a file's bytes and the bytes when they had to be read.

    With ``stats``, a file whose size, modification and change times and inode are as they were
    when it was last hashed is taken to be unchanged and not read at all, unless it had changed
    within two seconds before that read (git's "racy" rule: a later write in the same clock tick
    could keep every one of them); such a file is read and its digest compared. None when the
    file is too large or unreadable: ``read_source`` then reports why. ``stat`` is the file's, if
    the caller has it.
    """
    # Taken before the read, so that it errs towards "racy": the read came no earlier than this.
    now = time.time_ns()
    try:
        stat = stat or os.stat(path)
        key = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        seen = stats.get(rel) if stats is not None else None
        if seen is not None and seen[:4] == key and max(key[1], key[2]) < seen[4] - RACY_NS:
            return seen[5], None
        if stat.st_size > cap:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256(data).hexdigest()
    if stats is not None:
        stats[rel] = (*key, now, digest)
    return digest, data


def read_source(path: Path, rel: str, cap: int, data: bytes | None = None) -> tuple[str | None, Diagnostic | None]:
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


Found = tuple[Path, tuple[str, ...], os.stat_result]
"""A file the walk found: its path, its path parts below the folder walked, and its stat."""


def link_problem(link: Path, root: Path) -> str | None:
    """Return why symbolic link ``link`` must not be followed, or None when it stays in ``root``.

    One rule for content and themes alike: the file a link names must lie inside ``root`` (the
    site folder, or the built-in themes' folder for their files), and not in a hidden or editor
    file or folder there (``.env.local``, ``.git/``), which the walk itself would never publish.
    """
    try:
        target = Path(os.path.realpath(link, strict=False))
    except (OSError, ValueError):
        return "symbolic link cannot be resolved"
    real_root = Path(os.path.realpath(root))
    if not target.is_relative_to(real_root):
        return "symbolic link leads outside the site folder"
    if any(is_ignored(part) for part in target.relative_to(real_root).parts):
        return "symbolic link leads to a hidden file"
    return None


Escape = tuple[Path, str]
"""A symbolic link that must not be followed, and why."""


def walk_sources(folder: Path, root: Path) -> tuple[list[Found], list[Escape]]:
    """Return the files under ``folder`` in sorted order, and the symbolic links refused by ``link_problem``.

    Each file comes with its path parts below ``folder`` and its stat (of the file a link names).
    Editor files, hidden files and whatever lies in an ignored folder are skipped; links are never
    followed into folders. Plain strings and ``os.scandir``: this runs on every rebuild.
    """
    found: list[tuple[tuple[str, ...], Path, os.stat_result]] = []
    escapes: list[Escape] = []

    def walk(directory: str, parts: tuple[str, ...]) -> None:
        try:
            entries = list(os.scandir(directory))
        except OSError:
            return
        for entry in entries:
            if is_ignored(entry.name):
                continue
            here = (*parts, entry.name)
            try:
                if entry.is_symlink():
                    target = Path(entry.path)
                    problem = link_problem(target, root)
                    if problem:
                        escapes.append((target, problem))
                    elif target.is_file():
                        found.append((here, target, entry.stat()))
                elif entry.is_dir(follow_symlinks=False):
                    walk(entry.path, here)
                elif entry.is_file(follow_symlinks=False):
                    found.append((here, Path(entry.path), entry.stat(follow_symlinks=False)))
            except OSError:
                continue  # removed while we looked: it is simply not there

    # The folder itself, or one above it (a linked theme), may be a link too: its real path decides.
    problem = link_problem(folder, root) if folder.exists() else None
    if problem:
        escapes.append((folder, problem))
    elif folder.is_dir():
        walk(str(folder), ())
    found.sort(key=lambda item: item[0])
    return [(path, parts, stat) for parts, path, stat in found], sorted(escapes)
