"""Rules allow for disclosure control; a failing rule becomes SPC-R999, never a traceback."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from spcore.validation import (
    FINDING_CODES,
    RULES,
    render_catalogue_markdown,
    validate_return,
    validate_returns,
)
from spcore.validation.rules import base

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = json.loads((ROOT / "examples/returns/northshire-connect-2025-26-Q2.json").read_text())
TODAY = dt.date(2025, 11, 1)
BANDS = "/outputs/referred_by_age_band"


def controlled(rounded: list[str], suppressed: list[str] | None = None) -> dict[str, Any]:
    doc = copy.deepcopy(EXAMPLE)
    doc["disclosure_control"] = {
        "rule": "nhs-digital-1-7-round-5",
        "threshold": 7,
        "rounding_base": 5,
        "suppressed": suppressed or [],
        "rounded": rounded,
    }
    return doc


def codes(doc: dict[str, Any]) -> set[str]:
    return {f.code for f in validate_return(doc, today=TODAY).findings}


def band_pointers() -> list[str]:
    return [f"{BANDS}/{band}" for band in EXAMPLE["outputs"]["referred_by_age_band"]]


def test_rounded_parts_may_exceed_the_total_by_the_rounding() -> None:
    # 9 bands and the total, each rounded to 5, may each be 2 out: slack 2 x 10 = 20
    doc = controlled([*band_pointers(), "/outputs/people_referred"])
    for band in doc["outputs"]["referred_by_age_band"]:
        doc["outputs"]["referred_by_age_band"][band] += 2  # 240 + 18 = 258
    assert "SPC-R001" not in codes(doc)
    doc["outputs"]["referred_by_age_band"]["unknown"] += 3  # 261: 21 over
    assert "SPC-R001" in codes(doc)


def test_without_disclosure_control_there_is_no_slack() -> None:
    doc = copy.deepcopy(EXAMPLE)
    doc["outputs"]["referred_by_age_band"]["unknown"] += 1
    assert "SPC-R001" in codes(doc)


def test_counts_not_listed_as_rounded_get_no_slack() -> None:
    doc = controlled(["/outputs/people_referred"])  # slack 2, only the total is rounded
    doc["outputs"]["referred_by_age_band"]["unknown"] += 2
    assert "SPC-R001" not in codes(doc)
    doc["outputs"]["referred_by_age_band"]["unknown"] += 1
    assert "SPC-R001" in codes(doc)


def test_withheld_parts_are_unknown_not_zero() -> None:
    withheld = [f"{BANDS}/85-plus", f"{BANDS}/unknown"]
    doc = controlled([], withheld)
    doc["outputs"]["referred_by_age_band"]["85-plus"] = None
    doc["outputs"]["referred_by_age_band"]["unknown"] = None
    found = codes(doc)
    assert "SPC-S009" not in found
    assert "SPC-R002" not in found  # 225 known of 240: the withheld 15 may make it up
    doc["outputs"]["referred_by_age_band"]["18-24"] = 40  # known parts now 251 > 240
    assert "SPC-R001" in codes(doc)


def test_a_withheld_total_silences_the_sum_rules() -> None:
    doc = controlled([], ["/outputs/people_referred"])
    doc["outputs"]["people_referred"] = None
    doc["outputs"]["people_rejecting_referral"] = 500
    found = codes(doc)
    assert not found & {"SPC-R001", "SPC-R002", "SPC-R003", "SPC-R004", "SPC-R006", "SPC-S009"}


def test_a_failing_rule_becomes_an_internal_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(ctx: Any) -> Any:
        raise ZeroDivisionError("bug")

    from spcore.validation import rules

    first = rules.RETURN_RULES[0]
    monkeypatch.setattr(
        rules, "RETURN_RULES", (first.replace(check=broken), *rules.RETURN_RULES[1:])
    )
    report = validate_return(copy.deepcopy(EXAMPLE), today=TODAY)
    (finding,) = report.findings
    assert finding.code == base.INTERNAL_CODE == "SPC-R999"
    assert first.code in finding.message
    assert "ZeroDivisionError" in finding.message
    assert not report.is_valid


def test_failing_document_and_cross_rules_become_internal_findings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: Any) -> Any:
        raise KeyError("bug")

    from spcore.validation import rules

    monkeypatch.setattr(
        rules, "DOCUMENT_RULES", tuple(r.replace(check=broken) for r in rules.DOCUMENT_RULES)
    )
    monkeypatch.setattr(
        rules,
        "CROSS_RETURN_RULES",
        tuple(r.replace(check=broken) for r in rules.CROSS_RETURN_RULES),
    )
    reports = validate_returns([copy.deepcopy(EXAMPLE)] * 2, today=TODAY)
    for report in reports:
        assert {f.code for f in report.findings} == {"SPC-R999"}


def test_rule_codes_are_unique_and_documented() -> None:
    codes_ = [r.code for r in RULES]
    assert len(codes_) == len(set(codes_))
    for rule in RULES:
        assert rule.code in FINDING_CODES
        assert rule.rationale.endswith(".")
        assert all((rule.source, rule.fails, rule.passes, rule.title))
        # the rationale says why the rule has its severity, naming it
        assert rule.severity.value in rule.rationale


def test_catalogue_lists_every_code() -> None:
    page = render_catalogue_markdown()
    for code in FINDING_CODES:
        assert f"`{code}`" in page
    for rule in RULES:
        assert rule.rationale in page
        assert rule.fails in page
    assert page.startswith("# Finding codes\n")


def test_a_withheld_declined_count_is_not_compared() -> None:
    cell = "/monitoring/referrals_rejected_by_reason/declined-by-person"
    doc = controlled([], [cell])
    doc["monitoring"]["referrals_rejected_by_reason"]["declined-by-person"] = None
    assert "SPC-R039" not in codes(doc)
    del doc["monitoring"]["referrals_rejected_by_reason"]["declined-by-person"]
    doc["disclosure_control"]["suppressed"] = []
    assert "SPC-R039" in codes(doc)  # left out of the breakdown: none declined


def test_a_rule_is_read_only_and_copies_with_replace() -> None:
    from spcore.validation import rules

    first = rules.RETURN_RULES[0]
    with pytest.raises(AttributeError, match="read-only"):
        first.title = "changed"
    copy_ = first.replace(title="changed")
    assert (copy_.code, copy_.title, copy_.check) == (first.code, "changed", first.check)
    assert type(copy_) is type(first)
    assert first.title != "changed"
    with pytest.raises(TypeError, match="no field colour"):
        first.replace(colour="red")
    assert first.code in repr(first)


def test_a_rule_writes_its_examples_when_first_read() -> None:
    from spcore.findings import Severity
    from spcore.validation.rules import base

    calls: list[str] = []

    def write() -> str:
        calls.append("fails")
        return "A return with 3 people referred and 4 benefiting."

    rule = base.Rule(
        code="SPC-R000",
        severity=Severity.ERROR,
        section="Outputs",
        title="t",
        rationale="r",
        source="s",
        fails=write,
        passes="A return with 3 people referred and 3 benefiting.",
        check=lambda ctx: iter(()),
    )
    assert calls == []
    assert rule.fails == rule.fails == "A return with 3 people referred and 4 benefiting."
    assert calls == ["fails"]
    assert rule.replace(title="u").fails == rule.fails
