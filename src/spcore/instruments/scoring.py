"""Scoring by instrument id: one response (:func:`score`) or whole columns (:func:`score_batch`)."""

from __future__ import annotations

from collections.abc import Mapping

from spcore.findings import error
from spcore.instruments import codes
from spcore.instruments.definitions import InstrumentDefinition
from spcore.instruments.engine import (
    BatchResult,
    Instrument,
    ScoreResult,
    score_columns,
    score_response,
)
from spcore.instruments.registry import INSTRUMENT_IDS, INSTRUMENTS

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
