"""Recorded dependencies: what an output read while it was made, and whether any of it changed.

Lektor's builder records each dependency as a template reads it; so does this. The engine only
keeps keys (strings naming what was read) and digests of them, made by a resolver the caller
gives it: it never knows what a key means (see ``docs/architecture.md``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping

Resolver = Callable[[str], str]
"""Key -> digest of what the key names, as it is in this build ("" for something absent)."""


class Tape:
    """The keys read in the current scope; scopes nest, and an inner scope's keys count for the outer."""

    __slots__ = ("keys", "_outer")

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self._outer: list[set[str]] = []

    def add(self, key: str) -> None:
        """Record that ``key`` was read."""
        self.keys.add(key)

    def update(self, keys: Iterable[str]) -> None:
        """Record that every one of ``keys`` was read."""
        self.keys.update(keys)

    @contextlib.contextmanager
    def scope(self) -> Iterator[set[str]]:
        """Record into a fresh set for the block; yield it, and add it to the enclosing scope after."""
        self._outer.append(self.keys)
        inner: set[str] = set()
        self.keys = inner
        try:
            yield inner
        finally:
            self.keys = self._outer.pop()
            if self._outer:  # nothing reads outside every scope: the bottom set is not kept growing
                self.keys.update(inner)


@dataclasses.dataclass(frozen=True, slots=True)
class Resolved:
    """What one build resolved: every key's digest, and the objects its keys were read from.

    The next build in the same process compares against it: only keys whose digest changed can
    make a page stale, and a key read from the very same object (``sources``, by a name the
    caller chooses) still has its old digest without resolving it again.
    """

    digests: Mapping[str, str]
    sources: Mapping[str, object] = dataclasses.field(default_factory=dict)
    outputs: Mapping[str, str] = dataclasses.field(default_factory=dict)
    """Each output's fingerprint as that build gave it: one that differs now was made stale since."""


class Digests:
    """A resolver memoised for one build: each key is resolved at most once."""

    __slots__ = ("_resolve", "_known")

    def __init__(self, resolve: Resolver) -> None:
        self._resolve = resolve
        self._known: dict[str, str] = {}

    def __call__(self, key: str) -> str:
        """Return the digest of ``key`` in this build."""
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = self._resolve(key)
        return found

    def changed(self, before: Mapping[str, str]) -> set[str]:
        """Return the keys of ``before`` whose digest is different in this build."""
        return {key for key, digest in before.items() if self(key) != digest}

    def resolved(self) -> dict[str, str]:
        """Return every key resolved so far with its digest."""
        return dict(self._known)

    def combined(self, keys: Iterable[str]) -> str:
        """Return one digest of ``keys`` (sorted) and each one's digest: equal iff none of them changed."""
        known = self._known
        parts: list[str] = []
        for key in keys:
            found = known.get(key)
            parts += (key, found if found is not None else self(key))
        # One joined text hashed at once: pages read hundreds of keys, and thousands are checked.
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class KeyTable:
    """One string object per key, so that thousands of pages naming a key keep it once (and pickle it once)."""

    __slots__ = ("_keys",)

    def __init__(self) -> None:
        self._keys: dict[str, str] = {}

    def canonical(self, keys: Iterable[str]) -> tuple[str, ...]:
        """Return ``keys`` sorted, each as the table's one copy of it."""
        table = self._keys
        return tuple(table.setdefault(key, key) for key in sorted(keys))
