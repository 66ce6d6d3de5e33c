"""The quarterly return: what a social prescribing scheme reports each NHS quarter.

A return holds the scheme's identity, the reporting period (an NHS
financial-year quarter), **all eleven Phase 1 outputs** of the Common
Outcomes Framework (nhse-cof-2018, "Phase 1 suggested outputs"), optional case
monitoring figures (family-action-2018, "Monitoring and impact measurement"), and the
three outcome areas (nhse-cof-2018, "The three main outcomes"): impact on the
person, on the health and care system, and on community groups.

A return is a document of aggregates. Every object in it is closed (unknown
properties are refused), so no personal identifier can be carried in it.

Counts about people and what was done with them may be **withheld** by
small-number suppression before a return is published: a withheld count is
written ``null`` and its JSON Pointer is listed in ``disclosure_control``
(see :class:`DisclosureControl` and ``docs/aggregation.md``). A ``null`` in a
required count of a return without that section, or one not listed there, is
refused.
"""

# No ``from __future__ import annotations`` here: pydantic would evaluate every field's
# annotation from its text when the models are built, on every start-up.
import datetime as dt
from typing import Annotated, Any, Literal, Self

from pydantic import Field, model_validator

from spcore.framework.definitions import described
from spcore.framework.enums import (
    AgeBand,
    BenefitDomain,
    CaseClosureReason,
    EmployabilityOutcome,
    FiveWaysToWellbeing,
    FundingSource,
    InstrumentCategory,
    InterventionType,
    OutcomeInstrument,
    PayBand,
    RagRating,
    ReferralCriterion,
    ReferralRejectionReason,
    ReferrerType,
    SocialCarePackageChange,
    SocialPrescribingModel,
    SustainabilitySupport,
    WellbeingAspect,
)
from spcore.framework.periods import FinancialQuarter
from spcore.framework.quantities import Duration, Money, Staffing
from spcore.framework.types import (
    WHOLE_NUMBER,
    Closed,
    Count,
    LongText,
    Months,
    OdsCode,
    SchemeId,
    ShortText,
    SignedCount,
)

SuppressibleCount = Count | None
"""A count that small-number suppression may withhold: ``null`` when withheld.

A ``null`` is only valid where the return's ``disclosure_control`` lists its
JSON Pointer among the suppressed counts.
"""

JsonPointer = Annotated[str, Field(pattern=r"^(/([^~/]|~[01])*)*$", max_length=500)]
"""A JSON Pointer (RFC 6901) into the return, such as ``/outputs/people_referred``."""


class Scheme(Closed):
    """Who is reporting: the social prescribing connector scheme."""

    id: SchemeId = Field(
        title="Scheme identifier",
        description=(
            "A stable identifier for the scheme, agreed with its commissioner; the same in "
            "every return the scheme sends."
        ),
        examples=["LEEDS-SP-01"],
    )
    name: ShortText = Field(
        title="Scheme name", description="The scheme's name as the public knows it."
    )
    provider: ShortText | None = Field(
        default=None,
        title="Provider organisation",
        description="The organisation that runs the scheme, if different from its name.",
    )
    commissioner_code: OdsCode | None = Field(
        default=None,
        title="Commissioning organisation code",
        description=(
            "ODS code of the organisation that commissions the scheme (for example an "
            "integrated care board or a local authority)."
        ),
        examples=["QWO"],
    )
    model: SocialPrescribingModel = Field(
        title="Social prescribing model",
        description="The kind of social prescribing the scheme offers (dayson-2016).",
    )
    benefit_domains: list[BenefitDomain] | None = Field(
        default=None,
        title="Benefit domains",
        description="Domains in which the scheme is commissioned to bring benefit (hlp-2017).",
        max_length=50,
    )


