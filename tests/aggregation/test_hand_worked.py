"""A hand-worked extract of eight cases, added up by hand for 2025-26 Q2 (1 July - 30 September).

The cases (P = person pseudonym):

A  P1  referred 1 Jul (first day), 45-54, GP, criteria LTC + isolation; assessed 3 Jul;
       plan 10 Jul; contacts 3 Jul assessment 60 min, 10 Jul face-to-face 45 min,
       1 Aug telephone 15 min; prescription 10 Jul walking group; rated amber 3 Jul; open;
       SWEMWBS baseline 18.0 (3 Jul), UCLA-3 baseline 8 (3 Jul).
B  P2  referred 30 Sep (last day), 65-74, self-referral, carer; nothing else; open.
C  P3  referred 1 Oct (first day of Q3): nothing in Q2.
D  P4  referred 30 Jun (Q1), 25-34, GP, mild-to-moderate MH; assessment contact 30 Jun 30 min;
       plan 14 Jul; contacts 14 Jul home visit 1 hour, 1 Sep video (no duration);
       prescriptions 14 Jul " riverside  walking group" (same group, other spelling),
       1 Sep Citizens Advice; rated red 14 Jul, amber 20 Aug; closed 15 Sep
       support-completed, volunteering; SWEMWBS 17.0 -> 21.0 and UCLA-3 7 -> 6 at a
       follow-up call on 30 Sep, three months to the day after the baseline (the earliest
       a follow-up is paired).
E  P1  (P1's second case) referred 15 Aug, 45-54, community and voluntary sector,
       debt-or-money; contact 20 Aug telephone 30 min; prescription 20 Aug Citizens Advice;
       open, never rated.
F  P5  referred 20 Jul, 75-84, discharge team, recently discharged; declined by the
       person 25 Jul.
G  --  (no person id) referred 5 Aug, 85-plus, GP, lives alone; rejected 6 Aug out-of-area.
H  P6  referred 10 Apr (Q1), 55-64, social care; contact 1 May 50 min (Q1); closed 2 Jul
       disengaged; SWEMWBS baseline 20.0 (1 May).
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.aggregation.both_paths import aggregate
from tests.aggregation.builders import case

from spcore.framework.case_record import CaseRecord

WALK = "Riverside Walking Group"
CAB = "Northshire Citizens Advice"


def extract() -> list[CaseRecord]:
    """The eight cases above, in the order an extract would hold them."""
    return [
        case(
            "CASE-000A", "2025-07-01", person="P1-xxxx", age="45-54", referrer="gp-practice",
            criteria=["long-term-condition", "social-isolation-or-loneliness"],
            assessed="2025-07-03", plan="2025-07-10",
            contacts=[("2025-07-03", "assessment", 60), ("2025-07-10", "face-to-face-session", 45),
                      ("2025-08-01", "telephone", 15)],
            prescriptions=[("2025-07-10", "physical-activity", WALK)],
            ratings=[("2025-07-03", "amber")],
            measures=[("swemwbs", "baseline", "2025-07-03", 18.0),
                      ("ucla3", "baseline", "2025-07-03", 8)],
        ),
        case("CASE-000B", "2025-09-30", person="P2-xxxx", age="65-74", referrer="self-referral",
             criteria=["carer"]),
        case("CASE-000C", "2025-10-01", person="P3-xxxx", age="35-44"),
        case(
            "CASE-000D", "2025-06-30", person="P4-xxxx", age="25-34",
            criteria=["mental-health-mild-to-moderate"], plan="2025-07-14",
            contacts=[("2025-06-30", "assessment", 30), ("2025-07-14", "home-visit", (1, "hour")),
                      ("2025-09-01", "video")],
            prescriptions=[("2025-07-14", "physical-activity", " riverside  walking group"),
                           ("2025-09-01", "debt-support", CAB)],
            ratings=[("2025-07-14", "red"), ("2025-08-20", "amber")],
            closed=("2025-09-15", "support-completed"), employability=["volunteering"],
            measures=[("swemwbs", "baseline", "2025-06-30", 17.0),
                      ("swemwbs", "follow-up", "2025-09-30", 21.0),
                      ("ucla3", "baseline", "2025-06-30", 7),
                      ("ucla3", "follow-up", "2025-09-30", 6)],
        ),
        case("CASE-000E", "2025-08-15", person="P1-xxxx", age="45-54",
             referrer="community-and-voluntary-sector", criteria=["debt-or-money"],
             contacts=[("2025-08-20", "telephone", 30)],
             prescriptions=[("2025-08-20", "debt-support", CAB)]),
        case("CASE-000F", "2025-07-20", person="P5-xxxx", age="75-84",
             referrer="secondary-care-discharge-team",
             criteria=["recently-discharged-from-hospital"],
             rejected=("2025-07-25", "declined-by-person")),
        case("CASE-000G", "2025-08-05", age="85-plus", criteria=["lives-alone"],
             rejected=("2025-08-06", "out-of-area")),
        case("CASE-000H", "2025-04-10", person="P6-xxxx", age="55-64", referrer="social-care",
             contacts=[("2025-05-01", "face-to-face-session", 50)],
             closed=("2025-07-02", "disengaged"),
             measures=[("swemwbs", "baseline", "2025-05-01", 20.0)]),
    ]  # fmt: skip


EXPECTED_OUTPUTS: dict[str, Any] = {
    # P1 (A and E, once), P2 (B), P5 (F), G. Not C (Q3), D or H (Q1).
    "people_referred": 4,
    # P1 (contacts on A and E) and P4 (D, referred in Q1). B has no contact; H none in Q2.
    "people_benefiting": 2,
    # P5 declined; G was rejected by the service (out of area), not by the person.
    "people_rejecting_referral": 1,
    # P1 counted by the first referral in the quarter (A: 45-54, GP).
    "referred_by_age_band": {"45-54": 1, "65-74": 1, "75-84": 1, "85-plus": 1},
    # P1's criteria are those of A and E together.
    "referred_by_criterion": {
        "carer": 1,
        "debt-or-money": 1,
        "lives-alone": 1,
        "long-term-condition": 1,
        "recently-discharged-from-hospital": 1,
        "social-isolation-or-loneliness": 1,
    },
    "referred_by_referrer_type": {
        "gp-practice": 2,
        "secondary-care-discharge-team": 1,
        "self-referral": 1,
    },
    # Two groups: the walking group (A; D's other spelling) and Citizens Advice (D, E),
    # each with two people (P1, P4).
    "community_groups": {
        "count": 2,
        "groups": [
            {"name": CAB, "intervention_types": ["debt-support"], "referrals": 2},
            {"name": WALK, "intervention_types": ["physical-activity"], "referrals": 2},
        ],
    },
    # A (10 Jul) and D (14 Jul).
    "support_plans_coproduced": 2,
    # P1: 60 + 45 + 15 (A) + 30 (E) = 150; P4: 60 (D's video call has no duration).
    # (150 + 60) / 2 people = 105 minutes.
    "average_time_per_person": {"value": 105.0, "unit": "minute"},
}

EXPECTED_MONITORING: dict[str, Any] = {
    "assessments_completed": 1,  # A on 3 Jul; D's assessment was 30 Jun (Q1)
    "social_prescriptions": 4,  # A 1, D 2, E 1
    "contacts": 6,  # A 3, D 2, E 1
    "referrals_rejected_by_reason": {"declined-by-person": 1, "out-of-area": 1},
    "cases_closed_by_reason": {"disengaged": 1, "support-completed": 1},  # H 2 Jul, D 15 Sep
    # On 30 Sep: A amber; B (referred that day) and E green; D and H closed; F, G rejected.
    "rag_caseload_at_end": {"green": 2, "amber": 1, "red": 0},
    "cases_escalated": 2,  # A green->amber 3 Jul; D green->red 14 Jul (amber 20 Aug is down)
}

EXPECTED_IMPACT: dict[str, Any] = {
    "instruments": [
        # Benefiting people only: P1 (A, baseline only) and P4 (D, pair). H is not benefiting.
        # SWEMWBS: +4.0 >= the 2.87 meaningful-change threshold: improved.
        {
            "instrument": "swemwbs",
            "score": "score",
            "people_with_baseline": 2,
            "people_with_follow_up": 1,
            "mean_baseline": 17.0,
            "mean_follow_up": 21.0,
            "people_improved": 1,
        },
        # UCLA-3 (lower is better, no published threshold): 7 -> 6 is an improvement.
        {
            "instrument": "ucla3",
            "score": "score",
            "people_with_baseline": 2,
            "people_with_follow_up": 1,
            "mean_baseline": 7.0,
            "mean_follow_up": 6.0,
            "people_improved": 1,
        },
    ],
    "employability": {"volunteering": 1},  # D closed in the quarter
}


@pytest.fixture(scope="module")
def result() -> Any:
    return aggregate(extract(), "2025-26 Q2")


def test_outputs_are_the_hand_worked_figures(result: Any) -> None:
    assert result.document["outputs"] == EXPECTED_OUTPUTS


def test_monitoring_is_the_hand_worked_figures(result: Any) -> None:
    assert result.document["monitoring"] == EXPECTED_MONITORING


def test_impact_on_person_is_the_hand_worked_figures(result: Any) -> None:
    assert result.document["impact_on_person"] == EXPECTED_IMPACT


def test_every_record_is_used_and_the_untimed_contact_is_reported(result: Any) -> None:
    assert (result.records_read, result.records_used, result.records_skipped) == (8, 8, 0)
    assert [f.code for f in result.findings if f.code != "SPC-A020"] == ["SPC-A021"]


def test_without_facts_the_scheme_facts_are_reported_missing(result: Any) -> None:
    assert set(result.missing) == {
        "/scheme",
        "/outputs/link_workers",
        "/outputs/link_worker_salaries",
        "/outputs/volunteers",
        "/outputs/total_investment",
    }
    assert not result.is_valid
    assert result.to_model() is None


def test_the_order_of_records_does_not_change_the_return() -> None:
    forwards = aggregate(extract(), "2025-26 Q2").document
    backwards = aggregate(list(reversed(extract())), "2025-26 Q2").document
    # Group names are taken from the first spelling seen; everything else is order-free.
    for doc in (forwards, backwards):
        for group in doc["outputs"]["community_groups"]["groups"]:
            group.pop("name")
    assert forwards == backwards
