"""Quick proofs that a schema-valid case record has none of the findings beyond the schema.

Reading an extract, a record the schema accepts is still checked for
personal data in its free text
(:func:`~spcore.cases.extracts.personal_data_findings`) and for its outcome
measures, service-use windows and retired codes
(:func:`~spcore.cases.timing.measure_findings`). Those functions are the
definition of the findings; they build every finding with its path and
message, which costs more than the rest of checking a record, while almost
every record of a real extract has none.

The screens here answer one question only, faster: *can this record have
no such finding?* ``True`` is a proof that the function it screens returns
``()``; ``False`` means only "maybe", and the caller asks the function
itself. A screen repeats the function's tests in the same order, on the same
values, with what does not depend on the record worked out once (the
scores that are answer categories, the retired codes, where free text is)
and the pure date arithmetic remembered per value; anything it did not
foresee (a value of an unexpected type) makes it answer ``False``, never
raise. A property test holds each screen to its function on records with
every kind of finding.

:func:`clear` asks both questions at once. Where spcore was built with its
compiled modules it is ``spcore.cases._screens`` (C), which repeats these
tests value for value, reads the same remembered answers and calls back here
for what is not yet remembered; the same property tests hold it to the
functions.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from spcore import schemas
from spcore.cases.service_use import _length_disagrees
from spcore.compiled import screens_module
from spcore.framework.codelists import load
from spcore.framework.timepoints import follow_up_due
from spcore.instruments.registry import INSTRUMENTS
from spcore.validation import deprecated_codes
from spcore.validation.personal_data import free_text_paths, may_hold, scan_text

#: The schema whose records are screened.
SCHEMA_NAME = "case-record"

#: Answers remembered per table (dates, windows, texts): a few thousand cover
#: every value a year of referrals repeats; a full table is emptied and refilled.
_REMEMBERED = 8192

#: What a screen may meet in data it did not foresee; it then answers "maybe".
_UNFORESEEN = (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError)

K = TypeVar("K")
V = TypeVar("V")


def _remember(table: dict[K, V], key: K, value: V) -> V:
    if len(table) >= _REMEMBERED:
        table.clear()
    table[key] = value
    return value


def no_measure_findings(data: Mapping[str, Any]) -> bool:
    """True only when :func:`~spcore.cases.timing.measure_findings` finds nothing in ``data``.

    ``False`` when it may find something (or ``data`` holds what the screen
    did not foresee): then ask the function.
    """
    try:
        return _no_retired_codes(data) and _measures_clear(data) and _service_use_clear(data)
    except _UNFORESEEN:
        return False


def no_personal_data(data: Mapping[str, Any]) -> bool:
    """True only when :func:`~spcore.cases.extracts.personal_data_findings` finds nothing.

    ``False`` when it may find something: then ask the function.
    """
    try:
        return _text_clear(data, _free_text_tree())
    except _UNFORESEEN:
        return False


def clear(data: Mapping[str, Any]) -> bool:
    """True only when the record has no finding beyond the schema: both screens at once.

    Compiled where spcore was built with it (see :mod:`spcore.compiled`).
    """
    return record_screen()(data)


def _both(data: Mapping[str, Any]) -> bool:
    return no_personal_data(data) and no_measure_findings(data)


@functools.cache
def record_screen() -> Callable[[Mapping[str, Any]], bool]:
    """The compiled screen, given this module's tables and call-backs; else :func:`_both`."""
    module = screens_module()
    if module is None:
        return _both
    screen: Callable[[Mapping[str, Any]], bool] = module.Screen(
        unforeseen=_UNFORESEEN,
        categorical=_categorical_scores(),
        retired=_retired_codes(),
        retired_other=_other_retired_clear if _other_retired_places() else None,
        days=_DAYS,
        day=_day,
        dues=_DUE,
        due=_due,
        windows=_WINDOWS,
        window=_window,
        cleans=_CLEAN,
        clean=_clean,
        tree=_free_text_tree(),
    )
    return screen


def personal_data_screen() -> Callable[[Mapping[str, Any]], bool]:
    """:func:`no_personal_data`, compiled where spcore was built with it (part of
    :func:`record_screen`)."""
    screen = record_screen()
    compiled: Callable[[Mapping[str, Any]], bool] | None = getattr(screen, "no_personal_data", None)
    return no_personal_data if compiled is None else compiled


