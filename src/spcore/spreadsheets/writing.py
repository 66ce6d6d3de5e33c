"""From a return to rows of cells: shared by the XLSX and CSV writers.

The inverse of :mod:`spcore.spreadsheets.reading`: every value of the
document lands in exactly one cell (a quantity in a value and a unit cell),
and an explicit ``null``, or an empty object or list that is present, is
written as a marker on its heading row so that reading gives back the same
document.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from spcore.findings import pointer
from spcore.spreadsheets.cells import EMPTY_LIST, EMPTY_OBJECT, MISSING, NULL, Cell, write_value
from spcore.spreadsheets.layout import Field, Kind, TableShape, TableSheet
from spcore.spreadsheets.reading import column_keys


def get(document: Any, tokens: tuple[str, ...]) -> Any:
    """The value at ``tokens`` in ``document``, or :data:`MISSING`."""
    current = document
    for token in tokens:
        if not isinstance(current, Mapping) or token not in current:
            return MISSING
        current = current[token]
    return current


def _marker(value: Any) -> Cell:
    if value is None:
        return NULL
    if isinstance(value, Mapping) and not value:
        return EMPTY_OBJECT
    if isinstance(value, list) and not value:
        return EMPTY_LIST
    return None


def template_value(field: Field) -> Any:
    """What the empty template already holds for ``field``: a value the schema fixes, or nothing.

    Only the standard version is fixed (a ``const``); every other cell starts empty.
    """
    if field.kind is Kind.CODE and len(field.codes) == 1 and field.required:
        return field.codes[0].code
    return MISSING


def field_cells(field: Field, value: Any) -> tuple[Cell, Cell]:
    """The value cell and unit cell for ``value`` of ``field`` (None for an empty cell)."""
    if value is MISSING:
        return None, None
    if field.kind in (Kind.SECTION, Kind.TABLE):
        return _marker(value), None
    if (
        field.kind is Kind.QUANTITY
        and isinstance(value, Mapping)
        and set(value)
        <= {
            "value",
            "unit",
        }
    ):
        amount = value.get("value", MISSING)
        unit = value.get("unit", MISSING)
        return (
            None if amount is MISSING else write_value(amount, Kind.QUANTITY),
            None if unit is MISSING else write_value(unit, Kind.CODE),
        )
    kind = Kind.JSON if field.kind is Kind.QUANTITY and value is not None else field.kind
    return write_value(value, kind), None


@attrs.frozen
class Entry:
    """One row of a table sheet: its JSON Pointer, a label and cells by column key."""

    path: str
    label: str
    cells: dict[str, Cell]
    code: str | None = None
    meaning: str = ""


def table_entries(table: TableSheet, document: Any) -> Iterator[Entry]:
    """The rows of a table sheet for ``document`` (every code of a breakdown, given or not)."""
    data = get(document, table.tokens)
    if table.shape is TableShape.BREAKDOWN:
        yield from _breakdown_entries(table, data if isinstance(data, Mapping) else {})
        return
    items = data if isinstance(data, list) else []
    for index, item in enumerate(items):
        cells: dict[str, Cell] = {}
        for field in table.columns:
            value_key, unit_key = column_keys(field)
            value = item if table.shape is TableShape.VALUES else get(item, field.tokens)
            cells[value_key], unit = field_cells(field, value)
            if unit_key:
                cells[unit_key] = unit
        yield Entry(pointer(*table.tokens, index), f"{table.title} {index + 1}", cells)


def _breakdown_entries(table: TableSheet, data: Mapping[str, Any]) -> Iterator[Entry]:
    field = table.columns[0]
    value_key, unit_key = column_keys(field)
    known = [(c.code, c.meaning) for c in table.codes]
    extra = [(str(k), "") for k in data if k not in {c.code for c in table.codes}]
    for code, meaning in known + extra:
        value, unit = field_cells(field, data.get(code, MISSING))
        cells = {value_key: value}
        if unit_key:
            cells[unit_key] = unit
        label = meaning.split(":")[0] if meaning else code
        yield Entry(pointer(*table.tokens, code), label, cells, code, meaning)
