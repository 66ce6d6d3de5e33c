"""UCLA three-item loneliness scale (UCLA-3).

Sources: Hughes et al. (2004) for the scale; the ONS national indicator of
loneliness publishes the three questions with the answers "Hardly ever or
never", "Some of the time", "Often", scored 1, 2, 3 and summed to 3-9
(higher means lonelier).
"""

from __future__ import annotations

from spcore.instruments.definitions import InstrumentDefinition, Item, Score, Source
from spcore.instruments.engine import summed_instrument

HUGHES_2004 = Source(
    "hughes-2004",
    "three items, each scored 1 hardly ever, 2 some of the time, 3 often",
)
ONS_LONELINESS = Source(
    "ons-loneliness-guidance",
    "the three UCLA questions with answers Hardly ever or never / Some of the time / Often",
)

_LABELS = {1: "Hardly ever or never", 2: "Some of the time", 3: "Often"}

UCLA3_DEFINITION = InstrumentDefinition(
    id="ucla3",
    name="UCLA three-item loneliness scale (UCLA-3)",
    summary=(
        "Three questions on how often a person feels they lack companionship, feel left out "
        "and feel isolated from others, each answered hardly ever or never (1), some of the "
        "time (2) or often (3). The total runs from 3 to 9; higher means lonelier."
    ),
    items=tuple(
        Item(item_id, label, 1, 3, "hughes-2004", value_labels=_LABELS)
        for item_id, label in (
            ("lack_companionship", "Lack companionship"),
            ("left_out", "Feel left out"),
            ("isolated", "Feel isolated from others"),
        )
    ),
    missing_data_rule="All three items must be answered; an incomplete response is not scored.",
    scores=(
        Score(
            "total", "Total of the three items", 3, 9, higher_is_better=False, source="hughes-2004"
        ),
    ),
    headline="total",
    licence="Published in the research literature and by ONS for free use; no licence fee.",
    sources=(HUGHES_2004, ONS_LONELINESS),
    notes=(
        "No bands are given: ONS recommends reporting the scale, and spcore found no single "
        "citable cut-point for 'lonely'.",
        "No meaningful-change threshold is published.",
    ),
)

UCLA3 = summed_instrument(UCLA3_DEFINITION, total_name="total")
