"""The red / amber / green (RAG) safeguarding rating of a case.

The rules are those of Family Action's secondary-care pilot (family-action-2018,
"Assessment and safeguarding"):

- GREEN: no identified safeguarding concerns. Every case is green at the
  point of referral, before an assessment is carried out.
- AMBER: some concerns; the case is monitored very closely in case it needs
  to be escalated.
- RED: social services are already involved *and* there is significant
  concern (for example a Section 47 enquiry that led to a case conference and
  a Child Protection Plan, or a safeguarding alert for an adult suffering
  abuse from a partner).

The referral exclusions of family-action-2018 ("Referral criteria and patient journey")
sit "beyond red": a referral up to red may be accepted, an excluded one may
not. They are checked at referral by :func:`screen_referral` (and by the
``no_referral_exclusion`` eligibility criterion), and again after assessment
when they are passed to :func:`rate`.

"RAG" in spcore always means this safeguarding rating.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

import attrs

from spcore.answers import code, yes_no, yes_no_validator


class Rating(enum.StrEnum):
    """Safeguarding rating of a case (codelist ``rag-rating``)."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def rank(self) -> int:
        """Order of seriousness: green 0, amber 1, red 2."""
        return _RANK[self]


_RANK = {Rating.GREEN: 0, Rating.AMBER: 1, Rating.RED: 2}


class SafeguardingQuestion(enum.StrEnum):
    """The four safeguarding questions asked at assessment (family-action-2018; codelist
    ``safeguarding-question``)."""

    VICTIM_OF_VIOLENCE_OR_ABUSE = "victim-of-violence-or-abuse"
    PERPETRATOR_OF_VIOLENCE_OR_ABUSE = "perpetrator-of-violence-or-abuse"
    OTHER_HARMFUL_PRACTICES = "other-harmful-practices"
    RISK_TO_SELF_OR_OTHERS = "risk-to-self-or-others"


#: The question as a link worker asks it (family-action-2018, "Assessment and safeguarding").
QUESTION_TEXT: dict[SafeguardingQuestion, str] = {
    SafeguardingQuestion.VICTIM_OF_VIOLENCE_OR_ABUSE: (
        "Has the service user been a victim of violence or abuse?"
    ),
    SafeguardingQuestion.PERPETRATOR_OF_VIOLENCE_OR_ABUSE: (
        "Has the service user been a perpetrator of violence or abuse?"
    ),
    SafeguardingQuestion.OTHER_HARMFUL_PRACTICES: (
        "Has the service user been a victim or perpetrator of any other harmful practices?"
    ),
    SafeguardingQuestion.RISK_TO_SELF_OR_OTHERS: (
        "Is the service user a risk to themselves or others?"
    ),
}


class ReferralExclusion(enum.StrEnum):
    """Reasons a referral is not accepted: "beyond red" (family-action-2018; codelist
    ``referral-exclusion``)."""

    MENTAL_HEALTH_CRISIS = "mental-health-crisis"
    ACTIVELY_SUICIDAL = "actively-suicidal"
    SEVERE_SELF_HARM = "severe-self-harm"
    COMPLEX_NEEDS_SPECIALIST_SUPPORT = "complex-needs-specialist-support"
    AT_RISK_OF_HOSPITAL_ADMISSION = "at-risk-of-hospital-admission"


#: Plain-English wording of each exclusion (family-action-2018, "Referral criteria and
#: patient journey").
EXCLUSION_TEXT: dict[ReferralExclusion, str] = {
    ReferralExclusion.MENTAL_HEALTH_CRISIS: "experiencing a mental health crisis",
    ReferralExclusion.ACTIVELY_SUICIDAL: "actively suicidal (for example has a plan in place)",
    ReferralExclusion.SEVERE_SELF_HARM: "severely harming themselves",
    ReferralExclusion.COMPLEX_NEEDS_SPECIALIST_SUPPORT: (
        "has complex needs that require specialist support"
    ),
    ReferralExclusion.AT_RISK_OF_HOSPITAL_ADMISSION: (
        "at risk of hospital admission owing to a high or complex level of need"
    ),
}


