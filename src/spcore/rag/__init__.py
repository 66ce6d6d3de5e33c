"""Red / amber / green safeguarding rating of social prescribing cases (family-action-2018).

``rate`` gives a rating with its reasons, ``duties`` says what a rating
requires, ``screen_referral`` checks the "beyond red" referral exclusions,
and :mod:`spcore.rag.history` derives escalations and the RAG-rated caseload
from dated rating changes. "RAG" never means retrieval-augmented generation
here.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spcore.rag.duties import DUTY_TEXT, Duty, duties
    from spcore.rag.history import (
        CaseloadSummary,
        CaseRatingHistory,
        DateRange,
        RatingChange,
        caseload_on,
        caseload_summary,
        check_history,
    )
    from spcore.rag.model import (
        EXCLUSION_TEXT,
        QUESTION_TEXT,
        Concern,
        RagResult,
        Rating,
        Reason,
        ReferralExclusion,
        ReferralScreen,
        SafeguardingAssessment,
        SafeguardingQuestion,
        ScreenOutcome,
        Significance,
        rate,
        screen_referral,
    )
else:
    from spcore._lazy import attach

    # Names load on first use (see spcore._lazy).
    __getattr__, __dir__ = attach(__name__)

#: Every finding code this package emits, with its one-line meaning.
FINDING_CODES: dict[str, str] = {
    "SPC-G001": "A rating change is dated before the case's referral date.",
    "SPC-G002": "A rating change is dated after the case was closed.",
    "SPC-G003": "The case is closed before its referral date.",
    "SPC-G004": "An amber or red rating change has no recorded reason.",
}

__all__ = [
    "DUTY_TEXT",
    "EXCLUSION_TEXT",
    "FINDING_CODES",
    "QUESTION_TEXT",
    "CaseRatingHistory",
    "CaseloadSummary",
    "Concern",
    "DateRange",
    "Duty",
    "RagResult",
    "Rating",
    "RatingChange",
    "Reason",
    "ReferralExclusion",
    "ReferralScreen",
    "SafeguardingAssessment",
    "SafeguardingQuestion",
    "ScreenOutcome",
    "Significance",
    "caseload_on",
    "caseload_summary",
    "check_history",
    "duties",
    "rate",
    "screen_referral",
]
