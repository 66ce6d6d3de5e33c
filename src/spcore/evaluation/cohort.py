"""Who is evaluated, and the breakdown cells they fall in.

The cohort of an evaluation is spcore's definition, stated once here: the
people **referred in the period** (every record when no period is given)
whose referral became a case (not rejected or declined). Records marked as a
comparison cohort (``cohort`` ``comparison-not-referred`` or
``comparison-waiting-list``), whose index date is in the period, form the
comparison group of the service-use figures. Each person is
evaluated once, on their first case referred in the period (the earliest
referral; the first in the extract on a tie), so a person with two cases is
not counted twice. Records that cannot be used are left out with a coded
finding naming their line (``SPC-V001`` to ``SPC-V004``), and counted.

Breakdowns (``--by``) put each person in cells: one per value of a field on
the record. Every person is in the total cell; a referral-criterion cell
holds everyone who met that criterion, so criteria cells overlap (a person
meets several) and do not add up to the total.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from typing import Any, Final

import attrs
import numpy as np

from spcore.aggregation.columnar import _first_per, sorted_distinct
from spcore.aggregation.columns import NO_DATE, RAG_RANK, RECORD, UNUSABLE, CaseColumns
from spcore.aggregation.intake import MAX_RECORD_FINDINGS, unreadable_message
from spcore.evaluation import codes
from spcore.findings import Finding, error, pointer, warning
from spcore.framework import enums

IntArray = np.ndarray[Any, np.dtype[np.int64]]
Mask = np.ndarray[Any, np.dtype[np.bool_]]

#: The fields a breakdown can be by: field -> what it is, in words.
BREAKDOWNS: Final[dict[str, str]] = {
    "scheme": "scheme",
    "quarter": "financial quarter of referral",
    "age-band": "age band at referral",
    "referrer-type": "who referred the person",
    "referral-criterion": "referral criterion met (a person meets one or more)",
    "rag-rating": "latest RAG safeguarding rating on the record",
}

#: The total cell every person is in.
TOTAL: Final = ("all", "all")

#: A RAG rank (0 green, 1 amber, 2 red) -> its code.
_RAG_CODE: Final = {rank: code for code, rank in RAG_RANK.items()}


@attrs.frozen
class Period:
    """An inclusive range of referral dates; ``None`` ends are open."""

    start: dt.date | None = None
    end: dt.date | None = None
    label: str = "all referrals"

    def mask(self, days: np.ndarray[Any, Any]) -> Mask:
        """True for ordinals inside the period."""
        inside: Mask = days != NO_DATE
        if self.start is not None:
            inside &= days >= self.start.toordinal()
        if self.end is not None:
            inside &= days <= self.end.toordinal()
        return inside


@attrs.frozen
class Intake:
    """What happened to each item of the extract.

    Attributes:
        rows: the rows of the people referred who are evaluated (one per person), in
            extract order.
        comparison_rows: the rows of comparison people (records marked as a comparison
            cohort), chosen the same way; they are in service-use comparisons only.
        read: items read (records and unusable lines).
        outside_period: records referred outside the period (not left out: not asked for).
        not_cases: referrals in the period that were rejected or declined.
        left_out: records left out, by finding code.
        findings: one finding per left-out record (the first
            :data:`~spcore.aggregation.intake.MAX_RECORD_FINDINGS` of each code).
    """

    rows: IntArray
    comparison_rows: IntArray
    read: int
    outside_period: int
    not_cases: int
    left_out: dict[str, int]
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        """Counts as a JSON-ready dictionary (findings apart)."""
        return {
            "read": self.read,
            "evaluated": len(self.rows),
            "comparison": len(self.comparison_rows),
            "outside_period": self.outside_period,
            "not_cases": self.not_cases,
            "left_out": dict(self.left_out),
            "left_out_total": sum(self.left_out.values()),
        }


def _message(c: CaseColumns, row: int, code: str) -> str:
    line = int(c.line[row])
    if code == codes.UNUSABLE_RECORD:
        return unreadable_message(line, c.problems.get(row, ()))
    case_id = c.case_ids[c.case[row]]
    if code == codes.REPEATED_CASE:
        return f"Case {case_id} (line {line}) was seen earlier in the extract; it is left out."
    if code == codes.CLOSED_BEFORE_REFERRAL:
        return f"Case {case_id} (line {line}) closed before it was referred; it is left out."
    return (
        f"Case {case_id} (line {line}) is a later case of a person already evaluated on an "
        "earlier case referred in the period; each person is evaluated once."
    )


def _first_of_each_person(c: CaseColumns, rows: IntArray) -> tuple[IntArray, IntArray]:
    """Of ``rows``, each person's first referral (first in the extract on a tie), and the rest."""
    chosen = np.sort(_first_per(c.person[rows].astype(np.int64), c.referred[rows]))
    later = np.ones(len(rows), dtype=bool)
    later[chosen] = False
    return rows[chosen].astype(np.int64), rows[later].astype(np.int64)


