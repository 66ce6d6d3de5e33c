"""Change between baseline and follow-up, cohort summaries and Rotherham-style progress.

* :func:`paired_change` classes each person's change as improved, no change or
  worse by the instrument's meaningful-change threshold (or one you give).
* :func:`cohort_summary` gives n, mean baseline, mean follow-up, mean change
  with a t-distribution confidence interval, and the shares improved, no
  change and worse.
* :func:`progress_summary` reproduces the Rotherham evaluation's figures
  (dayson-2016): the share of people who progressed on at least one of the eight
  measures, on four or more, and, among those with a low baseline (2 or less)
  on a measure, the share who progressed on it.

The t quantile is computed without SciPy: the Student t distribution function
is written with the regularised incomplete beta function, evaluated by its
continued fraction with the modified Lentz method (Press et al., *Numerical
Recipes*, 3rd ed., section 6.4), and inverted by bisection.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from spcore.answers import suggestion, yes_no
from spcore.findings import Finding, error, pointer
from spcore.instruments import codes
from spcore.instruments.definitions import InstrumentDefinition
from spcore.instruments.engine import BatchResult, FloatArray, Instrument
from spcore.instruments.registry import INSTRUMENTS
from spcore.instruments.rotherham import LOW_BASELINE_MAX, ROTHERHAM8_DEFINITION

# --------------------------------------------------------------------------- t quantile


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction for the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def _betai(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """Student t distribution function P(T <= t) with ``df`` degrees of freedom."""
    tail = 0.5 * _betai(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom (0 < p < 1)."""
    if not 0.0 < p < 1.0 or df <= 0:
        raise ValueError("t_quantile needs 0 < p < 1 and df > 0")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        high *= 2.0
    for _ in range(200):
        mid = (low + high) / 2.0
        if t_cdf(mid, df) < p:
            low = mid
        else:
            high = mid
        if high - low < 1e-12 * max(1.0, high):
            break
    return (low + high) / 2.0


# --------------------------------------------------------------------------- paired change


class ChangeClass(enum.StrEnum):
    """How one person's score moved between baseline and follow-up."""

    IMPROVED = "improved"
    NO_CHANGE = "no change"
    WORSE = "worse"


def classify_change(change: float, threshold: float, higher_is_better: bool) -> ChangeClass:
    """Class a change (follow-up minus baseline) by a meaningful-change threshold.

    A change at least ``threshold`` in the better direction is improved, at
    least ``threshold`` in the worse direction is worse, anything smaller is no
    change. ``higher_is_better`` must be a ``bool`` (``"no"`` would otherwise
    count as true and turn every change around): anything else raises ``TypeError``.
    """
    yes_no("higher_is_better", higher_is_better, unknown_allowed=False)
    better = change if higher_is_better else -change
    if better >= threshold:
        return ChangeClass.IMPROVED
    if -better >= threshold:
        return ChangeClass.WORSE
    return ChangeClass.NO_CHANGE


ScoresInput = BatchResult | Sequence[float | None] | np.ndarray[Any, Any]


def _definition(instrument: str | Instrument | InstrumentDefinition) -> InstrumentDefinition:
    if isinstance(instrument, InstrumentDefinition):
        return instrument
    if isinstance(instrument, Instrument):
        return instrument.definition
    found = INSTRUMENTS.get(instrument)
    if found is None:
        raise KeyError(
            f"'{instrument}' is not an instrument id{suggestion(str(instrument), INSTRUMENTS)}"
        )
    return found.definition


def _column(data: ScoresInput, score_name: str) -> FloatArray:
    if isinstance(data, BatchResult):
        return np.asarray(data.scores[score_name], dtype=np.float64)
    values = [np.nan if v is None else float(v) for v in data]
    return np.asarray(values, dtype=np.float64)


@attrs.frozen
class PairedChange:
    """Per-person change: ``change`` (NaN when incomplete), ``classes`` and findings."""

    score: str
    threshold: float | None
    change: FloatArray = attrs.field(eq=False)
    classes: tuple[ChangeClass | None, ...]
    findings: tuple[Finding, ...]


