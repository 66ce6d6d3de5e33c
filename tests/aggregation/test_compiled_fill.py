"""The compiled column filler: the same columns and numberings as the Python closure.

``spcore.aggregation._fill`` does the work of ``add_record`` in
:mod:`spcore.aggregation.columns` for the chunked reading of an extract; the
reference reading keeps the closure. Here the two are held equal record by
record, on records that reach every field and every spelling of an optional
one (absent, ``null``, given), and the compiled columns behave as arrays do.
The extract-reading equivalence tests (``tests/cases/test_chunks.py``) then
compare whole readings, compiled against reference.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import pickle
import re
from array import array
from typing import Any

import numpy as np
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.aggregation.case_strategies import case_extracts

from spcore.aggregation import columns
from spcore.cases.synth import synth_cases
from spcore.compiled import PURE_PYTHON_VARIABLE, fill_module

fill = fill_module()
needs_module = pytest.mark.skipif(fill is None, reason="spcore was installed without it")


def test_continuous_integration_builds_the_module() -> None:
    # Otherwise every test below would be skipped, and the chunked reading's
    # equivalence tests would compare the closure with itself.
    if os.environ.get("CI") and os.environ.get(PURE_PYTHON_VARIABLE) != "1":
        assert fill is not None, "spcore.aggregation._fill was not built"


def _filled(records: list[dict[str, Any]], compiled: bool) -> columns._Builder:
    builder = columns._Builder(compiled=compiled)
    add = builder.add_checked_record
    for line, record in enumerate(records, 2):
        add(record, line)
    return builder


def _assert_same(compiled: columns._Builder, closure: columns._Builder) -> None:
    mine, theirs = compiled.appended(), closure.appended()
    assert mine.keys() == theirs.keys()
    for name in mine:
        assert mine[name].typecode == theirs[name].typecode, name
        assert bytes(memoryview(mine[name]).cast("B")) == theirs[name].tobytes(), name
    for numbering in ("cases", "people", "schemes", "groups", "labels", "measures"):
        assert getattr(compiled, numbering).values == getattr(closure, numbering).values
        assert getattr(compiled, numbering).numbers == getattr(closure, numbering).numbers
    assert compiled.written == closure.written


@needs_module
@given(records=case_extracts())
def test_every_field_and_spelling_fills_the_columns_the_closure_fills(
    records: list[dict[str, Any]],
) -> None:
    # As the workers get them: parsed by orjson (dicts, lists, ints and floats).
    parsed = [orjson.loads(orjson.dumps(r)) for r in records]
    _assert_same(_filled(parsed, True), _filled(copy.deepcopy(parsed), False))


@needs_module
def test_synthetic_records_fill_the_columns_the_closure_fills() -> None:
    records = [orjson.loads(orjson.dumps(r)) for r in synth_cases(300, 3, comparison_share=0.2)]
    assert any(r.get("service_use") for r in records)
    _assert_same(_filled(records, True), _filled(records, False))


@needs_module
def test_whole_numbers_written_as_floats_are_stored_as_the_closure_stores_them() -> None:
    record = orjson.loads(orjson.dumps(_one_record()))
    for window in record["service_use"]:
        window["months"] = float(window["months"])
        window["counts"] = {k: float(v) for k, v in window["counts"].items()}
    for measure in record["outcomes"]["measures"]:
        measure["score"] = int(measure["score"])
    _assert_same(_filled([record], True), _filled([record], False))


@needs_module
def test_a_code_outside_the_tables_is_refused_as_the_closure_refuses_it() -> None:
    record = orjson.loads(orjson.dumps(_one_record()))
    record["referral"]["referrer_type"] = "not-a-code"
    with pytest.raises(KeyError, match="not-a-code"):
        _filled([record], True)
    with pytest.raises(KeyError, match="not-a-code"):
        _filled([record], False)


@needs_module
def test_data_that_is_not_json_objects_is_refused_not_misread() -> None:
    record = orjson.loads(orjson.dumps(_one_record()))
    record["referral"] = [("date", "2025-05-01")]
    with pytest.raises(TypeError, match="JSON object"):
        _filled([record], True)


def _one_record() -> dict[str, Any]:
    for data in synth_cases(200, 5):
        if data.get("service_use") and data.get("outcomes", {}).get("measures"):
            return data
    raise AssertionError("no synthetic record with service use and measures")


# -- the columns --------------------------------------------------------------------------


@needs_module
@pytest.mark.parametrize(
    ("typecode", "values"),
    [
        ("b", [-128, 0, 127]),
        ("i", [-(2**31), 7, 2**31 - 1]),
        ("q", [-(2**63), 2**63 - 1]),
        ("d", [1.5, float("nan"), 3]),
    ],
)
def test_a_column_holds_what_an_array_holds(typecode: str, values: list[Any]) -> None:
    assert fill is not None
    column, expected = fill.Column(typecode), array(typecode)
    for value in values * 500:  # past the first allocation
        column.append(value)
        expected.append(value)
    assert column.typecode == typecode
    assert len(column) == len(expected)
    assert bytes(memoryview(column).cast("B")) == expected.tobytes()
    # Sent from a worker to its parent as an array of the same values.
    sent = pickle.loads(pickle.dumps(column))
    assert isinstance(sent, array)
    assert (sent.typecode, sent.tobytes()) == (typecode, expected.tobytes())
    shared = np.frombuffer(column, dtype=typecode)
    np.testing.assert_array_equal(shared, np.frombuffer(expected, dtype=typecode))


@needs_module
@given(value=st.integers(-(2**70), 2**70))
def test_a_column_refuses_what_an_array_refuses(value: int) -> None:
    assert fill is not None
    for typecode in "biq":
        column, reference = fill.Column(typecode), array(typecode)
        try:
            reference.append(value)
        except OverflowError:
            with pytest.raises(OverflowError):
                column.append(value)
            assert len(column) == 0
        else:
            column.append(value)
            assert memoryview(column).tolist() == reference.tolist()


@needs_module
def test_a_column_refuses_the_wrong_types() -> None:
    assert fill is not None
    with pytest.raises(TypeError):
        fill.Column("i").append(1.5)
    with pytest.raises(TypeError):
        fill.Column("d").append("1.5")
    with pytest.raises(ValueError, match="typecode"):
        fill.Column("h")


@needs_module
def test_a_column_does_not_grow_while_its_memory_is_shared() -> None:
    assert fill is not None
    column = fill.Column("i")
    for value in range(1024):  # exactly full: the next append must grow it
        column.append(value)
    view = memoryview(column)
    with pytest.raises(BufferError):
        column.append(1)
    view.release()
    column.append(1)
    assert len(column) == 1025


@needs_module
def test_an_adder_is_given_every_column_and_table() -> None:
    assert fill is not None
    builder = columns._Builder(compiled=True)
    tables = builder._tables()
    assert set(tables) == set(fill.TABLES)
    assert set(builder.arrays) == set(fill.COLUMNS)
    with pytest.raises(TypeError, match="no table named days"):
        fill.Adder(builder.arrays, {k: v for k, v in tables.items() if k != "days"})
    with pytest.raises(TypeError, match="no Column named kind"):
        fill.Adder({**builder.arrays, "kind": array("b")}, tables)


@needs_module
@given(st.dates())
def test_a_date_is_filled_with_its_day_ordinal_worked_out_in_place(day: Any) -> None:
    assert fill is not None
    assert fill.day_ordinal(day.isoformat()) == day.toordinal()


#: Text of ten characters near a date's: digits, dashes, and what is neither.
_NEAR_DATES = st.text(st.sampled_from("0123456789-/T ٣"), min_size=8, max_size=12) | st.from_regex(
    r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"
)


@needs_module
@given(_NEAR_DATES)
def test_other_date_text_is_left_to_the_days_table(text: str) -> None:
    assert fill is not None
    worked_out = fill.day_ordinal(text)
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text, flags=re.ASCII):
        try:
            expected = dt.date.fromisoformat(text).toordinal()
        except ValueError:
            expected = None  # the table refuses it, as before
        assert worked_out == expected
    else:
        assert worked_out is None  # "20250630", "2025-06-3٣" and the like: the table's
