"""Codelist enums, generated from the CSV files in ``codelists/``.

Do not edit: run ``python -m spcore.framework.generate`` after changing a CSV.
"""

from spcore.framework.codelists import CodelistEnum

__all__ = [
    "AgeBand",
    "AssessmentTimepoint",
    "BenefitDomain",
    "CaseClosureReason",
    "Cohort",
    "ContactType",
    "DisengagementReason",
    "EmployabilityOutcome",
    "EthnicCategory",
    "FiveWaysToWellbeing",
    "FundingSource",
    "Gender",
    "HealthCondition",
    "IncomeSource",
    "InterventionType",
    "Occupation",
    "OutcomeInstrument",
    "PayBand",
    "ProfessionalRole",
    "RagRating",
    "ReferralCriterion",
    "ReferralExclusion",
    "ReferralRejectionReason",
    "ReferrerType",
    "SafeguardingQuestion",
    "Service",
    "ServiceUsePeriod",
    "ServiceUseSource",
    "SocialCarePackageChange",
    "SocialPrescribingModel",
    "Substance",
    "SustainabilitySupport",
    "WellbeingAspect",
]


class AgeBand(CodelistEnum):
    """Age band: Age of a person on the date of referral, in bands."""

    __codelist__ = "age-band"

    CODE_0_17 = "0-17"
    """Under 18."""
    CODE_18_24 = "18-24"
    """18 to 24."""
    CODE_25_34 = "25-34"
    """25 to 34."""
    CODE_35_44 = "35-44"
    """35 to 44."""
    CODE_45_54 = "45-54"
    """45 to 54."""
    CODE_55_64 = "55-64"
    """55 to 64."""
    CODE_65_74 = "65-74"
    """65 to 74."""
    CODE_75_84 = "75-84"
    """75 to 84."""
    CODE_85_PLUS = "85-plus"
    """85 and over."""
    UNKNOWN = "unknown"
    """Not known."""


class ReferralCriterion(CodelistEnum):
    """Referral criterion: A reason a person was referred to social prescribing; a person may
    meet several.
    """

    __codelist__ = "referral-criterion"

    LONG_TERM_CONDITION = "long-term-condition"
    """Long-term condition(s)."""
    SOCIAL_CARE_SUPPORT = "social-care-support"
    """In receipt of social care support."""
    DISABILITY = "disability"
    """Disability."""
    MENTAL_HEALTH_MILD_TO_MODERATE = "mental-health-mild-to-moderate"
    """Mild to moderate mental health condition."""
    MENTAL_HEALTH_SEVERE_AND_ENDURING = "mental-health-severe-and-enduring"
    """Severe and enduring mental health condition."""
    SOCIAL_ISOLATION_OR_LONELINESS = "social-isolation-or-loneliness"
    """Social isolation or loneliness."""
    LIVES_ALONE = "lives-alone"
    """Lives alone."""
    SOCIALLY_EXCLUDED_OR_VULNERABLE = "socially-excluded-or-vulnerable"
    """Socially excluded or vulnerable."""
    FREQUENT_ATTENDER_PRIMARY_CARE = "frequent-attender-primary-care"
    """Frequent attender: primary care."""
    FREQUENT_ATTENDER_SECONDARY_CARE = "frequent-attender-secondary-care"
    """Frequent attender: secondary care."""
    HIGH_CLINICAL_CONTACT = "high-clinical-contact"
    """High number of clinical contacts."""
    HIGH_MEDICATION_USE = "high-medication-use"
    """High medication use."""
    LOW_PATIENT_ACTIVATION = "low-patient-activation"
    """Low patient activation."""
    CONDITION_NOT_WELL_SERVED = "condition-not-well-served"
    """Condition not well served by existing services."""
    KNOWN_CONDITION_NOT_USING_SERVICES = "known-condition-not-using-services"
    """Known condition but not using services."""
    STRUGGLES_TO_ENGAGE_WITH_SERVICES = "struggles-to-engage-with-services"
    """Struggles to engage with services."""
    AT_RISK_OF_DEVELOPING_CONDITION = "at-risk-of-developing-condition"
    """At risk of developing or worsening condition."""
    AT_RISK_OF_EMERGENCY_ADMISSION = "at-risk-of-emergency-admission"
    """At risk of emergency admission."""
    LIFESTYLE_SUPPORT = "lifestyle-support"
    """Needs lifestyle support."""
    CARER = "carer"
    """Carer."""
    PARENT_OF_CHILD_PATIENT = "parent-of-child-patient"
    """Parent of a child patient."""
    IN_SECONDARY_CARE = "in-secondary-care"
    """In secondary care."""
    RECENTLY_DISCHARGED_FROM_HOSPITAL = "recently-discharged-from-hospital"
    """Recently discharged from hospital."""
    BARRIERS_TO_DISCHARGE = "barriers-to-discharge"
    """Non-medical barriers to discharge."""
    DEBT_OR_MONEY = "debt-or-money"
    """Debt or money worries."""
    HOUSING = "housing"
    """Housing problems."""
    EMPLOYMENT = "employment"
    """Employment or employability."""
    RELATIONSHIPS = "relationships"
    """Relationship problems."""
    OTHER = "other"
    """Other."""


