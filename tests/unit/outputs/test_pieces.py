"""The writers ask for pieces through a plain callable: any keeper works, none is needed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from tests.conftest import copy_example
from timeline.content.config import load_config
from timeline.content.linking import index_content
from timeline.content.model import Timeline
from timeline.content.reader import read_content
from timeline.outputs import WHOLE_SITE

T = TypeVar("T")


class Keeper:
    """A piece callable of the test's own: a dict by (kind, record), and a log of what was asked."""

    def __init__(self) -> None:
        self.kept: dict[tuple[str, str], Any] = {}
        self.asked: list[tuple[str, str]] = []
        self.made = 0

    def __call__(self, kind: str, record: str, make: Callable[[], T], /) -> T:
        self.asked.append((kind, record))
        if (kind, record) not in self.kept:
            self.made += 1
            self.kept[kind, record] = make()
        value: T = self.kept[kind, record]
        return value


def _timeline(root: Path) -> Timeline:
    config = load_config(root)
    content, _ = read_content(config)
    tl, _ = index_content(content, config)
    return tl


def _files(tl: Timeline, keeper: Keeper | None = None) -> tuple[dict[str, bytes], dict[str, set[str]]]:
    """Return every whole-site file, and the kinds of pieces asked for while each was made."""
    files: dict[str, bytes] = {}
    kinds: dict[str, set[str]] = {}
    for writer in WHOLE_SITE:
        for path, data in writer(tl, keeper) if keeper is not None else writer(tl):
            files[path] = data
            if keeper is not None:
                kinds[path] = {kind for kind, _ in keeper.asked}
                keeper.asked.clear()
    return files, kinds


def test_kept_pieces_give_the_bytes_of_made_ones(tmp_path: Path) -> None:
    tl = _timeline(copy_example(tmp_path))
    plain, _ = _files(tl)
    keeper = Keeper()
    first, _ = _files(tl, keeper)
    assert first == plain and keeper.made > 3 * len(tl.events)
    made = keeper.made
    again, _ = _files(tl, keeper)
    assert again == plain and keeper.made == made  # every piece came from the keeper


def test_each_kind_of_piece_belongs_to_one_file(tmp_path: Path) -> None:
    """The caller may let a file's pieces go once it is made: no later file may ask for that kind."""
    tl = _timeline(copy_example(tmp_path))
    _, kinds = _files(tl, Keeper())
    seen: dict[str, str] = {}
    for path, asked in kinds.items():
        for kind in asked:
            assert seen.setdefault(kind, path) == path, f"{kind} asked by {seen[kind]} and {path}"
    assert len(seen) >= 8  # Atom x2, calendar, sitemap, events.json, CSV, CSL, TimelineJS, search
