"""Identifiers kept compactly: as bytes in NumPy arrays, numbered in the order first seen.

An extract of a million records has a million case identifiers and about as
many people; as Python strings in a dict they take hundreds of megabytes, as
bytes in arrays a tenth of that. :func:`keys_of` writes identifiers as keys,
:class:`Keys` numbers the keys of many chunks as one numbering would, and
:class:`Identifiers` reads them back as strings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Final, overload

import numpy as np

#: Indexes and numbers of keys: 32-bit integers while there are fewer than 2**31 keys.
IndexArray = np.ndarray[Any, np.dtype[np.signedinteger[Any]]]

BytesArray = np.ndarray[Any, np.dtype[np.bytes_]]
HashArray = np.ndarray[Any, np.dtype[np.uint64]]

#: The end of every key: NumPy's bytes drop trailing NULs, and no key ends in one.
_END: Final = b"\x01"
_FNV_OFFSET: Final = np.uint64(0xCBF29CE484222325)
_FNV_PRIME: Final = np.uint64(0x100000001B3)


def keys_of(
    values: list[str], encode: Callable[[str], bytes] = str.encode
) -> tuple[BytesArray, HashArray]:
    """Identifiers as fixed-width bytes (a tenth of the memory of ``str`` in a dict), hashed.

    ``encode`` writes each as bytes; it must give different values different bytes.
    """
    keys: BytesArray = np.array([encode(v) + _END for v in values] or [_END], dtype=np.bytes_)
    keys = keys[: len(values)]
    return keys, hashes_of(keys)


#: The first byte of a key halved by :func:`half_hex` after its first character, of one
#: halved whole, and of one escaped by it.
_HALVED: Final = b"\x02"
_WHOLE: Final = b"\x04"
_ESCAPED: Final = b"\x03"


def half_hex(value: str) -> bytes:
    """``value`` as bytes, lowercase hexadecimal in it at half the width.

    For keys of pseudonyms: an HMAC in hexadecimal, bare (as spcore's
    pseudonyms are) or after one letter such as ``p``: 64 or 65 bytes become
    33 or 34. Different values always give different bytes: the digits are
    halved only when written exactly as ``bytes.hex`` writes them (an even
    number of lowercase digits), so the halving can be undone. A value of
    even length is halved whole (the key starts with ``\x04``), one of odd
    length after its first character (``\x02``, then that character); the
    rare value that starts with ``\x02``, ``\x03`` or ``\x04`` itself (no
    identifier does) is written after a ``\x03``.
    """
    text = value.encode()
    if text[:1] in (_HALVED, _ESCAPED, _WHOLE):
        return _ESCAPED + text
    # bytes.hex writes an even number of digits, so only one of the two can apply
    # (and an odd number is never tried: raising is the slow part of a failed try).
    digits, first = (value, b"") if len(value) % 2 == 0 else (value[1:], value[:1].encode())
    if digits:
        try:
            raw = bytes.fromhex(digits)
        except ValueError:
            return text
        if raw.hex() == digits:
            return (_HALVED + first if first else _WHOLE) + raw
    return text


def hashes_of(keys: BytesArray) -> HashArray:
    """A 64-bit hash of each key, whatever the width of its array (equal keys, equal hashes).

    Only used to find equal keys fast: keys with one hash are compared before
    being taken as equal.
    """
    width = -(-keys.itemsize // 8) * 8
    words = keys.astype(f"S{width}").view(np.uint64).reshape(len(keys), width // 8)
    hashes = np.full(len(keys), _FNV_OFFSET, dtype=np.uint64)
    for word in words.T:
        # A word of padding leaves the hash as it is, so the width does not change it.
        hashes = np.where(word == 0, hashes, (hashes ^ word) * _FNV_PRIME)
    return hashes


class Keys:
    """The keys of merged chunks in the order read, numbered once all are in.

    Each chunk's keys are its own distinct values in the order first seen
    there, so all of them in order are every value in the order first seen in
    the file, and numbering them so gives the numbers one reading would.
    """

    __slots__ = ("chunks", "count", "hashes")

    def __init__(self) -> None:
        self.chunks: list[BytesArray] = []
        self.hashes: list[HashArray] = []
        self.count = 0

    def add(self, keys: BytesArray, hashes: HashArray) -> int:
        """Take a chunk's keys; the index the first of them has among all keys."""
        base = self.count
        self.chunks.append(keys)
        self.hashes.append(hashes)
        self.count += len(keys)
        return base

    def take(self, index: IndexArray) -> BytesArray:
        """The keys at these indexes among all keys."""
        starts = np.cumsum([0, *(len(k) for k in self.chunks)])
        out: BytesArray = np.empty(
            len(index), dtype=max((k.dtype for k in self.chunks), default="S1")
        )
        if len(index) < 2 or bool(np.all(index[1:] >= index[:-1])):
            # In order (as the first places of distinct keys are): a run of them in each chunk.
            # The places are searched for as the index's own integers, not a widened copy of it.
            fits = self.count <= np.iinfo(index.dtype).max
            bounds = np.searchsorted(index, starts.astype(index.dtype) if fits else starts)
            for k, chunk in enumerate(self.chunks):
                if bounds[k + 1] > bounds[k]:
                    taken = index[bounds[k] : bounds[k + 1]]
                    out[bounds[k] : bounds[k + 1]] = chunk[taken - starts[k]]
            return out
        which = np.searchsorted(starts, index, side="right") - 1
        by_chunk = np.argsort(which, kind="stable")
        bounds = np.searchsorted(which[by_chunk], np.arange(len(self.chunks) + 1))
        for k, chunk in enumerate(self.chunks):
            taken = by_chunk[bounds[k] : bounds[k + 1]]
            if len(taken):
                out[taken] = chunk[index[taken] - starts[k]]
        return out

    def numbers(self) -> tuple[IndexArray, IndexArray]:
        """Each key's number among the distinct keys in the order first seen, and where each is.

        Both as 32-bit integers while the keys are fewer than 2**31: numbering a
        million keys then holds half the temporary memory.
        """
        index_type = np.int32 if self.count <= np.iinfo(np.int32).max else np.int64
        hashes = np.concatenate(self.hashes) if self.chunks else np.zeros(0, np.uint64)
        self.hashes = []
        # Sorted stably by hash, equal keys lie together, the first seen first. (Written out
        # rather than np.unique, which holds twice the temporary arrays of a million keys.)
        perm: IndexArray = np.argsort(hashes, kind="stable").astype(index_type, copy=False)
        ordered = hashes[perm]
        del hashes
        starts = np.ones(len(ordered), dtype=bool)
        np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
        del ordered
        group: IndexArray = np.cumsum(starts, dtype=index_type)
        group -= 1
        first: IndexArray = perm[starts]
        later = ~starts
        del starts
        if later.any() and not np.array_equal(
            self.take(perm[later]), self.take(first[group[later]])
        ):
            # Two different keys with one hash: number the keys themselves (slower).
            _, first, inverse = np.unique(
                self.take(np.arange(self.count)), return_index=True, return_inverse=True
            )
            perm, group = np.arange(self.count), inverse.reshape(-1)
        del later
        order = np.argsort(first).astype(index_type, copy=False)
        firsts = first[order]
        del first
        rank: IndexArray = np.empty(len(order), dtype=index_type)
        rank[order] = np.arange(len(order), dtype=index_type)
        del order
        group = rank[group]
        del rank
        number: IndexArray = np.empty(len(perm), dtype=index_type)
        number[perm] = group
        return number, firsts