class ReferrerType(CodelistEnum):
    """Referrer type: Who referred the person (the referral route)."""

    __codelist__ = "referrer-type"

    GP_PRACTICE = "gp-practice"
    """GP or general practice staff."""
    PRIMARY_CARE_SOCIAL_PRESCRIBING_SERVICE = "primary-care-social-prescribing-service"
    """Primary care social prescribing service."""
    SECONDARY_CARE_EMERGENCY_DEPARTMENT = "secondary-care-emergency-department"
    """Secondary care: emergency department."""
    SECONDARY_CARE_WARD = "secondary-care-ward"
    """Secondary care: ward staff."""
    SECONDARY_CARE_OCCUPATIONAL_THERAPY = "secondary-care-occupational-therapy"
    """Secondary care: occupational therapy."""
    SECONDARY_CARE_PHYSIOTHERAPY = "secondary-care-physiotherapy"
    """Secondary care: physiotherapy."""
    SECONDARY_CARE_DISCHARGE_TEAM = "secondary-care-discharge-team"
    """Secondary care: discharge team."""
    SECONDARY_CARE_SOCIAL_WORKER = "secondary-care-social-worker"
    """Secondary care: hospital social worker."""
    SECONDARY_CARE_OTHER = "secondary-care-other"
    """Secondary care: other."""
    STATUTORY_MENTAL_HEALTH_SERVICES = "statutory-mental-health-services"
    """Statutory mental health services."""
    SOCIAL_CARE = "social-care"
    """Social care."""
    SOCIAL_HOUSING_PROVIDER = "social-housing-provider"
    """Social housing provider."""
    EDUCATION_SETTING = "education-setting"
    """School or education staff."""
    COMMUNITY_AND_VOLUNTARY_SECTOR = "community-and-voluntary-sector"
    """Community and voluntary sector."""
    SELF_REFERRAL = "self-referral"
    """Self-referral."""
    FAMILY_OR_CARER = "family-or-carer"
    """Family member or carer."""
    OTHER = "other"
    """Other."""


