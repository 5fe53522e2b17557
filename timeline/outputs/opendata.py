"""Open data: the timeline as JSON, CSV, CSL-JSON and TimelineJS JSON.

``events.json`` follows the schema ``timeline-events/1`` (shipped beside it as
``events.schema.json``): every field of every event, article, actor and place as written in the
content, dates as the EDTF-like strings of docs/format.md, plus derived fields (``url``,
``precision``, ``disputed``) that importers ignore. A change that removes or retypes a field
bumps ``version``; added fields do not.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any

from timeline.content.dates import DateSpan, EDate
from timeline.content.markdown import html_text
from timeline.content.model import Article, Entity, Event, Image, Source, Timeline
from timeline.content.urls import absolute_links, page_path, site_url
from timeline.outputs.jsontext import Encoded, encoded, json_bytes, json_text
from timeline.outputs.pieces import Piece, made
from timeline.pages.i18n import Translator

EVENTS, CSV, CSL, TIMELINEJS = "events.json", "events.csv", "sources.json", "timeline.json"
"""Kinds of pieces (see ``timeline.outputs.pieces``): the file they are part of."""
SCHEMA = "timeline-events/1"
VERSION = 1
CSV_COLUMNS = (
    "id", "title", "date", "end", "precision", "status", "disputed", "places", "actors", "tags", "summary",
    "sources", "url",
    "title_language", "titles",
)  # fmt: skip


def _date(date: EDate | None) -> str | None:
    return date.edtf() if date is not None else None


def _image(image: Image) -> dict[str, Any]:
    return {
        "src": image.src, "url": image.url, "alt": image.alt, "caption": image.caption, "credit": image.credit,
        "width": image.width, "height": image.height,
    }  # fmt: skip


def _source(source: Source) -> dict[str, Any]:
    return {
        "number": source.number, "article": source.article, "title": source.title, "publisher": source.publisher,
        "url": source.url, "published": _date(source.published), "accessed": _date(source.accessed),
        "archive_url": source.archive_url, "language": source.language, "quote": source.quote,
        "translation": source.translation,
        "translation_language": source.translation_language if source.translation else "",
    }  # fmt: skip


def _number(text: str) -> int | float | None:
    if not text:
        return None
    return int(text) if text.isdigit() else float(text)


def event_record(tl: Timeline, event: Event) -> dict[str, Any]:
    """Return every field of an event, in the order of docs/format.md."""
    start, end = event.span.start, event.span.end
    record: dict[str, Any] = {
        "id": event.id,
        "title": event.title,
        "title_language": event.title_language,
        "titles": dict(event.titles),
        "language": event.language,
        "date": _span_date(event.span),
        "end": _date(end),
        "precision": start.precision,
        "end_precision": end.precision if end else None,
        "summary": event.summary,
        "places": list(event.places),
        "actors": list(event.actors),
        "tags": list(event.tags),
        "status": event.status,
        "disputed": event.disputed,
        "sources": [_source(s) for s in event.sources],
        "related": list(event.related),
        "images": [_image(i) for i in event.images],
        "updated": _date(event.updated),
        "corrections": [{"date": c.date.edtf(), "text": c.text} for c in event.corrections],
        "claims": [
            {
                "quantity": c.quantity,
                "value": c.value,
                "number": _number(c.number),
                "qualifier": c.qualifier,
                "claimant": c.claimant,
                "date": _date(c.date),
                "source": c.source,
                "wording": c.wording,
            }  # fmt: skip
            for c in event.claims
        ],
        "url": site_url(tl.config, page_path("event", event.id)),
    }
    # Only when used, so that the records of sites without them stay as they were.
    if start.calendar != "gregorian":
        record["calendar"] = start.calendar
    if event.milestones:
        record["milestones"] = [{"label": m.label, "date": m.span.edtf()} for m in event.milestones]
    return record


def _span_date(span: DateSpan) -> str:
    """Return ``date`` as written: the start, or the whole interval when an end is open or unknown."""
    return span.start.edtf() if span.bounded else span.edtf()


def article_record(tl: Timeline, article: Article) -> dict[str, Any]:
    """Return every field of an article; ``notes`` is its Markdown body."""
    return {
        "id": article.id,
        "title": article.title,
        "title_language": article.title_language,
        "titles": dict(article.titles),
        "published": _date(article.published),
        "language": article.language,
        "publisher": article.publisher,
        "author": article.author,
        "via": article.via,
        "url": article.url,
        "summary": article.summary,
        "events": list(article.events),
        "actors": list(article.actors),
        "places": list(article.places),
        "tags": list(article.tags),
        "images": [_image(i) for i in article.images],
        "quotes": [
            {"text": q.text, "speaker": q.speaker, "translation": q.translation,
             "translation_language": q.translation_language if q.translation else ""}
            for q in article.quotes
        ],  # fmt: skip
        "related": [{"title": r.title, "url": r.url} for r in article.related],
        "notes": article.body,
        "page": site_url(tl.config, page_path("article", article.id)),
    }


def _entity(entity: Entity, *, place: bool) -> dict[str, Any]:
    record = {
        "id": entity.id, "name": entity.name, "name_language": entity.name_language, "names": dict(entity.names),
        "language": entity.language, "kind": entity.kind, "description": entity.description,
    }  # fmt: skip
    if place:
        del record["kind"]
    return record


def events_document(tl: Timeline, piece: Piece = made) -> dict[str, Any]:
    """Return the ``events.json`` document (events and articles as JSON text: see ``jsontext``)."""
    config = tl.config
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "site": {
            "title": config.title,
            "description": config.description,
            "language": config.language,
            "timezone": config.timezone,
            "url": site_url(config),
        },  # fmt: skip
        "eras": [
            {"id": e.id, "title": e.title, "date": e.span.start.edtf(), "end": _date(e.span.end)} for e in config.eras
        ],
        "events": [encoded(piece, EVENTS, f"event:{e.id}", partial(event_record, tl, e)) for e in tl.events],
        "articles": [
            encoded(piece, EVENTS, f"article:{a.id}", partial(article_record, tl, a))
            for a in sorted(tl.articles, key=lambda a: a.id)
        ],
        "actors": [_entity(a, place=False) for a in tl.actors.values()],
        "places": [_entity(p, place=True) for p in tl.places.values()],
    }


def _cell(text: str) -> str:
    # A spreadsheet runs a cell that starts with = + - @ as a formula; a quote makes it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_row(values: Iterable[str]) -> str:
    # Every cell of every row gets the formula guard: one writer, so no column can be forgotten.
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([_cell(v) for v in values])
    return buffer.getvalue()


def event_row(tl: Timeline, event: Event) -> str:
    """Return an event's row of ``events.csv``."""
    sources = [
        site_url(tl.config, page_path("article", s.article)) if s.article else (s.url or s.title) for s in event.sources
    ]
    return _csv_row(
        [
            event.id,
            event.title,
            _span_date(event.span),
            _date(event.span.end) or "",
            event.span.start.precision,
            event.status,
            str(event.disputed).lower(),
            "; ".join(event.places),
            "; ".join(event.actors),
            "; ".join(event.tags),
            html_text(tl.html.get(f"event:{event.id}:summary", "")),
            "; ".join(sources),
            site_url(tl.config, page_path("event", event.id)),
            event.title_language,
            "; ".join(f"{tag}: {text}" for tag, text in event.titles),
        ]  # fmt: skip
    )


