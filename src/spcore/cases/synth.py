"""Synthetic case-record extracts: realistic, deterministic, with a controlled share of bad records.

Nobody's data: every value is drawn from a seeded random generator, so the
same ``seed`` always gives byte-identical output. Use it to test pipelines and
to benchmark at national scale without touching personal data.

What a synthetic case looks like (service figures from family-action-2018, "Monitoring
and impact measurement" and "Referral criteria and patient journey"). The
mixes of referrers, criteria, ages, contact types, closure reasons and
instruments, and the shares of rejected referrals (10%), repeat people (5%),
amber and red ratings (12%, 3%) and improved scores (70%), are illustrative
choices, not published figures:

* a referral on a day of the chosen NHS financial year (1 April to 31 March),
  with one to three referral criteria; about one referral in ten is rejected
  or declined (with the exclusion named when the reason is one of the five
  "beyond red" exclusions);
* a holistic assessment within four working days of referral (family-action-2018),
  followed by up to eight sessions with the link worker (family-action-2018) spread
  over roughly seven weeks (family-action-2018: "average support just over 7 weeks");
* a RAG history that starts green at referral (family-action-2018: every case is green
  before assessment) and is mostly green; amber and red ratings name the
  safeguarding concerns, and red ones have social services involved;
* social prescriptions to named (fictional) community groups;
* an outcome measure at baseline and, for closed cases, at follow-up on the
  closure date, at least three calendar months after the baseline (the
  ``assessment-timepoint`` codelist; family-action-2018), scored by
  :mod:`spcore.instruments` from random answers so every score is one the
  instrument can produce;
* the holistic assessment's coded items (occupation, sources of income, key
  professionals by role, substance misuse, health conditions), each sometimes
  left unrecorded; an amber or red rating carries its risk assessment
  (completed within days, approved by the Service Manager, reviewed), and a
  rare red one an exclusion "beyond red";
* for closed cases, the wellbeing aspects the person reports improved
  (nhse-cof-2018), and for some people referred for social care support a
  review of their social care package six months after referral;
* ``person_id`` a 64-hex-character keyed pseudonym (the length of an
  HMAC-SHA-256); about one case in twenty is a second referral of a person
  seen earlier in the extract;
* service use before and after the index date (:class:`ServiceUseModel`, below),
  and, with ``comparison_share`` above zero, that share of records made
  comparison people (``cohort``) instead of cases.

**Outcome scores, and the true effect on them.** A person's baseline and
follow-up are two independent draws ``X``, ``Y`` from the instrument's pool of
scores (:func:`_score_pool`: 200 scores of random answers); with probability
``improved_share`` (default 0.7) the better of the two is the follow-up, else
the baseline. So among people paired, the follow-up is better with probability
``improved_share`` (when ``X != Y``), and the expected change (follow-up minus
baseline) is ``(2 * improved_share - 1) * E|X - Y|``, signed by whether a higher
score is better: :func:`expected_outcome_change` computes it exactly from the
pool. Every closed case's follow-up is at least three months after its baseline,
so it is paired.

**Service use, and the true effect on it** (:class:`ServiceUseModel`). For a
record with service use (a share ``share``, default 0.9, of accepted cases and
of comparison people; rejected referrals have none), the person has a need
``u`` drawn from a gamma distribution with mean 1 and shape
:data:`FRAILTY_SHAPE` (2), and each service is counted in blocks of six
calendar months around the index date (the referral date):

* a count service ``s`` in a block is Poisson with mean
  ``rate[s] * u * m``, ``rate`` per six months from :data:`SERVICE_RATES`,
  ``m = 1`` before the index date and ``m = (1 + trend) * (1 + effect[s])``
  after it for a person referred (``(1 + trend)`` for a comparison person);
* except hospital bed days, which follow admissions: each non-elective
  admission in the block has Poisson(``BED_DAYS_PER_ADMISSION * m_bed / m_adm``)
  nights (6 before referral), so expected bed days are again ``rate * u * m``
  with ``rate`` = 0.2 admissions times 6 nights (with an effect of -1 on
  admissions there are none);
* weeks with a social care package (only for people whose referral criteria
  include ``social-care-support``) in a block are Binomial(26, ``q``), with
  ``q = SOCIAL_CARE_WEEK_SHARE`` (0.75) before and ``q * m`` (kept within 0
  and 1) after;
* a window of ``months`` (a multiple of six; default 12 as in dayson-2016)
  sums the blocks it covers next to the index date: before, the window ends the
  day before the index date; after, it starts on it. There is one window per
  side, length and source (``gp-record`` for GP consultations,
  ``hospital-data`` for A&E, admissions, bed days and outpatients,
  ``social-care-record`` for package weeks).

So the expected count per person in a window of ``months`` is
``rate[s] * months / 6`` before and that times ``m`` after
(:meth:`ServiceUseModel.expected`), the true relative change after referral is
``(1 + trend) * (1 + effect[s]) - 1`` for people referred and ``trend`` for
comparison people, and a difference-in-differences ratio estimates
``effect[s]``. The draws come from a random stream of their own (seeded from
``seed``), so the rest of each record is the same with or without service use.
Counts after referral are as linked data will hold them once the window has
ended (a real extract holds an after window only once it has ended). The rates
and shares are assumptions, not published figures; the default effects are the
published changes where hlp-2017 §1.2 reports one (:data:`DEFAULT_SERVICE_USE_EFFECT`).

With ``invalid_share`` above zero that share of records is made invalid, each
in one of :data:`INVALID_KINDS` (chosen in turn at random).
"""

