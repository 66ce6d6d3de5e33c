"""Paired outcomes per instrument score: change, its uncertainty, and who improved.

For each instrument score found in the cohort's records (each
``(instrument, score name, value set)``), each person's measures are paired
as the aggregation pairs them (:func:`spcore.aggregation.derive.measure_pairs`):
the **baseline** is their earliest measure at timepoint ``baseline``; the
**follow-up** is their latest measure at timepoint ``follow-up`` at least
three months after that baseline (:mod:`spcore.framework.timepoints`). No
period limits the measures' dates: the cohort is chosen by referral date
(:mod:`spcore.evaluation.cohort`). People measured but not paired are
counted by reason: no follow-up, a follow-up sooner than three months only,
or a follow-up without a baseline.

Per score and breakdown cell: people paired, mean baseline and follow-up,
mean change with its 95% t interval, the paired t test, Cohen's d_z, the
Wilcoxon signed-rank test, and — where the instrument states a meaningful
change threshold (:class:`~spcore.instruments.definitions.ChangeThreshold`)
— how many improved, did not change or got worse by it, classed as
:func:`spcore.instruments.change.classify_change` classes one person.
Categorical scores (answer categories, PAM levels) are never averaged: they
get a transition table (baseline category × follow-up category) and the
signed-rank test of the category moves. Rotherham-style progress
(dayson-2016) is :func:`spcore.instruments.change.progress_summary`, per cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import attrs
import numpy as np

from spcore.aggregation.columnar import _first_per, follow_up_due, sorted_distinct
from spcore.aggregation.columns import CaseColumns, position
from spcore.evaluation.cohort import Cells
from spcore.evaluation.stats import finite, paired_moments, wilcoxon_signed_rank
from spcore.framework.enums import AssessmentTimepoint
from spcore.instruments.change import progress_summary
from spcore.instruments.definitions import Score
from spcore.instruments.registry import INSTRUMENTS
from spcore.instruments.rotherham import LOW_BASELINE_MAX

IntArray = np.ndarray[Any, np.dtype[np.int64]]
FloatArray = np.ndarray[Any, np.dtype[np.float64]]

_BASELINE: Final = position(AssessmentTimepoint.BASELINE)
_FOLLOW_UP: Final = position(AssessmentTimepoint.FOLLOW_UP)

#: An integer score with at most this many possible values is ordinal (a rating
#: or a single question), so the signed-rank test is the one reported first;
#: spcore's choice, stated in docs/evaluation/outcomes.md.
ORDINAL_MAX_VALUES: Final = 11

#: Instruments whose measures give Rotherham-style progress, with the measure scores.
PROGRESS_INSTRUMENTS: Final[dict[str, tuple[str, ...]]] = {
    "rotherham8": tuple(f"measure_{n}" for n in range(1, 9)),
    "wellbeing-star": (
        "lifestyle",
        "looking_after_yourself",
        "managing_symptoms",
        "work_volunteering",
        "money",
        "where_you_live",
        "family_and_friends",
        "feeling_positive",
    ),
}


@attrs.frozen
class OutcomeCell:
    """One score's paired change in one breakdown cell. ``None`` where undefined."""

    by: str
    value: str
    n_paired: int
    no_follow_up: int
    follow_up_too_soon: int
    no_baseline: int
    mean_baseline: float | None
    mean_follow_up: float | None
    mean_change: float | None
    sd_change: float | None
    ci_low: float | None
    ci_high: float | None
    t: float | None
    df: int | None
    p_t: float | None
    d_z: float | None
    n_zero_change: int
    wilcoxon_r_plus: float | None
    wilcoxon_r_minus: float | None
    wilcoxon_z: float | None
    p_wilcoxon: float | None
    wilcoxon_exact: bool | None
    improved: int | None
    no_change: int | None
    worse: int | None
    transitions: tuple[tuple[int, ...], ...] | None = None

    @property
    def not_paired(self) -> int:
        """People measured on this score but left out of its figures."""
        return self.no_follow_up + self.follow_up_too_soon + self.no_baseline

    def to_dict(self) -> dict[str, Any]:
        """The cell as a JSON-ready dictionary."""
        out = attrs.asdict(self)
        if self.transitions is not None:
            out["transitions"] = [list(row) for row in self.transitions]
        return out


