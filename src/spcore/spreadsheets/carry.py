"""Starting next quarter's return from the last one: what rarely changes, carried forward.

A scheme's identity, its link-worker staffing and their salaries seldom change
from one quarter to the next, while every count does. ``spcore template
NEXT.xlsx --from LAST.json`` writes the template with the parts in
:data:`CARRIED` filled in from the last return and the quarter advanced;
everything else is left to fill in.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from spcore.framework.periods import FinancialQuarter, QuarterError

#: The parts of a return carried into the next quarter's template (JSON Pointers).
CARRIED: tuple[str, ...] = (
    "/$schema",
    "/standard_version",
    "/scheme",
    "/outputs/link_workers",
    "/outputs/link_worker_salaries",
)


#: Parts inside :data:`CARRIED` that belong to one quarter only, so are not carried.
NOT_CARRIED: tuple[str, ...] = ("/outputs/link_worker_salaries/pay_in_quarter",)


class CarryError(ValueError):
    """The last return cannot start the next one; the message says why."""


def next_quarter(document: Mapping[str, Any]) -> dict[str, Any]:
    """The start of the return for the quarter after ``document``'s: :data:`CARRIED`, advanced.

    Raises :class:`CarryError` when ``document`` names no quarter that can be read.
    """
    period = document.get("period")
    if not isinstance(period, str):
        raise CarryError("the last return names no reporting period (period), so no next quarter")
    try:
        quarter = FinancialQuarter.parse(period)
    except QuarterError as exc:
        raise CarryError(f"the last return's period cannot be read: {exc}") from None
    out: dict[str, Any] = {}
    for path in CARRIED:
        tokens = path[1:].split("/")
        value: Any = document
        for token in tokens:
            value = value.get(token) if isinstance(value, Mapping) else None
        if value is None:
            continue
        target = out
        for token in tokens[:-1]:
            target = target.setdefault(token, {})
        target[tokens[-1]] = copy.deepcopy(value)
    for path in NOT_CARRIED:
        *parents, last = path[1:].split("/")
        holder: Any = out
        for token in parents:
            holder = holder.get(token) if isinstance(holder, dict) else None
        if isinstance(holder, dict):
            holder.pop(last, None)
    out["period"] = str(quarter.next())
    return out
