"""Dates keep their precision: parsing, order, ISO form and words."""

from __future__ import annotations

import random

import pytest

from timeline.dates import DateSpan, EDate, format_date, format_span, parse_date, parse_span


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
