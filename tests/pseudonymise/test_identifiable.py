"""Identifiable case records: what is hashed, banded and dropped, and what is refused."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spcore import CaseRecord, schemas
from spcore.pseudonymise import (
    IDENTIFIABLE_FIELDS,
    Pseudonymiser,
    PseudonymKey,
    age_band,
    mask,
    pseudonymise_record,
)

P = Pseudonymiser(PseudonymKey(bytes(range(40, 72))))

RECORD: dict[str, Any] = {
    "case_id": "NC/2025/0042",
    "nhs_number": "999 000 0018",
    "name": "Ada Testperson",
    "given_name": "Ada",
    "family_name": "Testperson",
    "date_of_birth": "1946-02-01",
    "address": "1 Fictional Row",
    "postcode": "NS1 2AB",
    "telephone": "01632 960000",
    "email": "someone@example.invalid",
    "gp_practice": "Y99999",
    "local_patient_id": "RX1-123456",
    "scheme_id": "NORTHSHIRE-CONNECT",
    "referral": {
        "date": "2025-04-07",
        "referrer_type": "gp-practice",
        "criteria": ["lives-alone"],
    },
    "demographics": {"gender": "2"},
    "support_offered": {
        "social_prescriptions": [
            {"date": "2025-04-17", "intervention_type": "befriending", "community_group": "Friends"}
        ]
    },
}


def _codes(result: Any) -> list[str]:
    return [f.code for f in result.findings]


def _with(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(RECORD)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def test_every_identifying_field_is_hashed_banded_or_dropped() -> None:
    result = pseudonymise_record(RECORD, P)
    assert result.findings == ()
    out = result.record
    assert out is not None
    assert out["case_id"] == P.case("NC/2025/0042", scheme_id="NORTHSHIRE-CONNECT")
    assert out["person_id"] == P.person("9990000018")
    assert out["demographics"] == {"gender": "2", "age_band": "75-84"}  # 79 on 2025-04-07
    for name, treatment in IDENTIFIABLE_FIELDS.items():
        if treatment.action == "dropped":
            assert name not in out
    assert "nhs_number" not in out
    assert "date_of_birth" not in out
    text = json.dumps(out)
    for value in ("9990000018", "999 000 0018", "Testperson", "1946", "NS1", "Y99999", "RX1"):
        assert value not in text


def test_output_passes_the_case_record_schema_and_model() -> None:
    out = pseudonymise_record(RECORD, P).record
    assert out is not None
    assert not list(schemas.validator("case-record").iter_errors(out))
    CaseRecord.model_validate(out)


def test_input_is_not_changed() -> None:
    data = copy.deepcopy(RECORD)
    pseudonymise_record(data, P)
    assert data == RECORD


@pytest.mark.parametrize(
    ("born", "band"),
    [
        ("2007-04-07", "18-24"),  # 18th birthday on the referral date
        ("2007-04-08", "0-17"),  # the day after: still 17
        ("1940-04-07", "85-plus"),  # 85 that day
        ("1940-04-08", "75-84"),  # 84
        ("2025-04-07", "0-17"),  # born that day: 0
    ],
)
def test_date_of_birth_becomes_age_band_on_referral_date(born: str, band: str) -> None:
    out = pseudonymise_record(_with(date_of_birth=born), P).record
    assert out is not None
    assert out["demographics"]["age_band"] == band


def test_leap_day_birth_turns_a_year_older_on_first_of_march() -> None:
    def band(referred: str) -> str:
        data = _with(date_of_birth="2004-02-29")
        data["referral"]["date"] = referred
        out = pseudonymise_record(data, P).record
        assert out is not None
        return str(out["demographics"]["age_band"])

    assert band("2022-02-28") == "0-17"
    assert band("2022-03-01") == "18-24"


def test_age_band_boundaries_come_from_the_codelist() -> None:
    assert [age_band(a).value for a in (0, 17, 18, 24, 25, 84, 85, 130, -1)] == [
        "0-17",
        "0-17",
        "18-24",
        "18-24",
        "25-34",
        "75-84",
        "85-plus",
        "85-plus",
        "unknown",
    ]


@pytest.mark.parametrize("born", ["2025-04-08", "1946-02-30", "01/02/1946", 1946])
def test_impossible_dates_of_birth_keep_the_record_out(born: Any) -> None:
    result = pseudonymise_record(_with(date_of_birth=born), P)
    assert result.record is None
    assert _codes(result) == ["SPC-P024"]
    assert result.findings[0].path == "/date_of_birth"


def test_implausible_age_is_a_warning() -> None:
    result = pseudonymise_record(_with(date_of_birth="1890-01-01"), P)
    assert result.record is not None
    assert _codes(result) == ["SPC-P026"]
    assert result.record["demographics"]["age_band"] == "85-plus"


def test_disagreeing_age_band_is_a_warning_and_birth_date_wins() -> None:
    result = pseudonymise_record(_with(demographics={"age_band": "18-24"}), P)
    assert result.record is not None
    assert _codes(result) == ["SPC-P025"]
    assert result.record["demographics"]["age_band"] == "75-84"


def test_age_band_alone_is_kept() -> None:
    result = pseudonymise_record(_with(date_of_birth=None, demographics={"age_band": "45-54"}), P)
    assert result.record is not None
    assert result.findings == ()
    assert result.record["demographics"] == {"age_band": "45-54"}


def test_neither_birth_date_nor_age_band_is_a_schema_error() -> None:
    result = pseudonymise_record(_with(date_of_birth=None), P)
    assert result.record is None
    assert _codes(result) == ["SPC-S001"]


@pytest.mark.parametrize(
    ("nhs", "code"),
    [
        ("9990000017", "SPC-P020"),  # wrong check digit
        ("999000001", "SPC-P020"),  # nine digits
        ("9990000000", "SPC-P020"),  # Modulus 11 gives 10: never issued
        ("not known", "SPC-P020"),
        (9990000018, "SPC-P021"),  # a JSON number would lose leading zeros
    ],
)
def test_invalid_nhs_numbers_keep_the_record_out(nhs: Any, code: str) -> None:
    result = pseudonymise_record(_with(nhs_number=nhs), P)
    assert result.record is None
    assert _codes(result) == [code]
    assert result.findings[0].path == "/nhs_number"
    assert str(nhs) not in result.findings[0].message


def test_nhs_number_is_masked_in_findings() -> None:
    assert mask("999 000 0017") == "*** *** **17"
    assert mask("9990000017") == "********17"
    result = pseudonymise_record(_with(nhs_number="999 000 0017"), P)
    assert "*** *** **17" in result.findings[0].message


def test_no_nhs_number_means_no_person_id() -> None:
    for absent in (None, "null"):
        data = _with(nhs_number=None)
        if absent == "null":
            data["nhs_number"] = None
        out = pseudonymise_record(data, P).record
        assert out is not None
        assert "person_id" not in out


def test_a_supplied_person_id_is_refused() -> None:
    result = pseudonymise_record(_with(person_id="a" * 64), P)
    assert result.record is None
    assert _codes(result) == ["SPC-P023"]


@pytest.mark.parametrize("case_id", [None, "", "  ", 42, "x" * 201])
def test_bad_local_case_references_keep_the_record_out(case_id: Any) -> None:
    data = _with(case_id=None)
    if case_id is not None:
        data["case_id"] = case_id
    result = pseudonymise_record(data, P)
    assert result.record is None
    assert _codes(result) == ["SPC-P022"]


def test_identifying_field_outside_the_top_level_is_refused() -> None:
    data = _with()
    data["demographics"]["date_of_birth"] = "1946-02-01"
    result = pseudonymise_record(data, P)
    assert result.record is None
    assert ("SPC-S002", "/demographics/date_of_birth") in [
        (f.code, f.path) for f in result.findings
    ]


def test_nhs_number_in_free_text_keeps_the_record_out() -> None:
    data = _with()
    data["support_offered"]["social_prescriptions"][0]["community_group"] = "Ref 999 000 0026"
    result = pseudonymise_record(data, P)
    assert result.record is None
    assert [(f.code, f.path) for f in result.findings] == [
        ("SPC-P030", "/support_offered/social_prescriptions/0/community_group")
    ]


def test_ten_digits_failing_modulus_11_are_not_taken_for_nhs_numbers() -> None:
    data = _with()
    data["support_offered"]["social_prescriptions"][0]["community_group"] = "Tel 9990000017"
    assert pseudonymise_record(data, P).findings == ()


@pytest.mark.parametrize(
    ("group", "warned"),
    [
        ("Testperson family support", True),
        ("TESTPERSON", True),
        ("Ada's circle", True),
        ("Adastral Park walkers", False),  # "Ada" inside a longer word
        ("Northshire Friends", False),
    ],
)
def test_name_or_postcode_in_free_text_is_a_warning(group: str, warned: bool) -> None:
    data = _with()
    data["support_offered"]["social_prescriptions"][0]["community_group"] = group
    result = pseudonymise_record(data, P)
    assert result.record is not None
    assert _codes(result) == (["SPC-P031"] if warned else [])


def test_base_prefixes_finding_paths() -> None:
    result = pseudonymise_record(_with(nhs_number="1"), P, base="/lines/7")
    assert result.findings[0].path == "/lines/7/nhs_number"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)


@given(
    st.dictionaries(
        st.sampled_from(
            [*IDENTIFIABLE_FIELDS, "scheme_id", "referral", "demographics", "person_id"]
        ),
        json_values,
        max_size=8,
    )
)
def test_any_object_gives_a_valid_record_or_errors(data: dict[str, Any]) -> None:
    result = pseudonymise_record(data, P)
    if result.record is None:
        assert any(f.severity == "error" for f in result.findings)
    else:
        assert not list(schemas.validator("case-record").iter_errors(result.record))


def test_a_postcode_in_free_text_is_never_written() -> None:
    data = _with()
    data["support_offered"]["social_prescriptions"][0]["community_group"] = "Meets at NS12AB"
    result = pseudonymise_record(data, P)
    assert result.record is not None
    assert _codes(result) == ["SPC-P032"]
    assert "NS12AB" not in json.dumps(result.record)
