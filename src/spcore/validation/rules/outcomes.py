"""Rules on the three outcome areas (nhse-cof-2018, 'The three main outcomes').

Score ranges are never repeated here: they come from the instrument registry
(:mod:`spcore.instruments`), where each range cites its published source.
"""

from __future__ import annotations

from collections.abc import Iterator

from spcore.findings import Severity
from spcore.framework.quarterly_return import InstrumentSummary
from spcore.instruments.definitions import InstrumentDefinition, Score
from spcore.instruments.registry import INSTRUMENTS
from spcore.validation.rules.base import (
    Problem,
    Rule,
    RuleContext,
    breakdown,
    count,
    exceeds,
    excess,
    rule,
    shortfall,
)

SECTION = "Outcomes"
COF_OUTCOMES = "nhse-cof-2018, 'The three main outcomes'"
HEADLINE = "score"


def _summaries(ctx: RuleContext) -> Iterator[tuple[str, InstrumentSummary]]:
    if ctx.ret.impact_on_person is None:
        return
    for index, summary in enumerate(ctx.ret.impact_on_person.instruments):
        yield f"/impact_on_person/instruments/{index}", summary


def _definition(summary: InstrumentSummary) -> InstrumentDefinition | None:
    instrument = INSTRUMENTS.get(str(getattr(summary.instrument, "value", summary.instrument)))
    return None if instrument is None else instrument.definition


def _score(summary: InstrumentSummary) -> Score | None:
    definition = _definition(summary)
    if definition is None:
        return None
    name = definition.headline if summary.score == HEADLINE else summary.score
    try:
        return definition.score(name)
    except KeyError:
        return None


@rule(
    "SPC-R028",
    Severity.ERROR,
    section=SECTION,
    title="More people followed up than had a baseline",
    rationale=(
        "People with a follow-up are people with both a baseline and a follow-up measurement, "
        "so they cannot outnumber the people with a baseline: an error."
    ),
    source=COF_OUTCOMES + ", impact on the person",
    fails="SWEMWBS: 88 people with a baseline, 132 with a follow-up.",
    passes="SWEMWBS: 132 people with a baseline, 88 with a follow-up.",
)
def follow_up_over_baseline(ctx: RuleContext) -> Iterator[Problem]:
    """People with a follow-up must be at most people with a baseline."""
    for base, summary in _summaries(ctx):
        follow = (f"{base}/people_with_follow_up", count(summary.people_with_follow_up))
        baseline = (f"{base}/people_with_baseline", count(summary.people_with_baseline))
        if exceeds(ctx, follow, baseline):
            yield (
                follow[0],
                "More people have a follow-up measurement than have a baseline; every person "
                "followed up needs a baseline.",
            )


@rule(
    "SPC-R029",
    Severity.ERROR,
    section=SECTION,
    title="More people improved than were followed up",
    rationale=(
        "Improvement is measured between baseline and follow-up, so only people with a "
        "follow-up can have improved: an error."
    ),
    source=COF_OUTCOMES + ", impact on the person",
    fails="SWEMWBS: 88 people with a follow-up, 95 improved.",
    passes="SWEMWBS: 88 people with a follow-up, 51 improved.",
)
def improved_over_follow_up(ctx: RuleContext) -> Iterator[Problem]:
    """People improved must be at most people with a follow-up."""
    for base, summary in _summaries(ctx):
        improved = (f"{base}/people_improved", count(summary.people_improved))
        follow = (f"{base}/people_with_follow_up", count(summary.people_with_follow_up))
        if improved[1] is not None and exceeds(ctx, improved, follow):
            yield (improved[0], "More people improved than had a follow-up measurement.")


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
    "SPC-R034",
    Severity.WARNING,
    section=SECTION,
    title="Employability outcomes for more people than benefited",
    rationale=(
        "Each employability outcome counts people supported by the scheme, so one outcome "
        "achieved by more people than benefited is unlikely; a warning, as people supported "
        "in earlier quarters may be counted."
    ),
    source="nhse-cof-2018, impact on the person (employability, Phase 2)",
    fails="198 people benefiting, 250 volunteering.",
    passes="198 people benefiting, 6 volunteering.",
)
def employability_over_benefiting(ctx: RuleContext) -> Iterator[Problem]:
    """Each employability outcome should be at most people benefiting."""
    if ctx.ret.impact_on_person is None:
        return
    benefiting = ("/outputs/people_benefiting", count(ctx.ret.outputs.people_benefiting))
    cells = breakdown("/impact_on_person/employability", ctx.ret.impact_on_person.employability)
    for cell in cells:
        if cell[1] is not None and exceeds(ctx, cell, benefiting):
            yield (cell[0], "More people achieved this outcome than benefited from the scheme.")


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
    if system is not None and system.window_before_months != system.window_after_months:
        yield (
            "/impact_on_system/window_after_months",
            f"Service use is compared over {system.window_before_months} months before "
            f"referral but {system.window_after_months} months after; use windows of the same "
            "length.",
        )


