"""Case records with every optional field of the case record filled, for the FHIR round trip.

``complete_records()`` draws schema-valid case records as plain dicts in which every
field of the case record (:func:`spcore.interop.fields.case_record_fields`) is present,
every list non-empty, every code drawn from its whole codelist and scores both whole and
fractional; ``stated_defaults`` now and then adds fields the model would fill in anyway
(``"contacts": []``, ``"score_name": "score"``), which a round trip must keep as stated.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st
from tests.strategies import codes, quantities, text

from spcore.framework.enums import (
    AgeBand,
    AssessmentTimepoint,
    CaseClosureReason,
    Cohort,
    ContactType,
    DisengagementReason,
    EmployabilityOutcome,
    EthnicCategory,
    FiveWaysToWellbeing,
    Gender,
    HealthCondition,
    IncomeSource,
    InterventionType,
    Occupation,
    OutcomeInstrument,
    ProfessionalRole,
    RagRating,
    ReferralCriterion,
    ReferralExclusion,
    ReferralRejectionReason,
    ReferrerType,
    SafeguardingQuestion,
    Service,
    ServiceUsePeriod,
    ServiceUseSource,
    SocialCarePackageChange,
    Substance,
    WellbeingAspect,
)
from spcore.framework.quantities import QuantityKind
from spcore.framework.types import MAX_SCORE

_DAY = st.dates(dt.date(2015, 1, 1), dt.date(2035, 12, 31)).map(dt.date.isoformat)
_ID = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_-]{3,30}\Z")
_NAME = st.from_regex(r"\A[a-z0-9][a-z0-9_-]{0,20}\Z")
_BOOL = st.booleans()
_SCORE = st.one_of(
    st.integers(-1000, 1000),
    st.floats(-MAX_SCORE, MAX_SCORE, allow_nan=False, allow_infinity=False),
    st.sampled_from([7.0, -0.0, 0.5, 19.87]),
)


def _some(codelist: Any, max_size: int) -> st.SearchStrategy[list[str]]:
    return st.lists(codes(codelist), min_size=1, max_size=max_size)


_RISK = st.fixed_dictionaries(
    {
        "completed_on": _DAY,
        "approved_on": _DAY,
        "reviewed_on": st.lists(_DAY, min_size=1, max_size=3),
    }
)
_RATING = st.fixed_dictionaries(
    {
        "date": _DAY,
        "rating": codes(RagRating),
        "concerns": _some(SafeguardingQuestion, 3),
        "social_services_involved": _BOOL,
        "beyond_red": codes(ReferralExclusion),
        "risk_assessment": _RISK,
    }
)
_CONTACT = st.fixed_dictionaries(
    {
        "date": _DAY,
        "type": codes(ContactType),
        "duration": quantities(QuantityKind.DURATION, max_value=1e6),
    }
)
_PRESCRIPTION = st.fixed_dictionaries(
    {
        "date": _DAY,
        "intervention_type": codes(InterventionType),
        "community_group": text(max_size=40),
        "directory_id": text(max_size=40),
        "five_ways": _some(FiveWaysToWellbeing, 5),
    }
)
_MEASURE = st.fixed_dictionaries(
    {
        "instrument": codes(OutcomeInstrument),
        "timepoint": codes(AssessmentTimepoint),
        "date": _DAY,
        "score": _SCORE,
        "score_name": st.one_of(st.just("score"), _NAME),
        "value_set": _NAME,
    }
)
_WINDOW = st.fixed_dictionaries(
    {
        "relative_to_referral": codes(ServiceUsePeriod),
        "start_on": _DAY,
        "end_on": _DAY,
        "months": st.integers(1, 60),
        "source": codes(ServiceUseSource),
        "counts": st.dictionaries(codes(Service), st.integers(0, 10_000), min_size=1),
    }
)

_RECORD = st.fixed_dictionaries(
    {
        "$schema": st.just("https://spcore.dev/schema/0.1/case-record.schema.json"),
        "case_id": _ID,
        "person_id": _ID,
        "scheme_id": st.just("NORTHSHIRE-CONNECT"),
        "referral": st.fixed_dictionaries(
            {
                "date": _DAY,
                "referrer_type": codes(ReferrerType),
                "criteria": _some(ReferralCriterion, 4),
                "rejection": st.fixed_dictionaries(
                    {
                        "date": _DAY,
                        "reason": codes(ReferralRejectionReason),
                        "exclusion": codes(ReferralExclusion),
                    }
                ),
            }
        ),
        "demographics": st.fixed_dictionaries(
            {
                "age_band": codes(AgeBand),
                "gender": codes(Gender),
                "ethnic_category": codes(EthnicCategory),
                "lives_alone": _BOOL,
                "interpreter_needed": _BOOL,
            }
        ),
        "needs_and_concerns": st.fixed_dictionaries(
            {
                "assessment_date": _DAY,
                "needs": _some(ReferralCriterion, 4),
                "occupation": codes(Occupation),
                "income_sources": _some(IncomeSource, 3),
                "key_professionals": _some(ProfessionalRole, 3),
                "substance_misuse": _some(Substance, 3),
                "health_conditions": _some(HealthCondition, 3),
                "rag_history": st.lists(_RATING, min_size=1, max_size=3),
            }
        ),
        "support_offered": st.fixed_dictionaries(
            {
                "active_from": _DAY,
                "support_plan_date": _DAY,
                "contacts": st.lists(_CONTACT, min_size=1, max_size=3),
                "social_prescriptions": st.lists(_PRESCRIPTION, min_size=1, max_size=3),
            }
        ),
        "outcomes": st.fixed_dictionaries(
            {
                "measures": st.lists(_MEASURE, min_size=1, max_size=4),
                "employability": _some(EmployabilityOutcome, 3),
                "wellbeing_aspects": _some(WellbeingAspect, 4),
                "social_care_package": st.fixed_dictionaries(
                    {
                        "reviewed_on": _DAY,
                        "window_months": st.integers(1, 60),
                        "change": codes(SocialCarePackageChange),
                    }
                ),
            }
        ),
        "closure": st.fixed_dictionaries(
            {
                "date": _DAY,
                "reason": codes(CaseClosureReason),
                "disengagement_reason": codes(DisengagementReason),
            }
        ),
        "cohort": codes(Cohort),
        "service_use": st.lists(_WINDOW, min_size=1, max_size=4),
    }
)


def complete_records() -> st.SearchStrategy[dict[str, Any]]:
    """Case records with every field of the case record present and every list non-empty."""
    return _RECORD


#: Where a record may state a field at the default the model would fill in, and that default.
STATED_DEFAULTS: tuple[tuple[tuple[str, ...], Any], ...] = (
    (("needs_and_concerns", "rag_history"), []),
    (("support_offered", "contacts"), []),
    (("support_offered", "social_prescriptions"), []),
    (("outcomes", "measures"), []),
    (("needs_and_concerns",), {}),
    (("support_offered",), {}),
    (("outcomes",), {}),
)


@st.composite
def stated_defaults(draw: st.DrawFn, record: dict[str, Any]) -> dict[str, Any]:
    """``record`` with some fields replaced by the default the model would fill in, stated."""
    for path, default in STATED_DEFAULTS:
        if draw(_BOOL) and draw(_BOOL):
            node = record
            for key in path[:-1]:
                node = node.setdefault(key, {})
            node[path[-1]] = type(default)()
    for rating in record.get("needs_and_concerns", {}).get("rag_history", []):
        if "risk_assessment" in rating and draw(_BOOL):
            rating["risk_assessment"]["reviewed_on"] = []
    return record
