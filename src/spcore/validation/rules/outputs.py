"""Rules on the Phase 1 outputs about people and referrals (nhse-cof-2018, outputs 1-6).

The totals are people referred in the quarter (output 1); the age-band and
referrer breakdowns (outputs 2 and 4) each count every person referred once,
so they must add up to it, while a person may meet several referral criteria
(output 3), so each criterion is only bounded by it.
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
    plural,
    rule,
    shortfall,
)

SECTION = "Outputs: people and referrals"
COF_OUTPUTS = "nhse-cof-2018, 'Phase 1 suggested outputs'"
REFERRED = "/outputs/people_referred"


def _referred(ctx: RuleContext) -> tuple[str, int | None]:
    return REFERRED, count(ctx.ret.outputs.people_referred)


def _sum_over(ctx: RuleContext, field: str, what: str) -> Iterator[Problem]:
    base = f"/outputs/{field}"
    over = excess(ctx, breakdown(base, getattr(ctx.ret.outputs, field)), _referred(ctx))
    if over is not None:
        yield (
            base,
            f"The people referred by {what} add up to {plural(over, 'person', 'people')} more "
            "than the number of people referred; each person is counted in one "
            f"{what} only.",
        )


def _sum_under(ctx: RuleContext, field: str, what: str, unknown: str) -> Iterator[Problem]:
    base = f"/outputs/{field}"
    short = shortfall(ctx, breakdown(base, getattr(ctx.ret.outputs, field)), _referred(ctx))
    if short is not None:
        yield (
            base,
            f"The people referred by {what} add up to {plural(short, 'person', 'people')} fewer "
            f"than the number of people referred; count people whose {what} was not recorded "
            f"under '{unknown}'.",
        )


@rule(
    "SPC-R001",
    Severity.ERROR,
    section=SECTION,
    title="Age bands add up to more than people referred",
    rationale=(
        "Output 2 counts each person referred in exactly one age band, so the bands cannot add "
        "up to more than output 1's people referred: an error."
    ),
    source=COF_OUTPUTS + ", outputs 1 and 2",
    fails="240 people referred, but the age bands add up to 250.",
    passes="240 people referred, and the age bands (including 'unknown') add up to 240.",
)
def age_bands_over(ctx: RuleContext) -> Iterator[Problem]:
    """The age-band breakdown must not add up to more than people referred."""
    return _sum_over(ctx, "referred_by_age_band", "age band")


@rule(
    "SPC-R002",
    Severity.WARNING,
    section=SECTION,
    title="Age bands add up to fewer than people referred",
    rationale=(
        "Every person referred belongs in one age band, with 'unknown' for those whose age was "
        "not recorded, so a shortfall means people were left out; it is a warning because the "
        "figures may still be right if the scheme did not use 'unknown'."
    ),
    source=COF_OUTPUTS + ", outputs 1 and 2",
    fails="240 people referred, but the age bands add up to 230.",
    passes="240 people referred, the age bands add up to 236 and 'unknown' holds the other 4.",
)
def age_bands_under(ctx: RuleContext) -> Iterator[Problem]:
    """The age-band breakdown should account for every person referred."""
    return _sum_under(ctx, "referred_by_age_band", "age band", "unknown")


@rule(
    "SPC-R003",
    Severity.ERROR,
    section=SECTION,
    title="Referrers add up to more than people referred",
    rationale=(
        "Output 4 counts each person referred under the one referrer who referred them, so the "
        "referrers cannot add up to more than people referred: an error."
    ),
    source=COF_OUTPUTS + ", outputs 1 and 4",
    fails="240 people referred, but the referrers add up to 260.",
    passes="240 people referred, and the referrers add up to 240.",
)
def referrers_over(ctx: RuleContext) -> Iterator[Problem]:
    """The referrer breakdown must not add up to more than people referred."""
    return _sum_over(ctx, "referred_by_referrer_type", "referrer")


@rule(
    "SPC-R004",
    Severity.WARNING,
    section=SECTION,
    title="Referrers add up to fewer than people referred",
    rationale=(
        "Every person referred came from some referrer ('other' when none of the codes fits), "
        "so a shortfall means people were left out; a warning, since the referrer may simply "
        "not have been recorded."
    ),
    source=COF_OUTPUTS + ", outputs 1 and 4",
    fails="240 people referred, but the referrers add up to 200.",
    passes="240 people referred, and the referrers, with 'other', add up to 240.",
)
def referrers_under(ctx: RuleContext) -> Iterator[Problem]:
    """The referrer breakdown should account for every person referred."""
    return _sum_under(ctx, "referred_by_referrer_type", "referrer", "other")


@rule(
    "SPC-R005",
    Severity.ERROR,
    section=SECTION,
    title="A referral criterion counts more people than were referred",
    rationale=(
        "A person can meet several referral criteria, so the criteria may add up to more than "
        "people referred, but no single criterion can be met by more people than were "
        "referred: an error."
    ),
    source=COF_OUTPUTS + ", outputs 1 and 3",
    fails="240 people referred, 250 of them with a long-term condition.",
    passes="240 people referred: 131 with a long-term condition and 118 isolated (249 in all).",
)
def criterion_over(ctx: RuleContext) -> Iterator[Problem]:
    """Each referral-criterion count must be at most people referred."""
    for cell in breakdown("/outputs/referred_by_criterion", ctx.ret.outputs.referred_by_criterion):
        if cell[1] is not None and exceeds(ctx, cell, _referred(ctx)):
            yield (
                cell[0],
                f"More people ({cell[1]:,}) are counted as meeting this referral criterion than "
                "were referred in the quarter.",
            )


@rule(
    "SPC-R006",
    Severity.ERROR,
    section=SECTION,
    title="More people rejected a referral than were referred",
    rationale=(
        "Output 1 counts people referred in the quarter who declined the referral, who are "
        "among the people referred, so there cannot be more of them: an error."
    ),
    source=COF_OUTPUTS + ", output 1",
    fails="240 people referred, 250 rejecting the referral.",
    passes="240 people referred, 18 rejecting the referral.",
)
def rejecting_over(ctx: RuleContext) -> Iterator[Problem]:
    """People rejecting a referral must be at most people referred."""
    path = "/outputs/people_rejecting_referral"
    if exceeds(ctx, (path, count(ctx.ret.outputs.people_rejecting_referral)), _referred(ctx)):
        yield (path, "More people rejected a referral than were referred in the quarter.")


@rule(
    "SPC-R007",
    Severity.WARNING,
    section=SECTION,
    title="More support plans than people benefiting",
    rationale=(
        "Output 6 counts support plans co-produced with the people the scheme supports, "
        "normally one each, so more plans than people benefiting (output 1) is unlikely; a "
        "warning, because a plan rewritten in the quarter may have been counted twice."
    ),
    source=COF_OUTPUTS + ", outputs 1 and 6",
    fails="198 people benefiting, 230 support plans co-produced.",
    passes="198 people benefiting, 151 support plans co-produced.",
)
def plans_over(ctx: RuleContext) -> Iterator[Problem]:
    """Support plans co-produced should be at most people benefiting."""
    path = "/outputs/support_plans_coproduced"
    plans = (path, count(ctx.ret.outputs.support_plans_coproduced))
    benefiting = ("/outputs/people_benefiting", count(ctx.ret.outputs.people_benefiting))
    if exceeds(ctx, plans, benefiting):
        yield (
            path,
            "More support plans were co-produced than there were people benefiting; check that "
            "each plan is counted once.",
        )


@rule(
    "SPC-R008",
    Severity.ERROR,
    section=SECTION,
    title="More groups listed than groups referred to",
    rationale=(
        "The optional list of groups names groups counted in output 5, so it cannot hold more "
        "groups than the count: an error."
    ),
    source=COF_OUTPUTS + ", output 5",
    fails="Community groups referred to: 2, with three groups listed.",
    passes="Community groups referred to: 42, with two of them listed.",
)
def groups_listed_over(ctx: RuleContext) -> Iterator[Problem]:
    """The groups listed must not outnumber the count of groups referred to."""
    groups = ctx.ret.outputs.community_groups
    listed = len(groups.groups or [])
    total = count(groups.count)
    if total is not None and listed > total + ctx.slack("/outputs/community_groups/count"):
        yield (
            "/outputs/community_groups/groups",
            f"{plural(listed, 'group is', 'groups are')} listed, but the number of community "
            f"groups referred to is {total:,}.",
        )


@rule(
    "SPC-R009",
    Severity.ERROR,
    section=SECTION,
    title="More groups referred to than social prescriptions made",
    rationale=(
        "A group counts as referred to only when someone was given a social prescription to "
        "it, so there cannot be more groups than social prescriptions made in the quarter: an "
        "error."
    ),
    source=COF_OUTPUTS + ", output 5; family-action-2018, 'Monitoring and impact measurement'",
    fails="42 community groups referred to, 30 social prescriptions made.",
    passes="42 community groups referred to, 388 social prescriptions made.",
)
def groups_over_prescriptions(ctx: RuleContext) -> Iterator[Problem]:
    """Groups referred to must be at most the social prescriptions made."""
    if ctx.ret.monitoring is None:
        return
    groups = ("/outputs/community_groups/count", count(ctx.ret.outputs.community_groups.count))
    made = (
        "/monitoring/social_prescriptions",
        count(ctx.ret.monitoring.social_prescriptions),
    )
    if exceeds(ctx, groups, made):
        yield (
            groups[0],
            "More community groups were referred to than social prescriptions were made in the "
            "quarter.",
        )


@rule(
    "SPC-R010",
    Severity.WARNING,
    section=SECTION,
    title="Referrals to listed groups exceed social prescriptions made",
    rationale=(
        "Each referral to a group is a social prescription, so the referrals to the groups "
        "listed should not add up to more than the social prescriptions made; a warning, as "
        "a group may count a referral the scheme recorded differently."
    ),
    source=COF_OUTPUTS + ", output 5; family-action-2018, 'Monitoring and impact measurement'",
    fails="Two groups listed with 300 and 200 referrals, 388 social prescriptions made.",
    passes="Two groups listed with 23 and 37 referrals, 388 social prescriptions made.",
)
def group_referrals_over(ctx: RuleContext) -> Iterator[Problem]:
    """Referrals to the listed groups should be at most the social prescriptions made."""
    if ctx.ret.monitoring is None:
        return
    made = count(ctx.ret.monitoring.social_prescriptions)
    groups = ctx.ret.outputs.community_groups.groups or []
    total = sum(count(g.referrals) or 0 for g in groups)
    if made is not None and total > made:
        yield (
            "/outputs/community_groups/groups",
            f"The referrals to the groups listed add up to {total:,}, more than the "
            f"{made:,} social prescriptions made in the quarter.",
        )


#: The rules of this module, in catalogue order.
RULES: tuple[Rule, ...] = (
    age_bands_over,
    age_bands_under,
    referrers_over,
    referrers_under,
    criterion_over,
    rejecting_over,
    plans_over,
    groups_listed_over,
    groups_over_prescriptions,
    group_referrals_over,
)
