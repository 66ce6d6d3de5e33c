"""Every business rule: a return it reports and a similar return it accepts.

Each fixture is a list of patches to the bundled valid example (one patch per
return validated together); a patch maps a JSON Pointer to a new value, or to
``DELETE``. All are validated as on :data:`TODAY`, so the period checks are
deterministic. Figures are worked by hand in the comments.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from spcore.findings import Finding
from spcore.validation import FINDING_CODES, RULES, validate_returns

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = json.loads((ROOT / "examples/returns/northshire-connect-2025-26-Q2.json").read_text())
TODAY = dt.date(2025, 11, 1)
DELETE = object()
Q1 = {"/period": "2025-26 Q1", "/prepared_on": "2025-07-10"}
SWEMWBS = "/impact_on_person/instruments/0"
LONELY = "/impact_on_person/instruments/2"
MORALE = "/impact_on_system/staff_morale/general_practice"
GROUPS = "/impact_on_community_groups"
CARE = "/impact_on_system/social_care_packages/0"


def gbp(value: float, unit: str = "GBP") -> dict[str, Any]:
    return {"value": value, "unit": unit}


def patched(patch: dict[str, Any]) -> dict[str, Any]:
    """The example with each pointer in ``patch`` set (or deleted)."""
    doc = copy.deepcopy(EXAMPLE)
    for path, value in patch.items():
        *parents, last = path.split("/")[1:]
        target = doc
        for token in parents:
            target = target[int(token)] if isinstance(target, list) else target[token]
        if isinstance(target, list):
            target[int(last)] = value
        elif value is DELETE:
            del target[last]
        else:
            target[last] = value
    return doc


# code -> (failing returns, passing returns); the example has 240 people referred,
# 198 benefiting, 5.4 FTE from 6 link workers, and is for 2025-26 Q2 (92 days).
FIXTURES: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {
    # age bands add up to 240; +10 gives 250
    "SPC-R001": (
        [{"/outputs/referred_by_age_band/18-24": 24}],
        [{"/outputs/referred_by_age_band/18-24": 10, "/outputs/referred_by_age_band/unknown": 8}],
    ),
    "SPC-R002": ([{"/outputs/referred_by_age_band/unknown": DELETE}], [{}]),
    # referrers add up to 240
    "SPC-R003": (
        [{"/outputs/referred_by_referrer_type/other": 20}],
        [
            {
                "/outputs/referred_by_referrer_type/gp-practice": 132,
                "/outputs/referred_by_referrer_type/other": 20,
            }
        ],
    ),
    "SPC-R004": ([{"/outputs/referred_by_referrer_type/gp-practice": 100}], [{}]),
    "SPC-R005": (
        [{"/outputs/referred_by_criterion/long-term-condition": 241}],
        [{"/outputs/referred_by_criterion/long-term-condition": 240}],
    ),
    "SPC-R006": (
        [{"/outputs/people_rejecting_referral": 241}],
        [{"/outputs/people_rejecting_referral": 240}],
    ),
    "SPC-R007": (
        [{"/outputs/support_plans_coproduced": 199}],
        [{"/outputs/support_plans_coproduced": 198}],
    ),
    # two groups listed
    "SPC-R008": (
        [{"/outputs/community_groups/count": 1}],
        [{"/outputs/community_groups/count": 2}],
    ),
    # 42 groups; the listed groups have 23 + 37 = 60 referrals
    "SPC-R009": (
        [{"/monitoring/social_prescriptions": 41}],
        [{"/monitoring/social_prescriptions": 60}],
    ),
    "SPC-R010": (
        [{"/outputs/community_groups/groups/0/referrals": 352}],
        [{"/outputs/community_groups/groups/0/referrals": 351}],
    ),
    # 6 link workers; 225 hours a week is exactly 6.0 FTE
    "SPC-R011": (
        [{"/outputs/link_workers/fte": {"value": 6.01, "unit": "FTE"}}],
        [{"/outputs/link_workers/fte": {"value": 225, "unit": "hour_per_week"}}],
    ),
    "SPC-R012": (
        [{"/outputs/link_worker_salaries/lowest_annual": gbp(0)}],
        [
            {
                "/outputs/link_workers/headcount": 0,
                "/outputs/link_workers/fte": {"value": 0},
                "/outputs/link_worker_salaries/lowest_annual": gbp(0),
                "/outputs/link_worker_salaries/highest_annual": gbp(0),
            }
        ],
    ),
    "SPC-R013": (
        [{"/outputs/link_worker_salaries/lowest_annual": gbp(30_163)}],
        [{"/outputs/link_worker_salaries/lowest_annual": gbp(30_162)}],
    ),
    # a monthly figure fails; the same salary in pence passes
    "SPC-R014": (
        [{"/outputs/link_worker_salaries/lowest_annual": gbp(2_300)}],
        [{"/outputs/link_worker_salaries/lowest_annual": gbp(2_748_500, "penny")}],
    ),
    # pay in the quarter is £38,900
    "SPC-R015": (
        [{"/outputs/total_investment/amount": gbp(38_899)}],
        [{"/outputs/total_investment/amount": gbp(3_890_000, "penny")}],
    ),
    # total £96,000 = 70,000 + 20,000 + 6,000
    "SPC-R016": (
        [{"/outputs/total_investment/by_funding_source/grant": gbp(6_001)}],
        [{"/outputs/total_investment/by_funding_source/grant": gbp(600_000, "penny")}],
    ),
    "SPC-R017": ([{"/outputs/total_investment/by_funding_source/grant": DELETE}], [{}]),
    # 1 FTE over 92 days (13.14 weeks) at 20 a week: 262.9 assessments
    "SPC-R018": (
        [{"/outputs/link_workers/fte": {"value": 1}, "/monitoring/assessments_completed": 263}],
        [{"/outputs/link_workers/fte": {"value": 1}, "/monitoring/assessments_completed": 262}],
    ),
    "SPC-R019": (
        [{"/outputs/average_time_per_person": {"value": 0, "unit": "minute"}}],
        [
            {
                "/outputs/people_benefiting": 0,
                "/outputs/average_time_per_person": {"value": 0, "unit": "minute"},
            }
        ],
    ),
    # 5.4 FTE x 37.5 h x 13.14 weeks = 2,661.4 hours; 198 people x 13.4 h = 2,653.2 h
    "SPC-R020": (
        [{"/outputs/average_time_per_person": {"value": 13.5, "unit": "hour"}}],
        [{"/outputs/average_time_per_person": {"value": 13.4, "unit": "hour"}}],
    ),
    "SPC-R021": (
        [{"/period": "2026-27 Q1", "/prepared_on": DELETE}],
        [{"/period": "2025-26 Q3", "/prepared_on": DELETE}],
    ),
    "SPC-R022": (
        [{"/period": "2025-26 Q3", "/prepared_on": DELETE}],
        [{"/period": "2025-26 Q2", "/prepared_on": DELETE}],
    ),
    "SPC-R023": ([{"/prepared_on": "2025-06-30"}], [{"/prepared_on": "2025-07-01"}]),
    "SPC-R024": ([{"/prepared_on": "2025-09-30"}], [{"/prepared_on": "2025-10-01"}]),
    "SPC-R025": ([{"/prepared_on": "2025-11-02"}], [{"/prepared_on": "2025-11-01"}]),
    # 23 referrals not taken up; 217 more make 240
    "SPC-R026": (
        [{"/monitoring/referrals_rejected_by_reason/other": 218}],
        [{"/monitoring/referrals_rejected_by_reason/other": 217}],
    ),
    # 194 open at the end + 125 closed = 319
    "SPC-R027": ([{"/monitoring/cases_escalated": 320}], [{"/monitoring/cases_escalated": 319}]),
    # 18 people rejecting, 18 referrals declined by the person
    "SPC-R039": (
        [{"/monitoring/referrals_rejected_by_reason/declined-by-person": 17}],
        [{"/outputs/people_rejecting_referral": 17}],
    ),
    "SPC-R028": (
        [{f"{SWEMWBS}/people_with_follow_up": 133}],
        [{f"{SWEMWBS}/people_with_follow_up": 132}],
    ),
    "SPC-R029": ([{f"{SWEMWBS}/people_improved": 89}], [{f"{SWEMWBS}/people_improved": 88}]),
    # SWEMWBS metric scores run from 7 to 35
    "SPC-R030": ([{f"{SWEMWBS}/mean_baseline": 6.99}], [{f"{SWEMWBS}/mean_baseline": 7}]),
    "SPC-R031": (
        [{"/impact_on_person/instruments/1/score": "metric"}],
        [{"/impact_on_person/instruments/1/score": "total"}],
    ),
    "SPC-R032": (
        [{f"{SWEMWBS}/value_set": "england-2018-devlin"}],
        [
            {
                f"{SWEMWBS}/instrument": "eq5d5l",
                f"{SWEMWBS}/value_set": "england-2018-devlin",
                f"{SWEMWBS}/mean_baseline": -0.2,
                f"{SWEMWBS}/mean_follow_up": 0.61,
            }
        ],
    ),
    "SPC-R033": (
        [{f"{SWEMWBS}/people_with_follow_up": 0, f"{SWEMWBS}/people_improved": 0}],
        [
            {
                f"{SWEMWBS}/people_with_follow_up": 0,
                f"{SWEMWBS}/people_improved": 0,
                f"{SWEMWBS}/mean_baseline": DELETE,
                f"{SWEMWBS}/mean_follow_up": DELETE,
            }
        ],
    ),
    "SPC-R034": (
        [{"/impact_on_person/employability/volunteering": 199}],
        [{"/impact_on_person/employability/volunteering": 198}],
    ),
    "SPC-R035": (
        [{"/impact_on_system/window_after_months": 6}],
        [
            {
                "/impact_on_system/window_before_months": 6,
                "/impact_on_system/window_after_months": 6,
            }
        ],
    ),
    # 120 people over 12 months: at most 120 x 12 x 31 = 44,640 nights
    "SPC-R081": (
        [{"/impact_on_system/hospital_bed_days/after": 44_641}],
        [{"/impact_on_system/hospital_bed_days/before": 44_640}],
    ),
    # 34 respondents = 21 + 11 + 2
    "SPC-R036": ([{f"{MORALE}/worse": 3}], [{}]),
    "SPC-R037": ([{f"{MORALE}/worse": 1}], [{f"{MORALE}/worse": 1, f"{MORALE}/respondents": 33}]),
    # 27 responding of 42 surveyed = 19 + 6 + 2
    "SPC-R038": ([{f"{GROUPS}/no_change": 7}], [{f"{GROUPS}/no_change": 5}]),
    # relations first checked from the table (codes from SPC-R070)
    # the listed groups' people are among the 198 benefiting
    "SPC-R070": (
        [{"/outputs/community_groups/groups/0/referrals": 199}],
        [{"/outputs/community_groups/groups/0/referrals": 198}],
    ),
    # 198 people benefiting need at least 198 contacts and social prescriptions together
    "SPC-R071": (
        [{"/monitoring/contacts": 0, "/monitoring/social_prescriptions": 197}],
        [{"/monitoring/contacts": 0, "/monitoring/social_prescriptions": 198}],
    ),
    # an instrument summary is over the 198 people benefiting
    "SPC-R072": (
        [{f"{SWEMWBS}/people_with_baseline": 199}],
        [{f"{SWEMWBS}/people_with_baseline": 198}],
    ),
    # 97 + 12 + 16 = 125 cases closed
    "SPC-R073": (
        [{"/impact_on_person/employability/volunteering": 126}],
        [{"/impact_on_person/employability/volunteering": 125}],
    ),
    # 27 responding = 19 + 6 + 2
    "SPC-R074": (
        [{f"{GROUPS}/no_change": 5}],
        [{f"{GROUPS}/no_change": 5, f"{GROUPS}/groups_responding": 26}],
    ),
    # ONS loneliness: 30 + 34 + 20 + 9 + 3 = 96 people with a baseline
    "SPC-R075": (
        [{f"{LONELY}/baseline_by_category/never": 4}],
        [{f"{LONELY}/baseline_by_category/never": 4, f"{LONELY}/people_with_baseline": 97}],
    ),
    # 29 moved better + 5 worse of 64 followed up
    "SPC-R076": (
        [{f"{LONELY}/people_moved_better": 60}],
        [{f"{LONELY}/people_moved_better": 59}],
    ),
    # 97 + 12 + 16 = 125 cases closed
    "SPC-R077": (
        [{"/impact_on_person/wellbeing_aspects/more-connected": 126}],
        [{"/impact_on_person/wellbeing_aspects/more-connected": 125}],
    ),
    # 14 with a package at referral = 8 unchanged + 2 reduced + 4 ended
    "SPC-R078": (
        [{f"{CARE}/with_package_before": 15}],
        [
            {
                f"{CARE}/with_package_before": 15,
                f"{CARE}/by_change/ended": 5,
                f"{CARE}/by_change/no-package": 23,
            }
        ],
    ),
    # 40 cases reviewed = 24 + 2 + 8 + 2 + 4
    "SPC-R079": (
        [{f"{CARE}/by_change/no-package": 25}],
        [{f"{CARE}/by_change/no-package": 25, f"{CARE}/cases_reviewed": 41}],
    ),
    # 9 groups need support; 7 name funding
    "SPC-R080": (
        [{f"{GROUPS}/support_needed/funding": 10}],
        [{f"{GROUPS}/support_needed/funding": 9}],
    ),
    # the example's third summary is the ONS loneliness answer, a categorical score
    "SPC-R045": ([{f"{LONELY}/mean_baseline": 2.67}], [{}]),
    "SPC-R046": (
        [{f"{LONELY}/follow_up_by_category": DELETE}, {f"{SWEMWBS}/people_moved_better": 3}],
        [{}],
    ),
    "SPC-R047": (
        [{f"{LONELY}/baseline_by_category/sometimes": 0}],
        [{f"{LONELY}/baseline_by_category/never": 3}],
    ),
    "SPC-R040": (
        [{"/notes": "Follow-up for 943 476 5919 delayed."}],
        [{"/notes": "Reference 943 476 5918 (not a valid NHS number)."}],
    ),
    "SPC-R041": (
        [{"/outputs/community_groups/groups/0/name": "Tuesday walk from LS1 4AP"}],
        [{"/outputs/community_groups/groups/0/name": "Tuesday walk, Leeds LS1"}],
    ),
    "SPC-R042": (
        [{"/notes": "Contact jane.smith@example.org about the figures."}],
        [{"/notes": "Contact the scheme office @ the hub about the figures."}],
    ),
    "SPC-R043": (
        [{"/notes": "Ring 07700 900123 for the referral."}],
        [{"/outputs/community_groups/groups/1/name": "Carers helpline 0800 123 4567"}],
    ),
    "SPC-R044": (
        [{"/notes": "One man (DOB 12/03/1961) moved away."}],
        [{"/notes": "The group started on 12/03/2024."}],
    ),
    "SPC-R050": ([{}, {}], [{}, Q1]),
    "SPC-R051": ([{}, {**Q1, "/scheme/id": "NORTHSHIRE"}], [{}, Q1]),
    "SPC-R052": ([{}, {**Q1, "/scheme/commissioner_code": "QWE"}], [{}, Q1]),
}


def findings_for(patches: list[dict[str, Any]]) -> list[Finding]:
    reports = validate_returns([patched(p) for p in patches], today=TODAY)
    assert all(r.readable for r in reports)
    return [f for r in reports for f in r.findings]


def test_every_rule_has_a_failing_and_a_passing_fixture() -> None:
    assert sorted(FIXTURES) == sorted(r.code for r in RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_failing_fixture_is_reported(rule: Any) -> None:
    failing, _ = FIXTURES[rule.code]
    found = [f for f in findings_for(failing) if f.code == rule.code]
    assert found, f"{rule.code} not reported"
    for finding in found:
        assert finding.severity is rule.severity
        assert finding.path.startswith("/")
        assert finding.message.endswith(".")
        assert finding.code in FINDING_CODES


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_passing_fixture_is_accepted(rule: Any) -> None:
    _, passing = FIXTURES[rule.code]
    assert rule.code not in {f.code for f in findings_for(passing)}


def test_example_has_no_findings_today() -> None:
    assert findings_for([{}]) == []


def test_messages_point_at_the_figure() -> None:
    (finding,) = [
        f
        for f in findings_for([{"/outputs/referred_by_criterion/long-term-condition": 250}])
        if f.code == "SPC-R005"
    ]
    assert finding.path == "/outputs/referred_by_criterion/long-term-condition"
    assert "(250)" in finding.message


@pytest.mark.parametrize(
    ("patch", "path"),
    [
        ({f"{GROUPS}/groups_responding": 43}, f"{GROUPS}/groups_responding"),
        ({f"{GROUPS}/able_to_manage_referrals": 28}, f"{GROUPS}/able_to_manage_referrals"),
        (
            {f"{GROUPS}/need_support_to_be_sustainable": 28},
            f"{GROUPS}/need_support_to_be_sustainable",
        ),
    ],
)
def test_group_survey_bounds(patch: dict[str, Any], path: str) -> None:
    assert ("SPC-R038", path) in {(f.code, f.path) for f in findings_for([patch])}


def test_salary_above_band_7() -> None:
    # £54,710 is the top of Band 7 in 2025/26; a penny more is reported
    high = "/outputs/link_worker_salaries/highest_annual"
    assert "SPC-R014" in {f.code for f in findings_for([{high: gbp(54_710.01)}])}
    assert "SPC-R014" not in {f.code for f in findings_for([{high: gbp(54_710)}])}


def test_capacity_uses_the_length_of_the_quarter() -> None:
    # 2025-26 Q4 is 90 days: 20 x 90/7 = 257.1 assessments per FTE
    patch = {
        "/period": "2024-25 Q4",
        "/prepared_on": "2025-04-10",
        "/outputs/link_workers/fte": {"value": 1},
    }
    assert "SPC-R018" in {
        f.code for f in findings_for([{**patch, "/monitoring/assessments_completed": 258}])
    }
    assert "SPC-R018" not in {
        f.code for f in findings_for([{**patch, "/monitoring/assessments_completed": 257}])
    }


def test_cross_return_findings_go_to_the_return_concerned() -> None:
    docs = [
        patched({}),
        patched({**Q1, "/scheme/id": "OTHER"}),
        patched({**Q1, "/prepared_on": DELETE}),
        patched(Q1),
    ]
    reports = validate_returns(docs, today=TODAY)
    assert [f.code for f in reports[0].findings] == []
    assert {(f.code, f.path) for f in reports[1].findings} == {("SPC-R051", "/scheme/id")}
    assert {(f.code, f.path) for f in reports[2].findings} == {("SPC-R050", "/period")}
    assert {(f.code, f.path) for f in reports[3].findings} == {("SPC-R050", "/period")}


def test_returns_of_different_schemes_may_share_a_quarter() -> None:
    other = {"/scheme/id": "SOUTHSHIRE", "/scheme/name": "Southshire Links"}
    reports = validate_returns([patched({}), patched(other)], today=TODAY)
    assert [f for r in reports for f in r.findings] == []


def test_names_are_compared_ignoring_case_and_spacing() -> None:
    renamed = {**Q1, "/scheme/id": "NC", "/scheme/name": "  northshire   CONNECT "}
    reports = validate_returns([patched({}), patched(renamed)], today=TODAY)
    assert [f.code for f in reports[1].findings] == ["SPC-R051"]


def test_unreadable_returns_take_no_part_across_returns(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    reports = validate_returns([patched({}), bad, patched({})], today=TODAY)
    assert [f.code for f in reports[1].findings] == ["SPC-F003"]
    assert {f.code for f in reports[0].findings} == {"SPC-R050"}
    # the other return is named by its place among those given, unreadable ones counted
    assert "(return 3 of those given)" in reports[0].findings[0].message
    assert "(return 1 of those given)" in reports[2].findings[0].message


def test_returns_read_from_files_are_named_by_file(tmp_path: Path) -> None:
    paths = [tmp_path / "q2.json", tmp_path / "q2-again.json"]
    for path in paths:
        path.write_text(json.dumps(EXAMPLE))
    first, _ = validate_returns(paths, today=TODAY)
    assert f"({paths[1]})" in first.findings[0].message
