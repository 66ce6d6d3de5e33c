"""The eligibility rule file: its pydantic model (the boundary) and JSON Schema.

A rule file names a service and gives one *rule*. A rule is an object with
exactly one key: ``all``, ``any`` or ``not`` (combining other rules) or the
name of a criterion (with its parameters). For example::

    id: secondary-care
    title: Social prescribing in secondary care
    rule:
      all:
        - age: {at_least: 18}
        - no_referral_exclusion: {}
        - any:
            - in_secondary_care: true
            - discharged_within: {months: 3}

The published JSON Schema (``eligibility-rules.schema.json``) is generated
from these models by :func:`spcore.eligibility.schema.rules_json_schema`.
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
import io
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from spcore.rag.model import ReferralExclusion

#: Tag prefix used in pydantic error locations; stripped when building JSON Pointers.
TAG_PREFIX = "node:"


@functools.cache
def referral_criterion_codes() -> frozenset[str]:
    """Codes of the ``referral-criterion`` codelist (the one source of truth)."""
    resource = importlib.resources.files("spcore.framework").joinpath(
        "codelists/referral-criterion.csv"
    )
    text = resource.read_text(encoding="utf-8")
    return frozenset(row["Code"] for row in csv.DictReader(io.StringIO(text, newline="")))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


#: JSON Schema for "at least one bound, and not two bounds on the same side", the
#: rule the model validators below enforce, so other validators enforce it too.
_RANGE_SCHEMA: dict[str, Any] = {
    "minProperties": 1,
    "not": {
        "anyOf": [
            {"required": ["at_least", "more_than"]},
            {"required": ["at_most", "less_than"]},
        ]
    },
}


Whole = Annotated[int, Field(strict=True, ge=0, le=1_000_000)]
Amount = Annotated[float, Field(strict=True, ge=0, le=1_000_000, allow_inf_nan=False)]
Flag = Annotated[bool, Field(strict=True)]


def _check_bounds(
    lower: tuple[Any, Any], upper: tuple[Any, Any], *, exact_over: bool = False
) -> None:
    at_least, more_than = lower
    at_most, less_than = upper
    if at_least is not None and more_than is not None:
        raise ValueError("give at_least or more_than, not both")
    if at_most is not None and less_than is not None:
        raise ValueError("give at_most or less_than, not both")
    low = at_least if at_least is not None else more_than
    high = at_most if at_most is not None else less_than
    if low is None and high is None:
        raise ValueError("give at least one bound: at_least, more_than, at_most or less_than")
    if low is not None and high is not None:
        # For age, more_than N leaves the rest of year N possible, so at_most N is not empty.
        strict_low = more_than is not None and not exact_over
        empty = low > high or (low == high and (strict_low or less_than is not None))
        if empty:
            raise ValueError("the bounds leave no value that could meet them")


class CountRange(_Model):
    """Bounds on a whole number (age in years, number of conditions)."""

    model_config = ConfigDict(json_schema_extra=_RANGE_SCHEMA)

    at_least: Whole | None = Field(
        None, title="At least", description="Met when the value is this number or more."
    )
    more_than: Whole | None = Field(
        None, title="More than", description="Met when the value is greater than this number."
    )
    at_most: Whole | None = Field(
        None, title="At most", description="Met when the value is this number or less."
    )
    less_than: Whole | None = Field(
        None, title="Less than", description="Met when the value is smaller than this number."
    )

    @model_validator(mode="after")
    def _bounds(self) -> Self:
        _check_bounds((self.at_least, self.more_than), (self.at_most, self.less_than))
        return self


class AgeRange(_Model):
    """Bounds on age: "18 or over" (at_least), "over 18" (more_than), "64 or under"
    (at_most), "under 65" (less_than)."""

    model_config = ConfigDict(json_schema_extra=_RANGE_SCHEMA)

    at_least: Whole | None = Field(
        None,
        title="At least (N or over)",
        description="Met from the Nth birthday: age N or more in completed years.",
    )
    more_than: Whole | None = Field(
        None,
        title="More than (over N, strictly)",
        description=(
            "Met when older than N years: from the day after the Nth birthday. Only a person "
            "on their Nth birthday is treated differently from at_least N (family-action-2018, "
            "'Referral criteria and patient journey': 'over 18', read strictly)."
        ),
    )
    at_most: Whole | None = Field(
        None,
        title="At most (N or under)",
        description="Met until the day before the (N+1)th birthday: age N or less in "
        "completed years.",
    )
    less_than: Whole | None = Field(
        None,
        title="Less than (under N)",
        description="Met until the day before the Nth birthday.",
    )

    @model_validator(mode="after")
    def _bounds(self) -> Self:
        _check_bounds(
            (self.at_least, self.more_than), (self.at_most, self.less_than), exact_over=True
        )
        return self


class AmountRange(_Model):
    """Bounds on a number that may have decimals (money, contacts per month)."""

    model_config = ConfigDict(json_schema_extra=_RANGE_SCHEMA)

    at_least: Amount | None = Field(
        None, title="At least", description="Met when the value is this amount or more."
    )
    more_than: Amount | None = Field(
        None, title="More than", description="Met when the value is greater than this amount."
    )
    at_most: Amount | None = Field(
        None, title="At most", description="Met when the value is this amount or less."
    )
    less_than: Amount | None = Field(
        None, title="Less than", description="Met when the value is smaller than this amount."
    )

    @model_validator(mode="after")
    def _bounds(self) -> Self:
        _check_bounds((self.at_least, self.more_than), (self.at_most, self.less_than))
        return self


class Window(_Model):
    """A look-back window ending on the evaluation date; months are calendar months."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1})

    months: Annotated[int, Field(strict=True, ge=0, le=1200)] = Field(
        0, title="Months", description="Calendar months back from the evaluation date."
    )
    weeks: Annotated[int, Field(strict=True, ge=0, le=5200)] = Field(
        0, title="Weeks", description="Weeks (7 days each) back from the evaluation date."
    )
    days: Annotated[int, Field(strict=True, ge=0, le=36500)] = Field(
        0, title="Days", description="Days back from the evaluation date."
    )

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if self.months == 0 and self.weeks == 0 and self.days == 0:
            raise ValueError("give a window length: months, weeks or days")
        return self


