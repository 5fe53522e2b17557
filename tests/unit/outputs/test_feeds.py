"""Atom, iCalendar, sitemap and robots.txt, read back by real parsers."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path
from typing import Any

import feedparser
import icalendar
import pytest
from lxml import etree

from tests.conftest import copy_example as _site_copy
from tests.unit.outputs.indexing import index_site
from timeline.build.pipeline import build_site
from timeline.content.config import load_config
from timeline.content.linking import index_content
from timeline.content.model import Timeline
from timeline.content.reader import read_content
from timeline.errors import has_errors
from timeline.incremental.memo import Fragments, Memo
from timeline.incremental.store import decode, encode
from timeline.outputs import ics
from timeline.outputs.feeds import render_feeds
from timeline.pages.reuse import record_digests

REPO = Path(__file__).resolve().parents[3]
XSD = REPO / "tests" / "fixtures" / "sitemap-0.9.xsd"


def _day_events(tl: Timeline, ids: tuple[str, ...] | None = None) -> set[str]:
    events = tl.events if ids is None else [tl.event_by_id[i] for i in ids]
    return {e.id for e in events if e.span.start.precision not in ("year", "month")}


def test_atom_feeds_parse_without_bozo(example: tuple[Timeline, Path]) -> None:
    tl, out = example
    events = feedparser.parse((out / "feed.xml").read_bytes())
    articles = feedparser.parse((out / "articles.xml").read_bytes())
    assert not events.bozo, events.get("bozo_exception")
    assert not articles.bozo, articles.get("bozo_exception")
    assert {e.title for e in events.entries} == {e.title for e in tl.events}
    assert [e.link for e in articles.entries] == [
        f"https://example.github.io/timeline/articles/{a.id}/" for a in tl.articles
    ]
    # The latest date in the content is the article's publication, 18:01 WIB = 11:01 UTC.
    assert events.feed.updated == "2020-10-23T11:01:00Z"
    assert articles.entries[0].published == "2020-10-23T11:01:00Z"
    assert articles.entries[0].author == "dka"


def test_feeds_ignore_clock_and_source_date_epoch_when_content_has_dates(
    example: tuple[Timeline, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    tl, _ = example
    first = dict(render_feeds(tl))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert dict(render_feeds(tl)) == first


def test_source_date_epoch_stands_in_when_content_has_no_date(make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site({})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    epoch = feedparser.parse(dict(render_feeds(index_site(root)))["feed.xml"])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    later = feedparser.parse(dict(render_feeds(index_site(root)))["feed.xml"])
    assert not epoch.bozo and not later.bozo
    assert epoch.feed.updated == "1970-01-01T00:00:00Z"
    assert later.feed.updated == "2023-11-14T22:13:20Z"


def test_ics_matches_the_sites_dated_events(example: tuple[Timeline, Path]) -> None:
    tl, out = example
    data = (out / "events.ics").read_bytes()
    calendar = icalendar.Calendar.from_ical(data)
    vevents = list(calendar.walk("VEVENT"))
    uids = {str(v["UID"]).split("@")[0] for v in vevents}
    assert uids == _day_events(tl)
    assert "first-nagorno-karabakh-war" not in uids  # a year range: left out, not pinned to 1 January
    for vevent in vevents:
        event = tl.event_by_id[str(vevent["UID"]).split("@")[0]]
        start = event.span.start
        assert vevent.decoded("DTSTART") == dt.date(start.year, start.month or 1, start.day or 1)
        assert vevent.decoded("DTEND") - vevent.decoded("DTSTART") == dt.timedelta(days=1)
        assert str(vevent["SUMMARY"]) == event.title
    talks = next(v for v in vevents if str(v["UID"]).startswith("washington-talks-scheduled@"))
    assert str(talks["LOCATION"]) == "Washington, D.C."
    assert str(talks["STATUS"]) == "TENTATIVE"


def test_ics_per_actor_and_place(example: tuple[Timeline, Path]) -> None:
    tl, out = example
    for kind, table in (("actor", tl.actors), ("place", tl.places)):
        for key in table:
            path = out / f"{kind}s" / key / "events.ics"
            calendar = icalendar.Calendar.from_ical(path.read_bytes())
            uids = {str(v["UID"]).split("@")[0] for v in calendar.walk("VEVENT")}
            assert uids == _day_events(tl, tl.events_of.get(f"{kind}:{key}", ())), path


def test_ics_lines_are_crlf_and_folded_at_75_octets(example: tuple[Timeline, Path]) -> None:
    _, out = example
    data = (out / "events.ics").read_bytes()
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 75


def test_ics_times_zones_escaping_and_multibyte_folding(make_site) -> None:
    title = "Переговоры; «мир», " + "é" * 60 + " \\ end"
    root = make_site(
        {
            "content/events/a.yaml": f"title: '{title}'\ndate: 2020-07-04T10:30 America/New_York\n",
            "content/events/b.yaml": "title: Offset\ndate: 2020-10-23T18:01+07:00\nend: 2020-10-23T20:00+07:00\n",
            "content/events/c.yaml": "title: Ancient\ndate: -0500-03-01\n",
            "content/events/d.yaml": "title: Range\ndate: 2020-09-27\nend: 2020-11\n",
        }
    )
    data = dict(render_feeds(index_site(root)))["events.ics"]
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    calendar = icalendar.Calendar.from_ical(data)
    events = {str(v["UID"]).split("@")[0]: v for v in calendar.walk("VEVENT")}
    assert set(events) == {"a", "b", "d"}  # a BCE date has no place in the Gregorian iCalendar
    assert str(events["a"]["SUMMARY"]) == title
    new_york = zoneinfo.ZoneInfo("America/New_York")
    assert events["a"].decoded("DTSTART") == dt.datetime(2020, 7, 4, 10, 30, tzinfo=new_york)
    assert events["a"].decoded("DTSTART").utcoffset() == dt.timedelta(hours=-4)
    assert b"BEGIN:VTIMEZONE\r\nTZID:America/New_York" in data and b"BEGIN:DAYLIGHT" in data
    assert events["b"].decoded("DTSTART") == dt.datetime(2020, 10, 23, 11, 1, tzinfo=dt.UTC)
    assert events["b"].decoded("DTEND") == dt.datetime(2020, 10, 23, 13, 0, tzinfo=dt.UTC)
    assert events["d"].decoded("DTEND") == dt.date(2020, 12, 1)  # the day after the month the range ends in


def test_ics_text_escaping() -> None:
    """Contributor text is cleaned of control characters and escaped for a TEXT value."""
    text, _ = ics.vevent([("SUMMARY", ics.clean("a,b;c\\d\ne\r\nf\x00\x1f"))])
    assert "SUMMARY:a\\,b\\;c\\\\d\\ne\\nf\r\n" in text


def test_sitemap_validates_against_the_xsd(example: tuple[Timeline, Path]) -> None:
    _, out = example
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    document = etree.parse(str(out / "sitemap.xml"))
    schema.assertValid(document)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = document.xpath("//s:loc/text()", namespaces=ns)
    pages = sorted(p.parent for p in out.rglob("index.html"))
    assert len(locs) == len(pages) == len(set(locs))
    assert "https://example.github.io/timeline/" in locs
    assert not any("404" in loc for loc in locs)
    lastmods = document.xpath("//s:lastmod/text()", namespaces=ns)
    assert lastmods and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", m) for m in lastmods)


def test_invalid_sitemap_is_rejected_by_the_xsd() -> None:
    # The schema must be able to fail, or the validation above proves nothing.
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    bad = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><lastmod>x</lastmod></url></urlset>'
    assert not schema.validate(etree.fromstring(bad))


def test_robots_points_to_the_sitemap(example: tuple[Timeline, Path]) -> None:
    _, out = example
    text = (out / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://example.github.io/timeline/sitemap.xml" in text.splitlines()


def test_relative_base_url_gets_no_sitemap(make_site) -> None:
    root = make_site({"site.yaml": "title: Local\nbase_url: /\n"})
    files = dict(render_feeds(index_site(root)))
    assert "sitemap.xml" not in files
    assert b"Sitemap:" not in files["robots.txt"]
    assert not feedparser.parse(files["feed.xml"]).bozo


def test_feeds_are_deterministic(example: tuple[Timeline, Path], tmp_path: Path) -> None:
    _, out = example
    again = tmp_path / "again"
    assert not build_site(REPO, again, cache=False).failed()
    for name in ("feed.xml", "articles.xml", "events.ics", "sitemap.xml", "robots.txt", "actors/russia/events.ics"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name


def _with_digests(root: Path) -> tuple[Timeline, dict[str, str]]:
    """Return the site's timeline and its record digests, as a build computes them."""
    config = load_config(root)
    content, diags = read_content(config)
    tl, more = index_content(content, config)
    assert not has_errors(diags + more), [d.format() for d in diags + more]
    return tl, record_digests(tl, dict(content.digests), "site")


