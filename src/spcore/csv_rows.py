"""The rows of a CSV file read one case or person at a time, a bad row never stopping the file.

Shared by the commands that add decision columns to a CSV (``spcore
eligibility``, ``spcore rag``): a row with too few cells is padded with
blanks, one with too many is cut to the header (the finding quotes what was
left out), a line the CSV reader cannot parse at all gives a row of blanks and
a finding, and blank lines are skipped. Rows are numbered from 1, the first
row after the header.
"""

from __future__ import annotations

import contextlib
import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from spcore.cli_output import neutralise
from spcore.excerpt import excerpt
from spcore.findings import Finding, error, pointer, warning


def open_csv_source(stack: contextlib.ExitStack[bool | None], name: str) -> TextIO:
    """The CSV file ``name`` opened for reading (``-`` is standard input), closed by ``stack``.

    Standard input is decoded exactly as a file is, whatever the locale: UTF-8,
    strictly (a C locale would otherwise hand invalid bytes on as lone
    surrogates). A byte-order mark is dropped and line endings are left to the
    csv module, as the CSV readers need. Invalid UTF-8 raises
    ``UnicodeDecodeError`` while reading; :func:`not_utf8` words it.

    Raises:
        OSError: the file cannot be opened.
    """
    if name == "-":
        return stack.enter_context(_standard_input())
    return stack.enter_context(Path(name).open(encoding="utf-8-sig", newline=""))


@contextlib.contextmanager
def _standard_input() -> Iterator[TextIO]:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a program gave sys.stdin a text stream: it has decoded it already
        yield sys.stdin
        return
    stream = io.TextIOWrapper(buffer, encoding="utf-8-sig", errors="strict", newline="")
    try:
        yield stream
    finally:
        stream.detach()  # standard input stays open for the rest of the program


def not_utf8(name: str, exc: UnicodeDecodeError, *, what: str) -> str:
    """The one-line reason for input that is not UTF-8 (``SPC-F006``, as for every file).

    Args:
        name: the file name, ``-`` for standard input.
        exc: the decoding error.
        what: what the input holds ("people", "assessments", "answers").
    """
    where = f"standard input (the {what})" if name == "-" else f"the {what} file {name}"
    return (
        f"SPC-F006: {where} is not UTF-8 text (byte {exc.start + 1} cannot be read); "
        "save it as UTF-8"
    )


class CsvInputError(ValueError):
    """The CSV cannot be used at all (no header, or a header clash)."""


def _lines(reader: Iterator[list[str]]) -> Iterator[list[str] | csv.Error]:
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # The reader resets after an error and carries on with the next line.
            yield exc


def read_rows(
    reader: Iterator[list[str]], header: list[str], *, code: str, what: str
) -> Iterator[tuple[int, list[str], list[Finding]]]:
    """Yield ``(row number, cells as long as the header, findings)`` for every row.

    Args:
        reader: a ``csv.reader`` positioned after the header row.
        header: the header row.
        code: the finding code for a malformed row (each command has its own).
        what: what a row's cells are, for the message ("its facts are unknown").
    """
    number = 0
    for cells in _lines(reader):
        if isinstance(cells, list) and not any(cell.strip() for cell in cells):
            # A blank line, or one holding only spaces or a stray carriage return, is not a
            # row (csv.DictReader skips blank lines the same way).
            continue
        number += 1
        findings: list[Finding] = []
        if isinstance(cells, csv.Error):
            findings.append(
                error(
                    code,
                    pointer("rows", number),
                    f"Row {number} cannot be read as CSV ({cells}); its {what} are unknown.",
                )
            )
            cells = [""] * len(header)
        elif len(cells) != len(header):
            extra = ", ".join(c for c in cells[len(header) :] if c)
            dropped = f"; extra cells left out: {excerpt(extra)}" if extra else ""
            findings.append(
                warning(
                    code,
                    pointer("rows", number),
                    f"Row {number} has {len(cells)} cells but the header has {len(header)}"
                    f"{dropped}.",
                )
            )
            # Keep the output rectangular: the decision columns must line up.
            cells = [*cells[: len(header)], *[""] * (len(header) - len(cells))]
        yield number, cells, findings


class RowWriter:
    """A ``csv.writer`` with ``\\n`` line ends that also quotes cells holding a carriage return.

    ``csv.writer`` quotes only the characters of its line terminator, so a cell
    ending in ``\\r`` written with ``\\n`` line ends would come back as two
    rows; such a row is written with every cell quoted instead. Cells a
    spreadsheet program would run as formulas are neutralised
    (:func:`spcore.cli_output.neutralise`).
    """

    def __init__(self, target: TextIO) -> None:
        """Write rows to ``target`` (opened with ``newline=""``)."""
        self._plain = csv.writer(target, lineterminator="\n")
        self._quoted = csv.writer(target, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, cells: list[str]) -> None:
        """Write one row."""
        safe = [neutralise(cell) for cell in cells]
        writer = self._quoted if any("\r" in cell for cell in safe) else self._plain
        writer.writerow(safe)
