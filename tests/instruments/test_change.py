"""Paired change, cohort summaries, Rotherham progress and the t quantile."""

from __future__ import annotations

import math

import numpy as np
import pytest

from spcore.instruments import score_batch
from spcore.instruments.change import (
    ChangeClass,
    classify_change,
    cohort_summary,
    paired_change,
    progress_summary,
    t_quantile,
)

# NIST/SEMATECH e-Handbook of Statistical Methods, table of upper critical values of
# Student's t (probability 0.025 of exceeding).
NIST_T_975 = [(1, 12.706), (2, 4.303), (5, 2.571), (10, 2.228), (30, 2.042), (100, 1.984)]


@pytest.mark.parametrize(("df", "value"), NIST_T_975)
def test_t_quantile_matches_nist_table(df: int, value: float) -> None:
    assert round(t_quantile(0.975, df), 3) == value
    assert round(t_quantile(0.025, df), 3) == -value


def test_t_quantile_tends_to_normal() -> None:
    assert round(t_quantile(0.975, 1e9), 3) == 1.960


def test_classify_both_sides_of_threshold() -> None:
    # PHQ-9: reduction of 6 or more is improvement (higher is worse).
    assert classify_change(-6, 6, higher_is_better=False) is ChangeClass.IMPROVED
    assert classify_change(-5, 6, higher_is_better=False) is ChangeClass.NO_CHANGE
    assert classify_change(6, 6, higher_is_better=False) is ChangeClass.WORSE
    assert classify_change(2.87, 2.87, higher_is_better=True) is ChangeClass.IMPROVED
    assert classify_change(2.86, 2.87, higher_is_better=True) is ChangeClass.NO_CHANGE


def test_paired_change_phq9_with_missing() -> None:
    result = paired_change("phq9", [20, 15, None, 10], [12, 12, 5, 17])
    assert result.classes == (ChangeClass.IMPROVED, ChangeClass.NO_CHANGE, None,
                              ChangeClass.WORSE)  # fmt: skip
    assert [f.code for f in result.findings] == ["SPC-I009"]
    assert result.findings[0].path == "/2"


def test_cohort_summary_hand_worked() -> None:
    # Changes 2, 4, 6: mean 4, sd 2, n 3; t(0.975, 2) = 4.303; half-width 4.303*2/sqrt(3) = 4.968.
    summary = cohort_summary("phq9", [10, 12, 14], [8, 8, 8])
    assert summary.n == 3
    assert summary.mean_baseline == 12
    assert summary.mean_followup == 8
    assert summary.mean_change == -4
    half = t_quantile(0.975, 2) * 2 / math.sqrt(3)
    assert summary.ci_low == pytest.approx(-4 - half)
    assert summary.ci_high == pytest.approx(-4 + half)
    assert round(half, 3) == 4.968
    assert summary.share_improved == pytest.approx(1 / 3)
    assert summary.share_no_change == pytest.approx(2 / 3)


def test_cohort_summary_without_threshold_gives_no_shares() -> None:
    summary = cohort_summary("ucla3", [9, 8], [3, 4])
    assert summary.share_improved is None
    assert summary.mean_change == -5


def test_cohort_summary_from_batch_results() -> None:
    items = [f"item_{n}" for n in range(1, 8)]
    before = score_batch("swemwbs", {i: [3, 2] for i in items})
    after = score_batch("swemwbs", {i: [4, 2] for i in items})
    summary = cohort_summary("swemwbs", before, after)
    assert summary.mean_baseline == pytest.approx((19.25 + 15.32) / 2)
    assert summary.share_improved == 0.5


def test_progress_reproduces_rotherham_shares() -> None:
    """100 people: 93 progress on >= 1 measure, 64 on >= 4, as dayson-2016 reports (>90%, >60%)."""
    measures = [f"measure_{n}" for n in range(1, 9)]
    before = np.full((100, 8), 3.0)
    after = before.copy()
    after[:64, :4] += 1  # 64 people progress on four measures
    after[64:93, 0] += 1  # 29 more progress on one
    before[:10, 5] = 2  # ten low baselines on measure 6, of which ...
    after[:6, 5] = 4  # ... six progress
    after[6:10, 5] = 2
    summary = progress_summary(
        {m: before[:, j] for j, m in enumerate(measures)},
        {m: after[:, j] for j, m in enumerate(measures)},
    )
    assert summary.n == 100
    assert summary.share_progressed_any == 0.93
    assert summary.share_progressed_min == 0.64
    measure_6 = summary.measures[5]
    assert (measure_6.n_low_baseline, measure_6.share_low_baseline_progressed) == (10, 0.6)
    assert summary.n_low_baseline_pairs == 10


def test_progress_excludes_incomplete_people() -> None:
    measures = [f"measure_{n}" for n in range(1, 9)]
    before = {m: [1.0, 2.0] for m in measures}
    after = {m: [2.0, math.nan] for m in measures}
    summary = progress_summary(before, after)
    assert (summary.n, summary.excluded, summary.share_progressed_min) == (1, 1, 1.0)
