"""Service use and comparison people on the case record: checks, layouts, synthetic data."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import math
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

import spcore.cli
from spcore.cases import read_extract
from spcore.cases.csv_layout import column_names, record_to_row
from spcore.cases.service_use import add_months, service_use_findings, window_end, window_start
from spcore.cases.synth import (
    DEFAULT_SERVICE_USE_EFFECT,
    SERVICE_RATES,
    ServiceUseModel,
    expected_outcome_change,
    synth_cases,
)
from spcore.cases.synth_identifiable import synth_identifiable
from spcore.framework import CaseRecord
from spcore.framework.enums import Service
from spcore.pseudonymise import Pseudonymiser, PseudonymKey
from spcore.pseudonymise.identifiable import pseudonymise_record


def _case(**extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "case_id": "CASE-0001",
        "scheme_id": "NORTHSHIRE-CONNECT",
        "referral": {
            "date": "2025-05-20",
            "referrer_type": "gp-practice",
            "criteria": ["lives-alone"],
        },
        "demographics": {"age_band": "65-74"},
    }
    record.update(extra)
    return record


def _window(side: str, start: str, end: str, months: int = 6, **counts: int) -> dict[str, Any]:
    return {
        "relative_to_referral": side,
        "start_on": start,
        "end_on": end,
        "months": months,
        "source": "gp-record",
        "counts": {k.replace("_", "-"): v for k, v in counts.items()} or {"gp-consultations": 2},
    }


GOOD = [
    _window("before", "2024-11-20", "2025-05-19", gp_consultations=5),
    _window("after", "2025-05-20", "2025-11-19", gp_consultations=3),
]


def _findings(record: dict[str, Any], tmp_path: Path) -> list[tuple[int, str, str]]:
    path = tmp_path / "cases.ndjson"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return [(item.line, f.code, f.path) for item in read_extract(path) for f in item.findings]


def test_a_record_with_service_use_and_a_cohort_is_accepted(tmp_path: Path) -> None:
    record = _case(service_use=GOOD, cohort="comparison-waiting-list")
    assert _findings(record, tmp_path) == []
    model = CaseRecord.model_validate(record)
    assert model.service_use is not None
    assert model.service_use[0].counts == {Service.GP_CONSULTATIONS: 5}
    dumped = model.to_dict()
    assert (dumped["service_use"], dumped["cohort"]) == (GOOD, "comparison-waiting-list")


@pytest.mark.parametrize(
    ("windows", "expected"),
    [
        # ends before it starts
        ([_window("after", "2025-06-01", "2025-05-31")], [("SPC-C032", "/service_use/0/end_on")]),
        # a window before referral that ends after the referral date
        (
            [
                _window("before", "2024-11-21", "2025-05-20"),
                _window("before", "2024-12-01", "2025-05-31", ae_attendances=1),
            ],
            [("SPC-C033", "/service_use/1/end_on")],
        ),
        # a window after referral that starts before it
        (
            [_window("after", "2025-05-19", "2025-11-18")],
            [("SPC-C034", "/service_use/0/start_on")],
        ),
        # the same service twice on the same side and length
        (
            [GOOD[0], {**GOOD[0], "source": "self-report"}],
            [("SPC-C035", "/service_use/1/counts/gp-consultations")],
        ),
        # dates that do not span the stated months: a warning, the record is accepted
        (
            [_window("after", "2025-05-20", "2025-11-30")],
            [("SPC-C036", "/service_use/0/end_on")],
        ),
        # a negative count and an unknown service: the schema refuses them
        (
            [_window("after", "2025-05-20", "2025-11-19", gp_consultations=-1)],
            [("SPC-S005", "/service_use/0/counts/gp-consultations")],
        ),
        (
            [_window("after", "2025-05-20", "2025-11-19", ae_attendance=1)],
            [("SPC-S004", "/service_use/0/counts/ae-attendance")],
        ),
    ],
)
def test_impossible_windows_are_coded_findings_with_their_line_and_path(
    tmp_path: Path, windows: list[dict[str, Any]], expected: list[tuple[str, str]]
) -> None:
    found = _findings(_case(service_use=windows), tmp_path)
    assert sorted((code, path) for _, code, path in found) == sorted(expected)
    assert {line for line, _, _ in found} == {1}


def test_a_window_may_end_or_start_on_the_referral_date() -> None:
    windows = [
        _window("before", "2024-11-20", "2025-05-20", gp_consultations=1),
        _window("after", "2025-05-20", "2025-11-19", gp_consultations=1),
    ]
    codes = {f.code for f in service_use_findings(_case(service_use=windows))}
    assert codes == {"SPC-C036"}  # 20 Nov to 20 May is a day more than six months


def test_months_count_forward_from_the_start_or_back_from_the_end() -> None:
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert window_end(dt.date(2025, 4, 1), 6) == dt.date(2025, 9, 30)
    assert window_start(dt.date(2025, 8, 30), 6) == dt.date(2025, 2, 28)
    assert window_end(dt.date(2025, 2, 28), 6) == dt.date(2025, 8, 27)
    # Six months back from 30 August start on 28 February; read forward they would end on
    # 27 August. Either reading passes.
    windows = [_window("before", "2025-02-28", "2025-08-30")]
    record = _case(referral={**_case()["referral"], "date": "2025-08-31"}, service_use=windows)
    assert service_use_findings(record) == ()


def test_service_use_survives_the_csv_layout(tmp_path: Path) -> None:
    record = _case(service_use=GOOD, cohort="comparison-not-referred")
    assert {"cohort", "service_use"} <= set(column_names())
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(column_names())
    writer.writerow(record_to_row(record))
    path = tmp_path / "cases.csv"
    path.write_text(text.getvalue(), encoding="utf-8")
    (item,) = list(read_extract(path))
    assert item.accepted
    assert item.data == record


# -- synthetic service use -------------------------------------------------------------------


def test_synthetic_service_use_is_deterministic_and_separate_from_the_rest() -> None:
    with_use = list(synth_cases(300, 11))
    assert with_use == list(synth_cases(300, 11))
    without = list(synth_cases(300, 11, service_use=None))
    stripped = copy.deepcopy(with_use)
    for record in stripped:
        record.pop("service_use", None)
    assert stripped == without
    recorded = [r for r in with_use if "service_use" in r]
    assert 0.8 < len(recorded) / sum("rejection" not in r["referral"] for r in with_use) < 1.0
    assert not any("service_use" in r for r in with_use if "rejection" in r["referral"])


def test_every_synthetic_record_with_service_use_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "cases.ndjson"
    model = ServiceUseModel(months=(6, 12, 24), trend=0.1)
    records = synth_cases(400, 3, service_use=model, comparison_share=0.3)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    items = list(read_extract(path))
    assert all(item.accepted and not item.findings for item in items)
    comparison = [i for i in items if i.data is not None and "cohort" in i.data]
    assert 80 < len(comparison) < 160
    for item in comparison:
        assert item.data is not None
        assert set(item.data) <= {
            "case_id",
            "person_id",
            "scheme_id",
            "cohort",
            "referral",
            "demographics",
            "service_use",
        }


def _means(records: list[dict[str, Any]], months: int) -> dict[tuple[bool, str, str], list[int]]:
    found: dict[tuple[bool, str, str], list[int]] = defaultdict(list)
    for record in records:
        referred = "cohort" not in record
        for window in record.get("service_use") or ():
            if window["months"] == months:
                for service, n in window["counts"].items():
                    found[(referred, service, window["relative_to_referral"])].append(n)
    return found


def test_synthetic_service_use_recovers_its_true_effect() -> None:
    """The mean count per person in each window is within 4 standard errors of the model's."""
    model = ServiceUseModel(effect={"ae-attendances": -0.3, "gp-consultations": -0.5}, trend=0.1)
    records = list(synth_cases(12_000, 5, service_use=model, comparison_share=0.3))
    counts = _means(records, 12)
    assert {service for _, service, _ in counts} == {s.value for s in Service}
    for (referred, service, side), values in counts.items():
        expected = model.expected(service, side, 12, referred=referred)
        error = statistics.stdev(values) / math.sqrt(len(values))
        assert abs(statistics.fmean(values) - expected) < 4 * error, (referred, service, side)
    # The difference-in-differences ratio estimates the effect on A&E attendances.
    ratio = {
        referred: statistics.fmean(counts[(referred, "ae-attendances", "after")])
        / statistics.fmean(counts[(referred, "ae-attendances", "before")])
        for referred in (True, False)
    }
    assert ratio[True] / ratio[False] - 1 == pytest.approx(-0.3, abs=0.08)


