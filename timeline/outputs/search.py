"""The site-wide search index, in pieces a browser loads as a query needs them, and each timeline page's filter data.

Files (all under ``search/``, JSON, sorted keys, no whitespace, UTF-8, byte-stable):

- ``search/index.json``, the manifest: the shard keys with their sizes, how many events each
  document chunk holds, the number of events. About 10 bytes per shard.
- ``search/t/<hex>.json``, a shard: the tokens that start with its key (the key's UTF-8 bytes
  in hex name the file, so no file name is ever outside ASCII), each with the events it occurs
  in (see ``encode_postings``). A shard starts as every token with the same first character
  and is split by one more character while it is over ``SHARD_BYTES``; a token shorter than
  the split stays in the shorter key.
- ``search/d/<n>.json``, a document chunk: title, date and link of ``CHUNK`` events, so that
  showing ten results reads a few kilobytes.
- ``search/page/<key>.json``: the records of the events one timeline page lists, which its
  filters use (``index`` for an overview that lists every event, else the part's key).

Pagefind makes the same kind of index from the built HTML; ``README.md`` says why this one is
made here instead.
"""

from __future__ import annotations

import base64
import html
import html.parser
import itertools
import json
import re
from collections.abc import Iterator
from functools import partial
from typing import Any

from timeline.content.model import Event, Timeline
from timeline.content.urls import page_path
from timeline.outputs.pieces import Piece, made
from timeline.outputs.tokens import tokens
from timeline.pages.i18n import Translator
from timeline.pages.plan import split_timeline

FOLDER = "search/"
MANIFEST = FOLDER + "index.json"
SHARD_BYTES = 12_000
"""A shard is split by one more character while its postings are longer than this."""
CHUNK = 16
"""Events per document chunk: ten results read at most ten chunks of a few kilobytes."""
VERSION = 2


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


