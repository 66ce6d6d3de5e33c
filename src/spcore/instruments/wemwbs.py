"""WEMWBS and SWEMWBS: the (Short) Warwick-Edinburgh Mental Wellbeing Scales.

Sources:

* WEMWBS: 14 items scored 1-5, total 14-70 (Tennant et al. 2007; Warwick
  Medical School scoring guidance).
* SWEMWBS: 7 items scored 1-5, raw total 7-35, converted to a metric score by
  the official raw-to-metric conversion table published by Warwick Medical
  School (7 -> 7.00 ... 35 -> 35.00), :data:`SWEMWBS_METRIC`.
* SWEMWBS change: Shah et al. (2018) found that an individual change of
  between 1 and 3 points meets distribution-based thresholds for
  *statistically important* change (2.77 standard errors of measurement is
  2.87 points, 1 SEM is 1.03 points); it is not a minimal important
  difference. spcore uses 2.87 on the metric score; the abstract does not say
  which scale the points are on.

Not implemented (no citable source found): WEMWBS/SWEMWBS bands, and a single
WEMWBS change threshold (Maheswaran et al. 2012 give only the SEM range
2.4-3.1 across studies).
"""

from __future__ import annotations

import numpy as np

from spcore.instruments.definitions import (
    ChangeKind,
    ChangeThreshold,
    InstrumentDefinition,
    Item,
    Score,
    Source,
)
from spcore.instruments.engine import (
    Columns,
    FloatArray,
    Instrument,
    Values,
    total,
    total_batch,
)

WARWICK_SCORING = Source(
    "warwick-scoring",
    "items scored 1-5; WEMWBS total 14-70; SWEMWBS raw scores must be transformed",
)
WARWICK_CONVERSION = Source("warwick-swemwbs-conversion")
TENNANT_2007 = Source("tennant-2007")
STEWART_BROWN_2009 = Source("stewart-brown-2009")
SHAH_2018 = Source(
    "shah-2018",
    "abstract: 2.77 SEM = 2.87 points; 1 SEM = 1.03 points; 'a change of between 1 and 3 points'",
)

#: Official SWEMWBS raw score (7-35) -> metric score, from the Warwick table.
SWEMWBS_METRIC: dict[int, float] = {
    7: 7.00,
    8: 9.51,
    9: 11.25,
    10: 12.40,
    11: 13.33,
    12: 14.08,
    13: 14.75,
    14: 15.32,
    15: 15.84,
    16: 16.36,
    17: 16.88,
    18: 17.43,
    19: 17.98,
    20: 18.59,
    21: 19.25,
    22: 19.98,
    23: 20.73,
    24: 21.54,
    25: 22.35,
    26: 23.21,
    27: 24.11,
    28: 25.03,
    29: 26.02,
    30: 27.03,
    31: 28.13,
    32: 29.31,
    33: 30.70,
    34: 32.55,
    35: 35.00,
}

# Lookup array indexed by raw score, so the batch path is one fancy-index.
_METRIC_LOOKUP = np.full(36, np.nan)
for _raw, _metric in SWEMWBS_METRIC.items():
    _METRIC_LOOKUP[_raw] = _metric

_LICENCE_WEMWBS = (
    "WEMWBS and SWEMWBS are copyright of NHS Health Scotland, the University of Warwick and "
    "the University of Edinburgh. They are free to use, but users must register with Warwick "
    "Medical School (https://warwick.ac.uk/fac/sci/med/research/platform/wemwbs/) and use the "
    "items without changing their wording, response categories or layout. spcore ships item "
    "numbers and scoring facts only, not the item wording."
)


def _items(count: int, source: str) -> tuple[Item, ...]:
    return tuple(Item(f"item_{n}", f"Item {n}", 1, 5, source) for n in range(1, count + 1))


SWEMWBS_ITEMS = _items(7, "warwick-scoring")
WEMWBS_ITEMS = _items(14, "warwick-scoring")

