"""Regression tests for hostile input: one test (or more) per class of defect.

Each class was found by fuzzing every command; the fix lives in a shared module
(strict_json, strict_yaml, compressed, cli_output, excerpt, limits), and these
tests hold each command to it through the command line, in process.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from spcore import strict_json, strict_yaml
from spcore.cli import main
from spcore.cli_output import OutputError, neutralise, open_output
from spcore.excerpt import excerpt

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples/returns/northshire-connect-2025-26-Q2.json"
EXTRACT = ROOT / "examples/cases/extract-2025-26.ndjson"
IDENTIFIABLE = ROOT / "examples/cases/identifiable-extract.ndjson"
FACTS = ROOT / "examples/cases/scheme-facts.yaml"
RULES = ROOT / "examples/rules/secondary-care.yaml"
PEOPLE = ROOT / "examples/rules/people.csv"
KEY_HEX = "4cf82fd92f72090e0a7d3fca94f1475aa9c78dbf663c85559dee8d304902fa52"


def _run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _one_line_reason(err: str) -> None:
    lines = [line for line in err.splitlines() if line.startswith("spcore: error:")]
    assert len(lines) >= 1, err
    assert all("Traceback" not in line for line in err.splitlines())


# -- 1. lone surrogates ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "html"])
def test_a_lone_surrogate_in_a_return_is_a_finding_and_every_report_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    source = tmp_path / "s.json"
    source.write_text('{"\\ud800": 1}', encoding="utf-8")
    report = tmp_path / "report.out"
    status, _, err = _run(capsys, "validate", source, "--format", fmt, "-o", report)
    assert status == 2
    assert "SPC-F008" in report.read_text(encoding="utf-8")
    _one_line_reason(err)


def test_a_lone_surrogate_in_a_case_line_is_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = json.loads(EXTRACT.read_text(encoding="utf-8").splitlines()[0])
    record["case_id"] = "CASE-\ud800"
    extract = tmp_path / "x.ndjson"
    extract.write_text(json.dumps(record) + "\n", encoding="utf-8")
    for fmt in ("text", "json"):
        status, out, _ = _run(capsys, "cases", "check", extract, "--format", fmt)
        assert status == 1
        assert "SPC-C009" in out


def test_a_lone_surrogate_in_yaml_is_refused_with_its_line() -> None:
    with pytest.raises(strict_yaml.StrictYamlError) as refused:
        strict_yaml.load('id: x\ntitle: "a \\ud800"\n')
    assert refused.value.kind is strict_yaml.ProblemKind.UNENCODABLE_TEXT
    assert refused.value.line == 2


# -- 2. damaged compressed data -------------------------------------------------------------


def _damaged_gzip(path: Path) -> Path:
    body = bytearray(gzip.compress(EXTRACT.read_bytes()))
    for i in range(30, 60):
        body[i] ^= 0xFF
    path.write_bytes(bytes(body))
    return path


@pytest.mark.parametrize("command", ["check", "aggregate", "pseudonymise"])
def test_a_damaged_gzip_stream_is_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    bad = _damaged_gzip(tmp_path / "bad.ndjson.gz")
    if command == "check":
        argv: list[str | Path] = ["cases", "check", bad]
    elif command == "aggregate":
        argv = ["aggregate", bad, "--quarter", "2025-26Q2", "-o", tmp_path / "r.json"]
    else:
        key = tmp_path / "k.key"
        assert main(["pseudonymise", "--new-key", str(key)]) == 0
        argv = ["pseudonymise", bad, "-o", tmp_path / "o.ndjson", "--key-file", key]
    status, _, err = _run(capsys, *argv)
    assert status == 2
    assert "cannot be unpacked" in err
    _one_line_reason(err)
    assert not (tmp_path / "r.json").exists()
    assert not (tmp_path / "o.ndjson").exists()


def test_a_gzip_bomb_is_refused_after_a_bounded_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from spcore import limits

    monkeypatch.setattr(limits, "GZIP_RATIO_GRACE_BYTES", 1 << 20)
    bomb = tmp_path / "bomb.ndjson.gz"
    with gzip.open(bomb, "wb") as handle:
        for _ in range(64):
            handle.write(b"\n" * (1 << 20))  # 64 MiB of blank lines: about 1,000 to 1
    status, _, err = _run(capsys, "cases", "check", bomb)
    assert status == 2
    assert "times its compressed size" in err


# -- 3. strict YAML values and huge integers ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("id: x\ntitle: 2025-02-30\n", 2),
        ("id: x\n\nn: 1" + "0" * 5000 + "\n", 3),
    ],
)
def test_impossible_values_in_yaml_are_refused_with_their_line(text: str, line: int) -> None:
    with pytest.raises(strict_yaml.StrictYamlError) as refused:
        strict_yaml.load(text)
    assert refused.value.kind is strict_yaml.ProblemKind.VALUE
    assert refused.value.line == line


@pytest.mark.parametrize(
    ("name", "text", "code"),
    [
        ("r.yaml", "id: x\ntitle: 2025-02-30\n", "SPC-E002"),
        ("r.yaml", "id: x\ntitle: 1" + "0" * 5000 + "\n", "SPC-E002"),
        ("r.json", '{"id": "x",\n "title": 1' + "0" * 5000 + "}", "SPC-E002"),
    ],
)
def test_rule_files_with_impossible_values_are_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, code: str
) -> None:
    rules = tmp_path / name
    rules.write_text(text, encoding="utf-8")
    status, _, err = _run(capsys, "eligibility", "--rules", rules)
    assert status == 2
    assert code in err
    assert "line 2" in err.lower()


def test_an_impossible_date_in_a_facts_file_is_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = tmp_path / "facts.yaml"
    text = FACTS.read_text(encoding="utf-8")
    assert "prepared_on: 2025-10-14" in text
    facts.write_text(text.replace("2025-10-14", "2025-02-30"), encoding="utf-8")
    status, _, err = _run(capsys, "aggregate", EXTRACT, "--quarter", "2025-26Q2", "--facts", facts)
    assert status == 2
    assert "SPC-A010" in err
    assert "not a real date" in err


# -- 4. one strict JSON parser --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('{"a": 1,\n "a": 2}', strict_json.JsonProblem.DUPLICATE_KEY),
        ('{"a": NaN}', strict_json.JsonProblem.NOT_A_NUMBER),
        ('{"a": -Infinity}', strict_json.JsonProblem.NOT_A_NUMBER),
        ('{"a": 1e999}', strict_json.JsonProblem.NUMBER_TOO_LARGE),
        ('{"a": 1' + "0" * 2000 + "}", strict_json.JsonProblem.NUMBER_TOO_LARGE),
        ('{"a": "\\udc00"}', strict_json.JsonProblem.UNENCODABLE_TEXT),
        ("[" * 65 + "]" * 65, strict_json.JsonProblem.TOO_DEEP),
        ("[" * 100_000, strict_json.JsonProblem.TOO_DEEP),
    ],
)
def test_the_strict_json_parser_refuses(text: str, kind: strict_json.JsonProblem) -> None:
    with pytest.raises(strict_json.StrictJsonError) as refused:
        strict_json.loads(text)
    assert refused.value.kind is kind


def test_a_surrogate_pair_is_text_not_a_problem() -> None:
    assert strict_json.loads('["\\ud83d\\ude00"]') == ["\U0001f600"]


def test_every_json_reader_refuses_a_repeated_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "r.json"
    rules.write_text('{"id": "a",\n "id": "b"}', encoding="utf-8")
    status, _, err = _run(capsys, "eligibility", "--rules", rules)
    assert status == 2
    assert "SPC-E005" in err
    assert "line 2" in err.lower()

    facts = tmp_path / "f.json"
    facts.write_text('{"notes": "a", "notes": "b"}', encoding="utf-8")
    status, _, err = _run(capsys, "aggregate", EXTRACT, "--quarter", "2025-26Q2", "--facts", facts)
    assert status == 2
    assert "SPC-F007" in err

    ret = tmp_path / "ret.json"
    ret.write_text('{"notes": "a", "notes": "b"}', encoding="utf-8")
    status, out, _ = _run(capsys, "validate", ret)
    assert status == 2
    assert "SPC-F007" in out

    extract = tmp_path / "x.ndjson"
    extract.write_text('{"case_id": "a", "case_id": "b"}\n', encoding="utf-8")
    status, out, _ = _run(capsys, "cases", "check", extract)
    assert status == 1
    assert "SPC-C005" in out


def test_no_json_reader_in_spcore_bypasses_the_strict_parser() -> None:
    # json.loads(json.dumps(x)) is a deep copy, not a reader; orjson is the fast path of
    # case extracts, which hands every line it does not take to the strict parser.
    plain = re.compile(r"(?<![\w.])json\.loads?\((?!json\.dumps)|JSONDecoder|object_pairs_hook")
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "src/spcore").rglob("*.py")
        if path.name != "strict_json.py" and plain.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


# -- 5. one output helper -------------------------------------------------------------------


def _people(tmp_path: Path) -> Path:
    people = tmp_path / "people.csv"
    shutil.copy(PEOPLE, people)
    return people


def _all_refused_as_input(
    capsys: pytest.CaptureFixture[str], cases: list[list[str | Path]], inputs: tuple[Path, ...]
) -> None:
    """Each command line is refused (exit 2, one line) and leaves every input as it was."""
    snapshot = {p: p.read_bytes() for p in inputs}
    for argv in cases:
        status, _, err = _run(capsys, *argv)
        assert status == 2, argv
        assert "is the input" in err, argv
        _one_line_reason(err)
    assert {p: p.read_bytes() for p in snapshot} == snapshot


def test_no_command_can_write_over_its_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = _people(tmp_path)
    before = people.read_bytes()
    rules = tmp_path / "r.yaml"
    shutil.copy(RULES, rules)
    extract = tmp_path / "x.ndjson"
    shutil.copy(EXTRACT, extract)
    answers = tmp_path / "answers.csv"
    answers.write_text("id,q1\n1,2\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    os.symlink(people, link)
    cases = [
        ["eligibility", "--rules", rules, people, "-o", people],
        ["eligibility", "--rules", rules, people, "-o", link],
        ["eligibility", "--rules", rules, people, "-o", rules],
        ["aggregate", extract, "--quarter", "2025-26Q2", "-o", extract],
        ["aggregate", extract, "--quarter", "2025-26Q2", "--report", extract],
        ["score", "swemwbs", answers, "-o", answers],
        ["cases", "check", extract, "-o", extract],
        ["validate", extract, "-o", extract],
    ]
    _all_refused_as_input(capsys, cases, (people, rules, extract, answers))
    assert people.read_bytes() == before


DIRECTORY = ROOT / "examples/directory/northshire-community-groups.json"


def test_no_interoperability_command_can_write_over_its_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extract = tmp_path / "x.ndjson"
    shutil.copy(EXTRACT, extract)
    bundles = tmp_path / "bundles.ndjson"
    assert main(["fhir", "export", str(extract), "-o", str(bundles)]) == 0
    directory = tmp_path / "directory.json"
    shutil.copy(DIRECTORY, directory)
    a_return = tmp_path / "return.json"
    shutil.copy(EXAMPLE, a_return)
    events = tmp_path / "events.csv"
    events.write_text("person_id,date,code,practice,pcn\n1,2025-07-01,871731000000106,A,P\n")
    codes = tmp_path / "codes.csv"
    codes.write_text("Code,Term,Source\n185317003,Consultation,nhse-cof-2018\n")
    observations = tmp_path / "obs.ndjson"
    cases = [  # one per command family that writes: fhir, gp, directory
        ["fhir", "score", bundles, "-o", bundles],
        ["fhir", "score", bundles, "-o", observations, "--observations", bundles],
        ["fhir", "score", bundles, "-o", observations, "--observations", observations],
        ["fhir", "export", extract, "-o", extract],
        ["fhir", "import", bundles, "-o", bundles],
        ["gp", "referrals", events, "-o", events],
        ["gp", "consultations", events, "--codes", codes, "-o", codes],
        ["directory", "export", a_return, "-o", a_return],
        ["directory", "fill", extract, directory, "-o", directory],
        ["directory", "fill", extract, directory, "-o", extract],
    ]
    _all_refused_as_input(capsys, cases, (extract, bundles, directory, a_return, events, codes))
    assert not observations.exists()


def test_every_writer_names_its_inputs() -> None:
    # The output helper takes inputs= as a required argument; a writer that opens files
    # any other way would escape the refusal, so none does.
    direct = re.compile(r"\.write_(text|bytes)\(|open\([^)]*[\"']w|\.save\((?!buffer)")
    allowed = {  # generators of the package's own files, the hub's store, the workbook helper
        "framework/generate.py",
        "instruments/docs.py",
        "hub/submissions.py",
        "spreadsheets/xlsx_write.py",
        "spreadsheets/csv_form.py",
        "spreadsheets/conversion.py",
        "pseudonymise/keys.py",
    }
    offenders = [
        str(path.relative_to(ROOT / "src/spcore"))
        for path in (ROOT / "src/spcore").rglob("*.py")
        if str(path.relative_to(ROOT / "src/spcore")) not in allowed
        and path.name != "cli_output.py"
        and direct.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_no_command_can_write_over_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "k.key"
    assert main(["pseudonymise", "--new-key", str(key)]) == 0
    saved = key.read_bytes()
    status, _, err = _run(capsys, "pseudonymise", IDENTIFIABLE, "-o", key, "--key-file", key)
    assert status == 2
    assert "key file" in err
    assert key.read_bytes() == saved


def test_a_failed_run_leaves_the_old_output_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("earlier", encoding="utf-8")

    def fail_part_way() -> None:
        with open_output(target, inputs=()) as stream:
            stream.write("half")
            raise RuntimeError("stopped part-way")

    with pytest.raises(RuntimeError):
        fail_part_way()
    assert target.read_text(encoding="utf-8") == "earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_an_output_in_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    def write() -> None:
        with open_output(tmp_path / "no" / "out.txt", inputs=()) as stream:
            stream.write("x")

    with pytest.raises(OutputError):
        write()


def test_the_old_positional_outputs_still_work_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.csv"
    status, _, err = _run(capsys, "convert", EXAMPLE, out)
    assert status == 0
    assert out.exists()
    assert "deprecated" in err
    assert "-o" in err
    status, _, err = _run(capsys, "template", tmp_path / "t.csv")
    assert status == 0
    assert "deprecated" in err
    status, _, err = _run(capsys, "convert", EXAMPLE, out, "-o", tmp_path / "other.csv")
    assert status == 2
    assert "named twice" in err


def test_every_command_that_writes_takes_dash_o() -> None:
    from spcore.cli import build_parser

    parser = build_parser()
    commands = [
        ["validate", "x"],
        ["convert", "x"],
        ["template"],
        ["score", "swemwbs", "x"],
        ["eligibility", "--rules", "x"],
        ["aggregate", "x", "--quarter", "2025-26Q2"],
        ["pseudonymise", "x", "--key-file", "k"],
        ["cases", "check", "x"],
        ["synth", "cases", "1", "--seed", "1"],
    ]
    for argv in commands:
        for spelling in ("-o", "--output"):
            args = parser.parse_args([*argv, spelling, "out"])
            assert args.output == "out", argv


# -- 6. key material is never quoted ----------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".yaml", ".json", ".ndjson", ".xlsx"])
def test_a_key_given_as_an_input_is_never_echoed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    key = tmp_path / f"key{suffix}"
    key.write_text(KEY_HEX + "\n", encoding="ascii")
    commands: list[list[str | Path]] = [
        ["validate", key],
        ["convert", key, "-o", tmp_path / "o.json"],
        ["cases", "check", key],
        ["aggregate", key, "--quarter", "2025-26Q2"],
        ["eligibility", "--rules", key],
        ["eligibility", "--rules", RULES, key],
        ["score", "swemwbs", key, "-o", "-"],
    ]
    for argv in commands:
        _, out, err = _run(capsys, *argv)
        for run_of in (KEY_HEX[i : i + 12] for i in range(0, 52, 4)):
            assert run_of not in out + err, argv


def test_excerpts_are_short_and_clearly_cut() -> None:
    assert excerpt("x" * 500).endswith("(500 characters in all)")
    assert len(excerpt("word " * 100)) < 100
    assert KEY_HEX not in excerpt(f"key {KEY_HEX}")
    assert "64 characters not shown" in excerpt(KEY_HEX)
    assert excerpt("\ud800") == "\\ud800"
    assert excerpt("Knitting group") == "Knitting group"


# -- 8. "null " is text ---------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("text", ["null ", " null", "null\t", "Null", "NULL"])
def test_text_like_null_survives_a_spreadsheet_round_trip(
    tmp_path: Path, suffix: str, text: str
) -> None:
    from spcore.spreadsheets.conversion import convert

    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    document["notes"] = text
    source = tmp_path / "in.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    middle = tmp_path / f"mid{suffix}"
    back = tmp_path / "back.json"
    assert convert(source, middle).is_valid
    assert convert(middle, back).is_valid
    assert json.loads(back.read_text(encoding="utf-8"))["notes"] == text


# -- 10. the smaller ones ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "missing.json"],
        ["cases", "check", "missing.ndjson"],
        ["convert", "missing.json", "-o", "out.csv"],
        ["aggregate", "missing.ndjson", "--quarter", "2025-26Q2"],
        ["eligibility", "--rules", "missing.yaml"],
        ["score", "swemwbs", "missing.csv", "-o", "-"],
    ],
)
def test_a_missing_file_is_exit_2_with_one_line_on_stderr(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    status, _, err = _run(capsys, *argv)
    assert status == 2
    _one_line_reason(err)
    assert not (tmp_path / "out.csv").exists()


def test_formula_cells_are_neutralised_in_score_and_eligibility_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.csv"
    items = ",".join(f"item_{i}" for i in range(1, 8))
    answers.write_text(
        f'id,{items}\n"=HYPERLINK(""http://x"",""y"")",3,3,3,3,3,3,3\n', encoding="utf-8"
    )
    out = tmp_path / "scored.csv"
    _run(capsys, "score", "swemwbs", answers, "-o", out)
    import csv

    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][0] == '\'=HYPERLINK("http://x","y")'

    people = tmp_path / "people.csv"
    people.write_text("id,age\n@SUM(A1),70\n", encoding="utf-8")
    decisions = tmp_path / "d.csv"
    _run(capsys, "eligibility", "--rules", RULES, people, "-o", decisions, "--as-of", "2025-09-01")
    assert "\n'@SUM(A1)," in decisions.read_text(encoding="utf-8")
    assert neutralise("-3.5") == "-3.5"
    assert neutralise("-x") == "'-x"


def test_a_bare_carriage_return_makes_no_extra_person(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = tmp_path / "people.csv"
    people.write_bytes(b"id,age\r\n1,70\r\n\r\r\n \r\n2,71\r\n")
    out = tmp_path / "d.csv"
    _run(capsys, "eligibility", "--rules", RULES, people, "-o", out, "--as-of", "2025-09-01")
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3  # header and two people


# -- 7. personal data in free text ----------------------------------------------------------


def test_the_published_scanner_rates_are_what_the_scanner_does() -> None:
    from spcore.validation.personal_data_corpus import measure, rates_table

    page = (ROOT / "docs/personal-data.md").read_text(encoding="utf-8")
    published = page.split("<!-- rates:start -->\n")[1].split("\n<!-- rates:end -->")[0]
    rates = measure(ROOT)
    assert published == rates_table(rates)
    assert rates.alarms == 0


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("943\u00a0476\u20095919", "NHS number"),
        ("943\t476\t5919", "NHS number"),
        ("9434 765 919", "NHS number"),
        ("\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19", "NHS number"),
        ("\u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669", "NHS number"),
        ("(01632) 960000", "telephone number"),
        ("0044 7700 900123", "telephone number"),
        ("+44-7700-900123", "telephone number"),
        ("07700.900.123", "telephone number"),
        ("Ls1 4aP", "postcode"),
        ("DOB: 12 Mar 61", "date of birth"),
        ("dob 12-Mar-1961", "date of birth"),
        ("DOB 1961/03/12", "date of birth"),
        ("b. 12/03/1961", "date of birth"),
        ("Date-of-birth: 12/03/1961", "date of birth"),
    ],
)
def test_the_spellings_that_used_to_pass_are_found(text: str, kind: str) -> None:
    from spcore.validation.personal_data import scan_text

    (match,) = scan_text(f"Seen; {text} noted")
    assert match.kind.value == kind
    assert f"Seen; {text} noted"[match.start : match.end] == text


def _extract_with_group(tmp_path: Path, group: str, source: Path = EXTRACT) -> Path:
    lines = source.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    target = next(
        r for r in records if (r.get("support_offered") or {}).get("social_prescriptions")
    )
    target["support_offered"]["social_prescriptions"][0]["community_group"] = group
    path = tmp_path / source.name
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_cases_check_and_aggregate_refuse_personal_data_in_free_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extract = _extract_with_group(tmp_path, "Walk with Jo, call 07700 900123")
    status, out, _ = _run(capsys, "cases", "check", extract)
    assert status == 1
    assert "SPC-C015" in out
    assert "900123" not in out
    returned = tmp_path / "return.json"
    _run(capsys, "aggregate", extract, "--quarter", "2025-26Q2", "-o", returned)
    if returned.exists():
        assert "900123" not in returned.read_text(encoding="utf-8")


def test_aggregate_never_writes_a_return_it_flags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = tmp_path / "facts.yaml"
    text = FACTS.read_text(encoding="utf-8")
    facts.write_text(text + "notes: Ask Jo on 07700 900123\n", encoding="utf-8")
    returned = tmp_path / "return.json"
    status, out, err = _run(
        capsys, "aggregate", EXTRACT, "--quarter", "2025-26Q2", "--facts", facts, "-o", returned
    )
    assert status == 2
    assert "SPC-R043" in err
    assert not returned.exists()
    assert "900123" not in out + err


def test_pseudonymise_never_writes_a_persons_number_in_free_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "k.key"
    assert main(["pseudonymise", "--new-key", str(key)]) == 0
    extract = _extract_with_group(tmp_path, "Knit club, DOB: 12 Mar 61", IDENTIFIABLE)
    out = tmp_path / "out.ndjson"
    _, _, err = _run(capsys, "pseudonymise", extract, "-o", out, "--key-file", key)
    assert "SPC-P032" in err
    written = out.read_text(encoding="utf-8")
    assert "12 Mar 61" not in written
    assert "Knit club" not in written


# -- 9. resource bounds ----------------------------------------------------------------------


def test_the_limits_page_is_the_limits_module() -> None:
    from spcore import limits

    page = (ROOT / "docs/limits.md").read_text(encoding="utf-8")
    published = page.split("<!-- limits:start -->\n")[1].split("\n<!-- limits:end -->")[0]
    rows = [f"| `{name}` | {value:,} | {why} |" for name, value, why in limits.table()]
    assert published == "\n".join(["| limit | value | why |", "|---|---:|---|", *rows])
    assert all(why for _, _, why in limits.table())


def test_a_list_past_its_limit_is_reported_once_and_not_walked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from spcore.validation import personal_data

    scanned: list[str] = []
    real = personal_data.scan_text

    def counting(text: str, kinds: object = tuple(personal_data.Kind)) -> object:
        scanned.append(text)
        return real(text, kinds)  # type: ignore[arg-type]

    monkeypatch.setattr(personal_data, "scan_text", counting)
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    document["outputs"]["community_groups"]["groups"] = [
        {"name": f"Group 0{i}"} for i in range(60_000)
    ]
    source = tmp_path / "big.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    report = tmp_path / "report.json"
    status, _, _ = _run(capsys, "validate", source, "--format", "json", "-o", report)
    assert status == 1
    findings = json.loads(report.read_text(encoding="utf-8"))
    text = json.dumps(findings)
    assert "at most 10000" in text
    assert len(scanned) <= 2 * 10_001 + 1_000  # names and keys up to the limit, and the rest


def test_empty_workbook_rows_count_against_the_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import zipfile

    from spcore.spreadsheets import limits as sheet_limits

    source = ROOT / "examples/returns/northshire-connect-2025-26-Q2.xlsx"
    hostile = tmp_path / "rows.xlsx"
    empty_rows = sheet_limits.max_cells() + 10
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(hostile, "w") as out:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                rows = "".join(f'<row r="{2000 + i % 1000}"/>' for i in range(empty_rows))
                data = data.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
            out.writestr(item, data, compress_type=zipfile.ZIP_STORED)
    status, out, _ = _run(capsys, "validate", hostile)
    assert status == 2
    assert "SPC-X005" in out


def test_a_utf16_part_with_a_dtd_is_x006(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import zipfile

    source = ROOT / "examples/returns/northshire-connect-2025-26-Q2.xlsx"
    hostile = tmp_path / "dtd.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(hostile, "w") as out:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/workbook.xml":
                text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'
                data = text.encode("utf-16")
            out.writestr(item, data)
    status, out, _ = _run(capsys, "validate", hostile)
    assert status == 2
    assert "SPC-X006" in out


def test_deep_brackets_in_a_facts_file_are_refused_before_parsing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text("notes: " + "[" * 40_000 + "\n", encoding="utf-8")
    status, _, err = _run(capsys, "aggregate", EXTRACT, "--quarter", "2025-26Q2", "--facts", facts)
    assert status == 2
    assert "SPC-F004" in err


@pytest.mark.parametrize("digit", ["\u0663", "\uff13", "3_0"])
def test_one_digit_rule_for_scores_and_eq5d(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], digit: str
) -> None:
    answers = tmp_path / "answers.csv"
    items = ",".join(f"item_{i}" for i in range(1, 8))
    answers.write_text(f"id,{items}\nA,{digit},3,3,3,3,3,3\n", encoding="utf-8")
    status, _, _ = _run(capsys, "score", "swemwbs", answers, "-o", tmp_path / "s.csv")
    assert status == 1
    profiles = tmp_path / "profiles.csv"
    profiles.write_text(f"id,profile\nA,1111{digit}\n", encoding="utf-8")
    status, _, _ = _run(capsys, "score", "eq5d5l", profiles, "-o", tmp_path / "e.csv")
    assert status == 1


def test_a_workbook_claiming_an_unknown_zip_version_is_x002(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Found by the long fuzz run: zipfile raises NotImplementedError for it.
    data = bytearray((ROOT / "examples/returns/northshire-connect-2025-26-Q2.xlsx").read_bytes())
    central = data.rfind(b"PK\x01\x02")
    data[central + 6] = 199  # "version needed to extract": 19.9
    hostile = tmp_path / "version.xlsx"
    hostile.write_bytes(bytes(data))
    status, out, err = _run(capsys, "convert", hostile, "-o", tmp_path / "out.json")
    assert status == 2
    assert "SPC-X002" in out
    _one_line_reason(err)


# -- standard input is read as the files are, whatever the locale ---------------------------

RAG = ROOT / "examples/rag/assessments.csv"
ANSWERS = ROOT / "examples/instruments/swemwbs-answers.csv"
_STDIN_COMMANDS = {
    "eligibility": (["eligibility", "--rules", str(RULES)], PEOPLE),
    "rag": (["rag"], RAG),
    "score": (["score", "swemwbs"], ANSWERS),
}


def _in_c_locale(argv: list[str], stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIO"))}
    env.update(LC_ALL="C", LANG="C")
    env.pop("PYTHONUTF8", None)
    return subprocess.run(
        [sys.executable, "-m", "spcore", *argv],
        input=stdin,
        capture_output=True,
        env=env,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize("command", sorted(_STDIN_COMMANDS))
def test_standard_input_in_a_c_locale_is_strict_utf8(command: str, tmp_path: Path) -> None:
    argv, example = _STDIN_COMMANDS[command]
    text = example.read_bytes()
    # Non-ASCII text is read as UTF-8, not as the locale's ASCII: the output from standard
    # input is the output from the file, byte for byte.
    header, first, rest = text.split(b"\n", 2)
    accented = header + b"\n" + first.replace(first.split(b",")[0], "Zo\u00eb".encode(), 1)
    accented += b"\n" + rest
    source = tmp_path / f"in{example.suffix}"
    source.write_bytes(accented)
    from_file = _in_c_locale([*argv, str(source), "-o", str(tmp_path / "a.csv")], b"")
    from_stdin = _in_c_locale([*argv, "-", "-o", str(tmp_path / "b.csv")], accented)
    assert from_stdin.returncode == from_file.returncode, from_stdin.stderr
    assert (tmp_path / "b.csv").read_bytes() == (tmp_path / "a.csv").read_bytes()
    assert "Zo\u00eb".encode() in (tmp_path / "b.csv").read_bytes()
    # Invalid UTF-8 is SPC-F006 with exit status 2 and one line, never a lone surrogate
    # carried on into a writer.
    broken = _in_c_locale([*argv, "-", "-o", str(tmp_path / "c.csv")], accented + b"\xff\xfe,1\n")
    err = broken.stderr.decode("utf-8", "replace")
    assert broken.returncode == 2, err
    assert "SPC-F006" in err, err
    assert "standard input" in err, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "c.csv").exists()
