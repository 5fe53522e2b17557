"""The example site (the repository's own site.yaml and content/) builds and holds together."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.sitecrawl import broken_links, pages, tree_digest
from timeline.build.pipeline import build_site
from timeline.content.dates import parse_span

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "_site"
    result = build_site(REPO, out, cache=False)
    assert not result.failed(), [d.format() for d in result.diagnostics]
    assert [d for d in result.diagnostics if d.severity == "error"] == []
    return out


def test_pages_exist(example: Path) -> None:
    for rel in [
        "index.html",
        "404.html",
        "sources/index.html",
        "events/ceasefire-1994/index.html",
        "articles/okezone-2020-10-23-putin-5000/index.html",
        "actors/vladimir-putin/index.html",
        "places/nagorno-karabakh/index.html",
        "tags/casualties/index.html",
    ]:
        assert (example / rel).is_file(), rel


def test_no_broken_internal_link_or_anchor(example: Path) -> None:
    assert broken_links(example, "/timeline/") == []


def test_timeline_in_date_order_with_honest_precision(example: Path) -> None:
    index = pages(example)["index.html"]
    events = index.xpath("//main//article[contains(concat(' ', @class, ' '), ' event ')]")
    assert len(events) == len(list((REPO / "content" / "events").glob("*.yaml")))
    starts = [e.xpath(".//time/@datetime")[0] for e in events]
    keys = [parse_span(s).sort_key() for s in starts]
    assert keys == sorted(keys)
    ceasefire = index.xpath("//article[@id='event-ceasefire-1994']//time")[0]
    assert ceasefire.get("datetime") == "1994"
    assert ceasefire.text_content().strip() == "1994"
    war = index.xpath("//article[@id='event-first-nagorno-karabakh-war']//time/@datetime")
    assert war == ["1988", "1994"]


def test_every_event_shows_source_count_and_has_numbered_citations(example: Path) -> None:
    parsed = pages(example)
    index = parsed["index.html"]
    for event_dir in sorted((example / "events").iterdir()):
        page = parsed[f"events/{event_dir.name}/index.html"]
        citations = page.xpath("//ol[contains(@class,'citations')]/li[starts-with(@id,'source-')]")
        assert citations, event_dir.name
        assert [c.get("id") for c in citations] == [f"source-{n}" for n in range(1, len(citations) + 1)]
        count = index.xpath(f"//article[@id='event-{event_dir.name}']//*[contains(@class,'source-count')]")[0]
        assert count.text_content().strip().startswith(str(len(citations)))


def test_article_links_back_to_every_citing_event(example: Path) -> None:
    parsed = pages(example)
    article_href = "/timeline/articles/okezone-2020-10-23-putin-5000/"
    citing = {
        path.split("/")[1]
        for path, tree in parsed.items()
        if path.startswith("events/") and tree.xpath(f"//ol[contains(@class,'citations')]//a[@href='{article_href}']")
    }
    assert len(citing) >= 8
    article = parsed["articles/okezone-2020-10-23-putin-5000/index.html"]
    linked = {h.split("/")[-2] for h in article.xpath("//section[@id='events']//a/@href") if "/events/" in h}
    assert citing <= linked


def test_claims_are_attributed_not_merged(example: Path) -> None:
    page = pages(example)["events/putin-death-toll-statement/index.html"]
    rows = page.xpath("//section[@id='claims']//tbody/tr")
    text = " | ".join(r.text_content() for r in rows)
    assert len(rows) >= 4
    assert "Vladimir Putin" in text and "5,000" in text
    assert "874 soldiers" in text and "37 civilians" in text
    assert "Nagorno-Karabakh authorities" in text
    assert "61" in text
    for row in rows:
        assert row.xpath(".//a[starts-with(@href,'#source-')]"), row.text_content()


def test_foreign_language_content_carries_lang(example: Path) -> None:
    article = pages(example)["articles/okezone-2020-10-23-putin-5000/index.html"]
    assert article.xpath("//h1/@lang") == ["id"]
    assert article.xpath("//html/@lang") == ["en"]


def test_photo_credit_and_no_hotlink(example: Path) -> None:
    article = pages(example)["articles/okezone-2020-10-23-putin-5000/index.html"]
    assert "EPA" in article.xpath("string(//section[@id='media'])")
    assert not [s for s in article.xpath("//img/@src") if s.startswith(("http:", "https:", "//"))]


def test_scheduled_status_shown(example: Path) -> None:
    page = pages(example)["events/washington-talks-scheduled/index.html"]
    assert "scheduled" in page.xpath("string(//*[contains(@class,'event-status')])")


def test_two_builds_are_byte_identical(example: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build_site(REPO, again, cache=False)
    assert tree_digest(again) == tree_digest(example)
