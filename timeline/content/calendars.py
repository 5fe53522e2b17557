"""Calendar arithmetic for any year: the proleptic Gregorian calendar and the Julian (Old Style) one.

Days are counted as a day number (1 = 0001-01-01 Gregorian, as ``datetime.date.toordinal``),
extended with Python's floor division to year 0, years before it, and years beyond 9999, where
``datetime`` stops.
"""

from __future__ import annotations

from typing import Literal

Calendar = Literal["gregorian", "julian"]
CALENDARS: tuple[Calendar, ...] = ("gregorian", "julian")

_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_BEFORE = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)
# Day number of the day before 0001-01-01 Julian (which is 0000-12-30 Gregorian, day number -1).
_JULIAN_EPOCH = -2


def is_leap(year: int, calendar: Calendar = "gregorian") -> bool:
    """Return True for a leap year; year 0 (1 BCE) is one in both calendars.

    >>> is_leap(1900), is_leap(1900, "julian"), is_leap(0), is_leap(-4)
    (False, True, True, True)
    """
    if calendar == "julian":
        return year % 4 == 0
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int, calendar: Calendar = "gregorian") -> int:
    """Return how many days ``month`` has in ``year``."""
    return 29 if month == 2 and is_leap(year, calendar) else _DAYS[month - 1]


def days_in_year(year: int) -> int:
    """Return 366 or 365 (Gregorian)."""
    return 366 if is_leap(year) else 365


def days_before_year(year: int) -> int:
    """Return the Gregorian day number of the day before 1 January of ``year``.

    >>> days_before_year(1), days_before_year(2) - days_before_year(1), days_before_year(1) - days_before_year(0)
    (0, 365, 366)
    """
    y = year - 1
    return 365 * y + y // 4 - y // 100 + y // 400


def day_number(year: int, month: int, day: int) -> int:
    """Return the Gregorian day number of a date (1 is 0001-01-01, 0 is 0000-12-31).

    >>> import datetime as dt
    >>> day_number(2020, 10, 23) == dt.date(2020, 10, 23).toordinal()
    True
    """
    return days_before_year(year) + _BEFORE[month - 1] + (month > 2 and is_leap(year)) + day


def from_day_number(number: int) -> tuple[int, int, int]:
    """Return the Gregorian (year, month, day) of a day number, for any year.

    >>> from_day_number(day_number(-4713, 11, 24))
    (-4713, 11, 24)
    """
    # An estimate from the mean year, corrected by at most a step either way.
    year = (number * 400) // 146097 + 1
    while days_before_year(year) >= number:
        year -= 1
    while days_before_year(year + 1) < number:
        year += 1
    left = number - days_before_year(year)
    month = 1
    while left > days_in_month(year, month):
        left -= days_in_month(year, month)
        month += 1
    return year, month, left


def julian_day_number(year: int, month: int, day: int) -> int:
    """Return the Gregorian day number of a date written in the Julian calendar.

    >>> julian_day_number(1582, 10, 5) == day_number(1582, 10, 15)
    True
    """
    y = year - 1
    before = 365 * y + y // 4
    return _JULIAN_EPOCH + before + _BEFORE[month - 1] + (month > 2 and is_leap(year, "julian")) + day


def julian_to_gregorian(year: int, month: int, day: int) -> tuple[int, int, int]:
    """Return the Gregorian date of a Julian (Old Style) one.

    >>> julian_to_gregorian(1805, 5, 14)
    (1805, 5, 26)
    """
    return from_day_number(julian_day_number(year, month, day))
