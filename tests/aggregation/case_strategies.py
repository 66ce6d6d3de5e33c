"""Hypothesis strategies for small case extracts that reach every edge of the figure definitions.

``case_extracts()`` draws a list of 0-40 **schema-valid** case records as
plain dicts (what ``json.loads`` gives), built to make the definitions in
:mod:`spcore.aggregation.derive` and :mod:`spcore.aggregation.tally` meet
their boundaries rather than their middles:

- a handful of ``person_id``s, so people repeat across records, and records
  without one (explicitly ``null`` or absent);
- dates mostly within three days of a 2025-26 quarter boundary (31 March /
  1 April, 30 June / 1 July, 30 September / 1 October, 31 December /
  1 January), so events fall on first and last days and several share a day;
- rejected referrals with every reason (``declined-by-person`` among them);
- assessment dates present or absent beside ``assessment`` contacts;
- contact durations in every unit, fractional ones (0.1 hour) included, and
  contacts without a duration;
- social prescriptions to groups whose names differ only in case or spacing,
  with and without a directory identifier, and unnamed;
- RAG histories out of date order, with several entries on one day and
  entries before the referral;
- closures before the referral (left out: SPC-A004) and on a quarter's last day;
- outcome measures on several instruments, score names (``score``, named
  scores, and ``custom``, which spcore does not know: SPC-A022), value sets,
  baselines and follow-ups on one day and follow-ups before the baseline;
- employability outcomes; repeated case identifiers (SPC-A002), and case
  identifiers that are also person identifiers; records of a second scheme
  (SPC-A003).

Optional fields are written three ways where the schema allows: absent,
``null``, or given, so a reader of the dicts meets each spelling.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from spcore.cases.service_use import window_end, window_start
from spcore.framework.enums import (
    AgeBand,
    CaseClosureReason,
    Cohort,
    ContactType,
    DisengagementReason,
    EmployabilityOutcome,
    FiveWaysToWellbeing,
    Gender,
    RagRating,
    ReferralExclusion,
    ReferralRejectionReason,
    SafeguardingQuestion,
    SocialCarePackageChange,
    WellbeingAspect,
)

#: The scheme of the example facts file, and another one.
SCHEME = "NORTHSHIRE-CONNECT"
OTHER_SCHEME = "EASTVALE-LINK"

#: Days either side of which the quarters of 2025-26 turn (and the year before and after).
BOUNDARIES = (
    dt.date(2025, 3, 31),
    dt.date(2025, 4, 1),
    dt.date(2025, 6, 30),
    dt.date(2025, 7, 1),
    dt.date(2025, 9, 30),
    dt.date(2025, 10, 1),
    dt.date(2025, 12, 31),
    dt.date(2026, 1, 1),
)
#: A few days well inside quarters, so that not everything sits on an edge.
MIDDLES = (dt.date(2025, 5, 15), dt.date(2025, 8, 14), dt.date(2025, 11, 13))

PEOPLE = ("PERSON-0001", "PERSON-0002", "PERSON-0003", "PERSON-0004", "PERSON-0005")

REFERRERS = ("gp-practice", "self-referral", "social-care", "secondary-care-ward")
CRITERIA = (
    "long-term-condition",
    "social-isolation-or-loneliness",
    "carer",
    "mental-health-mild-to-moderate",
    "debt-or-money",
)
INTERVENTIONS = ("physical-activity", "arts-and-culture", "befriending", "debt-support")

#: Names of three groups, each spelt several ways (case, inner and outer spaces).
GROUP_NAMES = (
    "Riverside Walking Group",
    "riverside walking group",
    "  Riverside   Walking Group ",
    "RIVERSIDE WALKING GROUP",
    "Citizens Advice",
    "citizens  advice",
    "Citizens Advice\t",
    "Knit and Natter",
    "knit and natter ",
    "Straße Café",
    "STRASSE CAFÉ",
)
DIRECTORY_IDS = ("oruk-001", "oruk-002", " oruk-001", "ORUK-001")

#: (instrument, score names that are known or not, scores that make ties and threshold edges).
#: SWEMWBS's meaningful change is 2.87, PHQ-9's 6 and GAD-7's 4; EQ-5D has none.
INSTRUMENTS: tuple[tuple[str, tuple[str, ...], tuple[float, ...]], ...] = (
    ("swemwbs", ("score", "metric", "raw", "custom"), (17.0, 19.87, 20.0, 22.87, 14.5, 35)),
    ("phq9", ("score", "total"), (3, 9, 15, 9.0, 21)),
    ("gad7", ("score", "total", "custom"), (2, 6, 10, 6.0)),
    ("eq5d5l", ("score", "index", "vas"), (0.1, 0.2, 0.3, 0.6, 0.7, -0.1, 55, 70)),
    ("ucla3", ("score",), (3, 6, 9)),
    # Categorical scores: counted per category, never averaged.
    ("ons-loneliness", ("score", "category"), (1, 2, 3, 4, 5)),
    ("pam", ("level",), (1, 2, 3, 4)),
)
VALUE_SETS = ("england-2022", "van-hout-2012")


# Strategies are built once, here: building and validating a strategy inside every draw
# costs far more than the draw itself.
_NEAR = st.tuples(st.sampled_from(BOUNDARIES), st.integers(-3, 3))
_DAY = st.one_of(_NEAR, _NEAR, _NEAR, st.sampled_from(MIDDLES).map(lambda d: (d, 0)))
_BOOL = st.booleans()
_ONE_IN = {n: st.integers(0, n - 1) for n in (3, 4, 5, 6, 8, 10, 20)}
_SHIFT_NEAR_REFERRAL = st.integers(-2, 4)
_UNIT_VALUES = {
    "minute": st.sampled_from((0, 1, 15, 30, 45, 50, 60, 90, 0.5, 12.25, 33.3)),
    "hour": st.sampled_from((0.1, 0.2, 0.3, 0.7, 1, 1.5, 2)),
    "day": st.sampled_from((0.01, 0.1, 1)),
    "week": st.sampled_from((0.001, 0.01, 0.1)),
}
_UNIT = st.sampled_from(tuple(_UNIT_VALUES))
_DURATION_KIND = st.sampled_from(("none", "timed", "timed"))
_CONTACT_TYPE = st.sampled_from(
    (
        ContactType.ASSESSMENT.value,
        ContactType.ASSESSMENT.value,
        ContactType.FACE_TO_FACE_SESSION.value,
        ContactType.TELEPHONE.value,
        ContactType.HOME_VISIT.value,
    )
)
_INTERVENTION = st.sampled_from(INTERVENTIONS)
_NAMED = st.sampled_from(("name", "name", "id", "both", "neither"))
_GROUP = st.sampled_from(GROUP_NAMES)
_DIRECTORY = st.sampled_from(DIRECTORY_IDS)
_FIVE_WAYS = st.lists(st.sampled_from([w.value for w in FiveWaysToWellbeing]), max_size=3)
_RATING = st.sampled_from([r.value for r in RagRating])
_CONCERNS = st.lists(st.sampled_from([q.value for q in SafeguardingQuestion]), max_size=2)
_INSTRUMENTS = st.lists(st.sampled_from(INSTRUMENTS), max_size=2, unique_by=lambda i: i[0])
_VALUE_SET = st.sampled_from((None, None, *VALUE_SETS))
_TIMEPOINT = st.sampled_from(("follow-up", "follow-up", "follow-up", "baseline", "interim"))
_AFTER_BASELINE = st.sampled_from(("same day", "day before", "boundary", "months on", "months on"))
_MONTHS_ON = st.integers(28, 100)
_MEASURE_SHIFT = st.integers(-1, 3)
_REFERRER = st.sampled_from(REFERRERS)
_CRITERIA = st.lists(st.sampled_from(CRITERIA), min_size=1, max_size=3)
_NEEDS = st.lists(st.sampled_from(CRITERIA), max_size=2)
# declined-by-person often: the one reason that counts people rejecting a referral.
_REASON = st.sampled_from(
    [ReferralRejectionReason.DECLINED_BY_PERSON.value] * 5
    + [r.value for r in ReferralRejectionReason]
)
_EXCLUSION = st.sampled_from([e.value for e in ReferralExclusion])
_PERSON = st.sampled_from((*PEOPLE, None))
_PERSON_AS_CASE = st.sampled_from(PEOPLE)
_AGE = st.sampled_from([a.value for a in AgeBand])
_GENDER = st.sampled_from([g.value for g in Gender])
_EMPLOYABILITY = st.lists(st.sampled_from([o.value for o in EmployabilityOutcome]), max_size=3)
_ASPECTS = st.lists(st.sampled_from([a.value for a in WellbeingAspect]), max_size=3)
_CARE = st.fixed_dictionaries(
    {
        "window_months": st.sampled_from((3, 6, 12)),
        "change": st.sampled_from([c.value for c in SocialCarePackageChange]),
    }
)
_USE_MONTHS = st.lists(st.sampled_from((6, 12)), min_size=1, max_size=2, unique=True)
_USE_COUNT = st.integers(0, 9)
_COHORT = st.sampled_from([c.value for c in Cohort])
#: Services by the source that counts them, as synthetic extracts write them.
_USE_SOURCES = (
    ("gp-record", ("gp-consultations",)),
    ("hospital-data", ("ae-attendances", "hospital-bed-days", "outpatient-appointments")),
)
_CLOSING = st.sampled_from(("open", "open", "near", "boundary", "before"))
_CLOSURE_REASON = st.sampled_from([c.value for c in CaseClosureReason])
_DISENGAGEMENT = st.sampled_from([d.value for d in DisengagementReason])
_COUNTS = {n: st.integers(0, n) for n in (3, 4)}
_LATER = st.integers(0, 100)
_EARLIER = st.integers(1, 3)
_REJECTED_AFTER = st.integers(0, 3)


def _one_in(draw: st.DrawFn, n: int) -> bool:
    return draw(_ONE_IN[n]) == 0


def _date(draw: st.DrawFn) -> dt.date:
    """A day within three days of a quarter boundary, or now and then one inside a quarter."""
    day, shift = draw(_DAY)
    return day + dt.timedelta(days=shift)


def _near(draw: st.DrawFn, day: dt.date, shifts: st.SearchStrategy[int]) -> dt.date:
    """Half the time a day a few ``shifts`` from ``day``; else one near a boundary."""
    if draw(_BOOL):
        return day + dt.timedelta(days=draw(shifts))
    return _date(draw)


def dates() -> st.SearchStrategy[dt.date]:
    """The days :func:`case_extracts` draws from, as a strategy of its own."""
    return _DAY.map(lambda pair: pair[0] + dt.timedelta(days=pair[1]))


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _put(draw: st.DrawFn, out: dict[str, Any], key: str, value: Any) -> None:
    """Set an optional field: left out, written as null, or (when there is one) the value."""
    if value is not None:
        out[key] = value
    elif draw(_BOOL):
        out[key] = None


def _contact(draw: st.DrawFn) -> dict[str, Any]:
    """A contact, often an assessment, timed in any unit (0.1 hour among them) or not."""
    out: dict[str, Any] = {"date": _iso(_date(draw)), "type": draw(_CONTACT_TYPE)}
    duration = None
    if draw(_DURATION_KIND) == "timed":
        unit = draw(_UNIT)
        duration = {"value": draw(_UNIT_VALUES[unit]), "unit": unit}
    _put(draw, out, "duration", duration)
    return out


def _prescription(draw: st.DrawFn) -> dict[str, Any]:
    """A social prescription to a named group, a directory entry, both, or neither."""
    out: dict[str, Any] = {"date": _iso(_date(draw)), "intervention_type": draw(_INTERVENTION)}
    named = draw(_NAMED)
    _put(draw, out, "community_group", draw(_GROUP) if named in ("name", "both") else None)
    _put(draw, out, "directory_id", draw(_DIRECTORY) if named in ("id", "both") else None)
    _put(draw, out, "five_ways", draw(_FIVE_WAYS) if draw(_BOOL) else None)
    return out


def _rating(draw: st.DrawFn, referred: dt.date) -> dict[str, Any]:
    """A RAG entry near the referral (before it now and then) or near a boundary."""
    day = _near(draw, referred, _SHIFT_NEAR_REFERRAL)
    out: dict[str, Any] = {"date": _iso(day), "rating": draw(_RATING)}
    if _one_in(draw, 3):
        out["concerns"] = draw(_CONCERNS)
    if _one_in(draw, 4):
        out["social_services_involved"] = draw(_BOOL)
    return out


def _rag_history(draw: st.DrawFn, referred: dt.date) -> list[dict[str, Any]]:
    """Up to four entries in no particular order, often two on one day."""
    entries = [_rating(draw, referred) for _ in range(draw(_COUNTS[4]))]
    if entries and draw(_BOOL):
        # Another entry on the day of one already there: same-day order decides the rating.
        twin = dict(entries[draw(st.integers(0, len(entries) - 1))])
        twin["rating"] = draw(_RATING)
        entries.insert(draw(st.integers(0, len(entries))), twin)
    return entries


def _measure_day(draw: st.DrawFn, baseline: dt.date) -> dt.date:
    """A day for a later measure: the baseline's day or the day before, a boundary, or months on."""
    how = draw(_AFTER_BASELINE)
    if how == "same day":
        return baseline
    if how == "day before":
        return baseline - dt.timedelta(days=1)
    if how == "boundary":
        return _date(draw)
    return baseline + dt.timedelta(days=draw(_MONTHS_ON))


