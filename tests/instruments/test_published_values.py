"""Published values: every table, band boundary and threshold against its source."""

from __future__ import annotations

import pytest

from spcore.instruments import get_definition, score
from spcore.instruments.pam import level_for_score
from spcore.instruments.wemwbs import SWEMWBS_METRIC, swemwbs_metric

# Warwick Medical School, SWEMWBS raw score to metric score conversion table.
WARWICK_TABLE = {
    7: 7.00, 8: 9.51, 9: 11.25, 10: 12.40, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32,
    15: 15.84, 16: 16.36, 17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98,
    23: 20.73, 24: 21.54, 25: 22.35, 26: 23.21, 27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03,
    31: 28.13, 32: 29.31, 33: 30.70, 34: 32.55, 35: 35.00,
}  # fmt: skip


def _swemwbs_answers(raw: int) -> dict[str, int]:
    """Seven answers 1-5 that sum to ``raw``."""
    answers, rest = [], raw - 7
    for _ in range(7):
        extra = min(4, rest)
        answers.append(1 + extra)
        rest -= extra
    return {f"item_{n}": a for n, a in enumerate(answers, start=1)}


@pytest.mark.parametrize(("raw", "metric"), sorted(WARWICK_TABLE.items()))
def test_swemwbs_full_conversion_table(raw: int, metric: float) -> None:
    assert swemwbs_metric(raw) == metric
    result = score("swemwbs", _swemwbs_answers(raw))
    assert result.ok
    assert result.scores["raw"] == raw
    assert result.score == metric


def test_swemwbs_table_is_complete_and_increasing() -> None:
    assert sorted(SWEMWBS_METRIC) == list(range(7, 36))
    values = [SWEMWBS_METRIC[r] for r in range(7, 36)]
    assert values == sorted(values)
    assert len(set(values)) == 29


def test_swemwbs_change_threshold_shah_2018() -> None:
    change = get_definition("swemwbs").score("metric").change
    assert change is not None
    assert change.value == 2.87


def _total_answers(instrument: str, total: int) -> dict[str, int]:
    definition = get_definition(instrument)
    answers: dict[str, int] = {}
    rest = total - sum(int(i.minimum) for i in definition.items)
    for item in definition.items:
        extra = min(int(item.maximum - item.minimum), rest)
        answers[item.id] = int(item.minimum) + extra
        rest -= extra
    assert rest == 0
    return answers


