"""The time axis: an inline SVG drawn at build time, with no script needed.

Time runs left to right in proportion within each stretch of activity; a long empty stretch
between two of them (1994 to 2020) is cut out and drawn as a break. Coordinates are percentages
of each stretch's own SVG, so text keeps its size at any width and stretches wrap on narrow screens.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterable, Sequence

import babel.dates
from markupsafe import Markup, escape

from timeline.content.dates import DateSpan, EDate, day_of_year, format_year
from timeline.content.model import Event, Timeline
from timeline.content.urls import page_path
from timeline.pages.i18n import Strings, Translator

LANE_HEIGHT = 18
TOP = 10  # room above the first lane
STRIP = 6  # height of the density strip
TICKS = 26  # room for tick labels under the strip
MAX_LANES = 6
MAX_BREAKS = 4
MIN_GAP_YEARS = 1.0
MARGIN = 2.0  # percent of a stretch kept clear at each side, so edge marks are not cut
GAP_SHARE = 0.1  # a gap is cut when it is longer than this share of the whole time covered


def _year_fraction(year: int, day_of_year: float) -> float:
    days = 366 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 365
    return year + day_of_year / days


def position(date: EDate, *, end: bool = False) -> float:
    """Return ``date`` as a fractional year; with ``end``, the end of the period it names.

    >>> position(EDate(1994)), position(EDate(1994), end=True)
    (1994.0, 1995.0)
    >>> round(position(EDate(2020, 10)), 3)
    2020.749
    """
    if date.month is None:
        return float(date.year + (1 if end else 0))
    if date.day is None:
        if end:
            return float(date.year + 1) if date.month == 12 else position(EDate(date.year, date.month + 1))
        return _year_fraction(date.year, day_of_year(date.year, date.month, 1) - 1)
    # Counted in the proleptic calendar, not by datetime: years 0 and before have their own leap days.
    day = day_of_year(date.year, date.month, date.day) - 1
    return _year_fraction(date.year, day + (1 if end else (date.hour or 0) / 24))


@dataclasses.dataclass(frozen=True, slots=True)
class Stretch:
    """A span of time drawn in proportion, between breaks."""

    start: float
    end: float
    monthly: bool
    """Ticks and density bins by month (short stretches) rather than by year."""

    def x(self, when: float) -> float:
        """Return the horizontal position of ``when`` in percent of this stretch, inside its margins."""
        return MARGIN + (100 - 2 * MARGIN) * (when - self.start) / (self.end - self.start)


def _event_extent(event: Event) -> tuple[float, float]:
    return _span_extent(event.span)


# A pure function of a frozen date span; the axis asks it several times per event per build.
@functools.lru_cache(maxsize=65536)
def _span_extent(span: DateSpan) -> tuple[float, float]:
    start = position(span.start)
    end = position(span.end or span.start, end=True)
    return start, max(end, start)


def _month_of(when: float) -> tuple[int, int]:
    """Return the (year, month) that the instant ``when`` falls in."""
    year = int(when // 1)
    month = next((m for m in range(1, 13) if when < position(EDate(year, m), end=True)), 12)
    return year, month


def _round_out(start: float, end: float) -> Stretch:
    # Short stretches are drawn by month, long ones by whole years, so ticks fall on boundaries.
    if end - start >= 2:
        return Stretch(float(int(start // 1)), float(-int(-end // 1)), monthly=False)
    first, last = _month_of(start), _month_of(end - 1e-9)
    lo, hi = position(EDate(*first)), position(EDate(*last), end=True)
    if last == (9999, 12) and first == last:  # the calendar's last month: show the one before instead
        lo = position(EDate(9999, 11))
    elif last == first:  # one month alone gives no sense of scale: show the next one too
        hi = position(EDate(last[0] + last[1] // 12, last[1] % 12 + 1), end=True)
    return Stretch(lo, hi, monthly=True)


def stretches(extents: Iterable[tuple[float, float]]) -> list[Stretch]:
    """Return the stretches to draw: covered time, cut at the longest empty gaps.

    >>> [(round(s.start, 3), round(s.end, 3), s.monthly) for s in stretches([(1988.0, 1995.0), (2020.75, 2020.76)])]
    [(1988.0, 1995.0, False), (2020.749, 2020.915, True)]
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


