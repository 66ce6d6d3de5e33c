"""The fast validator reports exactly what the reference jsonschema path reports."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from spcore.cases import check_record, reference_findings

EXAMPLE = Path(__file__).parents[2] / "examples" / "cases" / "case-7f3a9c.json"


def _example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def _set(*path: str | int, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(record: dict[str, Any]) -> None:
        node: Any = record
        for token in path[:-1]:
            node = node[token]
        node[path[-1]] = value

    return change


def _drop(*path: str) -> Callable[[dict[str, Any]], None]:
    def change(record: dict[str, Any]) -> None:
        node: Any = record
        for token in path[:-1]:
            node = node[token]
        del node[path[-1]]

    return change


def _many_contacts(record: dict[str, Any]) -> None:
    contacts = record["support_offered"]["contacts"]
    contacts.extend([contacts[0]] * 1000)


# (change, the codes and pointers the reference reports) — hand-checked against the schema.
CASES: dict[str, tuple[Callable[[dict[str, Any]], None], list[tuple[str, str]]]] = {
    "valid": (lambda r: None, []),
    "wrong type": (_set("case_id", value=5), [("SPC-S003", "/case_id")]),
    "bad pattern": (_set("case_id", value="x"), [("SPC-S006", "/case_id")]),
    "trailing newline passes Python's $": (_set("case_id", value="abcd\n"), []),
    "impossible date": (
        _set("closure", value={"date": "2025-02-30", "reason": "support-completed"}),
        [("SPC-S006", "/closure/date")],
    ),
    "year zero": (
        _set("closure", value={"date": "0000-01-01", "reason": "support-completed"}),
        [("SPC-S006", "/closure/date")],
    ),
    "bad code": (_set("demographics", "gender", value="Z"), [("SPC-S004", "/demographics/gender")]),
    "number for a code": (
        _set("demographics", "gender", value=5),
        [("SPC-S003", "/demographics/gender"), ("SPC-S004", "/demographics/gender")],
    ),
    "unknown fields": (_set("foo", value=1), [("SPC-S002", "/foo")]),
    "unknown field named with a superscript digit": (_set("²", value=None), [("SPC-S002", "/²")]),
    "missing field": (_drop("demographics", "age_band"), [("SPC-S001", "/demographics/age_band")]),
    "empty list": (_set("referral", "criteria", value=[]), [("SPC-S007", "/referral/criteria")]),
    "negative duration": (
        _set("support_offered", "contacts", 0, "duration", value={"value": -5, "unit": "minute"}),
        [("SPC-S005", "/support_offered/contacts/0/duration/value")],
    ),
    "too many contacts": (_many_contacts, [("SPC-S007", "/support_offered/contacts")]),
    "text for a score": (
        _set("outcomes", "measures", 0, "score", value="high"),
        [("SPC-S003", "/outcomes/measures/0/score")],
    ),
    "lone surrogate": (
        _set("support_offered", "social_prescriptions", 0, "community_group", value="\ud800"),
        [],
    ),
    "huge integer score": (
        _set("outcomes", "measures", 0, "score", value=10**40),
        [("SPC-S005", "/outcomes/measures/0/score")],
    ),
    "year zero beside an integer orjson cannot write": (
        lambda r: (
            _set("closure", value={"date": "0000-01-01", "reason": "support-completed"})(r),
            _set("outcomes", "measures", 0, "score", value=10**40)(r),
        ),
        [("SPC-S006", "/closure/date"), ("SPC-S005", "/outcomes/measures/0/score")],
    ),
    "empty object": (
        lambda r: r.clear(),
        [("SPC-S001", f"/{k}") for k in ("case_id", "demographics", "referral", "scheme_id")],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fast_path_agrees_with_reference(name: str) -> None:
    change, expected = CASES[name]
    record = _example()
    change(record)
    reference = reference_findings(record)
    assert [(f.code, f.path) for f in reference] == expected
    assert check_record(record) == reference
    assert check_record(record, source_text=json.dumps(record)) == reference


@pytest.mark.parametrize("value", [[], "text", 5, None])
def test_top_level_not_an_object(value: Any) -> None:
    assert check_record(value) == reference_findings(value)
    assert [f.code for f in check_record(value)] == ["SPC-S003"]


def test_findings_sorted_in_document_order() -> None:
    record = _example()
    contacts = record["support_offered"]["contacts"]
    for index in (2, 10):
        while len(contacts) <= index:
            contacts.append(copy.deepcopy(contacts[0]))
        contacts[index]["type"] = "nope"
    paths = [f.path for f in check_record(record)]
    assert paths == ["/support_offered/contacts/2/type", "/support_offered/contacts/10/type"]
