"""Writing pseudonymised records as a CSV case extract.

The CSV has exactly the case-extract layout (:func:`spcore.cases.csv_columns`,
header first), so ``spcore cases`` reads what is written here. Reading CSV is
the case-extract reader's job (:func:`spcore.cases.read_extract`).
"""

from __future__ import annotations

import csv
from typing import IO, Any

from spcore.cases.csv_layout import column_names, record_to_row
from spcore.findings import Finding, error, pointer


class CsvRecordWriter:
    """Writes pseudonymised records as a case-record CSV extract (header first)."""

    def __init__(self, target: IO[str]) -> None:
        self._writer = csv.writer(target, lineterminator="\n")
        self._writer.writerow(column_names())

    def write(self, record: dict[str, Any]) -> None:
        """Write one record as a row; raises ``csv_layout.UnrepresentableError`` if it cannot."""
        self._writer.writerow(record_to_row(record))


def unrepresentable(number: int, reason: str) -> Finding:
    """``SPC-P042`` for a record the CSV layout cannot carry."""
    return error(
        "SPC-P042",
        pointer("lines", number),
        f"Line {number}: the pseudonymised record cannot be written as a CSV row "
        f"({reason[:120]}); write the extract as NDJSON instead. It is left out.",
    )