def _compact(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _bytes(value: object) -> bytes:
    return (_compact(value) + "\n").encode("utf-8")


def search_record(tl: Timeline, event: Event) -> dict[str, object]:
    """Return the filter record of an event: what the filters of the page that lists it match."""
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


def search_entry(tl: Timeline, event: Event) -> str:
    """Return an event's piece of its page's filter file: its record as compact JSON."""
    return _compact(search_record(tl, event))


def page_records(tl: Timeline, entries: list[str]) -> bytes:
    """Return a page's filter file made of its events' entries, in timeline order."""
    # The same text as _compact({"events": [...], "language": ..., "version": 1}): keys in sorted order.
    return f'{{"events":[{",".join(entries)}],"language":{_compact(tl.config.language)},"version":1}}\n'.encode()


def event_words(tl: Timeline, event: Event) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """Return an event's piece of the index: its title tokens, its other tokens, its date as shown."""
    title = tuple(dict.fromkeys(tokens(event.title)))
    names = [tl.actors[a].name for a in event.actors if a in tl.actors]
    names += [tl.places[p].name for p in event.places if p in tl.places]
    text = " ".join([strip_html(tl.html.get(f"event:{event.id}:summary", "")), *names, *event.tags])
    seen = set(title)
    body = tuple(t for t in dict.fromkeys(tokens(text)) if t not in seen)
    return title, body, Translator(tl.config.language).span(event.span)


def shard_keys(postings: dict[str, list[int]], count: int = 0) -> dict[str, list[str]]:
    """Return the shards: each key with its tokens, keys split while their postings are over ``SHARD_BYTES``."""
    weight = {t: len(t.encode("utf-8")) + 4 + len(_compact(encode_postings(p, count))) for t, p in postings.items()}
    shards: dict[str, list[str]] = {}
    todo: list[tuple[str, list[str]]] = []
    first: dict[str, list[str]] = {}
    for token in sorted(postings):
        first.setdefault(token[0], []).append(token)
    todo += sorted(first.items())
    while todo:
        key, members = todo.pop()
        size = sum(weight[t] for t in members)
        longer = [t for t in members if len(t) > len(key)]
        if size <= SHARD_BYTES or not longer:
            shards[key] = members
            continue
        stay = [t for t in members if len(t) == len(key)]
        if stay:
            shards[key] = stay
        split: dict[str, list[str]] = {}
        for token in longer:
            split.setdefault(token[: len(key) + 1], []).append(token)
        todo += sorted(split.items())
    return dict(sorted(shards.items()))


def _delta(numbers: list[int]) -> list[int]:
    return [n - (numbers[i - 1] if i else 0) for i, n in enumerate(numbers)]


def encode_postings(values: list[int], count: int) -> list[int] | dict[str, object]:
    """Return a token's postings (``2 * event + in title``, ascending) as the shard holds them.

    A rare token's are delta-coded numbers; a token found in more than one event in twelve is
    ``{"b": bitmap, "t": title events delta-coded}``, the bitmap's bit ``n`` (byte ``n // 8``,
    bit ``n % 8``) set when event ``n`` has it, in base64: at most ``count / 6`` characters
    however common the word, where a list would grow with every event.
    """
    if count <= 0 or len(values) * 12 <= count:
        return _delta(values)
    bitmap = bytearray((count + 7) // 8)
    for value in values:
        bitmap[value >> 4] |= 1 << (value >> 1 & 7)
    titles = [value >> 1 for value in values if value & 1]
    return {"b": base64.b64encode(bytes(bitmap)).decode("ascii"), "t": _delta(titles)}


def decode_postings(entry: list[int] | dict[str, Any]) -> dict[int, bool]:
    """Return the events of a shard's entry, each with whether the token is in its title (as search.js reads it)."""
    if isinstance(entry, list):
        values = list(itertools.accumulate(entry))
        return {value >> 1: bool(value & 1) for value in values}
    bitmap = base64.b64decode(entry["b"])
    found = {n: False for n in range(len(bitmap) * 8) if bitmap[n >> 3] >> (n & 7) & 1}
    found.update((n, True) for n in itertools.accumulate(entry["t"]))
    return found


def shard_name(key: str) -> str:
    """Return the file of the shard ``key``: its UTF-8 bytes in hex, so every name is ASCII."""
    return f"{FOLDER}t/{key.encode('utf-8').hex()}.json"


def part_urls(tl: Timeline) -> list[str]:
    """Return, for each event in order, the link to it on the timeline page that lists it."""
    base = tl.config.base_path
    parts = split_timeline(tl.events)
    if not parts:
        return [f"{base}#event-{e.id}" for e in tl.events]
    return [f"{base}timeline/{part.key}/#event-{e.id}" for part in parts for e in part.events]


def render_search_index(tl: Timeline, piece: Piece = made) -> Iterator[tuple[str, bytes]]:
    """Yield the search files as (output path, bytes): the manifest, the shards, the chunks, the pages' filter files."""
    postings: dict[str, list[int]] = {}
    docs: list[list[str]] = []
    for number, (event, url) in enumerate(zip(tl.events, part_urls(tl), strict=True)):
        title, body, when = piece("search/t", f"event:{event.id}", partial(event_words, tl, event))
        for token in title:
            postings.setdefault(token, []).append(2 * number + 1)
        for token in body:
            postings.setdefault(token, []).append(2 * number)
        docs.append([event.title, when, url])
    shards = shard_keys(postings, len(docs))
    sizes: dict[str, int] = {}
    for key, members in shards.items():
        data = _bytes({token: encode_postings(postings[token], len(docs)) for token in members})
        sizes[key] = len(data)
        yield shard_name(key), data
    del postings
    for start in range(0, len(docs), CHUNK):
        yield f"{FOLDER}d/{start // CHUNK}.json", _bytes(docs[start : start + CHUNK])
    manifest = {"chunk": CHUNK, "count": len(docs), "language": tl.config.language, "shards": sizes}
    yield MANIFEST, _bytes({**manifest, "version": VERSION})
    del docs
    # Every record is asked for before the first page's file is yielded: the build lets a kind's
    # pieces go after each file, and would otherwise keep only the last page's.
    records = {e.id: piece("search/page", f"event:{e.id}", partial(search_entry, tl, e)) for e in tl.events}
    parts = split_timeline(tl.events)
    for key, events in [(p.key, p.events) for p in parts] or [("index", tl.events)]:
        yield f"{FOLDER}page/{key}.json", page_records(tl, [records[e.id] for e in events])
