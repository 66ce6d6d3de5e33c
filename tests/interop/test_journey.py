"""A case record to a FHIR Bundle and back: exact round trip, structure, bad Bundles."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from fhirclient.models.bundle import Bundle
from hypothesis import given
from hypothesis import strategies as st
from tests.aggregation.case_strategies import case_records
from tests.interop.journey_strategies import complete_records, stated_defaults

from spcore.cli import main
from spcore.framework.case_record import CaseRecord
from spcore.interop import uk_core
from spcore.interop.fields import case_record_fields
from spcore.interop.journey import bundle_to_case, case_json_data, case_to_bundle
from spcore.interop.terminology import SNOMED, code_system_url, extension_url

EXAMPLE = Path(__file__).parents[2] / "examples" / "cases" / "case-7f3a9c.json"


@st.composite
def full_records(draw: st.DrawFn) -> dict[str, Any]:
    """Generated case records; the fields the aggregation strategies leave out are filled too."""
    record = draw(case_records())
    if draw(st.booleans()):
        record["$schema"] = "https://spcore.dev/schema/0.1/case-record.schema.json"
    demographics = record["demographics"]
    if draw(st.booleans()):
        demographics["ethnic_category"] = draw(st.sampled_from(["A", "C", "M", "Z", "99"]))
    if draw(st.booleans()):
        demographics["interpreter_needed"] = draw(st.booleans())
    if draw(st.booleans()):
        demographics["gender"] = draw(st.sampled_from(["1", "2", "9", "X"]))
    return record


def _references(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return found + [r for v in value.values() for r in _references(v)]
    if isinstance(value, list):
        return [r for v in value for r in _references(v)]
    return []


def _structurally_valid(bundle: dict[str, Any]) -> None:
    """FHIR R4 structure (fhirclient), and the profile's own invariants."""
    Bundle(copy.deepcopy(bundle), strict=True)
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(urls) == len(set(urls)), "full URLs are unique"
    assert set(_references(bundle)) <= set(urls), "every reference resolves inside the Bundle"
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("Patient") == kinds.count("EpisodeOfCare") == 1
    for entry in bundle["entry"]:
        resource = entry["resource"]
        assert "identifier" not in resource or resource["resourceType"] in (
            "Patient",
            "EpisodeOfCare",
        )
        if resource["resourceType"] == "Patient":
            allowed = {"resourceType", "id", "meta", "extension", "identifier", "gender"}
            assert set(resource) <= allowed
            # Pseudonymous: never an NHS number, whatever UK Core would allow.
            assert all(i["system"] != uk_core.NHS_NUMBER for i in resource.get("identifier", []))
    # Every resource claims its UK Core profile and meets the constraints checked offline.
    assert uk_core.check(bundle) == []
    assert all(
        e["resource"]["meta"]["profile"][0].startswith(uk_core.UK_CORE) for e in bundle["entry"]
    )