from __future__ import annotations

import bisect
import calendar
import csv
import datetime as dt
import functools
import itertools
import json
import math
import random
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Literal, TextIO, TypeVar

import attrs

from spcore.cases import csv_layout
from spcore.cases.service_use import window_end, window_start
from spcore.framework import enums
from spcore.framework.timepoints import follow_up_due
from spcore.instruments import get_definition, score
from spcore.instruments.definitions import ItemKind

SynthFormat = Literal["ndjson", "csv"]
_T = TypeVar("_T")

#: Kinds of invalid record, and what each breaks.
INVALID_KINDS: dict[str, str] = {
    "bad-code": "a referrer type that is not in its codelist",
    "impossible-date": "a referral date that does not exist (30 February)",
    "negative-number": "a contact lasting a negative number of minutes",
    "too-long-text": "a community group name longer than 200 characters",
    "too-many-entries": "51 referral criteria where at most 50 are allowed",
    "missing-field": "no age band",
    "wrong-type": "'yes' where true or false is expected",
    "unknown-field": "a misspelt field name ('referal')",
    "corrupt-json": "a line cut off part-way (a list cell in CSV)",
    "duplicate-field": "a field named twice in one object (NDJSON only)",
}

#: Kinds that can only exist in a written file, not in a parsed record.
_TEXT_KINDS = ("corrupt-json", "duplicate-field")
#: Kinds a CSV row cannot carry (CSV has no duplicate or unknown column per row).
_NOT_CSV = ("duplicate-field", "unknown-field")

#: Fictional schemes a synthetic extract can hold cases of; a scheme's own
#: extract holds the first only (:data:`DEFAULT_SCHEMES`), a commissioner's
#: extract across schemes several.
SCHEMES = ("NORTHSHIRE-CONNECT", "EASTVALE-LINK", "RIVERSIDE-SP", "MOORLAND-WELLBEING")
#: One scheme: the bundled example scheme, whose facts are in examples/cases.
DEFAULT_SCHEMES: tuple[str, ...] = (SCHEMES[0],)

COMMUNITY_GROUPS = (
    "Northshire Telephone Friends",
    "Riverside Walking Group",
    "Eastvale Men's Shed",
    "Moorland Community Garden",
    "Citizens Advice Northshire",
    "Eastvale Library Reading Circle",
    "Tuesday Lunch Club",
    "Riverside Arts Collective",
    "Green Gym Eastvale",
    "Northshire Carers Centre",
)

#: Illustrative mixes: (code, weight).
_REFERRERS = (
    ("gp-practice", 40),
    ("primary-care-social-prescribing-service", 8),
    ("secondary-care-discharge-team", 8),
    ("secondary-care-ward", 5),
    ("secondary-care-emergency-department", 3),
    ("statutory-mental-health-services", 6),
    ("social-care", 6),
    ("community-and-voluntary-sector", 8),
    ("self-referral", 10),
    ("family-or-carer", 4),
    ("other", 2),
)
_AGE_BANDS = (
    ("18-24", 5),
    ("25-34", 8),
    ("35-44", 10),
    ("45-54", 14),
    ("55-64", 17),
    ("65-74", 18),
    ("75-84", 17),
    ("85-plus", 9),
    ("unknown", 2),
)
_INSTRUMENTS = (
    ("swemwbs", 45),
    ("wellbeing-star", 12),
    ("ons4", 10),
    ("eq5d5l", 8),
    ("ucla3", 7),
    ("pam", 5),
    ("wemwbs", 4),
    ("rotherham8", 4),
    ("mycaw", 3),
    ("phq9", 2),
)
_CONTACT_TYPES = (
    ("face-to-face-session", 40),
    ("telephone", 30),
    ("home-visit", 12),
    ("video", 8),
    ("group-session", 8),
    ("other", 2),
)
_CLOSURE = (("support-completed", 70), ("referred-on", 10), ("disengaged", 15), ("moved-away", 2))
_RAG_AT_ASSESSMENT = (("green", 85), ("amber", 12), ("red", 3))
_CARE_CHANGES = (
    ("no-package", 40),
    ("unchanged", 30),
    ("reduced", 12),
    ("ended", 8),
    ("increased", 6),
    ("started", 4),
)

#: family-action-2018: assessment within 4 working days of referral; up to 8 sessions.
ASSESSMENT_WITHIN_WORKING_DAYS = 4
MAX_SESSIONS = 8
#: family-action-2018: at least three months between initial assessment and closure.
MIN_DAYS_ASSESSMENT_TO_CLOSURE = 91
REJECTED_SHARE = 0.10
BEYOND_RED_SHARE = 0.05
IMPROVED_SHARE = 0.7
REPEAT_PERSON_SHARE = 0.05

