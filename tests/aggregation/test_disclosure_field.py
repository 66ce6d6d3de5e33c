"""The return's disclosure_control section: a withheld count is null and listed, never unlisted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from spcore.validation import validate_return

EXAMPLE = Path(__file__).parents[2] / "examples" / "returns" / "northshire-connect-2025-26-Q2.json"
CONTROL = {"rule": "nhs-digital-1-7-round-5", "threshold": 7, "rounding_base": 5}


def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(
    ("path", "place"),
    [
        ("/outputs/people_rejecting_referral", ("outputs", "people_rejecting_referral")),
        ("/outputs/referred_by_age_band/85-plus", ("outputs", "referred_by_age_band", "85-plus")),
        ("/monitoring/rag_caseload_at_end/red", ("monitoring", "rag_caseload_at_end", "red")),
        (
            "/impact_on_person/instruments/0/people_with_follow_up",
            ("impact_on_person", "instruments", 0, "people_with_follow_up"),
        ),
    ],
)
def test_a_null_count_must_be_listed_as_withheld(path: str, place: tuple[Any, ...]) -> None:
    doc = example()
    node: Any = doc
    for key in place[:-1]:
        node = node[key]
    node[place[-1]] = None
    unlisted = validate_return(doc)
    assert [(f.code, path in f.message) for f in unlisted.errors] == [("SPC-S009", True)]
    doc["disclosure_control"] = {**CONTROL, "suppressed": [path]}
    assert validate_return(doc).errors == ()


def test_null_is_not_allowed_where_no_count_is_withheld() -> None:
    doc = example()
    doc["scheme"]["name"] = None
    doc["disclosure_control"] = {**CONTROL, "suppressed": ["/scheme/name"]}
    assert [f.code for f in validate_return(doc).errors] == ["SPC-S003"]


@pytest.mark.parametrize(
    "control",
    [
        {**CONTROL, "rounding_base": 0},
        {**CONTROL, "threshold": -1},
        {**CONTROL, "suppressed": ["outputs/people_referred"]},
        {**CONTROL, "rule": "NHS rule"},
        {**CONTROL, "extra": 1},
    ],
)
def test_a_malformed_disclosure_control_section_is_refused(control: dict[str, Any]) -> None:
    doc = example()
    doc["disclosure_control"] = control
    assert validate_return(doc).errors
