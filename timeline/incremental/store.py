"""A persistent, content-addressed build cache in ``.timeline-cache/`` beside ``site.yaml``.

A value is stored under the sha256 of what it was computed from: a file's path and bytes, plus
the versions of the tool and its libraries, the config and the theme. A change to any of them is
a different key, so a stale entry is never read; it is only left behind, and ``sweep`` removes
what a full build did not touch. A cache written by another version is ignored and emptied, and
an unreadable or corrupt entry is discarded with a warning: the cache can make a build faster,
never wrong and never fail.
"""

from __future__ import annotations

import array
import contextlib
import dataclasses
import hashlib
import io
import json
import os
import pickle
import secrets
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, Literal

import jinja2
import markdown_it

from timeline import __version__
from timeline.errors import Diagnostic, warning
from timeline.incremental.deps import Carried, Resolved
from timeline.incremental.memo import Memo
from timeline.layout import CACHE_DIR

FORMAT = 3  # 2: dates gained seasons, unspecified digits, folds, calendars; 3: the session in SQLite, languages
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
            for suffix in ("", "-journal", "-wal", "-shm"):
                (self.folder / (SESSION_FILE + suffix)).unlink(missing_ok=True)
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


SESSION_FILE = "session.sqlite"
"""The saved session in the cache folder: one SQLite database, read one record at a time."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS memo (name TEXT, key BLOB, value BLOB NOT NULL, PRIMARY KEY (name, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outputs (folder TEXT, path TEXT, print TEXT NOT NULL,
                                    PRIMARY KEY (folder, path)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS keys (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS pages (folder TEXT, path TEXT, keys BLOB NOT NULL, PRIMARY KEY (folder, path)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS groups (folder TEXT, source TEXT, token TEXT, digests BLOB NOT NULL,
                                   PRIMARY KEY (folder, source)) WITHOUT ROWID;
"""
_CHECK = 8
"""Bytes of sha256 before each stored value: SQLite checks its pages' structure, not the values in them."""


class StoreDamaged(Exception):
    """A part of the saved session read in the middle of a build was damaged: build again without it."""


def _sealed(payload: bytes) -> bytes:
    return hashlib.sha256(payload).digest()[:_CHECK] + payload


def _opened(blob: object) -> bytes:
    """Return the payload of a sealed value; raise ValueError if it does not match its checksum."""
    if (
        not isinstance(blob, bytes)
        or len(blob) < _CHECK
        or hashlib.sha256(blob[_CHECK:]).digest()[:_CHECK] != blob[:_CHECK]
    ):
        raise ValueError("checksum mismatch")
    return blob[_CHECK:]


def _keys_digest(names: list[str]) -> str:
    """Return the checksum of the key table (its rows are read whole at start-up, so checked whole)."""
    return hashlib.sha256("\0".join(names).encode("utf-8")).hexdigest()


def memo_key(key: object) -> bytes:
    """Return the stored name of a memo's key (its repr's digest: the keys are tuples of text and numbers)."""
    return hashlib.sha256(repr(key).encode("utf-8")).digest()


class StoredMemo(Memo[Any, Any]):
    """A memo whose entries stay in the store until asked for; ``put`` and ``prune`` are written on ``save``."""

    def __init__(self, store: SessionStore, name: str, *, sweep: bool = True) -> None:
        super().__init__()
        self.store = store
        self.name = name
        self.sweep = sweep
        """False: a build that reused some entries deletes none (it asked only for what it re-made)."""
        self.dirty: set[Any] = set()
        self.retain: set[bytes] | None = None
        """After ``prune``: the stored names of the entries to keep (the others go on save)."""

    def get(self, key: Any) -> Any:
        """Return the value for ``key`` (marking it used), read from the store the first time; or None."""
        if key not in self.entries:
            value = self.store.memo_value(self.name, memo_key(key))
            if value is not None:
                self.entries[key] = value
        return super().get(key)

    def put(self, key: Any, value: Any) -> None:
        """Store ``value`` for ``key`` and mark it used (and to be written)."""
        super().put(key, value)
        self.dirty.add(key)

    def prune(self) -> None:
        """Forget what the current build did not use, here and (on save) in the store."""
        if (self.used or self.misses) and (self.sweep or not self.hits):
            self.retain = {memo_key(key) for key in self.used}
            self.dirty &= self.used
        super().prune()