class CommunityGroup(Closed):
    """A community group or service people were referred to."""

    name: ShortText = Field(
        title="Group name", description="The name of the group, activity or service."
    )
    directory_id: ShortText | None = Field(
        default=None,
        title="Directory identifier",
        description=(
            "The group's identifier in a service directory published under Open Referral UK, "
            "where it has one."
        ),
    )
    intervention_types: list[InterventionType] | None = Field(
        default=None,
        title="Intervention types",
        description="What kinds of activity or support the group offers (hlp-2017 Appendix B).",
        max_length=50,
    )
    five_ways: list[FiveWaysToWellbeing] | None = Field(
        default=None,
        title="Five Ways to Wellbeing",
        description="Which of the Five Ways to Wellbeing the group supports (hlp-2017).",
        max_length=5,
    )
    referrals: Count | None = Field(
        default=None,
        title="Referrals to the group",
        description=described(
            "/outputs/community_groups/groups/*/referrals",
            "How many people were referred to this group in the quarter.",
        ),
    )


class CommunityGroups(Closed):
    """Phase 1 output 5: community groups referred to."""

    count: SuppressibleCount = Field(
        title="Number of community groups referred to",
        description=described(
            "/outputs/community_groups/count",
            "How many different community groups people were referred to in the quarter.",
        ),
    )
    groups: list[CommunityGroup] | None = Field(
        default=None,
        title="Groups referred to",
        description="Optionally, the groups themselves.",
        max_length=10_000,
    )


class LinkWorkers(Closed):
    """Phase 1 output 7: the number of link workers."""

    headcount: Count = Field(
        title="Link workers (headcount)",
        description=described(
            "/outputs/link_workers/headcount",
            "How many people worked as link workers for the scheme in the quarter.",
        ),
    )
    fte: Staffing = Field(
        title="Link workers (full-time equivalent)",
        description="Their combined contracted time, in full-time equivalents.",
    )


class LinkWorkerSalaries(Closed):
    """Phase 1 output 8: salaries of link workers."""

    lowest_annual: Money = Field(
        title="Lowest annual salary",
        description="The lowest full-time annual salary paid to a link worker.",
    )
    highest_annual: Money = Field(
        title="Highest annual salary",
        description="The highest full-time annual salary paid to a link worker.",
    )
    pay_bands: list[PayBand] | None = Field(
        default=None,
        title="Pay bands",
        description=(
            "The Agenda for Change bands of the link-worker posts (family-action-2018 Table 1)."
        ),
        max_length=20,
    )
    pay_in_quarter: Money | None = Field(
        default=None,
        title="Link-worker pay in the quarter",
        description="The total paid to link workers for the quarter, before on-costs.",
    )


class Volunteers(Closed):
    """Phase 1 output 9: the number of volunteers."""

    count: Count = Field(
        title="Number of volunteers",
        description=described(
            "/outputs/volunteers/count",
            "How many volunteers (for example befrienders) supported the scheme.",
        ),
    )
    hours_in_quarter: Duration | None = Field(
        default=None,
        title="Volunteer time in the quarter",
        description="How much time the volunteers gave in the quarter, where recorded.",
    )


class Investment(Closed):
    """Phase 1 output 11: total investment in the connector scheme."""

    amount: Money = Field(
        title="Total investment",
        description="The total invested in the scheme for the quarter, from every source.",
    )
    by_funding_source: dict[FundingSource, Money] | None = Field(
        default=None,
        title="Investment by funding source",
        description="Optionally, the investment split by where it came from (hlp-2017 Appendix D).",
    )


