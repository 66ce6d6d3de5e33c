"""Reading JSON written by people or other systems, strictly: the one JSON parser spcore uses.

Returns, case-extract lines and cells, rule files, facts files and anything
else spcore reads as JSON go through :func:`loads`, so every reader refuses
the same things:

* a key given twice in one object (the standard library keeps the last value
  silently, losing data);
* ``NaN``, ``Infinity`` and ``-Infinity``, and numbers too large for a float,
  none of which is JSON;
* integers of more than :data:`spcore.limits.MAX_INTEGER_DIGITS` digits
  (converting thousands of digits costs time quadratic in their number);
* text that cannot be written back out: a lone UTF-16 surrogate (only
  writable as a ``\\uD800``-style escape) would make every report writer
  fail later, so it is refused where it is read;
* nesting deeper than a limit, checked without recursion.

A problem is raised as :class:`StrictJsonError` with its kind, line and
column; each caller turns it into a finding with its own code, as for
:mod:`spcore.strict_yaml`.
"""

from __future__ import annotations

import enum
import json
import math
import re
from typing import Any

from spcore import limits
from spcore.wording import json_problem


class JsonProblem(enum.Enum):
    """Why a JSON text was refused."""

    SYNTAX = "syntax"
    DUPLICATE_KEY = "duplicate-key"
    NOT_A_NUMBER = "not-a-number"
    NUMBER_TOO_LARGE = "number-too-large"
    TOO_DEEP = "too-deep"
    UNENCODABLE_TEXT = "unencodable-text"