SWEMWBS_DEFINITION = InstrumentDefinition(
    id="swemwbs",
    name="Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)",
    summary=(
        "Seven positively worded statements about thoughts and feelings over the last two "
        "weeks, each answered from 1 (none of the time) to 5 (all of the time). The raw total "
        "is converted to a metric (Rasch) score so that results are on an interval scale and "
        "comparable between studies. Named in the Common Outcomes Framework as a tool schemes "
        "already use."
    ),
    items=SWEMWBS_ITEMS,
    missing_data_rule="All seven items must be answered; there is no published rule for "
    "scoring a SWEMWBS with missing items, so an incomplete response is not scored.",
    scores=(
        Score(
            "metric",
            "Metric score from the official conversion table",
            7,
            35,
            higher_is_better=True,
            source="warwick-swemwbs-conversion",
            integer=False,
            decimals=2,
            change=ChangeThreshold(
                2.87,
                "A distribution-based statistically important individual change, 2.77 "
                "standard errors of measurement (SEM); not a minimal important difference: "
                "the authors call for anchor-based studies to confirm that such change "
                "matters to participants. The stricter of the two standards they report "
                "(1 SEM = 1.03 points).",
                "shah-2018",
                kind=ChangeKind.STATISTICALLY_IMPORTANT_CHANGE,
                scale="the SWEMWBS score, applied by spcore to the metric score (7-35)",
                quote=(
                    "Abstract, Results: 'a standard of 2.77 SEM (2.87 points)'; 'The lower "
                    "threshold of 1 SEM (1.03 points)'. Conclusion: 'At individual level a "
                    "change of between 1 and 3 points meets thresholds for statisticially "
                    "important change, depending on standard used. Anchor based studies are "
                    "necessary to confirm that such change represents minimally important "
                    "change from the perspective of study participants.'"
                ),
                verification=(
                    "Values and wording checked against the published abstract. Not verified: "
                    "the abstract does not say whether the points are metric or raw SWEMWBS "
                    "points (the two scales share the range 7-35 but differ in between); "
                    "spcore applies the threshold to the metric score, the scale Warwick "
                    "asks analyses to use (warwick-scoring)."
                ),
            ),
        ),
        Score(
            "raw",
            "Raw total of the seven items",
            7,
            35,
            higher_is_better=True,
            source="warwick-scoring",
        ),
    ),
    headline="metric",
    licence=_LICENCE_WEMWBS,
    sources=(WARWICK_SCORING, WARWICK_CONVERSION, STEWART_BROWN_2009, SHAH_2018),
    notes=(
        "Bands are not given: spcore found no citable published cut-points for SWEMWBS.",
        "Always analyse the metric score, never the raw total, to compare with other studies.",
        "No SNOMED CT or LOINC code is written for SWEMWBS scores: the concept id listed for "
        "the SWEMWBS score in NHS England's MHSDS coded scored assessments table "
        "(nhse-mhsds-assessments), 718466001, fails the SNOMED CT check digit (Verhoeff), and "
        "no published source for a corrected id was found. In FHIR the scores are coded in "
        "spcore's CodeSystem https://spcore.dev/fhir/CodeSystem/instrument-score "
        "(swemwbs.metric, swemwbs.raw).",
    ),
)

WEMWBS_DEFINITION = InstrumentDefinition(
    id="wemwbs",
    name="Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS)",
    summary=(
        "Fourteen positively worded statements about thoughts and feelings over the last two "
        "weeks, each answered from 1 (none of the time) to 5 (all of the time); the total "
        "ranges from 14 to 70, higher meaning better mental wellbeing."
    ),
    items=WEMWBS_ITEMS,
    missing_data_rule="All fourteen items must be answered; an incomplete response is not scored.",
    scores=(
        Score(
            "total",
            "Total of the fourteen items",
            14,
            70,
            higher_is_better=True,
            source="warwick-scoring",
        ),
    ),
    headline="total",
    licence=_LICENCE_WEMWBS,
    sources=(WARWICK_SCORING, TENNANT_2007),
    notes=(
        "Bands and a meaningful-change threshold are not given: spcore found no single "
        "citable cut-point or threshold (Maheswaran et al. 2012 report only a range of "
        "standard errors of measurement).",
    ),
)

_SWEMWBS_IDS = SWEMWBS_DEFINITION.item_ids
_WEMWBS_IDS = WEMWBS_DEFINITION.item_ids


def swemwbs_metric(raw: int) -> float:
    """Convert a SWEMWBS raw total (7-35) to its metric score (Warwick table)."""
    return SWEMWBS_METRIC[raw]


def _swemwbs(values: Values, value_set: str | None) -> dict[str, float | None]:
    raw = total(values, _SWEMWBS_IDS)
    return {"raw": raw, "metric": SWEMWBS_METRIC[int(raw)]}


def _swemwbs_batch(columns: Columns, value_set: str | None) -> dict[str, FloatArray]:
    raw = total_batch(columns, _SWEMWBS_IDS)
    return {"raw": raw, "metric": _METRIC_LOOKUP[raw.astype(np.intp)]}


def _wemwbs(values: Values, value_set: str | None) -> dict[str, float | None]:
    return {"total": total(values, _WEMWBS_IDS)}


def _wemwbs_batch(columns: Columns, value_set: str | None) -> dict[str, FloatArray]:
    return {"total": total_batch(columns, _WEMWBS_IDS)}


SWEMWBS = Instrument(SWEMWBS_DEFINITION, _swemwbs, _swemwbs_batch)
WEMWBS = Instrument(WEMWBS_DEFINITION, _wemwbs, _wemwbs_batch)