def _measures(draw: st.DrawFn, referred: dt.date) -> list[dict[str, Any]]:
    """Outcome measures of one or two instruments: a baseline, then follow-ups and interims."""
    out: list[dict[str, Any]] = []
    for instrument, names, scores in draw(_INSTRUMENTS):
        name = draw(st.sampled_from(names))
        value_set = draw(_VALUE_SET)
        score = st.sampled_from(scores)
        first = _near(draw, referred, _MEASURE_SHIFT)
        # Mostly a baseline first; now and then only follow-ups, which count for nothing.
        timepoints = ["baseline" if not _one_in(draw, 6) else draw(_TIMEPOINT)]
        timepoints += [draw(_TIMEPOINT) for _ in range(draw(_COUNTS[3]))]
        for index, timepoint in enumerate(timepoints):
            measure: dict[str, Any] = {
                "instrument": instrument,
                "timepoint": timepoint,
                "date": _iso(first if index == 0 else _measure_day(draw, first)),
                "score": draw(score),
            }
            if name != "score" or draw(_BOOL):
                measure["score_name"] = name
            _put(draw, measure, "value_set", value_set)
            out.append(measure)
    # Now and then the same measure again under another score name.
    if out and _one_in(draw, 4):
        extra = dict(out[draw(st.integers(0, len(out) - 1))])
        extra["score_name"] = "custom" if extra.get("score_name") != "custom" else "score"
        out.append(extra)
    if len(out) > 1 and draw(_BOOL):
        # Measures in no particular order: the definitions go by date, not position.
        out.insert(0, out.pop(draw(st.integers(1, len(out) - 1))))
    return out


