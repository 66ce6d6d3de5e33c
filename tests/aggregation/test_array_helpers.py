"""The columnar aggregation's own array helpers give NumPy's answers."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from spcore.aggregation.columnar import _distinct, sorted_distinct

INTEGERS = st.sampled_from([np.int8, np.int32, np.int64])


@given(INTEGERS.flatmap(lambda dtype: arrays(dtype, st.integers(0, 300))))
def test_sorted_distinct_is_numpy_unique(values: np.ndarray) -> None:  # type: ignore[type-arg]
    found = sorted_distinct(values)
    expected = np.unique(values)
    assert found.dtype == expected.dtype
    assert found.tolist() == expected.tolist()


@given(INTEGERS.flatmap(lambda dtype: arrays(dtype, st.integers(0, 300))))
def test_distinct_counts_as_numpy_unique(values: np.ndarray) -> None:  # type: ignore[type-arg]
    # Negative numbers (none where it is used) are counted by sorting instead of marking.
    assert _distinct(values) == len(np.unique(values))


def test_distinct_of_nothing_and_of_large_numbers() -> None:
    assert _distinct(np.zeros(0, dtype=np.int32)) == 0
    values = np.array([999_999, 0, 999_999, 5], dtype=np.int32)
    assert _distinct(values) == 3
    assert sorted_distinct(values).tolist() == [0, 5, 999_999]


def test_distinct_of_few_large_numbers_sorts_them() -> None:
    # A table of every number up to 2**62 could not be made: a few such values are sorted.
    values = np.array([2**62, 3, 2**62], dtype=np.int64)
    assert _distinct(values) == 2