@attrs.frozen
class OutcomeFigure:
    """One instrument score, evaluated in every cell.

    Attributes:
        instrument, score, value_set: which score.
        label: the instrument's name and the score's label.
        higher_is_better: the score's direction (``None`` for a score spcore does not know).
        categorical: the score is a category (never averaged; see ``categories``).
        ordinal: the signed-rank test is the one to read first (see :data:`ORDINAL_MAX_VALUES`).
        threshold: the meaningful-change threshold with its kind and source, or ``None``.
        categories: a categorical score's category codes, in code order.
        cells: the total first, then each breakdown cell.
    """

    instrument: str
    score: str
    value_set: str | None
    label: str
    higher_is_better: bool | None
    categorical: bool
    ordinal: bool
    threshold: dict[str, Any] | None
    categories: tuple[str, ...]
    cells: tuple[OutcomeCell, ...]

    @property
    def primary_test(self) -> str:
        """``wilcoxon`` for ordinal scores, ``paired-t`` otherwise."""
        return "wilcoxon" if self.ordinal else "paired-t"

    def to_dict(self) -> dict[str, Any]:
        """The figure as a JSON-ready dictionary."""
        return {
            "instrument": self.instrument,
            "score": self.score,
            "value_set": self.value_set,
            "label": self.label,
            "higher_is_better": self.higher_is_better,
            "categorical": self.categorical,
            "primary_test": self.primary_test,
            "threshold": self.threshold,
            "categories": list(self.categories),
            "cells": [cell.to_dict() for cell in self.cells],
        }


@attrs.frozen
class ProgressCell:
    """Rotherham-style progress in one cell (dayson-2016); shares are of ``n``."""

    by: str
    value: str
    n: int
    excluded: int
    progressed_any: int
    progressed_min: int
    n_low_baseline_pairs: int
    low_baseline_progressed: int

    def to_dict(self) -> dict[str, Any]:
        """The cell as a JSON-ready dictionary."""
        return attrs.asdict(self)


@attrs.frozen
class ProgressFigure:
    """Progress on at least one and on ``min_measures`` or more of an instrument's measures."""

    instrument: str
    measures: tuple[str, ...]
    min_measures: int
    low_baseline_max: float
    cells: tuple[ProgressCell, ...]

    def to_dict(self) -> dict[str, Any]:
        """The figure as a JSON-ready dictionary."""
        return {
            "instrument": self.instrument,
            "measures": list(self.measures),
            "min_measures": self.min_measures,
            "low_baseline_max": self.low_baseline_max,
            "cells": [cell.to_dict() for cell in self.cells],
        }


@attrs.frozen
class Pairs:
    """Every person's pair per score key (arrays ``[key, person]``; NaN when unpaired)."""

    keys: tuple[tuple[str, str, str | None], ...]
    before: FloatArray
    after: FloatArray
    no_follow_up: np.ndarray[Any, np.dtype[np.bool_]]
    too_soon: np.ndarray[Any, np.dtype[np.bool_]]
    no_baseline: np.ndarray[Any, np.dtype[np.bool_]]


def pair_measures(c: CaseColumns, rows: IntArray) -> Pairs:
    """Pair each cohort person's baseline and follow-up, per score key, in whole arrays."""
    people = len(rows)
    keys = len(c.measure_keys)
    person_of_row = np.full(len(c), -1, dtype=np.int64)
    person_of_row[rows] = np.arange(people)
    who = person_of_row[c.measure_row] if len(c.measure_row) else np.zeros(0, np.int64)
    mine = who >= 0
    pid = who * max(keys, 1) + c.measure_key
    timepoint, date, score = c.measure_timepoint, c.measure_date.astype(np.int64), c.measure_score
    shape = (keys, people)
    before, after = np.full(shape, np.nan), np.full(shape, np.nan)
    no_follow_up = np.zeros(shape, dtype=bool)
    too_soon = np.zeros(shape, dtype=bool)
    no_baseline = np.zeros(shape, dtype=bool)
    base = np.flatnonzero(mine & (timepoint == _BASELINE))
    base = base[_first_per(pid[base], date[base])]
    base = base[np.argsort(pid[base], kind="stable")]
    base_id = pid[base]
    follow = np.flatnonzero(mine & (timepoint == _FOLLOW_UP))
    at = np.searchsorted(base_id, pid[follow])
    ok = at < len(base_id)
    matched = np.zeros(len(follow), dtype=bool)
    matched[ok] = base_id[at[ok]] == pid[follow[ok]]
    orphan = follow[~matched]
    no_baseline.reshape(-1)[sorted_distinct(c.measure_key[orphan] * people + who[orphan])] = True
    follow, at = follow[matched], at[matched]
    # A follow-up before its baseline is not a follow-up of it.
    after_base = date[follow] >= date[base[at]]
    follow, at = follow[after_base], at[after_base]
    soon = date[follow] < follow_up_due(date[base[at]])
    early = np.zeros(len(base), dtype=bool)
    early[at[soon]] = True
    follow, at = follow[~soon], at[~soon]
    latest = _first_per(pid[follow], -date[follow])
    flat = c.measure_key[base] * people + who[base]
    before.reshape(-1)[flat] = score[base]
    paired = np.zeros(len(base), dtype=bool)
    paired[at[latest]] = True
    after.reshape(-1)[flat[at[latest]]] = score[follow[latest]]
    unpaired = ~paired
    too_soon.reshape(-1)[flat[unpaired & early]] = True
    no_follow_up.reshape(-1)[flat[unpaired & ~early]] = True
    before.reshape(-1)[flat[unpaired]] = np.nan
    return Pairs(tuple(c.measure_keys), before, after, no_follow_up, too_soon, no_baseline)


