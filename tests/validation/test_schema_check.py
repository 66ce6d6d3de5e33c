"""The return's schema check: compiled for speed, the reference ``jsonschema`` for the words."""

from __future__ import annotations

import copy
import decimal
import json
from pathlib import Path
from typing import Any

import pytest

from spcore import schemas
from spcore.validation.returns import schema_findings

EXAMPLE = Path(__file__).parents[2] / "examples" / "returns" / "northshire-connect-2025-26-Q2.json"


@pytest.fixture
def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def test_a_valid_return_is_accepted_without_the_reference_validator(
    example: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(name: str) -> Any:
        raise AssertionError("the reference validator was built for a valid return")

    monkeypatch.setattr(schemas, "validator", refuse)
    assert schema_findings(example) == []


def test_an_invalid_return_is_described_by_the_reference(example: dict[str, Any]) -> None:
    example["outputs"]["people_referred"] = -1
    [finding] = schema_findings(example)
    assert finding.code == "SPC-S005"  # below the minimum
    assert finding.path == "/outputs/people_referred"


def test_a_value_json_cannot_hold_goes_to_the_reference(example: dict[str, Any]) -> None:
    # The compiled validator reads a Decimal as a number; the reference refuses it.
    example["outputs"]["people_referred"] = decimal.Decimal(3)
    assert schemas.compiled("quarterly-return").is_valid(example)
    assert [f.path for f in schema_findings(example)] == ["/outputs/people_referred"]


def test_where_the_engines_differ_the_reference_decides(example: dict[str, Any]) -> None:
    # Python's "$" matches before a final newline: the reference accepts this identifier.
    example["scheme"]["id"] = example["scheme"]["id"] + "\n"
    assert not schemas.compiled("quarterly-return").is_valid(example)
    assert schema_findings(example) == []


def test_the_compiled_validator_reads_only_bundled_schemas() -> None:
    schema = copy.deepcopy(schemas.load("quarterly-return"))
    assert "common.schema.json" in json.dumps(schema)  # it reaches another bundled schema
    with pytest.raises(ValueError, match="not a bundled spcore schema"):
        schemas._bundled("https://example.org/schema/common.schema.json")