def _as_stated(value: Any) -> Any:
    """JSON data as a record states it: ``null`` is absence, 7.0 is the number 7."""
    if isinstance(value, dict):
        return {k: _as_stated(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_as_stated(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _round_trip(data: dict[str, Any]) -> dict[str, Any]:
    """Export ``data`` to a Bundle, check the Bundle, import it; the record's JSON back."""
    record = CaseRecord.model_validate(data)
    bundle = case_to_bundle(record)
    _structurally_valid(bundle)
    back, findings = bundle_to_case(json.loads(json.dumps(bundle)))
    assert findings == []
    assert back == record
    written = case_json_data(back)
    assert json.dumps(written) == json.dumps(case_json_data(record))
    return written


def _fields_of(value: Any, path: str = "") -> set[str]:
    """The case-record fields (as :func:`case_record_fields` spells them) ``value`` holds."""
    fields = set(case_record_fields())
    found: set[str] = set()
    for key, inner in value.items():
        where = f"{path}{key}"
        if where in fields:
            found.add(where)
        elif isinstance(inner, dict):
            found |= _fields_of(inner, f"{where}.")
        elif isinstance(inner, list):
            for item in inner:
                found |= _fields_of(item, f"{where}.[].")
    return found


@given(complete_records().flatmap(stated_defaults))
def test_export_then_import_is_the_identity_on_complete_records(data: dict[str, Any]) -> None:
    """Every field filled, every list non-empty, some defaults stated: all of it comes back."""
    assert _round_trip(data) == _as_stated(data)


@given(complete_records())
def test_complete_records_fill_every_field(data: dict[str, Any]) -> None:
    # A field added to the case record fails here until the strategy fills it.
    assert _fields_of(data) == set(case_record_fields())


@given(full_records())
def test_every_mapped_field_round_trips_exactly(data: dict[str, Any]) -> None:
    """Optional fields absent, null, empty or given: the record comes back as it was stated."""
    assert _round_trip(data) == _as_stated(data)


def test_the_bundled_example_round_trips() -> None:
    record = CaseRecord.model_validate_json(EXAMPLE.read_text(encoding="utf-8"))
    bundle = case_to_bundle(record)
    _structurally_valid(bundle)
    assert bundle_to_case(bundle) == (record, [])


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _snomed_codes(resource: dict[str, Any]) -> set[str]:
    return {
        c["code"] for c in resource.get("code", {}).get("coding", []) if c.get("system") == SNOMED
    }


def test_referral_code_only_when_accepted_and_declined_code_when_declined() -> None:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    accepted = case_to_bundle(CaseRecord.model_validate(data))
    referral = next(r for r in _resources(accepted, "ServiceRequest") if r["id"] == "referral")
    assert _snomed_codes(referral) == {"871731000000106"}
    data["referral"]["rejection"] = {
        "date": data["referral"]["date"],
        "reason": "declined-by-person",
    }
    data.pop("closure", None)
    declined = case_to_bundle(CaseRecord.model_validate(data))
    referral = next(r for r in _resources(declined, "ServiceRequest") if r["id"] == "referral")
    assert _snomed_codes(referral) == set()
    assert any(_snomed_codes(o) == {"871711000000103"} for o in _resources(declined, "Observation"))
    task = _resources(declined, "Task")[0]
    assert task["status"] == "rejected"


def _example_bundle() -> dict[str, Any]:
    return case_to_bundle(CaseRecord.model_validate_json(EXAMPLE.read_text(encoding="utf-8")))


def _break_reference(bundle: dict[str, Any]) -> None:
    episode = _resources(bundle, "EpisodeOfCare")[0]
    episode["patient"] = {"reference": "urn:uuid:00000000-0000-0000-0000-000000000000"}


def _unknown_code(bundle: dict[str, Any]) -> None:
    _resources(bundle, "Encounter")[0]["type"][0]["coding"][0]["code"] = "teleportation"


def _no_episode(bundle: dict[str, Any]) -> None:
    bundle["entry"] = [
        e for e in bundle["entry"] if e["resource"]["resourceType"] != "EpisodeOfCare"
    ]


def _wrong_shape(bundle: dict[str, Any]) -> None:
    _resources(bundle, "Encounter")[0]["period"] = "yesterday"


def _not_a_bundle(bundle: dict[str, Any]) -> None:
    bundle["resourceType"] = "Patient"


def _reference_to_wrong_type(bundle: dict[str, Any]) -> None:
    episode = _resources(bundle, "EpisodeOfCare")[0]
    episode["patient"] = episode["referralRequest"][0]


def _bad_stated_default(bundle: dict[str, Any]) -> None:
    episode = _resources(bundle, "EpisodeOfCare")[0]
    episode.setdefault("extension", []).append(
        {"url": extension_url("stated-default"), "valueString": "outcomes.measures.9.score_name"}
    )


@pytest.mark.parametrize(
    "path",
    ["", "nothing", "case_id", "referral.criteria", "outcomes.measures.0", "closure.date", 3],
)
def test_a_stated_default_naming_no_defaulted_field_is_refused(path: Any) -> None:
    bundle = _example_bundle()
    episode = _resources(bundle, "EpisodeOfCare")[0]
    episode.setdefault("extension", []).append(
        {"url": extension_url("stated-default"), "valueString": path}
    )
    record, findings = bundle_to_case(bundle)
    assert record is None
    assert [f.code for f in findings] == ["SPC-H011"]


def _service_counted_twice(bundle: dict[str, Any]) -> None:
    window = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": code_system_url("case-journey"), "code": "service-use"}]},
        "effectivePeriod": {"start": "2025-01-01", "end": "2025-12-31"},
        "component": [
            {
                "code": {"coding": [{"system": code_system_url("service"), "code": service}]},
                "valueInteger": 1,
            }
            for service in ("gp-consultations", "gp-consultations")
        ],
    }
    bundle["entry"].append({"fullUrl": "urn:uuid:window", "resource": window})


@pytest.mark.parametrize(
    ("breaker", "code"),
    [
        (_bad_stated_default, "SPC-H011"),
        (_service_counted_twice, "SPC-H011"),
        (_break_reference, "SPC-H009"),
        (_unknown_code, "SPC-H010"),
        (_no_episode, "SPC-H008"),
        (_wrong_shape, "SPC-H011"),
        (_not_a_bundle, "SPC-H002"),
        (_reference_to_wrong_type, "SPC-H009"),
    ],
)
def test_bad_bundles_give_coded_findings(breaker: Any, code: str) -> None:
    bundle = _example_bundle()
    breaker(bundle)
    record, findings = bundle_to_case(bundle)
    assert record is None
    assert [f.code for f in findings] == [code]


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda c: (
            st.lists(c, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    ["resourceType", "entry", "resource", "fullUrl", "id", "code", "period"]
                ),
                c,
                max_size=4,
            )
        ),
        max_leaves=20,
    )
)
def test_arbitrary_json_never_raises(value: Any) -> None:
    record, findings = bundle_to_case(
        value if isinstance(value, dict) else {"resourceType": "Bundle", "entry": value}
    )
    assert record is None or isinstance(record, CaseRecord)
    assert record is not None or findings