class Phase1Outputs(Closed):
    """The eleven outputs every connector scheme reports.

    nhse-cof-2018, 'Phase 1 suggested outputs'.
    """

    people_referred: SuppressibleCount = Field(
        title="People referred",
        description=described(
            "/outputs/people_referred", "Output 1: people referred to the scheme in the quarter."
        ),
    )
    people_benefiting: SuppressibleCount = Field(
        title="People directly benefiting",
        description=described(
            "/outputs/people_benefiting",
            "Output 1: people who received support from the scheme in the quarter (some may "
            "have been referred in an earlier quarter).",
        ),
    )
    people_rejecting_referral: SuppressibleCount = Field(
        title="People rejecting a referral",
        description=described(
            "/outputs/people_rejecting_referral",
            "Output 1: people referred in the quarter who declined the referral.",
        ),
    )
    referred_by_age_band: dict[AgeBand, SuppressibleCount] = Field(
        title="People referred, by age band",
        description=described(
            "/outputs/referred_by_age_band",
            "Output 2: the people referred, counted by their age band at referral.",
        ),
    )
    referred_by_criterion: dict[ReferralCriterion, SuppressibleCount] = Field(
        title="People referred, by referral criterion",
        description=described(
            "/outputs/referred_by_criterion",
            "Output 3: the people referred, counted by each criterion they met. A person can "
            "meet several criteria, so these counts may add up to more than people referred.",
        ),
    )
    referred_by_referrer_type: dict[ReferrerType, SuppressibleCount] = Field(
        title="People referred, by referrer",
        description=described(
            "/outputs/referred_by_referrer_type",
            "Output 4: the people referred, counted by who referred them.",
        ),
    )
    community_groups: CommunityGroups = Field(
        title="Community groups referred to",
        description="Output 5: community groups people were referred to.",
    )
    support_plans_coproduced: SuppressibleCount = Field(
        title="Support plans co-produced",
        description=described(
            "/outputs/support_plans_coproduced",
            "Output 6: support plans co-produced with people referred, in the quarter.",
        ),
    )
    link_workers: LinkWorkers = Field(
        title="Link workers", description="Output 7: the number of link workers."
    )
    link_worker_salaries: LinkWorkerSalaries = Field(
        title="Link worker salaries", description="Output 8: the salaries of link workers."
    )
    volunteers: Volunteers = Field(
        title="Volunteers", description="Output 9: the number of volunteers."
    )
    average_time_per_person: Duration = Field(
        title="Average time spent with each person",
        description=(
            "Output 10: the average link-worker time spent with each person supported in "
            "the quarter."
        ),
    )
    total_investment: Investment = Field(
        title="Total investment",
        description="Output 11: total investment in the connector scheme.",
    )


class Monitoring(Closed):
    """Case monitoring figures for the quarter.

    family-action-2018, 'Monitoring and impact measurement'.
    """

    assessments_completed: Count | None = Field(
        default=None,
        title="Assessments completed",
        description=described(
            "/monitoring/assessments_completed",
            "Holistic assessments completed by link workers in the quarter.",
        ),
    )
    social_prescriptions: Count | None = Field(
        default=None,
        title="Social prescriptions made",
        description=described(
            "/monitoring/social_prescriptions",
            "Social prescriptions given in the quarter (one person may receive several).",
        ),
    )
    contacts: Count | None = Field(
        default=None,
        title="Contacts",
        description=described(
            "/monitoring/contacts",
            "Sessions, home visits and other contacts with people in the quarter.",
        ),
    )
    referrals_rejected_by_reason: dict[ReferralRejectionReason, SuppressibleCount] | None = Field(
        default=None,
        title="Referrals not taken up, by reason",
        description=described(
            "/monitoring/referrals_rejected_by_reason",
            "Referrals in the quarter that did not become cases, by reason.",
        ),
    )
    cases_closed_by_reason: dict[CaseClosureReason, SuppressibleCount] | None = Field(
        default=None,
        title="Cases closed, by reason",
        description=described(
            "/monitoring/cases_closed_by_reason", "Cases closed in the quarter, by closure reason."
        ),
    )
    rag_caseload_at_end: dict[RagRating, SuppressibleCount] | None = Field(
        default=None,
        title="Open cases by RAG rating at quarter end",
        description=described(
            "/monitoring/rag_caseload_at_end",
            "Open cases on the last day of the quarter, by safeguarding RAG rating.",
        ),
    )
    cases_escalated: Count | None = Field(
        default=None,
        title="Cases escalated",
        description=described(
            "/monitoring/cases_escalated",
            "Cases whose RAG rating rose (green to amber or red, amber to red) in the quarter.",
        ),
    )
    families_supported_without_cases: Count | None = Field(
        default=None,
        title="Families supported without becoming cases",
        description=described(
            "/monitoring/families_supported_without_cases",
            "Families the service supported in the quarter where they did not become cases on "
            "its system, or are related to people who disengaged (family-action-2018, "
            '"Monitoring and impact measurement", output data). Case records cannot show '
            "them, so the scheme states the number.",
        ),
    )


