"""Fast validation of case records, reporting exactly what the reference validator reports.

The **reference path** is plain ``jsonschema``:
``spcore.schemas.validator("case-record").iter_errors(record)`` turned into
findings by :func:`spcore.validation.schema_findings.findings_from_errors`.
It is the definition of "the problems in a record", and it takes about 1 ms
a record — some 17 minutes for a million-case extract (benchmarks/README.md).

The **fast path** runs the same published schema through the compiled
``jsonschema-rs`` validator (about 12 µs a synthetic record). A valid record
costs two substring tests more. For an invalid record, each ``jsonschema-rs``
error is rebuilt as the ``jsonschema`` error the reference would raise (same keyword, subschema,
instance, value and path; ``anyOf`` branches as its context) and passed
through the same ``findings_from_errors``, so the sentences are identical.
Findings from both paths are sorted by location (:func:`sort_findings`).
Before either, where spcore was built with it, the compiled proof of
:mod:`spcore.schemas.program` is asked: a record it proves valid has no
findings, and is answered in about half the time ``jsonschema-rs`` takes.

Two engines, one standard — where they read the schema differently the
reference wins:

* ``format: date``: the reference accepts only years 0001-9999 (Python's
  ``date.fromisoformat``); ``jsonschema-rs`` also accepts year ``0000``. The
  compiled date check is therefore used only when no ``0000-`` can be in the
  record: when the caller passes the text the record came from and that text
  contains neither ``0000-`` nor a backslash (which could start an escape
  spelling ``0000``), or, without the text, when the record written by
  ``orjson`` holds no ``0000-``. Otherwise the validator built with the
  reference's own date check is used (about twice as slow, still compiled).
* ``pattern``: the reference uses Python's ``re.search``, whose ``$`` also
  matches before a final newline, so ``"ABCD\\n"`` passes an identifier
  pattern. A ``jsonschema-rs`` pattern error is kept only when Python's ``re``
  agrees.
* Anything the rebuilding does not cover (an error keyword the case-record
  schema does not use, an error about a key of a map keyed by a codelist, a
  value ``jsonschema-rs`` cannot convert such as a lone surrogate) sends that
  record down the reference path.

Tests compare both paths on valid records and on every kind of invalid one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

import orjson
from jsonschema.exceptions import ValidationError

from spcore import schemas
from spcore.findings import Finding
from spcore.schemas import program
from spcore.validation.schema_findings import findings_from_errors

SCHEMA_NAME = "case-record"

#: Error keywords rebuilt from ``jsonschema-rs``; every keyword the case-record
#: schema uses is here. Anything else goes down the reference path.
_REBUILT = frozenset(
    {
        "type",
        "enum",
        "const",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "pattern",
        "format",
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
        "required",
        "additionalProperties",
        "anyOf",
    }
)

#: Marker of the only date the compiled check accepts and the reference refuses. No
#: quote before it: in a CSV row a date cell is bare text.
_YEAR_ZERO = "0000-"


class _NotRebuiltError(Exception):
    """An error the fast path cannot rebuild faithfully: use the reference path."""


@functools.cache
def _compiled(reference_dates: bool) -> Any:
    return schemas.compiled(SCHEMA_NAME, reference_dates=reference_dates)


@functools.cache
def quick_is_valid() -> Any:
    """The compiled validator's ``is_valid`` (dates read as ``jsonschema-rs`` reads
    them), answered without it whenever the compiled proof of
    :mod:`spcore.schemas.program` proves the record valid."""
    return program.proving(SCHEMA_NAME, _compiled(False).is_valid)


@functools.cache
def _documents() -> dict[str, Any]:
    """The bundled schemas by ``$id``: the subschemas errors are rebuilt against."""
    return {schemas.schema_id(n): schemas.load(n) for n in schemas.names()}


def reference_findings(record: Any) -> tuple[Finding, ...]:
    """The findings of the plain ``jsonschema`` reference path, sorted by location."""
    errors = schemas.validator(SCHEMA_NAME).iter_errors(record)
    return sort_findings(findings_from_errors(errors))


def check_record(record: Any, *, source_text: str | None = None) -> tuple[Finding, ...]:
    """Validate one case record against the schema; ``()`` when it is valid.

    Reports exactly the findings of :func:`reference_findings`, far faster.
    ``source_text`` is the JSON (or CSV row) text the record was parsed from;
    when given, a cheap look at it lets the fastest date check be used (without
    it, the record is written as JSON to look at).
    """
    proof = program.proof(SCHEMA_NAME)
    if proof is not None and proof(record):
        return ()  # proved valid, so the reference finds nothing
    reference_dates = _year_zero_possible(record, source_text)
    try:
        errors = list(_compiled(reference_dates).iter_errors(record))
    except Exception:  # a value jsonschema-rs cannot take (lone surrogate, ...)
        return reference_findings(record)
    if not errors:
        return ()
    try:
        rebuilt = [e for e in (_rebuild(err, record, ()) for err in errors) if e is not None]
    except _NotRebuiltError:
        return reference_findings(record)
    return sort_findings(findings_from_errors(rebuilt))


def _year_zero_possible(record: Any, source_text: str | None) -> bool:
    """Whether a date of the record might be in year 0000 (see the module's text)."""
    if source_text is not None:
        # A JSON escape ("\u0030...") could spell year 0000 without the marker; a lone
        # backslash is found far faster than "\u" and case records seldom hold one.
        return _YEAR_ZERO in source_text or "\\" in source_text
    try:
        # orjson writes every string as it is (escaping only quotes, backslashes and
        # control characters), so a year 0000 in any string shows in the writing.
        return _YEAR_ZERO.encode() in orjson.dumps(record)
    except (TypeError, ValueError):  # keys that are not text, huge integers, surrogates...
        return True


def is_valid(record: Any, *, source_text: str | None = None) -> bool:
    """True when the record is valid against the case-record schema."""
    return not check_record(record, source_text=source_text)


def _rebuild(err: Any, record: Any, parent_path: tuple[str | int, ...]) -> ValidationError | None:
    """The ``jsonschema`` error the reference path would raise for ``err``, or None if none."""
    keyword = err.kind.name
    if keyword not in _REBUILT:
        raise _NotRebuiltError(keyword)
    path = _keys_as_text(record, tuple(err.instance_path))
    if "/propertyNames" in str(err.absolute_keyword_location):
        # A map keyed by a codelist (service use counts): the error is about a key, which
        # the reference reports in its own way and a numeric key would be misread as an index.
        raise _NotRebuiltError("propertyNames")
    schema = _subschema(err.absolute_keyword_location)
    instance = _at(record, path)
    if (
        keyword == "pattern"
        and isinstance(instance, str)
        and re.search(schema["pattern"], instance)
    ):
        return None  # Python's "$" matches before a final newline; the reference passes it
    context: list[ValidationError] = []
    if keyword == "anyOf":
        for branch in err.kind.context:
            kept = [e for e in (_rebuild(sub, record, path) for sub in branch) if e is not None]
            if not kept:
                return None  # a branch passes once Python's reading of a pattern is applied
            context.extend(kept)
    if keyword == "required":
        message = f"{err.kind.property!r} is a required property"
    else:
        message = err.message
    return ValidationError(
        message,
        validator=keyword,
        path=path[len(parent_path) :],
        context=context,
        validator_value=schema.get(keyword),
        instance=instance,
        schema=schema,
        schema_path=tuple(err.schema_path),
    )


@functools.cache
def _subschema(location: str | None) -> Any:
    """The schema object holding the keyword at ``location`` (an absolute URI with pointer)."""
    if not location or "#" not in location:
        raise _NotRebuiltError(str(location))
    uri, fragment = location.split("#", 1)
    node: Any = _documents().get(uri)
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in fragment.split("/")[1:]]
    for token in tokens[:-1]:
        if isinstance(node, list):
            node = node[int(token)]
        elif isinstance(node, dict) and token in node:
            node = node[token]
        else:
            raise _NotRebuiltError(location)
    if not isinstance(node, dict):
        raise _NotRebuiltError(location)
    return node


def _keys_as_text(document: Any, path: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """``path`` with each step into an object as text: ``jsonschema-rs`` gives a key such as
    ``"0"`` as the number 0, which would read as a list index."""
    node, out = document, []
    for token in path:
        if isinstance(node, dict) and not isinstance(token, str):
            token = str(token)
        if isinstance(node, dict | list):
            try:
                node = node[token]  # type: ignore[index]
            except (KeyError, IndexError, TypeError):
                raise _NotRebuiltError(str(path)) from None
        out.append(token)
    return tuple(out)


def _at(document: Any, path: Iterable[str | int]) -> Any:
    """The original Python value at ``path`` (not jsonschema-rs's converted copy)."""
    node = document
    for token in path:
        node = node[token]
    return node


def _sort_key(finding: Finding) -> tuple[Any, ...]:
    tokens = tuple(
        (0, int(t), "") if t.isascii() and t.isdigit() else (1, 0, t)
        for t in finding.path.split("/")[1:]
    )
    return (tokens, finding.code, finding.message)


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Findings in document order: by location (list positions numerically), code, message."""
    return tuple(sorted(findings, key=_sort_key))
