"""Reading a workbook safely: every way an .xlsx file can be unusable or hostile is a finding.

Before openpyxl sees the file, the zip container itself is checked: its size,
the number of parts, their total unpacked size and the compression ratio
(against "zip bombs"), encryption, and any XML part declaring a DTD or
entities (against "billion laughs" and external-entity attacks; no part of
a genuine workbook has one). openpyxl then reads in read-only mode, through
``defusedxml`` when it is installed, and formulas are never calculated: the
result Excel saved is used, and a formula without one is a finding.
"""

from __future__ import annotations

import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Any

from spcore import limits as _limits
from spcore.excerpt import excerpt
from spcore.spreadsheets import limits
from spcore.spreadsheets.cells import Cell
from spcore.spreadsheets.files import UnreadableFileError, fail, read_bytes
from spcore.spreadsheets.reading import Grid
from spcore.validation.loading import MAX_BYTES

#: Most parts in the zip. A workbook of this layout has about 30 (one per
#: sheet plus styles, shared strings, relationships, properties); the limit
#: leaves room for what spreadsheet programs add (themes, printer settings).
MAX_PARTS = _limits.XLSX_MAX_PARTS

#: Most bytes all parts may unpack to. The largest return the schema allows
#: (10,000 community groups) is a few megabytes of sheet XML; 200 MB is ample
#: for any genuine return and refuses decompression bombs.
MAX_UNPACKED_BYTES = _limits.XLSX_MAX_UNPACKED_BYTES

#: Highest compression ratio accepted for a part (and for the whole file)
#: once it unpacks to more than :data:`RATIO_GRACE_BYTES`. These are Apache
#: POI's defaults for the same check (``ZipSecureFile``: minimum inflate
#: ratio 0.01, i.e. 100 to 1, ignored for entries under 100 KB). Sheet XML of
#: a genuine return compresses about 4 to 12 times.
MAX_RATIO = _limits.XLSX_MAX_RATIO
RATIO_GRACE_BYTES = _limits.XLSX_RATIO_GRACE_BYTES

#: Most sheets read. The layout has about 20 data sheets, a README and a list
#: sheet; rows and cells are limited by :mod:`spcore.spreadsheets.limits`.
MAX_SHEETS = _limits.XLSX_MAX_SHEETS

#: The signature of an OLE2 compound file: an encrypted .xlsx, or an old .xls.
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_CHUNK = 1 << 16

