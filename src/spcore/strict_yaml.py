"""Reading YAML written by people, safely: the one strict reader spcore uses.

Rule files and scheme-facts files may be YAML. Both are read with the same
guards, so the two accept exactly the same YAML:

* only the safe subset (``yaml.SafeLoader``: no Python objects);
* no anchors or aliases, which would let a few lines expand into gigabytes
  (the "billion laughs" attack) — the parser's events are scanned for them
  before anything is built;
* no nesting deeper than a limit, checked on the same scan without recursion;
* no key given twice in one object, which YAML loaders otherwise resolve by
  silently keeping the last value, losing data.

A problem is raised as :class:`StrictYamlError` with its kind and line, and each
caller turns it into a finding with its own code.
"""

from __future__ import annotations

import enum
from typing import Any

import yaml

#: Deepest nesting of objects and lists accepted by default.
MAX_DEPTH = 64


class ProblemKind(enum.Enum):
    """Why a YAML text was refused."""

    SYNTAX = "syntax"
    ALIAS = "alias"
    TOO_DEEP = "too-deep"
    DUPLICATE_KEY = "duplicate-key"


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


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys."""

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
    try:
        _scan(text, max_depth)
        # The same safe subset of YAML as yaml.safe_load, plus the duplicate-key check.
        return yaml.load(text, Loader=_StrictLoader)
    except _DuplicateKeyError as exc:
        raise StrictYamlError(ProblemKind.DUPLICATE_KEY, exc.line, str(exc.key)) from None
    except RecursionError:
        raise StrictYamlError(ProblemKind.TOO_DEEP) from None
    except yaml.YAMLError as exc:
        raise _syntax(exc) from None