def select(c: CaseColumns, period: Period) -> Intake:
    """The people evaluated in ``period``, and every record left out with its reason."""
    record = c.kind == RECORD
    unusable = c.kind == UNUSABLE
    backwards = record & (c.closed != NO_DATE) & (c.closed < c.referred)
    valid = np.flatnonzero(record & ~backwards)
    # A case identifier is a case within its scheme; the first record of one is kept.
    case_key = c.scheme[valid].astype(np.int64) * (len(c.case_ids) + 1) + c.case[valid]
    first = np.unique(case_key, return_index=True)[1]
    repeated = np.ones(len(valid), dtype=bool)
    repeated[first] = False
    kept = valid[~repeated]
    in_period = period.mask(c.referred[kept])
    outside = int(np.count_nonzero(~in_period))
    kept = kept[in_period]
    is_case = c.rejection[kept] < 0
    not_cases = int(np.count_nonzero(~is_case))
    kept = kept[is_case]
    compared = c.comparison()[kept]
    referred, comparison = _first_of_each_person(c, kept[~compared])
    others, more = _first_of_each_person(c, kept[compared])
    every = {
        codes.UNUSABLE_RECORD: np.flatnonzero(unusable),
        codes.REPEATED_CASE: valid[repeated],
        codes.CLOSED_BEFORE_REFERRAL: np.flatnonzero(backwards),
        codes.LATER_CASE_OF_PERSON: np.sort(np.concatenate([comparison, more])),
    }
    reported = sorted(
        (int(row), code) for code, rows in every.items() for row in rows[:MAX_RECORD_FINDINGS]
    )
    findings = tuple(
        # A later case of a person is a valid record, left out by the cohort's definition.
        (warning if code == codes.LATER_CASE_OF_PERSON else error)(
            code, pointer(row), _message(c, row, code)
        )
        for row, code in reported
    )
    return Intake(
        rows=referred,
        comparison_rows=others,
        read=int(np.count_nonzero(record | unusable)),
        outside_period=outside,
        not_cases=not_cases,
        left_out={code: len(rows) for code, rows in every.items() if len(rows)},
        findings=findings,
    )


@attrs.frozen
class Cells:
    """Breakdown cells and who is in each.

    Attributes:
        labels: (field, value) of each cell; the first is the total, ``("all", "all")``.
        member_person: for each membership, the person's position in the cohort.
        member_cell: for each membership, the cell's number.
        partitions: for each field, the cell numbers that split the total
            (each person in exactly one), for disclosure control; criteria are
            not a partition.
    """

    labels: tuple[tuple[str, str], ...]
    member_person: IntArray
    member_cell: IntArray
    partitions: dict[str, tuple[int, ...]]

    def __len__(self) -> int:
        """The number of cells."""
        return len(self.labels)


#: ``date.toordinal()`` of 1970-01-01, where NumPy's day count starts.
_EPOCH: Final = dt.date(1970, 1, 1).toordinal()


