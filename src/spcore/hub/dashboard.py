"""The figures of the dashboard: submission status, Phase 1 outputs, impact, comparisons.

Everything is computed from the version in force of each scheme and quarter
(the newest accepted version). Which figures are combined how is held as data
(:data:`OUTPUTS`, :data:`SYSTEM_FIGURES`, :data:`COMMUNITY_FIGURES`): a count
is summed, a duration per person is averaged weighted by the people it is
about, salaries give the lowest and highest.

Public figures pass the small-number rule of
:mod:`spcore.aggregation.suppression` (NHS Digital: counts of people from 1
to 7 withheld, the rest rounded to the nearest 5); counts that are not about
people (staff, money, groups) are published as they are, as that guidance
allows. A return may itself have withheld a count (``null``); a total over
schemes then leaves that scheme out and says so.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from spcore.aggregation.suppression import DEFAULT_RULE, SuppressionRule
from spcore.framework.periods import FinancialQuarter, QuarterError
from spcore.hub.models import Attempt, Organisation, Outcome, ReturnVersion


class Combine(enum.StrEnum):
    """How one scheme's figures add up to a figure over schemes."""

    SUM = "sum"
    #: A mean per person, weighted by the people it is over (``weight`` pointer).
    WEIGHTED_MEAN = "weighted-mean"
    MIN = "min"
    MAX = "max"


@attrs.frozen
class FigureSpec:
    """One figure of the dashboard, as data.

    Attributes:
        key: a stable name (used in open data and the API).
        pointer: where the figure is in a return.
        title: what it is called, with its Phase 1 output number.
        combine: how schemes' values combine.
        people: True when it counts people, so the small-number rule applies.
        unit: the canonical unit of a quantity (a quantity's ``value`` is converted).
        weight: for a weighted mean, the pointer of the count it is weighted by.
    """

    key: str
    pointer: str
    title: str
    combine: Combine = Combine.SUM
    people: bool = True
    unit: str | None = None
    weight: str | None = None


#: The eleven Phase 1 outputs (nhse-cof-2018, 'Outputs'), as figures over schemes.
OUTPUTS: tuple[FigureSpec, ...] = (
    FigureSpec("people_referred", "/outputs/people_referred", "Output 1: people referred"),
    FigureSpec(
        "people_benefiting", "/outputs/people_benefiting", "Output 1: people directly benefiting"
    ),
    FigureSpec(
        "people_rejecting_referral",
        "/outputs/people_rejecting_referral",
        "Output 1: people rejecting a referral",
    ),
    FigureSpec(
        "community_groups",
        "/outputs/community_groups/count",
        "Output 5: community groups referred to",
        people=False,
    ),
    FigureSpec(
        "support_plans_coproduced",
        "/outputs/support_plans_coproduced",
        "Output 6: support plans co-produced",
    ),
    FigureSpec(
        "link_workers",
        "/outputs/link_workers/headcount",
        "Output 7: link workers (headcount)",
        people=False,
    ),
    FigureSpec(
        "link_worker_fte",
        "/outputs/link_workers/fte",
        "Output 7: link workers (full-time equivalent)",
        people=False,
        unit="FTE",
    ),
    FigureSpec(
        "lowest_salary",
        "/outputs/link_worker_salaries/lowest_annual",
        "Output 8: lowest link worker salary (GBP a year)",
        Combine.MIN,
        people=False,
        unit="GBP",
    ),
    FigureSpec(
        "highest_salary",
        "/outputs/link_worker_salaries/highest_annual",
        "Output 8: highest link worker salary (GBP a year)",
        Combine.MAX,
        people=False,
        unit="GBP",
    ),
    FigureSpec("volunteers", "/outputs/volunteers/count", "Output 9: volunteers", people=False),
    FigureSpec(
        "average_minutes_per_person",
        "/outputs/average_time_per_person",
        "Output 10: average time with each person (minutes)",
        Combine.WEIGHTED_MEAN,
        people=False,
        unit="minute",
        weight="/outputs/people_benefiting",
    ),
    FigureSpec(
        "total_investment",
        "/outputs/total_investment/amount",
        "Output 11: total investment (GBP)",
        people=False,
        unit="GBP",
    ),
)

