"""Types of the compiled module built from ``_fill.c`` (see :mod:`spcore.compiled`)."""

from collections.abc import Mapping
from typing import Any, Final

class Column:
    """Values of one type (``b``, ``i``, ``q`` or ``d``) appended in order; a buffer."""

    def __init__(self, typecode: str) -> None: ...
    @property
    def typecode(self) -> str: ...
    def append(self, value: Any, /) -> None: ...
    def __len__(self) -> int: ...
    def __buffer__(self, flags: int, /) -> memoryview: ...

class Adder:
    """``add_record(data, line)``: a checked record's JSON data appended to the columns."""

    def __init__(self, columns: Mapping[str, Any], tables: Mapping[str, Any]) -> None: ...
    def __call__(self, data: Mapping[str, Any], line: int, /) -> None: ...

#: The columns an Adder appends to, and the tables it reads, by name.
COLUMNS: Final[tuple[str, ...]]
TABLES: Final[tuple[str, ...]]

def day_ordinal(text: object, /) -> int | None:
    """The day ordinal of ``YYYY-MM-DD`` text as a date member is filled with it, worked out in
    place; None for other text, which the days table works out (or refuses)."""

def keys(values: list[str], halve: bool, /) -> tuple[bytes, int, bytes]:
    """``spcore.aggregation.keys.keys_of(values, half_hex if halve else str.encode)`` as the
    bytes of its two arrays: the keys (``width`` bytes each) and their 64-bit hashes."""
