"""Service use before and after referral: totals, means, the change with its interval, costs.

For each service and window length (``months``) the extract counts, a person
is **paired** when their record has both the window before and the window
after of that length with the service counted (a service not listed in a
window was not counted from that source; 0 is counted and none). Per
breakdown cell:

* totals and means before and after over the people paired, and the mean
  change per person with its 95% t interval and the paired t test
  (:func:`spcore.evaluation.stats.paired_moments`);
* the **percentage change** of the totals, (after − before) / before × 100,
  as dayson-2016 and hlp-2017 report it ("a 17% reduction in A&E
  attendance"), with a 95% interval by the delta method on the log of the
  ratio of the paired means: var(log r) ≈ (s_a²/ā² + s_b²/b̄² − 2 s_ab/(ā b̄)) / n;
* with a **comparison cohort** in the extract (records marked
  ``comparison-not-referred`` or ``comparison-waiting-list``), the
  **difference in differences** (wing-2018): the referred people's mean
  change minus the comparison people's, with Welch's interval (welch-1947),
  and as a ratio, (after/before of the referred) / (after/before of the
  comparison) − 1, with its delta-method interval — the estimate of the
  change "as a result of referral" that nhse-cof-2018 asks for, under the
  assumption that both groups would otherwise have changed alike;
* with unit costs (:mod:`spcore.evaluation.costs`), the cost of the use
  before and after, and the mean change in cost per person with its interval.

People counted on one side only are counted beside the figures. The change
from before to after is not an effect of referral: regression to the mean
(barnett-2005) is printed beside it.
"""

from __future__ import annotations

import math
import statistics
from typing import Any, Final

import attrs
import numpy as np

from spcore.aggregation.columns import CaseColumns
from spcore.evaluation.cohort import Cells
from spcore.evaluation.costs import UnitCosts
from spcore.evaluation.stats import Moments, finite, paired_moments, welch_from_summaries
from spcore.framework import enums

IntArray = np.ndarray[Any, np.dtype[np.int64]]
FloatArray = np.ndarray[Any, np.dtype[np.float64]]

_SERVICES: Final = [m.value for m in enums.Service]
#: What one unit of each service is, for the report.
UNITS: Final[dict[str, str]] = {
    "gp-consultations": "consultation",
    "ae-attendances": "attendance",
    "non-elective-admissions": "admission",
    "hospital-bed-days": "bed day",
    "outpatient-appointments": "appointment",
    "social-care-package-weeks": "week with a package",
}


