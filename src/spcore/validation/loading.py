"""Reading a document safely: every way a file can be unusable becomes a finding.

Nothing here raises for bad input. Unreadable files, oversized files,
non-UTF-8 bytes, malformed JSON, ``NaN``, duplicate keys (which JSON parsers
silently collapse, losing data), absurd nesting and a top level that is not an
object all come back as ``SPC-F`` findings.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import attrs

from spcore.findings import Finding, error
from spcore.wording import json_problem

#: Largest document read, in bytes. A quarterly return is a few kilobytes; a
#: limit keeps a mistaken or hostile file from exhausting memory.
MAX_BYTES = 20 * 1024 * 1024

#: Deepest nesting accepted. The schemas nest five levels at most.
MAX_DEPTH = 64

FILE_CODES: dict[str, str] = {
    "SPC-F001": "The file cannot be read (missing, a folder, or not permitted).",
    "SPC-F002": "The file is larger than spcore reads.",
    "SPC-F003": "The file is not valid JSON.",
    "SPC-F004": "The document nests objects or lists more deeply than any spcore document.",
    "SPC-F005": "The top level of the document is not a JSON object.",
    "SPC-F006": "The file is not UTF-8 text.",
    "SPC-F007": "An object names the same field twice, so one of the values would be lost.",
}


@attrs.frozen
class Loaded:
    """The outcome of reading a document: the data, or the findings that stop it."""

    data: dict[str, Any] | None
    findings: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the document was read and is a JSON object."""
        return self.data is not None


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise _DuplicateKeyError(key)
        obj[key] = value
    return obj


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:20]} is too large")
    return value


def _depth_ok(value: Any, limit: int) -> bool:
    """True when ``value`` nests no deeper than ``limit`` (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return False
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return True


def parse_json_text(text: str) -> Loaded:
    """Parse JSON text into a document, reporting every problem as a finding."""
    try:
        data = json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_constant=_reject_constant,
            parse_float=_finite_float,
        )
    except _DuplicateKeyError as exc:
        return Loaded(
            None,
            (
                error(
                    "SPC-F007",
                    "",
                    f"The field '{exc.key[:60]}' appears twice in one object; keep one value.",
                ),
            ),
        )
    except json.JSONDecodeError as exc:
        return Loaded(
            None,
            (
                error(
                    "SPC-F003",
                    "",
                    f"The file is not valid JSON: {json_problem(exc.msg)} at line {exc.lineno}, "
                    f"column {exc.colno}.",
                ),
            ),
        )
    except RecursionError:
        return Loaded(None, (_too_deep(),))
    except ValueError as exc:  # NaN, Infinity, overlong integers
        return Loaded(None, (error("SPC-F003", "", f"The file is not valid JSON: {exc}."),))
    return parse_object(data)


def parse_object(data: Any) -> Loaded:
    """Accept an already-parsed document, checking its top level and nesting."""
    if not isinstance(data, dict):
        kind = _json_kind(data)
        return Loaded(
            None,
            (
                error(
                    "SPC-F005",
                    "",
                    f"The document must be a JSON object ({{...}}) but is {kind}.",
                ),
            ),
        )
    if not _depth_ok(data, MAX_DEPTH):
        return Loaded(None, (_too_deep(),))
    return Loaded(data)


def read_json_file(path: str | Path, max_bytes: int = MAX_BYTES) -> Loaded:
    """Read and parse a JSON file, with size and encoding checks."""
    p = Path(path)
    try:
        if p.is_dir():
            return Loaded(None, (error("SPC-F001", "", f"'{p}' is a folder, not a file."),))
        size = p.stat().st_size
        if size > max_bytes:
            return Loaded(
                None,
                (
                    error(
                        "SPC-F002",
                        "",
                        f"The file is {size:,} bytes; spcore reads files up to {max_bytes:,} "
                        "bytes.",
                    ),
                ),
            )
        with p.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return Loaded(None, (error("SPC-F001", "", f"'{p}' cannot be read: {reason}."),))
    if len(raw) > max_bytes:
        return Loaded(
            None,
            (error("SPC-F002", "", f"The file is larger than {max_bytes:,} bytes."),),
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Loaded(
            None,
            (
                error(
                    "SPC-F006",
                    "",
                    f"The file is not UTF-8 text (byte {exc.start} cannot be read); save it "
                    "as UTF-8.",
                ),
            ),
        )
    return parse_json_text(text)


def _too_deep() -> Finding:
    return error(
        "SPC-F004",
        "",
        f"The document nests lists or objects more than {MAX_DEPTH} levels deep; no spcore "
        "document does.",
    )


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if value is None:
        return "null"
    return f"a {type(value).__name__}"
