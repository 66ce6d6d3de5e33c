"""Identifiable extracts as CSV: the case-extract CSV layout plus identifying columns.

An identifiable CSV extract has the columns of a case-record CSV extract
(:func:`spcore.cases.csv_columns`: ``case_id``, ``referral.date``,
``demographics.age_band``, lists as JSON, ...) and any of the identifying
fields of :data:`~spcore.pseudonymise.identifiable.IDENTIFIABLE_FIELDS` as
columns of the same name (``nhs_number``, ``date_of_birth``, ``name``...).
Cells are read as the case-extract layout reads them (an empty cell is an
absent field), so each row becomes the identifiable record it describes.

Rows are read through the same bounded lines as NDJSON; a quoted cell may
span lines. A row is numbered by the line it starts on. Problems with the
file itself use the case-extract codes: ``SPC-C011`` a column named twice
(nothing is read), ``SPC-C012`` a row with more cells than the header,
``SPC-C013`` a list cell that is not JSON, ``SPC-C014`` a row the CSV
reader cannot parse.

Written CSV has exactly the case-extract layout, so ``spcore cases`` reads it.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterator
from typing import IO, Any, BinaryIO

from spcore.cases.codes import MAX_DEPTH, MAX_LINE_BYTES
from spcore.cases.csv_layout import (
    CellError,
    Column,
    column_names,
    record_to_row,
    row_to_record,
)
from spcore.cases.extracts import parse_json
from spcore.findings import Finding, error, pointer
from spcore.pseudonymise.ndjson import Item, bounded_lines, not_utf8, too_long
from spcore.validation.loading import parse_object


class CsvHeaderError(ValueError):
    """The CSV header cannot be used (a column named twice); the message says which."""


@contextlib.contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    """Let one CSV cell be as long as a line may be (the module default is 131,072)."""
    saved = csv.field_size_limit()
    csv.field_size_limit(max(saved, limit))
    try:
        yield
    finally:
        csv.field_size_limit(saved)


def _parse_cell(text: str, column: Column) -> Any:
    value, problem = parse_json(text)
    if problem is not None:
        reason = problem.message.removeprefix("The line is not valid JSON: ")
        raise CellError(column, reason.rstrip("."))
    return value


def _row_item(start: int, header: list[str], row: list[str]) -> Item:
    where = pointer("lines", start)
    if len(row) > len(header):
        message = (
            f"Line {start}: the row has {len(row)} cells but the header has {len(header)} "
            "columns (a cell may hold an unquoted comma); it is left out."
        )
        return start, None, [error("SPC-C012", where, message)]
    try:
        data = row_to_record(header, row, _parse_cell)
    except CellError as exc:
        name = exc.column.name if isinstance(exc.column, Column) else str(exc.column)
        message = (
            f"Line {start}: the '{name[:60]}' cell must hold a JSON list such as "
            f'["a","b"]; it cannot be read ({exc.reason[:120]}). It is left out.'
        )
        return start, None, [error("SPC-C013", where, message)]
    if not parse_object(data).ok:
        message = f"Line {start} nests lists more than {MAX_DEPTH} levels deep; it is left out."
        return start, None, [error("SPC-C007", where, message)]
    return start, data, []


def csv_items(source: BinaryIO) -> Iterator[Item]:
    """Every record of an identifiable CSV extract; blank rows skipped.

    Raises :class:`CsvHeaderError` before any record when the header names a
    column twice.
    """
    pending: list[Item] = []
    position = [0]

    def text_lines() -> Iterator[str]:
        for number, raw in bounded_lines(source):
            position[0] = number
            if raw is None:
                pending.append((number, None, [too_long(number)]))
                yield "\n"
                continue
            try:
                yield raw.decode("utf-8") + "\n"
            except UnicodeDecodeError as exc:
                pending.append((number, None, [not_utf8(number, exc)]))
                yield "\n"

    rows = csv.reader(text_lines(), strict=True)
    header: list[str] | None = None
    previous_end = 0
    with _field_limit(MAX_LINE_BYTES):
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            except csv.Error as exc:
                yield from _drain(pending)
                start, previous_end = previous_end + 1, position[0]
                message = f"Line {start}: the CSV row cannot be read ({str(exc)[:120]})."
                yield start, None, [error("SPC-C014", pointer("lines", start), message)]
                continue
            yield from _drain(pending)
            start = position[0] - sum(cell.count("\n") for cell in row)
            previous_end = position[0]
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip() for cell in row]
                twice = sorted({c for c in header if header.count(c) > 1})
                if twice:
                    raise CsvHeaderError(
                        f"The CSV header names the column '{twice[0][:60]}' more than once; "
                        "keep one."
                    )
                continue
            yield _row_item(start, header, row)
        yield from _drain(pending)


def _drain(items: list[Item]) -> Iterator[Item]:
    while items:
        yield items.pop(0)


class CsvRecordWriter:
    """Writes pseudonymised records as a case-record CSV extract (header first)."""

    def __init__(self, target: IO[str]) -> None:
        self._writer = csv.writer(target, lineterminator="\n")
        self._writer.writerow(column_names())

    def write(self, record: dict[str, Any]) -> None:
        """Write one record as a row; raises ``csv_layout.UnrepresentableError`` if it cannot."""
        self._writer.writerow(record_to_row(record))


def unrepresentable(number: int, reason: str) -> Finding:
    """``SPC-P042`` for a record the CSV layout cannot carry."""
    return error(
        "SPC-P042",
        pointer("lines", number),
        f"Line {number}: the pseudonymised record cannot be written as a CSV row "
        f"({reason[:120]}); write the extract as NDJSON instead. It is left out.",
    )
