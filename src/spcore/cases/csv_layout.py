"""The CSV layout of a case-record extract: one row per case, columns derived from the schema.

The columns are not written by hand: :func:`columns` walks the published
case-record schema (``$ref``s resolved, "X or null" unwrapped) and gives

* one column per scalar field, named by its dotted path:
  ``referral.date``, ``demographics.age_band``, ``closure.reason``;
* one column per list, holding the list as compact JSON:
  ``referral.criteria`` = ``["lives-alone","carer"]``,
  ``support_offered.contacts`` = ``[{"date":"2025-04-10","type":"assessment"}]``.

Cells are read as follows: an empty cell means the field is absent; a
``true``/``false`` column takes ``true`` or ``false`` (any case); a number
column takes a decimal number; a list column takes a JSON list. A cell that
does not fit its column is passed on as text so the schema check reports it
in the usual words ("'Lives alone' must be true or false; found 'yes'"),
except a list cell that is not JSON at all (``SPC-C013``). A column the
layout does not know becomes an unknown field, reported by the schema check
with a "did you mean". An object (``closure``, ``referral.rejection``) exists
when any of its cells is filled.
"""

from __future__ import annotations

import enum
import functools
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from spcore import schemas
from spcore.cases.fastcheck import SCHEMA_NAME
from spcore.schemas.resolving import ResolvedNode, resolve_node, resolver_for


class Kind(enum.StrEnum):
    """How a column's cells are read and written."""

    TEXT = "text"
    BOOLEAN = "boolean"
    NUMBER = "number"
    JSON_LIST = "json-list"


@attrs.frozen
class Column:
    """One CSV column: its dotted name, the path it fills, and how it is read."""

    name: str
    path: tuple[str, ...]
    kind: Kind
    title: str


def _walk(node: ResolvedNode, prefix: tuple[str, ...]) -> list[Column]:
    found: list[Column] = []
    for name, prop in node.schema.get("properties", {}).items():
        title = str(prop.get("title", name))
        target = resolve_node(prop, node.resolver)
        path = (*prefix, name)
        kind = target.schema.get("type")
        if kind == "object" and "properties" in target.schema:
            found.extend(_walk(target, path))
        elif kind == "array":
            found.append(Column(".".join(path), path, Kind.JSON_LIST, title))
        elif kind == "boolean":
            found.append(Column(".".join(path), path, Kind.BOOLEAN, title))
        elif kind in ("number", "integer"):
            found.append(Column(".".join(path), path, Kind.NUMBER, title))
        else:
            found.append(Column(".".join(path), path, Kind.TEXT, title))
    return found


@functools.cache
def columns() -> tuple[Column, ...]:
    """Every column of the CSV layout, in schema order."""
    root = resolve_node(schemas.load(SCHEMA_NAME), resolver_for(SCHEMA_NAME))
    return tuple(_walk(root, ()))


def column_names() -> tuple[str, ...]:
    """The header row of a case-record CSV extract."""
    return tuple(c.name for c in columns())


@functools.cache
def _by_name() -> dict[str, Column]:
    return {c.name: c for c in columns()}


class CellError(ValueError):
    """A list cell that is not JSON; ``column`` names it."""

    def __init__(self, column: Column | str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


def _read_cell(column: Column, cell: str, parse_json: Any) -> Any:
    if column.kind is Kind.BOOLEAN:
        lowered = cell.strip().lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        return cell
    if column.kind is Kind.NUMBER:
        try:
            number = float(cell)
        except ValueError:
            return cell
        if not math.isfinite(number):
            return cell  # "nan", "inf": passed on as text for the schema to refuse
        whole = number.is_integer() and not any(c in cell for c in ".eE")
        return int(cell.strip()) if whole else number
    if column.kind is Kind.JSON_LIST:
        return parse_json(cell, column)
    return cell


def row_to_record(header: Sequence[str], row: Sequence[str], parse_json: Any) -> dict[str, Any]:
    """Build the record a row describes; empty cells are absent fields.

    ``parse_json(text, column)`` parses a list cell, raising :class:`CellError`
    when it is not JSON (the reader supplies one that refuses duplicate keys).
    """
    known = _by_name()
    record: dict[str, Any] = {}
    for name, cell in zip(header, row, strict=False):
        if cell == "":
            continue
        column = known.get(name)
        if column is None:
            # Unknown column: kept as an unknown field so the schema check names it.
            path: tuple[str, ...] = tuple(name.split(".")) if name else ("",)
            value: Any = cell
        else:
            path = column.path
            value = _read_cell(column, cell, parse_json)
        node = record
        for token in path[:-1]:
            child = node.setdefault(token, {})
            if not isinstance(child, dict):
                break  # a scalar column and a dotted column collide; the scalar wins
            node = child
        else:
            node[path[-1]] = value
    return record


class UnrepresentableError(ValueError):
    """A record holds a field the CSV layout has no column for."""


def record_to_row(record: Mapping[str, Any]) -> list[str]:
    """The CSV row for ``record`` (the inverse of :func:`row_to_record`).

    Raises :class:`UnrepresentableError` when the record holds a field the layout
    cannot carry (an unknown field, or an object where a scalar belongs).
    """
    _check_representable(record, ())
    row: list[str] = []
    for column in columns():
        value: Any = record
        for token in column.path:
            value = value.get(token) if isinstance(value, Mapping) else None
        row.append(_write_cell(column, value))
    return row


def _check_representable(node: Mapping[str, Any], prefix: tuple[str, ...]) -> None:
    known = _by_name()
    for key, value in node.items():
        path = (*prefix, key)
        name = ".".join(path)
        if name in known:
            continue
        if isinstance(value, Mapping) and any(c.startswith(name + ".") for c in known):
            _check_representable(value, path)
        elif value is not None:
            raise UnrepresentableError(f"the CSV layout has no column for '{name}'")


def _write_cell(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if column.kind is Kind.JSON_LIST or not isinstance(value, str | bool | int | float):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
