"""PHQ-9 (depression) and GAD-7 (anxiety).

Sources:

* PHQ-9: nine items scored 0-3, total 0-27; scores of 5, 10, 15 and 20 are
  the cut-points for mild, moderate, moderately severe and severe depression
  (Kroenke, Spitzer and Williams 2001).
* GAD-7: seven items scored 0-3, total 0-21; scores of 5, 10 and 15 are the
  cut-points for mild, moderate and severe anxiety (Spitzer et al. 2006).
* Change: the NHS Talking Therapies (formerly IAPT) programme counts a
  reduction of 6 or more on PHQ-9 and of 4 or more on GAD-7 as *reliable
  improvement*, a distribution-based reliable change on the total score, not a
  minimal important difference.
"""

from __future__ import annotations

from spcore.instruments.definitions import (
    Band,
    ChangeKind,
    ChangeThreshold,
    InstrumentDefinition,
    Item,
    Score,
    Source,
)
from spcore.instruments.engine import summed_instrument

KROENKE_2001 = Source(
    "kroenke-2001",
    "scores of 5, 10, 15 and 20 represent mild, moderate, moderately severe and severe depression",
)
SPITZER_2006 = Source(
    "spitzer-2006",
    "cut-points 5, 10 and 15 for mild, moderate and severe anxiety",
)
TALKING_THERAPIES = Source(
    "nhs-talking-therapies-manual",
    "reliable improvement: a reduction of 6 or more on PHQ-9 and 4 or more on GAD-7",
)
_FREE = (
    "Developed by Drs Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues with "
    "an educational grant from Pfizer Inc.; free to use, no permission required to reproduce, "
    "translate, display or distribute (PHQ screeners, phqscreeners.com)."
)
_ANSWERS = {0: "Not at all", 1: "Several days", 2: "More than half the days", 3: "Nearly every day"}

PHQ9_DEFINITION = InstrumentDefinition(
    id="phq9",
    name="Patient Health Questionnaire depression scale (PHQ-9)",
    summary=(
        "Nine questions on how often, over the last two weeks, a person has been bothered by "
        "each DSM-IV criterion for depression, answered 0 (not at all) to 3 (nearly every "
        "day). The total runs from 0 to 27; higher is worse."
    ),
    items=tuple(
        Item(f"item_{n}", f"Item {n}", 0, 3, "kroenke-2001", value_labels=_ANSWERS)
        for n in range(1, 10)
    ),
    missing_data_rule="All nine items must be answered; an incomplete response is not scored "
    "(spcore does not prorate).",
    scores=(
        Score(
            "total",
            "Total of the nine items",
            0,
            27,
            higher_is_better=False,
            source="kroenke-2001",
            bands=(
                Band("none-minimal", 0, 4, "kroenke-2001"),
                Band("mild", 5, 9, "kroenke-2001"),
                Band("moderate", 10, 14, "kroenke-2001"),
                Band("moderately severe", 15, 19, "kroenke-2001"),
                Band("severe", 20, 27, "kroenke-2001"),
            ),
            change=ChangeThreshold(
                6,
                "Reliable improvement: a reduction of 6 or more points. A distribution-based "
                "reliable change (larger than the questionnaire's measurement error), used by "
                "NHS Talking Therapies for routine outcome monitoring; not a minimal important "
                "difference.",
                "nhs-talking-therapies-manual",
                kind=ChangeKind.RELIABLE_CHANGE,
                scale="the PHQ-9 total score (0-27)",
                quote=None,
                verification=(
                    "The manual itself could not be read here; the value and its name "
                    "'reliable improvement' were confirmed in secondary sources that quote the "
                    "programme's definition (reduction in PHQ-9 score of 6 or more, and in "
                    "GAD-7 score of 4 or more)."
                ),
            ),
        ),
    ),
    headline="total",
    licence=_FREE,
    sources=(KROENKE_2001, TALKING_THERAPIES),
)

GAD7_DEFINITION = InstrumentDefinition(
    id="gad7",
    name="Generalised Anxiety Disorder scale (GAD-7)",
    summary=(
        "Seven questions on how often, over the last two weeks, a person has been bothered by "
        "symptoms of anxiety, answered 0 (not at all) to 3 (nearly every day). The total runs "
        "from 0 to 21; higher is worse."
    ),
    items=tuple(
        Item(f"item_{n}", f"Item {n}", 0, 3, "spitzer-2006", value_labels=_ANSWERS)
        for n in range(1, 8)
    ),
    missing_data_rule="All seven items must be answered; an incomplete response is not scored "
    "(spcore does not prorate).",
    scores=(
        Score(
            "total",
            "Total of the seven items",
            0,
            21,
            higher_is_better=False,
            source="spitzer-2006",
            bands=(
                Band("minimal", 0, 4, "spitzer-2006"),
                Band("mild", 5, 9, "spitzer-2006"),
                Band("moderate", 10, 14, "spitzer-2006"),
                Band("severe", 15, 21, "spitzer-2006"),
            ),
            change=ChangeThreshold(
                4,
                "Reliable improvement: a reduction of 4 or more points. A distribution-based "
                "reliable change (larger than the questionnaire's measurement error), used by "
                "NHS Talking Therapies for routine outcome monitoring; not a minimal important "
                "difference.",
                "nhs-talking-therapies-manual",
                kind=ChangeKind.RELIABLE_CHANGE,
                scale="the GAD-7 total score (0-21)",
                quote=None,
                verification=(
                    "The manual itself could not be read here; the value and its name "
                    "'reliable improvement' were confirmed in secondary sources that quote the "
                    "programme's definition (reduction in PHQ-9 score of 6 or more, and in "
                    "GAD-7 score of 4 or more)."
                ),
            ),
        ),
    ),
    headline="total",
    licence=_FREE,
    sources=(SPITZER_2006, TALKING_THERAPIES),
)

PHQ9 = summed_instrument(PHQ9_DEFINITION, total_name="total")
GAD7 = summed_instrument(GAD7_DEFINITION, total_name="total")
