"""GP-record extracts: referrals and declines per practice and quarter, consultations in windows."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from spcore.cli import main
from spcore.interop.gp_records import consultations_in_windows, read_events, referrals_by_quarter

REFERRAL = "871731000000106"
DECLINED = "871711000000103"
CONSULT = "185317003"  # telephone encounter, in the test's own code list

ROWS = [
    ("person_id", "date", "code", "practice", "pcn"),
    ("P1", "2025-06-30", REFERRAL, "A81001", "PCN1"),
    ("P1", "2025-06-30", REFERRAL, "A81001", "PCN1"),  # the same episode, counted once
    ("P2", "2025-07-01", REFERRAL, "A81001", "PCN1"),
    ("P3", "2025-07-02", DECLINED, "A81002", "PCN1"),
    ("P1", "2024-07-01", CONSULT, "A81001", "PCN1"),  # 12 months before, to the day: counted
    ("P1", "2024-06-29", CONSULT, "A81001", "PCN1"),  # outside the window
    ("P1", "2025-06-30", CONSULT, "A81001", "PCN1"),  # the referral day counts after
    ("P1", "2026-06-29", CONSULT, "A81001", "PCN1"),
    ("P1", "2026-06-30", CONSULT, "A81001", "PCN1"),  # a year after: outside
    ("P9", "2025-08-01", CONSULT, "A81001", "PCN1"),  # never referred: not listed
    ("", "2025-08-01", REFERRAL, "A81001", "PCN1"),
    ("P4", "2025-02-30", REFERRAL, "A81001", "PCN1"),
    ("P4", "2025-08-01", "871731000000107", "A81001", "PCN1"),
    ("P4", "2025-08-01", REFERRAL, "A81001", "PCN1", "extra"),
]


def _extract(tmp_path: Path) -> Path:
    path = tmp_path / "events.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(ROWS)
    return path


def test_bad_rows_are_findings_and_left_out(tmp_path: Path) -> None:
    events, findings = read_events(_extract(tmp_path))
    assert len(events) == 10
    assert [f.code for f in findings] == ["SPC-T005", "SPC-T003", "SPC-T004", "SPC-T006"]
    # Each names its line in the path, as every command prints it: FILE:LINE: CODE severity: ...
    assert all(f.path.startswith("/lines/") for f in findings)


def test_cli_prints_findings_as_every_command_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extract = _extract(tmp_path)
    out = tmp_path / "referrals.csv"
    assert main(["gp", "referrals", str(extract), "-o", str(out)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 4
    assert all(re.match(rf"{re.escape(str(extract))}:\d+: SPC-T00\d error: ", ln) for ln in lines)


def test_referrals_and_declines_per_practice_and_quarter(tmp_path: Path) -> None:
    events, _ = read_events(_extract(tmp_path))
    assert referrals_by_quarter(events) == [
        {"practice": "A81001", "quarter": "2025-26 Q1", "referred": 1, "declined": 0},
        {"practice": "A81001", "quarter": "2025-26 Q2", "referred": 1, "declined": 0},
        {"practice": "A81002", "quarter": "2025-26 Q2", "referred": 0, "declined": 1},
    ]
    assert referrals_by_quarter(events, "pcn") == [
        {"pcn": "PCN1", "quarter": "2025-26 Q1", "referred": 1, "declined": 0},
        {"pcn": "PCN1", "quarter": "2025-26 Q2", "referred": 1, "declined": 1},
    ]


def test_consultations_in_the_windows_either_side(tmp_path: Path) -> None:
    events, _ = read_events(_extract(tmp_path))
    assert consultations_in_windows(events, {CONSULT}) == [
        {"person_id": "P1", "referral_date": "2025-06-30", "before": 1, "after": 2},
        {"person_id": "P2", "referral_date": "2025-07-01", "before": 0, "after": 0},
    ]


def test_cli(tmp_path: Path) -> None:
    extract = _extract(tmp_path)
    out = tmp_path / "out.csv"
    assert main(["gp", "referrals", str(extract), "-o", str(out), "--by", "pcn"]) == 1
    assert out.read_text(encoding="utf-8").splitlines()[0] == "pcn,quarter,referred,declined"
    codes = tmp_path / "codes.csv"
    codes.write_text(f"Code,Term,Source\n{CONSULT},Telephone encounter,test\n", encoding="utf-8")
    assert main(["gp", "consultations", str(extract), "--codes", str(codes), "-o", str(out)]) == 1
    assert "P1,2025-06-30,1,2" in out.read_text(encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text(f"person_id,date,code\nP1,2025-04-01,{REFERRAL}\n", encoding="utf-8")
    assert main(["gp", "referrals", str(good), "-o", str(out)]) == 0


@pytest.mark.parametrize(
    "content",
    [b"", b"a,b\n1,2\n", b"\xff\xfe\x00", b'person_id,date,code\n"' + b"x" * 5000 + b'"\n'],
)
def test_hostile_extracts_never_raise(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    status = main(["gp", "referrals", str(path), "-o", str(tmp_path / "o.csv")])
    assert status in (1, 2)
