"""Checking one case record, as a system embedding spcore does before it sends one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spcore.cases.extracts import parse_json
from spcore.cases.fastcheck import check_record
from spcore.findings import Finding, error
from spcore.framework.case_record import CaseRecord


def check_case(record: Mapping[str, Any] | CaseRecord | str) -> tuple[Finding, ...]:
    """Check one case record against the standard; ``()`` when it is valid.

    ``record`` is JSON data (a dict), JSON text, or a :class:`CaseRecord`.
    Every problem is a finding in plain English — a stable code, the JSON
    Pointer of the value and a sentence saying what is wrong and what form is
    expected (for a case identifier: 4 to 128 letters, digits, ``_`` or
    ``-``) — exactly as ``spcore cases check`` reports a line of an extract.
    Never raises for bad input. (``CaseRecord.model_validate`` gives pydantic's
    ``ValidationError`` instead, for code that wants the model.)
    """
    if isinstance(record, CaseRecord):
        return check_record(record.to_dict())
    if isinstance(record, str):
        data, problem = parse_json(record)
        if problem is not None:
            return (problem,)
        return check_record(data, source_text=record)
    if not isinstance(record, Mapping):
        return (
            error(
                "SPC-S003",
                "",
                f"A case record is a JSON object (a dict), not {type(record).__name__}.",
            ),
        )
    return check_record(dict(record))
