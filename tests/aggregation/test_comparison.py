"""Comparison people's records are held for evaluation and never counted in a return."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.aggregation.both_paths import aggregate
from tests.aggregation.test_facts import EXAMPLE

from spcore.cases.synth import synth_cases
from spcore.cli import main


def test_comparison_records_are_left_out_of_the_figures_and_counted() -> None:
    records = list(synth_cases(600, 21))
    marked = [dict(r) for r in records]
    for index in range(0, len(marked), 3):
        marked[index]["cohort"] = "comparison-not-referred"
    for index in range(1, len(marked), 6):
        marked[index]["cohort"] = "referred"  # said outright: counted as if absent
    referred_only = [r for r in marked if r.get("cohort") != "comparison-not-referred"]
    for quarter in ("2025-26Q1", "2025-26Q3"):
        result = aggregate(marked, quarter)  # both paths, held equal
        alone = aggregate(referred_only, quarter)
        assert result.records_comparison == 200
        assert result.records_skipped == 0
        assert result.records_used == alone.records_used == 400
        assert result.document == alone.document
        assert result.report()["records_comparison"] == 200


def test_the_command_line_says_how_many_comparison_records_it_held(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = tmp_path / "cases.ndjson"
    argv = ["synth", "cases", "300", "--seed", "8", "-o", str(cases), "--comparison-share", "0.2"]
    assert main(argv) == 0
    held = sum("cohort" in json.loads(line) for line in cases.read_text().splitlines())
    out = tmp_path / "return.json"
    argv = ["aggregate", str(cases), "--quarter", "2025-26Q2", "--facts", str(EXAMPLE)]
    assert main([*argv, "-o", str(out)]) == 0  # comparison records are not records left out
    err = capsys.readouterr().err
    assert f"{held} comparison records held for evaluation and not counted" in err
    assert "exit status 0" in err