class ReferralRejectionReason(CodelistEnum):
    """Referral rejection reason: Why a referral did not become a case: declined by the person
    or not accepted.
    """

    __codelist__ = "referral-rejection-reason"

    MENTAL_HEALTH_CRISIS = "mental-health-crisis"
    """Experiencing a mental health crisis."""
    ACTIVELY_SUICIDAL = "actively-suicidal"
    """Actively suicidal."""
    SEVERE_SELF_HARM = "severe-self-harm"
    """Severely harming themselves."""
    COMPLEX_NEEDS_SPECIALIST_SUPPORT = "complex-needs-specialist-support"
    """Complex needs requiring specialist support."""
    AT_RISK_OF_HOSPITAL_ADMISSION = "at-risk-of-hospital-admission"
    """At risk of hospital admission owing to high or complex need."""
    DECLINED_BY_PERSON = "declined-by-person"
    """Declined by the person."""
    NO_CONSENT = "no-consent"
    """No consent to share information."""
    NOT_ELIGIBLE_AGE = "not-eligible-age"
    """Not eligible: age."""
    NOT_ELIGIBLE_CRITERIA = "not-eligible-criteria"
    """Not eligible: referral criteria."""
    OUTSIDE_DISCHARGE_WINDOW = "outside-discharge-window"
    """Outside the discharge window."""
    OUT_OF_AREA = "out-of-area"
    """Out of area."""
    ALREADY_SUPPORTED_ELSEWHERE = "already-supported-elsewhere"
    """Already supported by another service."""
    UNABLE_TO_CONTACT = "unable-to-contact"
    """Unable to contact."""
    DUPLICATE = "duplicate"
    """Duplicate referral."""
    OTHER = "other"
    """Other."""


class CaseClosureReason(CodelistEnum):
    """Case closure reason: Why a case was closed."""

    __codelist__ = "case-closure-reason"

    SUPPORT_COMPLETED = "support-completed"
    """Support completed."""
    REFERRED_ON = "referred-on"
    """Referred on."""
    ESCALATED = "escalated"
    """Escalated to a specialist or statutory service."""
    HANDED_OVER = "handed-over"
    """Handed over to a specialist or statutory service."""
    DISENGAGED = "disengaged"
    """Disengaged."""
    DIED = "died"
    """Died."""
    MOVED_AWAY = "moved-away"
    """Moved away."""
    OTHER = "other"
    """Other."""


class DisengagementReason(CodelistEnum):
    """Disengagement reason: Why a person stopped taking part before their support was
    complete.
    """

    __codelist__ = "disengagement-reason"

    DIED = "died"
    """Died."""
    SERVICE_NOT_RIGHT = "service-not-right"
    """Service not right for them."""
    UNABLE_TO_CONTACT = "unable-to-contact"
    """Unable to contact."""
    TOO_UNWELL = "too-unwell"
    """Too unwell to take part."""
    ACCESS_BARRIERS = "access-barriers"
    """Barriers to access."""
    MOVED_AWAY = "moved-away"
    """Moved away."""
    OTHER = "other"
    """Other."""


class RagRating(CodelistEnum):
    """RAG rating: Red, amber or green safeguarding rating of a case."""

    __codelist__ = "rag-rating"

    GREEN = "green"
    """Green."""
    AMBER = "amber"
    """Amber."""
    RED = "red"
    """Red."""


class SocialPrescribingModel(CodelistEnum):
    """Social prescribing model: The kind of social prescribing a scheme offers, from
    signposting to holistic.
    """

    __codelist__ = "social-prescribing-model"

    SIGNPOSTING = "signposting"
    """Social prescribing as signposting."""
    LIGHT = "light"
    """Social prescribing light."""
    MEDIUM = "medium"
    """Social prescribing medium."""
    HOLISTIC = "holistic"
    """Social prescribing holistic."""
    PLUS = "plus"
    """Social prescribing plus."""


