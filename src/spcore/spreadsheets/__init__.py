"""Quarterly returns as spreadsheets: a fill-in template, safe reading, lossless conversion.

The layout is generated from the ``quarterly-return`` JSON Schema (see
:mod:`spcore.spreadsheets.layout`), so every field of the standard has its
row, sheet or column. Three forms of a return are interchangeable:

* JSON, the standard's own form;
* a workbook (``.xlsx``): a README sheet, one form sheet per section, one
  sheet per breakdown or list;
* a CSV file: one row per field, breakdowns and lists as indexed paths.

Problems with the file itself are ``SPC-X`` findings (:data:`SPREADSHEET_CODES`).
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spcore.spreadsheets.codes import SPREADSHEET_CODES
    from spcore.spreadsheets.conversion import (
        ConversionError,
        convert,
        read_return,
        write_return,
        write_template,
    )
    from spcore.spreadsheets.layout import Layout, layout
else:
    from spcore._lazy import attach

    # Names load on first use (see spcore._lazy).
    __getattr__, __dir__ = attach(__name__)

__all__ = [
    "SPREADSHEET_CODES",
    "ConversionError",
    "Layout",
    "convert",
    "layout",
    "read_return",
    "write_return",
    "write_template",
]
