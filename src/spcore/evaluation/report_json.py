"""The JSON Schema of the evaluation document, built from one table of its fields.

``evaluation.schema.json`` beside this module is what :func:`schema` returns,
written by ``python -m spcore.evaluation.report_json``; a test keeps the two
equal and checks every document written against it. Every property has a
title and a description; objects are closed (``additionalProperties: false``).
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from typing import Any, Final

from spcore import strict_json
from spcore.evaluation.document import FORMAT_VERSION, SCHEMA_ID

SCHEMA_FILE: Final = "evaluation.schema.json"

_NUMBER: Final = {"type": ["number", "null"]}
_COUNT: Final = {"type": ["integer", "null"], "minimum": 0}
_TEXT: Final = {"type": "string"}
_BOOL: Final = {"type": ["boolean", "null"]}


def _p(title: str, description: str, shape: dict[str, Any]) -> dict[str, Any]:
    return {"title": title, "description": description, **shape}


def _object(properties: dict[str, dict[str, Any]], *, nullable: bool = False) -> dict[str, Any]:
    return {
        "type": ["object", "null"] if nullable else "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


def _cell_key() -> dict[str, dict[str, Any]]:
    return {
        "by": _p("Breakdown", "The breakdown field, or 'all' for the total.", _TEXT),
        "value": _p("Cell", "The field's value, or 'all' for the total.", _TEXT),
    }


#: Fields of an outcome cell: name -> (title, description, shape).
OUTCOME_CELL: Final[dict[str, tuple[str, str, dict[str, Any]]]] = {
    "n_paired": ("People paired", "People with both a baseline and a follow-up.", _COUNT),
    "no_follow_up": ("No follow-up", "People with a baseline and no follow-up.", _COUNT),
    "follow_up_too_soon": (
        "Follow-up too soon",
        "People whose only follow-ups were sooner than three months after the baseline.",
        _COUNT,
    ),
    "no_baseline": ("No baseline", "People with a follow-up and no baseline.", _COUNT),
    "mean_baseline": ("Mean baseline", "Mean baseline score of the people paired.", _NUMBER),
    "mean_follow_up": ("Mean follow-up", "Mean follow-up score of the people paired.", _NUMBER),
    "mean_change": ("Mean change", "Mean of follow-up minus baseline.", _NUMBER),
    "sd_change": ("SD of change", "Standard deviation of the changes (n - 1).", _NUMBER),
    "ci_low": ("Interval, low", "Lower end of the mean change's confidence interval.", _NUMBER),
    "ci_high": ("Interval, high", "Upper end of the mean change's confidence interval.", _NUMBER),
    "t": ("t", "Paired t statistic of a zero mean change.", _NUMBER),
    "df": ("Degrees of freedom", "n - 1; never published when suppressed.", _COUNT),
    "p_t": ("p, paired t", "Two-sided p-value of the paired t test.", _NUMBER),
    "d_z": ("Cohen's d_z", "Mean change over the SD of the changes.", _NUMBER),
    "n_zero_change": ("Zero changes", "People whose score did not change.", _COUNT),
    "wilcoxon_r_plus": ("Rank sum, positive", "Signed-rank sum of positive changes.", _NUMBER),
    "wilcoxon_r_minus": ("Rank sum, negative", "Signed-rank sum of negative changes.", _NUMBER),
    "wilcoxon_z": (
        "z, signed-rank",
        "Normal statistic of the signed-rank test (null when the exact test is used).",
        _NUMBER,
    ),
    "p_wilcoxon": ("p, signed-rank", "Two-sided p-value of the signed-rank test.", _NUMBER),
    "wilcoxon_exact": ("Exact test", "Whether the signed-rank p-value is exact.", _BOOL),
    "improved": ("Improved", "People improved by the meaningful-change threshold.", _COUNT),
    "no_change": ("No change", "People changed by less than the threshold.", _COUNT),
    "worse": ("Worse", "People worse by the threshold.", _COUNT),
    "transitions": (
        "Transitions",
        "For a categorical score: people by baseline (rows) and follow-up (columns) category.",
        {"type": ["array", "null"], "items": {"type": "array", "items": _COUNT}},
    ),
}

#: Fields of a progress cell.
PROGRESS_CELL: Final[dict[str, tuple[str, str, dict[str, Any]]]] = {
    "n": ("People", "People with every measure paired.", _COUNT),
    "excluded": ("Left out", "People with some measures paired but not all.", _COUNT),
    "progressed_any": ("Progressed on one or more", "People who rose on a measure.", _COUNT),
    "progressed_min": (
        "Progressed on the minimum or more",
        "People who rose on at least min_measures measures.",
        _COUNT,
    ),
    "n_low_baseline_pairs": (
        "Low-baseline measures",
        "Person-measure pairs with a baseline of 2 or less.",
        _COUNT,
    ),
    "low_baseline_progressed": (
        "Low-baseline measures that rose",
        "Of those pairs, the ones whose follow-up was higher.",
        _COUNT,
    ),
}


#: Fields of a service-use cell.
SERVICE_CELL: Final[dict[str, tuple[str, str, dict[str, Any]]]] = {
    "n_paired": ("People paired", "People with the service counted before and after.", _COUNT),
    "before_only": ("Before only", "People with the service counted before only.", _COUNT),
    "after_only": ("After only", "People with the service counted after only.", _COUNT),
    "total_before": ("Total before", "Use before, over the people paired.", _COUNT),
    "total_after": ("Total after", "Use after, over the people paired.", _COUNT),
    "mean_before": ("Mean before", "Mean use per person before.", _NUMBER),
    "mean_after": ("Mean after", "Mean use per person after.", _NUMBER),
    "mean_change": ("Mean change", "Mean of after minus before, per person.", _NUMBER),
    "ci_low": ("Interval, low", "Lower end of the mean change's interval.", _NUMBER),
    "ci_high": ("Interval, high", "Upper end of the mean change's interval.", _NUMBER),
    "p_t": ("p, paired t", "Two-sided p-value of the paired t test.", _NUMBER),
    "percent_change": (
        "Percentage change",
        "(total after - total before) / before x 100.",
        _NUMBER,
    ),
    "percent_ci_low": ("Percentage, low", "Lower end of its delta-method interval.", _NUMBER),
    "percent_ci_high": ("Percentage, high", "Upper end of its delta-method interval.", _NUMBER),
    "comparison_n_paired": ("Comparison people", "Comparison people paired.", _COUNT),
    "comparison_mean_before": ("Comparison mean before", "Their mean use before.", _NUMBER),
    "comparison_mean_after": ("Comparison mean after", "Their mean use after.", _NUMBER),
    "comparison_percent_change": ("Comparison percentage", "Their percentage change.", _NUMBER),
    "did": (
        "Difference in differences",
        "Mean change of the referred minus mean change of the comparison people.",
        _NUMBER,
    ),
    "did_ci_low": ("DiD, low", "Lower end of Welch's interval.", _NUMBER),
    "did_ci_high": ("DiD, high", "Upper end of Welch's interval.", _NUMBER),
    "did_p": ("DiD p", "Two-sided p-value of Welch's test.", _NUMBER),
    "did_percent": (
        "DiD, percentage",
        "(after/before of the referred) / (after/before of the comparison) - 1, in %.",
        _NUMBER,
    ),
    "did_percent_ci_low": ("DiD percentage, low", "Lower end of its interval.", _NUMBER),
    "did_percent_ci_high": ("DiD percentage, high", "Upper end of its interval.", _NUMBER),
    "cost_before": ("Cost before", "Total before x unit cost, in pounds.", _NUMBER),
    "cost_after": ("Cost after", "Total after x unit cost, in pounds.", _NUMBER),
    "cost_change_per_person": ("Cost change", "Mean change x unit cost, in pounds.", _NUMBER),
    "cost_ci_low": ("Cost change, low", "Lower end of its interval, in pounds.", _NUMBER),
    "cost_ci_high": ("Cost change, high", "Upper end of its interval, in pounds.", _NUMBER),
}

#: Fields of a cost cell (every service priced, per window length).
COST_CELL: Final[dict[str, tuple[str, str, dict[str, Any]]]] = {
    "services": ("Services", "Services priced and counted.", {"type": "integer"}),
    "cost_before": ("Cost before", "Sum of the services' costs before, in pounds.", _NUMBER),
    "cost_after": ("Cost after", "Sum of the services' costs after, in pounds.", _NUMBER),
    "cost_change": ("Cost change", "Cost after minus cost before, in pounds.", _NUMBER),
}


def _cells(fields: dict[str, tuple[str, str, dict[str, Any]]]) -> dict[str, Any]:
    properties = {**_cell_key(), **{k: _p(*v) for k, v in fields.items()}}
    return _p(
        "Cells",
        "The total first, then each breakdown cell.",
        {"type": "array", "items": _object(properties)},
    )


def _figures() -> dict[str, Any]:
    outcome = _object(
        {
            "instrument": _p("Instrument", "Instrument id (outcome-instrument codelist).", _TEXT),
            "score": _p("Score", "The score name; 'score' is the headline score.", _TEXT),
            "value_set": _p(
                "Value set", "Value set of an index score.", {"type": ["string", "null"]}
            ),
            "label": _p("Label", "The instrument's name and the score's label.", _TEXT),
            "higher_is_better": _p("Higher is better", "The score's direction.", _BOOL),
            "categorical": _p("Categorical", "Categories, never averaged.", {"type": "boolean"}),
            "primary_test": _p(
                "Test to read first",
                "wilcoxon for ordinal scores, paired-t otherwise.",
                {"enum": ["wilcoxon", "paired-t"]},
            ),
            "threshold": _p(
                "Meaningful change",
                "The instrument's threshold, its kind and source (instruments definition).",
                {"type": ["object", "null"]},
            ),
            "categories": _p(
                "Categories",
                "A categorical score's categories in code order.",
                {"type": "array", "items": _TEXT},
            ),
            "cells": _cells(OUTCOME_CELL),
        }
    )
    progress = _object(
        {
            "instrument": _p("Instrument", "Instrument id.", _TEXT),
            "measures": _p("Measures", "The measure scores.", {"type": "array", "items": _TEXT}),
            "min_measures": _p("Minimum", "The 'or more' count (4).", {"type": "integer"}),
            "low_baseline_max": _p("Low baseline", "Highest low baseline (2).", {"type": "number"}),
            "cells": _cells(PROGRESS_CELL),
        }
    )
    service = _object(
        {
            "service": _p("Service", "Code of the service codelist.", _TEXT),
            "months": _p("Months", "Length of the windows compared.", {"type": "integer"}),
            "window": _p("Window", "The windows, in words.", _TEXT),
            "unit": _p("Unit", "What one unit of the service is.", _TEXT),
            "unit_cost": _p("Unit cost", "Pounds per unit in the price year, or null.", _NUMBER),
            "cells": _cells(SERVICE_CELL),
        }
    )
    return {"outcome": outcome, "progress": progress, "service": service}


def _sections() -> dict[str, Any]:
    """The service-use, cost and SROI sections (each null when not worked out)."""
    figures = _figures()
    service_use = _object(
        {
            "comparison": _p("Comparison", "Whether comparison people were in the extract.",
                             {"type": "boolean"}),
            "figures": _p("Figures", "One per service and window length.",
                          {"type": "array", "items": figures["service"]}),
        },
        nullable=True,
    )  # fmt: skip
    unit_cost = {"type": "object"}
    cost_figure = _object(
        {
            "months": _p("Months", "Length of the windows.", {"type": "integer"}),
            "window": _p("Window", "The windows, in words.", _TEXT),
            "cells": _cells(COST_CELL),
        }
    )
    costs = _object(
        {
            "file": _p("File", "The unit-cost file.", _TEXT),
            "price_year": _p("Price year", "The year costs are in, or null as given.",
                             {"type": ["string", "null"]}),
            "unit_costs": _p("Unit costs", "Each cost as given and in the price year.",
                             {"type": "array", "items": unit_cost}),
            "figures": _p("Figures", "Costs per window length.",
                          {"type": "array", "items": cost_figure}),
        },
        nullable=True,
    )  # fmt: skip
    share = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
    sroi_outcome = _object(
        {
            "outcome": _p("Outcome", "The outcome's id.", _TEXT),
            "description": _p("Description", "What the outcome is.", _TEXT),
            "stakeholder": _p("Stakeholder", "Who experiences it (stage 1).", _TEXT),
            "quantity": _p("Quantity", "How many, from the evaluation or given.", _NUMBER),
            "quantity_from": _p("Quantity from", "The figure counted, or null when given.",
                                {"type": ["object", "null"]}),
            "proxy": _p("Proxy", "Value of one unit for a year, in pounds.", _NUMBER),
            "proxy_source": _p("Proxy source", "Where the proxy comes from.", _TEXT),
            "deadweight": _p("Deadweight", "Share that would have happened anyway.", share),
            "displacement": _p("Displacement", "Share displaced from elsewhere.", share),
            "attribution": _p("Attribution", "Share due to others.", share),
            "drop_off": _p("Drop-off", "Share lost each year after the first.", share),
            "duration": _p("Duration", "Years the outcome lasts.", {"type": "integer"}),
            "value_before_impact": _p("Value", "Quantity x proxy, in pounds.", _NUMBER),
            "impact_year_1": _p("Impact, year 1", "Value less the three shares.", _NUMBER),
            "present_value": _p("Present value", "Discounted value over the duration.", _NUMBER),
        }
    )  # fmt: skip
    sensitivity_row = _object(
        {
            "assumption": _p("Assumption", "What was changed.", _TEXT),
            "change": _p("Change", "How, in words.", _TEXT),
            "ratio": _p("Ratio", "Present value per pound invested.", {"type": "number"}),
        }
    )
    sroi = _object(
        {
            "file": _p("File", "The SROI file.", _TEXT),
            "title": _p("Title", "The analysis's title.", _TEXT),
            "investment": _p("Investment", "Pounds invested.", {"type": "number"}),
            "investment_source": _p("Investment source", "Where it comes from.", _TEXT),
            "discount_rate": _p("Discount rate", "Rate per year (default 3.5%).",
                                {"type": "number"}),
            "total_present_value": _p("Total present value", "Sum over outcomes.",
                                      {"type": "number"}),
            "net_present_value": _p("Net present value", "Present value less the investment.",
                                    {"type": "number"}),
            "ratio": _p("Ratio", "Present value per pound invested.", {"type": "number"}),
            "net_ratio": _p("Net ratio", "Net present value per pound invested.",
                            {"type": "number"}),
            "proxy_change_to_break_even": _p(
                "Change to break even", "Change in every proxy that gives a ratio of 1.", _NUMBER
            ),
            "outcomes": _p("Outcomes", "Each outcome valued.",
                           {"type": "array", "items": sroi_outcome}),
            "sensitivity": _p("Sensitivity", "The ratio as each assumption moves.",
                              {"type": "array", "items": sensitivity_row}),
        },
        nullable=True,
    )  # fmt: skip
    return {
        "service_use": _p("Service use", "Use of services before and after referral.", service_use),
        "costs": _p("Costs", "The cost of service use from the unit-cost file.", costs),
        "sroi": _p("Social return", "The SROI: values, ratio and sensitivity.", sroi),
    }


def schema() -> dict[str, Any]:
    """The evaluation document's JSON Schema (draft 2020-12)."""
    figures = _figures()
    finding = _object(
        {
            "code": _p("Code", "Finding code (SPC-V...).", _TEXT),
            "severity": _p("Severity", "error or warning.", {"enum": ["error", "warning"]}),
            "path": _p("Path", "JSON Pointer to the record (its position from 0).", _TEXT),
            "message": _p("Message", "What is wrong, naming the line.", _TEXT),
        }
    )
    records = _object(
        {
            "read": _p("Read", "Records and unusable lines read.", _COUNT),
            "evaluated": _p("Evaluated", "People referred who were evaluated.", _COUNT),
            "comparison": _p("Comparison", "Comparison people in the period.", _COUNT),
            "outside_period": _p("Outside the period", "Records referred outside it.", _COUNT),
            "not_cases": _p("Not cases", "Referrals rejected or declined.", _COUNT),
            "left_out": _p(
                "Left out",
                "Records left out, by finding code.",
                {"type": "object", "additionalProperties": _COUNT},
            ),
            "left_out_total": _p("Left out, total", "Records left out.", _COUNT),
        }
    )
    control = _object(
        {
            "rule": _p("Rule", "The suppression rule's id.", _TEXT),
            "threshold": _p("Threshold", "Counts 1 to this are withheld.", {"type": "integer"}),
            "rounding_base": _p("Rounding", "Other counts are rounded to it.", {"type": "integer"}),
            "withheld": _p(
                "Withheld",
                "JSON Pointers of the values withheld.",
                {"type": "array", "items": _TEXT},
            ),
        },
        nullable=True,
    )
    properties: dict[str, Any] = {
        "$schema": _p("Schema", "The $id of this schema.", {"const": SCHEMA_ID}),
        "format_version": _p(
            "Format version",
            "Version of the document's shape: the minor number grows when keys are added, "
            "the major when keys change or go.",
            {"type": "string", "pattern": r"^1\.[0-9]+$"},
        ),
        "spcore_version": _p("spcore version", "The spcore that wrote it.", _TEXT),
        "source": _p("Source", "The extract evaluated (its file name).", _TEXT),
        "period": _p(
            "Period",
            "The referral period evaluated.",
            _object(
                {
                    "start": _p(
                        "Start",
                        "First referral date, or null.",
                        {"type": ["string", "null"], "format": "date"},
                    ),
                    "end": _p(
                        "End",
                        "Last referral date, or null.",
                        {"type": ["string", "null"], "format": "date"},
                    ),
                    "label": _p("Label", "The period in words.", _TEXT),
                }
            ),
        ),
        "breakdowns": _p(
            "Breakdowns",
            "The breakdown fields, in order.",
            {
                "type": "array",
                "items": _object(
                    {
                        "field": _p("Field", "The field.", _TEXT),
                        "description": _p("Description", "What it is.", _TEXT),
                    }
                ),
            },
        ),
        "confidence": _p("Confidence", "Confidence level of the intervals.", {"type": "number"}),
        "disclosure_control": _p(
            "Disclosure control", "The small-number rule applied, or null.", control
        ),
        "records": _p("Records", "What happened to the extract's records.", records),
        "outcomes": _p(
            "Outcomes",
            "Paired change per instrument score.",
            {"type": "array", "items": figures["outcome"]},
        ),
        "progress": _p(
            "Progress",
            "Rotherham-style progress (dayson-2016).",
            {"type": "array", "items": figures["progress"]},
        ),
        "caveats": _p(
            "Caveats",
            "What the figures cannot show.",
            {
                "type": "array",
                "items": _object(
                    {
                        "id": _p("Id", "The caveat's id.", _TEXT),
                        "text": _p("Text", "The caveat.", _TEXT),
                        "sources": _p(
                            "Sources", "Citation keys.", {"type": "array", "items": _TEXT}
                        ),
                    }
                ),
            },
        ),
        "sources": _p(
            "Sources",
            "Every source cited, from spcore's bibliography.",
            {
                "type": "array",
                "items": _object(
                    {
                        "key": _p("Key", "Citation key.", _TEXT),
                        "reference": _p("Reference", "Full reference.", _TEXT),
                        "url": _p("URL", "Address, if any.", {"type": ["string", "null"]}),
                    }
                ),
            },
        ),
        **_sections(),
        "findings": _p(
            "Findings", "Findings about the records.", {"type": "array", "items": finding}
        ),
        "findings_not_listed": _p("Findings not listed", "Findings beyond those listed.", _COUNT),
        "input_findings": _p(
            "Input findings",
            "Findings about the unit-cost, price index and SROI files.",
            {"type": "array", "items": finding},
        ),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "spcore evaluation",
        "description": (
            "What `spcore evaluate --json` writes and `Evaluation.to_dict()` returns: the "
            f"impact figures of a case extract. Format version {FORMAT_VERSION}."
        ),
        **_object(properties),
    }


def bundled_schema() -> dict[str, Any]:
    """The schema shipped beside this module."""
    text = resources.files("spcore.evaluation").joinpath(SCHEMA_FILE).read_text("utf-8")
    loaded: dict[str, Any] = strict_json.loads(text)
    return loaded


def schema_text() -> str:
    """The schema as the shipped file holds it."""
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # pragma: no cover - writes the shipped file
    target = resources.files("spcore.evaluation").joinpath(SCHEMA_FILE)
    with open(str(target), "w", encoding="utf-8") as handle:
        handle.write(schema_text())
    print(f"wrote {target}", file=sys.stderr)
