"""Rules on the case monitoring figures (family-action-2018, 'Monitoring and impact measurement').

Every case that was open at some time in the quarter is either still open on
its last day (counted in the RAG caseload at the end) or was closed during it
(counted in the closures), so those two figures bound what happened to cases
in the quarter.
"""

from __future__ import annotations

from collections.abc import Iterator

from spcore.findings import Severity
from spcore.validation.rules.base import (
    Problem,
    Rule,
    RuleContext,
    breakdown,
    count,
    exceeds,
    excess,
    known_sum,
    rule,
)

SECTION = "Case monitoring"
FA_MONITORING = "family-action-2018, 'Monitoring and impact measurement'"
REJECTED = "/monitoring/referrals_rejected_by_reason"
DECLINED = "declined-by-person"


@rule(
    "SPC-R026",
    Severity.WARNING,
    section=SECTION,
    title="More referrals not taken up than people referred",
    rationale=(
        "Referrals not taken up are referrals made in the quarter, so they should not "
        "outnumber the people referred; a warning, since one person may be referred twice."
    ),
    source=FA_MONITORING + "; nhse-cof-2018, output 1",
    fails="240 people referred, 260 referrals not taken up.",
    passes="240 people referred, 23 referrals not taken up.",
)
def rejections_over_referred(ctx: RuleContext) -> Iterator[Problem]:
    """Referrals not taken up should be at most people referred."""
    if ctx.ret.monitoring is None:
        return
    base = REJECTED
    cells = breakdown(base, ctx.ret.monitoring.referrals_rejected_by_reason)
    referred = ("/outputs/people_referred", count(ctx.ret.outputs.people_referred))
    over = excess(ctx, cells, referred)
    if over is not None:
        yield (
            base,
            f"The referrals not taken up add up to {over:,} more than the people referred in "
            "the quarter.",
        )


@rule(
    "SPC-R027",
    Severity.ERROR,
    section=SECTION,
    title="More cases escalated than cases in the quarter",
    rationale=(
        "A case escalated in the quarter was open in it, so it is either in the caseload at "
        "the end or among the cases closed; more escalations than both together is "
        "impossible: an error."
    ),
    source=FA_MONITORING + "; family-action-2018, 'Assessment and safeguarding' (RAG rating)",
    fails="30 cases escalated; 20 open at the end and 5 closed.",
    passes="9 cases escalated; 194 open at the end and 125 closed.",
)
def escalated_over_cases(ctx: RuleContext) -> Iterator[Problem]:
    """Cases escalated must be at most the cases open at the end plus those closed."""
    monitoring = ctx.ret.monitoring
    if monitoring is None or monitoring.rag_caseload_at_end is None:
        return
    if monitoring.cases_closed_by_reason is None:
        return
    cells = breakdown("/monitoring/rag_caseload_at_end", monitoring.rag_caseload_at_end)
    cells += breakdown("/monitoring/cases_closed_by_reason", monitoring.cases_closed_by_reason)
    cases, complete = known_sum(cells)
    escalated = count(monitoring.cases_escalated)
    slack = ctx.slack("/monitoring/cases_escalated", *(p for p, _ in cells))
    if complete and escalated is not None and escalated > cases + slack:
        yield (
            "/monitoring/cases_escalated",
            f"{escalated:,} cases were escalated, but only {cases:,} cases were open at the end "
            "of the quarter or closed during it.",
        )


@rule(
    "SPC-R039",
    Severity.WARNING,
    section=SECTION,
    title="More people rejecting a referral than referrals they declined",
    rationale=(
        "The referral-rejection codelist defines 'declined-by-person' as what nhse-cof-2018 counts "
        "as a person rejecting a referral, so each person rejecting one has at least one "
        "referral not taken up for that reason; fewer such referrals than people is a warning, "
        "as a scheme may not record every reason."
    ),
    source=FA_MONITORING
    + "; nhse-cof-2018, output 1; spcore, the referral-rejection-reason codelist",
    fails="18 people rejecting a referral; 12 referrals declined by the person.",
    passes="18 people rejecting a referral; 18 referrals declined by the person.",
)
def rejecting_over_declined(ctx: RuleContext) -> Iterator[Problem]:
    """People rejecting a referral should be at most the referrals declined by the person."""
    if ctx.ret.monitoring is None or ctx.ret.monitoring.referrals_rejected_by_reason is None:
        return
    path = f"{REJECTED}/{DECLINED}"
    reasons = {
        getattr(code, "value", code): value
        for code, value in ctx.ret.monitoring.referrals_rejected_by_reason.items()
    }
    # A reason left out of the breakdown had no referrals; a withheld one is unknown.
    declined = (path, count(reasons.get(DECLINED, 0)))
    rejecting = (
        "/outputs/people_rejecting_referral",
        count(ctx.ret.outputs.people_rejecting_referral),
    )
    if declined[1] is not None and rejecting[1] is not None and exceeds(ctx, rejecting, declined):
        yield (
            "/outputs/people_rejecting_referral",
            f"{rejecting[1]:,} people rejected a referral, but only {declined[1]:,} referrals "
            "are recorded as declined by the person.",
        )


#: The rules of this module, in catalogue order.
RULES: tuple[Rule, ...] = (rejections_over_referred, escalated_over_cases, rejecting_over_declined)
