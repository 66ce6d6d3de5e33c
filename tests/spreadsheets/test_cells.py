"""One cell: text and numbers written exactly, and anything typed read without an error."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spcore.spreadsheets.cells import (
    MISSING,
    cell_text,
    parse_number,
    read_text,
    read_value,
    write_text,
    write_value,
)
from spcore.spreadsheets.layout import Kind


@given(st.text())
def test_any_text_survives_writing_and_reading(text: str) -> None:
    written = write_text(text)
    assert read_value(written, Kind.TEXT) == text
    assert read_text(written) == text


@given(st.text())
def test_written_text_never_starts_a_formula(text: str) -> None:
    written = write_text(text)
    assert written[:1] not in ("=", "+", "-", "@", "\t", "\r")


@given(st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False)))
def test_numbers_survive_csv_text(number: float) -> None:
    text = cell_text(write_value(number, Kind.NUMBER))
    back = read_value(text, Kind.NUMBER)
    assert back == number
    assert type(back) is type(number)


@pytest.mark.parametrize(
    ("text", "currency", "expected"),
    [
        ("240", False, 240),
        ("-3", False, -3),
        ("1,234", False, 1234),
        ("1,234.50", False, 1234.5),
        ("£27,485", True, 27485),
        ("£27,485", False, None),
        ("12,34", False, None),
        ("1.234,5", False, None),
        ("240 people", False, None),
        ("1e400", False, None),
        ("9" * 200, False, None),
    ],
)
def test_parse_number(text: str, currency: bool, expected: float | None) -> None:
    assert parse_number(text, currency=currency) == expected


@given(
    st.one_of(
        st.text(),
        st.integers(),
        st.floats(),
        st.booleans(),
        st.datetimes(),
        st.dates(),
        st.times(),
        st.none(),
    ),
    st.sampled_from(list(Kind)),
)
def test_reading_any_cell_never_raises(cell: object, kind: Kind) -> None:
    value = read_value(cell, kind)  # type: ignore[arg-type]
    if value is not MISSING:
        json.dumps(value)  # whatever is read can go into a JSON document


def test_dates_and_empty_cells() -> None:
    assert read_value(dt.datetime(2025, 10, 14), Kind.DATE) == "2025-10-14"
    assert read_value(dt.datetime(2025, 10, 14, 9, 30), Kind.DATE) == "2025-10-14T09:30:00"
    assert read_value("", Kind.INTEGER) is MISSING
    assert read_value("  ", Kind.INTEGER) is MISSING
    assert read_value("  ", Kind.TEXT) == "  "
    assert read_value("null", Kind.INTEGER) is None
    assert read_value(" band-4 , band-5 ,", Kind.CODES) == ["band-4", "band-5"]
