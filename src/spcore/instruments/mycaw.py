"""MYCAW: Measure Yourself Concerns and Wellbeing.

Source: Paterson et al. (2007). A person names one or two concerns and rates
how much each bothers them, and their general feeling of wellbeing, on
seven-point scales scored 0-6, where higher is worse. Change is the
follow-up score minus the first; the paper reports mean improvements (for
example 2.9 points on the first concern at one centre) but no threshold for
an individual's meaningful change. The questionnaire is free to use after
registering with the University of Bristol (hlp-2017, footnote 47).
"""

from __future__ import annotations

from spcore.instruments.definitions import InstrumentDefinition, Item, Score, Source
from spcore.instruments.engine import summed_instrument

PATERSON_2007 = Source(
    "paterson-2007",
    "one or two concerns and wellbeing, each scored on a seven-point scale",
)
BRISTOL = Source(
    "bristol-mycaw",
    "seven-point scales, adapted from MYMOP",
)

MYCAW_DEFINITION = InstrumentDefinition(
    id="mycaw",
    name="Measure Yourself Concerns and Wellbeing (MYCAW)",
    summary=(
        "An individualised questionnaire: the person names one or two concerns or problems and "
        "scores how much each bothers them, and their general feeling of wellbeing, from 0 to "
        "6, where 0 is best and 6 is worst. Developed for cancer support care and used in "
        "social prescribing."
    ),
    items=(
        Item("concern_1", "First concern (how much it bothers the person)", 0, 6, "paterson-2007"),
        Item("concern_2", "Second concern (optional)", 0, 6, "paterson-2007", optional=True),
        Item("wellbeing", "General feeling of wellbeing", 0, 6, "paterson-2007"),
    ),
    missing_data_rule="The first concern and wellbeing must be scored; the second concern is "
    "optional, as the person may name only one.",
    scores=(
        Score(
            "concern_1", "First concern score", 0, 6, higher_is_better=False, source="paterson-2007"
        ),
        Score(
            "concern_2",
            "Second concern score",
            0,
            6,
            higher_is_better=False,
            source="paterson-2007",
        ),
        Score("wellbeing", "Wellbeing score", 0, 6, higher_is_better=False, source="paterson-2007"),
    ),
    headline="concern_1",
    licence=(
        "Free to use; register with the University of Bristol via the MYMOP registration form "
        "(http://www.bris.ac.uk/primaryhealthcare/resources/mymop/sisters/)."
    ),
    sources=(PATERSON_2007, BRISTOL),
    notes=(
        "MYCAW has no published total; spcore reports each score, with the first concern as "
        "the headline 'score'.",
        "The concerns are the person's own words; spcore does not store them (they are free "
        "text and may identify the person).",
        "No bands or individual meaningful-change threshold are published.",
    ),
)

MYCAW = summed_instrument(MYCAW_DEFINITION, item_scores=MYCAW_DEFINITION.item_ids)
