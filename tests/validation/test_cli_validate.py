"""``spcore validate`` end to end: formats, output files, limits, colour and exit statuses."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from spcore.cli import main
from spcore.findings import warning
from spcore.validation import ValidationReport
from spcore.validation import cli as validate_cli
from spcore.validation.render_json import report_schema

ROOT = Path(__file__).resolve().parents[2]
VALID = str(ROOT / "examples" / "returns" / "northshire-connect-2025-26-Q2.json")
INVALID = ROOT / "examples" / "returns" / "invalid"
NEGATIVE = str(INVALID / "negative-count.json")
NOT_JSON = str(INVALID / "not-json.json")


def bad_groups_file(tmp_path: Path, n: int) -> str:
    doc: dict[str, Any] = json.loads(Path(VALID).read_text(encoding="utf-8"))
    doc["outputs"]["community_groups"]["groups"] = [
        {"name": f"Group {i}", "referrals": -1} for i in range(n)
    ]
    path = tmp_path / "many.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def test_text_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", VALID, NEGATIVE]) == 1
    out = capsys.readouterr().out
    assert f"{VALID}\n  valid: no errors, no warnings.\n" in out
    assert f"{NEGATIVE}\n  NOT valid: 1 error, no warnings.\n" in out
    assert "    SPC-S005 People referred: 1 finding\n" in out
    assert "      - /outputs/people_referred\n" in out
    assert out.endswith("Checked 2 files: 1 valid, 1 not valid, 0 cannot be read.\n")
    assert "\x1b[" not in out  # captured output is not a terminal


def test_json_format_follows_its_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "json", VALID, NEGATIVE, NOT_JSON]) == 2
    document = json.loads(capsys.readouterr().out)
    assert list(Draft202012Validator(report_schema()).iter_errors(document)) == []
    assert [r["verdict"] for r in document["reports"]] == ["valid", "NOT valid", "cannot be read"]


def test_html_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.html"
    assert main(["validate", "--format", "html", "-o", str(target), NEGATIVE]) == 1
    assert capsys.readouterr().out == ""
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "SPC-S005" in page


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_output_file_for_text_and_json(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / f"report.{fmt}"
    assert main(["validate", "--format", fmt, "--output", str(target), VALID]) == 0
    assert capsys.readouterr().out == ""
    assert "northshire-connect-2025-26-Q2.json" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("where", ["missing-folder/report.html", "."])
def test_unwritable_output_is_one_line_and_status_2(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / where
    assert main(["validate", "--format", "html", "-o", str(target), VALID]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("spcore: error: ")
    assert captured.err.count("\n") == 1
    assert captured.err.count("\n") == 1
    assert "Traceback" not in captured.err


def test_output_never_overwrites_a_return(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "return.json"
    original = Path(VALID).read_text(encoding="utf-8")
    target.write_text(original, encoding="utf-8")
    assert main(["validate", str(target), "-o", str(tmp_path / "." / "return.json")]) == 2
    assert capsys.readouterr().err.startswith("spcore: error: the output ")
    assert target.read_text(encoding="utf-8") == original


def test_max_per_group(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    many = bad_groups_file(tmp_path, 300)
    assert main(["validate", many]) == 1
    out = capsys.readouterr().out
    assert out.count("      - /outputs/community_groups/groups/") == 5
    assert "... and 295 more like this" in out
    assert main(["validate", "--max-per-group", "2", many]) == 1
    out = capsys.readouterr().out
    assert out.count("      - /outputs/community_groups/groups/") == 2
    assert "... and 298 more like this" in out
    assert main(["validate", "--max-per-group", "0", many]) == 1
    out = capsys.readouterr().out
    assert out.count("      - /outputs/community_groups/groups/") == 300
    assert "more like this" not in out


@pytest.mark.parametrize("value", ["-1", "five", "2.5"])
def test_bad_max_per_group_is_a_usage_error(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--max-per-group", value, VALID])
    assert exc.value.code == 2
    assert "--max-per-group" in capsys.readouterr().err


def test_unknown_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--format", "pdf", VALID])
    assert exc.value.code == 2


def _only_warnings(paths: Iterable[object], **_: object) -> list[ValidationReport]:
    return [
        ValidationReport(str(p), (warning("SPC-R999", "/outputs/people_benefiting", "High."),))
        for p in paths
    ]


def test_warnings_exit_0_unless_strict(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(validate_cli, "validate_returns", _only_warnings)
    assert main(["validate", VALID]) == 0
    out = capsys.readouterr().out
    assert "valid, with warnings: no errors, 1 warning." in out
    assert "Warnings (worth a second look)" in out
    assert main(["validate", "--strict", VALID]) == 1


def test_unreadable_file_exits_2_with_its_finding(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", NOT_JSON, VALID]) == 2
    out = capsys.readouterr().out
    assert "cannot be read: 1 error, no warnings." in out
    assert "SPC-F003: 1 finding" in out


def test_colour_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--color", "always", NEGATIVE]) == 1
    assert "\x1b[1;31mNOT valid\x1b[0m" in capsys.readouterr().out
    assert main(["validate", "--colour", "always", "--format", "json", NEGATIVE]) == 1
    assert "\x1b[" not in capsys.readouterr().out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_auto_follows_the_terminal_and_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert validate_cli.use_colour("auto", _Terminal())
    assert not validate_cli.use_colour("auto", io.StringIO())
    assert not validate_cli.use_colour("never", _Terminal())
    assert validate_cli.use_colour("always", io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not validate_cli.use_colour("auto", _Terminal())
    monkeypatch.setenv("NO_COLOR", "")  # empty means unset (no-color.org)
    assert validate_cli.use_colour("auto", _Terminal())


def test_the_documented_text_example_is_what_validate_prints(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = (ROOT / "docs" / "validation-reports.md").read_text(encoding="utf-8")
    example = docs.split("```text\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(ROOT)
    assert main(["validate", "examples/returns/invalid/negative-count.json"]) == 1
    assert capsys.readouterr().out == example


def test_today_option_judges_the_future_against_the_given_date(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from spcore.cli import main

    example = str(ROOT / "examples/returns/northshire-connect-2025-26-Q2.json")
    # The example is for 2025-26 Q2 (July to September 2025).
    assert main(["validate", "--today", "2025-06-30", "--format", "json", example]) == 1
    assert "SPC-R021" in capsys.readouterr().out
    assert main(["validate", "--today", "2025-10-14", example]) == 0
    capsys.readouterr()


def test_today_option_refuses_a_non_date(capsys: pytest.CaptureFixture[str]) -> None:
    from spcore.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["validate", "--today", "14/10/2025", "x.json"])
    assert stopped.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
