"""The date grammar: EDTF level 0 and level 1 (Library of Congress, 2019), and what the site adds.

Level 0: ``1985-04-12``, ``1985-04``, ``1985``; ``1985-04-12T23:20:30`` with nothing, ``Z``,
``-04`` or ``+04:30`` after it; intervals ``1964/2008``. Level 1: ``Y170000002`` and
``Y-170000002`` (years beyond four digits), seasons ``2001-21`` to ``2001-24``, a qualifier
``?`` ``~`` ``%`` at the end of a date or of either end of an interval, unspecified digits from
the right (``201X``, ``20XX``, ``2004-XX``, ``1985-04-XX``, ``1985-XX-XX``), open (``..``) and
unknown (empty) interval ends, negative years (``-1985``).

What the site adds, none of which EDTF forbids a profile to read: minutes without seconds
(``2020-10-23T18:01+07:00``), an IANA zone after a space (``... Asia/Jakarta``), also after an
offset to pick one of two equal wall times (``2021-10-31T02:30+01:00 Europe/Berlin``), a qualifier
right after the time (``2020-11-09T23:00~ Europe/Moscow``), and a year written ``95 BCE``.
Anything else is refused with a message that shows the form to write instead.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from timeline.content.calendars import CALENDARS, Calendar, days_in_month, julian_to_gregorian
from timeline.content.dates import DateSpan, EDate, format_offset, zone_info, zone_of

_DATE_RE = re.compile(
    r"""^(?P<year>-?[0-9X]{4}|-?[0-9]{1,3})
        (?:-(?P<month>[0-9X]{2})
          (?:-(?P<day>[0-9X]{2})
            (?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d{1,9})?)?
              (?P<q1>[~?%])?
              (?P<offset>\s?(?:Z|[+-]\d{2}(?::?\d{2})?))?
              (?P<q2>[~?%])?
              (?:\s+(?P<name>[A-Za-z_]+(?:/[A-Za-z0-9_+-]+)*))?
            )?
          )?
        )?
        (?P<qual>[~?%])?$""",
    re.VERBOSE,
)
_EXTENDED_RE = re.compile(r"^Y(?P<year>-?\d+)(?P<qual>[~?%])?$")
_BCE_RE = re.compile(
    r"^(?P<circa>(?:c\.|ca\.|circa)\s*)?(?P<year>\d[\d,]*)\s*(?:BCE|BC|B\.C\.E\.|B\.C\.)(?P<qual>[~?%])?$",
    re.IGNORECASE,
)
_LEVEL2_RE = re.compile(r"[~?%]-|^[~?%]|-[~?%]|[\[\]{}]|\d[SE]\d|^Y-?\d+E")
# The first and last second a datetime can hold, counted as toordinal() * 86400 + seconds of the day.
_FIRST_SECOND = 86400
_LAST_SECOND = dt.date.max.toordinal() * 86400 + 86399
_SHOWN = 120  # characters of a bad date repeated in a message
_FORMS = "use 1994, 2020-10, 2020-09-27, 2020-10-23T18:01+07:00, 199X, 2001-21, Y-170000002 or 95 BCE"


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "..."


def parse_date(text: str, zone: str = "UTC", calendar: Calendar = "gregorian") -> EDate:
    """Parse one date; raise ValueError with a readable message.

    ``zone`` is the zone a date-time without one of its own is read in (the site's): the instant
    it names must lie in the years 1 to 9999 in UTC, as every date-time's must. ``calendar`` is
    the one the date is written in; a Julian day is converted to its Gregorian equivalent.

    >>> parse_date("1994").precision
    'year'
    >>> parse_date("2020-10-23T18:01+07:00").iso()
    '2020-10-23T18:01+07:00'
    >>> parse_date("95 BCE").year
    -94
    >>> parse_date("0001-01-01T00:00+14:00")
    Traceback (most recent call last):
    ...
    ValueError: '0001-01-01T00:00+14:00' falls before 0001-01-01T00:00Z, the first instant a date-time can name
    """
    if calendar not in CALENDARS:
        raise ValueError(f"unknown calendar '{calendar}' (use one of {', '.join(CALENDARS)})")
    stripped = text.strip()
    date = _bce(stripped) or _extended(stripped) or _plain(stripped, text, zone)
    if calendar == "julian":
        return _julian(date, text)
    check_day(date, text)
    return date


def _qualifiers(qual: str | None) -> tuple[bool, bool]:
    qual = qual or ""
    return qual in ("~", "%"), qual in ("?", "%")


def _bce(text: str) -> EDate | None:
    match = _BCE_RE.match(text)
    if not match:
        return None
    number = int(match["year"].replace(",", ""))
    if number < 1:
        raise ValueError(f"'{_shown(text)}': there is no year 0 BCE (1 BCE is followed by 1 CE)")
    approximate, uncertain = _qualifiers(match["qual"])
    return EDate(1 - number, approximate=approximate or bool(match["circa"]), uncertain=uncertain)


def _extended(text: str) -> EDate | None:
    match = _EXTENDED_RE.match(text)
    if not match:
        if text.startswith("Y"):
            raise ValueError(f"'{_shown(text)}' is not a year: write Y and the year's digits, e.g. Y-170000002")
        return None
    digits = match["year"].lstrip("-")
    if len(digits) <= 4 or digits.startswith("0"):
        plain = int(match["year"])
        raise ValueError(
            f"'{_shown(text)}': Y is only for years of more than four digits"
            + (f" (write {_four(plain)})" if -9999 <= plain <= 9999 else "")
        )
    approximate, uncertain = _qualifiers(match["qual"])
    return EDate(int(match["year"]), approximate=approximate, uncertain=uncertain)


def _four(year: int) -> str:
    return f"{year:04d}" if year >= 0 else f"-{-year:04d}"


def _plain(text: str, original: str, zone: str) -> EDate:
    match = _DATE_RE.match(text)
    if not match:
        raise ValueError(_why_not(text))
    g = match.groupdict()
    shown = _shown(original)
    quals = [q for q in (g["q1"], g["q2"], g["qual"]) if q]
    if len(quals) > 1:
        raise ValueError(f"'{shown}' has more than one qualifier (use one of ~ ? %, or % for both)")
    approximate, uncertain = _qualifiers(quals[0] if quals else None)
    year_text = g["year"]
    digits = year_text.lstrip("-")
    if year_text.startswith("-") and not digits.strip("0"):
        raise ValueError(f"'{shown}': year 0 has no sign (0000 is 1 BCE; -0001 is 2 BCE)")
    year_x = len(digits) - len(digits.rstrip("X"))
    if "X" in digits.rstrip("X") or year_x == 4:
        raise ValueError(f"'{shown}': only the rightmost digits of a year may be X (201X, 20XX)")
    if year_x and g["month"]:
        raise ValueError(f"'{shown}': a year with unspecified digits takes no month or day (EDTF level 1)")
    year = int(year_text.replace("X", "0"))
    month: int | None = None
    season: int | None = None
    month_x = g["month"] == "XX"
    if g["month"] and not month_x:
        if "X" in g["month"]:
            raise ValueError(f"'{shown}': a month is either two digits or XX")
        number = int(g["month"])
        if 1 <= number <= 12:
            month = number
        elif 21 <= number <= 24:
            season = number
        elif 25 <= number <= 41:
            raise ValueError(
                f"'{shown}': season {number} is EDTF level 2 (use 21 to 24: spring, summer, autumn, winter)"
            )
        else:
            raise ValueError(f"'{shown}' has no month {number} (months are 01 to 12, seasons 21 to 24)")
    day: int | None = None
    day_x = g["day"] == "XX"
    if g["day"] is not None:
        if season is not None:
            raise ValueError(f"'{shown}': a season takes no day")
        if month_x and not day_x:
            raise ValueError(f"'{shown}': a day in an unspecified month is EDTF level 2 (write {year_text}-XX-XX)")
        if not day_x:
            if "X" in g["day"]:
                raise ValueError(f"'{shown}': a day is either two digits or XX")
            day = int(g["day"])
    if g["hour"] is not None and (month_x or day_x):
        raise ValueError(f"'{shown}': a time needs a known day")
    hour = int(g["hour"]) if g["hour"] else None
    minute = int(g["minute"]) if g["minute"] else None
    second = int(g["second"]) if g["second"] else None
    if hour is not None and (hour > 23 or (minute or 0) > 59 or (second or 0) > 59):
        raise ValueError(f"'{shown}' is not a time of day")
    offset = _parse_offset(g["offset"], shown)
    name = g["name"]
    if name is not None:
        try:
            zone_info(name)
        except ValueError as exc:
            raise ValueError(f"'{shown}': {exc}") from None
    date = EDate(year, month, day, hour, minute, second, name or offset, approximate, uncertain, season,
                 year_x, month_x or (day_x and month is None), day_x)  # fmt: skip
    if day is not None and month is not None and not 1 <= day <= days_in_month(year, month):
        return date  # checked by the caller, in the calendar the date is written in
    if (name or offset) and year < 1:
        raise ValueError(f"'{shown}': a time zone needs a year after 0")
    if hour is not None:
        date = _fold(date, offset, name, zone, shown)
    return date


def _why_not(text: str) -> str:
    """Return the message for text that matches no form, saying which form comes closest."""
    shown = _shown(text)
    if _LEVEL2_RE.search(text):
        return f"'{shown}' uses EDTF level 2, which is not supported (a qualifier goes at the end: 2004-06-11~)"
    if re.match(r"^\d{8}", text):
        return f"'{shown}' is in ISO 8601's basic format; write it with hyphens (1985-04-12)"
    if re.match(r"^-?\d{5,}$", text):
        return f"'{shown}': a year beyond four digits is written with Y: Y{text}"
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", text):
        return (
            f"'{shown}' is not a date-time: after the time comes Z, an offset (+04, +04:30) and/or an IANA "
            "zone after a space, and one qualifier (2020-11-09T23:00~ Europe/Moscow)"
        )
    return f"'{shown}' is not a date ({_FORMS})"


def _parse_offset(raw: str | None, shown: str) -> str | None:
    if raw is None:
        return None
    raw = raw.strip()
    if raw == "Z":
        return raw
    digits = raw[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 14 or minutes > 59 or (hours == 14 and minutes):
        raise ValueError(f"'{shown}' has an impossible UTC offset")
    if hours == minutes == 0:
        return "Z"
    return f"{raw[0]}{hours:02d}:{minutes:02d}"


def _fold(date: EDate, offset: str | None, name: str | None, site_zone: str, shown: str) -> EDate:
    """Check the wall time against its zone: it must exist, and name one instant."""
    if date.year < 1:
        return date
    zone = name or offset or site_zone
    _check_instant(date, shown, zone, site_zone=name is None and offset is None)
    if zone == "Z" or zone[0] in "+-":
        return date
    assert date.month is not None and date.day is not None and date.hour is not None and date.minute is not None
    wall = dt.datetime(date.year, date.month, date.day, date.hour, date.minute, date.second or 0)
    tz = zone_of(zone)
    first, second = wall.replace(tzinfo=tz, fold=0), wall.replace(tzinfo=tz, fold=1)
    exists = [m for m in (first, second) if m.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) == wall]
    where = f"{zone} (the site's time zone)" if name is None and offset is None else zone
    if not exists:
        skipped = (second.utcoffset() or dt.timedelta()) - (first.utcoffset() or dt.timedelta())
        later = (wall + abs(skipped)).strftime("%H:%M")
        raise ValueError(
            f"'{shown}' does not exist in {where}: the clocks skip that time (a daylight-saving change); "
            f"write the time they showed, e.g. {later}"
        )
    offsets = [format_offset(m.utcoffset() or dt.timedelta()) for m in (first, second)]
    if offset is not None:
        if offset not in offsets:
            raise ValueError(
                f"'{shown}': {zone} is never {offset} at that time (it is {' or '.join(dict.fromkeys(offsets))})"
            )
        return dataclasses.replace(date, fold=offsets.index(offset))
    if len(exists) == 2 and offsets[0] != offsets[1]:
        clock = wall.strftime("%Y-%m-%dT%H:%M") + (f":{date.second:02d}" if date.second is not None else "")
        forms = " or ".join(f"{clock}{o} {zone}" for o in offsets)
        raise ValueError(f"'{shown}' happens twice in {where} (a daylight-saving change): write which, {forms}")
    return date


def _check_instant(date: EDate, text: str, zone: str, *, site_zone: bool) -> None:
    """Raise ValueError unless the instant a date-time names can be held by a datetime."""
    assert date.month is not None and date.day is not None and date.hour is not None
    if date.year > 9999:
        raise ValueError(f"'{text}' falls after 9999-12-31T23:59:59Z, the last instant a date-time can name")
    wall = dt.datetime(date.year, date.month, date.day, date.hour, date.minute or 0, date.second or 0)
    # Counted in whole seconds from toordinal(), so a wall time at the edge never overflows.
    offset = zone_of(zone).utcoffset(wall) or dt.timedelta()
    seconds = wall.toordinal() * 86400 + wall.hour * 3600 + wall.minute * 60 + wall.second
    seconds -= int(offset.total_seconds())
    where = f" in {zone} (the site's time zone)" if site_zone and zone != "UTC" else ""
    if seconds < _FIRST_SECOND:
        raise ValueError(f"'{text}'{where} falls before 0001-01-01T00:00Z, the first instant a date-time can name")
    if seconds > _LAST_SECOND:
        raise ValueError(f"'{text}'{where} falls after 9999-12-31T23:59:59Z, the last instant a date-time can name")


def check_day(date: EDate, text: str, calendar: Calendar = "gregorian") -> None:
    """Raise ValueError unless a date's day is a day of its month in ``calendar``."""
    if (
        date.day is not None
        and date.month is not None
        and not 1 <= date.day <= days_in_month(date.year, date.month, calendar)
    ):
        cal = " of the Julian calendar" if calendar == "julian" else " of the calendar"
        raise ValueError(f"'{_shown(text)}' is not a day{cal}")


def _julian(date: EDate, text: str) -> EDate:
    """Return a date written in the Julian calendar as its Gregorian equivalent, keeping what was written."""
    if date.year_x or date.season is not None or not -9999 <= date.year <= 9999:
        raise ValueError(f"'{_shown(text)}': calendar: julian takes years, months, days and times only")
    check_day(date, text, "julian")
    if date.day is None or date.month is None:
        return dataclasses.replace(date, calendar="julian")
    year, month, day = julian_to_gregorian(date.year, date.month, date.day)
    return dataclasses.replace(date, year=year, month=month, day=day, calendar="julian",
                               written=(date.year, date.month, date.day))  # fmt: skip


def _range_slashes(text: str) -> list[int]:
    """Return where ``/`` separates interval ends: not inside a zone name (``Asia/Jakarta``)."""
    return [
        i
        for i, char in enumerate(text)
        if char == "/" and not (0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha())
    ]


def parse_span(text: str, zone: str = "UTC", calendar: Calendar = "gregorian") -> DateSpan:
    """Parse a date or an EDTF interval ``start/end``; the end must not lie before the start.

    An end is compared by the last instant it covers: ``2020-11-10/2020-11`` is accepted.
    ``zone`` is the site's, as for ``parse_date``.

    >>> parse_span("2020-09-27/..").after, parse_span("/1985").before
    ('open', 'unknown')
    """
    slashes = _range_slashes(text)
    if len(slashes) > 1:
        raise ValueError(f"'{_shown(text)}' has more than one '/' (an interval is start/end)")
    if not slashes:
        return DateSpan(_one(text, zone, calendar))
    left, right = text[: slashes[0]].strip(), text[slashes[0] + 1 :].strip()
    marks = {"..": "open", "": "unknown"}
    if left in marks and right in marks:
        raise ValueError(f"'{_shown(text)}': an interval needs a date at one end at least")
    if left in marks:
        return DateSpan(_one(right, zone, calendar), before="open" if left == ".." else "unknown")
    if right in marks:
        return DateSpan(_one(left, zone, calendar), after="open" if right == ".." else "unknown")
    start, end = _one(left, zone, calendar), _one(right, zone, calendar)
    if end.ends_before(start):
        raise ValueError(f"'{_shown(text)}' ends before it starts")
    return DateSpan(start, end)


def _one(text: str, zone: str, calendar: Calendar) -> EDate:
    if text.strip() == "..":
        raise ValueError("'..' (an open end) is only an end of an interval, such as 2020-09-27/..")
    return parse_date(text, zone, calendar)
