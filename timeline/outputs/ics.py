"""The iCalendar writer (RFC 5545): escaping, folding, times, time zones and whole calendars.

An event's VEVENT is made in ``timeline.outputs.feeds`` from the event's record; this module only lays
out text, so a calendar can be assembled from VEVENTs made in an earlier build.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from timeline.content.config import SiteConfig
from timeline.content.dates import EDate, zone_info

XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

ZoneYears = tuple[tuple[str, int, tuple[str, ...]], ...]
"""(IANA zone, year, STANDARD/DAYLIGHT observance lines of that zone in that year), for a VEVENT.

A VEVENT piece carries its zones' observances so that a warm build need not derive them from
tzdata again (about 1 ms per zone-year).
"""


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 sequence (RFC 5545 3.1)."""
    if len(line) <= 75 and line.isascii():
        return line  # most lines: nothing to fold
    out: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def folded(lines: Iterable[str]) -> str:
    """Return content lines folded, each ended by CRLF."""
    return "".join(fold(line) + "\r\n" for line in lines)


def ics_text(text: str) -> str:
    r"""Escape a TEXT value: backslash, semicolon, comma and newlines.

    >>> ics_text("a,b;c\\d\ne")
    'a\\,b\\;c\\\\d\\ne'
    """
    text = XML_INVALID.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ics_date(day: dt.date) -> str:
    """Return a DATE value; by hand, since strftime drops the zeros of a year before 1000.

    >>> ics_date(dt.date(33, 4, 3)), ics_date(dt.datetime(5, 1, 2, 3, 4, 5))
    ('00330403', '00050102T030405')
    """
    text = f"{day.year:04d}{day.month:02d}{day.day:02d}"
    if isinstance(day, dt.datetime):
        text += f"T{day.hour:02d}{day.minute:02d}{day.second:02d}"
    return text


def day_after(date: EDate) -> dt.date:
    """Return the first day after the period a year, month or day names."""
    if date.month is None:
        return dt.date(date.year + 1, 1, 1)
    if date.day is None:
        return dt.date(date.year + 1, 1, 1) if date.month == 12 else dt.date(date.year, date.month + 1, 1)
    return dt.date(date.year, date.month, date.day) + dt.timedelta(days=1)


def zone_of(date: EDate, config: SiteConfig) -> str:
    """Return ``Z`` for times written in UTC or with an offset, else the IANA zone name."""
    zone = date.zone or config.timezone
    if zone == "Z" or zone[0] in "+-" or zone in ("UTC", "Etc/UTC"):
        return "Z"
    return zone


def ics_time(name: str, date: EDate, moment: dt.datetime | None, config: SiteConfig) -> str:
    """Return a DTSTART/DTEND line: UTC (``moment``, the date's instant) or wall time in a zone."""
    zone = zone_of(date, config)
    if zone == "Z":
        assert moment is not None
        return f"{name}:{ics_date(moment.astimezone(dt.UTC))}Z"
    wall = f"{date.year:04d}{date.month:02d}{date.day:02d}T{date.hour:02d}{date.minute:02d}{date.second or 0:02d}"
    return f"{name};TZID={zone}:{wall}"


class Observances:
    """Each (zone, year)'s observances, computed once per build and shared by its calendars."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, int], tuple[str, ...]] = {}

    def lines(self, name: str, year: int) -> tuple[str, ...]:
        """Return the STANDARD/DAYLIGHT observances of zone ``name`` in ``year``."""
        if (name, year) not in self.known:
            self.known[name, year] = tuple(observances(name, year))
        return self.known[name, year]

    def of_dates(self, dates: Iterable[EDate | None], config: SiteConfig) -> ZoneYears:
        """Return the zone-years a VEVENT of these dates names, with their observances."""
        found: list[tuple[str, int, tuple[str, ...]]] = []
        for date in dates:
            if date is not None and date.hour is not None and zone_of(date, config) != "Z":
                zone = zone_of(date, config)
                found.append((zone, date.year, self.lines(zone, date.year)))
        return tuple(found)


def observances(name: str, year: int) -> list[str]:
    """Return the STANDARD/DAYLIGHT observances of zone ``name`` in ``year``, from tzdata."""
    zone = zone_info(name)
    lines: list[str] = []

    def offset(moment: dt.datetime) -> dt.timedelta:
        return moment.astimezone(zone).utcoffset() or dt.timedelta()

    def text(delta: dt.timedelta) -> str:
        # Seconds only when there are some: local mean time before standard zones had them (-045602).
        seconds = int(delta.total_seconds())
        hours, rest = divmod(abs(seconds), 3600)
        return f"{'+' if seconds >= 0 else '-'}{hours:02d}{rest // 60:02d}" + (f"{rest % 60:02d}" if rest % 60 else "")

    def observance(at: dt.datetime, before: dt.timedelta, after: dt.timedelta) -> list[str]:
        kind = "DAYLIGHT" if at.astimezone(zone).dst() else "STANDARD"
        wall = ics_date(at + before)
        return [f"BEGIN:{kind}", f"DTSTART:{wall}", f"TZOFFSETFROM:{text(before)}", f"TZOFFSETTO:{text(after)}",
                f"END:{kind}"]  # fmt: skip

    # The first and last day of the calendar are left out: a zone's wall time there may fall
    # outside what a datetime holds (0001-01-01T00:00Z is still year 0 west of Greenwich).
    moment = dt.datetime(year, 1, 1 if year > 1 else 2, tzinfo=dt.UTC)
    lines += observance(moment, offset(moment), offset(moment))
    end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC) if year < 9999 else dt.datetime(9999, 12, 31, tzinfo=dt.UTC)
    while moment < end:
        step = moment + dt.timedelta(days=1)
        if offset(step) != offset(moment):
            low, high = moment, step
            while high - low > dt.timedelta(minutes=1):  # the change falls inside (low, high]
                middle = low + (high - low) / 2
                low, high = (low, middle) if offset(middle) != offset(low) else (middle, high)
            lines += observance(high, offset(low), offset(high))
        moment = step
    return lines


def calendar(name: str, vevents: Iterable[tuple[str, ZoneYears] | None]) -> bytes:
    """Return an iCalendar file of folded VEVENTs (None for an event without one) and their zones."""
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//timeline//timeline//EN", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", f"NAME:{ics_text(name)}", f"X-WR-CALNAME:{ics_text(name)}"]  # fmt: skip
    zones: dict[str, dict[int, tuple[str, ...]]] = {}
    body: list[str] = []
    for vevent in vevents:
        if vevent is None:
            continue
        body.append(vevent[0])
        for zone, year, lines in vevent[1]:
            zones.setdefault(zone, {})[year] = lines
    for zone in sorted(zones):
        head += ["BEGIN:VTIMEZONE", f"TZID:{zone}"]
        for year in sorted(zones[zone]):
            head += zones[zone][year]
        head.append("END:VTIMEZONE")
    return (folded(head) + "".join(body) + "END:VCALENDAR\r\n").encode("utf-8")
