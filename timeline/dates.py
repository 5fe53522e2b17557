"""Dates with honest precision: parse, order, and show a year as a year.

The grammar is a small subset of ISO 8601 / EDTF level 1: ``1994``, ``2020-10``,
``2020-09-27``, ``2020-10-23T18:01+07:00``, ``2020-10-23T18:01 Asia/Jakarta``, ranges
``1988/1994``, and the qualifiers ``~`` (approximate), ``?`` (uncertain) and ``%`` (both).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
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


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in_month(year: int, month: int) -> int:
    return 29 if month == 2 and _is_leap(year) else _DAYS[month - 1]


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
        tz: dt.tzinfo
        if self.zone == "Z":
            tz = dt.UTC
        elif self.zone[0] in "+-":
            sign = 1 if self.zone[0] == "+" else -1
            digits = self.zone[1:].replace(":", "")
            tz = dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        else:
            tz = zoneinfo.ZoneInfo(self.zone)
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


def parse_date(text: str) -> EDate:
    """Parse one date; raise ValueError with a readable message.

    >>> parse_date("1994").precision
    'year'
    >>> parse_date("2020-10-23T18:01+07:00").iso()
    '2020-10-23T18:01+07:00'
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
    zone = _parse_zone(g["zone"], text)
    qual = g["qual"] or ""
    date = EDate(year, month, day, hour, minute, second, zone, qual in "~%" and bool(qual), qual in "?%" and bool(qual))
    if zone is not None and year < 1:
        raise ValueError(f"'{text}': a time zone needs a year after 0")
    return date


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
        zoneinfo.ZoneInfo(raw)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"'{text}': unknown time zone '{raw}'") from exc
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


def parse_span(text: str) -> DateSpan:
    """Parse a date or an EDTF interval ``start/end``; the end must not precede the start."""
    if text.count("/") > 1 or (text.count("/") == 1 and _looks_like_zone(text)):
        return DateSpan(parse_date(text))
    if "/" in text:
        left, right = text.split("/")
        start, end = parse_date(left), parse_date(right)
        if end.ends_before(start):
            raise ValueError(f"'{text}' ends before it starts")
        return DateSpan(start, end)
    return DateSpan(parse_date(text))


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
