"""Rotherham's eight well-being outcome measures (rotherham8).

Source: Dayson (2016), dayson-2016, "Evaluating Social Prescribing 'Plus' in
Rotherham": advisor-led survey at first engagement and after three months;
eight well-being outcome measures, each on a scale of 1-5. Reported: more than
90 per cent made progress on at least one measure, more than 60 per cent on
four or more, and those with a low baseline (2 or less) made the greatest
progress. :func:`spcore.instruments.change.progress_summary` reproduces these
figures from case-level data.

The source names only some of the measures (work, volunteering and social
groups; feeling positive; lifestyle; managing symptoms), and spcore found no
citable list of all eight, so the items are ``measure_1`` ... ``measure_8``;
a scheme maps its own measures onto them.
"""

from __future__ import annotations

from spcore.instruments.definitions import InstrumentDefinition, Item, Score, Source
from spcore.instruments.engine import item_by_item_instrument

DAYSON_2016 = Source(
    "dayson-2016",
    "eight well-being outcome measures, scale 1-5; low baseline is a score of 2 or less",
)
DAYSON_BENNETT_2016 = Source(
    "dayson-bennett-2016",
    "93% progressed on at least one of eight outcomes, 64% on four or more",
)

#: A baseline score at or below this is 'low' in the Rotherham evaluation.
LOW_BASELINE_MAX = 2

ROTHERHAM8_DEFINITION = InstrumentDefinition(
    id="rotherham8",
    name="Rotherham well-being outcome measures (eight measures, 1-5)",
    summary=(
        "The eight well-being outcome measures used by the Rotherham social prescribing "
        "service, each scored 1 to 5 by the person with their advisor at first engagement and "
        "again after three months; higher is better. Progress is counted measure by measure."
    ),
    items=tuple(
        Item(f"measure_{n}", f"Well-being measure {n}", 1, 5, "dayson-2016", optional=True)
        for n in range(1, 9)
    ),
    missing_data_rule="Each measure is a score on its own, as dayson-2016 counts progress "
    "measure by measure: a measure left blank voids only its own score, and at least one "
    "must be scored. The descriptive total needs all eight.",
    scores=(
        *tuple(
            Score(f"measure_{n}", f"Measure {n}", 1, 5, higher_is_better=True, source="dayson-2016")
            for n in range(1, 9)
        ),
        Score(
            "total",
            "Sum of the eight measures (descriptive)",
            8,
            40,
            higher_is_better=True,
            source="dayson-2016",
        ),
    ),
    headline="total",
    licence=(
        "A local tool of the Rotherham social prescribing service (Voluntary Action Rotherham); "
        "spcore ships the structure only."
    ),
    sources=(DAYSON_2016, DAYSON_BENNETT_2016),
    notes=(
        "dayson-2016 names four of the eight measures (work, volunteering and social groups; "
        "feeling positive; lifestyle; managing symptoms); the full list is not published in "
        "a source spcore could cite, so the measures are numbered.",
        "'Progress' on a measure means a follow-up score higher than the baseline score; a "
        "'low' baseline is 2 or less.",
    ),
)

ROTHERHAM8 = item_by_item_instrument(ROTHERHAM8_DEFINITION, total_name="total")
