"""What the dashboard pages show, computed for a viewer: figures by quarter, charts, impact.

The same computation serves the signed-in dashboard (the viewer's schemes,
figures as returned) and the public page (every scheme, every figure
through the small-number rule, see :func:`spcore.hub.dashboard.publish`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from spcore.aggregation.suppression import DEFAULT_RULE, resolve, suppress
from spcore.hub import charts
from spcore.hub.dashboard import (
    BREAKDOWNS,
    COMMUNITY_FIGURES,
    OUTPUTS,
    SYSTEM_FIGURES,
    Figure,
    FunnelPoint,
    PooledInstrument,
    breakdown,
    combine,
    funnel_points,
    pool_instruments,
    publish,
)


@attrs.frozen
class QuarterFigures:
    """Every dashboard figure of one quarter over the schemes shown."""

    quarter: str
    schemes: int
    outputs: tuple[Figure, ...]
    breakdowns: tuple[tuple[str, dict[str, int | None]], ...]
    instruments: tuple[PooledInstrument, ...]
    system: tuple[Figure, ...]
    community: tuple[Figure, ...]


def _public_breakdowns(
    documents: Sequence[Mapping[str, Any]],
) -> tuple[tuple[str, dict[str, int | None]], ...]:
    """Breakdowns summed, then suppressed as one return would be (primary and secondary)."""
    summed: dict[str, Any] = {"outputs": {}}
    total = combine(OUTPUTS[0], documents).value
    if total is not None:
        summed["outputs"]["people_referred"] = round(total)
    for pointer, _ in BREAKDOWNS:
        summed["outputs"][pointer.rsplit("/", 1)[1]] = breakdown(pointer, documents)
    published = suppress(summed, DEFAULT_RULE)
    return tuple((title, dict(resolve(published, pointer))) for pointer, title in BREAKDOWNS)


def quarter_figures(
    quarter: str, documents: Sequence[Mapping[str, Any]], *, public: bool
) -> QuarterFigures:
    """The figures of a quarter; ``public`` applies the small-number rule to each."""

    def figures(specs: Sequence[Any]) -> tuple[Figure, ...]:
        combined = [combine(spec, documents) for spec in specs]
        return tuple(publish(f) if public else f for f in combined)

    instruments = pool_instruments(documents)
    if public:
        breakdowns = _public_breakdowns(documents)
        instruments = [i.published() for i in instruments]
    else:
        breakdowns = tuple(
            (title, dict(breakdown(pointer, documents))) for pointer, title in BREAKDOWNS
        )
    return QuarterFigures(
        quarter,
        len(documents),
        figures(OUTPUTS),
        tuple((t, dict(cells)) for t, cells in breakdowns),
        tuple(instruments),
        figures(SYSTEM_FIGURES),
        figures(COMMUNITY_FIGURES),
    )


@attrs.frozen
class DashboardView:
    """Everything a dashboard page shows."""

    quarters: tuple[QuarterFigures, ...]
    trend_svg: str
    funnel_svg: str
    funnel_quarter: str | None
    funnel: tuple[FunnelPoint, ...]

    @property
    def latest(self) -> QuarterFigures | None:
        """The newest quarter with returns."""
        return self.quarters[-1] if self.quarters else None


#: The figures drawn as trends by quarter.
TREND_KEYS = ("people_referred", "people_benefiting", "support_plans_coproduced")


def dashboard_view(
    by_quarter: Mapping[str, Mapping[str, Mapping[str, Any]]],
    quarters: Sequence[str],
    *,
    public: bool,
) -> DashboardView:
    """The dashboard for the given returns (quarter -> scheme -> document)."""
    shown = [q for q in quarters if by_quarter.get(q)]
    figures = tuple(quarter_figures(q, list(by_quarter[q].values()), public=public) for q in shown)
    series: dict[str, list[float | None]] = {}
    for spec_index, spec in enumerate(OUTPUTS):
        if spec.key in TREND_KEYS:
            series[spec.title] = [f.outputs[spec_index].value for f in figures]
    trend = charts.trend_chart("Phase 1 outputs by quarter", shown, series) if shown else ""
    funnel_quarter = shown[-1] if shown else None
    points = funnel_points(by_quarter[funnel_quarter], public=public) if funnel_quarter else []
    funnel = (
        charts.funnel_chart(points, f"People benefiting per FTE link worker, {funnel_quarter}")
        if funnel_quarter
        else ""
    )
    return DashboardView(figures, trend, funnel, funnel_quarter, tuple(points))
