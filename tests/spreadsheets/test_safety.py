"""Hostile and broken files: every one is a finding, never a traceback."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from tests.spreadsheets.helpers import example

from spcore.spreadsheets import limits, read_return, write_return, xlsx_read
from spcore.spreadsheets.codes import SPREADSHEET_CODES
from spcore.spreadsheets.files import UnreadableFileError
from spcore.validation.sources import read_document


def _only_finding(path: Path) -> str:
    source = read_return(path)
    assert source.loaded.data is None
    (finding,) = source.loaded.findings
    assert finding.code in SPREADSHEET_CODES or finding.code.startswith("SPC-F")
    return finding.code


def _rezip(source: Path, target: Path, parts: dict[str, bytes]) -> None:
    """Copy a workbook, replacing some of its parts and adding others."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        names = old.namelist()
        for name in names:
            new.writestr(name, parts.get(name, old.read(name)))
        for name, data in parts.items():
            if name not in names:
                new.writestr(name, data)


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.xlsx"
    write_return(example(), path)
    return path


def test_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "return.xls"
    path.write_bytes(b"whatever")
    assert _only_finding(path) == "SPC-X001"


def test_reading_a_workbook_without_openpyxl(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "openpyxl", None)
    (finding,) = read_return(good).loaded.findings
    assert finding.code == "SPC-X001"
    assert "pip install openpyxl" in finding.message


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "return.xlsx"
    path.write_text("people_referred,240\n")
    assert _only_finding(path) == "SPC-X002"


def test_truncated_zip(good: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good.read_bytes()[:5000])
    assert _only_finding(path) == "SPC-X002"


def test_encrypted_or_old_xls(tmp_path: Path) -> None:
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert _only_finding(path) == "SPC-X003"


def test_zip_bomb(good: Path, tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    _rezip(good, path, {"xl/media/padding.bin": b"\0" * (30 * 1024 * 1024)})
    assert path.stat().st_size < 1024 * 1024
    assert _only_finding(path) == "SPC-X004"


_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<si><t>&lol2;</t></si></sst>"
)
_EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&x;'
    b"</workbook>"
)


@pytest.mark.parametrize(
    ("part", "xml"),
    [
        ("xl/sharedStrings.xml", _LAUGHS),
        ("xl/workbook.xml", _EXTERNAL_ENTITY),
        ("xl/worksheets/data.bin", _LAUGHS),
    ],
    ids=["billion-laughs", "external-entity", "under-another-name"],
)
def test_entity_declarations_are_refused(good: Path, tmp_path: Path, part: str, xml: bytes) -> None:
    path = tmp_path / "entities.xlsx"
    _rezip(good, path, {part: xml})
    assert _only_finding(path) == "SPC-X006"


def test_damaged_xml_inside_a_good_zip(good: Path, tmp_path: Path) -> None:
    path = tmp_path / "damaged.xlsx"
    _rezip(good, path, {"xl/workbook.xml": b"<workbook><sheets>"})
    assert _only_finding(path) == "SPC-X002"


def test_too_many_sheets(tmp_path: Path) -> None:
    wb = Workbook()
    for n in range(xlsx_read.MAX_SHEETS + 1):
        wb.create_sheet(f"S{n}")
    path = tmp_path / "sheets.xlsx"
    wb.save(path)
    assert _only_finding(path) == "SPC-X005"


def test_a_row_far_below_any_return(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.cell(row=limits.max_sheet_rows() + 1, column=1, value=1)
    path = tmp_path / "rows.xlsx"
    wb.save(path)
    assert _only_finding(path) == "SPC-X005"


def test_too_many_cells(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "max_cells", lambda: 100)
    assert _only_finding(good) == "SPC-X005"


def test_a_file_over_the_size_limit(good: Path) -> None:
    with pytest.raises(UnreadableFileError) as caught:
        xlsx_read.read_grids(good, max_bytes=1000)
    assert caught.value.finding.code == "SPC-F002"


def test_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "return.xlsx"
    folder.mkdir()
    assert _only_finding(folder) == "SPC-F001"
    csv_folder = tmp_path / "return.csv"
    csv_folder.mkdir()
    assert _only_finding(csv_folder) == "SPC-F001"


def test_missing_file(tmp_path: Path) -> None:
    assert _only_finding(tmp_path / "absent.xlsx") == "SPC-F001"


def test_an_excel_error_value_is_reported(good: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(good)
    ws = wb["Outputs"]
    ws.cell(3, 2).value = "#DIV/0!"
    ws.cell(3, 2).data_type = "e"
    path = tmp_path / "error.xlsx"
    wb.save(path)
    findings = read_return(path).loaded.findings
    assert [f.code for f in findings] == ["SPC-X014"]
    assert "#DIV/0!" in findings[0].message


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b'path,value\n/period,"2025-26 Q2"x\n', "SPC-X012"),
        (b"path,value\n/period,2025\x00\n", "SPC-X012"),
        (b"path,value\n/notes,caf\xe9\n", "SPC-F006"),
        (b'path,value\n/notes,"' + b"x" * 200_000 + b'"\n', "SPC-X012"),
    ],
)
def test_broken_csv(tmp_path: Path, content: bytes, code: str) -> None:
    path = tmp_path / "return.csv"
    path.write_bytes(content)
    assert _only_finding(path) == code


def test_csv_with_too_many_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "max_csv_rows", lambda: 10)
    path = tmp_path / "return.csv"
    path.write_text("path,value\n" + "/notes,x\n" * 10, encoding="utf-8")
    assert _only_finding(path) == "SPC-X012"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from([".xlsx", ".csv"]))
def test_arbitrary_bytes_never_raise(data: bytes, suffix: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"return{suffix}"
        path.write_bytes(data)
        source = read_document(path)
    assert source.loaded.data is not None or source.loaded.findings


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 40_000), st.binary(min_size=1, max_size=64))
def test_damaged_workbooks_never_raise(offset: int, noise: bytes) -> None:
    import tempfile

    buffer = io.BytesIO()
    write_return_bytes(buffer)
    data = bytearray(buffer.getvalue())
    start = offset % len(data)
    data[start : start + len(noise)] = noise
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "return.xlsx"
        path.write_bytes(bytes(data))
        source = read_document(path)
    assert source.loaded.data is not None or source.loaded.findings


def write_return_bytes(buffer: io.BytesIO) -> None:
    from spcore.spreadsheets.xlsx_write import build_workbook

    build_workbook(example()).save(buffer)
