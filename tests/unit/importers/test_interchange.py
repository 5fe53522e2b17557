"""Importers: TimelineJS JSON and Sheets CSV, TimelineSetter CSV, events.json; each result builds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from timeline.build.pipeline import build_site
from timeline.content.config import load_config
from timeline.errors import has_errors
from timeline.importers.interchange import import_file
from timeline.importers.timelinejs import markdown_of, tljs_date

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SITE = "title: Imported\nbase_url: https://example.org/imported/\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """Return an empty site folder with a site.yaml."""
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE, encoding="utf-8")
    return root


def _import_and_build(kind: str, source: Path, site: Path) -> dict[str, dict[str, object]]:
    written, diags = import_file(kind, source, site)
    assert written and not has_errors(diags), [d.format() for d in diags]
    out = site.parent / "out"
    result = build_site(site, out)
    errors = [d.format() for d in result.diagnostics if d.severity == "error"]
    assert not errors and (out / "events.json").is_file(), errors
    document = json.loads((out / "events.json").read_text(encoding="utf-8"))
    return {e["id"]: e for e in document["events"]}


def test_timelinejs_json_imports_and_builds(site: Path) -> None:
    events = _import_and_build("timelinejs", FIXTURES / "timelinejs" / "caucasus.json", site)
    assert set(events) == {"urartu-erebuni", "first-nagorno-karabakh-war", "fighting-2020", "talks-in-washington"}
    bce = events["urartu-erebuni"]
    assert bce["date"] == "-0781" and bce["precision"] == "year"
    assert "Date given as: 782 BCE." in bce["summary"]
    assert "**Urartu**" in bce["summary"] and bce["tags"] == ["history"]
    war = events["first-nagorno-karabakh-war"]
    assert (war["date"], war["end"]) == ("1988-02~", "1994-05-12")  # "c. February 1988" is approximate
    assert "[the encyclopedia](<https://en.wikipedia.org/wiki/First_Nagorno-Karabakh_War>)" in war["summary"]
    assert "javascript" not in war["summary"]
    assert war["images"][0]["url"].startswith("https://upload.wikimedia.org/")
    assert war["images"][0]["credit"] == "Wikimedia Commons"
    assert events["fighting-2020"]["date"] == "2020-09-27T07:15"
    assert events["talks-in-washington"]["images"] == []  # an <iframe> embed is not an image URL
    eras = load_config(site).eras
    assert [(e.title, e.span.edtf()) for e in eras] == [
        ("First Nagorno-Karabakh war", "1988/1994"),
        ("2020 war", "2020-09-27/2020-11-10"),
    ]


def test_timelinejs_sheet_csv_imports_and_builds(site: Path) -> None:
    events = _import_and_build("timelinejs", FIXTURES / "timelinejs" / "sheet.csv", site)
    assert set(events) == {"an-ancient-settlement", "fighting-erupts", "talks"}  # the title slide is not an event
    assert events["an-ancient-settlement"]["date"] == "-0500"
    assert events["fighting-erupts"]["date"] == "2020-09-27T07:15"
    assert events["fighting-erupts"]["images"][0]["credit"] == "EPA"
    assert (events["talks"]["date"], events["talks"]["end"]) == ("2020-10-23", "2020-10-24")
    assert events["talks"]["summary"].strip() == 'Talks are expected, in Washington; "maybe".'
    assert [e.title for e in load_config(site).eras] == ["First war"]


def test_timelinesetter_csv_imports_and_builds(site: Path) -> None:
    events = _import_and_build("csv", FIXTURES / "timelinesetter.csv", site)
    by_date = {e["date"]: e for e in events.values()}
    assert set(by_date) == {"2020-09-27", "2020-10-23", "2020-10~", "1994"}
    assert by_date["2020-09-27"]["title"] == "Fighting breaks out over Nagorno-Karabakh"
    assert by_date["2020-09-27"]["sources"][0]["url"] == "https://www.bbc.com/news/world-europe-54314341"
    assert by_date["2020-09-27"]["tags"] == ["fighting"]
    assert by_date["2020-10-23"]["images"][0] == {
        "src": "", "url": "https://example.org/putin.jpg", "alt": "Vladimir Putin", "caption": "", "credit": "",
        "width": None, "height": None,
    }  # fmt: skip
    assert "At a televised meeting." in by_date["2020-10-23"]["summary"]


def test_unreadable_row_is_reported_with_its_line_and_nothing_is_written(site: Path, tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("date,description\n2020-09-27,Fine\nsometime,Not a date\n", encoding="utf-8")
    written, diags = import_file("csv", source, site)
    assert written == []
    assert [(d.line, d.col, d.severity) for d in diags] == [(3, 1, "error")]
    assert "'sometime' is not a date" in diags[0].message
    assert not (site / "content" / "events").exists()


def test_existing_files_need_force(site: Path) -> None:
    source = FIXTURES / "timelinejs" / "caucasus.json"
    assert import_file("timelinejs", source, site)[0]
    target = site / "content/events/fighting-2020.yaml"
    target.write_text("title: Edited by hand\ndate: 2020\n", encoding="utf-8")
    written, diags = import_file("timelinejs", source, site)
    assert written == [] and any("use --force" in d.message for d in diags)
    assert target.read_text(encoding="utf-8").startswith("title: Edited by hand")
    written, diags = import_file("timelinejs", source, site, force=True)
    assert target in written and "Fighting erupts" in target.read_text(encoding="utf-8")
    assert any("already has eras" in d.message for d in diags)  # site.yaml is not rewritten twice


def test_wrong_inputs_are_diagnostics(site: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text('{"schema": "something-else", "events": []}', encoding="utf-8")
    assert "not an events.json" in import_file("events-json", other, site)[1][0].message
    broken = tmp_path / "broken.json"
    broken.write_text('{"events": [\n  {"start_date": }', encoding="utf-8")
    (diag,) = import_file("timelinejs", broken, site)[1]
    assert (diag.line, diag.message.startswith("not JSON")) == (2, True)
    assert "unknown import kind" in import_file("rss", other, site)[1][0].message
    assert "no site.yaml" in import_file("csv", other, tmp_path / "nowhere")[1][0].message
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps({"schema": "timeline-events/1", "version": 1,
                                   "events": [{"id": "../../escape", "title": "x", "date": "2020"}]}))  # fmt: skip
    written, diags = import_file("events-json", hostile, site)
    assert written == [] and has_errors(diags)
    assert not (site.parent / "escape.yaml").exists()


def test_timelinejs_dates() -> None:
    assert tljs_date({"year": "-500"}) == "-0500"
    assert tljs_date({"year": 2020, "month": "10", "day": 23, "hour": 18, "minute": 1, "second": 5}) == (
        "2020-10-23T18:01:05"
    )
    assert tljs_date({"year": ""}) is None
    with pytest.raises(ValueError):
        tljs_date({"year": 2020, "month": 2, "day": 30})


def test_markdown_of_keeps_links_and_drops_scripts() -> None:
    text, images = markdown_of(
        '<p>A <a href="https://x.org/a">link</a> and *stars*<script>x</script></p><img src="i.jpg">'
    )
    assert text.startswith("A [link](<https://x.org/a>) and \\*stars\\*")
    assert images == [("i.jpg", "")]


def test_events_json_round_trip_keeps_calendars_milestones_and_open_ends(site: Path, tmp_path: Path) -> None:
    """An exported events.json imports back to the same dates: Julian as written, milestones, open ends."""
    source_site = tmp_path / "source"
    events = source_site / "content" / "events"
    events.mkdir(parents=True)
    (source_site / "site.yaml").write_text(SITE, encoding="utf-8")
    cite = "sources:\n  - title: R\n    url: https://example.org/r\n"
    (events / "treaty.yaml").write_text(f"title: Treaty\ndate: 1805-05-14\ncalendar: julian\n{cite}", encoding="utf-8")
    (events / "war.yaml").write_text(f"title: War\ndate: 2020-09-27/..\n{cite}", encoding="utf-8")
    (events / "deep.yaml").write_text(f"title: Deep\ndate: Y-13800000000\n{cite}", encoding="utf-8")
    (events / "truce.yaml").write_text(
        "title: Truce\ndate: 2020-11-10\nmilestones:\n  - label: Signed\n"
        f"    date: 2020-11-09T23:00 Europe/Moscow\n{cite}",
        encoding="utf-8",
    )
    out = tmp_path / "built"
    assert not build_site(source_site, out).failed()
    before = {e["id"]: e for e in json.loads((out / "events.json").read_text(encoding="utf-8"))["events"]}
    after = _import_and_build("events-json", out / "events.json", site)
    fields = ("date", "end", "calendar", "milestones", "precision")
    assert {k: [after[k].get(f) for f in fields] for k in after} == {
        k: [before[k].get(f) for f in fields] for k in before
    }
    assert after["treaty"]["calendar"] == "julian" and after["war"]["date"] == "2020-09-27/.."
