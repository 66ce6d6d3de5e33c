"""Writing the workbook form of a return: a fill-in template, or a filled-in return.

The workbook opens on a README sheet that explains how to fill it in. Each
form sheet has one row per field with its description and allowed codes in
view, drop-down lists for codes and units, number formats for counts, money
and dates, and a frozen heading row. Breakdowns and lists have sheets of
their own. A hidden ``Lists`` sheet holds the codelists the drop-downs use.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from spcore.spreadsheets.cells import NULL, Cell
from spcore.spreadsheets.layout import (
    Code,
    Field,
    FormSheet,
    Kind,
    Layout,
    TableShape,
    TableSheet,
    layout,
)
from spcore.spreadsheets.reading import (
    CODE_KEY,
    FIRST_ENTRY_ROW,
    FORM_COLUMNS,
    MEANING_KEY,
    TABLE_KEY_ROW,
    TABLE_PATH_ROW,
    TABLE_TITLE_ROW,
    column_keys,
    table_columns,
)
from spcore.spreadsheets.writing import field_cells, get, table_entries, template_value

README_SHEET = "README"
LISTS_SHEET = "Lists"

#: Rows below the entries that keep drop-downs, so a person can add entries.
SPARE_ROWS = 200

_BOLD = Font(bold=True)
_HEADING_FILL = PatternFill("solid", fgColor="DDE7F0")
_SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
_KEY_FONT = Font(italic=True, color="808080", size=9)
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")

_FORMATS = {
    Kind.INTEGER: "#,##0",
    Kind.DATE: "yyyy-mm-dd",
    Kind.TEXT: "@",
    Kind.CODE: "@",
    Kind.CODES: "@",
}

#: Integers up to this size are stored exactly by a spreadsheet (IEEE 754
#: doubles hold integers to 2**53; openpyxl writes 16 significant digits).
_EXACT_INTEGER = 10**15


def _exact_in_excel(number: int | float) -> bool:
    """True when openpyxl writes ``number`` so that it reads back as the same value and type.

    openpyxl writes numbers with 16 significant digits, and reads a number
    without a decimal point as an integer: a float such as ``2.0`` or one
    needing 17 digits is therefore written as text instead (the reader
    parses it back exactly).
    """
    if isinstance(number, int):
        return abs(number) < _EXACT_INTEGER
    if not math.isfinite(number) or number.is_integer():
        return False
    text = f"{number:.16g}"
    return float(text) == number and ("." in text or "e" in text)


def _set(ws: Worksheet, row: int, column: int, cell: Cell, field: Field | None = None) -> None:
    if cell is None:
        return
    target = ws.cell(row=row, column=column)
    if field is not None and field.kind is Kind.DATE and isinstance(cell, str):
        try:
            day = dt.date.fromisoformat(cell)
        except ValueError:
            day = None
        if day is not None and day.isoformat() == cell:
            target.value = day
            target.number_format = _FORMATS[Kind.DATE]
            return
    if isinstance(cell, bool) or (isinstance(cell, int | float) and _exact_in_excel(cell)):
        target.value = cell
        return
    if isinstance(cell, int | float):
        cell = repr(cell) if isinstance(cell, float) else str(cell)
    target.value = str(cell) if not isinstance(cell, str) else cell
    target.data_type = "s"  # never a formula, whatever the text starts with


class _Lists:
    """The hidden sheet of codelists that drop-downs refer to."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.ranges: dict[tuple[Code, ...], str] = {}

    def range_for(self, title: str, codes: tuple[Code, ...]) -> str:
        if codes not in self.ranges:
            column = len(self.ranges) + 1
            self.ws.cell(row=1, column=column, value=title).font = _BOLD
            for i, code in enumerate(codes, start=2):
                self.ws.cell(row=i, column=column, value=code.code).data_type = "s"
            letter = get_column_letter(column)
            self.ranges[codes] = f"{LISTS_SHEET}!${letter}$2:${letter}${len(codes) + 1}"
        return self.ranges[codes]


def _validation(ws: Worksheet, formula: str, ref: str, prompt: str) -> None:
    check = DataValidation(type="list", formula1=formula, allow_blank=True)
    check.error = "Choose a value from the list."
    check.errorTitle = "Not in the list"
    check.prompt = prompt[:255]
    check.showInputMessage = bool(prompt)
    ws.add_data_validation(check)
    check.add(ref)


