"""The search index in pieces: deterministic shards, escaped JSON, non-Latin tokens, per-page filter data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from timeline.content.config import load_config
from timeline.content.linking import index_content
from timeline.content.model import Timeline
from timeline.content.reader import read_content
from timeline.incremental.memo import Fragments, KindMemo, Memo
from timeline.outputs.search import (
    CHUNK,
    SHARD_BYTES,
    decode_postings,
    encode_postings,
    render_search_index,
    shard_keys,
    shard_name,
    strip_html,
)
from timeline.outputs.tokens import fold, tokens
from timeline.pages.reuse import record_digests

REPO = Path(__file__).resolve().parents[3]
FIELDS = {"actors", "date", "disputed", "end", "id", "places", "status", "summary", "tags", "title", "url", "year"}


def timeline_of(root: Path) -> Timeline:
    config = load_config(root)
    content, diags = read_content(config)
    assert [d.format() for d in diags if d.severity == "error"] == []
    tl, diags = index_content(content, config)
    assert [d.format() for d in diags if d.severity == "error"] == []
    return tl


def make_timeline(root: Path, events: dict[str, tuple[str, str, str]], language: str = "en") -> Timeline:
    """Write a site of events ``{id: (date, title, summary)}`` and return its timeline."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(f"title: Test\nbase_url: /tl/\nlanguage: {language}\n", encoding="utf-8")
    folder = root / "content" / "events"
    folder.mkdir(parents=True)
    for key, (date, title, summary) in events.items():
        text = f"title: {json.dumps(title)}\ndate: {date!r}\nsummary: {json.dumps(summary)}\n"
        (folder / f"{key}.yaml").write_text(text, encoding="utf-8")
    return timeline_of(root)


def lookup(files: dict[str, bytes], word: str) -> list[tuple[int, bool]]:
    """Return (event number, in title) for the whole word ``word``, read as the search box reads it."""
    manifest = json.loads(files["search/index.json"])
    home = max((k for k in manifest["shards"] if word.startswith(k)), key=len, default="")
    if not home:
        return []
    shard = json.loads(files[shard_name(home)])
    return sorted(decode_postings(shard[word]).items()) if word in shard else []


def document(files: dict[str, bytes], number: int) -> list[str]:
    """Return the title, date and link the search box shows for event ``number``."""
    entries: list[list[str]] = json.loads(files[f"search/d/{number // CHUNK}.json"])
    return entries[number % CHUNK]


def test_the_filter_file_has_one_record_per_event_in_timeline_order() -> None:
    tl = timeline_of(REPO)
    data = json.loads(dict(render_search_index(tl))["search/page/index.json"])
    assert [r["id"] for r in data["events"]] == [e.id for e in tl.events]
    for record in data["events"]:
        assert set(record) == FIELDS
        assert "<" not in record["summary"] and record["summary"]
        assert record["url"] == f"/timeline/events/{record['id']}/"
    ceasefire = next(r for r in data["events"] if r["id"] == "ceasefire-1994")
    assert (ceasefire["date"], ceasefire["year"], ceasefire["status"]) == ("1994", 1994, "happened")
    toll = next(r for r in data["events"] if r["id"] == "putin-death-toll-statement")
    assert "vladimir-putin" in toll["actors"] and toll["disputed"] is True


def test_every_event_is_found_by_each_word_of_its_title_and_linked_on_its_page() -> None:
    tl = timeline_of(REPO)
    files = dict(render_search_index(tl))
    for number, event in enumerate(tl.events):
        for word in tokens(event.title):
            assert (number, True) in lookup(files, word), (event.id, word)
        title, _, url = document(files, number)
        assert title == event.title and url == f"/timeline/#event-{event.id}"
    # Words of the summary are found too, as not in the title.
    ceasefire = [e.id for e in tl.events].index("ceasefire-1994")
    assert (ceasefire, False) in lookup(files, "six")


def test_files_are_byte_stable_compact_sorted_json_with_ascii_names() -> None:
    first = dict(render_search_index(timeline_of(REPO)))
    second = dict(render_search_index(timeline_of(REPO)))
    assert first == second and list(first) == list(second)
    for name, data in first.items():
        assert name.isascii() and name.startswith("search/") and name.endswith(".json")
        text = data.decode("utf-8")
        assert json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n" == text


def test_a_large_site_is_split_into_shards_under_the_limit(tmp_path: Path) -> None:
    words = ["talks", "tanks", "taxes", "tariffs", "teachers", "temples", "theatre", "threats", "tides", "towns"]
    events = {
        f"e{n:04d}": (f"19{n % 90 + 10}-0{n % 9 + 1}", f"Event {n} {words[n % 10]}", f"{words[n * 7 % 10]} t{n}")
        for n in range(1200)
    }
    tl = make_timeline(tmp_path / "site", events)
    files = dict(render_search_index(tl))
    manifest = json.loads(files["search/index.json"])
    keys = list(manifest["shards"])
    assert keys == sorted(keys) and "t" not in keys and any(len(k) > 1 for k in keys)
    for key in keys:
        shard = json.loads(files[shard_name(key)])
        assert manifest["shards"][key] == len(files[shard_name(key)])
        assert len(files[shard_name(key)]) <= SHARD_BYTES + 200 or len(shard) == 1
        for token in shard:
            # Each token lies in the longest key it starts with: the one the browser opens.
            assert max((k for k in keys if token.startswith(k)), key=len) == key
    # A split site links each result to the part page that lists it.
    number = [e.id for e in tl.events].index("e0007")
    link = document(files, number)[2]
    assert link.startswith("/tl/timeline/") and link.endswith("#event-e0007")
    assert {n for n, _ in lookup(files, "t7")} == {number}
    assert sum(1 for name in files if name.startswith("search/page/")) > 1


