"""Types of the compiled module built from ``_screens.c`` (see :mod:`spcore.compiled`)."""

from collections.abc import Callable, Iterable, Mapping
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
    def no_personal_data(self, data: Mapping[str, Any], /) -> bool:
        """True only when the record's free text can hold no personal data."""

class Parser:
    """``parser(line)``: the record on a line of JSON, exactly as Python's ``json`` reads it,
    or None when the line is left to the Python reading (see ``_parse.h``). Names and short
    text are shared: the strings of ``vocabulary`` where they match, else recent ones."""

    def __init__(
        self,
        vocabulary: Iterable[str],
        contacts: tuple[Iterable[str], Iterable[str], int, int] | None = None,
    ) -> None: ...
    def __call__(self, line: bytes | bytearray | memoryview, /) -> dict[str, Any] | None: ...
    def with_contacts(
        self, line: bytes | bytearray | memoryview, /
    ) -> tuple[dict[str, Any] | None, list[tuple[int, str, str | None, float | None]] | None]:
        """The line read with the contacts lane (``contacts``: the types, units, most contacts
        and largest duration value it packs): the record (its contacts an empty list when the
        lane read them) and the contacts read, each (day ordinal, type, unit, value), or None
        when the lane did not read them."""

def read_run(
    content: bytes,
    offset: int,
    index: int,
    first_line: int,
    parser: Parser,
    is_valid: Callable[[Any], bool],
    screen: Callable[[Mapping[str, Any]], bool],
    accept: Callable[[dict[str, Any], int], object] | None,
    longest: int,
    refused: tuple[type[BaseException], ...],
    later: list[tuple[int, int, int, dict[str, Any] | None, bool]] | None = None,
    lane: bool = False,
    /,
) -> tuple[int, int, dict[str, Any] | None, bool]:
    """The index and offset of the first line of ``content`` from ``offset`` (line ``index`` of
    the chunk, numbered from ``first_line``) not quickly accepted (see ``chunks.Reading``), or
    the end; that line's record when it was read as the quick reading reads it and then refused
    by the validator (False) or not cleared by the screen (True), else None (and False). Each
    line is parsed by ``parser`` where it lies in ``content``, not copied.

    Given a list ``later``, the run does not stop at a line it does not accept: it appends
    (index, start, end without the newline, the record as read or None, whether the validator
    accepted it) and goes on to the end, where it stops.

    Given ``lane`` true, the parser's contacts lane reads each record's contacts, and a record
    it read is handed to ``accept`` with them packed as a third argument (the bytes the
    compiled fill takes); a record not accepted is read again without the lane."""

def newlines(data: bytes | bytearray | memoryview, /) -> int:
    """The newlines in ``data``."""