def _referral(draw: st.DrawFn, referred: dt.date) -> dict[str, Any]:
    referral: dict[str, Any] = {
        "date": _iso(referred),
        "referrer_type": draw(_REFERRER),
        "criteria": draw(_CRITERIA),
    }
    if _one_in(draw, 3):
        rejection: dict[str, Any] = {
            "date": _iso(referred + dt.timedelta(days=draw(_REJECTED_AFTER))),
            "reason": draw(_REASON),
        }
        if _one_in(draw, 4):
            rejection["exclusion"] = draw(_EXCLUSION)
        referral["rejection"] = rejection
    elif _one_in(draw, 6):
        referral["rejection"] = None
    return referral


def _closure(draw: st.DrawFn, referred: dt.date) -> dict[str, Any] | None:
    closing = draw(_CLOSING)
    if closing == "open":
        return None
    if closing == "near":
        closed = referred + dt.timedelta(days=draw(_LATER))
    elif closing == "boundary":
        closed = _date(draw)
    else:  # closed before it was referred: the intake leaves it out (SPC-A004)
        closed = referred - dt.timedelta(days=draw(_EARLIER))
    closure: dict[str, Any] = {"date": _iso(closed), "reason": draw(_CLOSURE_REASON)}
    if closure["reason"] == CaseClosureReason.DISENGAGED.value and draw(_BOOL):
        closure["disengagement_reason"] = draw(_DISENGAGEMENT)
    return closure


