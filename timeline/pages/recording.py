"""What templates read, recorded: the timeline and its records seen through proxies that note each read.

While a page renders, templates (and the accessors they call) see a ``TimelineView`` instead of
the ``Timeline`` and ``RecordView`` s instead of events and articles. Each read adds a key to the
build's ``Tape``; ``pages.reuse.resolver`` turns a key into a digest of what it names, so a later
build re-renders a page only when something it read changed. The keys:

``rec:<kind>:<field>:<id>``   one field of an event or article (``*``: all of it)
``tl:<name>``                 the whole of one part of the timeline (``tl:events``: which events, in order)
``tl:<name>:<key>``           one entry of a mapping of the timeline (``tl:html:event:x:summary``)
``ranges:<year>``             the range events that cover a year (for ``superEvent``)
``tpl:<name>``                a template, as the theme chain resolves the name
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from typing import Any, cast

from timeline.content.model import Article, Event, Timeline
from timeline.incremental.deps import Tape
from timeline.pages.jsonld import Ranges
from timeline.pages.plan import Part

RECORDS = {Event: "event", Article: "article"}
"""The records read field by field, and the kind each is named by in keys."""


class RecordView:
    """An event or article that records which of its fields are read."""

    __slots__ = ("_record", "_tape", "_prefix", "_fields")

    def __init__(self, record: Event | Article, tape: Tape) -> None:
        self._record = record
        self._tape = tape
        self._prefix = f"rec:{RECORDS[type(record)]}:"
        self._fields: dict[str, tuple[Any, str]] = {}

    def __getattr__(self, name: str) -> Any:
        # Records are frozen: each field's value and key are made once per view.
        found = self._fields.get(name)
        if found is None:
            value = getattr(self._record, name)
            # A method's repr names a memory address: a method read counts as reading the whole record.
            field = "*" if callable(value) else name
            found = self._fields[name] = (value, f"{self._prefix}{field}:{self._record.id}")
        self._tape.add(found[1])
        return found[0]

    # isinstance() asks for __class__: code that checks for an Event accepts the view.
    @property  # type: ignore[misc]
    def __class__(self) -> type:  # noqa: D105
        return type(self._record)

    def _whole(self) -> Event | Article:
        self._tape.add(f"{self._prefix}*:{self._record.id}")
        return self._record

    def __eq__(self, other: object) -> bool:
        return bool(self._whole() == unwrap(other))

    def __hash__(self) -> int:
        return hash(self._whole())

    def __repr__(self) -> str:
        return repr(self._whole())

    def __str__(self) -> str:
        return str(self._whole())


def unwrap(value: Any) -> Any:
    """Return the record behind a view (any other value as it is)."""
    return object.__getattribute__(value, "_record") if type(value) is RecordView else value


def wrap(value: Any, tape: Tape, view: Callable[[Any], RecordView] | None = None) -> Any:
    """Return ``value`` with every event and article in it (in tuples, lists, parts) seen through a view.

    ``view`` makes the view of a record (``TimelineView.view`` shares one per record); by default, a new one.
    """
    kind = type(value)
    if kind in RECORDS:
        return view(value) if view is not None else RecordView(value, tape)
    if kind is tuple or kind is list:
        return tuple(wrap(item, tape, view) for item in value)
    if kind is Part:
        return dataclasses.replace(value, events=wrap(value.events, tape, view))
    return value


def context_digest(value: Any) -> str:
    """Return a text that changes when a page's context names other records (not when they change)."""
    kind = type(value)
    if kind in RECORDS:
        return f"{RECORDS[kind]}:{value.id}"
    if kind is tuple or kind is list:
        return "(" + ",".join(context_digest(item) for item in value) + ")"
    if kind is Part:
        return f"part:{value.key}:{value.label}:{context_digest(value.events)}"
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{k!r}:{context_digest(v)}" for k, v in value.items()) + "}"
    return repr(value)


