"""Results kept between builds, keyed by everything they depend on.

A build that reuses a memo must give exactly the bytes a fresh build gives: every key holds the
full input of the step it caches (a file's bytes, a Markdown text and its position), and a hit
is checked against anything else the step looked at before it is used.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """A mapping that remembers which keys the current build used, so stale ones can be dropped."""

    def __init__(self, entries: dict[K, V] | None = None) -> None:
        self.entries: dict[K, V] = dict(entries or {})
        self.used: set[K] = set()
        self.hits = 0
        self.misses = 0

    def get(self, key: K) -> V | None:
        """Return the value for ``key`` (marking it used), or None."""
        value = self.entries.get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
            self.used.add(key)
        return value

    def put(self, key: K, value: V) -> None:
        """Store ``value`` for ``key`` and mark it used."""
        self.entries[key] = value
        self.used.add(key)

    def prune(self) -> None:
        """Forget every entry the current build did not use, and start counting anew."""
        if not self.used and not self.misses:
            # The build skipped this step altogether (nothing changed): its entries are still good.
            return
        # Set arithmetic in C: a rebuild usually drops a handful of the tens of thousands kept.
        for key in self.entries.keys() - self.used:
            del self.entries[key]
        self.used = set()
        self.hits = self.misses = 0


T = TypeVar("T")


class Fragments:
    """Per-record pieces of whole-site files (an event's JSON object, its VEVENT, its Atom entry).

    A piece is made again only when its record's digest changed; ``digests`` maps a record key
    (``event:<id>``, ``article:<id>``) to a digest of everything that record's pieces may show:
    its own file, the files of the articles an event cites, and the site (config, theme, ids,
    actors, places, tags). Without a memo every piece is simply made.
    """

    def __init__(self, memo: Memo[str, Any] | None = None, digests: Mapping[str, str] | None = None) -> None:
        self.memo = memo
        self.digests = digests or {}

    def get(self, kind: str, record: str, make: Callable[[], T]) -> T:
        """Return the piece ``kind`` (a name of the caller's choosing) of ``record``, made at most once."""
        digest = self.digests.get(record)
        if self.memo is None or digest is None:
            return make()
        key = f"{kind}\0{record}\0{digest}"
        found = self.memo.get(key)
        if found is None:
            found = (make(),)  # boxed, so that a piece that is None is remembered too
            self.memo.put(key, found)
        value: T = found[0]
        return value