def _record(draw: st.DrawFn, case_id: str) -> dict[str, Any]:
    """One schema-valid case record, as JSON data."""
    referred = _date(draw)
    record: dict[str, Any] = {"case_id": case_id}
    _put(draw, record, "person_id", draw(_PERSON))
    record["scheme_id"] = OTHER_SCHEME if _one_in(draw, 20) else SCHEME
    record["referral"] = _referral(draw, referred)
    demographics: dict[str, Any] = {"age_band": draw(_AGE)}
    if _one_in(draw, 4):
        demographics["gender"] = draw(_GENDER)
        demographics["lives_alone"] = draw(_BOOL)
    record["demographics"] = demographics

    if not _one_in(draw, 6):
        needs: dict[str, Any] = {}
        assessed = _date(draw) if draw(_BOOL) else None
        _put(draw, needs, "assessment_date", _iso(assessed) if assessed else None)
        history = _rag_history(draw, referred)
        if history or draw(_BOOL):
            needs["rag_history"] = history
        if _one_in(draw, 5):
            needs["needs"] = draw(_NEEDS)
        record["needs_and_concerns"] = needs

    if not _one_in(draw, 6):
        support: dict[str, Any] = {}
        plan = _date(draw) if draw(_BOOL) else None
        _put(draw, support, "support_plan_date", _iso(plan) if plan else None)
        if _one_in(draw, 5):
            support["active_from"] = _iso(referred)
        contacts = [_contact(draw) for _ in range(draw(_COUNTS[4]))]
        if contacts or draw(_BOOL):
            support["contacts"] = contacts
        prescriptions = [_prescription(draw) for _ in range(draw(_COUNTS[3]))]
        if prescriptions or draw(_BOOL):
            support["social_prescriptions"] = prescriptions
        record["support_offered"] = support

    if not _one_in(draw, 3):
        outcomes: dict[str, Any] = {}
        measures = _measures(draw, referred)
        if measures or draw(_BOOL):
            outcomes["measures"] = measures
        _put(draw, outcomes, "employability", draw(_EMPLOYABILITY) if draw(_BOOL) else None)
        _put(draw, outcomes, "wellbeing_aspects", draw(_ASPECTS) if draw(_BOOL) else None)
        if _one_in(draw, 4):
            care = dict(draw(_CARE))
            care["reviewed_on"] = _iso(_date(draw))
            outcomes["social_care_package"] = care
        record["outcomes"] = outcomes

    _put(draw, record, "closure", _closure(draw, referred))
    if _one_in(draw, 3):
        record["service_use"] = _service_use(draw, referred)
    if _one_in(draw, 8):
        record["cohort"] = draw(_COHORT)
    return record


