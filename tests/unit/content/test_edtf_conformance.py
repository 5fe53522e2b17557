"""Conformance with the EDTF specification (Library of Congress, 2019), level by level.

Every example string the specification gives for level 0 and level 1 is read, written back the
same way, and given a display; strings the specification rules out are located errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline.content.config import SiteConfig
from timeline.content.dates import DateSpan, format_span, parse_span
from timeline.content.reader import read_content

# Level 0: date; date and time; time interval.
LEVEL_0 = {
    "1985-04-12": "April 12, 1985",
    "1985-04": "April 1985",
    "1985": "1985",
    "1985-04-12T23:20:30": "April 12, 1985, 23:20",
    "1985-04-12T23:20:30Z": "April 12, 1985, 23:20 UTC",
    "1985-04-12T23:20:30-04": "April 12, 1985, 23:20 UTC-04:00",
    "1985-04-12T23:20:30+04:30": "April 12, 1985, 23:20 UTC+04:30",
    "1964/2008": "1964 – 2008",
    "2004-06/2006-08": "June 2004 – August 2006",
    "2004-02-01/2005-02-08": "February 1, 2004 – February 8, 2005",
    "2004-02-01/2005-02": "February 1, 2004 – February 2005",
    "2004-02-01/2005": "February 1, 2004 – 2005",
    "2005/2006-02": "2005 – February 2006",
}

# Level 1: letter-prefixed calendar year; seasons; qualification of a date (complete);
# unspecified digits from the right; extended interval; negative calendar year.
LEVEL_1 = {
    "Y170000002": "170,000,002",
    "Y-170000002": "170 million years ago",
    "2001-21": "spring 2001",
    "1984?": "1984?",
    "2004-06~": "c. June 2004",
    "2004-06-11%": "c. June 11, 2004?",
    "201X": "2010s",
    "20XX": "2000s",
    "2004-XX": "a month in 2004",
    "1985-04-XX": "a day in April 1985",
    "1985-XX-XX": "a day in 1985",
    "1985-04-12/..": "ongoing since April 12, 1985",
    "1985-04/..": "ongoing since April 1985",
    "1985/..": "ongoing since 1985",
    "../1985-04-12": "until April 12, 1985",
    "../1985-04": "until April 1985",
    "../1985": "until 1985",
    "1985-04-12/": "from April 12, 1985, end unknown",
    "1985-04/": "from April 1985, end unknown",
    "1985/": "from 1985, end unknown",
    "/1985-04-12": "until April 12, 1985, start unknown",
    "/1985-04": "until April 1985, start unknown",
    "/1985": "until 1985, start unknown",
    "1984~/2004-06": "c. 1984 – June 2004",
    "1984/2004-06~": "1984 – c. June 2004",
    "1984~/2004~": "c. 1984 – c. 2004",
    "1984?/2004%": "1984? – c. 2004?",
    "1984-06?/2004-08?": "June 1984? – August 2004?",
    "1984-06-02?/2004-08-08~": "June 2, 1984? – c. August 8, 2004",
    "1984-06-02?/": "from June 2, 1984?, end unknown",
    "-1985": "1986 BCE",
}

# What the specification rules out at levels 0 and 1: a negative year 0, impossible months and
# days, seasons beyond level 1, Y before a year of four digits or fewer, unspecified digits not
# from the right, basic format, qualifiers inside a date (level 2), intervals without a date.
INVALID = [
    "-0000",
    "2016-13-08",
    "2001-25",
    "2001-41",
    "2001-02-30",
    "1900-02-29",
    "Y2020",
    "Y-1985",
    "Y17000-08",
    "1X85",
    "2004-1X",
    "1985-XX-12",
    "201X-04",
    "19850412",
    "1985-04-12T23:20:30-25",
    "1985-04-12T24:00:00",
    "2004-06~-11",
    "?2004-06-11",
    "2004-06-11%?",
    "../..",
    "/",
    "..",
    "1985/1984",
    "2004-06-11/2004-06-10",
    "-13800000000",
]


def _roundtrip(text: str) -> DateSpan:
    span = parse_span(text)
    again = parse_span(span.edtf())
    assert again == span
    return span


@pytest.mark.parametrize("text", sorted(LEVEL_0))
def test_level_0_example(text: str) -> None:
    """Each level 0 example reads, writes back as EDTF and has its display."""
    span = _roundtrip(text)
    assert span.edtf().replace("-04:00", "-04") == text
    assert format_span(span, "en") == LEVEL_0[text]


@pytest.mark.parametrize("text", sorted(LEVEL_1))
def test_level_1_example(text: str) -> None:
    """Each level 1 example reads, writes back exactly as written and has its own display."""
    span = _roundtrip(text)
    assert span.edtf() == text
    assert format_span(span, "en") == LEVEL_1[text]


@pytest.mark.parametrize("text", INVALID)
def test_invalid_example_is_refused(text: str) -> None:
    """Each string outside levels 0 and 1 is refused with a message that quotes it."""
    with pytest.raises(ValueError, match="'"):
        parse_span(text)


def test_every_invalid_example_is_a_located_error(tmp_path: Path) -> None:
    """In content, each invalid example is an error at its value: path:line:col, all in one run."""
    events = tmp_path / "content" / "events"
    events.mkdir(parents=True)
    for number, text in enumerate(INVALID):
        quoted = "'" + text.replace("'", "''") + "'"
        (events / f"e{number:02d}.yaml").write_text(f"title: T\ndate: {quoted}\n", encoding="utf-8")
    _, diags = read_content(SiteConfig(root=tmp_path, title="T"))
    found = {(d.path, d.line, d.col) for d in diags if d.severity == "error"}
    assert found == {(f"content/events/e{n:02d}.yaml", 2, 7) for n in range(len(INVALID))}
    assert all(d.format().startswith(f"{d.path}:2:7: error: date: '") for d in diags)
