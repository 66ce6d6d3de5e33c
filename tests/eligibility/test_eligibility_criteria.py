"""Every criterion on both sides of its threshold, and unknown when its fact is missing."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pytest

from spcore.eligibility import (
    NO_EXCLUSIONS,
    Outcome,
    PersonFacts,
    RuleSet,
    evaluate,
    parse_rules,
    secondary_care_rules,
)

AS_OF = dt.date(2025, 6, 30)


def rules_for(rule: dict[str, Any]) -> RuleSet:
    rules, findings = parse_rules({"id": "t", "title": "test", "rule": rule})
    assert findings == []
    assert rules is not None
    return rules


def decide(rule: dict[str, Any], **facts: Any) -> Outcome:
    return evaluate(rules_for(rule), PersonFacts(**facts), as_of=AS_OF).outcome


E, N, R = Outcome.ELIGIBLE, Outcome.NOT_ELIGIBLE, Outcome.NEEDS_REVIEW

# (rule, facts giving eligible, facts giving not eligible, fact names that leave it unknown)
CASES: list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    ({"age": {"at_least": 18}}, {"age": 18}, {"age": 17}),
    ({"age": {"more_than": 18}}, {"age": 19}, {"age": 17}),
    ({"age": {"at_most": 64}}, {"age": 64}, {"age": 65}),
    ({"age": {"less_than": 65}}, {"age": 64}, {"age": 65}),
    (
        {"age": {"at_least": 18}},
        {"date_of_birth": dt.date(2007, 6, 30)},
        {"date_of_birth": dt.date(2007, 7, 1)},
    ),
    ({"in_secondary_care": True}, {"in_secondary_care": True}, {"in_secondary_care": False}),
    ({"in_secondary_care": False}, {"in_secondary_care": False}, {"in_secondary_care": True}),
    (
        {"discharged_within": {"months": 3}},
        {"discharge_date": dt.date(2025, 3, 30)},
        {"discharge_date": dt.date(2025, 3, 29)},
    ),
    (
        {"discharged_within": {"weeks": 6}},
        {"discharge_date": dt.date(2025, 5, 19)},
        {"discharge_date": dt.date(2025, 5, 18)},
    ),
    (
        {"discharged_within": {"days": 1}},
        {"discharge_date": dt.date(2025, 6, 29)},
        {"discharge_date": dt.date(2025, 7, 1)},
    ),
    (
        {"parent_of_child_patient": True},
        {"parent_of_child_patient": True},
        {"parent_of_child_patient": False},
    ),
    (
        {"no_referral_exclusion": {}},
        NO_EXCLUSIONS,
        {**NO_EXCLUSIONS, "severe_self_harm": True},
    ),
    (
        {"no_referral_exclusion": {"exclusions": ["actively-suicidal"]}},
        {"actively_suicidal": False},
        {"actively_suicidal": True},
    ),
    (
        {"long_term_conditions": {"at_least": 1}},
        {"long_term_conditions": 1},
        {"long_term_conditions": 0},
    ),
    ({"pam_level": {"levels": [1, 2]}}, {"pam_level": 2}, {"pam_level": 3}),
    (
        {"weekly_medication_spend_gbp": {"more_than": 20}},
        {"weekly_medication_spend_gbp": decimal.Decimal("20.01")},
        {"weekly_medication_spend_gbp": decimal.Decimal("20.00")},
    ),
    (
        {"weekly_medication_spend_gbp": {"more_than": 0.1}},
        {"weekly_medication_spend_gbp": decimal.Decimal("0.11")},
        {"weekly_medication_spend_gbp": decimal.Decimal("0.1")},
    ),
    (
        {"clinical_contacts_per_month": {"more_than": 2}},
        {"clinical_contacts_per_month": decimal.Decimal("2.5")},
        {"clinical_contacts_per_month": decimal.Decimal("2")},
    ),
    ({"lives_alone": True}, {"lives_alone": True}, {"lives_alone": False}),
    ({"social_isolation": True}, {"social_isolation": True}, {"social_isolation": False}),
    (
        {"frequent_diffuse_issues": True},
        {"frequent_diffuse_issues": True},
        {"frequent_diffuse_issues": False},
    ),
    (
        {"mild_to_moderate_mental_health": True},
        {"mild_to_moderate_mental_health": True},
        {"mild_to_moderate_mental_health": False},
    ),
    (
        {"known_condition_not_using_services": True},
        {"known_condition_not_using_services": True},
        {"known_condition_not_using_services": False},
    ),
    (
        {"at_risk_of_developing_condition": True},
        {"at_risk_of_developing_condition": True},
        {"at_risk_of_developing_condition": False},
    ),
    (
        {"referral_criterion": {"any_of": ["carer", "housing"]}},
        {"referral_criteria": frozenset({"housing"})},
        {"referral_criteria": frozenset()},
    ),
]


@pytest.mark.parametrize(("rule", "yes", "no"), CASES, ids=lambda v: str(v)[:40])
def test_both_sides_and_missing(
    rule: dict[str, Any], yes: dict[str, Any], no: dict[str, Any]
) -> None:
    assert decide(rule, **yes) is E
    assert decide(rule, **no) is N
    assert decide(rule) is R
    # not() swaps eligible and not eligible, and keeps needs review.
    assert decide({"not": rule}, **yes) is N
    assert decide({"not": rule}, **no) is E
    assert decide({"not": rule}) is R


def test_every_criterion_is_covered_above() -> None:
    from spcore.eligibility import CRITERIA

    assert {next(iter(rule)) for rule, _, _ in CASES} == set(CRITERIA)


def test_unknown_exclusion_is_unknown_but_present_one_decides() -> None:
    rule = {"no_referral_exclusion": {}}
    assert decide(rule, mental_health_crisis=False) is R
    assert decide(rule, mental_health_crisis=True) is N


def test_date_of_birth_wins_over_age_and_future_birth_is_unknown() -> None:
    rule = {"age": {"at_least": 18}}
    assert decide(rule, date_of_birth=dt.date(2010, 1, 1), age=40) is N
    assert decide(rule, date_of_birth=dt.date(2030, 1, 1)) is R


def test_kleene_missing_fact_only_matters_when_it_could_change_the_outcome() -> None:
    anyrule = {"any": [{"lives_alone": True}, {"social_isolation": True}]}
    assert decide(anyrule, lives_alone=True) is E  # social_isolation unknown, irrelevant
    assert decide(anyrule, lives_alone=False) is R
    allrule = {"all": [{"lives_alone": True}, {"social_isolation": True}]}
    assert decide(allrule, lives_alone=False) is N  # one failure decides
    assert decide(allrule, lives_alone=True) is R


def test_decision_lists_met_failed_unknown_and_decisive_reasons() -> None:
    rules = rules_for(
        {"all": [{"age": {"at_least": 18}}, {"lives_alone": True}, {"pam_level": {"levels": [1]}}]}
    )
    decision = evaluate(rules, PersonFacts(age=40, lives_alone=False), as_of=AS_OF)
    assert decision.outcome is N
    assert [r.criterion for r in decision.met] == ["age"]
    assert [r.criterion for r in decision.failed] == ["lives_alone"]
    assert [r.criterion for r in decision.unknown] == ["pam_level"]
    assert [r.path for r in decision.reasons] == ["/rule/all/1/lives_alone"]
    assert decision.reasons[0].text() == "lives alone: failed (lives_alone is no)"


def test_under_not_the_requirement_is_negated() -> None:
    decision = evaluate(
        rules_for({"not": {"lives_alone": True}}), PersonFacts(lives_alone=True), as_of=AS_OF
    )
    assert decision.failed[0].requirement == "not lives alone"


SECONDARY = secondary_care_rules()


def secondary(**facts: Any) -> Outcome:
    return evaluate(SECONDARY, PersonFacts(**{**NO_EXCLUSIONS, **facts}), as_of=AS_OF).outcome


def test_secondary_care_seed_002() -> None:
    assert secondary(age=18, in_secondary_care=True) is E
    assert secondary(age=17, in_secondary_care=True) is N
    # Discharged two months ago: eligible unless a parent of a child patient.
    two_months = dt.date(2025, 4, 30)
    assert (
        secondary(
            age=40,
            in_secondary_care=False,
            discharge_date=two_months,
            parent_of_child_patient=False,
        )
        is E
    )
    assert (
        secondary(
            age=40, in_secondary_care=False, discharge_date=two_months, parent_of_child_patient=True
        )
        is N
    )
    assert secondary(age=40, in_secondary_care=False, discharge_date=two_months) is R
    # Within six weeks, being a parent does not matter, so it need not be known.
    assert secondary(age=40, in_secondary_care=False, discharge_date=dt.date(2025, 6, 1)) is E
    # Beyond red.
    assert secondary(age=40, in_secondary_care=True, at_risk_of_hospital_admission=True) is N


def test_secondary_care_parameters() -> None:
    with pytest.raises(ValueError, match="at_least"):
        secondary_care_rules(min_age=-1)
    exclusive = secondary_care_rules(min_age_inclusive=False)
    person = PersonFacts(age=17, in_secondary_care=True, **NO_EXCLUSIONS)
    assert evaluate(exclusive, person, as_of=AS_OF).outcome is N
    # Aged 18 in completed years: over 18 unless today is the 18th birthday.
    person = PersonFacts(age=18, in_secondary_care=True, **NO_EXCLUSIONS)
    assert evaluate(exclusive, person, as_of=AS_OF).outcome is R
    with pytest.raises(TypeError, match="min_age_inclusive"):
        secondary_care_rules(min_age_inclusive="no")  # type: ignore[arg-type]
