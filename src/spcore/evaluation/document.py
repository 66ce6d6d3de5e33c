"""The evaluation as one versioned JSON document, the source of the report and the tables.

The document follows ``evaluation.schema.json`` (shipped in this package and
published under ``schemas/``; :data:`FORMAT_VERSION` is its version). The
HTML report and the tidy tables are written from the document, after
small-number suppression (:mod:`spcore.evaluation.disclosure`), so the three
always show the same figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from spcore._version import __version__
from spcore.evaluation.cohort import BREAKDOWNS
from spcore.framework import bibliography

if TYPE_CHECKING:
    from spcore.evaluation.evaluate import Evaluation

#: Version of the document's format; a change that breaks a reader bumps the major part.
FORMAT_VERSION: Final = "1.0"

#: The ``$id`` of the document's JSON Schema.
SCHEMA_ID: Final = "https://spcore.dev/schema/evaluation/1.0/evaluation.schema.json"

#: Findings written into the document at most (the rest are counted).
MAX_FINDINGS: Final = 1000

#: Caveats printed beside the figures: (id, text, citation keys).
CAVEATS: Final[tuple[tuple[str, str, tuple[str, ...]], ...]] = (
    (
        "before-after",
        "Outcome changes compare each person with themselves before and after support. "
        "Without a comparison group they show change, not how much of it happened "
        '"as a result of referral", as the framework asks.',
        ("nhse-cof-2018",),
    ),
    (
        "regression-to-the-mean",
        "Regression to the mean: people are often referred when their wellbeing is at its "
        "lowest or their use of services at its highest, and such measurements tend to move "
        "back towards the person's usual level with no help at all, so a before/after change "
        "overstates the effect. A comparison cohort (difference in differences) is the remedy.",
        ("barnett-2005",),
    ),
    (
        "attrition",
        "Only people with both a baseline and a follow-up are in a score's figures; the "
        "people left out are counted beside each figure. If they differ from those followed "
        "up (for example people who disengaged), the figures are biased.",
        (),
    ),
    (
        "multiple-comparisons",
        "Each cell's p-values are for that cell alone; across many scores and breakdown "
        "cells some will be small by chance.",
        (),
    ),
)

#: Citation keys of the methods (beside those of each instrument and caveat).
METHOD_SOURCES: Final = (
    "dayson-2016",
    "hlp-2017",
    "cohen-1988",
    "lakens-2013",
    "wilcoxon-1945",
    "lehmann-1975",
    "nhs-digital-disclosure-control",
)


def _source(key: str) -> dict[str, Any]:
    found = bibliography.source(key)
    return {"key": key, "reference": found.reference, "url": found.url or None}


def _instrument_sources(evaluation: Evaluation) -> list[str]:
    keys: list[str] = []
    for figure in evaluation.outcomes:
        if figure.threshold is not None:
            keys.append(figure.threshold["source"])
    return keys


def _service_use(evaluation: Evaluation) -> dict[str, Any] | None:
    if not evaluation.service_use:
        return None
    return {
        "comparison": bool(len(evaluation.intake.comparison_rows)),
        "figures": [figure.to_dict() for figure in evaluation.service_use],
    }


def _costs(evaluation: Evaluation) -> dict[str, Any] | None:
    """The unit costs used and, per window length and cell, the cost of every service priced."""
    costs = evaluation.unit_costs
    if costs is None:
        return None
    totals: dict[int, list[dict[str, Any]]] = {}
    for figure in evaluation.service_use:
        if figure.unit_cost is None:
            continue
        cells = totals.setdefault(figure.months, [])
        for i, service in enumerate(figure.cells):
            if len(cells) <= i:
                cells.append(
                    {"by": service.by, "value": service.value, "services": 0,
                     "cost_before": 0.0, "cost_after": 0.0}
                )  # fmt: skip
            cells[i]["services"] += 1
            cells[i]["cost_before"] += service.cost_before or 0.0
            cells[i]["cost_after"] += service.cost_after or 0.0
    figures = []
    for months, found in sorted(totals.items()):
        for total in found:
            total["cost_change"] = total["cost_after"] - total["cost_before"]
        figures.append(
            {"months": months, "window": f"{months} months before and after", "cells": found}
        )
    return {**costs.to_dict(), "figures": figures}


def build_document(evaluation: Evaluation) -> dict[str, Any]:
    """The evaluation as a JSON-ready dictionary, suppressed when the evaluation says so."""
    from spcore.evaluation.disclosure import suppress_document

    period = evaluation.period
    findings = evaluation.findings
    keys = [
        *METHOD_SOURCES,
        *(("wing-2018", "welch-1947") if len(evaluation.intake.comparison_rows) else ()),
        *(("pssru-unit-costs", "nhse-national-cost-collection") if evaluation.unit_costs else ()),
        *(("sroi-guide-2012", "hmt-green-book-discounting-2025") if evaluation.sroi else ()),
        *(k for _, _, ks in CAVEATS for k in ks),
        *_instrument_sources(evaluation),
    ]
    document: dict[str, Any] = {
        "$schema": SCHEMA_ID,
        "format_version": FORMAT_VERSION,
        "spcore_version": __version__,
        "source": evaluation.source,
        "period": {
            "start": period.start.isoformat() if period.start else None,
            "end": period.end.isoformat() if period.end else None,
            "label": period.label,
        },
        "breakdowns": [{"field": f, "description": BREAKDOWNS[f]} for f in evaluation.by],
        "confidence": evaluation.confidence,
        "disclosure_control": None,
        "records": evaluation.intake.to_dict(),
        "outcomes": [figure.to_dict() for figure in evaluation.outcomes],
        "progress": [figure.to_dict() for figure in evaluation.progress],
        "service_use": _service_use(evaluation),
        "costs": _costs(evaluation),
        "sroi": evaluation.sroi,
        "caveats": [{"id": cid, "text": text, "sources": list(ks)} for cid, text, ks in CAVEATS],
        "sources": [_source(k) for k in dict.fromkeys(keys)],
        "findings": [f.to_dict() for f in findings[:MAX_FINDINGS]],
        "findings_not_listed": max(0, len(findings) - MAX_FINDINGS),
        "input_findings": [f.to_dict() for f in evaluation.input_findings],
    }
    if evaluation.suppress is not None:
        document = suppress_document(document, evaluation.suppress)
    return document
