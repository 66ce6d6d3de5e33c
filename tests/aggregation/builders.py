"""Small builders for hand-written case records in the aggregation tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spcore.framework.case_record import CaseRecord

SCHEME = "NORTHSHIRE-CONNECT"


def case(
    case_id: str,
    referred: str,
    *,
    person: str | None = None,
    age: str = "45-54",
    referrer: str = "gp-practice",
    criteria: Sequence[str] = ("long-term-condition",),
    rejected: tuple[str, str] | None = None,
    assessed: str | None = None,
    plan: str | None = None,
    contacts: Sequence[tuple[Any, ...]] = (),
    prescriptions: Sequence[tuple[Any, ...]] = (),
    ratings: Sequence[tuple[str, str]] = (),
    closed: tuple[str, str] | None = None,
    measures: Sequence[tuple[Any, ...]] = (),
    employability: Sequence[str] | None = None,
    wellbeing_aspects: Sequence[str] | None = None,
    social_care: tuple[str, int, str] | None = None,
    scheme: str = SCHEME,
) -> CaseRecord:
    """One case record from short arguments.

    ``contacts``: (date, type[, minutes or (value, unit)]); ``prescriptions``:
    (date, intervention type[, group name[, directory id]]); ``measures``:
    (instrument, timepoint, date, score[, score name]); ``social_care``:
    (reviewed on, window in months, change).
    """
    referral: dict[str, Any] = {"date": referred, "referrer_type": referrer, "criteria": criteria}
    if rejected is not None:
        referral["rejection"] = {"date": rejected[0], "reason": rejected[1]}
    data: dict[str, Any] = {
        "case_id": case_id,
        "scheme_id": scheme,
        "referral": referral,
        "demographics": {"age_band": age},
        "needs_and_concerns": {
            "assessment_date": assessed,
            "rag_history": [{"date": d, "rating": r} for d, r in ratings],
        },
        "support_offered": {
            "support_plan_date": plan,
            "contacts": [_contact(*c) for c in contacts],
            "social_prescriptions": [_prescription(*p) for p in prescriptions],
        },
        "outcomes": {
            "measures": [_measure(*m) for m in measures],
            "employability": employability,
            "wellbeing_aspects": wellbeing_aspects,
        },
    }
    if social_care is not None:
        data["outcomes"]["social_care_package"] = dict(
            zip(("reviewed_on", "window_months", "change"), social_care, strict=True)
        )
    if person is not None:
        data["person_id"] = person
    if closed is not None:
        data["closure"] = {"date": closed[0], "reason": closed[1]}
    return CaseRecord.model_validate(data)


def _measure(
    instrument: str, timepoint: str, date: str, score: float, name: str = "score"
) -> dict[str, Any]:
    return {
        "instrument": instrument,
        "timepoint": timepoint,
        "date": date,
        "score": score,
        "score_name": name,
    }


def _contact(date: str, kind: str, duration: Any = None) -> dict[str, Any]:
    out: dict[str, Any] = {"date": date, "type": kind}
    if isinstance(duration, tuple):
        out["duration"] = {"value": duration[0], "unit": duration[1]}
    elif duration is not None:
        out["duration"] = {"value": duration, "unit": "minute"}
    return out


def _prescription(
    date: str, kind: str, group: str | None = None, directory_id: str | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {"date": date, "intervention_type": kind}
    if group is not None:
        out["community_group"] = group
    if directory_id is not None:
        out["directory_id"] = directory_id
    return out
