"""Duties per rating (family-action-2018, "Assessment and safeguarding")."""

from __future__ import annotations

import pytest

from spcore.rag import DUTY_TEXT, Duty, Rating, duties


def test_green_has_no_duties() -> None:
    assert duties(Rating.GREEN) == ()


def test_amber_needs_approved_risk_assessment_reviewed_on_change() -> None:
    amber = duties(Rating.AMBER)
    assert amber == (
        Duty.MONITOR_CLOSELY,
        Duty.FULL_RISK_ASSESSMENT,
        Duty.SERVICE_MANAGER_APPROVAL,
        Duty.ADD_TO_CASE_FILE,
        Duty.REVIEW_REGULARLY,
        Duty.REVIEW_ON_CHANGE,
    )
    assert Duty.CONTACT_SOCIAL_SERVICES not in amber


def test_red_adds_social_services_and_third_parties() -> None:
    red = duties("red")
    assert set(duties(Rating.AMBER)) < set(red)
    assert set(red) - set(duties(Rating.AMBER)) == {
        Duty.CONTACT_SOCIAL_SERVICES,
        Duty.INFORM_THIRD_PARTIES,
    }


def test_risk_assessment_text_names_risks_people_and_actions() -> None:
    text = DUTY_TEXT[Duty.FULL_RISK_ASSESSMENT]
    assert "what the risks are" in text
    assert "who is at risk" in text
    assert "action" in text


def test_every_duty_has_text() -> None:
    assert set(DUTY_TEXT) == set(Duty)


def test_unknown_rating_is_rejected() -> None:
    with pytest.raises(ValueError, match="purple"):
        duties("purple")
