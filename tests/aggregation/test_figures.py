"""Figures shared by both aggregation paths: who improved, and exact sums."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from spcore.aggregation.figures import ExactSum, improved_mask
from spcore.instruments.change import ChangeClass, classify_change

scores = st.floats(-1e9, 1e9, allow_nan=False)


@given(
    st.lists(st.tuples(scores, scores), min_size=1, max_size=20),
    st.floats(0.01, 100, allow_nan=False),
    st.booleans(),
)
def test_improved_is_classify_change_over_whole_columns(
    pairs: list[tuple[float, float]], threshold: float, higher_is_better: bool
) -> None:
    baseline = np.array([b for b, _ in pairs])
    follow_up = np.array([f for _, f in pairs])
    expected = [
        classify_change(f - b, threshold, higher_is_better) is ChangeClass.IMPROVED
        for b, f in pairs
    ]
    got = improved_mask((threshold, higher_is_better), baseline, follow_up)
    assert got.tolist() == expected


@given(st.lists(scores, max_size=50), st.randoms(use_true_random=False))
def test_an_exact_sum_is_fsum_in_any_order(values: list[float], order: object) -> None:
    shuffled = list(values)
    order.shuffle(shuffled)  # type: ignore[attr-defined]
    total = ExactSum()
    for value in shuffled:
        total.add(value)
    assert total.total == math.fsum(values)
