"""The return's impact on the health and care system, worked out from case records' service use.

Every expectation is checked on both aggregation paths (``both_paths.aggregate``).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from tests.aggregation.both_paths import aggregate
from tests.aggregation.builders import case
from tests.aggregation.test_facts import EXAMPLE

from spcore.aggregation import columnar, load_facts, read_columns
from spcore.aggregation.columns import RECORD
from spcore.cases.synth import write_synthetic_extract
from spcore.framework.case_record import CaseRecord
from spcore.rag import DateRange


def _windows(
    referred: tuple[str, str, str, str],
    months: int,
    gp: tuple[int, int],
    ae: tuple[int, int],
    beds: tuple[int, int] | None,
) -> list[dict[str, Any]]:
    """Windows before and after: (before start, before end, after start, after end)."""
    out = []
    for side, start, end, index in (
        ("before", referred[0], referred[1], 0),
        ("after", referred[2], referred[3], 1),
    ):
        frame = {"relative_to_referral": side, "start_on": start, "end_on": end, "months": months}
        out.append({**frame, "source": "gp-record", "counts": {"gp-consultations": gp[index]}})
        hospital = {"ae-attendances": ae[index]}
        if beds is not None:
            hospital["hospital-bed-days"] = beds[index]
        out.append({**frame, "source": "hospital-data", "counts": hospital})
    return out


def _with(record: CaseRecord, windows: list[dict[str, Any]], **extra: Any) -> CaseRecord:
    return CaseRecord.model_validate({**record.to_dict(), "service_use": windows, **extra})


TWELVE_A = ("2023-08-10", "2024-08-09", "2024-08-10", "2025-08-09")


def _extract() -> list[CaseRecord]:
    return [
        # A: 12 months after referral end on 9 August 2025, in 2025-26 Q2
        _with(
            case("CASE-A", "2024-08-10", person="PERSON-1"),
            _windows(TWELVE_A, 12, gp=(10, 6), ae=(2, 1), beds=(5, 0)),
        ),
        # B: ends 29 September 2025, in Q2
        _with(
            case("CASE-B", "2024-09-30"),
            _windows(
                ("2023-09-30", "2024-09-29", "2024-09-30", "2025-09-29"),
                12,
                (4, 3),
                (0, 1),
                (10, 2),
            ),
        ),
        # C: ends 14 June 2025, in Q1
        _with(
            case("CASE-C", "2024-06-15"),
            _windows(
                ("2023-06-15", "2024-06-14", "2024-06-15", "2025-06-14"), 12, (7, 7), (1, 1), (3, 3)
            ),
        ),
        # D: no hospital bed days counted, so not compared
        _with(
            case("CASE-D", "2024-08-01"),
            _windows(
                ("2023-08-01", "2024-07-31", "2024-08-01", "2025-07-31"), 12, (9, 9), (9, 9), None
            ),
        ),
        # E: the same person as A, referred later: A's case is the one compared
        _with(
            case("CASE-E", "2024-08-20", person="PERSON-1"),
            _windows(
                ("2023-08-20", "2024-08-19", "2024-08-20", "2025-08-19"),
                12,
                (100, 100),
                (100, 100),
                (100, 100),
            ),
        ),
        # F: a comparison person; G: a rejected referral; neither is in the cohort
        _with(
            case("CASE-F", "2024-08-05"),
            _windows(
                ("2023-08-05", "2024-08-04", "2024-08-05", "2025-08-04"),
                12,
                (50, 50),
                (50, 50),
                (50, 50),
            ),
            cohort="comparison-not-referred",
        ),
        _with(
            case("CASE-G", "2024-08-03", rejected=("2024-08-04", "declined-by-person")),
            _windows(
                ("2023-08-03", "2024-08-02", "2024-08-03", "2025-08-02"),
                12,
                (50, 50),
                (50, 50),
                (50, 50),
            ),
        ),
        # H: 6 months after referral end in Q2, but only one person has 6-month windows
        _with(
            case("CASE-H", "2025-02-10"),
            _windows(
                ("2024-08-10", "2025-02-09", "2025-02-10", "2025-08-09"), 6, (1, 1), (1, 1), (1, 1)
            ),
        ),
    ]


def test_the_cohort_whose_windows_after_referral_end_in_the_quarter() -> None:
    result = aggregate(_extract(), "2025-26Q2")
    system = result.document["impact_on_system"]
    assert system == {
        "cohort_size": 2,  # A and B
        "cohort_description": (
            "cases whose 12 months after referral ended in 2025-26 Q2, with GP consultations, "
            "A&E attendances and hospital bed days counted before and after"
        ),
        "window_before_months": 12,
        "window_after_months": 12,
        "gp_consultations": {"before": 14, "after": 9},
        "ae_attendances": {"before": 2, "after": 2},
        "hospital_bed_days": {"before": 15, "after": 2},
    }
    assert "/impact_on_system/cohort_size" in result.derived
    assert result.records_comparison == 1
    q1 = aggregate(_extract(), "2025-26Q1").document["impact_on_system"]
    assert (q1["cohort_size"], q1["gp_consultations"]) == (1, {"before": 7, "after": 7})  # C


def test_the_length_with_more_people_wins_and_the_longer_on_a_tie() -> None:
    extract = _extract()
    # Two more people with 6-month windows ending in Q2: 3 against 2.
    for name in ("I", "J"):
        extract.append(
            _with(
                case(f"CASE-{name}", "2025-02-10"),
                _windows(
                    ("2024-08-10", "2025-02-09", "2025-02-10", "2025-08-09"),
                    6, (2, 1), (0, 0), (0, 0),
                ),
            )
        )  # fmt: skip
    system = aggregate(extract, "2025-26Q2").document["impact_on_system"]
    assert (system["cohort_size"], system["window_before_months"]) == (3, 6)
    assert system["gp_consultations"] == {"before": 5, "after": 3}
    extract.pop()  # 2 against 2: the longer, 12 months
    system = aggregate(extract, "2025-26Q2").document["impact_on_system"]
    assert (system["cohort_size"], system["window_before_months"]) == (2, 12)


def test_a_case_is_read_for_its_service_use_alone() -> None:
    """A case with nothing else in the quarter is still read for the cohort."""
    (only,) = [r for r in _extract() if r.case_id == "CASE-B"]
    result = aggregate([only], "2025-26Q2")
    assert result.records_in_quarter == 1
    assert result.document["impact_on_system"]["cohort_size"] == 1


def test_the_cases_figures_replace_the_facts_with_a_warning() -> None:
    facts, _ = load_facts(EXAMPLE)
    assert facts is not None
    given = facts.model_dump(mode="json", by_alias=True, exclude_none=True)
    given["impact_on_system"].update(
        cohort_size=5,
        cohort_description="from the GP practices",
        window_before_months=6,
        window_after_months=6,
        gp_consultations={"before": 1, "after": 1},
    )
    facts = type(facts).model_validate(given)
    result = aggregate(_extract(), "2025-26Q2", facts)
    system = result.document["impact_on_system"]
    assert system["cohort_size"] == 2
    assert system["gp_consultations"] == {"before": 14, "after": 9}
    assert "staff_morale" in system  # still from the facts
    assert "SPC-A023" in {f.code for f in result.findings}
    assert result.is_valid, result.validation.findings


def test_without_service_use_the_section_is_the_facts_alone() -> None:
    facts, _ = load_facts(EXAMPLE)
    result = aggregate([case("CASE-A", "2025-07-10")], "2025-26Q2", facts)
    assert set(result.document["impact_on_system"]) == {"staff_morale"}
    assert not any(p.startswith("/impact_on_system/cohort") for p in result.derived)


def test_a_cohort_within_the_suppression_threshold_is_left_out() -> None:
    facts, _ = load_facts(EXAMPLE)
    result = aggregate(_extract(), "2025-26Q2", facts, suppress=True)
    system = result.document["impact_on_system"]
    assert "cohort_size" not in system  # 2 people: no more than 7
    assert "staff_morale" in system
    assert "SPC-A025" in {f.code for f in result.findings}
    assert not any(p.startswith("/impact_on_system/cohort") for p in result.derived)
    assert result.is_valid, result.validation.findings


def test_service_use_worked_out_a_few_rows_at_a_time_is_the_same(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Counts are taken a block of rows at a time, to keep their temporary arrays small.
    buffer = io.StringIO()
    write_synthetic_extract(buffer, 300, seed=11, year=2025, invalid_share=0.05)
    path = tmp_path / "cases.ndjson"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    columns = read_columns(path, workers=1)
    cases = (columns.kind == RECORD) & (columns.rejection < 0)
    every_window = DateRange(dt.date(2000, 1, 1), dt.date(2099, 12, 31))
    whole = columnar._service_use(columns, cases, every_window)
    assert whole
    assert min(figures[0] for figures in whole.values()) > 0
    assert len(columnar._row_blocks(columns, len(columns))) == 1
    for rows in (1, 7, 64):
        blocks = columnar._row_blocks(columns, rows)
        assert len(blocks) > len(columns) // (rows * 4)
        assert [(b.start, b.stop) for b in blocks] == sorted((b.start, b.stop) for b in blocks)
        assert sum(b.stop - b.start for b in blocks) == len(columns.use_window)
        monkeypatch.setattr(columnar, "_SERVICE_USE_ROWS", rows)
        assert columnar._service_use(columns, cases, every_window) == whole
