"""Quarter boundaries, people with two cases, open and closed cases, cases with no contacts,
and records that cannot be used."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from tests.aggregation.both_paths import aggregate
from tests.aggregation.builders import case

from spcore.findings import Finding, error
from spcore.framework.case_record import CaseRecord
from spcore.framework.periods import QuarterError


def outputs(records: list[CaseRecord], quarter: str = "2025-26 Q2") -> dict[str, Any]:
    result: dict[str, Any] = aggregate(records, quarter).document["outputs"]
    return result


def monitoring(records: list[CaseRecord], quarter: str = "2025-26 Q2") -> dict[str, Any]:
    result: dict[str, Any] = aggregate(records, quarter).document["monitoring"]
    return result


def test_referral_on_the_last_day_belongs_to_that_quarter_only() -> None:
    records = [case("CASE-0001", "2025-09-30")]
    assert outputs(records, "2025-26 Q2")["people_referred"] == 1
    assert outputs(records, "2025-26 Q3")["people_referred"] == 0


def test_referral_on_the_first_day_of_the_next_quarter_belongs_to_it() -> None:
    records = [case("CASE-0001", "2025-10-01")]
    assert outputs(records, "2025-26 Q2")["people_referred"] == 0
    assert outputs(records, "2025-26 Q3")["people_referred"] == 1


def test_quarter_four_runs_into_the_next_calendar_year() -> None:
    records = [case("CASE-0001", "2026-03-31"), case("CASE-0002", "2026-04-01")]
    assert outputs(records, "2025-26 Q4")["people_referred"] == 1
    assert outputs(records, "2026-27 Q1")["people_referred"] == 1


def test_a_person_with_two_cases_is_one_person_counted_by_the_first_referral() -> None:
    records = [
        case("CASE-0002", "2025-08-01", person="P1-xxxx", age="55-64", referrer="self-referral",
             criteria=["carer"], contacts=[("2025-08-02", "telephone", 20)]),
        case("CASE-0001", "2025-07-05", person="P1-xxxx", age="45-54",
             contacts=[("2025-07-06", "telephone", 40)]),
    ]  # fmt: skip
    out = outputs(records)
    assert out["people_referred"] == 1
    assert out["people_benefiting"] == 1
    assert out["referred_by_age_band"] == {"45-54": 1}
    assert out["referred_by_referrer_type"] == {"gp-practice": 1}
    assert out["referred_by_criterion"] == {"carer": 1, "long-term-condition": 1}
    # One person, 40 + 20 minutes.
    assert out["average_time_per_person"] == {"value": 60.0, "unit": "minute"}
    assert monitoring(records)["contacts"] == 2


def test_two_cases_without_a_person_id_are_two_people() -> None:
    records = [case("CASE-0001", "2025-07-05"), case("CASE-0002", "2025-08-01")]
    assert outputs(records)["people_referred"] == 2


def test_open_and_closed_cases_at_the_quarter_end() -> None:
    records = [
        case("CASE-0001", "2025-05-01", ratings=[("2025-06-01", "red")]),  # open, red
        case("CASE-0002", "2025-05-01", closed=("2025-09-30", "referred-on")),  # closed last day
        case("CASE-0003", "2025-05-01", closed=("2025-09-29", "died")),  # closed the day before
        case("CASE-0004", "2025-09-30"),  # referred the last day: open, green
        case("CASE-0005", "2025-09-01", rejected=("2025-09-02", "no-consent")),  # never a case
    ]
    figures = monitoring(records)
    # Open from referral to closure, both days included (spcore.rag.history).
    assert figures["rag_caseload_at_end"] == {"green": 2, "amber": 0, "red": 1}
    assert figures["cases_closed_by_reason"] == {"died": 1, "referred-on": 1}
    # The red rating was given in Q1: not an escalation in Q2.
    assert figures["cases_escalated"] == 0
    assert figures["referrals_rejected_by_reason"] == {"no-consent": 1}


def test_cases_with_no_contacts_benefit_no_one_and_take_no_time() -> None:
    records = [case("CASE-0001", "2025-07-01"), case("CASE-0002", "2025-07-02")]
    out = outputs(records)
    assert out["people_referred"] == 2
    assert out["people_benefiting"] == 0
    # Nobody was seen at all: the average is 0 minutes (spcore's convention).
    assert out["average_time_per_person"] == {"value": 0.0, "unit": "minute"}


def test_a_social_prescription_alone_is_support() -> None:
    records = [case("CASE-0001", "2025-07-01", prescriptions=[("2025-07-03", "befriending")])]
    out = outputs(records)
    assert out["people_benefiting"] == 1
    # An unnamed group cannot be counted as a group.
    assert out["community_groups"] == {"count": 0}


def test_contacts_without_any_duration_leave_the_average_to_the_facts() -> None:
    result = aggregate(
        [case("CASE-0001", "2025-07-01", contacts=[("2025-07-02", "telephone")])], "2025-26 Q2"
    )
    assert "average_time_per_person" not in result.document["outputs"]
    assert "/outputs/average_time_per_person" in result.missing
    codes = {f.code for f in result.findings}
    assert {"SPC-A020", "SPC-A021"} <= codes


def test_groups_are_told_apart_by_directory_id_before_name() -> None:
    records = [
        case("CASE-0001", "2025-07-01", prescriptions=[
            ("2025-07-02", "green-activity", "Allotments", "ORUK-1"),
            ("2025-07-03", "green-activity", "Town allotments", "ORUK-1"),
            ("2025-07-04", "arts-and-culture", "Allotments"),
        ]),
    ]  # fmt: skip
    assert outputs(records)["community_groups"]["count"] == 2


@attrs.frozen
class Item:
    """An extract item as spcore.cases.read_extract yields."""

    line: int
    record: CaseRecord | None
    findings: tuple[Finding, ...] = ()


def test_unusable_records_are_counted_reported_and_left_out() -> None:
    good = case("CASE-0001", "2025-07-01")
    items = [
        Item(1, good),
        Item(2, None, (error("SPC-S003", "/referral/date", "The date is not a date."),)),
        Item(3, good),  # the same case again
        Item(4, case("CASE-0002", "2025-07-01", scheme="OTHER-SCHEME")),
        Item(5, case("CASE-0003", "2025-07-10", closed=("2025-07-01", "died"))),
        Item(6, case("CASE-0004", "2025-08-01")),
    ]
    result = aggregate(items, "2025-26 Q2")
    assert (result.records_read, result.records_used, result.records_skipped) == (6, 2, 4)
    skipped = [(f.code, f.path) for f in result.findings if f.code in {
        "SPC-A001", "SPC-A002", "SPC-A003", "SPC-A004"}]  # fmt: skip
    assert skipped == [("SPC-A001", "/1"), ("SPC-A002", "/2"), ("SPC-A003", "/3"),
                       ("SPC-A004", "/4")]  # fmt: skip
    assert "line 2" in result.findings[0].message
    assert "The date is not a date." in result.findings[0].message
    assert result.document["outputs"]["people_referred"] == 2


def test_a_problem_with_the_extract_file_is_reported_but_not_counted_as_a_record() -> None:
    problem = error("SPC-C001", "", "'x.ndjson' cannot be read.")
    result = aggregate([Item(0, None, (problem,))], "2025-26 Q2")
    assert result.records_read == 0
    assert problem in result.findings


def test_a_wrong_quarter_is_refused() -> None:
    with pytest.raises(QuarterError):
        aggregate([], "2025-27 Q1")


def test_an_empty_extract_gives_a_return_of_zeros() -> None:
    out = outputs([])
    assert out["people_referred"] == 0
    assert out["referred_by_age_band"] == {}
    assert out["average_time_per_person"] == {"value": 0.0, "unit": "minute"}


def test_the_largest_scores_allowed_still_give_finite_means() -> None:
    from spcore.framework.types import MAX_SCORE

    records = [
        case(
            f"CASE-000{i}",
            "2025-07-01",
            contacts=[("2025-07-02", "telephone")],
            measures=[
                ("eq5d5l", "baseline", "2025-04-01", MAX_SCORE),
                ("eq5d5l", "follow-up", "2025-07-03", MAX_SCORE),
            ],
        )
        for i in range(1, 4)
    ]
    (summary,) = aggregate(records, "2025-26 Q2").document["impact_on_person"]["instruments"]
    assert summary["mean_baseline"] == summary["mean_follow_up"] == MAX_SCORE
