"""Findings: the one shape every check in spcore reports a problem in.

A finding never carries an exception or a traceback. It names a stable,
documented code (for example ``SPC-S001``), a severity, a JSON Pointer into
the document that was checked, and one sentence a scheme administrator
understands.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

import attrs


class Severity(enum.StrEnum):
    """How serious a finding is.

    ``error`` means the document is wrong (impossible, or breaks the
    standard); ``warning`` means it is implausible and worth a second look.
    """

    ERROR = "error"
    WARNING = "warning"


def escape_pointer_token(token: str | int) -> str:
    """Escape one JSON Pointer reference token (RFC 6901, section 3)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(*tokens: str | int) -> str:
    """Build a JSON Pointer from reference tokens: ``pointer("a", 0) == "/a/0"``."""
    return "".join("/" + escape_pointer_token(t) for t in tokens)


@attrs.frozen
class Finding:
    """One problem found in a document.

    Attributes:
        code: stable identifier, documented in the rule catalogue.
        severity: ``error`` or ``warning``.
        path: JSON Pointer (RFC 6901) to the offending value; ``""`` is the
            whole document.
        message: one plain-English sentence saying what is wrong and, where
            possible, how to put it right.
    """

    code: str
    severity: Severity
    path: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        """Return the finding as a JSON-ready dictionary."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "path": self.path,
            "message": self.message,
        }


def error(code: str, path: str, message: str) -> Finding:
    """Shorthand for an error-severity finding."""
    return Finding(code, Severity.ERROR, path, message)


def warning(code: str, path: str, message: str) -> Finding:
    """Shorthand for a warning-severity finding."""
    return Finding(code, Severity.WARNING, path, message)


def at_line(finding: Finding, line: int) -> Finding:
    """The finding placed on line ``line`` of a file read line by line (NDJSON, CSV).

    Its path becomes ``/lines/N`` followed by its own path, the form every
    command prints as ``FILE:N:`` (:func:`spcore.wording.finding_line`); line 0
    (a file not read by lines) leaves it as it is.
    """
    if not line:
        return finding
    return attrs.evolve(finding, path=pointer("lines", line) + finding.path)


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when any of the findings is an error."""
    return any(f.severity is Severity.ERROR for f in findings)