class ValueView:
    """A value every template gets ready-made (``statuses``), recorded under ``key`` when it is used."""

    __slots__ = ("_value", "_tape", "_key")

    def __init__(self, value: Any, tape: Tape, key: str) -> None:
        self._value = value
        self._tape = tape
        self._key = key

    def _read(self) -> Any:
        self._tape.add(self._key)
        return self._value

    def __iter__(self) -> Iterator[Any]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    def __bool__(self) -> bool:
        return bool(self._read())

    def __contains__(self, item: object) -> bool:
        return item in self._read()

    def __getitem__(self, index: Any) -> Any:
        return self._read()[index]

    def __eq__(self, other: object) -> bool:
        return bool(self._read() == other)

    def __hash__(self) -> int:
        return hash(self._read())

    def __str__(self) -> str:
        return str(self._read())


class MappingView(Mapping[str, Any]):
    """A mapping of the timeline that records each key looked up, and the whole when iterated."""

    __slots__ = ("_items", "_tape", "_name", "_view")

    def __init__(
        self, items: Mapping[str, Any], tape: Tape, name: str, view: Callable[[Any], RecordView] | None
    ) -> None:
        self._items = items
        self._tape = tape
        self._name = name
        self._view = view
        """Set for a mapping of records: it gives each one's view."""

    def __getitem__(self, key: str) -> Any:
        self._tape.add(f"tl:{self._name}:{key}")
        value = self._items[key]
        return self._view(value) if self._view is not None else value

    def __contains__(self, key: object) -> bool:
        self._tape.add(f"tl:{self._name}:{key}")
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        self._tape.add(f"tl:{self._name}")
        return iter(self._items)

    def __len__(self) -> int:
        self._tape.add(f"tl:{self._name}")
        return len(self._items)


class TimelineView:
    """The timeline as templates see it: every read of a part of it is recorded.

    One per build: it also keeps one view per record, shared by every page that shows the record.
    """

    __slots__ = ("_tl", "_tape", "_parts", "_views")

    def __init__(self, tl: Timeline, tape: Tape) -> None:
        self._tl = tl
        self._tape = tape
        self._parts: dict[str, Any] = {}
        self._views: dict[int, RecordView] = {}

    def view(self, record: Event | Article) -> RecordView:
        """Return the view of ``record`` (made once per build)."""
        found = self._views.get(id(record))
        if found is None:
            found = self._views[id(record)] = RecordView(record, self._tape)
        return found

    def wrap(self, value: Any) -> Any:
        """Return ``value`` with its events and articles seen through their views (see ``wrap``)."""
        return wrap(value, self._tape, self.view)

    def __getattr__(self, name: str) -> Any:
        tape = self._tape
        value = getattr(self._tl, name)
        if isinstance(value, Mapping) and not callable(value):
            # Looked up key by key: the view records each key, not the name.
            if name not in self._parts:
                records = name in ("event_by_id", "article_by_id")
                self._parts[name] = MappingView(value, tape, name, self.view if records else None)
            return self._parts[name]
        tape.add(f"tl:{name}" if not callable(value) else "tl:*")
        if name in ("events", "articles"):
            if name not in self._parts:
                self._parts[name] = self.wrap(value)
            return self._parts[name]
        return value

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # noqa: D105
        return Timeline


class RangesView(Ranges):
    """The range events that contain an event, recording the years looked in and the events named."""

    def __init__(self, ranges: Ranges, tape: Tape, view: Callable[[Any], RecordView] | None = None) -> None:  # noqa: D107
        self.by_year = ranges.by_year
        self._tape = tape
        self._view = view or (lambda record: RecordView(record, tape))

    def containing(self, event: Event) -> list[Event]:
        """Return the range events (seen through views) that contain ``event``."""
        # Read through the event's view (if it is one): its span picks the year, its id leaves it out.
        self._tape.add(f"ranges:{event.span.start.years()[0]}")
        event.id  # noqa: B018 - read for the record it leaves
        found = super().containing(unwrap(event))
        return cast(list[Event], [self._view(other) for other in found])
