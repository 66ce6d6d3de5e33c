"""The figures of a quarterly return from :class:`CaseColumns`, with NumPy.

Each figure here is the vectorised form of the definition of the same name
in :mod:`spcore.aggregation.derive`, which stays the one statement of what
is counted; the record-by-record path
(:class:`~spcore.aggregation.tally.Tally`) follows it literally and the
tests hold the two equal, finding for finding, on hand-worked, generated and
synthetic extracts. Ties are broken as the record-by-record path breaks
them: by the order of the extract (``row``) and, within a record, the order
of its lists.

The work is a handful of whole-array passes, sorts and ``np.unique`` calls
over the rows and child tables, so a quarter of a million-record extract is
aggregated in well under a second, and memory beyond the columns is a few
arrays of their length.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from itertools import chain, pairwise
from typing import Any, Final

import attrs
import numpy as np

from spcore.aggregation.columns import (
    FILE_PROBLEM,
    NO_DATE,
    RAG_RANK,
    RECORD,
    UNUSABLE,
    CaseColumns,
    position,
)
from spcore.aggregation.figures import (
    MAX_GROUPS_LISTED,
    SYSTEM_SERVICES,
    Figures,
    GroupFigure,
    MeasureFigure,
)
from spcore.aggregation.intake import (
    MAX_RECORD_FINDINGS,
    closed_before_referral_message,
    other_scheme_message,
    record_finding,
    repeated_case_message,
    unreadable_message,
)
from spcore.findings import Finding
from spcore.framework.enums import (
    AgeBand,
    AssessmentTimepoint,
    CaseClosureReason,
    ContactType,
    EmployabilityOutcome,
    FiveWaysToWellbeing,
    InterventionType,
    RagRating,
    ReferralCriterion,
    ReferralRejectionReason,
    ReferrerType,
    Service,
    ServiceUsePeriod,
    SocialCarePackageChange,
    WellbeingAspect,
)
from spcore.framework.timepoints import FOLLOW_UP_MONTHS
from spcore.rag import DateRange

Mask = np.ndarray[Any, np.dtype[np.bool_]]
Ints = np.ndarray[Any, np.dtype[np.int64]]

_DECLINED = position(ReferralRejectionReason.DECLINED_BY_PERSON)
_ASSESSMENT = position(ContactType.ASSESSMENT)
_BASELINE = position(AssessmentTimepoint.BASELINE)
_FOLLOW_UP = position(AssessmentTimepoint.FOLLOW_UP)
_GREEN = 0  # the rank of green (spcore.rag.model.Rating.rank)


@attrs.frozen
class Intake:
    """Which rows are counted in a period, and the findings about rows left out."""

    read: int
    valid: int
    skipped: int
    comparison: int
    other_schemes: int
    used: Mask
    findings: tuple[Finding, ...]
    skipped_by_code: dict[str, int]


def _in(days: np.ndarray[Any, Any], period: DateRange) -> Mask:
    start, end = period.start.toordinal(), period.end.toordinal()
    return (days >= start) & (days <= end)


def _rows_with(n: int, rows: np.ndarray[Any, Any]) -> Mask:
    """A row mask: True for the rows a child table's selected entries belong to."""
    mask = np.zeros(n, dtype=bool)
    mask[rows] = True
    return mask


def _groups(sorted_keys: np.ndarray[Any, Any]) -> Ints:
    """Where each run of equal values starts in a sorted array."""
    if not len(sorted_keys):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])