def _lanes(items: Sequence[tuple[float, float]], stretch: Stretch) -> list[int]:
    """Give each mark the first lane where it does not overlap the marks before it."""
    ends: list[float] = []
    lanes = []
    for lo, hi in items:
        left, right = stretch.x(lo), max(stretch.x(hi), stretch.x(lo) + 3.5)
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
                lanes.append(len(ends) - 1)  # overflow shares the last lane; the density strip still counts it
                ends[-1] = max(ends[-1], right)
    return lanes


def _pct(value: float) -> str:
    return f"{min(max(value, 0.0), 100.0):.3f}".rstrip("0").rstrip(".") + "%"


def _ticks(stretch: Stretch, locale: str) -> list[tuple[float, float, str]]:
    """Return (boundary, label centre, label) per month or year; labels sit in the period they name."""
    ticks: list[tuple[float, float, str]] = []
    if stretch.monthly:
        year, month = _month_of(stretch.start)
        while position(EDate(year, month)) < stretch.end - 1e-9:
            lo, hi = position(EDate(year, month)), position(EDate(year, month), end=True)
            # Any year holds the month's name; datetime holds only the years 1 to 9999.
            name = babel.dates.format_skeleton("MMM", dt.date(min(max(year, 1), 9999), month, 1), locale=locale)
            label = f"{name} {format_year(year, locale)}" if not ticks or month == 1 else name
            ticks.append((lo, (lo + hi) / 2, label))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return ticks
    span = stretch.end - stretch.start
    # 1, 2, 5, 10, 20, 50, ...: as far as deep time needs (Y-13800000000 to today).
    step = next(s for s in (m * 10**e for e in range(12) for m in (1, 2, 5)) if span / s <= 8)
    year = int(stretch.start)
    while year < stretch.end:
        label = format_year(year, locale) if year % step == 0 or (step > 1 and year == int(stretch.start)) else ""
        ticks.append((float(year), year + (0.5 if step == 1 else 0.0), label))
        year += 1 if span <= 40 else step
    return ticks


