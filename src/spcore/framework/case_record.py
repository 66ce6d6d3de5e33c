"""The case record: one person's journey through a social prescribing scheme.

It holds the case-level monitoring data of family-action-2018 ("Monitoring and impact
measurement"): referral date and route, the date the case was active from,
rejection or disengagement reasons, the RAG rating over time, sessions and
home visits, social prescriptions and the community services they were for,
support plan, outcome-tool scores at baseline and follow-up, and closure.

Its sections follow the four groups of the national Social Prescribing
Information Standard (prsb-sp-standard, v1.1) so that a record maps onto
it: ``demographics``, ``needs_and_concerns``, ``support_offered`` and
``outcomes``; the referral and closure that frame the journey sit beside them.

A case record is pseudonymous: ``case_id`` is a scheme-assigned identifier
(or a keyed hash) and no field can hold a name, address, date of birth or
NHS number. Ages are held as bands.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from spcore.framework.enums import (
    AgeBand,
    AssessmentTimepoint,
    CaseClosureReason,
    Cohort,
    ContactType,
    DisengagementReason,
    EmployabilityOutcome,
    EthnicCategory,
    FiveWaysToWellbeing,
    Gender,
    HealthCondition,
    IncomeSource,
    InterventionType,
    Occupation,
    OutcomeInstrument,
    ProfessionalRole,
    RagRating,
    ReferralCriterion,
    ReferralExclusion,
    ReferralRejectionReason,
    ReferrerType,
    SafeguardingQuestion,
    Service,
    ServiceUsePeriod,
    ServiceUseSource,
    SocialCarePackageChange,
    Substance,
    WellbeingAspect,
)
from spcore.framework.quantities import Duration
from spcore.framework.types import (
    MAX_SCORE,
    Closed,
    Count,
    Months,
    PseudonymousId,
    SchemeId,
    ShortText,
    YesNo,
)

MAX_EVENTS = 1000
"""Longest list of events (contacts, ratings, scores) one case may hold."""

MAX_SERVICE_USE_WINDOWS = 100
"""Most windows of service use one record may hold (a window per source, length and side
of the index date leaves ample room)."""


class Rejection(Closed):
    """Why a referral did not become a case."""

    date: dt.date = Field(title="Date", description="When the referral was rejected or declined.")
    reason: ReferralRejectionReason = Field(
        title="Reason", description="Why the referral did not become a case (family-action-2018)."
    )
    exclusion: ReferralExclusion | None = Field(
        default=None,
        title="Exclusion",
        description="Where the referral was not accepted because of an exclusion, which one.",
    )


class Referral(Closed):
    """How and why the person came to the scheme."""

    date: dt.date = Field(title="Referral date", description="The date the referral was received.")
    referrer_type: ReferrerType = Field(
        title="Referrer type", description="Who referred the person (family-action-2018 Fig. 2)."
    )
    criteria: list[ReferralCriterion] = Field(
        min_length=1,
        max_length=50,
        title="Referral criteria",
        description="Every referral criterion the person met (nhse-cof-2018).",
    )
    rejection: Rejection | None = Field(
        default=None,
        title="Rejection",
        description="Present when the referral was rejected or declined.",
    )


class Demographics(Closed):
    """Patient demographics (prsb-sp-standard, group 1), held without identifying anyone."""

    age_band: AgeBand = Field(
        title="Age band", description="The person's age band on the referral date."
    )
    gender: Gender | None = Field(
        default=None,
        title="Gender",
        description='Person stated gender (nhs-data-dictionary, "Person Stated Gender Code").',
    )
    ethnic_category: EthnicCategory | None = Field(
        default=None,
        title="Ethnic category",
        description='Ethnic category (nhs-data-dictionary, "Ethnic Category").',
    )
    lives_alone: YesNo | None = Field(
        default=None, title="Lives alone", description="Whether the person lives alone."
    )
    interpreter_needed: YesNo | None = Field(
        default=None,
        title="Interpreter needed",
        description="Whether the person needs an interpreter (family-action-2018: adaptations).",
    )


class RiskAssessment(Closed):
    """The full risk assessment an amber or red rating requires (family-action-2018).

    family-action-2018, "Assessment and safeguarding": amber or red "should require a full
    risk assessment to be carried out", "submitted to the Service Manager for approval",
    and "reviewed regularly, as well as any time there is a change in risks". Its content
    (what the risks are, who is at risk, the actions taken) stays in the case file; the
    record holds the dates, so the duties of :mod:`spcore.rag.duties` can be checked.
    """

    completed_on: dt.date = Field(
        title="Completed on", description="When the full risk assessment was carried out."
    )
    approved_on: dt.date | None = Field(
        default=None,
        title="Approved by the service manager on",
        description="When the Service Manager approved the risk assessment; absent until then.",
    )
    reviewed_on: list[dt.date] = Field(
        default_factory=list,
        title="Reviewed on",
        description="Each date the risk assessment was reviewed, in date order.",
        max_length=MAX_EVENTS,
    )


class RagEntry(Closed):
    """One safeguarding rating of the case, with what led to it."""

    date: dt.date = Field(title="Date", description="When the rating was given.")
    rating: RagRating = Field(title="Rating", description="The safeguarding rating.")
    concerns: list[SafeguardingQuestion] | None = Field(
        default=None,
        title="Concerns",
        description="Safeguarding questions answered 'yes' at the assessment behind the rating.",
        max_length=10,
    )
    social_services_involved: YesNo | None = Field(
        default=None,
        title="Social services involved",
        description="Whether social services were involved when the rating was given.",
    )
    beyond_red: ReferralExclusion | None = Field(
        default=None,
        title="Beyond red",
        description=(
            "Where the assessment behind the rating found one of the referral exclusions, "
            'which one: family-action-2018 places these "beyond red", outside what the '
            "service can hold."
        ),
    )
    risk_assessment: RiskAssessment | None = Field(
        default=None,
        title="Risk assessment",
        description=(
            "For an amber or red rating, the full risk assessment it required: when it was "
            "completed, approved by the Service Manager and reviewed."
        ),
    )


class NeedsAndConcerns(Closed):
    """Needs and concerns (prsb-sp-standard, group 2): what the holistic assessment found."""

    assessment_date: dt.date | None = Field(
        default=None,
        title="Assessment date",
        description=(
            "The date of the holistic assessment (family-action-2018: within 4 working days)."
        ),
    )
    needs: list[ReferralCriterion] | None = Field(
        default=None,
        title="Needs identified",
        description="Needs identified at assessment, in the referral-criteria vocabulary.",
        max_length=50,
    )
    occupation: Occupation | None = Field(
        default=None,
        title="Occupation",
        description=(
            "What the person does, found at the holistic assessment (family-action-2018, "
            '"Assessment and safeguarding": occupation/source of income).'
        ),
    )
    income_sources: list[IncomeSource] | None = Field(
        default=None,
        title="Sources of income",
        description="Where the person's income comes from (family-action-2018, as occupation).",
        max_length=20,
    )
    key_professionals: list[ProfessionalRole] | None = Field(
        default=None,
        title="Key professionals involved",
        description=(
            "The roles of the key professionals involved in the person's care "
            '(family-action-2018, "Assessment and safeguarding"); roles only, never names.'
        ),
        max_length=50,
    )
    substance_misuse: list[Substance] | None = Field(
        default=None,
        title="Substance misuse",
        description=(
            "The substances the person misuses, found at the holistic assessment "
            '(family-action-2018, "Assessment and safeguarding"); an empty list means '
            "asked and none, absent means not recorded. The details and their impact on the "
            "person stay in the scheme's case file."
        ),
        max_length=10,
    )
    health_conditions: list[HealthCondition] | None = Field(
        default=None,
        title="Physical and mental health conditions",
        description=(
            "The person's physical and mental health conditions found at the holistic "
            'assessment, beyond the referral criteria (family-action-2018, "Assessment and '
            'safeguarding").'
        ),
        max_length=50,
    )
    rag_history: list[RagEntry] = Field(
        default_factory=list,
        title="RAG rating history",
        description="Every safeguarding rating of the case in date order; green at referral.",
        max_length=MAX_EVENTS,
    )


class Contact(Closed):
    """A session, home visit or other contact with the link worker."""

    date: dt.date = Field(title="Date", description="When the contact took place.")
    type: ContactType = Field(title="Contact type", description="How the contact took place.")
    duration: Duration | None = Field(
        default=None, title="Duration", description="How long the contact lasted."
    )


class SocialPrescription(Closed):
    """A social prescription: a connection to a community activity or service."""

    date: dt.date = Field(title="Date", description="When the social prescription was given.")
    intervention_type: InterventionType = Field(
        title="Intervention type", description="The kind of activity or support."
    )
    community_group: ShortText | None = Field(
        default=None,
        title="Community group",
        description="The name of the group or service the person was connected to.",
    )
    directory_id: ShortText | None = Field(
        default=None,
        title="Directory identifier",
        description="The group's Open Referral UK directory identifier, where it has one.",
    )
    five_ways: list[FiveWaysToWellbeing] | None = Field(
        default=None,
        title="Five Ways to Wellbeing",
        description="Which of the Five Ways to Wellbeing the activity supports.",
        max_length=5,
    )


class SupportOffered(Closed):
    """Support offered (prsb-sp-standard, group 3), including the activities referred to."""

    active_from: dt.date | None = Field(
        default=None,
        title="Active from",
        description="The date the case became active (family-action-2018).",
    )
    support_plan_date: dt.date | None = Field(
        default=None,
        title="Support plan co-produced on",
        description="The date a support plan was co-produced with the person, if one was.",
    )
    contacts: list[Contact] = Field(
        default_factory=list,
        title="Contacts",
        description=(
            "Sessions, home visits and other contacts (family-action-2018: up to 8 sessions)."
        ),
        max_length=MAX_EVENTS,
    )
    social_prescriptions: list[SocialPrescription] = Field(
        default_factory=list,
        title="Social prescriptions",
        description="Every social prescription given, with the community service it was for.",
        max_length=MAX_EVENTS,
    )


class OutcomeMeasure(Closed):
    """One outcome-instrument score taken during the case."""

    instrument: OutcomeInstrument = Field(
        title="Instrument", description="The outcome instrument used."
    )
    timepoint: AssessmentTimepoint = Field(
        title="Timepoint", description="When in the journey the measure was taken."
    )
    date: dt.date = Field(title="Date", description="When the measure was taken.")
    score: float = Field(
        ge=-MAX_SCORE,
        le=MAX_SCORE,
        allow_inf_nan=False,
        title="Score",
        description="The instrument's score, as scored by spcore.instruments.",
    )
    score_name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")] = Field(
        default="score",
        title="Score name",
        description="Which of the instrument's scores this is; 'score' is its headline score.",
    )
    value_set: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")] | None = Field(
        default=None,
        title="Value set",
        description="For preference-based indexes such as EQ-5D, the value set used.",
    )


class SocialCarePackage(Closed):
    """How the person's social care package changed after referral (nhse-cof-2018, Phase 2)."""

    reviewed_on: dt.date = Field(
        title="Reviewed on",
        description=(
            "When the package at the end of the window was compared with the one at referral."
        ),
    )
    window_months: Months = Field(
        title="Window after referral (months)",
        description="How many months after referral the package was compared, in months.",
    )
    change: SocialCarePackageChange = Field(
        title="Change",
        description="How the package at the end of the window differs from the one at referral.",
    )


