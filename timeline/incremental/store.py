"""A persistent, content-addressed build cache in ``.timeline-cache/`` beside ``site.yaml``.

A value is stored under the sha256 of what it was computed from: a file's path and bytes, plus
the versions of the tool and its libraries, the config and the theme. A change to any of them is
a different key, so a stale entry is never read; it is only left behind, and ``sweep`` removes
what a full build did not touch. A cache written by another version is ignored and emptied, and
an unreadable or corrupt entry is discarded with a warning: the cache can make a build faster,
never wrong and never fail.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import os
import pickle
import secrets
import shutil
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, Literal

import jinja2
import markdown_it

from timeline import __version__
from timeline.errors import Diagnostic, warning
from timeline.layout import CACHE_DIR

FORMAT = 2  # 2: dates gained seasons, unspecified digits, folds, calendars (pickled EDate fields)
"""The layout of the store itself; bump it when the entry format below changes."""
MAGIC = b"TLC\x01"
_DIGEST = 32
Codec = Literal["pickle", "json"]
_CODECS: dict[Codec, bytes] = {"pickle": b"P", "json": b"J"}
# Only our own frozen record types come out of a pickle: a cache folder committed to a shared
# repository must not be a way to run code on whoever builds it.
_PICKLE_MODULES = ("timeline.content.model", "timeline.content.dates", "timeline.content.markdown", "timeline.errors")


def tool_version() -> str:
    """Return everything besides the inputs that changes what a build computes."""
    py = ".".join(map(str, sys.version_info[:2]))
    return f"timeline {__version__}; python {py}; markdown-it-py {markdown_it.__version__}; jinja2 {jinja2.__version__}"


class _RecordUnpickler(pickle.Unpickler):
    """An unpickler that builds only timeline's own dataclasses."""

    def find_class(self, module: str, name: str) -> Any:
        if module in _PICKLE_MODULES:
            found = super().find_class(module, name)
            if isinstance(found, type) and dataclasses.is_dataclass(found):
                return found
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from the cache")


class _HashingWriter:
    """A binary file that also feeds what is written to it into a sha256."""

    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        self.hash = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.hash.update(data)
        return self.file.write(data)


class _HashingReader:
    """A binary file that also feeds what is read from it into a sha256."""

    def __init__(self, file: io.BufferedIOBase) -> None:
        self.file = file
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.hash.update(data)
        return data

    def readinto(self, buffer: Any) -> int:
        count = self.file.readinto(buffer)
        self.hash.update(memoryview(buffer)[:count])
        return count

    def readline(self, size: int = -1) -> bytes:
        data = self.file.readline(size)
        self.hash.update(data)
        return data

    def drain(self) -> bytes:
        """Read to the end of the file; return the sha256 of everything read."""
        while self.read(1 << 20):
            pass
        return self.hash.digest()


def write_entry(value: object, file: BinaryIO, codec: Codec = "pickle") -> None:
    """Write the stored form of ``value`` to a seekable ``file``: magic, codec, checksum, payload."""
    if codec == "json":
        payload = json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")
        file.write(MAGIC + _CODECS[codec] + hashlib.sha256(payload).digest() + payload)
        return
    # The pickle goes straight to the file (a session is over 100 MB): the checksum is known only
    # at the end, so its place is filled first and written over afterwards.
    start = file.tell()
    file.write(MAGIC + _CODECS[codec] + bytes(_DIGEST))
    writer = _HashingWriter(file)
    pickle.dump(value, writer, protocol=pickle.HIGHEST_PROTOCOL)
    end = file.tell()
    file.seek(start + len(MAGIC) + 1)
    file.write(writer.hash.digest())
    file.seek(end)


def read_entry(file: io.BufferedIOBase) -> object:
    """Return the value stored in ``file``; raise ValueError if it is not a sound entry."""
    head = file.read(len(MAGIC) + 1 + _DIGEST)
    if len(head) < len(MAGIC) + 1 + _DIGEST or not head.startswith(MAGIC):
        raise ValueError("not a cache entry")
    codec, digest = head[len(MAGIC) : len(MAGIC) + 1], head[len(MAGIC) + 1 :]
    reader = _HashingReader(file)
    value: object = None
    problem = ""
    # The payload is read once, checksummed as it is unpickled: a session is over 100 MB, and a
    # copy of its bytes beside its objects would double what a build holds at its start.
    try:
        if codec == _CODECS["json"]:
            value = json.loads(reader.read().decode("utf-8"))
        elif codec == _CODECS["pickle"]:
            value = _RecordUnpickler(reader).load()
        else:
            problem = f"unknown codec {codec!r}"
    except OSError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged pickle can raise almost anything; it must not crash a build
        problem = f"unreadable payload ({exc})"
    # Bytes after the pickle, or a damage the unpickler did not notice, change the checksum.
    if reader.drain() != digest:
        raise ValueError("checksum mismatch")
    if problem:
        raise ValueError(problem)
    return value


def encode(value: object, codec: Codec = "pickle") -> bytes:
    """Return the stored form of ``value``: magic, codec, checksum, payload."""
    buffer = io.BytesIO()
    write_entry(value, buffer, codec)
    return buffer.getvalue()


