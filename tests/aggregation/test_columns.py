"""CaseColumns and read_columns: loading an extract into columns, and what cannot be loaded."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
from pathlib import Path

import numpy as np
import pytest
from tests.aggregation.builders import case

from spcore.aggregation import CaseColumns, aggregate, read_columns
from spcore.aggregation.columns import (
    FILE_PROBLEM,
    MASKS,
    NO_DATE,
    RECORD,
    UNUSABLE,
    position,
    reference_read_columns,
)
from spcore.cases import read_extract
from spcore.cases.synth import write_synthetic_extract
from spcore.framework.enums import AgeBand, ReferralCriterion, Service, ServiceUsePeriod

QUARTERS = ("2025-26 Q1", "2025-26 Q2", "2025-26 Q3", "2025-26 Q4")


@pytest.fixture(scope="module")
def extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    buffer = io.StringIO()
    write_synthetic_extract(buffer, 1500, seed=41, year=2025, invalid_share=0.03)
    path = tmp_path_factory.mktemp("columns") / "cases.ndjson"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_codes_are_stored_as_their_position_in_the_codelist() -> None:
    assert [position(band) for band in AgeBand] == list(range(len(AgeBand)))
    # Sets of codes are bit masks, so each codelist must fit its column's integers.
    columns = CaseColumns.from_items([])
    for name, codelist in MASKS.items():
        dtype = getattr(columns, name).dtype
        assert len(codelist) <= np.iinfo(dtype).bits - 1, name  # signed: the top bit unused
    assert ReferralCriterion in MASKS.values()


def test_a_record_becomes_one_row_with_its_lists_as_child_tables() -> None:
    record = case(
        "CASE-0001",
        "2025-07-01",
        criteria=("long-term-condition", "social-isolation-or-loneliness"),
        contacts=[("2025-07-02", "face-to-face-session", 30), ("2025-07-09", "telephone")],
        prescriptions=[("2025-07-10", "arts-and-culture", "Art Club")],
        ratings=[("2025-07-02", "amber")],
        measures=[("swemwbs", "baseline", "2025-07-02", 20.0)],
    )
    columns = CaseColumns.from_items([record])
    assert len(columns) == 1
    assert columns.kind.tolist() == [RECORD]
    assert columns.referred.tolist() == [record.referral.date.toordinal()]
    assert columns.closed.tolist() == [NO_DATE]
    assert bin(int(columns.criteria[0])).count("1") == 2
    assert columns.contact_row.tolist() == [0, 0]
    assert columns.contact_minutes[0] == 30.0
    assert np.isnan(columns.contact_minutes[1])
    assert columns.group_labels == (("Art Club", None),)
    assert columns.measure_keys == (("swemwbs", "score", None),)
    assert columns.nbytes > 0


def test_invalid_json_data_is_an_unusable_row_reported_with_its_reason() -> None:
    good = case("CASE-0001", "2025-07-01").model_dump(mode="json", by_alias=True, exclude_none=True)
    bad = dict(good, case_id="CASE-0002", referral={"date": "2025-02-30"})
    columns = CaseColumns.from_items([good, bad])
    assert columns.kind.tolist() == [RECORD, UNUSABLE]
    result = aggregate(columns, "2025-26 Q2")
    assert (result.records_read, result.records_used, result.records_skipped) == (2, 1, 1)
    (finding,) = [f for f in result.findings if f.code == "SPC-A001"]
    assert finding.path == "/1"
    assert "line 2" in finding.message


def test_one_load_serves_every_quarter_and_is_not_changed_by_aggregating(extract: Path) -> None:
    columns = read_columns(extract, progress=False)
    before = {name: value.copy() for name, value in vars_of(columns).items()}
    for quarter in QUARTERS:
        assert aggregate(columns, quarter).document == (
            aggregate(read_columns(extract, progress=False), quarter).document
        )
    for name, value in vars_of(columns).items():
        assert np.array_equal(value, before[name], equal_nan=True), name


def vars_of(columns: CaseColumns) -> dict[str, np.ndarray]:  # type: ignore[type-arg]
    return {
        name: value
        for name in dir(columns)
        if isinstance(value := getattr(columns, name), np.ndarray)
    }


def test_the_summary_is_the_readers(extract: Path) -> None:
    reader = read_extract(extract, build_records=False, progress=False)
    for _ in reader:
        pass
    columns = read_columns(extract, progress=False)
    assert columns.summary == reader.summary
    assert columns.summary is not None
    assert columns.summary.rejected > 0
    assert len(columns) == reader.summary.read


def test_a_gzipped_extract_loads_the_same_columns(extract: Path, tmp_path: Path) -> None:
    packed = tmp_path / "cases.ndjson.gz"
    packed.write_bytes(gzip.compress(extract.read_bytes()))
    plain, zipped = read_columns(extract, progress=False), read_columns(packed, progress=False)
    assert aggregate(plain, "2025-26 Q3").document == aggregate(zipped, "2025-26 Q3").document


def test_a_missing_file_is_a_file_problem_not_a_traceback(tmp_path: Path) -> None:
    columns = read_columns(tmp_path / "absent.ndjson", progress=False)
    assert columns.kind.tolist() == [FILE_PROBLEM]
    assert columns.summary is not None
    assert not columns.summary.readable
    result = aggregate(columns, "2025-26 Q2")
    assert result.records_read == 0
    assert [f.code for f in result.findings][:1] == ["SPC-C001"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (b'{"case_id": "cut-off", \n', "SPC-C003"),
        (b"\xff\xfe not text\n", "SPC-C002"),
        (b"[1, 2, 3]\n", "SPC-C006"),
        (b'{"case_id":"A1234","case_id":"B1234"}\n', "SPC-C005"),
        (b'{"score": 1e999}\n', "SPC-C003"),
        (b'{"score": NaN}\n', "SPC-C003"),
        (b"[" * 5000 + b"]" * 5000 + b"\n", "SPC-C007"),
        (b'{"a":' * 300 + b"1" + b"}" * 300 + b"\n", "SPC-C007"),
    ],
)
def test_hostile_lines_are_unusable_rows_and_the_rest_still_count(
    tmp_path: Path, text: bytes, code: str
) -> None:
    good = json.dumps(
        case("CASE-0001", "2025-07-01").model_dump(mode="json", by_alias=True, exclude_none=True)
    ).encode()
    path = tmp_path / "cases.ndjson"
    path.write_bytes(good + b"\n" + text)
    columns = read_columns(path, progress=False)
    assert columns.kind.tolist() == [RECORD, UNUSABLE]
    assert [f.code for f in columns.problems[1]][:1] == [code]
    result = aggregate(columns, "2025-26 Q2")
    assert result.document["outputs"]["people_referred"] == 1
    assert [f.code for f in result.findings if f.path == "/1"] == ["SPC-A001"]


def test_only_the_findings_that_can_be_reported_are_kept() -> None:
    from spcore.aggregation.intake import MAX_RECORD_FINDINGS

    bad = {"case_id": "CASE-0001"}  # no scheme, referral or demographics
    columns = CaseColumns.from_items([bad] * (MAX_RECORD_FINDINGS + 500))
    assert len(columns.problems) == MAX_RECORD_FINDINGS
    result = aggregate(columns, "2025-26 Q2")
    assert result.records_skipped == MAX_RECORD_FINDINGS + 500
    assert [f.code for f in result.findings].count("SPC-A001") == MAX_RECORD_FINDINGS


def test_service_use_is_a_table_of_windows_and_a_table_of_counts(tmp_path: Path) -> None:
    buffer = io.StringIO()
    write_synthetic_extract(buffer, 40, seed=5, year=2025)
    records = [r for r in map(json.loads, buffer.getvalue().splitlines()) if r.get("service_use")]
    first, record = records[:2]
    windows = record["service_use"]
    # The schema's integers may be written with a fraction of zero.
    windows[0]["counts"] = {name: float(n) for name, n in windows[0]["counts"].items()}
    path = tmp_path / "cases.ndjson"
    path.write_text(json.dumps(first) + "\n" + json.dumps(record) + "\n", encoding="utf-8")
    for columns in (read_columns(path, workers=1), reference_read_columns(path)):
        mine = columns.window_row == 1
        assert columns.window_months[mine].tolist() == [w["months"] for w in windows]
        assert columns.window_side[mine].tolist() == [
            position(ServiceUsePeriod(w["relative_to_referral"])) for w in windows
        ]
        assert columns.window_end[mine].tolist() == [
            dt.date.fromisoformat(w["end_on"]).toordinal() for w in windows
        ]
        counted = np.isin(columns.use_window, np.flatnonzero(mine))
        numbers = np.flatnonzero(mine).tolist()
        assert columns.use_window[counted].tolist() == [
            numbers[i] for i, w in enumerate(windows) for _ in w["counts"]
        ]
        assert columns.use_service[counted].tolist() == [
            position(Service(name)) for w in windows for name in w["counts"]
        ]
        assert columns.use_count[counted].tolist() == [
            int(n) for w in windows for n in w["counts"].values()
        ]


def test_a_builder_is_freed_without_the_garbage_collector() -> None:
    # Worker processes read chunks with the collector off: a builder that referred to
    # itself (a cycle) would keep every chunk's columns and identifiers until the end.
    import gc
    import weakref

    from spcore.aggregation.columns import _Builder

    buffer = io.StringIO()
    write_synthetic_extract(buffer, 20, seed=3, year=2025)
    enabled = gc.isenabled()
    gc.disable()
    try:
        builder = _Builder()
        for line, text in enumerate(buffer.getvalue().splitlines(), 1):
            builder.add_record(json.loads(text), line)
        assert builder.written, "a record with a community group, so a group was numbered"
        alive = weakref.ref(builder)
        del builder
        assert alive() is None
    finally:
        if enabled:
            gc.enable()
