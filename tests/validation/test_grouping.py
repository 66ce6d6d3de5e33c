"""Grouping findings by code and field: patterns, order, and the explanation of each code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import spcore.validation
from spcore import validate_return
from spcore.findings import Finding, Severity, error, pointer, warning
from spcore.validation.explanations import explain
from spcore.validation.grouping import WHOLE_DOCUMENT, field_info, field_pattern, group_findings

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "examples" / "returns" / "northshire-connect-2025-26-Q2.json"


def valid_doc() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(VALID.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(
    ("path", "pattern"),
    [
        ("", ""),
        ("/period", "/period"),
        ("/outputs/community_groups/groups/12/name", "/outputs/community_groups/groups/*/name"),
        ("/outputs/referred_by_age_band/18-25", "/outputs/referred_by_age_band/*"),
        (
            "/outputs/total_investment/by_funding_source/grant/value",
            "/outputs/total_investment/by_funding_source/*/value",
        ),
        ("/monitoring/rag_caseload_at_end/green", "/monitoring/rag_caseload_at_end/*"),
        (
            "/impact_on_person/instruments/3/instrument",
            "/impact_on_person/instruments/*/instrument",
        ),
        # Outside the schema: names kept, list positions generalised.
        ("/outputs/people_refered", "/outputs/people_refered"),
        (
            "/outputs/community_groups/groups/1/extra/4",
            "/outputs/community_groups/groups/*/extra/*",
        ),
        ("/a~1b/0", "/a~1b/*"),
    ],
)
def test_field_pattern(path: str, pattern: str) -> None:
    assert field_pattern(path) == pattern


def test_field_titles_and_sections_come_from_the_schema() -> None:
    info = field_info("/outputs/community_groups/groups/7/name")
    assert info.title == "Groups referred to › Group name"
    assert (info.section, info.section_title) == ("outputs", "Phase 1 outputs")
    assert field_info("/outputs/people_referred").title == "People referred"
    assert field_info("/outputs/people_refered").title is None
    root = field_info("")
    assert (root.section, root.section_title) == ("", WHOLE_DOCUMENT)


def test_unknown_schema_generalises_only_positions() -> None:
    info = field_info("/outputs/referred_by_age_band/18-25/3", "no-such-schema")
    assert info.pattern == "/outputs/referred_by_age_band/18-25/*"
    assert info.section == ""


def test_groups_are_errors_first_then_in_document_order() -> None:
    findings = [
        warning("SPC-W1", "/scheme/name", "w"),
        error("SPC-S005", "/monitoring/contacts", "m"),
        error("SPC-S005", "/outputs/people_referred", "o"),
        error("SPC-S006", "/period", "p"),
        error("SPC-S002", "/scheme/nmae", "s"),
        error("SPC-F005", "", "f"),
        error("SPC-S005", "/impact_on_system/cohort_size", "i"),
    ]
    groups = group_findings(findings)
    assert [(g.severity, g.section) for g in groups] == [
        (Severity.ERROR, ""),
        (Severity.ERROR, "scheme"),
        (Severity.ERROR, "period"),
        (Severity.ERROR, "outputs"),
        (Severity.ERROR, "monitoring"),
        (Severity.ERROR, "impact_on_system"),
        (Severity.WARNING, "scheme"),
    ]


def test_fields_within_a_section_follow_the_schema() -> None:
    groups = group_findings(
        [
            error("SPC-S005", "/outputs/volunteers/count", "v"),
            error("SPC-S005", "/outputs/people_referred", "r"),
            error("SPC-S003", "/outputs/people_benefiting", "b"),
            error("SPC-S005", "/outputs/community_groups/groups/0/referrals", "g"),
            error("SPC-S007", "/outputs/community_groups/groups/9/name", "n"),
        ]
    )
    assert [g.field for g in groups] == [
        "/outputs/people_referred",
        "/outputs/people_benefiting",
        # In a list, fields follow the schema whichever entry the first finding is in.
        "/outputs/community_groups/groups/*/name",
        "/outputs/community_groups/groups/*/referrals",
        "/outputs/volunteers/count",
    ]


def _return_with_bad_groups(n: int) -> dict[str, Any]:
    doc = valid_doc()
    doc["outputs"]["community_groups"]["groups"] = [
        {"name": f"Group {i}", "referrals": -1} for i in range(n)
    ]
    return doc


def test_three_hundred_bad_rows_are_one_group() -> None:
    report = validate_return(_return_with_bad_groups(300))
    (group,) = report.groups()
    assert (group.code, group.field, group.count) == (
        "SPC-S005",
        "/outputs/community_groups/groups/*/referrals",
        300,
    )
    assert [f.path for f in group.first(5)] == [
        f"/outputs/community_groups/groups/{i}/referrals" for i in range(5)
    ]
    assert group.hidden(5) == 295
    assert group.hidden(None) == group.hidden(0) == 0


_PATHS = st.lists(
    st.one_of(
        st.sampled_from(["outputs", "scheme", "groups", "community_groups", "period", "x~y/z"]),
        st.integers(0, 3),
        st.text(max_size=4),
    ),
    max_size=5,
).map(lambda tokens: pointer(*tokens))
_FINDINGS = st.builds(
    Finding,
    code=st.sampled_from(["SPC-S001", "SPC-S002", "SPC-R001"]),
    severity=st.sampled_from(list(Severity)),
    path=_PATHS,
    message=st.text(max_size=10),
)


@given(st.lists(_FINDINGS, max_size=30))
def test_every_finding_is_in_exactly_one_group(findings: list[Finding]) -> None:
    groups = group_findings(findings)
    assert sum(g.count for g in groups) == len(findings)
    assert sorted(id(f) for g in groups for f in g.findings) == sorted(id(f) for f in findings)
    keys = [(g.code, g.severity, g.field) for g in groups]
    assert len(keys) == len(set(keys))
    for g in groups:
        assert all(f.code == g.code and f.severity is g.severity for f in g.findings)
        assert all(field_pattern(f.path) == g.field for f in g.findings)
    ranks = [0 if g.severity is Severity.ERROR else 1 for g in groups]
    assert ranks == sorted(ranks)


# -- explanations: read defensively from FINDING_CODES and RULES -------------


@attrs.frozen
class _Rule:
    code: str
    title: str
    rationale: str
    source: str = "nhse-cof-2018."


def test_explain_uses_the_code_meaning() -> None:
    explanation = explain("SPC-S005")
    assert explanation.meaning == spcore.validation.FINDING_CODES["SPC-S005"]
    assert explanation.title is None


@pytest.mark.parametrize(
    "rules",
    [
        {"SPC-R900": _Rule("SPC-R900", "Benefiting within referred", "nhse-cof-2018 output 1.")},
        [_Rule("SPC-R900", "Benefiting within referred", "nhse-cof-2018 output 1.")],
        {
            "SPC-R900": {
                "title": "Benefiting within referred",
                "rationale": "nhse-cof-2018 output 1.",
            }
        },
    ],
)
def test_explain_reads_rules_of_any_likely_shape(
    rules: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spcore.validation, "RULES", rules, raising=False)
    explanation = explain("SPC-R900")
    assert (explanation.title, explanation.rationale) == (
        "Benefiting within referred",
        "nhse-cof-2018 output 1.",
    )


@pytest.mark.parametrize("rules", [None, 42, "text", {"SPC-R900": 7}, [object()]])
def test_explain_survives_odd_rule_registries(rules: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spcore.validation, "RULES", rules, raising=False)
    explanation = explain("SPC-R900")
    assert (explanation.title, explanation.rationale) == (None, None)
    assert explain("NOT-A-CODE").meaning is None
