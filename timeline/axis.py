"""The time axis: an inline SVG drawn at build time, with no script needed.

Time runs left to right in proportion within each stretch of activity; a long empty stretch
between two of them (1994 to 2020) is cut out and drawn as a break. Coordinates are percentages
of each stretch's own SVG, so text keeps its size at any width and stretches wrap on narrow screens.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence

import babel.dates
from markupsafe import Markup, escape

from timeline.dates import EDate
from timeline.i18n import Translator
from timeline.index import page_path
from timeline.model import Event, Timeline

LANE_HEIGHT = 18
TOP = 10  # room above the first lane
STRIP = 10  # height of the density strip
TICKS = 26  # room for tick labels under the strip
MAX_LANES = 6
MAX_BREAKS = 4
MIN_GAP_YEARS = 1.0
GAP_SHARE = 0.1  # a gap is cut when it is longer than this share of the whole time covered


def _year_fraction(year: int, day_of_year: float) -> float:
    days = 366 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 365
    return year + day_of_year / days


def position(date: EDate, *, end: bool = False) -> float:
    """Return ``date`` as a fractional year; with ``end``, the end of the period it names.

    >>> position(EDate(1994)), position(EDate(1994), end=True)
    (1994.0, 1995.0)
    >>> round(position(EDate(2020, 10)), 3)
    2020.746
    """
    if date.month is None:
        return float(date.year + (1 if end else 0))
    if date.day is None:
        if end:
            return float(date.year + 1) if date.month == 12 else position(EDate(date.year, date.month + 1))
        return _year_fraction(date.year, (dt.date(max(date.year, 1), date.month, 1).timetuple().tm_yday - 1))
    day = dt.date(max(date.year, 1), date.month, date.day).timetuple().tm_yday - 1
    return _year_fraction(date.year, day + (1 if end else (date.hour or 0) / 24))


@dataclasses.dataclass(frozen=True, slots=True)
class Stretch:
    """A span of time drawn in proportion, between breaks."""

    start: float
    end: float
    monthly: bool
    """Ticks and density bins by month (short stretches) rather than by year."""

    def x(self, when: float) -> float:
        """Return the horizontal position of ``when`` in percent of this stretch."""
        return 100 * (when - self.start) / (self.end - self.start)


def _event_extent(event: Event) -> tuple[float, float]:
    start = position(event.span.start)
    end = position(event.span.end or event.span.start, end=True)
    return start, max(end, start)


def _round_out(start: float, end: float) -> Stretch:
    # Short stretches are drawn by month, long ones by whole years, so ticks fall on boundaries.
    if end - start >= 2:
        return Stretch(float(int(start // 1)), float(-int(-end // 1)), monthly=False)
    first = int(start // 1), int((start % 1) * 12)
    last_year, last_month = int(end // 1), int(-(-(end % 1) * 12 // 1))
    lo = first[0] + first[1] / 12
    hi = last_year + last_month / 12
    if hi - lo < 2 / 12:
        hi = lo + 2 / 12
    return Stretch(lo, hi, monthly=True)


def stretches(extents: Iterable[tuple[float, float]]) -> list[Stretch]:
    """Return the stretches to draw: covered time, cut at the longest empty gaps.

    >>> [(s.start, s.end) for s in stretches([(1988.0, 1995.0), (2020.74, 2020.75)])]
    [(1988.0, 1995.0), (2020.6666666666667, 2020.8333333333333)]
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


def _ticks(stretch: Stretch, locale: str) -> list[tuple[float, str, bool]]:
    """Return (time, label, major) ticks at month or year boundaries."""
    ticks: list[tuple[float, str, bool]] = []
    if stretch.monthly:
        year, month = int(stretch.start // 1), round((stretch.start % 1) * 12) + 1
        while year + (month - 1) / 12 <= stretch.end + 1e-9:
            when = position(EDate(year, month))
            name = babel.dates.format_skeleton("MMM", dt.date(max(year, 1), month, 1), locale=locale)
            first = not ticks or month == 1
            ticks.append((when, f"{name} {year}" if first else name, first))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return ticks
    span = stretch.end - stretch.start
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if span / s <= 8)
    year = int(stretch.start)
    while year <= stretch.end:
        label = str(year) if year % step == 0 or year == int(stretch.start) else ""
        ticks.append((float(year), label, bool(label)))
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
    return (
        f'<a href="{escape(href)}" class="{" ".join(classes)}" aria-label="{name}">'
        f"<title>{name}</title>{shape}</a>"
    )


