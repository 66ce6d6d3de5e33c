"""The instrument index a return's check reads is the registry's, to the last code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spcore import strict_json
from spcore.instruments import index
from spcore.instruments.registry import INSTRUMENTS

INDEX = Path(index.__file__).with_name(index.FILE_NAME)


def test_the_index_is_strict_json() -> None:
    text = INDEX.read_text(encoding="utf-8")
    assert strict_json.loads(text) == json.loads(text)


@pytest.mark.parametrize("instrument_id", list(INSTRUMENTS))
def test_every_fact_is_the_registry_s(instrument_id: str) -> None:
    definition = INSTRUMENTS[instrument_id].definition
    facts = index.facts(instrument_id)
    assert facts is not None
    assert (facts.name, facts.headline) == (definition.name, definition.headline)
    assert facts.value_sets == definition.value_sets
    assert [s.name for s in facts.scores] == [s.name for s in definition.scores]
    for score in definition.scores:
        read = facts.score(score.name)
        assert (read.minimum, read.maximum) == (score.minimum, score.maximum)
        assert read.categorical == score.categorical
        assert read.categories == tuple(code for code, _, _ in score.categories())


def test_known_values_and_unknowns() -> None:
    swemwbs = index.facts("swemwbs")
    assert swemwbs is not None
    # Warwick's conversion table runs from 7.00 to 35.00 (warwick-swemwbs-conversion).
    assert (swemwbs.headline, swemwbs.score("metric")[1:3]) == ("metric", (7, 35))
    with pytest.raises(KeyError):
        swemwbs.score("weighted")
    assert index.facts("not-an-instrument") is None
    assert set(index.build_index()["instruments"]) == set(INSTRUMENTS)
