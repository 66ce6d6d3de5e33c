"""A vendor's first hour: default dumps validate, one call checks a case, models are accepted."""

from __future__ import annotations

import json
from pathlib import Path

import spcore

REPO = Path(__file__).resolve().parents[1]
RETURN = REPO / "examples" / "returns" / "northshire-connect-2025-26-Q2.json"
CASE = REPO / "examples" / "cases" / "case-7f3a9c.json"


def test_a_default_dump_of_a_return_passes_validation() -> None:
    data = json.loads(RETURN.read_text(encoding="utf-8"))
    model = spcore.QuarterlyReturn.model_validate(data)
    assert spcore.validate_return(json.loads(model.model_dump_json())).is_valid
    assert spcore.validate_return(model.model_dump(mode="json")).is_valid
    assert "$schema" in model.model_dump()  # the schema's name, not the attribute's
    assert model.to_dict() == data  # exact round trip, nothing added
    assert json.loads(model.to_json()) == data


def test_validate_return_takes_the_model_itself() -> None:
    model = spcore.QuarterlyReturn.model_validate_json(RETURN.read_text(encoding="utf-8"))
    report = spcore.validate_return(model)
    assert report.is_valid
    assert report.source == "<model>"
    (first, second) = spcore.validate_returns([model, model])
    # Two returns for one quarter: the cross-return rule names them by place.
    assert any("return 1 of those given" in f.message for f in second.findings + first.findings)


def test_check_case_says_what_form_an_identifier_takes() -> None:
    data = json.loads(CASE.read_text(encoding="utf-8"))
    assert spcore.check_case(data) == ()
    assert spcore.check_case(spcore.CaseRecord.model_validate(data)) == ()
    assert (
        spcore.check_case(json.loads(spcore.CaseRecord.model_validate(data).model_dump_json()))
        == ()
    )
    data["case_id"] = "a b"
    (finding,) = spcore.check_case(data)
    assert (finding.code, finding.path) == ("SPC-S006", "/case_id")
    assert "4 to 128 characters: letters, digits, '_' or '-'" in finding.message
    (unreadable,) = spcore.check_case("{not json")
    assert unreadable.code == "SPC-C003"
    (wrong,) = spcore.check_case(["a list"])  # type: ignore[arg-type]
    assert wrong.code == "SPC-S003"