def test_expected_counts_follow_the_documented_model() -> None:
    model = ServiceUseModel()
    assert model.effect == DEFAULT_SERVICE_USE_EFFECT
    assert model.expected("gp-consultations", "before", 12) == 2 * SERVICE_RATES["gp-consultations"]
    assert model.expected("ae-attendances", "after", 6) == pytest.approx(0.5 * 0.83)
    assert model.expected("ae-attendances", "after", 6, referred=False) == 0.5
    assert model.expected("social-care-package-weeks", "before", 12) == 52 * 0.75


@pytest.mark.parametrize(
    "bad",
    [
        {"effect": {"gp": -0.2}},
        {"effect": {"gp-consultations": -1.5}},
        {"trend": math.nan},
        {"share": 1.5},
        {"months": (9,)},
    ],
)
def test_an_impossible_model_is_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"service|effect|share|multiples"):
        ServiceUseModel(**bad)


def test_synthetic_outcomes_recover_their_true_effect() -> None:
    records = list(synth_cases(6000, 9, improved_share=0.8, service_use=None))
    changes: dict[str, list[float]] = defaultdict(list)
    for record in records:
        measures = (record.get("outcomes") or {}).get("measures") or []
        if len(measures) == 2:
            baseline, follow_up = measures
            changes[baseline["instrument"]].append(follow_up["score"] - baseline["score"])
    swemwbs = changes["swemwbs"]
    error = statistics.stdev(swemwbs) / math.sqrt(len(swemwbs))
    expected = expected_outcome_change("swemwbs", 0.8)
    assert expected > 0
    assert abs(statistics.fmean(swemwbs) - expected) < 4 * error
    assert expected_outcome_change("phq9", 0.8) < 0  # lower is better
    assert expected_outcome_change("swemwbs", 0.5) == 0


