"""Properties of validation: generated returns are valid, and nothing crashes the validator."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from tests.strategies import quarterly_returns

from spcore import schemas
from spcore.framework.quarterly_return import QuarterlyReturn


@settings(max_examples=150)
@given(quarterly_returns())
def test_generated_returns_are_schema_valid(doc: dict[str, Any]) -> None:
    errors = [e.message for e in schemas.validator("quarterly-return").iter_errors(doc)]
    assert errors == []
    QuarterlyReturn.model_validate(doc)


@settings(max_examples=50)
@given(quarterly_returns(explicit_nulls=False))
def test_without_nulls_no_value_is_null(doc: dict[str, Any]) -> None:
    def nulls(value: Any) -> int:
        if isinstance(value, dict):
            return sum(nulls(v) for v in value.values()) + sum(v is None for v in value.values())
        if isinstance(value, list):
            return sum(nulls(v) for v in value)
        return 0

    assert nulls(doc) == 0