# A DTD or entity declaration, in every encoding an XML part may declare (an XML
# parser honours a UTF-16 or UTF-32 byte order mark).
_DECLARATIONS = tuple(
    word.encode(encoding)
    for word in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
_LONGEST_DECLARATION = max(len(marker) for marker in _DECLARATIONS)


def _check_container(path: Path, max_bytes: int) -> None:
    """Refuse a file that is not a safe, unencrypted zip of plain XML parts."""
    head = read_bytes(path, max_bytes, 8)
    if head == _OLE_SIGNATURE:
        raise fail(
            "SPC-X003",
            "The workbook is password-protected or encrypted (or is an old .xls file); save "
            "an unprotected copy as an Excel Workbook (.xlsx).",
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        # NotImplementedError: a damaged header claiming a zip version Python cannot read.
        raise fail(
            "SPC-X002",
            "The file is not an .xlsx workbook (it is not a zip container); save it from "
            "the spreadsheet program as an Excel Workbook (.xlsx).",
        ) from None
    with archive:
        _check_parts(archive)


def _check_parts(archive: zipfile.ZipFile) -> None:
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise fail("SPC-X004", f"The workbook has {len(parts):,} parts; a return has far fewer.")
    unpacked = sum(p.file_size for p in parts)
    packed = sum(p.compress_size for p in parts) or 1
    if unpacked > MAX_UNPACKED_BYTES or (
        unpacked > RATIO_GRACE_BYTES and unpacked / packed > MAX_RATIO
    ):
        raise fail(
            "SPC-X004",
            f"The workbook unpacks to {unpacked:,} bytes from {packed:,}; spcore refuses "
            "files that expand this much.",
        )
    for part in parts:
        if part.flag_bits & 0x1:
            raise fail("SPC-X003", "The workbook is encrypted; save an unprotected copy.")
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_GRACE_BYTES and ratio > MAX_RATIO:
            raise fail(
                "SPC-X004",
                f"The part '{excerpt(part.filename)}' expands {part.file_size:,} bytes from "
                f"{part.compress_size:,}; spcore refuses files that expand this much.",
            )
    for part in parts:
        # Every part, whatever its name: a workbook's relationships may point
        # openpyxl at XML stored under any name.
        _check_xml(archive, part)


def _check_xml(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    """Refuse DTDs and entity declarations; read no more than the part claims to hold."""
    seen = 0
    tail = b""
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                seen += len(chunk)
                if seen > part.file_size or seen > MAX_UNPACKED_BYTES:
                    raise fail("SPC-X004", "A part of the workbook is larger than it claims.")
                window = tail + chunk
                if any(marker in window for marker in _DECLARATIONS):
                    raise fail(
                        "SPC-X006",
                        f"The workbook part '{excerpt(part.filename)}' declares a DTD or entities, "
                        "which no genuine workbook does; spcore refuses to read it.",
                    )
                tail = window[-_LONGEST_DECLARATION:]
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError):
        raise fail("SPC-X002", "The workbook is damaged: a part cannot be unpacked.") from None


def read_grids(path: str | Path, max_bytes: int = MAX_BYTES) -> list[Grid]:
    """Every sheet of the workbook at ``path`` as grids, or raise :class:`UnreadableFileError`."""
    p = Path(path)
    _check_container(p, max_bytes)
    try:
        import openpyxl  # noqa: F401  (a dependency; only a damaged install lacks it)
    except ImportError:
        raise fail(
            "SPC-X001",
            "Reading .xlsx files needs the openpyxl package, which spcore installs but is "
            "missing here: pip install openpyxl.",
        ) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _read_sheets(p)
    except UnreadableFileError:
        raise
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise fail(
            "SPC-X002",
            f"The workbook is damaged and cannot be read ({type(exc).__name__}); open it in "
            "the spreadsheet program and save it again as .xlsx.",
        ) from None


def _read_sheets(path: Path) -> list[Grid]:
    from openpyxl import load_workbook
    from openpyxl.worksheet._reader import WorkSheetParser

    class _Parser(WorkSheetParser):  # type: ignore[misc]
        """Notes formulas while keeping the saved result (data_only) as the value."""

        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            cell["formula"] = element.find(formula_tag) is not None
            return cell

    from openpyxl.xml.constants import SHEET_MAIN_NS

    formula_tag = f"{{{SHEET_MAIN_NS}}}f"
    wb = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        if len(wb.worksheets) > MAX_SHEETS:
            raise fail(
                "SPC-X005",
                f"The workbook has {len(wb.worksheets)} sheets; spcore reads up to {MAX_SHEETS}.",
            )
        grids: list[Grid] = []
        total = 0
        max_rows, max_cells = limits.max_sheet_rows(), limits.max_cells()
        for ws in wb.worksheets:
            grid = Grid(ws.title)
            with ws._get_source() as source:
                parser = _Parser(
                    source,
                    ws._shared_strings,
                    data_only=True,
                    epoch=wb.epoch,
                    date_formats=wb._date_formats,
                    timedelta_formats=wb._timedelta_formats,
                )
                for rows_read, (row_index, cells) in enumerate(parser.parse(), start=1):
                    if row_index > max_rows or rows_read > max_rows:
                        raise fail(
                            "SPC-X005",
                            f"The sheet '{excerpt(ws.title, 40)}' has more than {max_rows:,} "
                            "rows; a return needs far fewer.",
                        )
                    # An empty row element costs as much to read as a cell: count it as one,
                    # so millions of empty rows are refused like millions of cells.
                    total += len(cells) or 1
                    if total > max_cells:
                        raise fail(
                            "SPC-X005",
                            f"The workbook has more than {max_cells:,} filled cells; a return "
                            "needs far fewer.",
                        )
                    _add_cells(grid, cells)
            grids.append(grid)
        return grids
    finally:
        wb.close()


def _add_cells(grid: Grid, cells: list[dict[str, Any]]) -> None:
    for cell in cells:
        r, c, value = cell["row"], cell["column"], cell["value"]
        if cell.get("formula") and value is None:
            grid.formulas.add((r, c))
            grid.rows.setdefault(r, {})  # the row exists, so the formula is reported
            continue
        if cell.get("data_type") == "e":
            grid.errors[(r, c)] = str(value)
            grid.rows.setdefault(r, {})
            continue
        if value is None or value == "":
            continue
        grid.rows.setdefault(r, {})[c] = _plain(value)


def _plain(value: Any) -> Cell:
    if isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "isoformat"):
        return value  # type: ignore[no-any-return]
    return str(value)
