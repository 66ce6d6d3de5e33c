"""Exact calendar arithmetic for eligibility windows and ages.

family-action-2018 accepts people "discharged from hospital within the last three
months (or within the last six weeks ... if supporting parents of child
patients)" and "over 18". These helpers make those phrases exact:

- *N months before a date* keeps the day of the month and, when that day does
  not exist in the target month, uses the month's last day (31 May minus three
  months is 29 February in a leap year, 28 February otherwise).
- *N weeks* is exactly 7 × N days.
- *Within the last window* includes both the first day of the window and the
  evaluation date itself.
- *Age* is the number of completed years. A person born on 29 February
  completes a year on 1 March in a common year, the usual reading in England
  and Wales.
- *Over N*, read strictly, is "older than N years": from the day after the
  Nth birthday. Only the birthday itself separates it from "N or over"
  (:func:`birthday`).
"""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """Shift ``day`` by ``months`` (negative goes back), clamping to the month's last day.

    Raises ``OverflowError`` when the result falls outside years 1–9999.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise OverflowError(f"{day} shifted by {months} months is outside the calendar")
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def window_start(as_of: dt.date, *, months: int = 0, weeks: int = 0, days: int = 0) -> dt.date:
    """First day of the window "within the last ``months``/``weeks``/``days``" ending ``as_of``.

    Months are applied first (with month-end clamping), then weeks and days.
    Raises ``OverflowError`` before the start of the calendar.
    """
    start = add_months(as_of, -months)
    return start - dt.timedelta(weeks=weeks, days=days)


def age_on(date_of_birth: dt.date, as_of: dt.date) -> int:
    """Completed years of age on ``as_of`` (negative when born after ``as_of``)."""
    before_birthday = (as_of.month, as_of.day) < (date_of_birth.month, date_of_birth.day)
    return as_of.year - date_of_birth.year - int(before_birthday)


def birthday(date_of_birth: dt.date, years: int) -> dt.date | None:
    """The day a person born on ``date_of_birth`` completes ``years`` years of age.

    Someone born on 29 February completes a year on 1 March in a common year
    (as :func:`age_on` counts). ``None`` when that day is after year 9999.
    """
    year = date_of_birth.year + years
    if year > dt.MAXYEAR:
        return None
    if (date_of_birth.month, date_of_birth.day) == (2, 29) and not calendar.isleap(year):
        return dt.date(year, 3, 1)
    return date_of_birth.replace(year=year)
