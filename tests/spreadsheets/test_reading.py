"""Reading what a person typed: numbers as text, Excel dates, empty cells, misspellings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl.worksheet.worksheet import Worksheet
from tests.spreadsheets.helpers import edit_workbook, example, row_of

from spcore import validate_return
from spcore.findings import Severity
from spcore.spreadsheets import read_return, write_return, write_template
from spcore.spreadsheets.reading import TABLE_KEY_ROW


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "return.xlsx"
    write_return(example(), path)
    return path


def _set(path: Path, sheet: str, pointer: str, value: object, column: int = 2) -> None:
    def change(ws: Worksheet) -> None:
        ws.cell(row_of(ws, pointer), column).value = value

    edit_workbook(path, sheet, change)


def _codes(path: Path) -> list[str]:
    return [f.code for f in read_return(path).loaded.findings]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("240", 240), ("1,234", 1234), (" 7 ", 7), (240.0, 240), ("12.0", 12.0)],
)
def test_counts_typed_as_text_become_numbers(workbook: Path, typed: object, expected: int) -> None:
    _set(workbook, "Outputs", "/outputs/people_referred", typed)
    data = read_return(workbook).loaded.data
    assert data is not None
    value = data["outputs"]["people_referred"]
    assert value == expected
    assert type(value) is type(expected)


def test_money_typed_with_a_pound_sign_and_commas(workbook: Path) -> None:
    _set(workbook, "Outputs", "/outputs/link_worker_salaries/lowest_annual", "£27,485")
    data = read_return(workbook).loaded.data
    assert data is not None
    assert data["outputs"]["link_worker_salaries"]["lowest_annual"] == {
        "value": 27485,
        "unit": "GBP",
    }


@pytest.mark.parametrize("typed", ["about 240", "240 people", "1.234,5", "£5"])
def test_text_that_is_not_a_number_is_left_for_the_schema(workbook: Path, typed: str) -> None:
    _set(workbook, "Outputs", "/outputs/people_referred", typed)
    report = validate_return(workbook)
    (finding,) = [f for f in report.errors if f.path == "/outputs/people_referred"]
    assert finding.code == "SPC-S003"
    assert typed in finding.message
    assert report.location_of(finding) == "sheet 'Outputs', row 3 (People referred)"


def test_an_excel_date_is_read_as_a_date(workbook: Path) -> None:
    _set(workbook, "Return", "/prepared_on", dt.datetime(2025, 10, 14))
    data = read_return(workbook).loaded.data
    assert data is not None
    assert data["prepared_on"] == "2025-10-14"


def test_a_date_in_a_count_is_reported_not_dropped(workbook: Path) -> None:
    _set(workbook, "Outputs", "/outputs/people_referred", dt.datetime(2025, 10, 14))
    report = validate_return(workbook)
    assert [f.code for f in report.errors if f.path == "/outputs/people_referred"] == ["SPC-S003"]


def test_empty_cells_leave_the_field_out(workbook: Path) -> None:
    _set(workbook, "Scheme", "/scheme/provider", None)
    _set(workbook, "Outputs", "/outputs/people_referred", "   ")
    data = read_return(workbook).loaded.data
    assert data is not None
    assert "provider" not in data["scheme"]
    assert "people_referred" not in data["outputs"]


def test_a_misspelt_path_is_reported_once_with_a_suggestion(workbook: Path) -> None:
    _set(workbook, "Outputs", "/outputs/people_referred", "/outputs/people_refered", column=7)
    report = validate_return(workbook)
    x = [f for f in report.findings if f.code == "SPC-X008"]
    assert len(x) == 1
    assert "Did you mean '/outputs/people_referred'?" in x[0].message
    assert "row 3" in x[0].message
    # The one slip gives two findings on the same field, both pointing at the row.
    assert {(f.code, f.path) for f in report.findings if f.code[:5] in ("SPC-X", "SPC-S")} == {
        ("SPC-X008", "/outputs/people_referred"),
        ("SPC-S001", "/outputs/people_referred"),
    }
    assert report.location_of(report.findings[0]) == "sheet 'Outputs', row 3"


def test_a_row_found_by_its_title_when_the_path_is_cleared(workbook: Path) -> None:
    _set(workbook, "Outputs", "/outputs/people_referred", None, column=7)
    data = read_return(workbook).loaded.data
    assert data is not None
    assert data["outputs"]["people_referred"] == 240


def test_a_misspelt_title_without_a_path_is_reported_with_a_suggestion(workbook: Path) -> None:
    def change(ws: Worksheet) -> None:
        r = row_of(ws, "/outputs/people_referred")
        ws.cell(r, 7).value = None
        ws.cell(r, 1).value = "Peeple referred"

    edit_workbook(workbook, "Outputs", change)
    (finding,) = [f for f in read_return(workbook).loaded.findings if f.code == "SPC-X008"]
    assert "Did you mean 'People referred'?" in finding.message


def test_a_misspelt_value_heading_is_one_finding_not_a_flood(workbook: Path) -> None:
    edit_workbook(workbook, "Outputs", lambda ws: setattr(ws.cell(1, 2), "value", "Vaule"))
    report = validate_return(workbook)
    assert not report.readable
    assert [f.code for f in report.findings] == ["SPC-X009"]
    assert "Did you mean 'Value'?" in report.findings[0].message


def test_an_extra_empty_notes_column_is_only_a_warning(workbook: Path) -> None:
    edit_workbook(workbook, "Outputs", lambda ws: setattr(ws.cell(1, 9), "value", "My notes"))
    report = validate_return(workbook)
    assert report.is_valid
    assert [(f.code, f.severity) for f in report.findings] == [("SPC-X009", Severity.WARNING)]


def test_a_misspelt_table_key_is_one_finding(workbook: Path) -> None:
    edit_workbook(
        workbook,
        "Instruments",
        lambda ws: setattr(ws.cell(TABLE_KEY_ROW, 1), "value", "instrumnet"),
    )
    report = validate_return(workbook)
    assert [f.code for f in report.findings] == ["SPC-X009"]
    assert "Did you mean 'instrument'?" in report.findings[0].message


def test_an_unknown_sheet_with_data_is_reported(workbook: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(workbook)
    wb.create_sheet("Outptus")["A1"] = "People referred: 240"
    wb.save(workbook)
    findings = read_return(workbook).loaded.findings
    assert [f.code for f in findings] == ["SPC-X011"]
    assert "Did you mean 'Outputs'?" in findings[0].message


def test_a_notes_sheet_of_the_users_own_is_only_a_warning(workbook: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(workbook)
    wb.create_sheet("Working")["A1"] = "Checked by the finance team"
    wb.save(workbook)
    report = validate_return(workbook)
    assert report.is_valid
    assert [(f.code, f.severity) for f in report.findings] == [("SPC-X011", Severity.WARNING)]


def test_a_renamed_form_sheet_is_still_read_by_its_paths(workbook: Path) -> None:
    edit_workbook(workbook, "Outputs", lambda ws: setattr(ws, "title", "Outputs (Q2)"))
    source = read_return(workbook)
    assert source.loaded.findings == ()
    assert source.loaded.data == example()


def test_a_formula_without_a_saved_result_is_reported(workbook: Path) -> None:
    _set(workbook, "Outputs", "/outputs/people_referred", "=SUM(1,2)")
    report = validate_return(workbook)
    codes = {f.code for f in report.findings if f.path == "/outputs/people_referred"}
    assert "SPC-X007" in codes


def test_a_formula_in_a_list_row_is_reported(workbook: Path) -> None:
    def change(ws: Worksheet) -> None:
        ws.cell(ws.max_row + 1, 5).value = "=B2*2"

    edit_workbook(workbook, "Groups", change)
    findings = read_return(workbook).loaded.findings
    assert [(f.code, f.path) for f in findings] == [
        ("SPC-X007", "/outputs/community_groups/groups/2/referrals")
    ]


def test_a_value_given_twice_is_reported(workbook: Path) -> None:
    def change(ws: Worksheet) -> None:
        r = ws.max_row + 1
        ws.cell(r, 2).value = 999
        ws.cell(r, 7).value = "/outputs/people_referred"

    edit_workbook(workbook, "Outputs", change)
    source = read_return(workbook)
    assert [f.code for f in source.loaded.findings] == ["SPC-X013"]
    assert source.loaded.data is not None
    assert source.loaded.data["outputs"]["people_referred"] == 240


def test_a_value_on_a_heading_row_is_reported(workbook: Path) -> None:
    _set(workbook, "Outputs", "/outputs/referred_by_age_band", 12)
    findings = read_return(workbook).loaded.findings
    assert [f.code for f in findings] == ["SPC-X014"]
    assert "Referred by age band" in findings[0].message


def test_an_unknown_code_in_a_breakdown_reaches_the_schema(workbook: Path) -> None:
    def change(ws: Worksheet) -> None:
        r = ws.max_row + 1
        ws.cell(r, 1).value = "18-25"
        ws.cell(r, 3).value = 3

    edit_workbook(workbook, "Referred by age band", change)
    report = validate_return(workbook)
    assert any(f.code == "SPC-S004" and "18-25" in f.message for f in report.errors)


def test_locations_name_sheet_row_and_cell(workbook: Path) -> None:
    source = read_return(workbook)
    places = source.locations
    assert places["/outputs/people_referred"] == "sheet 'Outputs', row 3 (People referred)"
    assert places["/outputs/referred_by_age_band/18-24"] == (
        "sheet 'Referred by age band', row 7 (18 to 24)"
    )
    assert places["/outputs/community_groups/groups/1/name"] == (
        "sheet 'Groups', cell A7 (Group name)"
    )
    assert places["/monitoring"] == "sheet 'Monitoring', row 2 (Case monitoring)"


def test_a_filled_in_template_validates(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path)
    filled = tmp_path / "filled.xlsx"
    write_return(example(), filled)
    assert validate_return(filled).is_valid
    report = validate_return(path)
    assert report.readable
    assert {f.code for f in report.errors} == {"SPC-S001"}


def test_csv_numbers_text_and_locations(tmp_path: Path) -> None:
    path = tmp_path / "return.csv"
    write_return(example(), path)
    text = path.read_text(encoding="utf-8").replace(
        "/outputs/people_referred,People referred,240,",
        '/outputs/people_referred,People referred,"1,240",',
    )
    path.write_text(text, encoding="utf-8")
    source = read_return(path)
    assert source.loaded.data is not None
    assert source.loaded.data["outputs"]["people_referred"] == 1240
    assert source.locations["/outputs/people_referred"] == "line 15 (People referred)"


def test_csv_misspelt_heading_and_path(tmp_path: Path) -> None:
    path = tmp_path / "return.csv"
    write_return(example(), path)
    text = path.read_text(encoding="utf-8")
    bad_path = tmp_path / "bad-path.csv"
    bad_path.write_text(text.replace("/outputs/people_benefiting,", "/outputs/people_benefitting,"))
    (finding,) = read_return(bad_path).loaded.findings
    assert finding.code == "SPC-X008"
    assert "Did you mean '/outputs/people_benefiting'?" in finding.message
    bad_heading = tmp_path / "bad-heading.csv"
    bad_heading.write_text(text.replace("path,title,value,", "path,title,valeu,", 1))
    report = validate_return(bad_heading)
    assert not report.readable
    assert [f.code for f in report.findings] == ["SPC-X009"]


def test_the_csv_template_reads_as_an_empty_return(tmp_path: Path) -> None:
    path = tmp_path / "template.csv"
    write_template(path)
    source = read_return(path)
    assert source.loaded.findings == ()
    assert source.loaded.data == {"standard_version": "0.2"}
    report = validate_return(path)
    assert {f.code for f in report.errors} == {"SPC-S001"}
    missing = next(f for f in report.errors if f.path == "/period")
    assert report.location_of(missing) == "line 4 (Reporting period)"
