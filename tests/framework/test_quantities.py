"""Quantities with units: normalisation and rejection."""

from __future__ import annotations

import contextlib
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import spcore.schemas
from spcore.framework.quantities import FULL_TIME_HOURS_PER_WEEK, Duration, Money, Staffing
from spcore.framework.types import MAX_QUANTITY


@pytest.mark.parametrize(
    ("value", "unit", "minutes", "normalised"),
    [
        (90, "minute", 90, "minute"),
        (90, "minutes", 90, "minute"),
        (90, "mins", 90, "minute"),
        (1.5, "hour", 90, "hour"),
        (1.5, "hrs", 90, "hour"),
        (2, "day", 2880, "day"),
        (1, "week", 10080, "week"),
    ],
)
def test_duration_normalises(value: float, unit: str, minutes: float, normalised: str) -> None:
    d = Duration.model_validate({"value": value, "unit": unit})
    assert d.unit == normalised
    assert d.value == value  # the given value is kept
    assert d.canonical == pytest.approx(minutes)


def test_fte_from_hours() -> None:
    assert FULL_TIME_HOURS_PER_WEEK == 37.5
    s = Staffing.model_validate({"value": 75, "unit": "hours per week"})
    assert s.unit == "hour_per_week"
    assert s.canonical == pytest.approx(2.0)
    assert Staffing.of(1).to("hour_per_week") == pytest.approx(37.5)


def test_money() -> None:
    assert Money.model_validate({"value": 250, "unit": "pence"}).canonical == pytest.approx(2.5)
    assert Money.of(10).unit == "GBP"


@pytest.mark.parametrize(
    ("model", "unit", "fragment"),
    [
        (Duration, "GBP", "not a unit of duration"),
        (Duration, "parsec", "not a unit of duration"),
        (Duration, "fortnight", "not one a return may use"),
        (Money, "minute", "not a unit of money"),
        (Staffing, "minute", "not a unit of staffing"),
        (Duration, "blorp", "not a unit spcore knows"),
        (Duration, "", "must be text"),
        (Duration, 5, "must be text"),
        (Money, "1/0", "not a unit spcore knows"),
    ],
)
def test_rejects_bad_units(model: type[Duration], unit: object, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        model.model_validate({"value": 1, "unit": unit})


@pytest.mark.parametrize("value", [-1, float("nan"), float("inf"), 1e300, MAX_QUANTITY + 1])
def test_rejects_bad_values(value: float) -> None:
    with pytest.raises(ValidationError):
        Duration.model_validate({"value": value, "unit": "minute"})


@pytest.mark.parametrize("model", [Duration, Money, Staffing])
def test_the_largest_value_converts_to_a_finite_canonical_value(model: type[Duration]) -> None:
    # The schemas say the same: the cap keeps every conversion between units finite.
    units = {Duration: "week", Money: "GBP", Staffing: "hour_per_week"}
    largest = model.model_validate({"value": MAX_QUANTITY, "unit": units[model]})
    assert math.isfinite(largest.canonical)
    schema = spcore.schemas.load("common")
    assert schema["$defs"][model.__name__]["properties"]["value"]["maximum"] == MAX_QUANTITY


@given(st.text(max_size=30))
def test_any_unit_text_gives_value_or_validation_error(unit: str) -> None:
    with contextlib.suppress(ValidationError):
        Duration.model_validate({"value": 1, "unit": unit})


@given(st.floats(0, 1e6, allow_nan=False))
def test_hour_minute_agree(hours: float) -> None:
    a = Duration.model_validate({"value": hours, "unit": "hour"})
    b = Duration.model_validate({"value": hours * 60, "unit": "minute"})
    assert a.isclose(b, rel_tol=1e-9) or hours == 0


def test_quantities_construct_from_a_value_and_a_unit() -> None:
    from spcore.framework import Duration, Money

    assert Duration(45, "minute") == Duration(value=45, unit="minute")
    assert Money(27485).unit == "GBP"  # the canonical unit when none is given
    assert Duration(1.5, "hours").canonical == 90
    with pytest.raises(TypeError, match="value and a unit"):
        Duration(1, "minute", "x")  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="not a unit of duration"):
        Duration(45, "GBP")


def test_the_pound_sign_is_a_money_unit_as_in_workbook_cells() -> None:
    from spcore.framework import Money

    # A workbook cell may say "£27,485" (read as 27485); the unit "£" is GBP alike.
    assert Money(27485, "£").unit == "GBP"
    assert Money(value=3, unit="Pence").unit == "penny"
