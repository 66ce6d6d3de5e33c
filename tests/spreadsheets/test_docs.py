"""docs/spreadsheets.md names every sheet, every SPC-X code and the limits in force."""

from __future__ import annotations

from pathlib import Path

from spcore.spreadsheets import SPREADSHEET_CODES, layout
from spcore.spreadsheets.csv_form import MAX_CSV_BYTES, MAX_CSV_CELL, write_csv
from spcore.spreadsheets.reading import FORM_COLUMNS
from spcore.spreadsheets.xlsx_read import MAX_PARTS, MAX_RATIO, MAX_SHEETS, RATIO_GRACE_BYTES
from spcore.validation.loading import MAX_BYTES

PAGE = (Path(__file__).parents[2] / "docs" / "spreadsheets.md").read_text(encoding="utf-8")


def test_every_code_is_documented() -> None:
    for code in SPREADSHEET_CODES:
        assert f"| `{code}` |" in PAGE, code


def test_every_sheet_is_documented_with_its_path() -> None:
    for form in layout().forms:
        path = form.rows[0].pointer if form.tokens else "/"
        assert f"| {form.name} |" in PAGE, form.name
        assert f"| `{path}` |" in PAGE, path
    for table in layout().tables:
        assert f"| {table.name} |" in PAGE, table.name
        assert f"| `{table.pointer}` |" in PAGE, table.pointer


def test_columns_and_limits_are_documented(tmp_path: Path) -> None:
    for heading in FORM_COLUMNS:
        assert f"**{heading}**" in PAGE, heading
    path = tmp_path / "t.csv"
    write_csv(None, path)
    for heading in path.read_text(encoding="utf-8").splitlines()[0].split(","):
        assert f"| `{heading}` |" in PAGE, heading
    assert f"| {MAX_SHEETS} |" in PAGE
    assert f"| {MAX_PARTS} |" in PAGE
    assert f"| {MAX_RATIO} to 1 |" in PAGE
    assert f"part over {RATIO_GRACE_BYTES // 1024} KB" in PAGE
    assert f"| {MAX_CSV_CELL:,} characters |" in PAGE
    assert f"| {MAX_CSV_BYTES // 2**20} MB |" in PAGE
    assert f"| {MAX_BYTES // 2**20} MB |" in PAGE
