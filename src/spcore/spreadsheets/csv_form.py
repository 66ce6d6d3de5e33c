"""The CSV form of a return: one row per field, with breakdowns and lists as indexed paths.

Columns: ``path`` (a JSON Pointer), ``title``, ``value``, ``unit``,
``required``, ``description``, ``allowed codes``. Only ``path`` and
``value`` are read (and ``unit`` for money, time and staff figures); the
others explain. A breakdown's counts are rows such as
``/outputs/referred_by_age_band/18-24``; the entries of a list are rows such
as ``/outputs/community_groups/groups/0/name``, ``.../1/name`` and so on.

The file is UTF-8 (a byte-order mark is accepted), comma-separated, with
the quoting rules of RFC 4180.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from spcore import limits as _limits
from spcore.findings import error, pointer
from spcore.spreadsheets import limits
from spcore.spreadsheets.cells import MISSING, cell_text
from spcore.spreadsheets.files import UnreadableFileError, read_bytes
from spcore.spreadsheets.layout import Field, Kind, Layout, TableShape, TableSheet, layout
from spcore.spreadsheets.reading import Grid, column_keys
from spcore.spreadsheets.writing import field_cells, get, table_entries, template_value

#: CSV columns, in order.
CSV_COLUMNS = ("path", "title", "value", "unit", "required", "description", "allowed codes")

#: Largest CSV file read. The CSV form repeats each value's path and title on
#: its row, so a return takes about twice the space of its JSON: the largest
#: the schema allows (10,000 groups, 200,000 withheld and rounded pointers) is
#: 14 MB as JSON and 27 MB as CSV. Three times the JSON limit leaves room.
MAX_CSV_BYTES = _limits.RETURN_CSV_BYTES

#: Longest cell read (the schema's longest text, notes, is 4,000 characters).
MAX_CSV_CELL = _limits.RETURN_CSV_CELL


def _row(path: str, field: Field, title: str, value: Any, required: str) -> list[str]:
    cell, unit = field_cells(field, value)
    allowed = ", ".join(c.code for c in field.codes) or (
        ", ".join(field.units) if field.kind is Kind.QUANTITY else ""
    )
    description = field.description
    if field.kind is Kind.TABLE:
        description = f"Rows below with paths starting {path}/. {description}"
    return [
        path,
        title,
        cell_text(cell),
        cell_text(unit),
        required,
        description,
        allowed,
    ]


def csv_rows(
    document: Mapping[str, Any] | None, shape: Layout | None = None
) -> Iterator[list[str]]:
    """The CSV rows (after the heading) for ``document``, or for the empty template."""
    shape = shape or layout()
    tables = {t.tokens: t for t in shape.tables}
    doc = document if document is not None else {}
    for field in shape.fields():
        value = get(doc, field.tokens) if document is not None else template_value(field)
        yield _row(field.pointer, field, field.title, value, shape.requirement(field))
        table = tables.get(field.tokens)
        if table is None:
            continue
        if document is None and table.shape is not TableShape.BREAKDOWN:
            # The template shows the rows of a first entry, to be copied for more.
            for column in table.columns:
                path = pointer(*table.tokens, 0, *column.tokens)
                title = f"{table.title} 1: {column.title}"
                needed = "for each entry" if column.required else ""
                yield _row(path, column, title, MISSING, needed)
            continue
        yield from _entry_rows(table, doc)


def _entry_rows(table: TableSheet, doc: Mapping[str, Any]) -> Iterator[list[str]]:
    """A breakdown's rows (each code explained), or a list's (explained on its first entry)."""
    for position, entry in enumerate(table_entries(table, doc)):
        for column in table.columns:
            value_key, unit_key = column_keys(column)
            if table.shape is TableShape.BREAKDOWN:
                title, description = f"{table.title}: {entry.label}", entry.meaning
                codes = column.codes
            else:
                title = f"{entry.label}: {column.title}" if column.tokens else entry.label
                # Explained once: repeating it on every entry would bloat a long list.
                description = column.description if position == 0 else ""
                codes = column.codes if position == 0 else ()
            yield [
                entry.path + pointer(*column.tokens),
                title,
                cell_text(entry.cells.get(value_key)),
                cell_text(entry.cells.get(unit_key) if unit_key else None),
                "",
                description,
                ", ".join(c.code for c in codes),
            ]


def write_csv(document: Mapping[str, Any] | None, path: str | Path) -> None:
    """Write the CSV form of ``document`` (or the empty template) to ``path``."""
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(csv_rows(document))


def read_csv_grid(path: str | Path, max_bytes: int = MAX_CSV_BYTES) -> Grid:
    """The CSV file at ``path`` as one grid; raises :class:`UnreadableFileError` if unusable."""
    raw = read_bytes(Path(path), max_bytes)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            error(
                "SPC-F006",
                "",
                f"The file is not UTF-8 text (byte {exc.start} cannot be read); save it as "
                "'CSV UTF-8'.",
            )
        ) from None
    if "\x00" in text:
        raise UnreadableFileError(
            error("SPC-X012", "", "The CSV file holds NUL bytes; it is not text.")
        )
    grid = Grid("csv")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    max_rows = limits.max_csv_rows()
    try:
        for r, row in enumerate(reader, start=1):
            if r > max_rows:
                raise UnreadableFileError(
                    error("SPC-X012", "", f"The CSV file has more than {max_rows:,} rows.")
                )
            cells = {c: v for c, v in enumerate(row, start=1) if v != ""}
            if any(len(v) > MAX_CSV_CELL for v in cells.values()):
                raise UnreadableFileError(
                    error(
                        "SPC-X012",
                        "",
                        f"Line {r} of the CSV file has a cell longer than {MAX_CSV_CELL:,} "
                        "characters.",
                    )
                )
            if cells:
                grid.rows[r] = dict(cells)
    except csv.Error as exc:
        raise UnreadableFileError(
            error(
                "SPC-X012",
                "",
                f"The CSV file cannot be read at line {reader.line_num}: {exc}.",
            )
        ) from None
    return grid
