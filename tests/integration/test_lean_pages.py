"""Lean pages: JSON-LD that names related things by @id, page meta and Open Graph tags, feeds of the newest entries."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import lxml.html
import pytest

from tests.conftest import SiteFactory
from timeline.build.pipeline import build_site
from timeline.content.config import load_config
from timeline.errors import TimelineError

HOSTILE = '"><script>alert(1)</script> & \'quotes\' <b>'
LONG = "A description that goes on and on about this actor, repeated. " * 20


def ld_blocks(page: Path) -> list[str]:
    tree = lxml.html.fromstring(page.read_bytes())
    return [s.text or "" for s in tree.xpath('//script[@type="application/ld+json"]')]


def meta(page: Path) -> dict[str, str]:
    tree = lxml.html.fromstring(page.read_bytes())
    found = {m.get("property") or m.get("name"): m.get("content") for m in tree.xpath("//head/meta[@content]")}
    found["canonical"] = tree.xpath('//link[@rel="canonical"]/@href')[0]
    return found


def crowded_site(make_site: SiteFactory) -> Path:
    """Return a site whose one event has many actors, places, sources and enclosing ranges, all described at length."""
    actors = "".join(f"a{n}:\n  name: Actor {n}\n  kind: person\n  description: {LONG}\n" for n in range(12))
    places = "".join(f"p{n}:\n  name: Place {n}\n  description: {LONG}\n" for n in range(12))
    sources = "".join(
        f"  - url: https://example.org/report/{n}\n    title: A long report title number {n} {LONG[:80]}\n"
        f"    publisher: Publisher {n}\n    published: 2020-01-0{n % 9 + 1}\n"
        for n in range(12)
    )
    files = {
        "content/actors.yaml": actors,
        "content/places.yaml": places,
        "content/events/crowded.yaml": (
            f"title: {json.dumps(HOSTILE)}\ndate: 2020-06-15\nsummary: {json.dumps(LONG)}\n"
            f"actors: [{', '.join(f'a{n}' for n in range(12))}]\nplaces: [{', '.join(f'p{n}' for n in range(12))}]\n"
            f"images:\n  - src: media/photo.png\n    alt: A photo\nsources:\n{sources}"
        ),
        "content/media/photo.png": "not really a png",
    }
    for n in range(30):
        files[f"content/events/range-{n:02d}.yaml"] = (
            f"title: Range {n} with a long title about the period\ndate: {2000 + n % 10}/{2021 + n % 5}\n"
        )
    return make_site(files)


def test_an_event_page_names_related_things_by_id_in_under_3_kb(make_site: SiteFactory, tmp_path: Path) -> None:
    site = crowded_site(make_site)
    out = tmp_path / "out"
    result = build_site(site, out, cache=False)
    assert not result.failed(), [d.format() for d in result.diagnostics]
    blocks = ld_blocks(out / "events/crowded/index.html")
    assert sum(len(b.encode()) for b in blocks) <= 3 * 1024
    event = json.loads(blocks[0])
    assert event["name"] == HOSTILE and len(event["description"]) <= 300
    for key in ("about", "location", "subjectOf", "superEvent"):
        assert 1 <= len(event[key]) <= 3, key
    for related in event["about"] + event["location"] + event["superEvent"]:
        assert set(related) == {"@type", "@id", "name", "url"} and related["@id"].startswith(related["url"] + "#")
    # The actor's own page still describes it in full.
    actor = json.loads(ld_blocks(out / "actors/a0/index.html")[0])
    assert actor["description"] == LONG.strip()


def test_every_page_has_its_own_description_and_escaped_open_graph_tags(make_site: SiteFactory, tmp_path: Path) -> None:
    site = crowded_site(make_site)
    out = tmp_path / "out"
    assert not build_site(site, out, cache=False).failed()
    tags = meta(out / "events/crowded/index.html")
    # The hostile title comes back exactly as written: escaped in the attribute, never markup.
    assert tags["og:title"] == tags["twitter:title"] == HOSTILE
    assert tags["og:url"] == tags["canonical"] == "https://example.org/repo/events/crowded/"
    assert tags["og:image"] == tags["twitter:image"] == "https://example.org/repo/media/photo.png"
    assert tags["twitter:card"] == "summary_large_image" and tags["og:type"] == "article"
    assert tags["description"] == tags["og:description"] and tags["description"].startswith("A description")
    assert len(tags["description"]) <= 200
    raw = (out / "events/crowded/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in raw
    pages = sorted(out.rglob("*.html"))
    descriptions: dict[str, str] = {}
    for page in pages:
        found = meta(page)
        assert found["og:title"] and found["og:url"] == found["canonical"], page
        if page.name == "index.html" and "events" in page.parts:
            descriptions[page.parent.name] = found.get("description", "")
    # Events without a summary are named in theirs: no two event pages say the same.
    assert len(descriptions) == 31 and len(set(descriptions.values())) == 31 and all(descriptions.values())


def test_feeds_hold_the_newest_feed_entries(make_site: SiteFactory, tmp_path: Path) -> None:
    dated = {n: f"2001-{n // 28 + 1:02d}-{n % 28 + 1:02d}" for n in range(60)}
    events = {f"content/events/e{n:02d}.yaml": f"title: Event {n}\ndate: {date}\n" for n, date in dated.items()}
    default = make_site(events)
    out = tmp_path / "default"
    assert not build_site(default, out, cache=False).failed()
    assert len(feedparser.parse((out / "feed.xml").read_bytes()).entries) == 50
    assert len(json.loads((out / "events.json").read_bytes())["events"]) == 60  # the full history stays
    three = make_site({**events, "site.yaml": "title: T\nbase_url: https://example.org/\nfeed_entries: 3\n"})
    out = tmp_path / "three"
    assert not build_site(three, out, cache=False).failed()
    entries = feedparser.parse((out / "feed.xml").read_bytes()).entries
    assert [e.title for e in entries] == ["Event 59", "Event 58", "Event 57"]  # the latest dates first


@pytest.mark.parametrize("value", ["0", "lots", "1.5", "10001", "[]"])
def test_a_bad_feed_entries_is_a_located_error(make_site: SiteFactory, value: str) -> None:
    site = make_site({"site.yaml": f"title: T\nfeed_entries: {value}\n"})
    with pytest.raises(TimelineError) as info:
        load_config(site)
    messages = [d.format() for d in info.value.diagnostics]
    assert any(m.startswith("site.yaml:2:15: error: ") and "feed_entries" in m for m in messages), messages
