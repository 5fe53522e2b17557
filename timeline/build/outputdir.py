"""The output folder: a new tree prepared beside the live one, switched in one step, recovered after a kill.

A build never edits the live output folder file by file. It prepares the whole new tree in a
sibling folder (``.<name>.spare``: the tree the previous build replaced, kept so that it can be
brought up to date cheaply), where every unchanged file is a hard link to the live one (same
bytes, same modification time) and every changed file is a new file, then exchanges the two
folders with one ``renameat2(RENAME_EXCHANGE)``. A reader or a kill sees the old tree or the new
one, never a mix. Where the system has no exchange the old folder is renamed aside and the new
one into place: a reader may then find no folder for that instant, and a kill there is rolled
back by the next run.

An output folder that cannot be renamed (a mount point, or one in a folder we may not write) is
updated in place through a write-ahead journal instead: every new file is written into a pending
folder inside it first, then a journal naming every move and removal, then the moves. The next
run rolls an unfinished journal forward before anything else (and drops a pending folder that
never got its journal). A reader of such a folder may see a mix while the moves run.

Every folder we make holds ``MARKER``, and only such folders are ever removed.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import secrets
import shutil
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath

from timeline.errors import TimelineError, error

MARKER = ".timeline-output"
"""A file in every output folder we write, so we never delete a folder we did not make."""
JOURNAL = ".timeline-journal"
"""The write-ahead journal of an in-place update (inside the output folder)."""
PENDING = ".timeline-pending-"
"""The prefix of the pending folder of an in-place update (inside the output folder)."""
SPARE = "spare"

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def sibling(out: Path, kind: str) -> Path:
    """Return the hidden folder beside ``out`` of that kind (``spare``, ``staging-<hex>``, ``old-<hex>``)."""
    return out.with_name(f".{out.name}.{kind}")


def is_ours(folder: Path) -> bool:
    """Return True if ``folder`` is a real folder holding our marker."""
    return folder.is_dir() and not folder.is_symlink() and (folder / MARKER).is_file()


def needs_journal(out: Path) -> bool:
    """Return True if ``out`` exists but cannot be swapped by rename (a mount point, or its parent is not writable)."""
    if not out.is_dir() or out.is_symlink():
        return False
    return os.path.ismount(out) or _mounted_at(out) or not os.access(out.parent, os.W_OK | os.X_OK)


def _mounted_at(out: Path) -> bool:
    # A bind mount of a folder of the same file system is not seen by ismount (same device).
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as file:
            points = {line.split(" ")[4] for line in file if line.count(" ") > 4}
    except OSError:
        return False
    real = os.path.realpath(out)
    return any(_unescape(point) == real for point in points)


def _unescape(point: str) -> str:
    # mountinfo writes space, tab, newline and backslash as octal escapes.
    for code in ("\\040", "\\011", "\\012", "\\134"):
        point = point.replace(code, chr(int(code[1:], 8)))
    return point


def disk_error(exc: OSError, out: Path) -> TimelineError:
    """Return a one-line located diagnostic for a disk or permission error met while writing ``out``."""
    where = _as_output_path(os.fsdecode(exc.filename), out) if exc.filename is not None else str(out)
    cause = exc.strerror or str(exc)
    name = errno.errorcode.get(exc.errno or 0)
    if name:
        cause = f"{cause} ({name})"
    message = f"cannot write the output folder {out}: {cause}; the previous output was left as it was"
    return TimelineError([error(where, 1, 1, message)])


def _as_output_path(path: str, out: Path) -> str:
    """Return a path inside one of our working folders as the output path it stands for."""
    parts = Path(path).parts
    head = out.parent.parts
    if parts[: len(head)] == head and len(parts) > len(head):
        name = parts[len(head)]
        if name.startswith(f".{out.name}.staging-") or name == f".{out.name}.{SPARE}":
            return str(out.joinpath(*parts[len(head) + 1 :]))
        if name == out.name and len(parts) > len(head) + 1 and parts[len(head) + 1].startswith(PENDING):
            return str(out.joinpath(*parts[len(head) + 2 :]))
    return path


def target(folder: Path, rel: str) -> Path:
    """Return ``folder/rel`` for a relative POSIX path that stays inside ``folder``."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in rel or "\x00" in rel:
        raise ValueError(f"unsafe output path {rel!r}")
    return folder.joinpath(*pure.parts)


