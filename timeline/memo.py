"""Results kept between builds, keyed by everything they depend on.

A build that reuses a memo must give exactly the bytes a fresh build gives: every key holds the
full input of the step it caches (a file's bytes, a Markdown text and its position), and a hit
is checked against anything else the step looked at before it is used.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

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
        self.entries = {k: v for k, v in self.entries.items() if k in self.used}
        self.used = set()
        self.hits = self.misses = 0
