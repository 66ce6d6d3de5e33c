"""Rate a CSV of safeguarding assessments, one row a case.

The columns follow the conventions of the eligibility people file
(:mod:`spcore.eligibility.csvio`): a yes/no cell is one of the spellings of
:mod:`spcore.answers` (``yes/no``, ``y/n``, ``true/false``, ``1/0``, any case)
or blank for not known; the five referral exclusions have the same column
names as there. Columns read (:data:`INPUT_COLUMNS`):

=====================================  ==============================================
the four safeguarding questions         ``victim_of_violence_or_abuse``,
                                        ``perpetrator_of_violence_or_abuse``,
                                        ``other_harmful_practices``,
                                        ``risk_to_self_or_others`` (yes/no)
``social_services_involved``            yes/no
``concern_level``                       ``none``, ``some`` or ``significant``: the most
                                        serious concern recorded; blank when none is
                                        recorded
``concern``                             what the concern is, in the link worker's words
the five referral exclusions            ``mental_health_crisis`` … (yes/no)
=====================================  ==============================================

Every input column is kept, in order, and :data:`OUTPUT_COLUMNS` are added:
the rating, whether the case is beyond red, the duties the rating brings, the
reasons and the findings. A cell that cannot be read (an unrecognised
spelling or code) is a finding with the row and column, never a default: the
row's rating is ``needs review``, with the rating the readable cells give and
its duties kept in the reasons and duties columns, so no safeguarding duty is
dropped.
"""

from __future__ import annotations

import csv
import difflib
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any, TextIO

import attrs

from spcore.answers import read_yes_no, suggestion
from spcore.csv_rows import CsvInputError, RowWriter, read_rows
from spcore.findings import Finding, error, pointer, warning
from spcore.rag.duties import duties
from spcore.rag.model import (
    Concern,
    RagResult,
    ReferralExclusion,
    SafeguardingAssessment,
    SafeguardingQuestion,
    Significance,
    rate,
)

#: What the ``rag_rating`` column says when a cell of the row could not be read.
NEEDS_REVIEW = "needs review"


def _column(code: str) -> str:
    return code.replace("-", "_")


QUESTION_COLUMNS: tuple[str, ...] = tuple(_column(q.value) for q in SafeguardingQuestion)
EXCLUSION_COLUMNS: tuple[str, ...] = tuple(_column(e.value) for e in ReferralExclusion)

#: Every column the rating reads, in documentation order.
INPUT_COLUMNS: tuple[str, ...] = (
    *QUESTION_COLUMNS,
    "social_services_involved",
    "concern_level",
    "concern",
    *EXCLUSION_COLUMNS,
)

#: The columns added to every row.
OUTPUT_COLUMNS: tuple[str, ...] = (
    "rag_rating",
    "rag_beyond_red",
    "rag_complete",
    "rag_duties",
    "rag_reasons",
    "rag_findings",
)

#: Codes of the ``concern_level`` column: ``none`` or a :class:`Significance`.
CONCERN_LEVELS: tuple[str, ...] = ("none", *(s.value for s in Significance))


@attrs.define
class RagCsvSummary:
    """What happened while rating a file."""

    rows: int = 0
    ratings: Counter[str] = attrs.field(factory=Counter)
    rows_with_findings: int = 0
    header_findings: list[Finding] = attrs.field(factory=list)


def header_findings(header: list[str]) -> list[Finding]:
    """Warnings for columns the rating reads that the file lacks (``SPC-G011``).

    A header cell close to a missing column's name is suggested, since a
    misspelt column would otherwise leave that fact unknown for every case.
    """
    present = set(header)
    extra = [h for h in header if h not in INPUT_COLUMNS]
    found: list[Finding] = []
    for name in INPUT_COLUMNS:
        if name in present:
            continue
        close = difflib.get_close_matches(name, extra, n=1, cutoff=0.8)
        hint = f" (is the column '{close[0]}' meant to be '{name}'?)" if close else ""
        meaning = (
            "no concern is read for any case"
            if name in ("concern_level", "concern")
            else "it is unknown for every case"
        )
        found.append(
            warning(
                "SPC-G011",
                pointer("header", name),
                f"The file has no column '{name}', so {meaning}{hint}.",
            )
        )
    return found


def _read_code(text: str, choices: tuple[str, ...]) -> str | None:
    word = text.strip().lower()
    if not word:
        return None
    if word in choices:
        return word
    raise ValueError(f"should be one of {', '.join(choices)}, or blank{suggestion(word, choices)}")


