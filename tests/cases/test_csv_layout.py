"""The CSV layout: derived from the schema, and the same records as NDJSON."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spcore import schemas
from spcore.cases import csv_columns, read_extract
from spcore.cases.csv_layout import (
    Column,
    Kind,
    UnrepresentableError,
    _read_cell,
    columns,
    record_to_row,
    row_to_record,
)
from spcore.cases.extracts import _parse_cell
from spcore.cases.synth import synth_cases

from .conftest import WriteExtract


def _leaf_paths(node: Any, prefix: str = "") -> set[str]:
    """Every property path of the case-record schema, following $refs by hand."""
    found: set[str] = set()
    for name, prop in node.get("properties", {}).items():
        target = prop
        for branch in prop.get("anyOf", []):
            if branch.get("type") != "null":
                target = branch
        ref = target.get("$ref", "")
        if ref.startswith("#/$defs/"):
            target = schemas.load("case-record")["$defs"][ref.split("/")[-1]]
        if target.get("type") == "object" and "properties" in target:
            found |= _leaf_paths(target, f"{prefix}{name}.")
        else:
            found.add(prefix + name)
    return found


def test_columns_cover_every_schema_field_once() -> None:
    names = csv_columns()
    assert len(names) == len(set(names))
    assert set(names) == _leaf_paths(schemas.load("case-record"))


def test_column_kinds() -> None:
    kinds = {c.name: c.kind.value for c in columns()}
    assert kinds["referral.criteria"] == "json-list"
    assert kinds["support_offered.contacts"] == "json-list"
    assert kinds["demographics.lives_alone"] == "boolean"
    assert kinds["closure.date"] == "text"
    assert "support_offered.contacts.date" not in kinds  # lists are one cell


@given(seed=st.integers(0, 2**32), share=st.sampled_from([0.0, 0.3]))
def test_row_round_trip(seed: int, share: float) -> None:
    for record in synth_cases(5, seed, invalid_share=share):
        try:
            row = record_to_row(record)
        except UnrepresentableError:
            assert "referal" in record  # the one record-level kind CSV cannot carry
            continue
        assert row_to_record(csv_columns(), row, _parse_cell) == _without_nulls(record)


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    return value


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_csv_and_ndjson_give_the_same_case_records(write_extract: WriteExtract, seed: int) -> None:
    ndjson, _ = write_extract(300, seed, format="ndjson")
    csv_path, _ = write_extract(300, seed, format="csv")
    from_ndjson = [i.record for i in read_extract(ndjson)]
    from_csv = [i.record for i in read_extract(csv_path)]
    assert len(from_csv) == 300
    assert None not in from_csv
    assert from_csv == from_ndjson


def _csv(tmp_path: Path, text: str) -> dict[int, list[tuple[str, str]]]:
    path = tmp_path / "cases.csv"
    path.write_text(text, encoding="utf-8", newline="")
    return {item.line: [(f.code, f.path) for f in item.findings] for item in read_extract(path)}


def _row(**cells: str) -> str:
    record = next(synth_cases(1, seed=4))
    row = record_to_row(record)
    names = csv_columns()
    for name, value in cells.items():
        row[names.index(name.replace("__", "."))] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(row)
    return buffer.getvalue()


def _header() -> str:
    return ",".join(csv_columns())


def test_cell_problems_reported_as_schema_findings(tmp_path: Path) -> None:
    text = "\n".join(
        [
            _header(),
            _row(),
            _row(demographics__lives_alone="yes"),
            _row(demographics__lives_alone="TRUE"),
            _row(referral__date="2025-02-30"),
            _row(referral__date="0000-01-01"),
            _row(demographics__age_band=""),
            _row(referral__criteria='["lives-alone"'),
        ]
    )
    assert _csv(tmp_path, text + "\n") == {
        2: [],
        3: [("SPC-S003", "/demographics/lives_alone")],
        4: [],
        5: [("SPC-S006", "/referral/date")],
        6: [("SPC-S006", "/referral/date")],
        7: [("SPC-S001", "/demographics/age_band")],
        8: [("SPC-C013", "/referral/criteria")],
    }


def test_unknown_column_named_by_the_schema(tmp_path: Path) -> None:
    text = _header().replace("closure.reason", "closure.raeson") + "\n" + _row() + "\n"
    findings = _csv(tmp_path, text)[2]
    assert ("SPC-S002", "/closure/raeson") in findings


def test_row_shape_problems(tmp_path: Path) -> None:
    text = "\n".join([_header(), _row() + ',"extra"', _row(), '"unterminated', ""])
    result = _csv(tmp_path, text)
    assert result[2] == [("SPC-C012", "")]
    assert result[3] == []
    assert result[4] == [("SPC-C014", "")]


def test_duplicate_header_stops_reading(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("case_id,case_id\nA1234,B1234\n", encoding="utf-8")
    reader = read_extract(path)
    items = list(reader)
    assert [(i.line, i.findings[0].code) for i in items] == [(0, "SPC-C011")]
    assert not reader.summary.readable


def test_multi_line_cells_keep_row_start_lines(tmp_path: Path) -> None:
    group = '[{"date":"2025-05-01","intervention_type":"befriending","community_group":"A\nB"}]'
    text = "\n".join([_header(), _row(support_offered__social_prescriptions=group), _row(), ""])
    result = _csv(tmp_path, text)
    assert list(result) == [2, 4]


def test_bad_bytes_in_csv_reported_and_reading_continues(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    body = "\n".join([_header(), _row(), ""]).encode() + b"\xff\xff\n" + (_row() + "\n").encode()
    path.write_bytes(body)
    result = {i.line: [f.code for f in i.findings] for i in read_extract(path)}
    assert result == {2: [], 3: ["SPC-C002"], 4: []}


def test_unrepresentable_record_refused() -> None:
    record = next(synth_cases(1, seed=4))
    record["referal"] = record.pop("referral")
    with pytest.raises(UnrepresentableError):
        record_to_row(record)


def test_wide_header_with_a_repeated_column_reported(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    names = ["case_id"] + [f"c{i}" for i in range(200_000)] + ["c0"]
    path.write_text(",".join(names) + "\n1\n", encoding="utf-8")
    assert [f.code for i in read_extract(path) for f in i.findings] == ["SPC-C011"]


def test_csv_without_a_header_row(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(_row() + "\n" + _row() + "\n", encoding="utf-8")
    reader = read_extract(path)
    assert [f.code for i in reader for f in i.findings] == ["SPC-C010"]
    assert not reader.summary.readable


def test_unnamed_columns_may_repeat(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(_header() + ",,\n" + _row() + ",,\n", encoding="utf-8")
    assert [(i.line, i.accepted) for i in read_extract(path)] == [(2, True)]


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("12", 12),
        ("-3", -3),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("nan", "nan"),
        ("inf", "inf"),
        ("x", "x"),
    ],
)
def test_number_cells(cell: str, value: object) -> None:
    column = Column("n", ("n",), Kind.NUMBER, "N")
    read = _read_cell(column, cell, _parse_cell)
    assert read == value
    assert type(read) is type(value)
