"""ONS personal well-being (ONS4) and the ONS direct loneliness question.

Sources:

* ONS4: four questions answered 0-10 (GSS harmonised standard "Personal
  well-being"); reported separately, never as one composite (ONS personal
  well-being FAQ). Thresholds published by ONS: life satisfaction,
  worthwhile and happiness 0-4 low, 5-6 medium, 7-8 high, 9-10 very high;
  anxiety 0-1 very low, 2-3 low, 4-5 medium, 6-10 high.
* Loneliness: the direct question "How often do you feel lonely?" with the
  five answers Often/always, Some of the time, Occasionally, Hardly ever,
  Never (ONS national indicator of loneliness; GSS loneliness harmonised
  standard). spcore codes the answers 1-5 in that published order.
"""

from __future__ import annotations

from spcore.instruments.definitions import Band, InstrumentDefinition, Item, Score, Source
from spcore.instruments.engine import item_by_item_instrument, summed_instrument

GSS_PWB = Source(
    "gss-personal-wellbeing",
    "four questions answered on a scale of 0 to 10",
)
ONS_THRESHOLDS = Source(
    "ons-pwb-thresholds",
    "life satisfaction, worthwhile and happiness 0-4 low, 5-6 medium, 7-8 high, 9-10 very high;"
    " anxiety 0-1 very low, 2-3 low, 4-5 medium, 6-10 high",
)
ONS_FAQ = Source(
    "ons-pwb-faq",
    "'Why is there not one composite indicator for personal well-being?'",
)
LONELINESS_SOURCE = Source(
    "ons-loneliness-guidance",
    "the three UCLA questions with answers Hardly ever or never / Some of the time / Often",
)

_POSITIVE_BANDS = (
    Band("low", 0, 4, "ons-pwb-thresholds"),
    Band("medium", 5, 6, "ons-pwb-thresholds"),
    Band("high", 7, 8, "ons-pwb-thresholds"),
    Band("very high", 9, 10, "ons-pwb-thresholds"),
)
_ANXIETY_BANDS = (
    Band("very low", 0, 1, "ons-pwb-thresholds"),
    Band("low", 2, 3, "ons-pwb-thresholds"),
    Band("medium", 4, 5, "ons-pwb-thresholds"),
    Band("high", 6, 10, "ons-pwb-thresholds"),
)

_ONS4_ITEMS = (
    ("life_satisfaction", "Life satisfaction", True),
    ("worthwhile", "Things done in life are worthwhile", True),
    ("happiness", "Happiness yesterday", True),
    ("anxiety", "Anxiety yesterday", False),
)

ONS4_DEFINITION = InstrumentDefinition(
    id="ons4",
    name="ONS personal well-being questions (ONS4)",
    summary=(
        "The four Office for National Statistics personal well-being questions: life "
        "satisfaction, whether the things done in life are worthwhile, happiness yesterday and "
        "anxiety yesterday, each answered from 0 (not at all) to 10 (completely). Each is "
        "reported separately with the ONS thresholds; for anxiety, higher is worse."
    ),
    items=tuple(
        Item(i, label, 0, 10, "gss-personal-wellbeing", optional=True)
        for i, label, _ in _ONS4_ITEMS
    ),
    missing_data_rule="Each question is a measure on its own (ONS publishes no composite): a "
    "blank answer voids only that question's score, and at least one question must be "
    "answered.",
    scores=tuple(
        Score(
            i,
            label,
            0,
            10,
            higher_is_better=positive,
            source="gss-personal-wellbeing",
            bands=_POSITIVE_BANDS if positive else _ANXIETY_BANDS,
        )
        for i, label, positive in _ONS4_ITEMS
    ),
    headline="life_satisfaction",
    licence=(
        "Crown copyright, published by the Office for National Statistics and reusable under "
        "the Open Government Licence; no licence fee."
    ),
    sources=(GSS_PWB, ONS_THRESHOLDS, ONS_FAQ),
    notes=(
        "ONS publishes no composite of the four measures, so spcore reports each; the "
        "'score' column carries life satisfaction, and every measure has its own column and "
        "band column.",
        "No meaningful-change threshold is given: spcore found no citable published "
        "threshold for individual change.",
    ),
)

LONELINESS_LABELS = {
    1: "Often/always",
    2: "Some of the time",
    3: "Occasionally",
    4: "Hardly ever",
    5: "Never",
}

ONS_LONELINESS_DEFINITION = InstrumentDefinition(
    id="ons-loneliness",
    name="ONS direct measure of loneliness",
    summary=(
        "The national indicator question 'How often do you feel lonely?', answered on five "
        "categories from often/always to never. It is reported as the category, not as a "
        "number to average."
    ),
    items=(
        Item(
            "lonely",
            "How often do you feel lonely?",
            1,
            5,
            "ons-loneliness-guidance",
            value_labels=LONELINESS_LABELS,
        ),
    ),
    missing_data_rule="The single question must be answered.",
    scores=(
        Score(
            "category",
            "Answer category (1 often/always ... 5 never)",
            1,
            5,
            higher_is_better=True,
            source="ons-loneliness-guidance",
            categorical=True,
            bands=tuple(
                Band(label, code, code, "ons-loneliness-guidance")
                for code, label in LONELINESS_LABELS.items()
            ),
        ),
    ),
    headline="category",
    licence="Crown copyright (Office for National Statistics), Open Government Licence; free.",
    sources=(LONELINESS_SOURCE,),
    notes=(
        "The codes 1-5 follow the published order of the answers; they are labels, not a "
        "scale to average. Report the share in each category.",
    ),
)

ONS4 = item_by_item_instrument(ONS4_DEFINITION)


ONS_LONELINESS = summed_instrument(ONS_LONELINESS_DEFINITION, total_name="category")
