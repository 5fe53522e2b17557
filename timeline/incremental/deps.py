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


Grouper = Callable[[str], str]
"""Key -> the name of the source it was read from ("" for a key of no one source)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Resolved:
    """What one build resolved: every key's digest, grouped by the source each key was read from.

    The next build compares against it: only keys whose digest changed can make a page stale.
    A group whose source has the same token as then (``sources``: a digest of the file a record
    came from, say) is skipped whole, without resolving or even loading its keys; a store may
    give ``groups`` as a mapping that reads a group only when it is asked for.
    """

    groups: Mapping[str, Mapping[str, str]]
    """Source ("" for keys of no one source) -> key -> digest."""
    sources: Mapping[str, str] = dataclasses.field(default_factory=dict)
    """Source -> the token it had when its group was resolved."""
    outputs: Mapping[str, str] = dataclasses.field(default_factory=dict)
    """Each output's fingerprint as that build gave it: one that differs now was made stale since."""


class Carried(Mapping[str, Mapping[str, str]]):
    """Groups of digests: those resolved by this build (``fresh``), the others read from ``base`` when asked."""

    def __init__(self, fresh: dict[str, dict[str, str]], kept: set[str], base: Mapping[str, Mapping[str, str]]) -> None:
        self.fresh = fresh
        self.kept = kept
        """Sources whose group is the one in ``base``, unchanged."""
        self.base = base

    def __getitem__(self, source: str) -> Mapping[str, str]:
        found = self.fresh.get(source)
        if found is not None:
            return found
        if source in self.kept:
            return self.base[source]
        raise KeyError(source)

    def __iter__(self) -> Iterator[str]:
        yield from self.fresh
        yield from (source for source in self.kept if source not in self.fresh)

    def __len__(self) -> int:
        return len(self.fresh.keys() | self.kept)


class Digests:
    """A resolver memoised for one build: each key is resolved at most once.

    ``group`` names the source of a key and ``tokens`` this build's token of each source, so
    that ``changed`` can skip the keys of a source that is as it was (see ``Resolved``).
    """

    __slots__ = ("_resolve", "_known", "_group", "_tokens", "_kept", "_before", "_fresh", "_late")

    def __init__(
        self, resolve: Resolver, group: Grouper | None = None, tokens: Mapping[str, str] | None = None
    ) -> None:
        self._resolve = resolve
        self._known: dict[str, str] = {}
        self._group = group or (lambda key: "")
        self._tokens = tokens or {}
        self._kept: set[str] = set()
        self._before: Resolved | None = None
        self._fresh: dict[str, dict[str, str]] = {}
        """The groups ``changed`` resolved whole, already grouped."""
        self._late: list[str] = []
        """Keys resolved one by one (not by ``changed``): grouped only in ``resolved``."""

    def __call__(self, key: str) -> str:
        """Return the digest of ``key`` in this build."""
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = self._resolve(key)
            self._late.append(key)
        return found

    def changed(self, before: Resolved) -> set[str]:
        """Return the keys of ``before`` whose digest is different in this build.

        The keys of a source whose token is unchanged are not looked at: they are carried into
        ``resolved`` as they were.
        """
        self._before = before
        found: set[str] = set()
        tokens, then, known, resolve = self._tokens, before.sources, self._known, self._resolve
        for source in before.groups:
            token = tokens.get(source) if source[:1] not in ("", "~") else None
            if token is not None and then.get(source) == token:
                self._kept.add(source)
                continue
            part = self._fresh.setdefault(source, {})
            for key, digest in before.groups[source].items():
                now = known.get(key)
                if now is None:
                    now = known[key] = resolve(key)
                part[key] = now
                if now != digest:
                    found.add(key)
        return found

    def resolved(self, outputs: Mapping[str, str] | None = None) -> Resolved:
        """Return what this build resolved, with the groups ``changed`` carried over unchanged."""
        fresh = self._fresh
        group, known = self._group, self._known
        for key in self._late:
            source = group(key)
            part = fresh.get(source)
            if part is None:
                part = fresh[source] = {}
            part[key] = known[key]
        self._late = []
        before = self._before
        kept = set(self._kept)
        if before is not None:
            for source in kept & fresh.keys():
                # A kept source whose keys a page read for the first time: its group grows.
                merged = {**before.groups[source], **fresh[source]}
                if merged == before.groups[source]:
                    del fresh[source]
                else:
                    fresh[source] = merged
                    kept.discard(source)
        sources = {source: token for source, token in self._tokens.items() if source in fresh or source in kept}
        if before is None or not kept:
            return Resolved(fresh, sources, outputs or {})
        if isinstance(before.groups, dict):
            # In memory: one plain mapping, so that builds in a row do not chain their groups.
            return Resolved({**{source: before.groups[source] for source in kept}, **fresh}, sources, outputs or {})
        return Resolved(Carried(fresh, kept, before.groups), sources, outputs or {})

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
