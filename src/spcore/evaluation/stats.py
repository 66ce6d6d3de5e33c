"""The statistics of a paired evaluation, for many groups (breakdown cells) at once.

Every estimate is worked out for all cells in a few whole-array passes
(``np.bincount`` over a cell number per person), so a million people in a
dozen cells cost about as much as one cell:

* :func:`paired_moments` — n, means, the mean change with its Student t
  confidence interval, the paired t test and the standardised effect size
  Cohen's d_z (the mean change over the standard deviation of the changes;
  ``cohen-1988``, ``lakens-2013``);
* :func:`wilcoxon_signed_rank` — Wilcoxon's signed-rank test (Wilcoxon 1945,
  ``wilcoxon-1945``) for ordinal scores, zero changes dropped as Wilcoxon
  did, with the exact null distribution for up to 50 changes without ties,
  the exact permutation distribution of the tied ranks for up to 13 changes
  with ties or zeros, and the normal approximation with the tie correction
  otherwise
  (``lehmann-1975``, chapter 3): what ``scipy.stats.wilcoxon`` does by default;
* :func:`welch_difference` — the difference between two cells' mean changes
  with Welch's interval, the difference-in-differences of a treated and a
  comparison cohort.

The t distribution is :func:`spcore.instruments.change.t_quantile` and
:func:`~spcore.instruments.change.t_cdf`, written without SciPy; the normal
tail is :func:`math.erfc`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np

from spcore.instruments.change import t_cdf, t_quantile

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
IntArray = np.ndarray[Any, np.dtype[np.int64]]

#: Largest number of non-zero changes for which the exact Wilcoxon distribution
#: is used (when they have no ties), as ``scipy.stats.wilcoxon`` does by default.
EXACT_WILCOXON_MAX = 50

#: Largest number of changes (zeros included) for which, with ties or zeros, the
#: p-value is the exact permutation distribution of the tied ranks given (all 2**n
#: sign patterns), as ``scipy.stats.wilcoxon`` does by default; above it the normal
#: approximation with the tie correction.
EXACT_TIED_WILCOXON_MAX = 13


def finite(value: Any) -> float | None:
    """``value`` as a float, or ``None`` for NaN (a statistic that does not exist)."""
    number = float(value)
    return None if math.isnan(number) else number


@functools.cache
def t_critical(confidence: float, df: int) -> float:
    """The two-sided critical value t(1 - alpha/2, df) for ``confidence`` = 1 - alpha."""
    return t_quantile(1.0 - (1.0 - confidence) / 2.0, df)


def t_two_sided_p(t: float, df: float) -> float:
    """Two-sided p-value of Student's t statistic ``t`` with ``df`` degrees of freedom."""
    return min(1.0, 2.0 * t_cdf(-abs(t), df))


def normal_two_sided_p(z: float) -> float:
    """Two-sided p-value of a standard normal statistic ``z``."""
    return math.erfc(abs(z) / math.sqrt(2.0))


@attrs.frozen
class Moments:
    """Paired summaries per cell (arrays indexed by cell; NaN where undefined).

    Attributes:
        n: people with both values.
        mean_before, mean_after, mean_change: the means.
        sd_change: standard deviation of the changes (n - 1 denominator).
        ci_low, ci_high: the mean change's confidence interval (n >= 2, sd > 0 not needed).
        t, df, p: the paired t test of a zero mean change (undefined when sd is 0).
        d_z: Cohen's d_z, mean change / sd of the changes (undefined when sd is 0).
    """

    n: IntArray
    mean_before: FloatArray
    mean_after: FloatArray
    mean_change: FloatArray
    sd_change: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    t: FloatArray
    df: IntArray
    p: FloatArray
    d_z: FloatArray


def _means(values: FloatArray, cell: IntArray, cells: int, n: IntArray) -> FloatArray:
    sums = np.bincount(cell, weights=values, minlength=cells)
    with np.errstate(invalid="ignore", divide="ignore"):
        means: FloatArray = np.where(n > 0, sums / np.maximum(n, 1), np.nan)
    return means


