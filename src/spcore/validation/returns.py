"""Validating a quarterly return: read it, check it against the schema and the rules, explain.

The order is fixed: the file must be readable JSON; the document is checked
against the JSON Schema; a schema-valid document is parsed into the typed
model (``SPC-S009`` for what only the model can see); a document that parses
is checked by the business rules (``SPC-R…``, :mod:`spcore.validation.rules`).
Personal data is looked for in every readable document, valid or not.
Several returns validated together are also checked against each other.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from os import PathLike
from pathlib import Path
from typing import Any, cast

import attrs
import jsonschema
import referencing
from pydantic import ValidationError as PydanticError
from referencing.jsonschema import DRAFT202012

from spcore import schemas
from spcore.findings import Finding, error, has_errors, pointer
from spcore.framework.quarterly_return import QuarterlyReturn
from spcore.schemas import index as schema_index
from spcore.validation.loading import Loaded, parse_object
from spcore.validation.migration import migration_findings
from spcore.validation.report import ValidationReport, sort_findings
from spcore.validation.rules import (
    RuleContext,
    cross_return_findings,
    document_findings,
    return_findings,
)
from spcore.validation.schema_findings import findings_from_errors
from spcore.validation.sources import read_document

RETURN_SCHEMA = "quarterly-return"

#: Most schema findings reported for one document: past this, the rest add nothing.
MAX_SCHEMA_FINDINGS = 1000


def schema_findings(data: Mapping[str, Any], schema_name: str = RETURN_SCHEMA) -> list[Finding]:
    """Findings from checking ``data`` against the bundled schema ``schema_name``."""
    # On JSON data the compiled validator accepts only what the reference accepts, in a
    # fraction of the time; the reference alone says what is wrong, in its own words.
    if _plain_json(data) and schemas.compiled(schema_name).is_valid(data):
        return []
    validator = schemas.validator(schema_name)
    findings: list[Finding] = []
    for finding in findings_from_errors(validator.iter_errors(data)):
        findings.append(finding)
        if len(findings) >= MAX_SCHEMA_FINDINGS:
            break
    return findings


_JSON_TYPES = frozenset({dict, list, str, int, float, bool, type(None)})


def _plain_json(document: Any) -> bool:
    """True when ``document`` holds only the types JSON parses to (no ``Decimal``, no dates).

    ``jsonschema-rs`` reads a ``Decimal`` as a number where the reference refuses it, and
    refuses a date where the reference may accept it; such documents go to the reference.
    """
    stack = [document]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind not in _JSON_TYPES:
            return False
        if kind is dict:
            if not all(type(k) is str for k in item):
                return False
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
    return True


@functools.cache
def _list_length_validator() -> Any:
    """A validator of the return schema that checks list lengths without entering lists.

    Every ``items``, ``prefixItems`` and ``contains`` is dropped, so checking a
    document costs time in proportion to its objects outside lists, however
    long its lists are.
    """

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: strip(v)
                for k, v in node.items()
                if k not in ("items", "prefixItems", "contains", "unevaluatedItems")
            }
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    stripped = {name: strip(schemas.load(name)) for name in schemas.names()}
    registry = referencing.Registry().with_resources(
        (schema["$id"], DRAFT202012.create_resource(schema)) for schema in stripped.values()
    )
    return jsonschema.Draft202012Validator(stripped[RETURN_SCHEMA], registry=registry)


def _longest_in(document: Any) -> int:
    """The length of the longest list in ``document`` (iterative)."""
    longest = 0
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            longest = max(longest, len(item))
            stack.extend(v for v in item if isinstance(v, dict | list))
    return longest


def bounded_lists(document: Mapping[str, Any]) -> Mapping[str, Any]:
    """``document`` with every list longer than its schema allows cut to one entry more.

    The schema walk then reports the list once (``maxItems``) and neither it
    nor the personal-data scan walks the entries past the limit. Lists inside
    lists are cut at the schema's longest ``maxItems``. Nothing is copied
    unless something is cut.
    """
    if _longest_in(document) <= schema_index.list_limits()[0]:
        return document  # no list is longer than the shortest maxItems: nothing to cut
    cuts: dict[tuple[Any, ...], int] = {}
    errors = list(_list_length_validator().iter_errors(document))
    while errors:
        err = errors.pop()
        errors.extend(err.context or ())  # a list inside anyOf (a nullable section)
        if err.validator == "maxItems" and isinstance(err.validator_value, int):
            cuts[tuple(err.absolute_path)] = err.validator_value + 1
    bounded: Any = _cut(document, (), cuts, schema_index.list_limits()[1] + 1)
    return cast(Mapping[str, Any], bounded)


def _cut(value: Any, path: tuple[Any, ...], cuts: dict[tuple[Any, ...], int], limit: int) -> Any:
    # The loader has bounded the depth, so the recursion is shallow.
    if isinstance(value, list):
        kept = value[: cuts.get(path, limit)]
        cut = [_cut(v, (*path, i), cuts, limit) for i, v in enumerate(kept)]
        if len(kept) < len(value) or any(a is not b for a, b in zip(cut, kept, strict=True)):
            return cut
        return value
    if isinstance(value, dict):
        changed = {k: _cut(v, (*path, k), cuts, limit) for k, v in value.items()}
        if any(changed[k] is not v for k, v in value.items()):
            return changed
        return value
    return value


def model_findings(data: Mapping[str, Any]) -> list[Finding]:
    """Findings the schema's form cannot express, from parsing into the typed model.

    Run only on schema-valid documents: what remains is, for example, a quarter
    whose two years are not consecutive (``2025-27 Q1``).
    """
    return _parse(data)[1]


def _parse(data: Mapping[str, Any]) -> tuple[QuarterlyReturn | None, list[Finding]]:
    """The typed return, or ``None`` and the ``SPC-S009`` findings that stop it parsing."""
    try:
        return QuarterlyReturn.model_validate(data), []
    except PydanticError as exc:
        return None, [
            error(
                "SPC-S009",
                pointer(*(str(p) for p in e["loc"])),
                _pydantic_message(e["msg"]),
            )
            for e in exc.errors(include_url=False)
        ]


def _pydantic_message(msg: str) -> str:
    text = msg.removeprefix("Value error, ")
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def validate_loaded(
    loaded: Loaded,
    source: str,
    locations: Mapping[str, str] | None = None,
    *,
    today: dt.date | None = None,
) -> ValidationReport:
    """Validate a document that has been read (or failed to be).

    ``today`` is the date the period and dates are checked against
    (``datetime.date.today()`` unless given).
    """
    return _checked(loaded, source, locations, today)[0]


def _checked(
    loaded: Loaded,
    source: str,
    locations: Mapping[str, str] | None,
    today: dt.date | None,
) -> tuple[ValidationReport, RuleContext | None]:
    """The report, and the rule context when the document parsed (for cross-return rules)."""
    places = dict(locations or {})
    if loaded.data is None:
        report = ValidationReport(
            source, sort_findings(list(loaded.findings)), readable=False, locations=places
        )
        return report, None
    # A list past the schema's longest is cut to one entry more than allowed before the
    # schema walk and the personal-data scan, which then report it once (maxItems)
    # instead of walking every entry of a hostile document.
    data = bounded_lists(loaded.data)
    migration = migration_findings(data)
    schema = schema_findings(data)
    if migration:
        # The version's fixed value is explained by the migration finding.
        schema = [f for f in schema if f.path != "/standard_version"]
    findings = list(loaded.findings) + migration + schema
    context: RuleContext | None = None
    rules_checked = not has_errors(findings)
    if rules_checked:
        parsed, problems = _parse(data)
        findings += problems
        if parsed is not None:
            day = today or dt.date.today()
            context = RuleContext(parsed, data, day)
            findings += return_findings(parsed, data, day)
        else:
            rules_checked = False
    findings += document_findings(data)
    report = ValidationReport(
        source, sort_findings(findings), locations=places, rules_checked=rules_checked
    )
    return report, context


#: What a return may be given as: JSON data, a path, or the typed model.
ReturnInput = Mapping[str, Any] | str | PathLike[str] | QuarterlyReturn


def _load(document: ReturnInput) -> tuple[Loaded, str, Any]:
    if isinstance(document, QuarterlyReturn):
        # Checked as the JSON it stands for, with the schema's field names.
        return parse_object(document.to_dict()), "<model>", None
    if isinstance(document, str | PathLike):
        path = Path(document)
        read = read_document(path)
        return read.loaded, str(path), read.locations
    return parse_object(document), "<object>", None


def validate_return(document: ReturnInput, *, today: dt.date | None = None) -> ValidationReport:
    """Validate a quarterly return: parsed JSON data, a path to a file, or a ``QuarterlyReturn``.

    Never raises for bad input: an unreadable or malformed file gives a report
    with ``readable=False`` and an ``SPC-F`` finding. ``today`` is the date
    the period is checked against (``datetime.date.today()`` unless given).
    """
    return validate_loaded(*_load(document), today=today)


def validate_returns(
    documents: Iterable[ReturnInput],
    *,
    today: dt.date | None = None,
) -> list[ValidationReport]:
    """Validate several returns of one scheme: one report each, in the order given.

    Besides each return's own findings, the returns are checked against each
    other (no two for the same quarter; one scheme identity), and each such
    finding is added to the report of the return it concerns. Returns that
    could not be read or parsed take no part in those checks.
    """
    checked = [_checked(*_load(document), today) for document in documents]
    reports = [report for report, _ in checked]
    parsed = [
        (i, ctx._replace(label=_label(reports[i].source, i)))
        for i, (_, ctx) in enumerate(checked)
        if ctx is not None
    ]
    if len(parsed) < 2:
        return reports
    extra: dict[int, list[Finding]] = {}
    for index, finding in cross_return_findings([ctx for _, ctx in parsed]):
        targets = [parsed[index][0]] if index is not None else [i for i, _ in parsed]
        for target in targets:
            extra.setdefault(target, []).append(finding)
    for target, findings in extra.items():
        report = reports[target]
        reports[target] = attrs.evolve(
            report, findings=sort_findings([*report.findings, *findings])
        )
    return reports


def _label(source: str, index: int) -> str:
    """How a return is named in findings about other returns: its file, or its place."""
    return source if source not in ("<object>", "<model>") else f"return {index + 1} of those given"


def parse_return(document: Mapping[str, Any]) -> QuarterlyReturn:
    """Parse a valid return into the typed model (raises pydantic's error when invalid)."""
    return QuarterlyReturn.model_validate(document)