class StoredPages(Mapping[str, tuple[str, ...]]):
    """Page -> the keys it read, decoded from the store when asked for."""

    def __init__(self, blobs: dict[str, bytes], names: list[str]) -> None:
        self.blobs = blobs
        self.names = names
        self.decoded: dict[str, tuple[str, ...]] = {}

    def __getitem__(self, path: str) -> tuple[str, ...]:
        found = self.decoded.get(path)
        if found is None:
            ids = array.array("I")
            try:
                ids.frombytes(self.blobs[path])
                found = self.decoded[path] = tuple(map(self.names.__getitem__, ids))
            except (ValueError, IndexError) as exc:
                raise StoreDamaged(f"the keys of {path} ({exc})") from None
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.blobs)

    def __len__(self) -> int:
        return len(self.blobs)


class StoredGroups(Mapping[str, Mapping[str, str]]):
    """Source -> key -> digest, each source's group read from the store when asked for (see ``deps.Resolved``)."""

    def __init__(self, store: SessionStore, folder: str, names: list[str]) -> None:
        self.store = store
        self.folder = folder
        self.names = names
        self.loaded: dict[str, dict[str, str]] = {}

    def __getitem__(self, source: str) -> Mapping[str, str]:
        found = self.loaded.get(source)
        if found is None:
            found = self.loaded[source] = self.store.group(self.folder, source)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


@dataclasses.dataclass(slots=True)
class SavedFolder:
    """What the saved session says of one output folder."""

    outputs: dict[str, str]
    pages: StoredPages
    groups: StoredGroups
    sources: dict[str, str]