def _stretch_svg(
    tl: Timeline, stretch: Stretch, events: Sequence[Event], t: Translator, index: int
) -> tuple[str, float]:
    """Return one stretch's SVG and its share of the width."""
    extents = [_event_extent(e) for e in events]
    lanes = _lanes(extents, stretch) if events else []
    lane_count = max(lanes, default=0) + 1
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
    for when, label, major in _ticks(stretch, t.locale):
        x = _pct(stretch.x(when))
        parts.append(f'<line x1="{x}" x2="{x}" y1="0" y2="{strip_y + STRIP + 4:g}" class="{"major" if major else "minor"}"/>')
        if label:
            anchor = "start" if stretch.x(when) < 5 else "end" if stretch.x(when) > 95 else "middle"
            parts.append(
                f'<text x="{x}" y="{strip_y + STRIP + 18:g}" text-anchor="{anchor}">{escape(label)}</text>'
            )
    parts.append("</g>")
    peak = max((n for _, _, n in _bins(stretch, [lo for lo, _ in extents])), default=1)
    parts.append('<g class="density" aria-hidden="true">')
    for lo, hi, n in _bins(stretch, [lo for lo, _ in extents]):
        x0, x1 = stretch.x(lo), stretch.x(min(hi, stretch.end))
        parts.append(
            f'<rect x="{_pct(x0)}" y="{strip_y:g}" width="{_pct(max(x1 - x0, 0.5))}" height="{STRIP}" '
            f'fill-opacity="{0.25 + 0.75 * n / peak:.2f}"/>'
        )
    parts.append("</g>")
    parts.append('<g class="marks">')
    for event, lane in zip(events, lanes, strict=True):
        href = tl.config.base_path + page_path("event", event.id)
        parts.append(_mark(event, stretch, lane, href, f"{event.title}, {t.span(event.span)}"))
    parts.append("</g>")
    share = 0.5 * (stretch.end - stretch.start) + 0.5 * len(events)
    label = escape(f"{_label(stretch, t, start=True)} – {_label(stretch, t, start=False)}")
    svg = (
        f'<svg class="axis-stretch" id="axis-stretch-{index}" width="100%" height="{height:g}" '
        f'role="group" aria-label="{label}" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )
    return svg, share


def _label(stretch: Stretch, t: Translator, *, start: bool) -> str:
    when = stretch.start if start else stretch.end - 1e-6
    year = int(when // 1)
    if not stretch.monthly:
        return str(year)
    return t.date(EDate(year, int((when % 1) * 12) + 1))


def render_axis(tl: Timeline) -> Markup:
    """Return the SVG of the whole timeline's axis, one part per stretch with breaks between."""
    if not tl.events:
        return Markup("")
    t = Translator(tl.config.language)
    parts = stretches([_event_extent(e) for e in tl.events])
    out = ['<figure class="axis" id="axis" aria-labelledby="axis-title">',
           f'<figcaption id="axis-title" class="visually-hidden">{escape(t("time_axis"))}</figcaption>',
           '<div class="axis-row">']
    total = sum(
        0.5 * (s.end - s.start) + 0.5 * sum(1 for e in tl.events if s.start <= _event_extent(e)[0] < s.end + 1e-9)
        for s in parts
    )
    for index, stretch in enumerate(parts):
        events = [e for e in tl.events if stretch.start - 1e-9 <= _event_extent(e)[0] < stretch.end + 1e-9]
        svg, share = _stretch_svg(tl, stretch, events, t, index)
        if index:
            before = parts[index - 1]
            years = int(stretch.start - before.end)
            gap = t("gap_years").format(n=years) if years >= 1 else t("gap")
            out.append(f'<div class="axis-break"><span>{escape(gap)}</span></div>')
        grow = max(share / total, 0.05) if total else 1.0
        out.append(f'<div class="axis-part" style="flex-grow:{grow:.3f}">{svg}</div>')
    out.append("</div>")
    if tl.config.eras:
        out.append('<ul class="axis-legend">')
        for number, era in enumerate(tl.config.eras):
            out.append(
                f'<li><span class="swatch era-{number % 4}" aria-hidden="true"></span>{escape(era.title)}</li>'
            )
        out.append("</ul>")
    out.append("</figure>")
    return Markup("".join(out))
