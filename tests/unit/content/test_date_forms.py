"""Each date form of docs/format.md: its display in two languages, its order, and what the reader makes of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline.content.config import SiteConfig
from timeline.content.dates import EDate, format_span, format_year, parse_date, parse_span
from timeline.content.reader import read_content
from timeline.errors import Diagnostic

DISPLAYS = [
    # written, English, Indonesian
    ("2001-21", "spring 2001", "musim semi 2001"),
    ("2001-24", "winter 2001", "musim dingin 2001"),
    ("199X", "1990s", "tahun 1990-an"),
    ("19XX", "1900s", "tahun 1900-an"),
    ("2004-XX", "a month in 2004", "suatu bulan pada 2004"),
    ("1985-04-XX", "a day in April 1985", "suatu hari pada April 1985"),
    ("2020-09-27/..", "ongoing since September 27, 2020", "berlangsung sejak 27 September 2020"),
    ("2020-09-27/", "from September 27, 2020, end unknown", "sejak 27 September 2020, akhir tidak diketahui"),
    ("../1985", "until 1985", "hingga 1985"),
    ("/1985", "until 1985, start unknown", "hingga 1985, awal tidak diketahui"),
    ("Y-13800000000", "13.8 billion years ago", "13,8 miliar tahun yang lalu"),
    ("Y-170000002", "170 million years ago", "170 juta tahun yang lalu"),
    ("-0094", "95 BCE", "95 SM"),
    ("95 BCE", "95 BCE", "95 SM"),
    ("c. 95 BC", "c. 95 BCE", "sekitar 95 SM"),
    ("0000", "1 BCE", "1 SM"),
    ("-0043-03-15", "March 15, 44 BCE", "15 Maret 44 SM"),
    ("0000-02-29", "February 29, 1 BCE", "29 Februari 1 SM"),
    ("-0860~/-0590~", "c. 861 BCE – c. 591 BCE", "sekitar 861 SM – sekitar 591 SM"),
    (
        "2020-11-09T23:00~ Europe/Moscow",
        "c. November 9, 2020, 23:00 Europe/Moscow",
        "sekitar 9 November 2020, 23:00 Europe/Moscow",
    ),
    ("1985-04-12T23:20:30-04", "April 12, 1985, 23:20 UTC-04:00", "12 April 1985, 23:20 UTC-04:00"),
]


@pytest.mark.parametrize(("text", "en", "id_"), DISPLAYS)
def test_display_in_english_and_indonesian(text: str, en: str, id_: str) -> None:
    """Each form has its own words, at its precision, in the site's language."""
    span = parse_span(text)
    assert (format_span(span, "en"), format_span(span, "id")) == (en, id_)


def test_bce_is_one_function_and_documented_numbering() -> None:
    """Astronomical years in, BCE out: -0094 and 95 BCE are one year; 0000 is 1 BCE."""
    assert parse_date("-0094") == parse_date("95 BCE") == parse_date("95 BC")
    assert parse_date("0000") == parse_date("1 BCE")
    assert [format_year(y) for y in (1, 0, -1, -9999)] == ["1", "1 BCE", "2 BCE", "10000 BCE"]
    with pytest.raises(ValueError, match="no year 0 BCE"):
        parse_date("0 BCE")


def test_sort_order_across_forms() -> None:
    """Deep time, BCE, decades, seasons, months, days and times sort by when they start."""
    written = [
        "Y-13800000000", "Y-170000002", "-9999", "-0094", "0000", "0001", "199X", "1990", "1990-05",
        "2001", "2001-XX-XX", "2001-21", "2001-03-15", "2001-04", "2001-22", "2020-09-27",
        "2020-09-27T10:00Z", "Y170000002",
    ]  # fmt: skip
    dates = [parse_date(t) for t in written]
    keys = [d.sort_key() for d in dates]
    assert keys == sorted(keys)
    starts = [d.position() for d in dates]
    assert starts == sorted(starts)


def test_extents_of_periods() -> None:
    """A decade, a season and a month cover their whole period on the axis."""
    assert parse_span("201X").extent() == (2010.0, 2020.0)
    low, high = parse_span("2001-24").extent()
    assert 2001.9 < low < 2002 < high < 2002.2  # December into February
    assert parse_span("Y-170000002/2020").extent()[0] == -170000002.0


def test_julian_dates_are_shown_as_written_and_held_as_gregorian() -> None:
    """calendar: julian keeps the date as written (O.S.) and sorts by its Gregorian equivalent."""
    date = parse_date("1805-05-14", calendar="julian")
    assert (date.year, date.month, date.day, date.edtf(), date.iso()) == (1805, 5, 26, "1805-05-14", "1805-05-26")
    assert format_span(parse_span("1805-05-14", calendar="julian"), "en") == "May 14, 1805 (O.S.; May 26, 1805)"
    assert parse_date("1700-02-29", calendar="julian").iso() == "1700-03-11"  # a Julian leap day
    with pytest.raises(ValueError, match="Julian calendar"):
        parse_date("1701-02-29", calendar="julian")