#: Expected uses of each counted service in six months by a person of average need
#: (``u = 1``) before referral. Assumptions, not published figures: people referred
#: to social prescribing are often frequent attenders (dayson-2016, "Evaluation
#: methodology": patients identified through risk stratification), so the rates are
#: set above those of the general population; no source gives them per person.
SERVICE_RATES: dict[str, float] = {
    "gp-consultations": 4.0,
    "ae-attendances": 0.5,
    "non-elective-admissions": 0.2,
    "hospital-bed-days": 0.2 * 6.0,  # admissions times BED_DAYS_PER_ADMISSION
    "outpatient-appointments": 1.5,
}
#: Mean nights in hospital per non-elective admission before referral (an assumption).
#: A stay's nights are Poisson with this mean (a same-day stay has none), scaled after
#: referral so that expected bed days change by the bed-day effect.
BED_DAYS_PER_ADMISSION = 6.0
#: Share of weeks with a social care package before referral, for people referred for
#: social care support (an assumption).
SOCIAL_CARE_WEEK_SHARE = 0.75
#: Whole weeks in a block of six months.
WEEKS_PER_BLOCK = 26
#: Shape of the gamma distribution of a person's need (mean 1; variance 1 / shape): an
#: assumption that makes counts over-dispersed, as service use is.
FRAILTY_SHAPE = 2.0
#: The relative change in expected use after referral, for people referred, by
#: default: hlp-2017 §1.2 reports GP contact -60% (Bristol Wellspring), A&E
#: attendances -17% and non-elective inpatient stays -7% (Rotherham) over 12 months
#: after against 12 months before; bed days are assumed to change as
#: non-elective stays do; no source gives a figure for outpatient appointments or
#: social care packages, so they do not change.
DEFAULT_SERVICE_USE_EFFECT: dict[str, float] = {
    "gp-consultations": -0.60,
    "ae-attendances": -0.17,
    "non-elective-admissions": -0.07,
    "hospital-bed-days": -0.07,
    "outpatient-appointments": 0.0,
    "social-care-package-weeks": 0.0,
}
#: Where each service's counts come from.
SERVICE_SOURCE: dict[str, str] = {
    "gp-consultations": "gp-record",
    "ae-attendances": "hospital-data",
    "non-elective-admissions": "hospital-data",
    "hospital-bed-days": "hospital-data",
    "outpatient-appointments": "hospital-data",
    "social-care-package-weeks": "social-care-record",
}
#: Comparison cohorts a synthetic extract can hold.
COMPARISON_COHORTS = ("comparison-not-referred", "comparison-waiting-list")
#: How many recent people a repeat referral is drawn from (keeps memory constant).
_RECENT_PEOPLE = 10_000
#: Scored answers kept per instrument to draw scores from.
_POOL = 200


def _effects(given: Mapping[str, float]) -> dict[str, float]:
    return dict(given)


@attrs.frozen
class ServiceUseModel:
    """How synthetic service use is drawn; see the module documentation for the model.

    Attributes:
        effect: service code -> relative change in expected use after referral for
            people referred (``-0.2`` is 20% less); services not given do not change.
        trend: relative change after the index date shared by everyone, referred or
            not (a secular trend, or regression to the mean).
        share: share of accepted cases and comparison people with service use.
        months: window lengths written, each a multiple of 6 months.
    """

    effect: Mapping[str, float] = attrs.field(
        factory=lambda: dict(DEFAULT_SERVICE_USE_EFFECT), converter=_effects
    )
    trend: float = 0.0
    share: float = 0.9
    months: tuple[int, ...] = attrs.field(default=(12,), converter=tuple)

    def __attrs_post_init__(self) -> None:
        unknown = sorted(set(self.effect) - set(SERVICE_SOURCE))
        if unknown:
            raise ValueError(f"no such service: {', '.join(unknown)}")
        for value in (*self.effect.values(), self.trend):
            if not math.isfinite(value) or value < -1:
                raise ValueError("an effect or trend must be a number of at least -1")
        if not 0.0 <= self.share <= 1.0:
            raise ValueError("the share with service use must be between 0 and 1")
        if not self.months or any(m % 6 or not 6 <= m <= 60 for m in self.months):
            raise ValueError("window lengths must be multiples of 6 months, up to 60")

    def multiplier(self, service: str, referred: bool) -> float:
        """The factor on expected use after the index date (1 before it)."""
        effect = self.effect.get(service, 0.0) if referred else 0.0
        return (1 + self.trend) * (1 + effect)

    def expected(self, service: str, side: str, months: int, *, referred: bool = True) -> float:
        """Expected count per person with service use in a window (``side`` before/after).

        For ``social-care-package-weeks``, per person referred for social care support.
        """
        factor = 1.0 if side == "before" else self.multiplier(service, referred)
        blocks = months // 6
        if service == "social-care-package-weeks":
            return blocks * WEEKS_PER_BLOCK * min(1.0, max(0.0, SOCIAL_CARE_WEEK_SHARE * factor))
        return blocks * SERVICE_RATES[service] * factor


