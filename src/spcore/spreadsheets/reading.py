"""From rows of cells to a return: shared by the XLSX and CSV readers.

A reader hands over each sheet as a :class:`Grid` (row number -> column
number -> cell). Two kinds of sheet are understood:

* a **form** (every form sheet of a workbook, and the whole CSV file): one
  row per field, found by its ``Path`` (a JSON Pointer) or, failing that, by
  its ``Field`` title on that sheet;
* a **table** (a breakdown or list sheet of a workbook): a title block, a row
  of column titles and a row of column keys, then one row per code or entry.

Every value read is recorded with the place it came from, so that findings
can name a sheet and row. Empty cells mean "not given": the key is left out.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from spcore import strict_json
from spcore.excerpt import excerpt
from spcore.findings import Finding, error, pointer, warning
from spcore.spreadsheets.cells import (
    EMPTY_LIST,
    EMPTY_OBJECT,
    MISSING,
    NULL,
    Cell,
    field_currency,
    read_value,
)
from spcore.spreadsheets.layout import Field, Kind, Layout, TableShape, TableSheet

#: Form sheet column headings (case and spacing are ignored when reading).
FORM_COLUMNS = ("Field", "Value", "Unit", "Required", "Description", "Allowed codes", "Path")

#: Table sheets: rows of the title block, the column titles and the column keys.
TABLE_PATH_ROW = 3
TABLE_TITLE_ROW = 4
TABLE_KEY_ROW = 5
FIRST_ENTRY_ROW = 6

#: Keys of the columns a breakdown sheet has besides its value.
CODE_KEY = "code"
MEANING_KEY = "meaning"


@attrs.define
class Grid:
    """One sheet's non-empty cells: ``rows[row][column]``, both counted from 1."""

    name: str
    rows: dict[int, dict[int, Cell]] = attrs.field(factory=dict)
    #: Cells holding a formula whose result was never saved.
    formulas: set[tuple[int, int]] = attrs.field(factory=set)
    #: Cells holding an Excel error value such as ``#DIV/0!``.
    errors: dict[tuple[int, int], str] = attrs.field(factory=dict)

    def cell(self, row: int, column: int) -> Cell:
        """The cell at ``row``, ``column`` (None when empty)."""
        return self.rows.get(row, {}).get(column)


def normalise(heading: Cell) -> str:
    """A heading compared without case, surrounding spaces or repeated spaces."""
    return " ".join(str(heading).split()).lower() if heading is not None else ""


