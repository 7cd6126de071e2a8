"""Inline SVG charts: volume against target ranges, balance gauges, volume week by week.

Plain data in, SVG text out; no plotting library and no network. Labels sit in their own
column and values in another, so nothing runs together or collides with the range marks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from .page import esc, label, num

PALETTE = ("#3b6ea5", "#dd8452", "#55a868", "#8172b3", "#937860", "#da8bc3", "#8c8c8c", "#ccb974")
BAND = "#c6f6d5"
BAND_EDGE = "#276749"
LOW = "#c05621"
HIGH = "#c53030"
HATCH = (
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    '<rect width="6" height="6" fill="#fff" fill-opacity="0.25"/><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2.5"/>'
    "</pattern></defs>"
)


@dataclass
class RangeRow:
    """One unit (a group, or a muscle when ``sub``): its target range and one value per series."""

    unit: str
    values: list[float | None]
    lo: float | None = None
    hi: float | None = None
    sub: bool = False
    shortfalls: list[float] = field(default_factory=list)


def nice_max(value: float) -> float:
    """A round axis end at or above ``value``: 4, 5, 8, 10, 15, 20, 25, 30, 40, 50..."""
    if value <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * exp >= value:
            return step * exp
    return 10 * exp


def ticks(top: float) -> list[float]:
    for step in (1, 2, 5, 10, 20, 50, 100):
        if top / step <= 8:
            return [i * step for i in range(int(top // step) + 1)]
    return [0, top]


def _band(x0: float, x1: float, y: float, h: float, open_end: bool) -> tuple[str, str]:
    """The shaded range and, apart, its edge marks (drawn over the bars so they stay visible)."""
    fill = f'<rect x="{x0:.1f}" y="{y:.1f}" width="{max(x1 - x0, 1.5):.1f}" height="{h:.1f}" fill="{BAND}"/>'
    edges = f'<line x1="{x0:.1f}" y1="{y:.1f}" x2="{x0:.1f}" y2="{y + h:.1f}" stroke="{BAND_EDGE}" stroke-width="1.5"/>'
    if not open_end:
        edges += f'<line x1="{x1:.1f}" y1="{y:.1f}" x2="{x1:.1f}" y2="{y + h:.1f}" stroke="{BAND_EDGE}" stroke-width="1.5"/>'
    return fill, edges


def range_bars(rows: Sequence[RangeRow], series: Sequence[str], title: str, unit: str = "sets") -> str:
    """Horizontal bars, one per series per row, over each row's shaded target range."""
    if not rows:
        return '<p class="muted">(nothing to chart)</p>'
    n = max(1, len(series))
    bar_h = 14 if n == 1 else 11
    row_h = n * (bar_h + 2) + 10
    label_w, plot_w, value_w = 190, 430, 96
    top_pad = 22
    width = label_w + plot_w + value_w
    height = top_pad + row_h * len(rows) + 6
    biggest = max([v for r in rows for v in r.values if v is not None] + [r.hi or 0 for r in rows] + [r.lo or 0 for r in rows])
    top = nice_max(biggest * 1.05)

    def x(v: float) -> float:
        return label_w + plot_w * min(v, top) / top

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="range-bars" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{esc(title)}">',
        HATCH,
    ]
    for t in ticks(top):
        out.append(f'<line x1="{x(t):.1f}" y1="{top_pad - 4}" x2="{x(t):.1f}" y2="{height - 6}" stroke="#edf0f3"/>')
        out.append(f'<text x="{x(t):.1f}" y="{top_pad - 8}" text-anchor="middle" font-size="11" fill="#5b6673">{num(t)}</text>')
    out.append(f'<text x="{width - 4}" y="{top_pad - 8}" text-anchor="end" font-size="11" fill="#5b6673">{esc(unit)}</text>')
    for i, r in enumerate(rows):
        y0 = top_pad + i * row_h
        if i % 2:
            out.append(f'<rect x="0" y="{y0}" width="{width}" height="{row_h}" fill="#f8f9fb"/>')
        name = ("· " if r.sub else "") + label(r.unit)
        weight = "400" if r.sub else "600"
        out.append(
            f'<text class="unit" x="{label_w - 8 - (0 if not r.sub else 0)}" y="{y0 + row_h / 2 + 4:.1f}" text-anchor="end" '
            f'font-weight="{weight}">{esc(name)}</text>'
        )
        edges = ""
        if r.lo is not None or r.hi is not None:
            lo = r.lo or 0.0
            hi = r.hi if r.hi is not None else top
            fill, edges = _band(x(lo), x(hi), y0 + 3, row_h - 6, open_end=r.hi is None)
            out.append(fill)
        for k, v in enumerate(r.values):
            yb = y0 + 5 + k * (bar_h + 2)
            if v is None:
                out.append(f'<text x="{label_w + 4}" y="{yb + bar_h - 2}" font-size="11" fill="#5b6673">no plan</text>')
                continue
            colour = PALETTE[k % len(PALETTE)]
            below = r.lo is not None and v < r.lo - 1e-9
            above = r.hi is not None and v > r.hi + 1e-9
            tip = f"{label(r.unit)}{': ' + series[k] if n > 1 else ''}: {num(v)} {unit}" + (
                f" (target {num(r.lo) or '0'}-{num(r.hi) if r.hi is not None else '...'})" if (r.lo is not None or r.hi is not None) else ""
            )
            w = max(x(v) - label_w, 0.0)
            out.append(
                f'<rect class="bar{" below" if below else ""}" x="{label_w}" y="{yb}" width="{w:.1f}" height="{bar_h}" fill="{colour}">'
                f"<title>{esc(tip)}</title></rect>"
            )
            if below:
                out.append(f'<rect x="{label_w}" y="{yb}" width="{w:.1f}" height="{bar_h}" fill="url(#hatch)"/>')
            short = r.shortfalls[k] if k < len(r.shortfalls) else 0.0
            text = num(v) + (f" (-{num(short)})" if short > 1e-9 else "")
            fill = LOW if below else HIGH if above else "#1d2733"
            out.append(f'<text class="value" x="{label_w + plot_w + 8}" y="{yb + bar_h - 2}" font-size="11" fill="{fill}">{esc(text)}</text>')
        out.append(edges)
    out.append("</svg>")
    legend = "".join(f'<i style="background:{PALETTE[k % len(PALETTE)]}"></i>{esc(s)}' for k, s in enumerate(series)) if n > 1 else ""
    legend += f'<i style="background:{BAND};border:1px solid {BAND_EDGE}"></i>target range'
    legend += f'<i style="background:repeating-linear-gradient(45deg,{PALETTE[0]} 0 3px,#fff 3px 5px)"></i>below the minimum (shortfall in brackets)'
    return f'<figure class="chart">{"".join(out)}<figcaption class="legend">{legend}</figcaption></figure>'


