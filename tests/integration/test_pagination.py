"""Paginated lists on a built site: addresses, titles, pickers, links, and reuse across builds."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from tests.conftest import SiteFactory
from tests.integration.sitecrawl import broken_links, pages, tree_digest
from tests.integration.test_html_valid import vnu_errors
from timeline.build.pipeline import build_site
from timeline.build.session import BuildSession

EVENTS = 11
ARTICLES = 5
SIZE = 4


def site_files(events: int = EVENTS, articles: int = ARTICLES, size: int = SIZE) -> dict[str, str]:
    """Return a site whose every list is longer than a page: one actor, one place, one tag in everything."""
    files = {"site.yaml": f"title: Test timeline\nbase_url: https://example.org/repo/\npage_size: {size}\n"}
    for n in range(events):
        cited = f"  - article: a{n % articles}\n" if n < articles else ""
        files[f"content/events/e{n:02d}.yaml"] = (
            f"title: Événement {n} – حدث\ndate: {1990 + n}-03-01\nactors: [putin]\nplaces: [karabakh]\ntags: [war]\n"
            f"sources:\n{cited}  - title: Report {n}\n    url: https://example.org/r{n}\n"
        )
    for n in range(articles):
        files[f"content/articles/a{n}.md"] = (
            f"---\ntitle: Article {n}\npublished: 2020-01-{n + 1:02d}\nactors: [putin]\ntags: [war]\n---\nText {n}.\n"
        )
    return files


@pytest.fixture(scope="module")
def paged_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the site of ``site_files`` once for the module, and return its output folder."""
    root = tmp_path_factory.mktemp("paged")
    site = root / "site"
    for rel, text in site_files().items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    (site / "content/actors.yaml").write_text("putin:\n  name: Vladimir Putin\n  kind: person\n", encoding="utf-8")
    (site / "content/places.yaml").write_text("karabakh:\n  name: Nagorno-Karabakh\n", encoding="utf-8")
    out = root / "out"
    result = build_site(site, out, cache=False)
    assert not result.failed(), [d.format() for d in result.diagnostics]
    assert broken_links(out, "/repo/") == []
    return out


@pytest.fixture(scope="module")
def built(paged_out: Path) -> dict[str, lxml.html.HtmlElement]:
    out = paged_out
    parsed = pages(out)
    parsed["@sitemap"] = lxml.html.fromstring((out / "sitemap.xml").read_bytes())
    return parsed


def series_of(built: dict[str, lxml.html.HtmlElement], first: str, later: str, count: int) -> list[str]:
    paths = [first] + [later.format(n) for n in range(2, count + 1)]
    assert all(p + "index.html" in built for p in paths), sorted(built)
    assert later.format(count + 1) + "index.html" not in built
    return paths


