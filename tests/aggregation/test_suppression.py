"""Small-number suppression: hand-worked cases, rule checks and properties."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spcore.aggregation.suppression import (
    DEFAULT_RULE,
    RuleError,
    SuppressionRule,
    count_pointers,
    resolve,
    suppress,
    total_groups,
)

AGE = "/outputs/referred_by_age_band"
REF = "/outputs/referred_by_referrer_type"
TOTAL = "/outputs/people_referred"


def doc(age: dict[str, int], referrers: dict[str, int], **outputs: Any) -> dict[str, Any]:
    """A return fragment whose age bands and referrers both add up to people referred."""
    assert sum(age.values()) == sum(referrers.values())
    return {
        "outputs": {
            "people_referred": sum(age.values()),
            "referred_by_age_band": dict(age),
            "referred_by_referrer_type": dict(referrers),
            **outputs,
        }
    }


def test_default_rule_is_nhs_digital_1_to_7_round_to_5() -> None:
    assert (DEFAULT_RULE.threshold, DEFAULT_RULE.rounding_base) == (7, 5)
    assert DEFAULT_RULE.id == "nhs-digital-1-7-round-5"
    assert [DEFAULT_RULE.round(n) for n in (0, 8, 12, 13, 17, 18, 102, 103)] == [
        0, 10, 10, 15, 15, 20, 100, 105,
    ]  # fmt: skip
    assert [DEFAULT_RULE.withholds(n) for n in (0, 1, 7, 8)] == [False, True, True, False]


def test_small_cell_and_the_next_smallest_are_withheld() -> None:
    # 3 is withheld (1-7); with only it withheld, 3 = 43 - 40 could be worked out, so the
    # smallest other published non-zero member (40) is withheld too. Zero stays 0.
    out = suppress(doc({"18-24": 3, "25-34": 40, "35-44": 0}, {"gp-practice": 43}))
    outputs = out["outputs"]
    assert outputs["referred_by_age_band"] == {"18-24": None, "25-34": None, "35-44": 0}
    assert outputs["people_referred"] == 45  # 43 rounded to the nearest 5
    assert outputs["referred_by_referrer_type"] == {"gp-practice": 45}
    control = out["disclosure_control"]
    assert control["suppressed"] == [f"{AGE}/18-24", f"{AGE}/25-34"]
    assert sorted(control["rounded"]) == sorted([TOTAL, f"{AGE}/35-44", f"{REF}/gp-practice"])
    assert (control["rule"], control["threshold"], control["rounding_base"]) == (
        "nhs-digital-1-7-round-5", 7, 5,
    )  # fmt: skip


def test_a_small_total_takes_its_cells_with_it() -> None:
    out = suppress(doc({"18-24": 2, "25-34": 3}, {"gp-practice": 5}))
    assert out["outputs"]["people_referred"] is None
    assert set(out["disclosure_control"]["suppressed"]) == {
        TOTAL, f"{AGE}/18-24", f"{AGE}/25-34", f"{REF}/gp-practice",
    }  # fmt: skip


def test_secondary_suppression_in_one_breakdown_leaves_the_other_alone() -> None:
    # Referrers 4 + 8 = 12: 4 is withheld, so 8 is too; the age band 12 and the total
    # stay published (rounded to 10), and 4 + 8 cannot be split.
    out = suppress(doc({"45-54": 12}, {"gp-practice": 4, "self-referral": 8}))
    assert out["outputs"]["referred_by_referrer_type"] == {
        "gp-practice": None,
        "self-referral": None,
    }
    assert out["outputs"]["people_referred"] == 10
    assert out["outputs"]["referred_by_age_band"] == {"45-54": 10}


def test_means_are_withheld_with_a_small_follow_up_count() -> None:
    fragment = {
        "outputs": {},
        "impact_on_person": {
            "instruments": [
                {
                    "instrument": "swemwbs",
                    "people_with_baseline": 30,
                    "people_with_follow_up": 6,
                    "mean_baseline": 18.2,
                    "mean_follow_up": 21.0,
                    "people_improved": 4,
                }
            ]
        },
    }
    out = suppress(fragment)
    summary = out["impact_on_person"]["instruments"][0]
    assert summary == {
        "instrument": "swemwbs",
        "people_with_baseline": 30,
        "people_with_follow_up": None,
        "mean_baseline": None,
        "mean_follow_up": None,
        "people_improved": None,
    }
    assert (
        "/impact_on_person/instruments/0/mean_follow_up"
        in (out["disclosure_control"]["suppressed"])
    )


def test_input_is_not_changed() -> None:
    original = doc({"18-24": 3, "25-34": 40}, {"gp-practice": 43})
    copy = doc({"18-24": 3, "25-34": 40}, {"gp-practice": 43})
    suppress(original)
    assert original == copy


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, (7, 5, "nhs-digital-1-7-round-5")),
        ("nhs-digital-1-7-round-5", (7, 5, "nhs-digital-1-7-round-5")),
        ("9:5", (9, 5, "suppress-1-9-round-5")),
        (" 5 : 1 ", (5, 1, "suppress-1-5-round-1")),
    ],
)
def test_rules_are_parsed(text: str | None, expected: tuple[int, int, str]) -> None:
    rule = SuppressionRule.parse(text)
    assert (rule.threshold, rule.rounding_base, rule.id) == expected


@pytest.mark.parametrize(
    "text", ["", "nhs", "7", "7:0", "10:5", "12:10", "-1:5", "7:5:5", "9" * 20]
)
def test_bad_rules_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(RuleError):
        SuppressionRule.parse(text)


# ------------------------------------------------------------------------------ properties

AGE_CODES = ["18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85-plus"]
REF_CODES = ["gp-practice", "self-referral", "social-care", "family-or-carer", "other"]


def _partition(total: int, codes: list[str], cuts: list[int]) -> dict[str, int]:
    """Split ``total`` people over ``codes`` at the given cut points."""
    points = sorted(min(c, total) for c in cuts[: len(codes) - 1])
    bounds = [0, *points, total]
    return {code: bounds[i + 1] - bounds[i] for i, code in enumerate(codes)}


small_or_large = st.one_of(st.integers(0, 12), st.integers(0, 400))


@st.composite
def returns(draw: st.DrawFn) -> dict[str, Any]:
    """Two breakdowns of one random total, plus unrelated monitoring counts."""
    total = draw(small_or_large)
    n_age = draw(st.integers(1, len(AGE_CODES)))
    n_ref = draw(st.integers(1, len(REF_CODES)))
    age = _partition(total, AGE_CODES[:n_age], draw(st.lists(st.integers(0, total), min_size=8)))
    refs = _partition(total, REF_CODES[:n_ref], draw(st.lists(st.integers(0, total), min_size=8)))
    fragment = doc(age, refs, people_benefiting=draw(small_or_large))
    fragment["monitoring"] = {
        "contacts": draw(small_or_large),
        "rag_caseload_at_end": {"green": draw(small_or_large), "amber": draw(small_or_large)},
    }
    return fragment


rules = st.sampled_from(
    [
        DEFAULT_RULE,
        SuppressionRule(7, 1, "t"),
        SuppressionRule(9, 5, "u"),
        SuppressionRule(2, 5, "v"),
    ]
)


def _determined(unknowns: list[str], equations: list[tuple[str, list[str]]]) -> set[str]:
    """The withheld counts that the published ones and the sums determine exactly."""
    index = {name: i for i, name in enumerate(unknowns)}
    rows = []
    for total, cells in equations:
        row = np.zeros(len(unknowns))
        for name, sign in [(total, -1.0)] + [(c, 1.0) for c in cells]:
            if name in index:
                row[index[name]] += sign
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    matrix = np.array(rows)
    rank = np.linalg.matrix_rank(matrix)
    found = set()
    for name, i in index.items():
        unit = np.zeros(len(unknowns))
        unit[i] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.add(name)
    return found


@settings(max_examples=300)
@given(returns(), rules)
def test_no_withheld_count_can_be_worked_out(fragment: dict[str, Any], rule: SuppressionRule
                                             ) -> None:  # fmt: skip
    out = suppress(fragment, rule)
    withheld = out["disclosure_control"]["suppressed"]
    groups = total_groups(fragment)
    for total, cells in groups:
        assert sum(1 for m in [total, *cells] if m in withheld) != 1
    # Stronger: from every sum together, no withheld count is determined.
    assert not _determined(sorted(withheld), groups)


@settings(max_examples=300)
@given(returns(), rules)
def test_published_counts_are_never_small_and_always_rounded(
    fragment: dict[str, Any], rule: SuppressionRule
) -> None:
    out = suppress(fragment, rule)
    values = _values(out)
    assert set(values) == set(count_pointers(fragment))
    for path, value in values.items():
        if value is None:
            assert path in out["disclosure_control"]["suppressed"]
            continue
        assert not 1 <= value <= rule.threshold, path
        assert value % rule.rounding_base == 0, path
    for path in out["disclosure_control"]["rounded"]:
        assert values[path] is not None


def _values(document: dict[str, Any]) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    control = document.get("disclosure_control", {})
    for path in [*control.get("suppressed", ()), *control.get("rounded", ())]:
        if "/mean_" not in path:
            out[path] = resolve(document, path)
    return out


def test_suppressing_twice_keeps_what_was_withheld() -> None:
    once = suppress(doc({"18-24": 3, "25-34": 40}, {"gp-practice": 43}))
    twice = suppress(once)
    assert twice["disclosure_control"]["suppressed"] == once["disclosure_control"]["suppressed"]
    assert twice["outputs"] == once["outputs"]