def _service_use(draw: st.DrawFn, referred: dt.date) -> list[dict[str, Any]]:
    """Windows before and after referral; now and then a service or a source is missing."""
    windows: list[dict[str, Any]] = []
    last_before = referred - dt.timedelta(days=draw(st.integers(0, 1)))
    for months in draw(_USE_MONTHS):
        spans = {
            "before": (window_start(last_before, months), last_before),
            "after": (referred, window_end(referred, months)),
        }
        for side, (start, end) in spans.items():
            for source, services in _USE_SOURCES:
                if _one_in(draw, 8):
                    continue
                counts = {s: draw(_USE_COUNT) for s in services if not _one_in(draw, 10)}
                windows.append(
                    {
                        "relative_to_referral": side,
                        "start_on": _iso(start),
                        "end_on": _iso(end),
                        "months": months,
                        "source": source,
                        "counts": counts,
                    }
                )
    return windows


@st.composite
def case_records(draw: st.DrawFn, case_id: str = "CASE-0000") -> dict[str, Any]:
    """One schema-valid case record, as JSON data."""
    return _record(draw, case_id)


@st.composite
def case_extracts(draw: st.DrawFn, max_size: int = 40) -> list[dict[str, Any]]:
    """0 to ``max_size`` case records; now and then a case identifier comes again (SPC-A002)."""
    records: list[dict[str, Any]] = []
    # Small extracts often: a figure that needs everything to line up (no contact timed, say)
    # happens in a few records, rarely in forty.
    more = st.one_of(st.integers(0, min(6, max_size)), st.integers(0, max_size))
    for index in range(draw(more)):
        if records and _one_in(draw, 10):
            # A repeat: the same case again, or another record under an earlier case's id.
            earlier = records[draw(st.integers(0, len(records) - 1))]
            if draw(_BOOL):
                records.append(earlier)
                continue
            case_id = earlier["case_id"]
        elif _one_in(draw, 20):
            # A case identifier that is also someone's person identifier: still two people.
            case_id = draw(_PERSON_AS_CASE)
        else:
            case_id = f"CASE-{index:04d}"
        records.append(_record(draw, case_id))
    return records