class Significance(enum.StrEnum):
    """How serious a recorded safeguarding concern is.

    family-action-2018 separates "some concerns" (amber) from "significant concern"
    (red when social services are involved).
    """

    SOME = "some"
    SIGNIFICANT = "significant"


def _significance(value: Significance | str) -> Significance:
    return code(Significance, "significance", value)


@attrs.frozen
class Concern:
    """A safeguarding concern recorded at or after assessment.

    Attributes:
        description: what the concern is, in the link worker's words
            (for example "Section 47 enquiry; Child Protection Plan in place").
        significance: ``some`` or ``significant``.
    """

    description: str = attrs.field(validator=attrs.validators.instance_of(str))
    significance: Significance = attrs.field(converter=_significance)


def _concerns(values: Iterable[Concern]) -> tuple[Concern, ...]:
    if isinstance(values, str | bytes):
        raise TypeError(f"concerns must be a list of Concern, not {values!r}")
    concerns = tuple(values)
    for index, concern in enumerate(concerns):
        if not isinstance(concern, Concern):
            raise TypeError(
                f"concerns[{index}] must be a Concern, not {concern!r} ({type(concern).__name__})"
            )
    return concerns


@attrs.frozen
class SafeguardingAssessment:
    """The safeguarding facts gathered at a holistic assessment.

    Each answer is ``True`` (yes), ``False`` (no) or ``None`` (not asked or
    not answered). ``social_services_involved`` is ``None`` when unknown.
    Anything else (``"yes"``, ``1``, ``"false"``) raises ``TypeError`` naming
    the field: an answer the library does not understand is never read as
    "no". Text spellings are read only from files (``spcore rag``).
    """

    victim_of_violence_or_abuse: bool | None = attrs.field(default=None, validator=yes_no_validator)
    perpetrator_of_violence_or_abuse: bool | None = attrs.field(
        default=None, validator=yes_no_validator
    )
    other_harmful_practices: bool | None = attrs.field(default=None, validator=yes_no_validator)
    risk_to_self_or_others: bool | None = attrs.field(default=None, validator=yes_no_validator)
    social_services_involved: bool | None = attrs.field(default=None, validator=yes_no_validator)
    concerns: tuple[Concern, ...] = attrs.field(default=(), converter=_concerns)

    def answer(self, question: SafeguardingQuestion | str) -> bool | None:
        """The answer to one of the four safeguarding questions.

        Raises ``ValueError`` (with a did-you-mean) for text that is not a question code.
        """
        asked = code(SafeguardingQuestion, "question", question)
        value: bool | None = getattr(self, asked.value.replace("-", "_"))
        return value


@attrs.frozen
class Reason:
    """One reason behind a rating, fit to show on screen.

    Attributes:
        factor: stable identifier of what contributed, for example
            ``safeguarding-question/risk-to-self-or-others``, ``concern/0``,
            ``social-services-involved``, ``exclusion/actively-suicidal``,
            ``not-assessed``, ``no-concerns``, ``unanswered/...``.
        text: a plain-English sentence.
    """

    factor: str
    text: str


@attrs.frozen
class RagResult:
    """A rating with the reasons that led to it.

    Attributes:
        rating: green, amber or red.
        reasons: the answers, concerns and facts that led there, most
            important first.
        unanswered: safeguarding questions left unanswered at assessment;
            while any remain the rating is provisional.
        beyond_red: referral exclusions found; when not empty the case is
            outside what the service can hold (family-action-2018: "beyond red").
    """

    rating: Rating
    reasons: tuple[Reason, ...]
    unanswered: tuple[SafeguardingQuestion, ...] = ()
    beyond_red: tuple[ReferralExclusion, ...] = ()

    @property
    def complete(self) -> bool:
        """True when every safeguarding question was answered."""
        return not self.unanswered


