"""A case's rating over time, escalations, and the RAG-rated caseload.

family-action-2018 ("Monitoring and impact measurement") asks services to record
"cases escalated" and the "RAG rated caseload over time". Both are derived
here from one record per case: the referral date, the closure date (if
closed) and the dated rating changes, each with its reasons.

Conventions (documented in ``docs/rag.md``):

- A case is green from its referral date until its first recorded change
  (family-action-2018: every case is green at referral, before assessment).
- Several changes on one day are applied in the order given; the rating *on*
  a day is the rating at the end of that day.
- A case is open from its referral date to its closure date, both inclusive.
- An escalation is a change to a more serious rating than the one held just
  before it (green to amber, amber to red, green to red).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol

import attrs

from spcore.answers import code
from spcore.findings import Finding, error, pointer, warning
from spcore.rag.model import Rating


class Period(Protocol):
    """Anything with inclusive ``start`` and ``end`` dates, such as a
    ``FinancialQuarter``."""

    @property
    def start(self) -> dt.date:
        """First day, inclusive."""
        ...

    @property
    def end(self) -> dt.date:
        """Last day, inclusive."""
        ...


@attrs.frozen
class DateRange:
    """A simple inclusive date range, for callers without a quarter object."""

    start: dt.date
    end: dt.date


def _texts(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _rating(value: Rating | str) -> Rating:
    return code(Rating, "rating", value)


@attrs.frozen
class RatingChange:
    """The case was rated ``rating`` on ``on``, for ``reasons`` (plain text)."""

    on: dt.date = attrs.field(validator=attrs.validators.instance_of(dt.date))
    rating: Rating = attrs.field(converter=_rating)
    reasons: tuple[str, ...] = attrs.field(default=(), converter=_texts)


def _sorted_changes(changes: Iterable[RatingChange]) -> tuple[RatingChange, ...]:
    # sorted() is stable, so same-day changes keep the order they were given in.
    return tuple(sorted(changes, key=lambda c: c.on))


@attrs.frozen
class CaseRatingHistory:
    """The rating history of one case.

    Attributes:
        case_id: the case identifier (pseudonymised before it leaves a scheme).
        referred_on: referral date; the case is green from this day.
        changes: dated rating changes, kept in date order.
        closed_on: closure date, or ``None`` while open.
    """

    case_id: str
    referred_on: dt.date
    changes: tuple[RatingChange, ...] = attrs.field(default=(), converter=_sorted_changes)
    closed_on: dt.date | None = None

    def timeline(self) -> tuple[RatingChange, ...]:
        """The changes, starting with the implicit green at referral."""
        start = RatingChange(
            self.referred_on, Rating.GREEN, ("Green at referral, before assessment.",)
        )
        return (start, *self.changes)

    def is_open_on(self, day: dt.date) -> bool:
        """True when the case is open on ``day`` (referral and closure days included)."""
        if day < self.referred_on:
            return False
        return self.closed_on is None or day <= self.closed_on

    def rating_on(self, day: dt.date) -> Rating | None:
        """The rating at the end of ``day``, or ``None`` when the case is not open."""
        if not self.is_open_on(day):
            return None
        current = Rating.GREEN
        for change in self.changes:
            if change.on > day:
                break
            current = change.rating
        return current

    def escalations(self) -> tuple[RatingChange, ...]:
        """Changes that moved the case to a more serious rating."""
        found: list[RatingChange] = []
        previous = Rating.GREEN
        for change in self.changes:
            if change.rating.rank > previous.rank:
                found.append(change)
            previous = change.rating
        return tuple(found)

    @property
    def escalated(self) -> bool:
        """True when the case was ever escalated (family-action-2018: "cases escalated")."""
        return bool(self.escalations())

    def escalated_between(self, start: dt.date, end: dt.date) -> bool:
        """True when an escalation is dated within ``start``..``end`` (inclusive)."""
        return any(start <= c.on <= end for c in self.escalations())

    def ratings_between(self, start: dt.date, end: dt.date) -> frozenset[Rating]:
        """Every rating the case held on any day of ``start``..``end`` while open."""
        first = max(start, self.referred_on)
        last = end if self.closed_on is None else min(end, self.closed_on)
        if first > last:
            return frozenset()
        held: set[Rating] = set()
        opening = self.rating_on(first)
        if opening is not None:
            held.add(opening)
        # A rating given and replaced on the same day was still held that day.
        for change in self.changes:
            if first <= change.on <= last:
                held.add(change.rating)
        return frozenset(held)


def check_history(history: CaseRatingHistory) -> list[Finding]:
    """Check one history for impossible or incomplete entries.

    Codes: ``SPC-G001`` change before referral, ``SPC-G002`` change after
    closure, ``SPC-G003`` closure before referral, ``SPC-G004`` amber or red
    change recorded without reasons (family-action-2018 asks for the reasons to be on
    the case file).
    """
    findings: list[Finding] = []
    base = pointer("cases", history.case_id)
    if history.closed_on is not None and history.closed_on < history.referred_on:
        findings.append(
            error(
                "SPC-G003",
                pointer("cases", history.case_id, "closed_on"),
                f"Case {history.case_id} is closed on {history.closed_on}, before its "
                f"referral on {history.referred_on}.",
            )
        )
    for index, change in enumerate(history.changes):
        path = base + pointer("changes", index)
        if change.on < history.referred_on:
            findings.append(
                error(
                    "SPC-G001",
                    path,
                    f"Case {history.case_id} is rated {change.rating} on {change.on}, before "
                    f"its referral on {history.referred_on}.",
                )
            )
        if history.closed_on is not None and change.on > history.closed_on:
            findings.append(
                error(
                    "SPC-G002",
                    path,
                    f"Case {history.case_id} is rated {change.rating} on {change.on}, after "
                    f"it was closed on {history.closed_on}.",
                )
            )
        if change.rating is not Rating.GREEN and not any(r.strip() for r in change.reasons):
            findings.append(
                warning(
                    "SPC-G004",
                    path,
                    f"Case {history.case_id} is rated {change.rating} on {change.on} without a "
                    "reason; record which answers and concerns led to the rating.",
                )
            )
    return findings


def _zero() -> dict[Rating, int]:
    return dict.fromkeys(Rating, 0)


def caseload_on(histories: Iterable[CaseRatingHistory], day: dt.date) -> dict[Rating, int]:
    """Open cases on ``day`` counted by their rating at the end of that day."""
    counts = _zero()
    for history in histories:
        rating = history.rating_on(day)
        if rating is not None:
            counts[rating] += 1
    return counts


@attrs.frozen
class CaseloadSummary:
    """The RAG-rated caseload over a period, for the return (family-action-2018).

    Attributes:
        start, end: the period, inclusive.
        open_cases: cases open on at least one day of the period.
        at_start: open cases by rating at the end of the first day.
        at_end: open cases by rating at the end of the last day.
        held: cases that held each rating on at least one day of the period
            (a case can count under several ratings).
        escalated: cases with at least one escalation dated in the period.
    """

    start: dt.date
    end: dt.date
    open_cases: int
    at_start: dict[Rating, int]
    at_end: dict[Rating, int]
    held: dict[Rating, int]
    escalated: int


def caseload_summary(histories: Iterable[CaseRatingHistory], period: Period) -> CaseloadSummary:
    """Summarise the caseload over ``period`` (an NHS quarter, or any :class:`DateRange`).

    Raises ``ValueError`` when the period ends before it starts.
    """
    start, end = period.start, period.end
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    cases = list(histories)
    held = _zero()
    open_cases = 0
    escalated = 0
    for history in cases:
        ratings = history.ratings_between(start, end)
        if ratings:
            open_cases += 1
        for rating in ratings:
            held[rating] += 1
        if history.escalated_between(start, end):
            escalated += 1
    return CaseloadSummary(
        start=start,
        end=end,
        open_cases=open_cases,
        at_start=caseload_on(cases, start),
        at_end=caseload_on(cases, end),
        held=held,
        escalated=escalated,
    )