def _bins(stretch: Stretch, starts: Sequence[float]) -> list[tuple[float, float, int]]:
    """Return (from, to, count) of events per month or per year in ``stretch``."""
    width = 1 / 12 if stretch.monthly else 1.0
    counts: dict[int, int] = {}
    for when in starts:
        slot = int((when - stretch.start + 1e-9) // width)
        counts[slot] = counts.get(slot, 0) + 1
    return [(stretch.start + k * width, stretch.start + (k + 1) * width, n) for k, n in sorted(counts.items())]


def _mark(event: Event, stretch: Stretch, lane: int, href: str, label: str) -> str:
    lo, hi = _event_extent(event)
    y = TOP + lane * LANE_HEIGHT + LANE_HEIGHT / 2
    name = escape(label)
    classes = ["mark", f"status-{event.status}"]
    if event.disputed:
        classes.append("disputed")
    point = event.span.end is None and event.span.start.precision not in ("year", "month")
    if event.span.start.uncertain or event.span.start.approximate:
        classes.append("uncertain")
    if point:
        shape = f'<circle cx="{_pct(stretch.x(lo))}" cy="{y:g}" r="5"/>'
    else:
        if event.span.end is None:
            classes.append("period")  # a month or a year, not an exact day: drawn as the period it names
        width = max(stretch.x(hi) - stretch.x(lo), 0.8)
        shape = f'<rect x="{_pct(stretch.x(lo))}" y="{y - 4:g}" width="{_pct(width)}" height="8" rx="3"/>'
    return f'<a href="{escape(href)}" class="{" ".join(classes)}" aria-label="{name}"><title>{name}</title>{shape}</a>'


def _stretch_svg(
    tl: Timeline, stretch: Stretch, events: Sequence[Event], t: Translator, index: int, lane_count: int
) -> str:
    """Return one stretch's SVG; every stretch has the same lanes so their strips line up."""
    extents = [_event_extent(e) for e in events]
    lanes = _lanes(extents, stretch) if events else []
    strip_y = TOP + lane_count * LANE_HEIGHT + 6
    height = strip_y + STRIP + TICKS
    parts = ['<g class="eras" aria-hidden="true">']
    for number, era in enumerate(tl.config.eras):
        lo, hi = position(era.span.start), position(era.span.end or era.span.start, end=True)
        if hi <= stretch.start or lo >= stretch.end:
            continue
        x0, x1 = stretch.x(max(lo, stretch.start)), stretch.x(min(hi, stretch.end))
        parts.append(
            f'<rect class="era era-{number % 4}" x="{_pct(x0)}" y="0" width="{_pct(x1 - x0)}" height="{strip_y - 2:g}">'
            f"<title>{escape(era.title)}</title></rect>"
        )
    parts.append("</g>")
    parts.append('<g class="grid" aria-hidden="true">')
    for boundary, centre, label in _ticks(stretch, t.locale):
        x = _pct(stretch.x(boundary))
        parts.append(f'<line x1="{x}" x2="{x}" y1="0" y2="{strip_y + STRIP + 4:g}"/>')
        if label:
            x_label, y_label = _pct(stretch.x(centre)), f"{strip_y + STRIP + 18:g}"
            parts.append(f'<text x="{x_label}" y="{y_label}" text-anchor="middle">{escape(label)}</text>')
    end = _pct(stretch.x(stretch.end))
    parts.append(f'<line x1="{end}" x2="{end}" y1="0" y2="{strip_y + STRIP + 4:g}"/>')
    parts.append("</g>")
    peak = max((n for _, _, n in _bins(stretch, [lo for lo, _ in extents])), default=1)
    parts.append('<g class="density" aria-hidden="true">')
    for lo, hi, n in _bins(stretch, [lo for lo, _ in extents]):
        x0, x1 = stretch.x(lo), stretch.x(min(hi, stretch.end))
        parts.append(
            f'<rect x="{_pct(x0)}" y="{strip_y:g}" width="{_pct(max(x1 - x0, 0.5))}" height="{STRIP}" '
            f'fill-opacity="{0.2 + 0.6 * n / peak:.2f}"/>'
        )
    parts.append("</g>")
    parts.append('<g class="marks">')
    for event, lane in zip(events, lanes, strict=True):
        href = tl.config.base_path + page_path("event", event.id)
        parts.append(_mark(event, stretch, lane, href, f"{event.title}, {t.span(event.span)}"))
    parts.append("</g>")
    svg = (
        f'<svg class="axis-stretch" id="axis-stretch-{index}" width="100%" height="{height:g}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )
    return svg


def _label(stretch: Stretch, t: Translator, *, start: bool) -> str:
    when = stretch.start if start else stretch.end - 1e-6
    year = int(when // 1)
    if not stretch.monthly:
        return str(year)
    return t.date(EDate(*_month_of(when)))


def render_axis(tl: Timeline, strings: Strings | None = None) -> Markup:
    """Return the SVG of the whole timeline's axis, one part per stretch with breaks between.

    ``strings``: the theme chain's UI strings (the built-in theme's without).
    """
    if not tl.events:
        return Markup("")
    t = Translator(tl.config.language, strings)
    parts = stretches([_event_extent(e) for e in tl.events])
    out = [
        '<figure class="axis" id="axis" aria-labelledby="axis-title">',
        f'<figcaption id="axis-title" class="visually-hidden">{escape(t("time_axis"))}</figcaption>',
        '<div class="axis-row">',
    ]
    groups = [[e for e in tl.events if s.start - 1e-9 <= _event_extent(e)[0] < s.end + 1e-9] for s in parts]
    lane_count = 1 + max(
        (max(_lanes([_event_extent(e) for e in group], s), default=0) for s, group in zip(parts, groups, strict=True)),
        default=0,
    )
    # Width: half by time covered, half by number of events, so a busy month is not a sliver beside a decade.
    shares = [
        0.5 * (s.end - s.start) / sum(p.end - p.start for p in parts) + 0.5 * len(g) / len(tl.events)
        for s, g in zip(parts, groups, strict=True)
    ]
    for index, (stretch, events) in enumerate(zip(parts, groups, strict=True)):
        svg = _stretch_svg(tl, stretch, events, t, index, lane_count)
        if index:
            years = int(stretch.start - parts[index - 1].end)
            gap = t("gap_years").format(n=years) if years >= 1 else t("gap")
            out.append(f'<div class="axis-break"><span>{escape(gap)}</span></div>')
        label = escape(f"{_label(stretch, t, start=True)} – {_label(stretch, t, start=False)}")
        out.append(
            f'<div class="axis-part" role="group" aria-label="{label}" '
            f'style="flex-grow:{max(shares[index], 0.05):.3f}">{svg}</div>'
        )
    out.append("</div>")
    if tl.config.eras:
        out.append('<ul class="axis-legend">')
        for number, era in enumerate(tl.config.eras):
            out.append(f'<li><span class="swatch era-{number % 4}" aria-hidden="true"></span>{escape(era.title)}</li>')
        out.append("</ul>")
    out.append("</figure>")
    return Markup("".join(out))
