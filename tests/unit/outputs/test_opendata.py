"""Open data: events.json (schema, round trip), events.csv, CSL-JSON sources, TimelineJS JSON."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.unit.outputs.indexing import index_site
from timeline.build.pipeline import build_site
from timeline.content.config import load_config
from timeline.content.linking import index_content
from timeline.content.model import Timeline
from timeline.content.reader import read_content
from timeline.errors import has_errors
from timeline.importers.interchange import import_file
from timeline.incremental.memo import Fragments, Memo
from timeline.outputs.jsontext import Encoded, dumps
from timeline.outputs.opendata import CSV_COLUMNS, events_json_schema, render_open_data
from timeline.pages.reuse import record_digests

REPO = Path(__file__).resolve().parents[3]


def test_events_json_carries_every_event_at_its_precision(example: tuple[Timeline, Path]) -> None:
    tl, out = example
    document = json.loads((out / "events.json").read_text(encoding="utf-8"))
    assert (document["schema"], document["version"]) == ("timeline-events/1", 1)
    jsonschema.validate(document, events_json_schema())
    assert [e["id"] for e in document["events"]] == [e.id for e in tl.events]
    by_id = {e["id"]: e for e in document["events"]}
    assert by_id["first-nagorno-karabakh-war"]["date"] == "1988"
    assert by_id["first-nagorno-karabakh-war"]["end"] == "1994"
    assert by_id["armenia-claims-helicopter-downed"]["date"] == "2020-10?"
    assert by_id["armenia-claims-helicopter-downed"]["precision"] == "month"
    toll = by_id["putin-death-toll-statement"]
    assert [c["claimant"] for c in toll["claims"]][:2] == ["vladimir-putin", "vladimir-putin"]
    assert toll["claims"][0]["number"] == 5000 and toll["claims"][0]["qualifier"] == "approximately"
    assert toll["sources"][0]["article"] == "okezone-2020-10-23-putin-5000"
    assert toll["disputed"] is True
    article = document["articles"][0]
    assert article["published"] == "2020-10-23T18:01+07:00" and article["via"] == "BBC Indonesia"
    assert {a["id"] for a in document["actors"]} == set(tl.actors)


def test_schema_rejects_a_wrong_document() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"schema": "timeline-events/1", "version": 2, "events": []}, events_json_schema())


def test_events_json_round_trips_through_import(example: tuple[Timeline, Path], tmp_path: Path) -> None:
    _, out = example
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    written, diags = import_file("events-json", out / "events.json", site)
    assert not has_errors(diags), [d.format() for d in diags]
    assert len([p for p in written if p.suffix == ".yaml" and p.parent.name == "events"]) == 10
    result = build_site(site, tmp_path / "out")
    assert not result.failed(), [d.format() for d in result.diagnostics]
    for name in ("events.json", "events.csv", "sources.json", "timeline.json", "events.ics", "feed.xml"):
        assert (tmp_path / "out" / name).read_bytes() == (out / name).read_bytes(), name


def test_events_csv(example: tuple[Timeline, Path]) -> None:
    tl, out = example
    data = (out / "events.csv").read_bytes()
    assert data.count(b"\r\n") == len(tl.events) + 1
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["id"] for r in rows] == [e.id for e in tl.events]
    assert rows[0]["date"] == "1988" and rows[0]["end"] == "1994" and rows[0]["precision"] == "year"
    assert all(r["sources"].startswith("https://example.github.io/timeline/articles/") for r in rows)


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(make_site) -> None:
    root = make_site({"content/events/x.yaml": "title: '=HYPERLINK(\"http://evil\")'\ndate: 2020\n"})
    rows = list(csv.reader(io.StringIO(dict(render_open_data(index_site(root)))["events.csv"].decode("utf-8"))))
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'


def test_sources_are_csl_json(example: tuple[Timeline, Path], make_site) -> None:
    _, out = example
    items = json.loads((out / "sources.json").read_text(encoding="utf-8"))
    article = next(i for i in items if i["id"] == "okezone-2020-10-23-putin-5000")
    assert article["type"] == "article-newspaper"
    assert article["container-title"] == "Okezone"
    assert article["issued"] == {"date-parts": [[2020, 10, 23]]}
    assert article["author"] == [{"literal": "dka"}] and article["language"] == "id"
    root = make_site(
        {
            "content/events/x.yaml": """\
                title: X
                date: 2020
                sources:
                  - title: Report
                    publisher: BBC News
                    url: https://www.bbc.com/news/x
                    published: 2020-10~
                    accessed: 2020-10-24
            """
        }
    )
    (item,) = json.loads(dict(render_open_data(index_site(root)))["sources.json"])
    assert item["issued"] == {"date-parts": [[2020, 10]], "circa": True}
    assert item["accessed"] == {"date-parts": [[2020, 10, 24]]}
    assert item["URL"] == "https://www.bbc.com/news/x" and item["container-title"] == "BBC News"


def test_timelinejs_json(example: tuple[Timeline, Path], make_site) -> None:
    tl, out = example
    data = json.loads((out / "timeline.json").read_text(encoding="utf-8"))
    assert len(data["events"]) == len(tl.events)
    first = data["events"][0]
    assert first["unique_id"] == "first-nagorno-karabakh-war"
    assert first["start_date"] == {"year": 1988, "display_date": "1988"}
    assert first["end_date"]["year"] == 1994
    assert [e["text"]["headline"] for e in data["eras"]] == [e.title for e in tl.config.eras]
    root = make_site(
        {
            "content/events/x.yaml": "title: '<b>Bold</b> & old'\ndate: -0500\ntags: [ancient]\n",
            "content/events/y.yaml": "title: Timed\ndate: 2020-10-23T18:01+07:00\n",
        }
    )
    events = json.loads(dict(render_open_data(index_site(root)))["timeline.json"])["events"]
    assert events[0]["start_date"]["year"] == -501  # TimelineJS shows -501 as "501 BCE": it has no year 0
    assert events[0]["start_date"]["display_date"] == "501 BCE"
    assert events[0]["text"]["headline"] == "&lt;b&gt;Bold&lt;/b&gt; &amp; old"
    assert events[0]["group"] == "ancient"
    assert events[1]["start_date"] | {"display_date": ""} == {
        "year": 2020, "month": 10, "day": 23, "hour": 18, "minute": 1, "display_date": "",
    }  # fmt: skip


def test_open_data_is_deterministic(example: tuple[Timeline, Path]) -> None:
    tl, _ = example
    assert dict(render_open_data(tl)) == dict(render_open_data(tl))


def _with_digests(root: Path) -> tuple[Timeline, dict[str, str]]:
    """Return the site's timeline and its record digests, as a build computes them."""
    config = load_config(root)
    content, diags = read_content(config)
    tl, more = index_content(content, config)
    assert not has_errors(diags + more), [d.format() for d in diags + more]
    return tl, record_digests(tl, dict(content.digests), "site")