def ratio_gauge(name: str, value: float | None, lo: float, hi: float, num_sets: float, den_sets: float) -> str:
    """A horizontal gauge of a ratio: the allowed range shaded, a marker at the value."""
    width, height, left, right = 640, 58, 190, 60
    top = nice_max(max(2.0, hi * 1.4, (value or 0) * 1.15))
    plot = width - left - right

    def x(v: float) -> float:
        return left + plot * min(v, top) / top

    words = label(name).replace(" to ", " : ")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ratio" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{esc(words)}">',
        f'<text x="{left - 8}" y="24" text-anchor="end" font-weight="600">{esc(words)}</text>',
        f'<text x="{left - 8}" y="40" text-anchor="end" font-size="11" fill="#5b6673">{num(num_sets)} : {num(den_sets)} sets</text>',
        f'<line x1="{left}" y1="30" x2="{left + plot}" y2="30" stroke="#a0aec0" stroke-width="2"/>',
        *_band(x(lo), x(hi), 18, 24, open_end=False),
    ]
    for t in [i * top / 4 for i in range(5)]:
        out.append(f'<text x="{x(t):.1f}" y="{height - 2}" text-anchor="middle" font-size="10" fill="#5b6673">{num(t)}</text>')
    if value is None:
        out.append(f'<text x="{left + plot + 8}" y="34" font-size="12">n/a</text>')
    else:
        inside = lo - 1e-9 <= value <= hi + 1e-9
        colour = "#2f855a" if inside else HIGH
        out.append(
            f'<circle class="marker" cx="{x(value):.1f}" cy="30" r="7" fill="{colour}" stroke="#fff" stroke-width="2">'
            f"<title>{esc(words)}: {num(value)} (range {num(lo)}-{num(hi)})</title></circle>"
        )
        out.append(f'<text x="{left + plot + 8}" y="34" font-size="12" font-weight="600" fill="{colour}">{num(value)}</text>')
    out.append("</svg>")
    return "".join(out)