def rate(
    assessment: SafeguardingAssessment | None,
    *,
    exclusions: Mapping[ReferralExclusion, bool | None] | None = None,
) -> RagResult:
    """Rate a case red, amber or green and say why.

    family-action-2018, "Assessment and safeguarding".

    Args:
        assessment: the safeguarding answers, social services involvement and
            recorded concerns; ``None`` before the case has been assessed, in
            which case it is green (family-action-2018: "all cases are considered green
            at point of referral before an assessment is carried out").
        exclusions: referral exclusions observed at or after assessment
            (``True`` present, ``False`` absent, ``None`` unknown). Any present
            exclusion puts the case "beyond red": the rating is red and
            ``beyond_red`` lists them.

    The rules:

    - red when social services are involved and at least one concern is
      significant;
    - otherwise amber when any safeguarding question is answered yes or any
      concern is recorded (a significant concern without social services
      involvement stays amber, with a reason saying that social services
      should be considered);
    - otherwise green.

    Raises:
        TypeError: when an answer is not ``True``, ``False`` or ``None``.
        ValueError: when an exclusion code is unknown (with a did-you-mean).
    """
    if assessment is not None and not isinstance(assessment, SafeguardingAssessment):
        raise TypeError(
            f"assessment must be a SafeguardingAssessment or None, not {type(assessment).__name__}"
        )
    beyond = _present(exclusions)
    exclusion_reasons = tuple(
        Reason(f"exclusion/{code.value}", f"Referral exclusion present: {EXCLUSION_TEXT[code]}.")
        for code in beyond
    )
    if assessment is None:
        base = RagResult(
            Rating.GREEN,
            (
                Reason(
                    "not-assessed",
                    "Not yet assessed: every case is green at referral, before assessment.",
                ),
            ),
        )
        return _beyond_red(base, beyond, exclusion_reasons)

    yes_reasons = tuple(
        Reason(f"safeguarding-question/{q.value}", f"Answered yes: {QUESTION_TEXT[q]}")
        for q in SafeguardingQuestion
        if assessment.answer(q) is True
    )
    unanswered = tuple(q for q in SafeguardingQuestion if assessment.answer(q) is None)
    unanswered_reasons = tuple(
        Reason(
            f"unanswered/{q.value}",
            f"Not answered, so the rating is provisional: {QUESTION_TEXT[q]}",
        )
        for q in unanswered
    )
    significant = tuple(
        (i, c)
        for i, c in enumerate(assessment.concerns)
        if c.significance is Significance.SIGNIFICANT
    )
    some = tuple(
        (i, c) for i, c in enumerate(assessment.concerns) if c.significance is Significance.SOME
    )
    significant_reasons = tuple(
        Reason(f"concern/{i}", f"Significant concern: {c.description}") for i, c in significant
    )
    some_reasons = tuple(Reason(f"concern/{i}", f"Concern: {c.description}") for i, c in some)

    if significant and assessment.social_services_involved is True:
        reasons = (
            Reason(
                "social-services-involved",
                "Social services are involved and there is significant concern.",
            ),
            *significant_reasons,
            *some_reasons,
            *yes_reasons,
        )
        result = RagResult(Rating.RED, reasons, unanswered)
    elif yes_reasons or assessment.concerns:
        reasons = (*significant_reasons, *some_reasons, *yes_reasons)
        if significant:
            # family-action-2018 defines red as "already has social services involved and
            # significant concern"; without the first half the case is amber,
            # but the user must see why it is not red and what would make it so.
            involvement = (
                "are not involved"
                if assessment.social_services_involved is False
                else "are not known to be involved"
            )
            reasons = (
                *reasons,
                Reason(
                    "social-services-not-involved",
                    f"Significant concern but social services {involvement}: consider a "
                    "referral to social services; the case is red once they are involved.",
                ),
            )
        result = RagResult(Rating.AMBER, reasons, unanswered)
    else:
        reasons = (Reason("no-concerns", "Assessment identified no safeguarding concerns."),)
        if assessment.social_services_involved is True:
            reasons = (
                *reasons,
                Reason(
                    "social-services-involved",
                    "Social services are involved, but no safeguarding concern is recorded.",
                ),
            )
        result = RagResult(Rating.GREEN, reasons, unanswered)
    result = attrs.evolve(result, reasons=(*result.reasons, *unanswered_reasons))
    return _beyond_red(result, beyond, exclusion_reasons)


