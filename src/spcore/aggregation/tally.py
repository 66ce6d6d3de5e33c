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
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import attrs

from spcore.aggregation import derive
from spcore.aggregation.derive import MeasureKey, PersonKey
from spcore.framework.case_record import CaseRecord
from spcore.framework.enums import (
    AgeBand,
    EmployabilityOutcome,
    InterventionType,
    RagRating,
    ReferralCriterion,
    ReferrerType,
)
from spcore.instruments.change import ChangeClass, classify_change
from spcore.instruments.registry import INSTRUMENTS
from spcore.rag import DateRange

#: Most community groups listed by name in a return (the schema's limit).
MAX_GROUPS_LISTED = 10_000

#: Decimal places of published means (scores) and of the average time (minutes).
MEAN_DECIMALS = 2
MINUTE_DECIMALS = 1


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


def _counts(counter: Counter[Any]) -> dict[str, int]:
    """A breakdown as the return writes it: codes with at least one, in code order."""
    return {getattr(k, "value", k): v for k, v in sorted(counter.items(), key=_code) if v}


def _code(item: tuple[Any, int]) -> str:
    return str(getattr(item[0], "value", item[0]))


@attrs.define
class Tally:
    """Running totals for one reporting period; feed records with :meth:`add`."""

    period: DateRange
    records: int = 0
    referred: dict[PersonKey, _Referred] = attrs.field(factory=dict)
    benefiting: set[PersonKey] = attrs.field(factory=set)
    timed_people: set[PersonKey] = attrs.field(factory=set)
    minutes: float = 0.0
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
        total, timed, untimed = derive.timed_minutes_in(record, period)
        self.untimed_contacts += untimed
        if timed:
            self.minutes += total
            self.timed_contacts += timed
            self.timed_people.add(who)
        for prescription in prescriptions:
            key = derive.group_key(prescription)
            if key is None:
                continue
            group = self.groups.get(key)
            if group is None:
                name = " ".join(
                    (prescription.community_group or prescription.directory_id or key).split()
                )
                group = self.groups[key] = _Group(name, prescription.directory_id)
            group.intervention_types.add(prescription.intervention_type)
            group.five_ways.update(w.value for w in prescription.five_ways or ())
            group.people.add(who)
        for measure, pair in derive.measure_pairs(record, period).items():
            people = self.measures.setdefault(measure, {})
            held = people.get(who)
            # A person with two cases is summarised once, by the pair with the latest follow-up.
            if held is None or _later(pair, held):
                people[who] = pair

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

    def outputs(self) -> dict[str, Any]:
        """The Phase 1 outputs the cases support (seed 000, outputs 1-6 and 10)."""
        people = self.referred.values()
        out: dict[str, Any] = {
            "people_referred": len(self.referred),
            "people_benefiting": len(self.benefiting),
            "people_rejecting_referral": sum(1 for p in people if p.declined),
            "referred_by_age_band": _counts(Counter(p.age_band for p in people)),
            "referred_by_criterion": _counts(Counter(c for p in people for c in p.criteria)),
            "referred_by_referrer_type": _counts(Counter(p.referrer for p in people)),
            "community_groups": self._community_groups(),
            "support_plans_coproduced": self.plans,
        }
        average = self.average_minutes()
        if average is not None:
            out["average_time_per_person"] = {"value": average, "unit": "minute"}
        return out

    def average_minutes(self) -> float | None:
        """Output 10 in minutes; ``None`` when there were contacts but none has a duration.

        With no contact at all in the period nobody was seen, and the average
        is 0 minutes (spcore's convention, so a quiet quarter still has a
        complete return).
        """
        if not self.timed_people:
            return 0.0 if self.contacts == 0 else None
        return round(self.minutes / len(self.timed_people), MINUTE_DECIMALS)

    def _community_groups(self) -> dict[str, Any]:
        section: dict[str, Any] = {"count": len(self.groups)}
        if 0 < len(self.groups) <= MAX_GROUPS_LISTED:
            section["groups"] = [_group(g) for _, g in sorted(self.groups.items())]
        return section

    def monitoring(self) -> dict[str, Any]:
        """The case monitoring figures of seed 002 ("Monitoring and impact measurement")."""
        return {
            "assessments_completed": self.assessments,
            "social_prescriptions": self.prescriptions,
            "contacts": self.contacts,
            "referrals_rejected_by_reason": _counts(self.rejected_by_reason),
            "cases_closed_by_reason": _counts(self.closed_by_reason),
            "rag_caseload_at_end": {r.value: self.caseload[r] for r in RagRating},
            "cases_escalated": self.escalated,
        }

    def impact_on_person(self) -> dict[str, Any] | None:
        """Instrument summaries and employability outcomes, or ``None`` when there are none."""
        summaries = [
            summarise(key, self.measures[key])
            for key in sorted(self.measures, key=lambda k: (k[0], k[1], k[2] or ""))
        ]
        employability = {
            o.value: len(people)
            for o, people in sorted(self.employability.items(), key=lambda i: i[0].value)
        }
        if not summaries and not employability:
            return None
        section: dict[str, Any] = {"instruments": summaries}
        if employability:
            section["employability"] = employability
        return section


