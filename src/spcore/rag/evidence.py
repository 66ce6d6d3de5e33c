"""Whether the risk-assessment duties of an amber or red rating are met, due or overdue.

family-action-2018 ("Assessment and safeguarding") says an amber or red rating
requires a full risk assessment, submitted to the Service Manager for approval,
reviewed regularly and whenever the risks change (:mod:`spcore.rag.duties`). A
case record holds the evidence on the rating entry
(``needs_and_concerns.rag_history[].risk_assessment``: completed on, approved
on, reviewed on). The source gives no deadlines, so how quickly each must
follow is the scheme's own policy (:class:`EvidencePolicy`), never a default.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence

import attrs

from spcore.rag.duties import Duty
from spcore.rag.model import Rating


class DutyStatus(enum.StrEnum):
    """Where a duty stands on a given day."""

    MET = "met"
    """Done, and (for reviews) the next one is not yet due."""
    DUE = "due"
    """Not yet done, and the scheme's deadline has not passed."""
    OVERDUE = "overdue"
    """Not done by the scheme's deadline."""


def _days(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TypeError(f"a deadline must be a whole number of days (0 or more), not {value!r}")
    return value


@attrs.frozen
class EvidencePolicy:
    """The scheme's deadlines, in days (family-action-2018 sets none).

    Attributes:
        complete_within_days: from the rating to the completed risk assessment.
        approve_within_days: from completion to the Service Manager's approval.
        review_every_days: longest gap between reviews ("reviewed regularly"),
            counted from completion, then from each review.
    """

    complete_within_days: int = attrs.field(converter=_days)
    approve_within_days: int = attrs.field(converter=_days)
    review_every_days: int = attrs.field(converter=_days)


@attrs.frozen
class DutyCheck:
    """One evidenced duty on one day: its status, when it fell due, and when it was done."""

    duty: Duty
    status: DutyStatus
    due_on: dt.date | None
    done_on: dt.date | None


def check_evidence(
    rating: Rating | str,
    rated_on: dt.date,
    *,
    completed_on: dt.date | None,
    approved_on: dt.date | None,
    reviewed_on: Sequence[dt.date] = (),
    on: dt.date,
    policy: EvidencePolicy,
) -> tuple[DutyCheck, ...]:
    """The evidenced duties of a rating given on ``rated_on``, as they stand on day ``on``.

    Only amber and red ratings bring these duties; a green rating gives none.
    Checked are the full risk assessment, the Service Manager's approval and
    the regular review (the other duties of :func:`spcore.rag.duties.duties`
    leave no date on the record). Raises ``ValueError`` for text that is not
    a rating code.
    """
    if Rating(rating) is Rating.GREEN:
        return ()
    checks = [
        _check(
            Duty.FULL_RISK_ASSESSMENT,
            rated_on + dt.timedelta(days=policy.complete_within_days),
            completed_on,
            on,
        )
    ]
    if completed_on is None:
        return tuple(checks)
    checks.append(
        _check(
            Duty.SERVICE_MANAGER_APPROVAL,
            completed_on + dt.timedelta(days=policy.approve_within_days),
            approved_on,
            on,
        )
    )
    last = max((d for d in (completed_on, *reviewed_on) if d <= on), default=completed_on)
    next_due = last + dt.timedelta(days=policy.review_every_days)
    status = DutyStatus.MET if on <= next_due else DutyStatus.OVERDUE
    reviews = [d for d in reviewed_on if d <= on]
    checks.append(
        DutyCheck(Duty.REVIEW_REGULARLY, status, next_due, max(reviews) if reviews else None)
    )
    return tuple(checks)


def _check(duty: Duty, due_on: dt.date, done_on: dt.date | None, on: dt.date) -> DutyCheck:
    if done_on is not None and done_on <= on:
        # Done, late or not: met, with both dates kept so lateness can be seen.
        return DutyCheck(duty, DutyStatus.MET, due_on, done_on)
    return DutyCheck(duty, DutyStatus.DUE if on <= due_on else DutyStatus.OVERDUE, due_on, None)
