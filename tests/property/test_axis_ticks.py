"""Tick labels and count bars of the time axis, over many spans and widths: always fitting, always whole."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.content.config import load_config
from timeline.content.dates import EDate, format_year
from timeline.content.linking import index_content
from timeline.content.model import Event, Timeline
from timeline.content.reader import read_content
from timeline.pages.axis import (
    BANDS,
    MAX_BUCKETS,
    Stretch,
    buckets,
    fits,
    label_plan,
    position,
    stretches,
    text_width,
)
from timeline.pages.i18n import Translator

SPANS = st.sampled_from([1 / 525960, 1 / 8766, 1 / 365, 7 / 365, 1 / 12, 0.5, 1, 3, 10, 80, 400, 2520, 1e5, 4.5e9])


def widths_in(band: int) -> list[float]:
    lower = max(float(BANDS[band]), 100.0)
    upper = float(BANDS[band + 1]) if band + 1 < len(BANDS) else 2400.0
    return [lower, (lower + upper) / 2, upper - 0.5]


def stretch_of(start: float, span: float) -> Stretch:
    found = stretches([(start, start + span)])
    assert len(found) == 1
    return found[0]


@settings(max_examples=300, deadline=None)
@given(
    start=st.one_of(st.floats(-5000, 3000), st.integers(-3000, 3000).map(float), st.floats(-1.4e10, -1e4)),
    span=SPANS,
    locale=st.sampled_from(["en", "id", "ja"]),
)
def test_labels_fit_side_by_side_and_inside_the_stretch_at_every_width(start: float, span: float, locale: str) -> None:
    if start < -1e4:
        span = max(span, 1000.0)  # deep time is dated in years only
    stretch = stretch_of(start, span)
    plan = label_plan(stretch, locale)
    bands = [band for _, _, shown in plan for band in shown]
    assert len(bands) == len(set(bands))  # one tick set per band
    for _, ticks, shown in plan:
        assert [t.centre for t in ticks] == sorted(t.centre for t in ticks)
        assert all(stretch.start - 1e-6 * max(1, abs(stretch.start)) <= t.centre <= stretch.end + 1e-6 for t in ticks)
        for band in shown:
            for width in widths_in(band):
                assert fits(ticks, stretch, width), (stretch, band, width, [t.label for t in ticks])
    # From the width of a phone's stretch upwards, the axis always names some time.
    assert set(range(3, len(BANDS))) <= set(bands), (stretch, plan)


@settings(max_examples=200, deadline=None)
@given(year=st.integers(-(10**10), 10**5))
def test_years_read_as_written_with_no_minus_sign(year: int) -> None:
    text = format_year(year)
    assert "-" not in text
    if year < -9999:  # deep time: counted back from 1950, to three figures
        assert text.endswith(" years ago")
        return
    number = int(text.removesuffix(" BCE").replace(",", ""))
    assert (number if year >= 1 else 1 - number) == year
    assert text.endswith(" BCE") == (year < 1)


def labels(stretch: Stretch, width: float, locale: str = "en") -> list[str]:
    band = max(b for b, lower in enumerate(BANDS) if lower <= width)
    return next([t.label for t in ticks] for _, ticks, shown in label_plan(stretch, locale) if band in shown)


def test_1950_to_2030_is_labelled_by_decades_at_375_and_by_years_wide() -> None:
    stretch = stretch_of(1950.0, 81.0)
    narrow = labels(stretch, 343)  # the stretch's width on a 375 px screen
    assert "2000" in narrow and len(narrow) >= 4 and all(int(label) % 10 == 0 for label in narrow)
    wide = labels(stretch, 700)  # in the 46rem column of a 1280 px screen
    assert wide[0] == "1950" and wide[-1] == "2030" and len(wide) == 9


def test_500_bce_to_2020_counts_bce_years_from_1_bce() -> None:
    stretch = stretch_of(position(EDate(-499)), 2520.0)
    found = labels(stretch, 343)
    assert "500 BCE" in found and "1000" in found
    assert not [label for label in found if "-" in label]


def test_a_lone_approximate_year_is_one_year_not_twelve_months() -> None:
    stretch = stretch_of(387.0, 1.0)
    assert stretch.unit == "year"
    assert labels(stretch, 343) == ["387"]
    assert len(labels(stretch, 1200)) <= 12


def test_minutes_within_one_day_are_labelled_by_clock_time() -> None:
    start = position(EDate(2020, 10, 23, 8, 5))
    end = position(EDate(2020, 10, 23, 17, 40))
    stretch = stretch_of(start, end - start)
    found = labels(stretch, 343)
    assert len(found) >= 3
    assert all(label[:2].isdigit() and label[2] == ":" for label in found)


def test_text_width_is_generous_for_wide_scripts() -> None:
    assert text_width("10月") > text_width("Oct")
    assert text_width("500 BCE") > 40


def timeline_of(tmp_path: Path, dates: list[str]) -> Timeline:
    (tmp_path / "site.yaml").write_text("title: T\n", encoding="utf-8")
    folder = tmp_path / "content" / "events"
    folder.mkdir(parents=True)
    for n, date in enumerate(dates):
        (folder / f"e{n}.yaml").write_text(f'title: E{n}\ndate: "{date}"\n', encoding="utf-8")
    config = load_config(tmp_path)
    content, _ = read_content(config)
    tl, diags = index_content(content, config)
    assert [d for d in diags if d.severity == "error"] == []
    return tl


@settings(max_examples=25, deadline=None)
@given(
    dates=st.lists(
        st.one_of(
            st.integers(-3000, 2100).map(lambda y: f"{y:05d}" if y < 0 else f"{y:04d}"),
            st.tuples(st.integers(1900, 2030), st.integers(1, 12), st.integers(1, 28)).map(
                lambda d: f"{d[0]}-{d[1]:02d}-{d[2]:02d}"
            ),
            st.tuples(st.integers(0, 23), st.integers(0, 59)).map(lambda d: f"2020-10-23T{d[0]:02d}:{d[1]:02d}"),
        ),
        min_size=1,
        max_size=400,
    )
)
def test_bars_hold_every_event_once_in_the_period_it_starts_in(dates: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tl = timeline_of(Path(folder), dates)
    t = Translator("en")
    parts = stretches([(position(e.span.start), position(e.span.end or e.span.start, end=True)) for e in tl.events])
    seen: list[Event] = []
    for stretch in parts:
        members = [e for e in tl.events if _in(stretch, e, parts)]
        found = buckets(stretch, members, t)
        assert 1 <= len(found) <= MAX_BUCKETS
        for bucket in found:
            assert bucket.name and bucket.start < bucket.end
            for event in bucket.events:
                at = position(event.span.start)
                assert bucket.start - 1e-9 <= at and (at < bucket.end + 1e-9 or bucket is found[-1])
        seen += [e for b in found for e in b.events]
    assert sorted(e.id for e in seen) == sorted(e.id for e in tl.events)


def _in(stretch: Stretch, event: Event, parts: list[Stretch]) -> bool:
    at = position(event.span.start)
    k = next((i for i, s in enumerate(parts) if at < s.end + 1e-9), len(parts) - 1)
    return parts[k] is stretch


def test_positions_hold_any_year() -> None:
    assert position(EDate(-13_799_999_999)) == -13_799_999_999.0
    assert math.isclose(position(EDate(-499, 7, 2)) + 499, 0.5, abs_tol=0.01)
    assert position(EDate(2020, 10, 23, 14, 5)) < position(EDate(2020, 10, 23, 14, 6))