def test_pieces_are_kept_between_builds_and_change_no_byte(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    shutil.copytree(REPO / "content", root / "content")
    tl, digests = _with_digests(root)
    memo: Memo[str, Any] = Memo()
    first = dict(render_open_data(tl, Fragments(memo, digests)))
    assert first == dict(render_open_data(tl))
    memo.prune()
    assert dict(render_open_data(tl, Fragments(memo, digests))) == first
    assert (memo.misses, memo.hits) == (0, len(memo.entries))
    memo.prune()
    path = root / "content" / "events" / "putin-death-toll-statement.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Putin", "President Putin", 1), encoding="utf-8")
    edited, after = _with_digests(root)
    before = set(memo.entries)
    assert dict(render_open_data(edited, Fragments(memo, after))) == dict(render_open_data(edited))
    made = {key.split("\0")[1] for key in set(memo.entries) - before}
    assert "event:putin-death-toll-statement" in made
    assert made <= {key for key in after if after[key] != digests.get(key)}


JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(JSON_VALUES, st.data())
def test_spliced_json_is_what_json_dumps_writes(value: Any, data: st.DataObject) -> None:
    def splice(part: Any) -> Any:
        # Any part may come as text encoded earlier, as a piece does.
        if data.draw(st.booleans()):
            return Encoded(json.dumps(part, ensure_ascii=False, indent=2))
        if isinstance(part, dict):
            return {k: splice(v) for k, v in part.items()}
        if isinstance(part, list):
            return [splice(v) for v in part]
        return part

    assert dumps(splice(value)) == json.dumps(value, ensure_ascii=False, indent=2)


def test_timelinejs_export_uses_the_cosmological_scale_only_for_deep_time(make_site) -> None:
    source = "sources:\n  - title: R\n    url: https://example.org/r\n"
    human = {"content/events/bce.yaml": f"title: Erebuni\ndate: 782 BCE\n{source}"}
    deep = {**human, "content/events/deep.yaml": f"title: Dmanisi\ndate: Y-1800000\n{source}"}
    scales = []
    for files in (human, deep):
        exported = dict(render_open_data(index_site(make_site(files))))
        scales.append(json.loads(exported["timeline.json"])["scale"])
    assert scales == ["human", "cosmological"]