class PamLevels(_Model):
    """Patient Activation Measure levels that meet the criterion."""

    levels: list[Annotated[int, Field(strict=True, ge=1, le=4)]] = Field(
        min_length=1,
        max_length=4,
        title="Levels",
        description="PAM levels 1 (lowest activation) to 4 that meet the criterion.",
    )


class Exclusions(_Model):
    """Which referral exclusions the service applies."""

    exclusions: list[ReferralExclusion] = Field(
        default_factory=lambda: list(ReferralExclusion),
        min_length=1,
        title="Exclusions",
        description="Codes from the referral-exclusion codelist; all five when left out.",
    )


def _codes_enum(schema: dict[str, Any]) -> None:
    # The codelist CSV is the one source of truth; the schema lists its codes.
    schema["items"] = {"type": "string", "enum": sorted(referral_criterion_codes())}


class ReferralCriteria(_Model):
    """Referral-criterion codes, any one of which meets the criterion."""

    any_of: list[str] = Field(
        min_length=1,
        title="Any of",
        description="Codes from the referral-criterion codelist.",
        json_schema_extra=_codes_enum,
    )

    @model_validator(mode="after")
    def _known(self) -> Self:
        unknown = [c for c in self.any_of if c not in referral_criterion_codes()]
        if unknown:
            raise ValueError(f"not in the referral-criterion codelist: {', '.join(unknown[:5])}")
        return self


# --- rule nodes ---------------------------------------------------------------


class AllRule(_Model):
    """Met when every rule in the list is met."""

    all: list[Rule] = Field(min_length=1, title="All of", description="Rules that must all be met.")


class AnyRule(_Model):
    """Met when at least one rule in the list is met."""

    any: list[Rule] = Field(
        min_length=1, title="Any of", description="Rules of which at least one must be met."
    )


class NotRule(_Model):
    """Met when the rule inside is not met."""

    not_: Rule = Field(alias="not", title="Not", description="A rule that must not be met.")


class AgeRule(_Model):
    """Age in completed years on the evaluation date."""

    age: AgeRange = Field(
        title="Age",
        description=(
            "Bounds on age on the evaluation date. family-action-2018 ('Referral criteria and "
            "patient journey') accepts 'anyone over 18': at_least 18 (18 or over, the everyday "
            "reading) or more_than 18 (strictly older than 18: from the day after the 18th "
            "birthday)."
        ),
    )


