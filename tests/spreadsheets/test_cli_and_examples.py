"""``spcore template`` and ``spcore convert``, and the bundled example in all three forms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.spreadsheets.helpers import EXAMPLE, canonical, example

import spcore
from spcore.cli import main
from spcore.spreadsheets import ConversionError, convert
from spcore.spreadsheets.xlsx_read import read_grids

EXAMPLE_XLSX = EXAMPLE.with_suffix(".xlsx")
EXAMPLE_CSV = EXAMPLE.with_suffix(".csv")


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_template_command(tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"template{suffix}"
    assert main(["template", str(out)]) == 0
    assert out.stat().st_size > 1000
    assert "wrote" in capsys.readouterr().out


def test_template_refuses_other_suffixes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["template", str(tmp_path / "template.ods")]) == 2
    assert "must end in .xlsx or .csv" in capsys.readouterr().err


@pytest.mark.parametrize("middle", [".xlsx", ".csv"])
def test_convert_there_and_back(tmp_path: Path, middle: str) -> None:
    there = tmp_path / f"return{middle}"
    back = tmp_path / "back.json"
    assert main(["convert", str(EXAMPLE), str(there)]) == 0
    assert main(["convert", str(there), str(back)]) == 0
    assert canonical(json.loads(back.read_text(encoding="utf-8"))) == canonical(example())


def test_convert_an_invalid_return_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = example()
    doc["outputs"]["people_referred"] = -3
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "bad.xlsx"
    assert main(["convert", str(src), str(out)]) == 1
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [src]  # no temporary file left behind either
    assert "SPC-S005" in capsys.readouterr().out


def test_convert_an_unreadable_return_exits_2(tmp_path: Path) -> None:
    src = tmp_path / "broken.xlsx"
    src.write_text("not a workbook")
    out = tmp_path / "out.json"
    assert main(["convert", str(src), str(out)]) == 2
    assert not out.exists()


def test_convert_refuses_to_overwrite_its_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "return.json"
    src.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    before = src.read_bytes()
    assert main(["convert", str(src), str(tmp_path / "." / "return.json")]) == 2
    assert "is the input" in capsys.readouterr().err
    assert src.read_bytes() == before
    with pytest.raises(ConversionError):
        convert(src, src)


def test_convert_refuses_unknown_suffixes(tmp_path: Path) -> None:
    assert main(["convert", str(EXAMPLE), str(tmp_path / "return.txt")]) == 2


def test_validate_reads_every_form(capsys: pytest.CaptureFixture[str]) -> None:
    for path in (EXAMPLE, EXAMPLE_XLSX, EXAMPLE_CSV):
        report = spcore.validate_return(path)
        assert report.is_valid, report.findings
        assert report.findings == ()
        assert main(["validate", str(path)]) == 0
    capsys.readouterr()


def test_bundled_csv_is_what_convert_writes(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.csv"
    assert convert(EXAMPLE, fresh).is_valid
    assert fresh.read_bytes() == EXAMPLE_CSV.read_bytes(), (
        "examples/returns/*.csv has drifted: run "
        "spcore convert examples/returns/northshire-connect-2025-26-Q2.json "
        "-o examples/returns/northshire-connect-2025-26-Q2.csv"
    )


def test_bundled_xlsx_is_what_convert_writes(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.xlsx"
    assert convert(EXAMPLE, fresh).is_valid
    assert read_grids(fresh) == read_grids(EXAMPLE_XLSX), (
        "examples/returns/*.xlsx has drifted: run "
        "spcore convert examples/returns/northshire-connect-2025-26-Q2.json "
        "-o examples/returns/northshire-connect-2025-26-Q2.xlsx"
    )


def test_public_api() -> None:
    assert spcore.spreadsheets.read_return(EXAMPLE_XLSX).loaded.data == example()