#: The model used unless another is given.
DEFAULT_SERVICE_USE = ServiceUseModel()


def expected_outcome_change(instrument: str, improved_share: float = 0.7) -> float:
    """The true mean change (follow-up minus baseline) of ``instrument``'s headline score.

    Exact for the synthetic model (see the module documentation):
    ``(2 * improved_share - 1) * E|X - Y|`` over independent draws from the score pool,
    negative for an instrument on which lower is better.
    """
    pool = _score_pool(instrument)
    spread = sum(abs(a - b) for a in pool for b in pool) / len(pool) ** 2
    sign = 1.0 if _higher(instrument) else -1.0
    return sign * (2 * improved_share - 1) * spread


@attrs.frozen
class _Model:
    """The generative choices beyond size, seed, year and schemes."""

    service_use: ServiceUseModel | None = DEFAULT_SERVICE_USE
    comparison_share: float = 0.0
    comparison_cohort: str = COMPARISON_COHORTS[0]
    improved_share: float = IMPROVED_SHARE


@attrs.frozen
class SynthStats:
    """What a synthetic extract holds: records written and invalid ones by kind."""

    records: int
    invalid: dict[str, int]

    @property
    def invalid_total(self) -> int:
        """The number of records made invalid."""
        return sum(self.invalid.values())


class _Weighted:
    """Fast weighted choice from fixed (value, weight) pairs."""

    def __init__(self, pairs: Sequence[tuple[str, int]]) -> None:
        self.values = [v for v, _ in pairs]
        self.cumulative = list(itertools.accumulate(w for _, w in pairs))

    def __call__(self, rng: _Draw) -> str:
        point = rng.random() * self.cumulative[-1]
        return self.values[bisect.bisect_right(self.cumulative, point)]


@functools.cache
def _score_pool(instrument: str) -> tuple[float, ...]:
    """Headline scores of random answers, scored by spcore.instruments (sorted)."""
    definition = get_definition(instrument)
    rng = random.Random(f"pool-{instrument}")
    scores: list[float] = []
    while len(scores) < _POOL:
        answers: dict[str, object] = {}
        for item in definition.items:
            if item.kind is ItemKind.INTEGER:
                answers[item.id] = rng.randint(int(item.minimum), int(item.maximum))
            else:
                answers[item.id] = round(rng.uniform(item.minimum, item.maximum))
        result = score(instrument, answers)
        if result.score is not None:
            scores.append(float(result.score))
    return tuple(sorted(scores))


@functools.cache
def _higher(instrument: str) -> bool:
    """Whether a higher headline score is better for ``instrument``."""
    definition = get_definition(instrument)
    return next(s for s in definition.scores if s.name == definition.headline).higher_is_better


@functools.cache
def _date_text(ordinal: int) -> str:
    return dt.date.fromordinal(ordinal).isoformat()


def _add_working_days(ordinal: int, days: int) -> int:
    while days:
        ordinal += 1
        if dt.date.fromordinal(ordinal).weekday() < 5:
            days -= 1
    return ordinal


class _Draw:
    """Random draws from one seeded generator, through its C-coded ``random()`` only.

    ``random.Random.randint``, ``choice`` and ``sample`` are written in Python
    and were most of the time spent making a record; these equivalents are
    several times faster and just as deterministic.
    """

    def __init__(self, seed: int | str) -> None:
        generator = random.Random(seed)
        self.random = generator.random
        self.bits = generator.getrandbits

    def between(self, low: int, high: int) -> int:
        """A whole number from ``low`` to ``high`` inclusive."""
        return low + int(self.random() * (high - low + 1))

    def pick(self, values: Sequence[_T]) -> _T:
        """One of ``values``."""
        return values[int(self.random() * len(values))]

    def sample(self, values: Sequence[_T], k: int) -> list[_T]:
        """``k`` different entries of ``values`` (``k`` small, entries distinct)."""
        chosen: list[_T] = []
        while len(chosen) < k:
            value = values[int(self.random() * len(values))]
            if value not in chosen:
                chosen.append(value)
        return chosen


