"""Exact month, week and age arithmetic at month ends and leap days (family-action-2018 windows)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from spcore.eligibility import (
    NO_EXCLUSIONS,
    Outcome,
    PersonFacts,
    add_months,
    age_on,
    evaluate,
    secondary_care_rules,
    window_start,
)

D = dt.date
dates = st.dates(D(1901, 1, 1), D(2399, 12, 31))


def test_month_end_clamping() -> None:
    assert add_months(D(2024, 5, 31), -3) == D(2024, 2, 29)
    assert add_months(D(2025, 5, 31), -3) == D(2025, 2, 28)
    assert add_months(D(2025, 3, 31), -1) == D(2025, 2, 28)
    assert add_months(D(2025, 1, 15), -3) == D(2024, 10, 15)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)


def test_six_weeks_is_42_days() -> None:
    assert window_start(D(2024, 3, 12), weeks=6) == D(2024, 1, 30)


def test_leap_day_birthday() -> None:
    born = D(2000, 2, 29)
    assert age_on(born, D(2018, 2, 28)) == 17
    assert age_on(born, D(2018, 3, 1)) == 18
    assert age_on(born, D(2016, 2, 29)) == 16


@given(day=dates, months=st.integers(0, 24))
def test_add_months_properties(day: dt.date, months: int) -> None:
    back = add_months(day, -months)
    # Same month count apart, and the day is kept unless the month is too short.
    assert (day.year * 12 + day.month) - (back.year * 12 + back.month) == months
    assert back.day == day.day or (back.day < day.day and (back + dt.timedelta(days=1)).day == 1)


@given(as_of=dates, months=st.integers(1, 24))
def test_month_window_boundary_is_exact(as_of: dt.date, months: int) -> None:
    start = window_start(as_of, months=months)
    rules = secondary_care_rules(discharge_months=months, parent_discharge_weeks=1)
    base = PersonFacts(
        age=30, in_secondary_care=False, parent_of_child_patient=False, **NO_EXCLUSIONS
    )

    def outcome(discharged: dt.date) -> Outcome:
        person = PersonFacts(**{**_fields(base), "discharge_date": discharged})
        return evaluate(rules, person, as_of=as_of).outcome

    assert outcome(start) is Outcome.ELIGIBLE
    assert outcome(as_of) is Outcome.ELIGIBLE
    assert outcome(start - dt.timedelta(days=1)) is Outcome.NOT_ELIGIBLE
    assert outcome(as_of + dt.timedelta(days=1)) is Outcome.NOT_ELIGIBLE


@given(as_of=dates)
def test_parent_six_week_boundary_is_exact(as_of: dt.date) -> None:
    rules = secondary_care_rules()
    start = as_of - dt.timedelta(weeks=6)

    def outcome(discharged: dt.date) -> Outcome:
        person = PersonFacts(
            age=30,
            in_secondary_care=False,
            parent_of_child_patient=True,
            discharge_date=discharged,
            **NO_EXCLUSIONS,
        )
        return evaluate(rules, person, as_of=as_of).outcome

    assert outcome(start) is Outcome.ELIGIBLE
    assert outcome(start - dt.timedelta(days=1)) is Outcome.NOT_ELIGIBLE


@given(born=st.dates(D(1900, 1, 1), D(2100, 12, 31)), years=st.integers(0, 120))
def test_age_turns_on_the_birthday(born: dt.date, years: int) -> None:
    birthday = add_months(born, 12 * years)
    if birthday.day != born.day:
        # 29 February born, common year: the birthday is 1 March.
        birthday += dt.timedelta(days=1)
    assert age_on(born, birthday) == years
    if years:
        assert age_on(born, birthday - dt.timedelta(days=1)) == years - 1


@given(born=dates, as_of=dates)
def test_eighteenth_birthday_threshold(born: dt.date, as_of: dt.date) -> None:
    inclusive = secondary_care_rules()
    exclusive = secondary_care_rules(min_age_inclusive=False)
    person = PersonFacts(date_of_birth=born, in_secondary_care=True, **NO_EXCLUSIONS)
    age = age_on(born, as_of)
    got = evaluate(inclusive, person, as_of=as_of).outcome
    if age < 0:
        assert got is Outcome.NEEDS_REVIEW
    else:
        assert (got is Outcome.ELIGIBLE) == (age >= 18)
        assert (evaluate(exclusive, person, as_of=as_of).outcome is Outcome.ELIGIBLE) == (age > 18)


def _fields(p: PersonFacts) -> dict[str, object]:
    import attrs

    return attrs.asdict(p, recurse=False)
