"""The relations between the figures of a quarterly return, as data.

Each figure's definition (its schema description, from
:mod:`spcore.framework.definitions`) says which people, cases, referrals or
groups it counts. Where one figure's population lies inside another's, or a
breakdown splits a total, the figures bound each other; every such bound is
a row here, and :mod:`spcore.validation.rules.bounds` makes the rules, the
catalogue entries and the examples from the rows. A count of the return that
no row bounds is listed in :data:`UNBOUNDED` with the reason, and a test
fails on a count in neither, so a new figure cannot arrive without its
relations.

Codes ``SPC-R001``–``SPC-R039`` that were written as functions before keep
their codes and meaning; the relations first checked in this table have
codes from ``SPC-R070``.
"""

from __future__ import annotations

from collections.abc import Mapping

from spcore.findings import Severity
from spcore.validation.rules.bounds import Kind, Relation, Source, Term, partition

ERROR = Severity.ERROR
WARNING = Severity.WARNING

#: Sections of the catalogue (those of the hand-written rules they sit beside).
PEOPLE = "Outputs: people and referrals"
WORKFORCE = "Outputs: workforce and money"
MONITORING = "Case monitoring"
OUTCOMES = "Outcomes"

OUTPUTS = "Phase 1 suggested outputs"
COF = "nhse-cof-2018"
FA = "family-action-2018"
MONITORING_LOCATOR = "Monitoring and impact measurement"
OUTCOME_AREAS = "The three main outcomes"


def cof(locator: str) -> Source:
    """nhse-cof-2018 at ``locator``."""
    return Source(key=COF, locator=locator)


def fa(locator: str = MONITORING_LOCATOR) -> Source:
    """family-action-2018 at ``locator``."""
    return Source(key=FA, locator=locator)


#: spcore's own definitions (docs/aggregation.md), where the sources define no count.
SPCORE = Source(key="spcore", locator="docs/aggregation.md, 'How each figure is worked out'")

#: One full-time equivalent is 37.5 hours a week.
NHS_TERMS = Source(key="agenda-for-change", locator="hours of work")
REJECTION_CODELIST = Source(key="spcore", locator="referral-rejection-reason codelist")

REFERRED = Term("/outputs/people_referred", "people referred")
BENEFITING = Term("/outputs/people_benefiting", "people benefiting")
REJECTING = Term("/outputs/people_rejecting_referral", "people rejecting a referral")
GROUP = {"name": "Group {n}"}
PRESCRIPTIONS = Term("/monitoring/social_prescriptions", "social prescriptions made")
CLOSED = Term("/monitoring/cases_closed_by_reason/*", "the cases closed")
SUMMARY = "/impact_on_person/instruments/{i}"
CARE = "/impact_on_system/social_care_packages/{i}"
CARE_SOURCE = Source(key="nhse-cof-2018", locator="Phase 2 (impact on social care packages)")
#: Category codes in the generated examples (an instrument's own categories in a return).
CATEGORIES = ("level-1", "level-2")
MORALE = "/impact_on_system/staff_morale"
#: The two groups of staff nhse-cof-2018 names, each surveyed on its own.
MORALE_GROUPS = ("general_practice", "other_referral_agencies")
SURVEY = "/impact_on_community_groups"
RESPONDING = Term(f"{SURVEY}/groups_responding", "the groups responding")
FUNDING = Term(
    "/outputs/total_investment/by_funding_source/*", "the funding sources", empty_is_absent=True
)
INVESTMENT = Term("/outputs/total_investment/amount", "the total investment")

