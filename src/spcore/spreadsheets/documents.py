"""Reading a return from a workbook or a CSV file into a document, with its locations."""

from __future__ import annotations

from pathlib import Path

from spcore.findings import error, warning
from spcore.spreadsheets.csv_form import CSV_COLUMNS, MAX_CSV_BYTES, read_csv_grid
from spcore.spreadsheets.files import UnreadableFileError
from spcore.spreadsheets.layout import Layout, TableSheet, layout
from spcore.spreadsheets.reading import (
    FORM_COLUMNS,
    TABLE_PATH_ROW,
    CellPlace,
    Collector,
    Grid,
    match_headings,
    normalise,
    read_form,
    read_table,
    suggest,
)
from spcore.spreadsheets.xlsx_read import read_grids
from spcore.validation.loading import MAX_BYTES, Loaded

#: Sheets a workbook of this layout has besides its data sheets.
README_SHEET = "README"
LISTS_SHEET = "Lists"

Located = tuple[Loaded, dict[str, str]]


def _finish(collector: Collector) -> Located:
    if collector.unreadable:
        return Loaded(None, tuple(collector.findings)), collector.locations
    return Loaded(collector.document(), tuple(collector.findings)), collector.locations


def _headings(
    collector: Collector,
    grid: Grid,
    known: tuple[str, ...],
    where: str,
    path: str,
    needed: tuple[str, ...],
) -> dict[str, int] | None:
    header_row = min(grid.rows, default=1)

    def has_data(c: int) -> bool:
        return any(c in cells for r, cells in grid.rows.items() if r > header_row)

    found = match_headings(
        collector,
        grid.rows.get(header_row, {}),
        known,
        needed,
        where=where,
        path=path,
        data_in_column=has_data,
    )
    if found is not None and "path" not in found and "field" not in found:
        collector.findings.append(
            error("SPC-X010", path, f"{where} has no column headed 'Path' or 'Field'.")
        )
        collector.unreadable = True
        return None
    return found


def _table_for(grid: Grid, shape: Layout) -> TableSheet | None:
    """The table a sheet holds: by the path in its title block, else by its name."""
    if normalise(grid.cell(TABLE_PATH_ROW, 1)) == "path":
        path = str(grid.cell(TABLE_PATH_ROW, 2) or "").strip()
        for table in shape.tables:
            if table.pointer == path:
                return table
    for table in shape.tables:
        if table.name == grid.name:
            return table
    return None


def document_from_grids(grids: list[Grid], shape: Layout | None = None) -> Located:
    """The document held by a workbook's sheets, with findings and locations."""
    return _finish(collect_grids(grids, shape))


def collect_grids(grids: list[Grid], shape: Layout | None = None) -> Collector:
    """Read a workbook's sheets into a :class:`Collector` (values, findings, places, cells)."""
    shape = shape or layout()
    collector = Collector(shape)
    forms = {f.name: f for f in shape.forms}
    known_sheets = [*shape.sheet_names()]
    for grid in grids:
        if grid.name in (README_SHEET, LISTS_SHEET) or not (grid.rows or grid.formulas):
            continue
        table = _table_for(grid, shape)
        if table is not None:
            read_table(collector, grid, table)
            continue
        form = forms.get(grid.name)
        sheet_pointer = form.rows[0].pointer if form is not None and form.tokens else ""
        where = f"sheet '{grid.name}'"
        if form is None and normalise(grid.cell(TABLE_PATH_ROW, 1)) == "path":
            path = str(grid.cell(TABLE_PATH_ROW, 2) or "")[:80]
            collector.findings.append(
                error(
                    "SPC-X008",
                    "",
                    f"{where} is for '{path}', which the standard does not define, so it is "
                    f"not read.{suggest(path, [t.pointer for t in shape.tables])}",
                )
            )
            continue
        header = grid.rows.get(min(grid.rows, default=1), {})
        if form is None and "value" not in {normalise(v) for v in header.values()}:
            # Like a template sheet's name: probably one renamed, whose figures would be
            # lost (an error). Otherwise a sheet of the user's own, such as notes.
            hint = suggest(grid.name, known_sheets)
            collector.findings.append(
                (error if hint else warning)(
                    "SPC-X011",
                    "",
                    f"{where} is not a sheet of the return template, so its contents are not "
                    f"read.{hint}",
                )
            )
            continue
        headings = _headings(
            collector,
            grid,
            FORM_COLUMNS,
            f"{where}, row {min(grid.rows)}",
            sheet_pointer,
            ("Value",),
        )
        if headings is None:
            continue
        name = grid.name
        read_form(
            collector,
            grid,
            headings,
            place=lambda r, name=name: f"sheet '{name}', row {r}",  # type: ignore[misc]
            sheet_fields=form.rows if form is not None else shape.fields(),
            sheet_pointer=sheet_pointer,
        )
        if form is not None and sheet_pointer:
            collector.place(sheet_pointer, where)
    return collector


def document_from_csv(grid: Grid, shape: Layout | None = None) -> Located:
    """The document held by a CSV form, with findings and locations (``line N``)."""
    shape = shape or layout()
    collector = Collector(shape)
    headings = _headings(
        collector, grid, CSV_COLUMNS, "The CSV file's first line", "", ("path", "value")
    )
    if headings is not None:
        read_form(collector, grid, headings, place=lambda r: f"line {r}")
    return _finish(collector)


def read_workbook(path: str | Path, max_bytes: int = MAX_BYTES) -> Located:
    """Read a return from an .xlsx workbook: the document (or findings) and locations."""
    try:
        grids = read_grids(path, max_bytes)
    except UnreadableFileError as exc:
        return Loaded(None, (exc.finding,)), {}
    return document_from_grids(grids)


def workbook_cells(path: str | Path, max_bytes: int = MAX_BYTES) -> dict[str, CellPlace]:
    """Where each part of a workbook's return is: JSON Pointer -> (sheet, row, column).

    Empty when the workbook cannot be read. Used to annotate a workbook with
    its findings (``spcore validate --annotate``).
    """
    try:
        grids = read_grids(path, max_bytes)
    except UnreadableFileError:
        return {}
    return dict(collect_grids(grids).cells)


def read_csv(path: str | Path, max_bytes: int = MAX_CSV_BYTES) -> Located:
    """Read a return from its CSV form: the document (or findings) and locations."""
    try:
        grid = read_csv_grid(path, max_bytes)
    except UnreadableFileError as exc:
        return Loaded(None, (exc.finding,)), {}
    return document_from_csv(grid)