# -- the command line ------------------------------------------------------------------------


def test_synth_options_set_the_effects(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cases.ndjson"
    args = ["synth", "cases", "200", "--seed", "4", "-o", str(out)]
    options = [
        "--service-use-effect",
        "-0.2",
        "--service-use-effect",
        "ae-attendances=-0.5",
        "--service-use-months",
        "6",
        "12",
        "--comparison-share",
        "0.25",
        "--comparison-cohort",
        "comparison-waiting-list",
    ]
    assert spcore.cli.main([*args, *options]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r.get("cohort") for r in records} == {None, "comparison-waiting-list"}
    months = {w["months"] for r in records for w in r.get("service_use") or ()}
    assert months == {6, 12}
    assert spcore.cli.main([*args, "--service-use-share", "0"]) == 0
    assert not any("service_use" in json.loads(line) for line in out.read_text().splitlines())


@pytest.mark.parametrize(
    "options",
    [
        ["--service-use-effect", "gp=-0.2"],
        ["--service-use-effect", "lots"],
        ["--service-use-effect", "-2"],
        ["--service-use-months", "7"],
        ["--comparison-share", "1.5"],
        ["--improved-share", "-0.1"],
    ],
)
def test_bad_synth_options_exit_2(
    tmp_path: Path, options: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cases.ndjson"
    assert spcore.cli.main(["synth", "cases", "5", "--seed", "1", "-o", str(out), *options]) == 2
    assert "spcore" in capsys.readouterr().err


def test_pseudonymisation_keeps_service_use_and_the_cohort_as_they_are() -> None:
    """The pseudonymiser shifts no date, so service-use windows pass through unchanged."""
    pseudonymiser = Pseudonymiser(PseudonymKey(bytes(range(40, 72))))
    identifiable = [r for r in synth_identifiable(60, 5) if "service_use" in r]
    assert identifiable
    for record in identifiable:
        result = pseudonymise_record(record, pseudonymiser)
        assert result.record is not None, result.findings
        assert result.record["service_use"] == record["service_use"]
        assert result.record["referral"]["date"] == record["referral"]["date"]
    marked = {**identifiable[0], "cohort": "comparison-waiting-list"}
    result = pseudonymise_record(marked, pseudonymiser)
    assert result.record is not None
    assert result.record["cohort"] == "comparison-waiting-list"
