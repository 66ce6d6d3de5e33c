"""Rules on the three outcome areas (nhse-cof-2018, 'The three main outcomes').

Score ranges are never repeated here: they come from the instrument registry
(:mod:`spcore.instruments`), where each range cites its published source,
through the index generated from it (:mod:`spcore.instruments.index`).
"""

from __future__ import annotations

from collections.abc import Iterator

from spcore.findings import Severity
from spcore.framework.quarterly_return import InstrumentSummary
from spcore.instruments.index import InstrumentFacts, ScoreFacts, facts
from spcore.validation.rules.base import (
    Problem,
    Rule,
    RuleContext,
    count,
    rule,
)

SECTION = "Outcomes"
COF_OUTCOMES = "nhse-cof-2018, 'The three main outcomes'"
HEADLINE = "score"


def _summaries(ctx: RuleContext) -> Iterator[tuple[str, InstrumentSummary]]:
    if ctx.ret.impact_on_person is None:
        return
    for index, summary in enumerate(ctx.ret.impact_on_person.instruments):
        yield f"/impact_on_person/instruments/{index}", summary


def _definition(summary: InstrumentSummary) -> InstrumentFacts | None:
    return facts(str(getattr(summary.instrument, "value", summary.instrument)))


def _score(summary: InstrumentSummary) -> ScoreFacts | None:
    definition = _definition(summary)
    if definition is None:
        return None
    name = definition.headline if summary.score == HEADLINE else summary.score
    try:
        return definition.score(name)
    except KeyError:
        return None


@rule(
    "SPC-R030",
    Severity.ERROR,
    section=SECTION,
    title="A mean score outside the instrument's range",
    rationale=(
        "A mean of scores lies within the range every score lies in, which the instrument "
        "registry gives with its published source: an error."
    ),
    source=COF_OUTCOMES
    + "; spcore, the instrument's published scoring (see `spcore instruments show`)",
    fails="SWEMWBS mean baseline 52 (SWEMWBS scores run from 7 to 35).",
    passes="SWEMWBS mean baseline 19.62.",
)
def mean_out_of_range(ctx: RuleContext) -> Iterator[Problem]:
    """Mean scores must lie within the instrument score's range."""
    for base, summary in _summaries(ctx):
        score = _score(summary)
        if score is None:
            continue
        for field in ("mean_baseline", "mean_follow_up"):
            value = getattr(summary, field)
            if value is not None and not score.minimum <= value <= score.maximum:
                yield (
                    f"{base}/{field}",
                    f"A mean {summary.instrument} {score.name} score of {value:g} is outside the "
                    f"score's range, {score.minimum:g} to {score.maximum:g}.",
                )


@rule(
    "SPC-R031",
    Severity.WARNING,
    section=SECTION,
    title="A score the instrument does not have",
    rationale=(
        "A summary names one of the instrument's scores ('score' for its headline score); a "
        "name the registry does not know cannot be checked or compared: a warning, as it may "
        "come from a newer version of the instrument."
    ),
    source="spcore, the instrument registry (`spcore instruments show`)",
    fails="UCLA-3 with score 'metric' (UCLA-3 has only 'total').",
    passes="UCLA-3 with score 'score' or 'total'.",
)
def unknown_score(ctx: RuleContext) -> Iterator[Problem]:
    """The score named must be one of the instrument's scores."""
    for base, summary in _summaries(ctx):
        definition = _definition(summary)
        if definition is not None and _score(summary) is None:
            names = ", ".join(f"'{s.name}'" for s in definition.scores)
            yield (
                f"{base}/score",
                f"{definition.name} has no score called '{summary.score}'; use 'score' for its "
                f"headline score, or one of {names}.",
            )


@rule(
    "SPC-R032",
    Severity.WARNING,
    section=SECTION,
    title="A value set the instrument does not have",
    rationale=(
        "Only preference-based indexes such as EQ-5D are scored with a value set, and then "
        "only with one the registry holds; any other value set makes the means incomparable: "
        "a warning."
    ),
    source="spcore, the instrument registry (`spcore instruments show`)",
    fails="SWEMWBS with value set 'england-2018-devlin'.",
    passes="EQ-5D-5L with value set 'england-2018-devlin'.",
)
def unknown_value_set(ctx: RuleContext) -> Iterator[Problem]:
    """The value set named must be one of the instrument's value sets."""
    for base, summary in _summaries(ctx):
        definition = _definition(summary)
        if definition is None or summary.value_set is None:
            continue
        if summary.value_set not in definition.value_sets:
            known = ", ".join(f"'{v}'" for v in definition.value_sets) or "none"
            yield (
                f"{base}/value_set",
                f"{definition.name} has no value set '{summary.value_set}' (its value sets: "
                f"{known}).",
            )


