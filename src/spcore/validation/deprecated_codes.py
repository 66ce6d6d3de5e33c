"""Retired codes: still valid, and always reported with the code to use instead.

A codelist retires a code in its ``Deprecated`` column, which starts
``Use <code>.`` and says why (the case closure reason ``escalated`` became
``handed-over``). The schemas keep a retired code, so a document written
before stays valid; these checks warn wherever one is used, in a quarterly
return (``SPC-R082``) or a case record (``SPC-C037``), naming the replacement.

Where a code can appear is read from the bundled schema (every node that
names its ``codelist``, as a value, a list entry or a breakdown's key; walked
when the schemas are generated, see :mod:`spcore.schemas.index`), so a code
retired in any codelist is found without a list of fields here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from spcore.findings import Finding, pointer, warning
from spcore.framework.codelists import Code, load
from spcore.schemas import index
from spcore.schemas.index import ENTRY, KEY, VALUE


class Place(NamedTuple):
    """Where a code of a codelist that retires codes can appear in a document.

    ``tokens`` are property names and :data:`ENTRY`, :data:`KEY` or :data:`VALUE`;
    the last one says whether the code is a value or a breakdown's key.
    """

    tokens: tuple[str, ...]
    codelist: str


@functools.cache
def places(schema_name: str) -> tuple[Place, ...]:
    """Every place in documents of ``schema_name`` that holds a code some codelist retired.

    Read from the schemas' generated index (:mod:`spcore.schemas.index`, which walks them).
    """
    return tuple(Place(tokens, codelist) for tokens, codelist in index.places(schema_name))


def _values(data: Any, tokens: tuple[str, ...], path: tuple[str | int, ...]) -> Iterator[Any]:
    """``(path, value)`` for every value of ``data`` at a place's ``tokens``."""
    if not tokens:
        yield path, data
        return
    token, rest = tokens[0], tokens[1:]
    if token == ENTRY and isinstance(data, list):
        for index, item in enumerate(data):
            yield from _values(item, rest, (*path, index))
    elif token == KEY and isinstance(data, Mapping):
        for key in data:
            yield (*path, key), key
    elif token == VALUE and isinstance(data, Mapping):
        for key, value in data.items():
            yield from _values(value, rest, (*path, key))
    elif isinstance(data, Mapping) and token in data:
        yield from _values(data[token], rest, (*path, token))


def retired(codelist: str, value: Any) -> Code | None:
    """The codelist's entry for ``value`` when it is a retired code, else None."""
    if not isinstance(value, str):
        return None
    entry = next((c for c in load(codelist).codes if c.code == value), None)
    return entry if entry is not None and entry.deprecated else None


def problems(data: Any, schema_name: str) -> Iterator[tuple[str, str]]:
    """``(JSON Pointer, message)`` for every retired code in ``data``.

    Args:
        data: the document's JSON data (valid against the schema or not).
        schema_name: the bundled schema it follows (``quarterly-return``, ``case-record``).
    """
    for place in places(schema_name):
        for path, value in _values(data, place.tokens, ()):
            entry = retired(place.codelist, value)
            if entry is not None:
                yield pointer(*path), message(place.codelist, entry)


def findings(data: Any, schema_name: str, code: str) -> list[Finding]:
    """A warning ``code`` for every retired code in ``data`` (see :func:`problems`)."""
    return [warning(code, path, text) for path, text in problems(data, schema_name)]


def message(codelist: str, entry: Code) -> str:
    """What to write instead of a retired code, and why."""
    title = load(codelist).info.title.lower()
    instead = f"use '{entry.replacement}' instead" if entry.replacement else "see its note"
    why = entry.deprecated
    if entry.replacement and why.startswith(f"Use {entry.replacement}."):
        why = why[len(f"Use {entry.replacement}.") :].strip()
    return f"The {title} '{entry.code}' is retired: {instead}." + (f" {why}" if why else "")


__all__ = ["ENTRY", "KEY", "VALUE", "Place", "findings", "message", "places", "problems", "retired"]