class InSecondaryCareRule(_Model):
    """Currently a hospital (secondary care) patient."""

    in_secondary_care: Flag = Field(
        title="In secondary care",
        description="true: must be a hospital patient now; false: must not be.",
    )


class DischargedWithinRule(_Model):
    """Discharged from hospital within a window ending on the evaluation date."""

    discharged_within: Window = Field(
        title="Discharged within",
        description="family-action-2018: three months, or six weeks for parents of child patients.",
    )


class ParentOfChildPatientRule(_Model):
    """Referred as the parent of a child patient."""

    parent_of_child_patient: Flag = Field(
        title="Parent of a child patient",
        description="true: must be the parent of a child patient; false: must not be.",
    )


class NoReferralExclusionRule(_Model):
    """None of the referral exclusions of family-action-2018 applies ("beyond red")."""

    no_referral_exclusion: Exclusions = Field(
        title="No referral exclusion",
        description="Met when none of the listed exclusions applies.",
    )


class LongTermConditionsRule(_Model):
    """Number of long-term conditions."""

    long_term_conditions: CountRange = Field(
        title="Long-term conditions",
        description="Bounds on the number of long-term conditions; 'one or more' is at_least 1.",
    )


class PamLevelRule(_Model):
    """Patient Activation Measure level."""

    pam_level: PamLevels = Field(
        title="PAM level", description="The activation levels that meet the criterion."
    )


class MedicationSpendRule(_Model):
    """Weekly medication spend in pounds."""

    weekly_medication_spend_gbp: AmountRange = Field(
        title="Weekly medication spend (GBP)",
        description="Bounds on the cost of medication per week; hlp-2017 writes '>£x'.",
    )


class ClinicalContactsRule(_Model):
    """Clinical contacts per month."""

    clinical_contacts_per_month: AmountRange = Field(
        title="Clinical contacts per month",
        description="Bounds on clinical contacts per month; hlp-2017 writes '>x'.",
    )


class LivesAloneRule(_Model):
    """Lives alone."""

    lives_alone: Flag = Field(
        title="Lives alone", description="true: must live alone; false: must not."
    )


class SocialIsolationRule(_Model):
    """Presenting with a social problem or social isolation."""

    social_isolation: Flag = Field(
        title="Social problem or isolation",
        description="true: must be presenting with a social problem or isolation.",
    )


class FrequentDiffuseIssuesRule(_Model):
    """Presenting frequently to primary care with diffuse issues."""

    frequent_diffuse_issues: Flag = Field(
        title="Frequent diffuse issues",
        description="true: must present frequently to primary care with diffuse issues.",
    )


class MildModerateMentalHealthRule(_Model):
    """Presenting with a mild to moderate mental health condition."""

    mild_to_moderate_mental_health: Flag = Field(
        title="Mild to moderate mental health",
        description="true: must present with a mild to moderate mental health condition.",
    )


class KnownConditionNoServicesRule(_Model):
    """Known health condition, not using health services."""

    known_condition_not_using_services: Flag = Field(
        title="Known condition, not using services",
        description="true: must have a known condition and not be using health services.",
    )


class AtRiskRule(_Model):
    """At risk of developing or worsening a condition (e.g. pre-diabetic)."""

    at_risk_of_developing_condition: Flag = Field(
        title="At risk of developing a condition",
        description="true: must be at risk of developing or worsening a condition.",
    )


class ReferralCriterionRule(_Model):
    """Any of the listed referral-criterion codes applies."""

    referral_criterion: ReferralCriteria = Field(
        title="Referral criterion",
        description="Met when the person's referral_criteria include any listed code.",
    )


#: Criterion name → its model, in documentation order.
CRITERIA: dict[str, type[_Model]] = {
    "age": AgeRule,
    "in_secondary_care": InSecondaryCareRule,
    "discharged_within": DischargedWithinRule,
    "parent_of_child_patient": ParentOfChildPatientRule,
    "no_referral_exclusion": NoReferralExclusionRule,
    "long_term_conditions": LongTermConditionsRule,
    "pam_level": PamLevelRule,
    "weekly_medication_spend_gbp": MedicationSpendRule,
    "clinical_contacts_per_month": ClinicalContactsRule,
    "lives_alone": LivesAloneRule,
    "social_isolation": SocialIsolationRule,
    "frequent_diffuse_issues": FrequentDiffuseIssuesRule,
    "mild_to_moderate_mental_health": MildModerateMentalHealthRule,
    "known_condition_not_using_services": KnownConditionNoServicesRule,
    "at_risk_of_developing_condition": AtRiskRule,
    "referral_criterion": ReferralCriterionRule,
}

