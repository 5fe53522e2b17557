"""What one process keeps between builds of a site, so that a rebuild redoes only what changed.

``serve`` keeps a session in memory for as long as it runs; ``build`` loads one from the build
cache (``.timeline-cache/``) and saves it back. Either way the output must be byte-identical to
a fresh build: every reuse is keyed by the full input of the step it skips (see ``memo``).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from timeline.content.config import SiteConfig
from timeline.content.linking import MarkdownMemo
from timeline.content.reader import RecordMemo
from timeline.content.sourcefile import Escape, Found, StatMemo, walk_sources
from timeline.errors import Diagnostic
from timeline.incremental.deps import Resolved
from timeline.incremental.memo import KindMemo, Memo
from timeline.incremental.store import BuildCache, SessionStore, StoredMemo, memo_key
from timeline.pages.render import CardMemo
from timeline.pages.theme import make_environment, theme_dirs


class EnvironmentCache:
    """Jinja environments by theme chain, reused across builds; templates reload when edited."""

    def __init__(self) -> None:
        self._envs: dict[tuple[Path, ...], jinja2.Environment] = {}
        self._digests: dict[tuple[Path, ...], dict[Path, str]] = {}

    def get(self, config: SiteConfig) -> jinja2.Environment:
        """Return the environment for this config's theme chain, making it once."""
        # A template added to an override theme must win at once, so the key lists the files.
        dirs = theme_dirs(config)
        files = sorted(p for d in dirs for p in (d / "templates").rglob("*"))
        key = (*dirs, *files)
        if key not in self._envs:
            self._envs[key] = make_environment(config)
        env = self._envs[key]
        _forget_edited(env, files, self._digests.setdefault(key, {}))
        return env


def _forget_edited(env: jinja2.Environment, files: list[Path], digests: dict[Path, str]) -> None:
    """Drop the compiled templates whose files' bytes differ from ``digests`` (updated in place)."""
    # Jinja reloads a template when its mtime changes; an edit that keeps the mtime (a restore,
    # a save in the same clock tick) would go unseen, so compiled templates are checked by bytes.
    edited: set[str] = set()
    for path in files:
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue  # a folder, or gone since the listing: Jinja reports a missing template itself
        if digests.get(path, digest) != digest:
            edited.add(os.path.realpath(path))
        digests[path] = digest
    if edited and env.cache is not None:
        for cache_key, template in env.cache.items():
            if template.filename is not None and os.path.realpath(template.filename) in edited:
                del env.cache[cache_key]


class BuildSession:
    """Compiled templates, parsed records, rendered Markdown, and what each output folder holds."""

    def __init__(self) -> None:
        self.environments = EnvironmentCache()
        self.records: RecordMemo = Memo()
        self.stats: StatMemo = {}
        """Kept in memory only: a saved one would trust times that another process may not keep."""
        self.markdown: MarkdownMemo = Memo()
        self.cards: CardMemo = Memo()
        self.fragments: Memo[str, Any] = Memo()
        self.outputs: dict[str, dict[str, str]] = {}
        """Output folder -> fingerprint of every file in it, as the last build wrote it."""
        self.deps: dict[str, Mapping[str, tuple[str, ...]]] = {}
        """Output folder -> page -> the keys of what the page read when it was rendered (``pages.recording``)."""
        self.listings: dict[str, Listing] = {}
        """Content folder -> what the last build's walk of it found; in memory only, like ``stats``."""
        self.hint: set[Path] | None = None
        """The paths changed since the last walk, as a watcher named them; None when not known."""
        self.reads: dict[str, Resolved] = {}
        """Output folder -> the digest of every key the last build resolved, grouped by record."""

    def finish(self) -> None:
        """Drop what the last build did not use, so the session does not grow without end."""
        self.records.prune()
        self.markdown.prune()
        self.cards.prune()
        self.fragments.prune()
        for folder in [folder for folder in self.deps if folder not in self.outputs]:
            del self.deps[folder]
        for folder in [folder for folder in self.reads if folder not in self.deps]:
            del self.reads[folder]


Listing = tuple[list[Found], list[Escape]]
FLOOD = 256
"""A batch of more changed paths than this walks the folder again: a flood of file events (a git
checkout) is where the kernel's queue overflows and drops some, which the watcher cannot see."""


def hint(session: BuildSession, changed: frozenset[Path] | None) -> None:
    """Add ``changed`` to the paths the next walk must look at (None: a walk of everything)."""
    # Kept until a walk takes them: a build that stops before it reads (a broken site.yaml)
    # must not lose the event files saved in the same batch.
    session.hint = None if changed is None or session.hint is None else session.hint | changed