@attrs.frozen
class ServiceCell:
    """One service's use before and after in one cell. ``None`` where undefined."""

    by: str
    value: str
    n_paired: int
    before_only: int
    after_only: int
    total_before: int
    total_after: int
    mean_before: float | None
    mean_after: float | None
    mean_change: float | None
    ci_low: float | None
    ci_high: float | None
    p_t: float | None
    percent_change: float | None
    percent_ci_low: float | None
    percent_ci_high: float | None
    comparison_n_paired: int | None = None
    comparison_mean_before: float | None = None
    comparison_mean_after: float | None = None
    comparison_percent_change: float | None = None
    did: float | None = None
    did_ci_low: float | None = None
    did_ci_high: float | None = None
    did_p: float | None = None
    did_percent: float | None = None
    did_percent_ci_low: float | None = None
    did_percent_ci_high: float | None = None
    cost_before: float | None = None
    cost_after: float | None = None
    cost_change_per_person: float | None = None
    cost_ci_low: float | None = None
    cost_ci_high: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The cell as a JSON-ready dictionary."""
        return attrs.asdict(self)


@attrs.frozen
class ServiceFigure:
    """One service over windows of ``months`` months, in every cell."""

    service: str
    months: int
    unit: str
    unit_cost: float | None
    cells: tuple[ServiceCell, ...]

    def to_dict(self) -> dict[str, Any]:
        """The figure as a JSON-ready dictionary."""
        return {
            "service": self.service,
            "months": self.months,
            "window": f"{self.months} months before and after",
            "unit": self.unit,
            "unit_cost": self.unit_cost,
            "cells": [cell.to_dict() for cell in self.cells],
        }


@attrs.frozen
class _Counts:
    """Per person (of one group) and per (service, months) key: counts before and after."""

    keys: tuple[tuple[int, int], ...]
    before: FloatArray  # [key, person], NaN when not counted
    after: FloatArray


def _counts(c: CaseColumns, rows: IntArray) -> _Counts:
    people = len(rows)
    person_of_row = np.full(len(c), -1, dtype=np.int64)
    person_of_row[rows] = np.arange(people)
    window = c.use_window
    who = person_of_row[c.window_row[window]] if len(window) else np.zeros(0, np.int64)
    mine = who >= 0
    window = window[mine]  # each count's window
    # One number per (service, months): a few hundred at most, so counted, not sorted.
    code = c.use_service[mine].astype(np.int64) * 256 + c.window_months[window].astype(np.int64)
    present = np.flatnonzero(np.bincount(code)) if len(code) else np.zeros(0, np.int64)
    keys = tuple((int(v) // 256, int(v) % 256) for v in present.tolist())
    before = np.full((len(keys), people), np.nan)
    after = np.full((len(keys), people), np.nan)
    if keys:
        key_of = np.full(int(present[-1]) + 1, -1, dtype=np.int64)
        key_of[present] = np.arange(len(keys))
        flat = key_of[code] * people + who[mine]
        side = c.window_side[window]
        counts = c.use_count[mine].astype(np.float64)
        before.reshape(-1)[flat[side == 0]] = counts[side == 0]
        after.reshape(-1)[flat[side == 1]] = counts[side == 1]
    return _Counts(keys, before, after)


def _ratio_interval(
    a: FloatArray, b: FloatArray, cell: IntArray, moments: Moments, z: float
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Per cell: the ratio of means ā/b̄, the variance of its log (delta method), and bounds.

    The means and the variance of the changes come from ``moments``; the covariance of
    before and after is (var a + var b − var(a − b)) / 2, so two passes suffice.
    """
    cells = len(moments.n)
    n = moments.n.astype(np.float64)
    mean_a, mean_b = moments.mean_after, moments.mean_before
    with np.errstate(invalid="ignore", divide="ignore"):
        da, db = a - mean_a[cell], b - mean_b[cell]
        var_a = np.bincount(cell, weights=da * da, minlength=cells) / (n - 1)
        var_b = np.bincount(cell, weights=db * db, minlength=cells) / (n - 1)
        cov = (var_a + var_b - moments.sd_change**2) / 2
        ratio = mean_a / mean_b
        var_log = (var_a / mean_a**2 + var_b / mean_b**2 - 2 * cov / (mean_a * mean_b)) / n
        good = (n >= 2) & (mean_a > 0) & (mean_b > 0) & (var_log >= 0)
        var_log = np.where(good, var_log, np.nan)
        half = z * np.sqrt(var_log)
        low, high = ratio * np.exp(-half), ratio * np.exp(half)
    return ratio, var_log, low, high


def _percent(value: float) -> float | None:
    return None if not math.isfinite(value) else (value - 1.0) * 100.0


@attrs.frozen
class _Group:
    moments: Any
    totals_before: FloatArray
    totals_after: FloatArray
    ratio: FloatArray
    var_log: FloatArray
    low: FloatArray
    high: FloatArray

    def change_summary(self, i: int) -> tuple[int, float, float]:
        """Cell ``i``'s (n, mean change, SD of change), for Welch's interval."""
        m = self.moments
        return int(m.n[i]), float(m.mean_change[i]), float(m.sd_change[i])


def _group(
    before: FloatArray, after: FloatArray, cells: Cells, confidence: float, z: float
) -> tuple[_Group, FloatArray, FloatArray]:
    complete = ~np.isnan(before) & ~np.isnan(after)
    member = complete[cells.member_person]
    person, cell = cells.member_person[member], cells.member_cell[member]
    b, a = before[person], after[person]
    size = len(cells)
    moments = paired_moments(b, a, cell, size, confidence=confidence)
    ratio, var_log, low, high = _ratio_interval(a, b, cell, moments, z)
    with np.errstate(invalid="ignore"):
        # Whole counts: the totals are the means times n, rounded back to whole numbers.
        totals_before = np.rint(np.nan_to_num(moments.mean_before) * moments.n)
        totals_after = np.rint(np.nan_to_num(moments.mean_after) * moments.n)
    group = _Group(moments, totals_before, totals_after, ratio, var_log, low, high)
    # Each person is on one side only, on both sides, or on neither: one pass counts them.
    state = np.where(complete, 0, np.where(np.isnan(after), 1, 2)) * ~(
        np.isnan(before) & np.isnan(after)
    )
    table = np.bincount(
        cells.member_cell * 3 + state[cells.member_person], minlength=size * 3
    ).reshape(size, 3)
    return group, table[:, 1].astype(np.float64), table[:, 2].astype(np.float64)