def parse_assessment(
    row: Mapping[str, str], *, row_number: int
) -> tuple[SafeguardingAssessment, dict[ReferralExclusion, bool | None], list[Finding]]:
    """Read one row into an assessment and exclusion answers; never raises on bad cells.

    A cell that cannot be read becomes an unknown answer and an ``SPC-G010``
    finding (path ``/rows/<row_number>/<column>``).
    """
    findings: list[Finding] = []

    def cell(column: str, reader: Callable[[str], Any]) -> Any:
        text = row.get(column, "")
        try:
            return reader(text)
        except ValueError as exc:
            shown = text if len(text) <= 40 else text[:39] + "…"
            findings.append(
                error(
                    "SPC-G010",
                    pointer("rows", row_number, column),
                    f"Row {row_number}, column {column}: '{shown}' {exc}; the row needs review.",
                )
            )
            return None

    answers = {name: cell(name, read_yes_no) for name in QUESTION_COLUMNS}
    involved = cell("social_services_involved", read_yes_no)
    level = cell("concern_level", lambda text: _read_code(text, CONCERN_LEVELS))
    description = row.get("concern", "").strip()
    concerns: list[Concern] = []
    if level in ("some", "significant"):
        concerns.append(Concern(description or "concern recorded", level))
    elif description and level is None and not _about(findings, "concern_level"):
        findings.append(
            error(
                "SPC-G010",
                pointer("rows", row_number, "concern_level"),
                f"Row {row_number}: a concern is described but concern_level is blank; "
                "give none, some or significant. The row needs review.",
            )
        )
    assessment = SafeguardingAssessment(
        **answers, social_services_involved=involved, concerns=concerns
    )
    exclusions = {
        exclusion: cell(column, read_yes_no)
        for exclusion, column in zip(ReferralExclusion, EXCLUSION_COLUMNS, strict=True)
    }
    return assessment, exclusions, findings


def _about(findings: list[Finding], column: str) -> bool:
    return any(f.path.endswith("/" + column) for f in findings)


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _output(result: RagResult, findings: list[Finding]) -> list[str]:
    reasons = [r.text for r in result.reasons]
    rating = result.rating.value
    if findings:
        # Never a rating from a row the library could not fully read; the rating the
        # readable cells give is kept in the reasons, and its duties stay listed.
        reasons.insert(
            0,
            f"Provisional rating from the readable cells: {rating}; fix the cells and rate again.",
        )
        rating = NEEDS_REVIEW
    return [
        rating,
        _yes_no(bool(result.beyond_red)),
        _yes_no(result.complete),
        "; ".join(d.value for d in duties(result.rating)),
        " | ".join(reasons),
        " | ".join(f"{f.code} {f.message}" for f in findings),
    ]


def rate_csv(source: TextIO, target: TextIO) -> RagCsvSummary:
    """Read assessments from ``source``, write them with rating columns to ``target``.

    Raises :class:`spcore.csv_rows.CsvInputError` before writing anything when
    the file has no header row or already has one of the output columns.
    """
    reader = csv.reader(source)
    try:
        header = next(reader)
    except StopIteration:
        raise CsvInputError("the assessments file is empty: it needs a header row") from None
    except csv.Error as exc:
        raise CsvInputError(f"the header row cannot be read as CSV: {exc}") from None
    clash = [c for c in OUTPUT_COLUMNS if c in header]
    if clash:
        raise CsvInputError(f"the assessments file already has the column {clash[0]}")
    summary = RagCsvSummary(header_findings=header_findings(header))
    writer = RowWriter(target)
    writer.writerow([*header, *OUTPUT_COLUMNS])
    for number, cells, row_findings in read_rows(reader, header, code="SPC-G012", what="facts"):
        summary.rows += 1
        row = {name: cells[header.index(name)] for name in INPUT_COLUMNS if name in header}
        assessment, exclusions, cell_findings = parse_assessment(row, row_number=number)
        findings = [*row_findings, *cell_findings]
        result = rate(assessment, exclusions=exclusions)
        out = _output(result, findings)
        summary.ratings[out[0]] += 1
        if findings:
            summary.rows_with_findings += 1
        writer.writerow([*cells, *out])
    return summary


__all__ = [
    "CONCERN_LEVELS",
    "INPUT_COLUMNS",
    "NEEDS_REVIEW",
    "OUTPUT_COLUMNS",
    "RagCsvSummary",
    "header_findings",
    "parse_assessment",
    "rate_csv",
]
