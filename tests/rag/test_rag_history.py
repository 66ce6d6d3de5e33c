"""Rating history, escalations and the RAG-rated caseload (family-action-2018, monitoring data)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spcore.findings import Severity
from spcore.rag import (
    CaseRatingHistory,
    DateRange,
    Rating,
    RatingChange,
    caseload_on,
    caseload_summary,
    check_history,
)

D = dt.date


def case(
    case_id: str, referred: dt.date, *changes: tuple[dt.date, str], closed: dt.date | None = None
) -> CaseRatingHistory:
    return CaseRatingHistory(
        case_id,
        referred,
        [RatingChange(day, rating, ["reason"]) for day, rating in changes],
        closed,
    )


def test_green_from_referral_until_first_change() -> None:
    h = case("c1", D(2025, 4, 3), (D(2025, 4, 8), "amber"))
    assert h.rating_on(D(2025, 4, 2)) is None
    assert h.rating_on(D(2025, 4, 3)) is Rating.GREEN
    assert h.rating_on(D(2025, 4, 7)) is Rating.GREEN
    assert h.rating_on(D(2025, 4, 8)) is Rating.AMBER
    assert h.timeline()[0].rating is Rating.GREEN


def test_changes_are_sorted_and_same_day_order_kept() -> None:
    h = case(
        "c1",
        D(2025, 4, 1),
        (D(2025, 5, 1), "red"),
        (D(2025, 4, 10), "amber"),
        (D(2025, 5, 1), "amber"),
    )
    assert [c.on for c in h.changes] == [D(2025, 4, 10), D(2025, 5, 1), D(2025, 5, 1)]
    # End of the day: the last change given for that day.
    assert h.rating_on(D(2025, 5, 1)) is Rating.AMBER
    assert h.ratings_between(D(2025, 5, 1), D(2025, 5, 1)) == {Rating.AMBER, Rating.RED}


def test_escalations() -> None:
    h = case(
        "c1",
        D(2025, 4, 1),
        (D(2025, 4, 5), "amber"),
        (D(2025, 4, 20), "green"),
        (D(2025, 6, 1), "red"),
        (D(2025, 6, 5), "amber"),
    )
    assert [c.on for c in h.escalations()] == [D(2025, 4, 5), D(2025, 6, 1)]
    assert h.escalated
    assert h.escalated_between(D(2025, 5, 1), D(2025, 6, 30))
    assert not h.escalated_between(D(2025, 6, 2), D(2025, 6, 30))


def test_de_escalation_only_is_not_escalated() -> None:
    h = case("c1", D(2025, 4, 1), (D(2025, 4, 5), "green"))
    assert not h.escalated
    assert not case("c2", D(2025, 4, 1)).escalated


def test_closed_case_has_no_rating_after_closure() -> None:
    h = case("c1", D(2025, 4, 1), (D(2025, 4, 2), "red"), closed=D(2025, 5, 31))
    assert h.rating_on(D(2025, 5, 31)) is Rating.RED
    assert h.rating_on(D(2025, 6, 1)) is None


def test_caseload_on_a_date() -> None:
    cases = [
        case("a", D(2025, 4, 1)),
        case("b", D(2025, 4, 1), (D(2025, 4, 10), "amber")),
        case("c", D(2025, 4, 1), (D(2025, 4, 10), "red"), closed=D(2025, 4, 30)),
        case("d", D(2025, 5, 1)),
    ]
    assert caseload_on(cases, D(2025, 4, 15)) == {
        Rating.GREEN: 1,
        Rating.AMBER: 1,
        Rating.RED: 1,
    }
    assert caseload_on(cases, D(2025, 5, 1)) == {Rating.GREEN: 2, Rating.AMBER: 1, Rating.RED: 0}


def test_quarter_summary() -> None:
    q1 = DateRange(D(2025, 4, 1), D(2025, 6, 30))
    cases = [
        case("a", D(2025, 3, 20)),  # open all quarter, green
        case("b", D(2025, 4, 2), (D(2025, 5, 1), "amber"), (D(2025, 6, 1), "red")),
        case("c", D(2025, 1, 5), (D(2025, 2, 1), "red"), closed=D(2025, 4, 15)),
        case("d", D(2025, 7, 1)),  # referred after the quarter
        case("e", D(2024, 1, 1), closed=D(2025, 3, 31)),  # closed before it
    ]
    s = caseload_summary(cases, q1)
    assert s.open_cases == 3
    assert s.at_start == {Rating.GREEN: 1, Rating.AMBER: 0, Rating.RED: 1}
    assert s.at_end == {Rating.GREEN: 1, Rating.AMBER: 0, Rating.RED: 1}
    assert s.held == {Rating.GREEN: 2, Rating.AMBER: 1, Rating.RED: 2}
    assert s.escalated == 1


def test_summary_rejects_inverted_period() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        caseload_summary([], DateRange(D(2025, 6, 30), D(2025, 4, 1)))


def test_check_history_findings() -> None:
    h = CaseRatingHistory(
        "c/1",
        D(2025, 4, 10),
        [
            RatingChange(D(2025, 4, 1), "amber", ["x"]),
            RatingChange(D(2025, 4, 12), "red"),
            RatingChange(D(2025, 6, 1), "green"),
        ],
        closed_on=D(2025, 4, 5),
    )
    found = {(f.code, f.path) for f in check_history(h)}
    assert found == {
        ("SPC-G003", "/cases/c~11/closed_on"),
        ("SPC-G001", "/cases/c~11/changes/0"),
        ("SPC-G002", "/cases/c~11/changes/1"),
        ("SPC-G004", "/cases/c~11/changes/1"),
        ("SPC-G002", "/cases/c~11/changes/2"),
    }
    severities = {f.code: f.severity for f in check_history(h)}
    assert severities["SPC-G004"] is Severity.WARNING
    assert severities["SPC-G001"] is Severity.ERROR


def test_clean_history_has_no_findings() -> None:
    assert check_history(case("c1", D(2025, 4, 1), (D(2025, 4, 3), "amber"))) == []


ratings = st.sampled_from(list(Rating))


@st.composite
def histories(draw: st.DrawFn) -> CaseRatingHistory:
    referred = draw(st.dates(D(2024, 1, 1), D(2025, 12, 31)))
    offsets = draw(st.lists(st.integers(0, 200), max_size=6))
    changes = [RatingChange(referred + dt.timedelta(days=o), draw(ratings)) for o in offsets]
    closed = draw(st.one_of(st.none(), st.integers(0, 300)))
    return CaseRatingHistory(
        "x", referred, changes, None if closed is None else referred + dt.timedelta(days=closed)
    )


@given(cases=st.lists(histories(), max_size=8), day=st.dates(D(2023, 12, 1), D(2026, 12, 31)))
def test_caseload_counts_match_open_cases(cases: list[CaseRatingHistory], day: dt.date) -> None:
    counts = caseload_on(cases, day)
    assert sum(counts.values()) == sum(h.is_open_on(day) for h in cases)


@given(h=histories(), start=st.dates(D(2023, 12, 1), D(2026, 12, 31)), days=st.integers(0, 120))
def test_held_ratings_include_start_and_end(
    h: CaseRatingHistory, start: dt.date, days: int
) -> None:
    end = start + dt.timedelta(days=days)
    held = h.ratings_between(start, end)
    for day in (start, end):
        rating = h.rating_on(day)
        if rating is not None:
            assert rating in held
    assert h.escalated == any(
        b.rating.rank > a.rating.rank for a, b in zip(h.timeline(), h.timeline()[1:], strict=False)
    )
