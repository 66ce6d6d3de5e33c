"""Outcome instruments: definitions, scoring (one response or whole columns), change.

Quick use::

    from spcore.instruments import score, score_batch

    result = score("phq9", {f"item_{n}": 1 for n in range(1, 10)})
    result.score, result.band, result.findings    # 9, 'mild', ()

    batch = score_batch("swemwbs", {"item_1": [...], ..., "item_7": [...]})
    batch.score                                   # NumPy array of metric scores

Scoring never raises on bad answers: a bad response gets findings (codes in
:data:`FINDING_CODES`) and no scores. See :mod:`spcore.instruments.change`
for paired change, cohort summaries and Rotherham-style progress.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spcore.instruments.codes import FINDING_CODES
    from spcore.instruments.definitions import (
        Band,
        ChangeThreshold,
        InstrumentDefinition,
        Item,
        ItemKind,
        Score,
        Source,
    )
    from spcore.instruments.engine import (
        BatchResult,
        Instrument,
        ScoreResult,
    )
    from spcore.instruments.registry import (
        INSTRUMENT_IDS,
        INSTRUMENTS,
        definitions,
        get_definition,
        get_instrument,
    )
    from spcore.instruments.scoring import score, score_batch
else:
    from spcore._lazy import attach

    # Names load on first use (see spcore._lazy).
    __getattr__, __dir__ = attach(__name__)

__all__ = [
    "FINDING_CODES",
    "INSTRUMENTS",
    "INSTRUMENT_IDS",
    "Band",
    "BatchResult",
    "ChangeThreshold",
    "Instrument",
    "InstrumentDefinition",
    "Item",
    "ItemKind",
    "Score",
    "ScoreResult",
    "Source",
    "definitions",
    "get_definition",
    "get_instrument",
    "score",
    "score_batch",
]
