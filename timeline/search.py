"""The prebuilt search and filter index that the timeline page's script loads."""

from __future__ import annotations

import html
import html.parser
import json
import re

from timeline.index import page_path
from timeline.memo import Fragments
from timeline.model import Timeline

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


def search_records(tl: Timeline) -> list[dict[str, object]]:
    """Return one record per event, in timeline order."""
    base = tl.config.base_path
    records: list[dict[str, object]] = []
    for event in tl.events:
        summary = strip_html(tl.html.get(f"event:{event.id}:summary", ""))
        records.append(
            {
                "id": event.id,
                "title": event.title,
                "summary": summary,
                "date": event.span.start.iso(),
                "end": event.span.end.iso() if event.span.end else "",
                "year": event.span.start.year,
                "actors": list(event.actors),
                "places": list(event.places),
                "tags": list(event.tags),
                "status": event.status,
                "disputed": event.disputed,
                "url": base + page_path("event", event.id),
            }
        )
    return records


def render_search_index(tl: Timeline, pieces: Fragments | None = None) -> dict[str, bytes]:
    """Return the search index file, by output path: sorted keys, no whitespace, UTF-8."""
    data = {"events": search_records(tl), "language": tl.config.language, "version": 1}
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return {SEARCH_FILE: (text + "\n").encode("utf-8")}
