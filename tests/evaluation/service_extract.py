"""A hand-worked extract with service use, for the evaluation tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

#: GP consultations (before, after) of the people referred, and of the comparison people.
REFERRED_GP = [(10, 4), (6, 6), (8, 3), (12, 7), (4, 5)]
COMPARISON_GP = [(9, 8), (7, 7), (11, 9), (5, 6)]
#: A&E attendances (before, after) of the people referred; the comparison's are not counted.
REFERRED_AE = [(2, 1), (0, 0), (3, 1), (1, 1), (1, 0)]


def _windows(index: dt.date, gp: tuple[int, int], ae: tuple[int, int] | None) -> list[Any]:
    before_start = dt.date(index.year - 1, index.month, index.day)
    after_end = dt.date(index.year + 1, index.month, index.day) - dt.timedelta(days=1)
    out = []
    for side, (start, end), n in (
        ("before", (before_start, index - dt.timedelta(days=1)), 0),
        ("after", (index, after_end), 1),
    ):
        counts = {"gp-consultations": gp[n]}
        if ae is not None:
            counts["ae-attendances"] = ae[n]
        out.append(
            {
                "relative_to_referral": side,
                "start_on": start.isoformat(),
                "end_on": end.isoformat(),
                "months": 12,
                "source": "gp-record",
                "counts": counts,
            }
        )
    return out


def _record(n: int, gp: tuple[int, int], ae: tuple[int, int] | None, cohort: str | None) -> Any:
    index = dt.date(2025, 5, 1) + dt.timedelta(days=n)
    record: dict[str, Any] = {
        "case_id": f"SERVICE-{n:03d}",
        "scheme_id": "NORTHSHIRE-CONNECT",
        "referral": {
            "date": index.isoformat(),
            "referrer_type": "gp-practice",
            "criteria": ["long-term-condition"],
        },
        "demographics": {"age_band": "45-54" if n % 2 else "65-74"},
        "service_use": _windows(index, gp, ae),
    }
    if cohort is not None:
        record["cohort"] = cohort
    return record


def service_extract() -> list[dict[str, Any]]:
    """Five people referred (GP and A&E counted) and four comparison people (GP only)."""
    referred = [
        _record(i, gp, ae, None)
        for i, (gp, ae) in enumerate(zip(REFERRED_GP, REFERRED_AE, strict=True))
    ]
    compared = [
        _record(10 + i, gp, None, "comparison-not-referred") for i, gp in enumerate(COMPARISON_GP)
    ]
    return referred + compared
