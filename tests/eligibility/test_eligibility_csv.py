"""`spcore eligibility`: streaming CSV evaluation and the command line."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

import spcore.cli
from spcore.eligibility import OUTPUT_COLUMNS, evaluate_csv, secondary_care_rules
from spcore.eligibility.csvio import CsvInputError

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "examples" / "rules" / "secondary-care.yaml"
PEOPLE = ROOT / "examples" / "rules" / "people.csv"
AS_OF = dt.date(2025, 6, 30)


@pytest.fixture(autouse=True)
def only_this_command(monkeypatch: pytest.MonkeyPatch) -> None:
    # Exercise the real main() with only this package's command registered.
    monkeypatch.setattr(spcore.cli, "COMMAND_MODULES", ("spcore.eligibility.cli",))


def run(text: str) -> tuple[list[dict[str, str]], list[str]]:
    out = io.StringIO()
    evaluate_csv(secondary_care_rules(), io.StringIO(text), out, as_of=AS_OF)
    out.seek(0)
    reader = csv.DictReader(out)
    return list(reader), list(reader.fieldnames or [])


def test_columns_kept_in_order_and_appended() -> None:
    rows, header = run("zz,age,in_secondary_care,aa\n1,40,yes,x\n")
    assert header == ["zz", "age", "in_secondary_care", "aa", *OUTPUT_COLUMNS]
    assert rows[0]["zz"] == "1"
    assert rows[0]["aa"] == "x"
    assert rows[0]["eligibility_decision"] == "needs review"  # exclusions not known
    assert rows[0]["eligibility_as_of"] == "2025-06-30"


def test_bad_cell_is_a_finding_not_an_abort() -> None:
    text = (
        "age,in_secondary_care,discharge_date\n"
        "abc,yes,\n"
        "40,yes,2025-02-30\n"
        "40,yes,,extra\n"
        "\n"
        '"unterminated,yes\n'
    )
    rows, _ = run(text)
    assert len(rows) >= 3
    assert rows[0]["eligibility_findings"].startswith("SPC-E020 error: Row 1, column age:")
    assert rows[0]["eligibility_decision"] == "needs review"
    assert "not a real calendar date" in rows[1]["eligibility_findings"]
    assert "extra cells left out: extra" in rows[2]["eligibility_findings"]
    assert rows[2]["eligibility_decision"] == "needs review"
    assert len(rows) == 4  # the blank line is skipped; the broken line still gets a row
    assert rows[3]["eligibility_decision"] == "needs review"


def test_header_problems() -> None:
    with pytest.raises(CsvInputError, match="empty"):
        run("")
    with pytest.raises(CsvInputError, match="eligibility_decision"):
        run("age,eligibility_decision\n")


def test_cli_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.csv"
    status = spcore.cli.main(
        ["eligibility", "--rules", str(RULES), str(PEOPLE), "-o", str(out), "--as-of", "2025-06-30"]
    )
    assert status == 1  # the example file has one row with unreadable cells
    with out.open(newline="", encoding="utf-8") as handle:
        rows = {r["person_ref"]: r for r in csv.DictReader(handle)}
    assert rows["P001"]["eligibility_decision"] == "eligible"
    assert rows["P004"]["eligibility_decision"] == "not eligible"  # 17
    assert rows["P005"]["eligibility_decision"] == "not eligible"  # mental health crisis
    assert rows["P006"]["eligibility_decision"] == "needs review"
    assert "beyond red" in rows["P005"]["eligibility_reasons"]
    err = capsys.readouterr().err
    assert "7 people evaluated" in err
    # The row with problems is named on standard error: line, row, reference, why.
    assert f"{PEOPLE}:8: SPC-E020 error: row 7 (P007): column in_secondary_care:" in err
    assert err.rstrip().endswith("1 row with findings (SPC-E020 2) (exit status 1)")


def test_cli_rule_check_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert spcore.cli.main(["eligibility", "--rules", str(RULES)]) == 0
    assert "valid rule set 'secondary-care'" in capsys.readouterr().out


def test_cli_invalid_rules_evaluate_nobody(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: t\nrule:\n  any: []\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    status = spcore.cli.main(["eligibility", "--rules", str(bad), str(PEOPLE), "-o", str(out)])
    assert status == 2
    assert not out.exists()
    assert "SPC-E012" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["eligibility", "--rules", "/no/such/file.yaml"],
        ["eligibility", "--rules", str(RULES), "/no/such/people.csv"],
        ["eligibility", "--rules", str(RULES), str(PEOPLE), "--as-of", "30/06/2025"],
    ],
)
def test_cli_unusable_input_is_one_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert spcore.cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("spcore: error: ")
    assert "Traceback" not in err


def test_missing_columns_warned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    people = tmp_path / "p.csv"
    people.write_text("age\n40\n", encoding="utf-8")
    status = spcore.cli.main(
        ["eligibility", "--rules", str(RULES), str(people), "-o", str(tmp_path / "o.csv")]
    )
    assert status == 0
    err = capsys.readouterr().err
    assert "SPC-E021" in err
    assert "in_secondary_care" in err


def test_unparseable_line_gets_a_blank_row_and_the_file_goes_on() -> None:
    too_big = '"' + "x" * (csv.field_size_limit() + 10) + '",yes'
    rows, _ = run(f"age,in_secondary_care\n40,yes\n{too_big}\n41,yes\n")
    assert [r["age"] for r in rows] == ["40", "", "41"]
    assert rows[1]["eligibility_findings"].startswith("SPC-E022 error: Row 2 cannot be read as CSV")
