"""validate --annotate marks findings in the workbook; template --from starts next quarter."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

import spcore
from spcore.cli import main
from spcore.spreadsheets.carry import CarryError, next_quarter

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "returns"
EXAMPLE = EXAMPLES / "northshire-connect-2025-26-Q2.json"


@pytest.fixture
def age_bands_workbook(tmp_path: Path) -> Path:
    document = json.loads((EXAMPLES / "invalid" / "age-bands-exceed-referred.json").read_text())
    path = tmp_path / "return.xlsx"
    spcore.write_return(document, path)
    return path


def test_a_breakdown_rule_points_at_the_breakdown_sheet(age_bands_workbook: Path) -> None:
    report = spcore.validate_return(age_bands_workbook)
    (finding,) = [f for f in report.findings if f.code == "SPC-R001"]
    assert report.location_of(finding) == "sheet 'Referred by age band'"


def test_annotate_marks_each_cell_and_lists_the_findings(
    age_bands_workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "checked.xlsx"
    assert main(["validate", str(age_bands_workbook), "--annotate", str(out)]) == 1
    assert "1 finding, 1 cell marked" in capsys.readouterr().err
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "Findings"
    rows = list(book["Findings"].iter_rows(values_only=True))
    assert rows[0] == ("Code", "Severity", "Sheet", "Cell", "Where", "Message")
    assert rows[1][:4] == ("SPC-R001", "error", "Referred by age band", "A1")
    cell = book["Referred by age band"]["A1"]
    assert cell.comment is not None
    assert cell.comment.text.startswith("SPC-R001 error: ")
    assert cell.fill.start_color.rgb.endswith("FFC7CE")
    # The workbook is otherwise the same return.
    assert spcore.read_return(out).loaded.data == spcore.read_return(age_bands_workbook).loaded.data


def test_annotate_marks_a_missing_value_on_its_row(tmp_path: Path) -> None:
    document = json.loads(EXAMPLE.read_text())
    del document["outputs"]["people_referred"]
    source, out = tmp_path / "r.xlsx", tmp_path / "checked.xlsx"
    spcore.write_return(document, source)
    assert main(["validate", str(source), "--annotate", str(out)]) == 1
    book = openpyxl.load_workbook(out)
    marked = [
        (ws.title, c.coordinate)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.comment is not None
    ]
    assert ("Outputs", "B3") in marked  # the People referred row, its value cell


def test_annotate_refuses_what_it_cannot_do(
    age_bands_workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(EXAMPLE), "--annotate", "x.xlsx"]) == 2
    assert main(["validate", str(age_bands_workbook), "--annotate", str(age_bands_workbook)]) == 2
    assert "would destroy the input" in capsys.readouterr().err


def test_next_quarter_carries_what_rarely_changes() -> None:
    start = next_quarter(json.loads(EXAMPLE.read_text()))
    assert start["period"] == "2025-26 Q3"
    assert start["scheme"]["id"] == "NORTHSHIRE-CONNECT"
    assert start["outputs"]["link_workers"]["headcount"] == 6
    assert "pay_in_quarter" not in start["outputs"]["link_worker_salaries"]
    assert "people_referred" not in start["outputs"]
    assert next_quarter({"period": "2025-26 Q4"})["period"] == "2026-27 Q1"
    with pytest.raises(CarryError, match="no reporting period"):
        next_quarter({})


def test_template_from_last_quarter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "next.xlsx"
    assert main(["template", str(out), "--from", str(EXAMPLE)]) == 0
    assert "the 2025-26 Q3 return" in capsys.readouterr().out
    data = spcore.read_return(out).loaded.data
    assert data is not None
    assert data["period"] == "2025-26 Q3"
    assert data["outputs"]["link_worker_salaries"]["lowest_annual"] == {
        "value": 27485,
        "unit": "GBP",
    }
    assert main(["template", str(tmp_path / "x.xlsx"), "--from", str(tmp_path / "none.json")]) == 2