def test_local_times_that_do_not_exist_or_occur_twice() -> None:
    """A skipped wall time is an error; a repeated one asks for its offset, which picks the fold."""
    with pytest.raises(ValueError, match="does not exist in Europe/Berlin.*03:30"):
        parse_date("2021-03-28T02:30 Europe/Berlin")
    with pytest.raises(ValueError) as raised:
        parse_date("2021-10-31T02:30 Europe/Berlin")
    assert "2021-10-31T02:30+02:00 Europe/Berlin or 2021-10-31T02:30+01:00 Europe/Berlin" in str(raised.value)
    first, second = (
        parse_date("2021-10-31T02:30+02:00 Europe/Berlin"),
        parse_date("2021-10-31T02:30+01:00 Europe/Berlin"),
    )
    assert (first.fold, second.fold) == (0, 1) and first.sort_key() < second.sort_key()
    assert parse_date(second.edtf()) == second
    with pytest.raises(ValueError, match="never \\+05:00"):
        parse_date("2021-10-31T02:30+05:00 Europe/Berlin")
    with pytest.raises(ValueError, match="site's time zone"):
        parse_date("2021-03-28T02:30", zone="Europe/Berlin")


def test_qualifier_before_the_zone() -> None:
    """`~` right after the time means the same as at the end."""
    assert parse_date("2020-11-09T23:00~ Europe/Moscow") == parse_date("2020-11-09T23:00 Europe/Moscow~")
    assert parse_date("2020-11-09T23:00~ Europe/Moscow").approximate


def test_an_end_is_compared_by_the_last_instant_it_covers() -> None:
    """2020-11 may end a range that starts on 2020-11-10; 2020-10 may not."""
    assert parse_span("2020-11-10/2020-11").end == EDate(2020, 11)
    with pytest.raises(ValueError, match="ends before it starts"):
        parse_span("2020-11-10/2020-10")


def _read(root: Path, files: dict[str, str]) -> tuple[list[str], object]:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    content, diags = read_content(SiteConfig(root=root, title="T"))
    return [d.format() for d in sorted(diags, key=Diagnostic.format)], content


def test_reader_milestones_calendar_and_end(tmp_path: Path) -> None:
    """Milestones keep their own precision and zone; calendar: julian applies to the event's dates."""
    diags, content = _read(
        tmp_path,
        {
            "content/events/ceasefire.yaml": (
                "title: Ceasefire\ndate: 2020-11-10\nend: 2020-11\nmilestones:\n"
                "  - label: Signed\n    date: 2020-11-09T23:00 Europe/Moscow\n"
                "  - label: In force\n    date: 2020-11-10T00:00~ Europe/Moscow\n"
            ),
            "content/events/treaty.yaml": "title: Treaty\ndate: 1805-05-14\ncalendar: julian\n",
        },
    )
    assert diags == []
    events = {e.id: e for e in content.events}  # type: ignore[attr-defined]
    ceasefire = events["ceasefire"]
    assert [(m.label, m.span.edtf(), m.line) for m in ceasefire.milestones] == [
        ("Signed", "2020-11-09T23:00 Europe/Moscow", 5),
        ("In force", "2020-11-10T00:00 Europe/Moscow~", 7),
    ]
    assert ceasefire.span.end == EDate(2020, 11)
    assert events["treaty"].span.start.iso() == "1805-05-26"


def test_reader_locates_bad_calendars_milestones_and_times(tmp_path: Path) -> None:
    """Each problem is an error at its value, all in one run."""
    diags, _ = _read(
        tmp_path,
        {
            "content/events/a.yaml": "title: A\ndate: 2020\ncalendar: hebrew\n",
            "content/events/b.yaml": "title: B\ndate: 2020\nmilestones:\n  - date: 2020-13\n",
            "content/events/c.yaml": "title: C\ndate: 2021-10-31T02:30 Europe/Berlin\n",
            "content/events/d.yaml": "title: D\ndate: 2020/..\nend: 2021\n",
        },
    )
    assert diags == [
        "content/events/a.yaml:3:11: error: calendar 'hebrew' is not one of gregorian, julian",
        "content/events/b.yaml:4:11: error: date: '2020-13' has no month 13 (months are 01 to 12, seasons 21 to 24)",
        "content/events/b.yaml:4:5: error: missing required field 'label'",
        "content/events/c.yaml:2:7: error: date: '2021-10-31T02:30 Europe/Berlin' happens twice in Europe/Berlin "
        "(a daylight-saving change): write which, 2021-10-31T02:30+02:00 Europe/Berlin or "
        "2021-10-31T02:30+01:00 Europe/Berlin",
        "content/events/d.yaml:3:6: error: 'end' given twice: 'date' is already a range",
    ]