def paired_moments(
    before: FloatArray,
    after: FloatArray,
    cell: IntArray,
    cells: int,
    *,
    confidence: float = 0.95,
) -> Moments:
    """Means, mean change with its t interval, paired t test and d_z, for every cell.

    ``before`` and ``after`` hold complete pairs only; ``cell`` numbers each
    pair's cell (0 to ``cells`` - 1). The interval is
    mean change ± t(1 - alpha/2, n - 1) × sd / √n; the standard deviation is
    worked out from deviations about the cell mean (two passes), so it agrees
    with ``numpy.std(ddof=1)`` to rounding.
    """
    change = after - before
    n = np.bincount(cell, minlength=cells).astype(np.int64)
    mean_change = _means(change, cell, cells, n)
    deviation = change - mean_change[cell]
    squares = np.bincount(cell, weights=deviation * deviation, minlength=cells)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.where(n >= 2, np.sqrt(squares / np.maximum(n - 1, 1)), np.nan)
        se = sd / np.sqrt(n)
    shape = (cells,)
    ci_low, ci_high = np.full(shape, np.nan), np.full(shape, np.nan)
    t, p, d_z = np.full(shape, np.nan), np.full(shape, np.nan), np.full(shape, np.nan)
    for k in np.flatnonzero(n >= 2).tolist():
        half = t_critical(confidence, int(n[k]) - 1) * se[k]
        ci_low[k], ci_high[k] = mean_change[k] - half, mean_change[k] + half
        if sd[k] > 0:
            t[k] = mean_change[k] / se[k]
            p[k] = t_two_sided_p(float(t[k]), float(n[k] - 1))
            d_z[k] = mean_change[k] / sd[k]
    return Moments(
        n=n,
        mean_before=_means(before, cell, cells, n),
        mean_after=_means(after, cell, cells, n),
        mean_change=mean_change,
        sd_change=sd,
        ci_low=ci_low,
        ci_high=ci_high,
        t=t,
        df=np.maximum(n - 1, 0),
        p=p,
        d_z=d_z,
    )


@attrs.frozen
class Wilcoxon:
    """Wilcoxon signed-rank test per cell (arrays indexed by cell).

    Attributes:
        n_nonzero: changes other than zero (zeros are dropped).
        n_zero: zero changes dropped.
        r_plus, r_minus: sums of the ranks of positive and negative changes.
        z: the normal statistic (NaN where the exact distribution is used or undefined).
        p: two-sided p-value (NaN when there is no non-zero change).
        exact: True where an exact null distribution gave ``p`` (with ties: the
            permutation distribution of the ranks given).
    """

    n_nonzero: IntArray
    n_zero: IntArray
    r_plus: FloatArray
    r_minus: FloatArray
    z: FloatArray
    p: FloatArray
    exact: np.ndarray[Any, np.dtype[np.bool_]]


