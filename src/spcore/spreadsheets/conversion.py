"""Writing a return in any of its three forms, and converting between them.

Conversion is lossless for every schema-valid return: JSON -> XLSX -> JSON
and JSON -> CSV -> JSON give the same document (the same keys, values and
types; integers stay integers and floats keep every digit). Key order is the
order of the schema, not of the input.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from spcore import cli_output
from spcore.validation.report import ValidationReport
from spcore.validation.returns import validate_loaded
from spcore.validation.sources import SUFFIXES, Source, read_document


class ConversionError(ValueError):
    """The conversion was asked for wrongly (an unknown suffix, or output = input)."""


def _suffix(path: Path, allowed: tuple[str, ...]) -> str:
    suffix = path.suffix.lower()
    if suffix not in allowed:
        raise ConversionError(
            f"'{path.name}' must end in {', '.join(allowed[:-1])} or {allowed[-1]}."
        )
    return suffix


def _write_atomically(path: Path, write: Any, *, inputs: tuple[Path, ...] = ()) -> None:
    """Write through a temporary file in the same folder, so no partial output is left."""
    try:
        cli_output.write_with(path, write, inputs=inputs)
    except cli_output.OutputError as exc:
        raise ConversionError(f"{str(exc)[:1].upper()}{str(exc)[1:]}.") from None


def _write_json(document: Mapping[str, Any], path: Path) -> None:
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


def _writer(suffix: str) -> Any:
    if suffix == ".json":
        return _write_json
    if suffix == ".csv":
        from spcore.spreadsheets.csv_form import write_csv

        return write_csv
    try:
        from spcore.spreadsheets.xlsx_write import write_workbook
    except ImportError as exc:  # openpyxl is a dependency; only a damaged install lacks it
        raise ConversionError(
            "writing .xlsx needs openpyxl, which spcore installs but is missing here: "
            "pip install openpyxl"
        ) from exc
    return write_workbook


def write_return(document: Mapping[str, Any], path: str | Path) -> None:
    """Write ``document`` to ``path`` as JSON, XLSX or CSV, chosen by the suffix.

    The document is written as it is; check it first with
    :func:`spcore.validate_return` (or use :func:`convert`, which does).
    """
    p = Path(path)
    writer = _writer(_suffix(p, SUFFIXES))
    _write_atomically(p, lambda target: writer(document, target))


def write_template(path: str | Path, *, start: Mapping[str, Any] | None = None) -> None:
    """Write a fill-in template to ``path`` (``.xlsx`` or ``.csv``).

    Empty, or with ``start`` filled in: for the next quarter, pass
    ``spcore.spreadsheets.carry.next_quarter(last_return)`` (scheme, staff and
    salaries carried, the quarter advanced).
    """
    p = Path(path)
    writer = _writer(_suffix(p, (".xlsx", ".csv")))
    _write_atomically(p, lambda target: writer(start, target))


def read_return(path: str | Path) -> Source:
    """Read a return from a ``.json``, ``.xlsx`` or ``.csv`` file (never raises for bad input).

    The :class:`~spcore.validation.sources.Source` holds the document (or the
    findings that stop it being read) and, for spreadsheets, where each part
    of it was found.
    """
    return read_document(path)


def convert(source: str | Path, destination: str | Path) -> ValidationReport:
    """Convert a return between ``.json``, ``.xlsx`` and ``.csv``.

    The input is read and validated first. Only when it has no errors is the
    output written (atomically: never a partial file); the report says why
    when it was not. Raises :class:`ConversionError` when the destination is
    the source or either suffix is not one spcore reads.
    """
    src, dst = Path(source), Path(destination)
    _suffix(src, SUFFIXES)
    writer = _writer(_suffix(dst, SUFFIXES))
    try:
        cli_output.check_target(dst, inputs=[src])
    except cli_output.OutputError as exc:
        raise ConversionError(f"{str(exc)[:1].upper()}{str(exc)[1:]}.") from None
    read = read_document(src)
    report = validate_loaded(read.loaded, str(src), read.locations)
    if report.is_valid and read.loaded.data is not None:
        data = read.loaded.data
        _write_atomically(dst, lambda target: writer(data, target), inputs=(src,))
    return report