@rule(
    "SPC-R033",
    Severity.ERROR,
    section=SECTION,
    title="A mean score for nobody",
    rationale=(
        "The means are taken over the people with a follow-up, so with none there is nothing "
        "to average: an error."
    ),
    source=COF_OUTCOMES + ", impact on the person",
    fails="SWEMWBS: 0 people with a follow-up, mean follow-up 22.4.",
    passes="SWEMWBS: 88 people with a follow-up, mean follow-up 22.41.",
)
def mean_of_nobody(ctx: RuleContext) -> Iterator[Problem]:
    """A mean must not be given when no one was followed up."""
    for base, summary in _summaries(ctx):
        if count(summary.people_with_follow_up) != 0:
            continue
        for field in ("mean_baseline", "mean_follow_up"):
            if getattr(summary, field) is not None:
                yield (
                    f"{base}/{field}",
                    "A mean score is given, but no one had a follow-up measurement to average.",
                )


@rule(
    "SPC-R035",
    Severity.WARNING,
    section=SECTION,
    title="Before and after windows of different lengths",
    rationale=(
        "Service use before and after referral is compared over windows of equal length (12 "
        "months each in dayson-2016); unequal windows make the change misleading: a warning."
    ),
    source=(
        "nhse-cof-2018, impact on the health and care system; dayson-2016 (12 months before/after)"
    ),
    fails="12 months before referral, 6 months after.",
    passes="12 months before referral, 12 months after.",
)
def unequal_windows(ctx: RuleContext) -> Iterator[Problem]:
    """The before and after windows should be the same length."""
    system = ctx.ret.impact_on_system
    if system is None or system.window_before_months is None or system.window_after_months is None:
        return
    if system.window_before_months != system.window_after_months:
        yield (
            "/impact_on_system/window_after_months",
            f"Service use is compared over {system.window_before_months} months before "
            f"referral but {system.window_after_months} months after; use windows of the same "
            "length.",
        )


#: Most days in a window of one calendar month: no month is longer.
DAYS_PER_MONTH_AT_MOST = 31


@rule(
    "SPC-R081",
    Severity.ERROR,
    section=SECTION,
    title="Hospital bed days within the cohort's nights",
    rationale=(
        "A person spends at most every night of a window in hospital, so the cohort's "
        "hospital bed days before (after) referral are at most the cohort size times the "
        "days in the window (31 a month at most). More is impossible, so it is an error."
    ),
    source=(
        "nhse-cof-2018, impact on the health and care system (hospital bed days); spcore, "
        "the bound follows from the definition of a bed day (the service codelist)"
    ),
    fails="10 people over 12 months before referral with 4,000 bed days (at most 3,720).",
    passes="10 people over 12 months before referral with 400 bed days.",
)
def bed_days_within_nights(ctx: RuleContext) -> Iterator[Problem]:
    """Bed days before and after referral cannot exceed the cohort's nights in the window."""
    system = ctx.ret.impact_on_system
    if system is None or system.hospital_bed_days is None:
        return
    people = count(system.cohort_size)
    for side, months in (
        ("before", system.window_before_months),
        ("after", system.window_after_months),
    ):
        days = count(getattr(system.hospital_bed_days, side))
        if people is None or months is None or days is None:
            continue
        # Rounded counts may each be out by half the rounding base.
        widest = people + ctx.slack("/impact_on_system/cohort_size")
        most = widest * months * DAYS_PER_MONTH_AT_MOST
        if days - ctx.slack(f"/impact_on_system/hospital_bed_days/{side}") > most:
            yield (
                f"/impact_on_system/hospital_bed_days/{side}",
                f"{days:,} hospital bed days {side} referral is more than {people:,} people "
                f"can spend in hospital in {months} months ({most:,} nights at most).",
            )


_MEANS = ("mean_baseline", "mean_follow_up")
_CATEGORY_COUNTS = ("baseline_by_category", "follow_up_by_category")
_CATEGORY_FIELDS = (*_CATEGORY_COUNTS, "people_moved_better", "people_moved_worse")


