"""A column that grows by whole segments of memory mapped on their own, then is joined once.

Merging a million records' columns chunk by chunk onto growing arrays leaves
the heap full of holes (each array, reallocated as it grows, leaves its old
place free, and the allocator keeps that memory): at 1,000,000 records some
50 MiB. A :class:`SegmentedColumn` instead appends into segments of fresh
anonymous memory (:mod:`mmap`), which nothing else shares and which go back
to the system whole once joined into one array by :meth:`~SegmentedColumn.joined`.
"""

from __future__ import annotations

import mmap
import weakref
from typing import Any, Final

import numpy as np

#: The first segment's size; each next one is twice the last, up to SEGMENT_BYTES.
FIRST_SEGMENT_BYTES: Final = 1 << 16
#: The largest segment: what joining a column holds at most beside the joined array.
SEGMENT_BYTES: Final = 1 << 22

Array = np.ndarray[Any, np.dtype[Any]]


#: Memory maps of its own a process holds at most, then the heap: a quarter of Linux's
#: default limit (``vm.max_map_count``, 65,530), so that the maps the allocator, threads
#: and libraries take are never refused for want of them.
MAX_OWN_MAPS: Final = 16_384

#: Memory maps of its own this process holds now (each counted off as it is freed).
_held = 0


def _released() -> None:
    global _held
    _held -= 1


def _own_memory(nbytes: int, dtype: np.dtype[Any]) -> Array:
    """``nbytes`` of anonymous memory of its own as an array, or of the heap past the limit.

    A process may hold only so many memory maps, and past them every large
    allocation fails. So at most :data:`MAX_OWN_MAPS` are held here at once
    (the keys of some 4,000 chunks of 8 MiB: a 32 GB extract), and past that, or when a map is
    refused anyway, the memory comes from the heap like any array's: it may
    leave holes there once freed, but the reading goes on.
    """
    global _held
    if _held < MAX_OWN_MAPS:
        try:
            buffer = mmap.mmap(-1, nbytes)
        except OSError:  # ENOMEM: no map left for this process
            pass
        else:
            _held += 1
            weakref.finalize(buffer, _released)  # once the last array on it is freed
            return np.frombuffer(buffer, dtype=dtype)
    return np.empty(nbytes // dtype.itemsize, dtype=dtype)


def in_own_memory(values: Array) -> Array:
    """A copy of ``values`` in anonymous memory of its own, returned to the system once freed.

    For arrays kept a while then freed among others (the keys of each chunk of an
    extract until they are numbered): in the heap, they would leave holes.
    """
    if not values.nbytes:
        return values
    copy = _own_memory(values.nbytes, values.dtype)
    copy[:] = values
    return copy


class SegmentedColumn:
    """Values of one dtype appended in order, held in segments until :meth:`joined`.

    Segments are anonymous memory maps: a page is only taken when written,
    and each segment is returned to the system as soon as it is joined
    (heap memory, should the process have no maps left).
    """

    __slots__ = ("_dtype", "_filled", "_length", "_segments")

    def __init__(self, dtype: str | np.dtype[Any]) -> None:
        self._dtype = np.dtype(dtype)
        self._segments: list[Array] = []
        self._filled = 0  # values in the last segment
        self._length = 0

    @property
    def typecode(self) -> str:
        """The values' type, as :mod:`array` and NumPy's ``char`` write it."""
        return str(self._dtype.char)

    def __len__(self) -> int:
        return self._length

    def _segment(self) -> Array:
        last = self._segments[-1].nbytes if self._segments else FIRST_SEGMENT_BYTES // 2
        size = min(2 * last, SEGMENT_BYTES)
        size = max(size - size % self._dtype.itemsize, self._dtype.itemsize)
        segment = _own_memory(size, self._dtype)
        self._segments.append(segment)
        self._filled = 0
        return segment

    def extend(self, values: Array) -> None:
        """Append these values (converted to the column's dtype, as :mod:`array` would)."""
        values = np.asarray(values).astype(self._dtype, copy=False)
        done = 0
        while done < len(values):
            segment = self._segments[-1] if self._segments else self._segment()
            if self._filled == len(segment):
                segment = self._segment()
            taken = min(len(segment) - self._filled, len(values) - done)
            segment[self._filled : self._filled + taken] = values[done : done + taken]
            self._filled += taken
            done += taken
        self._length += len(values)

    def append(self, value: Any) -> None:
        """Append one value."""
        self.extend(np.array([value], dtype=self._dtype))

    def joined(self) -> Array:
        """All the values in one array; the column is empty afterwards.

        Each segment is released once copied, so joining holds at most one
        segment beside the joined array.
        """
        out: Array = np.empty(self._length, dtype=self._dtype)
        start = 0
        segments, self._segments = self._segments, []
        segments.reverse()
        while segments:
            segment = segments.pop()
            taken = min(len(segment), self._length - start)
            out[start : start + taken] = segment[:taken]
            start += taken
            del segment  # the last reference: its memory goes back to the system
        self._filled = self._length = 0
        return out
