"""Rules on link workers, pay, capacity and money (nhse-cof-2018 outputs 7, 8, 10 and 11).

Figures used here, with their sources:

* Link-worker capacity: **20 assessments a week** per full-time link worker
  (family-action-2018, Table 1, "Level of support can deliver").
* A quarter is ``days / 7`` weeks long (12.9 to 13.1 weeks; see
  :attr:`~spcore.framework.periods.FinancialQuarter.days`). The capacity
  check uses every week of the quarter, not the 40 working weeks a year
  (10 a quarter) that family-action-2018 allows for leave and sickness: leave is not
  spread evenly over the year, so only a figure above what working *every*
  week of the quarter allows is implausible enough to report.
* One full-time equivalent is **37.5 hours a week** (NHS Terms and Conditions
  of Service Handbook, "Hours of work"; :data:`FULL_TIME_HOURS_PER_WEEK`).
* Salary plausibility, Agenda for Change (AfC) full-time annual basic pay in
  England, without London weighting:

  - family-action-2018 Table 1 suggests link workers at **Band 5, points 20-23
    (£25,551-£28,746)** at "2018 rates"; those are the 2017/18 AfC figures
    (the 2015/16 Annex 3 spine, £25,047 at point 20 and £28,180 at point 23,
    raised by the 1% awards of 2016/17 and 2017/18);
  - the lowest AfC basic rate from 1 April 2018, the year after the source's
    figures, is **£17,460** (Band 2 entry point after the 2018 pay framework
    agreement; Band 1 closed to new starters); AfC pay has only risen since;
  - the top of **Band 7** in 2025/26 is **£54,710** (AfC pay scales
    2025/26, 3.6% award from 1 April 2025). family-action-2018 puts the operational
    manager who oversees the whole service at Band 7, so a link worker paid
    above its top is implausible. Review this figure when a new pay year is
    published.
"""

from __future__ import annotations

from collections.abc import Iterator

from spcore.findings import Severity
from spcore.framework.quantities import FULL_TIME_HOURS_PER_WEEK
from spcore.validation.rules.base import Problem, Rule, RuleContext, count, rule

SECTION = "Outputs: workforce and money"
COF_OUTPUTS = "nhse-cof-2018, 'Phase 1 suggested outputs'"

#: Assessments a full-time link worker can complete in a week (family-action-2018 Table 1).
ASSESSMENTS_PER_WEEK = 20

#: Lowest AfC full-time basic pay from 1 April 2018 (Band 2 entry, 2018/19), in GBP.
LOWEST_PLAUSIBLE_SALARY = 17_460.0

#: Top of AfC Band 7, 2025/26 pay scales, in GBP.
HIGHEST_PLAUSIBLE_SALARY = 54_710.0

SALARY_FIELDS = ("lowest_annual", "highest_annual")


def _has_link_workers(ctx: RuleContext) -> bool:
    workers = ctx.ret.outputs.link_workers
    return (count(workers.headcount) or 0) > 0 or workers.fte.canonical > 0


@rule(
    "SPC-R012",
    Severity.ERROR,
    section=SECTION,
    title="A link-worker salary of zero",
    rationale=(
        "Output 8 gives the full-time annual salaries of the link workers a scheme employs; a "
        "scheme with link workers cannot pay one nothing: an error."
    ),
    source=COF_OUTPUTS + ", outputs 7 and 8",
    fails="6 link workers, lowest annual salary £0.",
    passes="6 link workers, lowest annual salary £27,485.",
)
def salary_zero(ctx: RuleContext) -> Iterator[Problem]:
    """Salaries must be above zero when the scheme has link workers."""
    if not _has_link_workers(ctx):
        return
    salaries = ctx.ret.outputs.link_worker_salaries
    for name in SALARY_FIELDS:
        if getattr(salaries, name).canonical <= 0:
            yield (
                f"/outputs/link_worker_salaries/{name}",
                "A link-worker salary is zero; give the full-time annual salary.",
            )


@rule(
    "SPC-R014",
    Severity.WARNING,
    section=SECTION,
    title="A salary outside the plausible range",
    rationale=(
        "family-action-2018 pays link workers on Agenda for Change Band 5; a full-time annual "
        "salary "
        "below the lowest Agenda for Change rate since 2018 (£17,460) or above the top of "
        "Band 7 in 2025/26 (£54,710) is more likely a monthly, part-time or pence figure than "
        "a salary: a warning."
    ),
    source=(
        "family-action-2018 Table 1 (Band 5, 2017/18 rates); "
        "agenda-for-change, pay scales 2018/19 and 2025/26"
    ),
    fails="Lowest annual salary £2,300 (a monthly figure).",
    passes="Lowest annual salary £27,485, highest £30,162.",
)
def salary_range(ctx: RuleContext) -> Iterator[Problem]:
    """Salaries should be full-time annual figures within the Agenda for Change range."""
    if not _has_link_workers(ctx):
        return
    salaries = ctx.ret.outputs.link_worker_salaries
    for name in SALARY_FIELDS:
        value = getattr(salaries, name).canonical
        if 0 < value < LOWEST_PLAUSIBLE_SALARY:
            yield (
                f"/outputs/link_worker_salaries/{name}",
                f"A full-time annual salary of £{value:,.0f} is below the lowest Agenda for "
                f"Change rate (£{LOWEST_PLAUSIBLE_SALARY:,.0f}); check it is an annual, "
                "full-time figure in pounds.",
            )
        elif value > HIGHEST_PLAUSIBLE_SALARY:
            yield (
                f"/outputs/link_worker_salaries/{name}",
                f"A link-worker salary of £{value:,.0f} is above the top of Agenda for Change "
                f"Band 7 (£{HIGHEST_PLAUSIBLE_SALARY:,.0f}); check it is one person's annual "
                "salary in pounds, not pence or a total.",
            )