def test_pieces_are_kept_between_builds_and_change_no_byte(tmp_path: Path) -> None:
    tl, digests = _with_digests(_site_copy(tmp_path))
    memo: Memo[str, Any] = Memo()
    first = dict(render_feeds(tl, Fragments(memo, digests)))
    assert first == dict(render_feeds(tl))
    assert memo.misses > len(tl.events)  # an Atom entry, a sitemap date and a VEVENT per event
    memo.prune()
    # The session is saved in the build cache, which unpickles only timeline's own types.
    stored = decode(encode(memo.entries))
    assert isinstance(stored, dict)
    again: Memo[str, Any] = Memo(stored)
    assert dict(render_feeds(tl, Fragments(again, digests))) == first
    assert (again.misses, again.hits) == (0, len(memo.entries))


def test_an_edited_event_makes_only_its_own_pieces_again(tmp_path: Path) -> None:
    root = _site_copy(tmp_path)
    tl, digests = _with_digests(root)
    memo: Memo[str, Any] = Memo()
    dict(render_feeds(tl, Fragments(memo, digests)))
    memo.prune()
    path = root / "content" / "events" / "washington-talks-scheduled.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("talks expected", "talks now expected"), encoding="utf-8")
    edited, after = _with_digests(root)
    before = set(memo.entries)
    assert dict(render_feeds(edited, Fragments(memo, after))) == dict(render_feeds(edited))
    changed = {key for key in after if after[key] != digests.get(key)}
    made = {key.split("\0")[1] for key in set(memo.entries) - before}
    assert "event:washington-talks-scheduled" in made and made <= changed
    assert memo.misses == len(set(memo.entries) - before)


def test_entries_in_another_language_say_so(make_site) -> None:
    source = "sources:\n  - title: R\n    url: https://example.org/r\n"
    root = make_site(
        {
            "content/events/armenian.yaml": f"title: {{hy: Հրադադար, en: Ceasefire}}\ndate: 2020-11-10\n{source}",
            "content/events/persian.yaml": f"title: آتش‌بس\nlanguage: fa\nsummary: متن\ndate: 2020-11-11\n{source}",
            "content/events/plain.yaml": f"title: Talks\ndate: 2020-11-12\n{source}",
        }
    )
    feed = dict(render_feeds(index_site(root)))["feed.xml"].decode("utf-8")
    tree = etree.fromstring(feed.encode("utf-8"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    titles = {t.text: t.get(lang) for t in tree.findall("a:entry/a:title", ns)}
    # The site's language (en) picks "Ceasefire" for display; a Persian title and summary are marked.
    assert titles == {"Ceasefire": None, "آتش‌بس": "fa", "Talks": None}
    summaries = [s.get(lang) for s in tree.findall("a:entry/a:summary", ns)]
    assert sorted(map(str, summaries)) == ["None", "None", "fa"]
    assert not feedparser.parse(feed).bozo