class InterventionType(CodelistEnum):
    """Intervention type: The kind of community activity or support a person is connected to."""

    __codelist__ = "intervention-type"

    PHYSICAL_ACTIVITY = "physical-activity"
    """Physical activity and exercise."""
    ARTS_AND_CULTURE = "arts-and-culture"
    """Arts and culture."""
    FOOD_CLUBS = "food-clubs"
    """Food clubs."""
    DEMENTIA_CAFES = "dementia-cafes"
    """Dementia cafes."""
    HEALTHY_EATING = "healthy-eating"
    """Healthy eating."""
    GREEN_ACTIVITY = "green-activity"
    """Green activity."""
    VOLUNTEERING = "volunteering"
    """Volunteering."""
    TIME_BANKS = "time-banks"
    """Time banks."""
    PEER_SUPPORT = "peer-support"
    """Peer support."""
    SOCIAL_GROUPS = "social-groups"
    """Social groups."""
    LEARNING_AND_EDUCATION = "learning-and-education"
    """Learning and education."""
    INFORMATION_AND_ADVICE = "information-and-advice"
    """Information and advice."""
    BEFRIENDING = "befriending"
    """Befriending."""
    SELF_HELP = "self-help"
    """Self-help."""
    BENEFITS_SUPPORT = "benefits-support"
    """Benefits support."""
    HOUSING_SUPPORT = "housing-support"
    """Housing support."""
    DEBT_SUPPORT = "debt-support"
    """Debt support."""
    EMPLOYMENT_SUPPORT = "employment-support"
    """Employment support."""
    LEGAL_ADVICE = "legal-advice"
    """Legal advice."""
    PARENTING_SUPPORT = "parenting-support"
    """Parenting support."""
    OTHER = "other"
    """Other."""


class FiveWaysToWellbeing(CodelistEnum):
    """Five Ways to Wellbeing: The Five Ways to Wellbeing an activity supports."""

    __codelist__ = "five-ways-to-wellbeing"

    GIVE = "give"
    """Give."""
    CONNECT = "connect"
    """Connect."""
    KEEP_LEARNING = "keep-learning"
    """Keep learning."""
    BE_ACTIVE = "be-active"
    """Be active."""
    TAKE_NOTICE = "take-notice"
    """Take notice."""


class FundingSource(CodelistEnum):
    """Funding source: Where money for a scheme comes from."""

    __codelist__ = "funding-source"

    NHS_COMMISSIONER = "nhs-commissioner"
    """NHS commissioner core funding."""
    LOCAL_AUTHORITY = "local-authority"
    """Local authority funding."""
    BETTER_CARE_FUND = "better-care-fund"
    """Better Care Fund."""
    NCM_MCP_CONTRACT = "ncm-mcp-contract"
    """New Care Model contract."""
    BEST_PRACTICE_TARIFF = "best-practice-tariff"
    """Best practice tariff."""
    CQUIN = "cquin"
    """CQUIN."""
    QOF_LOCAL_INCENTIVE_SCHEME = "qof-local-incentive-scheme"
    """QOF or local incentive scheme."""
    SERVICE_SPECIFICATION = "service-specification"
    """New service specification."""
    PERSONAL_HEALTH_BUDGET = "personal-health-budget"
    """Personal health and care budget."""
    CAPITATED_BUDGET = "capitated-budget"
    """Capitated budget."""
    SOCIAL_IMPACT_BOND = "social-impact-bond"
    """Social impact bond."""
    GRANT = "grant"
    """Grant or project funding."""
    COMMERCIAL_SPONSORSHIP = "commercial-sponsorship"
    """Commercial sponsorship."""
    DONATIONS_CROWDFUNDING = "donations-crowdfunding"
    """Donations or crowdfunding."""
    SELF_GENERATED_INCOME = "self-generated-income"
    """Self-generated income."""
    OTHER = "other"
    """Other."""


