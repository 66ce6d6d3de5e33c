"""Service use before and after: hand-worked figures against scipy, and known true effects."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import scipy.stats as st
from tests.evaluation.service_extract import (
    COMPARISON_GP,
    REFERRED_AE,
    REFERRED_GP,
    service_extract,
)

from spcore.cases.synth import synth_cases
from spcore.evaluation import evaluate
from spcore.evaluation.service_use import ServiceFigure

TOLERANCE = 1e-9
EXAMPLES = Path(__file__).parents[2] / "examples" / "evaluation"


def _service(result: object, service: str) -> ServiceFigure:
    return next(f for f in result.service_use if f.service == service)  # type: ignore[attr-defined]


def _delta_interval(before: np.ndarray, after: np.ndarray) -> tuple[float, float, float]:
    """Ratio of means and its 95% delta-method interval on the log scale, written out."""
    n = len(before)
    mean_a, mean_b = after.mean(), before.mean()
    cov = np.cov(after, before, ddof=1)
    var_log = (
        cov[0, 0] / mean_a**2 + cov[1, 1] / mean_b**2 - 2 * cov[0, 1] / (mean_a * mean_b)
    ) / n
    half = st.norm.ppf(0.975) * math.sqrt(var_log)
    ratio = mean_a / mean_b
    return ratio, ratio * math.exp(-half), ratio * math.exp(half)


def test_before_after_figures_against_scipy() -> None:
    result = evaluate(service_extract(), by=["age-band"])
    assert len(result.intake.rows) == 5
    assert len(result.intake.comparison_rows) == 4
    gp = _service(result, "gp-consultations")
    total = gp.cells[0]
    before = np.array([b for b, _ in REFERRED_GP], float)
    after = np.array([a for _, a in REFERRED_GP], float)
    assert (total.n_paired, total.total_before, total.total_after) == (5, 40, 25)
    assert total.percent_change == pytest.approx(-37.5, abs=TOLERANCE)
    expected = st.ttest_rel(after, before)
    interval = expected.confidence_interval()
    assert (total.ci_low, total.ci_high) == pytest.approx(
        (interval.low, interval.high), abs=TOLERANCE
    )
    assert total.p_t == pytest.approx(expected.pvalue, abs=TOLERANCE)
    _ratio, low, high = _delta_interval(before, after)
    assert total.percent_ci_low == pytest.approx((low - 1) * 100, abs=TOLERANCE)
    assert total.percent_ci_high == pytest.approx((high - 1) * 100, abs=TOLERANCE)


def test_difference_in_differences_against_scipy() -> None:
    result = evaluate(service_extract())
    total = _service(result, "gp-consultations").cells[0]
    treated = np.array([a - b for b, a in REFERRED_GP], float)
    compared = np.array([a - b for b, a in COMPARISON_GP], float)
    expected = st.ttest_ind(treated, compared, equal_var=False)
    interval = expected.confidence_interval()
    assert total.did == pytest.approx(treated.mean() - compared.mean(), abs=TOLERANCE)
    assert (total.did_ci_low, total.did_ci_high) == pytest.approx(
        (interval.low, interval.high), abs=TOLERANCE
    )
    assert total.did_p == pytest.approx(expected.pvalue, abs=TOLERANCE)
    # The ratio form: (25/40) / (30/32) - 1.
    assert total.did_percent == pytest.approx((25 / 40) / (30 / 32) * 100 - 100, abs=TOLERANCE)
    assert total.comparison_n_paired == 4
    # A&E was not counted for the comparison people: no difference in differences.
    ae = _service(result, "ae-attendances").cells[0]
    assert ae.did is None
    assert ae.comparison_n_paired is None
    assert (ae.total_before, ae.total_after) == (sum(b for b, _ in REFERRED_AE), 3)


def test_costs_from_the_unit_cost_file() -> None:
    result = evaluate(
        service_extract(),
        unit_costs=EXAMPLES / "unit-costs-illustrative.csv",
        price_year="2025-26",
        price_index=EXAMPLES / "price-index-illustrative.csv",
    )
    assert result.input_findings == ()
    total = _service(result, "gp-consultations").cells[0]
    price = 42.00 * 106.0 / 100.0
    assert total.cost_before == pytest.approx(40 * price, abs=TOLERANCE)
    assert total.cost_after == pytest.approx(25 * price, abs=TOLERANCE)
    assert total.cost_change_per_person == pytest.approx(-3 * price, abs=TOLERANCE)
    costs = result.to_dict()["costs"]
    (figure,) = costs["figures"]
    ae_price = 210.00 * 1.06
    assert figure["cells"][0]["cost_before"] == pytest.approx(40 * price + 7 * ae_price)


@pytest.mark.parametrize(("seed", "trend"), [(2026, 0.1), (2027, 0.0)])
def test_known_true_effects_are_covered(seed: int, trend: float) -> None:
    from spcore.cases.synth import DEFAULT_SERVICE_USE_EFFECT, ServiceUseModel

    model = ServiceUseModel(trend=trend)
    records = list(synth_cases(5000, seed, year=2025, comparison_share=0.4, service_use=model))
    result = evaluate(records)
    for figure in result.service_use:
        truth = DEFAULT_SERVICE_USE_EFFECT.get(figure.service, 0.0) * 100
        cell = figure.cells[0]
        assert cell.did_percent_ci_low < truth < cell.did_percent_ci_high, figure.service
        if trend == 0.0:
            # With no shared trend the before/after change alone estimates the effect.
            assert cell.percent_ci_low < truth < cell.percent_ci_high, figure.service
    gp = _service(result, "gp-consultations").cells[0]
    print(
        f"seed {seed}: GP consultations true {DEFAULT_SERVICE_USE_EFFECT['gp-consultations']:.0%}, "
        f"estimated {gp.did_percent:.1f}% "
        f"({gp.did_percent_ci_low:.1f} to {gp.did_percent_ci_high:.1f})"
    )


def test_bad_windows_and_counts_are_left_out_with_their_line() -> None:
    records = service_extract()
    records[0]["service_use"][0]["end_on"] = "2020-01-01"  # ends before it starts
    records[1]["service_use"][1]["counts"]["gp-consultations"] = -3
    result = evaluate(records)
    assert result.intake.left_out["SPC-V001"] == 2
    messages = [f.message for f in result.findings if f.code == "SPC-V001"]
    assert "line 1" in messages[0]
    assert "line 2" in messages[1]
    assert _service(result, "gp-consultations").cells[0].n_paired == 3


def test_suppression_covers_service_use() -> None:
    from spcore.aggregation import SuppressionRule

    document = evaluate(service_extract(), suppress=SuppressionRule()).to_dict()
    for figure in document["service_use"]["figures"]:
        cell = figure["cells"][0]
        assert cell["n_paired"] is None  # five people
        assert cell["mean_change"] is None
        assert cell["did"] is None


def test_people_counted_on_one_side_only() -> None:
    records = service_extract()
    records[0]["service_use"] = records[0]["service_use"][:1]  # before only
    records[1]["service_use"] = records[1]["service_use"][1:]  # after only
    total = _service(evaluate(records), "gp-consultations").cells[0]
    assert (total.n_paired, total.before_only, total.after_only) == (3, 1, 1)
    assert (total.total_before, total.total_after) == (24, 15)
