"""What one case record contributes to each figure of a quarterly return.

One small function per derived figure. Each takes a case record and the
reporting period (a :class:`~spcore.rag.DateRange`, inclusive at both ends)
and answers for that one record; :mod:`spcore.aggregation.tally` adds the
answers up over an extract in one pass. What each figure counts is written
once, in :data:`spcore.framework.definitions.FIGURES` (its population,
definition and source); each function's docstring names its entry, and
``docs/aggregation.md`` and the schema descriptions are generated from it.

Terms used throughout:

- *referral*: a case record; its referral date is ``referral.date``.
- *case*: a referral that was not rejected (``referral.rejection`` absent);
  family-action-2018 calls rejected referrals "referrals rejected", not cases.
- *in the period*: a date from the period's first day to its last, inclusive.
"""

from __future__ import annotations

import datetime as dt
import functools

from spcore.aggregation.figures import SYSTEM_SERVICES, MeasureKey
from spcore.framework.case_record import CaseRecord, Contact, SocialPrescription
from spcore.framework.enums import (
    AssessmentTimepoint,
    CaseClosureReason,
    Cohort,
    ContactType,
    EmployabilityOutcome,
    RagRating,
    ReferralRejectionReason,
    Service,
    ServiceUsePeriod,
    SocialCarePackageChange,
    WellbeingAspect,
)
from spcore.framework.quantities import Duration
from spcore.framework.timepoints import FOLLOW_UP_MONTHS as FOLLOW_UP_MONTHS
from spcore.framework.timepoints import follow_up_due as follow_up_due
from spcore.rag import CaseRatingHistory, DateRange, RatingChange

PersonKey = tuple[str, str]
"""Who a record is about: ``("person", person_id)``, or ``("case", case_id)`` without one."""


def _in(day: dt.date | None, period: DateRange) -> bool:
    return day is not None and period.start <= day <= period.end


def is_referred(record: CaseRecord) -> bool:
    """True for a person referred; False for a comparison person, never counted in a return."""
    return record.cohort is None or record.cohort is Cohort.REFERRED


def touches(record: CaseRecord, period: DateRange) -> bool:
    """True when the record can change any figure of the period; False means it adds 0.

    Every figure below needs one of the record's dates in the period (referral,
    assessment, support plan, closure, a contact, a social prescription, a
    rating, the end of a window of service use after referral), or the case to
    be open on the period's last day (the RAG caseload). A record with none of
    these is passed over unread, which is what keeps aggregation of a long
    extract quick and its memory small.
    """
    start, end = period.start, period.end
    referred = record.referral.date
    if start <= referred <= end:
        return True
    closure = record.closure
    if is_case(record) and referred <= end and (closure is None or closure.date >= end):
        return True
    if any(
        # A window counting nothing changes no figure.
        w.relative_to_referral is ServiceUsePeriod.AFTER and w.counts and _in(w.end_on, period)
        for w in record.service_use or ()
    ):
        return True
    return _any_dated_in(record, period)


def _any_dated_in(record: CaseRecord, period: DateRange) -> bool:
    start, end = period.start, period.end
    support = record.support_offered
    single = (
        record.needs_and_concerns.assessment_date,
        support.support_plan_date,
        record.closure.date if record.closure is not None else None,
    )
    return (
        any(d is not None and start <= d <= end for d in single)
        or any(start <= c.date <= end for c in support.contacts)
        or any(start <= p.date <= end for p in support.social_prescriptions)
        or any(start <= e.date <= end for e in record.needs_and_concerns.rag_history)
    )


def person_key(record: CaseRecord) -> PersonKey:
    """The person a record is about, for counting people rather than cases.

    Records with the same ``person_id`` are one person. A record without a
    ``person_id`` is taken to be a person of its own (spcore's definition: it
    cannot be linked, so it cannot be counted once with another).
    """
    if record.person_id is not None:
        return ("person", record.person_id)
    return ("case", record.case_id)


def is_case(record: CaseRecord) -> bool:
    """True when the referral became a case: not rejected or declined (family-action-2018)."""
    return record.referral.rejection is None


def referred_in(record: CaseRecord, period: DateRange) -> bool:
    """Whether the record counts in ``FIGURES["/outputs/people_referred"]``."""
    return _in(record.referral.date, period)


def declined_in(record: CaseRecord, period: DateRange) -> bool:
    """Whether the record counts in ``FIGURES["/outputs/people_rejecting_referral"]``."""
    rejection = record.referral.rejection
    return (
        rejection is not None
        and rejection.reason is ReferralRejectionReason.DECLINED_BY_PERSON
        and referred_in(record, period)
    )


def contacts_in(record: CaseRecord, period: DateRange) -> list[Contact]:
    """The record's contacts counted in ``FIGURES["/monitoring/contacts"]``."""
    return [c for c in record.support_offered.contacts if _in(c.date, period)]


def prescriptions_in(record: CaseRecord, period: DateRange) -> list[SocialPrescription]:
    """The record's prescriptions counted in ``FIGURES["/monitoring/social_prescriptions"]``."""
    return [p for p in record.support_offered.social_prescriptions if _in(p.date, period)]