class InstrumentSummary(Closed):
    """Baseline and follow-up results for one score of one outcome instrument.

    A score on a scale is summarised by its means; a **categorical** score (an
    answer category or level, such as the ONS loneliness answer or the PAM
    activation level, whose codes are labels and not numbers) by the people in
    each category at baseline and at follow-up and the people who moved to a
    better or a worse category, never by a mean.
    """

    instrument: OutcomeInstrument = Field(
        title="Instrument", description="The outcome instrument used."
    )
    score: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")] = Field(
        default="score",
        title="Score",
        description=(
            "Which of the instrument's scores this summary is for; 'score' means the "
            "instrument's headline score (for example the SWEMWBS metric score)."
        ),
    )
    value_set: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")] | None = Field(
        default=None,
        title="Value set",
        description="For preference-based indexes such as EQ-5D, the value set used.",
    )
    people_with_baseline: SuppressibleCount = Field(
        title="People with a baseline",
        description=described(
            "/impact_on_person/instruments/*/people_with_baseline",
            "People with a baseline measurement.",
        ),
    )
    people_with_follow_up: SuppressibleCount = Field(
        title="People with a follow-up",
        description=described(
            "/impact_on_person/instruments/*/people_with_follow_up",
            "People with both a baseline and a follow-up measurement.",
        ),
    )
    mean_baseline: float | None = Field(
        default=None,
        allow_inf_nan=False,
        title="Mean baseline score",
        description="Mean baseline score of the people with a follow-up.",
    )
    mean_follow_up: float | None = Field(
        default=None,
        allow_inf_nan=False,
        title="Mean follow-up score",
        description="Mean follow-up score of the same people.",
    )
    people_improved: Count | None = Field(
        default=None,
        title="People improved",
        description=described(
            "/impact_on_person/instruments/*/people_improved",
            "People whose score improved by at least the instrument's meaningful-change "
            "threshold (or by any amount where none is published). Not given for a "
            "categorical score: see people moved to a better category.",
        ),
    )
    baseline_by_category: dict[InstrumentCategory, SuppressibleCount] | None = Field(
        default=None,
        title="People with a baseline, by category",
        description=described(
            "/impact_on_person/instruments/*/baseline_by_category",
            "For a categorical score only: the people with a baseline, counted by the "
            "category of their baseline (category codes as `spcore instruments show` lists "
            "them); the counts add up to people with a baseline.",
        ),
    )
    follow_up_by_category: dict[InstrumentCategory, SuppressibleCount] | None = Field(
        default=None,
        title="People with a follow-up, by category",
        description=described(
            "/impact_on_person/instruments/*/follow_up_by_category",
            "For a categorical score only: the people with a follow-up, counted by the "
            "category of their follow-up; the counts add up to people with a follow-up.",
        ),
    )
    people_moved_better: Count | None = Field(
        default=None,
        title="People moved to a better category",
        description=described(
            "/impact_on_person/instruments/*/people_moved_better",
            "For a categorical score only: people with a follow-up whose follow-up category "
            "is better than their baseline category.",
        ),
    )
    people_moved_worse: Count | None = Field(
        default=None,
        title="People moved to a worse category",
        description=described(
            "/impact_on_person/instruments/*/people_moved_worse",
            "For a categorical score only: people with a follow-up whose follow-up category "
            "is worse than their baseline category.",
        ),
    )