class Outcomes(Closed):
    """Outcomes (prsb-sp-standard, group 4): measures taken and what the person achieved."""

    measures: list[OutcomeMeasure] = Field(
        default_factory=list,
        title="Outcome measures",
        description="Outcome-tool scores at baseline, interim and follow-up.",
        max_length=MAX_EVENTS,
    )
    employability: list[EmployabilityOutcome] | None = Field(
        default=None,
        title="Employability outcomes",
        description="Employability outcomes the person achieved (nhse-cof-2018, Phase 2).",
        max_length=20,
    )
    wellbeing_aspects: list[WellbeingAspect] | None = Field(
        default=None,
        title="Wellbeing aspects improved",
        description=(
            "The aspects of wellbeing in which the person reports an improvement by the end of "
            'their support (nhse-cof-2018, "Phase 1 suggested outcomes", Impact on the Person).'
        ),
        max_length=4,
    )
    social_care_package: SocialCarePackage | None = Field(
        default=None,
        title="Social care package",
        description=(
            "How the person's social care package changed in a window after referral "
            "(nhse-cof-2018, Phase 2: impact on social care packages)."
        ),
    )


class ServiceUseWindow(Closed):
    """A person's use of health and care services in one window before or after the index date.

    The index date is the referral date (``referral.date``); for a comparison person
    (``cohort``) it is the date that stands in its place. Each count is the number of
    times the person used the service in the window, read from one source; a service
    missing from ``counts`` was not counted from that source, and 0 means counted and
    none. dayson-2016 ("Evaluation methodology") compares secondary care used in the 12
    months before and after engagement; hlp-2017 §1.2 reports GP contact, A&E
    attendances and non-elective stays over the same windows.
    """

    relative_to_referral: ServiceUsePeriod = Field(
        title="Before or after referral",
        description=(
            "Whether the window lies before the index date (it ends on or before it) or after "
            "it (it starts on or after it)."
        ),
    )
    start_on: dt.date = Field(title="Starts on", description="The window's first day.")
    end_on: dt.date = Field(
        title="Ends on", description="The window's last day (the window includes it)."
    )
    months: Months = Field(
        title="Length (months)",
        description=(
            "The window's stated length in calendar months (dayson-2016 uses 12); windows "
            "before and after of the same length are compared."
        ),
    )
    source: ServiceUseSource = Field(
        title="Source", description="Where the counts come from (GP record, hospital data, ...)."
    )
    counts: dict[Service, Count] = Field(
        title="Counts",
        description=(
            "Service code -> how many times the person used it in the window (for "
            "social-care-package-weeks, whole weeks with a package). A service not listed was "
            "not counted from this source; 0 means counted and none."
        ),
    )


