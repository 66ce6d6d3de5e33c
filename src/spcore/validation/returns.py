"""Validating a quarterly return: read it, check it against the schema, explain."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from os import PathLike
from pathlib import Path
from typing import Any

from pydantic import ValidationError as PydanticError

from spcore import schemas
from spcore.findings import Finding, error, has_errors, pointer
from spcore.framework.quarterly_return import QuarterlyReturn
from spcore.validation.loading import Loaded, parse_object
from spcore.validation.report import ValidationReport, sort_findings
from spcore.validation.schema_findings import findings_from_errors
from spcore.validation.sources import read_document

RETURN_SCHEMA = "quarterly-return"

#: Most schema findings reported for one document: past this, the rest add nothing.
MAX_SCHEMA_FINDINGS = 1000


def schema_findings(data: Mapping[str, Any], schema_name: str = RETURN_SCHEMA) -> list[Finding]:
    """Findings from checking ``data`` against the bundled schema ``schema_name``."""
    validator = schemas.validator(schema_name)
    findings: list[Finding] = []
    for finding in findings_from_errors(validator.iter_errors(data)):
        findings.append(finding)
        if len(findings) >= MAX_SCHEMA_FINDINGS:
            break
    return findings


def model_findings(data: Mapping[str, Any]) -> list[Finding]:
    """Findings the schema's form cannot express, from parsing into the typed model.

    Run only on schema-valid documents: what remains is, for example, a quarter
    whose two years are not consecutive (``2025-27 Q1``).
    """
    try:
        QuarterlyReturn.model_validate(data)
    except PydanticError as exc:
        return [
            error(
                "SPC-S009",
                pointer(*(str(p) for p in e["loc"])),
                _pydantic_message(e["msg"]),
            )
            for e in exc.errors(include_url=False)
        ]
    return []


def _pydantic_message(msg: str) -> str:
    text = msg.removeprefix("Value error, ")
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def validate_loaded(
    loaded: Loaded, source: str, locations: Mapping[str, str] | None = None
) -> ValidationReport:
    """Validate a document that has been read (or failed to be)."""
    places = dict(locations or {})
    if loaded.data is None:
        return ValidationReport(
            source, sort_findings(list(loaded.findings)), readable=False, locations=places
        )
    findings = list(loaded.findings) + schema_findings(loaded.data)
    if not has_errors(findings):
        findings += model_findings(loaded.data)
    return ValidationReport(source, sort_findings(findings), locations=places)


def validate_return(document: Mapping[str, Any] | str | PathLike[str]) -> ValidationReport:
    """Validate a quarterly return given as a parsed JSON object or a path to a JSON file.

    Never raises for bad input: an unreadable or malformed file gives a report
    with ``readable=False`` and an ``SPC-F`` finding.
    """
    if isinstance(document, str | PathLike):
        path = Path(document)
        source = read_document(path)
        return validate_loaded(source.loaded, str(path), source.locations)
    return validate_loaded(parse_object(document), "<object>")


def validate_returns(
    documents: Iterable[Mapping[str, Any] | str | PathLike[str]],
) -> list[ValidationReport]:
    """Validate several returns, one report each, in the order given."""
    return [validate_return(document) for document in documents]


def parse_return(document: Mapping[str, Any]) -> QuarterlyReturn:
    """Parse a valid return into the typed model (raises pydantic's error when invalid)."""
    return QuarterlyReturn.model_validate(document)
