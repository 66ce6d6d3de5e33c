"""Patient Activation Measure (PAM): licensed, so spcore scores levels only.

The PAM survey and its conversion of answers to a 0-100 activation score are
licensed by Insignia Health; spcore does not and cannot score the items. It
accepts what a licensed tool produces:

* the activation ``level`` (1-4), and/or
* the licensed ``activation_score`` (0-100), which spcore maps to a level with
  the published cut-points: level 1 <= 47.0, level 2 47.1-55.1, level 3
  55.2-67.0, level 4 >= 67.1 (Hibbard et al. 2005, as reported in the PMC
  papers cited). Scores are published to one decimal; spcore treats a score
  above 47.0 and up to 55.1 as level 2, and so on.
"""

from __future__ import annotations

import numpy as np

from spcore.findings import Finding, error, pointer
from spcore.instruments import codes
from spcore.instruments.definitions import (
    Band,
    InstrumentDefinition,
    Item,
    ItemKind,
    Score,
    Source,
)
from spcore.instruments.engine import BoolArray, Columns, FloatArray, Instrument, Values

HIBBARD_2004 = Source(
    "hibbard-2004",
    "four stages of activation; 0-100 scale",
)
PAM_CUTPOINTS = Source(
    "pam-cutpoints",
    "activation levels from the 0-100 score: level 1 0.0-47.0, level 2 47.1-55.1, level 3 "
    "55.2-67.0, level 4 67.1-100",
)
INSIGNIA = Source("insignia-licence")

#: Upper bounds (inclusive) of activation levels 1-3 on the 0-100 score.
LEVEL_UPPER_BOUNDS = (47.0, 55.1, 67.0)

PAM_DEFINITION = InstrumentDefinition(
    id="pam",
    name="Patient Activation Measure (PAM)",
    summary=(
        "A licensed measure of a person's knowledge, skill and confidence to manage their own "
        "health, reported as an activation score from 0 to 100 and one of four activation "
        "levels, from level 1 (may not yet believe their own role is important) to level 4 "
        "(maintaining behaviours, even under stress). spcore takes the level or the score "
        "produced by a licensed PAM tool; it never scores PAM items."
    ),
    items=(
        Item(
            "level",
            "Activation level from a licensed PAM tool",
            1,
            4,
            "hibbard-2004",
            optional=True,
        ),
        Item(
            "activation_score",
            "Activation score (0-100) from a licensed PAM tool",
            0,
            100,
            "hibbard-2004",
            kind=ItemKind.NUMBER,
            optional=True,
        ),
    ),
    missing_data_rule=(
        "At least one of level and activation_score must be given. When both are given, the "
        "level must be the one the score maps to."
    ),
    scores=(
        Score(
            "level",
            "Activation level",
            1,
            4,
            higher_is_better=True,
            source="pam-cutpoints",
            categorical=True,
            bands=tuple(Band(f"level {n}", n, n, "hibbard-2004") for n in range(1, 5)),
        ),
        Score(
            "activation_score",
            "Activation score (as supplied)",
            0,
            100,
            higher_is_better=True,
            source="hibbard-2004",
            integer=False,
            decimals=1,
        ),
    ),
    headline="level",
    licence=(
        "Proprietary: the PAM survey, its item wording and its scoring are licensed by Insignia "
        "Health (https://www.insigniahealth.com/products/pam-survey). spcore ships only the "
        "published level cut-points and takes scores from a licensed tool."
    ),
    sources=(HIBBARD_2004, PAM_CUTPOINTS, INSIGNIA),
    notes=(
        "No meaningful-change threshold is given: spcore found no citable published threshold "
        "to verify.",
    ),
)


def level_for_score(activation_score: float) -> int:
    """The activation level (1-4) for a 0-100 PAM score (published cut-points)."""
    for level, upper in enumerate(LEVEL_UPPER_BOUNDS, start=1):
        if activation_score <= upper:
            return level
    return 4


def _level_for_scores(scores: FloatArray) -> FloatArray:
    levels: FloatArray = (
        np.searchsorted(np.array(LEVEL_UPPER_BOUNDS), scores, side="left").astype(np.float64) + 1.0
    )
    return levels


def _check(values: Values) -> list[Finding]:
    level, activation = values["level"], values["activation_score"]
    if level is None and activation is None:
        return [
            error(
                codes.MISSING_ANSWER,
                pointer("level"),
                "Neither level nor activation_score is given; supply at least one from a "
                "licensed PAM tool.",
            )
        ]
    if level is not None and activation is not None and level_for_score(activation) != level:
        return [
            error(
                codes.INCONSISTENT_ANSWERS,
                pointer("level"),
                f"level {int(level)} does not match activation_score {activation:g}, which is "
                f"level {level_for_score(activation)} by the published cut-points.",
            )
        ]
    return []


def _check_batch(columns: Columns) -> BoolArray:
    level, activation = columns["level"], columns["activation_score"]
    has_level, has_score = ~np.isnan(level), ~np.isnan(activation)
    derived = _level_for_scores(np.where(has_score, activation, 0.0))
    consistent = ~(has_level & has_score) | (derived == level)
    result: BoolArray = (has_level | has_score) & consistent
    return result


def _compute(values: Values, value_set: str | None) -> dict[str, float | None]:
    level, activation = values["level"], values["activation_score"]
    if level is None:
        assert activation is not None
        level = float(level_for_score(activation))
    return {"level": level, "activation_score": activation}


def _compute_batch(columns: Columns, value_set: str | None) -> dict[str, FloatArray]:
    level, activation = columns["level"], columns["activation_score"]
    derived = _level_for_scores(np.where(np.isnan(activation), 0.0, activation))
    return {"level": np.where(np.isnan(level), derived, level), "activation_score": activation}


PAM = Instrument(PAM_DEFINITION, _compute, _compute_batch, _check, _check_batch)
