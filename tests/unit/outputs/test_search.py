"""The prebuilt search index: one record per event, plain text, sorted keys, byte-stable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from timeline.content.config import load_config
from timeline.content.linking import index_content
from timeline.content.model import Timeline
from timeline.content.reader import read_content
from timeline.incremental.memo import Fragments, Memo
from timeline.outputs.search import render_search_index, strip_html
from timeline.pages.reuse import record_digests

REPO = Path(__file__).resolve().parents[3]
FIELDS = {"actors", "date", "disputed", "end", "id", "places", "status", "summary", "tags", "title", "url", "year"}


def timeline_of(root: Path) -> Timeline:
    config = load_config(root)
    content, _ = read_content(config)
    tl, diags = index_content(content, config)
    assert [d for d in diags if d.severity == "error"] == []
    return tl


def test_every_event_has_one_record_in_timeline_order() -> None:
    tl = timeline_of(REPO)
    data = json.loads(dict(render_search_index(tl))["search.json"])
    assert [r["id"] for r in data["events"]] == [e.id for e in tl.events]
    for record in data["events"]:
        assert set(record) == FIELDS
        assert "<" not in record["summary"] and record["summary"]
        assert record["url"] == f"/timeline/events/{record['id']}/"
    ceasefire = next(r for r in data["events"] if r["id"] == "ceasefire-1994")
    assert (ceasefire["date"], ceasefire["year"], ceasefire["status"]) == ("1994", 1994, "happened")
    assert ceasefire["summary"].startswith("A ceasefire ends the six-year war over Nagorno-Karabakh.")
    toll = next(r for r in data["events"] if r["id"] == "putin-death-toll-statement")
    assert "vladimir-putin" in toll["actors"] and toll["disputed"] is True
    war = next(r for r in data["events"] if r["id"] == "first-nagorno-karabakh-war")
    assert (war["date"], war["end"]) == ("1988", "1994")


def test_keys_are_sorted_and_bytes_are_stable() -> None:
    first = dict(render_search_index(timeline_of(REPO)))["search.json"]
    second = dict(render_search_index(timeline_of(REPO)))["search.json"]
    assert first == second
    text = first.decode("utf-8")
    assert json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n" == text


def test_strip_html_keeps_text_and_decodes_entities() -> None:
    assert strip_html("<p>a &lt;b&gt; <em>c</em></p>\n<p>d&amp;e</p>") == "a <b> c d&e"
    assert strip_html("") == ""


def test_records_are_pieces_kept_between_builds() -> None:
    config = load_config(REPO)
    content, _ = read_content(config)
    tl, _ = index_content(content, config)
    digests = record_digests(tl, dict(content.digests), "site")
    memo: Memo[str, Any] = Memo()
    first = dict(render_search_index(tl, Fragments(memo, digests)))
    assert first == dict(render_search_index(tl)) and memo.misses == len(tl.events)
    memo.prune()
    edited = dict(digests, **{f"event:{tl.events[0].id}": "edited"})
    assert dict(render_search_index(tl, Fragments(memo, edited))) == first
    assert (memo.misses, memo.hits) == (1, len(tl.events) - 1)
