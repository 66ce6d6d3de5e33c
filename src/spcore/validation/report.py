"""The result of validating a document: its findings and what they add up to."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import attrs

from spcore.findings import Finding, Severity
from spcore.validation.explanations import explain
from spcore.validation.grouping import FindingGroup, field_pattern, group_findings, is_index

#: How many occurrences of each group a report shows unless told otherwise.
DEFAULT_MAX_PER_GROUP = 5


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
        rules_checked: False when the business rules (``SPC-R…``) did not run
            because the return breaks the schema: they wait for those errors
            to be fixed, and the reports say so.
    """

    source: str
    findings: tuple[Finding, ...] = ()
    readable: bool = True
    locations: Mapping[str, str] = attrs.field(factory=dict)
    rules_checked: bool = True

    @property
    def waiting(self) -> str | None:
        """Which checks wait for which errors to be fixed, in one sentence; None if none wait."""
        if self.rules_checked or not self.readable:
            return None
        # The first in the order the reports list them (errors, then by the return's order).
        first = next(
            (
                g.findings[0]
                for g in self.groups()
                if g.severity is Severity.ERROR and g.code.startswith("SPC-S")
            ),
            None,
        )
        where = ""
        if first is not None:
            where = f" (the first at {self.location_of(first) or first.path or 'the top'})"
        return (
            "The business rules (SPC-R codes: totals, breakdowns, dates) have not been "
            "checked yet: they need the return to pass the schema, so they wait for the "
            f"schema errors below to be fixed{where}."
        )

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

    @property
    def verdict(self) -> str:
        """One phrase for the whole document: valid, valid with warnings, NOT valid, unreadable."""
        if not self.readable:
            return "cannot be read"
        if self.errors:
            return "NOT valid"
        return "valid, with warnings" if self.warnings else "valid"

    def groups(self) -> tuple[FindingGroup, ...]:
        """The findings grouped by code and field, errors first, then in document order."""
        return group_findings(self.findings)

    def where(self, finding: Finding) -> str:
        """Where to look for a finding: its spreadsheet location, else its JSON Pointer."""
        return self.location_of(finding) or finding.path or "the whole document"

    def to_dict(self) -> dict[str, Any]:
        """The report as a JSON-ready dictionary (the stable ``--format json`` shape).

        Keys are documented in ``docs/validation-reports.md`` and described by
        the JSON Schema :func:`spcore.validation.render_json.report_schema`.
        ``groups`` refer to findings by their position in ``findings``.
        """
        positions: dict[tuple[str, Severity, str], list[int]] = {}
        for i, f in enumerate(self.findings):
            positions.setdefault((f.code, f.severity, field_pattern(f.path)), []).append(i)
        return {
            "source": self.source,
            "readable": self.readable,
            "valid": self.is_valid,
            "verdict": self.verdict,
            "counts": self.counts(),
            "rules_checked": self.rules_checked and self.readable,
            "waiting": self.waiting,
            "findings": [
                {
                    "code": f.code,
                    "severity": f.severity.value,
                    "path": f.path,
                    "location": self.location_of(f),
                    "message": f.message,
                }
                for f in self.findings
            ],
            "groups": [
                {
                    "code": g.code,
                    "severity": g.severity.value,
                    "field": g.field,
                    "title": g.title,
                    "section": g.section,
                    "section_title": g.section_title,
                    "count": g.count,
                    **explain(g.code).to_dict(),
                    "findings": positions[(g.code, g.severity, g.field)],
                }
                for g in self.groups()
            ],
        }

    def render(
        self, fmt: str = "text", *, max_per_group: int | None = DEFAULT_MAX_PER_GROUP
    ) -> str:
        """This report as ``text``, ``json`` or ``html`` (see :func:`render_reports`)."""
        from spcore.validation.rendering import render_reports

        return render_reports([self], fmt, max_per_group=max_per_group)


def _path_key(path: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key for a JSON Pointer that puts list entry 2 before list entry 10."""
    return tuple(
        (0, int(token), "") if is_index(token) else (1, 0, token) for token in path.split("/")
    )


def sort_findings(findings: list[Finding]) -> tuple[Finding, ...]:
    """Errors before warnings, then by path (list entries in number order) and code."""
    order = {Severity.ERROR: 0, Severity.WARNING: 1}
    return tuple(
        sorted(
            findings,
            key=lambda f: (order.get(f.severity, 2), _path_key(f.path), f.code, f.message),
        )
    )
