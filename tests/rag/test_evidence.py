"""Risk-assessment evidence on a rating entry: met, due or overdue under the scheme's policy."""

from __future__ import annotations

import datetime as dt

import pytest

from spcore.framework.case_record import RagEntry
from spcore.rag import Duty, DutyStatus, EvidencePolicy, check_evidence

POLICY = EvidencePolicy(complete_within_days=5, approve_within_days=3, review_every_days=28)
D = dt.date


def _statuses(**kwargs: object) -> dict[Duty, DutyStatus]:
    return {c.duty: c.status for c in check_evidence(**kwargs)}  # type: ignore[arg-type]


def test_green_brings_no_duties() -> None:
    assert check_evidence(
        "green", D(2025, 7, 1), completed_on=None, approved_on=None, on=D(2025, 9, 1),
        policy=POLICY,
    ) == ()  # fmt: skip


def test_no_risk_assessment_is_due_then_overdue() -> None:
    rated = D(2025, 7, 1)
    base = {"rating": "amber", "rated_on": rated, "completed_on": None, "approved_on": None}
    assert _statuses(**base, on=D(2025, 7, 6), policy=POLICY) == {
        Duty.FULL_RISK_ASSESSMENT: DutyStatus.DUE
    }
    assert _statuses(**base, on=D(2025, 7, 7), policy=POLICY) == {
        Duty.FULL_RISK_ASSESSMENT: DutyStatus.OVERDUE
    }


def test_approval_and_reviews_from_a_rating_entry() -> None:
    entry = RagEntry.model_validate(
        {
            "date": "2025-07-01",
            "rating": "red",
            "social_services_involved": True,
            "beyond_red": None,
            "risk_assessment": {
                "completed_on": "2025-07-03",
                "approved_on": "2025-07-05",
                "reviewed_on": ["2025-07-31"],
            },
        }
    )
    evidence = entry.risk_assessment
    assert evidence is not None

    def on(day: dt.date) -> dict[Duty, DutyStatus]:
        return _statuses(
            rating=entry.rating.value,
            rated_on=entry.date,
            completed_on=evidence.completed_on,
            approved_on=evidence.approved_on,
            reviewed_on=evidence.reviewed_on,
            on=day,
            policy=POLICY,
        )

    # Reviewed on 31 Jul: the next review is due by 28 Aug.
    assert on(D(2025, 8, 28)) == {
        Duty.FULL_RISK_ASSESSMENT: DutyStatus.MET,
        Duty.SERVICE_MANAGER_APPROVAL: DutyStatus.MET,
        Duty.REVIEW_REGULARLY: DutyStatus.MET,
    }
    assert on(D(2025, 8, 29))[Duty.REVIEW_REGULARLY] is DutyStatus.OVERDUE
    # Before the approval, within three days of completion: due.
    assert on(D(2025, 7, 4))[Duty.SERVICE_MANAGER_APPROVAL] is DutyStatus.DUE


@pytest.mark.parametrize("bad", [-1, 2.5, True, "7", None])
def test_a_policy_needs_whole_days(bad: object) -> None:
    with pytest.raises(TypeError, match="whole number of days"):
        EvidencePolicy(complete_within_days=bad, approve_within_days=1, review_every_days=1)  # type: ignore[arg-type]
