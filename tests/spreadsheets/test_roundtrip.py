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


_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(quarterly_returns())
def test_generated_returns_round_trip_through_csv(doc: dict[str, Any]) -> None:
    assert canonical(_round_trip(doc, ".csv")) == canonical(doc)


@_SETTINGS
@given(quarterly_returns())
def test_generated_returns_round_trip_through_xlsx(doc: dict[str, Any]) -> None:
    assert canonical(_round_trip(doc, ".xlsx")) == canonical(doc)
