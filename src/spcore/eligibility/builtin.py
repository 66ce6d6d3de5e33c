"""The secondary-care referral criteria of family-action-2018, as a rule set.

family-action-2018 ("Referral criteria and patient journey"): accept "anyone over 18
in secondary care, or who has been discharged from hospital within the last
three months (or within the last six weeks of discharge if supporting
parents of child patients)", provided none of the five exclusions applies.

The rule is written so that three-valued logic never asks for a fact that
cannot matter: six weeks is always shorter than three months, so anyone
discharged within six weeks qualifies whether or not they are a parent; only
between six weeks and three months does "parent of a child patient" matter.
The bundled ``examples/rules/secondary-care.yaml`` is this same rule set.
"""

from __future__ import annotations

from typing import Any

from spcore.answers import yes_no
from spcore.eligibility.engine import RuleSet
from spcore.eligibility.loading import parse_rules

#: family-action-2018: "over 18"; read as 18 or over by default, or strictly as older than
#: 18 (from the day after the 18th birthday) with ``min_age_inclusive=False``
#: (see docs/eligibility.md).
DEFAULT_MIN_AGE = 18
#: family-action-2018: discharged "within the last three months".
DISCHARGE_MONTHS = 3
#: family-action-2018: "within the last six weeks of discharge if supporting parents of
#: child patients".
PARENT_DISCHARGE_WEEKS = 6


def secondary_care_rule_data(
    *,
    min_age: int = DEFAULT_MIN_AGE,
    min_age_inclusive: bool = True,
    discharge_months: int = DISCHARGE_MONTHS,
    parent_discharge_weeks: int = PARENT_DISCHARGE_WEEKS,
) -> dict[str, Any]:
    """The family-action-2018 secondary-care rules as rule-file data.

    Args:
        min_age: the age threshold (family-action-2018 says "over 18").
        min_age_inclusive: True (default) accepts people from their
            ``min_age``th birthday ("18 or over"); False reads "over 18"
            strictly and accepts them from the day after it, so only people
            on that very birthday are treated differently.
        discharge_months: look-back after discharge (family-action-2018: 3 months).
        parent_discharge_weeks: look-back for parents of child patients
            (family-action-2018: 6 weeks).
    """
    yes_no("min_age_inclusive", min_age_inclusive, unknown_allowed=False)
    age = {"at_least": min_age} if min_age_inclusive else {"more_than": min_age}
    return {
        "id": "secondary-care",
        "title": "Social prescribing in secondary care",
        "description": (
            "Adults in hospital or recently discharged, excluding anyone beyond red on the "
            "safeguarding scale."
        ),
        "source": "family-action-2018, 'Referral criteria and patient journey'",
        "rule": {
            "all": [
                {"age": age},
                {
                    "any": [
                        {"in_secondary_care": True},
                        {"discharged_within": {"weeks": parent_discharge_weeks}},
                        {
                            "all": [
                                {"discharged_within": {"months": discharge_months}},
                                {"not": {"parent_of_child_patient": True}},
                            ]
                        },
                    ]
                },
                {"no_referral_exclusion": {}},
            ]
        },
    }


def secondary_care_rules(
    *,
    min_age: int = DEFAULT_MIN_AGE,
    min_age_inclusive: bool = True,
    discharge_months: int = DISCHARGE_MONTHS,
    parent_discharge_weeks: int = PARENT_DISCHARGE_WEEKS,
) -> RuleSet:
    """The family-action-2018 secondary-care rule set (see :func:`secondary_care_rule_data`).

    Raises ``ValueError`` when a parameter is out of range (for example a
    negative age), and ``TypeError`` when ``min_age_inclusive`` is not a bool.
    """
    rules, findings = parse_rules(
        secondary_care_rule_data(
            min_age=min_age,
            min_age_inclusive=min_age_inclusive,
            discharge_months=discharge_months,
            parent_discharge_weeks=parent_discharge_weeks,
        )
    )
    if rules is None:
        raise ValueError("; ".join(f.message for f in findings))
    return rules