@functools.cache
def _signed_rank_counts(n: int) -> tuple[int, ...]:
    """How many of the 2**n sign patterns give each rank sum 0 .. n(n+1)/2."""
    counts = [1] + [0] * (n * (n + 1) // 2)
    top = 0
    for rank in range(1, n + 1):
        top += rank
        for total in range(top, rank - 1, -1):
            counts[total] += counts[total - rank]
    return tuple(counts)


def exact_signed_rank_p(r_plus: int, n: int) -> float:
    """Exact two-sided p-value of a signed-rank sum ``r_plus`` of ``n`` untied changes."""
    counts = _signed_rank_counts(n)
    upper = sum(counts[r_plus:])
    lower = sum(counts[: r_plus + 1])
    return min(1.0, float(2 * min(upper, lower) / 2**n))


def tied_signed_rank_p(ranks: Sequence[float], r_plus: float) -> float:
    """Exact two-sided p-value of ``r_plus`` over every sign pattern of the (tied) ``ranks``.

    Ranks are averages of whole numbers, so twice each is whole: the null
    distribution of twice the rank sum is counted exactly.
    """
    doubled = [round(2 * r) for r in ranks]
    counts = [1] + [0] * sum(doubled)
    top = 0
    for size in doubled:
        top += size
        for total in range(top, size - 1, -1):
            counts[total] += counts[total - size]
    observed = round(2 * r_plus)
    upper, lower = sum(counts[observed:]), sum(counts[: observed + 1])
    return min(1.0, float(2 * min(upper, lower) / 2 ** len(doubled)))


def wilcoxon_signed_rank(change: FloatArray, cell: IntArray, cells: int) -> Wilcoxon:
    """Wilcoxon's signed-rank test of a zero median change, for every cell at once."""
    nonzero = change != 0
    d, group = change[nonzero], cell[nonzero]
    size = np.abs(d)
    order = np.lexsort((size, group))
    size, group, d = size[order], group[order], d[order]
    count = np.bincount(group, minlength=cells).astype(np.int64)
    starts = np.cumsum(count) - count
    m = len(d)
    boundary = np.ones(m, dtype=bool)
    if m:
        boundary[1:] = (group[1:] != group[:-1]) | (size[1:] != size[:-1])
    run_start = np.flatnonzero(boundary)
    run_length = np.diff(np.r_[run_start, m])
    run_group = group[run_start]
    # Average rank of a run of ties, counted from 1 within its cell.
    run_rank = (2 * (run_start - starts[run_group]) + run_length + 1) / 2.0
    rank = np.repeat(run_rank, run_length)
    r_plus = np.bincount(group, weights=rank * (d > 0), minlength=cells).astype(np.float64)
    r_minus = np.bincount(group, weights=rank * (d < 0), minlength=cells).astype(np.float64)
    ties = run_length.astype(np.float64)
    tie_term = np.bincount(run_group, weights=ties**3 - ties, minlength=cells)
    tied = np.bincount(run_group, weights=run_length > 1, minlength=cells) > 0
    zeros = np.bincount(cell[~nonzero], minlength=cells).astype(np.int64)
    z, p = np.full(cells, np.nan), np.full(cells, np.nan)
    exact = np.zeros(cells, dtype=bool)
    for k in np.flatnonzero(count > 0).tolist():
        nk = int(count[k])
        if not tied[k] and zeros[k] == 0 and nk <= EXACT_WILCOXON_MAX:
            exact[k] = True
            p[k] = exact_signed_rank_p(round(r_plus[k]), nk)
            continue
        if nk + zeros[k] <= EXACT_TIED_WILCOXON_MAX:
            exact[k] = True
            start = int(starts[k])
            p[k] = tied_signed_rank_p(rank[start : start + nk].tolist(), float(r_plus[k]))
            continue
        mean = nk * (nk + 1) / 4.0
        variance = (nk * (nk + 1) * (2 * nk + 1) - tie_term[k] / 2.0) / 24.0
        if variance > 0:
            z[k] = (r_plus[k] - mean) / math.sqrt(variance)
            p[k] = normal_two_sided_p(float(z[k]))
    return Wilcoxon(count, zeros, r_plus, r_minus, z, p, exact)


@attrs.frozen
class Difference:
    """The difference of two independent means with Welch's interval.

    Attributes:
        estimate: mean of the first group minus mean of the second.
        se: its standard error, √(s1²/n1 + s2²/n2).
        df: Welch-Satterthwaite degrees of freedom.
        ci_low, ci_high: the confidence interval.
        t, p: Welch's t statistic and its two-sided p-value.
    """

    estimate: float
    se: float
    df: float
    ci_low: float
    ci_high: float
    t: float
    p: float


def welch_difference(
    first: FloatArray, second: FloatArray, *, confidence: float = 0.95
) -> Difference | None:
    """Mean of ``first`` minus mean of ``second`` with Welch's t interval (None if n < 2)."""
    if len(first) < 2 or len(second) < 2:
        return None
    return welch_from_summaries(
        (len(first), float(first.mean()), float(first.std(ddof=1))),
        (len(second), float(second.mean()), float(second.std(ddof=1))),
        confidence=confidence,
    )


def welch_from_summaries(
    first: tuple[int, float, float], second: tuple[int, float, float], *, confidence: float = 0.95
) -> Difference | None:
    """Welch's interval from each group's (n, mean, SD); None if n < 2 or no spread."""
    (n1, mean1, sd1), (n2, mean2, sd2) = first, second
    if n1 < 2 or n2 < 2 or not (math.isfinite(sd1) and math.isfinite(sd2)):
        return None
    v1, v2 = sd1 * sd1 / n1, sd2 * sd2 / n2
    se = math.sqrt(v1 + v2)
    if se == 0:
        return None
    estimate = mean1 - mean2
    df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
    half = t_quantile(1.0 - (1.0 - confidence) / 2.0, df) * se
    t = estimate / se
    return Difference(estimate, se, df, estimate - half, estimate + half, t, t_two_sided_p(t, df))