def _is_mapping(value: Any) -> bool:
    return type(value) is dict or isinstance(value, Mapping)  # the first test is the quick one


# -- outcome measures (spcore.cases.timing) ------------------------------------------------


@functools.cache
def _categorical_scores() -> dict[tuple[str, str], frozenset[int]]:
    """(instrument, ``score_name`` as written) -> its codes, for scores that are categories.

    A measure whose pair is not here cannot be refused as "not a category":
    its instrument or score is unknown, or the score is a quantity. A value is
    one of the codes when it equals one (``2.0`` is the code 2), as
    :meth:`~spcore.instruments.definitions.Score.category_of` reads it.
    """
    found: dict[tuple[str, str], frozenset[int]] = {}
    for instrument_id, instrument in INSTRUMENTS.items():
        definition = instrument.definition
        for name in ("score", *(s.name for s in definition.scores)):
            try:
                score = definition.score(definition.headline if name == "score" else name)
            except KeyError:  # no headline: no finding, as for an unknown score
                continue
            if score.categorical:
                found[(instrument_id, name)] = frozenset(n for _, n, _ in score.categories())
    return found


#: Date text -> the date; a baseline's text -> when its follow-up is due.
_DAYS: dict[str, dt.date] = {}
_DUE: dict[str, dt.date | None] = {}


def _day(text: str) -> dt.date:
    day = _DAYS.get(text)
    return _remember(_DAYS, text, dt.date.fromisoformat(text)) if day is None else day


def _due(start: str) -> dt.date | None:
    """When a follow-up to a baseline on ``start`` is due, worked out and remembered."""
    return _remember(_DUE, start, follow_up_due(_day(start)))


def _measures_clear(data: Mapping[str, Any]) -> bool:
    """The categories (``category_findings``) and the timing (``timing_findings``)."""
    measures = (data.get("outcomes") or {}).get("measures") or ()
    if not measures:
        return True
    categorical = _categorical_scores()
    baselines: dict[tuple[Any, ...], str] = {}
    for m in measures:
        name = m.get("score_name", "score")
        codes = categorical.get((m["instrument"], name))
        if codes is not None and m["score"] not in codes:
            return False
        if m["timepoint"] == "baseline":
            key = (m["instrument"], name, m.get("value_set"))
            if key not in baselines or m["date"] < baselines[key]:
                baselines[key] = m["date"]
    for m in measures:
        if m["timepoint"] != "follow-up":
            continue
        start = baselines.get((m["instrument"], m.get("score_name", "score"), m.get("value_set")))
        if start is None or m["date"] < start:
            continue
        due = _DUE[start] if start in _DUE else _due(start)
        if due is None or _day(m["date"]) < due:
            return False
    return True


#: (side, start, end, months, index date) -> whether the window's dates are right.
_WINDOWS: dict[tuple[Any, ...], bool] = {}


def _window_clear(side: Any, start: Any, end: Any, months: int, index_date: Any) -> bool:
    """No finding of a window on its own (``SPC-C032`` to ``SPC-C034``, ``SPC-C036``)."""
    if end < start or _length_disagrees(start, end, months):
        return False
    return not ((side == "before" and end > index_date) or (side == "after" and start < index_date))


def _window(key: tuple[Any, ...]) -> bool:
    """Whether a window's dates are right, worked out and remembered."""
    return _remember(_WINDOWS, key, _window_clear(*key))


def _service_use_clear(data: Mapping[str, Any]) -> bool:
    windows = data.get("service_use") or ()
    if not windows:
        return True
    index_date = data["referral"]["date"]
    # The services counted so far per side and length (the function's keys, grouped).
    counted: dict[tuple[Any, int], set[Any]] = {}
    for w in windows:
        months, counts = w["months"], w["counts"]
        # 12.0 would share 12's remembered answer, and only a dict's names are surely
        # unique: otherwise ask the function.
        if type(months) is not int or type(counts) is not dict:
            return False
        side = w["relative_to_referral"]
        key = (side, w["start_on"], w["end_on"], months, index_date)
        clear = _WINDOWS.get(key)
        if clear is None:
            clear = _window(key)
        if not clear:
            return False
        services = counted.get((side, months))
        if services is None:
            counted[(side, months)] = set(counts)
        elif services.isdisjoint(counts):
            services.update(counts)
        else:
            return False
    return True


