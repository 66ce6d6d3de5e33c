"""A chunk's columns put back in the order of its lines.

A worker reading a chunk into columns (:func:`spcore.aggregation.columns.read_columns`)
lets the compiled reading go on past the lines it hands back to Python, and adds
those lines once the compiled reading has been through the whole chunk: Python's
reading, between two runs of compiled reading, would put the compiled code and its
data out of the processor's caches, and every line after it would pay to bring them
back (``benchmarks/line_kinds.py`` measures what that costs). The rows of the lines
handed back then come after the others; :func:`in_line_order` puts every row, every
child-table entry and every numbering back where reading the chunk line by line would
have put them, so the columns are exactly the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import numpy as np

Array = np.ndarray[Any, Any]
T = TypeVar("T")


def _table_of(name: str, pointers: Mapping[str, str]) -> str:
    """The child table a column belongs to (its pointer column), or "" for a row column."""
    for pointer in pointers:
        prefix = pointer.split("_", 1)[0] + "_"
        if name.startswith(prefix):
            return pointer
    return ""


def in_line_order(
    arrays: Mapping[str, Array],
    values: Mapping[str, list[T]],
    problems: Mapping[int, Any],
    *,
    pointers: Mapping[str, str],
    numbered: Mapping[str, str],
) -> tuple[dict[str, Array], dict[str, list[T]], dict[int, Any]]:
    """``arrays``, numberings' ``values`` and ``problems`` (by row) in line order.

    ``arrays`` are a chunk's columns, rows in the order they were added, each row's
    line in ``arrays["line"]``. ``pointers`` names each child table's column pointing
    into another table, by a column of that table (``"kind"`` for the rows), a table
    pointed into coming before the tables that point into it; a child table's columns
    share its pointer's prefix (``contact_`` for ``contact_row``). ``numbered`` names
    the numbering of each column holding numbers of distinct values in the order
    first seen (``-1`` for none). Child entries keep their order within their parent,
    as they were added; numbers are given again in the order first seen in line order.
    """
    line = arrays["line"]
    if len(line) < 2 or bool(np.all(line[1:] > line[:-1])):
        return dict(arrays), dict(values), dict(problems)
    out: dict[str, Array] = {}
    order = np.argsort(line, kind="stable")
    # The new position of each entry, by its old one, for each table pointed into.
    moved: dict[str, Array] = {"kind": _inverse(order)}
    by_table: dict[str, list[str]] = {}
    for name in arrays:
        by_table.setdefault(_table_of(name, pointers), []).append(name)
    for name in by_table.pop(""):
        out[name] = arrays[name][order]
    for pointer, target in pointers.items():
        parents = moved[target][arrays[pointer]]
        entries = np.argsort(parents, kind="stable")
        moved[pointer] = _inverse(entries)
        for name in by_table[pointer]:
            out[name] = parents[entries] if name == pointer else arrays[name][entries]
        out[pointer] = out[pointer].astype(arrays[pointer].dtype, copy=False)
    renumbered = dict(values)
    for column, numbering in numbered.items():
        out[column], renumbered[numbering] = _renumbered(out[column], values[numbering])
    rows = moved["kind"]
    return out, renumbered, {int(rows[row]): found for row, found in problems.items()}


def _inverse(order: Array) -> Array:
    """Where each old position went: ``inverse[order[i]] == i``."""
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order), dtype=order.dtype)
    return inverse


def _renumbered(column: Array, values: list[T]) -> tuple[Array, list[T]]:
    """``column``'s numbers (``-1`` for none) given again in the order first seen."""
    given = column >= 0
    distinct, first = np.unique(column[given], return_index=True)
    if len(distinct) != len(values):
        # Every value numbered was numbered for an entry of this column.
        raise AssertionError(f"{len(values)} values numbered, {len(distinct)} in the column")
    olds = distinct[np.argsort(first, kind="stable")]
    if bool(np.all(olds == np.arange(len(olds)))):
        return column, values
    number = np.empty(len(values), dtype=np.int64)
    number[olds] = np.arange(len(olds))
    renumbered = column.copy()
    renumbered[given] = number[column[given]]
    return renumbered, [values[old] for old in olds.tolist()]