def hinted_walk(session: BuildSession) -> Callable[[Path, Path], Listing]:
    """Return a walk of a content folder that reuses the last one when ``session.hint`` names every change.

    ``serve``'s watcher names the paths that changed: a file edited in place needs a stat of
    that file alone, not of every file of the site. Anything else (a new, deleted or renamed
    file, a folder, a refused link, a path the last walk did not list) walks the whole folder
    again, and so does a build told nothing (``hint`` None: the CLI).
    """

    def walk(folder: Path, root: Path) -> Listing:
        last, changed = session.listings.get(str(folder)), session.hint
        made = _patched(last, folder, frozenset(changed)) if last is not None and changed is not None else None
        if made is None:
            made = walk_sources(folder, root)
        session.listings[str(folder)] = made
        session.hint = set()
        return made

    return walk


def _patched(last: Listing, folder: Path, changed: frozenset[Path]) -> Listing | None:
    """Return ``last`` with the files in ``changed`` stat-ed again, or None if a walk is needed."""
    if len(changed) > FLOOD:
        return None
    found, escapes = last
    inside = os.path.abspath(folder) + os.sep
    index = {str(path): n for n, (path, _, _) in enumerate(found)}
    refused = {os.path.abspath(link) for link, _ in escapes}
    patched = list(found)
    for path in changed:
        text = os.path.abspath(path)
        n = index.get(text)
        if n is None:
            if text.startswith(inside) or text == inside[:-1] or text in refused:
                return None  # created, deleted or a folder: the listing itself changed
            continue  # not content (site.yaml, a theme's file): read where it is used
        try:
            info = os.stat(text)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode) or os.path.islink(text) != os.path.islink(found[n][0]):
            return None
        patched[n] = (found[n][0], found[n][1], info)
    return patched, escapes


def fragments_key(kind: str) -> str:
    """Return the cache key of the saved pieces of ``kind`` (see ``KindMemo``)."""
    return hashlib.sha256(f"timeline build session\0fragments\0{kind}".encode()).hexdigest()


def _spilled_fragments(cache: BuildCache, kinds: list[str]) -> KindMemo:
    """Return a memo of pieces that keeps each kind in its own cache entry while it is not in use."""

    def load(kind: str) -> dict[str, Any] | None:
        found = cache.get(fragments_key(kind))
        return found if isinstance(found, dict) else None

    def save(kind: str, entries: dict[str, Any]) -> None:
        cache.put(fragments_key(kind), entries)

    return KindMemo(load, save, kinds)


def load_session(root: Path) -> tuple[BuildSession, SessionStore, list[Diagnostic]]:
    """Return the session saved in the site's build cache (a new one if there is none or it is unusable).

    Nothing is read whole: records, Markdown and cards come from the store when first asked
    for, each page's keys are decoded when its reuse is decided, and the digests of a record's
    reads only when its file changed (see ``incremental.store.SessionStore``).
    """
    cache = BuildCache(root)
    store = SessionStore(cache)
    return fresh_session(store), store, cache.news()


def fresh_session(store: SessionStore) -> BuildSession:
    """Return a session that reads what ``store`` holds as it is asked for."""
    session = BuildSession()
    if store.db is not None:
        session.records = StoredMemo(store, "records")
        session.markdown = StoredMemo(store, "markdown")
        # A warm build renders a few pages and asks for their cards only: the others stay good
        # for the pages rendered next time. A build that reused no card replaces them all.
        session.cards = StoredMemo(store, "cards", sweep=False)
        for folder, saved in store.folders.items():
            session.outputs[folder] = dict(saved.outputs)
            session.deps[folder] = saved.pages
            session.reads[folder] = Resolved(saved.groups, saved.sources, saved.outputs)
    if store.cache.enabled:
        # The pieces of the site-wide files are the largest part of a session, and each file needs
        # only its own kind: they stay on disk until asked for (see ``KindMemo``).
        session.fragments = _spilled_fragments(store.cache, _kinds(store))
    return session


def _kinds(store: SessionStore) -> list[str]:
    """Return the kinds of pieces the last build saved (listed in the store's memo of kinds)."""
    found = store.memo_value("kinds", memo_key("kinds"))
    return [kind for kind in found if isinstance(kind, str)] if isinstance(found, tuple) else []


def save_session(session: BuildSession, store: SessionStore) -> list[Diagnostic]:
    """Write what the build changed into the build cache; return any warning not reported yet."""
    cache = store.cache
    if cache.enabled:
        fragments = session.fragments
        if not isinstance(fragments, KindMemo):
            # A session that kept its pieces in memory (one not made by load_session).
            spilled = _spilled_fragments(cache, [])
            for key, value in fragments.entries.items():
                spilled.put(key, value)
            fragments = spilled
        fragments.prune()
        kinds = tuple(sorted(fragments.kinds))
        listed: Memo[str, Any] = Memo({"kinds": kinds})
        listed.used.add("kinds")
        store.save(
            {"records": session.records, "markdown": session.markdown, "cards": session.cards, "kinds": listed},
            session.outputs,
            session.deps,
            session.reads,
        )
        # Kinds this build did not ask for are still good (it made no site-wide file): keep their entries.
        cache.touched.update(fragments_key(kind) for kind in kinds)
        cache.sweep()
    return cache.news()
