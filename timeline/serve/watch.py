"""Watch source folders and call back once per debounced batch of changes."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from timeline.content import ignore
from timeline.errors import escape_control

OnChange = Callable[[frozenset[Path]], None]
ObserverFactory = Callable[[], BaseObserver]

DEFAULT_DELAY = 0.05
# A writer that never pauses (a runaway generator) must not starve rebuilds forever.
MAX_DELAY = 1.0
DEFAULT_POLL = 0.5

# Beyond what the reader skips (timeline.content.ignore): more editors' temporaries (Hugo's denylist).
_IGNORED_SUFFIXES = (".kate-swp", ".crswap", "___jb_tmp___", "___jb_old___")
_IGNORED_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", "node_modules"})
# Vim probes whether a folder is writable with "4913", then 4913 + 123 * n if that exists.
_VIM_PROBE, _VIM_STEP = 4913, 123
# "opened" and "closed_no_write" are reads, "attrib" is a touch of metadata only.
_CHANGE_EVENTS = frozenset({"created", "deleted", "moved", "modified", "closed"})


def is_ignored_name(name: str) -> bool:
    """Return True if ``name`` is an editor's temporary, lock or swap file."""
    if ignore.is_ignored(name) or name.endswith(_IGNORED_SUFFIXES):
        return True
    return name.isdigit() and int(name) >= _VIM_PROBE and (int(name) - _VIM_PROBE) % _VIM_STEP == 0


@dataclass(frozen=True, slots=True)
class WatchPlan:
    """Which folders to observe and which paths under them count as sources."""

    trees: tuple[str, ...]  # watched recursively
    singles: frozenset[str]  # files (or missing paths), watched through their parent folder
    ignored: tuple[str, ...]  # absolute paths whose subtree is never a source

    @classmethod
    def of(cls, paths: Iterable[Path], ignore_paths: Iterable[Path] = ()) -> WatchPlan:
        """Return the plan for ``paths``: folders as trees, everything else as single entries."""
        trees: list[str] = []
        singles: set[str] = set()
        for path in paths:
            # abspath, not resolve: events must name the paths the author gave, even via symlinks.
            absolute = os.path.abspath(path)
            if os.path.isdir(absolute):
                trees.append(absolute)
            else:
                singles.add(absolute)
        ignored = tuple(os.path.abspath(p) for p in ignore_paths)
        return cls(tuple(sorted(set(trees))), frozenset(singles), ignored)

    def schedules(self) -> list[tuple[str, bool]]:
        """Return ``(folder, recursive)`` pairs to hand to an observer, without overlaps."""
        result = [(tree, True) for tree in self.trees if not any(_under(tree, t) for t in self.trees if t != tree)]
        parents = {os.path.dirname(single) for single in self.singles}
        for parent in sorted(parents):
            if os.path.isdir(parent) and not any(_under(parent, tree) for tree in self.trees):
                result.append((parent, False))
        return result

    def accepts(self, path: str) -> bool:
        """Return True if a change at ``path`` should trigger a rebuild."""
        absolute = os.path.abspath(path)
        if any(_under(absolute, ignored) for ignored in self.ignored):
            return False
        if absolute in self.singles:
            return not is_ignored_name(os.path.basename(absolute))
        for tree in self.trees:
            if _under(absolute, tree):
                parts = os.path.relpath(absolute, tree).split(os.sep)
                return not is_ignored_name(parts[-1]) and not _IGNORED_DIRS.intersection(parts)
        return False


def _under(path: str, folder: str) -> bool:
    """Return True if ``path`` is ``folder`` or inside it (component-wise)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class _Handler(FileSystemEventHandler):
    """Forward accepted paths of change events to the watcher."""

    def __init__(self, watcher: Watcher) -> None:
        self._watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Queue the source paths this event touched."""
        if event.event_type not in _CHANGE_EVENTS:
            return
        # A folder's own "modified" only echoes the file events inside it.
        if event.is_directory and event.event_type in ("modified", "closed"):
            return
        raw = [event.src_path, event.dest_path] if event.event_type == "moved" else [event.src_path]
        paths = {os.fsdecode(p) for p in raw if p}
        self._watcher.notify(Path(p) for p in paths if self._watcher.plan.accepts(p))


