"""Whole extracts: streamed line by line, bad lines reported, output always schema-valid."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spcore import CaseRecord, Finding, schemas
from spcore.cases import MAX_LINE_BYTES
from spcore.pseudonymise import (
    ExtractError,
    ExtractSummary,
    Pseudonymiser,
    PseudonymKey,
    pseudonymise_extract,
)
from spcore.pseudonymise.extract import MAX_KEPT_FINDINGS
from spcore.wording import finding_line

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cases" / "identifiable-extract.ndjson"
KEY = PseudonymKey(bytes(range(40, 72)))
P = Pseudonymiser(KEY)


def _good_line(case_id: str = "C-1", nhs: str = "9990000018") -> bytes:
    record = {
        "case_id": case_id,
        "nhs_number": nhs,
        "date_of_birth": "1980-05-05",
        "scheme_id": "NORTHSHIRE-CONNECT",
        "referral": {"date": "2025-06-01", "referrer_type": "gp-practice", "criteria": ["carer"]},
        "demographics": {},
    }
    return json.dumps(record).encode() + b"\n"


def _run(
    data: bytes, on_finding: Callable[[Finding], None] | None = None
) -> tuple[ExtractSummary, list[dict[str, Any]]]:
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in.ndjson", Path(folder) / "out.ndjson"
        source.write_bytes(data)
        summary = pseudonymise_extract(source, target, P, on_finding=on_finding)
        return summary, [json.loads(line) for line in target.read_text().splitlines()]


def test_bundled_example_pseudonymises_cleanly(tmp_path: Path) -> None:
    target = tmp_path / "out.ndjson"
    summary = pseudonymise_extract(EXAMPLE, target, KEY)
    assert (summary.read, summary.written, summary.rejected, summary.findings) == (4, 4, 0, [])
    records = [json.loads(line) for line in target.read_text().splitlines()]
    validator = schemas.validator("case-record")
    for record in records:
        assert not list(validator.iter_errors(record))
        CaseRecord.model_validate(record)
    # Lines 1 and 3 are the same person written two ways: one person_id, two cases.
    assert records[0]["person_id"] == records[2]["person_id"]
    assert records[0]["case_id"] != records[2]["case_id"]
    assert "person_id" not in records[3]  # no NHS number on line 4
    assert summary.key_fingerprint == KEY.fingerprint


def test_example_uses_only_test_range_nhs_numbers() -> None:
    for line in EXAMPLE.read_text().splitlines():
        number = json.loads(line).get("nhs_number")
        if number is not None:
            assert number.replace(" ", "").replace("-", "").startswith("999")


def test_bad_lines_are_findings_and_the_rest_is_written() -> None:
    data = b"".join(
        [
            _good_line("C-1"),  # 1
            b"\n",  # 2: blank, skipped
            b"{not json\n",  # 3
            b"\xff\xfe\n",  # 4: not UTF-8
            b"[1, 2]\n",  # 5: not an object
            _good_line("C-6", nhs="9990000017"),  # 6: Modulus 11 fails
            b'{"case_id": "a", "case_id": "b"}\n',  # 7: a field twice
            _good_line("C-8"),  # 8, last line without a newline below
        ]
    ).rstrip(b"\n")
    summary, records = _run(data)
    assert (summary.read, summary.written, summary.rejected) == (7, 2, 5)
    assert [(f.code, f.path) for f in summary.findings] == [
        ("SPC-C003", "/lines/3"),
        ("SPC-C002", "/lines/4"),
        ("SPC-C006", "/lines/5"),
        ("SPC-P020", "/lines/6/nhs_number"),
        ("SPC-C005", "/lines/7"),
    ]
    # The line is in the path, printed as FILE:3: like every command's findings, not
    # repeated in the message.
    assert finding_line("x.ndjson", summary.findings[0]).startswith("x.ndjson:3: SPC-C003 error: ")
    assert not summary.findings[0].message.startswith("Line ")
    assert "9990000017" not in summary.findings[3].message
    assert len(records) == 2


def test_overlong_line_is_skipped_without_stopping_the_file() -> None:
    huge = b'{"case_id": "' + b"x" * (MAX_LINE_BYTES + 10) + b'"}\n'
    summary, records = _run(_good_line("C-1") + huge + _good_line("C-3"))
    assert [(f.code, f.path) for f in summary.findings] == [("SPC-C004", "/lines/2")]
    assert (summary.read, summary.written, summary.rejected) == (3, 2, 1)
    assert records[1]["case_id"] == P.case("C-3", scheme_id="NORTHSHIRE-CONNECT")


def test_line_of_exactly_the_limit_is_read() -> None:
    line = _good_line("C-1").rstrip(b"\n")
    padded = line[:-1] + b" " * (MAX_LINE_BYTES - len(line)) + b"}"
    assert len(padded) == MAX_LINE_BYTES
    summary, _ = _run(padded + b"\n")
    assert summary.written == 1


def test_deep_nesting_is_refused() -> None:
    summary, _ = _run(b'{"a": ' + b"[" * 70 + b"]" * 70 + b"}\n")
    assert [f.code for f in summary.findings] == ["SPC-C007"]


def test_line_codes_are_the_case_extract_codes() -> None:
    from spcore.cases import CASE_CODES

    summary, _ = _run(b"x\n\xff\n1\n" + b"[" * 100_000 + b"\n")
    assert {f.code for f in summary.findings} <= set(CASE_CODES)


def test_byte_order_mark_and_crlf_are_accepted() -> None:
    summary, _ = _run(b"\xef\xbb\xbf" + _good_line().replace(b"\n", b"\r\n"))
    assert (summary.written, summary.findings) == (1, [])


def test_findings_kept_are_capped_but_counted() -> None:
    summary, _ = _run(b"x\n" * (MAX_KEPT_FINDINGS + 5))
    assert len(summary.findings) == MAX_KEPT_FINDINGS
    assert summary.findings_not_kept == 5
    assert summary.rejected == MAX_KEPT_FINDINGS + 5


def test_findings_are_passed_on_as_found() -> None:
    seen: list[Finding] = []
    _run(b"x\n" + _good_line(), seen.append)
    assert len(seen) == 1


@given(st.binary(max_size=300))
def test_any_bytes_give_records_or_findings(data: bytes) -> None:
    summary, records = _run(data)
    assert summary.read == summary.written + summary.rejected
    assert summary.rejected <= len(summary.findings)
    assert len(records) == summary.written


def test_output_may_not_overwrite_input(tmp_path: Path) -> None:
    source = tmp_path / "in.ndjson"
    source.write_bytes(_good_line())
    link = tmp_path / "link.ndjson"
    link.symlink_to(source)
    for target in (source, link, tmp_path / "." / "in.ndjson"):
        with pytest.raises(ExtractError) as raised:
            pseudonymise_extract(source, target, KEY)
        assert raised.value.finding.code == "SPC-P040"
    assert source.read_bytes() == _good_line()


def test_output_may_not_overwrite_the_key_file(tmp_path: Path) -> None:
    key_file = tmp_path / "k"
    key_file.write_text(bytes(range(40, 72)).hex())
    source = tmp_path / "in.ndjson"
    source.write_bytes(_good_line())
    with pytest.raises(ExtractError) as raised:
        pseudonymise_extract(source, key_file, key_file)
    assert raised.value.finding.code == "SPC-P040"
    with pytest.raises(ExtractError):
        pseudonymise_extract(key_file, tmp_path / "out", key_file)


@pytest.mark.parametrize("make", ["missing", "folder"])
def test_unreadable_input(tmp_path: Path, make: str) -> None:
    source = tmp_path / "in"
    if make == "folder":
        source.mkdir()
    with pytest.raises(ExtractError) as raised:
        pseudonymise_extract(source, tmp_path / "out", KEY)
    assert raised.value.finding.code == "SPC-C001"
    assert not (tmp_path / "out").exists()


def test_unwritable_output_leaves_nothing_behind(tmp_path: Path) -> None:
    source = tmp_path / "in.ndjson"
    source.write_bytes(_good_line())
    with pytest.raises(ExtractError) as raised:
        pseudonymise_extract(source, tmp_path / "missing" / "out", KEY)
    assert raised.value.finding.code == "SPC-P041"
    target_dir = tmp_path / "out-dir"
    target_dir.mkdir()
    with pytest.raises(ExtractError):
        pseudonymise_extract(source, target_dir, KEY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.ndjson", "out-dir"]


def test_input_name_must_say_its_format(tmp_path: Path) -> None:
    source = tmp_path / "extract.txt"
    source.write_bytes(_good_line())
    with pytest.raises(ExtractError) as raised:
        pseudonymise_extract(source, tmp_path / "out.ndjson", KEY)
    assert raised.value.finding.code == "SPC-C001"
    assert not (tmp_path / "out.ndjson").exists()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_output_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    source = tmp_path / "in.ndjson"
    source.write_bytes(_good_line())
    pseudonymise_extract(source, tmp_path / "out.ndjson", KEY)
    assert stat.S_IMODE((tmp_path / "out.ndjson").stat().st_mode) == 0o600
