"""How much of a spreadsheet is read: just more than the largest return the schema allows.

The limits are worked out from the layout, so they follow the schema: the
longest list it allows (``maxItems``) sets the most rows of a sheet, and
every list filled to its limit sets the most cells. Anything beyond cannot
be a valid return, so reading stops there (``SPC-X005``) instead of spending
memory on a hostile or mistaken file.
"""

from __future__ import annotations

import functools

from spcore import limits as _limits
from spcore.spreadsheets.layout import FormSheet, TableSheet, layout
from spcore.spreadsheets.reading import FIRST_ENTRY_ROW, FORM_COLUMNS, table_columns

#: Rows and cells allowed beyond the largest return, for blank rows, notes
#: and headings a person adds.
MARGIN = _limits.XLSX_MARGIN


def _entries(table: TableSheet) -> int:
    return table.max_entries if table.max_entries is not None else max(len(table.codes), 1)


def _cells(table: TableSheet) -> int:
    return _entries(table) * (len(table_columns(table)) + 2)  # + code and meaning


def _form_cells(form: FormSheet) -> int:
    return (len(form.rows) + 1) * len(FORM_COLUMNS)


@functools.cache
def max_sheet_rows() -> int:
    """Most rows read from one sheet: the longest list the schema allows, and a margin."""
    return max(_entries(t) for t in layout().tables) + FIRST_ENTRY_ROW + MARGIN


@functools.cache
def max_cells() -> int:
    """Most filled cells read from a whole workbook: every list full, and a margin."""
    shape = layout()
    return sum(_cells(t) for t in shape.tables) + sum(_form_cells(f) for f in shape.forms) + MARGIN


@functools.cache
def max_csv_rows() -> int:
    """Most rows read from the CSV form: one per field and per entry cell, and a margin."""
    shape = layout()
    fields = sum(len(f.rows) for f in shape.forms)
    return fields + sum(_entries(t) * len(t.columns) for t in shape.tables) + MARGIN