def _threshold(
    definition: InstrumentDefinition, score_name: str, threshold: float | None
) -> float | None:
    if threshold is not None:
        return threshold
    change = definition.score(score_name).change
    return change.value if change else None


def paired_change(
    instrument: str | Instrument | InstrumentDefinition,
    baseline: ScoresInput,
    followup: ScoresInput,
    *,
    score: str | None = None,
    threshold: float | None = None,
) -> PairedChange:
    """Change per person, classed by the meaningful-change threshold.

    ``baseline`` and ``followup`` are score columns in the same person order
    (arrays or lists with NaN/None for missing, or :class:`BatchResult`).
    ``score`` defaults to the headline score and ``threshold`` to the
    instrument's published threshold; without either, ``classes`` are all
    ``None``. Pairs with a missing side get an ``SPC-I009`` finding.
    """
    definition = _definition(instrument)
    score_name = score or definition.headline
    higher_is_better = definition.score(score_name).higher_is_better
    limit = _threshold(definition, score_name, threshold)
    before, after = _column(baseline, score_name), _column(followup, score_name)
    if before.shape != after.shape:
        raise ValueError("baseline and follow-up must have the same number of people")
    change = after - before
    classes: list[ChangeClass | None] = []
    findings: list[Finding] = []
    for index, value in enumerate(change.tolist()):
        if math.isnan(value):
            classes.append(None)
            side = "baseline" if math.isnan(before[index]) else "follow-up"
            findings.append(
                error(
                    codes.INCOMPLETE_PAIR,
                    pointer(index),
                    f"Person {index} has no {side} {score_name} score, so no change can be "
                    "computed.",
                )
            )
        elif limit is None:
            classes.append(None)
        else:
            classes.append(classify_change(value, limit, higher_is_better))
    return PairedChange(score_name, limit, change, tuple(classes), tuple(findings))


@attrs.frozen
class CohortSummary:
    """Summary of paired change in a cohort (complete pairs only)."""

    instrument: str
    score: str
    n: int
    excluded: int
    mean_baseline: float | None
    mean_followup: float | None
    mean_change: float | None
    ci_low: float | None
    ci_high: float | None
    confidence: float
    threshold: float | None
    share_improved: float | None
    share_no_change: float | None
    share_worse: float | None

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as a JSON-ready dictionary."""
        return attrs.asdict(self)


def cohort_summary(
    instrument: str | Instrument | InstrumentDefinition,
    baseline: ScoresInput,
    followup: ScoresInput,
    *,
    score: str | None = None,
    threshold: float | None = None,
    confidence: float = 0.95,
) -> CohortSummary:
    """n, means, mean change with a t confidence interval, and shares by change class.

    Only people with both scores count (``n``); the others are ``excluded``.
    The interval is mean change +/- t(1 - alpha/2, n - 1) * sd / sqrt(n); it is
    ``None`` when n < 2. Shares are ``None`` when there is no threshold.
    """
    definition = _definition(instrument)
    paired = paired_change(definition, baseline, followup, score=score, threshold=threshold)
    before, after = _column(baseline, paired.score), _column(followup, paired.score)
    complete = ~np.isnan(paired.change)
    n = int(complete.sum())
    excluded = len(paired.change) - n
    if n == 0:
        return CohortSummary(
            definition.id, paired.score, 0, excluded, None, None, None, None, None,
            confidence, paired.threshold, None, None, None,
        )  # fmt: skip
    change = paired.change[complete]
    mean_change = float(change.mean())
    ci_low = ci_high = None
    if n >= 2:
        sd = float(change.std(ddof=1))
        half = t_quantile(1.0 - (1.0 - confidence) / 2.0, n - 1) * sd / math.sqrt(n)
        ci_low, ci_high = mean_change - half, mean_change + half
    shares: list[float | None] = [None, None, None]
    if paired.threshold is not None:
        kept = [c for c in paired.classes if c is not None]
        shares = [
            sum(1 for c in kept if c is cls) / n
            for cls in (ChangeClass.IMPROVED, ChangeClass.NO_CHANGE, ChangeClass.WORSE)
        ]
    return CohortSummary(
        definition.id,
        paired.score,
        n,
        excluded,
        float(before[complete].mean()),
        float(after[complete].mean()),
        mean_change,
        ci_low,
        ci_high,
        confidence,
        paired.threshold,
        shares[0],
        shares[1],
        shares[2],
    )


# --------------------------------------------------------------------------- progress


@attrs.frozen
class MeasureProgress:
    """Progress on one measure: everyone, and those with a low baseline."""

    measure: str
    share_progressed: float
    n_low_baseline: int
    share_low_baseline_progressed: float | None


@attrs.frozen
class ProgressSummary:
    """Rotherham-style progress across several 1-5 measures (dayson-2016).

    Attributes:
        n: people with every measure scored at both times.
        excluded: people left out because a measure was missing.
        share_progressed_any: share who progressed on at least one measure.
        share_progressed_min: share who progressed on ``min_measures`` or more.
        min_measures: the "or more" count (4 in the Rotherham evaluation).
        low_baseline_max: the highest baseline that counts as low (2).
        n_low_baseline_pairs: person-measure pairs with a low baseline.
        share_low_baseline_progressed: among those pairs, the share that progressed.
        measures: per-measure progress.
    """

    n: int
    excluded: int
    share_progressed_any: float | None
    share_progressed_min: float | None
    min_measures: int
    low_baseline_max: float
    n_low_baseline_pairs: int
    share_low_baseline_progressed: float | None
    measures: tuple[MeasureProgress, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as a JSON-ready dictionary."""
        return attrs.asdict(self)