def _weeks(ctx: RuleContext) -> float:
    return ctx.ret.period.days / 7


@rule(
    "SPC-R018",
    Severity.WARNING,
    section=SECTION,
    title="More assessments than link-worker capacity allows",
    rationale=(
        "A full-time link worker can complete about 20 assessments a week, so assessments "
        "above 20 per FTE for every week of the quarter (about 13 weeks) are implausible: a "
        "warning, since the figure depends on travel and recording time."
    ),
    source="family-action-2018 Table 1 and 'Staffing' (20 assessments a week, up to 800 a year)",
    fails="1.0 FTE of link workers and 300 assessments in a 91-day quarter (limit 260).",
    passes="5.4 FTE of link workers and 205 assessments in the quarter.",
)
def assessments_over_capacity(ctx: RuleContext) -> Iterator[Problem]:
    """Assessments should be at most 20 a week per FTE over the quarter."""
    if ctx.ret.monitoring is None:
        return
    done = count(ctx.ret.monitoring.assessments_completed)
    if done is None:
        return
    fte = ctx.ret.outputs.link_workers.fte.canonical
    capacity = ASSESSMENTS_PER_WEEK * _weeks(ctx) * fte
    if done > capacity + ctx.slack("/monitoring/assessments_completed"):
        yield (
            "/monitoring/assessments_completed",
            f"{done:,} assessments is more than {fte:,.2f} FTE of link workers can complete in "
            f"the quarter at 20 a week ({capacity:,.0f}).",
        )


@rule(
    "SPC-R019",
    Severity.ERROR,
    section=SECTION,
    title="No time spent with people who benefited",
    rationale=(
        "Output 10 is the average link-worker time spent with each person supported, so when "
        "people benefited it cannot be zero: an error."
    ),
    source=COF_OUTPUTS + ", outputs 1 and 10",
    fails="198 people benefiting, average time per person 0 minutes.",
    passes="198 people benefiting, average time per person 270 minutes.",
)
def time_zero(ctx: RuleContext) -> Iterator[Problem]:
    """Average time per person must be above zero when people benefited."""
    benefiting = count(ctx.ret.outputs.people_benefiting)
    if benefiting and ctx.ret.outputs.average_time_per_person.canonical <= 0:
        yield (
            "/outputs/average_time_per_person",
            "The average time spent with each person is zero, but people benefited from the "
            "scheme in the quarter.",
        )


@rule(
    "SPC-R020",
    Severity.WARNING,
    section=SECTION,
    title="More time with people than the link workers' hours allow",
    rationale=(
        "The average time per person times the people benefiting is link-worker time, which "
        "cannot much exceed the link workers' FTE at 37.5 hours a week over the quarter; more "
        "is implausible (a warning, as overtime is possible)."
    ),
    source=COF_OUTPUTS + ", outputs 1, 7 and 10; agenda-for-change, hours of work",
    fails="198 people benefiting, 5.4 FTE, average time per person 20 hours.",
    passes="198 people benefiting, 5.4 FTE, average time per person 270 minutes.",
)
def time_over_hours(ctx: RuleContext) -> Iterator[Problem]:
    """Total time with people should be within the link workers' contracted hours."""
    benefiting = count(ctx.ret.outputs.people_benefiting)
    if not benefiting:
        return
    average = ctx.ret.outputs.average_time_per_person.canonical
    available = (
        ctx.ret.outputs.link_workers.fte.canonical * FULL_TIME_HOURS_PER_WEEK * 60 * _weeks(ctx)
    )
    if average * benefiting > available:
        yield (
            "/outputs/average_time_per_person",
            f"{benefiting:,} people at an average of {average:,.0f} minutes each is more time "
            f"than the link workers' contracted hours in the quarter allow "
            f"({available / 60:,.0f} hours).",
        )


#: The rules of this module, in catalogue order.
RULES: tuple[Rule, ...] = (
    salary_zero,
    salary_range,
    assessments_over_capacity,
    time_zero,
    time_over_hours,
)
