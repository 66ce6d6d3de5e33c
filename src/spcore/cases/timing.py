"""Case checks on outcome measures that the schema cannot express, read from JSON data.

A follow-up measure counts only from three months after its baseline
(:mod:`spcore.framework.timepoints`); a sooner one is kept in the record but
aggregation will not pair it, so checking an extract warns of it
(``SPC-C030``). A categorical score (an answer category or level) must be one
of its instrument's codes, or it could be counted under no category
(``SPC-C031``, an error). The checks read the JSON data, so an extract read
with or without models gets the same findings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from spcore.cases.service_use import service_use_findings
from spcore.findings import Finding, Severity, error, pointer, warning
from spcore.framework.timepoints import FOLLOW_UP_MONTHS, follow_up_due
from spcore.instruments.registry import INSTRUMENTS

FOLLOW_UP_TOO_SOON = "SPC-C030"
NOT_A_CATEGORY = "SPC-C031"


def measure_findings(data: Mapping[str, Any]) -> tuple[Finding, ...]:
    """Every finding of this module and of the service-use checks for one record's JSON data.

    See the module docs and :mod:`spcore.cases.service_use`.
    """
    return category_findings(data) + timing_findings(data) + service_use_findings(data)


def record_errors(data: Mapping[str, Any]) -> tuple[Finding, ...]:
    """The findings of :func:`measure_findings` that reject a record (its errors only)."""
    return tuple(f for f in measure_findings(data) if f.severity is Severity.ERROR)


def category_findings(data: Mapping[str, Any]) -> tuple[Finding, ...]:
    """Errors for a categorical score that is not one of its instrument's category codes."""
    measures = (data.get("outcomes") or {}).get("measures") or ()
    found = []
    for index, m in enumerate(measures):
        instrument = INSTRUMENTS.get(m["instrument"])
        if instrument is None:
            continue
        definition = instrument.definition
        name = m.get("score_name", "score")
        try:
            score = definition.score(definition.headline if name == "score" else name)
        except KeyError:
            continue
        if score.categorical and score.category_of(m["score"]) is None:
            codes = ", ".join(f"{n} ({label})" for _, n, label in score.categories())
            found.append(
                error(
                    NOT_A_CATEGORY,
                    pointer("outcomes", "measures", index, "score"),
                    f"{definition.name} '{score.name}' is an answer category, one of {codes}; "
                    f"{m['score']!r} is none of them.",
                )
            )
    return tuple(found)


def timing_findings(data: Mapping[str, Any]) -> tuple[Finding, ...]:
    """Warnings for follow-up measures sooner than three months after their baseline.

    ``data`` is a case record's JSON data, valid against the case-record
    schema. A follow-up is compared with the earliest baseline of the same
    instrument, score and value set; one dated before that baseline is left
    alone (it pairs with nothing either way).
    """
    outcomes = data.get("outcomes") or {}
    measures = outcomes.get("measures") or ()
    if not measures:
        return ()
    baselines: dict[tuple[Any, ...], str] = {}
    for m in measures:
        if m["timepoint"] == "baseline":
            key = (m["instrument"], m.get("score_name", "score"), m.get("value_set"))
            # ISO dates order as text.
            if key not in baselines or m["date"] < baselines[key]:
                baselines[key] = m["date"]
    found = []
    for index, m in enumerate(measures):
        if m["timepoint"] != "follow-up":
            continue
        key = (m["instrument"], m.get("score_name", "score"), m.get("value_set"))
        start = baselines.get(key)
        if start is None or m["date"] < start:
            continue
        due = follow_up_due(dt.date.fromisoformat(start))
        if due is None or dt.date.fromisoformat(m["date"]) < due:
            found.append(
                warning(
                    FOLLOW_UP_TOO_SOON,
                    pointer("outcomes", "measures", index, "date"),
                    f"This {m['instrument']} follow-up on {m['date']} is sooner than "
                    f"{FOLLOW_UP_MONTHS} months after the baseline of {start} (due "
                    f"{due.isoformat() if due else 'never'}), so aggregation will not pair it "
                    "with that baseline.",
                )
            )
    return tuple(found)
