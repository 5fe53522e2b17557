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
    assert [p["name"] for p in _event_ld(out, "inside")["superEvent"]] == ["war", "late-start"]
    assert [p["name"] for p in _event_ld(out, "feb")["superEvent"]] == ["war"]  # not inside one from 20 February
    ongoing = _event_ld(out, "ongoing")
    assert ongoing["startDate"] == "2020-09-27" and "endDate" not in ongoing
    assert "ongoing since" in ongoing["disambiguatingDescription"]
    deep = _event_ld(out, "deep")
    assert "startDate" not in deep and deep["disambiguatingDescription"].startswith("13.8 billion years ago")
    assert _event_ld(out, "bce")["startDate"] == "-0094"
    page = (out / "events" / "bce" / "index.html").read_text(encoding="utf-8")
    assert "95 BCE" in page and "-0094<" not in page and "-94<" not in page
