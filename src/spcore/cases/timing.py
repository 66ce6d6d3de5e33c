"""Case checks on the timing of outcome measures, read from a record's JSON data.

A follow-up measure counts only from three months after its baseline
(:mod:`spcore.framework.timepoints`); a sooner one is kept in the record but
aggregation will not pair it, so checking an extract warns of it
(``SPC-C030``). The check reads the JSON data, so an extract read with or
without models gets the same warnings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from spcore.findings import Finding, pointer, warning
from spcore.framework.timepoints import FOLLOW_UP_MONTHS, follow_up_due

FOLLOW_UP_TOO_SOON = "SPC-C030"


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
