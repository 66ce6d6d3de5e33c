"""Growing columns: however they grow, joining gives the values appended, in order."""

from __future__ import annotations

import mmap

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spcore.aggregation import own_memory
from spcore.aggregation.own_memory import GrowingColumn

PIECES = st.lists(st.lists(st.integers(-(2**31), 2**31 - 1), max_size=40), max_size=12)


@pytest.mark.parametrize("first", [4, 8, 32, 1 << 16])
@pytest.mark.parametrize("moved", [True, False], ids=["maps-moved", "maps-copied"])
@given(pieces=PIECES)
def test_joining_gives_every_value_appended_in_order(
    first: int, moved: bool, pieces: list[list[int]]
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(own_memory, "FIRST_BYTES", first)
        if not moved:  # as where the system cannot move a map (no mremap): each is copied
            patch.setattr(own_memory, "_PRIVATE", 0)
        column = GrowingColumn("i")
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
    column = GrowingColumn("d")
    column.extend(np.array([1, 2], dtype=np.int32))
    column.append(0.5)
    assert column.typecode == "d"
    assert column.joined().tolist() == [1.0, 2.0, 0.5]


@pytest.mark.parametrize("values", [np.array([3, 1, 2], dtype=np.uint64), np.array([b"ab", b"c"])])
def test_an_array_in_its_own_memory_is_an_equal_copy(values: np.ndarray) -> None:
    copy = own_memory.in_own_memory(values)
    assert copy.dtype == values.dtype
    assert copy.tolist() == values.tolist()
    values[0] = values[1]
    assert copy.tolist() != values.tolist()
    assert own_memory.in_own_memory(values[:0]).tolist() == []


def test_with_no_memory_maps_left_the_heap_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    # As a process past Linux's vm.max_map_count (65,530 maps) is refused one.
    def refused(*_: object, **__: object) -> object:
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(own_memory.mmap, "mmap", refused)
    values = np.array([b"ab", b"c"])
    copy = own_memory.in_own_memory(values)
    assert copy.dtype == values.dtype
    assert copy.tolist() == values.tolist()
    column = GrowingColumn("q")
    column.extend(np.arange(100_000))
    assert column.joined().tolist() == list(range(100_000))


def test_maps_of_its_own_are_held_up_to_a_limit_then_the_heap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(own_memory, "MAX_OWN_MAPS", own_memory._held + 2)
    held = [own_memory.in_own_memory(np.arange(10)) for _ in range(5)]
    assert own_memory._held == own_memory.MAX_OWN_MAPS
    # The first two on maps of their own (not owning their data), the rest the heap's.
    assert [h.flags.owndata for h in held] == [False, False, True, True, True]
    assert all(h.tolist() == list(range(10)) for h in held)
    del held
    assert own_memory._held == own_memory.MAX_OWN_MAPS - 2  # counted off as they are freed


def test_a_column_grows_in_one_map_and_is_joined_without_a_copy() -> None:
    column = GrowingColumn("q")
    for start in range(0, 100_000, 1_000):
        column.extend(np.arange(start, start + 1_000))
    held = own_memory._held
    joined = column.joined()
    assert joined.tolist() == list(range(100_000))
    assert not joined.flags.owndata  # the map's memory, not a copy
    assert own_memory._held == held  # the one map the column grew in, still held
    del joined
    assert own_memory._held == held - 1  # given back once its array is freed


def test_a_map_that_cannot_be_moved_is_copied(monkeypatch: pytest.MonkeyPatch) -> None:
    # As on systems without mremap, where Python's mmap cannot resize a map.
    class Fixed(mmap.mmap):
        def resize(self, newsize: int) -> None:
            raise SystemError("mmap: resizing not available--no mremap()")

    monkeypatch.setattr(own_memory.mmap, "mmap", Fixed)
    monkeypatch.setattr(own_memory, "FIRST_BYTES", 16)
    column = GrowingColumn("i")
    for start in range(0, 1_000, 7):
        column.extend(np.arange(start, min(start + 7, 1_000)))
    assert column.joined().tolist() == list(range(1_000))
