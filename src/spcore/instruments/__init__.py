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

from collections.abc import Mapping

from spcore.findings import error
from spcore.instruments import codes
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
    score_columns,
    score_response,
)
from spcore.instruments.registry import (
    INSTRUMENT_IDS,
    INSTRUMENTS,
    definitions,
    get_definition,
    get_instrument,
)

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

InstrumentRef = str | Instrument | InstrumentDefinition


def _resolve(instrument: InstrumentRef) -> Instrument | None:
    if isinstance(instrument, Instrument):
        return instrument
    key = instrument.id if isinstance(instrument, InstrumentDefinition) else instrument
    return INSTRUMENTS.get(key)


def score(
    instrument: InstrumentRef,
    response: Mapping[str, object],
    *,
    value_set: str | None = None,
    ignore_extra: bool = False,
) -> ScoreResult:
    """Score one response: a mapping of item id to answer.

    Answers may be ints, whole floats or numeric strings; blank is ``None``,
    ``""`` or NaN. ``value_set`` picks the EQ-5D value set. Unknown keys are
    findings unless ``ignore_extra`` is true. Never raises on bad answers or
    an unknown instrument id: they become findings.
    """
    inst = _resolve(instrument)
    if inst is None:
        return ScoreResult(
            str(instrument),
            {},
            {},
            (
                error(
                    codes.UNKNOWN_INSTRUMENT,
                    "",
                    f"There is no instrument {instrument!r}; known instruments are "
                    f"{', '.join(INSTRUMENT_IDS)}.",
                ),
            ),
            None,
        )
    return score_response(inst, response, value_set=value_set, ignore_extra=ignore_extra)


def score_batch(
    instrument: InstrumentRef,
    data: object,
    *,
    value_set: str | None = None,
    ignore_extra: bool = False,
) -> BatchResult:
    """Score whole columns: a mapping of item id to array, or a pandas/polars DataFrame.

    Results are identical, row for row, to :func:`score`. Columns other than
    the instrument's items are findings unless ``ignore_extra`` is true (set it
    for DataFrames that carry ids or dates). Raises ``KeyError`` for an
    unknown instrument id, and ``TypeError``/``ValueError`` when ``data`` is
    not a table of equal-length 1-d columns; bad answers are findings.
    """
    inst = _resolve(instrument)
    if inst is None:
        raise KeyError(f"no instrument {instrument!r}")
    return score_columns(inst, data, value_set=value_set, ignore_extra=ignore_extra)