class OutcomeInstrument(CodelistEnum):
    """Outcome instrument: A questionnaire or tool used to measure outcomes for the person."""

    __codelist__ = "outcome-instrument"

    SWEMWBS = "swemwbs"
    """Short Warwick-Edinburgh Mental Well-being Scale (SWEMWBS)."""
    WEMWBS = "wemwbs"
    """Warwick-Edinburgh Mental Well-being Scale (WEMWBS)."""
    ONS4 = "ons4"
    """ONS personal well-being questions (ONS4)."""
    ONS_LONELINESS = "ons-loneliness"
    """ONS direct measure of loneliness."""
    UCLA3 = "ucla3"
    """UCLA Loneliness Scale, three-item version."""
    EQ5D5L = "eq5d5l"
    """EQ-5D-5L."""
    EQ5D3L = "eq5d3l"
    """EQ-5D-3L."""
    WSAS = "wsas"
    """Work and Social Adjustment Scale (WSAS)."""
    PHQ9 = "phq9"
    """Patient Health Questionnaire (PHQ-9)."""
    GAD7 = "gad7"
    """Generalised Anxiety Disorder scale (GAD-7)."""
    PAM = "pam"
    """Patient Activation Measure (PAM)."""
    WELLBEING_STAR = "wellbeing-star"
    """Well-being Star."""
    MYCAW = "mycaw"
    """Measure Yourself Concerns and Wellbeing (MYCAW)."""
    ROTHERHAM8 = "rotherham8"
    """Rotherham eight well-being outcome measures."""


class BenefitDomain(CodelistEnum):
    """Benefit domain: A domain in which social prescribing is expected to bring benefit."""

    __codelist__ = "benefit-domain"

    PHYSICAL_AND_EMOTIONAL_HEALTH = "physical-and-emotional-health"
    """Physical and emotional health and wellbeing."""
    COST_EFFECTIVENESS_AND_SUSTAINABILITY = "cost-effectiveness-and-sustainability"
    """Cost effectiveness and sustainability."""
    BUILDS_UP_LOCAL_COMMUNITY = "builds-up-local-community"
    """Builds up local community."""
    BEHAVIOUR_CHANGE = "behaviour-change"
    """Behaviour change."""
    VCS_CAPACITY = "vcs-capacity"
    """Capacity to build up the voluntary and community sector."""
    SOCIAL_DETERMINANTS_OF_ILL_HEALTH = "social-determinants-of-ill-health"
    """Social determinants of ill-health."""


class ContactType(CodelistEnum):
    """Contact type: How a link worker and a person were in contact."""

    __codelist__ = "contact-type"

    ASSESSMENT = "assessment"
    """Assessment."""
    FACE_TO_FACE_SESSION = "face-to-face-session"
    """Face-to-face session."""
    HOME_VISIT = "home-visit"
    """Home visit."""
    TELEPHONE = "telephone"
    """Telephone."""
    VIDEO = "video"
    """Video or online."""
    GROUP_SESSION = "group-session"
    """Group session."""
    OTHER = "other"
    """Other."""


class AssessmentTimepoint(CodelistEnum):
    """Assessment timepoint: When an outcome measure was taken in a person's journey."""

    __codelist__ = "assessment-timepoint"

    BASELINE = "baseline"
    """Baseline."""
    INTERIM = "interim"
    """Interim review."""
    FOLLOW_UP = "follow-up"
    """Follow-up."""


class Gender(CodelistEnum):
    """Gender: Person stated gender (nhs-data-dictionary, "Person Stated Gender Code")."""

    __codelist__ = "gender"

    CODE_1 = "1"
    """Male."""
    CODE_2 = "2"
    """Female."""
    CODE_9 = "9"
    """Indeterminate."""
    X = "X"
    """Not Known."""


class EthnicCategory(CodelistEnum):
    """Ethnic category: Ethnic category (nhs-data-dictionary, "Ethnic Category")."""

    __codelist__ = "ethnic-category"

    A = "A"
    """White - British."""
    B = "B"
    """White - Irish."""
    C = "C"
    """White - Any other White background."""
    D = "D"
    """Mixed - White and Black Caribbean."""
    E = "E"
    """Mixed - White and Black African."""
    F = "F"
    """Mixed - White and Asian."""
    G = "G"
    """Mixed - Any other mixed background."""
    H = "H"
    """Asian or Asian British - Indian."""
    J = "J"
    """Asian or Asian British - Pakistani."""
    K = "K"
    """Asian or Asian British - Bangladeshi."""
    L = "L"
    """Asian or Asian British - Any other Asian background."""
    M = "M"
    """Black or Black British - Caribbean."""
    N = "N"
    """Black or Black British - African."""
    P = "P"
    """Black or Black British - Any other Black background."""
    R = "R"
    """Other Ethnic Groups - Chinese."""
    S = "S"
    """Other Ethnic Groups - Any other ethnic group."""
    Z = "Z"
    """Not stated."""
    CODE_99 = "99"
    """Not known."""


