"""Reading extracts: every record accounted for, bad lines reported by line number."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from spcore.cases import MAX_LINE_BYTES, check_extract, read_extract
from spcore.cases.synth import synth_cases
from spcore.framework import CaseRecord

from .conftest import WriteExtract


def _codes(path: Path) -> dict[int, list[str]]:
    return {item.line: [f.code for f in item.findings] for item in read_extract(path)}


def test_corrupt_lines_in_10000_records_reported_by_line(
    write_extract: WriteExtract, tmp_path: Path
) -> None:
    source, _ = write_extract(10_000, seed=11)
    lines = source.read_bytes().splitlines(keepends=True)
    bad = {
        17: b'{"case_id": "X", \n',  # cut off
        1234: b"\xff\xfe not text\n",
        2500: b'{"case_id":"A1234","case_id":"B1234"}\n',
        5000: b"[1, 2, 3]\n",
        7777: b'{"score": NaN}\n',
        9999: b'{"n": 1e400}\n',
    }
    for number, text in bad.items():
        lines[number - 1] = text
    path = tmp_path / "corrupt.ndjson"
    path.write_bytes(b"".join(lines))

    reader = read_extract(path, build_records=False)  # models are tested below; this is reading
    items = list(reader)
    rejected = {i.line: [f.code for f in i.findings] for i in items if not i.accepted}
    assert rejected == {
        17: ["SPC-C003"],
        1234: ["SPC-C002"],
        2500: ["SPC-C005"],
        5000: ["SPC-C006"],
        7777: ["SPC-C003"],
        9999: ["SPC-C003"],
    }
    assert [i.line for i in items] == list(range(1, 10_001))
    summary = reader.summary
    assert (summary.read, summary.accepted, summary.rejected) == (10_000, 9_994, 6)
    assert summary.complete


@pytest.mark.parametrize("workers", [None, 1])
def test_a_cut_off_line_says_where_its_string_starts(tmp_path: Path, workers: int | None) -> None:
    path = tmp_path / "cut.ndjson"
    path.write_bytes(b'{"case_id": "CASE-0001", "scheme_id": "NORTH\n')
    reader = read_extract(path, build_records=False)
    (item,) = list(reader)
    message = "The line is not valid JSON: Unterminated string starting at column 39."
    assert [(f.code, f.message) for f in item.findings] == [("SPC-C003", message)]
    _, examples = check_extract(path, workers=workers, progress=False)
    assert [(f.code, f.message) for f in examples[0].findings] == [("SPC-C003", message)]


def test_invalid_records_excluded_with_findings(write_extract: WriteExtract) -> None:
    path, stats = write_extract(3000, seed=5, invalid_share=0.05)
    reader = read_extract(path)
    items = list(reader)
    rejected = [i for i in items if not i.accepted]
    assert stats.invalid_total > 100
    assert len(rejected) == stats.invalid_total == reader.summary.rejected
    assert all(i.findings and i.record is None for i in rejected)
    assert reader.summary.accepted == 3000 - stats.invalid_total
    assert sum(reader.summary.rejected_by_code.values()) >= len(rejected)


def test_accepted_records_equal_the_models(tmp_path: Path) -> None:
    records = list(synth_cases(50, seed=8))
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    read = [item.record for item in read_extract(path)]
    assert read == [CaseRecord.model_validate(r) for r in records]


def test_build_records_false_keeps_data_only(write_extract: WriteExtract) -> None:
    path, _ = write_extract(20)
    items = list(read_extract(path, build_records=False))
    assert all(i.accepted and i.record is None and i.data for i in items)


def test_blank_lines_bom_and_crlf(tmp_path: Path) -> None:
    record = json.dumps(next(synth_cases(1, seed=2)))
    path = tmp_path / "windows.ndjson"
    path.write_bytes(b"\xef\xbb\xbf" + record.encode() + b"\r\n\r\n   \r\n" + record.encode())
    items = list(read_extract(path))
    assert [(i.line, i.accepted) for i in items] == [(1, True), (4, True)]


def test_overlong_line_skipped_and_reading_continues(tmp_path: Path) -> None:
    record = json.dumps(next(synth_cases(1, seed=2))).encode()
    path = tmp_path / "huge.ndjson"
    with path.open("wb") as handle:
        handle.write(record + b"\n")
        handle.write(b'{"case_id": "' + b"x" * (MAX_LINE_BYTES + 10) + b'"}\n')
        handle.write(record + b"\n")
    assert _codes(path) == {1: [], 2: ["SPC-C004"], 3: []}


def test_overlong_last_line_without_newline(tmp_path: Path) -> None:
    path = tmp_path / "huge.ndjson"
    path.write_bytes(b"[" * (MAX_LINE_BYTES + 1))
    assert _codes(path) == {1: ["SPC-C004"]}


def test_largest_schema_valid_record_fits_the_line_limit() -> None:
    """MAX_LINE_BYTES is above any record the schema allows (every list full)."""
    name = "N" * 200
    day = "2025-04-01"
    record = {
        "$schema": "https://spcore.dev/schema/0.2/case-record.schema.json",
        "case_id": "C" * 128,
        "person_id": "P" * 128,
        "scheme_id": "S" * 64,
        "referral": {
            "date": day,
            "referrer_type": "primary-care-social-prescribing-service",
            "criteria": ["struggles-to-engage-with-services"] * 50,
            "rejection": {
                "date": day,
                "reason": "complex-needs-specialist-support",
                "exclusion": "complex-needs-specialist-support",
            },
        },
        "demographics": {
            "age_band": "85-plus",
            "gender": "X",
            "ethnic_category": "99",
            "lives_alone": False,
            "interpreter_needed": False,
        },
        "needs_and_concerns": {
            "assessment_date": day,
            "needs": ["struggles-to-engage-with-services"] * 50,
            "rag_history": [
                {
                    "date": day,
                    "rating": "amber",
                    "concerns": ["perpetrator-of-violence-or-abuse"] * 10,
                    "social_services_involved": False,
                }
            ]
            * 1000,
        },
        "support_offered": {
            "active_from": day,
            "support_plan_date": day,
            "contacts": [
                {
                    "date": day,
                    "type": "face-to-face-session",
                    "duration": {"value": 1.2345678901234567e-300, "unit": "minute"},
                }
            ]
            * 1000,
            "social_prescriptions": [
                {
                    "date": day,
                    "intervention_type": "learning-and-education",
                    "community_group": name,
                    "directory_id": name,
                    "five_ways": ["keep-learning"] * 5,
                }
            ]
            * 1000,
        },
        "outcomes": {
            "measures": [
                {
                    "instrument": "ons-loneliness",
                    "timepoint": "follow-up",
                    "date": day,
                    "score": -1.2345678901234567e-300,
                    "score_name": "s" * 64,
                    "value_set": "v" * 64,
                }
            ]
            * 1000,
            "employability": ["set-up-business-or-group"] * 20,
        },
        "closure": {
            "date": day,
            "reason": "support-completed",
            "disengagement_reason": "service-not-right",
        },
    }
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    assert CaseRecord.model_validate(record)
    assert 1_400_000 < len(text.encode()) < 1_500_000
    # Every name in four-byte UTF-8 characters, spaces after every separator.
    emoji = "\U0001f600" * 200
    for prescription in record["support_offered"]["social_prescriptions"]:
        prescription["community_group"] = prescription["directory_id"] = emoji
    assert CaseRecord.model_validate(record)
    wide = json.dumps(record, ensure_ascii=False).encode()
    assert len(wide) < 3_000_000 < MAX_LINE_BYTES


@pytest.mark.parametrize(
    ("line", "code"),
    [
        (b'{"a": Infinity}', "SPC-C003"),
        (b'{"a": ' + b"9" * 5000 + b"}", "SPC-C003"),
        (b"[" * 100_000 + b"]" * 100_000, "SPC-C007"),
        (b'{"a":' * 200 + b"1" + b"}" * 200, "SPC-C007"),
        (b'"just text"', "SPC-C006"),
        (b"null", "SPC-C006"),
        (b"\x00\x00\x00", "SPC-C003"),
        (b'{"case_id": "\\ud800abc"}', "SPC-C009"),
    ],
)
def test_hostile_lines_become_findings(tmp_path: Path, line: bytes, code: str) -> None:
    path = tmp_path / "hostile.ndjson"
    path.write_bytes(line + b"\n" + json.dumps(next(synth_cases(1, seed=3))).encode() + b"\n")
    codes = _codes(path)
    assert code in codes[1]
    assert codes[2] == []


def test_missing_file_is_one_line_zero_finding(tmp_path: Path) -> None:
    reader = read_extract(tmp_path / "absent.ndjson")
    items = list(reader)
    assert [(i.line, [f.code for f in i.findings]) for i in items] == [(0, ["SPC-C001"])]
    assert not reader.summary.readable
    assert reader.summary.read == 0


def test_folder_and_unknown_suffix(tmp_path: Path) -> None:
    folder = tmp_path / "dir.ndjson"
    folder.mkdir()
    assert _codes(folder) == {0: ["SPC-C001"]}
    other = tmp_path / "cases.txt"
    other.write_text("{}\n", encoding="utf-8")
    assert _codes(other) == {0: ["SPC-C001"]}
    assert _codes_with_format(other) == {1: ["SPC-S001"]}


def _codes_with_format(path: Path) -> dict[int, list[str]]:
    return {
        item.line: sorted({f.code for f in item.findings})
        for item in read_extract(path, format="ndjson")
    }


def test_empty_extract_warns(tmp_path: Path) -> None:
    path = tmp_path / "empty.ndjson"
    path.write_bytes(b"\n\n")
    reader = read_extract(path)
    assert list(reader) == []
    assert [f.code for f in reader.summary.file_findings] == ["SPC-C020"]
    assert reader.summary.readable


def test_gzip_extract_and_truncated_gzip(write_extract: WriteExtract, tmp_path: Path) -> None:
    source, _ = write_extract(200)
    packed = gzip.compress(source.read_bytes())
    whole = tmp_path / "cases.ndjson.gz"
    whole.write_bytes(packed)
    reader = read_extract(whole)
    assert sum(i.accepted for i in reader) == 200
    cut = tmp_path / "cut.ndjson.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    reader = read_extract(cut)
    items = list(reader)
    assert items[-1].line == 0
    assert items[-1].findings[0].code == "SPC-C001"
    assert not reader.summary.readable
    assert all(i.accepted for i in items[:-1])


def test_summary_is_partial_until_exhausted(write_extract: WriteExtract) -> None:
    path, _ = write_extract(10)
    reader = read_extract(path)
    next(reader)
    assert reader.summary.read == 1
    assert not reader.summary.complete
    reader.close()


def test_no_progress_output_when_not_a_terminal(
    write_extract: WriteExtract, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = write_extract(50)
    list(read_extract(path))
    assert capsys.readouterr().err == ""


def test_progress_output_when_asked(
    write_extract: WriteExtract, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = write_extract(50)
    list(read_extract(path, progress=True))
    err = capsys.readouterr().err
    assert "50 records" in err
    assert "100.0%" in err


def test_year_zero_spelt_with_an_escape_is_refused(tmp_path: Path) -> None:
    record = next(synth_cases(1, seed=3))
    zeros = "\\u0030" * 4  # "0000" with every digit escaped: the text never says 0000-
    text = json.dumps(record).replace(record["referral"]["date"], zeros + "-01-01", 1)
    assert "0000-" not in text
    path = tmp_path / "escaped.ndjson"
    path.write_text(text + "\n", encoding="utf-8")
    assert _codes(path) == {1: ["SPC-S006"]}


def _one_record_with(tmp_path: Path, **changes: object) -> Path:
    record = next(synth_cases(1, seed=3))
    if "community_group" in changes:
        given = {"date": record["referral"]["date"], "intervention_type": "befriending"}
        support = record.setdefault("support_offered", {})
        support["social_prescriptions"] = [{**given, **changes}]
    else:
        record.update(changes)
    path = tmp_path / "odd.ndjson"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("build_records", [True, False])
@pytest.mark.parametrize(
    "changes",
    [
        {"case_id": "CASE-0001\n"},  # the schema's '$' lets a final newline through
    ],
)
def test_a_record_only_the_model_refuses_is_rejected_with_or_without_models(
    tmp_path: Path, changes: dict[str, object], build_records: bool
) -> None:
    path = _one_record_with(tmp_path, **changes)
    items = list(read_extract(path, build_records=build_records, progress=False))
    assert [f.code for f in items[0].findings] == ["SPC-C008"]
    assert not items[0].accepted


@pytest.mark.parametrize("build_records", [True, False])
def test_a_lone_surrogate_is_refused_where_it_is_read(tmp_path: Path, build_records: bool) -> None:
    path = _one_record_with(tmp_path, community_group="Knit \ud800")
    items = list(read_extract(path, build_records=build_records, progress=False))
    assert [f.code for f in items[0].findings] == ["SPC-C009"]
    assert not items[0].accepted


@pytest.mark.parametrize("build_records", [True, False])
def test_an_integer_past_the_largest_float_is_refused_by_the_schema(
    tmp_path: Path, build_records: bool
) -> None:
    record = next(synth_cases(1, seed=3))
    record["outcomes"] = {
        "measures": [
            {"instrument": "ucla3", "timepoint": "baseline", "date": "2025-07-01", "score": 0}
        ]
    }
    text = json.dumps(record).replace('"score": 0', '"score": ' + "9" * 400)
    path = tmp_path / "huge.ndjson"
    path.write_text(text + "\n", encoding="utf-8")
    (item,) = read_extract(path, build_records=build_records, progress=False)
    assert [f.code for f in item.findings] == ["SPC-S005"]
    assert item.findings[0].path == "/outcomes/measures/0/score"
