"""Evaluate a CSV of people against a rule set, one row at a time.

Every input column is kept, in order, and these are appended:

=========================  =====================================================
``eligibility_decision``   ``eligible``, ``not eligible`` or ``needs review``
``eligibility_as_of``      the evaluation date, ``YYYY-MM-DD``
``eligibility_reasons``    the criteria the decision rests on, ``; ``-separated
``eligibility_met``        requirements met
``eligibility_failed``     requirements failed
``eligibility_unknown``    requirements that could not be decided
``eligibility_findings``   problems with the row's cells, ``CODE severity: message``,
                           `` | ``-separated (the form every spcore CSV uses)
=========================  =====================================================

A bad row never stops the file: an unreadable cell is treated as an unknown
fact and reported in ``eligibility_findings``; the decision is still made,
and becomes ``needs review`` only if that fact could change it. A row with
too few cells is padded with blanks, one with too many is cut to the header
(the finding quotes what was left out), a line the CSV reader cannot parse
at all gives a row of blanks and a finding, and blank lines are skipped.
Rows are numbered from 1, the first row after the header.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import TextIO

import attrs

from spcore.csv_rows import CsvInputError, RowWriter, read_rows
from spcore.eligibility.engine import CriterionResult, Outcome, RuleSet, evaluate
from spcore.eligibility.facts import FACT_NAMES, parse_row
from spcore.excerpt import excerpt
from spcore.findings import Finding, pointer, warning
from spcore.wording import MAX_ROWS_PRINTED, findings_cell

OUTPUT_COLUMNS: tuple[str, ...] = (
    "eligibility_decision",
    "eligibility_as_of",
    "eligibility_reasons",
    "eligibility_met",
    "eligibility_failed",
    "eligibility_unknown",
    "eligibility_findings",
)


@attrs.define
class CsvSummary:
    """What happened while evaluating a file."""

    rows: int = 0
    outcomes: Counter[Outcome] = attrs.field(factory=Counter)
    rows_with_findings: int = 0
    header_findings: list[Finding] = attrs.field(factory=list)
    problems: list[RowProblem] = attrs.field(factory=list)
    """The first :data:`~spcore.wording.MAX_ROWS_PRINTED` rows with findings."""
    findings_by_code: Counter[str] = attrs.field(factory=Counter)
    """Every finding on every row, counted by code."""


@attrs.frozen
class RowProblem:
    """A row with findings: where it is, whom it is about, and what is wrong."""

    row: int
    """The row's number, from 1 for the first row after the header."""
    line: int
    """The line of the file the row ends on."""
    ident: str
    """The row's first cell (its reference), to find it by."""
    findings: tuple[Finding, ...]


def _join(results: Iterable[CriterionResult], *, with_reason: bool) -> str:
    if with_reason:
        return "; ".join(r.text() for r in results)
    return "; ".join(r.requirement for r in results)


def header_findings(header: list[str], rules: RuleSet) -> list[Finding]:
    """Warnings for fact columns the rules read but the file lacks (``SPC-E021``)."""
    present = set(header)
    missing = sorted(rules.facts() - present)
    # Age may come from either column; only warn when both are absent.
    if "date_of_birth" in missing and "age" not in missing:
        missing.remove("date_of_birth")
    if "age" in missing and "date_of_birth" not in missing:
        missing.remove("age")
    return [
        warning(
            "SPC-E021",
            pointer("header", name),
            f"The rules read the column '{name}', which the file does not have; it is unknown "
            "for every person.",
        )
        for name in missing
    ]


def evaluate_csv(rules: RuleSet, source: TextIO, target: TextIO, *, as_of: dt.date) -> CsvSummary:
    """Read people from ``source``, write them with decision columns to ``target``.

    Raises :class:`CsvInputError` before writing anything when the file has
    no header row or already has one of the output columns.
    """
    reader = csv.reader(source)
    try:
        header = next(reader)
    except StopIteration:
        raise CsvInputError("the people file is empty: it needs a header row") from None
    except csv.Error as exc:
        raise CsvInputError(f"the header row cannot be read as CSV: {exc}") from None
    if not set(header) & set(FACT_NAMES):
        raise CsvInputError(
            f"the first row ('{excerpt(','.join(header))}') names none of the columns the "
            "rules read (such as age, date_of_birth or long_term_conditions), so it is not "
            "a header of people"
        )
    clash = [c for c in OUTPUT_COLUMNS if c in header]
    if clash:
        raise CsvInputError(f"the people file already has the column {clash[0]}")
    summary = CsvSummary(header_findings=header_findings(header, rules))
    # First occurrence wins when a fact column is repeated.
    index = {name: header.index(name) for name in FACT_NAMES if name in header}
    writer = RowWriter(target)
    writer.writerow([*header, *OUTPUT_COLUMNS])
    for number, cells, row_findings in read_rows(reader, header, code="SPC-E022", what="facts"):
        summary.rows += 1
        findings = list(row_findings)
        row = {name: cells[i] for name, i in index.items()}
        facts, cell_findings = parse_row(row, row_number=number)
        findings.extend(cell_findings)
        decision = evaluate(rules, facts, as_of=as_of)
        summary.outcomes[decision.outcome] += 1
        if findings:
            summary.rows_with_findings += 1
            summary.findings_by_code.update(f.code for f in findings)
            if len(summary.problems) < MAX_ROWS_PRINTED:
                ident = cells[0] if cells else ""
                summary.problems.append(
                    RowProblem(number, reader.line_num, ident[:40], tuple(findings))
                )
        writer.writerow(
            [
                *cells,
                decision.outcome.value,
                as_of.isoformat(),
                _join(decision.reasons, with_reason=True),
                _join(decision.met, with_reason=False),
                _join(decision.failed, with_reason=False),
                _join(decision.unknown, with_reason=False),
                findings_cell(findings),
            ]
        )
    return summary
