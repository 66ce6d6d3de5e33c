"""Case checks warn of a follow-up sooner than three months after its baseline (SPC-C030)."""

from __future__ import annotations

import json
from pathlib import Path

from spcore.cases import read_extract
from spcore.cases.timing import timing_findings


def _record(follow_up: str) -> dict[str, object]:
    return {
        "case_id": "CASE-0001",
        "scheme_id": "NORTHSHIRE-CONNECT",
        "referral": {"date": "2025-04-01", "referrer_type": "gp-practice", "criteria": ["carer"]},
        "demographics": {"age_band": "45-54"},
        "outcomes": {
            "measures": [
                {"instrument": "swemwbs", "timepoint": "baseline", "date": "2025-04-30",
                 "score": 17.0},
                {"instrument": "swemwbs", "timepoint": "follow-up", "date": follow_up,
                 "score": 20.0},
            ]
        },
    }  # fmt: skip


def test_a_follow_up_a_day_early_is_warned_of() -> None:
    (finding,) = timing_findings(_record("2025-07-29"))
    assert (finding.code, finding.severity.value) == ("SPC-C030", "warning")
    assert finding.path == "/outcomes/measures/1/date"
    assert "due 2025-07-30" in finding.message
    assert timing_findings(_record("2025-07-30")) == ()


def test_the_record_is_accepted_with_its_warning_with_or_without_models(tmp_path: Path) -> None:
    path = tmp_path / "cases.ndjson"
    path.write_text(json.dumps(_record("2025-06-01")) + "\n", encoding="utf-8")
    for build in (True, False):
        reader = read_extract(path, build_records=build)
        (item,) = list(reader)
        assert item.accepted
        assert [f.code for f in item.findings] == ["SPC-C030"]
        assert reader.summary.warned_by_code == {"SPC-C030": 1}
        assert reader.summary.rejected == 0


def _lonely(score: float) -> dict[str, object]:
    record = _record("2025-07-30")
    record["outcomes"] = {
        "measures": [
            {"instrument": "ons-loneliness", "timepoint": "baseline", "date": "2025-04-30",
             "score": score},
        ]
    }  # fmt: skip
    return record


def test_a_categorical_score_outside_its_codes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cases.ndjson"
    lines = [json.dumps(_lonely(s)) for s in (3, 2.5, 6)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for build in (True, False):
        reader = read_extract(path, build_records=build)
        items = list(reader)
        assert [i.accepted for i in items] == [True, False, False]
        assert [f.code for f in items[1].findings] == ["SPC-C031"]
        assert items[1].findings[0].path == "/outcomes/measures/0/score"
        assert "1 (Often/always)" in items[2].findings[0].message
        assert items[1].record is None


def test_a_retired_code_is_warned_of_with_its_replacement(tmp_path: Path) -> None:
    record = _record("2025-07-30")
    record["closure"] = {"date": "2025-09-01", "reason": "escalated"}
    path = tmp_path / "cases.ndjson"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    for build in (True, False):
        reader = read_extract(path, build_records=build)
        (item,) = list(reader)
        assert item.accepted
        (finding,) = item.findings
        assert (finding.code, finding.severity.value) == ("SPC-C037", "warning")
        assert finding.path == "/closure/reason"
        assert "use 'handed-over' instead" in finding.message
    record["closure"]["reason"] = "handed-over"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert [i.findings for i in read_extract(path)] == [()]