@pytest.mark.parametrize(
    ("first", "later", "count", "items"),
    [
        # An actor: 11 events then 5 articles, four to a page.
        (
            "actors/putin/",
            "actors/putin/{}/",
            4,
            "//article[contains(@class,'event')]/@id | //li/article[@class='article-item']//a/@href",
        ),
        (
            "tags/war/",
            "tags/war/{}/",
            4,
            "//article[contains(@class,'event')]/@id | //li/article[@class='article-item']//a/@href",
        ),
        ("places/karabakh/", "places/karabakh/{}/", 3, "//article[contains(@class,'event')]/@id"),
        ("articles/", "articles/page/{}/", 2, "//ul[@class='article-list']//h2/a/@href"),
        # The sources page: 5 articles, then the 11 events with sources of their own.
        ("sources/", "sources/page/{}/", 4, "//ul[@class='source-list']/li/a[1]/@href"),
    ],
)
def test_each_list_is_cut_into_pages_that_hold_every_entry_once(
    built: dict[str, lxml.html.HtmlElement], first: str, later: str, count: int, items: str
) -> None:
    paths = series_of(built, first, later, count)
    seen: list[str] = []
    for n, path in enumerate(paths, start=1):
        tree = built[path + "index.html"]
        got = tree.xpath("//main" + items.replace(" | //", " | //main//").removeprefix("//main/"))
        assert 0 < len(got) <= SIZE, (path, got)
        seen += got
        title = tree.findtext(".//title")
        assert f"page {n} of {count}" in title, title
        assert f"Page {n} of {count}" in tree.xpath("string(//h1)")
        assert tree.xpath("//link[@rel='canonical']/@href") == [f"https://example.org/repo/{path}"]
        prev = tree.xpath("//head/link[@rel='prev']/@href")
        nxt = tree.xpath("//head/link[@rel='next']/@href")
        assert prev == ([f"/repo/{paths[n - 2]}"] if n > 1 else [])
        assert nxt == ([f"/repo/{paths[n]}"] if n < count else [])
        # The same neighbours from the picker above the list and the links after it.
        assert tree.xpath("//main//a[@rel='prev']/@href") == prev * 2
        assert tree.xpath("//main//a[@rel='next']/@href") == nxt * 2
        picker = tree.xpath("//nav[@class='pager']//details//a")
        assert [a.get("href") for a in picker] == [f"/repo/{p}" for p in paths]
        assert [a.get("href") for a in picker if a.get("aria-current") == "page"] == [f"/repo/{path}"]
    assert len(seen) == len(set(seen)), "an entry is on two pages"
    assert len(seen) > SIZE * (count - 1)


def test_page_one_keeps_its_address_and_every_page_is_in_the_sitemap(built: dict[str, lxml.html.HtmlElement]) -> None:
    locs = set(built["@sitemap"].xpath("//loc/text()"))
    for path in ("actors/putin/", "actors/putin/4/", "sources/page/4/", "articles/page/2/", "tags/war/2/"):
        assert f"https://example.org/repo/{path}" in locs
    assert "https://example.org/repo/actors/putin/1/" not in locs
    # The site navigation still marks the section on its later pages.
    nav = built["articles/page/2/index.html"].xpath("//nav[@class='site-nav']//a[@aria-current='page']/text()")
    assert nav == ["Articles"]


def test_paged_lists_are_valid_html(paged_out: Path) -> None:
    paths = ("actors/putin/2/", "tags/war/4/", "sources/page/2/", "articles/page/2/", "places/karabakh/3/")
    assert vnu_errors([paged_out / p / "index.html" for p in paths]) == []


def test_pages_name_the_totals_not_their_share(built: dict[str, lxml.html.HtmlElement]) -> None:
    stats = built["actors/putin/3/index.html"].xpath("string(//p[@class='stats'])")
    assert f"{EVENTS} events" in stats and f"{ARTICLES} articles" in stats


def test_a_short_list_has_no_picker(make_site: SiteFactory, tmp_path: Path) -> None:
    site = make_site(site_files(events=3, articles=1, size=50))
    out = tmp_path / "out"
    assert not build_site(site, out, cache=False).failed()
    html = (out / "actors/putin/index.html").read_text(encoding="utf-8")
    assert "pager" not in html and 'rel="next"' not in html and "page 1 of" not in html.lower()
    assert not (out / "actors/putin/2").exists()


def test_a_long_timeline_part_gets_the_compact_picker(make_site: SiteFactory, tmp_path: Path) -> None:
    files = {
        f"content/events/e{n:03d}.yaml": (
            f"title: Event {n}\ndate: {1960 + n // 8}-{1 + n % 12:02d}\n"
            "sources:\n  - title: A report\n    url: https://example.org/r\n"
        )
        for n in range(320)
    }
    out = tmp_path / "out"
    assert not build_site(make_site(files), out, cache=False).failed()
    parsed = pages(out)
    part = parsed["timeline/1970s/index.html"]
    assert not part.xpath("//nav[contains(@class,'timeline-parts')]"), "the list of every part is gone"
    picker = part.xpath("//nav[@class='pager']")
    assert len(picker) == 1 and picker[0].xpath("count(.//details)") == 1
    assert part.xpath("//nav[@class='pager']/a[@rel='prev']/@href") == ["/repo/timeline/1960s/"]
    assert part.xpath("//nav[@class='pager']/a[@rel='next']/@href") == ["/repo/timeline/1980s/"]
    assert part.xpath("//details//a[@aria-current='page']/text()") == ["1970s"]
    first = parsed["timeline/1960s/index.html"]
    assert not first.xpath("//a[@rel='prev']")
    assert broken_links(out, "/repo/") == []


