"""Bar charts drawn on the server as inline SVG: the geometry here, the drawing in ``console/dashboard_chart.html``.

A chart is a row of bars, one per week, each made of stacked segments; a bar may be empty (no data that week:
drawn as a dash, not as zero). Right-to-left pages run time from right to left, so the bars are mirrored there.
Every bar carries its label and value text, which the template uses for the SVG ``<title>`` of the bar and
for the table beside the chart that screen readers (and anyone who prefers numbers) read instead.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
HEIGHT = 220
PLOT_TOP = 24
PLOT_BOTTOM = 190
"""The plot's baseline; the week labels go below it."""
GAP = 0.25
"""The share of each bar's slot left empty between bars."""


@dataclass(frozen=True)
class Segment:
    """One stacked part of a bar: its value and the CSS class that colours it."""

    value: float
    tone: str


@dataclass(frozen=True)
class Bar:
    """One bar as the data gives it: its label (the week), its segments, and its value as text."""

    label: str
    segments: tuple[Segment, ...]
    text: str
    """The value as a reader reads it (``۹۲٪``, ``4.3``), or an empty string when there is no data."""


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    tone: str


@dataclass(frozen=True)
class DrawnBar:
    """A bar placed on the chart: its rectangles, where its label and value go, and its source bar."""

    bar: Bar
    rects: tuple[Rect, ...]
    center: float
    top: float


@dataclass(frozen=True)
class Chart:
    """A drawn chart: its bars and, when given, the y of a reference line (a target)."""

    bars: tuple[DrawnBar, ...]
    line_y: float | None
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = PLOT_BOTTOM


def _y(value: float, top: float) -> float:
    return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * (value / top if top else 0)


def draw(bars: list[Bar], *, top: float, rtl: bool, line: float | None = None) -> Chart:
    """Place ``bars`` left to right (right to left when ``rtl``) on a scale from 0 to ``top``."""
    slot = WIDTH / max(len(bars), 1)
    width = slot * (1 - GAP)
    drawn = []
    for index, bar in enumerate(bars):
        position = len(bars) - 1 - index if rtl else index
        x = position * slot + (slot - width) / 2
        rects, stacked = [], 0.0
        for segment in bar.segments:
            if segment.value <= 0:
                continue
            y_top, y_bottom = _y(stacked + segment.value, top), _y(stacked, top)
            rects.append(Rect(round(x, 1), round(y_top, 1), round(width, 1), round(y_bottom - y_top, 1), segment.tone))
            stacked += segment.value
        drawn.append(DrawnBar(bar, tuple(rects), round(x + width / 2, 1), round(_y(stacked, top), 1)))
    return Chart(tuple(drawn), round(_y(line, top), 1) if line is not None else None)


def nice_top(values: list[float], minimum: float = 1) -> float:
    """A round top for a scale that holds ``values`` (1, 2, 5 × 10ⁿ)."""
    peak = max([minimum, *values])
    step = 1.0
    while True:
        for factor in (1, 2, 5):
            if factor * step >= peak:
                return factor * step
        step *= 10