def decode(data: bytes) -> object:
    """Return the value stored in ``data``; raise ValueError if it is not a sound entry."""
    return read_entry(io.BytesIO(data))


def _write_atomic(path: Path, data: bytes | Callable[[BinaryIO], object]) -> None:
    """Write ``data`` (or what ``data(file)`` writes) to ``path`` through a temporary file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with temp.open("wb") as file:
            if isinstance(data, bytes):
                file.write(data)
            else:
                data(file)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


class BuildCache:
    """The store of one site; collects its own warnings in ``diagnostics`` instead of raising."""

    def __init__(self, site_root: Path, *, version: str | None = None) -> None:
        self.site_root = site_root
        self.folder = site_root / CACHE_DIR
        self.objects = self.folder / "objects"
        self.version = version or tool_version()
        self.diagnostics: list[Diagnostic] = []
        self.reported = 0
        """How many of ``diagnostics`` were handed on already (see ``news``)."""
        self.hits = 0
        self.misses = 0
        self.touched: set[str] = set()
        self.enabled = self._prepare()

    def _warn(self, path: Path, message: str) -> None:
        try:
            rel = path.relative_to(self.site_root).as_posix()
        except ValueError:
            rel = path.as_posix()
        self.diagnostics.append(warning(rel, 1, 1, message))

    def _stamp(self) -> bytes:
        return json.dumps({"format": FORMAT, "version": self.version}, sort_keys=True).encode("utf-8") + b"\n"

    def _prepare(self) -> bool:
        """Open the store, emptying it when it was written by another version; False if unusable."""
        if self.folder.is_symlink() or (self.folder.exists() and not self.folder.is_dir()):
            self._warn(self.folder, "cache folder is not a plain folder; building without a cache")
            return False
        stamp = self.folder / "VERSION"
        try:
            if stamp.is_file() and stamp.read_bytes() == self._stamp():
                return True
            if stamp.is_file() and not _is_stamp(stamp.read_bytes()):
                self._warn(stamp, "cache version stamp is corrupt; the cache was discarded")
            shutil.rmtree(self.objects, ignore_errors=True)
            self.folder.mkdir(exist_ok=True)
            # Tell git and backup tools to leave the folder alone, even without a .gitignore entry.
            _write_atomic(self.folder / ".gitignore", b"*\n")
            _write_atomic(self.folder / "CACHEDIR.TAG", b"Signature: 8a477f597d28d172789f06886806bc55\n")
            _write_atomic(stamp, self._stamp())
        except OSError as exc:
            self._warn(self.folder, f"cannot use the build cache ({exc.strerror or exc}); building without it")
            return False
        return True

    def news(self) -> list[Diagnostic]:
        """Return the warnings not handed on yet, and count them as handed on."""
        found = self.diagnostics[self.reported :]
        self.reported = len(self.diagnostics)
        return found

    def path_of(self, key: str) -> Path:
        """Return the file that holds ``key``."""
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise ValueError(f"not a cache key: {key!r}")
        return self.objects / key[:2] / key[2:]

    def get(self, key: str) -> object | None:
        """Return the value stored under ``key``, or None when there is none (or it was corrupt)."""
        if not self.enabled:
            return None
        path = self.path_of(key)
        try:
            with path.open("rb") as file:
                value = read_entry(file)
        except FileNotFoundError:
            self.misses += 1
            return None
        except OSError as exc:
            self._warn(path, f"cannot read cache entry ({exc.strerror or exc}); ignored")
            self.misses += 1
            return None
        except ValueError as exc:
            self._warn(path, f"corrupt cache entry discarded: {exc}")
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
            self.misses += 1
            return None
        self.hits += 1
        self.touched.add(key)
        return value

    def put(self, key: str, value: object, codec: Codec = "pickle") -> None:
        """Store ``value`` under ``key`` atomically; a failure to write only disables the cache."""
        if not self.enabled:
            return
        path = self.path_of(key)
        self.touched.add(key)
        try:
            _write_atomic(path, partial(write_entry, value, codec=codec))
        except OSError as exc:
            self._warn(path, f"cannot write the build cache ({exc.strerror or exc}); building without it")
            self.enabled = False

    def sweep(self) -> int:
        """Delete every entry this build neither read nor wrote; return how many went."""
        if not self.enabled or not self.objects.is_dir():
            return 0
        removed = 0
        try:
            for shard in sorted(self.objects.iterdir()):
                for path in sorted(shard.iterdir()) if shard.is_dir() else ():
                    if shard.name + path.name not in self.touched:
                        path.unlink(missing_ok=True)
                        removed += 1
        except OSError as exc:
            # Stale entries are never read (their keys are gone), so failing to delete them is harmless.
            self._warn(Path(exc.filename or self.objects), f"cannot tidy the build cache ({exc.strerror or exc})")
        return removed


def _is_stamp(data: bytes) -> bool:
    try:
        value = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(value, dict) and isinstance(value.get("format"), int) and isinstance(value.get("version"), str)