@dataclass
class WeekColumn:
    week: int
    block: int
    deload: bool


def weekly_bars(units: Sequence[str], columns: Sequence[WeekColumn], values: dict[str, list[tuple[float, float | None, float | None]]]) -> str:
    """Small multiples: per unit, one bar per week over that week's shaded target range.

    ``values[unit][i]`` is (sets, min, max) in week ``columns[i]``; deload weeks are shaded
    grey and blocks are separated and labelled along the top.
    """
    if not units or not columns:
        return '<p class="muted">(nothing to chart)</p>'
    label_w, col_w, row_h, top_pad = 130, 60, 90, 30
    width = label_w + col_w * len(columns) + 10
    height = top_pad + row_h * len(units) + 18
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="weekly" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="weekly volume by week">',
    ]
    for i, c in enumerate(columns):
        x0 = label_w + i * col_w
        if c.deload:
            out.append(f'<rect x="{x0}" y="{top_pad - 4}" width="{col_w}" height="{height - top_pad - 14}" fill="#edf2f7"/>')
        if i == 0 or columns[i - 1].block != c.block:
            out.append(f'<line x1="{x0}" y1="6" x2="{x0}" y2="{height - 14}" stroke="#a0aec0" stroke-dasharray="3 3"/>')
            out.append(f'<text x="{x0 + 4}" y="14" font-size="11" font-weight="600">block {c.block}</text>')
        out.append(
            f'<text x="{x0 + col_w / 2}" y="{height - 3}" text-anchor="middle" font-size="10" fill="#5b6673">'
            f"{'D' if c.deload else 'w'}{c.week}</text>"
        )
    for r, unit in enumerate(units):
        y0 = top_pad + r * row_h
        series = values.get(unit, [])
        top = nice_max(max([s for s, _, _ in series] + [hi or lo or 0 for _, lo, hi in series] + [1.0]) * 1.05)
        scale = (row_h - 26) / top
        base = y0 + row_h - 8
        out.append(f'<text x="{label_w - 8}" y="{y0 + row_h / 2}" text-anchor="end" font-weight="600">{esc(label(unit))}</text>')
        out.append(f'<line x1="{label_w}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#a0aec0"/>')
        for i, (sets, lo, hi) in enumerate(series):
            x0 = label_w + i * col_w
            if lo is not None or hi is not None:
                y_hi = base - (hi if hi is not None else top) * scale
                y_lo = base - (lo or 0) * scale
                out.append(f'<rect x="{x0 + 4}" y="{y_hi:.1f}" width="{col_w - 8}" height="{max(y_lo - y_hi, 1.5):.1f}" fill="{BAND}"/>')
                out.append(f'<line x1="{x0 + 4}" y1="{y_lo:.1f}" x2="{x0 + col_w - 4}" y2="{y_lo:.1f}" stroke="{BAND_EDGE}" stroke-width="1.5"/>')
            below = lo is not None and sets < lo - 1e-9
            h = sets * scale
            out.append(
                f'<rect class="bar{" below" if below else ""}" x="{x0 + 16}" y="{base - h:.1f}" width="{col_w - 32}" height="{h:.1f}" '
                f'fill="{LOW if below else PALETTE[0]}"><title>{esc(label(unit))}, week {columns[i].week}: {num(sets)} sets'
                f"{' (target ' + num(lo) + '-' + (num(hi) if hi is not None else '...') + ')' if lo is not None else ''}</title></rect>"
            )
            out.append(f'<text x="{x0 + col_w / 2}" y="{base - h - 3:.1f}" text-anchor="middle" font-size="11" stroke="#fff" stroke-width="3" paint-order="stroke">{num(sets, 1)}</text>')
    out.append("</svg>")
    legend = (
        f'<i style="background:{PALETTE[0]}"></i>weekly sets<i style="background:{BAND};border-bottom:2px solid {BAND_EDGE}"></i>'
        f'that week\'s target range (line: minimum)<i style="background:{LOW}"></i>below the minimum<i style="background:#edf2f7"></i>deload week'
    )
    return f'<figure class="chart">{"".join(out)}<figcaption class="legend">{legend}</figcaption></figure>'
