"""How a writer asks for one record's piece of a file, without knowing who keeps pieces.

A writer makes each record's part of a whole-site file (an event's Atom entry, its VEVENT, its
JSON object, its CSV row) by a pure function, and asks for it through a ``Piece`` callable:
``piece(kind, record, make)``. The build passes one that keeps pieces between builds, keyed by
the record's digest; without one, ``made`` simply makes each piece. Pieces are plain data (text,
numbers, tuples), since a build cache unpickles only timeline's own types.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

T = TypeVar("T")


class Piece(Protocol):
    """Return the piece ``kind`` (a name of the writer's choosing) of ``record`` (``event:<id>``, ``article:<id>``)."""

    def __call__(self, kind: str, record: str, make: Callable[[], T], /) -> T:
        """Return ``make()``, or the value it gave before for the same kind and unchanged record."""
        ...


def made(kind: str, record: str, make: Callable[[], T], /) -> T:
    """Make the piece: no piece is kept."""
    return make()
