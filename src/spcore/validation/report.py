"""The result of validating a document: its findings and what they add up to."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import attrs

from spcore.findings import Finding, Severity


@attrs.frozen
class ValidationReport:
    """Findings for one document.

    Attributes:
        source: where the document came from (a file path, or ``"<object>"``).
        findings: every finding, errors first, then by path.
        readable: False when the document could not be read or parsed at all
            (the CLI exits with status 2 for such a file).
        locations: where each part of the document came from when it was read
            from a spreadsheet: JSON Pointer -> a place a person can find, such
            as ``"sheet 'Outputs', row 7 (People referred)"``. Empty for JSON.
    """

    source: str
    findings: tuple[Finding, ...] = ()
    readable: bool = True
    locations: Mapping[str, str] = attrs.field(factory=dict)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The error findings."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The warning findings."""
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def is_valid(self) -> bool:
        """True when the document was read and has no errors (warnings allowed)."""
        return self.readable and not self.errors

    def counts(self) -> dict[str, int]:
        """Number of findings by severity (every severity present, zero or not)."""
        counter = Counter(f.severity.value for f in self.findings)
        return {s.value: counter.get(s.value, 0) for s in Severity}

    def location_of(self, finding: Finding) -> str | None:
        """Where a finding is in the spreadsheet the document came from, if it came from one.

        Uses the deepest part of the finding's path that has a known location,
        so a finding inside a breakdown points at the breakdown's sheet.
        """
        path = finding.path
        while True:
            if path in self.locations:
                return self.locations[path]
            if not path:
                return None
            path = path.rsplit("/", 1)[0]

    def to_dict(self) -> dict[str, Any]:
        """The report as a JSON-ready dictionary (the stable ``--format json`` shape)."""
        return {
            "source": self.source,
            "readable": self.readable,
            "valid": self.is_valid,
            "counts": self.counts(),
            "findings": [f.to_dict() for f in self.findings],
        }


def sort_findings(findings: list[Finding]) -> tuple[Finding, ...]:
    """Errors before warnings, then by path and code, so output is stable."""
    order = {Severity.ERROR: 0, Severity.WARNING: 1}
    return tuple(sorted(findings, key=lambda f: (order[f.severity], f.path, f.code, f.message)))