class Identifiers(Sequence[str]):
    """Identifiers (such as ``CaseColumns.case_ids``), held as keys and read as ``str``."""

    __slots__ = ("_keys",)

    def __init__(self, keys: BytesArray) -> None:
        self._keys = keys

    @classmethod
    def of(cls, values: Iterable[str]) -> Identifiers:
        """Identifiers holding these strings, in order."""
        return cls(keys_of(list(values))[0])

    def __len__(self) -> int:
        return len(self._keys)

    @property
    def nbytes(self) -> int:
        """Bytes held by the identifiers."""
        return int(self._keys.nbytes)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Identifiers: ...

    def __getitem__(self, index: int | slice) -> str | Identifiers:
        if isinstance(index, slice):
            return Identifiers(self._keys[index])
        key: bytes = self._keys[index]
        return key[: -len(_END)].decode()

    def __iter__(self) -> Iterator[str]:
        for start in range(0, len(self._keys), _BLOCK):
            for key in self._keys[start : start + _BLOCK].tolist():
                yield key[: -len(_END)].decode()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Identifiers):
            return bool(np.array_equal(self._keys, other._keys))
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(repr(v) for v in self[:3])
        return f"Identifiers([{shown}{', ...' if len(self) > 3 else ''}]) ({len(self)})"


#: Keys read back at a time (a list of all a million would undo the saving).
_BLOCK: Final = 65536
