"""Rule files: bundled examples, invalid files rejected with findings, hostile YAML."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from spcore.eligibility import (
    FINDING_CODES,
    MAX_DEPTH,
    MAX_RULE_FILE_BYTES,
    load_rules,
    parse_rules,
    read_rule_data,
    rules_json_schema,
    secondary_care_rules,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "rules").glob("*.yaml"))
VALIDATOR = jsonschema.Draft202012Validator(rules_json_schema())


def doc(rule: Any) -> dict[str, Any]:
    return {"id": "t", "title": "test", "rule": rule}


def codes(data: Any) -> list[tuple[str, str]]:
    rules, findings = parse_rules(data)
    assert rules is None
    assert findings, "an invalid rule file must give findings"
    return [(f.code, f.path) for f in findings]


def test_there_are_three_bundled_examples() -> None:
    assert {p.stem for p in EXAMPLES} >= {
        "secondary-care",
        "long-term-conditions-activation",
        "isolated-frequent-attenders",
    }


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_load_and_match_schema(path: Path) -> None:
    rules, findings = load_rules(path)
    assert findings == []
    assert rules is not None
    data, _ = read_rule_data(path.read_text(encoding="utf-8"))
    VALIDATOR.validate(data)


def test_secondary_care_example_is_the_builtin_rule_set() -> None:
    rules, _ = load_rules(ROOT / "examples" / "rules" / "secondary-care.yaml")
    assert rules == secondary_care_rules()


def test_json_rule_file(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps(doc({"lives_alone": True})), encoding="utf-8")
    rules, findings = load_rules(path)
    assert rules is not None
    assert findings == []


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (doc({"all": [{"agee": {"at_least": 18}}]}), [("SPC-E010", "/rule/all/0/agee")]),
        (doc({"lives_alone": "yes"}), [("SPC-E013", "/rule/lives_alone")]),
        (doc({"age": {"at_least": "18"}}), [("SPC-E013", "/rule/age/at_least")]),
        (doc({"age": {"at_least": 18.5}}), [("SPC-E013", "/rule/age/at_least")]),
        (doc({"age": {"at_least": True}}), [("SPC-E013", "/rule/age/at_least")]),
        (doc({"all": []}), [("SPC-E012", "/rule/all")]),
        (doc({"any": []}), [("SPC-E012", "/rule/any")]),
        (doc({"lives_alone": True, "age": {}}), [("SPC-E011", "/rule")]),
        (doc({}), [("SPC-E011", "/rule")]),
        (doc([{"lives_alone": True}]), [("SPC-E011", "/rule")]),
        (doc({"age": {"at_least": 18, "min": 3}}), [("SPC-E015", "/rule/age/min")]),
        (doc({"age": {}}), [("SPC-E014", "/rule/age")]),
        # JSON Schema cannot compare two values; only the library catches this one.
        pytest.param(
            doc({"age": {"at_least": 30, "at_most": 20}}),
            [("SPC-E014", "/rule/age")],
            id="library-only",
        ),
        (doc({"age": {"at_least": 18, "more_than": 17}}), [("SPC-E014", "/rule/age")]),
        (doc({"age": {"at_least": -1}}), [("SPC-E014", "/rule/age/at_least")]),
        (doc({"pam_level": {"levels": [5]}}), [("SPC-E014", "/rule/pam_level/levels/0")]),
        (doc({"pam_level": {"levels": []}}), [("SPC-E014", "/rule/pam_level/levels")]),
        (doc({"discharged_within": {}}), [("SPC-E014", "/rule/discharged_within")]),
        (
            doc({"no_referral_exclusion": {"exclusions": ["bored"]}}),
            [("SPC-E014", "/rule/no_referral_exclusion/exclusions/0")],
        ),
        (
            doc({"referral_criterion": {"any_of": ["not-a-code"]}}),
            [("SPC-E014", "/rule/referral_criterion")],
        ),
        # NaN cannot be written in JSON; YAML's .nan can, and the library refuses it.
        pytest.param(
            doc({"weekly_medication_spend_gbp": {"more_than": float("nan")}}),
            [("SPC-E014", "/rule/weekly_medication_spend_gbp/more_than")],
            id="library-only",
        ),
        ({"title": "t", "rule": {"lives_alone": True}}, [("SPC-E016", "/id")]),
        ({**doc({"lives_alone": True}), "version": 2}, [("SPC-E015", "/version")]),
        ({**doc({"lives_alone": True}), "id": "Has Spaces"}, [("SPC-E014", "/id")]),
        ([], [("SPC-E013", "")]),
        (
            doc({"not": {"all": [{"lives_alone": 1}, {"any": []}]}}),
            [("SPC-E013", "/rule/not/all/0/lives_alone"), ("SPC-E012", "/rule/not/all/1/any")],
        ),
    ],
)
def test_invalid_rule_files_give_findings(
    data: Any, expected: list[tuple[str, str]], request: pytest.FixtureRequest
) -> None:
    assert codes(data) == expected
    if "library-only" not in request.node.name:
        # The published schema rejects the same documents.
        assert not VALIDATOR.is_valid(data)


def test_unknown_criterion_suggests_the_closest_name() -> None:
    _, findings = parse_rules(doc({"live_alone": True}))
    assert "Did you mean 'lives_alone'?" in findings[0].message


def test_finding_messages_are_one_sentence_without_internal_tags() -> None:
    _, findings = parse_rules(doc({"all": [{"lives_alone": 1}]}))
    assert "node:" not in findings[0].message
    assert findings[0].message.startswith("At /rule/all/0/lives_alone:")


def yaml_codes(text: str) -> list[str]:
    data, findings = read_rule_data(text)
    assert data is None
    return [f.code for f in findings]


def test_yaml_aliases_are_refused() -> None:
    bomb = "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n"
    assert yaml_codes(bomb) == ["SPC-E003"]


def test_duplicate_keys_are_refused() -> None:
    assert yaml_codes("id: a\nid: b\n") == ["SPC-E005"]


def test_syntax_errors_are_findings() -> None:
    assert yaml_codes("rule: [unclosed\n") == ["SPC-E002"]
    assert yaml_codes("a: b: c\n") == ["SPC-E002"]


def test_deep_nesting_is_refused() -> None:
    deep = "rule: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    assert yaml_codes(deep) == ["SPC-E004"]
    nested: dict[str, Any] = {"lives_alone": True}
    for _ in range(MAX_DEPTH):
        nested = {"not": nested}
    assert codes(doc(nested)) == [("SPC-E004", "")]


def test_very_deep_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    rules, findings = load_rules(path)
    assert rules is None
    assert [f.code for f in findings] == ["SPC-E004"]


def test_oversized_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (MAX_RULE_FILE_BYTES + 1))
    assert [f.code for f in load_rules(path)[1]] == ["SPC-E001"]


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("title: caf\xe9\n".encode("latin-1"))
    assert [f.code for f in load_rules(path)[1]] == ["SPC-E002"]


def test_every_emitted_code_is_catalogued() -> None:
    source = "".join(
        p.read_text(encoding="utf-8")
        for p in (ROOT / "src" / "spcore" / "eligibility").glob("*.py")
        if p.name != "__init__.py"
    )
    import re

    emitted = set(re.findall(r'"(SPC-E\d{3})"', source))
    assert emitted == set(FINDING_CODES)
