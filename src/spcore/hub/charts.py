"""Charts of the dashboard, drawn with matplotlib as inline SVG.

Figures are made with :class:`matplotlib.figure.Figure` directly (no pyplot
state), so requests in several threads can draw at once. The SVG carries no
date and a fixed id salt, so the same figures always give the same bytes.
Text in a chart (scheme codes, titles) is escaped by matplotlib's SVG writer.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")  # no display: never try to open a window on a server

from matplotlib.figure import Figure

from spcore.hub.dashboard import FUNNEL_Z, FunnelPoint, funnel_limits, pooled_rate

#: Most schemes labelled by name on the funnel plot.
MAX_LABELS = 30

_COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#505a5f")


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "spcore-hub", "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    # Inline in a page: drop the XML declaration and DOCTYPE, keep the <svg> element.
    return text[text.index("<svg") :]


def trend_chart(
    title: str, quarters: Sequence[str], series: Mapping[str, Sequence[float | None]]
) -> str:
    """Lines of figures by quarter (a missing or withheld value leaves a gap)."""
    figure = Figure(figsize=(7.5, 3.2))
    axes = figure.add_subplot()
    positions = range(len(quarters))
    for index, (name, values) in enumerate(series.items()):
        ys = [float("nan") if v is None else v for v in values]
        axes.plot(positions, ys, marker="o", label=name, color=_COLOURS[index % len(_COLOURS)])
    axes.set_xticks(list(positions), list(quarters), rotation=30, ha="right")
    axes.set_title(title)
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", alpha=0.3)
    if len(series) > 1:
        axes.legend(fontsize="small", loc="upper right")  # "best" is slow with many points
    return _svg(figure)


def funnel_chart(points: Sequence[FunnelPoint], title: str) -> str:
    """A funnel plot of people benefiting per FTE link worker against FTE link workers."""
    figure = Figure(figsize=(7.5, 4.2))
    axes = figure.add_subplot()
    rate = pooled_rate(points)
    if rate is None or not points:
        axes.text(0.5, 0.5, "No scheme to compare yet", ha="center", va="center")
        axes.set_axis_off()
        return _svg(figure)
    top = max(p.fte for p in points) * 1.15
    grid = [top * i / 200 for i in range(4, 201)]
    for z, style in zip(FUNNEL_Z, ("--", ":"), strict=True):
        lows, highs = [], []
        for x in grid:
            low, high = funnel_limits(points, x)[z]
            lows.append(low)
            highs.append(high)
        axes.plot(grid, lows, style, color="#505a5f", linewidth=1, label=f"z = {z}")
        axes.plot(grid, highs, style, color="#505a5f", linewidth=1)
    axes.axhline(rate, color="#0b0c0c", linewidth=1, label=f"all schemes: {rate:.1f}")
    axes.scatter([p.fte for p in points], [p.rate for p in points], color=_COLOURS[0], zorder=3)
    # Past a few dozen schemes, labels would hide the points: the table names them.
    for p in points if len(points) <= MAX_LABELS else ():
        axes.annotate(
            p.scheme, (p.fte, p.rate), fontsize=7, xytext=(4, 3), textcoords="offset points"
        )
    axes.set_xlabel("FTE link workers")
    axes.set_ylabel("People benefiting per FTE")
    axes.set_title(title)
    axes.set_xlim(0, top)
    axes.set_ylim(bottom=0)
    axes.legend(fontsize="small", loc="upper right")  # "best" is slow with many points
    return _svg(figure)