#: The breakdowns of Phase 1 outputs 2 to 4, summed category by category.
BREAKDOWNS: tuple[tuple[str, str], ...] = (
    ("/outputs/referred_by_age_band", "Output 2: people referred by age band"),
    ("/outputs/referred_by_criterion", "Output 3: people referred by referral criterion"),
    ("/outputs/referred_by_referrer_type", "Output 4: people referred by referrer"),
)

#: Impact on the health and care system (nhse-cof-2018): before and after, summed.
SYSTEM_FIGURES: tuple[FigureSpec, ...] = tuple(
    FigureSpec(f"{name}_{when}", f"/impact_on_system/{name}/{when}", f"{title}, {when}")
    for name, title in (
        ("gp_consultations", "GP consultations"),
        ("ae_attendances", "A&E attendances"),
        ("hospital_bed_days", "Hospital bed days"),
    )
    for when in ("before", "after")
) + tuple(
    FigureSpec(
        f"staff_morale_{group}_{key}",
        f"/impact_on_system/staff_morale/{group}/{key}",
        f"Staff morale survey, {staff}: {title}",
    )
    for group, staff in (
        ("general_practice", "general practice"),
        ("other_referral_agencies", "other referral agencies"),
    )
    for key, title in (
        ("respondents", "respondents"),
        ("improved", "improved"),
        ("no_change", "no change"),
        ("worse", "worse"),
    )
)

#: Impact on community groups (nhse-cof-2018 survey of groups): counts of groups, summed.
COMMUNITY_FIGURES: tuple[FigureSpec, ...] = tuple(
    FigureSpec(f"groups_{key}", f"/impact_on_community_groups/{key}", title, people=False)
    for key, title in (
        ("surveyed", "Groups surveyed"),
        ("responding", "Groups responding"),
        ("stronger", "Groups reporting they are stronger"),
        ("no_change", "Groups reporting no change"),
        ("weaker", "Groups reporting they are weaker"),
        ("able_to_manage_referrals", "Groups able to manage referrals"),
        ("need_support_to_be_sustainable", "Groups needing support to be sustainable"),
    )
)


_ABSENT = object()


@functools.cache
def _tokens(pointer: str) -> tuple[str, ...]:
    """A JSON Pointer's reference tokens, unescaped (worked out once per pointer)."""
    return tuple(t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:])


def _at(document: Mapping[str, Any], pointer: str) -> Any:
    """The value at ``pointer``, or ``_ABSENT`` (the dashboard reads thousands per page)."""
    node: Any = document
    for token in _tokens(pointer):
        if isinstance(node, dict):  # parsed JSON: a plain dict (cheaper to test than Mapping)
            node = node.get(token, _ABSENT)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return _ABSENT
        if node is _ABSENT:
            return _ABSENT
    return node


def figure_value(document: Mapping[str, Any], pointer: str, unit: str | None) -> float | None:
    """The figure at a pointer as a number in canonical units; None when absent or withheld."""
    value = _at(document, pointer)
    if isinstance(value, dict) and "value" in value:
        return _canonical(value, unit)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


#: Conversions to each canonical unit this module needs (the units the schema allows).
_TO_CANONICAL: dict[str, dict[str, float]] = {
    "minute": {"minute": 1.0, "hour": 60.0, "day": 1440.0},
    "FTE": {"FTE": 1.0},
    "GBP": {"GBP": 1.0},
    "hour": {"hour": 1.0, "minute": 1 / 60},
}


def _canonical(quantity: Mapping[str, Any], unit: str | None) -> float | None:
    value = quantity.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if unit is None:
        return float(value)
    factor = _TO_CANONICAL.get(unit, {}).get(str(quantity.get("unit")))
    return None if factor is None else float(value) * factor


@attrs.frozen
class Figure:
    """A figure over schemes.

    Attributes:
        spec: what it is.
        value: the combined value (None when no scheme gives it, or withheld).
        schemes: how many schemes gave it.
        left_out: schemes whose return withheld it (left out of the total).
        withheld: True when the small-number rule withheld it.
    """

    spec: FigureSpec
    value: float | None
    schemes: int
    left_out: int = 0
    withheld: bool = False