COMBINATORS: dict[str, type[_Model]] = {"all": AllRule, "any": AnyRule, "not": NotRule}

_NODES: dict[str, type[_Model]] = {**COMBINATORS, **CRITERIA}
_TAG_OF: dict[type[_Model], str] = {model: name for name, model in _NODES.items()}


def _node_tag(value: Any) -> str | None:
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        return TAG_PREFIX + key if key in _NODES else None
    if isinstance(value, _Model) and type(value) in _TAG_OF:
        return TAG_PREFIX + _TAG_OF[type(value)]
    return None


Rule = Annotated[
    Annotated[AllRule, Tag(TAG_PREFIX + "all")]
    | Annotated[AnyRule, Tag(TAG_PREFIX + "any")]
    | Annotated[NotRule, Tag(TAG_PREFIX + "not")]
    | Annotated[AgeRule, Tag(TAG_PREFIX + "age")]
    | Annotated[InSecondaryCareRule, Tag(TAG_PREFIX + "in_secondary_care")]
    | Annotated[DischargedWithinRule, Tag(TAG_PREFIX + "discharged_within")]
    | Annotated[ParentOfChildPatientRule, Tag(TAG_PREFIX + "parent_of_child_patient")]
    | Annotated[NoReferralExclusionRule, Tag(TAG_PREFIX + "no_referral_exclusion")]
    | Annotated[LongTermConditionsRule, Tag(TAG_PREFIX + "long_term_conditions")]
    | Annotated[PamLevelRule, Tag(TAG_PREFIX + "pam_level")]
    | Annotated[MedicationSpendRule, Tag(TAG_PREFIX + "weekly_medication_spend_gbp")]
    | Annotated[ClinicalContactsRule, Tag(TAG_PREFIX + "clinical_contacts_per_month")]
    | Annotated[LivesAloneRule, Tag(TAG_PREFIX + "lives_alone")]
    | Annotated[SocialIsolationRule, Tag(TAG_PREFIX + "social_isolation")]
    | Annotated[FrequentDiffuseIssuesRule, Tag(TAG_PREFIX + "frequent_diffuse_issues")]
    | Annotated[MildModerateMentalHealthRule, Tag(TAG_PREFIX + "mild_to_moderate_mental_health")]
    | Annotated[
        KnownConditionNoServicesRule, Tag(TAG_PREFIX + "known_condition_not_using_services")
    ]
    | Annotated[AtRiskRule, Tag(TAG_PREFIX + "at_risk_of_developing_condition")]
    | Annotated[ReferralCriterionRule, Tag(TAG_PREFIX + "referral_criterion")],
    Discriminator(
        _node_tag,
        custom_error_type="invalid_rule",
        custom_error_message="not a known rule",
    ),
]


for _model in (AllRule, AnyRule, NotRule):
    _model.model_rebuild()


class EligibilityRules(_Model):
    """An eligibility rule file: who a social prescribing service accepts.

    family-action-2018 gives the secondary-care criteria; hlp-2017 §2.1 and spsc-wiki list
    the target populations a commissioner may choose, with local thresholds.
    """

    schema_uri: str | None = Field(
        None,
        alias="$schema",
        title="Schema",
        description="Optional URI of this JSON Schema, for editors.",
    )
    id: str = Field(
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length=100,
        title="Identifier",
        description="Short kebab-case name of the rule set, for example 'secondary-care'.",
    )
    title: str = Field(
        min_length=1,
        max_length=200,
        title="Title",
        description="Name of the service or target population, shown with each decision.",
    )
    description: str | None = Field(
        None,
        max_length=5000,
        title="Description",
        description="Who the rules are for and any local decisions behind the thresholds.",
    )
    source: str | None = Field(
        None,
        max_length=1000,
        title="Source",
        description="Where the criteria come from: a source section, a local specification.",
    )
    rule: Rule = Field(
        title="Rule",
        description="The rule a person must meet: all, any, not, or one criterion.",
    )
