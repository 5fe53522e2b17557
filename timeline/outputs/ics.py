"""The iCalendar layer (RFC 5545): values, VTIMEZONEs and whole calendars, written by ``icalendar``.

``icalendar`` does what RFC 5545 asks of the text (escaping, folding at 75 octets, property
parameters, dates before the year 1000, VTIMEZONE observances from tzdata); this module chooses
what goes in. An event's VEVENT is made in ``timeline.outputs.feeds`` from the event's record (see
``vevent``) as text, so that a calendar can be assembled from VEVENTs made in an earlier build.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

import icalendar

from timeline.content.calendars import from_day_number
from timeline.content.config import SiteConfig
from timeline.content.dates import EDate, zone_info

XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

LAST_ZONE_DAY = dt.date(9999, 1, 1)
"""The latest end of a VTIMEZONE: ``icalendar`` overflows a datetime when it searches past it."""

Zoned = tuple[tuple[str, int], ...]
"""(IANA zone, year) of each wall time a VEVENT names, so its calendar can carry the zone."""

Vevent = tuple[str, Zoned]
"""A VEVENT as folded text (CRLF line ends), and the zone-years it names."""


def clean(text: str) -> str:
    """Return contributor text fit for a TEXT value: no control characters, newlines as LF."""
    return XML_INVALID.sub("", text).replace("\r\n", "\n").replace("\r", "\n")


def text_value(text: str) -> icalendar.vText:
    """Return contributor text as a TEXT value, cleaned (see ``clean``) and escaped when written.

    Always this, never a bare string: ``icalendar`` writes a string for a property it does not
    type (NAME, X-WR-CALNAME, any X- name) as it is, newlines and all.
    """
    return icalendar.vText(clean(text))


def day_after(date: EDate) -> dt.date:
    """Return the first day after the period a date names (a year, season, month, day, or 201X's decade)."""
    return dt.date(*from_day_number(date.last_day() + 1))


def zone_of(date: EDate, config: SiteConfig) -> str:
    """Return ``Z`` for times written in UTC or with an offset, else the IANA zone name."""
    zone = date.zone or config.timezone
    if zone == "Z" or zone[0] in "+-" or zone in ("UTC", "Etc/UTC"):
        return "Z"
    return zone


def time_value(date: EDate, moment: dt.datetime | None, config: SiteConfig) -> dt.datetime:
    """Return a DTSTART/DTEND value: UTC (``moment``, the date's instant) or the wall time in its zone."""
    zone = zone_of(date, config)
    if zone == "Z" or date.fold:
        # The second of two equal wall times cannot be told apart by a TZID (RFC 5545 takes the
        # first): it is written as the UTC instant it names.
        assert moment is not None
        return moment.astimezone(dt.UTC)
    # The wall time as written, with the zone that gives it its TZID: never converted, so a time
    # that a zone skips or repeats (a daylight-saving change) is kept as the contributor wrote it.
    wall = dt.datetime(date.year, date.month or 1, date.day or 1, date.hour or 0, date.minute or 0, date.second or 0)
    return wall.replace(tzinfo=zone_info(zone))


def zoned(values: Iterable[dt.date | dt.datetime]) -> Zoned:
    """Return the zone-years of the wall times among ``values`` (UTC times and dates need no zone)."""
    return tuple(
        (str(value.tzinfo), value.year)
        for value in values
        if isinstance(value, dt.datetime) and value.tzinfo is not None and value.tzinfo is not dt.UTC
    )


def vevent(properties: Iterable[tuple[str, Any]]) -> Vevent:
    """Return a VEVENT of ``(name, value)`` properties in that order, and the zone-years it names."""
    component = icalendar.Event()
    values: list[Any] = []
    for name, value in properties:
        component.add(name, value)
        values.append(value)
    return component.to_ical(sorted=False).decode("utf-8"), zoned(values)


def timezones(vevents: Iterable[Vevent | None]) -> dict[str, str]:
    """Return each zone the VEVENTs name, and its VTIMEZONE over the years they name it in."""
    years: dict[str, tuple[int, int]] = {}
    for found in vevents:
        for zone, year in found[1] if found is not None else ():
            low, high = years.get(zone, (year, year))
            years[zone] = (min(low, year), max(high, year))
    found_zones: dict[str, str] = {}
    for zone in sorted(years):
        low, high = years[zone]
        first = min(dt.date(low, 1, 1), LAST_ZONE_DAY - dt.timedelta(days=1))
        last = min(dt.date(high + 1, 1, 1) if high < 9999 else LAST_ZONE_DAY, LAST_ZONE_DAY)
        # What Calendar.add_missing_timezones does for each TZID it finds in the components
        # (Timezone.from_tzid), called here by hand: the VEVENTs are text made in an earlier
        # build, and parsing them back to find their zones would cost what keeping them saves.
        # The range is pinned to whole years of the events, so the VTIMEZONE (and its COMMENT)
        # depends on the content alone.
        timezone = icalendar.Timezone.from_tzid(zone, first_date=first, last_date=last)
        found_zones[zone] = timezone.to_ical(sorted=False).decode("utf-8")
    return found_zones


def calendar(name: str, vevents: Iterable[Vevent | None], zones: Mapping[str, str]) -> bytes:
    """Return an iCalendar file of VEVENTs (None for an event without one) and the VTIMEZONEs they name.

    ``zones`` maps each zone to its VTIMEZONE (see ``timezones``); it may hold more than this
    calendar needs.
    """
    head = icalendar.Calendar()
    properties = [("VERSION", "2.0"), ("PRODID", "-//timeline//timeline//EN"), ("CALSCALE", "GREGORIAN"),
                  ("METHOD", "PUBLISH"), ("NAME", text_value(name)), ("X-WR-CALNAME", text_value(name))]  # fmt: skip
    for key, value in properties:
        head.add(key, value)
    text = head.to_ical(sorted=False).decode("utf-8")
    end = "END:VCALENDAR\r\n"
    assert text.endswith(end)
    listed = [found for found in vevents if found is not None]
    used = {zone for _, names in listed for zone, _ in names}
    parts = [text[: -len(end)], *(zones[zone] for zone in sorted(used)), *(body for body, _ in listed), end]
    return "".join(parts).encode("utf-8")
