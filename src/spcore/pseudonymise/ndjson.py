"""Reading an identifiable extract line by line: bounded lines, and NDJSON records.

Lines are read one at a time, never more than
:data:`spcore.cases.MAX_LINE_BYTES` of one held in memory; the rest of an
overlong line is read in small pieces and thrown away. A line that is not a
record at all is reported exactly as ``spcore cases`` reports it in a
pseudonymised extract — the same limit, the same strict JSON parser and the
same ``SPC-C`` codes (:data:`spcore.cases.CASE_CODES`) — at the JSON Pointer
``/lines/<n>``, lines numbered from 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

import attrs

from spcore.cases.codes import MAX_DEPTH, MAX_LINE_BYTES
from spcore.cases.extracts import parse_json
from spcore.findings import Finding, error, pointer
from spcore.validation.loading import parse_object

#: One record read from an extract: where it starts (line number), the record
#: (``None`` when it could not be read) and the findings that stop it.
Item = tuple[int, dict[str, Any] | None, list[Finding]]

_SKIP_CHUNK = 64 * 1024
_BOM = b"\xef\xbb\xbf"


def bounded_lines(source: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines without their line ends (and without a leading byte-order mark).

    ``None`` stands for a line longer than :data:`~spcore.cases.MAX_LINE_BYTES`.
    """
    number = 0
    while True:
        line = source.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while True:  # skip the rest of the line, a chunk at a time
                chunk = source.readline(_SKIP_CHUNK)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield number, None
            continue
        if number == 1 and line.startswith(_BOM):
            line = line[len(_BOM) :]
        yield number, line.rstrip(b"\r\n")


def too_long(number: int) -> Finding:
    """``SPC-C004`` for line ``number``."""
    return error(
        "SPC-C004",
        pointer("lines", number),
        f"Line {number} is longer than {MAX_LINE_BYTES:,} bytes, far longer than any case "
        "record; it is left out.",
    )


def not_utf8(number: int, exc: UnicodeDecodeError) -> Finding:
    """``SPC-C002`` for line ``number``."""
    return error(
        "SPC-C002",
        pointer("lines", number),
        f"Line {number} is not UTF-8 text (byte {exc.start + 1} cannot be read); save the "
        "extract as UTF-8. It is left out.",
    )


def _record(number: int, line: bytes | None) -> Item:
    """The JSON object on one line, or the finding that stops it."""
    where = pointer("lines", number)
    if line is None:
        return number, None, [too_long(number)]
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return number, None, [not_utf8(number, exc)]
    data, problem = parse_json(text)
    if problem is not None:
        return (
            number,
            None,
            [attrs.evolve(problem, path=where, message=f"Line {number}: {problem.message}")],
        )
    if not isinstance(data, dict):
        message = f"Line {number} must hold one case record (a JSON object); it is left out."
        return number, None, [error("SPC-C006", where, message)]
    if not parse_object(data).ok:
        message = (
            f"Line {number} nests lists or objects more than {MAX_DEPTH} levels deep; no case "
            "record does. It is left out."
        )
        return number, None, [error("SPC-C007", where, message)]
    return number, data, []


def ndjson_items(source: BinaryIO) -> Iterator[Item]:
    """Every record of an NDJSON extract, blank lines skipped."""
    for number, line in bounded_lines(source):
        if line is not None and not line.strip():
            continue
        yield _record(number, line)
