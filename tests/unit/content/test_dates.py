"""Dates keep their precision: parsing, order, ISO form and words."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest

from timeline.content.dates import (
    DateSpan,
    EDate,
    day_of_year,
    format_date,
    format_span,
    parse_date,
    parse_span,
    zone_info,
    zone_names,
)


@pytest.mark.parametrize(
    ("text", "precision", "iso"),
    [
        ("1994", "year", "1994"),
        ("2020-10", "month", "2020-10"),
        ("2020-09-27", "day", "2020-09-27"),
        ("2020-10-23T18:01+07:00", "minute", "2020-10-23T18:01+07:00"),
        ("2020-10-23T18:01:30Z", "second", "2020-10-23T18:01:30Z"),
        ("2020-10-23T18:01 Asia/Jakarta", "minute", "2020-10-23T18:01+07:00"),
        ("2020-10-23 18:01:00 +0700", "second", "2020-10-23T18:01:00+07:00"),
    ],
)
def test_parse_keeps_precision(text: str, precision: str, iso: str) -> None:
    date = parse_date(text)
    assert date.precision == precision
    assert date.iso() == iso


def test_year_is_not_first_of_january() -> None:
    date = parse_date("1994")
    assert (date.month, date.day) == (None, None)
    assert format_date(date, "en") == "1994"


@pytest.mark.parametrize(
    "text", ["2020-02-30", "2020-13-01", "2021-02-29", "2020-10-23T25:00Z", "1994-1", "tomorrow", ""]
)
def test_impossible_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_leap_day_is_a_day() -> None:
    assert parse_date("2020-02-29").day == 29


def test_unknown_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        parse_date("2020-10-23T18:01 Mars/Olympus")


def test_qualifiers() -> None:
    assert parse_date("1994~").approximate and not parse_date("1994~").uncertain
    assert parse_date("1994?").uncertain and not parse_date("1994?").approximate
    both = parse_date("1994%")
    assert both.approximate and both.uncertain
    assert format_date(parse_date("1994?"), "en") == "1994?"
    assert format_date(parse_date("1994~"), "en") == "c. 1994"


def test_ranges() -> None:
    span = parse_span("1988/1994")
    assert span.start == EDate(1988) and span.end == EDate(1994)
    assert format_span(span, "en") == "1988 – 1994"
    with pytest.raises(ValueError, match="ends before"):
        parse_span("1994/1988")
    # A slash inside an IANA zone name is not a range.
    assert parse_span("2020-10-23T18:01 Asia/Jakarta").end is None


def test_order_is_total_and_year_first() -> None:
    texts = [
        "2020-09-27",
        "1994",
        "2020",
        "2020-10",
        "2020-10-23T18:01+07:00",
        "2020-10-23",
        "1988",
        "2020-10-23T09:00Z",
    ]
    expected = [
        "1988",
        "1994",
        "2020",
        "2020-09-27",
        "2020-10",
        "2020-10-23",
        "2020-10-23T09:00Z",
        "2020-10-23T18:01+07:00",
    ]
    for seed in range(5):
        shuffled = texts[:]
        random.Random(seed).shuffle(shuffled)
        ordered = sorted(shuffled, key=lambda t: parse_date(t).sort_key())
        assert ordered == expected


def test_times_on_one_day_sort_by_instant() -> None:
    # 18:01 in Jakarta is 11:01 UTC, after 09:00 UTC.
    early, late = parse_date("2020-10-23T09:00Z"), parse_date("2020-10-23T18:01+07:00")
    assert early.sort_key() < late.sort_key()


def test_indonesian_words() -> None:
    day = parse_date("2020-10-23")
    assert format_date(day, "id") == "23 Oktober 2020"
    assert format_date(day, "id", weekday=True).startswith("Jumat")
    assert format_date(parse_date("2020-10"), "id") == "Oktober 2020"


def test_english_words_do_not_depend_on_process_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "id_ID.UTF-8")
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    assert format_date(parse_date("2020-10"), "en") == "October 2020"
    assert format_date(parse_date("2020-10-23T18:01+07:00"), "en") == "October 23, 2020, 18:01 UTC+07:00"


def test_span_sort_key_is_start() -> None:
    assert DateSpan(EDate(1988), EDate(1994)).sort_key() == EDate(1988).sort_key()


def test_edtf_round_trip() -> None:
    for text in ["1994", "2020-10~", "2020-09-27?", "2020-10-23T18:01+07:00", "2020-10-23T18:01 Asia/Jakarta", "1994%"]:
        assert parse_date(parse_date(text).edtf()) == parse_date(text)


@pytest.mark.parametrize(
    "zone", ["America", "Etc", "A" * 300, "Europe/../Asia/Jakarta", "a\x00b", "/etc/localtime", "localtime", ""]
)
def test_zone_names_come_from_the_iana_list(zone: str) -> None:
    """Folders, long names, traversal and NUL are unknown zones (ValueError), never an OSError."""
    with pytest.raises(ValueError, match="unknown time zone") as info:
        zone_info(zone)
    assert len(str(info.value)) < 200
    assert zone not in zone_names()


def test_a_region_name_suggests_a_zone_in_it() -> None:
    with pytest.raises(ValueError, match=r"full IANA name such as America/\w+"):
        zone_info("America")
    with pytest.raises(ValueError, match="did you mean Asia/Jakarta"):
        zone_info("Asia/Jakart")


@pytest.mark.parametrize(
    ("text", "zone", "problem"),
    [
        ("0001-01-01T00:00+14:00", "UTC", "falls before 0001-01-01T00:00Z"),
        ("9999-12-31T23:59-14:00", "UTC", "falls after 9999-12-31T23:59:59Z"),
        ("9999-12-31T23:59 Pacific/Honolulu", "UTC", "falls after"),
        ("0001-01-01T00:00", "Asia/Jakarta", "in Asia/Jakarta (the site's time zone) falls before"),
        ("9999-12-31T23:59", "America/New_York", "in America/New_York (the site's time zone) falls after"),
    ],
)
def test_instants_outside_the_calendar_are_refused(text: str, zone: str, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        parse_date(text, zone)
    with pytest.raises(ValueError, match=re.escape(problem)):
        parse_span(f"{text}/9999" if "+14" in text else text, zone)


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("0001-01-01T00:00Z", "UTC"),
        ("9999-12-31T23:59:59Z", "UTC"),
        ("0001-01-01T14:00+14:00", "UTC"),
        ("0001-01-01T00:00", "America/New_York"),  # west of Greenwich: later in UTC
        ("0001-01-01", "Asia/Jakarta"),  # a calendar date names a day, not an instant
        ("9999-12-31", "Etc/GMT+12"),
        ("0001-01-01T00:00Z", "Asia/Jakarta"),  # its own zone wins
    ],
)
def test_instants_at_the_edges_are_kept(text: str, zone: str) -> None:
    date = parse_date(text, zone)
    moment = date.moment()
    assert moment is None or dt.datetime.min.replace(tzinfo=dt.UTC) <= moment.astimezone(dt.UTC)
    assert date.iso().startswith(text[:10])


def test_year_zero_is_a_leap_year_of_the_proleptic_calendar() -> None:
    """Astronomical numbering (year 0 = 1 BCE), as the module says: 0000-02-29 is a day, 0001-02-29 is not."""
    assert parse_date("0000-02-29").day == 29
    assert parse_date("-0004-02-29").day == 29
    for text in ("0001-02-29", "-0001-02-29", "1900-02-29"):
        with pytest.raises(ValueError, match="not a day of the calendar"):
            parse_date(text)
    assert day_of_year(0, 12, 31) == 366
    assert day_of_year(1, 12, 31) == 365
    assert [day_of_year(2020, m, 1) for m in (1, 3)] == [dt.date(2020, m, 1).timetuple().tm_yday for m in (1, 3)]