RELATIONS: tuple[Relation, ...] = (
    *partition(
        over_code="SPC-R001",
        under_code="SPC-R002",
        parts=(Term("/outputs/referred_by_age_band/*", "the age bands"),),
        whole=(REFERRED,),
        section=PEOPLE,
        over_title="Age bands add up to more than people referred",
        under_title="Age bands add up to fewer than people referred",
        over_rationale=(
            "Output 2 counts each person referred in exactly one age band, so the bands cannot "
            "add up to more than output 1's people referred: an error."
        ),
        under_rationale=(
            "Every person referred belongs in one age band, with 'unknown' for those whose age "
            "was not recorded, so a shortfall means people were left out; it is a warning "
            "because the figures may still be right if the scheme did not use 'unknown'."
        ),
        sources=(cof(f"'{OUTPUTS}', outputs 1 and 2"),),
        over_reason="each person referred is counted in one age band",
        under_reason="count people whose age was not recorded under 'unknown'",
    ),
    *partition(
        over_code="SPC-R003",
        under_code="SPC-R004",
        parts=(Term("/outputs/referred_by_referrer_type/*", "the referrers"),),
        whole=(REFERRED,),
        section=PEOPLE,
        over_title="Referrers add up to more than people referred",
        under_title="Referrers add up to fewer than people referred",
        over_rationale=(
            "Output 4 counts each person referred under the one referrer who referred them, so "
            "the referrers cannot add up to more than people referred: an error."
        ),
        under_rationale=(
            "Every person referred came from some referrer ('other' when none of the codes "
            "fits), so a shortfall means people were left out; a warning, since the referrer "
            "may simply not have been recorded."
        ),
        sources=(cof(f"'{OUTPUTS}', outputs 1 and 4"),),
        over_reason="each person referred is counted under one referrer",
        under_reason="count people whose referrer was not recorded under 'other'",
    ),
    Relation(
        code="SPC-R005",
        kind=Kind.EACH_AT_MOST,
        parts=(Term("/outputs/referred_by_criterion/*", "people meeting this referral criterion"),),
        whole=(REFERRED,),
        severity=ERROR,
        section=PEOPLE,
        title="A referral criterion counts more people than were referred",
        rationale=(
            "A person can meet several referral criteria, so the criteria may add up to more "
            "than people referred, but no single criterion can be met by more people than were "
            "referred: an error."
        ),
        sources=(cof(f"'{OUTPUTS}', outputs 1 and 3"),),
        reason="the people meeting a criterion are among the people referred",
    ),
    Relation(
        code="SPC-R006",
        kind=Kind.AT_MOST,
        parts=(REJECTING,),
        whole=(REFERRED,),
        severity=ERROR,
        section=PEOPLE,
        title="More people rejected a referral than were referred",
        rationale=(
            "Output 1 counts people referred in the quarter who declined the referral, who are "
            "among the people referred, so there cannot be more of them: an error."
        ),
        sources=(cof(f"'{OUTPUTS}', output 1"),),
        reason="the people rejecting a referral are among the people referred",
    ),
    Relation(
        code="SPC-R007",
        kind=Kind.AT_MOST,
        parts=(Term("/outputs/support_plans_coproduced", "support plans co-produced"),),
        whole=(BENEFITING,),
        severity=WARNING,
        section=PEOPLE,
        title="More support plans than people benefiting",
        rationale=(
            "Output 6 counts support plans co-produced with the people the scheme supports, "
            "normally one each, so more plans than people benefiting (output 1) is unlikely; a "
            "warning, because a plan rewritten in the quarter may have been counted twice."
        ),
        sources=(cof(f"'{OUTPUTS}', outputs 1 and 6"),),
        reason="check that each plan is counted once",
    ),
    Relation(
        code="SPC-R008",
        kind=Kind.AT_MOST,
        parts=(Term("#/outputs/community_groups/groups", "the groups listed", item=GROUP),),
        whole=(Term("/outputs/community_groups/count", "the community groups referred to"),),
        severity=ERROR,
        section=PEOPLE,
        title="More groups listed than groups referred to",
        rationale=(
            "The optional list of groups names groups counted in output 5, so it cannot hold "
            "more groups than the count: an error."
        ),
        sources=(cof(f"'{OUTPUTS}', output 5"),),
        reason="the list names groups counted in the number of groups referred to",
        example_whole=2,
    ),
    Relation(
        code="SPC-R009",
        kind=Kind.AT_MOST,
        parts=(Term("/outputs/community_groups/count", "community groups referred to"),),
        whole=(PRESCRIPTIONS,),
        severity=ERROR,
        section=PEOPLE,
        title="More groups referred to than social prescriptions made",
        rationale=(
            "A group counts as referred to only when someone was given a social prescription "
            "to it, so there cannot be more groups than social prescriptions made in the "
            "quarter: an error."
        ),
        sources=(cof(f"'{OUTPUTS}', output 5"), fa()),
        reason="a group is referred to only through a social prescription",
    ),
    Relation(
        code="SPC-R010",
        kind=Kind.AT_MOST,
        parts=(
            Term(
                "/outputs/community_groups/groups/*/referrals",
                "the referrals to the groups listed",
                item=GROUP,
            ),
        ),
        whole=(PRESCRIPTIONS,),
        severity=WARNING,
        section=PEOPLE,
        title="Referrals to listed groups exceed social prescriptions made",
        rationale=(
            "Each referral to a group is a social prescription, so the referrals to the groups "
            "listed should not add up to more than the social prescriptions made; a warning, "
            "as a group may count a referral the scheme recorded differently."
        ),
        sources=(cof(f"'{OUTPUTS}', output 5"), fa()),
        reason="each referral to a group is a social prescription",
    ),
    Relation(
        code="SPC-R070",
        kind=Kind.EACH_AT_MOST,
        parts=(
            Term(
                "/outputs/community_groups/groups/*/referrals",
                "the people referred to this group",
                item=GROUP,
            ),
        ),
        whole=(BENEFITING,),
        severity=WARNING,
        section=PEOPLE,
        title="A group referred more people than benefited",
        rationale=(
            "A listed group's referrals are the people given a social prescription to it in the "
            "quarter, and a social prescription in the quarter makes a person one of the people "
            "benefiting, so one group should not have more; a warning, as a scheme counting "
            "referrals rather than people may count a person twice."
        ),
        sources=(cof(f"'{OUTPUTS}', outputs 1 and 5"), SPCORE),
        reason="a person prescribed to a group in the quarter is among the people benefiting",
    ),
    Relation(
        code="SPC-R011",
        kind=Kind.AT_MOST,
        parts=(Term("/outputs/link_workers/fte", "the link workers' full-time equivalent"),),
        whole=(Term("/outputs/link_workers/headcount", "their headcount"),),
        severity=ERROR,
        section=WORKFORCE,
        title="More full-time equivalents than link workers",
        rationale=(
            "Each link worker is at most one full-time equivalent (37.5 contracted hours a "
            "week), so the link workers' FTE cannot exceed their headcount: an error."
        ),
        sources=(
            cof(f"'{OUTPUTS}', output 7"),
            NHS_TERMS,
        ),
        reason="one person is at most one full-time equivalent",
        example_whole=6,
    ),
    Relation(
        code="SPC-R013",
        kind=Kind.AT_MOST,
        parts=(Term("/outputs/link_worker_salaries/lowest_annual", "the lowest salary"),),
        whole=(Term("/outputs/link_worker_salaries/highest_annual", "the highest salary"),),
        severity=ERROR,
        section=WORKFORCE,
        title="Lowest salary above the highest",
        rationale="The lowest salary paid cannot be more than the highest: an error.",
        sources=(cof(f"'{OUTPUTS}', output 8"),),
        reason="check the two are not swapped",
        example_whole=28_000,
    ),
    Relation(
        code="SPC-R015",
        kind=Kind.AT_MOST,
        parts=(Term("/outputs/link_worker_salaries/pay_in_quarter", "the link workers' pay"),),
        whole=(INVESTMENT,),
        severity=WARNING,
        section=WORKFORCE,
        title="Total investment below link-worker pay",
        rationale=(
            "Output 11 is the total invested in the scheme in the quarter from every source, "
            "which pays the link workers among other costs, so it should be at least their pay "
            "for the quarter; a warning, as link workers may be paid by a partner outside the "
            "scheme."
        ),
        sources=(cof(f"'{OUTPUTS}', outputs 8 and 11"),),
        reason="the total investment pays the link workers among other costs",
        point_at="whole",
        example_whole=38_900,
    ),
    *partition(
        over_code="SPC-R016",
        under_code="SPC-R017",
        parts=(FUNDING,),
        whole=(INVESTMENT,),
        section=WORKFORCE,
        over_title="Funding sources add up to more than the total investment",
        under_title="Funding sources add up to less than the total investment",
        over_rationale=(
            "The investment by funding source splits the total investment, so the sources "
            "cannot add up to more than the total: an error."
        ),
        under_rationale=(
            "When a return splits its investment by funding source, every pound comes from "
            "some source, so a shortfall means a source is missing; a warning, as a scheme may "
            "list only its main funders."
        ),
        sources=(cof(f"'{OUTPUTS}', output 11"), Source(key="hlp-2017", locator="Appendix D")),
        over_reason="the funding sources split the total investment",
        under_reason="add the missing source (for example 'other')",
        example_whole=96_000,
    ),
    Relation(
        code="SPC-R026",
        kind=Kind.AT_MOST,
        parts=(Term("/monitoring/referrals_rejected_by_reason/*", "the referrals not taken up"),),
        whole=(REFERRED,),
        severity=WARNING,
        section=MONITORING,
        title="More referrals not taken up than people referred",
        rationale=(
            "Referrals not taken up are referrals made in the quarter, so they should not "
            "outnumber the people referred; a warning, since one person may be referred twice."
        ),
        sources=(fa(), cof(f"'{OUTPUTS}', output 1")),
        reason="referrals not taken up are referrals made in the quarter",
    ),
    Relation(
        code="SPC-R027",
        kind=Kind.AT_MOST,
        parts=(Term("/monitoring/cases_escalated", "cases escalated"),),
        whole=(Term("/monitoring/rag_caseload_at_end/*", "the cases open at the end"), CLOSED),
        severity=ERROR,
        section=MONITORING,
        title="More cases escalated than cases in the quarter",
        rationale=(
            "A case escalated in the quarter was open in it, so it is either in the caseload at "
            "the end or among the cases closed; more escalations than both together is "
            "impossible: an error."
        ),
        sources=(fa(), fa("'Assessment and safeguarding' (RAG rating)")),
        reason="a case escalated in the quarter is still open at its end or was closed in it",
    ),
    Relation(
        code="SPC-R039",
        kind=Kind.AT_MOST,
        parts=(REJECTING,),
        whole=(
            Term(
                "/monitoring/referrals_rejected_by_reason/declined-by-person",
                "the referrals declined by the person",
            ),
        ),
        severity=WARNING,
        section=MONITORING,
        title="More people rejecting a referral than referrals they declined",
        rationale=(
            "The referral-rejection codelist defines 'declined-by-person' as what "
            "nhse-cof-2018 counts as a person rejecting a referral, so each person rejecting "
            "one has at least one referral not taken up for that reason; fewer such referrals "
            "than people is a warning, as a scheme may not record every reason."
        ),
        sources=(
            fa(),
            cof(f"'{OUTPUTS}', output 1"),
            REJECTION_CODELIST,
        ),
        reason="each person rejecting a referral declined at least one",
    ),
    Relation(
        code="SPC-R071",
        kind=Kind.AT_MOST,
        parts=(BENEFITING,),
        whole=(
            Term("/monitoring/contacts", "the contacts"),
            PRESCRIPTIONS,
        ),
        severity=WARNING,
        section=MONITORING,
        title="More people benefiting than contacts and social prescriptions",
        rationale=(
            "A person benefits in the quarter through a contact or a social prescription dated "
            "in it, so the people benefiting should not outnumber the contacts and social "
            "prescriptions together; a warning, as the monitoring counts may cover less of the "
            "scheme's work than the outputs."
        ),
        sources=(cof(f"'{OUTPUTS}', output 1"), fa(), SPCORE),
        reason="each person benefiting had a contact or a social prescription in the quarter",
    ),
    Relation(
        code="SPC-R072",
        kind=Kind.AT_MOST,
        parts=(Term(f"{SUMMARY}/people_with_baseline", "people with a baseline"),),
        whole=(BENEFITING,),
        severity=ERROR,
        section=OUTCOMES,
        title="More people with a baseline than people benefiting",
        rationale=(
            "An instrument summary is over the people benefiting in the quarter, so the people "
            "with a baseline are among them and cannot outnumber them: an error."
        ),
        sources=(cof(f"'{OUTCOME_AREAS}', impact on the person"), SPCORE),
        reason="an instrument summary counts only people benefiting in the quarter",
    ),
    Relation(
        code="SPC-R028",
        kind=Kind.AT_MOST,
        parts=(Term(f"{SUMMARY}/people_with_follow_up", "people with a follow-up"),),
        whole=(Term(f"{SUMMARY}/people_with_baseline", "people with a baseline"),),
        severity=ERROR,
        section=OUTCOMES,
        title="More people followed up than had a baseline",
        rationale=(
            "People with a follow-up are people with both a baseline and a follow-up "
            "measurement, so they cannot outnumber the people with a baseline: an error."
        ),
        sources=(cof(f"'{OUTCOME_AREAS}', impact on the person"),),
        reason="every person followed up needs a baseline",
    ),
    Relation(
        code="SPC-R029",
        kind=Kind.AT_MOST,
        parts=(Term(f"{SUMMARY}/people_improved", "people improved"),),
        whole=(Term(f"{SUMMARY}/people_with_follow_up", "people with a follow-up"),),
        severity=ERROR,
        section=OUTCOMES,
        title="More people improved than were followed up",
        rationale=(
            "Improvement is measured between baseline and follow-up, so only people with a "
            "follow-up can have improved: an error."
        ),
        sources=(cof(f"'{OUTCOME_AREAS}', impact on the person"),),
        reason="only a person with a follow-up can have improved",
    ),
    *(
        relation
        for field, total, label in (
            ("baseline_by_category", "people_with_baseline", "people with a baseline"),
            ("follow_up_by_category", "people_with_follow_up", "people with a follow-up"),
        )
        for relation in partition(
            over_code="SPC-R075",
            under_code="SPC-R075",
            parts=(Term(f"{SUMMARY}/{field}/*", "the categories", codes=CATEGORIES),),
            whole=(Term(f"{SUMMARY}/{total}", label),),
            section=OUTCOMES,
            over_title="Category counts do not add up to the people counted",
            under_title="Category counts do not add up to the people counted",
            over_rationale=(
                "A categorical score counts each person with a baseline (or a follow-up) under "
                "exactly one category, every category listed, so the categories add up to the "
                "people counted, neither more nor fewer: an error."
            ),
            under_rationale=(
                "Every person counted has one category, so categories adding up to fewer people "
                "than were counted leave people out: an error."
            ),
            sources=(cof(f"'{OUTCOME_AREAS}', impact on the person"), SPCORE),
            over_reason="each person is counted under one category",
            under_reason="each person counted has a category; list every category, zeros included",
            under_severity=ERROR,
        )
    ),
    Relation(
        code="SPC-R076",
        kind=Kind.AT_MOST,
        parts=(
            Term(f"{SUMMARY}/people_moved_better", "people moved to a better category"),
            Term(f"{SUMMARY}/people_moved_worse", "people moved to a worse category"),
        ),
        whole=(Term(f"{SUMMARY}/people_with_follow_up", "people with a follow-up"),),
        severity=ERROR,
        section=OUTCOMES,
        title="More people moved between categories than were followed up",
        rationale=(
            "A move to a better or a worse category is seen between a person's baseline and "
            "follow-up, and no one moves both ways, so the two together cannot outnumber the "
            "people with a follow-up: an error."
        ),
        sources=(cof(f"'{OUTCOME_AREAS}', impact on the person"), SPCORE),
        reason="only a person with a follow-up can have moved, and in one direction",
    ),
    Relation(
        code="SPC-R034",
        kind=Kind.EACH_AT_MOST,
        parts=(Term("/impact_on_person/employability/*", "people achieving this outcome"),),
        whole=(BENEFITING,),
        severity=WARNING,
        section=OUTCOMES,
        title="Employability outcomes for more people than benefited",
        rationale=(
            "Each employability outcome counts people supported by the scheme, so one outcome "
            "achieved by more people than benefited is unlikely; a warning, as people supported "
            "in earlier quarters may be counted."
        ),
        sources=(cof("impact on the person (employability, Phase 2)"),),
        reason="the outcomes are counted for people the scheme supports",
    ),
    Relation(
        code="SPC-R073",
        kind=Kind.EACH_AT_MOST,
        parts=(Term("/impact_on_person/employability/*", "people achieving this outcome"),),
        whole=(CLOSED,),
        severity=WARNING,
        section=OUTCOMES,
        title="Employability outcomes for more people than cases closed",
        rationale=(
            "Employability outcomes carry no date, so they are counted for the people whose "
            "case closed in the quarter and cannot outnumber the cases closed; a warning, as a "
            "return without case monitoring of every closure may count them otherwise."
        ),
        sources=(cof("impact on the person (employability, Phase 2)"), SPCORE),
        reason="an outcome is counted when the person's case closes",
    ),
    Relation(
        code="SPC-R077",
        kind=Kind.EACH_AT_MOST,
        parts=(Term("/impact_on_person/wellbeing_aspects/*", "people reporting this aspect"),),
        whole=(CLOSED,),
        severity=WARNING,
        section=OUTCOMES,
        title="A wellbeing aspect for more people than cases closed",
        rationale=(
            "The wellbeing aspects carry no date, so they are counted for the people whose case "
            "closed in the quarter and cannot outnumber the cases closed; a warning, as a "
            "return without case monitoring of every closure may count them otherwise."
        ),
        sources=(cof("'Phase 1 suggested outcomes', impact on the person"), SPCORE),
        reason="an aspect is counted when the person's case closes",
    ),
    *(
        relation
        for group in MORALE_GROUPS
        for relation in partition(
            over_code="SPC-R036",
            under_code="SPC-R037",
            parts=(
                Term(f"{MORALE}/{group}/improved", "improved"),
                Term(f"{MORALE}/{group}/no_change", "no change"),
                Term(f"{MORALE}/{group}/worse", "worse"),
            ),
            whole=(Term(f"{MORALE}/{group}/respondents", "the respondents"),),
            section=OUTCOMES,
            over_title="Staff morale answers outnumber respondents",
            under_title="Staff morale answers fewer than respondents",
            over_rationale=(
                "Each respondent to the staff survey answers improved, no change or worse "
                "once, so the answers cannot add up to more than the respondents: an error."
            ),
            under_rationale=(
                "Every respondent should be counted as improved, no change or worse; a "
                "shortfall means some answers were left out (a warning, as a respondent may "
                "skip the question)."
            ),
            sources=(cof("impact on the health and care system (staff morale survey)"),),
            over_reason="each respondent answers once",
            under_reason="a respondent may have skipped the question; check none was left out",
            example_whole=34,
        )
    ),
    *partition(
        over_code="SPC-R079",
        under_code="SPC-R079",
        parts=(Term(f"{CARE}/by_change/*", "the changes"),),
        whole=(Term(f"{CARE}/cases_reviewed", "the cases reviewed"),),
        section=OUTCOMES,
        over_title="Social care package changes do not add up to the cases reviewed",
        under_title="Social care package changes do not add up to the cases reviewed",
        over_rationale=(
            "Each case reviewed has exactly one change of its social care package (none, "
            "started, increased, unchanged, reduced or ended), so the changes add up to the "
            "cases reviewed: an error."
        ),
        under_rationale="Each case reviewed has one change, so none can be missing: an error.",
        sources=(CARE_SOURCE,),
        over_reason="each case reviewed has one change",
        under_reason="each case reviewed has one change ('no-package' when it had none)",
        under_severity=ERROR,
    ),
    *(
        relation
        for field, codes, label in (
            ("with_package_before", ("increased", "unchanged", "reduced", "ended"), "at referral"),
            ("with_package_after", ("started", "increased", "unchanged", "reduced"), "at the end"),
        )
        for relation in partition(
            over_code="SPC-R078",
            under_code="SPC-R078",
            parts=tuple(Term(f"{CARE}/by_change/{c}", f"'{c}'") for c in codes),
            whole=(Term(f"{CARE}/{field}", f"the cases with a package {label}"),),
            section=OUTCOMES,
            over_title="Cases with a social care package disagree with the changes",
            under_title="Cases with a social care package disagree with the changes",
            over_rationale=(
                "The changes of the social care packages say who had a package at referral "
                "(increased, unchanged, reduced, ended) and at the end of the window (started, "
                "increased, unchanged, reduced), so those counts must equal the cases with a "
                "package then: an error."
            ),
            under_rationale=(
                "The cases with a package equal the changes that imply one: an error."
            ),
            sources=(CARE_SOURCE,),
            over_reason=f"the cases with a package {label} are those whose change implies one",
            under_reason=f"the cases with a package {label} are those whose change implies one",
            under_severity=ERROR,
            point_at="whole",
        )
    ),
    Relation(
        code="SPC-R038",
        kind=Kind.AT_MOST,
        parts=(RESPONDING,),
        whole=(Term(f"{SURVEY}/groups_surveyed", "the groups surveyed"),),
        severity=ERROR,
        section=OUTCOMES,
        title="Community group survey answers outnumber the groups",
        rationale=(
            "Only groups surveyed can respond, and each responding group answers stronger, no "
            "change or weaker once and says whether it can manage referrals and needs support, "
            "so none of these can exceed the groups that responded: an error."
        ),
        sources=(cof("impact on community groups (short survey)"),),
        reason="only groups sent the survey can answer it",
    ),
    *partition(
        over_code="SPC-R038",
        under_code="SPC-R074",
        parts=(
            Term(f"{SURVEY}/stronger", "stronger"),
            Term(f"{SURVEY}/no_change", "no change"),
            Term(f"{SURVEY}/weaker", "weaker"),
        ),
        whole=(RESPONDING,),
        section=OUTCOMES,
        over_title="Community group survey answers outnumber the groups",
        under_title="Community group answers fewer than the groups responding",
        over_rationale=(
            "Each responding group answers stronger, no change or weaker once, so the answers "
            "cannot add up to more than the groups that responded: an error."
        ),
        under_rationale=(
            "Every responding group should be counted as stronger, no change or weaker; a "
            "shortfall means some answers were left out (a warning, as a group may skip the "
            "question)."
        ),
        sources=(cof("impact on community groups (short survey)"),),
        over_reason="each responding group answers once",
        under_reason="a group may have skipped the question; check none was left out",
        example_whole=27,
    ),
    *(
        Relation(
            code="SPC-R038",
            kind=Kind.AT_MOST,
            parts=(Term(f"{SURVEY}/{name}", label),),
            whole=(RESPONDING,),
            severity=ERROR,
            section=OUTCOMES,
            title="Community group survey answers outnumber the groups",
            rationale=(
                "Each responding group says whether it can manage referrals and whether it "
                "needs support, so neither count can exceed the groups that responded: an "
                "error."
            ),
            sources=(cof("impact on community groups (short survey)"),),
            reason="only groups that responded give this answer",
            example_whole=27,
        )
        for name, label in (
            ("able_to_manage_referrals", "groups able to manage referrals"),
            ("need_support_to_be_sustainable", "groups needing support to be sustainable"),
        )
    ),
    *(
        Relation(
            code="SPC-R080",
            kind=Kind.EACH_AT_MOST,
            parts=(Term(f"{SURVEY}/support_needed/*", "groups naming this kind of support"),),
            whole=(whole,),
            severity=ERROR,
            section=OUTCOMES,
            title="A kind of support named by more groups than need support",
            rationale=(
                "A group names the kinds of support it needs only when it needs support to be "
                "sustainable, and only responding groups answer, so no kind can be named by "
                "more groups than either: an error."
            ),
            sources=(cof("impact on community groups (support needed to be sustainable)"),),
            reason=reason,
            example_whole=9,
        )
        for whole, reason in (
            (
                Term(f"{SURVEY}/need_support_to_be_sustainable", "the groups needing support"),
                "a group naming support it needs is one of the groups needing support",
            ),
            (RESPONDING, "only responding groups name the support they need"),
        )
    ),
)

