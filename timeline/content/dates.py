"""Dates with honest precision: parse, order, and show a year as a year.

The grammar is a small subset of ISO 8601 / EDTF level 1: ``1994``, ``2020-10``,
``2020-09-27``, ``2020-10-23T18:01+07:00``, ``2020-10-23T18:01 Asia/Jakarta``, ranges
``1988/1994``, and the qualifiers ``~`` (approximate), ``?`` (uncertain) and ``%`` (both).

The calendar is the proleptic Gregorian one with astronomical year numbering: years run from
-9999 to 9999, year 0 is 1 BCE and a leap year (so ``0000-02-29`` is a day). A date-time names an
instant, so it must fall between ``0001-01-01T00:00Z`` and ``9999-12-31T23:59:59Z`` once its zone
(or, without one, the site's zone) is applied; years before 1 take no zone. Zones are IANA names
from tzdata's list.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import re
import zoneinfo
from typing import Literal

import babel.dates

Precision = Literal["year", "month", "day", "minute", "second"]

_DATE_RE = re.compile(
    r"""^(?P<year>-?\d{1,4})
        (?:-(?P<month>\d{2})
          (?:-(?P<day>\d{2})
            (?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d{1,9})?)?
              (?P<zone>\s?Z|\s?[+-]\d{2}:?\d{2}|\s+[A-Za-z_]+(?:/[A-Za-z0-9_+-]+)*)?
            )?
          )?
        )?
        (?P<qual>[~?%])?$""",
    re.VERBOSE,
)
_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# The first and last second a datetime can hold, counted as toordinal() * 86400 + seconds of the day.
_FIRST_SECOND = 86400
_LAST_SECOND = dt.date.max.toordinal() * 86400 + 86399
_ZONE_SHOWN = 60  # characters of an unknown zone name repeated in a message


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in_month(year: int, month: int) -> int:
    return 29 if month == 2 and _is_leap(year) else _DAYS[month - 1]


def day_of_year(year: int, month: int, day: int) -> int:
    """Return the 1-based day of the year in the proleptic calendar, year 0 and before included.

    >>> day_of_year(0, 3, 1), day_of_year(1, 3, 1), day_of_year(-4, 12, 31)
    (61, 60, 366)
    """
    return sum(_days_in_month(year, m) for m in range(1, month)) + day


@functools.cache
def zone_names() -> frozenset[str]:
    """Return the IANA zone names a date or ``site.yaml`` may use."""
    # "localtime" and "posixrules" are this machine's own settings, not zones: a site naming one
    # would build differently elsewhere. A name off the list never reaches the file system, where
    # a folder (America), a long name or a NUL would raise OSError instead of a readable message.
    return frozenset(zoneinfo.available_timezones() - {"localtime", "posixrules"})


def zone_info(name: str) -> zoneinfo.ZoneInfo:
    """Return the IANA zone ``name``; raise ValueError with a readable message if there is none.

    >>> zone_info("Asia/Jakarta").key
    'Asia/Jakarta'
    >>> zone_info("America")
    Traceback (most recent call last):
    ...
    ValueError: unknown time zone 'America' (use a full IANA name such as America/Adak)
    """
    if name in zone_names():
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, OSError, ValueError):
            pass  # listed but unreadable (a broken tzdata): reported as unknown below
    shown = name if len(name) <= _ZONE_SHOWN else name[:_ZONE_SHOWN] + "..."
    inside = sorted(z for z in zone_names() if z.startswith(name + "/")) if len(name) <= _ZONE_SHOWN else []
    close = difflib.get_close_matches(name, sorted(zone_names()), n=1) if len(name) <= _ZONE_SHOWN else []
    example = inside[0] if inside else close[0] if close else "Asia/Jakarta"
    hint = "use a full IANA name such as" if inside else "did you mean" if close else "use an IANA name such as"
    raise ValueError(f"unknown time zone {shown!r} ({hint} {example}{'?' if close and not inside else ''})")


@dataclasses.dataclass(frozen=True, slots=True)
class EDate:
    """A point in time known to a given precision (year, month, day or time of day)."""

    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    zone: str | None = None
    """``+07:00``-style offset, ``Z``, or an IANA zone name; only with a time."""
    approximate: bool = False
    uncertain: bool = False

    @property
    def precision(self) -> Precision:
        """Return how precisely this date is known."""
        if self.hour is not None:
            return "second" if self.second is not None else "minute"
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def utcoffset(self) -> dt.timedelta | None:
        """Return the UTC offset of a date-time, or None for calendar dates."""
        moment = self.moment()
        return moment.utcoffset() if moment else None

    def moment(self) -> dt.datetime | None:
        """Return an aware datetime for a date-time with a zone, else None."""
        if self.hour is None or self.zone is None or self.year < 1:
            return None
        assert self.month is not None and self.day is not None and self.minute is not None
        tz = _zone_of(self.zone)
        return dt.datetime(self.year, self.month, self.day, self.hour, self.minute, self.second or 0, tzinfo=tz)

    def sort_key(self) -> tuple[int, int, int, int, float]:
        """Return a key in which a year sorts before every month and day inside it."""
        moment = self.moment()
        instant = moment.timestamp() if moment else 0.0
        timed = 0 if self.hour is None else 1
        clock = (self.hour or 0) * 3600 + (self.minute or 0) * 60 + (self.second or 0)
        return (self.year, self.month or 0, self.day or 0, timed, instant if moment else float(clock))

    def iso(self) -> str:
        """Return the ISO 8601 form at exactly this precision (for ``<time datetime>``)."""
        year = f"{self.year:04d}" if self.year >= 0 else f"-{-self.year:04d}"
        text = year
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        if self.hour is not None:
            text += f"T{self.hour:02d}:{self.minute:02d}"
            if self.second is not None:
                text += f":{self.second:02d}"
            offset = self.utcoffset()
            if offset is not None:
                text += _format_offset(offset)
        return text

    def edtf(self) -> str:
        """Return the text form this date was (or could have been) written in."""
        text = self.iso()
        if self.zone and self.zone[0] not in "+-Z":
            text = text[: -len(_format_offset(self.utcoffset() or dt.timedelta()))] + " " + self.zone
        if self.approximate and self.uncertain:
            return text + "%"
        return text + ("~" if self.approximate else "?" if self.uncertain else "")

    def ends_before(self, other: EDate) -> bool:
        """Return True if this date lies wholly before ``other`` starts (for end < start checks)."""
        return self.sort_key()[:3] < other.sort_key()[:3] or (
            self.sort_key()[:3] == other.sort_key()[:3]
            and self.hour is not None
            and other.hour is not None
            and self.sort_key() < other.sort_key()
        )


def _format_offset(offset: dt.timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "Z"
    sign = "+" if minutes > 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def parse_date(text: str, zone: str = "UTC") -> EDate:
    """Parse one date; raise ValueError with a readable message.

    ``zone`` is the zone a date-time without one of its own is read in (the site's): the instant
    it names must lie in the years 1 to 9999 in UTC, as every date-time's must.

    >>> parse_date("1994").precision
    'year'
    >>> parse_date("2020-10-23T18:01+07:00").iso()
    '2020-10-23T18:01+07:00'
    >>> parse_date("0001-01-01T00:00+14:00")
    Traceback (most recent call last):
    ...
    ValueError: '0001-01-01T00:00+14:00' falls before 0001-01-01T00:00Z, the first instant a date-time can name
    """
    match = _DATE_RE.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a date (use 1994, 2020-10, 2020-09-27 or 2020-10-23T18:01+07:00)")
    g = match.groupdict()
    year = int(g["year"])
    month = int(g["month"]) if g["month"] else None
    day = int(g["day"]) if g["day"] else None
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"'{text}' has no month {month}")
    if day is not None and month is not None and not 1 <= day <= _days_in_month(year, month):
        raise ValueError(f"'{text}' is not a day of the calendar")
    hour = int(g["hour"]) if g["hour"] else None
    minute = int(g["minute"]) if g["minute"] else None
    second = int(g["second"]) if g["second"] else None
    if hour is not None and (hour > 23 or (minute or 0) > 59 or (second or 0) > 59):
        raise ValueError(f"'{text}' is not a time of day")
    own_zone = _parse_zone(g["zone"], text)
    qual = g["qual"] or ""
    approximate, uncertain = qual in "~%" and bool(qual), qual in "?%" and bool(qual)
    date = EDate(year, month, day, hour, minute, second, own_zone, approximate, uncertain)
    if own_zone is not None and year < 1:
        raise ValueError(f"'{text}': a time zone needs a year after 0")
    if hour is not None and year >= 1:
        _check_instant(date, text, own_zone or zone, site_zone=own_zone is None)
    return date


def _check_instant(date: EDate, text: str, zone: str, *, site_zone: bool) -> None:
    """Raise ValueError unless the instant a date-time names can be held by a datetime."""
    assert date.month is not None and date.day is not None and date.hour is not None
    wall = dt.datetime(date.year, date.month, date.day, date.hour, date.minute or 0, date.second or 0)
    # Counted in whole seconds from toordinal(), so a wall time at the edge never overflows.
    offset = _zone_of(zone).utcoffset(wall) or dt.timedelta()
    seconds = wall.toordinal() * 86400 + wall.hour * 3600 + wall.minute * 60 + wall.second
    seconds -= int(offset.total_seconds())
    where = f" in {zone} (the site's time zone)" if site_zone and zone != "UTC" else ""
    if seconds < _FIRST_SECOND:
        raise ValueError(f"'{text}'{where} falls before 0001-01-01T00:00Z, the first instant a date-time can name")
    if seconds > _LAST_SECOND:
        raise ValueError(f"'{text}'{where} falls after 9999-12-31T23:59:59Z, the last instant a date-time can name")


def _zone_of(zone: str) -> dt.tzinfo:
    """Return the tzinfo of ``Z``, a ``+07:00`` offset or an IANA name."""
    if zone == "Z":
        return dt.UTC
    if zone[0] in "+-":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    return zone_info(zone)


def _parse_zone(raw: str | None, text: str) -> str | None:
    if raw is None:
        return None
    raw = raw.strip()
    if raw == "Z" or raw[0] in "+-":
        if raw != "Z":
            digits = raw[1:].replace(":", "")
            if int(digits[:2]) > 14 or int(digits[2:]) > 59:
                raise ValueError(f"'{text}' has an impossible UTC offset")
            return f"{raw[0]}{digits[:2]}:{digits[2:]}"
        return raw
    try:
        zone_info(raw)
    except ValueError as exc:
        shown = text if len(text) <= 2 * _ZONE_SHOWN else text[: 2 * _ZONE_SHOWN] + "..."
        raise ValueError(f"'{shown}': {exc}") from None
    return raw


@dataclasses.dataclass(frozen=True, slots=True)
class DateSpan:
    """A date, or a range from ``start`` to ``end`` (inclusive, each at its own precision)."""

    start: EDate
    end: EDate | None = None

    def sort_key(self) -> tuple[int, int, int, int, float]:
        """Return the sort key of the start."""
        return self.start.sort_key()

    def edtf(self) -> str:
        """Return ``start`` or ``start/end``."""
        return self.start.edtf() + (f"/{self.end.edtf()}" if self.end else "")


def parse_span(text: str, zone: str = "UTC") -> DateSpan:
    """Parse a date or an EDTF interval ``start/end``; the end must not precede the start.

    ``zone`` is the site's, as for ``parse_date``.
    """
    if text.count("/") > 1 or (text.count("/") == 1 and _looks_like_zone(text)):
        return DateSpan(parse_date(text, zone))
    if "/" in text:
        left, right = text.split("/")
        start, end = parse_date(left, zone), parse_date(right, zone)
        if end.ends_before(start):
            raise ValueError(f"'{text}' ends before it starts")
        return DateSpan(start, end)
    return DateSpan(parse_date(text, zone))


def _looks_like_zone(text: str) -> bool:
    # "2020-10-23T18:01 Asia/Jakarta" holds a slash that is not a range separator.
    return bool(re.search(r"\s[A-Za-z_]+/[A-Za-z]", text))


def format_date(date: EDate, locale: str, *, weekday: bool = False) -> str:
    """Return the date in words at exactly its precision, e.g. ``23 Oktober 2020``."""
    if date.year < 1:
        text = f"{-date.year + 1} BCE" if date.month is None else date.iso()
    elif date.month is None:
        text = str(date.year)
    elif date.day is None:
        text = _month_words(date.year, date.month, locale)
    else:
        text = _day_words(date.year, date.month, date.day, locale, weekday)
        if date.hour is not None:
            clock = f"{date.hour:02d}:{date.minute:02d}"
            zone = date.zone
            if zone and zone[0] in "+-":
                zone = f"UTC{zone}"
            elif zone == "Z":
                zone = "UTC"
            text = f"{text}, {clock}" + (f" {zone}" if zone else "")
    if date.approximate:
        text = f"c. {text}"
    if date.uncertain:
        text = f"{text}?"
    return text


# Pure functions of their arguments, memoized: Babel takes ~20 µs a call, and every rebuild
# formats every date of the site again.
@functools.lru_cache(maxsize=8192)
def _month_words(year: int, month: int, locale: str) -> str:
    return str(babel.dates.format_skeleton("yMMMM", dt.date(year, month, 1), locale=locale))


@functools.lru_cache(maxsize=65536)
def _day_words(year: int, month: int, day: int, locale: str, weekday: bool) -> str:
    return str(babel.dates.format_date(dt.date(year, month, day), "full" if weekday else "long", locale=locale))


def format_span(span: DateSpan, locale: str) -> str:
    """Return a date or range in words, with an en dash between the ends."""
    start = format_date(span.start, locale)
    return f"{start} – {format_date(span.end, locale)}" if span.end else start
