"""Properties: any data gives a rule set or findings; three-valued logic is exact."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from spcore.eligibility import Outcome, PersonFacts, evaluate, parse_row, parse_rules

FLAGS = [
    "lives_alone",
    "social_isolation",
    "frequent_diffuse_issues",
    "mild_to_moderate_mental_health",
    "known_condition_not_using_services",
    "at_risk_of_developing_condition",
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=20,
)


@given(rule=json_values)
def test_any_data_gives_rules_or_findings(rule: Any) -> None:
    rules, findings = parse_rules({"id": "x", "title": "t", "rule": rule})
    assert (rules is None) == bool(findings)


@given(
    cells=st.dictionaries(
        st.sampled_from(
            [
                "age",
                "pam_level",
                "discharge_date",
                "lives_alone",
                "weekly_medication_spend_gbp",
                "referral_criteria",
            ]
        ),
        st.text(max_size=12),
    )
)
def test_any_cells_give_facts(cells: dict[str, str]) -> None:
    facts, findings = parse_row(cells, row_number=1)
    assert isinstance(facts, PersonFacts)
    assert all(f.code == "SPC-E020" for f in findings)


@st.composite
def flag_rules(draw: st.DrawFn) -> dict[str, Any]:
    # Each fact used at most once (at most 4 leaves, 6 facts), so Kleene logic must be exact.
    names = iter(draw(st.permutations(FLAGS)))

    def node(depth: int) -> dict[str, Any]:
        kind = draw(st.sampled_from(["leaf", "all", "any", "not"] if depth < 2 else ["leaf"]))
        if kind == "leaf":
            return {next(names): draw(st.booleans())}
        if kind == "not":
            return {"not": node(depth + 1)}
        return {kind: [node(depth + 1) for _ in range(draw(st.integers(1, 2)))]}

    return node(0)


@given(rule=flag_rules(), known=st.dictionaries(st.sampled_from(FLAGS), st.booleans()))
def test_needs_review_exactly_when_missing_facts_could_change_the_outcome(
    rule: dict[str, Any], known: dict[str, bool]
) -> None:
    rules, findings = parse_rules({"id": "x", "title": "t", "rule": rule})
    assert rules is not None, findings
    as_of = dt.date(2025, 6, 30)
    got = evaluate(rules, PersonFacts(**known), as_of=as_of).outcome
    unknown = sorted(rules.facts() - set(known))
    outcomes = {
        evaluate(
            rules, PersonFacts(**known, **dict(zip(unknown, values, strict=True))), as_of=as_of
        ).outcome
        for values in itertools.product([True, False], repeat=len(unknown))
    }
    if len(outcomes) == 1:
        assert got is outcomes.pop()
    else:
        assert got is Outcome.NEEDS_REVIEW
