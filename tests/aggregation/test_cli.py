"""``spcore aggregate``: exit statuses, output, report, and one-line errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.aggregation.test_facts import EXAMPLE
from tests.aggregation.test_hand_worked import extract

from spcore.cli import main
from spcore.validation import validate_return


def write_extract(path: Path, extra_lines: tuple[str, ...] = ()) -> Path:
    lines = [
        json.dumps(r.model_dump(mode="json", by_alias=True, exclude_none=True)) for r in extract()
    ]
    path.write_text("\n".join([*lines, *extra_lines]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    return write_extract(tmp_path / "cases.ndjson")


def test_a_complete_valid_return_exits_0(
    cases: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, report = tmp_path / "return.json", tmp_path / "report.json"
    argv = [
        "aggregate", str(cases), "--quarter", "2025-26Q2", "--facts", str(EXAMPLE),
        "-o", str(out), "--report", str(report),
    ]  # fmt: skip
    assert main(argv) == 0
    assert validate_return(out).is_valid
    assert json.loads(out.read_text())["outputs"]["people_referred"] == 4
    details = json.loads(report.read_text())
    assert (details["records_read"], details["records_used"]) == (8, 8)
    assert "/outputs/link_workers" in details["from_facts"]
    assert "8 records read, 8 used, 0 left out" in capsys.readouterr().err


def test_suppress_applies_the_default_rule(cases: Path, tmp_path: Path) -> None:
    out = tmp_path / "return.json"
    argv = ["aggregate", str(cases), "--quarter", "2025-26 Q2", "--facts", str(EXAMPLE),
            "--suppress", "-o", str(out)]  # fmt: skip
    assert main(argv) == 0
    document = json.loads(out.read_text())
    assert document["disclosure_control"]["rule"] == "nhs-digital-1-7-round-5"
    assert validate_return(document).is_valid


def test_suppress_takes_a_custom_rule(cases: Path, tmp_path: Path) -> None:
    out = tmp_path / "return.json"
    argv = ["aggregate", str(cases), "--quarter", "2025-26 Q2", "--facts", str(EXAMPLE),
            "-o", str(out), "--suppress", "2:1"]  # fmt: skip
    assert main(argv) == 0
    document = json.loads(out.read_text())
    assert document["disclosure_control"]["threshold"] == 2
    assert document["outputs"]["people_referred"] == 4  # above 2, rounding base 1


def test_without_facts_the_return_is_written_but_incomplete(
    cases: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["aggregate", str(cases), "--quarter", "2025-26 Q2"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["period"] == "2025-26 Q2"
    assert "incomplete" in captured.err
    assert "SPC-A020" in captured.err


def test_a_bad_line_is_left_out_and_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_extract(tmp_path / "cases.ndjson", ("{not json",))
    argv = ["aggregate", str(path), "--quarter", "2025-26 Q2", "--facts", str(EXAMPLE),
            "-o", str(tmp_path / "r.json")]  # fmt: skip
    # The return is valid, but a record was left out: exit status 3, said in words.
    assert main(argv) == 3
    err = capsys.readouterr().err
    assert err.rstrip().endswith("but records were left out (exit status 3)")
    assert "(SPC-A001 1)" in err
    assert "SPC-A001" in err
    assert "9 records read, 8 used, 1 left out" in err
    # The line is named once, in the message, not as a position pointer beside the file name.
    (reported,) = [line for line in err.splitlines() if "SPC-A001 error" in line]
    assert reported.startswith(f"{path}: SPC-A001 error: The record on line 9 ")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--quarter", "2025-27 Q1"], "--quarter"),
        (["--quarter", "2025-26 Q2", "--suppress", "12:10"], "--suppress"),
        (["--quarter", "2025-26 Q2", "--facts", "/nonexistent/facts.yaml"], "facts file"),
    ],
)
def test_misuse_is_one_line_and_exit_2(
    cases: Path, options: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["aggregate", str(cases), *options]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_an_invalid_facts_file_is_exit_2_with_its_findings(
    cases: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text("scheme: {id: X}\n", encoding="utf-8")
    assert main(["aggregate", str(cases), "--quarter", "2025-26 Q2", "--facts", str(facts)]) == 2
    err = capsys.readouterr().err
    assert "SPC-S001" in err
    assert "the facts file is invalid" in err


def test_an_unreadable_extract_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "absent.ndjson"
    assert main(["aggregate", str(missing), "--quarter", "2025-26 Q2"]) == 2
    assert "cannot be used" in capsys.readouterr().err


def test_the_documentation_names_every_finding_code() -> None:
    from spcore.aggregation import FINDING_CODES

    page = (Path(__file__).parents[2] / "docs" / "aggregation.md").read_text(encoding="utf-8")
    assert [code for code in FINDING_CODES if f"| {code} |" not in page] == []
