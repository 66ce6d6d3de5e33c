"""Categorical scores, follow-ups three months on, wellbeing aspects and social care packages.

Each extract is hand-worked for 2025-26 Q2 (1 July - 30 September) and added up
by both paths (``tests.aggregation.both_paths`` holds them equal).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from tests.aggregation.both_paths import aggregate
from tests.aggregation.builders import case

from spcore.aggregation.columnar import follow_up_due as due_columns
from spcore.aggregation.derive import follow_up_due
from spcore.instruments import INSTRUMENTS

SEEN = [("2025-07-02", "telephone", 20)]


def _summaries(result: Any) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (s["instrument"], s["score"]): s for s in result.document["impact_on_person"]["instruments"]
    }


def test_a_categorical_score_is_counted_per_category_and_never_averaged() -> None:
    # Loneliness codes: 1 often/always ... 5 never (higher is better).
    # P1 2 -> 4 (better), P2 3 -> 3 (same), P3 4 -> 1 (worse), P4 baseline 1 only.
    pairs = [(2, 4), (3, 3), (4, 1), (1, None)]
    records = []
    for n, (base, follow) in enumerate(pairs, start=1):
        measures: list[tuple[Any, ...]] = [("ons-loneliness", "baseline", "2025-05-01", base)]
        if follow is not None:
            measures.append(("ons-loneliness", "follow-up", "2025-08-20", follow))
        records.append(case(f"CASE-{n}", "2025-04-20", contacts=SEEN, measures=measures))
    summary = _summaries(aggregate(records, "2025-26 Q2"))[("ons-loneliness", "score")]
    assert summary == {
        "instrument": "ons-loneliness",
        "score": "score",
        "people_with_baseline": 4,
        "people_with_follow_up": 3,
        "baseline_by_category": {
            "often-always": 1,
            "some-of-the-time": 1,
            "occasionally": 1,
            "hardly-ever": 1,
            "never": 0,
        },
        "follow_up_by_category": {
            "often-always": 1,
            "some-of-the-time": 0,
            "occasionally": 1,
            "hardly-ever": 1,
            "never": 0,
        },
        "people_moved_better": 1,
        "people_moved_worse": 1,
    }


def _registry_scores() -> list[tuple[str, str]]:
    return [(i.id, s.name) for i in INSTRUMENTS.values() for s in i.definition.scores]


@pytest.mark.parametrize(("instrument", "score"), _registry_scores())
def test_no_summary_averages_a_categorical_score(instrument: str, score: str) -> None:
    definition = INSTRUMENTS[instrument].definition.score(score)
    # A score whose every band is a single code is a category: it must say so.
    single = bool(definition.bands) and all(b.minimum == b.maximum for b in definition.bands)
    assert definition.categorical == single
    low, high = definition.minimum, definition.maximum
    records = [
        case(
            "CASE-1",
            "2025-04-20",
            contacts=SEEN,
            measures=[
                (instrument, "baseline", "2025-05-01", low, score),
                (instrument, "follow-up", "2025-08-20", high, score),
            ],
        )
    ]
    summary = _summaries(aggregate(records, "2025-26 Q2"))[(instrument, score)]
    averaged = "mean_baseline" in summary or "mean_follow_up" in summary
    assert averaged is not definition.categorical
    if definition.categorical:
        assert summary["people_moved_better"] == (1 if definition.higher_is_better else 0)


def test_a_follow_up_sooner_than_three_months_is_not_paired_and_is_reported() -> None:
    records = [
        # Baseline 10 Jun: due 10 Sep. A follow-up on 9 Sep is too soon.
        case("CASE-1", "2025-06-01", contacts=SEEN,
             measures=[("swemwbs", "baseline", "2025-06-10", 17.0),
                       ("swemwbs", "follow-up", "2025-09-09", 23.0)]),
        # The same dates a day later: 10 Sep is paired.
        case("CASE-2", "2025-06-01", contacts=SEEN,
             measures=[("swemwbs", "baseline", "2025-06-10", 17.0),
                       ("swemwbs", "follow-up", "2025-09-10", 23.0)]),
        # Too soon first, then in time: the later one is paired, nothing to report.
        case("CASE-3", "2025-06-01", contacts=SEEN,
             measures=[("swemwbs", "baseline", "2025-06-10", 17.0),
                       ("swemwbs", "follow-up", "2025-08-01", 19.0),
                       ("swemwbs", "follow-up", "2025-09-20", 25.0)]),
    ]  # fmt: skip
    result = aggregate(records, "2025-26 Q2")
    summary = _summaries(result)[("swemwbs", "score")]
    assert (summary["people_with_baseline"], summary["people_with_follow_up"]) == (3, 2)
    assert summary["mean_follow_up"] == 24.0
    (warned,) = [f for f in result.findings if f.code == "SPC-A024"]
    assert warned.severity.value == "warning"
    assert warned.path == "/impact_on_person/instruments/0/people_with_follow_up"
    assert warned.message.startswith("1 people's follow-up swemwbs")


@pytest.mark.parametrize(
    ("baseline", "due"),
    [
        ("2025-06-30", "2025-09-30"),
        ("2025-11-30", "2026-02-28"),
        ("2023-11-30", "2024-02-29"),
        ("2025-10-31", "2026-01-31"),
        ("2025-12-31", "2026-03-31"),
        ("2025-01-31", "2025-04-30"),
    ],
)
def test_three_months_is_the_same_day_or_the_month_end(baseline: str, due: str) -> None:
    assert follow_up_due(dt.date.fromisoformat(baseline)) == dt.date.fromisoformat(due)


def test_the_columns_reckon_three_months_as_the_records_do() -> None:
    days = np.arange(dt.date(1999, 1, 1).toordinal(), dt.date(2031, 1, 1).toordinal())
    expected = [follow_up_due(dt.date.fromordinal(int(d))) for d in days]
    got = due_columns(days)
    assert [dt.date.fromordinal(int(d)) for d in got] == expected
    assert follow_up_due(dt.date(9999, 10, 1)) is None
    assert due_columns(np.array([dt.date(9999, 10, 1).toordinal()]))[0] > dt.date.max.toordinal()


def test_wellbeing_aspects_are_people_whose_case_closed() -> None:
    records = [
        case("CASE-1", "2025-05-01", person="P1-xxxx", contacts=SEEN,
             closed=("2025-08-01", "support-completed"),
             wellbeing_aspects=["in-control", "more-connected"]),
        # P1's second case: the same aspect counts P1 once.
        case("CASE-2", "2025-07-10", person="P1-xxxx", contacts=SEEN,
             closed=("2025-09-01", "support-completed"), wellbeing_aspects=["in-control"]),
        # Open at the quarter's end: not yet counted.
        case("CASE-3", "2025-05-01", person="P2-xxxx", contacts=SEEN,
             wellbeing_aspects=["physically-active"]),
    ]  # fmt: skip
    impact = aggregate(records, "2025-26 Q2").document["impact_on_person"]
    assert impact["wellbeing_aspects"] == {"in-control": 1, "more-connected": 1}


def test_social_care_packages_by_window_and_change() -> None:
    records = [
        case("CASE-1", "2025-01-10", contacts=SEEN, social_care=("2025-07-10", 6, "reduced")),
        case("CASE-2", "2025-01-10", contacts=SEEN, social_care=("2025-07-11", 6, "ended")),
        case("CASE-3", "2025-01-10", contacts=SEEN, social_care=("2025-07-12", 6, "no-package")),
        case("CASE-4", "2024-07-10", contacts=SEEN, social_care=("2025-07-10", 12, "started")),
        # Reviewed in Q1: not in Q2.
        case("CASE-5", "2025-01-10", contacts=SEEN, social_care=("2025-06-30", 6, "reduced")),
        # A rejected referral is not a case.
        case("CASE-6", "2025-01-10", rejected=("2025-01-11", "declined-by-person"),
             social_care=("2025-07-10", 6, "unchanged")),
    ]  # fmt: skip
    result = aggregate(records, "2025-26 Q2")
    assert result.document["impact_on_system"] == {
        "social_care_packages": [
            {
                "window_months": 6,
                "cases_reviewed": 3,
                "with_package_before": 2,
                "with_package_after": 1,
                "by_change": {"ended": 1, "no-package": 1, "reduced": 1},
            },
            {
                "window_months": 12,
                "cases_reviewed": 1,
                "with_package_before": 0,
                "with_package_after": 1,
                "by_change": {"started": 1},
            },
        ]
    }
    assert "/impact_on_system/social_care_packages" in result.derived
