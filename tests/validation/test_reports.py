"""Validation reports: one finding per misspelling, and the text, JSON and HTML formats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from spcore import validate_return

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "examples" / "returns" / "northshire-connect-2025-26-Q2.json"


def valid_doc() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(VALID.read_text(encoding="utf-8"))
    return data


# -- one finding per misspelling ---------------------------------------------


def test_misspelt_required_field_is_reported_once() -> None:
    doc = valid_doc()
    doc["outputs"]["people_refered"] = doc["outputs"].pop("people_referred")
    (finding,) = validate_return(doc).findings
    assert finding.code == "SPC-S002"
    assert finding.path == "/outputs/people_refered"
    assert finding.message == (
        "'people_refered' is not a field of outputs. "
        "Did you mean 'people_referred'? It is required and missing."
    )


def test_misspellings_in_every_list_entry_drop_every_missing_field() -> None:
    doc = valid_doc()
    for group in doc["outputs"]["community_groups"]["groups"]:
        group["nmae"] = group.pop("name")
    findings = validate_return(doc).findings
    assert {f.code for f in findings} == {"SPC-S002"}
    assert [f.path for f in findings] == [
        "/outputs/community_groups/groups/0/nmae",
        "/outputs/community_groups/groups/1/nmae",
    ]
    assert all("Did you mean 'name'? It is required and missing." in f.message for f in findings)


def test_unrelated_unknown_field_leaves_missing_field_reported() -> None:
    doc = valid_doc()
    del doc["outputs"]["volunteers"]
    doc["outputs"]["comments"] = "none"
    found = {(f.code, f.path) for f in validate_return(doc).findings}
    assert found == {("SPC-S001", "/outputs/volunteers"), ("SPC-S002", "/outputs/comments")}


def test_misspelling_of_a_field_that_is_present_is_not_called_missing() -> None:
    doc = valid_doc()
    doc["outputs"]["people_refered"] = 3  # people_referred is still there
    (finding,) = validate_return(doc).findings
    assert finding.message.endswith("Did you mean 'people_referred'?")