class SessionStore:
    """The saved session of a site in one SQLite file; a build rewrites only what it changed.

    A save is one transaction: a build killed while it writes leaves SQLite's journal, and the
    next open rolls it back, so the store is always the whole of one build. Values carry a
    checksum: a damaged one read at start-up discards the store with a warning, and one read
    in the middle of a build raises ``StoreDamaged`` so that the build can start again without.
    """

    def __init__(self, cache: BuildCache) -> None:
        self.cache = cache
        self.path = cache.folder / SESSION_FILE
        self.db: sqlite3.Connection | None = None
        self.pid = os.getpid()
        self.forked: sqlite3.Connection | None = None
        """A forked worker's own connection: SQLite's must not be used across a fork."""
        self.names: list[str] = []
        self.ids: dict[str, int] = {}
        self.saved_keys = 0
        """How many keys the key table's checksum in ``meta`` covers."""
        self.folders: dict[str, SavedFolder] = {}
        if cache.enabled:
            self._open()

    def _open(self) -> None:
        try:
            self.db = self._connect()
            self._load()
        except (sqlite3.Error, ValueError) as exc:
            self.discard(f"the saved session is damaged ({exc}); it was discarded")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=DELETE")  # the journal exists only while a save runs
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_SCHEMA)
        return db

    def discard(self, message: str) -> None:
        """Warn, then start an empty store in place of this one."""
        self.cache._warn(self.path, message)
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
        self.db = None
        self.names, self.ids, self.folders, self.saved_keys = [], {}, {}, 0
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
        try:
            self.db = self._connect()
        except sqlite3.Error as exc:
            self.cache._warn(self.path, f"cannot use the saved session ({exc}); building without it")
            self.db = None

    def _load(self) -> None:
        assert self.db is not None
        db = self.db
        for ident, key in db.execute("SELECT id, key FROM keys ORDER BY id"):
            if ident != len(self.names):
                raise ValueError("the key table has a gap")
            self.names.append(key)
        self.ids = {key: ident for ident, key in enumerate(self.names)}
        self.saved_keys = len(self.names)
        row = db.execute("SELECT value FROM meta WHERE name = 'keys'").fetchone()
        if (row[0] if row else _keys_digest([])) != _keys_digest(self.names):
            raise ValueError("the key table does not match its checksum")
        outputs: dict[str, dict[str, str]] = {}
        for folder, path, mark in db.execute("SELECT folder, path, print FROM outputs"):
            outputs.setdefault(folder, {})[path] = mark
        pages: dict[str, dict[str, bytes]] = {}
        for folder, path, blob in db.execute("SELECT folder, path, keys FROM pages"):
            pages.setdefault(folder, {})[path] = _opened(blob)
        groups: dict[str, list[str]] = {}
        sources: dict[str, dict[str, str]] = {}
        for folder, source, token in db.execute("SELECT folder, source, token FROM groups"):
            groups.setdefault(folder, []).append(source)
            if token is not None:
                sources.setdefault(folder, {})[source] = token
        for folder, prints in outputs.items():
            self.folders[folder] = SavedFolder(
                prints,
                StoredPages(pages.get(folder, {}), self.names),
                StoredGroups(self, folder, groups.get(folder, [])),
                sources.get(folder, {}),
            )

    def memo_value(self, name: str, key: bytes) -> Any:
        """Return the stored value of a memo's entry, or None (also for a damaged one, with a warning)."""
        if self.db is None:
            return None
        try:
            row = self._reader().execute("SELECT value FROM memo WHERE name = ? AND key = ?", (name, key)).fetchone()
            return None if row is None else _RecordUnpickler(io.BytesIO(_opened(row[0]))).load()
        except Exception as exc:  # noqa: BLE001 - a damaged entry is a miss: the step is done again
            self.cache._warn(self.path, f"a damaged entry of the saved session was ignored ({exc})")
            return None

    def _reader(self) -> sqlite3.Connection:
        """Return the connection this process may read with (a forked worker opens its own, read-only)."""
        assert self.db is not None
        if os.getpid() == self.pid:
            return self.db
        if self.forked is None:
            self.forked = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        return self.forked

    def group(self, folder: str, source: str) -> dict[str, str]:
        """Return one source's digests; raise ``StoreDamaged`` if they cannot be read whole."""
        if self.db is None:
            raise StoreDamaged("the saved session was closed")
        try:
            row = self._reader().execute(
                "SELECT digests FROM groups WHERE folder = ? AND source = ?", (folder, source)
            ).fetchone()
            if row is None:
                raise ValueError(f"no digests for {source!r}")
            value = json.loads(_opened(row[0]))
        except (sqlite3.Error, ValueError) as exc:
            raise StoreDamaged(str(exc)) from None
        # The source's name is inside the checksum too: a row under another name is damage.
        if not isinstance(value, list) or len(value) != 2 or value[0] != source or not isinstance(value[1], dict):
            raise StoreDamaged(f"the digests of {source!r} are not what was saved")
        return value[1]

    def save(
        self,
        memos: Mapping[str, Memo[Any, Any]],
        outputs: Mapping[str, Mapping[str, str]],
        pages: Mapping[str, Mapping[str, tuple[str, ...]]],
        reads: Mapping[str, Resolved],
    ) -> None:
        """Write what changed since the store was loaded, in one transaction."""
        if self.db is None:
            return
        db = self.db
        try:
            db.execute("BEGIN IMMEDIATE")
            for name, memo in memos.items():
                self._save_memo(name, memo)
            for folder in self.folders.keys() - outputs.keys():
                for table in ("outputs", "pages", "groups"):
                    db.execute(f"DELETE FROM {table} WHERE folder = ?", (folder,))  # noqa: S608 - our own names
            for folder, prints in outputs.items():
                saved = self.folders.get(folder)
                self._save_outputs(folder, prints, saved.outputs if saved else {})
                self._save_pages(folder, pages.get(folder, {}), saved.pages if saved else None)
                self._save_groups(folder, reads.get(folder), saved.groups if saved else None)
            if len(self.names) != self.saved_keys:
                digest = _keys_digest(self.names)
                db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('keys', ?)", (digest,))
                self.saved_keys = len(self.names)
            db.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                self.cache._warn(self.path, f"cannot save the session ({exc}); the next build starts cold")
                return
            raise

    def _save_memo(self, name: str, memo: Memo[Any, Any]) -> None:
        db = self.db
        assert db is not None
        if isinstance(memo, StoredMemo) and memo.store is self:
            dirty = {key: memo.entries[key] for key in memo.dirty if key in memo.entries}
            retain = memo.retain
        else:  # a memo made in memory (a session not loaded from this store): all of it
            dirty, retain = dict(memo.entries), set()
        if retain is not None:
            retain = retain | {memo_key(key) for key in dirty}
            stored = {row[0] for row in db.execute("SELECT key FROM memo WHERE name = ?", (name,))}
            db.executemany("DELETE FROM memo WHERE name = ? AND key = ?", [(name, key) for key in stored - retain])
        db.executemany(
            "INSERT OR REPLACE INTO memo (name, key, value) VALUES (?, ?, ?)",
            [
                (name, memo_key(key), _sealed(pickle.dumps(value, pickle.HIGHEST_PROTOCOL)))
                for key, value in dirty.items()
            ],
        )
        if isinstance(memo, StoredMemo):
            memo.dirty.clear()
            memo.retain = None

    def _save_outputs(self, folder: str, prints: Mapping[str, str], saved: Mapping[str, str]) -> None:
        db = self.db
        assert db is not None
        db.executemany(
            "DELETE FROM outputs WHERE folder = ? AND path = ?",
            [(folder, path) for path in saved.keys() - prints.keys()],
        )
        db.executemany(
            "INSERT OR REPLACE INTO outputs (folder, path, print) VALUES (?, ?, ?)",
            [(folder, path, mark) for path, mark in prints.items() if saved.get(path) != mark],
        )

    def _key_ids(self, keys: tuple[str, ...]) -> bytes:
        ids = self.ids
        found = array.array("I")
        for key in keys:
            ident = ids.get(key)
            if ident is None:
                ident = ids[key] = len(self.names)
                self.names.append(key)
                assert self.db is not None
                self.db.execute("INSERT INTO keys (id, key) VALUES (?, ?)", (ident, key))
            found.append(ident)
        return found.tobytes()

    def _save_pages(self, folder: str, pages: Mapping[str, tuple[str, ...]], saved: StoredPages | None) -> None:
        db = self.db
        assert db is not None
        before = saved.blobs.keys() if saved is not None else set()
        db.executemany(
            "DELETE FROM pages WHERE folder = ? AND path = ?", [(folder, path) for path in before - pages.keys()]
        )
        rows = []
        for path, keys in pages.items():
            # A kept page's keys are the very tuple decoded from the store: its row is as it was.
            if saved is not None and saved.decoded.get(path) is keys:
                continue
            rows.append((folder, path, _sealed(self._key_ids(keys))))
        db.executemany("INSERT OR REPLACE INTO pages (folder, path, keys) VALUES (?, ?, ?)", rows)

    def _save_groups(self, folder: str, resolved: Resolved | None, saved: StoredGroups | None) -> None:
        db = self.db
        assert db is not None
        if resolved is None:
            db.execute("DELETE FROM groups WHERE folder = ?", (folder,))
            return
        groups = resolved.groups
        names = set(groups)
        before = set(saved.names) if saved is not None else set()
        db.executemany("DELETE FROM groups WHERE folder = ? AND source = ?", [(folder, s) for s in before - names])
        if isinstance(groups, Carried) and saved is not None and groups.base is saved:
            fresh: Mapping[str, Mapping[str, str]] = groups.fresh
        else:
            fresh = groups
        rows = []
        for source, digests in fresh.items():
            if saved is not None and saved.loaded.get(source) == digests:
                continue  # read from the store and found as it was
            payload = json.dumps([source, digests], separators=(",", ":"), sort_keys=True).encode("utf-8")
            rows.append((folder, source, resolved.sources.get(source), _sealed(payload)))
        db.executemany("INSERT OR REPLACE INTO groups (folder, source, token, digests) VALUES (?, ?, ?, ?)", rows)
