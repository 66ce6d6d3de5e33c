"""Helpers for the spreadsheet tests: exact comparison, and editing workbooks in place."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

EXAMPLE = Path(__file__).parents[2] / "examples" / "returns" / "northshire-connect-2025-26-Q2.json"


def canonical(document: Any) -> str:
    """JSON text that differs whenever a key, a value or a type differs (1 vs 1.0)."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False)


def example() -> dict[str, Any]:
    """The bundled valid example return."""
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def edit_workbook(path: Path, sheet: str, change: Callable[[Worksheet], None]) -> None:
    """Open the workbook at ``path``, apply ``change`` to one sheet, and save it."""
    wb = load_workbook(path)
    change(wb[sheet])
    wb.save(path)


def row_of(ws: Worksheet, path: str, column: int = 7) -> int:
    """The row of a form sheet whose Path column holds ``path``."""
    for row in ws.iter_rows(min_row=2):
        if row[column - 1].value == path:
            return int(row[0].row)
    raise KeyError(path)