_MORALE = "/impact_on_system/staff_morale"
_MORALE_PARTS = ("improved", "no_change", "worse")


def _morale(
    ctx: RuleContext,
) -> tuple[list[tuple[str, int | None]], tuple[str, int | None]] | None:
    """The staff morale answers and the respondents, or ``None`` without a survey."""
    system = ctx.ret.impact_on_system
    if system is None or system.staff_morale is None:
        return None
    morale = system.staff_morale
    parts = [(f"{_MORALE}/{n}", count(getattr(morale, n))) for n in _MORALE_PARTS]
    return parts, (f"{_MORALE}/respondents", count(morale.respondents))


@rule(
    "SPC-R036",
    Severity.ERROR,
    section=SECTION,
    title="Staff morale answers outnumber respondents",
    rationale=(
        "Each respondent to the staff survey answers improved, no change or worse once, so "
        "the answers cannot add up to more than the respondents: an error."
    ),
    source="nhse-cof-2018, impact on the health and care system (staff morale survey)",
    fails="34 respondents: 21 improved, 11 no change, 5 worse.",
    passes="34 respondents: 21 improved, 11 no change, 2 worse.",
)
def morale_over(ctx: RuleContext) -> Iterator[Problem]:
    """The morale answers must not add up to more than the respondents."""
    survey = _morale(ctx)
    over = None if survey is None else excess(ctx, *survey)
    if over is not None:
        yield (_MORALE, f"The morale answers add up to {over:,} more than the respondents.")


@rule(
    "SPC-R037",
    Severity.WARNING,
    section=SECTION,
    title="Staff morale answers fewer than respondents",
    rationale=(
        "Every respondent should be counted as improved, no change or worse; a shortfall "
        "means some answers were left out (a warning, as a respondent may skip the question)."
    ),
    source="nhse-cof-2018, impact on the health and care system (staff morale survey)",
    fails="34 respondents: 21 improved, 11 no change, 0 worse.",
    passes="34 respondents: 21 improved, 11 no change, 2 worse.",
)
def morale_under(ctx: RuleContext) -> Iterator[Problem]:
    """The morale answers should account for every respondent."""
    survey = _morale(ctx)
    short = None if survey is None else shortfall(ctx, *survey)
    if short is not None:
        yield (_MORALE, f"The morale answers add up to {short:,} fewer than the respondents.")


_GROUPS = "/impact_on_community_groups"


@rule(
    "SPC-R038",
    Severity.ERROR,
    section=SECTION,
    title="Community group survey answers outnumber the groups",
    rationale=(
        "Only groups surveyed can respond, and each responding group answers stronger, no "
        "change or weaker once and says whether it can manage referrals and needs support, so "
        "none of these can exceed the groups that responded: an error."
    ),
    source="nhse-cof-2018, impact on community groups (short survey)",
    fails="27 groups responding: 19 stronger, 9 no change, 2 weaker.",
    passes="27 groups responding: 19 stronger, 6 no change, 2 weaker.",
)
def group_survey_over(ctx: RuleContext) -> Iterator[Problem]:
    """The community group survey counts must fit within the groups surveyed and responding."""
    survey = ctx.ret.impact_on_community_groups
    if survey is None:
        return
    responding = (f"{_GROUPS}/groups_responding", count(survey.groups_responding))
    surveyed = (f"{_GROUPS}/groups_surveyed", count(survey.groups_surveyed))
    if exceeds(ctx, responding, surveyed):
        yield (responding[0], "More groups responded to the survey than were sent it.")
    parts = [
        (f"{_GROUPS}/{n}", count(getattr(survey, n))) for n in ("stronger", "no_change", "weaker")
    ]
    over = excess(ctx, parts, responding)
    if over is not None:
        yield (
            _GROUPS,
            f"The groups reporting stronger, no change or weaker add up to {over:,} more than "
            "the groups that responded.",
        )
    for name in ("able_to_manage_referrals", "need_support_to_be_sustainable"):
        cell = (f"{_GROUPS}/{name}", count(getattr(survey, name)))
        if cell[1] is not None and exceeds(ctx, cell, responding):
            yield (cell[0], "More groups gave this answer than responded to the survey.")


#: The rules of this module, in catalogue order.
RULES: tuple[Rule, ...] = (
    follow_up_over_baseline,
    improved_over_follow_up,
    mean_out_of_range,
    unknown_score,
    unknown_value_set,
    mean_of_nobody,
    employability_over_benefiting,
    unequal_windows,
    morale_over,
    morale_under,
    group_survey_over,
)
