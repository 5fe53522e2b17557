"""Page planning: which pages exist, what they depend on, and how a long timeline is split."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SiteFactory
from tests.integration.sitecrawl import broken_links, pages
from timeline.build.pipeline import build_site
from timeline.content.dates import DateSpan, EDate
from timeline.content.model import Event
from timeline.pages.plan import split_timeline


def event(n: int, year: int) -> Event:
    return Event(id=f"e{n}", path=f"content/events/e{n}.yaml", title=f"E{n}", span=DateSpan(EDate(year)))


def test_short_timelines_are_not_split() -> None:
    assert split_timeline(tuple(event(n, 1990) for n in range(10)), limit=10) == ()


def test_split_by_decade_then_crowded_decade_by_year() -> None:
    events = (
        *(event(n, 1988) for n in range(3)),
        *(event(n, 1994 + n % 2) for n in range(3, 9)),
        event(9, -15),
    )
    ordered = tuple(sorted(events, key=lambda e: (e.span.sort_key(), e.id)))
    parts = split_timeline(ordered, limit=4)
    assert [p.key for p in parts] == ["-20s", "1980s", "1994", "1995"]
    assert parts[0].label == "21 BCE – 12 BCE"  # the astronomical years -20 to -11, BCE written one way
    assert sum(len(p.events) for p in parts) == len(events)


def test_long_timeline_gets_part_pages_linked_from_the_overview(make_site: SiteFactory, tmp_path: Path) -> None:
    files = {
        f"content/events/e{n:03d}.yaml": (
            f"title: Event {n}\ndate: {1960 + n // 8}-{1 + n % 12:02d}\n"
            "sources:\n  - title: A report\n    url: https://example.org/r\n"
        )
        for n in range(320)
    }
    site = make_site(files)
    out = tmp_path / "out"
    result = build_site(site, out)
    assert not result.failed(), [d.format() for d in result.diagnostics]
    parsed = pages(out)
    overview = parsed["index.html"]
    links = overview.xpath("//nav[contains(@class,'timeline-parts')]//a/@href")
    assert links == [f"/repo/timeline/{d}s/" for d in (1960, 1970, 1980, 1990)]
    listed: list[str] = []
    for href in links:
        part = parsed[href.removeprefix("/repo/") + "index.html"]
        listed += part.xpath("//div[@id='events']//article[contains(@class,'event')]/@id")
    assert sorted(listed) == sorted(f"event-e{n:03d}" for n in range(320))
    assert not overview.xpath("//div[@id='events']//article")
    assert broken_links(out, "/repo/") == []


def test_page_paths_match_the_plan(tmp_path: Path) -> None:
    from timeline.pages.plan import page_paths, plan_pages

    repo = Path(__file__).resolve().parents[3]
    result = build_site(repo, tmp_path / "out", workers=1, cache=False)
    assert result.timeline is not None
    assert sorted(page_paths(result.timeline)) == sorted(spec.path for spec in plan_pages(result.timeline))


def test_split_timeline_incremental_equals_full(make_site: SiteFactory, tmp_path: Path) -> None:
    from tests.integration.sitecrawl import tree_digest
    from timeline.build.session import BuildSession

    files = {
        f"content/events/e{n:03d}.yaml": (
            f"title: Event {n}\ndate: {1960 + n // 8}-{1 + n % 12:02d}\n"
            "sources:\n  - title: A report\n    url: https://example.org/r\n"
        )
        for n in range(310)
    }
    site = make_site(files)
    session = BuildSession()
    assert not build_site(site, tmp_path / "warm", session=session).failed()
    edits = [
        ("content/events/e005.yaml", "title: Event 5\n", "title: Renamed five\n"),
        ("content/events/e300.yaml", "date: 1997-01\n", "date: 1961-01\n"),  # moves to another part
        ("content/events/e010.yaml", "date: 1961-11\n", "date: 1961-11\nstatus: disputed\n"),  # a new status
    ]
    for rel, old, new in edits:
        path = site / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, text)
        path.write_text(text.replace(old, new), encoding="utf-8")
        warm = build_site(site, tmp_path / "warm", session=session)
        assert warm.site is not None and warm.site.kept, "the warm build reused nothing"
        cold = tmp_path / f"cold-{rel.split('/')[-1]}"
        assert not build_site(site, cold).failed()
        assert tree_digest(tmp_path / "warm") == tree_digest(cold), rel


def month_event(n: int, year: int, month: int | None) -> Event:
    return Event(id=f"m{n}", path=f"content/events/m{n}.yaml", title=f"M{n}", span=DateSpan(EDate(year, month)))


def test_a_crowded_year_is_split_by_month_and_keeps_its_year_only_events() -> None:
    events = (
        month_event(0, 1989, None),
        month_event(1, 1994, None),
        *(month_event(n, 1994, 3) for n in range(2, 6)),
        month_event(6, 1994, 11),
    )
    parts = split_timeline(events, limit=4, month_label=lambda y, m: f"{m}/{y}")
    assert [(p.key, p.label, len(p.events)) for p in parts] == [
        ("1980s", "1980s", 1),
        ("1994", "1994", 1),
        ("1994-03", "3/1994", 4),
        ("1994-11", "11/1994", 1),
    ]
    assert [e for p in parts for e in p.events] == list(events)


def test_page_paths_match_the_plan_of_a_paged_site(make_site: SiteFactory) -> None:
    from timeline.content.config import load_config
    from timeline.content.linking import index_content
    from timeline.content.reader import read_content
    from timeline.pages.plan import page_paths, plan_pages

    files = {
        "site.yaml": "title: T\npage_size: 2\n",
        **{
            f"content/events/e{n}.yaml": f"title: E{n}\ndate: {2000 + n}\nactors: [putin]\ntags: [t{n % 2}]\n"
            "sources:\n  - title: R\n    url: https://example.org/r\n"
            for n in range(7)
        },
    }
    config = load_config(make_site(files))
    tl, diags = index_content(read_content(config)[0], config)
    assert not [d for d in diags if d.severity == "error"]
    planned = [spec.path for spec in plan_pages(tl)]
    assert sorted(page_paths(tl)) == sorted(planned)
    assert len(planned) == len(set(planned))
    assert {"actors/putin/4/index.html", "tags/t0/2/index.html", "sources/page/4/index.html"} <= set(planned)
    assert "actors/putin/5/index.html" not in planned


def test_the_months_of_a_crowded_year_are_joined_up_to_the_limit() -> None:
    events = tuple(month_event(n, 1994, month) for n, month in enumerate((1, 1, 2, 5, 5, 6)))
    parts = split_timeline(events, limit=4, month_label=lambda y, m: f"{m}/{y}")
    assert [(p.key, p.label, len(p.events)) for p in parts] == [
        ("1994-01", "1/1994 – 2/1994", 3),
        ("1994-05", "5/1994 – 6/1994", 3),
    ]