class Closure(Closed):
    """How the case ended."""

    date: dt.date = Field(title="Closure date", description="When the case was closed.")
    reason: CaseClosureReason = Field(title="Closure reason", description="Why the case closed.")
    disengagement_reason: DisengagementReason | None = Field(
        default=None,
        title="Disengagement reason",
        description="Where the person disengaged, why (family-action-2018).",
    )


class CaseRecord(Closed):
    """One person's journey through a social prescribing scheme, pseudonymised."""

    schema_uri: str | None = Field(
        default=None,
        alias="$schema",
        title="Schema",
        description="Optionally, the `$id` of the schema this record follows.",
    )
    case_id: PseudonymousId = Field(
        title="Case identifier",
        description=(
            "The scheme's pseudonymous identifier for the case. Never an NHS number, name or "
            "other identifier that is meaningful outside the scheme."
        ),
    )
    person_id: PseudonymousId | None = Field(
        default=None,
        title="Person identifier",
        description=(
            "A keyed pseudonym of the person (for example an HMAC of their NHS number under a "
            "key the scheme holds), so that two cases of one person can be linked without "
            "identifying them. Never the NHS number itself."
        ),
    )
    scheme_id: SchemeId = Field(
        title="Scheme identifier", description="The scheme the case belongs to."
    )
    referral: Referral = Field(title="Referral", description="How and why the person was referred.")
    demographics: Demographics = Field(
        title="Demographics", description="Who the person is, in bands and categories."
    )
    needs_and_concerns: NeedsAndConcerns = Field(
        default_factory=NeedsAndConcerns,
        title="Needs and concerns",
        description="What the holistic assessment found, and the safeguarding rating over time.",
    )
    support_offered: SupportOffered = Field(
        default_factory=SupportOffered,
        title="Support offered",
        description="Contacts, support plan and social prescriptions.",
    )
    outcomes: Outcomes = Field(
        default_factory=Outcomes,
        title="Outcomes",
        description="Outcome measures and achievements.",
    )
    closure: Closure | None = Field(
        default=None, title="Closure", description="Present once the case is closed."
    )
    cohort: Cohort | None = Field(
        default=None,
        title="Cohort",
        description=(
            "Absent or 'referred' for a person referred to the scheme. A comparison person "
            "('comparison-not-referred', 'comparison-waiting-list') is held only so an "
            "evaluation can compare service use; such a record's referral date is its index "
            "date (for a person not referred, the date they were identified as meeting the "
            "referral criteria, or the referral date of the person they are matched to; for a "
            "person on the waiting list, their referral date), and it is never counted in a "
            "return's outputs."
        ),
    )
    service_use: list[ServiceUseWindow] | None = Field(
        default=None,
        title="Service use",
        description=(
            "The person's use of health and care services in windows before and after the "
            "index date, each from one source (nhse-cof-2018, Impact on the Health and Care "
            "system). Absent means not recorded."
        ),
        max_length=MAX_SERVICE_USE_WINDOWS,
    )
