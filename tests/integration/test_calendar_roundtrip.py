"""events.ics of a generated site, read back by ``icalendar``: every VEVENT starts and ends as written."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import icalendar

from benchmarks.corpus import make_articles, write_timeline
from timeline.build.pipeline import build_site
from timeline.content.config import load_config
from timeline.content.dates import EDate
from timeline.content.linking import index_content
from timeline.content.reader import read_content

TRICKY = {
    # Non-Latin and right-to-left titles, and one with every character TEXT must escape.
    "x-cyrillic": ("Переговоры в Баку", "2021-03-04T09:15 Asia/Baku", None),
    "x-arabic": ("وقف إطلاق النار في المدينة", "2021-03-05", "2021-03-09"),
    "x-hebrew": ("הסכם שביתת נשק", "2021-03-06T23:30 Asia/Jerusalem", "2021-03-07T01:00 Asia/Jerusalem"),
    "x-escapes": ("Semi; comma, back\\\\slash\\nand a second line", "2021-03-07T10:00+05:30", "2021-03-07T12:00Z"),
    "x-month-end": ("Range to a month", "2021-01-31", "2021-02"),
    # Right after the skipped hour (a time inside it is an error), and the second of two 02:30s,
    # picked by its offset: the calendar must name the same instants.
    "x-dst-gap": ("After the skipped hour", "2021-03-28T03:30 Europe/Berlin", None),
    "x-dst-fold": ("The second 02:30", "2021-10-31T02:30+01:00 Europe/Berlin", "2021-10-31T03:15 Europe/Berlin"),
}
"""id -> (title as YAML double-quoted text, date, end)."""


def _in_utc(zone: str) -> bool:
    """Return True for a time written in UTC or with an offset: the calendar gives its instant in UTC."""
    return zone in ("UTC", "Etc/UTC", "Z") or zone[0] in "+-"


def _expected(date: EDate, zone: str) -> dt.datetime:
    """Return the value a parser should give for a DTSTART/DTEND written as ``date`` (timed)."""
    wall = dt.datetime(date.year, date.month or 1, date.day or 1, date.hour or 0, date.minute or 0, date.second or 0)
    if _in_utc(zone):
        moment = date.moment() or wall.replace(tzinfo=dt.UTC)
        return moment.astimezone(dt.UTC)
    if date.fold:
        # A wall time the zone shows twice has no unambiguous TZID form: it is written as its instant in UTC.
        return wall.replace(tzinfo=zoneinfo.ZoneInfo(zone), fold=date.fold).astimezone(dt.UTC)
    return wall.replace(tzinfo=zoneinfo.ZoneInfo(zone))


def _day_after(date: EDate) -> dt.date:
    if date.month is None:
        return dt.date(date.year + 1, 1, 1)
    if date.day is None:
        return dt.date(date.year + (date.month == 12), date.month % 12 + 1, 1)
    return dt.date(date.year, date.month, date.day) + dt.timedelta(days=1)


def test_events_ics_round_trips_through_icalendar(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_timeline(site, make_articles(40, seed=3), 1500, seed=3)
    for key, (title, date, end) in TRICKY.items():
        lines = [f'title: "{title}"', f"date: {date}", "sources:", "  - title: S"]
        lines += [f"end: {end}"] if end else []
        (site / "content/events" / f"{key}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build_site(site)
    assert not result.failed(), [d.format() for d in result.diagnostics][:5]

    config = load_config(site)
    content, _ = read_content(config)
    tl, _ = index_content(content, config)
    parsed = icalendar.Calendar.from_ical((site / "_site/events.ics").read_bytes())
    vevents = {str(v["UID"]).split("@")[0]: v for v in parsed.walk("VEVENT")}
    dated = {e.id for e in tl.events if e.span.start.precision not in ("year", "month")}
    assert set(vevents) == dated and len(dated) > 500

    kinds = {"all-day": 0, "zoned": 0, "utc": 0, "range": 0}
    for event in tl.events:
        if event.id not in vevents:
            continue
        vevent, start, end = vevents[event.id], event.span.start, event.span.end
        assert str(vevent["SUMMARY"]) == event.title
        if start.hour is None:
            kinds["all-day"] += 1
            kinds["range"] += end is not None
            assert vevent.decoded("DTSTART") == dt.date(start.year, start.month or 1, start.day or 1)
            assert vevent.decoded("DTEND") == _day_after(end or start)
            continue
        zone = start.zone or config.timezone
        value = vevent.decoded("DTSTART")
        assert value == _expected(start, zone) and value.utcoffset() == _expected(start, zone).utcoffset()
        if _in_utc(zone) or start.fold:
            kinds["utc"] += 1
            assert vevent["DTSTART"].to_ical().endswith(b"Z") and value.utcoffset() == dt.timedelta(0)
        else:
            kinds["zoned"] += 1
            # The wall time as written, in the zone as written (not converted to UTC).
            wall = _expected(start, zone).replace(tzinfo=None)
            assert (value.replace(tzinfo=None), str(value.tzinfo)) == (wall, zone)
        if end is not None and end.hour is not None:
            assert vevent.decoded("DTEND") == _expected(end, end.zone or config.timezone)
        else:
            assert "DTEND" not in vevent
    assert min(kinds.values()) > 3, kinds
    assert str(vevents["x-escapes"]["SUMMARY"]) == "Semi; comma, back\\slash\nand a second line"
    # Every zone a VEVENT names has its VTIMEZONE.
    named = {str(v["DTSTART"].params["TZID"]) for v in vevents.values() if "TZID" in v["DTSTART"].params}
    assert named >= {"Asia/Baku", "Asia/Jerusalem", "Europe/Berlin"}
    assert named == {str(z["TZID"]) for z in parsed.walk("VTIMEZONE")}