def test_cli_export_then_import_gives_the_extract_back(tmp_path: Path) -> None:
    extract = Path(__file__).parents[2] / "examples" / "cases" / "extract-2025-26.ndjson"
    bundles = tmp_path / "bundle.ndjson"
    cases = tmp_path / "cases.ndjson"
    assert main(["fhir", "export", str(extract), "-o", str(bundles)]) == 0
    assert main(["fhir", "import", str(bundles), "-o", str(cases)]) == 0
    original = [
        CaseRecord.model_validate_json(line)
        for line in extract.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    back = [
        CaseRecord.model_validate_json(line)
        for line in cases.read_text(encoding="utf-8").splitlines()
    ]
    assert back == original
    for line in bundles.read_text(encoding="utf-8").splitlines():
        _structurally_valid(json.loads(line))


def test_the_reproduction_round_trips_from_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Synthetic records (service use included) out to FHIR and back, with nothing on stderr."""
    cases, bundles, back = (tmp_path / n for n in ("c.ndjson", "b.ndjson", "c2.ndjson"))
    assert main(["synth", "cases", "5", "--seed", "3", "-o", str(cases)]) == 0
    capsys.readouterr()
    assert main(["fhir", "export", str(cases), "-o", str(bundles)]) == 0
    assert main(["fhir", "import", str(bundles), "-o", str(back)]) == 0
    assert capsys.readouterr().err == ""
    original = [json.loads(line) for line in cases.read_text(encoding="utf-8").splitlines()]
    assert any("service_use" in record for record in original)
    assert [json.loads(line) for line in back.read_text(encoding="utf-8").splitlines()] == original
    for line in bundles.read_text(encoding="utf-8").splitlines():
        _structurally_valid(json.loads(line))
    assert main(["fhir", "check", str(bundles)]) == 0


def test_a_comparison_person_not_referred_has_no_referral_code() -> None:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["cohort"] = "comparison-not-referred"
    bundle = case_to_bundle(CaseRecord.model_validate(data))
    referral = next(r for r in _resources(bundle, "ServiceRequest") if r["id"] == "referral")
    assert _snomed_codes(referral) == set()
    assert referral["code"]["coding"][0]["code"] == "comparison-index"
    assert bundle_to_case(bundle)[0] == CaseRecord.model_validate(data)


def test_a_service_use_window_is_one_observation() -> None:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["service_use"] = [
        {
            "relative_to_referral": "before",
            "start_on": "2024-05-01",
            "end_on": "2025-04-30",
            "months": 12,
            "source": "gp-record",
            "counts": {"gp-consultations": 9, "ae-attendances": 0},
        }
    ]
    bundle = case_to_bundle(CaseRecord.model_validate(data))
    (window,) = [r for r in _resources(bundle, "Observation") if r["id"] == "service-use-0"]
    assert window["effectivePeriod"] == {"start": "2024-05-01", "end": "2025-04-30"}
    counts = {
        c["code"]["coding"][0]["code"]: c["valueInteger"]
        for c in window["component"]
        if c["code"]["coding"][0]["system"] == code_system_url("service")
    }
    assert counts == {"gp-consultations": 9, "ae-attendances": 0}
