"""Well-being Star (Outcomes Star for adults self-managing health conditions).

Source: Triangle Consulting Social Enterprise. The Well-being Star has eight
outcome areas, each placed on a five-point scale (1-5) on the Star's Journey
of Change (Family Action 2018, family-action-2018; outcomesstar.org.uk). The Star, its
scale descriptions and its materials are licensed; spcore ships the area
names and the 1-5 range only.
"""

from __future__ import annotations

from spcore.instruments.definitions import InstrumentDefinition, Item, Score, Source
from spcore.instruments.engine import item_by_item_instrument

TRIANGLE = Source(
    "triangle-wellbeing-star",
    "eight outcome areas; five-point Journey of Change",
)
FAMILY_ACTION_2018 = Source(
    "family-action-2018",
    "'Example outcomes measurement tools': the Well-being Star has eight domains and "
    "uses a five-point scale from one to five",
)

AREAS = (
    ("lifestyle", "Lifestyle"),
    ("looking_after_yourself", "Looking after yourself"),
    ("managing_symptoms", "Managing symptoms"),
    ("work_volunteering", "Work, volunteering and other activities"),
    ("money", "Money"),
    ("where_you_live", "Where you live"),
    ("family_and_friends", "Family and friends"),
    ("feeling_positive", "Feeling positive"),
)

WELLBEING_STAR_DEFINITION = InstrumentDefinition(
    id="wellbeing-star",
    name="Well-being Star",
    summary=(
        "An Outcomes Star completed by a person with a long-term condition, ideally with a "
        "worker, placing themselves from 1 to 5 in each of eight areas of life; higher means "
        "further along the Journey of Change. Progress is read area by area."
    ),
    items=tuple(
        Item(i, label, 1, 5, "triangle-wellbeing-star", optional=True) for i, label in AREAS
    ),
    missing_data_rule="Each area is a score on its own, as the publisher reads the Star area "
    "by area: an area left blank voids only that area's score, and at least one area must be "
    "placed. The descriptive total needs all eight.",
    scores=(
        *tuple(
            Score(i, label, 1, 5, higher_is_better=True, source="triangle-wellbeing-star")
            for i, label in AREAS
        ),
        Score(
            "total",
            "Sum of the eight areas (descriptive)",
            8,
            40,
            higher_is_better=True,
            source="triangle-wellbeing-star",
        ),
    ),
    headline="total",
    licence=(
        "Proprietary: copyright Triangle Consulting Social Enterprise Ltd. Use requires a Star "
        "licence and training (https://www.outcomesstar.org.uk/). spcore ships the area names and "
        "the 1-5 range only, never the scale descriptions."
    ),
    sources=(TRIANGLE, FAMILY_ACTION_2018),
    notes=(
        "The total is a plain sum computed by spcore for convenience; the publisher reports "
        "change area by area, so analyse areas (see spcore.instruments.change.progress_summary).",
        "No bands or meaningful-change threshold are published openly.",
    ),
)

WELLBEING_STAR = item_by_item_instrument(WELLBEING_STAR_DEFINITION, total_name="total")