class Watcher:
    """Observe ``paths`` and call ``on_change`` with each debounced batch, one call at a time."""

    def __init__(
        self,
        paths: Iterable[Path],
        on_change: OnChange,
        *,
        ignore_paths: Iterable[Path] = (),
        poll: float | None = None,
        delay: float = DEFAULT_DELAY,
        out: TextIO | None = None,
        observer_factory: ObserverFactory | None = None,
    ) -> None:
        self.plan = WatchPlan.of(paths, ignore_paths)
        self._on_change = on_change
        self._poll = poll
        self._delay = delay
        self._out = out if out is not None else sys.stderr
        self._observer_factory = observer_factory or Observer
        self._cond = threading.Condition()
        self._pending: set[Path] = set()
        self._first_event = 0.0
        self._last_event = 0.0
        self._busy = False
        self._held = False
        self._stopping = False
        self._observer: BaseObserver | None = None
        self._thread: threading.Thread | None = None
        self.mode = "polling" if poll is not None else "events"

    def start(self, *, held: bool = False) -> None:
        """Start observing and the worker thread that runs ``on_change``.

        When ``held``, changes are queued but ``on_change`` waits for ``release`` (while the caller
        builds the first time, so that a file saved during that build is built after it).
        """
        self._held = held
        if self._poll is not None:
            interval = self._poll
            self._observer = self._start_observer(lambda: PollingObserver(timeout=interval))
        else:
            try:
                self._observer = self._start_observer(self._observer_factory)
            except OSError as exc:
                # inotify watch/instance limits (ENOSPC/EMFILE) and file systems without events.
                self._poll = DEFAULT_POLL
                self.mode = "polling"
                reason = escape_control(exc.strerror or str(exc))
                print(
                    f"warning: file events unavailable ({reason}); polling every {DEFAULT_POLL} s",
                    file=self._out,
                )
                self._observer = self._start_observer(lambda: PollingObserver(timeout=DEFAULT_POLL))
        self._thread = threading.Thread(target=self._run, name="timeline-watch", daemon=True)
        self._thread.start()

    def _start_observer(self, factory: ObserverFactory) -> BaseObserver:
        observer = factory()
        handler = _Handler(self)
        try:
            for folder, recursive in self.plan.schedules():
                observer.schedule(handler, folder, recursive=recursive)
            observer.start()
        except BaseException:
            if observer.is_alive():
                observer.stop()
            raise
        return observer

    def stop(self) -> None:
        """Stop observing; wait briefly for a running callback to finish."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def release(self) -> None:
        """Let a held watcher run ``on_change`` for what it queued and for every later change."""
        with self._cond:
            self._held = False
            self._cond.notify_all()

    def notify(self, paths: Iterable[Path]) -> None:
        """Queue changed ``paths``; the worker runs after a quiet period."""
        batch = set(paths)
        if not batch:
            return
        with self._cond:
            now = time.monotonic()
            if not self._pending:
                self._first_event = now
            self._pending |= batch
            self._last_event = now
            self._cond.notify_all()

    @property
    def pending(self) -> frozenset[Path]:
        """Return the changed paths queued for the next batch."""
        with self._cond:
            return frozenset(self._pending)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is queued or running; return False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._pending and not self._busy, timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: (bool(self._pending) and not self._held) or self._stopping)
                while not self._stopping:
                    now = time.monotonic()
                    quiet_at = self._last_event + self._delay
                    deadline = min(quiet_at, self._first_event + MAX_DELAY)
                    if now >= deadline:
                        break
                    self._cond.wait(deadline - now)
                if self._stopping:
                    return
                batch = frozenset(self._pending)
                self._pending.clear()
                self._busy = True
            try:
                self._on_change(batch)
            except Exception as exc:  # broad on purpose: one bad rebuild must not kill the watcher
                print(f"error: rebuild failed: {escape_control(repr(exc))}", file=self._out)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
