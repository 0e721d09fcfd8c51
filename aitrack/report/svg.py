"""Inline SVG charts with no dependencies: a line chart over time and a horizontal bar chart.

Written as strings so the report is one file that any browser shows offline; every point and bar
carries a <title> (the browser's tooltip) with its exact value.
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable
from html import escape

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f")
W, H = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 150, 28, 40

Series = dict[str, list[tuple[float, float]]]


def color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def _ticks(top: float, n: int = 4) -> list[float]:
    """Round steps (1, 2, 2.5, 5 × 10^k) from 0 to the first at or above `top`."""
    if top <= 0:
        return [0.0]
    raw = top / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw * 0.9999)
    return [i * step for i in range(math.ceil(top / step - 1e-9) + 1)]


def line_chart(plot_id: str, title: str, series: Series, fmt: Callable[[float], str],
               y_max: float | None = None, colors: dict[str, str] | None = None) -> str:
    points = [p for s in series.values() for p in s]
    if not points:
        return _empty(plot_id, title)
    xs = [p[0] for p in points]
    x0, x1 = min(xs), max(xs)
    if x1 == x0:
        x0, x1 = x0 - 43200, x1 + 43200
    top = y_max if y_max is not None else max(p[1] for p in points) or 1.0
    ticks = _ticks(top)
    top = max(top, ticks[-1])
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def sx(x: float) -> float:
        return LEFT + (x - x0) / (x1 - x0) * pw

    def sy(y: float) -> float:
        return TOP + ph - (y / top) * ph if top else TOP + ph

    out = [_head(plot_id, title)]
    for t in ticks:
        out.append(f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{sy(t):.1f}" y2="{sy(t):.1f}" class="grid"/>'
                   f'<text x="{LEFT - 6}" y="{sy(t) + 4:.1f}" text-anchor="end">{escape(fmt(t))}</text>')
    for i in range(5):
        x = x0 + (x1 - x0) * i / 4
        out.append(f'<text x="{sx(x):.1f}" y="{H - BOTTOM + 16}" text-anchor="middle">'
                   f'{time.strftime("%b %d", time.gmtime(x))}</text>')
    out.append(f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{TOP + ph}" class="axis"/>'
               f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{TOP + ph}" y2="{TOP + ph}" class="axis"/>')
    for i, (name, pts) in enumerate(sorted(series.items())):
        pts = sorted(pts)
        c = (colors or {}).get(name) or color(i)  # one color per provider across every chart
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in pts)
        out.append(f'<polyline class="series" data-series="{escape(name)}" fill="none" stroke="{c}" '
                   f'stroke-width="2" points="{path}"/>')
        for x, y in pts:
            day = time.strftime("%Y-%m-%d", time.gmtime(x))
            out.append(f'<circle class="point" cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3.5" fill="{c}">'
                       f'<title>{escape(name)} {day}: {escape(fmt(y))}</title></circle>')
        ly = TOP + 14 + i * 18
        out.append(f'<rect x="{W - RIGHT + 14}" y="{ly - 9}" width="10" height="10" fill="{c}"/>'
                   f'<text x="{W - RIGHT + 30}" y="{ly}">{escape(name[:18])}</text>')
    out.append("</svg>")
    return "".join(out)


def bar_chart(plot_id: str, title: str, bars: list[tuple[str, float]], fmt: Callable[[float], str]) -> str:
    if not bars:
        return _empty(plot_id, title)
    bars = bars[:20]
    row = 22
    height = TOP + row * len(bars) + 16
    top = max(v for _, v in bars) or 1.0
    pw = W - 160 - 80
    out = [_head(plot_id, title, height)]
    for i, (label, value) in enumerate(bars):
        y = TOP + i * row
        w = max(value / top * pw, 1.0)
        out.append(f'<text x="150" y="{y + 15}" text-anchor="end">{escape(label[:24])}</text>'
                   f'<rect class="bar" x="160" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="{color(0)}">'
                   f'<title>{escape(label)}: {escape(fmt(value))}</title></rect>'
                   f'<text x="{160 + w + 6:.1f}" y="{y + 15}">{escape(fmt(value))}</text>')
    out.append("</svg>")
    return "".join(out)


def _head(plot_id: str, title: str, height: int = H) -> str:
    return (f'<svg class="plot" id="{plot_id}" role="img" aria-label="{escape(title)}" '
            f'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {height}" width="{W}" height="{height}">'
            f'<text class="title" x="{LEFT}" y="18">{escape(title)}</text>')


def _empty(plot_id: str, title: str) -> str:
    return _head(plot_id, title, 60) + f'<text x="{LEFT}" y="44" class="empty">no data</text></svg>'
