"""Every export escapes every field for its consumer: a hostile value in each field, read back by
the parser that consumer uses (a spreadsheet's CSV, TimelineJS's HTML, XML, iCalendar, JSON)."""

from __future__ import annotations

import csv
import dataclasses
import html
import html.parser
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import SiteFactory
from timeline.build.pipeline import run_pipeline
from timeline.commands.cli import main
from timeline.content.config import load_config

# One value carrying every attack: a right-to-left override, a script end tag, an attribute
# break-out, a spreadsheet formula and a line break that would start a new line or property.
EVIL = '=HYPERLINK("http://x") \u202e </script> "><svg onload=alert(1)> +cmd|\' /C calc\'!A0 \r\nX-INJ:1'
READ = EVIL.replace("\u202e", "")
"""``EVIL`` as it is read: bidi controls are removed from content and settings (docs/format.md)."""
LINK = '=HYPERLINK("http://evil.example") '
FORMULAS = ("=", "+", "-", "@", "\t", "\r")


def q(text: str) -> str:
    """Return ``text`` as a YAML double-quoted scalar."""
    return json.dumps(text)


def hostile_files() -> dict[str, str]:
    """Return a site with ``EVIL`` (or a formula) in every free-text field."""
    return {
        "site.yaml": f"title: {q(EVIL)}\ndescription: {q(EVIL)}\nauthor: {q('@SUM(A1) ' + EVIL)}\n"
        f"base_url: https://example.org/repo/\n"
        f"eras:\n  - id: era\n    title: {q(EVIL)}\n    date: 2019/2021\n",
        "content/actors.yaml": f"a1:\n  name: {q(EVIL)}\n  kind: person\n  description: {q(EVIL)}\n",
        "content/places.yaml": f"p1:\n  name: {q('@SUM(A1) ' + EVIL)}\n  description: {q(EVIL)}\n",
        "content/images/pic.png": "not really a png",
        "content/events/e1.yaml": f"""\
title: {q(EVIL)}
date: 2020-09-27T18:01+07:00
summary: {q(EVIL + " [next](event:e2)")}
places: [p1]
actors: [a1]
tags: [{q('=1+1 ' + EVIL)}, {q('-2 ' + EVIL)}]
sources:
  - title: {q('=HYPERLINK("http://evil.example") ' + EVIL)}
    publisher: {q(EVIL)}
    url: {q('https://example.org/?q="><svg onload=alert(1)>')}
    quote: {q(EVIL)}
  - title: {q('@SUM(A1)')}
  - article: art
images:
  - src: images/pic.png
    alt: {q(EVIL)}
    caption: {q(EVIL)}
    credit: {q(EVIL)}
""",
        "content/events/e2.yaml": f"title: {q('+cmd')}\ndate: 2020-10-01\nsummary: x\n"
        f"tags: [{q(EVIL)}]\nsources:\n  - title: {q(LINK + EVIL)}\n",
        "content/articles/art.md": f"---\ntitle: {q(EVIL)}\npublished: 2020-10-23T18:01+07:00\n"
        f"publisher: {q(EVIL)}\nauthor: {q(EVIL)}\nvia: {q(EVIL)}\nurl: https://example.org/a\n"
        f"summary: {q(EVIL)}\nevents: [e1]\n---\n{EVIL}\n",
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the hostile site once; return its output folder."""
    root = tmp_path_factory.mktemp("exports")
    for rel, text in hostile_files().items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["build", str(root), "-q"], out, err) == 0, err.getvalue()
    return root / "_site"


class _Tags(html.parser.HTMLParser):
    """Collect the tags and attribute names an HTML fragment makes."""

    def __init__(self) -> None:
        super().__init__()
        self.made: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.made += [tag, *(name for name, _ in attrs)]


def tags_in(fragment: str) -> list[str]:
    """Return the tags and attributes a browser would make of ``fragment``."""
    parser = _Tags()
    parser.feed(fragment)
    parser.close()
    return parser.made


def test_timelinejs_every_html_field_is_escaped(built: Path) -> None:
    doc = json.loads((built / "timeline.json").read_text(encoding="utf-8"))
    event = next(e for e in doc["events"] if e["unique_id"] == "e1")
    # Fields TimelineJS writes with innerHTML: no tag may come of them, and they read back as written.
    plain = {
        "title headline": doc["title"]["text"]["headline"],
        "title text": doc["title"]["text"]["text"],
        "headline": event["text"]["headline"],
        "caption": event["media"]["caption"],
        "credit": event["media"]["credit"],
        "era headline": doc["eras"][0]["text"]["headline"],
    }
    for name, value in plain.items():
        assert tags_in(value) == [], name
        assert html.unescape(value) == READ, name
    assert tags_in(event["group"]) == [] and html.unescape(event["group"]) == "=1+1 " + READ
    other = next(e for e in doc["events"] if e["unique_id"] == "e2")
    assert tags_in(other["group"]) == []
    dates = (event["display_date"], event["start_date"]["display_date"], doc["eras"][0]["start_date"]["display_date"])
    assert all(tags_in(value) == [] for value in dates)
    # Our own sanitized HTML: only the tags our Markdown makes, never a script or an svg.
    assert set(tags_in(event["text"]["text"])) <= {"p", "a", "href"}
    # TimelineJS sets alt as a DOM property (img.alt = ...), where an entity would show as typed.
    assert event["media"]["alt"] == READ
    del event["media"]["alt"]
    assert "svg" not in tags_in(json.dumps(doc)) and "<script" not in json.dumps(doc).lower()


def test_csv_no_cell_of_any_column_starts_a_formula(built: Path) -> None:
    rows = list(csv.reader(io.StringIO((built / "events.csv").read_text(encoding="utf-8"), newline="")))
    assert rows[0][0] == "id" and len(rows) == 3
    cells = [cell for row in rows for cell in row]
    assert all(not cell.startswith(FORMULAS) for cell in cells), [c for c in cells if c.startswith(FORMULAS)]
    by_column = dict(zip(rows[0], zip(*rows[1:], strict=True), strict=True))
    # The guard is a quote in front, the value kept whole behind it.
    assert by_column["sources"][1] == "'" + LINK + READ.replace("\r\n", "\n")
    assert by_column["title"][1] == "'+cmd"
    assert by_column["tags"][0].startswith("'=1+1")


def test_atom_feeds_and_sitemap_parse_and_keep_the_text(built: Path) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for name in ("feed.xml", "articles.xml"):
        feed = ET.fromstring((built / name).read_bytes())
        titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
        # XML turns the CR/LF into a LF; the rest comes back as written.
        assert READ.replace("\r\n", "\n") in titles
        for summary in feed.iterfind("a:entry/a:summary", ns):
            assert "script" not in tags_in(summary.text or "") and "svg" not in tags_in(summary.text or "")
    ET.fromstring((built / "sitemap.xml").read_bytes())


PROPERTY = re.compile(r"^[A-Z][A-Z0-9-]*[;:]")
ICS_NAMES = {
    "BEGIN", "END", "VERSION", "PRODID", "CALSCALE", "METHOD", "NAME", "X-WR-CALNAME", "UID", "DTSTAMP",
    "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "LOCATION", "CATEGORIES", "URL", "STATUS", "TZID",
    "TZOFFSETFROM", "TZOFFSETTO", "TZNAME", "RRULE",
}  # fmt: skip


def ics_properties(data: bytes) -> list[str]:
    """Return the unfolded content lines of an iCalendar file."""
    text = data.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")  # every line break is a CRLF
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_icalendar_text_cannot_start_a_property(built: Path) -> None:
    for path in [built / "events.ics", *built.glob("*/*/events.ics")]:
        lines = ics_properties(path.read_bytes())
        names = {PROPERTY.match(line)[0][:-1] for line in lines if PROPERTY.match(line)}  # type: ignore[index]
        assert len(names) > 3 and names <= ICS_NAMES, path
        assert all(PROPERTY.match(line) for line in lines), path
    summary = next(line for line in ics_properties((built / "events.ics").read_bytes()) if line.startswith("SUMMARY:"))
    assert summary.startswith("SUMMARY:=HYPERLINK(\"http://x\")  </script>") and summary.endswith("\\nX-INJ:1")


def test_json_exports_read_back_as_written(built: Path) -> None:
    events = json.loads((built / "events.json").read_text(encoding="utf-8"))
    e1 = next(e for e in events["events"] if e["id"] == "e1")
    assert e1["title"] == READ and e1["images"][0]["caption"] == READ
    assert "\u202e" not in json.dumps(events["events"] + events["articles"], ensure_ascii=False)
    sources = json.loads((built / "sources.json").read_text(encoding="utf-8"))
    assert {item["title"] for item in sources} >= {READ, '=HYPERLINK("http://evil.example") ' + READ}
    for path in sorted((built / "search").rglob("*.json")):
        json.loads(path.read_text(encoding="utf-8"))
    chunk = json.loads((built / "search/d/0.json").read_text(encoding="utf-8"))
    assert READ in {title for title, _, _ in chunk}


class _Scripts(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[tuple[str, str]] = []
        self._type: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._type = dict(attrs).get("type") or ""
            self.blocks.append((self._type, ""))

    def handle_data(self, data: str) -> None:
        if self._type is not None:
            kind, text = self.blocks[-1]
            self.blocks[-1] = (kind, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._type = None


def test_json_ld_in_pages_stays_inside_its_script(built: Path) -> None:
    pages = [built / "index.html", built / "events" / "e1" / "index.html", built / "articles" / "art" / "index.html"]
    for page in pages:
        parser = _Scripts()
        parser.feed(page.read_text(encoding="utf-8"))
        blocks = [text for kind, text in parser.blocks if kind == "application/ld+json"]
        assert blocks, page
        for text in blocks:
            json.loads(text)  # the whole object, so nothing broke out before its end
        assert all(kind in ("application/ld+json", "") for kind, _ in parser.blocks)


HOSTILE_BASES = [
    'https://example.org/x"><script>alert(1)</script>/\r\nDisallow: /\r\n',
    # The markup in the host: the base path stays /repo/, so links are rewritten with this URL.
    'https://example.org"><img src=x onerror=alert(1)>/repo/',
]


@pytest.mark.parametrize("base_url", HOSTILE_BASES)
def test_hostile_base_url_is_escaped_by_every_export(make_site: SiteFactory, base_url: str) -> None:
    # config.py refuses such a base_url; each export must stay safe even if one gets through.
    root = make_site(hostile_files())
    config = dataclasses.replace(load_config(root), base_url=base_url)
    result = run_pipeline(config)
    assert result.site is not None, [d.format() for d in result.diagnostics]
    pages = result.site.pages
    robots = pages["robots.txt"].decode("utf-8").splitlines()
    assert [line.split(":")[0] for line in robots] == ["User-agent", "Allow", "Sitemap"]
    assert "<" not in robots[2] and '"' not in robots[2]
    for name in ("events.ics", "places/p1/events.ics"):
        names = {line.split(":")[0].split(";")[0] for line in ics_properties(pages[name])}
        assert names <= ICS_NAMES
    for name in ("feed.xml", "articles.xml", "sitemap.xml"):
        for element in ET.fromstring(pages[name]).iter():
            assert not element.tag.endswith("script"), name
            if element.tag.endswith("summary"):  # HTML a feed reader shows
                assert set(tags_in(element.text or "")) <= {"p", "a", "href"}, element.text
    doc = json.loads(pages["timeline.json"])
    assert all(set(tags_in(e["text"]["text"])) == {"p", "a", "href"} for e in doc["events"])
    page = pages["events/e1/index.html"].decode("utf-8")
    assert "<script>alert(1)" not in page and "<img src=x" not in page
