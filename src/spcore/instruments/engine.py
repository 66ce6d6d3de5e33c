"""Scoring engine shared by every instrument: validation, scalar and batch paths.

Two paths score the same responses:

* :func:`score` takes one response (a mapping of item id to answer) and returns
  a :class:`ScoreResult`; it is plain Python and never raises on bad answers.
* :func:`score_batch` takes whole columns (a mapping of item id to array, or a
  pandas or polars DataFrame) and returns a :class:`BatchResult`. Valid rows
  are validated and scored with NumPy; rows that fail the vectorised checks
  are handed to :func:`score` one at a time, so the findings of a bad row are
  word for word the findings of the scalar path.

Rule for both paths: a response with any finding gets no scores.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from spcore.findings import Finding, error, pointer
from spcore.instruments import codes
from spcore.instruments.definitions import InstrumentDefinition, Item, ItemKind

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
ObjectArray = npt.NDArray[np.object_]

#: Parsed answers of one response: item id -> number, or ``None`` when blank.
Values = Mapping[str, float | None]
#: Parsed answers of many responses: item id -> float array (NaN when blank).
Columns = Mapping[str, FloatArray]

ScalarCompute = Callable[[Values, str | None], dict[str, float | None]]
BatchCompute = Callable[[Columns, str | None], dict[str, FloatArray]]
ScalarCheck = Callable[[Values], list[Finding]]
BatchCheck = Callable[[Columns], BoolArray]
ScalarPrepare = Callable[[dict[str, Any]], tuple[dict[str, Any], list[Finding]]]
BatchPrepare = Callable[[dict[str, ObjectArray | FloatArray], int], dict[str, Any]]


@attrs.frozen(eq=True)
class ScoreResult:
    """The outcome of scoring one response.

    Attributes:
        instrument: the instrument id.
        scores: score name -> value (``None`` when not computed).
        bands: score name -> band label, for scores that have bands.
        findings: what is wrong with the response; empty when it is valid.
        headline: the name of the headline score.
    """

    instrument: str
    scores: dict[str, int | float | None] = attrs.field(hash=False)
    bands: dict[str, str | None] = attrs.field(hash=False)
    findings: tuple[Finding, ...]
    headline: str | None

    @property
    def score(self) -> int | float | None:
        """The headline score (``None`` when the response is invalid)."""
        return self.scores.get(self.headline) if self.headline else None

    @property
    def band(self) -> str | None:
        """The band of the headline score, where it has bands."""
        return self.bands.get(self.headline) if self.headline else None

    @property
    def ok(self) -> bool:
        """True when the response produced no findings."""
        return not self.findings


def _no_check(values: Values) -> list[Finding]:
    return []


def _no_check_batch(columns: Columns) -> BoolArray:
    n = len(next(iter(columns.values()))) if columns else 0
    return np.ones(n, dtype=bool)


@attrs.frozen
class Instrument:
    """An instrument definition with its scoring functions.

    ``compute`` and ``compute_batch`` only ever see responses that passed
    validation (every required item present, every answer allowed, and the
    cross-item ``check``); they must agree exactly, value for value.
    """

    definition: InstrumentDefinition
    compute: ScalarCompute
    compute_batch: BatchCompute
    check: ScalarCheck = _no_check
    check_batch: BatchCheck = _no_check_batch
    extra_inputs: tuple[str, ...] = ()
    prepare: ScalarPrepare | None = None
    prepare_batch: BatchPrepare | None = None

    @property
    def id(self) -> str:
        """The instrument id."""
        return self.definition.id


# --------------------------------------------------------------------------- parsing


def parse_answer(raw: object) -> tuple[float | None, bool]:
    """Read one answer: ``(value, readable)``.

    Blank answers (``None``, ``""``, NaN) are ``(None, True)``; answers that
    are not numbers (text, booleans, infinities) are ``(None, False)``.
    """
    if raw is None:
        return None, True
    if isinstance(raw, bool | np.bool_):
        # True/False are ints in Python, but never a valid questionnaire answer.
        return None, False
    if isinstance(raw, int | np.integer):
        return float(raw), True
    if isinstance(raw, float | np.floating):
        value = float(raw)
        if math.isnan(value):
            return None, True
        return (value, True) if math.isfinite(value) else (None, False)
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            return None, True
        # One rule for every instrument (EQ-5D profiles too): numbers are written in
        # ASCII digits. float() would also read Arabic-Indic or fullwidth digits and
        # underscores ("1_0"), which no questionnaire answer is written with.
        if not PLAIN_NUMBER.fullmatch(text):
            return None, False
        value = float(text)
        return (value, True) if math.isfinite(value) else (None, False)
    return None, False


#: An answer written as a number: ASCII digits, an optional sign, point and exponent.
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _describe(raw: object) -> str:
    text = repr(raw) if not isinstance(raw, str) else f'"{raw}"'
    return text if len(text) <= 40 else text[:37] + "..."


def check_item(item: Item, raw: object) -> tuple[float | None, Finding | None]:
    """Validate one answer against its item: ``(value, finding)``."""
    path = pointer(item.id)
    value, readable = parse_answer(raw)
    if not readable:
        return None, error(
            codes.NOT_A_WHOLE_NUMBER,
            path,
            f"The answer to {item.id} ({_describe(raw)}) is not a number; "
            f"give a {'whole number' if item.kind is ItemKind.INTEGER else 'number'} "
            f"from {_fmt(item.minimum)} to {_fmt(item.maximum)}.",
        )
    if value is None:
        if item.optional:
            return None, None
        return None, error(
            codes.MISSING_ANSWER,
            path,
            f"The answer to {item.id} is missing; it is required to score this response.",
        )
    if item.kind is ItemKind.INTEGER and not value.is_integer():
        return None, error(
            codes.NOT_A_WHOLE_NUMBER,
            path,
            f"The answer to {item.id} ({_fmt(value)}) is not a whole number; "
            f"give a whole number from {_fmt(item.minimum)} to {_fmt(item.maximum)}.",
        )
    if not item.minimum <= value <= item.maximum:
        return None, error(
            codes.OUT_OF_RANGE,
            path,
            f"The answer to {item.id} ({_fmt(value)}) is outside the allowed range "
            f"{_fmt(item.minimum)} to {_fmt(item.maximum)}.",
        )
    return value, None


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


# --------------------------------------------------------------------------- scalar path


def _finish(
    inst: Instrument, raw_scores: Mapping[str, float | None], findings: Sequence[Finding]
) -> ScoreResult:
    definition = inst.definition
    scores: dict[str, int | float | None] = {}
    bands: dict[str, str | None] = {}
    for score_def in definition.scores:
        value = None if findings else raw_scores.get(score_def.name)
        if value is not None and score_def.integer:
            scores[score_def.name] = int(value)
        else:
            scores[score_def.name] = value
        if score_def.bands:
            bands[score_def.name] = None if value is None else score_def.band_for(value)
    return ScoreResult(definition.id, scores, bands, tuple(findings), definition.headline)


def score_response(
    inst: Instrument,
    response: Mapping[str, object],
    *,
    value_set: str | None = None,
    ignore_extra: bool = False,
) -> ScoreResult:
    """Score one response with a resolved :class:`Instrument`."""
    definition = inst.definition
    findings: list[Finding] = []
    answers: dict[str, Any] = dict(response)
    accepted = set(definition.item_ids) | set(inst.extra_inputs)
    if not ignore_extra:
        for key in answers:
            if key not in accepted:
                findings.append(
                    error(
                        codes.UNKNOWN_ITEM,
                        pointer(str(key)),
                        f"{key!r} is not an item of {definition.id}; "
                        f"its items are {', '.join(definition.item_ids)}.",
                    )
                )
    if value_set is not None and value_set not in definition.value_sets:
        findings.append(
            error(
                codes.UNKNOWN_VALUE_SET,
                "",
                f"{definition.id} has no value set {value_set!r}"
                + (
                    f"; choose one of {', '.join(definition.value_sets)}."
                    if definition.value_sets
                    else "; it does not use value sets."
                ),
            )
        )
    if inst.prepare is not None:
        answers, prepared_findings = inst.prepare(answers)
        findings.extend(prepared_findings)
    values: dict[str, float | None] = {}
    for item in definition.items:
        value, finding = check_item(item, answers.get(item.id))
        values[item.id] = value
        if finding is not None:
            findings.append(finding)
    if not findings:
        findings.extend(inst.check(values))
    raw_scores = {} if findings else inst.compute(values, value_set)
    return _finish(inst, raw_scores, findings)


# --------------------------------------------------------------------------- batch path


@attrs.frozen
class BatchResult:
    """Scores for many responses, column by column.

    Attributes:
        instrument: the instrument id.
        scores: score name -> float array (NaN where not computed).
        bands: score name -> object array of band labels (``None`` where none).
        findings: per row, the findings (an empty tuple for a valid row).
        headline: the name of the headline score.
        integer_scores: names of the scores that are whole numbers.
    """

    instrument: str
    scores: dict[str, FloatArray] = attrs.field(hash=False)
    bands: dict[str, ObjectArray] = attrs.field(hash=False)
    findings: list[tuple[Finding, ...]] = attrs.field(hash=False)
    headline: str | None
    integer_scores: frozenset[str]

    def __len__(self) -> int:
        return len(self.findings)

    @property
    def score(self) -> FloatArray:
        """The headline score column."""
        assert self.headline is not None
        return self.scores[self.headline]

    @property
    def valid(self) -> BoolArray:
        """True for rows without findings."""
        return np.array([not f for f in self.findings], dtype=bool)

    def row(self, index: int) -> ScoreResult:
        """Row ``index`` as a :class:`ScoreResult` (for comparison with :func:`score`)."""
        scores: dict[str, int | float | None] = {}
        for name, column in self.scores.items():
            value = float(column[index])
            if math.isnan(value):
                scores[name] = None
            else:
                scores[name] = int(value) if name in self.integer_scores else value
        bands = {name: column[index] for name, column in self.bands.items()}
        return ScoreResult(self.instrument, scores, bands, self.findings[index], self.headline)


def as_columns(data: object) -> tuple[dict[str, Any], int]:
    """Turn tabular input into ``{column: 1-d array}`` and a row count.

    Accepts a mapping of name to sequence or array, a pandas DataFrame or a
    polars DataFrame. Neither pandas nor polars is imported: a DataFrame is
    recognised by its ``columns`` attribute, and each column is read with
    ``to_numpy()``.
    """
    columns: dict[str, Any] = {}
    if isinstance(data, Mapping):
        for name, column in data.items():
            columns[str(name)] = _to_array(column)
    elif hasattr(data, "columns"):
        frame: Any = data
        for name in list(frame.columns):
            columns[str(name)] = _to_array(frame[name])
    else:
        raise TypeError(
            "score_batch() needs a mapping of column name to array, or a pandas or polars DataFrame"
        )
    lengths = {len(c) for c in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"columns have different lengths: {sorted(lengths)}")
    return columns, (lengths.pop() if lengths else 0)


def _to_array(column: object) -> Any:
    to_numpy = getattr(column, "to_numpy", None)
    if callable(to_numpy):
        column = to_numpy()
    array = np.asarray(column)
    if array.ndim != 1:
        raise ValueError("each column must be one-dimensional")
    return array


def parse_column(column: Any) -> tuple[FloatArray, BoolArray]:
    """Read a column of answers: ``(values, readable)`` with NaN for blanks.

    Numeric columns are read in one step; text and mixed columns element by
    element with :func:`parse_answer`, so both paths read answers the same way.
    """
    array = np.asarray(column)
    if array.dtype.kind in "iuf":
        values = array.astype(np.float64)
        readable = ~np.isinf(values)
        values = np.where(readable, values, np.nan)
        return values, readable
    n = len(array)
    values = np.empty(n, dtype=np.float64)
    readable = np.empty(n, dtype=bool)
    for i, raw in enumerate(array.tolist()):
        value, ok = parse_answer(raw)
        values[i] = np.nan if value is None else value
        readable[i] = ok
    return values, readable


def _item_ok(item: Item, values: FloatArray, readable: BoolArray) -> BoolArray:
    present = ~np.isnan(values)
    with np.errstate(invalid="ignore"):
        in_range = (values >= item.minimum) & (values <= item.maximum)
        whole = np.floor(values) == values if item.kind is ItemKind.INTEGER else present
    ok_when_present = in_range & whole
    return readable & np.where(present, ok_when_present, item.optional)


def score_columns(
    inst: Instrument,
    data: object,
    *,
    value_set: str | None = None,
    ignore_extra: bool = False,
) -> BatchResult:
    """Score many responses with a resolved :class:`Instrument`."""
    definition = inst.definition
    raw_columns, n = as_columns(data)
    accepted = set(definition.item_ids) | set(inst.extra_inputs)
    ok = np.ones(n, dtype=bool)
    if not ignore_extra and any(name not in accepted for name in raw_columns):
        ok[:] = False
    if value_set is not None and value_set not in definition.value_sets:
        ok[:] = False
    columns: dict[str, Any] = dict(raw_columns)
    if inst.prepare_batch is not None and ok.any():
        columns = inst.prepare_batch(columns, n)
        ok &= columns.pop("__ok__")
    parsed: dict[str, FloatArray] = {}
    for item in definition.items:
        column = columns.get(item.id)
        if column is None:
            values = np.full(n, np.nan)
            readable = np.ones(n, dtype=bool)
        else:
            values, readable = parse_column(column)
        parsed[item.id] = values
        ok &= _item_ok(item, values, readable)
    if ok.any():
        ok &= inst.check_batch(parsed)

    scores: dict[str, FloatArray] = {s.name: np.full(n, np.nan) for s in definition.scores}
    if ok.any():
        # Compute on the valid rows only, so scoring functions never see bad answers.
        subset = {name: values[ok] for name, values in parsed.items()}
        computed = inst.compute_batch(subset, value_set)
        for name, column in computed.items():
            scores[name][ok] = column

    findings: list[tuple[Finding, ...]] = [()] * n
    bad_rows = np.flatnonzero(~ok)
    for index in bad_rows.tolist():
        row = {name: raw_columns[name][index] for name in raw_columns}
        result = score_response(inst, row, value_set=value_set, ignore_extra=ignore_extra)
        findings[index] = result.findings
        for name, value in result.scores.items():
            scores[name][index] = np.nan if value is None else float(value)

    bands: dict[str, ObjectArray] = {}
    for score_def in definition.scores:
        if not score_def.bands:
            continue
        labels = np.full(n, None, dtype=object)
        column = scores[score_def.name]
        for band in score_def.bands:
            labels[(column >= band.minimum) & (column <= band.maximum)] = band.label
        bands[score_def.name] = labels
    integer_scores = frozenset(s.name for s in definition.scores if s.integer)
    return BatchResult(definition.id, scores, bands, findings, definition.headline, integer_scores)


# --------------------------------------------------------------------------- helpers


def total(values: Values, item_ids: Iterable[str]) -> float:
    """Sum of the (validated, present) answers to ``item_ids``."""
    result = 0.0
    for item_id in item_ids:
        value = values[item_id]
        assert value is not None
        result += value
    return result


def total_batch(columns: Columns, item_ids: Iterable[str]) -> FloatArray:
    """Column-wise sum of the answers to ``item_ids``."""
    ids = list(item_ids)
    result = np.zeros(len(columns[ids[0]]), dtype=np.float64)
    for item_id in ids:
        result = result + columns[item_id]
    return result


def summed_instrument(
    definition: InstrumentDefinition,
    *,
    total_name: str | None = None,
    item_scores: Sequence[str] = (),
    check: ScalarCheck = _no_check,
    check_batch: BatchCheck = _no_check_batch,
) -> Instrument:
    """An instrument whose scores are a total of its required items and/or item answers.

    ``total_name`` is the score holding the sum of every non-optional item;
    each name in ``item_scores`` is both an item and a score holding that
    item's answer (``None``/NaN when an optional item is blank).
    """
    summed = [item.id for item in definition.items if not item.optional]
    per_item = list(item_scores)

    def compute(values: Values, value_set: str | None) -> dict[str, float | None]:
        out: dict[str, float | None] = {name: values[name] for name in per_item}
        if total_name is not None:
            out[total_name] = total(values, summed)
        return out

    def compute_batch(columns: Columns, value_set: str | None) -> dict[str, FloatArray]:
        out: dict[str, FloatArray] = {name: columns[name] for name in per_item}
        if total_name is not None:
            out[total_name] = total_batch(columns, summed)
        return out

    return Instrument(definition, compute, compute_batch, check=check, check_batch=check_batch)


def item_by_item_instrument(
    definition: InstrumentDefinition, *, total_name: str | None = None
) -> Instrument:
    """An instrument read question by question: each item is a score of its own.

    Every item is optional: a blank answer voids only its own score, so a
    response with some questions answered still gives those scores (ONS4:
    four separate measures, no composite; the Well-being Star and the
    Rotherham measures, read area by area). At least one answer is needed.
    ``total_name`` is a descriptive sum, given only when every item is answered.
    """
    ids = definition.item_ids
    if not all(item.optional for item in definition.items):
        raise ValueError(f"{definition.id}: every item of an item-by-item instrument is optional")

    def check(values: Values) -> list[Finding]:
        if all(values[name] is None for name in ids):
            return [
                error(
                    codes.MISSING_ANSWER,
                    pointer(ids[0]),
                    f"No question of {definition.id} is answered; answer at least one of "
                    f"{', '.join(ids)}.",
                )
            ]
        return []

    def check_batch(columns: Columns) -> BoolArray:
        answered: BoolArray = np.zeros(len(columns[ids[0]]), dtype=bool)
        for name in ids:
            answered |= ~np.isnan(columns[name])
        return answered

    def compute(values: Values, value_set: str | None) -> dict[str, float | None]:
        out: dict[str, float | None] = {name: values[name] for name in ids}
        if total_name is not None:
            answers = [values[name] for name in ids]
            out[total_name] = None if any(a is None for a in answers) else total(values, ids)
        return out

    def compute_batch(columns: Columns, value_set: str | None) -> dict[str, FloatArray]:
        out: dict[str, FloatArray] = {name: columns[name] for name in ids}
        if total_name is not None:
            # NaN in any item makes the sum NaN: no total without every area.
            out[total_name] = total_batch(columns, ids)
        return out

    return Instrument(definition, compute, compute_batch, check=check, check_batch=check_batch)
