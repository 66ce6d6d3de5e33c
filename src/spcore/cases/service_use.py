"""Case checks on service-use windows that the schema cannot express, read from JSON data.

A window of service use (``service_use``) is dated, and its dates must make
sense against each other and against the index date (the referral date, or a
comparison person's index date in its place):

* ``SPC-C032`` (error): the window ends before it starts;
* ``SPC-C033`` (error): a window *before* referral ends after the index date;
* ``SPC-C034`` (error): a window *after* referral starts before the index date;
* ``SPC-C035`` (error): two windows on the same side, of the same length,
  count the same service, so adding them up would count it twice;
* ``SPC-C036`` (warning): the dates do not span the stated number of months,
  counted forward from the start or back from the end (a window of 6 months
  starting on 1 April ends on 30 September).

Negative counts and unknown service codes are schema errors (``SPC-S``). The
checks read the JSON data, so an extract read with or without models gets the
same findings.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from typing import Any

from spcore.findings import Finding, error, pointer, warning

ENDS_BEFORE_START = "SPC-C032"
BEFORE_WINDOW_AFTER_INDEX = "SPC-C033"
AFTER_WINDOW_BEFORE_INDEX = "SPC-C034"
COUNTED_TWICE = "SPC-C035"
LENGTH_DISAGREES = "SPC-C036"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months, kept within the month (31 Jan + 1 = 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window_end(start: dt.date, months: int) -> dt.date:
    """The last day of a window of ``months`` calendar months starting on ``start``."""
    return add_months(start, months) - dt.timedelta(days=1)


def window_start(end: dt.date, months: int) -> dt.date:
    """The first day of a window of ``months`` calendar months ending on ``end``."""
    return add_months(end + dt.timedelta(days=1), -months)


def service_use_findings(data: Mapping[str, Any]) -> tuple[Finding, ...]:
    """Every finding of this module for one record's JSON data (valid against the schema)."""
    windows = data.get("service_use") or ()
    if not windows:
        return ()
    index_date = data["referral"]["date"]  # ISO dates order as text
    found: list[Finding] = []
    seen: dict[tuple[str, int, str], int] = {}
    for index, w in enumerate(windows):
        start, end, months = w["start_on"], w["end_on"], w["months"]
        side = w["relative_to_referral"]
        if end < start:
            found.append(
                error(
                    ENDS_BEFORE_START,
                    pointer("service_use", index, "end_on"),
                    f"This window of service use ends on {end}, before it starts on {start}.",
                )
            )
        elif _length_disagrees(start, end, months):
            found.append(
                warning(
                    LENGTH_DISAGREES,
                    pointer("service_use", index, "end_on"),
                    f"This window of {months} months runs from {start} to {end}; a window of "
                    f"{months} months starting on {start} ends on "
                    f"{_end_text(start, months)}.",
                )
            )
        if side == "before" and end > index_date:
            found.append(
                error(
                    BEFORE_WINDOW_AFTER_INDEX,
                    pointer("service_use", index, "end_on"),
                    f"This window before referral ends on {end}, after the referral (index) "
                    f"date {index_date}; it must end on or before it.",
                )
            )
        if side == "after" and start < index_date:
            found.append(
                error(
                    AFTER_WINDOW_BEFORE_INDEX,
                    pointer("service_use", index, "start_on"),
                    f"This window after referral starts on {start}, before the referral "
                    f"(index) date {index_date}; it must start on or after it.",
                )
            )
        for service in w["counts"]:
            key = (side, months, service)
            if key in seen:
                found.append(
                    error(
                        COUNTED_TWICE,
                        pointer("service_use", index, "counts", service),
                        f"{service} is already counted in window {seen[key] + 1} ({side} "
                        f"referral, {months} months); a service is counted in one window per "
                        "side and length, or it would be added up twice.",
                    )
                )
            else:
                seen[key] = index
    return tuple(found)


def _end_text(start: str, months: int) -> str:
    try:
        return window_end(dt.date.fromisoformat(start), int(months)).isoformat()
    except (ValueError, OverflowError):
        return "after the last date there is"


def _length_disagrees(start: str, end: str, months: int) -> bool:
    """True unless the window is ``months`` counted forward from its start or back from its end.

    Both readings are accepted, because month ends make them differ: 6 months counted
    back from 30 August start on 28 February, while 6 months counted forward from
    28 February end on 27 August. ``months`` may be written ``12.0``: the schema's
    integer is any whole number.
    """
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    months = int(months)
    try:
        return window_end(first, months) != last and window_start(last, months) != first
    except (ValueError, OverflowError):  # a window running past year 1 or 9999
        return True
