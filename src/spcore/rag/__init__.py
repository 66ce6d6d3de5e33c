"""Red / amber / green safeguarding rating of social prescribing cases (family-action-2018).

``rate`` gives a rating with its reasons, ``duties`` says what a rating
requires, ``screen_referral`` checks the "beyond red" referral exclusions,
``rate_csv`` (``spcore rag``) rates a CSV of assessments,
and :mod:`spcore.rag.history` derives escalations and the RAG-rated caseload
from dated rating changes. "RAG" never means retrieval-augmented generation
here.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spcore.rag.csvio import (
        CONCERN_LEVELS,
        INPUT_COLUMNS,
        NEEDS_REVIEW,
        OUTPUT_COLUMNS,
        RagCsvSummary,
        parse_assessment,
        rate_csv,
    )
    from spcore.rag.duties import DUTY_TEXT, Duty, duties
    from spcore.rag.evidence import DutyCheck, DutyStatus, EvidencePolicy, check_evidence
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
        exclusion_answers,
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
    "SPC-G010": "A cell of the assessments file cannot be read; the row needs review.",
    "SPC-G011": "The assessments file lacks a column the rating reads.",
    "SPC-G012": "A row of the assessments file is malformed (cannot be parsed, wrong cell count).",
}

__all__ = [
    "CONCERN_LEVELS",
    "DUTY_TEXT",
    "EXCLUSION_TEXT",
    "FINDING_CODES",
    "INPUT_COLUMNS",
    "NEEDS_REVIEW",
    "OUTPUT_COLUMNS",
    "QUESTION_TEXT",
    "CaseRatingHistory",
    "CaseloadSummary",
    "Concern",
    "DateRange",
    "Duty",
    "DutyCheck",
    "DutyStatus",
    "EvidencePolicy",
    "RagCsvSummary",
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
    "check_evidence",
    "check_history",
    "duties",
    "exclusion_answers",
    "parse_assessment",
    "rate",
    "rate_csv",
    "screen_referral",
]
