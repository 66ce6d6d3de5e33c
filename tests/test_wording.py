"""How commands write counts and findings: one form everywhere."""

from __future__ import annotations

import json

import pytest

from spcore.findings import error, warning
from spcore.wording import (
    by_code,
    count,
    finding_line,
    findings_cell,
    json_problem,
    plural,
    row_line,
)


@pytest.mark.parametrize(
    ("number", "word", "expected"),
    [
        (1, "record", "1 record"),
        (0, "row", "0 rows"),
        (2000, "record", "2,000 records"),
        (1, "person", "1 person"),
        (7, "person", "7 people"),
    ],
)
def test_counts_agree_and_carry_thousands_separators(number: int, word: str, expected: str) -> None:
    assert count(number, word) == expected
    assert plural(word, number) == expected.split(" ", 1)[1]


def test_totals_by_code_largest_first() -> None:
    assert by_code({"SPC-C003": 4, "SPC-A003": 1025, "SPC-S001": 4, "SPC-X": 0}) == (
        "SPC-A003 1,025; SPC-C003 4; SPC-S001 4"
    )


def test_a_finding_on_a_line_is_file_colon_line() -> None:
    finding = error("SPC-P020", "/lines/12/nhs_number", "The NHS number is not valid.")
    assert finding_line("in.ndjson", finding) == (
        "in.ndjson:12: SPC-P020 error: The NHS number is not valid. (at /nhs_number)"
    )
    assert finding_line("facts.yaml", warning("SPC-A021", "", "Something.")) == (
        "facts.yaml: SPC-A021 warning: Something."
    )


def test_a_row_names_its_line_number_and_reference_once() -> None:
    finding = error("SPC-E020", "/rows/7", "Row 7, column age: 'x' is not a number.")
    assert row_line("people.csv", 8, 7, "P007", finding) == (
        "people.csv:8: SPC-E020 error: row 7 (P007): column age: 'x' is not a number."
    )


def test_findings_in_a_csv_cell_are_readable_text() -> None:
    cell = findings_cell(
        [error("SPC-I005", "/item_2", "Missing."), warning("SPC-I009", "", "Odd.")]
    )
    assert cell == "SPC-I005 error: Missing. | SPC-I009 warning: Odd."
    assert findings_cell([]) == ""


def test_json_errors_do_not_say_at_at() -> None:
    try:
        json.loads('{"a": "unterminated')
    except json.JSONDecodeError as exc:
        text = f"{json_problem(exc.msg)} at column {exc.colno}"
    assert text == "Unterminated string starting at column 7"
