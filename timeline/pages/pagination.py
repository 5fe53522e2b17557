"""Long lists cut into pages: which items each page shows, where it lives, and the picker between them.

A list of ``n`` items at ``size`` a page has ``ceil(n / size)`` pages (one, empty, when there is
nothing to list). Page 1 keeps the list's own address, so links made before the list grew still
work; page ``k`` lives at ``<base><k>/`` (``actors/armenia/2/``). Section lists, whose folders
also hold one page per id (``actors/<id>/``), number theirs under ``page/`` (``actors/page/2/``),
as Hugo does, so that an actor called ``2`` keeps its address.

The picker (``Pager``) is the same for numbered pages and for the parts of a split timeline:
previous and next links, and a short list of the others that never grows past ``PICKER_MAX``
entries however long the series is, so that no page grows with the site.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


PICKER_MAX = 41
"""Most entries the picker lists; a longer series shows its ends, the pages near, and steps between."""


def chunks(items: Sequence[T], size: int) -> tuple[tuple[T, ...], ...]:
    """Return ``items`` cut into pages of ``size`` (the last may be shorter; nothing gives one empty page)."""
    if size < 1:
        raise ValueError(f"page size must be at least 1, not {size}")
    if not items:
        return ((),)
    return tuple(tuple(items[at : at + size]) for at in range(0, len(items), size))


def page_count(total: int, size: int) -> int:
    """Return how many pages ``chunks`` makes of ``total`` items."""
    return max(1, -(-total // size))


def page_dir(base: str, number: int, *, section: bool = False) -> str:
    """Return the folder of page ``number`` of the list at ``base`` (``actors/armenia/``), ending in a slash."""
    if number == 1:
        return base
    return f"{base}page/{number}/" if section else f"{base}{number}/"


@dataclasses.dataclass(frozen=True, slots=True)
class PagerLink:
    """One entry of a picker: where it goes and what it is called."""

    href: str
    """The page's folder relative to the site root (``actors/armenia/2/``); templates put the base before it."""
    label: str
    count: int | None = None
    """How many events the entry holds, shown beside it (the parts of a timeline), or None."""


@dataclasses.dataclass(frozen=True, slots=True)
class Pager:
    """The picker of one page of a series: the whole series, which one this is, and its name in words."""

    links: tuple[PagerLink, ...]
    """Every page of the series, in order (one tuple shared by all its pages)."""
    current: int
    """Index of this page in ``links``; -1 on a page that is none of them (the overview of the parts)."""
    label: str
    """What this page is, in words: ``Page 2 of 5``, or the part's name."""
    numbered: bool = True
    """True for pages of one list; False for named parts (the timeline's decades and years)."""

    @property
    def previous(self) -> PagerLink | None:
        """Return the page before this one, or None on the first."""
        return self.links[self.current - 1] if self.current > 0 else None

    @property
    def next(self) -> PagerLink | None:
        """Return the page after this one, or None on the last."""
        at = self.current + 1
        return self.links[at] if 0 < at < len(self.links) else None

    @property
    def shown(self) -> tuple[tuple[int, PagerLink], ...]:
        """Return the entries the picker lists, with their indexes (see ``picked``)."""
        return tuple((n, self.links[n]) for n in picked(len(self.links), self.current))


def picked(total: int, current: int, most: int = PICKER_MAX) -> tuple[int, ...]:
    """Return the indexes a picker lists: all of a short series; of a long one, its ends, the near ones and steps.

    Every page stays a few steps away, and the list never passes ``most`` entries.
    """
    if total <= most:
        return tuple(range(total))
    near = (most - 2) // 4
    chosen = {0, total - 1, *range(max(0, current - near), min(total, current + near + 1))}
    room = most - len(chosen)
    step = -(-total // max(1, room))
    chosen.update(range(0, total, step))
    ordered = sorted(chosen)
    if len(ordered) > most:
        # Drop steps far from the current page first; the ends and the neighbours stay.
        keep = {0, total - 1, *range(max(0, current - near), min(total, current + near + 1))}
        extra = sorted((n for n in ordered if n not in keep), key=lambda n: (-abs(n - current), n))
        drop = set(extra[: len(ordered) - most])
        ordered = [n for n in ordered if n not in drop]
    return tuple(ordered)


def series(base: str, count: int, *, section: bool = False) -> tuple[PagerLink, ...]:
    """Return the links of a numbered series of ``count`` pages at ``base``."""
    return tuple(PagerLink(page_dir(base, n, section=section), str(n)) for n in range(1, count + 1))