#: Counts no relation bounds, each with the reason.
UNBOUNDED: Mapping[str, str] = {
    "/outputs/volunteers/count": (
        "volunteers are not among the people, cases or groups any other figure counts"
    ),
    "/monitoring/assessments_completed": (
        "assessments may be of people referred in earlier quarters, so no count of the quarter "
        "bounds them; SPC-R018 bounds them by link-worker capacity"
    ),
    "/impact_on_system/cohort_size": (
        "the cohort is chosen for the comparison (for example people referred a year "
        "earlier), not among the people of this quarter"
    ),
    "/impact_on_system/gp_consultations/before": "a total of events, any number per person",
    "/impact_on_system/gp_consultations/after": "a total of events, any number per person",
    "/impact_on_system/ae_attendances/before": "a total of events, any number per person",
    "/impact_on_system/ae_attendances/after": "a total of events, any number per person",
    "/impact_on_system/hospital_bed_days/before": (
        "a total of days, bounded by no other count; SPC-R081 bounds it by the cohort's nights"
    ),
    "/impact_on_system/hospital_bed_days/after": (
        "a total of days, bounded by no other count; SPC-R081 bounds it by the cohort's nights"
    ),
    "/monitoring/families_supported_without_cases": (
        "families supported without becoming cases are, by definition, outside every count of "
        "cases, people referred and people benefiting"
    ),
    "/impact_on_community_groups/volunteers_change": (
        "a change, which may be negative; the groups' volunteers are counted nowhere else"
    ),
}
