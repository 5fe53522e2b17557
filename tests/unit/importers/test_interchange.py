"""Importers: TimelineSetter CSV and events.json (TimelineJS: test_timelinejs.py); each result builds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from timeline.build.pipeline import build_site
from timeline.errors import has_errors
from timeline.importers.interchange import import_file

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
    source = FIXTURES / "timelinejs" / "every-field.json"
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
