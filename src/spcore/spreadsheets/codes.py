"""The ``SPC-X`` finding codes: problems with a spreadsheet or CSV file as such.

``SPC-X001`` to ``SPC-X006``, ``SPC-X010``, ``SPC-X012``, and ``SPC-X009``
when the misspelt column is one spcore needs, mean the file cannot be read
at all (the command exits with status 2). The others point at a sheet, row
or cell that cannot be used, and the rest of the return is still checked.
"""

from __future__ import annotations

SPREADSHEET_CODES: dict[str, str] = {
    "SPC-X001": "The file's type is not one spcore reads (.json, .xlsx or .csv), or reading it "
    "needs an optional package that is not installed.",
    "SPC-X002": "The file is not a readable .xlsx workbook (not a zip, corrupt, or an old .xls).",
    "SPC-X003": "The workbook is password-protected or encrypted; save an unprotected copy.",
    "SPC-X004": "The workbook unpacks to far more data than any return (a 'zip bomb').",
    "SPC-X005": "The workbook has more sheets, rows or cells than any return needs.",
    "SPC-X006": "The workbook's XML declares a DTD or entities, which spcore refuses.",
    "SPC-X007": "A cell holds a formula with no saved result; paste the values instead.",
    "SPC-X008": "A row names a field the standard does not define (with a 'did you mean').",
    "SPC-X009": "A column heading spcore does not know (with a 'did you mean').",
    "SPC-X010": "A column spcore needs (such as Value or Path) is missing.",
    "SPC-X011": "A sheet spcore does not know holds data (with a 'did you mean').",
    "SPC-X012": "The CSV file cannot be read (malformed quoting, NUL bytes, a huge cell).",
    "SPC-X013": "The same field is given twice, so one of the values would be lost.",
    "SPC-X014": "A cell holds something that cannot be used there (an Excel error, or data "
    "on a heading row).",
    "SPC-X015": "A breakdown inside a list entry is JSON text in one cell, as files written "
    "before standard 0.2 held it; it is read, and 'spcore convert' writes it a cell per count "
    "(warning).",
}