PHQ9_BOUNDARIES = [
    (4, "none-minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
    (15, "moderately severe"), (19, "moderately severe"), (20, "severe"), (27, "severe"),
    (0, "none-minimal"),
]  # fmt: skip
GAD7_BOUNDARIES = [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"),
    (14, "moderate"), (15, "severe"), (21, "severe"),
]  # fmt: skip


@pytest.mark.parametrize(("total", "band"), PHQ9_BOUNDARIES)
def test_phq9_bands_kroenke_2001(total: int, band: str) -> None:
    result = score("phq9", _total_answers("phq9", total))
    assert (result.score, result.band) == (total, band)


@pytest.mark.parametrize(("total", "band"), GAD7_BOUNDARIES)
def test_gad7_bands_spitzer_2006(total: int, band: str) -> None:
    result = score("gad7", _total_answers("gad7", total))
    assert (result.score, result.band) == (total, band)


def test_phq9_gad7_reliable_change() -> None:
    phq9 = get_definition("phq9").score("total").change
    gad7 = get_definition("gad7").score("total").change
    assert phq9 is not None
    assert phq9.value == 6
    assert gad7 is not None
    assert gad7.value == 4


WSAS_BOUNDARIES = [
    (0, "subclinical"), (9, "subclinical"), (10, "significant functional impairment"),
    (20, "significant functional impairment"), (21, "moderately severe or worse"),
    (40, "moderately severe or worse"),
]  # fmt: skip


@pytest.mark.parametrize(("total", "band"), WSAS_BOUNDARIES)
def test_wsas_bands_mundt_2002(total: int, band: str) -> None:
    answers = _total_answers("wsas", total)
    answers.pop("work_not_applicable")
    result = score("wsas", answers)
    assert result.ok, result.findings
    assert (result.score, result.band) == (total, band)


def test_wsas_retired_work_not_applicable() -> None:
    answers = {"home_management": 3, "social_leisure": 2, "private_leisure": 1,
               "relationships": 4, "work_not_applicable": 1}  # fmt: skip
    result = score("wsas", answers)
    assert result.ok
    assert result.score is None
    assert result.band is None
    assert result.scores["total_without_work"] == 10
    both = score("wsas", answers | {"work": 2})
    assert [f.code for f in both.findings] == ["SPC-I006"]
    neither = score("wsas", {k: v for k, v in answers.items() if k != "work_not_applicable"})
    assert [(f.code, f.path) for f in neither.findings] == [("SPC-I005", "/work")]


ONS_POSITIVE = [(0, "low"), (4, "low"), (5, "medium"), (6, "medium"), (7, "high"),
                (8, "high"), (9, "very high"), (10, "very high")]  # fmt: skip
ONS_ANXIETY = [(0, "very low"), (1, "very low"), (2, "low"), (3, "low"), (4, "medium"),
               (5, "medium"), (6, "high"), (10, "high")]  # fmt: skip


@pytest.mark.parametrize(("value", "band"), ONS_POSITIVE)
@pytest.mark.parametrize("measure", ["life_satisfaction", "worthwhile", "happiness"])
def test_ons4_positive_thresholds(measure: str, value: int, band: str) -> None:
    answers = {"life_satisfaction": 5, "worthwhile": 5, "happiness": 5, "anxiety": 5}
    result = score("ons4", answers | {measure: value})
    assert result.scores[measure] == value
    assert result.bands[measure] == band


@pytest.mark.parametrize(("value", "band"), ONS_ANXIETY)
def test_ons4_anxiety_thresholds(value: int, band: str) -> None:
    answers = {"life_satisfaction": 5, "worthwhile": 5, "happiness": 5, "anxiety": value}
    assert score("ons4", answers).bands["anxiety"] == band


@pytest.mark.parametrize(
    ("code", "label"),
    [(1, "Often/always"), (2, "Some of the time"), (3, "Occasionally"), (4, "Hardly ever"),
     (5, "Never")],
)  # fmt: skip
def test_ons_loneliness_categories(code: int, label: str) -> None:
    assert score("ons-loneliness", {"lonely": code}).band == label


def test_ucla3_range_hughes_2004() -> None:
    low = {"lack_companionship": 1, "left_out": 1, "isolated": 1}
    high = {"lack_companionship": 3, "left_out": 3, "isolated": 3}
    assert score("ucla3", low).score == 3
    assert score("ucla3", high).score == 9


PAM_BOUNDARIES = [(0.0, 1), (47.0, 1), (47.1, 2), (55.1, 2), (55.2, 3), (67.0, 3), (67.1, 4),
                  (100.0, 4)]  # fmt: skip


@pytest.mark.parametrize(("activation", "level"), PAM_BOUNDARIES)
def test_pam_cut_points(activation: float, level: int) -> None:
    assert level_for_score(activation) == level
    result = score("pam", {"activation_score": activation})
    assert (result.score, result.band) == (level, f"level {level}")


def test_pam_level_only_and_disagreement() -> None:
    assert score("pam", {"level": 2}).score == 2
    clash = score("pam", {"level": 2, "activation_score": 70})
    assert [f.code for f in clash.findings] == ["SPC-I006"]
    assert [f.code for f in score("pam", {}).findings] == ["SPC-I005"]


def test_wellbeing_star_areas_and_scale() -> None:
    definition = get_definition("wellbeing-star")
    assert [i.label for i in definition.items] == [
        "Lifestyle", "Looking after yourself", "Managing symptoms",
        "Work, volunteering and other activities", "Money", "Where you live",
        "Family and friends", "Feeling positive",
    ]  # fmt: skip
    assert all((i.minimum, i.maximum) == (1, 5) for i in definition.items)


def test_mycaw_second_concern_optional() -> None:
    result = score("mycaw", {"concern_1": 5, "wellbeing": 3})
    assert result.ok
    assert result.score == 5
    assert result.scores["concern_2"] is None
    assert score("mycaw", {"concern_1": 7, "wellbeing": 3}).findings[0].code == "SPC-I004"


def test_rotherham8_structure() -> None:
    definition = get_definition("rotherham8")
    assert len(definition.items) == 8
    assert all((i.minimum, i.maximum) == (1, 5) for i in definition.items)


def test_eq5d_through_registry() -> None:
    from spcore.instruments import eq5d

    for vs_id in get_definition("eq5d5l").value_sets:
        value_set = eq5d.VALUE_SETS[vs_id]
        for profile in ("11111", "55555", "12345", "21354"):
            result = score("eq5d5l", {"profile": profile}, value_set=vs_id)
            assert result.score == value_set.index(profile)
    assert score("eq5d5l", {"profile": "11111"}).score == 1.0
    items = dict(zip(("mobility", "self_care", "usual_activities", "pain_discomfort",
                      "anxiety_depression"), (1, 2, 3, 2, 1), strict=True))  # fmt: skip
    assert score("eq5d5l", items).score == score("eq5d5l", {"profile": "12321"}).score
    wrong = score("eq5d5l", {"profile": "11111"}, value_set="uk-1997-dolan")
    assert [f.code for f in wrong.findings] == ["SPC-I008"]
    assert score("eq5d3l", {"profile": "33333", "vas": 40}).scores["vas"] == 40
