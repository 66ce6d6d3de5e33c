"""Each meaningful-change threshold says its scale, kind, source's words and what was checked."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spcore.instruments.change import classify_change, paired_change
from spcore.instruments.definitions import ChangeKind, InstrumentDefinition, Score
from spcore.instruments.docs import render_markdown
from spcore.instruments.registry import definitions

THRESHOLDS = [(d, s) for d in definitions() for s in d.scores if s.change is not None]


def test_there_are_thresholds() -> None:
    assert {d.id for d, _ in THRESHOLDS} >= {"swemwbs", "phq9", "gad7"}


@pytest.mark.parametrize(("definition", "score"), THRESHOLDS, ids=lambda v: getattr(v, "id", ""))
def test_threshold_states_scale_kind_and_checking(
    definition: InstrumentDefinition, score: Score
) -> None:
    change = score.change
    assert change is not None
    assert change.scale.strip()
    assert change.verification.strip()
    assert change.source in {s.key for s in definition.sources}
    page = render_markdown(definition)
    assert change.scale in page
    assert f"**{change.kind.value}**" in page
    as_json = score.to_dict()["change_threshold"]
    assert as_json["kind"] == change.kind.value
    assert as_json["scale"] == change.scale


def test_swemwbs_is_a_statistically_important_change_on_the_metric_score() -> None:
    (swemwbs,) = [d for d in definitions() if d.id == "swemwbs"]
    change = next(s.change for s in swemwbs.scores if s.name == "metric")
    assert change is not None
    assert change.kind is ChangeKind.STATISTICALLY_IMPORTANT_CHANGE
    assert "metric score" in change.scale
    assert "2.77 SEM (2.87 points)" in (change.quote or "")
    assert "Not verified" in change.verification
    assert all(s.change is None for s in swemwbs.scores if s.name == "raw")


def test_talking_therapies_thresholds_are_reliable_change() -> None:
    for definition in definitions():
        for score in definition.scores:
            if score.change and score.change.source == "nhs-talking-therapies-manual":
                assert score.change.kind is ChangeKind.RELIABLE_CHANGE
                assert "total score" in score.change.scale


@given(value=st.one_of(st.text(max_size=5), st.integers(), st.none(), st.floats()))
def test_direction_must_be_a_bool(value: object) -> None:
    with pytest.raises(TypeError, match="higher_is_better"):
        classify_change(3.0, 2.0, value)  # type: ignore[arg-type]


def test_unknown_instrument_has_a_suggestion() -> None:
    with pytest.raises(KeyError, match="did you mean 'swemwbs'"):
        paired_change("swembws", [20.0], [25.0])
