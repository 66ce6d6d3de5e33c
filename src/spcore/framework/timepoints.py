"""When a follow-up measure counts: at least three months after its baseline.

The ``assessment-timepoint`` codelist defines a follow-up as "measured after
support, at least three months after the baseline" (dayson-2016: surveys at
first engagement and after three months; family-action-2018, "Outcomes data":
at least three months between initial assessment and case closure to collect
pre and post data). Case checks warn of a sooner one and aggregation does not
pair it; both reckon the three months here.
"""

from __future__ import annotations

import calendar
import datetime as dt

#: Months between a baseline and the earliest follow-up paired with it.
FOLLOW_UP_MONTHS = 3


def follow_up_due(baseline: dt.date) -> dt.date | None:
    """The first day a follow-up counts: three calendar months after the baseline.

    The same day of the month three months later, or that month's last day
    when it has no such day (a baseline on 30 November is due on 28 or 29
    February): spcore's reading of "three months". ``None`` when that day
    would be past the last date there is (no follow-up can be paired).
    """
    month = baseline.month - 1 + FOLLOW_UP_MONTHS
    year, month = baseline.year + month // 12, month % 12 + 1
    if year > dt.MAXYEAR:
        return None
    return dt.date(year, month, min(baseline.day, calendar.monthrange(year, month)[1]))
