"""Segmented columns: whatever the segments, joining gives the values appended, in order."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spcore.aggregation import segments
from spcore.aggregation.segments import SegmentedColumn

PIECES = st.lists(st.lists(st.integers(-(2**31), 2**31 - 1), max_size=40), max_size=12)


@pytest.mark.parametrize(("first", "largest"), [(8, 8), (8, 32), (4, 4096), (1 << 16, 1 << 22)])
@given(pieces=PIECES)
def test_joining_gives_every_value_appended_in_order(
    first: int, largest: int, pieces: list[list[int]]
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(segments, "FIRST_SEGMENT_BYTES", first)
        patch.setattr(segments, "SEGMENT_BYTES", largest)
        column = SegmentedColumn("i")
        expected: list[int] = []
        for piece in pieces:
            if len(piece) == 1:
                column.append(piece[0])
            else:
                column.extend(np.array(piece, dtype=np.int64))
            expected += piece
        assert len(column) == len(expected)
        joined = column.joined()
    assert joined.dtype == np.dtype("i")
    assert joined.tolist() == expected
    assert len(column) == 0
    assert column.joined().tolist() == []


def test_values_take_the_columns_type() -> None:
    column = SegmentedColumn("d")
    column.extend(np.array([1, 2], dtype=np.int32))
    column.append(0.5)
    assert column.typecode == "d"
    assert column.joined().tolist() == [1.0, 2.0, 0.5]


@pytest.mark.parametrize("values", [np.array([3, 1, 2], dtype=np.uint64), np.array([b"ab", b"c"])])
def test_an_array_in_its_own_memory_is_an_equal_copy(values: np.ndarray) -> None:
    copy = segments.in_own_memory(values)
    assert copy.dtype == values.dtype
    assert copy.tolist() == values.tolist()
    values[0] = values[1]
    assert copy.tolist() != values.tolist()
    assert segments.in_own_memory(values[:0]).tolist() == []


def test_with_no_memory_maps_left_the_heap_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    # As a process past Linux's vm.max_map_count (65,530 maps) is refused one.
    def refused(*_: object) -> object:
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(segments.mmap, "mmap", refused)
    values = np.array([b"ab", b"c"])
    copy = segments.in_own_memory(values)
    assert copy.dtype == values.dtype
    assert copy.tolist() == values.tolist()
    column = SegmentedColumn("q")
    column.extend(np.arange(100_000))
    assert column.joined().tolist() == list(range(100_000))


def test_maps_of_its_own_are_held_up_to_a_limit_then_the_heap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(segments, "MAX_OWN_MAPS", segments._held + 2)
    held = [segments.in_own_memory(np.arange(10)) for _ in range(5)]
    assert segments._held == segments.MAX_OWN_MAPS
    # The first two on maps of their own (not owning their data), the rest the heap's.
    assert [h.flags.owndata for h in held] == [False, False, True, True, True]
    assert all(h.tolist() == list(range(10)) for h in held)
    del held
    assert segments._held == segments.MAX_OWN_MAPS - 2  # counted off as they are freed