def service_figures(
    c: CaseColumns,
    rows: IntArray,
    cells: Cells,
    comparison_rows: IntArray | None = None,
    comparison_cells: Cells | None = None,
    *,
    unit_costs: UnitCosts | None = None,
    confidence: float = 0.95,
) -> tuple[ServiceFigure, ...]:
    """Every (service, months) counted for the people evaluated, in every cell."""
    z = statistics.NormalDist().inv_cdf(1.0 - (1.0 - confidence) / 2.0)
    treated = _counts(c, rows)
    compared = _counts(c, comparison_rows) if comparison_rows is not None else None
    compared_index = {key: k for k, key in enumerate(compared.keys)} if compared else {}
    comparison_cell_of: dict[tuple[str, str], int] = {}
    if comparison_cells is not None:
        comparison_cell_of = {label: i for i, label in enumerate(comparison_cells.labels)}
    figures = []
    for k, (service_number, months) in enumerate(treated.keys):
        service = _SERVICES[service_number]
        group, before_only, after_only = _group(
            treated.before[k], treated.after[k], cells, confidence, z
        )
        other: _Group | None = None
        if compared is not None and comparison_cells is not None:
            j = compared_index.get((service_number, months))
            if j is not None:
                other = _group(
                    compared.before[j], compared.after[j], comparison_cells, confidence, z
                )[0]
        cost = unit_costs.costs.get(service) if unit_costs is not None else None
        price = cost.adjusted if cost is not None else None
        out = []
        for i, label in enumerate(cells.labels):
            out.append(
                _cell(group, i, label, int(before_only[i]), int(after_only[i]), price,
                      other, comparison_cell_of.get(label), confidence)
            )  # fmt: skip
        figures.append(
            ServiceFigure(service, months, UNITS.get(service, "unit"), price, tuple(out))
        )
    figures.sort(key=lambda f: (_SERVICES.index(f.service), f.months))
    return tuple(figures)


def _cell(
    group: _Group,
    i: int,
    label: tuple[str, str],
    before_only: int,
    after_only: int,
    price: float | None,
    other: _Group | None,
    j: int | None,
    confidence: float,
) -> ServiceCell:
    m = group.moments
    n = int(m.n[i])
    total_before, total_after = int(group.totals_before[i]), int(group.totals_after[i])
    percent = _percent(total_after / total_before) if total_before > 0 else None
    fields: dict[str, Any] = {}
    if other is not None and j is not None:
        om = other.moments
        fields["comparison_n_paired"] = int(om.n[j])
        fields["comparison_mean_before"] = finite(om.mean_before[j])
        fields["comparison_mean_after"] = finite(om.mean_after[j])
        other_total = float(other.totals_before[j])
        fields["comparison_percent_change"] = (
            _percent(float(other.totals_after[j]) / other_total) if other_total > 0 else None
        )
        difference = welch_from_summaries(
            group.change_summary(i), other.change_summary(j), confidence=confidence
        )
        if difference is not None:
            fields |= {
                "did": difference.estimate,
                "did_ci_low": difference.ci_low,
                "did_ci_high": difference.ci_high,
                "did_p": difference.p,
            }
        ratio = float(group.ratio[i] / other.ratio[j])
        var_log = float(group.var_log[i] + other.var_log[j])
        if math.isfinite(ratio) and ratio > 0 and math.isfinite(var_log):
            z = statistics.NormalDist().inv_cdf(1.0 - (1.0 - confidence) / 2.0)
            half = z * math.sqrt(var_log)
            fields |= {
                "did_percent": _percent(ratio),
                "did_percent_ci_low": _percent(ratio * math.exp(-half)),
                "did_percent_ci_high": _percent(ratio * math.exp(half)),
            }
    if price is not None:
        fields |= {
            "cost_before": total_before * price,
            "cost_after": total_after * price,
            "cost_change_per_person": _scaled(m.mean_change[i], price),
            "cost_ci_low": _scaled(m.ci_low[i], price),
            "cost_ci_high": _scaled(m.ci_high[i], price),
        }
    return ServiceCell(
        by=label[0],
        value=label[1],
        n_paired=n,
        before_only=before_only,
        after_only=after_only,
        total_before=total_before,
        total_after=total_after,
        mean_before=finite(m.mean_before[i]),
        mean_after=finite(m.mean_after[i]),
        mean_change=finite(m.mean_change[i]),
        ci_low=finite(m.ci_low[i]),
        ci_high=finite(m.ci_high[i]),
        p_t=finite(m.p[i]),
        percent_change=percent,
        percent_ci_low=_percent(float(group.low[i])),
        percent_ci_high=_percent(float(group.high[i])),
        **fields,
    )


def _scaled(value: float, price: float) -> float | None:
    number = finite(value)
    return None if number is None else number * price
