"""Reading a document safely: every way a file can be unusable becomes a finding.

Nothing here raises for bad input. Unreadable files, oversized files,
non-UTF-8 bytes, malformed JSON, ``NaN``, duplicate keys (which JSON parsers
silently collapse, losing data), absurd nesting and a top level that is not an
object all come back as ``SPC-F`` findings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from spcore import limits, strict_json
from spcore.findings import Finding, error

#: Largest document read, in bytes (see :mod:`spcore.limits`).
MAX_BYTES = limits.RETURN_FILE_BYTES

#: Deepest nesting accepted (see :mod:`spcore.limits`).
MAX_DEPTH = limits.MAX_DEPTH

FILE_CODES: dict[str, str] = {
    "SPC-F001": "The file cannot be read (missing, a folder, or not permitted).",
    "SPC-F002": "The file is larger than spcore reads.",
    "SPC-F003": "The file is not valid JSON.",
    "SPC-F004": "The document nests objects or lists more deeply than any spcore document.",
    "SPC-F005": "The top level of the document is not a JSON object.",
    "SPC-F006": "The file is not UTF-8 text.",
    "SPC-F007": "An object names the same field twice, so one of the values would be lost.",
    "SPC-F008": "The file holds text that is not characters (a lone surrogate escape such as "
    "\\ud800), which nothing can write out.",
}


class Loaded(NamedTuple):
    """The outcome of reading a document: the data, or the findings that stop it."""

    data: dict[str, Any] | None
    findings: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the document was read and is a JSON object."""
        return self.data is not None


def parse_json_text(text: str) -> Loaded:
    """Parse JSON text into a document, reporting every problem as a finding.

    The text is parsed by :func:`spcore.strict_json.loads`, the one JSON
    parser every spcore reader shares.
    """
    try:
        data = strict_json.loads(text, max_depth=MAX_DEPTH)
    except strict_json.StrictJsonError as exc:
        return Loaded(None, (json_finding(exc),))
    return parse_object(data, depth_checked=True)


def json_finding(exc: strict_json.StrictJsonError) -> Finding:
    """The ``SPC-F`` finding for a JSON text the strict parser refused."""
    kind = strict_json.JsonProblem
    if exc.kind is kind.DUPLICATE_KEY:
        return error("SPC-F007", "", f"{exc.sentence()[:1].upper()}{exc.sentence()[1:]}.")
    if exc.kind is kind.TOO_DEEP:
        return too_deep()
    if exc.kind is kind.UNENCODABLE_TEXT:
        return error("SPC-F008", "", f"The file is not usable text: {exc.sentence()}.")
    return error("SPC-F003", "", f"The file is not valid JSON: {exc.sentence()}.")


def parse_object(data: Any, *, depth_checked: bool = False) -> Loaded:
    """Accept an already-parsed document, checking its top level and nesting.

    ``depth_checked`` skips the nesting walk when the strict parser already did it.
    """
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
    if not depth_checked and strict_json.depth_exceeds(data, MAX_DEPTH):
        return Loaded(None, (too_deep(),))
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


def too_deep() -> Finding:
    """The ``SPC-F004`` finding: a document nested deeper than any spcore document."""
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
