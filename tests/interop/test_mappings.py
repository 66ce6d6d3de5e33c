"""Every case-record field is in the FHIR and PRSB mappings (mapped, or unmapped with a reason)."""

from __future__ import annotations

import pytest

from spcore.interop.fields import case_record_fields
from spcore.interop.terminology import read_csv


@pytest.mark.parametrize("table", ["fhir-mapping.csv", "prsb-mapping.csv"])
def test_every_case_record_field_is_in_the_mapping(table: str) -> None:
    rows = read_csv(table)
    listed = [r["Field"] for r in rows]
    assert len(listed) == len(set(listed)), "a field is listed twice"
    missing = set(case_record_fields()) - set(listed)
    assert not missing, f"{table} does not map {sorted(missing)}"
    stale = set(listed) - set(case_record_fields())
    assert not stale, f"{table} maps fields the case record no longer has: {sorted(stale)}"


def test_unmapped_fields_give_a_reason() -> None:
    for table in ("fhir-mapping.csv", "prsb-mapping.csv"):
        for row in read_csv(table):
            status = row.get("Kind") or row.get("Status")
            if status == "unmapped":
                assert row["Note"], row


def test_prsb_groups_are_the_four_of_the_standard() -> None:
    groups = {r["Group"] for r in read_csv("prsb-mapping.csv") if r["Group"]}
    assert groups <= {"Person demographics", "Needs and concerns", "Support offered", "Outcomes"}


def test_prsb_rows_state_cardinality_and_value_set_or_say_not_verified() -> None:
    for row in read_csv("prsb-mapping.csv"):
        if row["Status"] in ("item", "group"):
            assert row["Cardinality"], row
            assert row["ValueSet"], row
        else:
            assert row["Status"] == "unmapped", row
