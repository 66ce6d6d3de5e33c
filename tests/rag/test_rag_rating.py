"""The RAG rating rules of family-action-2018, "Assessment and safeguarding"."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from spcore.rag import (
    Concern,
    Rating,
    ReferralExclusion,
    SafeguardingAssessment,
    SafeguardingQuestion,
    ScreenOutcome,
    Significance,
    rate,
    screen_referral,
)

ALL_NO = {
    "victim_of_violence_or_abuse": False,
    "perpetrator_of_violence_or_abuse": False,
    "other_harmful_practices": False,
    "risk_to_self_or_others": False,
}


def factors(result: object) -> list[str]:
    return [r.factor for r in result.reasons]  # type: ignore[attr-defined]


def test_green_at_referral_before_assessment() -> None:
    result = rate(None)
    assert result.rating is Rating.GREEN
    assert factors(result) == ["not-assessed"]


def test_green_when_assessment_finds_nothing() -> None:
    result = rate(SafeguardingAssessment(**ALL_NO, social_services_involved=False))
    assert result.rating is Rating.GREEN
    assert result.complete
    assert factors(result) == ["no-concerns"]


def test_section_47_with_child_protection_plan_is_red() -> None:
    # family-action-2018: "a referral has been made to children's social care for a Section 47
    # enquiry which has resulted in a case conference & Child Protection Plan".
    assessment = SafeguardingAssessment(
        **ALL_NO,
        social_services_involved=True,
        concerns=[
            Concern(
                "Section 47 enquiry led to a case conference and a Child Protection Plan",
                Significance.SIGNIFICANT,
            )
        ],
    )
    result = rate(assessment)
    assert result.rating is Rating.RED
    assert factors(result) == ["social-services-involved", "concern/0"]
    assert "Child Protection Plan" in result.reasons[1].text


def test_adult_safeguarding_alert_for_partner_abuse_is_red() -> None:
    # family-action-2018: "a safeguarding alert has been made for an adult suffering from abuse
    # from a partner".
    assessment = SafeguardingAssessment(
        **{**ALL_NO, "victim_of_violence_or_abuse": True},
        social_services_involved=True,
        concerns=[Concern("Adult safeguarding alert: abuse from partner", "significant")],
    )
    result = rate(assessment)
    assert result.rating is Rating.RED
    assert "safeguarding-question/victim-of-violence-or-abuse" in factors(result)


def test_some_concern_is_amber() -> None:
    assessment = SafeguardingAssessment(
        **ALL_NO, social_services_involved=False, concerns=[Concern("Missed visits", "some")]
    )
    result = rate(assessment)
    assert result.rating is Rating.AMBER
    assert factors(result) == ["concern/0"]


def test_yes_answer_alone_is_amber() -> None:
    for question in SafeguardingQuestion:
        answers = {**ALL_NO, question.value.replace("-", "_"): True}
        result = rate(SafeguardingAssessment(**answers, social_services_involved=True))
        assert result.rating is Rating.AMBER, question
        assert factors(result) == [f"safeguarding-question/{question.value}"]


def test_significant_concern_without_social_services_is_amber_with_advice() -> None:
    for involved in (False, None):
        assessment = SafeguardingAssessment(
            **ALL_NO,
            social_services_involved=involved,
            concerns=[Concern("Disclosed partner abuse", "significant")],
        )
        result = rate(assessment)
        assert result.rating is Rating.AMBER
        assert factors(result)[-1] == "social-services-not-involved"


def test_social_services_without_concern_is_green_with_note() -> None:
    result = rate(SafeguardingAssessment(**ALL_NO, social_services_involved=True))
    assert result.rating is Rating.GREEN
    assert factors(result) == ["no-concerns", "social-services-involved"]


def test_unanswered_questions_make_rating_provisional() -> None:
    result = rate(SafeguardingAssessment(victim_of_violence_or_abuse=False))
    assert result.rating is Rating.GREEN
    assert not result.complete
    assert result.unanswered == (
        SafeguardingQuestion.PERPETRATOR_OF_VIOLENCE_OR_ABUSE,
        SafeguardingQuestion.OTHER_HARMFUL_PRACTICES,
        SafeguardingQuestion.RISK_TO_SELF_OR_OTHERS,
    )
    assert factors(result)[1:] == [f"unanswered/{q.value}" for q in result.unanswered]


def test_exclusion_after_assessment_is_beyond_red() -> None:
    result = rate(
        SafeguardingAssessment(**ALL_NO, social_services_involved=False),
        exclusions={ReferralExclusion.ACTIVELY_SUICIDAL: True},
    )
    assert result.rating is Rating.RED
    assert result.beyond_red == (ReferralExclusion.ACTIVELY_SUICIDAL,)
    assert factors(result)[0] == "exclusion/actively-suicidal"


def test_exclusion_known_at_referral_is_beyond_red_before_assessment() -> None:
    result = rate(None, exclusions={ReferralExclusion.MENTAL_HEALTH_CRISIS: True})
    assert result.rating is Rating.RED
    assert result.beyond_red == (ReferralExclusion.MENTAL_HEALTH_CRISIS,)


def test_absent_or_unknown_exclusions_do_not_change_rating() -> None:
    result = rate(None, exclusions=dict.fromkeys(ReferralExclusion, False))
    assert result.rating is Rating.GREEN
    assert result.beyond_red == ()


def test_screen_referral_accept_decline_review() -> None:
    none = dict.fromkeys(ReferralExclusion, False)
    assert screen_referral(none).outcome is ScreenOutcome.ACCEPT
    declined = screen_referral({**none, ReferralExclusion.SEVERE_SELF_HARM: True})
    assert declined.outcome is ScreenOutcome.DECLINE
    assert declined.present == (ReferralExclusion.SEVERE_SELF_HARM,)
    partial = {ReferralExclusion.MENTAL_HEALTH_CRISIS: False}
    review = screen_referral(partial)
    assert review.outcome is ScreenOutcome.NEEDS_REVIEW
    assert len(review.unknown) == 4
    # Present beats unknown: one exclusion is enough to decline.
    assert (
        screen_referral({ReferralExclusion.AT_RISK_OF_HOSPITAL_ADMISSION: True}).outcome
        is ScreenOutcome.DECLINE
    )
    # A service may check only some exclusions.
    assert screen_referral(partial, check=[ReferralExclusion.MENTAL_HEALTH_CRISIS]).outcome is (
        ScreenOutcome.ACCEPT
    )


answers = st.one_of(st.none(), st.booleans())
concerns = st.lists(
    st.builds(Concern, st.text(max_size=20), st.sampled_from(Significance)), max_size=3
)


@given(v=answers, p=answers, o=answers, r=answers, involved=answers, cs=concerns)
def test_rating_invariants(
    v: bool | None,
    p: bool | None,
    o: bool | None,
    r: bool | None,
    involved: bool | None,
    cs: list[Concern],
) -> None:
    assessment = SafeguardingAssessment(v, p, o, r, involved, cs)
    result = rate(assessment)
    significant = any(c.significance is Significance.SIGNIFICANT for c in cs)
    any_yes = True in (v, p, o, r)
    if involved is True and significant:
        assert result.rating is Rating.RED
    elif any_yes or cs:
        assert result.rating is Rating.AMBER
    else:
        assert result.rating is Rating.GREEN
    assert result.reasons, "a rating always has at least one reason"
    # Adding a significant concern and social services never lowers the rating.
    worse = SafeguardingAssessment(
        v, p, o, r, True, [*cs, Concern("new", Significance.SIGNIFICANT)]
    )
    assert rate(worse).rating.rank >= result.rating.rank