def _score_facts(instrument: str, score: str) -> tuple[str, Score | None]:
    found = INSTRUMENTS.get(instrument)
    if found is None:
        return instrument, None
    definition = found.definition
    try:
        # A measure's score name "score" is the instrument's headline score (case record).
        facts = definition.score(definition.headline if score == "score" else score)
    except KeyError:
        return f"{definition.name}: {score}", None
    return f"{definition.name}: {facts.label}", facts


def _is_ordinal(facts: Score | None) -> bool:
    if facts is None:
        return False
    values = facts.maximum - facts.minimum + 1
    return facts.categorical or (facts.integer and values <= ORDINAL_MAX_VALUES)


def _per_cell(cells: Cells, *flags: np.ndarray[Any, Any]) -> list[IntArray]:
    """People flagged, per cell, for each of several exclusive flags, in one pass."""
    state = np.zeros(len(flags[0]), dtype=np.int64)
    for number, flag in enumerate(flags, start=1):
        state[flag] = number
    kinds = len(flags) + 1
    table = np.bincount(
        cells.member_cell * kinds + state[cells.member_person], minlength=len(cells) * kinds
    ).reshape(len(cells), kinds)
    return [table[:, number].astype(np.int64) for number in range(1, kinds)]


def _transitions(
    before: FloatArray, after: FloatArray, cell: IntArray, cells: int, facts: Score
) -> list[tuple[tuple[int, ...], ...]]:
    low, size = int(facts.minimum), int(facts.maximum - facts.minimum) + 1
    b = np.clip(before.astype(np.int64) - low, 0, size - 1)
    a = np.clip(after.astype(np.int64) - low, 0, size - 1)
    flat = np.bincount(cell * size * size + b * size + a, minlength=cells * size * size)
    table = flat.reshape(cells, size, size)
    return [tuple(tuple(int(v) for v in row) for row in table[k]) for k in range(cells)]


def _figure(pairs: Pairs, k: int, cells: Cells, confidence: float) -> OutcomeFigure:
    instrument, score, value_set = pairs.keys[k]
    label, facts = _score_facts(instrument, score)
    before_all, after_all = pairs.before[k], pairs.after[k]
    complete = ~np.isnan(after_all)
    member = complete[cells.member_person]
    person = cells.member_person[member]
    cell = cells.member_cell[member]
    before, after = before_all[person], after_all[person]
    n_cells = len(cells)
    moments = paired_moments(before, after, cell, n_cells, confidence=confidence)
    change = after - before
    signed = wilcoxon_signed_rank(change, cell, n_cells)
    categorical = facts is not None and facts.categorical
    threshold = facts.change if facts is not None else None
    classes: list[IntArray | None] = [None, None, None]
    if facts is not None and (threshold is not None or categorical):
        limit = threshold.value if threshold is not None else 1.0
        better = change if facts.higher_is_better else -change
        improved, worse = better >= limit, -better >= limit
        classes = [
            np.bincount(cell, weights=flag, minlength=n_cells).astype(np.int64)
            for flag in (improved, ~improved & ~worse, worse)
        ]
    tables = (
        _transitions(before, after, cell, n_cells, facts)
        if categorical and facts is not None
        else None
    )
    # A person's score is in one state only: paired, or not for one of three reasons.
    no_follow, soon, orphan = _per_cell(
        cells, pairs.no_follow_up[k], pairs.too_soon[k], pairs.no_baseline[k]
    )
    out = []
    for i, (by, value) in enumerate(cells.labels):
        n = int(moments.n[i])
        averaged = not categorical
        out.append(
            OutcomeCell(
                by=by,
                value=value,
                n_paired=n,
                no_follow_up=int(no_follow[i]),
                follow_up_too_soon=int(soon[i]),
                no_baseline=int(orphan[i]),
                mean_baseline=finite(moments.mean_before[i]) if averaged else None,
                mean_follow_up=finite(moments.mean_after[i]) if averaged else None,
                mean_change=finite(moments.mean_change[i]) if averaged else None,
                sd_change=finite(moments.sd_change[i]) if averaged else None,
                ci_low=finite(moments.ci_low[i]) if averaged else None,
                ci_high=finite(moments.ci_high[i]) if averaged else None,
                t=finite(moments.t[i]) if averaged else None,
                df=int(moments.df[i]) if averaged and n >= 2 else None,
                p_t=finite(moments.p[i]) if averaged else None,
                d_z=finite(moments.d_z[i]) if averaged else None,
                n_zero_change=int(signed.n_zero[i]),
                wilcoxon_r_plus=float(signed.r_plus[i]) if signed.n_nonzero[i] else None,
                wilcoxon_r_minus=float(signed.r_minus[i]) if signed.n_nonzero[i] else None,
                wilcoxon_z=finite(signed.z[i]),
                p_wilcoxon=finite(signed.p[i]),
                wilcoxon_exact=bool(signed.exact[i]) if signed.n_nonzero[i] else None,
                improved=None if classes[0] is None else int(classes[0][i]),
                no_change=None if classes[1] is None else int(classes[1][i]),
                worse=None if classes[2] is None else int(classes[2][i]),
                transitions=tables[i] if tables is not None else None,
            )
        )
    return OutcomeFigure(
        instrument=instrument,
        score=score,
        value_set=value_set,
        label=label,
        higher_is_better=facts.higher_is_better if facts is not None else None,
        categorical=categorical,
        ordinal=_is_ordinal(facts),
        threshold=threshold.to_dict() if threshold is not None else None,
        categories=tuple(code for code, _, _ in facts.categories()) if facts else (),
        cells=tuple(out),
    )