class ImpactOnPerson(Closed):
    """Impact on the person (nhse-cof-2018): wellbeing measured with the scheme's own tools."""

    instruments: list[InstrumentSummary] = Field(
        title="Outcome instruments",
        description="One summary per instrument score the scheme uses.",
        max_length=200,
    )
    employability: dict[EmployabilityOutcome, SuppressibleCount] | None = Field(
        default=None,
        title="Employability outcomes",
        description=described(
            "/impact_on_person/employability",
            "People achieving each employability outcome (nhse-cof-2018, Phase 2).",
        ),
    )
    wellbeing_aspects: dict[WellbeingAspect, SuppressibleCount] | None = Field(
        default=None,
        title="People reporting each wellbeing aspect",
        description=described(
            "/impact_on_person/wellbeing_aspects",
            "People whose case closed in the quarter who reported an improvement in each of "
            'the four aspects of wellbeing (nhse-cof-2018, "Phase 1 suggested outcomes", '
            "Impact on the Person); a person may report several.",
        ),
    )


class BeforeAfter(Closed):
    """A service-use count for a cohort before and after referral."""

    before: Count = Field(
        title="Before referral",
        description=described(
            "/impact_on_system/*/before", "Total for the cohort in the window before referral."
        ),
    )
    after: Count = Field(
        title="After referral",
        description=described(
            "/impact_on_system/*/after", "Total for the cohort in the window after referral."
        ),
    )


class StaffMorale(Closed):
    """Summary of the short staff-morale survey of one group of staff (nhse-cof-2018)."""

    respondents: Count = Field(
        title="Respondents",
        description=described(
            "/impact_on_system/staff_morale/*/respondents", "Staff who answered the survey."
        ),
    )
    improved: Count = Field(
        title="Morale improved",
        description=described(
            "/impact_on_system/staff_morale/*/improved", "Respondents reporting better morale."
        ),
    )
    no_change: Count = Field(
        title="No change",
        description=described(
            "/impact_on_system/staff_morale/*/no_change", "Respondents reporting no change."
        ),
    )
    worse: Count = Field(
        title="Morale worse",
        description=described(
            "/impact_on_system/staff_morale/*/worse", "Respondents reporting worse morale."
        ),
    )


class StaffMoraleSurveys(Closed):
    """The staff-morale survey, reported separately for the two groups nhse-cof-2018 names.

    nhse-cof-2018, "Impact on the Health and Care system": "Is there a change in the morale
    of staff in General Practice and other referral agencies?"
    """

    general_practice: StaffMorale | None = Field(
        default=None,
        title="Staff in general practice",
        description="The survey of staff in general practice.",
    )
    other_referral_agencies: StaffMorale | None = Field(
        default=None,
        title="Staff of other referral agencies",
        description=(
            "The survey of staff of the other agencies that refer people to the scheme (for "
            "example hospital wards, mental health services, social care)."
        ),
    )


class SocialCarePackages(Closed):
    """Impact on social care packages (nhse-cof-2018, Phase 2) over one window after referral."""

    window_months: Months = Field(
        title="Window after referral (months)",
        description=(
            "How long after referral each person's social care package was compared with the "
            "one they had at referral, in months."
        ),
    )
    cases_reviewed: SuppressibleCount = Field(
        title="Cases reviewed",
        description=described(
            "/impact_on_system/social_care_packages/*/cases_reviewed",
            "Cases whose social care package was reviewed in the quarter, comparing the "
            "package at referral with the package at the end of the window.",
        ),
    )
    with_package_before: SuppressibleCount = Field(
        title="With a package at referral",
        description=described(
            "/impact_on_system/social_care_packages/*/with_package_before",
            "Of the cases reviewed, those with a social care package at referral.",
        ),
    )
    with_package_after: SuppressibleCount = Field(
        title="With a package at the end of the window",
        description=described(
            "/impact_on_system/social_care_packages/*/with_package_after",
            "Of the cases reviewed, those with a social care package at the end of the window.",
        ),
    )
    by_change: dict[SocialCarePackageChange, SuppressibleCount] = Field(
        title="Cases reviewed, by change",
        description=described(
            "/impact_on_system/social_care_packages/*/by_change",
            "The cases reviewed, by how their package changed; each case has one change, so "
            "these add up to the cases reviewed.",
        ),
    )


