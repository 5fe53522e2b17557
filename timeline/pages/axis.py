"""The time axis: an inline SVG drawn at build time, with no script needed to read it.

Time runs left to right in proportion within each stretch of activity; a long empty stretch
between two of them (1994 to 2020) is cut out and drawn as a break. Coordinates are percentages
of each stretch's own SVG, so text keeps its size at any width and stretches wrap on narrow screens.

The axis works at any size: where marks would crowd, a stretch shows one bar per period (a
decade, a year, a month, an hour ...) whose height follows its number of events and which links
to them; single events are drawn only where they can be told apart. Tick labels are chosen per
band of the stretch's drawn width (``BANDS``, switched by CSS container queries), so at every
width the labels shown fit side by side and inside the stretch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence

import babel.dates
import babel.numbers
from markupsafe import Markup, escape

from timeline.content.dates import DateSpan, EDate, day_of_year, format_year
from timeline.content.model import Event, Timeline
from timeline.content.urls import page_path
from timeline.pages.i18n import Strings, Translator

LANE_HEIGHT = 18
TOP = 6  # room above the first lane
TICKS = 24  # room for tick labels under the lanes
MAX_LANES = 8
MIN_LANES = 3  # bars of counts need some height to be compared
MAX_BREAKS = 4
MIN_GAP_YEARS = 1.0
MARGIN = 2.0  # percent of a stretch kept clear at each side, so edge marks are not cut
GAP_SHARE = 0.1  # a gap is cut when it is longer than this share of the whole time covered
MAX_MARKS = 48  # more events than this in a stretch are counted in bars, never drawn one by one
MAX_BUCKETS = 40  # bars per stretch at most
MARK_WIDTH = 2.6  # percent: the least width of a mark, so that marks closer than this share no lane
NARROW = 300.0  # px: the width a stretch is assumed to have when deciding whether marks can be told apart
BANDS = (0, 160, 200, 240, 290, 340, 400, 480, 560, 660, 800, 960, 1200)
"""Lower bounds (px of a stretch's width) of the bands in which tick labels are chosen (see style.css)."""
LABEL_GAP = 8.0  # px kept free between two labels
PAD = 24.0  # px of room each side of a stretch's drawing, where edge labels may reach (style.css)
FONT_PX = 12.0  # tick labels' font size in style.css

MINUTES_PER_YEAR = 365.2425 * 1440
UNIT_YEARS = {"year": 1.0, "month": 1 / 12, "day": 1 / 365.2425, "minute": 1 / MINUTES_PER_YEAR}
LADDER: tuple[tuple[str, int], ...] = (
    *(("minute", n) for n in (1, 5, 10, 15, 30, 60, 180, 360, 720)),
    *(("day", n) for n in (1, 2, 5, 10)),
    *(("month", n) for n in (1, 3, 6)),
    *(("year", m * 10**e) for e in range(12) for m in (1, 2, 5)),
)
"""Tick and bar steps, finest first: as far as deep time needs (billions of years)."""


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _year_days(year: int) -> int:
    return 366 if _is_leap(year) else 365


def _month_days(year: int, month: int) -> int:
    return 29 if month == 2 and _is_leap(year) else (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]


def _instant(year: int, month: int = 1, day: int = 1, minute: float = 0.0) -> float:
    """Return a calendar instant as a fractional year (proleptic calendar: any year, BCE included)."""
    return year + (day_of_year(year, month, day) - 1 + minute / 1440) / _year_days(year)


def _calendar(when: float) -> tuple[int, int, int, float]:
    """Return (year, month, day, minute of the day) of the instant ``when``."""
    year = math.floor(when)
    days = (when - year) * _year_days(year)
    day_index = min(int(days), _year_days(year) - 1)
    minute = (days - day_index) * 1440
    month = 1
    while day_index >= _month_days(year, month):
        day_index -= _month_days(year, month)
        month += 1
    return year, month, day_index + 1, minute


def position(date: EDate, *, end: bool = False) -> float:
    """Return ``date`` as a fractional year; with ``end``, the end of the period it names.

    Taken from the date's fields (year, month, day, time of day) with no calendar library, so any
    year works: BCE years and years far beyond -9999.

    >>> position(EDate(1994)), position(EDate(1994), end=True)
    (1994.0, 1995.0)
    >>> round(position(EDate(2020, 10)), 3)
    2020.749
    """
    year, month, day = date.year, date.month, date.day
    if month is None:
        return float(year + (1 if end else 0))
    if day is None:
        if not end:
            return _instant(year, month)
        return float(year + 1) if month == 12 else _instant(year, month + 1)
    if date.hour is None:
        return _instant(year, month, day, 1440.0 if end else 0.0)
    minute = date.hour * 60 + (date.minute or 0) + (date.second or 0) / 60
    # A time names an instant: its end is the next minute (or second), so it still has a (thin) extent.
    return _instant(year, month, day, minute + ((1.0 if date.second is None else 1 / 60) if end else 0.0))


@dataclasses.dataclass(frozen=True, slots=True)
class Stretch:
    """A span of time drawn in proportion, between breaks."""

    start: float
    end: float
    unit: str
    """The unit the stretch is rounded to: ``year``, ``month``, ``day`` or ``minute`` (whole hours)."""

    @property
    def monthly(self) -> bool:
        """Return True when the stretch is shorter than two years (drawn by months or finer)."""
        return self.unit != "year"

    def x(self, when: float) -> float:
        """Return the horizontal position of ``when`` in percent of this stretch, inside its margins."""
        return MARGIN + (100 - 2 * MARGIN) * (when - self.start) / (self.end - self.start)


def _event_extent(event: Event) -> tuple[float, float]:
    lo, hi = _span_extent(event.span)
    for milestone in event.milestones:  # a milestone may fall outside the event's own dates
        m_lo, m_hi = _span_extent(milestone.span)
        lo, hi = min(lo, m_lo), max(hi, m_hi)
    return lo, hi


# A pure function of a frozen date span; the axis asks it several times per event per build.
@functools.lru_cache(maxsize=65536)
def _span_extent(span: DateSpan) -> tuple[float, float]:
    start = position(span.start)
    end = position(span.end or span.start, end=True)
    return start, max(end, start)


def _round_out(start: float, end: float) -> Stretch:
    """Return the stretch from ``start`` to ``end`` widened to whole units of a fitting size."""
    span = end - start
    if span >= 2 or (start == math.floor(start) and end == math.floor(end)):
        # Whole years: also a lone year (`0387~`), drawn as the year it is rather than twelve months.
        return Stretch(float(math.floor(start)), float(max(math.ceil(end), math.floor(start) + 1)), "year")
    if span >= 2 / 12:
        y0, m0, _, _ = _calendar(start)
        y1, m1, _, _ = _calendar(end - 1e-9)
        hi = float(y1 + 1) if m1 == 12 else _instant(y1, m1 + 1)
        return Stretch(_instant(y0, m0), hi, "month")
    y0, m0, d0, minute0 = _calendar(start)
    y1, m1, d1, minute1 = _calendar(end - 1e-9)
    if span >= 2 / 365:
        return Stretch(_instant(y0, m0, d0), _instant(y1, m1, d1, 1440.0), "day")
    lo = _instant(y0, m0, d0, minute0 // 60 * 60)
    hi = _instant(y1, m1, d1, (minute1 // 60 + 1) * 60)
    return Stretch(lo, hi, "minute")


def stretches(extents: Iterable[tuple[float, float]]) -> list[Stretch]:
    """Return the stretches to draw: covered time, cut at the longest empty gaps.

    >>> [(round(s.start, 3), round(s.end, 3), s.unit) for s in stretches([(1988.0, 1995.0), (2020.75, 2020.76)])]
    [(1988.0, 1995.0, 'year'), (2020.749, 2020.762, 'day')]
    """
    spans = sorted(extents)
    if not spans:
        return []
    merged: list[list[float]] = [list(spans[0])]
    for lo, hi in spans[1:]:
        if lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    whole = merged[-1][1] - merged[0][0]
    gaps = sorted(
        ((merged[i + 1][0] - merged[i][1], i) for i in range(len(merged) - 1)),
        key=lambda g: (-g[0], g[1]),
    )
    cuts = sorted(i for size, i in gaps[:MAX_BREAKS] if size >= max(MIN_GAP_YEARS, GAP_SHARE * whole))
    groups: list[tuple[float, float]] = []
    begin = 0
    for cut in [*cuts, len(merged) - 1]:
        groups.append((merged[begin][0], merged[cut][1]))
        begin = cut + 1
    return [_round_out(lo, hi) for lo, hi in groups]


# Ticks ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class Tick:
    """One boundary on the axis, with the label that names it (or the period after it)."""

    at: float
    """Where the boundary lies (fractional year)."""
    label: str
    centre: float
    """Where the label's anchor lies: the boundary, or the middle of the one period it names."""
    anchor: str = "middle"
    """``start``, ``middle`` or ``end``: how the label sits on ``centre``."""


def _approx_count(span: float, unit: str, step: int) -> float:
    return span / (UNIT_YEARS[unit] * step)


def _boundaries(lo: float, hi: float, unit: str, step: int) -> Iterator[tuple[float, tuple[int, int, int, int]]]:
    """Yield (instant, (year, month, day, minute)) of each boundary of ``step`` ``unit`` in [lo, hi]."""
    eps = 1e-12 * max(1.0, abs(lo), abs(hi))
    if unit == "year":
        # BCE years are counted from 1 BCE back: 500 BCE (year -499) is a round number, -500 is not.
        first, last = math.ceil(lo - eps), math.floor(hi + eps)
        years = [y for y in _multiples(first, min(last, 0), step, bce=True)]
        years += [y for y in _multiples(max(first, 1), last, step, bce=False)]
        for year in sorted(years):
            yield float(year), (year, 1, 1, 0)
        return
    y, m, d, minute = _calendar(lo - eps)
    if unit == "month":
        while True:
            at = _instant(y, m)
            if at > hi + eps:
                return
            if at >= lo - eps and (m - 1) % step == 0:
                yield at, (y, m, 1, 0)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    while True:  # days, and minutes inside them
        start = _instant(y, m, d)
        if start > hi + eps:
            return
        if unit == "day":
            # Days of the month 1, 1 + step, ...; one too close to the next month's first is left out.
            if start >= lo - eps and (d - 1) % step == 0 and d + step // 2 <= _month_days(y, m):
                yield start, (y, m, d, 0)
        else:
            for minute in range(0, 1440, step):
                at = _instant(y, m, d, float(minute))
                if lo - eps <= at <= hi + eps:
                    yield at, (y, m, d, minute)
        if d < _month_days(y, m):
            d += 1
        elif m < 12:
            m, d = m + 1, 1
        else:
            y, m, d = y + 1, 1, 1


def _multiples(first: int, last: int, step: int, *, bce: bool) -> list[int]:
    if first > last:
        return []
    if not bce:
        k0 = -(-first // step)
        return list(range(k0 * step, last + 1, step))
    # Years -n + 1 whose BCE number n is a multiple of step: n from 1 - last to 1 - first.
    n_lo, n_hi = max(1 - last, 1), 1 - first
    k0 = -(-n_lo // step)
    return [1 - n for n in range(k0 * step, n_hi + 1, step)]


@functools.lru_cache(maxsize=64)
def _month_name(month: int, locale: str, form: str = "MMM") -> str:
    # The name of a month does not depend on the year; datetime holds only the years 1 to 9999.
    return str(babel.dates.format_skeleton(form, dt.date(2000, month, 1), locale=locale))


def _day_label(month: int, day: int, locale: str) -> str:
    return str(babel.dates.format_skeleton("MMMd", dt.date(2000, month, day), locale=locale))


def _ticks(stretch: Stretch, unit: str, step: int, locale: str) -> list[Tick]:
    """Return the ticks of ``step`` ``unit`` in ``stretch``, with their labels."""
    lo, hi = stretch.start, stretch.end
    found = list(_boundaries(lo, hi, unit, step))
    if step == 1 and unit in ("year", "month", "day") and (not found or found[0][0] > lo + 1e-9):
        # The stretch starts inside a period (a day-rounded stretch in September): name that one too.
        y, m, d, _ = _calendar(lo)
        first = {"year": (y, 1, 1), "month": (y, m, 1), "day": (y, m, d)}[unit]
        found.insert(0, (_instant(*first), (*first, 0)))
    ticks: list[Tick] = []
    for index, (at, (year, month, day, minute)) in enumerate(found):
        if unit == "year":
            label = _short_year(year, locale)
            if ticks and label == ticks[-1].label:
                continue  # deep time is named to three figures: ticks it cannot tell apart say nothing new
        elif unit == "month":
            name = _month_name(month, locale)
            label = f"{name} {format_year(year, locale)}" if not ticks or month == 1 else name
        elif unit == "day" or minute == 0:
            label = _day_label(month, day, locale)
        else:
            label = f"{minute // 60:02d}:{minute % 60:02d}"
        centre = at
        if step == 1 and unit in ("year", "month", "day"):
            # A label that names one period sits in its middle (the part of it that is drawn).
            nxt = found[index + 1][0] if index + 1 < len(found) else _next(year, month, day, unit)
            centre = (max(at, lo) + min(nxt, hi)) / 2
            if min(nxt, hi) - max(at, lo) <= 0:
                continue
        ticks.append(Tick(at, label, centre))
    return ticks


def _short_year(year: int, locale: str) -> str:
    """Return a tick's year as every output writes it (``format_year``), deep time abbreviated: 13.8B years ago."""
    return format_year(year, locale, short=True)


def _next(year: int, month: int, day: int, unit: str) -> float:
    if unit == "year":
        return float(year + 1)
    if unit == "month":
        return float(year + 1) if month == 12 else _instant(year, month + 1)
    return _instant(year, month, day, 1440.0)


def text_width(text: str) -> float:
    """Return a generous estimate of ``text``'s width in px at the axis' label size."""
    width = 0.0
    for char in text:
        if char.isspace():
            width += 0.35
        elif ord(char) >= 0x2E80:  # CJK and other wide scripts
            width += 1.0
        elif char.isupper() or char in "mwMW%":
            width += 0.8
        else:
            width += 0.62
    return width * FONT_PX


def _box(tick: Tick, stretch: Stretch, width: float, anchor: str) -> tuple[float, float]:
    """Return the left and right edge (px from the stretch's outer left edge) of a tick's label."""
    x = PAD + stretch.x(tick.centre) / 100 * (width - 2 * PAD)
    w = text_width(tick.label)
    left = x - w / 2 if anchor == "middle" else x if anchor == "start" else x - w
    return left, left + w


def anchored(ticks: Sequence[Tick], stretch: Stretch, width: float) -> list[Tick]:
    """Return ``ticks`` with each label centred on its place, or grown inwards where centred it would be cut."""
    out = []
    for tick in ticks:
        left, right = _box(tick, stretch, width, "middle")
        anchor = "start" if left < 0 else "end" if right > width else "middle"
        out.append(dataclasses.replace(tick, anchor=anchor))
    return out


def fits(ticks: Sequence[Tick], stretch: Stretch, width: float) -> bool:
    """Return True if every label of ``ticks`` lies inside a stretch ``width`` px wide, apart from the others."""
    right = -math.inf
    for tick in ticks:
        left, end = _box(tick, stretch, width, tick.anchor)
        if left < 0 or end > width or left < right + LABEL_GAP:
            return False
        right = end
    return True


_ORDER = {"minute": 0, "day": 1, "month": 2, "year": 3}


def _candidates(stretch: Stretch) -> Iterator[tuple[str, int]]:
    # No finer ticks than the stretch is drawn by (a lone year shows no months); a few days show hours.
    for unit, step in LADDER:
        if _ORDER[unit] >= _ORDER[stretch.unit] or (stretch.unit == "day" and step >= 60):
            yield unit, step


def label_plan(stretch: Stretch, locale: str) -> list[tuple[tuple[str, int], list[Tick], list[int]]]:
    """Return the tick sets a stretch shows: (unit and step, ticks, the bands of width it is shown in)."""
    span = stretch.end - stretch.start
    chosen: dict[tuple[str, int, tuple[str, ...]], list[int]] = {}
    made: dict[tuple[str, int], list[Tick]] = {}
    shown: dict[tuple[str, int, tuple[str, ...]], list[Tick]] = {}
    for band, lower in enumerate(BANDS):
        width = max(float(lower), 100.0)
        most = width / (2 * FONT_PX)  # no more labels than two characters' room each could hold
        # Every other label may go only when no step fits whole: deep time's words are long ("4B years ago").
        for thin in (False, True):
            picked = None
            for unit, step in _candidates(stretch):
                if _approx_count(span, unit, step) > most + 1:
                    continue
                if (unit, step) not in made:
                    made[unit, step] = _ticks(stretch, unit, step, locale)
                ticks = anchored(made[unit, step], stretch, width)
                if not ticks:
                    continue
                if not fits(ticks, stretch, width):
                    # The first or last label grown inwards may crowd its neighbour: try without it.
                    ticks = [t for t in ticks if t.anchor == "middle"]
                    if thin and ticks and not fits(ticks, stretch, width):
                        ticks = ticks[::2]
                    if len(ticks) < (1 if thin else 2) or not fits(ticks, stretch, width):
                        continue
                picked = (unit, step, ticks)
                break
            if picked is not None:
                unit, step, ticks = picked
                key = (unit, step, tuple(t.anchor + t.label for t in ticks))
                shown[key] = ticks
                chosen.setdefault(key, []).append(band)
                break
    return [((key[0], key[1]), shown[key], bands) for key, bands in chosen.items()]


# Marks and bars ------------------------------------------------------------------------------


def _lanes(items: Sequence[tuple[float, float]], stretch: Stretch) -> tuple[list[int], bool]:
    """Give each mark the first lane where it does not overlap the marks before it; say if all fit."""
    ends: list[float] = []
    lanes = []
    crowded = False
    for lo, hi in items:
        left, right = stretch.x(lo), max(stretch.x(hi), stretch.x(lo) + MARK_WIDTH)
        for lane, last in enumerate(ends):
            if left >= last:
                ends[lane] = right
                lanes.append(lane)
                break
        else:
            if len(ends) < MAX_LANES:
                ends.append(right)
                lanes.append(len(ends) - 1)
            else:
                crowded = True
                lanes.append(len(ends) - 1)
                ends[-1] = max(ends[-1], right)
    return lanes, not crowded


def _pct(value: float) -> str:
    return f"{min(max(value, 0.0), 100.0):.2f}".rstrip("0").rstrip(".") + "%"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _bucket_step(stretch: Stretch) -> tuple[str, int]:
    """Return the finest step that cuts ``stretch`` into at most ``MAX_BUCKETS`` periods."""
    span = stretch.end - stretch.start
    return next(
        ((u, s) for u, s in LADDER if _approx_count(span, u, s) <= MAX_BUCKETS - 2 and (u, s) != ("minute", 1)),
        LADDER[-1],
    )


def period_name(
    lo: tuple[int, int, int, int], hi: tuple[int, int, int, int], unit: str, step: int, t: Translator
) -> str:
    """Return the name of the period from boundary ``lo`` up to boundary ``hi`` (exclusive)."""
    year, month, day, minute = lo
    if unit == "year":
        last = hi[0] - 1
        if last <= year:
            return format_year(year, t.locale)
        return f"{format_year(year, t.locale)} – {format_year(last, t.locale)}"
    if unit == "month":
        if step == 1 or (hi[0], hi[1]) == (year, month + 1):
            return _month_title(year, month, t)
        ly, lm = (hi[0], hi[1] - 1) if hi[1] > 1 else (hi[0] - 1, 12)
        return f"{_month_title(year, month, t)} – {_month_title(ly, lm, t)}"
    if unit == "day":
        first = _day_title(year, month, day, t)
        if step == 1:
            return first
        end = _instant(hi[0], hi[1], hi[2]) - 1e-9
        ly, lm, ld, _ = _calendar(end)
        return first if (ly, lm, ld) == (year, month, day) else f"{first} – {_day_title(ly, lm, ld, t)}"
    end_minute = hi[3] if hi[:3] == lo[:3] else 1440
    clock = f"{minute // 60:02d}:{minute % 60:02d}–{end_minute // 60:02d}:{end_minute % 60:02d}"
    return f"{_day_title(year, month, day, t)}, {clock}"


def _month_title(year: int, month: int, t: Translator) -> str:
    if 1 <= year <= 9999:
        return t.month(year, month)
    return f"{_month_name(month, t.locale, 'MMMM')} {format_year(year, t.locale)}"


def _day_title(year: int, month: int, day: int, t: Translator) -> str:
    if 1 <= year <= 9999:
        return t.date(EDate(year, month, day))
    return f"{_day_label(month, day, t.locale)} {format_year(year, t.locale)}"


@dataclasses.dataclass(frozen=True, slots=True)
class Bucket:
    """A period of a stretch with the events that start in it."""

    start: float
    end: float
    name: str
    events: tuple[Event, ...]


def buckets(stretch: Stretch, events: Sequence[Event], t: Translator) -> list[Bucket]:
    """Return the non-empty periods of ``stretch`` (at most ``MAX_BUCKETS``), each with its events."""
    unit, step = _bucket_step(stretch)
    bounds = list(_boundaries(stretch.start, stretch.end, unit, step))
    if unit == "year" and step > 1 and stretch.start < 1 < stretch.end and all(at != 1.0 for at, _ in bounds):
        # No year 0 between 1 BCE and 1: without a boundary at 1, the period across it would be twice as long.
        bounds = sorted([*bounds, (1.0, (1, 1, 1, 0))])
    if not bounds or bounds[0][0] > stretch.start + 1e-9:
        y, m, d, minute = _calendar(stretch.start)
        bounds.insert(0, (stretch.start, (y, m, d, int(minute))))
    if bounds[-1][0] < stretch.end - 1e-9:
        y, m, d, minute = _calendar(stretch.end)
        bounds.append((stretch.end, (y, m, d, int(round(minute)))))
    starts = sorted((_event_extent(e)[0], n) for n, e in enumerate(events))
    out: list[Bucket] = []
    k = 0
    for (lo, lo_cal), (hi, hi_cal) in zip(bounds, bounds[1:], strict=False):
        members: list[Event] = []
        last = (hi, hi_cal) == bounds[-1]
        while k < len(starts) and (starts[k][0] < hi or last):
            members.append(events[starts[k][1]])
            k += 1
        if members:
            out.append(Bucket(lo, hi, period_name(lo_cal, hi_cal, unit, step, t), tuple(members)))
    return out


def _mark(event: Event, stretch: Stretch, lane: int, href: str, label: str, first: bool) -> str:
    lo, hi = _span_extent(event.span)  # the event's own dates; its milestones are ticks beside them
    y = TOP + lane * LANE_HEIGHT + LANE_HEIGHT / 2
    name = escape(label)
    classes = ["mark", f"status-{event.status}"]
    if event.disputed:
        classes.append("disputed")
    point = event.span.end is None and event.span.start.precision not in ("year", "month")
    if event.span.start.uncertain or event.span.start.approximate:
        classes.append("uncertain")
    if point:
        shape = f'<circle cx="{_pct(stretch.x(lo))}" cy="{_num(y)}" r="5"/>'
    else:
        if event.span.end is None:
            classes.append("period")  # a month or a year, not an exact day: drawn as the period it names
        width = max(stretch.x(hi) - stretch.x(lo), 0.8)
        shape = f'<rect x="{_pct(stretch.x(lo))}" y="{_num(y - 4)}" width="{_pct(width)}" height="8" rx="3"/>'
    for milestone in event.milestones:
        # A tall tick where each milestone falls (signed, in force), drawn over the event's own mark.
        at = _pct(stretch.x(_span_extent(milestone.span)[0]))
        shape += f'<line class="milestone" x1="{at}" x2="{at}" y1="{_num(y - 8)}" y2="{_num(y + 8)}"/>'
    tab = "0" if first else "-1"
    return (
        f'<a href="{escape(href)}" class="{" ".join(classes)}" tabindex="{tab}" aria-label="{name}">'
        f"<title>{name}</title>{shape}</a>"
    )


Locate = Callable[[Event, str], str]
"""Return the link to an event's place in a list: (event, the period's unit) -> URL with its anchor."""


def _stretch_svg(
    tl: Timeline,
    stretch: Stretch,
    events: Sequence[Event],
    t: Translator,
    index: int,
    lane_count: int,
    locate: Locate,
    shown: set[str],
) -> str:
    """Return one stretch's SVG; every stretch has the same lanes so their baselines line up."""
    extents = [_event_extent(e) for e in events]
    lanes, apart = _lanes(extents, stretch)
    told_apart = apart and len(events) <= MAX_MARKS
    base_y = TOP + lane_count * LANE_HEIGHT + 4
    height = base_y + TICKS
    parts = ['<g class="eras" aria-hidden="true">']
    for number, era in enumerate(tl.config.eras):
        lo, hi = position(era.span.start), position(era.span.end or era.span.start, end=True)
        if hi <= stretch.start or lo >= stretch.end:
            continue
        x0, x1 = stretch.x(max(lo, stretch.start)), stretch.x(min(hi, stretch.end))
        parts.append(
            f'<rect class="era era-{number % 4}" x="{_pct(x0)}" y="0" width="{_pct(x1 - x0)}" height="{_num(base_y)}">'
            f"<title>{escape(era.title)}</title></rect>"
        )
        shown.add(f"era:{number}")
    parts.append("</g>")
    for (unit, step), ticks, bands in label_plan(stretch, t.locale):
        classes = " ".join(f"b{b}" for b in bands)
        parts.append(f'<g class="ticks {classes}" data-step="{unit}:{step}" aria-hidden="true">')
        for tick in ticks:
            if tick.at < stretch.start - 1e-9:
                continue  # the period named first began before the stretch: no boundary to draw
            x = _pct(stretch.x(tick.at))
            parts.append(f'<line x1="{x}" x2="{x}" y1="{_num(base_y - 4)}" y2="{_num(base_y + 4)}"/>')
        for tick in ticks:
            anchor = "" if tick.anchor == "middle" else f' text-anchor="{tick.anchor}"'
            parts.append(
                f'<text x="{_pct(stretch.x(tick.centre))}" y="{_num(base_y + 18)}"{anchor}>{escape(tick.label)}</text>'
            )
        parts.append("</g>")
    parts.append(
        f'<line class="baseline" x1="0" x2="100%" y1="{_num(base_y)}" y2="{_num(base_y)}" aria-hidden="true"/>'
    )
    if told_apart:
        parts.append('<g class="marks">')
        for n, (event, lane) in enumerate(zip(events, lanes, strict=True)):
            href = tl.config.base_path + page_path("event", event.id)
            milestones = [f"{m.label}: {t.span(m.span)}" for m in event.milestones]
            name = "; ".join([f"{event.title}, {t.span(event.span)}", *milestones])
            parts.append(_mark(event, stretch, lane, href, name, n == 0))
            if event.milestones:
                shown.add("milestone")
            point = event.span.end is None and event.span.start.precision not in ("year", "month")
            shown.add("point" if point else "period" if event.span.end is None else "range")
            if point and (event.span.start.uncertain or event.span.start.approximate):
                shown.add("uncertain")  # drawn as a hollow dashed dot; a bar shows its period alone
            if event.disputed:
                shown.add("disputed")
            if point and event.status == "scheduled":
                shown.add("scheduled")
        parts.append("</g>")
    else:
        shown.add("bucket")
        found = buckets(stretch, events, t)
        unit = _bucket_step(stretch)[0]
        peak = max(len(b.events) for b in found)
        room = lane_count * LANE_HEIGHT
        parts.append('<g class="buckets">')
        for n, bucket in enumerate(found):
            count = len(bucket.events)
            h = 3 + (room - 3) * math.sqrt(count / peak)
            x0, x1 = stretch.x(bucket.start), stretch.x(bucket.end)
            name = escape(f"{bucket.name}: {t.count('n_events', count)}")
            href = escape(locate(bucket.events[0], unit))
            tab = 0 if n == 0 else -1
            width = _pct(max(x1 - x0 - 0.3, 0.5))
            parts.append(
                f'<a href="{href}" class="bucket" tabindex="{tab}" aria-label="{name}"><title>{name}</title>'
                f'<rect x="{_pct(x0)}" y="{_num(base_y - h)}" width="{width}" height="{_num(h)}"/></a>'
            )
        parts.append("</g>")
    return (
        f'<svg class="axis-stretch" id="axis-stretch-{index}" width="100%" height="{_num(height)}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )


def _label(stretch: Stretch, t: Translator, *, start: bool) -> str:
    when = stretch.start if start else stretch.end - 1e-9
    year, month, day, minute = _calendar(when)
    if stretch.unit == "year":
        return format_year(year, t.locale)
    if stretch.unit == "month":
        return _month_title(year, month, t)
    text = _day_title(year, month, day, t)
    if stretch.unit == "minute":
        m = int(minute // 60 * 60) if start else int(minute // 60 + 1) * 60
        text += f", {m // 60:02d}:{m % 60:02d}"
    return text


def _anchor_in_page(event: Event, unit: str) -> str:
    """Return the fragment of the list entry an axis period links to: its year, month or event."""
    start = event.span.start
    if unit == "year":
        return f"#y{start.year}"
    if unit == "month" and start.month is not None:
        return f"#y{start.year}-{start.month:02d}"
    return f"#event-{event.id}"


LEGEND = (
    ("point", "legend_point"),
    ("range", "legend_range"),
    ("period", "legend_period"),
    ("uncertain", "legend_uncertain"),
    ("disputed", "legend_disputed"),
    ("scheduled", "legend_scheduled"),
    ("milestone", "legend_milestone"),
    ("bucket", "legend_bucket"),
)
_KEYS = {
    "point": '<g class="mark"><circle cx="9" cy="7" r="5"/></g>',
    "range": '<g class="mark"><rect x="1" y="3" width="16" height="8" rx="3"/></g>',
    "period": '<g class="mark period"><rect x="1" y="3" width="16" height="8" rx="3"/></g>',
    "uncertain": '<g class="mark uncertain"><circle cx="9" cy="7" r="5"/></g>',
    "disputed": '<g class="mark disputed"><circle cx="9" cy="7" r="5"/></g>',
    "scheduled": '<g class="mark status-scheduled"><circle cx="9" cy="7" r="5"/></g>',
    "milestone": '<g class="mark"><line class="milestone" x1="9" x2="9" y1="0" y2="14"/></g>',
    "bucket": '<g class="bucket"><rect x="1" y="6" width="4" height="8"/><rect x="7" y="1" width="4" height="13"/>'
    '<rect x="13" y="9" width="4" height="5"/></g>',
}


def render_axis(
    tl: Timeline,
    strings: Strings | None = None,
    *,
    events: Sequence[Event] | None = None,
    page_of: Callable[[Event], str] | None = None,
) -> Markup:
    """Return the SVG of an axis of ``events`` (the whole timeline's by default), one part per stretch.

    ``strings``: the theme chain's UI strings (the built-in theme's without). ``page_of``: the URL of
    the page that lists an event (the periods of a crowded stretch link to their place on it); the
    page the axis is on when not given.
    """
    chosen = tl.events if events is None else tuple(events)
    if not chosen:
        return Markup("")
    t = Translator(tl.config.language, strings)

    def locate(event: Event, unit: str) -> str:
        return (page_of(event) if page_of else "") + _anchor_in_page(event, unit)

    parts = stretches([_event_extent(e) for e in chosen])
    out = [
        '<figure class="axis" id="axis" aria-labelledby="axis-title">',
        f'<figcaption id="axis-title" class="visually-hidden">{escape(t("time_axis"))}</figcaption>',
        '<div class="axis-row">',
    ]
    groups: list[list[Event]] = [[] for _ in parts]
    for event in chosen:
        lo = _event_extent(event)[0]
        k = next((i for i, s in enumerate(parts) if lo < s.end + 1e-9), len(parts) - 1)
        groups[k].append(event)
    lane_count = MIN_LANES
    for stretch, group in zip(parts, groups, strict=True):
        lanes, apart = _lanes([_event_extent(e) for e in group], stretch)
        if apart and len(group) <= MAX_MARKS:
            lane_count = max(lane_count, 1 + max(lanes, default=0))
    # Width: half by time covered, half by number of events, so a busy month is not a sliver beside a decade.
    total = sum(p.end - p.start for p in parts)
    shares = [0.5 * (s.end - s.start) / total + 0.5 * len(g) / len(chosen) for s, g in zip(parts, groups, strict=True)]
    shown: set[str] = set()
    for index, (stretch, group) in enumerate(zip(parts, groups, strict=True)):
        svg = _stretch_svg(tl, stretch, group, t, index, lane_count, locate, shown)
        if index:
            years = int(stretch.start - parts[index - 1].end)
            gap = t("gap_years").format(n=f"{years:,}" if years > 9999 else years) if years >= 1 else t("gap")
            out.append(f'<div class="axis-break"><span>{escape(gap)}</span></div>')
        label = escape(f"{_label(stretch, t, start=True)} – {_label(stretch, t, start=False)}")
        out.append(
            f'<div class="axis-part" role="group" aria-label="{label}" '
            f'style="flex-grow:{max(shares[index], 0.05):.3f}">{svg}</div>'
        )
    out.append("</div>")
    # Filled in by the script with the name of the focused or tapped mark; its room is kept, so nothing moves.
    out.append('<p class="axis-name" id="axis-name" aria-hidden="true"></p>')
    out.append('<ul class="axis-legend">')
    for kind, key in LEGEND:
        if kind in shown:
            out.append(
                f'<li><svg class="key" width="18" height="14" aria-hidden="true">{_KEYS[kind]}</svg>'
                f"{escape(t(key))}</li>"
            )
    for number, era in enumerate(tl.config.eras):
        if f"era:{number}" in shown:
            out.append(
                f'<li><span class="swatch era-{number % 4}" aria-hidden="true"></span>'
                f"{escape(t('era'))}: {escape(era.title)}</li>"
            )
    out.append("</ul>")
    out.append("</figure>")
    return Markup("".join(out))
