"""What one process keeps between builds of a site, so that a rebuild redoes only what changed.

``serve`` keeps a session in memory for as long as it runs; ``build`` loads one from the build
cache (``.timeline-cache/``) and saves it back. Either way the output must be byte-identical to
a fresh build: every reuse is keyed by the full input of the step it skips (see ``memo``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import jinja2

from timeline.cache import BuildCache
from timeline.config import SiteConfig
from timeline.errors import Diagnostic
from timeline.index import MarkdownMemo
from timeline.memo import Memo
from timeline.reader import RecordMemo
from timeline.render import CardMemo
from timeline.sourcefile import StatMemo
from timeline.theme import make_environment, theme_dirs

# The whole session is one entry: one read at start-up beats thousands of small files.
SESSION_KEY = hashlib.sha256(b"timeline build session").hexdigest()


class EnvironmentCache:
    """Jinja environments by theme chain, reused across builds; templates reload when edited."""

    def __init__(self) -> None:
        self._envs: dict[tuple[Path, ...], jinja2.Environment] = {}

    def get(self, config: SiteConfig) -> jinja2.Environment:
        """Return the environment for this config's theme chain, making it once."""
        # A template added to an override theme must win at once, so the key lists the files.
        dirs = theme_dirs(config)
        key = (*dirs, *sorted(p for d in dirs for p in (d / "templates").rglob("*")))
        if key not in self._envs:
            self._envs[key] = make_environment(config)
        return self._envs[key]


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

    def finish(self) -> None:
        """Drop what the last build did not use, so the session does not grow without end."""
        self.records.prune()
        self.markdown.prune()
        self.cards.prune()
        self.fragments.prune()


def load_session(root: Path) -> tuple[BuildSession, BuildCache, list[Diagnostic]]:
    """Return the session saved in the site's build cache (a new one if there is none or it is unusable)."""
    cache = BuildCache(root)
    session = BuildSession()
    state = cache.get(SESSION_KEY) if cache.enabled else None
    if isinstance(state, dict):
        parts: list[Any] = [state.get(name) for name in ("records", "markdown", "cards", "fragments", "outputs")]
        if all(isinstance(part, dict) for part in parts):
            session.records = Memo(parts[0])
            session.markdown = Memo(parts[1])
            session.cards = Memo(parts[2])
            session.fragments = Memo(parts[3])
            session.outputs = parts[4]
    return session, cache, list(cache.diagnostics)


def save_session(session: BuildSession, cache: BuildCache) -> list[Diagnostic]:
    """Write the session into the build cache; return any new warning."""
    before = len(cache.diagnostics)
    if cache.enabled:
        state: dict[str, Any] = {
            "records": session.records.entries,
            "markdown": session.markdown.entries,
            "cards": session.cards.entries,
            "fragments": session.fragments.entries,
            "outputs": session.outputs,
        }
        cache.put(SESSION_KEY, state)
        cache.sweep()
    return cache.diagnostics[before:]
