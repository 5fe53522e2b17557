"""Property: every date the model can hold is written as EDTF and read back the same, and its keys agree."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.content.calendars import days_in_month
from timeline.content.dates import DateSpan, EDate, parse_date, parse_span

QUALIFIERS = st.sampled_from([(False, False), (True, False), (False, True), (True, True)])


@st.composite
def dates(draw: st.DrawFn) -> EDate:
    """Return a date in any form: extended years, BCE, decades, seasons, unspecified parts, days, times."""
    approximate, uncertain = draw(QUALIFIERS)
    form = draw(st.sampled_from(["extended", "year", "masked", "season", "month", "month_x", "day", "day_x", "time"]))
    if form == "extended":
        year = draw(st.one_of(st.integers(-(10**11), -10000), st.integers(10000, 10**11)))
        return EDate(year, approximate=approximate, uncertain=uncertain)
    year = draw(st.integers(-9999, 9999))
    if form == "year":
        return EDate(year, approximate=approximate, uncertain=uncertain)
    if form == "masked":
        width = draw(st.integers(1, 2))
        base = draw(st.integers(0, 9999 // 10**width)) * 10**width
        return EDate(base, year_x=width, approximate=approximate, uncertain=uncertain)
    if form == "season":
        return EDate(year, season=draw(st.sampled_from([21, 22, 23, 24])), approximate=approximate, uncertain=uncertain)
    if form == "month_x":
        return EDate(year, month_x=True, day_x=draw(st.booleans()), approximate=approximate, uncertain=uncertain)
    month = draw(st.integers(1, 12))
    if form == "month":
        return EDate(year, month, approximate=approximate, uncertain=uncertain)
    if form == "day_x":
        return EDate(year, month, day_x=True, approximate=approximate, uncertain=uncertain)
    day = draw(st.integers(1, days_in_month(year, month)))
    if form == "day" or not 2 <= year <= 9998:
        return EDate(year, month, day, approximate=approximate, uncertain=uncertain)
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    second = draw(st.one_of(st.none(), st.integers(0, 59)))
    zone = draw(st.sampled_from([None, "Z", "+07:00", "-04:30"]))
    return EDate(year, month, day, hour, minute, second, zone, approximate, uncertain)


@settings(max_examples=400, deadline=None)
@given(dates())
def test_parse_of_edtf_is_identity(date: EDate) -> None:
    """parse(edtf(x)) == x for every form."""
    assert parse_date(date.edtf()) == date


@settings(max_examples=300, deadline=None)
@given(dates(), st.sampled_from(["", "open", "unknown"]), st.booleans())
def test_spans_round_trip(date: EDate, bound: str, before: bool) -> None:
    """An interval with an open or unknown end is written and read back the same."""
    span = DateSpan(date, before=bound if before else "", after="" if before else bound)  # type: ignore[arg-type]
    assert parse_span(span.edtf()) == span


@settings(max_examples=300, deadline=None)
@given(dates(), dates())
def test_sort_keys_agree_with_positions(a: EDate, b: EDate) -> None:
    """A date whose sort key is lower never starts later on the axis (wall times without zones)."""
    if a.zone or b.zone:
        a, b = (EDate(d.year, d.month, d.day, season=d.season, year_x=d.year_x) for d in (a, b))
    if a.sort_key() < b.sort_key():
        assert a.position() <= b.position()
    assert a.position() <= a.position(end=True)