def benefiting_in(record: CaseRecord, period: DateRange) -> bool:
    """Whether the record counts in ``FIGURES["/outputs/people_benefiting"]``."""
    if not is_case(record):
        return False
    support = record.support_offered
    return any(_in(c.date, period) for c in support.contacts) or any(
        _in(p.date, period) for p in support.social_prescriptions
    )


@functools.cache
def minutes_per(unit: str) -> float:
    """Minutes in one ``unit`` of a duration ('minute', 'hour', 'day', 'week')."""
    # pint is slow; a contact's unit is one of four, so convert each unit once.
    return Duration.of(1.0, unit).canonical


def minutes(duration: Duration) -> float:
    """A duration in minutes."""
    return duration.value * minutes_per(duration.unit)


def contact_minutes_in(record: CaseRecord, period: DateRange) -> list[float | None]:
    """Output 10, time spent: the minutes of each contact dated in the period (None if untimed).

    spcore's definition of "average amount of time spent with each person"
    (nhse-cof-2018): the total recorded duration of every contact dated in the
    period, divided by the number of people with at least one such timed
    contact. Contacts without a duration are left out of both and counted, so
    the return can say how many were not timed. The total is summed exactly
    (:class:`spcore.aggregation.figures.ExactSum`), so it does not depend on
    the order of the extract.
    """
    return [
        None if c.duration is None else minutes(c.duration) for c in contacts_in(record, period)
    ]


def assessment_in(record: CaseRecord, period: DateRange) -> bool:
    """Whether the record counts in ``FIGURES["/monitoring/assessments_completed"]``."""
    day = record.needs_and_concerns.assessment_date
    if day is None:
        dates = [
            c.date for c in record.support_offered.contacts if c.type is ContactType.ASSESSMENT
        ]
        day = min(dates, default=None)
    return _in(day, period)


def support_plan_in(record: CaseRecord, period: DateRange) -> bool:
    """Whether the record counts in ``FIGURES["/outputs/support_plans_coproduced"]``."""
    return _in(record.support_offered.support_plan_date, period)


GroupIdentity = tuple[str, str, str | None]
"""A community group as output 5 tells groups apart: (key, listed name, directory id)."""


def group_of(prescription: SocialPrescription) -> GroupIdentity | None:
    """Output 5, the community group a social prescription was for: :func:`group_identity`."""
    return group_identity(prescription.community_group, prescription.directory_id)


def group_identity(community_group: str | None, directory_id: str | None) -> GroupIdentity | None:
    """Output 5, which community group a prescription names, or ``None`` if it names none.

    Groups are told apart by their Open Referral UK directory identifier when
    they have one, else by name ignoring case and runs of spaces (spcore's
    definition); a name or identifier of nothing but spaces is no name. A
    group is listed under its name with runs of spaces made one (else its
    directory identifier), as first written in the extract.
    """
    directory = (directory_id or "").strip()
    name = " ".join((community_group or "").split())
    if directory:
        return "id:" + directory, name or directory, directory
    if name:
        return "name:" + name.casefold(), name, None
    return None


def rejection_reason_in(record: CaseRecord, period: DateRange) -> ReferralRejectionReason | None:
    """The reason the record counts under.

    See ``FIGURES["/monitoring/referrals_rejected_by_reason"]``.
    """
    rejection = record.referral.rejection
    if rejection is None or not referred_in(record, period):
        return None
    return rejection.reason


def closure_reason_in(record: CaseRecord, period: DateRange) -> CaseClosureReason | None:
    """The reason the record counts under in ``FIGURES["/monitoring/cases_closed_by_reason"]``."""
    closure = record.closure
    if closure is None or not _in(closure.date, period):
        return None
    return closure.reason


def rating_history(record: CaseRecord) -> CaseRatingHistory:
    """The case's RAG history in the form :mod:`spcore.rag` works with."""
    changes = [
        RatingChange(
            entry.date,
            entry.rating.value,
            tuple(c.value for c in entry.concerns or ()),
        )
        for entry in record.needs_and_concerns.rag_history
    ]
    closed_on = record.closure.date if record.closure is not None else None
    return CaseRatingHistory(record.case_id, record.referral.date, tuple(changes), closed_on)


def rating_at_end(record: CaseRecord, period: DateRange) -> RagRating | None:
    """Monitoring, RAG caseload at quarter end: the case's rating on the period's last day.

    ``None`` when the referral was rejected or the case is not open that day
    (open from referral to closure, both inclusive; green until first rated:
    family-action-2018 and :mod:`spcore.rag.history`).
    """
    closure = record.closure
    if (
        not is_case(record)
        or record.referral.date > period.end
        or (closure is not None and closure.date < period.end)
    ):
        return None
    if not record.needs_and_concerns.rag_history:
        return RagRating.GREEN  # green until first rated (family-action-2018)
    rating = rating_history(record).rating_on(period.end)
    return None if rating is None else RagRating(rating.value)


def escalated_in(record: CaseRecord, period: DateRange) -> bool:
    """Whether the record counts in ``FIGURES["/monitoring/cases_escalated"]``.

    Escalation is as :mod:`spcore.rag` defines it.
    """
    return is_case(record) and rating_history(record).escalated_between(period.start, period.end)