def combine(spec: FigureSpec, documents: Sequence[Mapping[str, Any]]) -> Figure:
    """One figure over the given returns (unsuppressed)."""
    pairs: list[tuple[float, float]] = []
    left_out = 0
    for document in documents:
        value = figure_value(document, spec.pointer, spec.unit)
        if value is None:
            # A null is a figure the return withheld; an absent one is nothing.
            left_out += int(_at(document, spec.pointer) is None)
            continue
        weight = figure_value(document, spec.weight, None) if spec.weight else 1.0
        pairs.append((value, weight if weight is not None else 0.0))
    if not pairs:
        return Figure(spec, None, 0, left_out)
    values = [v for v, _ in pairs]
    total: float | None
    if spec.combine is Combine.SUM:
        total = math.fsum(values)
    elif spec.combine is Combine.MIN:
        total = min(values)
    elif spec.combine is Combine.MAX:
        total = max(values)
    else:
        weights = math.fsum(w for _, w in pairs)
        total = math.fsum(v * w for v, w in pairs) / weights if weights else None
    return Figure(spec, total, len(pairs), left_out)


def publish(figure: Figure, rule: SuppressionRule = DEFAULT_RULE) -> Figure:
    """The figure as it may be published: counts of people through the small-number rule."""
    if not figure.spec.people or figure.value is None:
        return figure
    count = round(figure.value)
    if rule.withholds(count):
        return attrs.evolve(figure, value=None, withheld=True)
    return attrs.evolve(figure, value=float(rule.round(count)))


def publish_count(count: int | None, rule: SuppressionRule = DEFAULT_RULE) -> int | None:
    """A count of people as it may be published (None: withheld or unknown)."""
    if count is None or rule.withholds(count):
        return None
    return rule.round(count)


