"""Types of the compiled module built from ``_screens.c`` (see :mod:`spcore.compiled`)."""

from collections.abc import Callable, Mapping
from typing import Any

class Screen:
    """``screen(data)``: True only when the record has no finding beyond the schema."""

    def __init__(
        self,
        *,
        unforeseen: tuple[type[BaseException], ...],
        categorical: dict[tuple[str, str], frozenset[int]],
        retired: tuple[tuple[tuple[str, ...], bool, frozenset[str]], ...],
        retired_other: Callable[[Mapping[str, Any]], bool] | None,
        days: dict[str, Any],
        day: Callable[[str], Any],
        dues: dict[str, Any],
        due: Callable[[str], Any],
        windows: dict[tuple[Any, ...], bool],
        window: Callable[[tuple[Any, ...]], bool],
        cleans: dict[str, bool],
        clean: Callable[[str], bool],
        tree: tuple[bool, tuple[Any, ...]],
    ) -> None: ...
    def __call__(self, data: Mapping[str, Any], /) -> bool: ...

def read_run(
    content: bytes,
    offset: int,
    index: int,
    first_line: int,
    loads: Callable[[memoryview], Any],
    is_valid: Callable[[Any], bool],
    screen: Callable[[Mapping[str, Any]], bool],
    accept: Callable[[dict[str, Any], int], object] | None,
    longest: int,
    refused: tuple[type[BaseException], ...],
    /,
) -> tuple[int, int, dict[str, Any] | None, bool]:
    """The index and offset of the first line of ``content`` from ``offset`` (line ``index`` of
    the chunk, numbered from ``first_line``) not quickly accepted (see ``chunks.Reading``), or
    the end; that line's record when it was read as the quick reading reads it and then refused
    by the validator (False) or not cleared by the screen (True), else None (and False). Each
    line is given to ``loads`` as a view of ``content``, not a copy."""

def scan_line(text: bytes | bytearray | memoryview, vector: bool, /) -> tuple[bool, bool, int]:
    """What ``read_run`` finds in one pass over a line: whether it holds a backslash, whether
    it holds ``0000-``, and the colons outside its strings (the names it writes, when it is
    JSON without a backslash). ``vector=False`` reads a byte at a time, as builds without
    vector instructions do."""

def members(value: object, /) -> int:
    """The members of the objects in a value as ``orjson.loads`` gives it.

    -1 for a type ``orjson.loads`` does not give, or nesting ``orjson.dumps`` would refuse.
    """