class ImpactOnSystem(Closed):
    """Impact on the health and care system (nhse-cof-2018): service use before and after."""

    cohort_size: Count | None = Field(
        default=None,
        title="Cohort size",
        description=described(
            "/impact_on_system/cohort_size",
            "People whose service use was compared before and after referral; required when "
            "GP consultations, A&E attendances or hospital bed days are given.",
        ),
    )
    cohort_description: ShortText | None = Field(
        default=None,
        title="Cohort description",
        description="Which people the cohort holds (for example 'referred in 2024-25 Q2').",
    )
    window_before_months: Months | None = Field(
        default=None,
        title="Window before referral (months)",
        description=(
            "Length of the window before referral, in months (dayson-2016 uses 12); required "
            "with the cohort size."
        ),
    )
    window_after_months: Months | None = Field(
        default=None,
        title="Window after referral (months)",
        description=(
            "Length of the window after referral, in months; required with the cohort size."
        ),
    )
    gp_consultations: BeforeAfter | None = Field(
        default=None,
        title="GP consultations",
        description="GP consultations by the cohort before and after referral.",
    )
    ae_attendances: BeforeAfter | None = Field(
        default=None,
        title="A&E attendances",
        description="A&E attendances by the cohort before and after referral.",
    )
    hospital_bed_days: BeforeAfter | None = Field(
        default=None,
        title="Hospital bed days",
        description="Hospital bed days used by the cohort before and after referral.",
    )
    staff_morale: StaffMoraleSurveys | None = Field(
        default=None,
        title="Staff morale survey",
        description=(
            "Morale of staff in general practice and of other referral agencies, each "
            "reported on its own (nhse-cof-2018)."
        ),
    )
    social_care_packages: list[SocialCarePackages] | None = Field(
        default=None,
        title="Impact on social care packages",
        description=(
            "Social care packages at referral and at the end of a window after it, one summary "
            "per window length (nhse-cof-2018, Phase 2)."
        ),
        max_length=60,
    )

    @model_validator(mode="after")
    def _cohort_with_service_use(self) -> Self:
        """Service use before and after referral needs its cohort and both windows."""
        uses = (self.gp_consultations, self.ae_attendances, self.hospital_bed_days)
        framing = (self.cohort_size, self.window_before_months, self.window_after_months)
        if any(u is not None for u in uses) and any(f is None for f in framing):
            raise ValueError(
                "service use before and after referral is given, so cohort_size, "
                "window_before_months and window_after_months are needed too"
            )
        return self


class ImpactOnCommunityGroups(Closed):
    """Impact on community groups (nhse-cof-2018): the short survey of groups taking referrals."""

    groups_surveyed: Count = Field(
        title="Groups surveyed",
        description=described(
            "/impact_on_community_groups/groups_surveyed", "Community groups sent the survey."
        ),
    )
    groups_responding: Count = Field(
        title="Groups responding",
        description=described(
            "/impact_on_community_groups/groups_responding", "Community groups that answered."
        ),
    )
    stronger: Count = Field(
        title="Stronger",
        description=described(
            "/impact_on_community_groups/stronger",
            "Groups that say taking referrals has made them stronger.",
        ),
    )
    no_change: Count = Field(
        title="No change",
        description=described(
            "/impact_on_community_groups/no_change", "Groups reporting no change."
        ),
    )
    weaker: Count = Field(
        title="Weaker",
        description=described(
            "/impact_on_community_groups/weaker",
            "Groups that say taking referrals has made them weaker.",
        ),
    )
    volunteers_change: SignedCount | None = Field(
        default=None,
        title="Change in volunteers",
        description=described(
            "/impact_on_community_groups/volunteers_change",
            "Net change in the number of volunteers across responding groups.",
        ),
    )
    able_to_manage_referrals: Count | None = Field(
        default=None,
        title="Able to manage referrals",
        description=described(
            "/impact_on_community_groups/able_to_manage_referrals",
            "Groups that say they have capacity to manage the referrals they receive.",
        ),
    )
    need_support_to_be_sustainable: Count | None = Field(
        default=None,
        title="Need support to be sustainable",
        description=described(
            "/impact_on_community_groups/need_support_to_be_sustainable",
            "Groups that say they need support to be sustainable.",
        ),
    )
    support_needed: dict[SustainabilitySupport, Count] | None = Field(
        default=None,
        title="Groups needing each kind of support",
        description=described(
            "/impact_on_community_groups/support_needed",
            "Groups naming each kind of support they need to be sustainable (nhse-cof-2018, "
            '"Impact on Community groups"); a group may name several.',
        ),
    )