def outcome_figures(
    pairs: Pairs, cells: Cells, *, confidence: float = 0.95
) -> tuple[OutcomeFigure, ...]:
    """Every score's paired-change figure, in instrument and score order."""
    order = sorted(range(len(pairs.keys)), key=lambda k: _sort_key(pairs.keys[k]))
    measured = [
        k
        for k in order
        if (~np.isnan(pairs.after[k])).any()
        or pairs.no_follow_up[k].any()
        or pairs.too_soon[k].any()
        or pairs.no_baseline[k].any()
    ]
    return tuple(_figure(pairs, k, cells, confidence) for k in measured)


def _sort_key(key: tuple[str, str, str | None]) -> tuple[int, int, str]:
    instrument, score, value_set = key
    ids = list(INSTRUMENTS)
    found = INSTRUMENTS.get(instrument)
    names = [s.name for s in found.definition.scores] if found else []
    return (
        ids.index(instrument) if instrument in ids else len(ids),
        names.index(score) if score in names else len(names),
        value_set or "",
    )


def progress_figures(
    pairs: Pairs, cells: Cells, *, min_measures: int = 4
) -> tuple[ProgressFigure, ...]:
    """Rotherham-style progress for each instrument of :data:`PROGRESS_INSTRUMENTS` measured."""
    out = []
    index = {key: k for k, key in enumerate(pairs.keys)}
    for instrument, measures in PROGRESS_INSTRUMENTS.items():
        rows = [index.get((instrument, m, None)) for m in measures]
        if all(k is None for k in rows):
            continue
        empty = np.full(pairs.before.shape[1], np.nan)
        before = {
            m: pairs.before[k] if k is not None else empty
            for m, k in zip(measures, rows, strict=True)
        }
        after = {
            m: pairs.after[k] if k is not None else empty
            for m, k in zip(measures, rows, strict=True)
        }
        found = []
        for number, (by, value) in enumerate(cells.labels):
            who = cells.member_person[cells.member_cell == number]
            summary = progress_summary(
                {m: v[who] for m, v in before.items()},
                {m: v[who] for m, v in after.items()},
                measures=measures,
                min_measures=min_measures,
            )
            n = summary.n
            found.append(
                ProgressCell(
                    by=by,
                    value=value,
                    n=n,
                    excluded=_measured(before, after, who) - n,
                    progressed_any=round((summary.share_progressed_any or 0.0) * n),
                    progressed_min=round((summary.share_progressed_min or 0.0) * n),
                    n_low_baseline_pairs=summary.n_low_baseline_pairs,
                    low_baseline_progressed=round(
                        (summary.share_low_baseline_progressed or 0.0)
                        * summary.n_low_baseline_pairs
                    ),
                )
            )
        out.append(
            ProgressFigure(instrument, measures, min_measures, LOW_BASELINE_MAX, tuple(found))
        )
    return tuple(out)


def _measured(before: dict[str, FloatArray], after: dict[str, FloatArray], who: IntArray) -> int:
    """People with any of the measures paired: those who could have been counted."""
    any_pair = np.zeros(len(who), dtype=bool)
    for m in before:
        any_pair |= ~np.isnan(before[m][who]) & ~np.isnan(after[m][who])
    return int(np.count_nonzero(any_pair))


def keys_of(figures: Sequence[OutcomeFigure]) -> list[tuple[str, str]]:
    """(instrument, score) of each figure, for tables and charts."""
    return [(f.instrument, f.score) for f in figures]
