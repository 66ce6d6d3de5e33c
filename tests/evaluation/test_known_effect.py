"""A synthetic extract with a known true effect: the estimates' intervals cover it.

Baselines are drawn as SWEMWBS metric scores N(20, 3.5); each person's
follow-up is the baseline plus the true effect plus N(0, 2.5) noise, so the
true mean change is TRUE_CHANGE and the true d_z is TRUE_CHANGE / 2.5.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from statsmodels.stats.weightstats import DescrStatsW

from spcore.aggregation import read_columns
from spcore.evaluation import evaluate

TRUE_CHANGE = 1.5
NOISE_SD = 2.5
PEOPLE = 3000


def write_known_effect(path: Path, *, seed: int = 20251204) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    before = np.round(rng.normal(20, 3.5, PEOPLE), 2)
    after = np.round(before + TRUE_CHANGE + rng.normal(0, NOISE_SD, PEOPLE), 2)
    start = dt.date(2025, 4, 1)
    lines = []
    for i in range(PEOPLE):
        referred = start + dt.timedelta(days=int(i % 180))
        lines.append(
            json.dumps(
                {
                    "case_id": f"KNOWN-{i:06d}",
                    "scheme_id": "NORTHSHIRE-CONNECT",
                    "referral": {
                        "date": referred.isoformat(),
                        "referrer_type": "gp-practice",
                        "criteria": ["long-term-condition"],
                    },
                    "demographics": {"age_band": ["25-34", "45-54", "65-74"][i % 3]},
                    "outcomes": {
                        "measures": [
                            {
                                "instrument": "swemwbs",
                                "timepoint": "baseline",
                                "date": referred.isoformat(),
                                "score": float(before[i]),
                            },
                            {
                                "instrument": "swemwbs",
                                "timepoint": "follow-up",
                                "date": (referred + dt.timedelta(days=120)).isoformat(),
                                "score": float(after[i]),
                            },
                        ]
                    },
                }
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return before, after


def test_the_interval_covers_the_true_change(tmp_path: Path) -> None:
    path = tmp_path / "known.ndjson"
    before, after = write_known_effect(path)
    result = evaluate(read_columns(path, workers=1), by=["age-band"])
    (figure,) = result.outcomes
    total = figure.cells[0]
    assert total.n_paired == PEOPLE
    assert total.ci_low < TRUE_CHANGE < total.ci_high
    low, high = DescrStatsW(after - before).tconfint_mean(0.05)
    assert (total.ci_low, total.ci_high) == pytest.approx((low, high), abs=1e-9)
    # d_z estimates TRUE_CHANGE / NOISE_SD = 0.6; its standard error is about
    # sqrt(1/n + d^2/(2n)) (Cohen's d_z, large-sample), so 4 of them is wide enough.
    se = np.sqrt(1 / PEOPLE + 0.36 / (2 * PEOPLE))
    assert abs(total.d_z - TRUE_CHANGE / NOISE_SD) < 4 * se
    for cell in figure.cells[1:]:
        assert cell.ci_low < TRUE_CHANGE < cell.ci_high
    # Recorded for the documentation: true 1.5; estimated mean change and interval.
    print(
        f"true {TRUE_CHANGE}; estimated {total.mean_change:.3f} "
        f"({total.ci_low:.3f} to {total.ci_high:.3f}); d_z {total.d_z:.3f}"
    )
