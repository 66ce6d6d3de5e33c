"""Personal data in free text: found, named by kind, never repeated in the finding."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import quarterly_returns

from spcore import validate_return
from spcore.framework.nhs_number import check_digit
from spcore.validation.personal_data import (
    MAX_MATCHES_PER_DOCUMENT,
    MAX_SCANNED_CHARS,
    Kind,
    mask,
    scan_document,
    scan_text,
)

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = json.loads((ROOT / "examples/returns/northshire-connect-2025-26-Q2.json").read_text())


def kinds(text: str) -> list[Kind]:
    return [m.kind for m in scan_text(text)]


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        # 943 476 5919: 9x10+4x9+3x8+4x7+7x6+6x5+5x4+9x3+1x2 = 299; 299 mod 11 = 2; 11-2 = 9
        ("NHS no 943 476 5919.", Kind.NHS_NUMBER, "943 476 5919"),
        ("nhs:9434765919", Kind.NHS_NUMBER, "9434765919"),
        ("ref 943-476-5919", Kind.NHS_NUMBER, "943-476-5919"),
        ("Lives at LS1 4AP now", Kind.POSTCODE, "LS1 4AP"),
        ("postcode sw1a 2aa", Kind.POSTCODE, "sw1a 2aa"),
        ("(M11AE)", Kind.POSTCODE, "M11AE"),
        ("EC1Y 8SY.", Kind.POSTCODE, "EC1Y 8SY"),
        ("mail j.smith+sp@nhs.example.co.uk today", Kind.EMAIL, "j.smith+sp@nhs.example.co.uk"),
        ("call 07700 900123", Kind.PHONE, "07700 900123"),
        ("call +44 7700 900123", Kind.PHONE, "+44 7700 900123"),
        ("tel 020 7946 0000", Kind.PHONE, "020 7946 0000"),
        ("tel 0113-496-0000", Kind.PHONE, "0113-496-0000"),
        ("DOB 12/03/1961", Kind.DATE_OF_BIRTH, "DOB 12/03/1961"),
        ("d.o.b.: 1961-03-12", Kind.DATE_OF_BIRTH, "d.o.b.: 1961-03-12"),
        ("born 12 March 1961", Kind.DATE_OF_BIRTH, "born 12 March 1961"),
        ("Date of birth March 12th, 1961", Kind.DATE_OF_BIRTH, "Date of birth March 12th, 1961"),
    ],
)
def test_personal_data_is_found(text: str, kind: Kind, found: str) -> None:
    (match,) = scan_text(text)
    assert match.kind is kind
    assert text[match.start : match.end] == found
    assert found not in mask(text, match)


@pytest.mark.parametrize(
    "text",
    [
        "Over 60s Club",
        "Riverside Walking Group",
        "Reference 943 476 5918",  # fails Modulus 11
        "Case 1234567890 closed",  # 1..9 weighted sum 210, mod 11 = 1, check 10: never issued
        "2025-26 Q2 figures",
        "Referrals rose 12/03/2024 after the launch",  # a date, not a date of birth
        "Leeds LS1 district",  # an outward code alone
        "Helpline 0800 123 4567",  # non-geographic: an organisation's number
        "Call 0300 123 1234",
        "Meet @ the library",
        "A1 group, B12 room, Q3 report",
        "Costs rose by £1,234,567,890 in total",
    ],
)
def test_ordinary_text_is_not_reported(text: str) -> None:
    assert scan_text(text) == []


def test_check_digit_of_the_false_positive_example() -> None:
    assert check_digit("123456789") is None
    assert check_digit("943476591") == 9


def test_findings_do_not_leak_what_they_found() -> None:
    doc = copy.deepcopy(EXAMPLE)
    secret = "NHS 943 476 5919, LS1 4AP, jo@example.org, 07700 900123, DOB 12/03/1961"
    doc["notes"] = secret
    report = validate_return(doc)
    codes = sorted(f.code for f in report.findings)
    assert codes == ["SPC-R040", "SPC-R041", "SPC-R042", "SPC-R043", "SPC-R044"]
    text = json.dumps([f.to_dict() for f in report.findings])
    for part in ("5919", "LS1", "4AP", "jo@", "example.org", "900123", "1961"):
        assert part not in text
    assert all(f.path == "/notes" for f in report.findings)
    assert not report.is_valid


def test_personal_data_is_found_in_a_return_that_fails_the_schema() -> None:
    doc = copy.deepcopy(EXAMPLE)
    doc["patient"] = {"nhs_number": "943 476 5919"}
    report = validate_return(doc)
    assert ("SPC-R040", "/patient/nhs_number") in {(f.code, f.path) for f in report.findings}
    assert "SPC-S002" in {f.code for f in report.findings}


def test_every_string_is_scanned_but_codes_and_dates_do_not_match() -> None:
    doc = {
        "scheme": {"commissioner_code": "9434765919", "id": "A81001"},
        "prepared_on": "2025-10-14",
        "period": "2025-26 Q2",
        "ROTHERHAM LS1 4AP": 1,
    }
    found = [(p, m.kind) for p, m in scan_document(doc)]
    assert found == [
        ("/scheme/commissioner_code", Kind.NHS_NUMBER),
        ("/ROTHERHAM LS1 4AP", Kind.POSTCODE),
    ]


@settings(max_examples=100)
@given(quarterly_returns(disclosure_control=True))
def test_generated_returns_have_no_personal_data(doc: dict[str, Any]) -> None:
    # Only free text and free-form identifiers can hold what looks like personal data
    # (a generated identifier may happen to be a valid NHS number); codes, dates,
    # periods, numbers and pointers never match.
    can_match = ("/name", "/provider", "/notes", "/directory_id", "/cohort_description")
    identifiers = ("/id", "/commissioner_code", "/score", "/value_set")
    for path, _ in scan_document(doc):
        assert path.endswith(can_match + identifiers), path


def test_one_megabyte_of_hostile_text_is_scanned_quickly() -> None:
    # Strings built to make a backtracking pattern explode: long runs that
    # almost match. Each pattern is linear, so these finish at once; a
    # catastrophic pattern would not finish at all.
    size = 1024 * 1024
    hostile = [
        "a" * size,
        "a." * (size // 2),
        "1 " * (size // 2),
        "1" * size,
        "@" * size,
        "a@" * (size // 2),
        "DOB " * (size // 4),
        "born 1/" * (size // 7),
        "+44 " * (size // 4),
        "AA9A " * (size // 5),
        "0" * size,
        "07" * (size // 2),
    ]
    for text in hostile:
        assert len(scan_text(text)) <= 20


def test_scan_stops_at_the_cap() -> None:
    text = "x" * MAX_SCANNED_CHARS + " 943 476 5919"
    assert scan_text(text) == []
    assert kinds("x" * (MAX_SCANNED_CHARS - 20) + " 943 476 5919") == [Kind.NHS_NUMBER]


def test_strings_in_arrays_and_deep_objects_are_scanned() -> None:
    doc: dict[str, Any] = {"a": [{"b": ["ok", "jo@example.org"]}]}
    assert [(p, m.kind) for p, m in scan_document(doc)] == [("/a/0/b/1", Kind.EMAIL)]


@given(st.text(max_size=300))
def test_scanning_any_text_never_fails_and_matches_lie_inside(text: str) -> None:
    for match in scan_text(text):
        assert 0 <= match.start < match.end <= len(text)


@given(st.integers(100_000_000, 999_999_999))
def test_every_valid_nhs_number_is_found_in_any_common_spacing(first_nine: int) -> None:
    digits = str(first_nine)
    check = check_digit(digits)
    if check is None:  # no NHS number starts with these nine digits, whatever the tenth
        for last in "0123456789":
            assert Kind.NHS_NUMBER not in kinds(f"Patient {digits}{last} seen")
        return
    number = digits + str(check)
    for written in (
        number,
        f"{number[:3]} {number[3:6]} {number[6:]}",
        f"{number[:3]}-{number[3:6]}-{number[6:]}",
    ):
        assert kinds(f"Patient {written} seen") == [Kind.NHS_NUMBER]


def test_findings_per_document_are_capped() -> None:
    doc = {"notes": ["943 476 5919"] * 10_000}
    assert len(list(scan_document(doc))) == MAX_MATCHES_PER_DOCUMENT
    report = validate_return(doc)
    assert sum(f.code == "SPC-R040" for f in report.findings) == MAX_MATCHES_PER_DOCUMENT