RuleId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]


class DisclosureControl(Closed):
    """Small-number suppression applied to the return's counts before publication."""

    # Counts from 1 up to `threshold` are withheld (written null); further counts are
    # withheld where a withheld one could otherwise be worked out from a total and the
    # other published counts (secondary suppression); every other count the rule covers
    # is rounded to the nearest multiple of `rounding_base`. The default rule is the one
    # NHS Digital applies to sub-national counts from its secondary care datasets
    # ("Disclosure control methodology for HES and ECDS", September 2018); the source and
    # the choices are in docs/aggregation.md and spcore.aggregation.suppression.

    rule: RuleId = Field(
        title="Rule",
        description=(
            "The name of the suppression rule applied, for example 'nhs-digital-1-7-round-5'."
        ),
        examples=["nhs-digital-1-7-round-5"],
    )
    threshold: Count = Field(
        title="Suppression threshold",
        description="Counts from 1 up to and including this number were withheld.",
    )
    rounding_base: Annotated[int, WHOLE_NUMBER] = Field(
        ge=1,
        le=1000,
        strict=True,
        title="Rounding base",
        description=(
            "Published counts were rounded to the nearest multiple of this number "
            "(1 means they were not rounded)."
        ),
    )
    suppressed: list[JsonPointer] = Field(
        default_factory=list,
        title="Withheld counts",
        description=(
            "JSON Pointers of the counts withheld, written null in the return: small counts "
            "and the counts withheld so that a small one cannot be worked out from a total."
        ),
        max_length=100_000,
    )
    rounded: list[JsonPointer] = Field(
        default_factory=list,
        title="Rounded counts",
        description=(
            "JSON Pointers of every published count the rule covered, each rounded to the "
            "nearest multiple of the rounding base."
        ),
        max_length=100_000,
    )