@rule(
    "SPC-R045",
    Severity.ERROR,
    section=SECTION,
    title="A mean of a categorical score",
    rationale=(
        "The codes of a categorical score (an answer category or level, such as the ONS "
        "loneliness answer or the PAM activation level) are labels in order, not quantities, "
        "so their mean means nothing; such a score is summarised by the people in each "
        "category and the people who moved to a better or worse one: an error."
    ),
    source=(
        'spcore, the instrument registry (`spcore instruments show ons-loneliness`: "they are '
        'labels, not a scale to average")'
    ),
    fails="ONS loneliness: mean baseline 2.67.",
    passes="ONS loneliness: people with a baseline by category, no mean.",
)
def categorical_mean(ctx: RuleContext) -> Iterator[Problem]:
    """A categorical score must not be summarised by a mean."""
    for base, summary in _summaries(ctx):
        score = _score(summary)
        if score is None or not score.categorical:
            continue
        for field in _MEANS:
            if getattr(summary, field) is not None:
                yield (
                    f"{base}/{field}",
                    f"{summary.instrument} '{score.name}' is a category, not a quantity, so it "
                    "has no mean; give the people in each category at baseline and follow-up "
                    "(baseline_by_category, follow_up_by_category) and the people who moved "
                    "to a better or a worse category instead.",
                )


@rule(
    "SPC-R046",
    Severity.ERROR,
    section=SECTION,
    title="Category counts missing, or given for a score that is not categorical",
    rationale=(
        "A categorical score is reported as the people in each category at baseline and at "
        "follow-up, so both breakdowns are needed; a score on a scale has no categories, so "
        "breakdowns or moves between categories given for it cannot be read: an error."
    ),
    source="spcore, the instrument registry (`spcore instruments show ID`, `categorical`)",
    fails="ONS loneliness with people counted at baseline and follow-up but no categories.",
    passes="ONS loneliness with baseline_by_category and follow_up_by_category.",
)
def category_counts_fit(ctx: RuleContext) -> Iterator[Problem]:
    """Categorical scores carry both category breakdowns; other scores carry none."""
    for base, summary in _summaries(ctx):
        score = _score(summary)
        if score is None:
            continue
        if score.categorical:
            for field in _CATEGORY_COUNTS:
                if getattr(summary, field) is None:
                    yield (
                        f"{base}/{field}",
                        f"{summary.instrument} '{score.name}' is categorical: give {field}, "
                        "the people counted under each of its categories.",
                    )
            continue
        for field in _CATEGORY_FIELDS:
            if getattr(summary, field) is not None:
                yield (
                    f"{base}/{field}",
                    f"{summary.instrument} '{score.name}' is a score on a scale, not a "
                    f"category, so it has no {field}; summarise it by its means.",
                )


@rule(
    "SPC-R047",
    Severity.ERROR,
    section=SECTION,
    title="A category the score does not have",
    rationale=(
        "People are counted under the categories the instrument registry lists for the score "
        "(`spcore instruments show ID`); the schema allows only codes of the "
        "`instrument-category` codelist, and a category of another instrument cannot be "
        "compared: an error."
    ),
    source="spcore, the instrument registry (`spcore instruments show ID`, `categories`)",
    fails="ONS loneliness with a category 'level-2' (a PAM level).",
    passes="PAM level with the categories 'level-1' to 'level-4'.",
)
def unknown_category(ctx: RuleContext) -> Iterator[Problem]:
    """Every category counted must be one of the score's categories."""
    for base, summary in _summaries(ctx):
        score = _score(summary)
        if score is None or not score.categorical:
            continue
        known = list(score.categories)
        for field in _CATEGORY_COUNTS:
            for code in getattr(summary, field) or {}:
                if code not in known:
                    yield (
                        f"{base}/{field}/{code}",
                        f"{summary.instrument} '{score.name}' has no category '{code}'; its "
                        f"categories are {', '.join(known)}.",
                    )


#: The rules of this module, in catalogue order.
RULES: tuple[Rule, ...] = (
    mean_out_of_range,
    unknown_score,
    unknown_value_set,
    mean_of_nobody,
    unequal_windows,
    bed_days_within_nights,
    categorical_mean,
    category_counts_fit,
    unknown_category,
)
