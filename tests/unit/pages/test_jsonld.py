"""JSON-LD on every page of the example build: it parses, and dates keep their precision."""

from __future__ import annotations

import html.parser
import json
import re
from pathlib import Path
from typing import Any

import pytest

from timeline.build.pipeline import build_site, run_pipeline
from timeline.content.config import load_config
from timeline.content.model import Timeline

REPO = Path(__file__).resolve().parents[3]
PRECISION = {
    "year": r"-?\d{4}",
    "month": r"-?\d{4}-\d\d",
    "day": r"-?\d{4}-\d\d-\d\d",
    "minute": r"\d{4}-\d\d-\d\dT\d\d:\d\d(Z|[+-]\d\d:\d\d)?",
    "second": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)?",
}


class _Scripts(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inside = tag == "script" and ("type", "application/ld+json") in attrs
        if self._inside:
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.blocks[-1] += data


def _blocks(page: Path) -> list[dict[str, Any]]:
    parser = _Scripts()
    parser.feed(page.read_text(encoding="utf-8"))
    return [json.loads(block) for block in parser.blocks]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Timeline, Path]:
    """Build the example site once; return its timeline and output folder."""
    out = tmp_path_factory.mktemp("example") / "out"
    result = build_site(REPO, out, cache=False)
    assert not result.failed(), [d.format() for d in result.diagnostics]
    assert result.timeline is not None
    return result.timeline, out


def _of_type(blocks: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    (found,) = [b for b in blocks if b["@type"] == kind]
    return found


def test_every_page_has_parsing_json_ld_and_breadcrumbs(example: tuple[Timeline, Path]) -> None:
    _, out = example
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        blocks = _blocks(page)
        assert all(b["@context"] == "https://schema.org" for b in blocks), page
        crumbs = _of_type(blocks, "BreadcrumbList")["itemListElement"]
        assert [c["position"] for c in crumbs] == list(range(1, len(crumbs) + 1)), page
        assert crumbs[0]["item"] == "https://example.github.io/timeline/"


def test_event_dates_have_the_precision_of_the_event(example: tuple[Timeline, Path]) -> None:
    tl, out = example
    for event in tl.events:
        data = _of_type(_blocks(out / "events" / event.id / "index.html"), "Event")
        assert data["name"] == event.title
        assert data["startDate"] == event.span.start.iso()
        assert re.fullmatch(PRECISION[event.span.start.precision], data["startDate"]), data["startDate"]
        if event.span.end:
            assert re.fullmatch(PRECISION[event.span.end.precision], data["endDate"])
        else:
            assert "endDate" not in data
        assert data["url"] == f"https://example.github.io/timeline/events/{event.id}/"


def test_event_location_actors_super_event_and_status(example: tuple[Timeline, Path]) -> None:
    _, out = example
    war = _of_type(_blocks(out / "events/first-nagorno-karabakh-war/index.html"), "Event")
    assert (war["startDate"], war["endDate"]) == ("1988", "1994")
    assert war["location"][0]["@type"] == "Place" and war["location"][0]["name"] == "Nagorno-Karabakh"
    ceasefire = _of_type(_blocks(out / "events/ceasefire-1994/index.html"), "Event")
    assert "https://example.github.io/timeline/events/first-nagorno-karabakh-war/#event" in [
        s.get("@id") for s in ceasefire["superEvent"]
    ]
    fighting = _of_type(_blocks(out / "events/fighting-erupts-2020/index.html"), "Event")
    assert any(s["name"].startswith("2020 war") for s in fighting["superEvent"])
    assert {a["name"] for a in fighting["about"]} == {"Armenia", "Azerbaijan"}
    assert {a["@type"] for a in fighting["about"]} == {"Country"}
    talks = _of_type(_blocks(out / "events/washington-talks-scheduled/index.html"), "Event")
    assert talks["eventStatus"] == "https://schema.org/EventScheduled"
    assert "eventStatus" not in fighting


def test_news_article(example: tuple[Timeline, Path]) -> None:
    _, out = example
    blocks = _blocks(out / "articles/okezone-2020-10-23-putin-5000/index.html")
    article = _of_type(blocks, "NewsArticle")
    assert article["datePublished"] == "2020-10-23T18:01+07:00"
    assert article["publisher"] == {"@type": "Organization", "name": "Okezone"}
    assert article["inLanguage"] == "id"
    assert article["isBasedOn"]["publisher"]["name"] == "BBC Indonesia"
    assert article["author"]["name"] == "dka"
    assert len(article["citation"]) == 2
    assert len(article["about"]) == 10
    crumbs = _of_type(blocks, "BreadcrumbList")["itemListElement"]
    assert [c["name"] for c in crumbs][1:] == ["Articles", article["headline"]]


def test_home_page_is_a_website(example: tuple[Timeline, Path]) -> None:
    tl, out = example
    site = _of_type(_blocks(out / "index.html"), "WebSite")
    assert site["name"] == tl.config.title and site["url"] == "https://example.github.io/timeline/"


def test_script_end_tag_in_content_cannot_break_out(make_site, tmp_path: Path) -> None:
    title = "</script><script>alert(1)</script>"
    root = make_site({"content/events/x.yaml": f"title: '{title}'\ndate: 2020-09-27\n"})
    result = run_pipeline(load_config(root))
    assert result.site is not None
    page = tmp_path / "x.html"  # rendered on its own: other pages' template problems do not matter here
    page.write_bytes(result.site.pages["events/x/index.html"])
    assert _of_type(_blocks(page), "Event")["name"] == title
    assert "<script>alert(1)" not in page.read_text(encoding="utf-8")
