"""Paired outcomes on a hand-worked extract: pairing, exclusions, classes, breakdowns."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as st
from tests.evaluation.hand_worked import ROTHERHAM_L, ROTHERHAM_M, extract

from spcore.evaluation import evaluate
from spcore.evaluation.outcomes import OutcomeFigure
from spcore.instruments.change import cohort_summary, progress_summary

TOLERANCE = 1e-9


def _figure(result: object, instrument: str, score: str = "score") -> OutcomeFigure:
    return next(
        f
        for f in result.outcomes  # type: ignore[attr-defined]
        if f.instrument == instrument and f.score == score
    )


@pytest.fixture(scope="module")
def q1() -> object:
    return evaluate(extract(), quarter="2025-26 Q1", by=["age-band", "referral-criterion"])


def test_who_is_evaluated_and_who_is_left_out(q1: object) -> None:
    intake = q1.intake  # type: ignore[attr-defined]
    assert intake.read == 14
    assert intake.outside_period == 1  # K
    assert intake.not_cases == 1  # H
    assert intake.left_out == {"SPC-V002": 1, "SPC-V004": 1}  # the second A; J (person P1)
    assert len(intake.rows) == 10
    lines = {f.code: f.message for f in intake.findings}
    assert "line 9" in lines["SPC-V002"]
    assert "line 10" in lines["SPC-V004"]


def test_swemwbs_pairs_and_exclusions(q1: object) -> None:
    total = _figure(q1, "swemwbs").cells[0]
    assert (total.n_paired, total.follow_up_too_soon, total.no_follow_up, total.no_baseline) == (
        4,
        1,
        1,
        1,
    )
    before, after = np.array([17.0, 20, 22, 16]), np.array([21.0, 19, 18, 19])
    assert total.mean_baseline == pytest.approx(18.75, abs=TOLERANCE)
    assert total.mean_follow_up == pytest.approx(19.25, abs=TOLERANCE)
    assert total.mean_change == pytest.approx(0.5, abs=TOLERANCE)
    expected = st.ttest_rel(after, before)
    interval = expected.confidence_interval()
    assert (total.ci_low, total.ci_high) == pytest.approx(
        (interval.low, interval.high), abs=TOLERANCE
    )
    assert total.p_t == pytest.approx(expected.pvalue, abs=TOLERANCE)
    assert total.p_wilcoxon == pytest.approx(st.wilcoxon(after, before).pvalue, abs=TOLERANCE)
    assert (total.improved, total.no_change, total.worse) == (2, 1, 1)
    # The same as the one-cohort helper of spcore.instruments.
    summary = cohort_summary("swemwbs", before, after, score="metric")
    assert summary.share_improved == 2 / 4
    assert summary.share_worse == 1 / 4
    assert summary.ci_low == pytest.approx(total.ci_low, abs=TOLERANCE)


def test_categorical_scores_get_transitions_not_means(q1: object) -> None:
    pam = _figure(q1, "pam")
    assert pam.categorical
    assert pam.primary_test == "wilcoxon"
    total = pam.cells[0]
    assert total.mean_change is None
    assert total.ci_low is None
    assert total.transitions is not None
    table = np.array(total.transitions)
    assert table[0, 2] == 1
    assert table[1, 1] == 1
    assert table[2, 1] == 1
    assert table.sum() == 3
    assert (total.improved, total.no_change, total.worse) == (1, 1, 1)


def test_breakdown_cells(q1: object) -> None:
    cells = {(c.by, c.value): c for c in _figure(q1, "swemwbs").cells}
    assert cells[("age-band", "18-24")].n_paired == 2  # A, B
    assert cells[("age-band", "25-34")].n_paired == 1  # C
    assert cells[("age-band", "25-34")].follow_up_too_soon == 1  # D
    assert cells[("age-band", "18-24")].mean_change == pytest.approx(1.5, abs=TOLERANCE)
    # Criteria overlap: A meets two, so the carer and long-term-condition cells share A.
    assert cells[("referral-criterion", "carer")].n_paired == 2  # A, C
    assert cells[("referral-criterion", "long-term-condition")].n_paired == 3  # A, B, G


def test_rotherham_progress_matches_the_instruments_helper(q1: object) -> None:
    (figure,) = q1.progress  # type: ignore[attr-defined]
    total = figure.cells[0]
    assert (total.n, total.excluded) == (2, 1)  # L and M; N has seven measures
    assert (total.progressed_any, total.progressed_min) == (2, 1)
    measures = [f"measure_{n}" for n in range(1, 9)]
    before = {m: [ROTHERHAM_L[0][i], ROTHERHAM_M[0][i]] for i, m in enumerate(measures)}
    after = {m: [ROTHERHAM_L[1][i], ROTHERHAM_M[1][i]] for i, m in enumerate(measures)}
    summary = progress_summary(before, after)
    assert total.progressed_any == round(summary.share_progressed_any * 2)
    assert total.n_low_baseline_pairs == summary.n_low_baseline_pairs == 12
    assert total.low_baseline_progressed == 10  # L: 1->2, 2->2, 2->3, 2->1 (2); M: all 8


def test_rag_quarter_and_scheme_breakdowns() -> None:
    result = evaluate(extract(), by=["rag-rating", "quarter"])
    swemwbs = _figure(result, "swemwbs")
    values = {(c.by, c.value): c.n_paired for c in swemwbs.cells}
    assert values[("rag-rating", "green")] == 1  # A; B's latest rating is amber
    assert values[("rag-rating", "amber")] == 1
    assert values[("quarter", "2024-25 Q3")] == 1  # K
    assert ("scheme", "NORTHSHIRE-CONNECT") not in values  # one scheme: no scheme cells


def test_period_by_dates_and_open_ends() -> None:
    result = evaluate(extract(), start="2025-05-01", end="2025-05-31")
    assert len(result.intake.rows) == 4  # C, D, E, F
    assert evaluate(extract(), end="2025-01-01").intake.outside_period == 12


def test_an_extract_of_several_schemes_is_evaluated_per_scheme_and_in_total() -> None:
    from tests.aggregation.builders import case

    records = [
        *extract(),
        case(
            "OTHER-1",
            "2025-04-12",
            scheme="SOUTHSHIRE-LINK",
            measures=[
                ("swemwbs", "baseline", "2025-04-12", 20.0),
                ("swemwbs", "follow-up", "2025-08-01", 23.0),
            ],
        ),
    ]
    result = evaluate(records, quarter="2025-26 Q1", by=["age-band"])
    assert result.by == ("scheme", "age-band")
    cells = {(c.by, c.value): c.n_paired for c in _figure(result, "swemwbs").cells}
    assert cells[("all", "all")] == 5
    assert cells[("scheme", "NORTHSHIRE-CONNECT")] == 4
    assert cells[("scheme", "SOUTHSHIRE-LINK")] == 1
