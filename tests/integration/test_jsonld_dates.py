"""JSON-LD keeps what a date says: uncertainty as text, and containment only when it is certain."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.conftest import SiteFactory
from timeline.build.pipeline import build_site

SOURCE = "sources:\n  - title: A report\n    url: https://example.org/r\n"


def _event_ld(out: Path, key: str) -> dict[str, Any]:
    html = (out / "events" / key / "index.html").read_text(encoding="utf-8")
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html):
        data = json.loads(block)
        if data.get("@type") == "Event":
            return data  # type: ignore[no-any-return]
    raise AssertionError(key)


def test_uncertain_dates_and_super_events(make_site: SiteFactory, tmp_path: Path) -> None:
    """A 1988-02~ event is in no range; a certain one is; deep time and open ends are kept as text."""
    events = {
        "war": "1988/1994",
        "approx": "1988-02~",
        "inside": "1990-05-01",
        "feb": "1988-02",
        "late-start": "1988-02-20/1994",
        "ongoing": "2020-09-27/..",
        "deep": "Y-13800000000",
        "bce": "-0094",
    }
    files = {f"content/events/{k}.yaml": f"title: {k}\ndate: '{v}'\n{SOURCE}" for k, v in events.items()}
    site = make_site(files)
    out = tmp_path / "out"
    result = build_site(site, out, cache=False)
    assert not result.failed(), result.diagnostics
    approx = _event_ld(out, "approx")
    assert "superEvent" not in approx
    assert (
        approx["startDate"] == "1988-02" and approx["disambiguatingDescription"] == "c. February 1988 (EDTF: 1988-02~)"
    )
    # The innermost range first (JSON-LD names at most three).
    assert [p["name"] for p in _event_ld(out, "inside")["superEvent"]] == ["late-start", "war"]
    assert [p["name"] for p in _event_ld(out, "feb")["superEvent"]] == ["war"]  # not inside one from 20 February
    ongoing = _event_ld(out, "ongoing")
    assert ongoing["startDate"] == "2020-09-27" and "endDate" not in ongoing
    assert "ongoing since" in ongoing["disambiguatingDescription"]
    deep = _event_ld(out, "deep")
    assert "startDate" not in deep and deep["disambiguatingDescription"].startswith("13.8 billion years ago")
    assert _event_ld(out, "bce")["startDate"] == "-0094"
    page = (out / "events" / "bce" / "index.html").read_text(encoding="utf-8")
    assert "95 BCE" in page and "-0094<" not in page and "-94<" not in page


def test_milestones_calendar_and_open_ends_in_page_and_open_data(make_site: SiteFactory, tmp_path: Path) -> None:
    """Milestones are listed on the page and in JSON-LD and events.json; julian and open ends survive export."""
    files = {
        "content/events/ceasefire.yaml": (
            "title: Ceasefire\ndate: 2020-11-10\nmilestones:\n"
            "  - label: Signed\n    date: 2020-11-09T23:00 Europe/Moscow\n"
            "  - label: In force\n    date: 2020-11-10T00:00 Europe/Moscow\n" + SOURCE
        ),
        "content/events/treaty.yaml": f"title: Treaty\ndate: 1805-05-14\ncalendar: julian\n{SOURCE}",
        "content/events/war.yaml": f"title: War\ndate: 2020-09-27/..\n{SOURCE}",
    }
    out = tmp_path / "out"
    result = build_site(make_site(files), out, cache=False)
    assert not result.failed(), result.diagnostics
    page = (out / "events" / "ceasefire" / "index.html").read_text(encoding="utf-8")
    assert (
        '<dt>Signed</dt><dd><time datetime="2020-11-09T23:00+03:00">November 9, 2020, 23:00 Europe/Moscow</time>'
        in page
    )
    assert [s["name"] for s in _event_ld(out, "ceasefire")["subEvent"]] == ["Signed", "In force"]
    treaty = (out / "events" / "treaty" / "index.html").read_text(encoding="utf-8")
    assert '<time datetime="1805-05-26">May 14, 1805 (O.S.; May 26, 1805)</time>' in treaty
    war = (out / "events" / "war" / "index.html").read_text(encoding="utf-8")
    assert '<time datetime="2020-09-27">ongoing since September 27, 2020</time>' in war
    records = {e["id"]: e for e in json.loads((out / "events.json").read_text(encoding="utf-8"))["events"]}
    assert records["ceasefire"]["milestones"] == [
        {"label": "Signed", "date": "2020-11-09T23:00 Europe/Moscow"},
        {"label": "In force", "date": "2020-11-10T00:00 Europe/Moscow"},
    ]
    assert (records["treaty"]["date"], records["treaty"]["calendar"]) == ("1805-05-14", "julian")
    assert records["war"]["date"] == "2020-09-27/.." and records["war"]["end"] is None
    assert "2020-09-27/.." in (out / "events.csv").read_text(encoding="utf-8")
