"""The evaluation document: its shipped schema, its sources, and the Python API's frames."""

from __future__ import annotations

import jsonschema
import pytest
from tests.evaluation.hand_worked import extract

from spcore.aggregation import SuppressionRule
from spcore.evaluation import EVALUATION_CODES, EvaluationError, evaluate
from spcore.evaluation.report_json import bundled_schema, schema
from spcore.framework import bibliography


def test_the_shipped_schema_is_the_generated_one() -> None:
    assert bundled_schema() == schema(), "run: python -m spcore.evaluation.report_json"
    jsonschema.Draft202012Validator.check_schema(schema())


def test_every_property_has_a_title_and_description() -> None:
    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            for name, child in (node.get("properties") or {}).items():
                assert child.get("title"), f"{path}/{name}"
                assert child.get("description"), f"{path}/{name}"
            for key, child in node.items():
                walk(child, f"{path}/{key}")
        elif isinstance(node, list):
            for i, child in enumerate(node):
                walk(child, f"{path}/{i}")

    walk(schema(), "")


@pytest.mark.parametrize("suppress", [None, SuppressionRule(), SuppressionRule(2, 1)])
def test_documents_follow_the_schema(suppress: SuppressionRule | None) -> None:
    document = evaluate(extract(), by=["age-band", "referral-criterion"], suppress=suppress)
    errors = list(jsonschema.Draft202012Validator(schema()).iter_errors(document.to_dict()))
    assert [e.message for e in errors] == []


def test_every_source_cited_is_in_the_bibliography() -> None:
    document = evaluate(extract()).to_dict()
    for source in document["sources"]:
        assert bibliography.source(source["key"]).reference == source["reference"]
    keys = {s["key"] for s in document["sources"]}
    assert {"lakens-2013", "wilcoxon-1945", "barnett-2005", "shah-2018"} <= keys


def test_frames_and_tables() -> None:
    result = evaluate(extract(), quarter="2025-26 Q1", by=["age-band"])
    frame = result.frame("outcomes")
    assert list(frame.columns) == [
        "section",
        "subject",
        "detail",
        "by",
        "cell",
        "statistic",
        "value",
        "status",
    ]
    mean = frame[
        (frame.subject == "swemwbs") & (frame.by == "all") & (frame.statistic == "mean_change")
    ]
    assert mean.value.iloc[0] == pytest.approx(0.5)
    assert len(result.tables()) == len(result.frame())
    with pytest.raises(ValueError, match="no section"):
        result.frame("nonsense")


def test_bad_arguments_raise_coded_errors() -> None:
    with pytest.raises(EvaluationError) as caught:
        evaluate(extract(), by=["shoe-size"])
    assert caught.value.code == "SPC-V006"
    assert caught.value.code in EVALUATION_CODES
    with pytest.raises(EvaluationError, match="SPC-V005"):
        evaluate(extract(), quarter="2025-26Q1", start="2025-04-01")


def test_every_finding_code_is_documented() -> None:
    from pathlib import Path

    page = (Path(__file__).parents[2] / "docs" / "evaluation" / "index.md").read_text()
    assert [
        code for code, meaning in EVALUATION_CODES.items() if f"| {code} | {meaning} |" not in page
    ] == []


@pytest.mark.parametrize("suppress", [None, SuppressionRule(), SuppressionRule(2, 1)])
def test_documents_with_service_use_costs_and_sroi_follow_the_schema(
    suppress: SuppressionRule | None,
) -> None:
    from pathlib import Path

    from tests.evaluation.service_extract import service_extract

    from spcore.evaluation.sroi import parse_sroi

    examples = Path(__file__).parents[2] / "examples" / "evaluation"
    assumptions, _ = parse_sroi(
        {
            "investment": {"value": 5000, "source": "s"},
            "outcomes": [
                {
                    "id": "gp",
                    "description": "d",
                    "stakeholder": "s",
                    "quantity": {"service": "gp-consultations"},
                    "proxy": {"unit_cost": "gp-consultations"},
                },
            ],
        }
    )
    result = evaluate(
        service_extract(),
        by=["age-band"],
        unit_costs=examples / "unit-costs-illustrative.csv",
        sroi=assumptions,
        suppress=suppress,
    )
    document = result.to_dict()
    errors = list(jsonschema.Draft202012Validator(schema()).iter_errors(document))
    assert [e.message for e in errors] == []
    assert document["sroi"]["outcomes"][0]["quantity"] == 15  # 40 - 25 consultations
    assert {r["section"] for r in result.tables()} >= {"service_use", "costs", "sroi"}