class _Generator:
    """Builds one valid case record at a time from one random stream."""

    def __init__(
        self,
        rng: _Draw,
        year: int,
        schemes: Sequence[str] = DEFAULT_SCHEMES,
        *,
        seed: int = 0,
        service_use: ServiceUseModel | None = DEFAULT_SERVICE_USE,
        comparison_share: float = 0.0,
        comparison_cohort: str = COMPARISON_COHORTS[0],
        improved_share: float = IMPROVED_SHARE,
    ) -> None:
        self.rng = rng
        # Service use draws from its own stream, so the rest of a record does not depend on it.
        self.use_rng = random.Random(f"service-use-{seed}")
        self.service_use = service_use
        self.comparison_share = comparison_share
        self.comparison_cohort = comparison_cohort
        self.improved_share = improved_share
        self.schemes = tuple(schemes)
        self.start = dt.date(year, 4, 1).toordinal()
        self.end = dt.date(year + 1, 3, 31).toordinal()
        self.people: list[str] = []
        self.referrer = _Weighted(_REFERRERS)
        self.age = _Weighted(_AGE_BANDS)
        self.instrument = _Weighted(_INSTRUMENTS)
        self.contact = _Weighted(_CONTACT_TYPES)
        self.closure = _Weighted(_CLOSURE)
        self.rag = _Weighted(_RAG_AT_ASSESSMENT)
        self.criteria = [c.value for c in enums.ReferralCriterion]
        self.genders = [c.value for c in enums.Gender]
        self.ethnic = [c.value for c in enums.EthnicCategory]
        self.rejections = [c.value for c in enums.ReferralRejectionReason]
        self.exclusions = {c.value for c in enums.ReferralExclusion}
        self.concerns = [c.value for c in enums.SafeguardingQuestion]
        self.interventions = [c.value for c in enums.InterventionType]
        self.five_ways = [c.value for c in enums.FiveWaysToWellbeing]
        self.disengagement = [c.value for c in enums.DisengagementReason]
        self.occupations = [c.value for c in enums.Occupation]
        self.incomes = [c.value for c in enums.IncomeSource]
        self.roles = [c.value for c in enums.ProfessionalRole]
        self.substances = [c.value for c in enums.Substance]
        self.conditions = [c.value for c in enums.HealthCondition]
        self.aspects = [c.value for c in enums.WellbeingAspect]
        self.care_changes = _Weighted(_CARE_CHANGES)

    def person(self) -> str:
        rng = self.rng
        if self.people and rng.random() < REPEAT_PERSON_SHARE:
            return rng.pick(self.people)
        person = f"{rng.bits(256):064x}"
        if len(self.people) >= _RECENT_PEOPLE:
            self.people[rng.between(0, _RECENT_PEOPLE - 1)] = person
        else:
            self.people.append(person)
        return person

    def case(self, index: int) -> dict[str, Any]:
        record = self._case(index)
        if self.service_use is not None and "rejection" not in record["referral"]:
            windows = self.windows(record, self.service_use)
            if windows:
                record["service_use"] = windows
        return record

    def windows(self, record: dict[str, Any], model: ServiceUseModel) -> list[dict[str, Any]]:
        """The person's service use in windows before and after the index date."""
        rng = self.use_rng
        if rng.random() >= model.share:
            return []
        index_date = dt.date.fromisoformat(record["referral"]["date"])
        referred = "cohort" not in record
        need = rng.gammavariate(FRAILTY_SHAPE, 1 / FRAILTY_SHAPE)
        services = list(SERVICE_RATES)
        if "social-care-support" in record["referral"]["criteria"]:
            services.append("social-care-package-weeks")
        most = max(model.months) // 6
        # blocks[side][service]: counts in successive six-month blocks away from the index date.
        blocks: dict[str, dict[str, list[int]]] = {"before": {}, "after": {}}
        for side in ("before", "after"):
            factors = {
                s: 1.0 if side == "before" else model.multiplier(s, referred) for s in services
            }
            for _ in range(most):
                for service, n in _block(rng, services, need, factors).items():
                    blocks[side].setdefault(service, []).append(n)
        windows: list[dict[str, Any]] = []
        last_before = index_date - dt.timedelta(days=1)
        for months in sorted(model.months):
            n = months // 6
            spans = {
                "before": (window_start(last_before, months), last_before),
                "after": (index_date, window_end(index_date, months)),
            }
            for side in ("before", "after"):
                start, end = spans[side]
                for source in dict.fromkeys(SERVICE_SOURCE[s] for s in services):
                    counts = {
                        s: sum(blocks[side][s][:n]) for s in services if SERVICE_SOURCE[s] == source
                    }
                    windows.append(
                        {
                            "relative_to_referral": side,
                            "start_on": start.isoformat(),
                            "end_on": end.isoformat(),
                            "months": months,
                            "source": source,
                            "counts": counts,
                        }
                    )
        return windows

    def _case(self, index: int) -> dict[str, Any]:
        rng = self.rng
        referred = rng.between(self.start, self.end)
        record: dict[str, Any] = {
            "case_id": f"SYN-{index:09d}",
            "person_id": self.person(),
            # One draw whatever the number of schemes, so the rest of the
            # record is the same for a one-scheme and a many-scheme extract.
            "scheme_id": rng.pick(self.schemes),
            "referral": {
                "date": _date_text(referred),
                "referrer_type": self.referrer(rng),
                "criteria": rng.sample(self.criteria, rng.between(1, 3)),
            },
            "demographics": {
                "age_band": self.age(rng),
                "gender": rng.pick(self.genders),
                "ethnic_category": rng.pick(self.ethnic),
                "lives_alone": rng.random() < 0.35,
                "interpreter_needed": rng.random() < 0.04,
            },
        }
        if self.comparison_share and rng.random() < self.comparison_share:
            record["cohort"] = self.comparison_cohort
            if self.comparison_cohort == "comparison-not-referred":
                # Identified from the GP record as meeting the criteria (the index date).
                record["referral"]["referrer_type"] = "gp-practice"
            return record
        if rng.random() < REJECTED_SHARE:
            reason = rng.pick(self.rejections)
            rejection: dict[str, Any] = {
                "date": _date_text(referred + rng.between(0, 10)),
                "reason": reason,
            }
            if reason in self.exclusions:
                rejection["exclusion"] = reason
            record["referral"]["rejection"] = rejection
            return record
        assessed = _add_working_days(referred, rng.between(1, ASSESSMENT_WITHIN_WORKING_DAYS))
        sessions = rng.between(1, MAX_SESSIONS)
        last_contact = assessed + rng.between(7 * sessions, 7 * sessions + 21)
        contact_days = sorted(rng.sample(range(assessed + 1, last_contact + 1), sessions))
        record["needs_and_concerns"] = self.needs(referred, assessed, contact_days)
        record["support_offered"] = self.support(assessed, contact_days)
        due = follow_up_due(dt.date.fromordinal(assessed))
        earliest = due.toordinal() if due is not None else assessed + MIN_DAYS_ASSESSMENT_TO_CLOSURE
        closed = max(last_contact, earliest) + rng.between(0, 30)
        instrument = self.instrument(rng)
        pool = _score_pool(instrument)
        # Most people improve (dayson-2016 reports over 90% progressing on at least one
        # of eight measures; the share for one headline score here is illustrative).
        worse, better = sorted((rng.pick(pool), rng.pick(pool)), reverse=not _higher(instrument))
        improved = rng.random() < self.improved_share
        baseline, follow_up = (worse, better) if improved else (better, worse)
        measures = [self.measure(instrument, "baseline", assessed, baseline)]
        if closed <= self.end:
            measures.append(self.measure(instrument, "follow-up", closed, follow_up))
        record["outcomes"] = {"measures": measures}
        if closed <= self.end:
            record["closure"] = self.close(closed)
            if rng.random() < 0.8:
                record["outcomes"]["wellbeing_aspects"] = sorted(
                    rng.sample(self.aspects, rng.between(0, 3))
                )
        care = self.social_care(referred, record["referral"]["criteria"])
        if care is not None:
            record["outcomes"]["social_care_package"] = care
        return record

    def social_care(self, referred: int, criteria: list[str]) -> dict[str, Any] | None:
        """A review of the social care package six months after referral, for some people."""
        rng = self.rng
        if "social-care-support" not in criteria and rng.random() > 0.05:
            return None
        month = dt.date.fromordinal(referred).month - 1 + 6
        start = dt.date.fromordinal(referred)
        year, month = start.year + month // 12, month % 12 + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        reviewed = dt.date(year, month, day).toordinal()
        if reviewed > self.end:
            return None
        return {
            "reviewed_on": _date_text(reviewed),
            "window_months": 6,
            "change": self.care_changes(rng),
        }

    def needs(self, referred: int, assessed: int, contacts: list[int]) -> dict[str, Any]:
        rng = self.rng
        history: list[dict[str, Any]] = [{"date": _date_text(referred), "rating": "green"}]
        rating = self.rag(rng)
        if rating != "green":
            entry: dict[str, Any] = {
                "date": _date_text(assessed),
                "rating": rating,
                "concerns": rng.sample(self.concerns, rng.between(1, 2)),
                "social_services_involved": rating == "red",
                "risk_assessment": self.risk_assessment(assessed, contacts[-1]),
            }
            if rating == "red" and rng.random() < BEYOND_RED_SHARE:
                entry["beyond_red"] = rng.pick(sorted(self.exclusions))
            history.append(entry)
            if rng.random() < 0.6:
                history.append({"date": _date_text(contacts[-1]), "rating": "green"})
        needs: dict[str, Any] = {
            "assessment_date": _date_text(assessed),
            "needs": rng.sample(self.criteria, rng.between(1, 3)),
        }
        # The holistic assessment's coded items (family-action-2018), each sometimes
        # left unrecorded.
        if rng.random() < 0.9:
            needs["occupation"] = rng.pick(self.occupations)
        if rng.random() < 0.8:
            needs["income_sources"] = sorted(rng.sample(self.incomes, rng.between(1, 2)))
        if rng.random() < 0.8:
            needs["key_professionals"] = sorted(rng.sample(self.roles, rng.between(1, 3)))
        if rng.random() < 0.7:
            needs["substance_misuse"] = (
                sorted(rng.sample(self.substances, rng.between(1, 2)))
                if rng.random() < 0.15
                else []
            )
        if rng.random() < 0.8:
            needs["health_conditions"] = sorted(rng.sample(self.conditions, rng.between(0, 3)))
        needs["rag_history"] = history
        return needs

    def risk_assessment(self, rated: int, last_contact: int) -> dict[str, Any]:
        """The risk assessment an amber or red rating requires, with its approval and reviews."""
        rng = self.rng
        completed = rated + rng.between(0, 3)
        assessment: dict[str, Any] = {"completed_on": _date_text(completed)}
        if rng.random() < 0.9:
            assessment["approved_on"] = _date_text(completed + rng.between(0, 5))
        reviews = range(completed + 28, max(completed + 28, last_contact) + 1, 28)
        assessment["reviewed_on"] = [_date_text(day) for day in reviews]
        return assessment

    def support(self, assessed: int, contacts: list[int]) -> dict[str, Any]:
        rng = self.rng
        listed: list[dict[str, Any]] = [
            {
                "date": _date_text(assessed),
                "type": "assessment",
                "duration": {"value": rng.pick((45, 60, 75, 90)), "unit": "minute"},
            }
        ]
        for day in contacts:
            kind = self.contact(rng)
            duration = (
                {"value": 1, "unit": "hour"}
                if kind == "home-visit"
                else {"value": rng.pick((15, 20, 30, 45, 60)), "unit": "minute"}
            )
            listed.append({"date": _date_text(day), "type": kind, "duration": duration})
        prescriptions = []
        for day in sorted(rng.sample(contacts, min(len(contacts), rng.between(0, 3)))):
            prescription: dict[str, Any] = {
                "date": _date_text(day),
                "intervention_type": rng.pick(self.interventions),
                "community_group": rng.pick(COMMUNITY_GROUPS),
            }
            if rng.random() < 0.5:
                prescription["five_ways"] = rng.sample(self.five_ways, rng.between(1, 2))
            prescriptions.append(prescription)
        support: dict[str, Any] = {"active_from": _date_text(assessed), "contacts": listed}
        if rng.random() < 0.8:
            support["support_plan_date"] = _date_text(assessed + rng.between(0, 14))
        support["social_prescriptions"] = prescriptions
        return support

    def measure(self, instrument: str, timepoint: str, day: int, value: float) -> dict[str, Any]:
        return {
            "instrument": instrument,
            "timepoint": timepoint,
            "date": _date_text(day),
            "score": int(value) if float(value).is_integer() else value,
        }

    def close(self, day: int) -> dict[str, Any]:
        reason = self.closure(self.rng)
        closure: dict[str, Any] = {"date": _date_text(day), "reason": reason}
        if reason == "disengaged":
            closure["disengagement_reason"] = self.rng.pick(self.disengagement)
        return closure