def employability_in(record: CaseRecord, period: DateRange) -> frozenset[EmployabilityOutcome]:
    """The outcomes the record counts under in ``FIGURES["/impact_on_person/employability"]``."""
    if closure_reason_in(record, period) is None:
        return frozenset()
    return frozenset(record.outcomes.employability or ())


def wellbeing_aspects_in(record: CaseRecord, period: DateRange) -> frozenset[WellbeingAspect]:
    """The aspects the record counts under in ``FIGURES["/impact_on_person/wellbeing_aspects"]``."""
    if closure_reason_in(record, period) is None:
        return frozenset()
    return frozenset(record.outcomes.wellbeing_aspects or ())


def social_care_in(
    record: CaseRecord, period: DateRange
) -> tuple[int, SocialCarePackageChange] | None:
    """(window, change) of the record, for the figures of social care packages.

    See ``FIGURES["/impact_on_system/social_care_packages/*/cases_reviewed"]``
    and ``.../by_change``.
    """
    care = record.outcomes.social_care_package
    if not is_case(record) or care is None or not _in(care.reviewed_on, period):
        return None
    return care.window_months, care.change


ServiceTotals = tuple[int, ...]
"""A case's counts of :data:`SYSTEM_SERVICES` before referral, then after it."""


def service_use_in(record: CaseRecord, period: DateRange) -> dict[int, ServiceTotals]:
    """The impact on the health and care system: window length -> a case's counts.

    spcore's definition: a case (not a rejected referral, not a comparison person)
    is in the period's cohort for a window length when each of the services of
    :data:`SYSTEM_SERVICES` is counted in a window of that length before referral
    and in one after it, and the latest of those windows after referral ends in
    the period (the comparison is complete then). The counts are the before
    counts, then the after counts, in :data:`SYSTEM_SERVICES` order.
    """
    if not is_case(record) or not is_referred(record) or not record.service_use:
        return {}
    wanted = {service for service, _ in SYSTEM_SERVICES}
    found: dict[tuple[ServiceUsePeriod, int, Service], tuple[int, dt.date]] = {}
    for window in record.service_use:
        for service, n in window.counts.items():
            if service in wanted:
                # One window per side, length and service (SPC-C035).
                found[(window.relative_to_referral, window.months, service)] = (n, window.end_on)
    cohort: dict[int, ServiceTotals] = {}
    sides = (ServiceUsePeriod.BEFORE, ServiceUsePeriod.AFTER)
    for months in sorted({m for _, m, _ in found}):
        keys = [(side, months, service) for side in sides for service, _ in SYSTEM_SERVICES]
        if not all(k in found for k in keys):
            continue
        ended = max(found[k][1] for k in keys if k[0] is ServiceUsePeriod.AFTER)
        if _in(ended, period):
            cohort[months] = tuple(found[k][0] for k in keys)
    return cohort


MeasurePair = tuple[float, dt.date | None, float | None, bool]
"""A score's (baseline, follow-up date, follow-up, follow-up too soon) for one record."""


def measure_pairs(record: CaseRecord, period: DateRange) -> dict[MeasureKey, MeasurePair]:
    """Outcome instruments: for each instrument score, (baseline, follow-up date, follow-up, soon).

    spcore's definition: the baseline is the earliest measure at timepoint
    ``baseline`` dated on or before the period's last day; the follow-up is
    the latest measure at timepoint ``follow-up`` dated in the period and at
    least three months after that baseline (:func:`follow_up_due`; ``None``
    when there is none). A follow-up in the period on or after the baseline
    but sooner than that is not paired; the last element says the record had
    one and no follow-up was paired, so the return can warn. Scores without a
    baseline are left out. Only the cases through which a person benefited in
    the period are summarised (see :func:`benefiting_in`); a measure on another
    of the person's cases does not count.
    """
    baselines: dict[MeasureKey, tuple[dt.date, float]] = {}
    follow_ups: dict[MeasureKey, list[tuple[dt.date, float]]] = {}
    for m in record.outcomes.measures:
        key = (m.instrument.value, m.score_name, m.value_set)
        if m.timepoint is AssessmentTimepoint.BASELINE and m.date <= period.end:
            held = baselines.get(key)
            if held is None or m.date < held[0]:
                baselines[key] = (m.date, m.score)
        elif m.timepoint is AssessmentTimepoint.FOLLOW_UP and _in(m.date, period):
            follow_ups.setdefault(key, []).append((m.date, m.score))
    pairs: dict[MeasureKey, MeasurePair] = {}
    for key, (start, baseline) in baselines.items():
        due = follow_up_due(start)
        after = [f for f in follow_ups.get(key, ()) if f[0] >= start]
        later = [] if due is None else [f for f in after if f[0] >= due]
        if later:
            # The latest; the first given among those of one date.
            day = max(f[0] for f in later)
            score = next(f[1] for f in later if f[0] == day)
            pairs[key] = (baseline, day, score, False)
        else:
            pairs[key] = (baseline, None, None, bool(after))
    return pairs
