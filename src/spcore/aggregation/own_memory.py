"""Arrays in anonymous memory of their own, and a column that grows in it without copies.

Merging a million records' columns chunk by chunk onto growing arrays leaves
the heap full of holes (each array, reallocated as it grows, leaves its old
place free, and the allocator keeps that memory): at 1,000,000 records some
50 MiB. A :class:`GrowingColumn` instead appends into a memory map
(:mod:`mmap`) of its own, which nothing else shares and which goes back to
the system whole once its array is freed. Where the system can move a map's
pages to a larger place (Linux's ``mremap``), the column grows without
copying, and :meth:`~GrowingColumn.joined` gives its values as one array
without copying them either.
"""

from __future__ import annotations

import mmap
import weakref
from typing import Any, Final

import numpy as np

#: A column's first map; each next is twice the size, or as large as the values need.
FIRST_BYTES: Final = 1 << 16

Array = np.ndarray[Any, np.dtype[Any]]


#: Memory maps of its own a process holds at most, then the heap: a quarter of Linux's
#: default limit (``vm.max_map_count``, 65,530), so that the maps the allocator, threads
#: and libraries take are never refused for want of them.
MAX_OWN_MAPS: Final = 16_384

#: Memory maps of its own this process holds now (each counted off as it is freed).
_held = 0

#: A private anonymous map can be moved to a larger place with its pages (``mremap``);
#: a shared one, Python's default, cannot grow past its first size.
_PRIVATE: Final = getattr(mmap, "MAP_PRIVATE", 0) | getattr(mmap, "MAP_ANONYMOUS", 0)


def _released() -> None:
    global _held
    _held -= 1


def _own_map(nbytes: int) -> mmap.mmap | None:
    """``nbytes`` of anonymous memory of its own; None past the limit or when refused.

    A process may hold only so many memory maps, and past them every large
    allocation fails. So at most :data:`MAX_OWN_MAPS` are held here at once
    (the keys of some 4,000 chunks of 8 MiB: a 32 GB extract), and past that,
    or when a map is refused anyway, the caller takes memory from the heap
    like any array's: it may leave holes there once freed, but the reading
    goes on.
    """
    global _held
    if _held >= MAX_OWN_MAPS:
        return None
    try:
        buffer = mmap.mmap(-1, nbytes, flags=_PRIVATE) if _PRIVATE else mmap.mmap(-1, nbytes)
    except OSError:  # ENOMEM: no map left for this process
        return None
    _held += 1
    weakref.finalize(buffer, _released)  # once the last array on it is freed
    return buffer


def _own_memory(nbytes: int, dtype: np.dtype[Any]) -> Array:
    """``nbytes`` of memory of its own as an array, or of the heap (see :func:`_own_map`)."""
    buffer = _own_map(nbytes)
    if buffer is None:
        return np.empty(nbytes // dtype.itemsize, dtype=dtype)
    return np.frombuffer(buffer, dtype=dtype)


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


class GrowingColumn:
    """Values of one dtype appended in order, then given as one array by :meth:`joined`.

    They are held in one memory map of the column's own (heap memory, should
    the process have no maps left), which grows to twice its size when full:
    moved with its pages where the system can, else copied. A page is only
    taken when written.
    """

    __slots__ = ("_capacity", "_dtype", "_heap", "_length", "_map", "_movable")

    def __init__(self, dtype: str | np.dtype[Any]) -> None:
        self._dtype = np.dtype(dtype)
        self._map: mmap.mmap | None = None
        self._heap: Array | None = None
        self._movable = False  # whether the map may be moved to grow (see _PRIVATE)
        self._capacity = 0  # values the memory holds
        self._length = 0

    @property
    def typecode(self) -> str:
        """The values' type, as :mod:`array` and NumPy's ``char`` write it."""
        return str(self._dtype.char)

    def __len__(self) -> int:
        return self._length

    def _values(self) -> Array:
        """Every value the memory holds (as many as its capacity), sharing it."""
        if self._map is not None:
            return np.frombuffer(self._map, dtype=self._dtype, count=self._capacity)
        assert self._heap is not None
        return self._heap

    def _grow(self, needed: int) -> None:
        """Room for at least ``needed`` values, those held kept in place."""
        size = self._dtype.itemsize
        nbytes = max(FIRST_BYTES, 2 * self._capacity * size, needed * size)
        nbytes -= nbytes % size
        if self._map is not None and self._movable:
            try:
                self._map.resize(nbytes)  # no array shares the map between appends
            except (OSError, SystemError, ValueError, BufferError):  # cannot be moved: copied
                pass
            else:
                self._capacity = nbytes // size
                return
        old = self._values()[: self._length] if self._capacity else None
        # Only a private map is moved: a shared one, moved, would fault past its first size.
        self._movable = bool(_PRIVATE)
        self._map = _own_map(nbytes)
        self._heap = None if self._map is not None else np.empty(nbytes // size, self._dtype)
        self._capacity = nbytes // size
        if old is not None:
            self._values()[: len(old)] = old

    def extend(self, values: Array) -> None:
        """Append these values (converted to the column's dtype, as :mod:`array` would)."""
        values = np.asarray(values).astype(self._dtype, copy=False)
        end = self._length + len(values)
        if end > self._capacity:
            self._grow(end)
        if len(values):
            self._values()[self._length : end] = values
        self._length = end

    def append(self, value: Any) -> None:
        """Append one value."""
        self.extend(np.array([value], dtype=self._dtype))

    def joined(self) -> Array:
        """All the values in one array, sharing the column's memory; the column is empty after."""
        joined = self._values()[: self._length] if self._length else np.empty(0, dtype=self._dtype)
        self._map, self._heap, self._movable = None, None, False
        self._capacity = self._length = 0
        return joined
