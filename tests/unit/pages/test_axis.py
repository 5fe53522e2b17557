"""The build-time time axis: proportional placement, breaks, eras, density, links, escaping."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.etree
import lxml.html

from timeline.content.config import load_config
from timeline.content.dates import EDate
from timeline.content.linking import index_content
from timeline.content.model import Timeline
from timeline.content.reader import read_content
from timeline.pages.axis import position, render_axis, stretches

REPO = Path(__file__).resolve().parents[3]


def timeline_of(root: Path) -> Timeline:
    config = load_config(root)
    content, diags = read_content(config)
    assert [d for d in diags if d.severity == "error"] == []
    tl, diags = index_content(content, config)
    assert [d for d in diags if d.severity == "error"] == []
    return tl


def make_site(tmp_path: Path, events: dict[str, str], extra: str = "") -> Timeline:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "site.yaml").write_text(f"title: Test\nbase_url: /tl/\n{extra}", encoding="utf-8")
    folder = tmp_path / "content" / "events"
    folder.mkdir(parents=True)
    for name, text in events.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return timeline_of(tmp_path)


def parse(markup: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(markup)


def test_every_event_is_a_named_link_to_its_page() -> None:
    tl = timeline_of(REPO)
    tree = parse(render_axis(tl))
    links = tree.xpath("//a")
    assert len(links) == len(tl.events)  # ten events can be told apart: each is its own mark
    hrefs = {a.get("href") for a in links}
    assert hrefs == {f"{tl.config.base_path}events/{e.id}/" for e in tl.events}
    ceasefire = next(a for a in links if a.get("href").endswith("/ceasefire-1994/"))
    assert ceasefire.get("aria-label") == "Ceasefire ends the first war, 1994"


def test_long_empty_stretch_is_cut_and_marked_as_a_break() -> None:
    tl = timeline_of(REPO)
    tree = parse(render_axis(tl))
    assert len(tree.xpath("//svg[@class='axis-stretch']")) == 2
    breaks = tree.xpath("//*[@class='axis-break']")
    assert [b.text_content() for b in breaks] == ["25 years later"]
    groups = [g.get("aria-label") for g in tree.xpath("//*[@role='group']")]
    assert groups == ["1988 – 1994", "September 25, 2020 – October 31, 2020"]


def test_contiguous_events_need_no_break(tmp_path: Path) -> None:
    tl = make_site(tmp_path, {f"e{m}": f"title: E{m}\ndate: 2020-0{m}-15\n" for m in (1, 2, 3)})
    tree = parse(render_axis(tl))
    assert tree.xpath("//*[@class='axis-break']") == []
    assert len(tree.xpath("//svg[@class='axis-stretch']")) == 1


def test_events_are_placed_in_proportion_to_time(tmp_path: Path) -> None:
    tl = make_site(
        tmp_path,
        {"a": "title: A\ndate: 2020-01-01\n", "b": "title: B\ndate: 2020-02-01\n", "c": "title: C\ndate: 2020-04-01\n"},
    )
    xs = [float(c.get("cx").rstrip("%")) for c in parse(render_axis(tl)).xpath("//a/circle")]
    assert xs == sorted(xs)
    # January is 31 days and February plus March 29 + 31 (2020 is a leap year).
    assert abs((xs[2] - xs[1]) / (xs[1] - xs[0]) - 60 / 31) < 0.02


def test_ranges_and_imprecise_dates_are_bars_and_days_are_points(tmp_path: Path) -> None:
    tl = make_site(
        tmp_path,
        {
            "war": "title: War\ndate: 1988/1994\n",
            "year": "title: Year\ndate: 1990\n",
            "day": "title: Day\ndate: 1991-05-02\n",
        },
    )
    tree = parse(render_axis(tl))
    shape = {a.get("href").split("/")[-2]: a[-1].tag for a in tree.xpath("//a")}
    assert shape == {"war": "rect", "year": "rect", "day": "circle"}
    assert "period" in tree.xpath("//a[contains(@href, '/year/')]")[0].get("class")


def test_eras_are_shaded_and_listed(tmp_path: Path) -> None:
    eras = "eras:\n  - id: w\n    title: 'The <war>'\n    date: 2000/2002\n"
    tl = make_site(tmp_path, {"a": "title: A\ndate: 2001-06-01\n"}, eras)
    markup = str(render_axis(tl))
    tree = parse(markup)
    assert len(tree.xpath("//rect[contains(@class, 'era ')]")) == 1
    assert tree.xpath("//ul[@class='axis-legend']/li")[-1].text_content() == "Era: The <war>"
    assert "The &lt;war&gt;" in markup


def test_crowded_stretch_is_counted_in_bars_that_link_to_their_events(tmp_path: Path) -> None:
    events = {f"e{i}": f"title: E{i}\ndate: 2020-10-{10 + i % 3}\n" for i in range(60)}
    events["s"] = "title: S\ndate: 2020-09-05\n"
    tree = parse(render_axis(make_site(tmp_path, events)))
    bars = tree.xpath("//g[@class='buckets']/a")
    assert tree.xpath("//g[@class='marks']") == []
    assert sum(int(a.get("aria-label").split(": ")[1].split()[0]) for a in bars) == 61
    anchors = {"#y2020-09", "#y2020-10", "#event-s"} | {f"#event-e{i}" for i in range(60)}
    assert {a.get("href") for a in bars} <= anchors
    heights = [float(a[-1].get("height")) for a in bars]
    assert max(heights) > min(heights)
    assert [a.get("tabindex") for a in bars].count("0") == 1  # one Tab stop per stretch


def test_text_is_escaped_and_output_is_well_formed_and_deterministic(tmp_path: Path) -> None:
    title = "\"'><script>alert(1)</script> & co"
    events = {"x": f"title: {json.dumps(title)}\ndate: 2020-01-01\n"}
    tl = make_site(tmp_path, events)
    markup = str(render_axis(tl))
    assert "<script" not in markup
    lxml.etree.fromstring(markup.encode("utf-8"))  # well-formed XML, so also valid inline SVG markup
    assert parse(markup).xpath("//a")[0].get("aria-label").startswith(title)
    assert str(render_axis(make_site(tmp_path / "again", events))) == markup


def test_ids_are_prefixed() -> None:
    ids = re.findall(r'\bid="([^"]+)"', str(render_axis(timeline_of(REPO))))
    assert ids and all(i.startswith("axis") for i in ids)


def test_no_events_gives_no_axis(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("title: Empty\n", encoding="utf-8")
    (tmp_path / "content").mkdir()
    assert str(render_axis(timeline_of(tmp_path))) == ""


def test_positions_and_stretches() -> None:
    assert position(EDate(2020, 12), end=True) == 2021.0
    assert position(EDate(2021, 1, 1)) == 2021.0
    parts = stretches([(1988.0, 1995.0), (2020.7, 2020.8)])
    assert [(p.start, p.end, p.monthly) for p in parts][0] == (1988.0, 1995.0, False)
    assert parts[1].monthly and parts[1].start <= 2020.7 and parts[1].end >= 2020.8
    assert len(stretches([(2000.0, 2001.0), (2001.5, 2002.0)])) == 1


def test_legend_names_each_kind_of_mark_drawn_and_no_other(tmp_path: Path) -> None:
    tl = make_site(
        tmp_path,
        {
            "day": "title: Day\ndate: 2020-01-05\n",
            "range": "title: Range\ndate: 2020-02-01/2020-03-01\n",
            "month": "title: Month\ndate: 2020-04\n",
            "maybe": "title: Maybe\ndate: 2020-06-01?\n",
            "later": "title: Later\ndate: 2020-09-01\nstatus: scheduled\n",
        },
    )
    tree = parse(render_axis(tl))
    legend = [li.text_content() for li in tree.xpath("//ul[@class='axis-legend']/li")]
    assert legend == [
        "An event on a day or at a time",
        "An event over a range of dates",
        "An event dated to a month or a year",
        "Uncertain or approximate date",
        "Scheduled",
    ]
    only_days = parse(render_axis(make_site(tmp_path / "days", {"d": "title: D\ndate: 2020-01-05\n"})))
    assert [li.text_content() for li in only_days.xpath("//ul[@class='axis-legend']/li")] == [legend[0]]


def test_axis_of_some_events_links_its_bars_to_the_pages_that_list_them(tmp_path: Path) -> None:
    events = {f"e{i}": f"title: E{i}\ndate: {1990 + i % 20}-03-01\n" for i in range(120)}
    tl = make_site(tmp_path, events)
    late = [e for e in tl.events if e.span.start.year >= 2000]
    tree = parse(render_axis(tl, events=late, page_of=lambda event: f"/tl/timeline/{event.span.start.year // 10}0s/"))
    hrefs = [a.get("href") for a in tree.xpath("//a[@class='bucket']")]
    assert hrefs and all(
        h.startswith("/tl/timeline/2000s/#y200") or h.startswith("/tl/timeline/2010s/#y201") for h in hrefs
    )
    assert tree.xpath("//*[@role='group']/@aria-label") == ["2000 – 2009"]
    names = [a.get("aria-label") for a in tree.xpath("//a[@class='bucket']")]
    assert names[0] == "January 2000 – June 2000: 6 events"
    assert hrefs[0] == "/tl/timeline/2000s/#y2000-03"


def test_milestones_are_ticks_on_their_event_named_in_its_label_and_the_legend(tmp_path: Path) -> None:
    truce = (
        "title: Truce\ndate: 2020-11-10\nmilestones:\n"
        "  - label: Announced\n    date: 2020-10-01\n"
        "  - label: Signed\n    date: 2020-11-09T23:00 Europe/Moscow\n"
        "  - label: In force\n    date: 2020-11-20\n"
    )
    tl = make_site(tmp_path, {"truce": truce, "a": "title: A\ndate: 2020-10-15\n", "b": "title: B\ndate: 2020-11-15\n"})
    tree = parse(render_axis(tl))
    mark = tree.xpath("//a[contains(@href, '/truce/')]")[0]
    ticks = [float(line.get("x1").rstrip("%")) for line in mark.xpath(".//line[@class='milestone']")]
    marks = tree.xpath("//a")
    centre = {a.get("href").split("/")[-2]: float(a.xpath("circle")[0].get("cx").rstrip("%")) for a in marks}
    # Announced is before A (and before the event's own date), Signed just before it, In force after B.
    assert ticks[0] < centre["a"] < ticks[1] < centre["truce"] < centre["b"] < ticks[2]
    assert all(0 <= x <= 100 for x in ticks)
    label = mark.get("aria-label")
    assert label.startswith("Truce, ") and "Announced: " in label and "Signed: " in label and "In force: " in label
    assert "milestone" in tree.xpath("string(//ul[@class='axis-legend'])")
    plain = parse(render_axis(make_site(tmp_path / "plain", {"a": "title: A\ndate: 2020-10-15\n"})))
    assert "milestone" not in plain.xpath("string(//ul[@class='axis-legend'])")
