"""TimelineJS import: JSON and both Google Sheets templates, every field of the format documentation.

The fixtures in tests/fixtures/timelinejs/ were written from TimelineJS3's own documentation
(json-format, using-spreadsheets) and its sheet reader (ConfigFactory.js): every field, every date
form, hostile text. Each import is built, as a user would, and read back from ``events.json``.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.security.scan import scan_tree
from timeline.build.pipeline import build_site
from timeline.commands.cli import main
from timeline.content.config import load_config
from timeline.errors import has_errors
from timeline.importers.interchange import import_file
from timeline.importers.located import load_json, read_csv
from timeline.importers.timelinejs import markdown_of, read_timelinejs, tljs_date

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "timelinejs"
SITE = "title: Imported\nbase_url: https://example.org/imported/\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """Return an empty site folder with a site.yaml."""
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE, encoding="utf-8")
    return root


def _build(site: Path) -> tuple[Path, dict[str, dict[str, object]]]:
    out = site.parent / "out"
    result = build_site(site, out)
    errors = [d.format() for d in result.diagnostics if d.severity == "error"]
    assert not errors and (out / "events.json").is_file(), errors
    document = json.loads((out / "events.json").read_text(encoding="utf-8"))
    return out, {e["id"]: e for e in document["events"]}


def _import(name: str, site: Path) -> list[str]:
    written, diags = import_file("timelinejs", FIXTURES / name, site)
    assert written and not has_errors(diags), [d.format() for d in diags]
    return [d.format() for d in diags]


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def test_every_field_of_the_json_format_imports_and_builds(site: Path) -> None:
    notes = _import("every-field.json", site)
    out, events = _build(site)
    # Years: TimelineJS shows -782 as "782 BCE", which is -0781 in astronomical numbering.
    assert events["erebuni"]["date"] == "-0781" and events["erebuni"]["tags"] == ["Urartu"]
    assert "**Urartu**" in str(events["erebuni"]["summary"])
    assert events["areni-1-shoe"]["date"] == "-3999~"  # "c. 4000 BCE": approximate
    assert "Date given as" not in str(events["areni-1-shoe"]["summary"])  # it says no more than the date
    assert events["the-year-before-year-1"]["date"] == "0000"
    treaties = events["gulistan-to-turkmenchay"]
    assert (treaties["date"], treaties["end"]) == ("1813-10", "1828-02")
    assert "between the treaties, 1813–1828" in str(treaties["summary"])
    assert "14 May 1805 (O.S.)" in str(events["treaty-of-kurekchay"]["summary"])  # a date object's display_date
    assert events["fighting-2020"]["date"] == "2020-09-27T07:15:30"  # millisecond and format are left out
    # autolink: bare addresses become links unless the slide says autolink: false.
    war = events["first-nagorno-karabakh-war"]
    assert "<https://www.britannica.com/event/Nagorno-Karabakh-conflict>" in str(war["summary"])
    assert "<https://example.org/report>" not in str(events["fighting-2020"]["summary"])
    # Media: an image keeps its alt, caption and credit; the credit's link makes it a source.
    assert war["images"] == [{"src": "", "url": "https://upload.wikimedia.org/wikipedia/commons/a/a0/Example.jpg",
                              "alt": "A map of the South Caucasus", "caption": "A map of the region",
                              "credit": "Wikimedia Commons", "width": None, "height": None}]  # fmt: skip
    (source,) = war["sources"]  # type: ignore[misc]
    assert (source["publisher"], source["url"], source["title"]) == (
        "Wikimedia Commons", "https://commons.wikimedia.org/wiki/File:Example.jpg", "Map of the region")
    # Media that is not an image (a video, an embed, a tweet) is cited, never embedded.
    assert events["ceasefire-statement"]["images"] == []
    assert events["ceasefire-statement"]["sources"][0]["url"] == "https://www.youtube.com/watch?v=xyz"  # type: ignore[index]
    assert events["talks-in-washington"]["sources"][0]["url"] == "https://www.youtube.com/embed/abc123"  # type: ignore[index]
    assert events["a-statement"]["sources"][0]["url"] == "https://twitter.com/example/status/1"  # type: ignore[index]
    assert any("media markup is not kept" in n for n in notes)
    # Eras go to site.yaml.
    assert [(e.id, e.title, e.span.edtf()) for e in load_config(site).eras] == [
        ("first-nagorno-karabakh-war", "First Nagorno-Karabakh war", "1988/1994-05-12"),
        ("the-2020-war", "The 2020 war", "2020-09-27/2020-11-10"),
    ]
    # The title slide is reported, since this site already has a title.
    assert any(":4:19: warning: the title slide 'The South Caucasus, briefly' is not used" in n for n in notes)
    assert load_config(site).title == "Imported"
    # Hostile text: markup is text, bad URLs are dropped, ids stay inside content/events.
    hostile = events["hostile-headline"]
    assert "alert" not in str(hostile["title"]) and hostile["images"] == []
    assert "javascript" not in json.dumps(events).lower()
    assert "alert(2)" not in str(war["summary"])  # a script's text is not words
    assert not (site / "escape.yaml").exists() and not (site.parent / "escape.yaml").exists()
    assert scan_tree(out, "/imported/") == {}
    # Right-to-left text is kept as written; a repeated unique_id gets a new id.
    persian = next(e for e in events.values() if e["date"] == "2021-01")
    assert persian["title"] == "آتش‌بس" and persian["tags"] == ["خبر"]
    assert any("unique_id 'erebuni' cannot be used" in n for n in notes)
    assert "שלום and مرحبا mixed" in (out / "events.json").read_text(encoding="utf-8")


def test_the_current_sheet_template_imports_and_builds(site: Path) -> None:
    notes = _import("sheet-v3.csv", site)
    _, events = _build(site)
    assert events["erebuni-founded"]["date"] == "-0781"
    fighting = events["fighting-erupts"]
    assert (fighting["date"], fighting["end"]) == ("2020-09-27T07:15", "2020-09-27T19:45")  # 7:15 AM to 7:45 PM
    assert fighting["images"][0]["alt"] == "Soldiers in a trench"  # type: ignore[index]  # the Alt Text column
    assert fighting["images"][0]["credit"] == "EPA"  # type: ignore[index]
    assert events["talks"]["date"] == "2020-10-23T19:30"
    assert 'Talks are expected, in Washington; "maybe". A second line' in str(events["talks"]["summary"])
    assert events["talks"]["sources"][0]["publisher"] == "Reuters"  # type: ignore[index]
    ceasefire = events["ceasefire-signed"]
    assert (ceasefire["date"], ceasefire["end"]) == ("2020-11-09T23:00", "2020-11-10T00:00")  # 2300, 12:00 AM
    assert "alert" not in str(ceasefire["summary"]) and ceasefire["images"] == []
    assert events["a-second-title"]["date"] == "2021"
    assert any(":12:52: warning: row 12: a second title slide is read as an event" in n for n in notes)
    assert any(e["title"] == "آتش‌بس" for e in events.values())
    assert [e.title for e in load_config(site).eras] == ["First war"]


def test_the_first_sheet_template_imports_and_builds(site: Path) -> None:
    _import("sheet-v1.csv", site)
    _, events = _build(site)
    assert events["an-ancient-settlement"]["date"] == "-0499"
    assert events["an-ancient-settlement"]["tags"] == ["history"]  # the Tag column of the first template
    assert (events["the-2020-war"]["date"], events["the-2020-war"]["end"]) == ("2020-09-27", "2020-11-10")
    assert events["putin-on-the-death-toll"]["date"] == "2020-10-23T18:01"
    assert events["november"]["date"] == "2020-11"


def test_deep_time_is_written_as_extended_years(site: Path) -> None:
    reading = read_timelinejs((FIXTURES / "cosmological.json").read_text(encoding="utf-8"), "cosmological.json")
    dates = {e["title"]: e["date"] for e in reading.events.values()}
    assert dates == {
        "Big Bang": "Y-13800000000", "Earth forms": "Y-4540000000", "Chicxulub impact": "Y-66000000",
        "Dmanisi hominins": "Y-1800000~", "Ten thousand BCE": "Y-10000", "The last four-digit BCE year": "-9998",
        "Now": "2020",
    }  # fmt: skip
    assert reading.eras == ({"id": "hadean", "title": "Hadean", "date": "Y-4600000000", "end": "Y-4000000000"},)
    (note,) = reading.diagnostics
    assert (note.line, note.severity) == (40, "warning") and "only the year of -66000000" in note.message
    sheet = read_timelinejs((FIXTURES / "cosmological.csv").read_text(encoding="utf-8"), "cosmological.csv")
    assert {e["title"]: e["date"] for e in sheet.events.values()} == {
        "Big Bang": "Y-13800000000", "Dmanisi hominins": "Y-1800000~", "Areni-1": "-3999~"}  # "-13,800,000,000"
    assert sheet.eras == ({"id": "hadean", "title": "Hadean", "date": "Y-4600000000", "end": "Y-4000000000"},)


@pytest.mark.parametrize("name", ["cosmological.json", "cosmological.csv"])
def test_deep_time_import_builds(site: Path, name: str) -> None:
    """Needs the extended years of the dates helper (branch f/dates) to build."""
    _import(name, site)
    _, events = _build(site)
    assert events["big-bang"]["date"] == "Y-13800000000"


def test_title_slide_names_a_new_site(tmp_path: Path) -> None:
    for name, folder in (("every-field.json", tmp_path / "new"), ("sheet-v3.csv", tmp_path / "empty")):
        folder.mkdir() if folder.name == "empty" else None
        code, out, err = _run(["import", "timelinejs", str(FIXTURES / name), "--site", str(folder)])
        assert code == 0, err
        assert f"wrote {folder / 'site.yaml'}" in out
        assert "is not used" not in err
        config = load_config(folder)
        assert config.title == ("The South Caucasus, briefly" if name.endswith("json") else "The South Caucasus")
        assert config.description.startswith("A fixture written from the")
        assert config.eras
        _build(folder)


def test_a_folder_with_other_files_is_not_made_a_site(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    code, out, err = _run(["import", "timelinejs", str(FIXTURES / "every-field.json"), "--site", str(tmp_path)])
    assert code == 1 and out == "" and "no site.yaml" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bad.json", [
            ":4:5: error: era 1: an era needs an end year",
            ":7:44: error: event 1: month 13 is not 1 to 12",
            ":8:54: error: event 2: '2020-02-30' is not a day of the calendar",
            ":9:5: error: event 3: a slide needs a start year",
            ":10:29: error: event 4: year 'twenty' is not a whole number",
            ":11:60: error: event 5: '2020-05/2019' ends before it starts",
            ":12:5: error: event 6: a slide is an object",
            ":13:20: warning: event 7: a time of day without a day is left out",
        ]),
        ("bad.csv", [
            ":2:10: error: row 2: month 13 is not 1 to 12",
            ":3:11: error: row 3: hour 25 is not 0 to 23",
            ":4:1: error: row 4: a slide needs a start year",
            ":5:9: error: row 5: an era needs an end year",
        ]),
    ],
)  # fmt: skip
def test_every_problem_is_located_in_one_run_and_nothing_is_written(
    site: Path, name: str, expected: list[str]
) -> None:
    before = sorted(p.name for p in site.rglob("*"))
    code, out, err = _run(["import", "timelinejs", str(FIXTURES / name), "--site", str(site)])
    assert code == 1 and out == "" and "Traceback" not in err
    lines = [line for line in err.splitlines() if name in line]
    assert len(lines) == len(expected), err
    for line, want in zip(lines, expected, strict=True):
        assert line.startswith(str(FIXTURES / name) + want.split(" error:")[0].split(" warning:")[0]), (line, want)
        assert want.split(": ", 1)[1] in line
    assert sorted(p.name for p in site.rglob("*")) == before


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"events": [\n  {"start_date": }', (2, 18)),
        ('{"events": {"a": 1}}', (1, 12)),
        ("[1, 2]", (1, 1)),
        ('{"events": [' + "[" * 500 + "]" * 500 + "]}", (1, 1)),
        ("Date,Headline\n2020,x\n", (1, 1)),
        ("", (1, 1)),
    ],
)
def test_files_that_are_not_timelinejs_are_located_errors(tmp_path: Path, site: Path, text: str,
                                                          where: tuple[int, int]) -> None:  # fmt: skip
    source = tmp_path / "input.json"
    source.write_text(text, encoding="utf-8")
    written, diags = import_file("timelinejs", source, site)
    assert written == [] and has_errors(diags)
    assert (diags[0].line, diags[0].col) == where, diags


def test_import_csv_given_a_timelinejs_sheet_names_the_right_command(site: Path) -> None:
    code, _, err = _run(["import", "csv", str(FIXTURES / "sheet-v3.csv"), "--site", str(site)])
    assert code == 1 and "use `timeline import timelinejs" in err and ":1:1: error:" in err


ROUND_TRIP = {
    "bce-range": ("-0499", "-0400~"),
    "year": ("1994?", None),
    "month": ("2020-10", "2020-11%"),
    "day": ("2020-09-27", None),
    "offset": ("2020-10-23T18:01+07:00", None),
    "zone": ("2020-11-10T00:00 Europe/Moscow", "2020-11-10T06:30 Asia/Yerevan"),
    "utc": ("2020-10-10T09:00:30Z", None),
}


def test_our_own_timeline_json_imports_back_with_every_date_as_written(site: Path, tmp_path: Path) -> None:
    for ident, (date, end) in ROUND_TRIP.items():
        text = f"title: Event {ident}\ndate: {date}\n" + (f"end: {end}\n" if end else "")
        text += "sources:\n  - url: https://example.org/source\n"
        (site / "content" / "events").mkdir(exist_ok=True)
        (site / "content" / "events" / f"{ident}.yaml").write_text(text, encoding="utf-8")
    out, first = _build(site)
    again = tmp_path / "again"
    written, diags = import_file("timelinejs", out / "timeline.json", again)
    assert written and not has_errors(diags), diags
    assert load_config(again).title == "Imported"
    _, second = _build(again)
    dates = {str(e["title"]): (e["date"], e["end"]) for e in second.values()}
    assert dates == {f"Event {k}": v for k, v in ROUND_TRIP.items()}
    notes = [e["summary"] for e in second.values() if "Date given as" in str(e["summary"])]
    assert notes == []  # the display dates say nothing the dates do not


def test_dates_parts_and_times() -> None:
    assert tljs_date({"year": "-500"}) == "-0499"
    assert tljs_date({"year": 1, "month": "01"}) == "0001-01"
    assert tljs_date({"year": 2020.0, "month": 10, "day": 23, "hour": 18, "minute": 1, "second": 5}) == (
        "2020-10-23T18:01:05"
    )
    assert tljs_date({"year": 2020, "month": 10, "day": 23, "time": "12:05 AM"}) == "2020-10-23T00:05"
    assert tljs_date({"year": 2020, "month": 10, "day": 23, "time": "7.15 p.m."}) == "2020-10-23T19:15"
    assert tljs_date({"text": "2020-10-23 14:30"}) == "2020-10-23T14:30"
    assert tljs_date({"year": ""}) is None
    for bad in ({"year": 2020, "month": 2, "day": 30}, {"year": 2020.5}, {"year": True}, {"year": "1e9"},
                {"year": 2020, "month": 1, "day": 1, "time": "13:00 PM"}, {"year": "9" * 30}, "2020"):  # fmt: skip
        with pytest.raises(ValueError):
            tljs_date(bad)


def test_markdown_of_keeps_links_and_drops_scripts() -> None:
    text, images = markdown_of(
        '<p>A <a href="https://x.org/a">link</a> and *stars*<script>x()</script></p><img src="i.jpg">'
    )
    assert text == "A [link](<https://x.org/a>) and \\*stars\\*"
    assert images == [("i.jpg", "")]
    assert markdown_of("see https://x.org/a.", autolink=True)[0] == "see <https://x.org/a>."
    assert markdown_of("see https://x.org/a.")[0] == "see https://x.org/a."


def test_located_readers() -> None:
    located = load_json('{\n  "events": [\n    {"a": [1, "\\u00e9"]}\n  ]\n}')
    assert located.value == {"events": [{"a": [1, "é"]}]}
    assert located.where(("events", 0, "a", 1)) == (3, 15)
    assert located.where(("events", 0, "missing")) == (3, 5)
    rows = read_csv('a,"b\nc",d\r\n\n"x""y",\n')
    assert [[(c.text, c.line, c.col) for c in row] for row in rows] == [
        [("a", 1, 1), ("b\nc", 1, 3), ("d", 2, 4)],
        [('x"y', 4, 1), ("", 4, 8)],
    ]


_FIELDS = st.sampled_from(["events", "eras", "title", "scale", "start_date", "end_date", "year", "month", "day",
                           "hour", "minute", "second", "display_date", "text", "headline", "media", "url", "credit",
                           "caption", "link", "alt", "group", "unique_id", "autolink", "background"])  # fmt: skip
_LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | st.sampled_from(
    ["-500", "1,805", "13:00 PM", "<iframe src='https://x.org/e'>", "javascript:alert(1)", "2020-13-45", "\u202e"]
)
_JSON = st.recursive(_LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_FIELDS, inner, max_size=6),
                     max_leaves=40)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(document=_JSON)
def test_any_json_is_read_or_diagnosed(document: object) -> None:
    reading = read_timelinejs(json.dumps({"events": [document]} if not isinstance(document, dict) else document),
                              "fuzz.json")  # fmt: skip
    for diag in reading.diagnostics:
        assert diag.line >= 1 and diag.col >= 1 and diag.message
    for record in reading.events.values():
        assert isinstance(record["date"], str) and record["date"]


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(st.lists(st.text(max_size=12) | st.sampled_from(["-500", "7:15 PM", "title", "era", "2300"]),
                               min_size=1, max_size=8), max_size=6))  # fmt: skip
def test_any_sheet_is_read_or_diagnosed(cells: list[list[str]]) -> None:
    header = "Year,Month,Day,Time,End Year,Headline,Type,Media\n"
    rows = "\n".join(",".join('"' + c.replace('"', '""') + '"' for c in row) for row in cells)
    reading = read_timelinejs(header + rows, "fuzz.csv")
    for diag in reading.diagnostics:
        assert diag.line >= 1 and diag.col >= 1 and diag.message


def test_a_timelinejs2_file_imports_and_builds(site: Path) -> None:
    written, diags = import_file("timelinejs", FIXTURES / "timelinejs2.json", site)
    assert written == [] and [d.format().split("timelinejs2.json")[1] for d in diags] == [
        ":22:21: error: event 4: month 13 is not 1 to 12"
    ]
    fixed = site.parent / "fixed.json"
    fixed.write_text((FIXTURES / "timelinejs2.json").read_text(encoding="utf-8").replace("2020,13,1", "2020,12,1"))
    written, diags = import_file("timelinejs", fixed, site)
    assert written and not has_errors(diags)
    assert any("the title slide 'A TimelineJS 2 file' is not used" in d.message for d in diags)
    _, events = _build(site)
    war = events["the-2020-war"]
    assert (war["date"], war["end"], war["tags"]) == ("2020-09-27", "2020-11-10", ["Wars"])
    assert war["sources"][0]["publisher"] == "Reuters"  # type: ignore[index]
    assert events["ceasefire-in-force"]["date"] == "2020-11-10T00:00"
    assert "midnight Moscow time" in str(events["ceasefire-in-force"]["summary"])
    assert events["long-ago"]["date"] == "-0499"
    assert [e.title for e in load_config(site).eras] == ["First war"]
