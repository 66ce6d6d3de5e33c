"""The figures of a quarterly return once added up, and how the return writes them.

Two paths add case records up: record by record
(:class:`spcore.aggregation.tally.Tally`, the reference, which streams) and
column by column (:mod:`spcore.aggregation.columnar`, NumPy, for large
extracts). Both end in one :class:`Figures`, so the sections of the return
are written in exactly one place and the two paths cannot drift in how they
present what they counted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from spcore.framework.enums import RagRating, Service, SocialCarePackageChange
from spcore.instruments.definitions import Score
from spcore.instruments.registry import INSTRUMENTS

#: Most community groups listed by name in a return (the schema's limit).
MAX_GROUPS_LISTED = 10_000

#: Decimal places of published means (scores) and of the average time (minutes).
MEAN_DECIMALS = 2
MINUTE_DECIMALS = 1

MeasureKey = tuple[str, str, str | None]
"""One summary of the return: (instrument, score name, value set)."""


def counts(breakdown: Mapping[str, int]) -> dict[str, int]:
    """A breakdown as the return writes it: codes with at least one, in code order."""
    return {code: n for code, n in sorted(breakdown.items()) if n}


@attrs.frozen
class GroupFigure:
    """One community group referred to in the period (output 5).

    ``name`` and ``directory_id`` are those of the group's first social
    prescription in the period, in the order of the extract.
    """

    name: str
    directory_id: str | None
    intervention_types: frozenset[str]
    five_ways: frozenset[str]
    people: int

    def to_json(self) -> dict[str, Any]:
        """The group as the return lists it."""
        out: dict[str, Any] = {"name": self.name[:200]}
        if self.directory_id:
            out["directory_id"] = self.directory_id
        out["intervention_types"] = sorted(self.intervention_types)
        if self.five_ways:
            out["five_ways"] = sorted(self.five_ways)
        out["referrals"] = self.people
        return out


ImprovementRule = tuple[float | None, bool]
"""How "improved" is judged: (published change threshold or None, higher is better)."""


def improvement_rule(instrument: str, score: str) -> ImprovementRule | None:
    """The threshold and direction that decide who improved; ``None`` for an unknown score.

    The threshold is the instrument's published meaningful change
    (:mod:`spcore.instruments.change`); ``None`` in the pair when none is
    published, and then any change in the better direction counts.
    """
    try:
        whole = INSTRUMENTS[instrument].definition
        # The return calls an instrument's headline score 'score' (InstrumentSummary.score).
        definition = whole.score(whole.headline if score == "score" else score)
    except KeyError:
        return None
    threshold = definition.change.value if definition.change is not None else None
    return threshold, definition.higher_is_better


def categorical_score(instrument: str, score: str) -> Score | None:
    """The registry's definition of a categorical score (``None`` for any other score).

    A categorical score (an answer category or level, see
    :attr:`spcore.instruments.definitions.Score.categorical`) is summarised
    by counts per category and moves between categories, never by means.
    """
    try:
        whole = INSTRUMENTS[instrument].definition
        definition = whole.score(whole.headline if score == "score" else score)
    except KeyError:
        return None
    return definition if definition.categorical else None


def improved_mask(
    rule: ImprovementRule, baseline: np.ndarray[Any, Any], follow_up: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """Who improved, person by person, under ``rule`` (see :func:`improvement_rule`).

    A change (follow-up minus baseline) at least the threshold in the better
    direction, as ``classify_change`` in :mod:`spcore.instruments.change`
    classes it; without a threshold, any change in the better direction
    (spcore's definition).
    """
    threshold, higher_is_better = rule
    change = follow_up - baseline
    better = change if higher_is_better else -change
    verdict: np.ndarray[Any, Any] = better > 0 if threshold is None else better >= threshold
    return verdict


@attrs.frozen
class MeasureFigure:
    """One instrument score's cohort in the period.

    ``people`` is everyone with a baseline (one pair per person), and
    ``all_baselines`` their baselines; ``baselines`` and ``follow_ups`` hold,
    person by person, the pairs that have a follow-up in the period;
    ``too_soon`` counts the people without one whose only follow-ups in the
    period came sooner than three months after the baseline (not paired:
    :func:`spcore.aggregation.derive.measure_pairs`).
    """

    key: MeasureKey
    people: int
    baselines: Sequence[float]
    follow_ups: Sequence[float]
    all_baselines: Sequence[float] = ()
    too_soon: int = 0

    def to_json(self) -> dict[str, Any]:
        """The instrument summary of the return.

        ``people_with_baseline`` counts everyone summarised; ``people_with_follow_up``
        those with a follow-up in the period; the means are over the latter, to
        :data:`MEAN_DECIMALS` places (exactly summed, so the order of the records
        cannot change them); ``people_improved`` as :func:`improved_mask`, left out
        for a score spcore does not know when anyone has a follow-up.
        """
        instrument, score, value_set = self.key
        out: dict[str, Any] = {"instrument": instrument, "score": score}
        if value_set is not None:
            out["value_set"] = value_set
        n = len(self.follow_ups)
        out["people_with_baseline"] = self.people
        out["people_with_follow_up"] = n
        categorical = categorical_score(instrument, score)
        if categorical is not None:
            out.update(self._categories(categorical))
            return out
        if n:
            out["mean_baseline"] = round(math.fsum(self.baselines) / n, MEAN_DECIMALS)
            out["mean_follow_up"] = round(math.fsum(self.follow_ups) / n, MEAN_DECIMALS)
        rule = improvement_rule(instrument, score)
        if rule is not None:
            base = np.asarray(self.baselines, dtype=np.float64)
            follow = np.asarray(self.follow_ups, dtype=np.float64)
            out["people_improved"] = int(np.count_nonzero(improved_mask(rule, base, follow)))
        elif not n:
            # Nobody to judge: none improved, even on a score spcore does not know.
            out["people_improved"] = 0
        return out

    def _categories(self, score: Score) -> dict[str, Any]:
        """A categorical score's summary: people per category, and who moved which way.

        Every category is listed, in code order, zeros included, so the counts
        visibly add up to the people with a baseline and with a follow-up.
        """
        categories = score.categories()

        def per_category(values: Sequence[float]) -> dict[str, int]:
            found = np.asarray(values, dtype=np.float64)
            return {code: int(np.count_nonzero(found == n)) for code, n, _ in categories}

        base = np.asarray(self.baselines, dtype=np.float64)
        follow = np.asarray(self.follow_ups, dtype=np.float64)
        better = (follow - base) if score.higher_is_better else (base - follow)
        return {
            "baseline_by_category": per_category(self.all_baselines),
            "follow_up_by_category": per_category(self.follow_ups),
            "people_moved_better": int(np.count_nonzero(better > 0)),
            "people_moved_worse": int(np.count_nonzero(better < 0)),
        }


def measure_order(key: MeasureKey) -> tuple[str, str, str]:
    """The order summaries appear in: instrument, score, value set."""
    return key[0], key[1], key[2] or ""


#: The services the return compares before and after referral, in its order, with the
#: return's field for each (nhse-cof-2018, impact on the health and care system).
SYSTEM_SERVICES: tuple[tuple[Service, str], ...] = (
    (Service.GP_CONSULTATIONS, "gp_consultations"),
    (Service.AE_ATTENDANCES, "ae_attendances"),
    (Service.HOSPITAL_BED_DAYS, "hospital_bed_days"),
)


@attrs.frozen
class Figures:
    """Everything a quarterly return takes from case records, added up for one period.

    Breakdowns map codes to counts (zeros may be present; the return leaves
    them out). ``minutes`` is the exact sum of every timed contact's minutes.
    ``groups`` lists the community groups in key order when there are at
    most :data:`MAX_GROUPS_LISTED`, and is empty otherwise (only
    ``group_count`` is published then).
    """

    records: int
    people_referred: int
    people_benefiting: int
    people_rejecting: int
    referred_by_age_band: Mapping[str, int]
    referred_by_criterion: Mapping[str, int]
    referred_by_referrer_type: Mapping[str, int]
    group_count: int
    groups: tuple[GroupFigure, ...]
    plans: int
    assessments: int
    prescriptions: int
    contacts: int
    timed_people: int
    untimed_contacts: int
    minutes: float
    rejected_by_reason: Mapping[str, int]
    closed_by_reason: Mapping[str, int]
    caseload: Mapping[str, int]
    escalated: int
    employability: Mapping[str, int]
    measures: tuple[MeasureFigure, ...]
    wellbeing_aspects: Mapping[str, int] = attrs.field(factory=dict)
    #: (window in months, change code) -> cases whose package was reviewed in the period.
    social_care: Mapping[tuple[int, str], int] = attrs.field(factory=dict)
    #: Window in months -> (people, then the totals of each service of
    #: :data:`~spcore.aggregation.derive.SYSTEM_SERVICES` before referral, then after it),
    #: for the people in the period's cohort (:func:`~spcore.aggregation.derive.service_use_in`).
    service_use: Mapping[int, tuple[int, ...]] = attrs.field(factory=dict)

    def outputs(self) -> dict[str, Any]:
        """The Phase 1 outputs the cases support (nhse-cof-2018, outputs 1-6 and 10)."""
        out: dict[str, Any] = {
            "people_referred": self.people_referred,
            "people_benefiting": self.people_benefiting,
            "people_rejecting_referral": self.people_rejecting,
            "referred_by_age_band": counts(self.referred_by_age_band),
            "referred_by_criterion": counts(self.referred_by_criterion),
            "referred_by_referrer_type": counts(self.referred_by_referrer_type),
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
        complete return), unless the scheme facts give it.
        """
        if not self.timed_people:
            return 0.0 if self.contacts == 0 else None
        return round(self.minutes / self.timed_people, MINUTE_DECIMALS)

    def _community_groups(self) -> dict[str, Any]:
        section: dict[str, Any] = {"count": self.group_count}
        if self.groups:
            section["groups"] = [g.to_json() for g in self.groups]
        return section

    def monitoring(self) -> dict[str, Any]:
        """Case monitoring figures (family-action-2018, "Monitoring and impact measurement")."""
        return {
            "assessments_completed": self.assessments,
            "social_prescriptions": self.prescriptions,
            "contacts": self.contacts,
            "referrals_rejected_by_reason": counts(self.rejected_by_reason),
            "cases_closed_by_reason": counts(self.closed_by_reason),
            "rag_caseload_at_end": {r.value: self.caseload.get(r.value, 0) for r in RagRating},
            "cases_escalated": self.escalated,
        }

    def impact_on_person(self) -> dict[str, Any] | None:
        """Instrument summaries and employability outcomes, or ``None`` when there are none."""
        summaries = [m.to_json() for m in sorted(self.measures, key=lambda m: measure_order(m.key))]
        employability = counts(self.employability)
        aspects = counts(self.wellbeing_aspects)
        if not summaries and not employability and not aspects:
            return None
        section: dict[str, Any] = {"instruments": summaries}
        if employability:
            section["employability"] = employability
        if aspects:
            section["wellbeing_aspects"] = aspects
        return section

    def service_use_cohort(self, period: str) -> dict[str, Any] | None:
        """Service use before and after referral for the period's cohort; ``None`` when empty.

        Of the window lengths with people in the cohort, the one with the most people
        (the longer on a tie) is reported (spcore's definition); ``period`` names the
        period in the cohort's description.
        """
        if not self.service_use:
            return None
        months = max(self.service_use, key=lambda m: (self.service_use[m][0], m))
        people, *totals = self.service_use[months]
        services = [name for _, name in SYSTEM_SERVICES]
        before, after = totals[: len(services)], totals[len(services) :]
        section: dict[str, Any] = {
            "cohort_size": people,
            "cohort_description": (
                f"cases whose {months} months after referral ended in {period}, with GP "
                "consultations, A&E attendances and hospital bed days counted before and after"
            ),
            "window_before_months": months,
            "window_after_months": months,
        }
        for name, b, a in zip(services, before, after, strict=True):
            section[name] = {"before": b, "after": a}
        return section

    def impact_on_system(self) -> dict[str, Any] | None:
        """Impact on social care packages, one summary per window; ``None`` when none.

        A package is held at referral unless the change is ``no-package`` or
        ``started``, and at the end of the window unless it is ``no-package``
        or ``ended`` (the codes' definitions).
        """
        windows = sorted({window for window, _ in self.social_care})
        if not windows:
            return None
        summaries = []
        for window in windows:
            by_change = {
                change: n for (w, change), n in sorted(self.social_care.items()) if w == window
            }
            reviewed = sum(by_change.values())
            summaries.append(
                {
                    "window_months": window,
                    "cases_reviewed": reviewed,
                    "with_package_before": reviewed
                    - sum(by_change.get(c, 0) for c in _NO_PACKAGE_BEFORE),
                    "with_package_after": reviewed
                    - sum(by_change.get(c, 0) for c in _NO_PACKAGE_AFTER),
                    "by_change": counts(by_change),
                }
            )
        return {"social_care_packages": summaries}


_NO_PACKAGE_BEFORE = (
    SocialCarePackageChange.NO_PACKAGE.value,
    SocialCarePackageChange.STARTED.value,
)
_NO_PACKAGE_AFTER = (SocialCarePackageChange.NO_PACKAGE.value, SocialCarePackageChange.ENDED.value)


class ExactSum:
    """A running sum of floats, exact until read (Shewchuk's algorithm, as ``math.fsum``).

    Adding minutes one contact at a time with ``+`` would make the average
    depend on the order of the extract in its last bits; this gives the same
    total as ``math.fsum`` over every value, whatever the order.
    """

    __slots__ = ("_partials",)

    def __init__(self) -> None:
        self._partials: list[float] = []

    def add(self, x: float) -> None:
        """Add one value."""
        partials = self._partials
        i = 0
        for y in partials:
            if abs(x) < abs(y):
                x, y = y, x
            high = x + y
            low = y - (high - x)
            if low:
                partials[i] = low
                i += 1
            x = high
        partials[i:] = [x]

    @property
    def total(self) -> float:
        """The correctly rounded sum of every value added."""
        return math.fsum(self._partials)