def csv_file(rows: Iterable[str]) -> bytes:
    """Return ``events.csv`` made of the header and the rows given."""
    return "".join([_csv_row(CSV_COLUMNS), *rows]).encode("utf-8")


def events_csv(tl: Timeline, piece: Piece = made) -> bytes:
    """Return one row per event (RFC 4180: CRLF, quoted as needed); lists joined with ``; ``."""
    return csv_file([piece(CSV, f"event:{e.id}", partial(event_row, tl, e)) for e in tl.events])


def _csl_date(date: EDate) -> dict[str, Any]:
    parts = [p for p in (date.year, date.month, date.day) if p is not None]
    value: dict[str, Any] = {"date-parts": [parts]}
    if date.approximate or date.uncertain:
        value["circa"] = True
    return value


def _article_item(tl: Timeline, article: Article) -> dict[str, Any]:
    item: dict[str, Any] = {"id": article.id, "type": "article-newspaper", "title": article.title}
    if article.publisher:
        item["container-title"] = article.publisher
        item["publisher"] = article.publisher
    if article.author:
        item["author"] = [{"literal": article.author}]
    if article.published:
        item["issued"] = _csl_date(article.published)
    if article.url:
        item["URL"] = article.url
    item["language"] = article.language or tl.config.language
    if article.via:
        item["note"] = f"via {article.via}"
    return item