@functools.cache
def _retired_codes() -> tuple[tuple[tuple[str, ...], bool, frozenset[str]], ...]:
    """For each place a retired code can be: its tokens, whether they only name fields, and
    the codes retired there."""
    special = {deprecated_codes.ENTRY, deprecated_codes.KEY, deprecated_codes.VALUE}
    found = []
    for place in deprecated_codes.places(SCHEMA_NAME):
        codes = {c.code for c in load(place.codelist).codes}
        retired = frozenset(
            c for c in codes if deprecated_codes.retired(place.codelist, c) is not None
        )
        tokens = tuple(sys.intern(t) for t in place.tokens)  # interned, as the free-text tree is
        found.append((tokens, special.isdisjoint(tokens), retired))
    return tuple(found)


@functools.cache
def _other_retired_places() -> tuple[tuple[tuple[str, ...], frozenset[str]], ...]:
    """The places of :func:`_retired_codes` that do not only name fields."""
    return tuple((tokens, retired) for tokens, plain, retired in _retired_codes() if not plain)


def _no_retired_codes(data: Mapping[str, Any]) -> bool:
    for tokens, plain, retired in _retired_codes():
        if plain:  # a field's value: follow the names
            value: Any = data
            for token in tokens:
                if not (_is_mapping(value) and token in value):
                    break
                value = value[token]
            else:
                if isinstance(value, str) and value in retired:
                    return False
    return _other_retired_clear(data)


def _other_retired_clear(data: Mapping[str, Any]) -> bool:
    """No retired code in a place that is not only field names (list entries, map keys)."""
    for tokens, retired in _other_retired_places():
        for _, value in deprecated_codes._values(data, tokens, ()):
            if isinstance(value, str) and value in retired:
                return False
    return True


# -- personal data (spcore.cases.extracts) -------------------------------------------------

#: Where free text is, as a tree: whether a path ends here, and the tokens that go on
#: (``*``: every list entry), each with the rest of the tree.
_Node = tuple[bool, tuple[tuple[str, "_Node"], ...]]

#: Texts longer than this are scanned each time rather than remembered.
_LONGEST_REMEMBERED = 256

#: Text -> True when it holds no personal data.
_CLEAN: dict[str, bool] = {}


@functools.cache
def _free_text_tree() -> _Node:
    tree: dict[str | None, Any] = {}
    for path in free_text_paths(schemas.load(SCHEMA_NAME)):
        node = tree
        for token in path:
            node = node.setdefault(token, {})
        node[None] = None  # a path ends here

    def frozen(node: dict[str | None, Any]) -> _Node:
        # Names interned: the objects a worker's parser gives (spcore.cases.chunks.vocabulary),
        # so the compiled screen's lookups meet the same object.
        steps = tuple((sys.intern(t), frozen(below)) for t, below in node.items() if t is not None)
        return None in node, steps

    return frozen(tree)


def _clean(text: str) -> bool:
    clean = _CLEAN.get(text)
    if clean is None:
        clean = not may_hold(text) or not scan_text(text)
        if len(text) <= _LONGEST_REMEMBERED:
            _remember(_CLEAN, text, clean)
    return clean


def _text_clear(value: Any, node: _Node) -> bool:
    """Mirrors :func:`~spcore.validation.personal_data.scan_paths`: the same values, by path."""
    ends, steps = node
    if ends and isinstance(value, str) and not _clean(value):
        return False
    for token, below in steps:
        if token == "*" and isinstance(value, list):
            for entry in value:
                if not _text_clear(entry, below):
                    return False
        elif (type(value) is dict or isinstance(value, Mapping)) and token in value:
            child = value[token]
            if not below[1]:  # a path's end and nothing more: looked at here, for speed
                if isinstance(child, str) and not _clean(child):
                    return False
            elif not _text_clear(child, below):
                return False
    return True