class PayBand(CodelistEnum):
    """Pay band: NHS pay band of a post (agenda-for-change)."""

    __codelist__ = "pay-band"

    BAND_1 = "band-1"
    """Band 1."""
    BAND_2 = "band-2"
    """Band 2."""
    BAND_3 = "band-3"
    """Band 3."""
    BAND_4 = "band-4"
    """Band 4."""
    BAND_5 = "band-5"
    """Band 5."""
    BAND_6 = "band-6"
    """Band 6."""
    BAND_7 = "band-7"
    """Band 7."""
    BAND_8A = "band-8a"
    """Band 8a."""
    BAND_8B = "band-8b"
    """Band 8b."""
    BAND_8C = "band-8c"
    """Band 8c."""
    BAND_8D = "band-8d"
    """Band 8d."""
    BAND_9 = "band-9"
    """Band 9."""
    NOT_AGENDA_FOR_CHANGE = "not-agenda-for-change"
    """Not on Agenda for Change."""


class EmployabilityOutcome(CodelistEnum):
    """Employability outcome: An employability outcome for a person (Phase 2 of the framework)."""

    __codelist__ = "employability-outcome"

    STAYING_IN_WORK = "staying-in-work"
    """Staying in work."""
    FOUND_EMPLOYMENT = "found-employment"
    """Found new employment."""
    VOLUNTEERING = "volunteering"
    """Volunteering."""
    ACCESSING_TRAINING = "accessing-training"
    """Accessing training."""
    GAINED_QUALIFICATION = "gained-qualification"
    """Gained a qualification."""
    SET_UP_BUSINESS_OR_GROUP = "set-up-business-or-group"
    """Set up a business or community group."""


class SafeguardingQuestion(CodelistEnum):
    """Safeguarding question: A safeguarding question asked at assessment."""

    __codelist__ = "safeguarding-question"

    VICTIM_OF_VIOLENCE_OR_ABUSE = "victim-of-violence-or-abuse"
    """Has the person been a victim of violence or abuse?."""
    PERPETRATOR_OF_VIOLENCE_OR_ABUSE = "perpetrator-of-violence-or-abuse"
    """Has the person been a perpetrator of violence or abuse?."""
    OTHER_HARMFUL_PRACTICES = "other-harmful-practices"
    """Has the person been a victim or perpetrator of any other harmful practices?."""
    RISK_TO_SELF_OR_OTHERS = "risk-to-self-or-others"
    """Is the person a risk to themselves or others?."""


class ReferralExclusion(CodelistEnum):
    """Referral exclusion: A circumstance in which a referral is not accepted ('beyond red')."""

    __codelist__ = "referral-exclusion"

    MENTAL_HEALTH_CRISIS = "mental-health-crisis"
    """Experiencing a mental health crisis."""
    ACTIVELY_SUICIDAL = "actively-suicidal"
    """Actively suicidal."""
    SEVERE_SELF_HARM = "severe-self-harm"
    """Severely harming themselves."""
    COMPLEX_NEEDS_SPECIALIST_SUPPORT = "complex-needs-specialist-support"
    """Complex needs requiring specialist support."""
    AT_RISK_OF_HOSPITAL_ADMISSION = "at-risk-of-hospital-admission"
    """At risk of hospital admission owing to high or complex need."""


