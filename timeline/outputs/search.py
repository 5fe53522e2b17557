"""The prebuilt search and filter index that the timeline page's script loads."""

from __future__ import annotations

import html
import html.parser
import json
import re
from collections.abc import Iterator
from functools import partial

from timeline.content.model import Event, Timeline
from timeline.content.urls import page_path
from timeline.outputs.pieces import Piece, made

SEARCH_FILE = "search.json"


class _Text(html.parser.HTMLParser):
    """Collect the text of an HTML fragment, with block ends as spaces."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(" ")


def strip_html(fragment: str) -> str:
    """Return the text of an HTML fragment, whitespace collapsed.

    >>> strip_html("<p>A <a href='x'>ceasefire</a> &amp; talks</p>\\n<p>Next</p>")
    'A ceasefire & talks Next'
    """
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return re.sub(r"\s+", " ", html.unescape("".join(parser.parts))).strip()


def search_record(tl: Timeline, event: Event) -> dict[str, object]:
    """Return the search record of an event."""
    return {
        "id": event.id,
        "title": event.title,
        "summary": strip_html(tl.html.get(f"event:{event.id}:summary", "")),
        "date": event.span.start.iso(),
        "end": event.span.end.iso() if event.span.end else "",
        "year": event.span.start.year,
        "actors": list(event.actors),
        "places": list(event.places),
        "tags": list(event.tags),
        "status": event.status,
        "disputed": event.disputed,
        "url": tl.config.base_path + page_path("event", event.id),
    }


def search_records(tl: Timeline) -> list[dict[str, object]]:
    """Return one record per event, in timeline order."""
    return [search_record(tl, event) for event in tl.events]


def _compact(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def search_entry(tl: Timeline, event: Event) -> str:
    """Return an event's piece of the search index: its record as compact JSON."""
    return _compact(search_record(tl, event))


def search_index(tl: Timeline, entries: list[str]) -> bytes:
    """Return the search index made of every event's entry, in timeline order."""
    # The same text as _compact({"events": [...], "language": ..., "version": 1}): keys in sorted order.
    return f'{{"events":[{",".join(entries)}],"language":{_compact(tl.config.language)},"version":1}}\n'.encode()


def render_search_index(tl: Timeline, piece: Piece = made) -> Iterator[tuple[str, bytes]]:
    """Yield the search index file as (output path, bytes): sorted keys, no whitespace, UTF-8."""
    entries = [piece(SEARCH_FILE, f"event:{e.id}", partial(search_entry, tl, e)) for e in tl.events]
    data = search_index(tl, entries)
    del entries
    yield SEARCH_FILE, data