def _later(pair: tuple[Any, ...], held: tuple[Any, ...]) -> bool:
    if pair[1] is None:
        return False
    return held[1] is None or pair[1] > held[1]


def _group(group: _Group) -> dict[str, Any]:
    out: dict[str, Any] = {"name": group.name[:200]}
    if group.directory_id:
        out["directory_id"] = group.directory_id
    out["intervention_types"] = sorted(t.value for t in group.intervention_types)
    if group.five_ways:
        out["five_ways"] = sorted(group.five_ways)
    out["referrals"] = len(group.people)
    return out


def improved(instrument: str, score: str, baseline: float, follow_up: float) -> bool | None:
    """Whether a person improved on an instrument score; ``None`` when spcore cannot tell.

    Improved means a change in the instrument's better direction of at least
    its published meaningful-change threshold (``classify_change`` in
    :mod:`spcore.instruments.change`); for a score without a published
    threshold, any change in the better direction (spcore's definition).
    ``None`` when the registry does not know the score, so its direction is
    unknown.
    """
    try:
        whole = INSTRUMENTS[instrument].definition
        # The return calls an instrument's headline score 'score' (InstrumentSummary.score).
        definition = whole.score(whole.headline if score == "score" else score)
    except KeyError:
        return None
    change = follow_up - baseline
    if definition.change is not None:
        return classify_change(change, definition.change.value, definition.higher_is_better) is (
            ChangeClass.IMPROVED
        )
    better = change if definition.higher_is_better else -change
    return better > 0


def summarise(key: MeasureKey, people: dict[PersonKey, tuple[Any, ...]]) -> dict[str, Any]:
    """One instrument summary of the return from each person's (baseline, date, follow-up).

    ``people_with_baseline`` counts everyone summarised; ``people_with_follow_up``
    those with a follow-up in the period; the means are over the latter, to
    :data:`MEAN_DECIMALS` places; ``people_improved`` as :func:`improved`.
    """
    instrument, score, value_set = key
    pairs = [(p[0], p[2]) for p in people.values() if p[2] is not None]
    out: dict[str, Any] = {"instrument": instrument, "score": score}
    if value_set is not None:
        out["value_set"] = value_set
    out["people_with_baseline"] = len(people)
    out["people_with_follow_up"] = len(pairs)
    if pairs:
        out["mean_baseline"] = round(math.fsum(b for b, _ in pairs) / len(pairs), MEAN_DECIMALS)
        out["mean_follow_up"] = round(math.fsum(f for _, f in pairs) / len(pairs), MEAN_DECIMALS)
    verdicts = [improved(instrument, score, b, f) for b, f in pairs]
    if None not in verdicts:
        out["people_improved"] = sum(1 for v in verdicts if v)
    return out
