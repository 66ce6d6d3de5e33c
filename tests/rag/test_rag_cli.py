"""``spcore rag``: a CSV of assessments rated row by row, and the page's commands run."""

from __future__ import annotations

import csv
import importlib.util
import io
import shutil
from pathlib import Path

import pytest

from spcore.cli import main
from spcore.rag import INPUT_COLUMNS, NEEDS_REVIEW, OUTPUT_COLUMNS, rate_csv

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "rag" / "assessments.csv"
HEADER = ",".join(INPUT_COLUMNS)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _rate(text: str) -> list[dict[str, str]]:
    out = io.StringIO()
    rate_csv(io.StringIO(text), out)
    return _rows(out.getvalue())


def _line(**cells: str) -> str:
    defaults = dict.fromkeys(INPUT_COLUMNS, "no")
    defaults.update(concern_level="none", concern="")
    defaults.update(cells)
    return ",".join(defaults[c] for c in INPUT_COLUMNS)


def test_example_file_rates_every_case(tmp_path: Path) -> None:
    out = tmp_path / "ratings.csv"
    assert main(["rag", str(EXAMPLE), "-o", str(out)]) == 1
    rows = _rows(out.read_text(encoding="utf-8"))
    ratings = {r["case_ref"]: r["rag_rating"] for r in rows}
    assert ratings == {
        "C001": "green",
        "C002": "amber",
        "C003": "red",
        "C004": "amber",
        "C005": "red",
        "C006": "green",
        "C007": NEEDS_REVIEW,
    }
    c005 = next(r for r in rows if r["case_ref"] == "C005")
    assert c005["rag_beyond_red"] == "yes"
    assert "contact-social-services" in c005["rag_duties"]
    c006 = next(r for r in rows if r["case_ref"] == "C006")
    assert c006["rag_complete"] == "no"
    c007 = next(r for r in rows if r["case_ref"] == "C007")
    assert c007["rag_findings"].startswith("SPC-G010 Row 7, column victim_of_violence_or_abuse")
    assert list(rows[0])[-len(OUTPUT_COLUMNS) :] == list(OUTPUT_COLUMNS)


@pytest.mark.parametrize("spelling", ["yes", "YES", "Y", "true", "True", "1", " yes "])
def test_yes_spellings(spelling: str) -> None:
    (row,) = _rate(f"{HEADER}\n{_line(risk_to_self_or_others=spelling)}\n")
    assert row["rag_rating"] == "amber"
    assert row["rag_findings"] == ""


@pytest.mark.parametrize("spelling", ["no", "NO", "n", "false", "FALSE", "0"])
def test_no_spellings(spelling: str) -> None:
    (row,) = _rate(f"{HEADER}\n{_line(risk_to_self_or_others=spelling)}\n")
    assert row["rag_rating"] == "green"


@pytest.mark.parametrize("spelling", ["maybe", "yes please", "2", "-1", "oui", "ja", "tru"])
def test_unrecognised_spelling_needs_review(spelling: str) -> None:
    (row,) = _rate(f"{HEADER}\n{_line(actively_suicidal=spelling)}\n")
    assert row["rag_rating"] == NEEDS_REVIEW
    assert "SPC-G010 Row 1, column actively_suicidal" in row["rag_findings"]


def test_unknown_concern_level_has_a_suggestion() -> None:
    (row,) = _rate(f"{HEADER}\n{_line(concern_level='signficant', concern='alert')}\n")
    assert row["rag_rating"] == NEEDS_REVIEW
    assert "did you mean 'significant'?" in row["rag_findings"]


def test_described_concern_without_level_needs_review() -> None:
    (row,) = _rate(f"{HEADER}\n{_line(concern_level='', concern='partner abuse')}\n")
    assert row["rag_rating"] == NEEDS_REVIEW


def test_missing_and_misspelt_columns_are_warned(tmp_path: Path) -> None:
    header = HEADER.replace("actively_suicidal", "activly_suicidal")
    summary = rate_csv(io.StringIO(f"{header}\n{_line()}\n"), io.StringIO())
    (finding,) = summary.header_findings
    assert finding.code == "SPC-G011"
    assert "activly_suicidal" in finding.message


def test_malformed_rows_are_findings() -> None:
    rows = _rate(f'{HEADER}\n{_line()},extra\nno,"unterminated\n')
    assert [r["rag_rating"] for r in rows] == [NEEDS_REVIEW] * len(rows)
    assert rows[0]["rag_findings"].startswith("SPC-G012")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert main(["rag", str(empty)]) == 2
    assert main(["rag", str(tmp_path / "missing.csv")]) == 2
    clash = tmp_path / "clash.csv"
    clash.write_text("rag_rating\nx\n", encoding="utf-8")
    assert main(["rag", str(clash)]) == 2
    assert main(["rag", str(EXAMPLE), "-o", str(EXAMPLE)]) == 2


def test_clean_file_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text(f"{HEADER}\n{_line()}\n", encoding="utf-8")
    assert main(["rag", str(path), "-o", str(tmp_path / "out.csv")]) == 0


def _howtos() -> object:
    spec = importlib.util.spec_from_file_location(
        "howtos", REPO / "tests" / "docs" / "test_howtos.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rag_page_commands_run(tmp_path: Path) -> None:
    """Every console and Python block of docs/rag.md runs as written."""
    if not shutil.which("spcore"):
        pytest.skip("the spcore command is not installed")
    _howtos().run_page(REPO / "docs" / "rag.md", tmp_path)  # type: ignore[attr-defined]
