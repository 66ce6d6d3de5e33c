"""The scheme-facts file: the example loads; every bad file is a finding, never an exception;
facts merge into a return that validates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.aggregation.both_paths import aggregate
from tests.aggregation.builders import case
from tests.aggregation.test_hand_worked import extract

from spcore.aggregation import load_facts, parse_facts, suppress
from spcore.aggregation.facts import MAX_FACTS_BYTES
from spcore.validation import validate_return

EXAMPLE = Path(__file__).parents[2] / "examples" / "cases" / "scheme-facts.yaml"


def example_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(yaml.safe_load(EXAMPLE.read_text()), default=str))
    return data


def test_the_example_facts_file_is_valid() -> None:
    facts, findings = load_facts(EXAMPLE)
    assert findings == []
    assert facts is not None
    assert facts.scheme.id == "NORTHSHIRE-CONNECT"
    assert facts.link_workers is not None
    assert facts.link_workers.headcount == 6


def test_json_facts_are_read_too(tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(example_data()), encoding="utf-8")
    facts, findings = load_facts(path)
    assert findings == []
    assert facts is not None


def test_the_hand_worked_extract_with_facts_is_a_valid_return() -> None:
    facts, _ = load_facts(EXAMPLE)
    result = aggregate(extract(), "2025-26 Q2", facts)
    assert result.missing == {}
    assert result.validation.findings == ()
    assert result.is_valid
    model = result.to_model()
    assert model is not None
    assert model.outputs.people_referred == 4
    assert set(result.from_facts) == {
        "/scheme", "/prepared_on", "/outputs/link_workers", "/outputs/link_worker_salaries",
        "/outputs/volunteers", "/outputs/total_investment",
        "/monitoring/families_supported_without_cases", "/impact_on_system",
        "/impact_on_community_groups",
    }  # fmt: skip
    assert result.document["monitoring"]["families_supported_without_cases"] == 14
    morale = result.document["impact_on_system"]["staff_morale"]
    assert set(morale) == {"general_practice", "other_referral_agencies"}
    assert validate_return(json.loads(json.dumps(result.document))).is_valid


def test_the_suppressed_return_is_valid_and_says_how_it_was_suppressed() -> None:
    facts, _ = load_facts(EXAMPLE)
    result = aggregate(extract(), "2025-26 Q2", facts, suppress=True)
    assert result.validation.findings == ()
    control = result.document["disclosure_control"]
    assert control["rule"] == "nhs-digital-1-7-round-5"
    # Every figure of this small extract is 1-7 or 0.
    assert result.document["outputs"]["people_referred"] is None
    assert result.document["outputs"]["link_workers"]["headcount"] == 6  # a fact: left as given
    assert result.document == suppress(aggregate(extract(), "2025-26 Q2", facts).document)


def test_facts_from_another_scheme_leave_its_cases_out() -> None:
    facts, _ = load_facts(EXAMPLE)
    records = [case("CASE-0001", "2025-07-01", scheme="SOMEWHERE-ELSE")]
    result = aggregate(records, "2025-26 Q2", facts)
    assert result.records_skipped == 1
    assert [f.code for f in result.findings] == ["SPC-A003"]


def test_the_facts_average_is_used_only_when_no_contact_is_timed() -> None:
    data = example_data()
    data["average_time_per_person"] = {"value": 2, "unit": "hour"}
    facts, _ = parse_facts(data)
    untimed = [case("CASE-0001", "2025-07-01", contacts=[("2025-07-02", "telephone")])]
    result = aggregate(untimed, "2025-26 Q2", facts)
    assert result.document["outputs"]["average_time_per_person"] == {"value": 2.0, "unit": "hour"}
    assert "/outputs/average_time_per_person" in result.from_facts
    timed = [case("CASE-0001", "2025-07-01", contacts=[("2025-07-02", "telephone", 25)])]
    result = aggregate(timed, "2025-26 Q2", facts)
    assert result.document["outputs"]["average_time_per_person"]["value"] == 25.0
    assert "SPC-A023" in {f.code for f in result.findings}
    # With no contact at all, the cases time nothing, so the facts' figure stands too.
    unseen = [case("CASE-0001", "2025-07-01")]
    result = aggregate(unseen, "2025-26 Q2", facts)
    assert result.document["outputs"]["average_time_per_person"] == {"value": 2.0, "unit": "hour"}
    assert "/outputs/average_time_per_person" in result.from_facts
    assert "/outputs/average_time_per_person" not in result.derived
    assert "SPC-A023" not in {f.code for f in result.findings}


@pytest.mark.parametrize(
    ("change", "code", "path"),
    [
        (lambda d: d.pop("scheme"), "SPC-S001", "/scheme"),
        (lambda d: d.update(link_worker=3), "SPC-S002", "/link_worker"),
        (
            lambda d: d["link_workers"].update(headcount="six"),
            "SPC-S003",
            "/link_workers/headcount",
        ),
        (lambda d: d["volunteers"].update(count=-1), "SPC-S005", "/volunteers/count"),
        (lambda d: d["scheme"].update(model="bespoke"), "SPC-S004", "/scheme/model"),
        (lambda d: d.update(prepared_on="14/10/2025"), "SPC-S006", "/prepared_on"),
    ],
)
def test_bad_facts_are_findings_with_pointers(change: Any, code: str, path: str) -> None:
    data = example_data()
    change(data)
    facts, findings = parse_facts(data)
    assert facts is None
    assert (findings[0].code, findings[0].path) == (code, path)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"scheme: &a {id: X}\nother: *a\n", "SPC-A010"),
        (b"scheme: {id: X}\nscheme: {id: Y}\n", "SPC-A010"),
        (b"scheme: [unclosed\n", "SPC-A010"),
        (b"- a list\n", "SPC-F005"),
        (b"scheme: caf\xe9\n", "SPC-F006"),
        (b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n", "SPC-F004"),
        (b"a: " + b"[" * 100 + b"]" * 100 + b"\n", "SPC-F004"),
    ],
)
def test_unreadable_facts_files_are_findings(tmp_path: Path, content: bytes, code: str) -> None:
    path = tmp_path / "facts.yaml"
    path.write_bytes(content)
    facts, findings = load_facts(path)
    assert facts is None
    assert [f.code for f in findings] == [code]


def test_missing_folder_and_huge_facts_files_are_findings(tmp_path: Path) -> None:
    assert load_facts(tmp_path / "absent.yaml")[1][0].code == "SPC-F001"
    assert load_facts(tmp_path)[1][0].code == "SPC-F001"
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"notes: " + b"x" * (MAX_FACTS_BYTES + 1))
    assert load_facts(huge)[1][0].code == "SPC-F002"


def test_a_facts_file_of_many_keys_is_refused_quickly(tmp_path: Path) -> None:
    # 60,000 keys: a quadratic duplicate check would take minutes; this must not.
    path = tmp_path / "facts.yaml"
    path.write_text("".join(f"k{i}: 1\n" for i in range(60_000)), encoding="utf-8")
    facts, findings = load_facts(path)
    assert facts is None
    assert findings[0].code == "SPC-S002"
