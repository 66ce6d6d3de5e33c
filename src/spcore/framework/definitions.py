"""What each count of a quarterly return counts: its population and its definition.

nhse-cof-2018 ("Phase 1 suggested outputs") names the outputs and
family-action-2018 ("Monitoring and impact measurement") the monitoring
figures, but neither says how to count them. Each entry here gives the
**population** a figure counts members of (the people, cases, referrals or
groups), the **definition** of who is in it — the rule
:mod:`spcore.aggregation.derive` implements when it adds case records up,
marked "spcore's definition" where it goes beyond the sources — and the
source, by citation key and locator.

This table is the one place those facts are written. The return's schema
puts them in each field's description (:func:`described`), so a person
filling in the spreadsheet or reading the schema sees them; the reference
page of figures is generated from them; and the relations between figures
(:mod:`spcore.validation.rules.relations`) follow from the populations.

Pointers name fields of the return: a breakdown (a map from code to count)
by the map, a field of each item of a list with ``*`` for the item, and a
field of an object used in several places (service use before and after)
with ``*`` for the place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

OUTPUTS = "nhse-cof-2018, 'Phase 1 suggested outputs'"
MONITORING = "family-action-2018, 'Monitoring and impact measurement'"
OUTCOMES = "nhse-cof-2018, 'The three main outcomes'"
SPCORE = "spcore's definition"


class FigureDefinition(NamedTuple):
    """What one count of the return counts.

    Attributes:
        population: the set the figure counts members of, in a phrase.
        definition: who or what is in it, in one or two sentences.
        source: citation key and locator.
    """

    population: str
    definition: str
    source: str


def _people_referred(detail: str) -> str:
    return f"people referred in the quarter, each once; {detail}"


def _staff(answer: str) -> FigureDefinition:
    return FigureDefinition(
        population="staff who answered the morale survey (the answers add up to them)",
        definition=f"Respondents whose answer was '{answer}'; each respondent answers once.",
        source="nhse-cof-2018, impact on the health and care system (staff morale survey)",
    )


def _groups(answer: str) -> FigureDefinition:
    return FigureDefinition(
        population="community groups that answered the survey (a subset)",
        definition=f"Responding groups that {answer}.",
        source="nhse-cof-2018, impact on community groups (short survey)",
    )


#: Every count of the return with what it counts, by pointer.
FIGURES: Mapping[str, FigureDefinition] = {
    "/outputs/people_referred": FigureDefinition(
        population="people referred in the quarter",
        definition="People with a referral dated in the quarter, counted once per person.",
        source=f"{OUTPUTS}, output 1",
    ),
    "/outputs/people_benefiting": FigureDefinition(
        population="people directly benefiting in the quarter",
        definition=(
            "People with a case (a referral that was not rejected) that has at least one "
            "contact or social prescription dated in the quarter, whenever they were referred; "
            f"once per person ({SPCORE})."
        ),
        source=f"{OUTPUTS}, output 1",
    ),
    "/outputs/people_rejecting_referral": FigureDefinition(
        population="people referred in the quarter (a subset)",
        definition=(
            "People referred in the quarter with a referral rejected for the reason "
            "'declined-by-person'; refusals by the service do not count; once per person."
        ),
        source=f"{OUTPUTS}, output 1; referral-rejection-reason codelist",
    ),
    "/outputs/referred_by_age_band": FigureDefinition(
        population=_people_referred("the bands add up to people referred"),
        definition=(
            "Each person referred under the age band of their first referral in the quarter "
            f"('unknown' when it was not recorded; the tie-break is {SPCORE})."
        ),
        source=f"{OUTPUTS}, output 2",
    ),
    "/outputs/referred_by_criterion": FigureDefinition(
        population="people referred in the quarter (each criterion a subset)",
        definition=(
            "Each person referred under every criterion of any of their referrals in the "
            "quarter; a person may count under several, so the criteria may add up to more "
            "than people referred."
        ),
        source=f"{OUTPUTS}, output 3",
    ),
    "/outputs/referred_by_referrer_type": FigureDefinition(
        population=_people_referred("the referrers add up to people referred"),
        definition=(
            "Each person referred under the referrer of their first referral in the quarter "
            f"('other' when no code fits; the tie-break is {SPCORE})."
        ),
        source=f"{OUTPUTS}, output 4",
    ),
    "/outputs/community_groups/count": FigureDefinition(
        population="community groups named in social prescriptions dated in the quarter",
        definition=(
            "Distinct groups: a group is its Open Referral UK directory identifier if it has "
            f"one, else its name ignoring case and spacing ({SPCORE} of 'the same group')."
        ),
        source=f"{OUTPUTS}, output 5",
    ),
    "/outputs/community_groups/groups/*/referrals": FigureDefinition(
        population="people benefiting in the quarter (a subset)",
        definition="The people given a social prescription to this group in the quarter.",
        source=f"{OUTPUTS}, output 5",
    ),
    "/outputs/support_plans_coproduced": FigureDefinition(
        population="support plans (one per case), not people",
        definition="Cases whose support plan is dated in the quarter.",
        source=f"{OUTPUTS}, output 6",
    ),
    "/outputs/link_workers/headcount": FigureDefinition(
        population="people who worked as link workers for the scheme in the quarter",
        definition="As the scheme's records show (not derived from case records).",
        source=f"{OUTPUTS}, output 7",
    ),
    "/outputs/volunteers/count": FigureDefinition(
        population="volunteers who supported the scheme in the quarter",
        definition="As the scheme's records show (not derived from case records).",
        source=f"{OUTPUTS}, output 9",
    ),
    "/monitoring/assessments_completed": FigureDefinition(
        population="cases (one holistic assessment each)",
        definition=(
            "Cases whose holistic assessment is dated in the quarter: the assessment date, or "
            f"where it is not recorded the first contact of type 'assessment' ({SPCORE})."
        ),
        source=MONITORING,
    ),
    "/monitoring/social_prescriptions": FigureDefinition(
        population="social prescriptions, not people",
        definition="Social prescriptions dated in the quarter; one person may receive several.",
        source=MONITORING,
    ),
    "/monitoring/contacts": FigureDefinition(
        population="contacts (sessions, home visits, calls), not people",
        definition="Contacts dated in the quarter.",
        source=f"{MONITORING}, 'number of sessions/home visits received'",
    ),
    "/monitoring/referrals_rejected_by_reason": FigureDefinition(
        population="referrals dated in the quarter, not people",
        definition="Referrals dated in the quarter that did not become cases, by reason.",
        source=f"{MONITORING}, 'reasons referrals are rejected'",
    ),
    "/monitoring/cases_closed_by_reason": FigureDefinition(
        population="cases closed in the quarter",
        definition="Cases whose closure is dated in the quarter, by closure reason.",
        source=MONITORING,
    ),
    "/monitoring/rag_caseload_at_end": FigureDefinition(
        population="cases open on the quarter's last day",
        definition=(
            "Cases open on the last day (from referral to closure, both days included), by "
            "their rating at the end of that day; green until first rated."
        ),
        source=f"{MONITORING}, 'RAG rated caseload'",
    ),
    "/monitoring/cases_escalated": FigureDefinition(
        population="cases open at some time in the quarter (a subset)",
        definition=(
            "Cases with an escalation dated in the quarter: a change to a more serious rating "
            "than the one held just before (green to amber or red, amber to red)."
        ),
        source=f"{MONITORING}, 'cases escalated'",
    ),
    "/monitoring/families_supported_without_cases": FigureDefinition(
        population="families the service supported in the quarter that did not become cases",
        definition=(
            "As the scheme's records show: case records cannot show them (they did not become "
            "cases, or are related to people who disengaged)."
        ),
        source=f"{MONITORING}, output data",
    ),
    "/impact_on_person/instruments/*/people_with_baseline": FigureDefinition(
        population="people benefiting in the quarter (a subset)",
        definition=(
            "People benefiting with a baseline measure of this score dated on or before the "
            "quarter's last day, from the cases through which they benefited (the earliest "
            f"baseline counts; {SPCORE})."
        ),
        source=f"{OUTCOMES}, impact on the person",
    ),
    "/impact_on_person/instruments/*/people_with_follow_up": FigureDefinition(
        population="people with a baseline (a subset)",
        definition=(
            "People with a baseline and a follow-up measure dated in the quarter and at least "
            "three months after that baseline: the same day of the month three months later, "
            "or that month's last day (the latest such follow-up counts; "
            f"{SPCORE})."
        ),
        source=f"{OUTCOMES}, impact on the person; assessment-timepoint codelist",
    ),
    "/impact_on_person/instruments/*/people_improved": FigureDefinition(
        population="people with a follow-up (a subset)",
        definition=(
            "People whose follow-up is better than their baseline by at least the instrument's "
            "published meaningful-change threshold, or by any amount in the better direction "
            "where none is published."
        ),
        source=f"{OUTCOMES}, impact on the person; `spcore instruments show ID`",
    ),
    "/impact_on_person/instruments/*/baseline_by_category": FigureDefinition(
        population="people with a baseline (the categories add up to them)",
        definition=(
            "For a categorical score, each person with a baseline under the category of their "
            f"baseline; every category listed, zeros included ({SPCORE})."
        ),
        source=f"{OUTCOMES}, impact on the person; the instrument's own notes",
    ),
    "/impact_on_person/instruments/*/follow_up_by_category": FigureDefinition(
        population="people with a follow-up (the categories add up to them)",
        definition=(
            "For a categorical score, each person with a follow-up under the category of their "
            f"follow-up; every category listed, zeros included ({SPCORE})."
        ),
        source=f"{OUTCOMES}, impact on the person; the instrument's own notes",
    ),
    "/impact_on_person/instruments/*/people_moved_better": FigureDefinition(
        population="people with a follow-up (a subset, apart from those moved worse)",
        definition=(
            "For a categorical score, people whose follow-up category is better than their "
            f"baseline category ({SPCORE})."
        ),
        source=f"{OUTCOMES}, impact on the person",
    ),
    "/impact_on_person/instruments/*/people_moved_worse": FigureDefinition(
        population="people with a follow-up (a subset, apart from those moved better)",
        definition=(
            "For a categorical score, people whose follow-up category is worse than their "
            f"baseline category ({SPCORE})."
        ),
        source=f"{OUTCOMES}, impact on the person",
    ),
    "/impact_on_person/wellbeing_aspects": FigureDefinition(
        population="people whose case closed in the quarter (each aspect a subset)",
        definition=(
            "Each person whose case closed in the quarter under every wellbeing aspect recorded "
            "on it as improved; a person may count under several; aspects carry no date of "
            f"their own, so they count at closure ({SPCORE}, as employability)."
        ),
        source="nhse-cof-2018, 'Phase 1 suggested outcomes', impact on the person",
    ),
    "/impact_on_person/employability": FigureDefinition(
        population="people whose case closed in the quarter (each outcome a subset)",
        definition=(
            "Each employability outcome recorded on a case closed in the quarter, once per "
            f"person; outcomes carry no date of their own, so they count at closure ({SPCORE})."
        ),
        source="nhse-cof-2018, impact on the person (employability, Phase 2)",
    ),
    "/impact_on_system/cohort_size": FigureDefinition(
        population="the people whose service use is compared before and after referral",
        definition=(
            "Worked out from case records: people with a case (not a rejected referral, not "
            "a comparison person) whose service use counts GP consultations, A&E attendances "
            "and hospital bed days each in a window before referral and in one after it of "
            "the same length, the last of those windows after referral ending in the "
            "quarter; once per person (their earliest such case), for the window length "
            f"with the most people (the longer on a tie) ({SPCORE}). A scheme that gives the "
            "figures itself chooses the cohort and describes it in the cohort description."
        ),
        source="nhse-cof-2018, impact on the health and care system; dayson-2016",
    ),
    "/impact_on_system/*/before": FigureDefinition(
        population="events or days of the cohort's service use (GP consultations, A&E "
        "attendances or hospital bed days), not people",
        definition=(
            "The cohort's total in the window before referral: the sum of the cohort's "
            "counts in their case records' windows before referral, or from NHS systems."
        ),
        source="nhse-cof-2018, impact on the health and care system; dayson-2016",
    ),
    "/impact_on_system/*/after": FigureDefinition(
        population="events or days of the cohort's service use, not people",
        definition=(
            "The cohort's total in the window after referral: the sum of the cohort's counts "
            "in their case records' windows after referral, or from NHS systems."
        ),
        source="nhse-cof-2018, impact on the health and care system; dayson-2016",
    ),
    "/impact_on_system/social_care_packages/*/cases_reviewed": FigureDefinition(
        population="cases whose social care package was reviewed in the quarter",
        definition=(
            "Cases (not rejected referrals) whose social care package review is dated in the "
            f"quarter, for this window length ({SPCORE})."
        ),
        source="nhse-cof-2018, Phase 2 (impact on social care packages)",
    ),
    "/impact_on_system/social_care_packages/*/with_package_before": FigureDefinition(
        population="cases reviewed (a subset)",
        definition=(
            "Cases reviewed with a package at referral: those whose change is increased, "
            "unchanged, reduced or ended."
        ),
        source="nhse-cof-2018, Phase 2; social-care-package-change codelist",
    ),
    "/impact_on_system/social_care_packages/*/with_package_after": FigureDefinition(
        population="cases reviewed (a subset)",
        definition=(
            "Cases reviewed with a package at the end of the window: those whose change is "
            "started, increased, unchanged or reduced."
        ),
        source="nhse-cof-2018, Phase 2; social-care-package-change codelist",
    ),
    "/impact_on_system/social_care_packages/*/by_change": FigureDefinition(
        population="cases reviewed (the changes add up to them)",
        definition="Each case reviewed under the one change of its package.",
        source="nhse-cof-2018, Phase 2; social-care-package-change codelist",
    ),
    "/impact_on_system/staff_morale/*/respondents": FigureDefinition(
        population="staff of the group surveyed (general practice, or other referral agencies) "
        "who answered",
        definition="Staff who answered the short morale survey.",
        source="nhse-cof-2018, impact on the health and care system (staff morale survey)",
    ),
    "/impact_on_system/staff_morale/*/improved": _staff("improved"),
    "/impact_on_system/staff_morale/*/no_change": _staff("no change"),
    "/impact_on_system/staff_morale/*/worse": _staff("worse"),
    "/impact_on_community_groups/groups_surveyed": FigureDefinition(
        population="community groups taking referrals from the scheme",
        definition="Groups sent the short survey.",
        source="nhse-cof-2018, impact on community groups (short survey)",
    ),
    "/impact_on_community_groups/groups_responding": FigureDefinition(
        population="community groups surveyed (a subset)",
        definition="Groups that answered the survey.",
        source="nhse-cof-2018, impact on community groups (short survey)",
    ),
    "/impact_on_community_groups/stronger": _groups(
        "say taking referrals has made them stronger (the three answers add up to the groups "
        "responding)"
    ),
    "/impact_on_community_groups/no_change": _groups("report no change"),
    "/impact_on_community_groups/weaker": _groups("say taking referrals has made them weaker"),
    "/impact_on_community_groups/volunteers_change": FigureDefinition(
        population="the volunteers of the responding groups (a change, which may be negative)",
        definition="The groups' volunteers now less their volunteers before taking referrals.",
        source="nhse-cof-2018, impact on community groups (short survey)",
    ),
    "/impact_on_community_groups/able_to_manage_referrals": _groups(
        "say they have capacity to manage the referrals they receive"
    ),
    "/impact_on_community_groups/need_support_to_be_sustainable": _groups(
        "say they need support to be sustainable"
    ),
    "/impact_on_community_groups/support_needed": FigureDefinition(
        population="groups needing support to be sustainable (each kind a subset)",
        definition="Responding groups naming each kind of support; a group may name several.",
        source="nhse-cof-2018, impact on community groups (support needed to be sustainable)",
    ),
}


def described(pointer: str, summary: str) -> str:
    """A field's schema description: ``summary``, then the figure's population and definition.

    Raises:
        KeyError: the table has no entry for ``pointer``.
    """
    figure = FIGURES[pointer]
    return (
        f"{summary} Population: {figure.population}. Definition: {figure.definition} "
        f"Source: {figure.source}."
    )


def definition_of(pointer: str) -> FigureDefinition | None:
    """The entry for the field at ``pointer`` (``*`` in a key matches any token), if any."""
    tokens = pointer.split("/")
    for key, figure in FIGURES.items():
        pattern = key.split("/")
        if len(pattern) == len(tokens) and all(
            p in ("*", t) for p, t in zip(pattern, tokens, strict=True)
        ):
            return figure
    return None