def exchange(new: Path, live: Path) -> None:
    """Put the folder ``new`` at ``live`` and the old ``live`` at ``new`` in one step where possible."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            renameat2 = libc.renameat2
        except (OSError, AttributeError):
            renameat2 = None
        if renameat2 is not None:
            done = renameat2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(live), _RENAME_EXCHANGE)
            if done == 0:
                return
            code = ctypes.get_errno()
            if code not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
                raise OSError(code, os.strerror(code), os.fsdecode(live))
    # No exchange here: rename the old tree aside, the new one in (a reader may miss the folder
    # for that instant; a kill in between is rolled back by ``recover``).
    aside = sibling(live, f"old-{secrets.token_hex(4)}")
    os.replace(live, aside)
    try:
        os.replace(new, live)
    except BaseException:
        os.replace(aside, live)
        raise
    os.replace(aside, new)


def walk(top: Path, skip: Iterable[str] = ()) -> dict[str, tuple[bool, int]]:
    """Return every entry under ``top`` as rel -> (is a folder, inode); links are entries, never followed."""
    found: dict[str, tuple[bool, int]] = {}
    skipped = set(skip)
    stack = [""]
    while stack:
        rel = stack.pop()
        with os.scandir(os.path.join(top, rel) if rel else top) as entries:
            for entry in entries:
                if not rel and entry.name in skipped:
                    continue
                path = f"{rel}/{entry.name}" if rel else entry.name
                is_dir = entry.is_dir(follow_symlinks=False)
                found[path] = (is_dir, entry.inode())
                if is_dir:
                    stack.append(path)
    return found


Plan = list[tuple[str, str]]
"""Steps that turn a folder into the new tree: ("remove" | "mkdir" | "link" | "move", rel)."""


def plan_tree(folder: Path, live: Path, files: Mapping[str, bool], skip: Iterable[str] = ()) -> Plan:
    """Return the steps that make ``folder`` hold the new tree.

    ``files`` maps every file of the new tree to True when its new bytes wait in the pending
    folder (a "move") and False when the live file is right (a "link", unless ``folder`` already
    holds that very file). Everything else in ``folder`` is removed.
    """
    have = walk(folder, skip)
    # String operations, not PurePosixPath: this runs over every file of the site on every build.
    dirs: set[str] = set()
    for rel in files:
        cut = rel.rfind("/")
        while cut > 0 and rel[:cut] not in dirs:
            dirs.add(rel[:cut])
            cut = rel.rfind("/", 0, cut)
    unwanted = [
        rel for rel, (is_dir, _) in have.items() if (rel not in dirs if is_dir else rel not in files or rel in dirs)
    ]
    steps: Plan = []
    gone: set[str] = set()
    for rel in sorted(unwanted, key=lambda rel: (rel.count("/"), rel)):
        if not any(rel[:cut] in gone for cut in _cuts(rel)):
            steps.append(("remove", rel))
            gone.add(rel)
    for rel in sorted(dirs, key=lambda rel: (rel.count("/"), rel)):
        held = have.get(rel)
        if held is None or rel in gone or not held[0]:
            steps.append(("mkdir", rel))
    root = os.fspath(live)
    for rel, pending in sorted(files.items()):
        if pending:
            steps.append(("move", rel))
            continue
        held = have.get(rel)
        if held is None or held[0] or rel in gone or held[1] != os.lstat(os.path.join(root, rel)).st_ino:
            steps.append(("link", rel))
    return steps


def _cuts(rel: str) -> Iterator[int]:
    cut = rel.rfind("/")
    while cut > 0:
        yield cut
        cut = rel.rfind("/", 0, cut)


def apply_plan(steps: Plan, folder: Path, live: Path, pending: Path) -> None:
    """Carry out ``steps`` in ``folder``; each step may be done again (a journal rolled forward)."""
    for kind, rel in steps:
        path = target(folder, rel)
        if kind == "remove":
            _remove(path)
        elif kind == "mkdir":
            if not path.is_dir() or path.is_symlink():
                _remove(path)
                path.mkdir()
        elif kind == "move":
            source = target(pending, rel)
            if os.path.lexists(source):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                os.replace(source, path)
        elif kind == "link":
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            # Linked beside, then renamed over: the folder's marker, say, is never missing.
            temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp") if os.path.lexists(path) else path
            try:
                os.link(target(live, rel), temp, follow_symlinks=False)
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                    raise
                # A file system without hard links: a copy keeps the bytes and the modification time.
                shutil.copy2(target(live, rel), temp, follow_symlinks=False)
            if temp != path:
                os.replace(temp, path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def write_journal(out: Path, pending: Path, steps: Plan) -> None:
    """Write the journal of an in-place update atomically: from here on, the update is rolled forward."""
    data = json.dumps({"pending": pending.name, "steps": steps}, ensure_ascii=False).encode("utf-8")
    temp = out / f"{JOURNAL}.{secrets.token_hex(4)}.tmp"
    with temp.open("wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temp, out / JOURNAL)


def finish_journal(out: Path) -> None:
    """Drop the journal and the pending folder of a finished in-place update."""
    (out / JOURNAL).unlink(missing_ok=True)


def recover(out: Path) -> bool:
    """Finish or undo what a killed build left at ``out``; return True if there was anything.

    An unfinished journal is rolled forward; a folder renamed aside with no folder in its place
    is put back; staging and pending folders are removed (the first one found becomes the spare
    when there is none, which costs less than deleting it). Only folders holding ``MARKER`` are
    touched.
    """
    out = Path(os.path.abspath(out))
    found = False
    journal = out / JOURNAL
    ours = is_ours(out)
    if ours and journal.is_file() and not journal.is_symlink():
        found = True
        try:
            value = json.loads(journal.read_bytes())
            pending = target(out, value["pending"])
            steps = [(str(kind), str(rel)) for kind, rel in value["steps"]]
        except (ValueError, KeyError, TypeError):
            steps, pending = [], out / f"{PENDING}none"  # torn before its rename: never committed
        if steps:
            apply_plan(steps, out, out, pending)
        journal.unlink()
    if ours:
        for entry in sorted(out.iterdir()):
            if entry.name.startswith(PENDING) and is_ours(entry):
                found = True
                shutil.rmtree(entry, ignore_errors=True)
            elif entry.name.startswith(f"{JOURNAL}.") and entry.name.endswith(".tmp"):
                entry.unlink(missing_ok=True)
    if not out.parent.is_dir():
        return found
    prefix = f".{out.name}."
    for entry in sorted(out.parent.iterdir()):
        name = entry.name
        if not name.startswith(prefix) or not name[len(prefix) :].startswith(("staging-", "old-")):
            continue
        if not is_ours(entry):
            with contextlib.suppress(OSError):
                entry.rmdir()  # killed between making it and marking it: empty, so surely ours
            continue
        found = True
        if name[len(prefix) :].startswith("old-") and not os.path.lexists(out):
            os.replace(entry, out)  # killed between the two renames of the fallback: undo
        elif not os.path.lexists(sibling(out, SPARE)):
            os.replace(entry, sibling(out, SPARE))
        else:
            shutil.rmtree(entry, ignore_errors=True)
    return found
