"""Adding case records up into the figures of a quarterly return, in one pass.

:class:`Tally` reads each record once and keeps only what the figures need:

- plain counters for figures that count cases or events (contacts, social
  prescriptions, assessments, plans, closures, rejections, escalations, the
  RAG caseload);
- **per-person state** only where a figure counts people once: the people
  referred in the period (their first referral's age band and referrer, and
  the criteria of all their referrals in it), the people benefiting, the
  people with a timed contact, the people referred to each community group,
  employability outcomes, and each benefiting person's instrument scores.

So memory grows with the number of *people active in the period*, not with
the size of the extract; records with nothing in the period are passed over
before they reach a tally (:func:`spcore.aggregation.derive.touches`).

This is the reference path: each figure is the sum of what
:mod:`spcore.aggregation.derive` answers for each record. The columnar path
(:mod:`spcore.aggregation.columnar`) computes the same :class:`Figures` with
NumPy and is tested equal to this one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import attrs

from spcore.aggregation import derive
from spcore.aggregation.derive import PersonKey
from spcore.aggregation.figures import (
    MAX_GROUPS_LISTED,
    ExactSum,
    Figures,
    GroupFigure,
    MeasureFigure,
    MeasureKey,
)
from spcore.framework.case_record import CaseRecord
from spcore.framework.enums import (
    AgeBand,
    EmployabilityOutcome,
    InterventionType,
    ReferralCriterion,
    ReferrerType,
    SocialCarePackageChange,
    WellbeingAspect,
)
from spcore.rag import DateRange


@attrs.define
class _Referred:
    """What is kept about one person referred in the period."""

    date: Any
    age_band: AgeBand
    referrer: ReferrerType
    criteria: set[ReferralCriterion]
    declined: bool


@attrs.define
class _Group:
    """What is kept about one community group referred to in the period."""

    name: str
    directory_id: str | None
    intervention_types: set[InterventionType] = attrs.field(factory=set)
    five_ways: set[str] = attrs.field(factory=set)
    people: set[PersonKey] = attrs.field(factory=set)


def _values(counter: Counter[Any]) -> dict[str, int]:
    return {str(getattr(k, "value", k)): v for k, v in counter.items()}


@attrs.define
class Tally:
    """Running totals for one reporting period; feed records with :meth:`add`."""

    period: DateRange
    records: int = 0
    referred: dict[PersonKey, _Referred] = attrs.field(factory=dict)
    benefiting: set[PersonKey] = attrs.field(factory=set)
    timed_people: set[PersonKey] = attrs.field(factory=set)
    minutes: ExactSum = attrs.field(factory=ExactSum)
    timed_contacts: int = 0
    untimed_contacts: int = 0
    contacts: int = 0
    prescriptions: int = 0
    assessments: int = 0
    plans: int = 0
    groups: dict[str, _Group] = attrs.field(factory=dict)
    rejected_by_reason: Counter[Any] = attrs.field(factory=Counter)
    closed_by_reason: Counter[Any] = attrs.field(factory=Counter)
    caseload: Counter[Any] = attrs.field(factory=Counter)
    escalated: int = 0
    employability: dict[EmployabilityOutcome, set[PersonKey]] = attrs.field(factory=dict)
    wellbeing_aspects: dict[WellbeingAspect, set[PersonKey]] = attrs.field(factory=dict)
    social_care: Counter[tuple[int, SocialCarePackageChange]] = attrs.field(factory=Counter)
    #: (person, window length) -> (referral date, arrival, counts) of their earliest case.
    service_use: dict[tuple[PersonKey, int], tuple[dt.date, int, derive.ServiceTotals]] = (
        attrs.field(factory=dict)
    )
    measures: dict[MeasureKey, dict[PersonKey, tuple[Any, ...]]] = attrs.field(factory=dict)

    def add(self, record: CaseRecord) -> None:
        """Count one case record (already checked: see :mod:`spcore.aggregation.aggregate`)."""
        self.records += 1
        period = self.period
        who = derive.person_key(record)
        if derive.referred_in(record, period):
            self._add_referral(who, record, derive.declined_in(record, period))
        reason = derive.rejection_reason_in(record, period)
        if reason is not None:
            self.rejected_by_reason[reason] += 1
        if not derive.is_case(record):
            return
        self._add_support(who, record)
        if derive.assessment_in(record, period):
            self.assessments += 1
        if derive.support_plan_in(record, period):
            self.plans += 1
        closure = derive.closure_reason_in(record, period)
        if closure is not None:
            self.closed_by_reason[closure] += 1
            for outcome in derive.employability_in(record, period):
                self.employability.setdefault(outcome, set()).add(who)
            for aspect in derive.wellbeing_aspects_in(record, period):
                self.wellbeing_aspects.setdefault(aspect, set()).add(who)
        care = derive.social_care_in(record, period)
        if care is not None:
            self.social_care[care] += 1
        for months, totals in derive.service_use_in(record, period).items():
            # Once per person: their earliest case in the cohort, the first seen on a tie.
            entry = (record.referral.date, self.records, totals)
            held = self.service_use.get((who, months))
            if held is None or entry[:2] < held[:2]:
                self.service_use[(who, months)] = entry
        self._add_rating(record)

    def _add_referral(self, who: PersonKey, record: CaseRecord, declined: bool) -> None:
        referral = record.referral
        held = self.referred.get(who)
        if held is None:
            self.referred[who] = _Referred(
                referral.date,
                record.demographics.age_band,
                referral.referrer_type,
                set(referral.criteria),
                declined,
            )
            return
        held.criteria.update(referral.criteria)
        held.declined = held.declined or declined
        if referral.date < held.date:
            # The person's first referral in the period gives their age band and referrer.
            held.date = referral.date
            held.age_band = record.demographics.age_band
            held.referrer = referral.referrer_type

    def _add_support(self, who: PersonKey, record: CaseRecord) -> None:
        period = self.period
        contacts = derive.contacts_in(record, period)
        prescriptions = derive.prescriptions_in(record, period)
        self.contacts += len(contacts)
        self.prescriptions += len(prescriptions)
        if not derive.benefiting_in(record, period):
            return
        self.benefiting.add(who)
        timed = False
        for spent in derive.contact_minutes_in(record, period):
            if spent is None:
                self.untimed_contacts += 1
            else:
                self.minutes.add(spent)
                self.timed_contacts += 1
                timed = True
        if timed:
            self.timed_people.add(who)
        for prescription in prescriptions:
            identity = derive.group_of(prescription)
            if identity is None:
                continue
            key, name, directory_id = identity
            group = self.groups.get(key)
            if group is None:
                group = self.groups[key] = _Group(name, directory_id)
            group.intervention_types.add(prescription.intervention_type)
            group.five_ways.update(w.value for w in prescription.five_ways or ())
            group.people.add(who)
        for measure, pair in derive.measure_pairs(record, period).items():
            people = self.measures.setdefault(measure, {})
            held = people.get(who)
            # A person with two cases is summarised once, by the pair with the latest
            # follow-up; a follow-up too soon on any of them is remembered for the warning.
            if held is None:
                people[who] = pair
            else:
                chosen = pair if _later(pair, held) else held
                people[who] = (*chosen[:3], held[3] or pair[3])

    def _add_rating(self, record: CaseRecord) -> None:
        rating = derive.rating_at_end(record, self.period)
        if rating is not None:
            self.caseload[rating] += 1
        # Without a rating dated in the period nothing can have been escalated in it.
        start, end = self.period.start, self.period.end
        if any(start <= e.date <= end for e in record.needs_and_concerns.rag_history) and (
            derive.escalated_in(record, self.period)
        ):
            self.escalated += 1

    # ------------------------------------------------------------------ figures

    def figures(self) -> Figures:
        """What has been added up so far."""
        people = self.referred.values()
        return Figures(
            records=self.records,
            people_referred=len(self.referred),
            people_benefiting=len(self.benefiting),
            people_rejecting=sum(1 for p in people if p.declined),
            referred_by_age_band=_values(Counter(p.age_band for p in people)),
            referred_by_criterion=_values(Counter(c for p in people for c in p.criteria)),
            referred_by_referrer_type=_values(Counter(p.referrer for p in people)),
            group_count=len(self.groups),
            groups=(
                tuple(_group(g) for _, g in sorted(self.groups.items()))
                if len(self.groups) <= MAX_GROUPS_LISTED
                else ()
            ),
            plans=self.plans,
            assessments=self.assessments,
            prescriptions=self.prescriptions,
            contacts=self.contacts,
            timed_people=len(self.timed_people),
            untimed_contacts=self.untimed_contacts,
            minutes=self.minutes.total,
            rejected_by_reason=_values(self.rejected_by_reason),
            closed_by_reason=_values(self.closed_by_reason),
            caseload=_values(self.caseload),
            escalated=self.escalated,
            employability={o.value: len(p) for o, p in self.employability.items()},
            wellbeing_aspects={a.value: len(p) for a, p in self.wellbeing_aspects.items()},
            social_care={
                (window, change.value): n for (window, change), n in self.social_care.items()
            },
            measures=tuple(summarise(k, people) for k, people in self.measures.items()),
            service_use=_service_use(self.service_use),
        )

    def outputs(self) -> dict[str, Any]:
        """The Phase 1 outputs the cases support (see :meth:`Figures.outputs`)."""
        return self.figures().outputs()

    def monitoring(self) -> dict[str, Any]:
        """The case monitoring figures (see :meth:`Figures.monitoring`)."""
        return self.figures().monitoring()

    def impact_on_person(self) -> dict[str, Any] | None:
        """Instrument summaries and employability (see :meth:`Figures.impact_on_person`)."""
        return self.figures().impact_on_person()


def _service_use(
    held: dict[tuple[PersonKey, int], tuple[dt.date, int, derive.ServiceTotals]],
) -> dict[int, tuple[int, ...]]:
    """Window length -> (people, then each total) over the people in the cohort."""
    out: dict[int, list[int]] = {}
    for (_, months), (_, _, totals) in held.items():
        row = out.setdefault(months, [0] * (1 + len(totals)))
        row[0] += 1
        for i, n in enumerate(totals, start=1):
            row[i] += n
    return {months: tuple(row) for months, row in sorted(out.items())}


def _later(pair: tuple[Any, ...], held: tuple[Any, ...]) -> bool:
    if pair[1] is None:
        return False
    return held[1] is None or pair[1] > held[1]


def _group(group: _Group) -> GroupFigure:
    return GroupFigure(
        name=group.name,
        directory_id=group.directory_id,
        intervention_types=frozenset(t.value for t in group.intervention_types),
        five_ways=frozenset(group.five_ways),
        people=len(group.people),
    )


def summarise(key: MeasureKey, people: dict[PersonKey, tuple[Any, ...]]) -> MeasureFigure:
    """One instrument's cohort from each person's (baseline, follow-up date, follow-up)."""
    pairs = [(p[0], p[2]) for p in people.values() if p[2] is not None]
    return MeasureFigure(
        key=key,
        people=len(people),
        baselines=[b for b, _ in pairs],
        follow_ups=[f for _, f in pairs],
        all_baselines=[p[0] for p in people.values()],
        too_soon=sum(1 for p in people.values() if p[2] is None and p[3]),
    )
