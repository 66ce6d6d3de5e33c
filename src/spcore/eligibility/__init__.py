"""Referral eligibility: declarative rules, three-valued decisions, reasons.

The secondary-care criteria of family-action-2018 and commissioners' target
populations (hlp-2017 §2.1 and spsc-wiki) are written in one rule-file language
(YAML or JSON, with a published JSON Schema) and decided by one engine.
Every decision is ``eligible``, ``not eligible`` or ``needs review``, with
the criteria met, failed and unknown.

    >>> import datetime as dt
    >>> from spcore.eligibility import NO_EXCLUSIONS, PersonFacts, evaluate, secondary_care_rules
    >>> rules = secondary_care_rules()
    >>> person = PersonFacts(age=40, in_secondary_care=True, **NO_EXCLUSIONS)
    >>> evaluate(rules, person, as_of=dt.date(2025, 6, 30)).outcome.value
    'eligible'
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spcore.eligibility.builtin import secondary_care_rule_data, secondary_care_rules
    from spcore.eligibility.calendar import add_months, age_on, birthday, window_start
    from spcore.eligibility.csvio import OUTPUT_COLUMNS, CsvSummary, evaluate_csv
    from spcore.eligibility.engine import (
        CriterionResult,
        Decision,
        Outcome,
        RuleSet,
        Truth,
        evaluate,
    )
    from spcore.eligibility.facts import FACTS, FactSpec, FactType, PersonFacts, parse_row
    from spcore.eligibility.loading import (
        MAX_DEPTH,
        MAX_RULE_FILE_BYTES,
        load_rules,
        parse_rules,
        read_rule_data,
    )
    from spcore.eligibility.rulefile import CRITERIA, EligibilityRules
    from spcore.eligibility.schema import SCHEMA_ID, rules_json_schema
else:
    from spcore._lazy import attach

    # Names load on first use (see spcore._lazy).
    __getattr__, __dir__ = attach(__name__)

#: Facts saying that none of the five referral exclusions applies (handy in examples).
NO_EXCLUSIONS: dict[str, Any] = {
    "mental_health_crisis": False,
    "actively_suicidal": False,
    "severe_self_harm": False,
    "complex_needs_specialist_support": False,
    "at_risk_of_hospital_admission": False,
}

#: Every finding code this package emits, with its one-line meaning.
FINDING_CODES: dict[str, str] = {
    "SPC-E001": "The rule file is larger than the size limit (2 MB).",
    "SPC-E002": "The rule file is not readable UTF-8 YAML or JSON.",
    "SPC-E003": "The rule file uses a YAML anchor or alias.",
    "SPC-E004": "The rule file nests too deeply.",
    "SPC-E005": "The rule file repeats a key within one object.",
    "SPC-E010": "A rule names an unknown criterion.",
    "SPC-E011": "A rule is not an object with exactly one key.",
    "SPC-E012": "An 'all' or 'any' list is empty.",
    "SPC-E013": "A value has the wrong type.",
    "SPC-E014": "A value is not allowed (out of range, unknown code, inconsistent bounds).",
    "SPC-E015": "A property is not allowed in this place.",
    "SPC-E016": "A required property is missing.",
    "SPC-E020": "A person's cell cannot be read or is implausible; the fact is unknown.",
    "SPC-E021": "The people file lacks a column the rules read; the fact is unknown for all.",
    "SPC-E022": "A row of the people file is malformed (cannot be parsed, wrong cell count).",
}

__all__ = [
    "CRITERIA",
    "FACTS",
    "FINDING_CODES",
    "MAX_DEPTH",
    "MAX_RULE_FILE_BYTES",
    "NO_EXCLUSIONS",
    "OUTPUT_COLUMNS",
    "SCHEMA_ID",
    "CriterionResult",
    "CsvSummary",
    "Decision",
    "EligibilityRules",
    "FactSpec",
    "FactType",
    "Outcome",
    "PersonFacts",
    "RuleSet",
    "Truth",
    "add_months",
    "age_on",
    "birthday",
    "evaluate",
    "evaluate_csv",
    "load_rules",
    "parse_row",
    "parse_rules",
    "read_rule_data",
    "rules_json_schema",
    "secondary_care_rule_data",
    "secondary_care_rules",
    "window_start",
]
