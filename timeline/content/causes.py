"""The first cause first: fold the errors that only follow from a file that could not be read.

An event file with a YAML syntax error defines no event, so every article that cites it reports
``unknown event``, and an article that only it linked to is reported as linked from nowhere.
Those reports are true but say nothing new: the fix is in the broken file. They are left out,
and the broken file's first error says how many there were ("and 4 errors that follow from
it"). Diagnostics of files that could not be read come first, the rest after, each by place.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from pathlib import Path

from timeline.content.config import SiteConfig
from timeline.content.model import Content
from timeline.errors import Diagnostic

_UNKNOWN = re.compile(r"unknown (event|article|actor|place) '([^']*)'")
_UNLINKED = re.compile(r"nothing links to article '([^']*)'")
# An ``id:`` field at the start of a line, as an event file or front matter sets it.
_ID_FIELD = re.compile(r"^id:[ \t]*[\"']?([^\s\"'#]+)", re.MULTILINE)
_ENTITY_FILES = {"actors.yaml": "actor", "places.yaml": "place"}


def first_causes(diagnostics: Iterable[Diagnostic], content: Content, config: SiteConfig) -> tuple[Diagnostic, ...]:
    """Return ``diagnostics`` without those that follow from an unread file, causes first."""
    found = sorted(set(diagnostics))
    failed = _failed_files(found, content, config)
    if not failed:
        return tuple(found)
    folded: dict[str, list[Diagnostic]] = {path: [] for path in failed}
    kept: list[Diagnostic] = []
    for diagnostic in found:
        cause = None if diagnostic.path in failed else _cause_of(diagnostic, failed)
        if cause is None:
            kept.append(diagnostic)
        else:
            folded[cause].append(diagnostic)
    first: list[Diagnostic] = []
    rest: list[Diagnostic] = []
    told: set[str] = set()
    for diagnostic in kept:
        if diagnostic.path not in failed:
            rest.append(diagnostic)
            continue
        follows = folded[diagnostic.path]
        if diagnostic.path not in told and diagnostic.severity == "error" and follows:
            told.add(diagnostic.path)
            diagnostic = _with_count(diagnostic, follows)
        first.append(diagnostic)
    return (*first, *rest)


@dataclasses.dataclass(frozen=True, slots=True)
class _Failed:
    """What an unread file would have given the site: the kind and ids it defines, and its text."""

    kind: str
    ids: frozenset[str]
    text: str


def _failed_files(found: list[Diagnostic], content: Content, config: SiteConfig) -> dict[str, _Failed]:
    """Return the content files that have errors and gave no record, by site-relative path."""
    read = {e.path for e in content.events} | {a.path for a in content.articles}
    read |= {e.path for e in (*content.actors, *content.places)}
    prefix = config.content_dir.relative_to(config.root).as_posix()
    failed: dict[str, _Failed] = {}
    for path in sorted({d.path for d in found if d.severity == "error"} - read):
        if not path.startswith(prefix + "/"):
            continue
        inside = path.removeprefix(prefix + "/")
        folder, _, name = inside.rpartition("/")
        top = inside.split("/", 1)[0]
        if folder and top in ("events", "articles"):
            kind = top[:-1]
            text = _text(config.root / path)
            ids = {m.group(1) for m in _ID_FIELD.finditer(_front(text) if kind == "article" else text)}
            failed[path] = _Failed(kind, frozenset(ids or {Path(name).stem}), text)
        elif not folder and name in _ENTITY_FILES:
            failed[path] = _Failed(_ENTITY_FILES[name], frozenset(), _text(config.root / path))
    return failed


def _cause_of(diagnostic: Diagnostic, failed: dict[str, _Failed]) -> str | None:
    """Return the unread file that ``diagnostic`` follows from, if any."""
    unknown = _UNKNOWN.match(diagnostic.message)
    if unknown is not None and diagnostic.severity == "error":
        kind, target = unknown.groups()
        for path, what in failed.items():
            if what.kind == kind and (target in what.ids or kind in ("actor", "place")):
                return path
    unlinked = _UNLINKED.match(diagnostic.message)
    if unlinked is not None and diagnostic.severity == "warning":
        word = re.compile(rf"(?<![\w-]){re.escape(unlinked.group(1))}(?![\w-])")
        for path, what in failed.items():
            if what.kind in ("event", "article") and word.search(what.text):
                return path
    return None


def _with_count(cause: Diagnostic, follows: list[Diagnostic]) -> Diagnostic:
    errors = sum(d.severity == "error" for d in follows)
    warnings = len(follows) - errors
    parts = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in ((errors, "error"), (warnings, "warning")) if n]
    verb = "follows" if len(follows) == 1 else "follow"
    message = f"{cause.message} (and {' and '.join(parts)} that {verb} from it)"
    return Diagnostic(cause.path, cause.line, cause.col, cause.severity, message)


def _text(path: Path) -> str:
    try:
        return path.read_bytes()[: 1 << 20].decode("utf-8", "replace")
    except OSError:
        return ""


def _front(text: str) -> str:
    # The front matter of an article: between the first two '---' lines (or all of it, unclosed).
    parts = re.split(r"^---[ \t]*\r?$", text, maxsplit=2, flags=re.MULTILINE)
    return parts[1] if len(parts) > 1 else text
