"""The plain-text validation report: what a scheme administrator reads in a terminal.

Each file gets a header line with its verdict and counts; then its findings,
grouped by code and field, under "Errors" and "Warnings", each part in the
order of the return's sections. A group shows its first few occurrences and
says how many more there are. Every line fits in 80 columns, and text from
the document is stripped of control characters, so a hostile value cannot
move the cursor or recolour the terminal.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from spcore.findings import Severity
from spcore.framework.bibliography import readable
from spcore.validation.explanations import explain
from spcore.validation.grouping import FindingGroup
from spcore.validation.render_common import (
    SEVERITY_HEADINGS,
    SHARED_MESSAGE,
    clean,
    group_name,
    more_line,
    plural,
)
from spcore.validation.report import DEFAULT_MAX_PER_GROUP, ValidationReport

#: Widest line written (a classic terminal).
WIDTH = 80

# ANSI Select Graphic Rendition codes.
_STYLES = {"error": "1;31", "warning": "1;33", "valid": "1;32", "heading": "1", "code": "1"}


class _Writer:
    """Collects lines, wrapping at :data:`WIDTH` and colouring when asked."""

    def __init__(self, colour: bool) -> None:
        self.colour = colour
        self.lines: list[str] = []

    def style(self, text: str, name: str) -> str:
        return f"\x1b[{_STYLES[name]}m{text}\x1b[0m" if self.colour else text

    def wrap(self, text: str, indent: int, hanging: int | None = None) -> None:
        """Add ``text`` wrapped to the width, indented; long words are broken, not overflowed.

        ``text`` must already be :func:`clean`: styles added here are control codes.
        """
        first = " " * indent
        rest = " " * (indent if hanging is None else hanging)
        self.lines += textwrap.wrap(
            text,
            width=WIDTH,
            initial_indent=first,
            subsequent_indent=rest,
            break_on_hyphens=False,
        ) or [first.rstrip()]

    def blank(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")


def _verdict_style(report: ValidationReport) -> str:
    if report.errors or not report.readable:
        return "error"
    return "warning" if report.warnings else "valid"


def _group(out: _Writer, report: ValidationReport, group: FindingGroup, limit: int | None) -> None:
    explanation = explain(group.code)
    name = clean(group_name(group))
    name = f" {name}" if name else ""
    out.wrap(
        f"{out.style(group.code, 'code')}{name}: {plural(group.count, 'finding')}",
        indent=4,
        hanging=6,
    )
    about = explanation.title or explanation.meaning
    if about:
        out.wrap(clean(about), indent=6)
    if explanation.source:
        out.wrap(f"Source: {clean(readable(explanation.source))}", indent=6, hanging=8)
    shared = group.shared_message
    if shared:
        out.wrap(SHARED_MESSAGE + clean(shared), indent=6)
    for finding in group.first(limit):
        out.wrap(f"- {clean(report.where(finding))}", indent=6, hanging=8)
        if not shared:
            out.wrap(clean(finding.message), indent=8)
    hidden = group.hidden(limit)
    if hidden:
        out.wrap(f"{more_line(hidden)} (--max-per-group to show more).", indent=6)


def _report(out: _Writer, report: ValidationReport, limit: int | None) -> None:
    counts = report.counts()
    verdict = out.style(report.verdict, _verdict_style(report))
    out.wrap(clean(report.source), indent=0)
    out.wrap(
        f"{verdict}: {plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}.",
        indent=2,
    )
    if report.waiting:
        out.wrap(report.waiting, indent=2)
    severity: Severity | None = None
    section: str | None = None
    for group in report.groups():
        if group.severity is not severity:
            severity, section = group.severity, None
            out.blank()
            out.wrap(
                out.style(SEVERITY_HEADINGS.get(severity, severity.value), severity.value), indent=2
            )
        if group.section != section:
            section = group.section
            out.blank()
            out.wrap(out.style(clean(group.section_title), "heading"), indent=2)
        _group(out, report, group, limit)


def render_text(
    reports: Sequence[ValidationReport],
    *,
    max_per_group: int | None = DEFAULT_MAX_PER_GROUP,
    colour: bool = False,
) -> str:
    """The reports as plain text, at most 80 columns wide.

    Args:
        reports: one report per file, in the order checked.
        max_per_group: occurrences shown per group (None or 0: all of them).
        colour: add ANSI colours (for a terminal; the CLI decides).
    """
    out = _Writer(colour)
    for report in reports:
        out.blank()
        _report(out, report, max_per_group)
    if len(reports) > 1:
        valid = sum(r.is_valid for r in reports)
        unreadable = sum(not r.readable for r in reports)
        invalid = len(reports) - valid - unreadable
        out.blank()
        out.wrap(
            f"Checked {plural(len(reports), 'file')}: {valid:,} valid, {invalid:,} not valid, "
            f"{unreadable:,} cannot be read.",
            indent=0,
        )
    return "\n".join(out.lines) + "\n"