TableInput = BatchResult | Mapping[str, Any]


def _table(data: TableInput) -> Mapping[str, Any]:
    return data.scores if isinstance(data, BatchResult) else data


def progress_summary(
    baseline: TableInput,
    followup: TableInput,
    *,
    measures: Sequence[str] = ROTHERHAM8_DEFINITION.item_ids,
    min_measures: int = 4,
    low_baseline_max: float = LOW_BASELINE_MAX,
) -> ProgressSummary:
    """Share of people who progressed on >= 1 and >= ``min_measures`` measures.

    ``baseline`` and ``followup`` map each measure to a column (same person
    order), or are :class:`BatchResult` of ``rotherham8`` or ``wellbeing-star``
    (pass ``measures=WELLBEING_STAR_DEFINITION.item_ids`` for the Star).
    Progress on a measure is a follow-up score higher than the baseline; a
    baseline at or below ``low_baseline_max`` is low. The shares progressing
    on one or more and on ``min_measures`` or more count only people with
    every measure at both times (dayson-2016 counts "of eight"); each
    measure's own share counts everyone with that measure at both times, as a
    blank answer voids only its own measure.
    """
    before_table, after_table = _table(baseline), _table(followup)
    before = np.column_stack([np.asarray(before_table[m], dtype=np.float64) for m in measures])
    after = np.column_stack([np.asarray(after_table[m], dtype=np.float64) for m in measures])
    if before.shape != after.shape:
        raise ValueError("baseline and follow-up must have the same number of people")
    paired = ~(np.isnan(before) | np.isnan(after))
    complete = paired.all(axis=1)
    per_measure = []
    for j, name in enumerate(measures):
        mine = paired[:, j]
        gained = after[mine, j] > before[mine, j]
        low_here = before[mine, j] <= low_baseline_max
        n_low = int(low_here.sum())
        per_measure.append(
            MeasureProgress(
                name,
                float(gained.mean()) if mine.any() else math.nan,
                n_low,
                float(gained[low_here].mean()) if n_low else None,
            )
        )
    n = int(complete.sum())
    before, after = before[complete], after[complete]
    progressed = after > before
    low = before <= low_baseline_max
    counts = progressed.sum(axis=1)
    n_low_pairs = int(low.sum())
    return ProgressSummary(
        n=n,
        excluded=int((~complete).sum()),
        share_progressed_any=float((counts >= 1).mean()) if n else None,
        share_progressed_min=float((counts >= min_measures).mean()) if n else None,
        min_measures=min_measures,
        low_baseline_max=low_baseline_max,
        n_low_baseline_pairs=n_low_pairs,
        share_low_baseline_progressed=float(progressed[low].mean()) if n_low_pairs else None,
        measures=tuple(per_measure),
    )
