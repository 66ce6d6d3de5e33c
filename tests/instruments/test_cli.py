"""The instruments command line: list, show, score (a stable contract)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from spcore.cli import main
from spcore.instruments import INSTRUMENT_IDS


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "instruments", "list", "--format", "json")
    assert status == 0
    assert [row["id"] for row in json.loads(out)] == list(INSTRUMENT_IDS)


@pytest.mark.parametrize("instrument", INSTRUMENT_IDS)
def test_show_json_contract(capsys: pytest.CaptureFixture[str], instrument: str) -> None:
    status, out, _ = _run(capsys, "instruments", "show", instrument, "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert data["id"] == instrument
    for key in ("items", "scores", "bands", "value_sets", "sources", "licence"):
        assert key in data
    assert all("id" in item and "minimum" in item for item in data["items"])
    assert all(s["minimum"] <= s["maximum"] for s in data["scores"])
    cited = {s["key"] for s in data["sources"]}
    used = {i["source"] for i in data["items"]} | {s["source"] for s in data["scores"]}
    used |= {b["source"] for s in data["scores"] for b in s["bands"]}
    used |= {s["change_threshold"]["source"] for s in data["scores"] if s["change_threshold"]}
    assert used <= cited


def test_show_eq5d_lists_value_sets(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "instruments", "show", "eq5d5l", "--format", "json")
    data = json.loads(out)
    assert data["default_value_set"] in data["value_sets"]


def test_show_unknown_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(capsys, "instruments", "show", "nope")
    assert status == 2
    assert "unknown instrument" in err


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_score_keeps_columns_and_reports_bad_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_text(
        "person,item_1,item_2,item_3,item_4,item_5,item_6,item_7,note\n"
        "a,3,3,3,3,3,3,3,first\n"
        "b,3,3,3,3,3,3,9,second\n"
        "c,5,5,5,5,5,5,5,third,EXTRA\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    status, _, _ = _run(capsys, "score", "swemwbs", str(src), "-o", str(out))
    assert status == 1
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:9] == ["person", *[f"item_{n}" for n in range(1, 8)], "note"]
    assert header[9:] == ["score", "score_metric", "score_raw", "findings"]
    rows = _read(out)
    assert (rows[0]["score"], rows[0]["score_raw"], rows[0]["findings"]) == ("19.25", "21", "")
    assert rows[1]["score"] == ""
    # One readable form in every CSV: CODE severity: message, " | " between findings.
    assert rows[1]["findings"].startswith("SPC-I004 error: ")
    assert rows[2]["findings"].startswith("SPC-I010 error: ")


def test_score_valid_file_exits_zero_with_bands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_text("life_satisfaction,worthwhile,happiness,anxiety\n9,7,5,1\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    status, _, _ = _run(capsys, "score", "ons4", str(src), "-o", str(out))
    assert status == 0
    row = _read(out)[0]
    assert (row["score"], row["band"]) == ("9", "very high")
    assert row["band_anxiety"] == "very low"
    assert row["band_happiness"] == "medium"


def test_score_eq5d_profile_and_value_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_text("profile,vas\n11111,90\n55555,\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    status, _, _ = _run(
        capsys, "score", "eq5d5l", str(src), "-o", str(out), "--value-set", "england-2018-devlin"
    )
    assert status == 0
    rows = _read(out)
    assert rows[0]["score"] == "1.000"
    assert rows[1]["score"] == "-0.285"
    assert rows[0]["score_vas"] == "90"
    status, _, err = _run(capsys, "score", "eq5d5l", str(src), "-o", str(out), "--value-set", "x")
    assert status == 2
    assert "no value set" in err


def test_score_unusable_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.csv"
    status, _, err = _run(capsys, "score", "phq9", str(missing), "-o", str(tmp_path / "o.csv"))
    assert status == 2
    assert "cannot read" in err
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a,b\n1,2\n", encoding="utf-8")
    status, _, err = _run(capsys, "score", "phq9", str(wrong), "-o", str(tmp_path / "o.csv"))
    assert status == 2
    assert "none of the columns" in err
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00bad")
    status, _, _ = _run(capsys, "score", "phq9", str(binary), "-o", str(tmp_path / "o.csv"))
    assert status == 2
