"""A no-change fast path for ``timeline build``: cheap file stats compared with the last build's.

Like ``make`` or git's index: a successful build writes ``.timeline-cache/manifest.json`` with
the stat of every file that could change what it computes (site.yaml, content/ and themes/, the theme
chain and timeline's own code) and of every file it wrote. When a later build finds all of them
as they were, and the same settings, there is nothing to do. Any doubt means "rebuild": a file
written within two seconds of the snapshot (the same clock tick could hide an edit), an
unreadable manifest, a missing or edited output file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path

from timeline.content.config import SiteConfig
from timeline.errors import Diagnostic, Severity
from timeline.incremental.store import tool_version
from timeline.layout import CACHE_DIR, CONFIG_NAME, PACKAGE_DIR, builtin_themes
from timeline.pages.theme import theme_dirs

MANIFEST_NAME = "manifest.json"
RETIRED_NAME = "manifest.retired.json"
"""Where a build moves the manifest before it starts: it still describes the output folder."""
MARKER = ".timeline-output"
"""``timeline.build.pipeline.MARKER``, named again so that the fast path need not import the whole pipeline."""
FORMAT = 1
"""The layout of the manifest file; bump it when the fields below change."""
RACY_NS = 2_000_000_000
"""A file modified this close to the snapshot may have changed again without changing its stat."""

InputStat = tuple[int, int, int, int]
"""Size, modification time, change time (ns) and inode."""
OutputStat = tuple[int, int]
"""Size and modification time (ns)."""
StoredDiagnostic = tuple[str, int, int, Severity, str]
"""A diagnostic as (path, line, col, severity, message)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Manifest:
    """What the last successful build read and wrote, and the warnings it reported."""

    key: str
    taken_ns: int
    """``time.time_ns()`` when the input snapshot was taken (before the build ran)."""
    inputs: dict[str, InputStat]
    outputs: dict[str, OutputStat]
    warnings: tuple[StoredDiagnostic, ...] = ()
    out_dir: str = ""
    """The resolved output folder that ``outputs`` describes."""

    def diagnostics(self) -> list[Diagnostic]:
        """Return the stored warnings as diagnostics, to print again."""
        return [Diagnostic(*item) for item in self.warnings]