def test_common_words_are_bitmaps_no_larger_than_a_sixth_of_the_events() -> None:
    rare = [2 * 5 + 1, 2 * 40]
    assert encode_postings(rare, 1000) == [11, 69] and decode_postings([11, 69]) == {5: True, 40: False}
    common = [2 * n + (n % 7 == 0) for n in range(0, 1000, 3)]
    encoded = encode_postings(common, 1000)
    assert isinstance(encoded, dict) and len(str(encoded["b"])) <= 1000 / 6 + 4
    assert len(json.dumps(encoded)) < len(json.dumps(encode_postings(common, 0)))  # as a plain list
    assert decode_postings(encoded) == {n: n % 7 == 0 for n in range(0, 1000, 3)}


def test_shard_keys_split_only_while_over_the_limit() -> None:
    small = {"ab": [1], "ac": [2]}
    assert shard_keys(small) == {"a": ["ab", "ac"]}
    big = {f"a{n}": list(range(0, 4000, 2)) for n in range(3)} | {"a": [1]}
    shards = shard_keys(big)
    assert shards["a"] == ["a"] and set(shards) == {"a", "a0", "a1", "a2"}


def test_non_latin_text_is_folded_into_tokens_a_query_can_match() -> None:
    assert list(tokens("Ղարաբաղ ՀԱՅԱՍՏԱՆ")) == ["ղարաբաղ", "հայաստան"]
    assert list(tokens("Прекращение ОГНЯ, Ёлка")) == ["прекращение", "огня", "елка"]
    # Harakat and the hamza over an alef go; Arabic yeh and kaf are the Persian letters; tatweel goes.
    assert list(tokens("وَقْفُ إطلاق النار")) == list(tokens("وقف اطلاق النار")) == ["وقف", "اطلاق", "النار"]
    assert fold("كتاب علي") == fold("کتاب علی") and fold("مـــدينة") == fold("مدينة")
    indonesian = ["gencatan", "senjata", "di", "stepanakert", "xankəndi"]
    assert list(tokens("Gencatan senjata di Stepanakert (Xankəndi)")) == indonesian
    assert list(tokens("ΟΔΟΣ οδος")) == ["οδοσ", "οδοσ"]
    assert list(tokens("停战协议")) == ["停", "战", "协", "议"]
    assert list(tokens("under_score 2020-10-10")) == ["under", "score", "2020", "10", "10"]


def test_arabic_armenian_and_hostile_titles_are_indexed_and_escaped(tmp_path: Path) -> None:
    hostile = '</script><script>alert("x")</script> & \u2028'
    tl = make_timeline(
        tmp_path / "site",
        {
            "arabic": ("2020-10-10", "وَقْفُ إطلاق النار في كاراباخ", "اتفاق هدنة"),
            "armenian": ("2020-11-09", "Հրադադար Ղարաբաղում", "Համաձայնագիր"),
            "hostile": ("2021", hostile, "Quotes \" and <b>tags</b>"),
        },
        language="ar",
    )
    files = dict(render_search_index(tl))
    ids = [e.id for e in tl.events]
    assert lookup(files, next(tokens("وقف"))) == [(ids.index("arabic"), True)]
    assert lookup(files, "كاراباخ".translate({0x643: 0x6A9})) == [(ids.index("arabic"), True)]
    assert lookup(files, "ղարաբաղում") == [(ids.index("armenian"), True)]
    assert lookup(files, "alert") == [(ids.index("hostile"), True)]
    title = tl.events[ids.index("hostile")].title
    assert title.startswith("</script>") and document(files, ids.index("hostile"))[0] == title  # JSON keeps it as data
    assert b"</script>" in files[f"search/d/{ids.index('hostile') // CHUNK}.json"]  # a JSON file, never put in HTML
    page: dict[str, Any] = json.loads(files["search/page/index.json"])
    assert page["language"] == "ar" and page["events"][ids.index("hostile")]["title"] == title


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
    assert first == dict(render_search_index(tl)) and memo.misses == 2 * len(tl.events)
    memo.prune()
    edited = dict(digests, **{f"event:{tl.events[0].id}": "edited"})
    assert dict(render_search_index(tl, Fragments(memo, edited))) == first
    assert (memo.misses, memo.hits) == (2, 2 * len(tl.events) - 2)


def test_a_warm_build_that_lets_pieces_go_after_each_file_makes_none_again(tmp_path: Path) -> None:
    events = {f"e{n:03d}": (f"{1950 + n % 40}-01-02", f"Event {n}", f"Words {n}") for n in range(400)}
    tl = make_timeline(tmp_path / "site", events)
    store: dict[str, dict[str, Any]] = {}
    digests = {f"event:{e.id}": f"d{e.id}" for e in tl.events}

    def build() -> dict[str, bytes]:
        memo = KindMemo(store.get, store.__setitem__, store)
        pieces = Fragments(memo, digests)
        files = {}
        for path, data in render_search_index(tl, pieces):
            pieces.release()  # as the build does after each whole-site file
            files[path] = data
        memo.prune()
        return files

    first = build()
    assert sum(1 for name in first if name.startswith("search/page/")) > 1  # split: several page files
    second = build()
    assert second == first
    assert {kind: len(entries) for kind, entries in store.items()} == {"search/t": 400, "search/page": 400}
