"""The evaluation's statistics against scipy.stats and statsmodels, to 1e-9."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as st
from statsmodels.stats.weightstats import DescrStatsW

from spcore.evaluation.stats import (
    exact_signed_rank_p,
    paired_moments,
    welch_difference,
    wilcoxon_signed_rank,
)

TOLERANCE = 1e-9


def _one(before: list[float], after: list[float]) -> tuple[object, object]:
    b, a = np.asarray(before, float), np.asarray(after, float)
    cell = np.zeros(len(b), dtype=np.int64)
    return paired_moments(b, a, cell, 1), wilcoxon_signed_rank(a - b, cell, 1)


def test_a_hand_worked_extract() -> None:
    # Changes 1, 2, 3, 4, 5: mean 3, sd sqrt(2.5), t = 3 / (sqrt(2.5) / sqrt(5)) = 4.2426...
    moments, signed = _one([10, 10, 10, 10, 10], [11, 12, 13, 14, 15])
    assert moments.mean_change[0] == 3
    assert moments.sd_change[0] == pytest.approx(np.sqrt(2.5), abs=TOLERANCE)
    assert moments.t[0] == pytest.approx(3 / np.sqrt(0.5), abs=TOLERANCE)
    assert moments.d_z[0] == pytest.approx(3 / np.sqrt(2.5), abs=TOLERANCE)
    # t(0.975, 4) = 2.776445105...: the interval is 3 +/- 2.776445 * sqrt(0.5).
    half = 2.7764451051977987 * np.sqrt(0.5)
    assert (moments.ci_low[0], moments.ci_high[0]) == pytest.approx(
        (3 - half, 3 + half), abs=TOLERANCE
    )
    # All five changes positive: exact two-sided p = 2 / 2**5.
    assert signed.exact[0]
    assert signed.p[0] == pytest.approx(2 / 32, abs=TOLERANCE)
    assert signed.r_plus[0] == 15


@pytest.mark.parametrize("seed", range(40))
def test_paired_t_and_d_z_agree_with_scipy_and_statsmodels(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 200))
    before = rng.normal(20, 4, n)
    after = before + rng.normal(rng.normal(0, 1), 3, n)
    moments, _ = _one(list(before), list(after))
    result = st.ttest_rel(after, before)
    interval = result.confidence_interval(0.95)
    assert moments.ci_low[0] == pytest.approx(interval.low, abs=TOLERANCE)
    assert moments.ci_high[0] == pytest.approx(interval.high, abs=TOLERANCE)
    assert moments.t[0] == pytest.approx(result.statistic, abs=TOLERANCE)
    assert moments.p[0] == pytest.approx(result.pvalue, abs=TOLERANCE)
    described = DescrStatsW(after - before)
    assert (moments.ci_low[0], moments.ci_high[0]) == pytest.approx(
        described.tconfint_mean(0.05), abs=TOLERANCE
    )
    assert moments.mean_before[0] == pytest.approx(np.mean(before), abs=TOLERANCE)
    assert moments.mean_after[0] == pytest.approx(np.mean(after), abs=TOLERANCE)
    change = after - before
    assert moments.d_z[0] == pytest.approx(change.mean() / change.std(ddof=1), abs=TOLERANCE)


@pytest.mark.parametrize("seed", range(60))
def test_wilcoxon_agrees_with_scipy(seed: int) -> None:
    rng = np.random.default_rng(1000 + seed)
    n = int(rng.integers(1, 80))
    if seed % 3 == 0:  # ordinal 1-5 scores: ties and zeros, the normal approximation
        before = rng.integers(1, 6, n).astype(float)
        after = np.clip(before + rng.integers(-2, 3, n), 1, 5).astype(float)
    else:  # continuous: exact up to 50 changes
        before = rng.normal(0, 1, n)
        after = before + rng.normal(0.2, 1, n)
    _, signed = _one(list(before), list(after))
    if signed.n_nonzero[0] == 0:
        assert np.isnan(signed.p[0])
        return
    expected = st.wilcoxon(after, before)
    assert signed.p[0] == pytest.approx(expected.pvalue, abs=TOLERANCE)
    assert min(signed.r_plus[0], signed.r_minus[0]) == pytest.approx(
        expected.statistic, abs=TOLERANCE
    )


def test_exact_signed_rank_distribution_matches_scipy() -> None:
    for n in (1, 2, 5, 12, 30, 50):
        for r in range(0, n * (n + 1) // 2 + 1, max(1, n // 2)):
            changes = _changes_with_rank_sum(n, r)
            expected = st.wilcoxon(changes, method="exact").pvalue
            assert exact_signed_rank_p(r, n) == pytest.approx(expected, abs=TOLERANCE)


def _changes_with_rank_sum(n: int, r: int) -> np.ndarray:
    """Changes 1..n whose positive ones' ranks add up to ``r`` (greedy from the top)."""
    signs = -np.ones(n)
    left = r
    for rank in range(n, 0, -1):
        if rank <= left:
            signs[rank - 1] = 1
            left -= rank
    return np.arange(1, n + 1) * signs


def test_cells_are_computed_as_if_each_were_alone() -> None:
    rng = np.random.default_rng(7)
    n = 600
    before = rng.integers(1, 6, n).astype(float)
    after = np.clip(before + rng.integers(-1, 3, n), 1, 5).astype(float)
    cell = rng.integers(0, 5, n)
    together = paired_moments(before, after, cell, 5)
    ranks = wilcoxon_signed_rank(after - before, cell, 5)
    for k in range(5):
        mine = cell == k
        alone, alone_ranks = _one(list(before[mine]), list(after[mine]))
        for field in ("n", "mean_change", "ci_low", "ci_high", "p", "d_z"):
            assert getattr(together, field)[k] == pytest.approx(
                getattr(alone, field)[0], abs=TOLERANCE
            )
        assert ranks.p[k] == pytest.approx(alone_ranks.p[0], abs=TOLERANCE)


def test_welch_difference_agrees_with_scipy() -> None:
    rng = np.random.default_rng(11)
    first, second = rng.normal(-1, 2, 150), rng.normal(0.5, 3, 90)
    found = welch_difference(first, second)
    assert found is not None
    expected = st.ttest_ind(first, second, equal_var=False)
    interval = expected.confidence_interval(0.95)
    assert found.ci_low == pytest.approx(interval.low, abs=TOLERANCE)
    assert found.ci_high == pytest.approx(interval.high, abs=TOLERANCE)
    assert found.p == pytest.approx(expected.pvalue, abs=TOLERANCE)
    assert welch_difference(first[:1], second) is None


def test_no_spread_gives_no_test_but_an_interval_of_zero_width() -> None:
    moments, signed = _one([1, 2, 3], [2, 3, 4])
    assert moments.ci_low[0] == moments.ci_high[0] == 1
    assert np.isnan(moments.t[0])
    assert np.isnan(moments.d_z[0])
    # Three tied changes: the exact permutation distribution of the tied ranks (p = 2/8).
    assert signed.exact[0]
    assert signed.p[0] == pytest.approx(0.25, abs=TOLERANCE)
    assert signed.p[0] == pytest.approx(st.wilcoxon([2, 3, 4], [1, 2, 3]).pvalue, abs=TOLERANCE)