def test_a_crowded_year_is_split_into_runs_of_months(make_site: SiteFactory, tmp_path: Path) -> None:
    files = {
        f"content/events/e{n:03d}.yaml": (
            f"title: Event {n}\ndate: 2020-{1 + n % 12:02d}-{1 + n % 28:02d}\n"
            "sources:\n  - title: A report\n    url: https://example.org/r\n"
        )
        for n in range(260)
    }
    files["content/events/year-only.yaml"] = (
        "title: Sometime\ndate: 2020\nsources:\n  - title: R\n    url: https://example.org/y\n"
    )
    out = tmp_path / "out"
    assert not build_site(make_site(files), out, cache=False).failed()
    parts = sorted(p.name for p in (out / "timeline").iterdir())
    # 261 events: the year-only one alone, then runs of months of at most 120 events (22 or 21 a month).
    assert parts == ["2020", "2020-01", "2020-06", "2020-11"]
    parsed = pages(out)
    first = parsed["timeline/2020-01/index.html"]
    assert first.xpath("//details//a[@aria-current='page']/text()") == ["January 2020 – May 2020"]
    shown = [
        a for part in parts for a in parsed[f"timeline/{part}/index.html"].xpath("//div[@id='events']//article/@id")
    ]
    assert sorted(shown) == sorted([f"event-e{n:03d}" for n in range(260)] + ["event-year-only"])
    assert (
        max(len(parsed[f"timeline/{part}/index.html"].xpath("//div[@id='events']//article")) for part in parts) <= 120
    )
    assert broken_links(out, "/repo/") == []


def test_incremental_builds_of_paged_lists_equal_cold_ones(make_site: SiteFactory, tmp_path: Path) -> None:
    site = make_site(site_files())
    session = BuildSession()
    warm = tmp_path / "warm"
    assert not build_site(site, warm, session=session).failed()
    edits = [
        ("content/events/e03.yaml", "title: Événement 3", "title: Renamed three"),  # a card on page 1
        ("content/events/e10.yaml", "date: 2000-03-01", "date: 1989-03-01"),  # moves from the last page to the first
        ("content/events/e05.yaml", "actors: [putin]", "actors: []"),  # leaves the actor: later entries shift
        ("content/events/e02.yaml", "url: https://example.org/r2", "url: https://example.org/moved"),
        ("content/actors.yaml", "name: Vladimir Putin", "name: V. Putin"),
        ("site.yaml", "page_size: 4", "page_size: 3"),
    ]
    for rel, old, new in edits:
        path = site / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, text)
        path.write_text(text.replace(old, new), encoding="utf-8")
        result = build_site(site, warm, session=session)
        assert not result.failed(), [d.format() for d in result.diagnostics]
        cold = tmp_path / f"cold-{len(list(tmp_path.iterdir()))}"
        assert not build_site(site, cold, cache=False).failed()
        assert tree_digest(warm) == tree_digest(cold), (rel, new)
    (site / "content/events/e09.yaml").unlink()  # the actor loses a page
    assert not build_site(site, warm, session=session).failed()
    cold = tmp_path / "cold-last"
    assert not build_site(site, cold, cache=False).failed()
    assert tree_digest(warm) == tree_digest(cold)
    assert re.search(r"page \d+ of \d+", (warm / "actors/putin/index.html").read_text(encoding="utf-8"))
