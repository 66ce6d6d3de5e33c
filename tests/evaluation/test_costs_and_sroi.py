"""Unit-cost, price index and SROI files: hand-worked values and every bad input as a finding."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.evaluation.hand_worked import extract
from tests.evaluation.service_extract import service_extract

from spcore.evaluation import evaluate
from spcore.evaluation.costs import read_unit_costs
from spcore.evaluation.sroi import GREEN_BOOK_RATE, Outcome, parse_sroi, present_value, read_sroi

EXAMPLES = Path(__file__).parents[2] / "examples" / "evaluation"
HEADER = "service,unit,cost,price_year,source\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_illustrative_files_read_cleanly() -> None:
    costs, findings = read_unit_costs(EXAMPLES / "unit-costs-illustrative.csv")
    assert findings == []
    assert costs is not None
    assert all("ILLUSTRATIVE" in c.source for c in costs.costs.values())
    assumptions, findings = read_sroi(EXAMPLES / "sroi-illustrative.yaml")
    assert findings == []
    assert assumptions is not None
    assert assumptions.investment == 96000  # the example return's total investment
    assert assumptions.discount_rate == GREEN_BOOK_RATE == 0.035


@pytest.mark.parametrize(
    ("rows", "code", "words"),
    [
        (
            "gp-consultations,consultation,-4,2023-24,x\n",
            "SPC-V011",
            "line 2: the cost of gp-consultations is negative",
        ),
        (
            "gp-consultations,consultation,forty,2023-24,x\n",
            "SPC-V011",
            "line 2: the cost of gp-consultations must be a number",
        ),
        ("gp-consultations,consultation,40,2023-25,x\n", "SPC-V011", "must be a year"),
        (
            "gp-consultation,consultation,40,2023-24,x\n",
            "SPC-V011",
            "did you mean 'gp-consultations'",
        ),
        ("gp-consultations,consultation,40,2023-24,\n", "SPC-V011", "source"),
        (
            "gp-consultations,consultation,40,2023-24,x\ngp-consultations,c,41,2023-24,x\n",
            "SPC-V011",
            "line 3: gp-consultations is given twice (first on line 2)",
        ),
    ],
)
def test_bad_unit_cost_rows(tmp_path: Path, rows: str, code: str, words: str) -> None:
    from spcore.framework.enums import Service

    path = _write(tmp_path, "costs.csv", HEADER + rows)
    costs, findings = read_unit_costs(path, services=[s.value for s in Service])
    assert costs is None
    assert [f.code for f in findings] == [code]
    assert words in findings[0].message


def test_unit_cost_file_problems(tmp_path: Path) -> None:
    missing = _write(tmp_path, "costs.csv", "service,cost\ngp-consultations,40\n")
    _, findings = read_unit_costs(missing)
    assert findings[0].code == "SPC-V010"
    assert "no column unit, price_year, source" in findings[0].message
    _, findings = read_unit_costs(tmp_path / "nowhere.csv")
    assert findings[0].code == "SPC-V010"
    good = _write(tmp_path, "good.csv", HEADER + "gp-consultations,consultation,40,2023-24,x\n")
    index = _write(tmp_path, "index.csv", "year,index\n2024-25,103\n")
    _, findings = read_unit_costs(good, price_year="2024-25", index=index)
    assert [f.code for f in findings] == ["SPC-V013"]
    assert "line 2: the price index file has no index for 2023-24" in findings[0].message
    _, findings = read_unit_costs(good, price_year="2024-25")
    assert findings[0].code == "SPC-V013"


def test_a_service_used_without_a_unit_cost_is_reported(tmp_path: Path) -> None:
    only_gp = _write(tmp_path, "costs.csv", HEADER + "gp-consultations,consultation,40,2023-24,x\n")
    result = evaluate(service_extract(), unit_costs=only_gp)
    assert [f.code for f in result.input_findings] == ["SPC-V012"]
    assert "no unit cost for ae-attendances" in result.input_findings[0].message
    ae = next(f for f in result.service_use if f.service == "ae-attendances")
    assert ae.cells[0].cost_before is None


def _outcome(**changes: object) -> Outcome:
    values: dict[str, object] = {
        "id": "x",
        "description": "d",
        "stakeholder": "s",
        "quantity": 10.0,
        "proxy": 100.0,
        "proxy_unit_cost": None,
        "proxy_source": "p",
        "deadweight": 0.2,
        "displacement": 0.1,
        "attribution": 0.25,
        "drop_off": 0.5,
        "duration": 3,
    }
    values.update(changes)
    return Outcome(**values)  # type: ignore[arg-type]


def test_present_value_by_hand() -> None:
    # Year 1 impact: 10 x 100 x 0.8 x 0.9 x 0.75 = 540; then 270, 135 after 50% drop-off,
    # each discounted at 3.5% from year 1.
    expected = 540 / 1.035 + 270 / 1.035**2 + 135 / 1.035**3
    assert present_value(10, 100, _outcome(), 0.035) == pytest.approx(expected, abs=1e-9)


def _sroi(investment: object = None, **outcome: object) -> dict[str, object]:
    item: dict[str, object] = {
        "id": "wellbeing",
        "description": "d",
        "stakeholder": "people referred",
        "quantity": {"instrument": "swemwbs", "count": "improved"},
        "proxy": 1000,
        "proxy_source": "p",
        "deadweight": 0.5,
        "duration": 1,
    }
    item.update(outcome)
    return {"investment": investment or {"value": 1000, "source": "s"}, "outcomes": [item]}


def test_sroi_from_the_evaluation() -> None:
    assumptions, findings = parse_sroi(_sroi())
    assert findings == []
    result = evaluate(extract(), quarter="2025-26 Q1", sroi=assumptions)
    sroi = result.sroi
    assert sroi is not None
    # Two people improved on SWEMWBS in the hand-worked extract.
    (row,) = sroi["outcomes"]
    assert row["quantity"] == 2
    assert sroi["total_present_value"] == pytest.approx(2 * 1000 * 0.5 / 1.035, abs=1e-9)
    assert sroi["ratio"] == pytest.approx(1000 / 1.035 / 1000, abs=1e-9)
    cases = {(r["assumption"], r["change"]): r["ratio"] for r in sroi["sensitivity"]}
    assert cases[("deadweight", "+10 percentage points, every outcome")] == pytest.approx(
        2 * 1000 * 0.4 / 1.035 / 1000, abs=1e-9
    )
    assert cases[("discount rate", "0.0%")] == pytest.approx(1.0, abs=1e-9)
    assert sroi["proxy_change_to_break_even"] == pytest.approx(0.035, abs=1e-9)


@pytest.mark.parametrize(
    ("changes", "where", "words"),
    [
        ({"attribution": 1.2}, "/outcomes/0/attribution", "a share from 0 to 1"),
        ({"attribution": "120%"}, "/outcomes/0/attribution", "a share from 0 to 1"),
        ({"deadweight": -0.1}, "/outcomes/0/deadweight", "a share from 0 to 1"),
        ({"proxy": -5}, "/outcomes/0/proxy", "negative"),
        ({"duration": 0}, "/outcomes/0/duration", "whole number of years"),
        ({"quantity": {"shoe": 1}}, "/outcomes/0/quantity", "name a figure"),
        ({"colour": "red"}, "/outcomes/0/colour", "not an outcome key"),
    ],
)
def test_bad_sroi_values_are_findings(changes: dict[str, object], where: str, words: str) -> None:
    assumptions, findings = parse_sroi(_sroi(**changes))
    assert assumptions is None
    assert [f.path for f in findings] == [where]
    assert words in findings[0].message


def test_sroi_findings_name_their_line(tmp_path: Path) -> None:
    text = (
        (EXAMPLES / "sroi-illustrative.yaml")
        .read_text()
        .replace("attribution: 35%", "attribution: 135%")
    )
    path = _write(tmp_path, "sroi.yaml", text)
    assumptions, findings = read_sroi(path)
    assert assumptions is None
    # (The return named for the investment is not beside this copy: SPC-V022 as well.)
    (share,) = [f for f in findings if f.code == "SPC-V021"]
    line = text.splitlines().index("    attribution: 135%") + 1
    assert share.message.startswith(f"line {line}: ")
    assert share.path == "/outcomes/0/attribution"


def test_sroi_without_investment_or_outcomes(tmp_path: Path) -> None:
    _, findings = parse_sroi({"outcomes": []})
    assert {f.code for f in findings} == {"SPC-V022", "SPC-V020"}
    _, findings = read_sroi(_write(tmp_path, "bad.yaml", "outcomes: [\n"))
    assert findings[0].code == "SPC-V020"
    _, findings = parse_sroi(_sroi(investment={"returns": ["missing.json"]}))
    assert findings[0].code == "SPC-V022"


def test_an_outcome_the_evaluation_cannot_count_is_a_finding() -> None:
    assumptions, _ = parse_sroi(_sroi(quantity={"service": "ae-attendances"}))
    result = evaluate(extract(), sroi=assumptions)
    assert [f.code for f in result.input_findings] == ["SPC-V021"]
    assert "no ae-attendances use" in result.input_findings[0].message
    unit, _ = parse_sroi(_sroi(proxy={"unit_cost": "gp-consultations"}, proxy_source=None))
    result = evaluate(extract(), sroi=unit)
    assert "needs --unit-costs" in result.input_findings[0].message