def breakdown(pointer: str, documents: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """A breakdown summed category by category over the returns (withheld cells left out)."""
    totals: dict[str, int] = defaultdict(int)
    for document in documents:
        cells = _at(document, pointer)
        if not isinstance(cells, dict):
            continue
        for code, value in cells.items():
            if isinstance(value, int) and not isinstance(value, bool):
                totals[code] += value
    return dict(sorted(totals.items()))


@attrs.frozen
class PooledInstrument:
    """One outcome instrument pooled over schemes.

    Means are weighted by the people paired (with a baseline and a follow-up)
    in each scheme, so a scheme counts in proportion to its people. Answers
    counted by category are summed category by category.
    """

    instrument: str
    score: str
    schemes: int
    people_with_baseline: int
    people_with_follow_up: int
    people_improved: int
    mean_baseline: float | None
    mean_follow_up: float | None
    categories: dict[str, int] = attrs.field(factory=dict)

    def published(self, rule: SuppressionRule = DEFAULT_RULE) -> PooledInstrument:
        """As published: counts through the rule; means withheld with the paired count."""
        paired = publish_count(self.people_with_follow_up, rule)
        return PooledInstrument(
            self.instrument,
            self.score,
            self.schemes,
            publish_count(self.people_with_baseline, rule) or 0,
            paired or 0,
            publish_count(self.people_improved, rule) or 0,
            self.mean_baseline if paired else None,
            self.mean_follow_up if paired else None,
            {k: publish_count(v, rule) or 0 for k, v in self.categories.items()},
        )


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def pool_instruments(documents: Sequence[Mapping[str, Any]]) -> list[PooledInstrument]:
    """Impact on the person pooled across schemes, one entry per instrument and score."""
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for document in documents:
        impact = document.get("impact_on_person") or {}
        for item in impact.get("instruments") or ():
            if isinstance(item, dict):
                groups[str(item.get("instrument")), str(item.get("score", ""))].append(item)
    pooled = []
    for (instrument, score), items in sorted(groups.items()):
        weights = [(_int(i.get("people_with_follow_up")) or 0, i) for i in items]

        def mean(key: str, weights: list[tuple[int, Mapping[str, Any]]] = weights) -> float | None:
            used = [
                (w, float(i[key]))
                for w, i in weights
                if w and isinstance(i.get(key), int | float) and not isinstance(i.get(key), bool)
            ]
            total = sum(w for w, _ in used)
            return math.fsum(w * v for w, v in used) / total if total else None

        categories: dict[str, int] = defaultdict(int)
        for item in items:
            for key, value in item.items():
                if isinstance(value, dict):  # answers counted by category
                    for code, count in value.items():
                        if _int(count) is not None:
                            categories[f"{key}: {code}"] += count
        pooled.append(
            PooledInstrument(
                instrument,
                score,
                len(items),
                sum(_int(i.get("people_with_baseline")) or 0 for i in items),
                sum(w for w, _ in weights),
                sum(_int(i.get("people_improved")) or 0 for i in items),
                mean("mean_baseline"),
                mean("mean_follow_up"),
                dict(sorted(categories.items())),
            )
        )
    return pooled


# ---------------------------------------------------------------- submission status


class Status(enum.StrEnum):
    """A scheme's return for a quarter, as the status grid shows it."""

    ON_TIME = "on time"
    LATE = "late"
    MISSING = "missing"
    REFUSED = "refused"
    NOT_DUE = "not yet due"


def due_date(quarter: FinancialQuarter, due_days: int) -> dt.date:
    """The day a quarter's return is due by."""
    return quarter.end + dt.timedelta(days=due_days)


@attrs.frozen
class Cell:
    """One scheme and quarter of the status grid."""

    status: Status
    version: int | None = None
    refused: int = 0
    first_accepted: dt.datetime | None = None


@attrs.frozen
class StatusGrid:
    """Schemes × quarters: the submission status of each return."""

    quarters: tuple[str, ...]
    schemes: tuple[Organisation, ...]
    cells: Mapping[tuple[str, str], Cell]

    def cell(self, scheme: str, quarter: str) -> Cell:
        """The cell of a scheme and quarter."""
        return self.cells[scheme, quarter]

    def counts(self, quarter: str) -> dict[Status, int]:
        """How many schemes are in each status for a quarter."""
        counts = dict.fromkeys(Status, 0)
        for scheme in self.schemes:
            counts[self.cells[scheme.code, quarter].status] += 1
        return counts


def quarters_shown(periods: Iterable[str], today: dt.date, limit: int) -> tuple[str, ...]:
    """The quarters from the earliest with data to the latest that has ended, newest ``limit``."""
    parsed = []
    for period in periods:
        try:
            parsed.append(FinancialQuarter.parse(period))
        except QuarterError:
            continue
    last = FinancialQuarter.from_date(today).previous()
    if not parsed:
        first = last
    else:
        first = min(parsed)
        last = max(last, max(parsed))
    count = min((last - first) + 1, limit)
    return tuple(str(last + (i - count + 1)) for i in range(count))


def status_grid(
    session: Session,
    schemes: Sequence[Organisation],
    today: dt.date,
    due_days: int,
    limit: int,
) -> StatusGrid:
    """The status grid of ``schemes`` (those the viewer may see)."""
    codes = [s.code for s in schemes]
    accepted = session.execute(
        select(
            ReturnVersion.scheme_code,
            ReturnVersion.period,
            func.max(ReturnVersion.version),
            func.min(ReturnVersion.submitted_at),
        )
        .where(ReturnVersion.scheme_code.in_(codes))
        .group_by(ReturnVersion.scheme_code, ReturnVersion.period)
    ).all()
    refused = session.execute(
        select(Attempt.scheme_code, Attempt.period, func.count())
        .where(Attempt.scheme_code.in_(codes), Attempt.outcome == Outcome.REFUSED)
        .group_by(Attempt.scheme_code, Attempt.period)
    ).all()
    periods = {p for _, p, *_ in accepted} | {p for _, p, _ in refused if p}
    quarters = quarters_shown(periods, today, limit)
    refused_counts = {(s, p): n for s, p, n in refused}
    versions = {(s, p): (v, first) for s, p, v, first in accepted}
    cells: dict[tuple[str, str], Cell] = {}
    for code in codes:
        for quarter in quarters:
            n_refused = refused_counts.get((code, quarter), 0)
            due = due_date(FinancialQuarter.parse(quarter), due_days)
            if (code, quarter) in versions:
                version, first = versions[code, quarter]
                first_day = _as_utc(first).date()
                status = Status.ON_TIME if first_day <= due else Status.LATE
                cells[code, quarter] = Cell(status, version, n_refused, first)
            elif n_refused:
                cells[code, quarter] = Cell(Status.REFUSED, None, n_refused)
            else:
                cells[code, quarter] = Cell(Status.MISSING if today > due else Status.NOT_DUE)
    return StatusGrid(quarters, tuple(schemes), cells)


def _as_utc(moment: dt.datetime) -> dt.datetime:
    # SQLite gives back naive datetimes; every time the hub stores is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


# ---------------------------------------------------------------- in-force returns


def in_force_rows(
    session: Session, scheme_codes: Sequence[str]
) -> list[tuple[str, str, int, dict[str, Any]]]:
    """(scheme, quarter, version, document) in force for the given schemes, in that order."""
    newest = (
        select(
            ReturnVersion.scheme_code,
            ReturnVersion.period,
            func.max(ReturnVersion.version).label("v"),
        )
        .where(ReturnVersion.scheme_code.in_(scheme_codes))
        .group_by(ReturnVersion.scheme_code, ReturnVersion.period)
        .subquery()
    )
    rows = session.execute(
        select(
            ReturnVersion.scheme_code,
            ReturnVersion.period,
            ReturnVersion.version,
            ReturnVersion.document,
        ).join(
            newest,
            (ReturnVersion.scheme_code == newest.c.scheme_code)
            & (ReturnVersion.period == newest.c.period)
            & (ReturnVersion.version == newest.c.v),
        )
    ).all()
    return sorted(
        ((s, p, v, d) for s, p, v, d in rows),
        key=lambda row: (FinancialQuarter.parse(row[1]), row[0]),
    )


def in_force_documents(
    session: Session, scheme_codes: Sequence[str]
) -> dict[str, dict[str, dict[str, Any]]]:
    """quarter -> scheme -> the document in force, for the given schemes."""
    out: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for scheme, period, _, document in in_force_rows(session, scheme_codes):
        out[period][scheme] = document
    return dict(out)


# ---------------------------------------------------------------- comparisons


@attrs.frozen
class FunnelPoint:
    """One scheme on the funnel plot of people benefiting per FTE link worker."""

    scheme: str
    fte: float
    people: float

    @property
    def rate(self) -> float:
        """People benefiting per FTE link worker."""
        return self.people / self.fte


def funnel_points(documents: Mapping[str, Mapping[str, Any]], *, public: bool) -> list[FunnelPoint]:
    """Each scheme's people benefiting and FTE link workers (public: through the rule)."""
    points = []
    for scheme, document in sorted(documents.items()):
        fte = figure_value(document, "/outputs/link_workers/fte", "FTE")
        people = figure_value(document, "/outputs/people_benefiting", None)
        if public and people is not None:
            shown = publish_count(round(people))
            people = float(shown) if shown is not None else None
        if fte and fte > 0 and people is not None:
            points.append(FunnelPoint(scheme, fte, people))
    return points


#: z for the funnel's control limits at 95% and 99.8%, the two Spiegelhalter
#: recommends (Spiegelhalter DJ, 'Funnel plots for comparing institutional
#: performance', Statistics in Medicine 2005;24:1185-1202, section 3).
FUNNEL_Z: tuple[float, ...] = (1.96, 3.09)


def funnel_limits(points: Sequence[FunnelPoint], fte: float) -> dict[float, tuple[float, float]]:
    """The funnel's limits at ``fte``: the pooled rate ± z·√(rate / FTE) (a Poisson count)."""
    total_fte = math.fsum(p.fte for p in points)
    if not total_fte:
        return {}
    rate = math.fsum(p.people for p in points) / total_fte
    spread = math.sqrt(rate / fte)
    return {z: (max(0.0, rate - z * spread), rate + z * spread) for z in FUNNEL_Z}


def pooled_rate(points: Sequence[FunnelPoint]) -> float | None:
    """People benefiting per FTE link worker over all the schemes plotted."""
    total_fte = math.fsum(p.fte for p in points)
    return math.fsum(p.people for p in points) / total_fte if total_fte else None
