"""Charts for the report: bar and column charts written directly as inline SVG.

Written by hand rather than drawn with matplotlib: the report needs two plain chart kinds,
and importing and laying out matplotlib cost more than half the report's time (2.5 s a run).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

#: One colour for every bar: the report compares sizes, not categories.
BAR = "#2F6690"
GRID = "#D9DEE4"
TEXT = "#2B2D31"
#: Chart width in pixels; the page scales it down on narrow screens.
WIDTH = 620
#: Pixels a character of the 11 px label font takes, on average (for laying out labels).
CHAR = 6.6
FONT = 'font-family="DejaVu Sans, Arial, Helvetica, sans-serif"'


def bar_chart(labels: Sequence[str], values: Sequence[float], *, title: str, key: str) -> str:
    """Return a horizontal bar chart, labels in the order given from the top, as SVG."""
    shown = [_short(label) for label in labels]
    left = 16 + CHAR * max((len(s) for s in shown), default=0)
    right = WIDTH - 16 - CHAR * max((len(_number(v)) for v in values), default=0)
    row, top = 22, 40
    height = top + row * max(len(labels), 1) + 26
    ticks = _ticks(max(values, default=0.0))
    scale = (right - left) / ticks[-1]
    parts = [_title(title)]
    for tick in ticks:
        x = left + tick * scale
        parts.append(_line(x, top - 4, x, top + row * len(labels), GRID))
        parts.append(_text(x, height - 8, _number(tick), anchor="middle"))
    for i, (label, value) in enumerate(zip(shown, values, strict=True)):
        y = top + i * row
        width = max(value * scale, 0.0)
        parts.append(_bar(left, y + 3, width, row - 6))
        parts.append(_text(left - 6, y + row / 2 + 4, label, anchor="end"))
        parts.append(_text(left + width + 4, y + row / 2 + 4, _number(value)))
    return _svg(key, title, height, parts)


def column_chart(labels: Sequence[str], values: Sequence[float], *, title: str, key: str) -> str:
    """Return a vertical bar chart over time (labels in order, e.g. months) as SVG."""
    ticks = _ticks(max(values, default=0.0))
    left = 16 + CHAR * max(len(_number(t)) for t in ticks)
    right, top, bottom = WIDTH - 12, 36, 180
    height = bottom + 62
    scale = (bottom - top) / ticks[-1]
    parts = [_title(title)]
    for tick in ticks:
        y = bottom - tick * scale
        parts.append(_line(left, y, right, y, GRID))
        parts.append(_text(left - 6, y + 4, _number(tick), anchor="end"))
    slot = (right - left) / max(len(labels), 1)
    step = max(1, len(labels) // 12)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = left + i * slot
        bar = max(value * scale, 0.0)
        parts.append(
            _bar(x + slot * 0.1, bottom - bar, slot * 0.8, bar, f"{label}: {_number(value)}")
        )
        if i % step == 0:
            cx, cy = x + slot / 2, bottom + 12
            parts.append(
                f'<text x="{cx:.1f}" y="{cy:.1f}" {FONT} font-size="10" fill="{TEXT}" '
                f'text-anchor="end" transform="rotate(-45 {cx:.1f} {cy:.1f})">'
                f"{escape(label)}</text>"
            )
    return _svg(key, title, height, parts)


def _ticks(largest: float) -> list[float]:
    """Round axis values from 0 past ``largest``: steps of 1, 2 or 5 times a power of ten."""
    if largest <= 0:
        return [0.0, 1.0]
    rough = largest / 4
    power = 10 ** math.floor(math.log10(rough))
    # Counts are whole numbers: never a step below one.
    step = max(1.0, next(m * power for m in (1, 2, 5, 10) if m * power >= rough))
    count = math.ceil(largest / step)
    return [i * step for i in range(count + 1)]


def _svg(key: str, title: str, height: float, parts: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="chart-{escape(key)}" role="img" '
        f'aria-label="{escape(title)}" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}">' + "".join(parts) + "</svg>"
    )


def _title(title: str) -> str:
    return (
        f'<text x="4" y="18" {FONT} font-size="13" font-weight="bold" fill="{TEXT}">'
        f"{escape(title)}</text>"
    )


def _text(x: float, y: float, text: str, *, anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" {FONT} font-size="11" fill="{TEXT}" '
        f'text-anchor="{anchor}">{escape(text)}</text>'
    )


def _bar(x: float, y: float, width: float, height: float, tip: str = "") -> str:
    box = f'x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{BAR}"'
    return f"<rect {box}><title>{escape(tip)}</title></rect>" if tip else f"<rect {box}/>"


def _line(x0: float, y0: float, x1: float, y1: float, colour: str) -> str:
    return (
        f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="{colour}" '
        'stroke-width="0.8"/>'
    )


def _number(value: float) -> str:
    return f"{value:,.0f}"


def _short(label: str, limit: int = 38) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
