"""Results kept between builds, keyed by everything they depend on.

A build that reuses a memo must give exactly the bytes a fresh build gives: every key holds the
full input of the step it caches (a file's bytes, a Markdown text and its position), and a hit
is checked against anything else the step looked at before it is used.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
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

    def release(self) -> None:
        """Say that the pieces asked for so far are not needed again soon (see ``KindMemo``)."""


class KindMemo(Memo[str, Any]):
    """The memo of ``Fragments`` pieces, kept in a store by kind, each kind in memory only while in use.

    A site-wide file needs every record's piece of its own kind and no other: a kind is loaded
    when first asked for, and pruned, saved and dropped on ``release`` (the caller releases
    after each file is made, so a kind must not be shared by two files),
    so that a build holds one kind at a time instead of all of them. ``kinds`` lists what the
    store holds.
    """

    def __init__(
        self,
        load: Callable[[str], dict[str, Any] | None],
        save: Callable[[str, dict[str, Any]], None],
        kinds: Iterable[str] = (),
    ) -> None:
        super().__init__()
        self.load = load
        self.save = save
        self.kinds = set(kinds)
        self.open: dict[str, Memo[str, Any]] = {}
        self.asked: set[str] = set()
        """Kinds used since the last ``prune``."""

    def _part(self, key: str) -> tuple[Memo[str, Any], str]:
        kind, _, rest = key.partition("\0")
        part = self.open.get(kind)
        if part is None:
            found = self.load(kind) if kind in self.kinds else None
            part = self.open[kind] = Memo(found)
            self.asked.add(kind)
        return part, rest

    def get(self, key: str) -> Any:
        """Return the value for ``key`` (marking it used), or None."""
        part, rest = self._part(key)
        return part.get(rest)

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` for ``key`` and mark it used."""
        part, rest = self._part(key)
        part.put(rest, value)

    def release(self) -> None:
        """Prune, save and drop every kind in memory."""
        for kind, part in self.open.items():
            # Misses were made and put; entries never asked for are stale: either way, a change.
            changed = part.misses > 0 or len(part.used) != len(part.entries) or kind not in self.kinds
            part.prune()
            if changed:
                self.save(kind, part.entries)
            self.kinds.add(kind)
        self.open.clear()

    def prune(self) -> None:
        """Release every kind, and forget the kinds the current build did not use (if it used any)."""
        self.release()
        if self.asked:
            # A build that made the site-wide files asked for every kind it still makes.
            self.kinds = set(self.asked)
            self.asked = set()


T = TypeVar("T")


class Fragments:
    """Per-record pieces of whole-site files (an event's JSON object, its VEVENT, its Atom entry).

    A piece is made again only when its record's digest changed; ``digests`` maps a record key
    (``event:<id>``, ``article:<id>``) to a digest of everything that record's pieces may show:
    its own file, the files of the articles an event cites, and the site (config, theme, ids,
    actors, places, tags). Without a memo every piece is simply made. The writers call it as
    ``fragments(kind, record, make)`` and never see the memo behind it.
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

    __call__ = get

    def release(self) -> None:
        """Say that the pieces asked for so far are done with: the file that needs them was made."""
        if self.memo is not None:
            self.memo.release()
