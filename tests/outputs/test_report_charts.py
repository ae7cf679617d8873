"""The report's SVG charts: well-formed, labels escaped, bars in proportion to their values."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from foialog.report.charts import _ticks, bar_chart, column_chart

SVG = "{http://www.w3.org/2000/svg}"


def _bars(svg: str) -> list[ET.Element]:
    return ET.fromstring(svg).findall(f"{SVG}rect")


def test_bar_chart_is_valid_svg_with_bars_in_proportion() -> None:
    labels = ["Interpol <CAC unit>", "Thakaa Center & Co", "Garda Síochána"]
    svg = bar_chart(labels, [320.0, 160.0, 80.0], title="Top agencies by searches", key="top")
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Top agencies by searches" in texts
    assert set(labels) <= set(texts)  # escaped in the markup, whole in the parsed text
    assert {"320", "160", "80"} <= set(texts)
    widths = [float(b.get("width", "0")) for b in _bars(svg)]
    assert widths[0] == pytest.approx(2 * widths[1], rel=0.01)
    assert widths[1] == pytest.approx(2 * widths[2], rel=0.01)
    tops = [float(b.get("y", "0")) for b in _bars(svg)]
    assert tops == sorted(tops)  # the first label on top


def test_column_chart_labels_months_and_keeps_each_value_as_a_tooltip() -> None:
    months = [f"2019-{m:02d}" for m in range(1, 13)] + [f"2020-{m:02d}" for m in range(1, 13)]
    values = [float(i * 10) for i in range(24)]
    svg = column_chart(months, values, title="Searches per month", key="timeline")
    bars = _bars(svg)
    assert len(bars) == 24
    assert [b.findtext(f"{SVG}title") for b in bars][:2] == ["2019-01: 0", "2019-02: 10"]
    heights = [float(b.get("height", "0")) for b in bars]
    assert heights[0] == 0
    assert heights[-1] == pytest.approx(23 * heights[1], rel=0.01)
    shown = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text") if t.get("transform")]
    assert shown == months[::2]  # 24 months: every other one labelled


@pytest.mark.parametrize(
    ("largest", "ticks"),
    [
        (0.0, [0.0, 1.0]),
        (3.0, [0.0, 1.0, 2.0, 3.0]),
        (320.0, [0.0, 100.0, 200.0, 300.0, 400.0]),
        (107_472_041.0, [0.0, 50_000_000.0, 100_000_000.0, 150_000_000.0]),
    ],
)
def test_axis_ticks_are_round_and_reach_past_the_largest_value(
    largest: float, ticks: list[float]
) -> None:
    assert _ticks(largest) == ticks


def test_empty_chart_is_still_valid_svg() -> None:
    ET.fromstring(bar_chart([], [], title="Agencies by type", key="types"))
    ET.fromstring(column_chart([], [], title="Searches per month", key="timeline"))