def column_letter(column: int) -> str:
    """Excel's letters for a column number (1 -> A, 27 -> AA)."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like ``word`` (ignoring case), or None when none is close."""
    lowered = {c.lower(): c for c in choices}
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` Did you mean 'x'?`` for the closest of ``choices``, or an empty string."""
    match = closest(word, choices)
    return f" Did you mean '{match}'?" if match else ""


def column_keys(field: Field) -> tuple[str, str]:
    """The keys of a table field's value column and unit column (``""`` when it has no unit)."""
    base = "/".join(field.tokens)
    if field.kind is Kind.QUANTITY:
        return (f"{base}/value", f"{base}/unit") if base else ("value", "unit")
    return base or "value", ""


def table_columns(table: TableSheet) -> list[tuple[str, str, Field]]:
    """A table sheet's data columns in order: (key, title, field); a quantity has two."""
    columns: list[tuple[str, str, Field]] = []
    for field in table.columns:
        value_key, unit_key = column_keys(field)
        columns.append((value_key, field.title, field))
        if unit_key:
            columns.append((unit_key, f"{field.title}: unit", field))
    return columns


@attrs.define
class _TableData:
    table: TableSheet
    entries: dict[Any, Any] = attrs.field(factory=dict)


#: A cell of a workbook: sheet name, row and column (from 1).
CellPlace = tuple[str, int, int]


@attrs.define
class Collector:
    """Values read so far, with where each came from, and the findings."""

    layout: Layout
    findings: list[Finding] = attrs.field(factory=list)
    locations: dict[str, str] = attrs.field(factory=dict)
    cells: dict[str, CellPlace] = attrs.field(factory=dict)
    """JSON Pointer -> (sheet, row, column) of the cell that gives it (workbooks only)."""
    assignments: list[tuple[tuple[str, ...], Any]] = attrs.field(factory=list)
    tables: dict[tuple[str, ...], _TableData] = attrs.field(factory=dict)
    given: dict[str, str] = attrs.field(factory=dict)
    unreadable: bool = False

    def place(self, path: str, where: str) -> None:
        """Record where the part at ``path`` is (the first place wins)."""
        self.locations.setdefault(path, where)

    def once(self, path: str, where: str) -> bool:
        """True the first time ``path`` is given a value; a finding the second time."""
        if path in self.given:
            self.findings.append(
                error(
                    "SPC-X013",
                    path,
                    f"{where} gives a value already given at {self.given[path]}; keep one of them.",
                )
            )
            return False
        self.given[path] = where
        return True

    def table(self, table: TableSheet) -> _TableData:
        """The entries read so far for ``table``."""
        return self.tables.setdefault(table.tokens, _TableData(table))

    def document(self) -> dict[str, Any]:
        """Assemble the document from everything read."""
        doc: dict[str, Any] = {}
        for tokens, value in self.assignments:
            _put(doc, tokens, value)
        for tokens, data in self.tables.items():
            if not data.entries:
                continue
            if data.table.shape is TableShape.BREAKDOWN:
                _put(doc, tokens, dict(data.entries))
            else:
                _put(doc, tokens, [data.entries[i] for i in sorted(data.entries)])
        return doc


_EMPTY_MARKERS = {EMPTY_OBJECT: dict, EMPTY_LIST: list}


def _put(doc: dict[str, Any], tokens: tuple[str, ...], value: Any) -> None:
    """Set ``value`` at ``tokens``, creating objects on the way; markers only fill a gap."""
    target = doc
    for token in tokens[:-1]:
        child = target.get(token)
        if not isinstance(child, dict):
            child = {}
            target[token] = child
        target = child
    key = tokens[-1]
    if isinstance(value, _Marker):
        if target.get(key) is None:
            target[key] = value.factory()
        return
    if value is None and isinstance(target.get(key), dict | list):
        return  # a 'null' heading with values under it: the values win
    target[key] = value


@attrs.frozen
class _Marker:
    factory: Callable[[], Any]


def _read_marker(
    collector: Collector, field: Field, cell: Cell, where: str, path: str | None = None
) -> tuple[tuple[str, ...], Any] | None:
    """A heading or table row: ``null``, ``{}`` or ``[]`` give the whole part; else nothing."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    text = cell.strip() if isinstance(cell, str) else cell
    if text == NULL:
        return field.tokens, None
    if text in _EMPTY_MARKERS:
        return field.tokens, _Marker(_EMPTY_MARKERS[str(text)])
    target = f"the sheet '{field.table}'" if field.table else "the rows below it"
    collector.findings.append(
        error(
            "SPC-X014",
            field.pointer if path is None else path,
            f"{where} is a heading for '{field.title}' and takes no value "
            f"(found '{excerpt(str(cell))}'); enter its figures in {target}.",
        )
    )
    return None


def read_entry_heading(
    collector: Collector, field: Field, cell: Cell, where: str, path: str
) -> Any:
    """What the heading column of a breakdown inside a list entry gives, or :data:`MISSING`.

    It takes only the markers ``null`` and ``{}``; the counts are in the
    columns after it, one per code. Files written by spcore before 0.2 held
    the whole breakdown as JSON text in this one cell: that text is still
    read, with the warning ``SPC-X015`` to write the file again.
    """
    text = cell.strip() if isinstance(cell, str) else ""
    if text.startswith("{") and text != EMPTY_OBJECT:
        try:
            value = strict_json.loads(text)
        except strict_json.StrictJsonError:
            value = None
        if isinstance(value, dict):
            collector.findings.append(
                warning(
                    "SPC-X015",
                    path,
                    f"{where} holds '{field.title}' as JSON text in one cell, as files written "
                    "before standard 0.2 did; it is read, but write the file again with "
                    "'spcore convert' to give each count its own cell.",
                )
            )
            return value
    marker = _read_marker(collector, field, cell, where, path)
    return MISSING if marker is None else marker[1]


def _quantity(field: Field, value_cell: Cell, unit_cell: Cell) -> Any:
    value = read_value(value_cell, Kind.QUANTITY, currency=field_currency(field))
    if value is MISSING or value is None:
        return value  # a unit on its own gives nothing
    out: dict[str, Any] = {"value": value}
    unit = read_value(unit_cell, Kind.CODE)
    if unit is not MISSING:
        out["unit"] = unit
    return out


def read_field(field: Field, value_cell: Cell, unit_cell: Cell) -> Any:
    """The value a row (or table cell) gives ``field``, or :data:`MISSING`."""
    if field.kind is Kind.QUANTITY:
        return _quantity(field, value_cell, unit_cell)
    return read_value(value_cell, field.kind, currency=field_currency(field))


@attrs.frozen
class Target:
    """What a path in a form row refers to: a form field, or one entry cell of a table."""

    field: Field
    table: TableSheet | None = None
    key: Any = None  # breakdown code, or list index


def resolve(layout: Layout, path: str, by_pointer: Mapping[str, Field]) -> Target | None:
    """The field or table entry a JSON Pointer names, or None when it names nothing."""
    if path in by_pointer:
        return Target(by_pointer[path])
    tokens = _tokens(path)
    if tokens is None:
        return None
    for table in layout.tables:
        n = len(table.tokens)
        if tuple(tokens[:n]) != table.tokens or len(tokens) == n:
            continue
        rest = tokens[n:]
        if table.shape is TableShape.BREAKDOWN:
            return Target(table.columns[0], table, rest[0]) if len(rest) == 1 else None
        if not rest[0].isdigit() or len(rest[0]) > 6:
            return None
        for column in table.columns:
            if tuple(rest[1:]) == column.tokens:
                return Target(column, table, int(rest[0]))
    return None


def _tokens(path: str) -> list[str] | None:
    if not path.startswith("/"):
        return None
    return [t.replace("~1", "/").replace("~0", "~") for t in path[1:].split("/")]


def _put_entry(collector: Collector, target: Target, value: Any) -> None:
    table = target.table
    assert table is not None
    data = collector.table(table)
    if table.shape is TableShape.BREAKDOWN or table.shape is TableShape.VALUES:
        data.entries[target.key] = value
    else:
        entry = data.entries.setdefault(target.key, {})
        _put(entry, target.field.tokens, value)


def known_paths(layout: Layout) -> list[str]:
    """Every path a form row may name (table entries shown with index 0)."""
    paths = [f.pointer for f in layout.fields()]
    for table in layout.tables:
        if table.shape is TableShape.BREAKDOWN:
            paths += [pointer(*table.tokens, c.code) for c in table.codes]
        else:
            paths += [pointer(*table.tokens, 0, *c.tokens) for c in table.columns]
    return paths


def read_form(
    collector: Collector,
    grid: Grid,
    headings: dict[str, int],
    *,
    place: Callable[[int], str],
    sheet_fields: Iterable[Field] = (),
    sheet_pointer: str = "",
) -> None:
    """Read a form (one row per field) whose heading row has been matched to ``headings``."""
    layout = collector.layout
    by_pointer = {f.pointer: f for f in layout.fields()}
    by_title: dict[str, list[Field]] = {}
    for f in sheet_fields:
        by_title.setdefault(normalise(f.title), []).append(f)
    header_row = min(grid.rows, default=1)
    col = headings.get
    for r in sorted(grid.rows):
        if r <= header_row:
            continue
        cells = grid.rows[r]
        path_cell = cells.get(col("path", 0))
        title_cell = cells.get(col("field", 0))
        value_cell = cells.get(col("value", 0))
        unit_cell = cells.get(col("unit", 0))
        gives = any(c is not None and str(c).strip() for c in (value_cell, unit_cell))
        where = place(r)
        target = _find_target(layout, by_pointer, by_title, path_cell, title_cell)
        if target is None:
            if gives:
                finding = _unknown_row(layout, sheet_pointer, path_cell, title_cell, where)
                collector.findings.append(finding)
                collector.place(finding.path, where)
            continue
        field = target.field
        path = (
            field.pointer
            if target.table is None
            else pointer(*target.table.tokens, target.key, *field.tokens)
        )
        label = field.title if target.table is None else f"{target.table.title}: {target.key}"
        here = f"{where} ({label})"
        collector.place(path, here)
        _check_cells(collector, grid, r, (col("value", 0), col("unit", 0)), path, here)
        if field.kind in (Kind.SECTION, Kind.TABLE) and target.table is None:
            marker = _read_marker(collector, field, value_cell, here)
            if marker is not None and collector.once(path, here):
                collector.assignments.append(marker)
            continue
        if field.kind is Kind.SECTION:
            value = read_entry_heading(collector, field, value_cell, here, path)
        else:
            value = read_field(field, value_cell, unit_cell)
        if value is MISSING or not collector.once(path, here):
            continue
        if target.table is None:
            collector.assignments.append((field.tokens, value))
        else:
            _put_entry(collector, target, value)


def _find_target(
    layout: Layout,
    by_pointer: Mapping[str, Field],
    by_title: Mapping[str, list[Field]],
    path_cell: Cell,
    title_cell: Cell,
) -> Target | None:
    path = str(path_cell).strip() if path_cell is not None else ""
    if path:
        return resolve(layout, path, by_pointer)
    matches = by_title.get(normalise(title_cell), [])
    return Target(matches[0]) if len(matches) == 1 else None


def _unknown_row(
    layout: Layout, sheet_pointer: str, path_cell: Cell, title_cell: Cell, where: str
) -> Finding:
    """The finding for a row naming no known field, at the field it most likely meant.

    Pointing it at that field puts it beside the "required but missing"
    finding the same slip causes, so the two read as one problem.
    """
    path = str(path_cell).strip() if path_cell is not None else ""
    title = str(title_cell).strip() if title_cell is not None else ""
    if path:
        meant = closest(path, known_paths(layout))
        named = f"the path '{excerpt(path)}', which the standard does not define"
        hint = meant
    elif title:
        fields = {f.title: f.pointer for f in layout.fields()}
        hint = closest(title, fields)
        meant = fields[hint] if hint else None
        named = f"the field '{excerpt(title)}', which is not on this sheet (or names more than one)"
    else:
        return error(
            "SPC-X008",
            sheet_pointer,
            f"{where} has a value but no field name or path, so it is not read.",
        )
    return error(
        "SPC-X008",
        meant or sheet_pointer,
        f"{where} names {named}, so its value is not read."
        + (f" Did you mean '{hint}'?" if hint else ""),
    )


def _check_cells(
    collector: Collector,
    grid: Grid,
    row: int,
    columns: Iterable[int],
    path: str,
    where: str,
) -> None:
    """Formulas without a saved result and Excel error values become findings."""
    columns = tuple(columns)
    if grid.name and columns and columns[0]:
        collector.cells.setdefault(path, (grid.name, row, columns[0]))
    for c in columns:
        if (row, c) in grid.formulas:
            collector.findings.append(
                error(
                    "SPC-X007",
                    path,
                    f"{where}, cell {column_letter(c)}{row} holds a formula with no saved "
                    "result; spcore never calculates formulas, so copy the cells and paste "
                    "them as values.",
                )
            )
        if (row, c) in grid.errors:
            collector.findings.append(
                error(
                    "SPC-X014",
                    path,
                    f"{where}, cell {column_letter(c)}{row} holds the spreadsheet error "
                    f"{grid.errors[(row, c)]}; put the figure itself there.",
                )
            )


def match_headings(
    collector: Collector,
    cells: Mapping[int, Cell],
    known: Iterable[str],
    needed: Iterable[str],
    *,
    where: str,
    path: str,
    data_in_column: Callable[[int], bool],
) -> dict[str, int] | None:
    """Match a heading row to known column names; None (and a finding) when one is missing.

    An unknown heading is reported once with the closest known name. It is an
    error when its column holds data that would otherwise be lost, a warning
    when the column is empty or plainly extra (a note column of the user's own).
    """
    names = {normalise(k): k for k in known}
    found: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    for c, value in sorted(cells.items()):
        key = normalise(value)
        if not key:
            continue
        if key in names and key not in found:
            found[key] = c
        else:
            unknown.append((c, str(value).strip()))
    missing = [n for n in needed if normalise(n) not in found]
    absent = [names[k] for k in names if k not in found]
    blocking = False
    for c, heading in unknown:
        hint = suggest(heading, absent)
        misspelt = bool(hint)
        needed_match = misspelt and any(f"'{n}'" in hint for n in missing)
        serious = needed_match or (misspelt and data_in_column(c))
        blocking = blocking or needed_match
        make = error if serious else warning
        collector.findings.append(
            make(
                "SPC-X009",
                path,
                f"{where}: column {column_letter(c)} is headed '{excerpt(heading)}', which spcore "
                f"does not know, so it is not read.{hint}",
            )
        )
    reported = blocking
    if missing and not reported:
        collector.findings.append(
            error(
                "SPC-X010",
                path,
                f"{where} has no column headed {' or '.join(repr(m) for m in missing)}; "
                "spcore needs it to read the sheet.",
            )
        )
    if missing:
        collector.unreadable = True
        return None
    return found


def read_table(collector: Collector, grid: Grid, table: TableSheet) -> None:
    """Read a breakdown or list sheet: one row per code or entry below the key row."""
    sheet = f"sheet '{grid.name}'"
    # The sheet holding the figures, not the heading row on a form that names
    # it: a finding about the whole breakdown (its total) belongs here.
    collector.locations[table.pointer] = sheet
    collector.cells[table.pointer] = (grid.name, 1, 1)
    known = [key for key, _, _ in table_columns(table)]
    needed = [column_keys(f)[0] for f in table.columns if f.required]
    if table.shape is TableShape.BREAKDOWN:
        known = [CODE_KEY, MEANING_KEY, *known]
        needed = [CODE_KEY, *needed]
    key_cells = grid.rows.get(TABLE_KEY_ROW, {})

    def has_data(c: int) -> bool:
        return any(c in cells for r, cells in grid.rows.items() if r >= FIRST_ENTRY_ROW)

    headings = match_headings(
        collector,
        key_cells,
        known,
        needed,
        where=f"{sheet}, row {TABLE_KEY_ROW} (column keys)",
        path=table.pointer,
        data_in_column=has_data,
    )
    if headings is None:
        return
    data = collector.table(table)
    index = _next_index(data)  # after any entries already given by path
    for r in sorted(grid.rows):
        if r < FIRST_ENTRY_ROW:
            continue
        cells = grid.rows[r]
        if table.shape is TableShape.BREAKDOWN:
            _breakdown_row(collector, grid, table, headings, r, cells, data)
            continue
        flagged = any((r, c) in grid.formulas or (r, c) in grid.errors for c in headings.values())
        if not flagged and all(
            v is None or (isinstance(v, str) and not v.strip())
            for c, v in cells.items()
            if c in headings.values()
        ):
            continue
        item_path = pointer(*table.tokens, index)
        collector.place(item_path, f"{sheet}, row {r}")
        entry: dict[str, Any] = {}
        value_out: Any = MISSING
        for field in table.columns:
            value_key, unit_key = column_keys(field)
            vcol = headings.get(value_key, 0)
            ucol = headings.get(unit_key, 0) if unit_key else 0
            cell_path = pointer(*table.tokens, index, *field.tokens)
            here = f"{sheet}, cell {column_letter(vcol or 1)}{r} ({field.title})"
            collector.place(cell_path, here)
            _check_cells(collector, grid, r, (vcol, ucol), cell_path, here)
            if field.kind is Kind.SECTION:
                value = read_entry_heading(collector, field, cells.get(vcol), here, cell_path)
            else:
                value = read_field(field, cells.get(vcol), cells.get(ucol))
            if value is MISSING:
                continue
            if table.shape is TableShape.VALUES:
                value_out = value
            else:
                _put(entry, field.tokens, value)
        out = value_out if table.shape is TableShape.VALUES else entry
        if out is MISSING or out == {}:
            continue  # only a unit, or only spaces: nothing given
        data.entries[index] = out
        index += 1


def _next_index(data: _TableData) -> int:
    return max((k for k in data.entries if isinstance(k, int)), default=-1) + 1


def _breakdown_row(
    collector: Collector,
    grid: Grid,
    table: TableSheet,
    headings: Mapping[str, int],
    r: int,
    cells: Mapping[int, Cell],
    data: _TableData,
) -> None:
    field = table.columns[0]
    vcol = headings.get("value", 0)
    ucol = headings.get("unit", 0)
    code_cell = cells.get(headings[CODE_KEY])
    value = read_field(field, cells.get(vcol), cells.get(ucol))
    code = str(read_value(code_cell, Kind.CODE)) if code_cell is not None else ""
    meaning = {c.code: c.meaning.split(":")[0] for c in table.codes}.get(code, code)
    here = f"sheet '{grid.name}', row {r} ({meaning})" if code else f"sheet '{grid.name}', row {r}"
    path = pointer(*table.tokens, code) if code else table.pointer
    collector.place(path, here)
    _check_cells(collector, grid, r, (vcol, ucol), path, here)
    if value is MISSING:
        return
    if not code:
        collector.findings.append(
            error(
                "SPC-X008",
                table.pointer,
                f"{here} has a value but no code, so it is not read; put the code in the "
                "Code column.",
            )
        )
        return
    if collector.once(path, here):
        data.entries[code] = value
