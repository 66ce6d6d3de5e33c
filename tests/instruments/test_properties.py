"""Properties: batch == scalar for every instrument, scores in range, monotone, no crashes."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spcore.instruments import INSTRUMENT_IDS, get_definition, score, score_batch
from spcore.instruments.cli import output_columns
from spcore.instruments.definitions import InstrumentDefinition, Item, ItemKind


def _valid_answer(item: Item) -> st.SearchStrategy[Any]:
    if item.kind is ItemKind.INTEGER:
        return st.integers(int(item.minimum), int(item.maximum))
    return st.floats(item.minimum, item.maximum, allow_nan=False).map(lambda v: round(v, 1))


def _any_answer(item: Item) -> st.SearchStrategy[Any]:
    return st.one_of(
        _valid_answer(item),
        _valid_answer(item),
        _valid_answer(item),
        st.none(),
        st.integers(-3, 120),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(["", "x", "2", " 3 ", "1.5", "nan"]),
    )


def _valid_response(definition: InstrumentDefinition) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({i.id: _valid_answer(i) for i in definition.items})


def _table(rows: list[dict[str, Any]], ids: tuple[str, ...]) -> dict[str, np.ndarray[Any, Any]]:
    return {i: np.array([r.get(i) for r in rows], dtype=object) for i in ids}


@pytest.mark.parametrize("instrument", INSTRUMENT_IDS)
@settings(max_examples=40)
@given(data=st.data())
def test_batch_equals_scalar_on_any_input(instrument: str, data: st.DataObject) -> None:
    definition = get_definition(instrument)
    rows = data.draw(
        st.lists(st.fixed_dictionaries({i.id: _any_answer(i) for i in definition.items}),
                 min_size=1, max_size=12)
    )  # fmt: skip
    batch = score_batch(instrument, _table(rows, definition.item_ids))
    for index, row in enumerate(rows):
        assert batch.row(index) == score(instrument, row)


@pytest.mark.parametrize("instrument", INSTRUMENT_IDS)
@settings(max_examples=40)
@given(data=st.data())
def test_batch_equals_scalar_on_numeric_columns(instrument: str, data: st.DataObject) -> None:
    definition = get_definition(instrument)
    rows = data.draw(st.lists(_valid_response(definition), min_size=1, max_size=20))
    columns = {
        i: np.array([np.nan if r[i] is None else r[i] for r in rows], dtype=np.float64)
        for i in definition.item_ids
    }
    batch = score_batch(instrument, columns)
    for index, row in enumerate(rows):
        assert batch.row(index) == score(instrument, row)


@pytest.mark.parametrize("instrument", INSTRUMENT_IDS)
@settings(max_examples=60)
@given(data=st.data())
def test_scores_stay_in_range(instrument: str, data: st.DataObject) -> None:
    definition = get_definition(instrument)
    result = score(instrument, data.draw(_valid_response(definition)))
    for score_def in definition.scores:
        value = result.scores[score_def.name]
        if value is not None:
            assert score_def.minimum <= value <= score_def.maximum
            if score_def.bands:
                assert result.bands[score_def.name] is not None


MONOTONE = ["swemwbs", "wemwbs", "ucla3", "phq9", "gad7", "wellbeing-star", "rotherham8",
            "eq5d5l", "eq5d3l"]  # fmt: skip


@pytest.mark.parametrize("instrument", MONOTONE)
@settings(max_examples=60)
@given(data=st.data())
def test_headline_is_monotone_in_each_item(instrument: str, data: st.DataObject) -> None:
    """Raising one answer never moves the headline score the other way.

    For sums this is direct; for EQ-5D a higher level is a worse state, so the
    index must not rise.
    """
    definition = get_definition(instrument)
    response = data.draw(_valid_response(definition))
    scored = [i for i in definition.items if not i.optional or i.id in response]
    item = data.draw(st.sampled_from([i for i in scored if i.id != "vas"]))
    if response[item.id] is None or response[item.id] >= item.maximum:
        return
    before = score(instrument, response).score
    after = score(instrument, response | {item.id: response[item.id] + 1}).score
    assert before is not None
    assert after is not None
    if instrument.startswith("eq5d"):
        assert after <= before
    else:
        assert after > before


@settings(max_examples=200)
@given(
    st.dictionaries(
        st.text(max_size=8),
        st.one_of(st.none(), st.integers(), st.text(), st.floats(), st.booleans()),
        max_size=6,
    )
)
def test_scoring_never_raises(response: dict[str, Any]) -> None:
    for instrument in INSTRUMENT_IDS:
        result = score(instrument, response)
        assert result.ok or all(f.code.startswith("SPC-I") for f in result.findings)


def test_bad_response_gets_no_scores() -> None:
    result = score("phq9", {f"item_{n}": 1 for n in range(1, 9)})
    assert not result.ok
    assert all(v is None for v in result.scores.values())
    assert result.findings[0].path == "/item_9"


def test_booleans_are_not_answers() -> None:
    result = score("ucla3", {"lack_companionship": True, "left_out": 1, "isolated": 1})
    assert result.findings[0].code == "SPC-I003"


def test_unknown_instrument_is_a_finding() -> None:
    assert score("nope", {}).findings[0].code == "SPC-I001"


def test_extra_columns() -> None:
    answers = {"lack_companionship": 1, "left_out": 1, "isolated": 1, "person": "a"}
    assert score("ucla3", answers).findings[0].code == "SPC-I002"
    assert score("ucla3", answers, ignore_extra=True).score == 3
    batch = score_batch("ucla3", {k: [v] for k, v in answers.items()}, ignore_extra=True)
    assert batch.score.tolist() == [3.0]


def test_pandas_and_polars_frames() -> None:
    rows = {"lack_companionship": [1, 3], "left_out": [2, 3], "isolated": [1, None]}
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"person": ["a", "b"], **rows})  # an extra column is kept
    result = score_batch("ucla3", frame)
    assert isinstance(result, pd.DataFrame)
    assert list(result.columns) == ["person", *rows, *output_columns(get_definition("ucla3"))]
    assert result["score"][0] == 4
    assert math.isnan(result["score"][1])
    assert result["findings"][0] == ""
    assert result["findings"][1].startswith("SPC-I005 error: ")
    assert list(frame.columns) == ["person", *rows]  # the input is not changed
    pl = pytest.importorskip("polars")
    polars_result = score_batch("UCLA3", pl.DataFrame({"person": ["a", "b"], **rows}))
    assert isinstance(polars_result, pl.DataFrame)
    assert polars_result["score"].to_list() == [4, None]
    assert polars_result["findings"].to_list() == list(result["findings"])
    with pytest.raises(ValueError, match="already has a column 'score'"):
        score_batch("ucla3", pd.DataFrame({"score": [1], **{k: [1] for k in rows}}))


def test_instrument_ids_are_case_insensitive_and_unknown_ones_one_finding() -> None:
    answers = {"lack_companionship": 1, "left_out": 1, "isolated": 1}
    assert score("UCLA3", answers).score == score("ucla3", answers).score == 3
    one = score("nope", answers).findings
    many = score_batch("nope", {k: [v, v] for k, v in answers.items()})
    assert [f.code for f in one] == ["SPC-I001"]
    assert many.findings == [one, one]


def test_frame_like_object_without_pandas() -> None:
    class Frame:
        columns = ("lack_companionship", "left_out", "isolated")

        def __getitem__(self, name: str) -> list[int]:
            return [2, 2]

    assert score_batch("ucla3", Frame()).score.tolist() == [6.0, 6.0]