def sorted_distinct(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The distinct values of an integer array, in order: ``np.unique(values)``, by sorting.

    NumPy's plain ``np.unique`` finds them by hashing (in 2.4.6, the version
    measured), which on 400,000 distinct integers took some thirty times as
    long as sorting them here (benchmarks/README.md); the answer is the same.
    """
    ordered = np.sort(values)
    return ordered[_groups(ordered)]


def _first_per(keys: np.ndarray[Any, Any], *order: np.ndarray[Any, Any]) -> Ints:
    """Positions of the first entry of each distinct key, entries ranked by ``order``.

    ``order`` lists tie-breakers, most significant first; the position itself
    breaks remaining ties (the order of the extract).
    """
    position = np.arange(len(keys))
    ranked = np.lexsort((position, *reversed(order), keys))
    return ranked[_groups(keys[ranked])]


def _breakdown(codes: np.ndarray[Any, Any], codelist: type[enum.Enum]) -> dict[str, int]:
    members = list(codelist)
    found = np.bincount(codes[codes >= 0].astype(np.int64), minlength=len(members))
    return {m.value: int(found[i]) for i, m in enumerate(members) if found[i]}


def _bit_counts(masks: np.ndarray[Any, Any], codelist: type[enum.Enum]) -> dict[str, int]:
    return {m.value: int(np.count_nonzero(masks & (1 << i))) for i, m in enumerate(list(codelist))}


#: The largest table :func:`_distinct` marks: this many entries a value, and this many more.
_MARKED_PER_VALUE: Final = 8
_MARKED: Final = 1 << 16


def _distinct(values: np.ndarray[Any, Any]) -> int:
    """How many distinct values: numbers from 0 are marked in a table of them.

    The values are row, person or group numbers, so the table is no larger
    than a column, and marking beats even sorting (:func:`sorted_distinct`),
    which counts them instead when they are few or not such numbers.
    """
    if not len(values):
        return 0
    if int(values.min()) < 0 or int(values.max()) > _MARKED_PER_VALUE * len(values) + _MARKED:
        return len(sorted_distinct(values))
    seen = np.zeros(int(values.max()) + 1, dtype=bool)
    seen[values] = True
    return int(np.count_nonzero(seen))


# -------------------------------------------------------------------- intake


def intake(
    columns: CaseColumns, period: DateRange, scheme_id: str | None, *, only: bool = False
) -> Intake:
    """The rows counted in ``period``, as :class:`~spcore.aggregation.intake.RecordIntake` says.

    A record of another scheme, or closed before it was referred, is left out;
    of the records that touch the period (:func:`touches`), a case identifier
    seen before is left out; records that do not touch it are valid but add 0.
    With ``only``, another scheme's records are counted apart, not left out.
    """
    c = columns
    kind = c.kind
    record = kind == RECORD
    rows = np.flatnonzero(record)
    if scheme_id is None and len(rows):
        scheme_id = c.scheme_ids[c.scheme[rows[0]]]
    scheme = c.scheme_ids.index(scheme_id) if scheme_id in c.scheme_ids else -2
    elsewhere = record & (c.scheme != scheme)
    other = np.zeros_like(elsewhere) if only else elsewhere
    backwards = record & ~elsewhere & (c.closed != NO_DATE) & (c.closed < c.referred)
    comparison = record & ~elsewhere & ~backwards & columns.comparison()
    valid = record & ~elsewhere & ~backwards & ~comparison
    touching = np.flatnonzero(valid & touches(c, period))
    first = np.unique(c.case[touching], return_index=True)[1]
    repeated = np.ones(len(touching), dtype=bool)
    repeated[first] = False
    repeats = touching[repeated]
    used = np.zeros(len(kind), dtype=bool)
    used[touching] = True
    used[repeats] = False
    unusable = kind == UNUSABLE
    skipped = int(np.count_nonzero(unusable | other | backwards)) + len(repeats)
    every = {
        "SPC-A001": np.flatnonzero(unusable),
        "SPC-A002": repeats,
        "SPC-A003": np.flatnonzero(other),
        "SPC-A004": np.flatnonzero(backwards),
    }
    by_code = {code: rows[:MAX_RECORD_FINDINGS] for code, rows in every.items()}
    reported = sorted(
        [(int(row), code) for code, found in by_code.items() for row in found]
        + [(int(row), "") for row in np.flatnonzero(kind == FILE_PROBLEM)]
    )
    findings: list[Finding] = []
    for row, code in reported:
        if not code:
            findings.extend(c.problems.get(row, ()))
        else:
            findings.append(record_finding(code, row, _message(c, row, code, scheme_id)))
    return Intake(
        read=int(np.count_nonzero(kind != FILE_PROBLEM)),
        valid=int(np.count_nonzero(valid)) - len(repeats),
        skipped=skipped,
        comparison=int(np.count_nonzero(comparison)),
        other_schemes=int(np.count_nonzero(elsewhere)) if only else 0,
        used=used,
        findings=tuple(findings),
        skipped_by_code={code: len(rows) for code, rows in every.items() if len(rows)},
    )


def _message(c: CaseColumns, row: int, code: str, scheme_id: str | None) -> str:
    line = int(c.line[row])
    if code == "SPC-A001":
        return unreadable_message(line, c.problems.get(row, ()))
    case_id = c.case_ids[c.case[row]]
    if code == "SPC-A002":
        return repeated_case_message(case_id, line)
    if code == "SPC-A003":
        return other_scheme_message(case_id, line, c.scheme_ids[c.scheme[row]], str(scheme_id))
    return closed_before_referral_message(
        case_id,
        line,
        dt.date.fromordinal(int(c.closed[row])),
        dt.date.fromordinal(int(c.referred[row])),
    )


def _counting(c: CaseColumns) -> Mask:
    """Windows of service use that count something (one counting nothing changes no figure)."""
    counting = np.zeros(len(c.window_row), dtype=bool)
    counting[c.use_window] = True
    return counting


def touches(c: CaseColumns, period: DateRange) -> Mask:
    """:func:`spcore.aggregation.derive.touches`, for every row at once."""
    n = len(c)
    end = period.end.toordinal()
    case = c.rejection < 0
    open_at_end = case & (c.referred <= end) & ((c.closed == NO_DATE) | (c.closed >= end))
    touching: Mask = (
        _in(c.referred, period)
        | open_at_end
        | _in(c.assessed, period)
        | _in(c.plan, period)
        | _in(c.closed, period)
        | _rows_with(n, c.contact_row[_in(c.contact_date, period)])
        | _rows_with(n, c.prescription_row[_in(c.prescription_date, period)])
        | _rows_with(n, c.rating_row[_in(c.rating_date, period)])
        | _rows_with(
            n, c.window_row[_counting(c) & (c.window_side == _AFTER) & _in(c.window_end, period)]
        )
    )
    return touching


# ------------------------------------------------------------------- figures


def figures(c: CaseColumns, period: DateRange, used: Mask) -> Figures:
    """Every figure of the period over the rows ``used`` (see :func:`intake`)."""
    n = len(c)
    end = period.end.toordinal()
    referred = used & _in(c.referred, period)
    cases = used & (c.rejection < 0)
    contacts = _in(c.contact_date, period) & cases[c.contact_row]
    prescriptions = _in(c.prescription_date, period) & cases[c.prescription_row]
    benefiting = _rows_with(n, c.contact_row[contacts]) | _rows_with(
        n, c.prescription_row[prescriptions]
    )
    timed = contacts & ~np.isnan(c.contact_minutes)
    closed = cases & _in(c.closed, period)
    people = _referred_people(c, referred)
    return Figures(
        records=int(np.count_nonzero(used)),
        people_referred=people["count"],
        people_benefiting=_distinct(c.person[benefiting]),
        people_rejecting=people["declined"],
        referred_by_age_band=people["age_band"],
        referred_by_criterion=people["criteria"],
        referred_by_referrer_type=people["referrer"],
        group_count=_group_count(c, prescriptions),
        groups=_community_groups(c, prescriptions),
        plans=int(np.count_nonzero(cases & _in(c.plan, period))),
        assessments=int(np.count_nonzero(cases & _in(_assessment_dates(c, cases), period))),
        prescriptions=int(np.count_nonzero(prescriptions)),
        contacts=int(np.count_nonzero(contacts)),
        timed_people=_distinct(c.person[c.contact_row[timed]]),
        untimed_contacts=int(np.count_nonzero(contacts & ~timed)),
        minutes=_exact_sum(c.contact_minutes[timed]),
        rejected_by_reason=_breakdown(
            c.rejection[referred & (c.rejection >= 0)], ReferralRejectionReason
        ),
        closed_by_reason=_breakdown(c.closure_reason[closed], CaseClosureReason),
        caseload=_caseload(c, cases, end),
        escalated=_escalated(c, cases, period),
        employability=_people_with_bits(c, closed, c.employability, EmployabilityOutcome),
        measures=_measures(c, benefiting, period),
        wellbeing_aspects=_people_with_bits(c, closed, c.wellbeing_aspects, WellbeingAspect),
        social_care=_social_care(c, cases & _in(c.care_reviewed, period)),
        service_use=_service_use(c, cases, period),
    )


#: Values read into Python at a time by :func:`_exact_sum`.
_SUM_BLOCK: Final = 1 << 16


def _exact_sum(values: np.ndarray[Any, np.dtype[np.float64]]) -> float:
    """``math.fsum`` of the values, read a block at a time (not a list of millions of floats)."""
    blocks = (values[i : i + _SUM_BLOCK].tolist() for i in range(0, len(values), _SUM_BLOCK))
    return math.fsum(chain.from_iterable(blocks))


def _referred_people(c: CaseColumns, referred: Mask) -> dict[str, Any]:
    """Output 1 and its breakdowns: people referred, by their first referral in the period."""
    rows = np.flatnonzero(referred)
    person = c.person[rows]
    ranked = np.lexsort((rows, c.referred[rows], person))
    starts = _groups(person[ranked])
    first = rows[ranked[starts]]
    ranked_rows = rows[ranked]
    if len(starts):
        criteria = np.bitwise_or.reduceat(c.criteria[ranked_rows], starts)
        declined = np.logical_or.reduceat(c.rejection[ranked_rows] == _DECLINED, starts)
    else:
        criteria = np.zeros(0, dtype=np.int64)
        declined = np.zeros(0, dtype=bool)
    return {
        "count": len(starts),
        "declined": int(np.count_nonzero(declined)),
        "age_band": _breakdown(c.age_band[first], AgeBand),
        "referrer": _breakdown(c.referrer[first], ReferrerType),
        "criteria": _bit_counts(criteria, ReferralCriterion),
    }


def _assessment_dates(c: CaseColumns, cases: Mask) -> np.ndarray[Any, Any]:
    """Each row's assessment date: as recorded, else its first ``assessment`` contact."""
    dates = c.assessed.astype(np.int64)
    missing = cases & (c.assessed == NO_DATE)
    chosen = (c.contact_type == _ASSESSMENT) & missing[c.contact_row]
    if np.any(chosen):
        earliest = np.full(len(c), np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(earliest, c.contact_row[chosen], c.contact_date[chosen])
        found = missing & (earliest != np.iinfo(np.int64).max)
        dates[found] = earliest[found]
    return dates


def _group_count(c: CaseColumns, prescriptions: Mask) -> int:
    """Output 5: how many groups the period's prescriptions name."""
    return _distinct(c.prescription_group[prescriptions & (c.prescription_group >= 0)])


def _community_groups(c: CaseColumns, prescriptions: Mask) -> tuple[GroupFigure, ...]:
    """Output 5: each group named in the period's prescriptions, with its people.

    Empty when there are more than the return lists (only their count is published).
    """
    chosen = np.flatnonzero(prescriptions & (c.prescription_group >= 0))
    if not len(chosen) or _distinct(c.prescription_group[chosen]) > MAX_GROUPS_LISTED:
        return ()
    group = c.prescription_group[chosen].astype(np.int64)
    person = c.person[c.prescription_row[chosen]].astype(np.int64)
    ranked = np.argsort(group, kind="stable")
    starts = _groups(group[ranked])
    numbers = group[ranked][starts]
    labels = c.prescription_label[chosen][ranked][starts]
    five_ways = np.bitwise_or.reduceat(c.prescription_five_ways[chosen][ranked], starts)
    pairs = sorted_distinct(group * len(InterventionType) + c.prescription_type[chosen])
    types: dict[int, set[str]] = {}
    members = list(InterventionType)
    for pair in pairs.tolist():
        types.setdefault(pair // len(members), set()).add(members[pair % len(members)].value)
    people_in = sorted_distinct(group * (int(person.max()) + 1) + person) // (int(person.max()) + 1)
    people = np.bincount(people_in, minlength=int(numbers.max()) + 1)
    ways = list(FiveWaysToWellbeing)
    found = [
        (
            c.group_keys[number],
            GroupFigure(
                name=c.group_labels[label][0],
                directory_id=c.group_labels[label][1],
                intervention_types=frozenset(types[number]),
                five_ways=frozenset(w.value for i, w in enumerate(ways) if mask & (1 << i)),
                people=int(people[number]),
            ),
        )
        for number, label, mask in zip(
            numbers.tolist(), labels.tolist(), five_ways.tolist(), strict=True
        )
    ]
    return tuple(figure for _, figure in sorted(found, key=lambda f: f[0]))


def _sorted_ratings(c: CaseColumns, rows: Mask) -> tuple[Ints, Ints]:
    """The ratings of ``rows``, by row then date then as given; and where each row's start."""
    chosen = np.flatnonzero(rows[c.rating_row])
    ranked = chosen[np.lexsort((chosen, c.rating_date[chosen], c.rating_row[chosen]))]
    return ranked, _groups(c.rating_row[ranked])


def _caseload(c: CaseColumns, cases: Mask, end: int) -> dict[str, int]:
    """RAG caseload at the period's end: each open case's rating on the last day."""
    open_at_end = cases & (c.referred <= end) & ((c.closed == NO_DATE) | (c.closed >= end))
    rank = np.full(len(c), _GREEN, dtype=np.int64)  # green until first rated
    chosen = np.flatnonzero(open_at_end[c.rating_row] & (c.rating_date <= end))
    if len(chosen):
        rows = c.rating_row[chosen]
        ranked = chosen[np.lexsort((chosen, c.rating_date[chosen], rows))]
        ranked_rows = c.rating_row[ranked]
        last = np.r_[ranked_rows[1:] != ranked_rows[:-1], True]
        rank[ranked_rows[last]] = c.rating_rank[ranked[last]]
    found = np.bincount(rank[open_at_end], minlength=len(RagRating))
    return {value: int(found[rank]) for value, rank in RAG_RANK.items()}


def _escalated(c: CaseColumns, cases: Mask, period: DateRange) -> int:
    """Cases escalated: a case with a change to a more serious rating dated in the period."""
    ranked, starts = _sorted_ratings(c, cases)
    if not len(ranked):
        return 0
    rank = c.rating_rank[ranked].astype(np.int64)
    before = np.r_[_GREEN, rank[:-1]]
    before[starts] = _GREEN  # each case is green before its first change
    escalation = (rank > before) & _in(c.rating_date[ranked], period)
    return _distinct(c.rating_row[ranked[escalation]])


def _people_with_bits(
    c: CaseColumns, closed: Mask, bits: np.ndarray[Any, Any], codelist: type[enum.Enum]
) -> dict[str, int]:
    """Employability outcomes or wellbeing aspects of the cases closed, once per person."""
    person = c.person[closed]
    masks = bits[closed]
    found: dict[str, int] = {}
    for i, code in enumerate(list(codelist)):
        people = _distinct(person[(masks & (1 << i)) != 0])
        if people:
            found[code.value] = people
    return found


def _social_care(c: CaseColumns, reviewed: Mask) -> dict[tuple[int, str], int]:
    """Social care package changes reviewed in the period: (window, change) -> cases."""
    changes = list(SocialCarePackageChange)
    pairs = c.care_window[reviewed].astype(np.int64) * len(changes) + c.care_change[reviewed]
    values, found = np.unique(pairs, return_counts=True)
    return {
        (int(v) // len(changes), changes[int(v) % len(changes)].value): int(n)
        for v, n in zip(values.tolist(), found.tolist(), strict=True)
    }


_AFTER = position(ServiceUsePeriod.AFTER)
#: Each service of the return's comparison -> its place in a case's counts, before referral.
_SYSTEM_SLOT = {position(service): i for i, (service, _) in enumerate(SYSTEM_SERVICES)}


#: Rows of service use worked on at a time: the counts' temporary arrays stay a few
#: megabytes, where all of a million records' at once took hundreds.
_SERVICE_USE_ROWS: Final = 1 << 15


def _service_use(c: CaseColumns, cases: Mask, period: DateRange) -> dict[int, tuple[int, ...]]:
    """:func:`spcore.aggregation.derive.service_use_in` for every row, added up once per person.

    Window length -> (people, then each service's total before referral, then after).
    """
    k = len(SYSTEM_SERVICES)
    slot_of = np.full(len(Service), -1, dtype=np.int64)
    for service, place in _SYSTEM_SLOT.items():
        slot_of[service] = place
    counted = cases[c.window_row]  # each window: whether it is a case's
    found = [
        _complete_windows(c, counted, period, slot_of, k, counts)
        for counts in _row_blocks(c, _SERVICE_USE_ROWS)
    ]
    group_rows = np.concatenate([f[0] for f in found])
    group_months = np.concatenate([f[1] for f in found])
    totals = np.concatenate([f[2] for f in found])
    # Once per person and length: the earliest referral, the first row on a tie.
    person = c.person[group_rows].astype(np.int64)
    ranked = np.lexsort((group_rows, c.referred[group_rows], person, group_months))
    keys = np.stack((group_months[ranked], person[ranked]))
    first = np.ones(len(ranked), dtype=bool)
    first[1:] = np.any(keys[:, 1:] != keys[:, :-1], axis=0)
    picked = ranked[first]
    out: dict[int, tuple[int, ...]] = {}
    for length in sorted_distinct(group_months[picked]).tolist():
        mine = picked[group_months[picked] == length]
        sums = totals[mine].sum(axis=0).tolist()
        out[int(length)] = (len(mine), *(int(x) for x in sums))
    return out


def _row_blocks(c: CaseColumns, rows: int) -> list[slice]:
    """The counts (``use_*``) of about ``rows`` rows at a time, every row's counts in one block.

    Windows are in the order of their rows and counts in the order of their
    windows, as :func:`~spcore.aggregation.columns.read_columns` stores them;
    columns built otherwise are taken in one block.
    """
    total = len(c.use_window)
    ordered = bool(
        np.all(c.window_row[1:] >= c.window_row[:-1])
        and np.all(c.use_window[1:] >= c.use_window[:-1])
    )
    if not ordered or len(c) <= rows:
        return [slice(0, total)]
    # Searched with values of the columns' own type: with wider ones, NumPy would search a
    # widened copy of the whole column (at a million records, 64 MB for the counts).
    bounds = np.searchsorted(
        c.window_row, _as_type(np.arange(0, len(c) + rows, rows), c.window_row)
    )
    starts = np.searchsorted(c.use_window, _as_type(bounds, c.use_window)).tolist()
    blocks = [slice(a, b) for a, b in pairwise(starts) if b > a]
    return blocks or [slice(0, 0)]


def _as_type(values: Ints, like: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """``values`` as ``like``'s integers when they fit (searching ``like`` for them is the same)."""
    fits = not len(values) or int(values.max()) <= np.iinfo(like.dtype).max
    return values.astype(like.dtype) if fits else values


def _complete_windows(
    c: CaseColumns,
    counted: Mask,
    period: DateRange,
    slot_of: Ints,
    k: int,
    counts: slice,
) -> tuple[Ints, Ints, Ints]:
    """Each (row, window length) of these counts with every service counted on both sides.

    Its row, its length and its counts (before referral, then after), for the
    lengths whose windows after referral end in the period.
    """
    use_window = c.use_window[counts]
    slot = slot_of[c.use_service[counts].astype(np.int64)]
    keep = counted[use_window] & (slot >= 0)
    window = use_window[keep]  # each kept count's window
    rows = c.window_row[window].astype(np.int64)
    months = c.window_months[window].astype(np.int64)
    after = c.window_side[window] == _AFTER
    slot = slot[keep] + np.where(after, k, 0)
    # One group per (row, window length); lengths are at most 60 months.
    groups, inverse = np.unique(rows * 64 + months, return_inverse=True)
    present = np.zeros(len(groups), dtype=np.int64)
    np.bitwise_or.at(present, inverse, np.left_shift(1, slot))
    totals = np.zeros((len(groups), 2 * k), dtype=np.int64)
    totals[inverse, slot] = c.use_count[counts][keep]  # one count per slot (SPC-C035)
    ended = np.full(len(groups), NO_DATE, dtype=np.int64)
    np.maximum.at(ended, inverse[after], c.window_end[window[after]].astype(np.int64))
    chosen = (present == (1 << 2 * k) - 1) & _in(ended, period)
    return groups[chosen] // 64, groups[chosen] % 64, totals[chosen]


#: ``date.toordinal()`` of 1970-01-01, where NumPy's day count starts.
_EPOCH = dt.date(1970, 1, 1).toordinal()


def follow_up_due(days: np.ndarray[Any, Any]) -> Ints:
    """:func:`spcore.framework.timepoints.follow_up_due` for many baseline days (ordinals).

    A day past the last date there is stands for "never due".
    """
    when = (days.astype(np.int64) - _EPOCH).astype("datetime64[D]")
    month = when.astype("datetime64[M]")
    day = (when - month.astype("datetime64[D]")).astype(np.int64)
    due_month = month + FOLLOW_UP_MONTHS
    length = ((due_month + 1).astype("datetime64[D]") - due_month.astype("datetime64[D]")).astype(
        np.int64
    )
    due = due_month.astype("datetime64[D]") + np.minimum(day, length - 1)
    result: Ints = due.astype(np.int64) + _EPOCH
    return result


def _measures(c: CaseColumns, benefiting: Mask, period: DateRange) -> tuple[MeasureFigure, ...]:
    """Outcome instruments: each benefiting person's baseline and follow-up, per score."""
    end = period.end.toordinal()
    keys = len(c.measure_keys)
    if not keys:
        return ()
    chosen = benefiting[c.measure_row]

    def pair_id(measures: Ints) -> Ints:
        # Worked out for the measures needed only: for all at once, 8 bytes a measure.
        pair: Ints = c.measure_row[measures].astype(np.int64) * keys + c.measure_key[measures]
        return pair

    # Baseline: the earliest at or before the period's end (first given, on a tie).
    base = np.flatnonzero(chosen & (c.measure_timepoint == _BASELINE) & (c.measure_date <= end))
    base = base[_first_per(pair_id(base), c.measure_date[base])]
    base_id = pair_id(base)
    ranked = np.argsort(base_id)
    base, base_id = base[ranked], base_id[ranked]
    due = follow_up_due(c.measure_date[base])
    # Follow-up: the latest in the period, three months or more after the baseline (first
    # given, on a tie); one on or after the baseline but sooner is not paired.
    follow = np.flatnonzero(
        chosen & (c.measure_timepoint == _FOLLOW_UP) & _in(c.measure_date, period)
    )
    at = np.searchsorted(base_id, pair_id(follow))
    at_ok = at < len(base_id)
    matched = np.zeros(len(follow), dtype=bool)
    matched[at_ok] = base_id[at[at_ok]] == pair_id(follow[at_ok])
    matched[matched] &= c.measure_date[follow[matched]] >= c.measure_date[base[at[matched]]]
    follow, at = follow[matched], at[matched]
    soon = c.measure_date[follow] < due[at]
    early = np.zeros(len(base), dtype=bool)
    early[at[soon]] = True
    follow, at = follow[~soon], at[~soon]
    latest = _first_per(pair_id(follow), -c.measure_date[follow].astype(np.int64))
    follow_date = np.full(len(base), NO_DATE, dtype=np.int64)
    follow_score = np.full(len(base), np.nan)
    follow_date[at[latest]] = c.measure_date[follow[latest]]
    follow_score[at[latest]] = c.measure_score[follow[latest]]
    early &= follow_date == NO_DATE
    # One pair per person and score: the latest follow-up (the first record's, on a tie).
    row = base_id // keys
    key = base_id % keys
    person = c.person[row].astype(np.int64)
    who = person * keys + key
    chosen_pairs = _first_per(who, np.where(follow_date == NO_DATE, 1, -follow_date), row)
    early_people = sorted_distinct(who[early])
    found = []
    for number in sorted_distinct(key).tolist():
        mine = chosen_pairs[key[chosen_pairs] == number]
        with_follow_up = mine[follow_date[mine] != NO_DATE]
        without = mine[follow_date[mine] == NO_DATE]
        found.append(
            MeasureFigure(
                key=c.measure_keys[number],
                people=len(mine),
                baselines=c.measure_score[base[with_follow_up]].tolist(),
                follow_ups=follow_score[with_follow_up].tolist(),
                all_baselines=c.measure_score[base[mine]].tolist(),
                too_soon=int(np.count_nonzero(np.isin(who[without], early_people))),
            )
        )
    return tuple(found)
