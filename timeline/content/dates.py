"""Dates with honest precision: the model, its order and its display (the grammar is in ``edtf``).

A date is EDTF level 0 or 1 (Library of Congress, 2019): ``1994``, ``2020-10``, ``2020-09-27``,
date-times with an offset or an IANA zone, ``1984?``/``2004-06~``/``2004-06-11%``, unspecified
digits (``201X``, ``2004-XX``, ``1985-04-XX``), seasons (``2001-21``), extended years
(``Y-170000002``), and intervals whose ends may be open (``..``) or unknown (empty).

The calendar is the proleptic Gregorian one with astronomical year numbering: year 0 is 1 BCE
and a leap year (so ``0000-02-29`` is a day), ``-0094`` is 95 BCE. A date written in the Julian
calendar is kept as written and held as its Gregorian equivalent, by which it is sorted, placed
and exported. A date-time names an instant, so it must fall between ``0001-01-01T00:00Z`` and
``9999-12-31T23:59:59Z`` once its zone (or, without one, the site's zone) is applied; years before
1 take no zone. Zones are IANA names from tzdata's list.

Every year any output shows goes through ``format_year``: BCE is written one way everywhere.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import types
import zoneinfo
from typing import Literal

import babel.dates
import babel.numbers

from timeline.content.calendars import (
    Calendar,
    day_number,
    days_before_year,
    days_in_month,
    days_in_year,
)

Precision = Literal["year", "season", "month", "day", "minute", "second"]
Bound = Literal["", "open", "unknown"]
"""How an interval end that is not a date is written: ``..`` (open) or nothing (unknown)."""

DEEP_TIME = -9999
"""Years before this are deep time: shown as years ago, not as a BCE year."""
PRESENT = 1950
"""The year "years ago" counts from (the "before present" convention of radiocarbon dating)."""
SEASONS = (21, 22, 23, 24)
# A season's first month and its length in months: meteorological seasons of the northern
# hemisphere (winter runs from December into the next year), as EDTF leaves them undefined.
_SEASON_START = types.MappingProxyType({21: 3, 22: 6, 23: 9, 24: 12})
_ZONE_SHOWN = 60  # characters of an unknown zone name repeated in a message

# Words a date display needs that Babel does not have; a language not listed uses English.
_WORDS = types.MappingProxyType(
    {
        "en": types.MappingProxyType(
            {
                "bce": "{} BCE",
                "ago": "{} years ago",
                "circa": "c. {}",
                "decade": "{}s",
                "century": "{}s",
                "month_of": "a month in {}",
                "day_of": "a day in {}",
                "since": "ongoing since {}",
                "from_unknown": "from {}, end unknown",
                "until": "until {}",
                "until_unknown": "until {}, start unknown",
                "os": "{} (O.S.; {})",
                "os_alone": "{} (O.S.)",
                "21": "spring {}",
                "22": "summer {}",
                "23": "autumn {}",
                "24": "winter {}",
            }
        ),
        "id": types.MappingProxyType(
            {
                "bce": "{} SM",
                "ago": "{} tahun yang lalu",
                "circa": "sekitar {}",
                "decade": "tahun {}-an",
                "century": "tahun {}-an",
                "month_of": "suatu bulan pada {}",
                "day_of": "suatu hari pada {}",
                "since": "berlangsung sejak {}",
                "from_unknown": "sejak {}, akhir tidak diketahui",
                "until": "hingga {}",
                "until_unknown": "hingga {}, awal tidak diketahui",
                "os": "{} (Kalender Julian; {})",
                "os_alone": "{} (Kalender Julian)",
                "21": "musim semi {}",
                "22": "musim panas {}",
                "23": "musim gugur {}",
                "24": "musim dingin {}",
            }
        ),
    }
)


def _words(locale: str) -> types.MappingProxyType[str, str]:
    return _WORDS.get(locale.split("_")[0].split("-")[0], _WORDS["en"])


def day_of_year(year: int, month: int, day: int) -> int:
    """Return the 1-based day of the year in the proleptic calendar, year 0 and before included.

    >>> day_of_year(0, 3, 1), day_of_year(1, 3, 1), day_of_year(-4, 12, 31)
    (61, 60, 366)
    """
    return day_number(year, month, day) - days_before_year(year)


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


def zone_of(zone: str) -> dt.tzinfo:
    """Return the tzinfo of ``Z``, a ``+07:00`` offset or an IANA name."""
    if zone == "Z":
        return dt.UTC
    if zone[0] in "+-":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0)))
    return zone_info(zone)


def format_offset(offset: dt.timedelta) -> str:
    """Return ``Z`` or ``+07:00``."""
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "Z"
    sign = "+" if minutes > 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _year_text(year: int, width: int = 4) -> str:
    """Return a year as EDTF writes it: four digits, a minus for years before 0, ``Y`` beyond."""
    if not -9999 <= year <= 9999:
        return f"Y{year}"
    return f"{year:0{width}d}" if year >= 0 else f"-{-year:0{width}d}"


@dataclasses.dataclass(frozen=True, slots=True)
class EDate:
    """A point in time known to a given precision (a year, season, month, day or time of day)."""

    year: int
    """Astronomical (0 is 1 BCE); with ``year_x``, the year with its unspecified digits as 0."""
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    zone: str | None = None
    """``+07:00``-style offset, ``Z``, or an IANA zone name; only with a time."""
    approximate: bool = False
    uncertain: bool = False
    season: int | None = None
    """21 to 24 (spring, summer, autumn, winter), instead of a month."""
    year_x: int = 0
    """How many rightmost digits of the year are unspecified (``201X``: 1, ``20XX``: 2)."""
    month_x: bool = False
    """The month is written as unspecified (``2004-XX``, ``1985-XX-XX``)."""
    day_x: bool = False
    """The day is written as unspecified (``1985-04-XX``)."""
    fold: int = 0
    """1 for the second of two equal wall times in a zone (a daylight-saving change), else 0."""
    calendar: Calendar = "gregorian"
    written: tuple[int, int, int] | None = None
    """The Julian year, month and day as written, when a Julian day was converted to Gregorian."""

    @property
    def precision(self) -> Precision:
        """Return how precisely this date is known (unspecified digits are not known)."""
        if self.hour is not None:
            return "second" if self.second is not None else "minute"
        if self.day is not None:
            return "day"
        if self.season is not None:
            return "season"
        return "month" if self.month is not None else "year"

    @property
    def qualified(self) -> bool:
        """Return True when the date is approximate or uncertain."""
        return self.approximate or self.uncertain

    def years(self) -> tuple[int, int]:
        """Return the first and last year this date may fall in (``201X``: 2010 and 2019)."""
        if not self.year_x:
            last = self.year + 1 if self.season == 24 else self.year
            return self.year, last
        width = 10**self.year_x - 1
        return (self.year, self.year + width) if self.year >= 0 else (self.year - width, self.year)

    def first_day(self) -> int:
        """Return the Gregorian day number of the first day this date may fall on."""
        low = self.years()[0]
        if self.season is not None:
            return day_number(low, _SEASON_START[self.season], 1)
        return day_number(low, self.month or 1, self.day or 1)

    def last_day(self) -> int:
        """Return the Gregorian day number of the last day this date may fall on."""
        high = self.years()[1]
        if self.season is not None:
            first = _SEASON_START[self.season]
            month = (first + 1) % 12 + 1
            return day_number(high, month, days_in_month(high, month))
        month = self.month or 12
        return day_number(high, month, self.day or days_in_month(high, month))

    def utcoffset(self) -> dt.timedelta | None:
        """Return the UTC offset of a date-time, or None for calendar dates."""
        moment = self.moment()
        return moment.utcoffset() if moment else None

    def moment(self) -> dt.datetime | None:
        """Return an aware datetime for a date-time with a zone, else None."""
        if self.hour is None or self.zone is None or not 1 <= self.year <= 9999:
            return None
        assert self.month is not None and self.day is not None and self.minute is not None
        wall = dt.datetime(self.year, self.month, self.day, self.hour, self.minute, self.second or 0, fold=self.fold)
        return wall.replace(tzinfo=zone_of(self.zone))

    def sort_key(self) -> tuple[int, int, int, int, float]:
        """Return a key in which a period sorts before every shorter one starting with it.

        Years, seasons and months come before the days inside them; a range of years with
        unspecified digits sorts by its first year; extended years are plain integers, so deep
        time sorts before BCE years, which sort before CE years.
        """
        moment = self.moment()
        timed = 0 if self.hour is None else 1
        clock = (self.hour or 0) * 3600 + (self.minute or 0) * 60 + (self.second or 0)
        month = _SEASON_START[self.season] if self.season is not None else self.month or 0
        return (self.years()[0], month, self.day or 0, timed, moment.timestamp() if moment else float(clock))

    def position(self, *, end: bool = False) -> float:
        """Return the date as a fractional year; with ``end``, where the period it names ends.

        Works for any year, deep time included (a float holds a year of 13.8 billion to a few hours).

        >>> EDate(1994).position(), EDate(1994).position(end=True), EDate(2010, year_x=1).position(end=True)
        (1994.0, 1995.0, 2020.0)
        """
        if end:
            number, fraction = self.last_day() + 1, 0.0
        else:
            number, fraction = self.first_day(), ((self.hour or 0) * 60 + (self.minute or 0)) / 1440
        year = self.years()[1] + 1 if end else self.years()[0]
        # The day number is relative to the year, so a float never has to hold the whole count.
        while number - days_before_year(year) > days_in_year(year):
            year += 1
        while number - days_before_year(year) < 1:
            year -= 1
        return year + (number - days_before_year(year) - 1 + fraction) / days_in_year(year)

    def first_second(self) -> int:
        """Return the first second this date may name (day number * 86400 + seconds, in UTC when known)."""
        offset = self.utcoffset()
        clock = (self.hour or 0) * 3600 + (self.minute or 0) * 60 + (self.second or 0)
        return self.first_day() * 86400 + clock - int(offset.total_seconds() if offset else 0)

    def last_second(self) -> int:
        """Return the last second this date may name."""
        if self.hour is None:
            return self.last_day() * 86400 + 86399
        return self.first_second() + (59 if self.second is None else 0)

    def iso(self) -> str:
        """Return the date at exactly its precision, without qualifiers: ISO 8601 when it can say it.

        Unspecified digits, seasons and extended years have no ISO 8601 form; their EDTF form is
        returned (see ``html_datetime`` for what an HTML ``datetime`` attribute may hold).
        """
        text = _year_text(self.year)
        if self.year_x:
            text = text[: -self.year_x] + "X" * self.year_x
        if self.season is not None:
            return f"{text}-{self.season}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        elif self.month_x:
            text += "-XX"
        if self.day is not None:
            text += f"-{self.day:02d}"
        elif self.day_x:
            text += "-XX"
        if self.hour is not None:
            text += f"T{self.hour:02d}:{self.minute:02d}"
            if self.second is not None:
                text += f":{self.second:02d}"
            offset = self.utcoffset()
            if offset is not None:
                text += format_offset(offset)
        return text

    def html_datetime(self) -> str:
        """Return the value of an HTML ``<time datetime>`` for this date, or "" when HTML has none.

        HTML takes years from 0001 and no unspecified digits or seasons; a BCE year has no form.
        """
        if self.year < 1 or self.year_x or self.season is not None:
            return ""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return self.iso()

    def edtf(self) -> str:
        """Return the text form this date was (or could have been) written in.

        A Julian date is given as written, in its own calendar (the event says ``calendar: julian``).
        """
        date = self
        if self.written is not None:
            date = dataclasses.replace(self, year=self.written[0], month=self.written[1], day=self.written[2])
        text = date.iso()
        if self.zone and self.zone[0] not in "+-Z":
            bare = text[: -len(format_offset(self.utcoffset() or dt.timedelta()))]
            # An ambiguous wall time keeps its offset, which says which of the two it is.
            text = (text if self.ambiguous() else bare) + " " + self.zone
        if self.approximate and self.uncertain:
            return text + "%"
        return text + ("~" if self.approximate else "?" if self.uncertain else "")

    def ambiguous(self) -> bool:
        """Return True when the wall time occurs twice in its zone (a daylight-saving change)."""
        moment = self.moment()
        if moment is None or self.zone is None or self.zone[0] in "+-Z":
            return False
        other = moment.replace(fold=1 - self.fold)
        return other.utcoffset() != moment.utcoffset()

    def ends_before(self, other: EDate) -> bool:
        """Return True if this date, taken as an end, lies wholly before ``other`` starts."""
        return self.last_second() < other.first_second()


@dataclasses.dataclass(frozen=True, slots=True)
class DateSpan:
    """A date, or a range from ``start`` to ``end`` (inclusive, each at its own precision).

    An interval with an open (``..``) or unknown (empty) end has no ``end``: ``after`` says which.
    One with an open or unknown start keeps its one date in ``start`` (so it sorts and is placed
    by it) and ``before`` says so: ``../1985`` is ``DateSpan(EDate(1985), before="open")``.
    """

    start: EDate
    end: EDate | None = None
    before: Bound = ""
    after: Bound = ""

    def sort_key(self) -> tuple[int, int, int, int, float]:
        """Return the sort key of the start (of the one date, for an open or unknown start)."""
        return self.start.sort_key()

    def edtf(self) -> str:
        """Return ``start``, ``start/end`` or an interval with an open or unknown end."""
        if self.before:
            return (".." if self.before == "open" else "") + "/" + self.start.edtf()
        if self.after:
            return self.start.edtf() + "/" + (".." if self.after == "open" else "")
        return self.start.edtf() + (f"/{self.end.edtf()}" if self.end else "")

    @property
    def qualified(self) -> bool:
        """Return True when either end is approximate or uncertain."""
        return self.start.qualified or (self.end is not None and self.end.qualified)

    @property
    def bounded(self) -> bool:
        """Return True unless an end is open or unknown."""
        return not (self.before or self.after)

    def extent(self) -> tuple[float, float]:
        """Return where the span starts and ends, in fractional years (see ``EDate.position``)."""
        start = self.start.position()
        end = (self.end or self.start).position(end=True)
        return start, max(start, end)


# ---------------------------------------------------------------------------------------------
# Display


def format_year(year: int, locale: str = "en", *, short: bool = False) -> str:
    """Return a year in words: the one way every output writes a year.

    Astronomical numbering in, historians' out: year 0 is 1 BCE, -94 is 95 BCE; years before
    -9999 are deep time, counted in years before 1950 to three significant figures.

    >>> format_year(2020), format_year(0), format_year(-94), format_year(-13_800_000_000)
    ('2020', '1 BCE', '95 BCE', '13.8 billion years ago')
    >>> format_year(-94, "id"), format_year(-170_000_002, "id")
    ('95 SM', '170 juta tahun yang lalu')

    ``short`` abbreviates deep time for narrow places such as axis ticks: ``13.8B years ago``.
    """
    return _year_words(year, locale, short)


@functools.lru_cache(maxsize=4096)
def _year_words(year: int, locale: str, short: bool = False) -> str:
    words = _words(locale)
    if year < DEEP_TIME:
        ago = PRESENT - year
        digits = len(str(ago))
        unit = 10 ** max(digits - 3, 0)
        rounded = (ago + unit // 2) // unit * unit  # half up: 12,450 years is "12,500", not banker's 12,400
        if rounded < 1_000_000:
            number = babel.numbers.format_decimal(rounded, locale=locale)
        else:
            kind: Literal["short", "long"] = "short" if short else "long"
            number = babel.numbers.format_compact_decimal(rounded, format_type=kind, locale=locale, fraction_digits=2)
        return words["ago"].format(number)
    if year < 1:
        return words["bce"].format(babel.numbers.format_decimal(1 - year, locale=locale, group_separator=False))
    if year > 9999:
        if short and year >= 1_000_000:
            return babel.numbers.format_compact_decimal(year, format_type="short", locale=locale, fraction_digits=1)
        return babel.numbers.format_decimal(year, locale=locale)
    return str(year)


def format_date(date: EDate, locale: str, *, weekday: bool = False) -> str:
    """Return the date in words at exactly its precision, e.g. ``23 Oktober 2020``."""
    words = _words(locale)
    if date.written is not None:
        julian = dataclasses.replace(date, year=date.written[0], month=date.written[1], day=date.written[2])
        gregorian = dataclasses.replace(date, written=None, approximate=False, uncertain=False, hour=None)
        text = words["os"].format(_plain(julian, locale, False), _plain(gregorian, locale, False))
    elif date.calendar == "julian":
        text = words["os_alone"].format(_plain(date, locale, False))
    else:
        text = _plain(date, locale, weekday)
    if date.approximate:
        text = words["circa"].format(text)
    if date.uncertain:
        text = f"{text}?"
    return text


def _plain(date: EDate, locale: str, weekday: bool) -> str:
    """Return the date in words without qualifiers or calendar."""
    words = _words(locale)
    year = date.year
    if date.year_x:
        # 199X is the 1990s, 19XX the 1900s: a span of years written as its first one.
        low = date.years()[0]
        key = "decade" if date.year_x == 1 else "century"
        return (
            words[key].format(format_year(low, locale))
            if low >= 1
            else format_year(low, locale) + "–" + format_year(date.years()[1], locale)
        )
    if date.season is not None:
        return words[str(date.season)].format(format_year(year, locale))
    if date.month is None:
        text = format_year(year, locale)
        return (
            words["month_of"].format(text)
            if date.month_x and not date.day_x
            else words["day_of"].format(text)
            if date.day_x
            else text
        )
    if date.day is None:
        text = _month_words(year, date.month, locale)
        return words["day_of"].format(text) if date.day_x else text
    text = _day_words(year, date.month, date.day, locale, weekday and 1 <= year <= 9999)
    if date.hour is not None:
        clock = f"{date.hour:02d}:{date.minute:02d}"
        zone = date.zone
        if zone and zone[0] in "+-":
            zone = f"UTC{zone}"
        elif zone == "Z":
            zone = "UTC"
        elif zone and date.ambiguous():
            zone = f"{zone} (UTC{format_offset(date.utcoffset() or dt.timedelta())})"
        text = f"{text}, {clock}" + (f" {zone}" if zone else "")
    return text


def _proxy_year(year: int) -> int:
    # Babel formats only years 1 to 9999: a month or day of another year is formatted in a year
    # with the same leap day, and that year's digits are replaced by the year in words.
    return year if 1 <= year <= 9999 else 2000 if days_in_year(year) == 366 else 2001


# Pure functions of their arguments, memoized: Babel takes ~20 µs a call, and every rebuild
# formats every date of the site again.
@functools.lru_cache(maxsize=8192)
def _month_words(year: int, month: int, locale: str) -> str:
    proxy = _proxy_year(year)
    text = str(babel.dates.format_skeleton("yMMMM", dt.date(proxy, month, 1), locale=locale))
    return text if proxy == year else _swap_year(text, proxy, year, locale)


@functools.lru_cache(maxsize=65536)
def _day_words(year: int, month: int, day: int, locale: str, weekday: bool) -> str:
    proxy = _proxy_year(year)
    text = str(babel.dates.format_date(dt.date(proxy, month, day), "full" if weekday else "long", locale=locale))
    return text if proxy == year else _swap_year(text, proxy, year, locale)


def _swap_year(text: str, proxy: int, year: int, locale: str) -> str:
    head, found, tail = text.rpartition(str(proxy))
    return head + format_year(year, locale) + tail if found else f"{text} ({format_year(year, locale)})"


def format_span(span: DateSpan, locale: str) -> str:
    """Return a date or range in words, with an en dash between the ends."""
    words = _words(locale)
    start = format_date(span.start, locale)
    if span.after:
        return words["since" if span.after == "open" else "from_unknown"].format(start)
    if span.before:
        return words["until" if span.before == "open" else "until_unknown"].format(start)
    return f"{start} – {format_date(span.end, locale)}" if span.end else start


# The grammar needs the model above; it is re-exported here so that ``dates`` stays the one name
# to import a date from.
from timeline.content.edtf import parse_date, parse_span  # noqa: E402

__all__ = [
    "DateSpan",
    "EDate",
    "format_date",
    "format_span",
    "format_year",
    "parse_date",
    "parse_span",
    "zone_info",
    "zone_names",
]
