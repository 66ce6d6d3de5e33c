"""Exact month, week and age arithmetic at month ends and leap days (family-action-2018 windows)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spcore.eligibility import (
    NO_EXCLUSIONS,
    Outcome,
    PersonFacts,
    add_months,
    age_on,
    birthday,
    evaluate,
    parse_rules,
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
        eighteenth = birthday(born, 18)
        over = eighteenth is not None and as_of > eighteenth
        assert (evaluate(exclusive, person, as_of=as_of).outcome is Outcome.ELIGIBLE) == over


def _fields(p: PersonFacts) -> dict[str, object]:
    import attrs

    return attrs.asdict(p, recurse=False)


#: (label, evaluation date) for someone born on 2007-03-15; the 18th birthday is 2025-03-15.
BORN = D(2007, 3, 15)
OVER_18_CASES = [
    ("17y364d", D(2025, 3, 14), False, False),
    ("18th birthday", D(2025, 3, 15), True, False),
    ("18y1d", D(2025, 3, 16), True, True),
    ("18y6m", D(2025, 9, 15), True, True),
]


@pytest.mark.parametrize(("label", "as_of", "inclusive", "strict"), OVER_18_CASES)
def test_over_18_both_readings(label: str, as_of: dt.date, inclusive: bool, strict: bool) -> None:
    """family-action-2018 "over 18": 18 or over (default), or strictly from the day after."""
    person = PersonFacts(date_of_birth=BORN, in_secondary_care=True, **NO_EXCLUSIONS)
    eligible = Outcome.ELIGIBLE
    assert (evaluate(secondary_care_rules(), person, as_of=as_of).outcome is eligible) is inclusive
    strict_rules = secondary_care_rules(min_age_inclusive=False)
    assert (evaluate(strict_rules, person, as_of=as_of).outcome is eligible) is strict
    # The same readings written in a rule file.
    for bound, expected in (("at_least", inclusive), ("more_than", strict)):
        rules, findings = parse_rules({"id": "age", "title": "Age", "rule": {"age": {bound: 18}}})
        assert rules is not None, findings
        assert (evaluate(rules, person, as_of=as_of).outcome is eligible) is expected


def test_over_18_leap_day_birthday() -> None:
    born = D(2008, 2, 29)
    assert birthday(born, 18) == D(2026, 3, 1)
    person = PersonFacts(date_of_birth=born, in_secondary_care=True, **NO_EXCLUSIONS)
    strict_rules = secondary_care_rules(min_age_inclusive=False)
    assert evaluate(strict_rules, person, as_of=D(2026, 3, 1)).outcome is Outcome.NOT_ELIGIBLE
    assert evaluate(strict_rules, person, as_of=D(2026, 3, 2)).outcome is Outcome.ELIGIBLE


def test_over_18_with_recorded_age_only() -> None:
    rules = secondary_care_rules(min_age_inclusive=False)
    as_of = D(2025, 6, 30)
    outcomes = {
        age: evaluate(
            rules, PersonFacts(age=age, in_secondary_care=True, **NO_EXCLUSIONS), as_of=as_of
        ).outcome
        for age in (17, 18, 19)
    }
    assert outcomes == {
        17: Outcome.NOT_ELIGIBLE,
        18: Outcome.NEEDS_REVIEW,  # may be the 18th birthday itself
        19: Outcome.ELIGIBLE,
    }


def test_age_bounds_wording() -> None:
    rules, _ = parse_rules(
        {"id": "a", "title": "A", "rule": {"age": {"more_than": 18, "at_most": 18}}}
    )
    assert rules is not None  # the rest of the 19th year is possible
    person = PersonFacts(date_of_birth=BORN, in_secondary_care=True, **NO_EXCLUSIONS)
    decision = evaluate(rules, person, as_of=D(2025, 3, 15))
    assert decision.results[0].requirement == (
        "older than 18 (from the day after the 18th birthday) and age 18 or less"
    )
    assert "the 18th birthday" in decision.results[0].reason
    empty, findings = parse_rules(
        {"id": "a", "title": "A", "rule": {"age": {"more_than": 18, "less_than": 18}}}
    )
    assert empty is None
    assert findings