class WellbeingAspect(CodelistEnum):
    """Wellbeing aspect: One of the four aspects of wellbeing the framework expects social
    prescribing to improve for the person.
    """

    __codelist__ = "wellbeing-aspect"

    IN_CONTROL = "in-control"
    """More in control."""
    PHYSICALLY_ACTIVE = "physically-active"
    """More physically active."""
    MANAGING_PRACTICAL_ISSUES = "managing-practical-issues"
    """Better able to manage practical issues."""
    MORE_CONNECTED = "more-connected"
    """More connected, less isolated."""


class SocialCarePackageChange(CodelistEnum):
    """Social care package change: How a person's social care package changed between referral
    and the end of the window after it.
    """

    __codelist__ = "social-care-package-change"

    NO_PACKAGE = "no-package"
    """No package before or after."""
    STARTED = "started"
    """Package started."""
    INCREASED = "increased"
    """Package increased."""
    UNCHANGED = "unchanged"
    """Package unchanged."""
    REDUCED = "reduced"
    """Package reduced."""
    ENDED = "ended"
    """Package ended."""


class SustainabilitySupport(CodelistEnum):
    """Sustainability support: A kind of support a community group says it needs to be
    sustainable.
    """

    __codelist__ = "sustainability-support"

    FUNDING = "funding"
    """Funding."""
    VOLUNTEERS = "volunteers"
    """Volunteers."""
    PREMISES = "premises"
    """Premises."""
    TRAINING = "training"
    """Training."""
    MANAGING_REFERRALS = "managing-referrals"
    """Help managing referrals."""
    GOVERNANCE = "governance"
    """Organisational development."""
    OTHER = "other"
    """Other support."""


class Occupation(CodelistEnum):
    """Occupation: What the person does: their economic activity at the holistic assessment."""

    __codelist__ = "occupation"

    EMPLOYED = "employed"
    """Employed."""
    SELF_EMPLOYED = "self-employed"
    """Self-employed."""
    UNEMPLOYED = "unemployed"
    """Unemployed and seeking work."""
    STUDENT = "student"
    """In education or training."""
    LONG_TERM_SICK_OR_DISABLED = "long-term-sick-or-disabled"
    """Long-term sick or disabled."""
    LOOKING_AFTER_HOME_OR_FAMILY = "looking-after-home-or-family"
    """Looking after home or family."""
    RETIRED = "retired"
    """Retired."""
    VOLUNTEERING = "volunteering"
    """Volunteering."""
    OTHER = "other"
    """Other."""
    NOT_STATED = "not-stated"
    """Not stated."""


class IncomeSource(CodelistEnum):
    """Income source: Where the person's income comes from, at the holistic assessment."""

    __codelist__ = "income-source"

    EARNINGS = "earnings"
    """Earnings."""
    STATE_BENEFITS = "state-benefits"
    """State benefits."""
    PENSION = "pension"
    """Pension."""
    STUDENT_SUPPORT = "student-support"
    """Student support."""
    FAMILY_SUPPORT = "family-support"
    """Family or partner."""
    NO_INCOME = "no-income"
    """No income."""
    OTHER = "other"
    """Other."""


class ProfessionalRole(CodelistEnum):
    """Professional role: The role of a professional involved in the person's care."""

    __codelist__ = "professional-role"

    GP = "gp"
    """General practitioner."""
    HOSPITAL_CLINICIAN = "hospital-clinician"
    """Hospital doctor or nurse."""
    OCCUPATIONAL_THERAPIST = "occupational-therapist"
    """Occupational therapist."""
    PHYSIOTHERAPIST = "physiotherapist"
    """Physiotherapist."""
    DISCHARGE_TEAM = "discharge-team"
    """Hospital discharge team."""
    SOCIAL_WORKER = "social-worker"
    """Social worker."""
    MENTAL_HEALTH_WORKER = "mental-health-worker"
    """Mental health professional."""
    COMMUNITY_NURSE = "community-nurse"
    """Community or district nurse."""
    SUBSTANCE_MISUSE_WORKER = "substance-misuse-worker"
    """Substance misuse worker."""
    HOUSING_OFFICER = "housing-officer"
    """Housing officer."""
    VOLUNTARY_SECTOR_WORKER = "voluntary-sector-worker"
    """Voluntary sector worker."""
    OTHER = "other"
    """Other."""