def _codes_formula(lists: _Lists, field: Field) -> str:
    # NULL is allowed too: it writes an explicit null for a withheld count.
    return "=" + lists.range_for(field.title, field.codes)


def _units_formula(field: Field) -> str:
    return '"' + ",".join(field.units) + '"'


def _allowed(field: Field) -> str:
    if field.kind in (Kind.CODE, Kind.CODES):
        return ", ".join(c.code for c in field.codes)
    if field.kind is Kind.QUANTITY:
        return "units: " + ", ".join(field.units)
    return ""


def _form_sheet(
    ws: Worksheet,
    sheet: FormSheet,
    document: Mapping[str, Any] | None,
    lists: _Lists,
    shape: Layout,
) -> None:
    for c, heading in enumerate(FORM_COLUMNS, start=1):
        cell = ws.cell(row=1, column=c, value=heading)
        cell.font = _BOLD
        cell.fill = _HEADING_FILL
    for r, field in enumerate(sheet.rows, start=2):
        value = get(document, field.tokens) if document is not None else template_value(field)
        value_cell, unit_cell = field_cells(field, value)
        description = field.description
        if field.kind is Kind.TABLE:
            description = f"Fill in the sheet '{field.table}'. {description}"
        if field.kind is Kind.CODES:
            description += " Several codes may be given, separated by commas."
        row = {
            "Field": field.title,
            "Required": shape.requirement(field),
            "Description": description,
            "Allowed codes": _allowed(field),
            "Path": field.pointer,
        }
        for c, heading in enumerate(FORM_COLUMNS, start=1):
            if row.get(heading):
                _set(ws, r, c, row[heading])
                ws.cell(row=r, column=c).alignment = _WRAP
        value_col = FORM_COLUMNS.index("Value") + 1
        unit_col = FORM_COLUMNS.index("Unit") + 1
        _set(ws, r, value_col, value_cell, field)
        _set(ws, r, unit_col, unit_cell)
        value_target = ws.cell(row=r, column=value_col)
        value_target.alignment = _TOP
        if field.kind in (Kind.SECTION, Kind.TABLE):
            for c in range(1, len(FORM_COLUMNS) + 1):
                ws.cell(row=r, column=c).fill = _SECTION_FILL
            ws.cell(row=r, column=1).font = _BOLD
            continue
        _format_value(value_target, field)
        ref = f"{get_column_letter(value_col)}{r}"
        if field.kind is Kind.CODE:
            _validation(ws, _codes_formula(lists, field), ref, field.title)
        if field.kind is Kind.QUANTITY:
            _validation(ws, _units_formula(field), f"{get_column_letter(unit_col)}{r}", "Unit")
    widths = {"Field": 40, "Value": 22, "Unit": 14, "Required": 22, "Description": 70}
    widths |= {"Allowed codes": 40, "Path": 50}
    for c, heading in enumerate(FORM_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = widths[heading]
    ws.freeze_panes = "B2"


def _format_value(target: Any, field: Field) -> None:
    if isinstance(target.value, str) and target.value != NULL:
        return
    if field.kind is Kind.QUANTITY:
        target.number_format = "#,##0.00" if "GBP" in field.units else "General"
    elif field.kind in _FORMATS:
        target.number_format = _FORMATS[field.kind]


def _table_sheet(
    ws: Worksheet, table: TableSheet, document: Mapping[str, Any] | None, lists: _Lists
) -> None:
    ws.cell(row=1, column=1, value=table.title).font = Font(bold=True, size=14)
    _set(ws, 2, 1, table.description)
    ws.cell(row=TABLE_PATH_ROW, column=1, value="Path").font = _BOLD
    _set(ws, TABLE_PATH_ROW, 2, table.pointer)
    columns: list[tuple[str, str, Field | None]] = [
        (key, title, field) for key, title, field in table_columns(table)
    ]
    if table.shape is TableShape.BREAKDOWN:
        columns = [(CODE_KEY, "Code", None), (MEANING_KEY, "Meaning", None), *columns]
    for c, (key, title, _) in enumerate(columns, start=1):
        head = ws.cell(row=TABLE_TITLE_ROW, column=c, value=title)
        head.font = _BOLD
        head.fill = _HEADING_FILL
        head.alignment = _WRAP
        ws.cell(row=TABLE_KEY_ROW, column=c, value=key).font = _KEY_FONT
        width = 45 if key == MEANING_KEY else max(14, min(40, len(title) + 4))
        ws.column_dimensions[get_column_letter(c)].width = width
    entries = list(table_entries(table, document)) if document is not None else []
    if table.shape is TableShape.BREAKDOWN and document is None:
        entries = list(table_entries(table, {}))
    r = FIRST_ENTRY_ROW - 1
    for r, entry in enumerate(entries, start=FIRST_ENTRY_ROW):
        for c, (key, _, field) in enumerate(columns, start=1):
            if key == CODE_KEY:
                _set(ws, r, c, entry.code)
            elif key == MEANING_KEY:
                _set(ws, r, c, entry.meaning)
                ws.cell(row=r, column=c).alignment = _WRAP
            else:
                _set(ws, r, c, entry.cells.get(key), field)
                if field is not None and key == column_keys(field)[0]:
                    _format_value(ws.cell(row=r, column=c), field)
    last = r if table.shape is TableShape.BREAKDOWN else max(r, FIRST_ENTRY_ROW - 1) + SPARE_ROWS
    for c, (key, _, field) in enumerate(columns, start=1):
        if field is None or last < FIRST_ENTRY_ROW:
            continue
        letter = get_column_letter(c)
        ref = f"{letter}{FIRST_ENTRY_ROW}:{letter}{last}"
        unit_key = column_keys(field)[1]
        if key == unit_key:
            _validation(ws, _units_formula(field), ref, "Unit")
        elif field.kind is Kind.CODE:
            _validation(ws, _codes_formula(lists, field), ref, field.title)
    ws.freeze_panes = f"A{FIRST_ENTRY_ROW}"


def _readme(ws: Worksheet, shape: Layout) -> None:
    lines: list[tuple[str, bool]] = [
        ("Quarterly return: Common Outcomes Framework for social prescribing", True),
        ("", False),
        ("How to fill in this workbook", True),
        (
            "1. Each sheet after this one holds part of the return. On the form sheets, type "
            "each figure in the Value column of its row; the Description column says what it "
            "is, and Allowed codes lists the codes a coded field takes.",
            False,
        ),
        (
            "2. Money, time and staff figures have a Unit column: choose the unit from its "
            "drop-down (pounds are assumed for money, and FTE for staff, when it is left "
            "empty).",
            False,
        ),
        (
            "3. Breakdowns (such as people referred by age band) have a sheet with one row per "
            "code: fill in the Value column for the codes that apply. Lists (community groups, "
            "outcome instruments) have a sheet with one row per entry: add a row for each.",
            False,
        ),
        (
            "4. Leave a cell empty when a figure is not given. Type null for a count withheld "
            "by small-number suppression.",
            False,
        ),
        (
            "5. Do not change the Path column, the rows at the top of each list sheet, or the "
            "sheet names: spcore reads the workbook by them. Type figures, not formulas (or "
            "paste formulas as values).",
            False,
        ),
        ("6. Check the return with:  spcore validate RETURN.xlsx", False),
        ("", False),
        ("Sheets", True),
    ]
    for sheet in shape.forms:
        lines.append((f"{sheet.name}: {sheet.title}. {sheet.description}", False))
    for table in shape.tables:
        lines.append((f"{table.name}: {table.title}. {table.description}", False))
    for r, (text, bold) in enumerate(lines, start=1):
        cell = ws.cell(row=r, column=1)
        _set(ws, r, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True, size=14 if r == 1 else 12)
    ws.column_dimensions["A"].width = 120


def build_workbook(document: Mapping[str, Any] | None, shape: Layout | None = None) -> Workbook:
    """A workbook for ``document``, or an empty template when it is None."""
    shape = shape or layout()
    wb = Workbook()
    readme = wb.active
    readme.title = README_SHEET
    _readme(readme, shape)
    sheets: Sequence[FormSheet | TableSheet] = [*shape.forms, *shape.tables]
    worksheets = {s.name: wb.create_sheet(s.name) for s in sheets}
    lists = _Lists(wb.create_sheet(LISTS_SHEET))
    for form in shape.forms:
        _form_sheet(worksheets[form.name], form, document, lists, shape)
    for table in shape.tables:
        _table_sheet(worksheets[table.name], table, document, lists)
    lists.ws.sheet_state = "hidden"
    return wb


def write_workbook(document: Mapping[str, Any] | None, path: str | Path) -> None:
    """Write the workbook for ``document`` (or the empty template) to ``path``."""
    build_workbook(document).save(Path(path))
