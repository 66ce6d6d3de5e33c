"""``spcore cases check``, ``spcore cases columns`` and ``spcore synth cases``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import spcore.cli
from spcore.cases import csv_columns


def _synth(tmp_path: Path, name: str, *extra: str) -> Path:
    out = tmp_path / name
    assert spcore.cli.main(["synth", "cases", "400", "--seed", "2", "-o", str(out), *extra]) == 0
    return out


def test_check_clean_extract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _synth(tmp_path, "clean.ndjson")
    capsys.readouterr()
    assert spcore.cli.main(["cases", "check", str(path)]) == 0
    assert "400 records read, 400 accepted, 0 rejected" in capsys.readouterr().out


def test_check_reports_rejections(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _synth(tmp_path, "dirty.csv", "--invalid-share", "0.2")
    err = capsys.readouterr().err
    assert "made invalid" in err
    assert spcore.cli.main(["cases", "check", str(path), "--max-per-group", "1"]) == 1
    out = capsys.readouterr().out
    assert "Rejected records by finding code:" in out
    assert "SPC-C013" in out
    assert "line " in out


def test_check_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _synth(tmp_path, "dirty.ndjson", "--invalid-share", "0.1")
    capsys.readouterr()
    assert spcore.cli.main(["cases", "check", str(path), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    summary = report["summary"]
    assert summary["read"] == 400
    assert summary["accepted"] + summary["rejected"] == 400
    assert report["examples"]
    assert all(e["line"] > 0 and e["findings"] for e in report["examples"])


def test_check_unreadable_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert spcore.cli.main(["cases", "check", str(tmp_path / "absent.ndjson")]) == 2
    assert "SPC-C001" in capsys.readouterr().out


def test_check_input_format_option(tmp_path: Path) -> None:
    path = _synth(tmp_path, "cases.ndjson")
    renamed = path.rename(tmp_path / "cases.txt")
    assert spcore.cli.main(["cases", "check", str(renamed), "--input-format", "ndjson"]) == 0


def test_columns(capsys: pytest.CaptureFixture[str]) -> None:
    assert spcore.cli.main(["cases", "columns"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == list(csv_columns())


@pytest.mark.parametrize(
    "argv",
    [
        ["synth", "cases", "-5", "--seed", "1"],
        ["synth", "cases", "5", "--seed", "1", "--invalid-share", "1.5"],
        ["synth", "cases", "5", "--seed", "1", "--year", "20"],
        ["synth", "cases", "5", "--seed", "1", "-o", "/nonexistent-dir/x.ndjson"],
        ["cases", "check", "x.ndjson", "--max-per-group", "-1"],
    ],
)
def test_misuse_is_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert spcore.cli.main(argv) == 2
    assert capsys.readouterr().err.startswith("spcore: error:")


def test_synth_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert spcore.cli.main(["synth", "cases", "3", "--seed", "1", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split(",") == list(csv_columns())
    assert len(out) == 4


def test_no_examples_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _synth(tmp_path, "dirty.ndjson", "--invalid-share", "0.2")
    capsys.readouterr()
    assert spcore.cli.main(["cases", "check", str(path), "--max-per-group", "0"]) == 1
    out = capsys.readouterr().out
    assert "Rejected records by finding code:" in out
    assert "First rejected records" not in out