def as_warnings(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> tuple[StoredDiagnostic, ...]:
    """Return diagnostics in the stored tuple form."""
    return tuple((d.path, d.line, d.col, d.severity, d.message) for d in diagnostics)


def _stat_tuple(st: os.stat_result) -> InputStat:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _walk(top: str, key_of: Callable[[str], str], into: dict[str, InputStat], skip: Callable[[str, str], bool]) -> None:
    """Record every file under ``top`` (symbolic links by what they point at), not entering links."""
    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            # An unlistable folder is recorded as such, so that becoming listable is a change.
            into[key_of(directory) + "/"] = (-1, -1, -1, -1)
            continue
        for entry in entries:
            if skip(directory, entry.name):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                    continue
                # A link counts as the file it points at (a dangling one as itself).
                st = entry.stat() if not entry.is_symlink() else _stat_or_lstat(entry.path)
            except OSError:
                continue  # deleted while we looked: it is simply not there
            into[key_of(entry.path)] = _stat_tuple(st)


def _walk_following(top: str, into: dict[str, InputStat], suffix: str = "") -> None:
    """Record every file under ``top`` by absolute path, following links as Jinja's loader does."""
    seen: set[tuple[int, int]] = set()
    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            st = os.stat(directory)
            if (st.st_dev, st.st_ino) in seen:
                continue  # a link loop, or a folder reached twice
            seen.add((st.st_dev, st.st_ino))
            entries = list(os.scandir(directory))
        except OSError:
            into[directory + "/"] = (-1, -1, -1, -1)
            continue
        for entry in entries:
            try:
                if entry.is_dir():
                    if entry.name != "__pycache__":
                        stack.append(entry.path)
                elif entry.name.endswith(suffix):
                    into[entry.path] = _stat_tuple(entry.stat())
            except OSError:
                continue


def _stat_or_lstat(path: str) -> os.stat_result:
    try:
        return os.stat(path)
    except OSError:
        return os.lstat(path)


def snapshot_inputs(config: SiteConfig) -> tuple[int, dict[str, InputStat]]:
    """Return the time of the snapshot and the stat of every file a build could depend on.

    Site files are keyed by their path below the site folder; theme and package files, which
    may live anywhere, by their absolute path (which never looks like a relative one).
    """
    # Taken before the walk: a file edited during the walk is then newer than the snapshot.
    taken = time.time_ns()
    root = os.path.realpath(config.root)
    out = os.path.realpath(config.output)
    out_parent, out_name = os.path.split(out)
    staging = (f".{out_name}.staging-", f".{out_name}.old-", f".{out_name}.spare")
    # Only what a build reads: a site kept at the root of a repository (like this project's
    # example) sits beside a virtualenv, tests and caches that must not cost a walk or a rebuild.
    top_read = {CONFIG_NAME, "content", "themes"}
    cut = len(root) + 1

    def skip(directory: str, name: str) -> bool:
        if directory == root and name not in top_read:
            return True
        if directory == out_parent and (name == out_name or name.startswith(staging)):
            return True
        return False

    inputs: dict[str, InputStat] = {}
    _walk(root, lambda path: path[cut:].replace(os.sep, "/"), inputs, skip)
    builtin = os.path.realpath(builtin_themes())
    # Every built-in theme, not only the chain: templates may extend any of them by name.
    _walk_following(builtin, inputs)
    for folder in theme_dirs(config):
        real = os.path.realpath(folder)
        if not (real + os.sep).startswith(builtin + os.sep):
            _walk_following(real, inputs)
    # An edited checkout of timeline itself must never reuse a site built by the old code.
    _walk_following(os.path.realpath(PACKAGE_DIR), inputs, ".py")
    return taken, inputs


def snapshot_outputs(out_dir: Path) -> dict[str, OutputStat]:
    """Return the size and modification time of every file in the output folder."""
    top = os.path.realpath(out_dir)
    cut = len(top) + 1
    found: dict[str, InputStat] = {}
    _walk(top, lambda path: path[cut:].replace(os.sep, "/"), found, lambda _d, _n: False)
    return {rel: (st[0], st[1]) for rel, st in found.items()}


def manifest_key(config: SiteConfig, strict: bool) -> str:
    """Return the digest of everything besides files that decides what a build writes."""
    parts = [
        tool_version(),
        repr(config),  # SOURCE_DATE_EPOCH included
        os.path.realpath(config.root),
        os.path.realpath(config.output),
        config.base_url,
        "strict" if strict else "lenient",
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


def is_current(manifest: Manifest, config: SiteConfig, strict: bool) -> bool:
    """Return True if a build now would write exactly what the output folder already holds."""
    if manifest.key != manifest_key(config, strict):
        return False
    out = config.output.resolve()
    if not (out / MARKER).is_file():
        return False
    _, inputs = snapshot_inputs(config)
    if inputs != manifest.inputs:
        return False
    # Written in the same clock tick as the snapshot: an edit could have kept size and time.
    racy = manifest.taken_ns - RACY_NS
    if any(stat[1] >= racy for stat in inputs.values()):
        return False
    return snapshot_outputs(out) == manifest.outputs


def stale_outputs(manifest: Manifest) -> set[str]:
    """Return the output files that were deleted or changed since the build that wrote them.

    A warm build keeps a page whose inputs did not change without reading the file it left, so
    these must be named to it to be written again.
    """
    if not manifest.out_dir:
        return set()
    current = snapshot_outputs(Path(manifest.out_dir))
    return {rel for rel, stat in manifest.outputs.items() if current.get(rel) != stat}


def manifest_path(root: Path, *, retired: bool = False) -> Path:
    """Return where the manifest (or the retired one) of the site at ``root`` lives."""
    return root / CACHE_DIR / (RETIRED_NAME if retired else MANIFEST_NAME)


def load_manifest(root: Path, *, retired: bool = False) -> Manifest | None:
    """Return the site's manifest, or None if there is none or it is unreadable or malformed.

    ``retired``: the one that ``clear_manifest`` set aside, never current but still a record of
    what the output folder held after the last build that finished.
    """
    try:
        value = json.loads(manifest_path(root, retired=retired).read_bytes())
        if not isinstance(value, dict) or value.get("format") != FORMAT:
            return None
        key, taken = value["key"], value["taken_ns"]
        if not isinstance(key, str) or type(taken) is not int:
            return None
        inputs = {rel: _ints(stat, 4) for rel, stat in _mapping(value["inputs"]).items()}
        outputs = {rel: _ints(stat, 2) for rel, stat in _mapping(value["outputs"]).items()}
        warnings = tuple(_warning(item) for item in value["warnings"])
        out_dir = value["out_dir"]
        if not isinstance(out_dir, str):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
    return Manifest(key, taken, inputs, outputs, warnings, out_dir)  # type: ignore[arg-type]


def _mapping(value: object) -> dict[str, object]:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise TypeError("not a mapping of paths")
    return value


def _ints(value: object, size: int) -> tuple[int, ...]:
    if not isinstance(value, list) or len(value) != size or not all(type(v) is int for v in value):
        raise TypeError("not a stat tuple")
    return tuple(value)


def _warning(value: object) -> StoredDiagnostic:
    if not isinstance(value, list) or len(value) != 5:
        raise TypeError("not a diagnostic")
    path, line, col, severity, message = value
    if not (isinstance(path, str) and type(line) is int and type(col) is int and isinstance(message, str)):
        raise TypeError("not a diagnostic")
    if severity == "error" or severity == "warning":
        return (path, line, col, severity, message)
    raise TypeError("not a severity")


def save_manifest(root: Path, manifest: Manifest) -> bool:
    """Write the manifest atomically into the build cache; False if it could not be written."""
    path = manifest_path(root)
    # Only into the folder the build cache made; never through a link to somewhere else.
    if path.parent.is_symlink() or not path.parent.is_dir():
        return False
    data = {
        "format": FORMAT,
        "key": manifest.key,
        "taken_ns": manifest.taken_ns,
        "inputs": manifest.inputs,
        "outputs": manifest.outputs,
        "warnings": manifest.warnings,
        "out_dir": manifest.out_dir,
    }
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        temp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(temp, path)
    except OSError:
        temp.unlink(missing_ok=True)
        return False
    return True


def clear_manifest(root: Path) -> None:
    """Set the manifest aside, so that a build that then fails or is killed can never look up to date.

    It is kept as the retired manifest (see ``load_manifest``): a build killed after it switched
    the output folder leaves files that differ from it, and ``stale_outputs`` names them.
    """
    try:
        os.replace(manifest_path(root), manifest_path(root, retired=True))
    except FileNotFoundError:
        pass  # nothing to set aside: a retired one, if any, still describes the output
    except OSError:
        try:
            manifest_path(root).unlink(missing_ok=True)
        except OSError:
            pass  # a folder we cannot write to holds no manifest we could have written either
