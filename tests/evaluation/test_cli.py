"""``spcore evaluate``: outputs, exit statuses, one-line errors, the report's extra."""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

import jsonschema
import pytest
from tests.evaluation.hand_worked import as_json, extract

from spcore.cli import main
from spcore.evaluation.report_json import bundled_schema


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    path = tmp_path / "cases.ndjson"
    path.write_text("\n".join(json.dumps(r) for r in as_json(extract())) + "\n", encoding="utf-8")
    return path


def _validate(document: dict[str, object]) -> None:
    validator = jsonschema.Draft202012Validator(
        bundled_schema(), format_checker=jsonschema.FormatChecker()
    )
    errors = [e.message for e in validator.iter_errors(document)]
    assert errors == []


def test_report_json_and_tables(
    cases: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report, out, tables = tmp_path / "report.html", tmp_path / "out.json", tmp_path / "tables"
    argv = [
        "evaluate",
        str(cases),
        "--quarter",
        "2025-26Q1",
        "--by",
        "age-band",
        "-o",
        str(report),
        "--json",
        str(out),
        "--tables",
        str(tables),
    ]
    assert main(argv) == 3  # records were left out (a repeated case, a later case)
    err = capsys.readouterr().err
    assert "14 records read, 10 people evaluated, 2 left out" in err
    assert "SPC-V002" in err
    assert "line 9" in err
    document = json.loads(out.read_text())
    _validate(document)
    assert document["records"]["left_out"] == {"SPC-V002": 1, "SPC-V004": 1}
    html = report.read_text()
    assert "<script" not in html
    assert "<link" not in html
    assert "@import" not in html
    assert not re.search(r"""(src|href)=["']?https?:""", html)
    assert html.count("<svg") >= 2
    assert "Regression to the mean" in html
    assert "SPC-V004" in html
    with (tables / "outcomes.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    mean = next(
        r
        for r in rows
        if r["subject"] == "swemwbs" and r["by"] == "all" and r["statistic"] == "mean_change"
    )
    assert float(mean["value"]) == pytest.approx(0.5)
    assert {p.name for p in tables.iterdir()} == {"records.csv", "outcomes.csv", "progress.csv"}


def test_suppressed_output_publishes_no_small_count(cases: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    assert main(["evaluate", str(cases), "--suppress", "--json", str(out)]) == 3
    document = json.loads(out.read_text())
    _validate(document)
    control = document["disclosure_control"]
    assert control["rule"] == "nhs-digital-1-7-round-5"
    assert control["withheld"]
    for figure in document["outcomes"]:
        for cell in figure["cells"]:
            for key in ("n_paired", "improved", "no_change", "worse", "no_follow_up"):
                value = cell[key]
                assert value is None or value == 0 or (value > 7 and value % 5 == 0)
            if cell["n_paired"] is None:
                assert cell["mean_change"] is None
                assert cell["ci_low"] is None
            assert cell["df"] is None
            assert cell["wilcoxon_r_plus"] is None


def test_json_to_standard_output(cases: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(cases), "--json", "-"]) == 3
    assert json.loads(capsys.readouterr().out)["format_version"] == "1.0"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--from", "2025-13-01"], "SPC-V005"),
        (["--from", "2025-09-01", "--to", "2025-04-01"], "ends (2025-04-01) before it starts"),
        (["--quarter", "2025-27Q1"], "not consecutive"),
        (["--quarter", "2025-26Q1", "--to", "2025-05-01"], "--to cannot be given with --quarter"),
        (["--suppress", "9:100"], "--suppress"),
        ([], "name an output"),
    ],
)
def test_bad_options_are_one_line_errors(
    cases: Path, options: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["evaluate", str(cases), *options]
    if options:
        argv += ["--json", "-"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_an_unreadable_extract_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", str(tmp_path / "missing.ndjson"), "--json", "-"]) == 2
    assert "cannot be used" in capsys.readouterr().err


def test_bad_lines_are_counted_not_fatal(
    cases: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with cases.open("a", encoding="utf-8") as handle:
        handle.write('{"case_id": "CASE-Z", "broken": \n')
    out = tmp_path / "out.json"
    assert main(["evaluate", str(cases), "--json", str(out)]) == 3
    document = json.loads(out.read_text())
    assert document["records"]["left_out"]["SPC-V001"] == 1
    assert "line 15" in capsys.readouterr().err


def test_the_report_needs_the_report_extra(
    cases: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if not installed
    assert main(["evaluate", str(cases), "-o", str(tmp_path / "r.html")]) == 2
    assert "pip install 'spcore[report]'" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


def test_the_report_is_the_same_bytes_each_time(cases: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    main(["evaluate", str(cases), "-o", str(first)])
    main(["evaluate", str(cases), "-o", str(second)])
    assert first.read_bytes() == second.read_bytes()


def test_the_output_may_not_be_the_input(cases: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(cases), "--json", str(cases)]) == 2
    assert "would destroy the input" in capsys.readouterr().err


EXAMPLES = Path(__file__).parents[2] / "examples" / "evaluation"


def _service_cases(tmp_path: Path) -> Path:
    from tests.evaluation.service_extract import service_extract

    path = tmp_path / "service.ndjson"
    path.write_text("\n".join(json.dumps(r) for r in service_extract()) + "\n", encoding="utf-8")
    return path


def test_costs_and_sroi_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = _service_cases(tmp_path)
    out, report = tmp_path / "out.json", tmp_path / "report.html"
    argv = [
        "evaluate",
        str(cases),
        "--unit-costs",
        str(EXAMPLES / "unit-costs-illustrative.csv"),
        "--price-year",
        "2025-26",
        "--price-index",
        str(EXAMPLES / "price-index-illustrative.csv"),
        "--sroi",
        str(EXAMPLES / "sroi-illustrative.yaml"),
        "--json",
        str(out),
        "-o",
        str(report),
        "--tables",
        str(tmp_path / "tables"),
    ]
    assert main(argv) == 1  # the SROI's wellbeing outcome: no SWEMWBS in this extract
    err = capsys.readouterr().err
    assert "SPC-V021" in err
    assert "no swemwbs score scores were paired" in err
    document = json.loads(out.read_text())
    _validate(document)
    assert document["costs"]["price_year"] == "2025-26"
    assert document["sroi"]["investment"] == 96000
    html = report.read_text()
    assert "Social return on investment" in html
    assert "Sensitivity" in html
    assert "Regression to the mean" in html
    names = {p.name for p in (tmp_path / "tables").iterdir()}
    assert {"service_use.csv", "costs.csv", "sroi.csv"} <= names


def test_a_bad_unit_cost_file_is_exit_1_and_the_rest_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = _service_cases(tmp_path)
    costs = tmp_path / "costs.csv"
    costs.write_text(
        "service,unit,cost,price_year,source\ngp-consultations,consultation,-1,2024-25,x\n"
    )
    out = tmp_path / "out.json"
    assert main(["evaluate", str(cases), "--unit-costs", str(costs), "--json", str(out)]) == 1
    assert "line 2: the cost of gp-consultations is negative" in capsys.readouterr().err
    document = json.loads(out.read_text())
    assert document["costs"] is None
    assert document["service_use"]["figures"]
    assert document["input_findings"][0]["code"] == "SPC-V011"


def test_help_reads_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["evaluate", "--help"])
    text = capsys.readouterr().out
    assert "95% intervals" in text
    assert "%%" not in text