def source_items(event: Event) -> tuple[tuple[str, str], ...]:
    """Return (id, JSON) of the CSL-JSON item of each source of the event that is not an article."""
    items: list[tuple[str, str]] = []
    for source in event.sources:
        if source.article:
            continue
        key = "\n".join((source.title, source.url, source.publisher, _date(source.published) or ""))
        ident = "source-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
        item: dict[str, Any] = {"id": ident, "type": "article-newspaper" if source.publisher else "webpage"}
        item["title"] = source.title or source.url
        if source.publisher:
            item["container-title"] = source.publisher
        for field, date in (("issued", source.published), ("accessed", source.accessed)):
            if date is not None:
                item[field] = _csl_date(date)
        if source.url:
            item["URL"] = source.url
        if source.language:
            item["language"] = source.language
        if source.archive_url:
            item["note"] = f"Archived copy: {source.archive_url}"
        items.append((ident, json.dumps(item, ensure_ascii=False, indent=2)))
    return tuple(items)


def article_item(tl: Timeline, article: Article) -> str:
    """Return an article's CSL-JSON item as JSON text."""
    return json_text(partial(_article_item, tl, article))


def csl_items(tl: Timeline, piece: Piece = made) -> list[Encoded]:
    """Return every article and external source as CSL-JSON items, sorted by id."""
    items: dict[str, str] = {}
    for article in tl.articles:
        items[article.id] = piece(CSL, f"article:{article.id}", partial(article_item, tl, article))
    for event in tl.events:
        # Sources cited by several events share an id; the last event's item wins, as in one pass.
        items.update(piece(CSL, f"event:{event.id}", partial(source_items, event)))
    return [Encoded(items[k]) for k in sorted(items)]


def _tljs_date(date: EDate, t: Translator) -> dict[str, Any]:
    # TimelineJS reads the wall-clock time and ignores zones, so the zone goes in display_date.
    names = ("year", "month", "day", "hour", "minute", "second")
    value: dict[str, Any] = {n: getattr(date, n) for n in names if getattr(date, n) is not None}
    if value["year"] < 1:
        value["year"] -= 1  # TimelineJS shows year -500 as "500 BCE": no year 0, unlike ours
    value["display_date"] = html.escape(t.date(date))
    return value


def _tljs_event(tl: Timeline, event: Event, t: Translator) -> dict[str, Any]:
    config = tl.config
    url = html.escape(site_url(config, page_path("event", event.id)))
    link = f'<p><a href="{url}">{html.escape(t("sources"))}</a></p>'
    summary = absolute_links(tl.html.get(f"event:{event.id}:summary", ""), config)
    item: dict[str, Any] = {
        "unique_id": event.id,
        "start_date": _tljs_date(event.span.start, t),
        "display_date": html.escape(t.span(event.span)),
        "text": {"headline": html.escape(event.title), "text": summary + link},
    }
    if event.span.end:
        item["end_date"] = _tljs_date(event.span.end, t)
    if event.tags:
        item["group"] = html.escape(event.tags[0])
    # External images are never hot-linked, so only images hosted with the site become media.
    hosted = [i for i in event.images if i.src]
    if hosted:
        image = hosted[0]
        item["media"] = {"url": site_url(config, image.src), "caption": html.escape(image.caption or image.alt),
                         "credit": html.escape(image.credit), "alt": image.alt}  # fmt: skip
    return item


COSMOLOGICAL = -271_820
"""The first astronomical year a JavaScript Date cannot hold: TimelineJS needs its cosmological scale before it."""


def timelinejs(tl: Timeline, piece: Piece = made) -> dict[str, Any]:
    """Return the timeline in TimelineJS3 JSON (events as JSON text).

    TimelineJS puts headline, text, group, display dates, captions and credits into the page as
    HTML, so each is escaped here (or is our own sanitized HTML); ``alt`` and ``url`` are set as
    DOM properties, where escaping would show as ``&amp;``.
    """
    config = tl.config
    t = Translator(config.language)
    events = [encoded(piece, TIMELINEJS, f"event:{e.id}", partial(_tljs_event, tl, e, t)) for e in tl.events]
    eras = [
        {
            "start_date": _tljs_date(era.span.start, t),
            "end_date": _tljs_date(era.span.end or era.span.start, t),
            "text": {"headline": html.escape(era.title)},
        }
        for era in config.eras
    ]
    title = {"text": {"headline": html.escape(config.title), "text": html.escape(config.description)}}
    # TimelineJS's "human" scale holds JavaScript dates (back to 271,821 BCE); deep time needs "cosmological".
    spans = [e.span for e in tl.events] + [era.span for era in config.eras]
    deep = any(span.start.year < COSMOLOGICAL for span in spans)
    return {"title": title, "events": events, "eras": eras, "scale": "cosmological" if deep else "human"}


PRECISIONS = ("year", "season", "month", "day", "minute", "second")


