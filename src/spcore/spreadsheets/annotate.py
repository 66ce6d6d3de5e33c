"""A checked workbook: the return's own workbook with its findings written into it.

``spcore validate return.xlsx --annotate checked.xlsx`` writes a copy of the
workbook in which each cell a finding is about is filled (red for an error,
amber for a warning) and carries the findings as a cell comment, and a
**Findings** sheet lists every finding with its sheet and cell. The person
who filled the return in sees each problem where they typed the figure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spcore import cli_output
from spcore.findings import Finding, Severity
from spcore.spreadsheets.documents import workbook_cells
from spcore.spreadsheets.reading import CellPlace, column_letter
from spcore.validation.report import ValidationReport

#: Name of the sheet listing the findings (another name is chosen if the workbook has one).
FINDINGS_SHEET = "Findings"
_FILLS = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFEB9C"}
_COMMENT_AUTHOR = "spcore"


def _cell_of(cells: dict[str, CellPlace], path: str) -> CellPlace | None:
    """The cell of the deepest part of ``path`` the workbook has a cell for."""
    while True:
        if path in cells:
            return cells[path]
        if not path:
            return None
        path = path.rsplit("/", 1)[0]


def _sheet_name(existing: list[str]) -> str:
    name, n = FINDINGS_SHEET, 1
    while name in existing:
        n += 1
        name = f"{FINDINGS_SHEET} {n}"
    return name


def annotate_workbook(source: str | Path, target: str | Path, report: ValidationReport) -> int:
    """Write ``source`` to ``target`` with ``report``'s findings marked; return the cells marked.

    ``target`` is written whole or not at all, by the output helper every
    command shares. Raises :class:`~spcore.cli_output.OutputError` when it
    cannot be written or is ``source`` itself, and ``ValueError`` when
    ``source`` is not a workbook that could be read.
    """
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    if not report.readable:
        raise ValueError("the workbook could not be read, so there is nothing to annotate")
    cells = workbook_cells(source)
    # openpyxl parses with defusedxml when it is installed (it is a dependency).
    book: Any = openpyxl.load_workbook(source)
    marked: dict[CellPlace, list[Finding]] = {}
    placed: list[tuple[Finding, CellPlace | None]] = []
    for finding in report.findings:
        cell = _cell_of(cells, finding.path)
        if cell is not None and cell[0] not in book.sheetnames:
            cell = None
        placed.append((finding, cell))
        if cell is not None:
            marked.setdefault(cell, []).append(finding)
    for (sheet, row, column), findings in marked.items():
        target_cell = book[sheet].cell(row=row, column=column)
        text = "\n".join(f"{f.code} {f.severity}: {f.message}" for f in findings)
        target_cell.comment = Comment(text, _COMMENT_AUTHOR, width=400, height=160)
        worst = Severity.ERROR if any(f.severity is Severity.ERROR for f in findings) else None
        colour = _FILLS[worst or Severity.WARNING]
        target_cell.fill = PatternFill("solid", start_color=colour, end_color=colour)
    listing = book.create_sheet(_sheet_name(book.sheetnames), 0)
    listing.append(["Code", "Severity", "Sheet", "Cell", "Where", "Message"])
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for finding, place in placed:
        sheet, where = ("", "")
        if place is not None:
            sheet, where = place[0], f"{column_letter(place[2])}{place[1]}"
        listing.append(
            [
                finding.code,
                str(finding.severity),
                sheet,
                where,
                report.location_of(finding) or finding.path or "the whole return",
                finding.message,
            ]
        )
    if not report.findings:
        listing.append(["", "", "", "", "", "No findings: the return is valid."])
    for letter, width in zip("ABCDEF", (10, 9, 24, 7, 40, 100), strict=True):
        listing.column_dimensions[letter].width = width
    book.active = 0
    cli_output.write_with(target, book.save, inputs=[source])
    return len(marked)
