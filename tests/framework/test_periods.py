"""NHS financial-year quarters: parsing, dates, ordering and arithmetic."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from spcore.framework.periods import FinancialQuarter, QuarterError

quarters = st.builds(FinancialQuarter, st.integers(1949, 9997), st.integers(1, 4))


@pytest.mark.parametrize(
    ("quarter", "start", "end"),
    [
        (1, dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
        (2, dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
        (3, dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        (4, dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    ],
)
def test_quarter_dates(quarter: int, start: dt.date, end: dt.date) -> None:
    q = FinancialQuarter(2025, quarter)
    assert (q.start, q.end) == (start, end)


@pytest.mark.parametrize(
    "text",
    [
        "2025-26 Q2",
        "2025/26 Q2",
        "FY2025-26 Q2",
        "2025-26Q2",
        "fy 2025/2026 q2",
        "202526 Q2",
        " 2025–26 Q2 ",
    ],
)
def test_parse_common_spellings(text: str) -> None:
    assert FinancialQuarter.parse(text) == FinancialQuarter(2025, 2)
    assert str(FinancialQuarter.parse(text)) == "2025-26 Q2"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2025-26 Q5", "1, 2, 3 or 4"),
        ("2025-27 Q1", "not consecutive"),
        ("Q2 2025", "not an NHS financial quarter"),
        ("", "not an NHS financial quarter"),
        ("1900-01 Q1", "between 1948"),
    ],
)
def test_invalid_text_has_clear_message(text: str, fragment: str) -> None:
    with pytest.raises(QuarterError, match=fragment):
        FinancialQuarter.parse(text)


def test_year_boundary() -> None:
    q4 = FinancialQuarter(2025, 4)
    assert q4.next() == FinancialQuarter(2026, 1)
    assert FinancialQuarter(2026, 1).previous() == q4
    assert FinancialQuarter.from_date(dt.date(2026, 3, 31)) == q4
    assert FinancialQuarter.from_date(dt.date(2026, 4, 1)) == FinancialQuarter(2026, 1)
    assert FinancialQuarter(2023, 4).days == 91  # 2024 is a leap year
    assert FinancialQuarter(2024, 4).days == 90
    assert q4.data_dictionary_year == "202526"


@given(quarters)
def test_next_previous_round_trip(q: FinancialQuarter) -> None:
    assert q.next().previous() == q
    assert q.next() > q
    assert q.next().start == q.end + dt.timedelta(days=1)
    assert q.next() - q == 1


@given(quarters)
def test_text_round_trip_and_contains(q: FinancialQuarter) -> None:
    assert FinancialQuarter.parse(str(q)) == q
    assert FinancialQuarter.from_date(q.start) == q
    assert FinancialQuarter.from_date(q.end) == q
    assert 90 <= q.days <= 92


@given(st.dates(dt.date(1948, 7, 1), dt.date(9998, 12, 31)))
def test_every_date_in_exactly_one_quarter(day: dt.date) -> None:
    q = FinancialQuarter.from_date(day)
    assert q.contains(day)
    assert not q.next().contains(day)
    assert not q.previous().contains(day)


@given(quarters, quarters)
def test_ordering_matches_dates(a: FinancialQuarter, b: FinancialQuarter) -> None:
    assert (a < b) == (a.start < b.start)
    assert (a == b) == (hash(a) == hash(b) and a.start == b.start)


def test_pydantic_field() -> None:
    class Doc(BaseModel):
        period: FinancialQuarter

    assert Doc.model_validate({"period": "2025/26 Q3"}).model_dump(mode="json") == {
        "period": "2025-26 Q3"
    }
    with pytest.raises(ValidationError, match="not consecutive"):
        Doc.model_validate({"period": "2025-27 Q3"})
    with pytest.raises(ValidationError):
        Doc.model_validate({"period": 2025})
