"""Plots as inline SVG, drawn on the server: no script, no network, readable by a screen reader
(each has a ``<title>`` and a ``<desc>`` that states every number it shows).

>>> svg = forest_plot([Estimate("IMforte OS", 0.73, 0.57, 0.95, "0.73 (0.57-0.95)")], "HR")
>>> "IMforte OS: 0.73 (0.57-0.95)" in svg and svg.startswith("<svg")
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

ROW = 30
LABEL_WIDTH = 300
PLOT_WIDTH = 320
NOTE_WIDTH = 340
LEGEND_ROW = 20
PALETTE = (  # Okabe-Ito and Tableau hues, distinguishable in print and by colour-blind readers
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#7f7f7f",
    "#bcbd22",
    "#8c564b",
    "#17becf",
    "#000000",
    "#f0e442",
)


@dataclass(frozen=True)
class Estimate:
    """One row of a forest plot: a ratio with its confidence interval, if the source gives one."""

    label: str
    value: float
    low: float | None
    high: float | None
    note: str


@dataclass(frozen=True)
class Bar:
    """One bar: its row label, its value, the group that colours it, and the text beside it."""

    label: str
    value: float
    group: str
    note: str


def forest_plot(estimates: list[Estimate], title: str, reference: float = 1.0) -> str:
    """Ratios on a log axis with their intervals, a dashed line at ``reference`` (no effect)."""
    points = [e.value for e in estimates] + [
        x for e in estimates for x in (e.low, e.high) if x is not None
    ]
    low = min([*points, reference * 0.5])
    high = max([*points, reference * 2.0])
    left, right = math.log(low * 0.9), math.log(high * 1.1)

    def x(value: float) -> float:
        return LABEL_WIDTH + (math.log(value) - left) / (right - left) * PLOT_WIDTH

    height = ROW * (len(estimates) + 2)
    parts = [_open(LABEL_WIDTH + PLOT_WIDTH + NOTE_WIDTH, height, title, estimates)]
    axis_y = ROW * (len(estimates) + 0.6)
    parts.append(
        f'<line x1="{x(reference):.1f}" y1="4" x2="{x(reference):.1f}" y2="{axis_y:.1f}"'
        ' stroke="#777" stroke-dasharray="4 3"/>'
    )
    parts.append(
        f'<line x1="{LABEL_WIDTH}" y1="{axis_y:.1f}" x2="{LABEL_WIDTH + PLOT_WIDTH}" '
        f'y2="{axis_y:.1f}" stroke="#333"/>'
    )
    for tick in (0.1, 0.2, 0.25, 0.5, 1, 2, 4, 5, 10):
        if low * 0.9 <= tick <= high * 1.1:
            parts.append(
                f'<line x1="{x(tick):.1f}" y1="{axis_y:.1f}" x2="{x(tick):.1f}" '
                f'y2="{axis_y + 5:.1f}" stroke="#333"/><text x="{x(tick):.1f}" '
                f'y="{axis_y + 18:.1f}" text-anchor="middle">{tick:g}</text>'
            )
    for number, estimate in enumerate(estimates):
        y = ROW * (number + 0.5)
        parts.append(f'<text x="4" y="{y + 4:.1f}">{escape(_clip(estimate.label, 44))}</text>')
        if estimate.low is not None and estimate.high is not None:
            parts.append(
                f'<line x1="{x(estimate.low):.1f}" y1="{y:.1f}" x2="{x(estimate.high):.1f}" '
                f'y2="{y:.1f}" stroke="#1f5f99" stroke-width="2"/>'
            )
        parts.append(
            f'<rect x="{x(estimate.value) - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" '
            f'fill="#1f5f99"><title>{escape(estimate.label)}: {escape(estimate.note)}</title>'
            "</rect>"
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + PLOT_WIDTH + 10}" y="{y + 4:.1f}" '
            f'class="note">{escape(estimate.note)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(bars: list[Bar], title: str, unit: str) -> str:
    """Horizontal bars from zero, grouped and coloured by group (a legend row per group, in
    the order of the bars), the value written beside each."""
    bars = sorted(bars, key=lambda b: (b.group, -b.value, b.label))
    top = max([b.value for b in bars] + [1e-9])
    groups = list(dict.fromkeys(b.group for b in bars))
    colour = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}
    legend = LEGEND_ROW * len(groups) + 10 if groups != [""] else 0
    height = ROW * (len(bars) + 1) + legend
    descriptions = [Estimate(b.label, b.value, None, None, f"{b.note}, {b.group}") for b in bars]
    parts = [_open(LABEL_WIDTH + PLOT_WIDTH + NOTE_WIDTH, height, title, descriptions)]
    for number, group in enumerate(groups if legend else []):
        gy = 6 + number * LEGEND_ROW
        parts.append(
            f'<rect x="4" y="{gy}" width="12" height="12" fill="{colour[group]}"/>'
            f'<text x="22" y="{gy + 11}">{escape(_clip(group, 110))}</text>'
        )
    for number, bar in enumerate(bars):
        y = legend + ROW * (number + 0.5)
        width = bar.value / top * PLOT_WIDTH
        parts.append(f'<text x="4" y="{y + 4:.1f}">{escape(_clip(bar.label, 44))}</text>')
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y - 9:.1f}" width="{max(width, 1):.1f}" height="18" '
            f'fill="{colour[bar.group]}"><title>{escape(bar.label)}: {escape(bar.note)} '
            f"({escape(bar.group)})</title></rect>"
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 4:.1f}" class="note">'
            f"{escape(bar.note)}</text>"
        )
    axis_y = legend + ROW * (len(bars) + 0.1)
    parts.append(
        f'<text x="{LABEL_WIDTH}" y="{axis_y + 8:.1f}">0</text>'
        f'<text x="{LABEL_WIDTH + PLOT_WIDTH}" y="{axis_y + 8:.1f}" text-anchor="end">'
        f"{top:g} {escape(unit)}</text></svg>"
    )
    return "".join(parts)


def _open(width: int, height: int, title: str, rows: list[Estimate]) -> str:
    """The opening tag with the title and a description that reads every row out."""
    description = "; ".join(f"{r.label}: {r.note}" for r in rows) or "no values"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}. {escape(description)}" '
        f'class="plot"><title>{escape(title)}</title><desc>{escape(description)}</desc>'
    )


def _clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"
