"""Scoring by instrument id: one response (:func:`score`) or whole columns (:func:`score_batch`).

Instrument ids are matched whatever their case (``SWEMWBS`` is ``swemwbs``).
An id that names no instrument is the same finding, ``SPC-I001``, on both
paths: the one response's finding, or every row's.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any, overload

import numpy as np

from spcore.findings import Finding, error
from spcore.instruments import codes
from spcore.instruments.definitions import InstrumentDefinition
from spcore.instruments.engine import (
    BatchResult,
    Instrument,
    ScoreResult,
    as_columns,
    score_columns,
    score_response,
)
from spcore.instruments.registry import INSTRUMENT_IDS, INSTRUMENTS
from spcore.wording import findings_cell

InstrumentRef = str | Instrument | InstrumentDefinition


def _resolve(instrument: InstrumentRef) -> Instrument | None:
    if isinstance(instrument, Instrument):
        return instrument
    key = instrument.id if isinstance(instrument, InstrumentDefinition) else instrument
    if not isinstance(key, str):
        return None
    return INSTRUMENTS.get(key) or INSTRUMENTS.get(key.strip().lower())


def _unknown(instrument: object) -> Finding:
    return error(
        codes.UNKNOWN_INSTRUMENT,
        "",
        f"There is no instrument {instrument!r}; known instruments are "
        f"{', '.join(INSTRUMENT_IDS)}.",
    )


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
        return ScoreResult(str(instrument), {}, {}, (_unknown(instrument),), None)
    return score_response(inst, response, value_set=value_set, ignore_extra=ignore_extra)


def _library(data: object) -> str | None:
    """``pandas`` or ``polars`` when ``data`` is one of their DataFrames, else None."""
    module = type(data).__module__.split(".")[0]
    if module in ("pandas", "polars") and type(data).__name__ == "DataFrame":
        return module
    return None


@overload
def score_batch(
    instrument: InstrumentRef,
    data: Mapping[str, Any],
    *,
    value_set: str | None = None,
    ignore_extra: bool = False,
) -> BatchResult: ...


@overload
def score_batch(
    instrument: InstrumentRef,
    data: object,
    *,
    value_set: str | None = None,
    ignore_extra: bool = False,
) -> Any: ...


def score_batch(
    instrument: InstrumentRef,
    data: object,
    *,
    value_set: str | None = None,
    ignore_extra: bool = False,
) -> Any:
    """Score whole columns: a mapping of item id to array, or a pandas or polars DataFrame.

    Results are identical, row for row, to :func:`score`.

    * A mapping gives a :class:`BatchResult` (NumPy columns). Columns other
      than the instrument's items are findings unless ``ignore_extra`` is true.
    * A pandas or polars DataFrame gives a DataFrame of the same library: every
      input column (ids, dates and any others are kept, never findings), then
      ``score`` (the headline score), ``score_<name>`` for every score,
      ``band`` and ``band_<name>`` for banded scores, and ``findings``
      (``CODE severity: message`` entries separated by `` | ``, empty for a
      valid row) — the columns ``spcore score`` writes.

    An unknown instrument id is the finding ``SPC-I001`` on every row, as
    :func:`score` gives it. Raises ``TypeError``/``ValueError`` only when
    ``data`` is not a table of equal-length 1-d columns, or when a DataFrame
    already has a column the result would add.
    """
    library = _library(data)
    inst = _resolve(instrument)
    if inst is None:
        _, n = as_columns(data)
        result = BatchResult(
            str(instrument), {}, {}, [(_unknown(instrument),)] * n, None, frozenset()
        )
    else:
        result = score_columns(
            inst, data, value_set=value_set, ignore_extra=ignore_extra or library is not None
        )
    if library is None:
        return result
    return _frame(library, data, result, inst.definition if inst is not None else None)


def result_columns(
    definition: InstrumentDefinition | None, result: BatchResult
) -> dict[str, np.ndarray[Any, Any]]:
    """The columns a result adds to a table, in order, by name (what ``spcore score`` writes)."""
    out: dict[str, np.ndarray[Any, Any]] = {}
    if definition is not None:
        headline = definition.headline_score
        out["score"] = result.scores[headline.name]
        for s in definition.scores:
            out[f"score_{s.name}"] = result.scores[s.name]
        if headline.bands:
            out["band"] = result.bands[headline.name]
        for s in definition.scores:
            if s.bands:
                out[f"band_{s.name}"] = result.bands[s.name]
    out["findings"] = np.array([findings_cell(f) for f in result.findings], dtype=object)
    return out


def _frame(
    library: str, frame: Any, result: BatchResult, definition: InstrumentDefinition | None
) -> Any:
    added = result_columns(definition, result)
    clash = [name for name in added if name in list(frame.columns)]
    if clash:
        raise ValueError(
            f"the DataFrame already has a column {clash[0]!r}, which scoring adds; rename it"
        )
    if library == "pandas":
        out = frame.copy()
        for name, values in added.items():
            out[name] = values
        return out
    pl = importlib.import_module("polars")
    series = []
    for name, values in added.items():
        if values.dtype.kind == "f":
            series.append(pl.Series(name, values).fill_nan(None))
        else:
            series.append(pl.Series(name, values.tolist(), dtype=pl.Utf8))
    return frame.with_columns(series)
