"""ONS4, the Well-being Star and the Rotherham measures are read question by question.

ONS publishes no composite of its four personal well-being questions (ons-pwb-faq);
the Star's publisher and dayson-2016 read change area by area. So a blank answer
voids only its own question's score, never the others.
"""

from __future__ import annotations

import math

import pytest

from spcore.instruments import INSTRUMENTS, codes, score, score_batch


def test_a_blank_ons4_question_voids_only_its_own_score() -> None:
    result = score("ons4", {"life_satisfaction": 7, "worthwhile": "", "happiness": 6, "anxiety": 3})
    assert result.ok
    assert result.scores == {
        "life_satisfaction": 7,
        "worthwhile": None,
        "happiness": 6,
        "anxiety": 3,
    }
    assert result.bands["worthwhile"] is None
    assert result.bands["anxiety"] == "low"


def test_ons4_has_no_composite_score() -> None:
    names = [s.name for s in INSTRUMENTS["ons4"].definition.scores]
    assert names == ["life_satisfaction", "worthwhile", "happiness", "anxiety"]


@pytest.mark.parametrize("instrument", ["ons4", "wellbeing-star", "rotherham8"])
def test_nothing_answered_is_refused(instrument: str) -> None:
    result = score(instrument, {})
    assert not result.ok
    assert [f.code for f in result.findings] == [codes.MISSING_ANSWER]
    assert all(value is None for value in result.scores.values())


@pytest.mark.parametrize("instrument", ["wellbeing-star", "rotherham8"])
def test_a_blank_area_voids_only_that_area_and_the_descriptive_total(instrument: str) -> None:
    ids = INSTRUMENTS[instrument].definition.item_ids
    answers: dict[str, object] = dict.fromkeys(ids, 3)
    answers[ids[1]] = None
    result = score(instrument, answers)
    assert result.ok
    assert result.scores[ids[1]] is None
    assert result.scores["total"] is None
    assert all(result.scores[name] == 3 for name in ids if name != ids[1])
    full = score(instrument, dict.fromkeys(ids, 3))
    assert full.scores["total"] == 24


@pytest.mark.parametrize("instrument", ["ons4", "wellbeing-star", "rotherham8"])
def test_the_batch_path_reads_blanks_as_the_scalar_path(instrument: str) -> None:
    definition = INSTRUMENTS[instrument].definition
    ids = definition.item_ids
    low = int(definition.items[0].minimum)
    rows = [
        dict.fromkeys(ids, low + 1),
        {name: (None if i % 2 else low + 2) for i, name in enumerate(ids)},
        dict.fromkeys(ids),
        {name: (low if i == 0 else None) for i, name in enumerate(ids)},
    ]
    batch = score_batch(instrument, {name: [row[name] for row in rows] for name in ids})
    for index, row in enumerate(rows):
        one = score(instrument, row)
        assert batch.row(index).findings == one.findings
        for name, value in one.scores.items():
            got = batch.scores[name][index]
            assert (value is None and math.isnan(got)) or got == value


def test_progress_per_measure_counts_everyone_with_that_measure() -> None:
    from spcore.instruments.change import progress_summary

    ids = INSTRUMENTS["rotherham8"].definition.item_ids
    nan = float("nan")
    # Person 1 has all eight (progress on measure_1 only); person 2 left measure_2 blank
    # at follow-up but progressed on measure_1.
    before = {name: [2.0, 2.0] for name in ids}
    after = {name: [2.0, 2.0] for name in ids}
    after["measure_1"] = [3.0, 4.0]
    after["measure_2"] = [2.0, nan]
    summary = progress_summary(before, after)
    assert (summary.n, summary.excluded) == (1, 1)
    first, second = summary.measures[0], summary.measures[1]
    assert first.share_progressed == 1.0  # both people, each with measure_1 at both times
    assert second.share_progressed == 0.0  # person 1 only
    assert summary.share_progressed_any == 1.0  # over complete people only
