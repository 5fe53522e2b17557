"""The claims chart: each claimant's figure for one quantity against the date of the claim, as SVG.

Drawn at build time, no script. The SVG is an image with a title and a description that states
every point in words; the legend is HTML beside it (so names keep their ``lang``), and the
table of claims next to it holds the same data. Colours come from the theme's CSS (``--series-N``),
so the chart follows dark mode; each claimant also has its own marker shape, so colour is never
the only cue.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import jinja2
from markupsafe import Markup, escape

from timeline.content.dates import EDate
from timeline.content.model import Claim
from timeline.pages.claims import ClaimGroup, date_key, figure
from timeline.pages.direction import attributes, format_number

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 16, 40
SHAPES = 4
"""Marker shapes (circle, square, triangle, diamond), and colours, before they repeat."""


def _year(date: EDate) -> float:
    """Return ``date`` as a fractional year, to place it on the horizontal axis."""
    return date.year + ((date.month or 1) - 1) / 12 + ((date.day or 1) - 1) / 366


def nice_ceiling(value: float) -> float:
    """Return the smallest of 1, 2, 2.5, 5 times a power of ten that is at least ``value``.

    >>> nice_ceiling(4300), nice_ceiling(61), nice_ceiling(0)
    (5000.0, 100.0, 1.0)
    """
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


def _marker(shape: int, x: float, y: float) -> str:
    if shape == 0:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5"/>'
    if shape == 1:
        return f'<rect x="{x - 4.5:.1f}" y="{y - 4.5:.1f}" width="9" height="9"/>'
    if shape == 2:
        return f'<path d="M{x:.1f} {y - 6:.1f}L{x + 5.5:.1f} {y + 4:.1f}H{x - 5.5:.1f}Z"/>'
    return f'<path d="M{x:.1f} {y - 6:.1f}L{x + 6:.1f} {y:.1f}L{x:.1f} {y + 6:.1f}L{x - 6:.1f} {y:.1f}Z"/>'


def render_chart(
    group: ClaimGroup,
    ident: str,
    name_of: Callable[[str], tuple[str, str]],
    language: str,
    date_text: Callable[[EDate], str],
    strings: Callable[[str], str],
) -> Markup:
    """Return the chart of ``group`` as a ``<figure>`` (empty when the group is not worth one).

    ``name_of`` gives a claimant's display name and its language; ``date_text`` writes a date
    in the page's language; ``strings`` looks up UI strings.
    """
    points: dict[str, list[tuple[EDate, Decimal, Claim]]] = {}
    for claim in group.claims:
        value = figure(claim)
        if value is not None and claim.date is not None:
            points.setdefault(claim.claimant, []).append((claim.date, value, claim))
    if len(points) < 2 or len({date_key(d) for found in points.values() for d, _, _ in found}) < 2:
        return Markup("")
    dates = sorted({d for found in points.values() for d, _, _ in found}, key=date_key)
    low_x, high_x = _year(dates[0]), _year(dates[-1])
    top = nice_ceiling(float(max(v for found in points.values() for _, v, _ in found)))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(date: EDate) -> float:
        return LEFT + (_year(date) - low_x) / ((high_x - low_x) or 1) * plot_w

    def y_of(value: Decimal) -> float:
        return TOP + plot_h - float(value) / top * plot_h

    title_id, desc_id = f"{ident}-title", f"{ident}-desc"
    said = []
    for claimant, found in points.items():
        found.sort(key=lambda p: date_key(p[0]))
        name = name_of(claimant)[0]
        each = ", ".join(f"{format_number(v, language)} ({date_text(d)})" for d, v, _ in found)
        said.append(f"{name}: {each}")
    parts = [
        f'<svg class="claim-chart-svg" role="img" aria-labelledby="{title_id}" aria-describedby="{desc_id}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">',
        f'<title id="{title_id}">{escape(strings("claims_chart"))}: {escape(group.quantity)}</title>',
        f'<desc id="{desc_id}">{escape("; ".join(said))}.</desc>',
        '<g class="grid" aria-hidden="true">',
    ]
    for step in range(5):
        value = Decimal(str(top)) * step / 4
        y = y_of(value)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        label = format_number(value.normalize() if value != value.to_integral() else value.to_integral(), language)
        parts.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{escape(label)}</text>')
    shown = [dates[0], dates[-1]] if len(dates) > 1 else dates
    for index, date in enumerate(shown):
        anchor = "start" if index == 0 else "end"
        x, label = f"{x_of(date):.1f}", escape(date_text(date))
        parts.append(f'<text x="{x}" y="{HEIGHT - BOTTOM + 20}" text-anchor="{anchor}">{label}</text>')
    parts.append("</g>")
    legend = []
    for number, (claimant, found) in enumerate(points.items()):
        series = number % SHAPES
        coords = " ".join(f"{x_of(d):.1f},{y_of(v):.1f}" for d, v, _ in found)
        parts.append(f'<g class="series series-{series}" aria-hidden="true">')
        if len(found) > 1:
            parts.append(f'<polyline points="{coords}"/>')
        parts += [_marker(series, x_of(d), y_of(v)) for d, v, _ in found]
        parts.append("</g>")
        name, name_language = name_of(claimant)
        swatch = (
            f'<svg class="swatch series series-{series}" viewBox="0 0 16 16" width="16" height="16" '
            f'aria-hidden="true">{_marker(series, 8, 8)}</svg>'
        )
        legend.append(f"<li>{swatch} <bdi{attributes(name_language, language)}>{escape(name)}</bdi></li>")
    parts.append("</svg>")
    caption = f'<figcaption><ul class="chart-legend">{"".join(legend)}</ul></figcaption>'
    return Markup(f'<figure class="claim-chart" id="{ident}">{"".join(parts)}{caption}</figure>')


@jinja2.pass_context
def claim_chart(context: Any, group: ClaimGroup, actors: Mapping[str, Any], ident: str) -> Markup:
    """Return the chart of ``group`` for the page being rendered (see ``render_chart``)."""
    page = context.get("page")
    language = str(getattr(page, "lang", "") or "en")
    t = context["t"]

    def name_of(claimant: str) -> tuple[str, str]:
        entity = actors[claimant]
        return entity.name, entity.name_language

    return render_chart(group, ident, name_of, language, t.date, t)
