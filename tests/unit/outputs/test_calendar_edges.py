"""The first and last days of the calendar in the axis, feeds and calendars: no overflow, padded years."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import icalendar
import lxml.html

from tests.unit.pages.test_axis import make_site
from timeline.build.pipeline import build_site
from timeline.content.config import SiteConfig
from timeline.content.dates import EDate, parse_date
from timeline.outputs.feeds import instant
from timeline.outputs.ics import timezones, vevent
from timeline.pages.axis import position, render_axis, stretches


def test_leap_day_of_year_zero_has_its_place_on_the_axis() -> None:
    """0000-02-29 is day 60 of a 366-day year (it used to fail in datetime, which has no year 0)."""
    assert position(EDate(0, 2, 29)) == 59 / 366
    assert position(EDate(0, 3, 1)) == 60 / 366
    assert position(EDate(-4, 12, 31), end=True) == -4 + 366 / 366


def test_axis_spans_the_whole_calendar(tmp_path: Path) -> None:
    """Events in -9999 and 9999-12-31 (and December 9999 alone) draw an axis with labelled ticks."""
    events = {
        "first": "title: First\ndate: '-9999'\nsources:\n  - title: S\n",
        "last": "title: Last\ndate: '9999-12-31T23:59:59Z'\nsources:\n  - title: S\n",
    }
    tl = make_site(tmp_path / "whole", events)
    svg = lxml.html.fromstring(str(render_axis(tl)))
    assert svg.xpath("count(//a[contains(@class,'mark')])") == 2
    labels = [t.text for t in svg.xpath("//svg//text")]
    assert labels and all(label for label in labels)
    alone = make_site(tmp_path / "alone", {"last": events["last"]})
    [stretch] = stretches([(position(EDate(9999, 12, 31)), position(EDate(9999, 12, 31), end=True))])
    assert stretch.end == 10000.0 and stretch.start < stretch.end
    # A lone instant is drawn in the hour around it, labelled by clock time, and never past the calendar's end.
    axis = lxml.html.fromstring(str(render_axis(alone)))
    assert axis.xpath("//*[@role='group']/@aria-label") == ["December 31, 9999, 23:00 – December 31, 9999, 24:00"]
    assert "23:30" in axis.text_content()


def test_a_calendar_date_at_the_start_of_time_east_of_greenwich(tmp_path: Path) -> None:
    """0001-01-01 in +07:00 starts before the first datetime: its feed instant is taken in UTC."""
    config = SiteConfig(root=tmp_path, title="T", timezone="Asia/Jakarta")
    assert instant(parse_date("0001-01-01"), config) == dt.datetime(1, 1, 1, tzinfo=dt.UTC)
    assert instant(parse_date("0001-01-02"), config) == dt.datetime(1, 1, 1, 16, 52, 48, tzinfo=dt.UTC)
    assert instant(parse_date("9999-12-31T23:59:59Z"), config) == dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC)


def _observances(vtimezone: str) -> list[tuple[str, str, dt.timedelta, dt.timedelta]]:
    zone = icalendar.Calendar.from_ical(f"BEGIN:VCALENDAR\r\n{vtimezone}END:VCALENDAR\r\n").walk("VTIMEZONE")[0]
    return [
        (part.name, part["DTSTART"].to_ical().decode(), part.decoded("TZOFFSETFROM"), part.decoded("TZOFFSETTO"))
        for part in zone.subcomponents
    ]


def test_vtimezones_of_the_first_and_last_years() -> None:
    """Year 1 west of Greenwich and year 9998 east of it: VTIMEZONEs, not OverflowError."""
    lmt = -dt.timedelta(hours=4, minutes=56, seconds=2)  # New York's local mean time, to the second
    first = _observances(timezones([("", (("America/New_York", 1),))])["America/New_York"])
    assert first == [("STANDARD", "00010101T000000", lmt, lmt)]
    last = _observances(timezones([("", (("America/New_York", 9998),))])["America/New_York"])
    assert [name for name, *_ in last].count("DAYLIGHT") == 1  # the summer-time rule still runs in 9998
    kiritimati = timezones([("", (("Pacific/Kiritimati", 9998), ("Pacific/Kiritimati", 9999)))])
    assert _observances(kiritimati["Pacific/Kiritimati"])[0][2:] == (dt.timedelta(hours=14), dt.timedelta(hours=14))


def test_years_before_1000_keep_four_digits() -> None:
    stamp = dt.datetime(999, 12, 31, 23, 59, 1, tzinfo=dt.UTC)
    text, zones = vevent([("DTSTART", dt.date(1, 1, 1)), ("DTSTAMP", stamp)])
    assert "DTSTART;VALUE=DATE:00010101\r\n" in text and "DTSTAMP:09991231T235901Z\r\n" in text
    assert zones == ()  # a date and a UTC time name no zone


def test_calendar_of_edge_events_parses(tmp_path: Path) -> None:
    """A site with events on the first and last days builds an events.ics a real parser reads."""
    site = tmp_path / "site"
    (site / "content/events").mkdir(parents=True)
    (site / "site.yaml").write_text("title: T\ntimezone: America/New_York\n", encoding="utf-8")
    dates = ["0001-01-01T12:00", "0999-06-01T08:00Z", "9998-12-31", "0001-01-01"]
    for number, date in enumerate(dates):
        (site / f"content/events/e{number}.yaml").write_text(
            f"title: E{number}\ndate: '{date}'\nsources:\n  - title: S\n", encoding="utf-8"
        )
    result = build_site(site)
    assert not result.failed(), [d.format() for d in result.diagnostics]
    data = (site / "_site/events.ics").read_bytes()
    calendar = icalendar.Calendar.from_ical(data)
    starts = sorted(str(e.decoded("DTSTART"))[:10] for e in calendar.walk("VEVENT"))
    assert starts == ["0001-01-01", "0001-01-01", "0999-06-01", "9998-12-31"]
    assert not re.search(rb"DTSTAMP:\d{1,7}T", data)  # every stamp has its 8 date digits
    feed = (site / "_site/feed.xml").read_text(encoding="utf-8")
    assert "<updated>0999-06-01T08:00:00Z</updated>" in feed