class Substance(CodelistEnum):
    """Substance: A kind of substance the person misuses, recorded at the holistic assessment."""

    __codelist__ = "substance"

    ALCOHOL = "alcohol"
    """Alcohol."""
    ILLICIT_DRUGS = "illicit-drugs"
    """Illicit drugs."""
    PRESCRIPTION_MEDICINES = "prescription-medicines"
    """Prescription or over-the-counter medicines."""
    OTHER = "other"
    """Other substance."""


class Service(CodelistEnum):
    """Service: A health or care service whose use by a person is counted in a window before or
    after referral.
    """

    __codelist__ = "service"

    GP_CONSULTATIONS = "gp-consultations"
    """GP consultations."""
    AE_ATTENDANCES = "ae-attendances"
    """A&E attendances."""
    NON_ELECTIVE_ADMISSIONS = "non-elective-admissions"
    """Non-elective admissions."""
    HOSPITAL_BED_DAYS = "hospital-bed-days"
    """Hospital bed days."""
    OUTPATIENT_APPOINTMENTS = "outpatient-appointments"
    """Outpatient appointments."""
    SOCIAL_CARE_PACKAGE_WEEKS = "social-care-package-weeks"
    """Weeks with a social care package."""


class ServiceUseSource(CodelistEnum):
    """Service use source: Where a count of a person's service use comes from."""

    __codelist__ = "service-use-source"

    GP_RECORD = "gp-record"
    """GP record."""
    HOSPITAL_DATA = "hospital-data"
    """Hospital data."""
    SOCIAL_CARE_RECORD = "social-care-record"
    """Social care record."""
    SELF_REPORT = "self-report"
    """Self-report."""
    OTHER = "other"
    """Other."""


class ServiceUsePeriod(CodelistEnum):
    """Service use period: Whether a window of service use lies before or after the index date."""

    __codelist__ = "service-use-period"

    BEFORE = "before"
    """Before referral."""
    AFTER = "after"
    """After referral."""


class Cohort(CodelistEnum):
    """Cohort: Whether a record is a person referred or a comparison person held for
    evaluation.
    """

    __codelist__ = "cohort"

    REFERRED = "referred"
    """Referred."""
    COMPARISON_NOT_REFERRED = "comparison-not-referred"
    """Comparison: not referred."""
    COMPARISON_WAITING_LIST = "comparison-waiting-list"
    """Comparison: waiting list."""


class HealthCondition(CodelistEnum):
    """Health condition: A group of physical or mental health conditions recorded at the
    holistic assessment.
    """

    __codelist__ = "health-condition"

    CARDIOVASCULAR = "cardiovascular"
    """Heart or circulatory condition."""
    RESPIRATORY = "respiratory"
    """Respiratory condition."""
    DIABETES = "diabetes"
    """Diabetes."""
    MUSCULOSKELETAL = "musculoskeletal"
    """Musculoskeletal condition or chronic pain."""
    CANCER = "cancer"
    """Cancer."""
    NEUROLOGICAL = "neurological"
    """Neurological condition."""
    DEMENTIA = "dementia"
    """Dementia or memory problems."""
    SENSORY_IMPAIRMENT = "sensory-impairment"
    """Sensory impairment."""
    LEARNING_DISABILITY_OR_AUTISM = "learning-disability-or-autism"
    """Learning disability or autism."""
    DEPRESSION_OR_ANXIETY = "depression-or-anxiety"
    """Depression or anxiety."""
    SEVERE_MENTAL_ILLNESS = "severe-mental-illness"
    """Severe mental illness."""
    OTHER_PHYSICAL = "other-physical"
    """Other physical condition."""
    OTHER_MENTAL = "other-mental"
    """Other mental health condition."""
    OTHER = "other"
    """Other condition."""