def exclusion_answers(
    exclusions: Mapping[ReferralExclusion, bool | None] | Mapping[str, bool | None] | None,
) -> dict[ReferralExclusion, bool | None]:
    """Check a mapping of referral exclusions to yes/no answers, as given to the library.

    Every key must be a :class:`ReferralExclusion` or its code (a misspelt key
    would otherwise be silently ignored and the exclusion read as unknown or
    absent), and every value ``True``, ``False`` or ``None``. Exclusions not
    in the mapping are unknown (``None``).

    Raises:
        TypeError: for a value that is not a ``bool`` or ``None``, or for
            something that is not a mapping.
        ValueError: for a key that is not an exclusion code (with a did-you-mean).
    """
    answers: dict[ReferralExclusion, bool | None] = dict.fromkeys(ReferralExclusion)
    if exclusions is None:
        return answers
    if not isinstance(exclusions, Mapping):
        raise TypeError(
            "exclusions must be a mapping of referral-exclusion codes to True, False or None, "
            f"not {type(exclusions).__name__}"
        )
    for key, value in exclusions.items():
        exclusion = code(ReferralExclusion, "exclusion", key)
        answers[exclusion] = yes_no(f"exclusions[{exclusion.value!r}]", value)
    return answers


def _present(
    exclusions: Mapping[ReferralExclusion, bool | None] | None,
) -> tuple[ReferralExclusion, ...]:
    answers = exclusion_answers(exclusions)
    return tuple(exclusion for exclusion in ReferralExclusion if answers[exclusion] is True)


def _beyond_red(
    result: RagResult, beyond: tuple[ReferralExclusion, ...], reasons: tuple[Reason, ...]
) -> RagResult:
    if not beyond:
        return result
    # The codelist has three ratings; "beyond red" is recorded as red plus the
    # exclusions, so that counts by rating never drop an excluded case.
    return RagResult(Rating.RED, (*reasons, *result.reasons), result.unanswered, beyond)


class ScreenOutcome(enum.StrEnum):
    """Result of screening a referral against the exclusions."""

    ACCEPT = "accept"
    DECLINE = "decline"
    NEEDS_REVIEW = "needs review"


@attrs.frozen
class ReferralScreen:
    """Outcome of checking a referral against the "beyond red" exclusions.

    Attributes:
        outcome: ``accept`` when every exclusion is known to be absent,
            ``decline`` when any is present, ``needs review`` when none is
            present but some are unknown.
        present: exclusions that apply.
        unknown: exclusions nobody has answered yet.
        reasons: plain-English reasons.
    """

    outcome: ScreenOutcome
    present: tuple[ReferralExclusion, ...]
    unknown: tuple[ReferralExclusion, ...]
    reasons: tuple[Reason, ...]


def screen_referral(
    exclusions: Mapping[ReferralExclusion, bool | None],
    *,
    check: Iterable[ReferralExclusion] = tuple(ReferralExclusion),
) -> ReferralScreen:
    """Check a referral against the exclusions of family-action-2018 before any assessment.

    Args:
        exclusions: for each exclusion, ``True`` (applies), ``False`` (does
            not apply) or ``None``/absent (not known).
        check: the exclusions the service applies; all five by default.

    Raises:
        TypeError: for an answer that is not ``True``, ``False`` or ``None``
            (``"yes"`` and ``1`` included): it is never read as "no".
        ValueError: for a key or a ``check`` entry that is not an exclusion code.
    """
    answers = exclusion_answers(exclusions)
    if isinstance(check, str):
        raise TypeError("check must be a list of referral-exclusion codes, not one text")
    checked = tuple(code(ReferralExclusion, "check", c) for c in check)
    present = tuple(c for c in checked if answers[c] is True)
    unknown = tuple(c for c in checked if answers[c] is None)
    if present:
        outcome = ScreenOutcome.DECLINE
        reasons = tuple(
            Reason(
                f"exclusion/{c.value}",
                f"Beyond red, not accepted: {EXCLUSION_TEXT[c]}.",
            )
            for c in present
        )
    elif unknown:
        outcome = ScreenOutcome.NEEDS_REVIEW
        reasons = tuple(
            Reason(f"unknown/{c.value}", f"Not known whether the person is {EXCLUSION_TEXT[c]}.")
            for c in unknown
        )
    else:
        outcome = ScreenOutcome.ACCEPT
        reasons = (Reason("no-exclusions", "None of the referral exclusions applies."),)
    return ReferralScreen(outcome, present, unknown, reasons)
