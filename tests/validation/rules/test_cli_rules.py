"""Business rules from the command line: exit statuses, several files, warnings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spcore.cli import main

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples/returns/northshire-connect-2025-26-Q2.json"
INVALID = ROOT / "examples/returns/invalid"


def test_a_rule_error_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(INVALID / "fte-above-headcount.json")]) == 1
    assert "SPC-R011" in capsys.readouterr().out


def test_two_returns_for_one_quarter_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "again.json"
    copy.write_text(EXAMPLE.read_text())
    assert main(["validate", str(EXAMPLE), str(copy)]) == 1
    out = capsys.readouterr().out
    assert "SPC-R050" in out


def test_a_rule_warning_fails_only_when_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads(EXAMPLE.read_text())
    doc["outputs"]["support_plans_coproduced"] = 199  # 198 people benefiting: SPC-R007
    path = tmp_path / "plans.json"
    path.write_text(json.dumps(doc))
    assert main(["validate", str(path)]) == 0
    assert main(["validate", "--strict", str(path)]) == 1
    assert "SPC-R007" in capsys.readouterr().out


def test_json_report_carries_the_rule_rationale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--format", "json", str(INVALID / "nhs-number-in-notes.json")]) == 1
    out = capsys.readouterr().out
    assert "943 476 5919" not in out
    report = json.loads(out)
    text = json.dumps(report)
    assert "SPC-R040" in text
    assert "Modulus 11" in text  # from the rule's rationale, not the message