def events_json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of ``events.json``, version 1."""
    text = {"type": "string"}
    date = {"type": ["string", "null"], "description": "a date of docs/format.md: 1994, 2020-10, 2020-09-27~, ..."}
    words = {"type": "array", "items": text}
    localized = {"type": "object", "additionalProperties": text, "description": "BCP 47 tag -> the text in it"}
    image = {"type": "object", "properties": {k: text for k in ("src", "url", "alt", "caption", "credit")}
             | {"width": {"type": ["integer", "null"]}, "height": {"type": ["integer", "null"]}}}  # fmt: skip
    source = {"type": "object", "required": ["number"], "properties": {
        "number": {"type": "integer"}, "published": date, "accessed": date,
        **{k: text for k in ("article", "title", "publisher", "url", "archive_url", "language", "quote", "translation",
                             "translation_language")}}}  # fmt: skip
    claim = {"type": "object", "required": ["quantity", "value", "claimant", "source"], "properties": {
        "quantity": text, "value": text, "number": {"type": ["number", "null"]}, "claimant": text, "date": date,
        "qualifier": {"enum": ["exact", "approximately", "more-than", "fewer-than", "at-least", "at-most"]},
        "source": {"type": "integer", "description": "1-based number of one of the event's sources"},
        "wording": {"enum": ["verbatim", "paraphrase"]}}}  # fmt: skip
    event = {"type": "object", "required": ["id", "title", "date"], "properties": {
        "id": text, "title": text, "title_language": text, "titles": localized, "language": text,
        "date": date, "end": date, "summary": {"type": "string", "description": "Markdown"},
        "precision": {"enum": list(PRECISIONS), "description": "derived"},
        "end_precision": {"enum": [*PRECISIONS, None], "description": "derived"},
        "calendar": {"enum": ["gregorian", "julian"], "description": "the calendar the dates are written in"},
        "milestones": {"type": "array", "items": {"type": "object", "required": ["label", "date"],
                       "properties": {"label": text, "date": date}}},
        "places": words, "actors": words, "tags": words, "related": words, "updated": date,
        "status": {"enum": ["happened", "scheduled", "disputed", "reported"]},
        "disputed": {"type": "boolean", "description": "derived: status or claims from several claimants"},
        "sources": {"type": "array", "items": source}, "images": {"type": "array", "items": image},
        "corrections": {"type": "array", "items": {"type": "object", "properties": {"date": date, "text": text}}},
        "claims": {"type": "array", "items": claim}, "url": {"type": "string", "description": "derived"}}}  # fmt: skip
    article = {
        "type": "object",
        "required": ["id", "title"],
        "properties": {
            "published": date,
            "events": words,
            "actors": words,
            "places": words,
            "tags": words,
            "images": {"type": "array", "items": image},
            "notes": {"type": "string", "description": "Markdown body"},
            "quotes": {
                "type": "array",
                "items": {"type": "object", "properties": {k: text for k in ("text", "speaker", "translation",
                                                                             "translation_language")}},
            },
            "related": {"type": "array", "items": {"type": "object", "properties": {"title": text, "url": text}}},
            "titles": localized,
            **{k: text for k in ("id", "title", "title_language", "language", "publisher", "author", "via", "url",
                                 "summary", "page")},
        },
    }
    entity = {"type": "object", "required": ["id", "name"],
              "properties": {k: text for k in ("id", "name", "name_language", "language", "kind", "description")}
              | {"names": localized}}  # fmt: skip
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA,
        "title": "timeline events, version 1",
        "type": "object",
        "required": ["schema", "version", "events"],
        "properties": {
            "schema": {"const": SCHEMA},
            "version": {"const": VERSION},
            "site": {"type": "object"},
            "eras": {
                "type": "array",
                "items": {"type": "object", "properties": {"id": text, "title": text, "date": date, "end": date}},
            },
            "events": {"type": "array", "items": event},
            "articles": {"type": "array", "items": article},
            "actors": {"type": "array", "items": entity},
            "places": {"type": "array", "items": entity},
        },  # fmt: skip
    }


def _json(value: Any) -> bytes:
    return json_bytes(value)


def render_open_data(tl: Timeline, piece: Piece = made) -> Iterator[tuple[str, bytes]]:
    """Yield the open-data files of the site as (output path, bytes), one at a time."""
    # One at a time: events.json alone is tens of megabytes on a large site, and the caller
    # writes each file out (and may let its pieces go) before asking for the next.
    makers: list[tuple[str, Callable[[], bytes]]] = [
        (EVENTS, lambda: _json(events_document(tl, piece))),
        ("events.schema.json", lambda: _json(events_json_schema())),
        (CSV, lambda: events_csv(tl, piece)),
        (CSL, lambda: _json(csl_items(tl, piece))),
        (TIMELINEJS, lambda: _json(timelinejs(tl, piece))),
    ]
    for path, make in makers:
        yield path, make()
