"""Edges where the columnar and record-by-record paths meet inputs the generated extracts miss.

Each test states what should hold.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from tests.aggregation.both_paths import aggregate, assert_same

from spcore.aggregation import CaseColumns
from spcore.aggregation import aggregate as aggregate_one_way
from spcore.cases import ExtractItem
from spcore.framework.case_record import CaseRecord

QUARTER = "2025-26 Q2"


def _record(case_id: str = "EDGE-0001", **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "case_id": case_id,
        "scheme_id": "NORTHSHIRE-CONNECT",
        "referral": {"date": "2025-07-10", "referrer_type": "gp-practice", "criteria": ["carer"]},
        "demographics": {"age_band": "45-54"},
    }
    record.update(fields)
    return record


def _prescribed(*groups: dict[str, Any]) -> dict[str, Any]:
    """A record with a social prescription in the quarter to each group written as given."""
    given = [
        {"date": "2025-07-10", "intervention_type": "befriending", **group} for group in groups
    ]
    return _record(support_offered={"social_prescriptions": given})


# ------------------------------------------------------------------ edges both paths pass


@pytest.mark.parametrize(
    "records",
    [
        pytest.param([], id="no items"),
        pytest.param(
            [
                _record(
                    referral={
                        "date": "2025-07-10",
                        "referrer_type": "gp-practice",
                        "criteria": ["carer"],
                        "rejection": {"date": "2025-07-11", "reason": "declined-by-person"},
                    }
                )
            ],
            id="one rejected referral",
        ),
        pytest.param(
            [
                _record(
                    referral={
                        "date": "0001-01-01",
                        "referrer_type": "gp-practice",
                        "criteria": ["carer"],
                    },
                    closure={"date": "9999-12-31", "reason": "other"},
                    support_offered={
                        "contacts": [
                            {"date": "9999-12-31", "type": "telephone"},
                            {
                                "date": "2025-09-30",
                                "type": "telephone",
                                "duration": {"value": 1, "unit": "week"},
                            },
                        ]
                    },
                    needs_and_concerns={"rag_history": [{"date": "0001-01-01", "rating": "red"}]},
                )
            ],
            id="dates at both ends of the calendar",
        ),
    ],
)
def test_small_and_far_flung_extracts_give_one_return(records: list[dict[str, Any]]) -> None:
    models = [CaseRecord.model_validate(r) for r in records]
    for quarter in ("2025-26 Q1", QUARTER, "1948-49 Q1", "9998-99 Q3"):
        aggregate(models, quarter)


# --------------------------------------------------------------------- known problems


#: Items shaped as read_extract(build_records=False) yields them (data, no record, no
#: findings) whose data the case-record model refuses.
UNCHECKED_DATA = {
    "an unknown field": _record(nickname="x"),
    "no referral criteria": _record(
        referral={"date": "2025-07-10", "referrer_type": "gp-practice", "criteria": []}
    ),
    "a case identifier too short": _record(case_id="X"),
    "no scheme": {"case_id": "EDGE-0001"},
    "an unknown referrer": _record(
        referral={"date": "2025-07-10", "referrer_type": "gp", "criteria": ["carer"]}
    ),
}


@pytest.mark.parametrize("name", UNCHECKED_DATA)
def test_an_items_data_the_model_refuses_is_left_out_of_columns_too(name: str) -> None:
    items = [
        ExtractItem(1, None, copy.deepcopy(UNCHECKED_DATA[name]), ()),
        ExtractItem(2, None, _record("EDGE-0002"), ()),
    ]
    scalar = aggregate_one_way(items, QUARTER)
    assert [f.code for f in scalar.findings][:1] == ["SPC-A001"]
    assert_same(aggregate_one_way(CaseColumns.from_items(items), QUARTER), scalar, name)


@pytest.mark.parametrize(
    "group",
    [
        pytest.param({"community_group": "   "}, id="blank name"),
        pytest.param({"directory_id": "  "}, id="blank directory id"),
        pytest.param({"community_group": "\t", "directory_id": " "}, id="both blank"),
    ],
)
def test_a_blank_group_name_does_not_make_the_return_invalid(group: dict[str, Any]) -> None:
    result = aggregate([CaseRecord.model_validate(_prescribed(group))], QUARTER)
    groups = result.document["outputs"]["community_groups"]
    assert all(g["name"].strip() for g in groups.get("groups", ()))
    assert not [f for f in result.validation.findings if "community_groups" in f.path]


def test_a_blank_directory_id_does_not_merge_two_named_groups() -> None:
    record = _prescribed(
        {"community_group": "Knit and Natter", "directory_id": " "},
        {"community_group": "Riverside Walking Group", "directory_id": " "},
    )
    result = aggregate([CaseRecord.model_validate(record)], QUARTER)
    assert result.document["outputs"]["community_groups"]["count"] == 2


def test_the_last_quarter_that_parses_can_be_aggregated() -> None:
    aggregate([], "9998-99 Q4")
