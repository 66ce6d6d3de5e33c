"""What must happen for a case at each safeguarding rating (family-action-2018).

family-action-2018, "Assessment and safeguarding": an amber or red rating requires a
full risk assessment (what the risks are, who is at risk, any action taken),
submitted to the Service Manager for approval and added to the case file,
reviewed regularly and whenever the risks change. For red cases the relevant
social services are contacted to make sure they are involved, and concerns
are shared with any third-party organisation known to be involved with the
service user.
"""

from __future__ import annotations

import enum

from spcore.answers import code
from spcore.rag.model import Rating


class Duty(enum.StrEnum):
    """An action the service must take for a rated case."""

    MONITOR_CLOSELY = "monitor-closely"
    FULL_RISK_ASSESSMENT = "full-risk-assessment"
    SERVICE_MANAGER_APPROVAL = "service-manager-approval"
    ADD_TO_CASE_FILE = "add-to-case-file"
    REVIEW_REGULARLY = "review-regularly"
    REVIEW_ON_CHANGE = "review-on-change"
    CONTACT_SOCIAL_SERVICES = "contact-social-services"
    INFORM_THIRD_PARTIES = "inform-third-parties"


#: One sentence per duty, for screens and documentation (wording after family-action-2018).
DUTY_TEXT: dict[Duty, str] = {
    Duty.MONITOR_CLOSELY: "Monitor the case very closely in case it needs to be escalated.",
    Duty.FULL_RISK_ASSESSMENT: (
        "Carry out a full risk assessment: what the risks are, who is at risk, and the "
        "action taken to manage each risk."
    ),
    Duty.SERVICE_MANAGER_APPROVAL: (
        "Submit the risk assessment to the Service Manager for approval."
    ),
    Duty.ADD_TO_CASE_FILE: "Add the approved risk assessment to the case file.",
    Duty.REVIEW_REGULARLY: "Review the risk assessment regularly.",
    Duty.REVIEW_ON_CHANGE: "Review the risk assessment and the rating whenever the risks change.",
    Duty.CONTACT_SOCIAL_SERVICES: (
        "Contact the relevant social services to make sure they are involved."
    ),
    Duty.INFORM_THIRD_PARTIES: (
        "Share the concerns with any third-party organisation known to be involved with "
        "the service user."
    ),
}

_AMBER = (
    Duty.MONITOR_CLOSELY,
    Duty.FULL_RISK_ASSESSMENT,
    Duty.SERVICE_MANAGER_APPROVAL,
    Duty.ADD_TO_CASE_FILE,
    Duty.REVIEW_REGULARLY,
    Duty.REVIEW_ON_CHANGE,
)
_RED = (*_AMBER, Duty.CONTACT_SOCIAL_SERVICES, Duty.INFORM_THIRD_PARTIES)


def duties(rating: Rating | str) -> tuple[Duty, ...]:
    """The duties a rating brings, in the order they are carried out (family-action-2018).

    - green: none (a green case still moves up if concerns arise; that is a
      new rating, not a duty of green);
    - amber: close monitoring, a full risk assessment approved by the Service
      Manager and added to the case file, reviewed regularly and on change;
    - red: everything for amber, plus contacting social services and sharing
      concerns with known third-party organisations. family-action-2018 places the
      third-party sentence after the red one, so it is read as a red duty.

    Raises ``ValueError`` (with a did-you-mean) for text that is not a rating
    code, and ``TypeError`` for anything that is not text: an unknown rating is
    never read as green.
    """
    value = code(Rating, "rating", rating)
    if value is Rating.RED:
        return _RED
    if value is Rating.AMBER:
        return _AMBER
    return ()
