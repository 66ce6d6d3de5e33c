"""Reading YAML written by people, safely: the one strict reader spcore uses.

Rule files and scheme-facts files may be YAML. Both are read with the same
guards, so the two accept exactly the same YAML:

* only the safe subset (``yaml.SafeLoader``: no Python objects);
* no anchors or aliases, which would let a few lines expand into gigabytes
  (the "billion laughs" attack) — the parser's events are scanned for them
  before anything is built;
* no nesting deeper than a limit, checked on the same scan without recursion;
* no key given twice in one object, which YAML loaders otherwise resolve by
  silently keeping the last value, losing data;
* no value YAML would fail to build: an impossible date (``2025-02-30``) or
  an integer of more than :data:`spcore.limits.MAX_INTEGER_DIGITS` digits is
  refused with its line, as is text that cannot be written as UTF-8 (a lone
  surrogate escape);
* nested flow brackets (``[[[[...``) are counted on the raw text before the
  parser sees it, since the parser's time grows with the square of their depth.

A problem is raised as :class:`StrictYamlError` with its kind and line, and each
caller turns it into a finding with its own code.
"""

from __future__ import annotations

import enum
import re
from typing import Any

import yaml

from spcore import limits, strict_json
from spcore.excerpt import excerpt

#: Deepest nesting of objects and lists accepted by default.
MAX_DEPTH = limits.MAX_DEPTH


class ProblemKind(enum.Enum):
    """Why a YAML text was refused."""

    SYNTAX = "syntax"
    ALIAS = "alias"
    TOO_DEEP = "too-deep"
    DUPLICATE_KEY = "duplicate-key"
    VALUE = "value"
    UNENCODABLE_TEXT = "unencodable-text"


class StrictYamlError(Exception):
    """A YAML text spcore will not read.

    Attributes:
        kind: which guard refused it.
        line: the 1-based line it concerns, when known.
        detail: the parser's words for a syntax error, or the repeated key.
    """

    def __init__(self, kind: ProblemKind, line: int | None = None, detail: str = "") -> None:
        super().__init__(f"{kind.value} at line {line}: {detail}")
        self.kind = kind
        self.line = line
        self.detail = detail
        self.column: int | None = None


class _DuplicateKeyError(yaml.YAMLError):
    def __init__(self, key: object, line: int) -> None:
        super().__init__(f"duplicate key {key!r}")
        self.key = key
        self.line = line


class _ValueError(yaml.YAMLError):
    def __init__(self, detail: str, line: int) -> None:
        super().__init__(detail)
        self.detail = detail
        self.line = line


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys, impossible dates and overlong integers."""

    def construct_strict_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return self.construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            raise _ValueError(
                f"'{excerpt(str(node.value), 30)}' is not a real date",
                node.start_mark.line + 1,
            ) from None

    def construct_strict_int(self, node: yaml.ScalarNode) -> Any:
        digits = sum(c.isdigit() for c in str(node.value))
        if digits > limits.MAX_INTEGER_DIGITS:
            raise _ValueError(
                f"an integer of {digits:,} digits is too large; no spcore figure is",
                node.start_mark.line + 1,
            )
        try:
            return self.construct_yaml_int(node)
        except ValueError:
            raise _ValueError(
                f"'{excerpt(str(node.value), 30)}' is not a number", node.start_mark.line + 1
            ) from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        # A set keeps a file of many keys linear rather than quadratic.
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key cannot repeat a hashable one
                duplicate = False
            if duplicate:
                raise _DuplicateKeyError(key, key_node.start_mark.line + 1)
            if isinstance(key, str | int | float | bool):
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _StrictLoader.construct_strict_timestamp
)
_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_strict_int)

# Quoted text and comments, skipped when counting brackets, and the brackets themselves.
_BRACKETS = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\n]|\'\')*\'|#[^\n]*|[\[\]{}]')


def _bracket_depth_ok(text: str, max_depth: int) -> None:
    """Refuse flow brackets nested deeper than ``max_depth``, before parsing."""
    if text.count("[") + text.count("{") <= max_depth:
        return
    depth = 0
    for match in _BRACKETS.finditer(text):
        token = match.group(0)
        if token in ("[", "{"):
            depth += 1
            if depth > max_depth:
                raise StrictYamlError(ProblemKind.TOO_DEEP, text.count("\n", 0, match.start()) + 1)
        elif token in ("]", "}"):
            depth = max(depth - 1, 0)


def _syntax(exc: yaml.YAMLError) -> StrictYamlError:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    found = StrictYamlError(
        ProblemKind.SYNTAX, mark.line + 1 if mark is not None else None, problem
    )
    found.column = mark.column + 1 if mark is not None else None
    return found


def _scan(text: str, max_depth: int | None) -> None:
    """Scan parser events for anchors, aliases and depth, building nothing."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            line = event.start_mark.line + 1 if event.start_mark is not None else None
            raise StrictYamlError(ProblemKind.ALIAS, line)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if max_depth is not None and depth > max_depth:
                line = event.start_mark.line + 1 if event.start_mark is not None else None
                raise StrictYamlError(ProblemKind.TOO_DEEP, line)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def load(text: str, *, max_depth: int | None = MAX_DEPTH) -> Any:
    """Parse ``text`` as YAML with the guards above; raise :class:`StrictYamlError` if refused.

    ``max_depth=None`` leaves depth to the caller (who checks the parsed
    document itself); nesting too deep to parse at all is still refused.
    """
    _bracket_depth_ok(text, max_depth if max_depth is not None else limits.MAX_PARSE_DEPTH)
    try:
        _scan(text, max_depth)
        # The same safe subset of YAML as yaml.safe_load, plus the checks above.
        data = yaml.load(text, Loader=_StrictLoader)
    except _DuplicateKeyError as exc:
        raise StrictYamlError(ProblemKind.DUPLICATE_KEY, exc.line, str(exc.key)) from None
    except RecursionError:
        raise StrictYamlError(ProblemKind.TOO_DEEP) from None
    except _ValueError as exc:
        raise StrictYamlError(ProblemKind.VALUE, exc.line, exc.detail) from None
    except yaml.YAMLError as exc:
        raise _syntax(exc) from None
    if ("\\u" in text or "\\U" in text) and strict_json.has_unencodable(data):
        where = re.search(r"\\[uU]0*[dD][89a-fA-F]", text)
        line = text.count("\n", 0, where.start()) + 1 if where else None
        raise StrictYamlError(
            ProblemKind.UNENCODABLE_TEXT,
            line,
            "a lone surrogate escape, which is not a character and cannot be written as UTF-8",
        )
    return data
