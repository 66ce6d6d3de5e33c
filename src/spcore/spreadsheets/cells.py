"""One value in one cell: how each kind of field is written, and read back.

Writing is exact, so that a return converted to a spreadsheet and back is
the same document: integers stay integers, floats keep every digit, and the
few values a cell cannot show unambiguously are written as JSON text:

* an explicit ``null`` is the word ``null``; an empty object or list that is
  present is ``{}`` or ``[]`` on its heading row;
* text that is empty, is one of those words, starts with a double quote, or
  starts with ``=``, ``+``, ``-``, ``@`` (which spreadsheet programs would run
  as a formula: OWASP, "CSV Injection"), or holds a control character, is
  written as a JSON string in double quotes.

Reading is forgiving where the meaning is certain: ``"240"``, ``"1,234"``,
``"£27,485"`` in a number field are numbers, and an Excel date in a date field
is a date. Anything else is kept as it is, for the schema to report.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any, Final

from spcore import strict_json
from spcore.spreadsheets.layout import Field, Kind

#: A cell as the writers and readers see it.
Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None

NULL: Final = "null"
EMPTY_OBJECT: Final = "{}"
EMPTY_LIST: Final = "[]"
_RESERVED = frozenset({NULL, EMPTY_OBJECT, EMPTY_LIST})

#: First characters that make a spreadsheet program treat a cell as a formula
#: (OWASP, "CSV Injection": ``=``, ``+``, ``-``, ``@``, tab and carriage return).
_FORMULA_STARTS = frozenset('=+-@\t\r"')


class _Missing:
    """Marks a cell that gives nothing (empty, or only spaces in a number field)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()

#: Longest number text parsed (Python refuses int() of more than 4,300 digits
#: by default, and no count in a return has more than nine).
_MAX_NUMBER_TEXT = 100

_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")


#: Characters no cell can hold as they are: control characters other than tab
#: and newline (XML 1.0 forbids most; a carriage return does not survive XML
#: line-end handling), lone surrogates, and the non-characters U+FFFE, U+FFFF.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")


def write_text(value: str) -> str:
    """Text as written in a cell: unchanged unless it could be misread (then JSON-quoted)."""
    needs_quotes = (
        value == ""
        or value in _RESERVED
        or value[0] in _FORMULA_STARTS
        or _UNSAFE.search(value) is not None
    )
    if not needs_quotes:
        return value
    ascii_only = any(0xD800 <= ord(c) <= 0xDFFF or ord(c) in (0xFFFE, 0xFFFF) for c in value)
    return json.dumps(value, ensure_ascii=ascii_only)


def read_text(text: str) -> str:
    """Undo :func:`write_text`: a JSON-quoted string is unquoted, anything else kept."""
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        try:
            value = strict_json.loads(text)
        except ValueError:
            return text
        if isinstance(value, str):
            return value
    return text


def parse_number(text: str, *, currency: bool = False) -> int | float | None:
    """A number typed as text (``"240"``, ``"1,234.5"``, ``"£27,485"``), or None if unsure."""
    t = text.strip()
    if currency and t.startswith("£"):
        t = t[1:].strip()
    if len(t) > _MAX_NUMBER_TEXT:
        return None
    if _GROUPED_NUMBER.fullmatch(t):
        t = t.replace(",", "")
    if not _PLAIN_NUMBER.fullmatch(t):
        return None
    if _INTEGER.fullmatch(t):
        return int(t)
    number = float(t)
    return number if math.isfinite(number) else None


def write_value(value: Any, kind: Kind) -> Cell:
    """The cell for one value of a field of ``kind`` (quantities: call once per part)."""
    if value is None:
        return NULL
    if kind is Kind.JSON:
        return write_text(json.dumps(value, ensure_ascii=False))
    if kind is Kind.CODES and isinstance(value, list):
        return _write_codes(value)
    if isinstance(value, bool):
        return value if kind is Kind.BOOLEAN else json.dumps(value)
    if isinstance(value, int | float) and kind in (Kind.INTEGER, Kind.NUMBER, Kind.QUANTITY):
        return value
    if isinstance(value, str):
        return write_text(value)
    return write_text(json.dumps(value, ensure_ascii=False))


def _write_codes(value: list[Any]) -> str:
    if not value:
        return EMPTY_LIST
    if all(isinstance(v, str) for v in value):
        joined = ", ".join(value)
        if joined[:1] not in _FORMULA_STARTS and read_codes(joined) == value:
            return joined
    return json.dumps(value)  # ASCII JSON: safe in any cell, read back by read_codes


def cell_text(cell: Cell) -> str:
    """A cell as CSV text: numbers in their exact shortest form, dates in ISO 8601."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float):
        return repr(cell)
    if isinstance(cell, dt.date | dt.datetime | dt.time):
        return cell.isoformat()
    return str(cell)


def read_codes(text: str) -> Any:
    """A list of codes from ``"a, b, c"`` (or a JSON list); other text is kept as it is."""
    t = text.strip()
    if t.startswith("["):
        try:
            return strict_json.loads(t)
        except ValueError:
            return text
    return [part.strip() for part in t.split(",") if part.strip()]


def _iso(cell: dt.date | dt.datetime | dt.time | dt.timedelta) -> str:
    if isinstance(cell, dt.datetime) and cell.time() == dt.time(0):
        return cell.date().isoformat()
    if isinstance(cell, dt.timedelta):
        return str(cell)
    return cell.isoformat()


def _as_number(cell: Cell, kind: Kind, *, currency: bool) -> Any:
    if isinstance(cell, str):
        number = parse_number(cell, currency=currency)
        return read_text(cell) if number is None else number
    if kind is Kind.INTEGER and isinstance(cell, float) and cell.is_integer() and abs(cell) < 2**53:
        return int(cell)  # a spreadsheet stores every number as a float
    return cell


def read_value(cell: Cell, kind: Kind, *, currency: bool = False) -> Any:
    """The value a cell gives a field of ``kind``, or :data:`MISSING` when it gives nothing.

    Text that cannot be read as the kind asks is returned unchanged, so that
    the schema reports it rather than the value being lost.
    """
    if cell is None or cell == "":
        return MISSING
    if isinstance(cell, str):
        if cell.strip() == "" and kind is not Kind.TEXT:
            return MISSING
        if cell == NULL:  # only the exact marker: "null " is text, not null
            return None
    if isinstance(cell, dt.date | dt.datetime | dt.time | dt.timedelta):
        return _iso(cell)
    if kind in (Kind.INTEGER, Kind.NUMBER, Kind.QUANTITY):
        return _as_number(cell, kind, currency=currency)
    if kind is Kind.BOOLEAN and isinstance(cell, str):
        word = cell.strip().lower()
        if word in ("true", "yes"):
            return True
        if word in ("false", "no"):
            return False
        return read_text(cell)
    if isinstance(cell, bool | int | float):
        if kind in (Kind.TEXT, Kind.CODE, Kind.DATE) and not isinstance(cell, bool):
            return str(cell) if isinstance(cell, int) else repr(cell)
        return cell
    if kind is Kind.TEXT:
        return read_text(cell)
    if kind is Kind.CODES:
        return read_codes(cell)
    if kind is Kind.JSON:
        return _json_or_text(read_text(cell.strip()))
    return read_text(cell.strip())


def _json_or_text(text: str) -> Any:
    try:
        return strict_json.loads(text)
    except ValueError:
        return text


def field_currency(field: Field) -> bool:
    """True when a field's value may be typed with a pound sign (money in pounds)."""
    return "GBP" in field.units