class StrictJsonError(ValueError):
    """A JSON text spcore will not read.

    Attributes:
        kind: which rule refused it.
        line: the 1-based line it concerns, when known.
        column: the 1-based column, when known.
        detail: the parser's words, or the key concerned (already shortened).
    """

    def __init__(
        self,
        kind: JsonProblem,
        detail: str = "",
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.kind = kind
        self.detail = detail
        self.line = line
        self.column = column
        super().__init__(self.sentence())

    def sentence(self) -> str:
        """The problem in plain words, with its line when known (no final full stop)."""
        if self.line:
            where = f" at line {self.line}" + (f", column {self.column}" if self.column else "")
        else:
            where = f" at column {self.column}" if self.column else ""
        text = {
            JsonProblem.SYNTAX: f"{self.detail}{where}",
            JsonProblem.DUPLICATE_KEY: f"the field '{self.detail}' appears twice in one "
            f"object{where}; keep one value",
            JsonProblem.NOT_A_NUMBER: f"{self.detail} is not a JSON number{where}",
            JsonProblem.NUMBER_TOO_LARGE: f"a number{where} is too large "
            f"({self.detail}); no spcore figure is",
            JsonProblem.TOO_DEEP: f"it nests lists or objects more than {self.detail} levels deep",
            JsonProblem.UNENCODABLE_TEXT: f"text{where} holds a lone surrogate escape "
            f"({self.detail}), which is not a character and cannot be written as UTF-8",
        }[self.kind]
        return text


class _StopError(ValueError):
    """Raised inside the parser's hooks; turned into a :class:`StrictJsonError`."""

    def __init__(self, kind: JsonProblem, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):  # only then look for the name (rare, so cheap on average)
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _StopError(JsonProblem.DUPLICATE_KEY, key)
            seen.add(key)
    return obj


def _constant(name: str) -> Any:
    raise _StopError(JsonProblem.NOT_A_NUMBER, name)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _StopError(JsonProblem.NUMBER_TOO_LARGE, f"{len(text)} characters")
    return value


def _int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > limits.MAX_INTEGER_DIGITS:
        raise _StopError(JsonProblem.NUMBER_TOO_LARGE, f"{digits:,} digits")
    return int(text)


# A high surrogate escape not followed by a low one, or a low one not after a high one.
_LONE_SURROGATE = re.compile(
    r"(?<!\\)(?:\\\\)*(\\u[dD][89abAB][0-9a-fA-F]{2})(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})(?<!\\)(?:\\\\)*(\\u[dD][c-fC-F][0-9a-fA-F]{2})"
)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _locate_key(text: str, key: str) -> tuple[int | None, int | None]:
    """Where ``key`` is given the second time (the parser's hook cannot say)."""
    quoted = re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:"
    found = list(re.finditer(quoted, text))
    if len(found) < 2:
        quoted = re.escape(json.dumps(key)) + r"\s*:"
        found = list(re.finditer(quoted, text))
    if len(found) >= 2:
        return _position(text, found[1].start())
    return None, None


def _locate_long_integer(text: str) -> tuple[int | None, int | None]:
    match = re.search(rf"\d{{{limits.MAX_INTEGER_DIGITS + 1},}}", text)
    return _position(text, match.start()) if match else (None, None)


def has_unencodable(value: Any) -> bool:
    """True when any text in ``value`` (keys included) cannot be encoded as UTF-8."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def depth_exceeds(value: Any, limit: int) -> bool:
    """True when ``value`` nests lists or objects more than ``limit`` deep (no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def loads(text: str, *, max_depth: int = limits.MAX_DEPTH) -> Any:
    """Parse ``text`` as JSON with the rules above; raise :class:`StrictJsonError` if refused."""
    try:
        value = json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_constant=_constant,
            parse_float=_float,
            parse_int=_int,
        )
    except _StopError as stop:
        line, column = None, None
        detail = stop.detail
        if stop.kind is JsonProblem.DUPLICATE_KEY:
            line, column = _locate_key(text, stop.detail)
            detail = shorten(stop.detail)
        elif stop.kind is JsonProblem.NUMBER_TOO_LARGE and "digits" in stop.detail:
            line, column = _locate_long_integer(text)
        raise StrictJsonError(stop.kind, detail, line, column) from None
    except json.JSONDecodeError as exc:
        # json's words end "starting at" where its position would follow; ours follows.
        raise StrictJsonError(
            JsonProblem.SYNTAX, json_problem(exc.msg), exc.lineno, exc.colno
        ) from None
    except RecursionError:
        raise StrictJsonError(JsonProblem.TOO_DEEP, str(max_depth)) from None
    except ValueError as exc:  # anything else the parser refuses, in its words
        raise StrictJsonError(JsonProblem.SYNTAX, shorten(str(exc))) from None
    if depth_exceeds(value, max_depth):
        raise StrictJsonError(JsonProblem.TOO_DEEP, str(max_depth))
    # Lone surrogates reach Python only through \u escapes: look when one is there.
    if _SURROGATE_ESCAPE.search(text) and has_unencodable(value):
        match = _LONE_SURROGATE.search(text)
        escape = next(g for g in match.groups() if g) if match else "\\uD800"
        line, column = _position(text, match.start()) if match else (None, None)
        raise StrictJsonError(JsonProblem.UNENCODABLE_TEXT, escape, line, column)
    return value


def shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters, marked with an ellipsis when cut."""
    from spcore.excerpt import excerpt

    return excerpt(text, limit)


def loads_bundled(text: str) -> Any:
    """Parse JSON that ships inside spcore (its schemas), with Python's plain C parser.

    Only for files spcore itself bundles: the tests hold every one of them to
    :func:`loads`'s rules, so reading them strictly again at run time would only
    cost time (a tenth of ``spcore validate`` when it was done). Never for input.
    """
    return json.loads(text)


def read_bundled(package: str, name: str) -> Any:
    """Parse the bundled JSON file ``name`` of ``package`` (see :func:`loads_bundled`)."""
    from importlib import resources

    return loads_bundled((resources.files(package) / name).read_text(encoding="utf-8"))


def dumps_generated(data: Any) -> str:
    """JSON text as spcore commits a generated file: indented, UTF-8, a final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