def _quarter_codes(days: np.ndarray[Any, Any]) -> tuple[IntArray, list[str]]:
    """Each day's financial quarter as a number, and the quarters' labels (``2025-26 Q2``)."""
    known = days != NO_DATE
    when = (np.where(known, days, _EPOCH).astype(np.int64) - _EPOCH).astype("datetime64[D]")
    months = when.astype("datetime64[M]").astype(np.int64)  # months since January 1970
    # Financial quarters start in April: shift by 3 months so quarter 1 begins a year.
    quarter = (months - 3) // 3
    quarter = np.where(known, quarter, -1)
    distinct = sorted_distinct(quarter[known])
    labels = []
    for number in distinct.tolist():
        start = 1970 + number // 4
        labels.append(f"{start}-{(start + 1) % 100:02d} Q{number % 4 + 1}")
    codes_ = np.where(known, np.searchsorted(distinct, quarter), -1).astype(np.int64)
    return codes_, labels


def latest_rank(c: CaseColumns, rows: IntArray) -> IntArray:
    """Each row's latest RAG rank by date (the last given on a tie), or -1 when unrated."""
    where = np.full(len(c), -1, dtype=np.int64)
    where[rows] = np.arange(len(rows))
    mine = np.flatnonzero(where[c.rating_row] >= 0)
    out = np.full(len(rows), -1, dtype=np.int64)
    if len(mine):
        order = np.lexsort((mine, c.rating_date[mine], c.rating_row[mine]))
        ranked = mine[order]
        last = np.r_[c.rating_row[ranked][1:] != c.rating_row[ranked][:-1], True]
        chosen = ranked[last]
        out[where[c.rating_row[chosen]]] = c.rating_rank[chosen]
    return out


_CODELISTS: Final[dict[str, type[enum.Enum]]] = {
    "age-band": enums.AgeBand,
    "referrer-type": enums.ReferrerType,
    "referral-criterion": enums.ReferralCriterion,
}


def _single(c: CaseColumns, rows: IntArray, field: str) -> tuple[IntArray, list[str]]:
    """A single-valued field: each person's value as a number (-1 none), and the values."""
    if field == "scheme":
        return c.scheme[rows].astype(np.int64), list(c.scheme_ids)
    if field == "quarter":
        return _quarter_codes(c.referred[rows])
    if field == "rag-rating":
        ranks = latest_rank(c, rows)
        return ranks, [_RAG_CODE[rank] for rank in range(len(_RAG_CODE))]
    column = c.age_band if field == "age-band" else c.referrer
    return column[rows].astype(np.int64), [m.value for m in _CODELISTS[field]]


def cells(c: CaseColumns, rows: IntArray, by: Sequence[str]) -> Cells:
    """The total cell, then one cell per value of each field in ``by`` (in codelist order)."""
    people = np.arange(len(rows), dtype=np.int64)
    labels: list[tuple[str, str]] = [TOTAL]
    persons: list[IntArray] = [people]
    numbers: list[IntArray] = [np.zeros(len(rows), dtype=np.int64)]
    partitions: dict[str, tuple[int, ...]] = {}
    for field in by:
        if field == "referral-criterion":
            members = [m.value for m in enums.ReferralCriterion]
            masks = c.criteria[rows]
            for bit, value in enumerate(members):
                who = people[(masks >> bit) & 1 == 1]
                if len(who):
                    persons.append(who)
                    numbers.append(np.full(len(who), len(labels), dtype=np.int64))
                    labels.append((field, value))
            continue
        values, names = _single(c, rows, field)
        present = sorted_distinct(values[values >= 0])
        number = np.full(len(names) + 1, -1, dtype=np.int64)
        number[present] = np.arange(len(labels), len(labels) + len(present))
        labels.extend((field, names[v]) for v in present.tolist())
        known = values >= 0
        persons.append(people[known])
        numbers.append(number[values[known]])
        partitions[field] = tuple(number[present].tolist())
    return Cells(tuple(labels), np.concatenate(persons), np.concatenate(numbers), partitions)
