"""Lossless conversion: JSON -> XLSX -> JSON and JSON -> CSV -> JSON give the same document."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from tests.spreadsheets.helpers import canonical, example
from tests.strategies import quarterly_returns

from spcore.spreadsheets import read_return, write_return


def _round_trip(document: dict[str, Any], suffix: str) -> Any:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"return{suffix}"
        write_return(document, path)
        source = read_return(path)
    assert source.loaded.findings == ()
    return source.loaded.data


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".json"])
def test_example_round_trips(suffix: str) -> None:
    assert canonical(_round_trip(example(), suffix)) == canonical(example())


_AWKWARD_TEXT = [
    "null",
    "[]",
    "{}",
    "",
    '"quoted"',
    "=SUM(A1:A2)",
    "+44 20",
    "-5",
    "@home",
    "  spaced  ",
    "line one\nline two",
    "carriage\r\nreturn",
    "tab\there",
    'comma, and "quote"',
    "ünïcödé — £5",
    "240",
    "2025-10-14",
]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("text", _AWKWARD_TEXT)
def test_awkward_text_survives(suffix: str, text: str) -> None:
    doc = example()
    doc["notes"] = text
    doc["scheme"]["provider"] = text
    doc["outputs"]["community_groups"]["groups"][0]["directory_id"] = text
    assert canonical(_round_trip(doc, suffix)) == canonical(doc)


_AWKWARD_NUMBERS = [
    0.1 + 0.2,
    2.0,
    2.5,
    1e-300,
    1.7976931348623157e308,
    123456789.12345679,
    0,
    10**20,
    5e-324,
    27485.0,
]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("number", _AWKWARD_NUMBERS)
def test_numbers_keep_value_and_type(suffix: str, number: float) -> None:
    doc = example()
    doc["outputs"]["link_worker_salaries"]["lowest_annual"]["value"] = number
    doc["impact_on_person"]["instruments"][0]["mean_baseline"] = number
    back = _round_trip(doc, suffix)
    assert canonical(back) == canonical(doc)
    assert type(back["impact_on_person"]["instruments"][0]["mean_baseline"]) is type(number)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_explicit_nulls_and_empty_parts_survive(suffix: str) -> None:
    doc = example()
    doc["monitoring"] = {}
    doc["impact_on_system"] = None
    doc["outputs"]["people_referred"] = None  # a count withheld by suppression
    doc["outputs"]["referred_by_age_band"]["18-24"] = None
    doc["outputs"]["referred_by_criterion"] = {}
    doc["outputs"]["community_groups"]["groups"] = []
    doc["outputs"]["total_investment"]["by_funding_source"] = None
    doc["scheme"]["benefit_domains"] = []
    doc["outputs"]["link_worker_salaries"]["pay_bands"] = None
    doc["impact_on_person"] = {"instruments": []}
    assert canonical(_round_trip(doc, suffix)) == canonical(doc)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_repeated_codes_and_missing_units_survive(suffix: str) -> None:
    doc = example()
    doc["scheme"]["benefit_domains"] = ["vcs-capacity", "vcs-capacity"]
    del doc["outputs"]["link_worker_salaries"]["lowest_annual"]["unit"]
    doc["outputs"]["link_workers"]["fte"] = {"value": 75, "unit": "hour_per_week"}
    assert canonical(_round_trip(doc, suffix)) == canonical(doc)


LONELY = 2  # the example's third instrument summary: the ONS loneliness answer, by category


def test_every_count_has_a_cell_of_its_own() -> None:
    from spcore.spreadsheets.layout import Kind, layout

    shape = layout()
    columns = [c for t in shape.tables for c in t.columns]
    assert [f.pointer for f in [*shape.fields(), *columns] if f.kind is Kind.JSON] == []
    keys = {"/".join(c.tokens) for c in columns}
    assert {"baseline_by_category/often-always", "follow_up_by_category/level-4"} <= keys
    assert "by_change/started" in keys


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize(
    "counts",
    [None, {}, {"level-1": 3, "level-2": None, "level-4": 0}, {"never": 1}],
    ids=["null", "empty", "pam-with-null", "one"],
)
def test_category_counts_survive_cell_by_cell(suffix: str, counts: Any) -> None:
    doc = example()
    summary = doc["impact_on_person"]["instruments"][LONELY]
    summary["baseline_by_category"] = counts
    changes = {"started": 2, "ended": None} if counts else {}
    doc["impact_on_system"]["social_care_packages"][0]["by_change"] = changes
    assert canonical(_round_trip(doc, suffix)) == canonical(doc)


def test_an_old_csv_with_category_counts_as_json_text_is_still_read(tmp_path: Path) -> None:
    import csv
    import json

    from spcore.spreadsheets.csv_form import write_csv

    doc = example()
    new = tmp_path / "new.csv"
    write_csv(doc, new)
    rows = list(csv.reader(new.open(encoding="utf-8", newline="")))
    old_rows = []
    base = f"/impact_on_person/instruments/{LONELY}/"
    for row in rows:
        path = row[0]
        maps = ("baseline_by_category", "follow_up_by_category")
        if any(path.startswith(base + m + "/") for m in maps):
            continue  # the layout before 0.2 had no row per category
        if path in {base + m for m in maps}:
            row[2] = json.dumps(doc["impact_on_person"]["instruments"][LONELY][path.split("/")[-1]])
        old_rows.append(row)
    old = tmp_path / "old.csv"
    with old.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(old_rows)
    source = read_return(old)
    assert canonical(source.loaded.data) == canonical(doc)
    assert [(f.code, f.severity.value, f.path) for f in source.loaded.findings] == [
        ("SPC-X015", "warning", base + "baseline_by_category"),
        ("SPC-X015", "warning", base + "follow_up_by_category"),
    ]


def test_other_text_in_a_category_heading_is_refused(tmp_path: Path) -> None:
    import csv

    from spcore.spreadsheets.csv_form import write_csv

    path = tmp_path / "r.csv"
    write_csv(example(), path)
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    base = f"/impact_on_person/instruments/{LONELY}/baseline_by_category"
    for row in rows:
        if row[0] == base:
            row[2] = "{not json"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    findings = read_return(path).loaded.findings
    assert [(f.code, f.path) for f in findings] == [("SPC-X014", base)]


_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(quarterly_returns())
def test_generated_returns_round_trip_through_csv(doc: dict[str, Any]) -> None:
    assert canonical(_round_trip(doc, ".csv")) == canonical(doc)


@_SETTINGS
@given(quarterly_returns())
def test_generated_returns_round_trip_through_xlsx(doc: dict[str, Any]) -> None:
    assert canonical(_round_trip(doc, ".xlsx")) == canonical(doc)