class QuarterlyReturn(Closed):
    """A social prescribing scheme's quarterly return under the Common Outcomes Framework."""

    schema_uri: str | None = Field(
        default=None,
        alias="$schema",
        title="Schema",
        description="Optionally, the `$id` of the schema this document follows.",
    )
    standard_version: Literal["0.2"] = Field(
        title="Standard version",
        description="The version of the spcore standard the return follows.",
    )
    scheme: Scheme = Field(title="Scheme", description="The scheme making the return.")
    period: FinancialQuarter = Field(
        title="Reporting period",
        description="The NHS financial-year quarter reported on, written like '2025-26 Q2'.",
    )
    prepared_on: dt.date | None = Field(
        default=None,
        title="Date prepared",
        description="The date the return was prepared (YYYY-MM-DD).",
    )
    outputs: Phase1Outputs = Field(
        title="Phase 1 outputs", description="The eleven outputs every scheme reports."
    )
    monitoring: Monitoring | None = Field(
        default=None,
        title="Case monitoring",
        description="Optional case monitoring figures for the quarter.",
    )
    impact_on_person: ImpactOnPerson | None = Field(
        default=None,
        title="Impact on the person",
        description="Wellbeing and other outcomes for the people supported.",
    )
    impact_on_system: ImpactOnSystem | None = Field(
        default=None,
        title="Impact on the health and care system",
        description="Service use before and after referral, and staff morale.",
    )
    impact_on_community_groups: ImpactOnCommunityGroups | None = Field(
        default=None,
        title="Impact on community groups",
        description="What community groups taking referrals report.",
    )
    notes: LongText | None = Field(
        default=None,
        title="Notes",
        description="Commentary on the figures. Never include anything that identifies a person.",
    )
    disclosure_control: DisclosureControl | None = Field(
        default=None,
        title="Disclosure control",
        description=(
            "Present when small-number suppression was applied: the rule, and which counts "
            "were withheld or rounded."
        ),
    )

    @model_validator(mode="after")
    def _nulls_are_listed(self) -> Self:
        """A required count may be null only where disclosure control lists it as withheld."""
        listed = set(self.disclosure_control.suppressed) if self.disclosure_control else set()
        unlisted = [p for p in required_null_counts(self) if p not in listed]
        if unlisted:
            raise ValueError(
                f"the count at {unlisted[0]} is empty (null) but is not listed as withheld in "
                "disclosure_control; give the count, or list it under "
                "/disclosure_control/suppressed"
            )
        return self


def required_null_counts(document: QuarterlyReturn) -> list[str]:
    """JSON Pointers of the counts that are null where a count must otherwise be given.

    These are the required counts of the outputs, every value of a breakdown
    (a map from code to count) and the people counted in each instrument
    summary; a ``null`` in any of them only means "withheld".
    """
    outputs = document.outputs
    values: list[tuple[str, int | None]] = [
        (f"/outputs/{name}", getattr(outputs, name))
        for name in (
            "people_referred",
            "people_benefiting",
            "people_rejecting_referral",
            "support_plans_coproduced",
        )
    ]
    values.append(("/outputs/community_groups/count", outputs.community_groups.count))
    breakdowns: list[tuple[str, dict[Any, int | None] | None]] = [
        ("/outputs/referred_by_age_band", outputs.referred_by_age_band),
        ("/outputs/referred_by_criterion", outputs.referred_by_criterion),
        ("/outputs/referred_by_referrer_type", outputs.referred_by_referrer_type),
    ]
    if document.monitoring is not None:
        monitoring = document.monitoring
        breakdowns += [
            ("/monitoring/referrals_rejected_by_reason", monitoring.referrals_rejected_by_reason),
            ("/monitoring/cases_closed_by_reason", monitoring.cases_closed_by_reason),
            ("/monitoring/rag_caseload_at_end", monitoring.rag_caseload_at_end),
        ]
    if document.impact_on_person is not None:
        impact = document.impact_on_person
        breakdowns.append(("/impact_on_person/employability", impact.employability))
        breakdowns.append(("/impact_on_person/wellbeing_aspects", impact.wellbeing_aspects))
        for index, summary in enumerate(impact.instruments):
            base = f"/impact_on_person/instruments/{index}"
            values.append((f"{base}/people_with_baseline", summary.people_with_baseline))
            values.append((f"{base}/people_with_follow_up", summary.people_with_follow_up))
            breakdowns.append((f"{base}/baseline_by_category", summary.baseline_by_category))
            breakdowns.append((f"{base}/follow_up_by_category", summary.follow_up_by_category))
    if document.impact_on_system is not None:
        for index, care in enumerate(document.impact_on_system.social_care_packages or ()):
            base = f"/impact_on_system/social_care_packages/{index}"
            for name in ("cases_reviewed", "with_package_before", "with_package_after"):
                values.append((f"{base}/{name}", getattr(care, name)))
            breakdowns.append((f"{base}/by_change", care.by_change))
    for base, mapping in breakdowns:
        for code, count in (mapping or {}).items():
            values.append((f"{base}/{getattr(code, 'value', code)}", count))
    return [path for path, value in values if value is None]
