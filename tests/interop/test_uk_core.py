"""UK Core: every resource spcore writes claims its profile and meets the constraints checked."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spcore.cli import main
from spcore.framework.case_record import CaseRecord
from spcore.framework.codelists import load as load_codelist
from spcore.instruments.registry import definitions
from spcore.interop import uk_core
from spcore.interop.fhir_io import Found
from spcore.interop.journey import bundle_to_case, case_to_bundle
from spcore.interop.questionnaire import questionnaire, questionnaire_bundle, questionnaire_url
from spcore.interop.scoring import observations, score_found
from spcore.interop.terminology import sources

EXAMPLE = Path(__file__).parents[2] / "examples" / "cases" / "extract-2025-26.ndjson"

#: The codes of UKCore-EthnicCategoryEngland (uk-core-r4, codesystems/
#: CodeSystem-UKCore-EthnicCategoryEngland.xml), which spcore writes from its codelist.
UK_CORE_ETHNIC_CATEGORIES_ENGLAND = [
    *"ABCDEFGHJKLMNPRSZ",
    "99",
]


def _example_case() -> CaseRecord:
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("demographics", {}).get("ethnic_category"):
            return CaseRecord.model_validate(record)
    raise AssertionError("the example extract has a case with an ethnic category")


def _patient(bundle: dict[str, Any]) -> dict[str, Any]:
    return next(
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    )


def test_profiles_are_uk_core_canonicals_with_a_source() -> None:
    assert "uk-core-r4" in sources()
    for kind, profile in uk_core.profiles().items():
        assert profile.url == f"https://fhir.hl7.org.uk/StructureDefinition/UKCore-{kind}"
        assert profile.status in {"active", "draft"}
        assert profile.locator == f"structuredefinitions/UKCore-{kind}.xml"


def test_the_ethnic_category_codelist_is_uk_cores_england_code_system() -> None:
    codes = [c.code for c in load_codelist("ethnic-category").codes]
    assert codes == UK_CORE_ETHNIC_CATEGORIES_ENGLAND


def test_case_bundle_claims_uk_core_and_meets_its_constraints() -> None:
    bundle = case_to_bundle(_example_case())
    assert bundle["meta"]["profile"][0] == uk_core.profiles()["Bundle"].url
    for entry in bundle["entry"]:
        resource = entry["resource"]
        assert resource["meta"]["profile"] == [uk_core.profiles()[resource["resourceType"]].url]
    assert uk_core.check(bundle) == []
    ethnic = [
        e for e in _patient(bundle)["extension"] if e["url"] == uk_core.ETHNIC_CATEGORY_EXTENSION
    ]
    assert len(ethnic) == 1
    assert ethnic[0]["valueCodeableConcept"]["coding"][0]["system"] == (
        uk_core.ETHNIC_CATEGORY_ENGLAND
    )


def test_questionnaires_and_observations_claim_uk_core() -> None:
    assert uk_core.check(questionnaire_bundle()) == []
    for definition in definitions():
        q = questionnaire(definition.id)
        assert q["meta"]["profile"] == [uk_core.profiles()["Questionnaire"].url]
        assert uk_core.check(q) == []
    response = {
        "resourceType": "QuestionnaireResponse",
        "id": "r",
        "questionnaire": questionnaire_url("phq9"),
        "status": "completed",
        "item": [{"linkId": f"item_{n}", "answer": [{"valueInteger": 1}]} for n in range(1, 10)],
    }
    written = observations(score_found(Found(response, 0, "")))
    assert written
    for observation in written:
        assert observation["meta"]["profile"] == [uk_core.profiles()["Observation"].url]
        assert uk_core.check(observation) == []


def test_claim_keeps_other_profiles_and_skips_unprofiled_types() -> None:
    resource = {"resourceType": "Bundle", "meta": {"profile": ["https://example.org/p"]}}
    uk_core.claim(resource)
    uk_core.claim(resource)
    assert resource["meta"]["profile"] == [
        uk_core.profiles()["Bundle"].url,
        "https://example.org/p",
    ]
    code_system = {"resourceType": "CodeSystem"}
    assert uk_core.claim(code_system) == {"resourceType": "CodeSystem"}


def _break_claim(p: dict[str, Any]) -> None:
    del p["meta"]


def _two_nhs_numbers(p: dict[str, Any]) -> None:
    p["identifier"] = [
        {"system": uk_core.NHS_NUMBER, "value": "9434765919"},
        {"system": uk_core.NHS_NUMBER, "value": "9434765870"},
    ]


def _nhs_number_without_value(p: dict[str, Any]) -> None:
    p["identifier"] = [{"system": uk_core.NHS_NUMBER}]


def _ethnic_as_coding(p: dict[str, Any]) -> None:
    for ext in p["extension"]:
        if ext["url"] == uk_core.ETHNIC_CATEGORY_EXTENSION:
            ext["valueCoding"] = ext.pop("valueCodeableConcept")["coding"][0]


def _ethnic_unknown_code(p: dict[str, Any]) -> None:
    for ext in p["extension"]:
        if ext["url"] == uk_core.ETHNIC_CATEGORY_EXTENSION:
            ext["valueCodeableConcept"]["coding"][0]["code"] = "Q"


def _two_ethnic_categories(p: dict[str, Any]) -> None:
    p["extension"] += [e for e in p["extension"] if e["url"] == uk_core.ETHNIC_CATEGORY_EXTENSION]


def _language_not_bcp47(p: dict[str, Any]) -> None:
    p["communication"] = [{"language": {"text": "English"}}]


@pytest.mark.parametrize(
    ("breaks", "code", "path"),
    [
        (_break_claim, "SPC-H014", "/meta/profile"),
        (_two_nhs_numbers, "SPC-H015", "/identifier"),
        (_nhs_number_without_value, "SPC-H015", "/identifier/0/value"),
        (_ethnic_as_coding, "SPC-H015", "/extension/1"),
        (_ethnic_unknown_code, "SPC-H015", "/extension/1/valueCodeableConcept/coding/0/code"),
        (_two_ethnic_categories, "SPC-H015", "/extension"),
        (_language_not_bcp47, "SPC-H015", "/communication/0/language"),
    ],
)
def test_each_constraint_reports_its_break(breaks: Any, code: str, path: str) -> None:
    patient = copy.deepcopy(_patient(case_to_bundle(_example_case())))
    assert uk_core.check(patient) == []
    breaks(patient)
    found = uk_core.check(patient)
    assert [(f.code, f.path) for f in found] == [(code, path)]


def test_bundles_written_before_uk_core_still_import() -> None:
    case = _example_case()
    bundle = case_to_bundle(case)
    patient = _patient(bundle)
    for ext in patient["extension"]:
        if ext["url"] == uk_core.ETHNIC_CATEGORY_EXTENSION:
            coding = ext.pop("valueCodeableConcept")["coding"][0]
            coding["system"] = "https://spcore.dev/fhir/CodeSystem/ethnic-category"
            ext["url"] = "https://spcore.dev/fhir/StructureDefinition/ethnic-category"
            ext["valueCoding"] = coding
    record, findings = bundle_to_case(bundle)
    assert findings == []
    assert record == case


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda c: (
            st.lists(c, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "meta",
                        "profile",
                        "identifier",
                        "system",
                        "value",
                        "extension",
                        "url",
                        "valueCodeableConcept",
                        "coding",
                        "code",
                        "communication",
                        "language",
                        "entry",
                        "resource",
                    ]
                ),
                c,
                max_size=4,
            )
        ),
        max_leaves=20,
    ),
    st.sampled_from(["Patient", "Bundle", "Observation", "CodeSystem"]),
)
def test_check_never_raises_on_arbitrary_resources(value: Any, kind: str) -> None:
    resource = (
        {**value, "resourceType": kind} if isinstance(value, dict) else {"resourceType": kind}
    )
    for finding in uk_core.check(resource):
        assert finding.code in {"SPC-H014", "SPC-H015"}


def test_cli_check_passes_what_spcore_writes_and_reports_breaks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundles = tmp_path / "bundles.ndjson"
    assert main(["fhir", "export", str(EXAMPLE), "-o", str(bundles)]) == 0
    capsys.readouterr()
    assert main(["fhir", "check", str(bundles)]) == 0
    assert capsys.readouterr().out.endswith("checked against UK Core; 0 findings\n")

    lines = bundles.read_text(encoding="utf-8").splitlines()
    second = json.loads(lines[1])
    del second["entry"][0]["resource"]["meta"]
    lines[1] = json.dumps(second)
    lines.append('{"no": "resourceType"}')
    bundles.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["fhir", "check", str(bundles)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{bundles}:2: SPC-H014 error: The Patient does not claim "
        f"{uk_core.profiles()['Patient'].url}. (at /entry/0/resource/meta/profile)",
        f"{bundles}:{len(lines)}: SPC-H001 error: This JSON object has no resourceType.",
    ]
    single = tmp_path / "questionnaire.json"
    single.write_text(json.dumps(questionnaire("gad7")), encoding="utf-8")
    assert main(["fhir", "check", str(single)]) == 0
    assert main(["fhir", "check", str(tmp_path / "missing.json")]) == 2
