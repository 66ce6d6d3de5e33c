"""The case record: the bundled example validates and round-trips; identifiers are refused."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from spcore import CaseRecord, schemas
from spcore.cases import check_record
from spcore.framework.types import MAX_SCORE

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"


def _example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / "case-7f3a9c.json").read_text())
    return data


def test_example_valid_and_round_trips() -> None:
    data = _example()
    assert not list(schemas.validator("case-record").iter_errors(data))
    record = CaseRecord.model_validate(data)
    assert record.support_offered.contacts[1].duration is not None
    assert record.support_offered.contacts[1].duration.canonical == 60
    dumped = record.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert dumped == data


@pytest.mark.parametrize(
    ("section", "field", "value"),
    [
        ("demographics", "nhs_number", "9434765919"),
        ("demographics", "date_of_birth", "1946-02-01"),
        ("referral", "patient_name", "Jane Example"),
    ],
)
def test_identifiers_cannot_be_added(section: str, field: str, value: str) -> None:
    data = copy.deepcopy(_example())
    data[section][field] = value
    errors = list(schemas.validator("case-record").iter_errors(data))
    assert [e.validator for e in errors] == ["additionalProperties"]


def test_case_id_refuses_spaces_and_short_ids() -> None:
    for bad in ("Jane Example", "ab", ""):
        data = copy.deepcopy(_example())
        data["case_id"] = bad
        assert list(schemas.validator("case-record").iter_errors(data))


@pytest.mark.parametrize("score", [1e308, -1e308, MAX_SCORE * 10])
def test_a_score_beyond_any_instrument_is_refused_by_schema_and_model(score: float) -> None:
    data = _example()
    data["outcomes"]["measures"][0]["score"] = score
    assert check_record(data)
    with pytest.raises(ValidationError):
        CaseRecord.model_validate(data)


@pytest.mark.parametrize("written", [3.0, 1e2])
def test_a_whole_number_written_with_a_point_is_read_as_the_schema_reads_it(
    written: float,
) -> None:
    # JSON Schema's "integer" takes 3.0; the model reads it as 3, so the fast check (schema
    # only) and the reference (schema, then model) give the same verdict.
    from spcore.framework.types import Count

    adapter = TypeAdapter(Count)
    assert adapter.validate_python(written) == int(written)
    assert type(adapter.validate_python(written)) is int
    for refused in ("3", True, 3.5, float("nan"), float("inf"), -1.0):
        with pytest.raises(ValidationError):
            adapter.validate_python(refused)


def test_service_use_months_written_12_0_gives_one_verdict_on_every_path(
    tmp_path: Path,
) -> None:
    from spcore.cases import check_extract
    from spcore.cases.extracts import reference_check_extract

    data = _example()
    window = {
        "relative_to_referral": "before",
        "start_on": "2024-04-01",
        "end_on": "2025-03-31",
        "months": 12.0,
        "source": "gp-record",
        "counts": {"gp-consultations": 9.0},
    }
    data["service_use"] = [window]
    assert not list(schemas.validator("case-record").iter_errors(data))
    record = CaseRecord.model_validate(data)
    assert record.service_use is not None
    assert record.service_use[0].months == 12
    extract = tmp_path / "x.ndjson"
    extract.write_text(json.dumps({"case_id": "first-line"}) + "\n" + json.dumps(data) + "\n")
    fast, _ = check_extract(extract)
    reference, _ = reference_check_extract(extract)
    assert (fast.accepted, fast.rejected) == (reference.accepted, reference.rejected) == (1, 1)