def _block(
    rng: random.Random, services: list[str], need: float, factors: Mapping[str, float]
) -> dict[str, int]:
    """One six-month block's counts of ``services`` (see the module documentation)."""
    counts: dict[str, int] = {}
    for service in services:
        factor = factors[service]
        if service == "social-care-package-weeks":
            share = min(1.0, max(0.0, SOCIAL_CARE_WEEK_SHARE * factor))
            counts[service] = sum(rng.random() < share for _ in range(WEEKS_PER_BLOCK))
        elif service == "hospital-bed-days":
            # Nights of each non-elective admission, so that bed days follow admissions.
            admissions = counts["non-elective-admissions"]
            per_admission = factors["non-elective-admissions"]
            stay = BED_DAYS_PER_ADMISSION * factor / per_admission if per_admission else 0.0
            counts[service] = sum(_poisson(rng, stay) for _ in range(admissions))
        else:
            counts[service] = _poisson(rng, SERVICE_RATES[service] * need * factor)
    return counts


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw by inversion (means here are small)."""
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _break(record: dict[str, Any], kind: str, rng: _Draw) -> None:
    """Make ``record`` invalid in the way ``kind`` names (text-level kinds are left to writers)."""
    if kind == "bad-code":
        record["referral"]["referrer_type"] = "GP practice"
    elif kind == "impossible-date":
        record["referral"]["date"] = f"{record['referral']['date'][:4]}-02-30"
    elif kind == "negative-number":
        contacts = record.setdefault("support_offered", {}).setdefault("contacts", [])
        contacts.append({"date": record["referral"]["date"], "type": "telephone"})
        contacts[-1]["duration"] = {"value": -rng.between(5, 60), "unit": "minute"}
    elif kind == "too-long-text":
        prescriptions = record.setdefault("support_offered", {}).setdefault(
            "social_prescriptions", []
        )
        prescriptions.append(
            {
                "date": record["referral"]["date"],
                "intervention_type": "social-groups",
                "community_group": "Northshire Friendship Group " * 9,
            }
        )
    elif kind == "too-many-entries":
        record["referral"]["criteria"] = ["other"] * 51
    elif kind == "missing-field":
        del record["demographics"]["age_band"]
    elif kind == "wrong-type":
        record["demographics"]["lives_alone"] = "yes"
    elif kind == "unknown-field":
        record["referal"] = record.pop("referral")


def _cases(
    n: int,
    seed: int,
    year: int,
    invalid_share: float,
    kinds: Sequence[str],
    schemes: Sequence[str] = DEFAULT_SCHEMES,
    model: _Model | None = None,
) -> Iterator[tuple[str | None, dict[str, Any]]]:
    if not 0.0 <= invalid_share <= 1.0:
        raise ValueError("the invalid share must be between 0 and 1")
    if n < 0:
        raise ValueError("the number of records cannot be negative")
    if not schemes:
        raise ValueError("at least one scheme is needed")
    model = model or _Model()
    if not 0.0 <= model.comparison_share <= 1.0:
        raise ValueError("the comparison share must be between 0 and 1")
    if not 0.0 <= model.improved_share <= 1.0:
        raise ValueError("the improved share must be between 0 and 1")
    if model.comparison_cohort not in COMPARISON_COHORTS:
        raise ValueError(f"the comparison cohort is one of {', '.join(COMPARISON_COHORTS)}")
    rng = _Draw(seed)
    generator = _Generator(
        rng,
        year,
        schemes,
        seed=seed,
        service_use=model.service_use,
        comparison_share=model.comparison_share,
        comparison_cohort=model.comparison_cohort,
        improved_share=model.improved_share,
    )
    for index in range(1, n + 1):
        record = generator.case(index)
        kind = None
        if invalid_share and rng.random() < invalid_share:
            kind = rng.pick(kinds)
            _break(record, kind, rng)
        yield kind, record


def synth_cases(
    n: int,
    seed: int,
    *,
    year: int = 2025,
    invalid_share: float = 0.0,
    schemes: Sequence[str] = DEFAULT_SCHEMES,
    service_use: ServiceUseModel | None = DEFAULT_SERVICE_USE,
    comparison_share: float = 0.0,
    comparison_cohort: str = COMPARISON_COHORTS[0],
    improved_share: float = IMPROVED_SHARE,
) -> Iterator[dict[str, Any]]:
    """Yield ``n`` synthetic case records (as JSON-ready dicts) for financial year ``year``.

    Args:
        n: how many records.
        seed: the random seed; the same arguments always give the same records.
        year: the first calendar year of the NHS financial year (2025 for 2025-26).
        invalid_share: share of records made invalid (at random) in one of the
            record-level :data:`INVALID_KINDS`.
        schemes: cases belong to one scheme, or at random to one of ``schemes``
            (a commissioner's extract: ``schemes=SCHEMES``).
        service_use: how service use is drawn (:class:`ServiceUseModel`), or None for none.
        comparison_share: share of records that are comparison people instead of cases.
        comparison_cohort: ``comparison-not-referred`` or ``comparison-waiting-list``.
        improved_share: the probability that a person's follow-up score is the better of
            their two (the true outcome effect; :func:`expected_outcome_change`).

    Raises:
        ValueError: for an argument out of its range.
    """
    kinds = [k for k in INVALID_KINDS if k not in _TEXT_KINDS]
    model = _Model(service_use, comparison_share, comparison_cohort, improved_share)
    for _, record in _cases(n, seed, year, invalid_share, kinds, schemes, model):
        yield record


def write_synthetic_extract(
    out: TextIO,
    n: int,
    seed: int,
    *,
    format: SynthFormat = "ndjson",
    year: int = 2025,
    invalid_share: float = 0.0,
    schemes: Sequence[str] = DEFAULT_SCHEMES,
    service_use: ServiceUseModel | None = DEFAULT_SERVICE_USE,
    comparison_share: float = 0.0,
    comparison_cohort: str = COMPARISON_COHORTS[0],
    improved_share: float = IMPROVED_SHARE,
) -> SynthStats:
    """Write a synthetic extract of ``n`` cases to ``out``; return what it holds.

    The arguments are those of :func:`synth_cases`, and ``format``. Written files
    may also hold corrupt lines (``corrupt-json``, ``duplicate-field``), which a
    parsed record cannot.
    """
    model = _Model(service_use, comparison_share, comparison_cohort, improved_share)
    kinds = [k for k in INVALID_KINDS if not (format == "csv" and k in _NOT_CSV)]
    counts: Counter[str] = Counter()
    write_line: Callable[[str | None, dict[str, Any]], None]
    if format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(csv_layout.column_names())

        def write_line(kind: str | None, record: dict[str, Any]) -> None:
            row = csv_layout.record_to_row(record)
            if kind == "corrupt-json":
                index = csv_layout.column_names().index("support_offered.contacts")
                cell = row[index] or "[]"
                row[index] = cell[: max(1, len(cell) // 2)]
            writer.writerow(row)
    else:

        def write_line(kind: str | None, record: dict[str, Any]) -> None:
            text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
            if kind == "corrupt-json":
                text = text[: len(text) // 2]
            elif kind == "duplicate-field":
                text = '{"case_id":"SYN-DUPLICATE",' + text[1:]
            out.write(text + "\n")

    records = 0
    for kind, record in _cases(n, seed, year, invalid_share, kinds, schemes, model):
        write_line(kind, record)
        records += 1
        if kind is not None:
            counts[kind] += 1
    return SynthStats(records, dict(sorted(counts.items())))
