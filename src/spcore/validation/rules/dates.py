"""Rules on the reporting period and the dates in a return.

The period is already a real NHS financial-year quarter once the document
has passed the schema and the model (a fifth quarter or ``2025-27`` are
schema findings). What is left is the calendar: a return reports on a
quarter that has happened, and is prepared after it began.

"Today" comes from :class:`~spcore.validation.rules.base.RuleContext`
(``datetime.date.today()`` unless a caller injects another date), so these
checks are deterministic in tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from spcore.findings import Severity
from spcore.validation.rules.base import Problem, Rule, RuleContext, rule

SECTION = "Period and dates"


def _day(day: dt.date) -> str:
    """A date as a person writes it: ``1 April 2026``."""
    return f"{day.day} {day:%B %Y}"


SOURCE = (
    "nhs-data-dictionary, financial year (1 April to 31 March, in quarters); "
    "nhse-cof-2018, 'Phase 2' regular returns"
)


@rule(
    "SPC-R021",
    Severity.ERROR,
    section=SECTION,
    title="A quarter that has not begun",
    rationale=(
        "A return reports what happened in a quarter, so a quarter that starts after today "
        "cannot have figures yet: an error."
    ),
    source=SOURCE,
    fails="On 14 October 2025, a return for 2026-27 Q1.",
    passes="On 14 October 2025, a return for 2025-26 Q2.",
)
def period_not_begun(ctx: RuleContext) -> Iterator[Problem]:
    """The period must have begun by today."""
    if ctx.ret.period.start > ctx.today:
        yield (
            "/period",
            f"The quarter {ctx.ret.period} has not begun yet (it starts on "
            f"{_day(ctx.ret.period.start)}).",
        )


@rule(
    "SPC-R022",
    Severity.WARNING,
    section=SECTION,
    title="A quarter that has not ended",
    rationale=(
        "A quarterly return covers the whole quarter, so one for a quarter still under way "
        "holds incomplete figures; a warning, as a scheme may share a draft."
    ),
    source=SOURCE,
    fails="On 14 September 2025, a return for 2025-26 Q2 (ends 30 September).",
    passes="On 14 October 2025, a return for 2025-26 Q2.",
)
def period_not_ended(ctx: RuleContext) -> Iterator[Problem]:
    """The period should have ended before today."""
    period = ctx.ret.period
    if period.start <= ctx.today <= period.end:
        yield (
            "/period",
            f"The quarter {period} does not end until {_day(period.end)}, so its figures "
            "are not complete yet.",
        )


@rule(
    "SPC-R023",
    Severity.ERROR,
    section=SECTION,
    title="Prepared before the quarter began",
    rationale=("A return cannot be prepared before the quarter it reports on has begun: an error."),
    source=SOURCE,
    fails="A return for 2025-26 Q2 prepared on 20 June 2025.",
    passes="A return for 2025-26 Q2 prepared on 14 October 2025.",
)
def prepared_before_period(ctx: RuleContext) -> Iterator[Problem]:
    """The preparation date must not be before the period starts."""
    prepared = ctx.ret.prepared_on
    if prepared is not None and prepared < ctx.ret.period.start:
        yield (
            "/prepared_on",
            f"The return was prepared on {_day(prepared)}, before the quarter "
            f"{ctx.ret.period} began.",
        )


@rule(
    "SPC-R024",
    Severity.WARNING,
    section=SECTION,
    title="Prepared before the quarter ended",
    rationale=(
        "Figures for a whole quarter are normally prepared after it ends; a return prepared "
        "during the quarter is likely incomplete (a warning, as it may be a draft)."
    ),
    source=SOURCE,
    fails="A return for 2025-26 Q2 prepared on 15 September 2025.",
    passes="A return for 2025-26 Q2 prepared on 14 October 2025.",
)
def prepared_during_period(ctx: RuleContext) -> Iterator[Problem]:
    """The preparation date should be after the period ends."""
    prepared = ctx.ret.prepared_on
    period = ctx.ret.period
    if prepared is not None and period.start <= prepared <= period.end:
        yield (
            "/prepared_on",
            f"The return was prepared on {_day(prepared)}, before the quarter {period} "
            f"ended on {_day(period.end)}.",
        )


@rule(
    "SPC-R025",
    Severity.ERROR,
    section=SECTION,
    title="Prepared in the future",
    rationale="A return cannot have been prepared on a date after today: an error.",
    source=SOURCE,
    fails="On 14 October 2025, a return prepared on 1 November 2025.",
    passes="On 14 October 2025, a return prepared on 14 October 2025.",
)
def prepared_in_future(ctx: RuleContext) -> Iterator[Problem]:
    """The preparation date must not be after today."""
    prepared = ctx.ret.prepared_on
    if prepared is not None and prepared > ctx.today:
        yield ("/prepared_on", f"The return is dated {_day(prepared)}, which is after today.")


#: The rules of this module, in catalogue order.
RULES: tuple[Rule, ...] = (
    period_not_begun,
    period_not_ended,
    prepared_before_period,
    prepared_during_period,
    prepared_in_future,
)
