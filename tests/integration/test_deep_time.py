"""A site spanning deep time builds, and writes every year one way: headings, axis labels, aria-labels."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import SiteFactory
from timeline.build.pipeline import build_site

SOURCE = "sources:\n  - title: A report\n    url: https://example.org/r\n"
DATES = [
    "Y-13800000000",
    "Y-4500000000",
    "Y-540000000",
    "Y-66000000",
    "Y-10500",
    "-2999",
    "-0094",
    "95 BCE",
    "1805",
    "2020-09-27/..",
]


def test_deep_time_and_bce_build_and_are_written_one_way(make_site: SiteFactory, tmp_path: Path) -> None:
    """Headings say "13.8 billion years ago" and "95 BCE"; nothing shows a minus year."""
    files = {f"content/events/e{n}.yaml": f"title: Event {n}\ndate: '{d}'\n{SOURCE}" for n, d in enumerate(DATES)}
    out = tmp_path / "out"
    result = build_site(make_site(files), out, cache=False)
    assert not result.failed(), [d.format() for d in result.diagnostics]
    page = (out / "index.html").read_text(encoding="utf-8")
    headings = re.findall(r'class="year-title">([^<]*)<', page)
    assert headings == [
        "13.8 billion years ago", "4.5 billion years ago", "540 million years ago", "66 million years ago",
        "12,500 years ago", "3000 BCE", "95 BCE", "1805", "2020",
    ]  # fmt: skip
    labels = re.findall(r'aria-label="(Event [0-9]+, [^"]*)"', page)
    assert "Event 6, 95 BCE" in labels and "Event 7, 95 BCE" in labels
    assert "Event 9, ongoing since September 27, 2020" in labels
    shown = re.sub(r"<[^>]+>", " ", page)
    assert not re.search(r"(?<![\w-])-\d{2,}\b", shown)  # no astronomical year reaches a reader
    bce = (out / "events" / "e6" / "index.html").read_text(encoding="utf-8")
    assert '<span class="date">95 BCE</span>' in bce
