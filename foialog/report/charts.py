"""Charts for the report, drawn with matplotlib and returned as inline SVG."""

from __future__ import annotations

import io
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: One colour for every bar: the report compares sizes, not categories.
BAR = "#2F6690"
GRID = "#D9DEE4"
TEXT = "#2B2D31"


def bar_chart(labels: Sequence[str], values: Sequence[float], *, title: str, key: str) -> str:
    """Return a horizontal bar chart, largest on top, as an SVG element."""
    from matplotlib.ticker import FuncFormatter

    height = 0.9 + 0.32 * max(len(labels), 1)
    fig = _pyplot().figure(figsize=(6.2, height))
    ax = fig.add_subplot()
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, list(values), color=BAR, height=0.7)
    ax.set_yticks(positions, [_short(label) for label in labels])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    for y, value in zip(positions, values, strict=True):
        ax.annotate(
            f"{value:,.0f}",
            (value, y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color=TEXT,
        )
    ax.margins(x=0.12)
    _style(ax, title)
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    return _svg(fig, key)


def column_chart(labels: Sequence[str], values: Sequence[float], *, title: str, key: str) -> str:
    """Return a vertical bar chart over time (labels in order, e.g. months) as an SVG element."""
    from matplotlib.ticker import FuncFormatter

    fig = _pyplot().figure(figsize=(6.2, 2.8))
    ax = fig.add_subplot()
    positions = list(range(len(labels)))
    ax.bar(positions, list(values), color=BAR, width=0.8)
    step = max(1, len(labels) // 12)
    ax.set_xticks(positions[::step], list(labels)[::step], rotation=45, ha="right")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    _style(ax, title)
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    return _svg(fig, key)


def _pyplot() -> ModuleType:
    """matplotlib's pyplot on the Agg backend, imported on first use (0.5 s of every start)."""
    import matplotlib

    matplotlib.use("Agg")  # no display, ever: the report is built on servers and in CI
    import matplotlib.pyplot as plt

    return plt


def _style(ax: Axes, title: str) -> None:
    ax.set_title(title, loc="left", fontsize=10, color=TEXT, fontweight="bold")
    ax.tick_params(labelsize=8, colors=TEXT, length=0)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(GRID)


def _svg(fig: Figure, key: str) -> str:
    fig.tight_layout()
    buffer = io.StringIO()
    # A salt per chart keeps the SVG's internal ids unique when several charts share a page,
    # and makes the output the same on every run.
    plt = _pyplot()
    with plt.rc_context({"svg.hashsalt": key, "svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _short(label: str, limit: int = 38) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
