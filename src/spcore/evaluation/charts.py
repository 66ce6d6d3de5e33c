"""Charts of the evaluation report, drawn with matplotlib as inline SVG.

As the hub's charts (:mod:`spcore.hub.charts`): figures are made with
:class:`matplotlib.figure.Figure` directly (no pyplot state), text is kept as
text with generic font families (nothing is fetched: the page works offline),
and the SVG carries no date and a fixed id salt, so the same figures always
give the same bytes. Withheld or undefined values are left out of a chart and
the chart says so.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from spcore.evaluation.extras import require

_COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#505a5f")


def _matplotlib() -> tuple[Any, Any]:
    matplotlib = require("matplotlib")
    matplotlib.use("Agg")  # no display: never try to open a window
    figure_module = require("matplotlib.figure")
    return matplotlib, figure_module.Figure


def _svg(figure: Any) -> str:
    matplotlib, _ = _matplotlib()
    buffer = io.StringIO()
    settings = {"svg.hashsalt": "spcore-evaluation", "svg.fonttype": "none"}
    with matplotlib.rc_context(settings):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def interval_chart(
    title: str,
    labels: Sequence[str],
    estimates: Sequence[float],
    lows: Sequence[float],
    highs: Sequence[float],
    *,
    xlabel: str,
) -> str:
    """A forest plot: one estimate with its interval per row, and a line at zero."""
    _, figure_class = _matplotlib()
    height = 1.0 + 0.38 * max(len(labels), 1)
    figure = figure_class(figsize=(7.5, height))
    axes = figure.add_subplot()
    rows = list(range(len(labels)))[::-1]
    errors = [
        [e - lo for e, lo in zip(estimates, lows, strict=True)],
        [hi - e for e, hi in zip(estimates, highs, strict=True)],
    ]
    axes.errorbar(estimates, rows, xerr=errors, fmt="o", color=_COLOURS[0], capsize=3)
    axes.axvline(0, color="#505a5f", linewidth=1)
    axes.set_yticks(rows, list(labels))
    axes.set_xlabel(xlabel)
    axes.set_title(title)
    axes.grid(axis="x", alpha=0.3)
    return _svg(figure)


def class_chart(
    title: str, labels: Sequence[str], shares: Sequence[tuple[float, float, float]]
) -> str:
    """Stacked horizontal bars: the shares improved, no change and worse per row."""
    _, figure_class = _matplotlib()
    height = 1.2 + 0.38 * max(len(labels), 1)
    figure = figure_class(figsize=(7.5, height))
    axes = figure.add_subplot()
    rows = list(range(len(labels)))[::-1]
    left = [0.0] * len(labels)
    colours = (_COLOURS[2], "#b1b4b6", _COLOURS[1])
    for k, name in enumerate(("improved", "no change", "worse")):
        values = [100 * s[k] for s in shares]
        axes.barh(rows, values, left=left, color=colours[k], label=name)
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_yticks(rows, list(labels))
    axes.set_xlim(0, 100)
    axes.set_xlabel("% of people paired")
    axes.set_title(title)
    axes.legend(fontsize="small", loc="lower right", ncols=3)
    return _svg(figure)


def paired_bars(
    title: str,
    labels: Sequence[str],
    first: Sequence[float],
    second: Sequence[float],
    names: tuple[str, str],
    *,
    ylabel: str,
) -> str:
    """Two bars per row (before and after, or two shares), side by side."""
    _, figure_class = _matplotlib()
    figure = figure_class(figsize=(7.5, 3.4))
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    width = 0.38
    axes.bar([p - width / 2 for p in positions], first, width, label=names[0], color=_COLOURS[0])
    axes.bar([p + width / 2 for p in positions], second, width, label=names[1], color=_COLOURS[3])
    axes.set_xticks(positions, list(labels), rotation=20, ha="right")
    axes.set_ylabel(ylabel)
    axes.set_title(title)
    axes.grid(axis="y", alpha=0.3)
    axes.legend(fontsize="small")
    return _svg(figure)
