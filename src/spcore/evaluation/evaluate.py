"""``evaluate``: the impact figures of a case extract, from the Python API.

    result = spcore.evaluation.evaluate("cases.ndjson", quarter="2025-26 Q2", by=["age-band"])
    result.to_dict()          # the versioned JSON document (schema: evaluation.schema.json)
    result.frame("outcomes")  # a tidy pandas DataFrame (needs spcore[report])

Each part is a module of its own: who is evaluated (:mod:`.cohort`), paired
outcomes and progress (:mod:`.outcomes`), the statistics (:mod:`.stats`),
the JSON document and small-number suppression (:mod:`.document`,
:mod:`.disclosure`), tidy tables (:mod:`.tables`) and the HTML report
(:mod:`.report_html`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from spcore.aggregation.columns import CaseColumns, read_columns
from spcore.aggregation.intake import Offered
from spcore.aggregation.suppression import SuppressionRule
from spcore.evaluation import codes
from spcore.evaluation.cohort import BREAKDOWNS, Intake, Period, cells, select
from spcore.evaluation.costs import UnitCosts, missing_costs, read_unit_costs
from spcore.evaluation.outcomes import (
    OutcomeFigure,
    ProgressFigure,
    outcome_figures,
    pair_measures,
    progress_figures,
)
from spcore.evaluation.service_use import ServiceFigure, service_figures
from spcore.evaluation.sroi import Assumptions, Outcome, calculate, read_sroi
from spcore.findings import Finding
from spcore.framework import enums
from spcore.framework.periods import FinancialQuarter, QuarterError

if TYPE_CHECKING:
    import pandas as pd

#: Confidence level of every interval.
CONFIDENCE = 0.95


class EvaluationError(ValueError):
    """An evaluation that cannot be run as asked (a bad period or breakdown).

    Attributes:
        code: the finding code (``SPC-V005``, ``SPC-V006``).
    """

    def __init__(self, code: str, message: str) -> None:
        """Keep the finding code beside the message."""
        super().__init__(f"{code}: {message}")
        self.code = code


def _day(text: str | dt.date | None, what: str) -> dt.date | None:
    if text is None or isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise EvaluationError(
            codes.BAD_PERIOD, f"{what} '{text[:40]}' is not a date; write it as YYYY-MM-DD"
        ) from None


def period_of(
    quarter: str | FinancialQuarter | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
) -> Period:
    """The referral period: a financial quarter, or dates from ``start`` to ``end`` (inclusive).

    Raises:
        EvaluationError: a quarter and dates together, a bad date or quarter, or an end
            before the start (``SPC-V005``).
    """
    if quarter is not None and (start is not None or end is not None):
        raise EvaluationError(codes.BAD_PERIOD, "give a quarter or dates, not both")
    if quarter is not None:
        try:
            q = (
                quarter
                if isinstance(quarter, FinancialQuarter)
                else FinancialQuarter.parse(quarter)
            )
        except QuarterError as exc:
            raise EvaluationError(codes.BAD_PERIOD, str(exc)) from None
        return Period(q.start, q.end, f"referred in {q}")
    first, last = _day(start, "the start date"), _day(end, "the end date")
    if first is not None and last is not None and last < first:
        raise EvaluationError(
            codes.BAD_PERIOD, f"the period ends ({last}) before it starts ({first})"
        )
    if first is None and last is None:
        return Period()
    label = f"referred {'from ' + str(first) if first else ''}{' ' if first and last else ''}"
    label += f"to {last}" if last else "onwards"
    return Period(first, last, label.strip())


@attrs.frozen
class Evaluation:
    """Everything an evaluation found; turn it into the JSON document with :meth:`to_dict`.

    Attributes:
        source: what was evaluated (a file name, or ``records``).
        period: the referral period.
        by: the breakdown fields.
        intake: who was evaluated and who was left out, with findings.
        cells: (field, value) of each cell, the total first.
        outcomes: paired change per instrument score.
        progress: Rotherham-style progress per instrument with eight measures.
        service_use: use of each service before and after, per window length.
        suppress: the small-number rule applied to every published count, or None.
        findings: every finding, about records and about the input files.
        confidence: the confidence level of the intervals.
        unit_costs: the unit costs used, or None.
        sroi: the social return on investment worked out, or None.
        input_findings: the findings about the unit-cost, price index and SROI files.
    """

    source: str
    period: Period
    by: tuple[str, ...]
    intake: Intake
    cells: tuple[tuple[str, str], ...]
    outcomes: tuple[OutcomeFigure, ...]
    progress: tuple[ProgressFigure, ...]
    suppress: SuppressionRule | None
    findings: tuple[Finding, ...]
    confidence: float = CONFIDENCE
    service_use: tuple[ServiceFigure, ...] = ()
    unit_costs: UnitCosts | None = None
    sroi: dict[str, Any] | None = None
    input_findings: tuple[Finding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The versioned JSON document, small numbers suppressed when ``suppress`` is set."""
        from spcore.evaluation.document import build_document

        return build_document(self)

    def tables(self) -> list[dict[str, Any]]:
        """Tidy long rows, one per figure and cell (see :mod:`spcore.evaluation.tables`)."""
        from spcore.evaluation.tables import long_rows

        return long_rows(self.to_dict())

    def frame(self, section: str | None = None) -> pd.DataFrame:
        """The tidy rows as a pandas DataFrame, optionally of one section (``outcomes``...)."""
        from spcore.evaluation.tables import frame

        return frame(self.to_dict(), section)


Cases = str | Path | CaseColumns | Iterable[Offered]


def _columns(cases: Cases) -> tuple[CaseColumns, str]:
    if isinstance(cases, CaseColumns):
        return cases, "columns"
    if isinstance(cases, (str, Path)):
        return read_columns(cases), Path(cases).name
    return CaseColumns.from_items(cases), "records"


def evaluate(
    cases: Cases,
    *,
    quarter: str | FinancialQuarter | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    by: Sequence[str] = (),
    unit_costs: str | Path | UnitCosts | None = None,
    price_year: str | None = None,
    price_index: str | Path | None = None,
    sroi: str | Path | Assumptions | None = None,
    suppress: SuppressionRule | None = None,
    confidence: float = CONFIDENCE,
) -> Evaluation:
    """Evaluate a case extract: outcomes, progress, service use, costs and SROI, per cell.

    Args:
        cases: an extract file (NDJSON or CSV, plain or ``.gz``), columns from
            :func:`spcore.aggregation.read_columns`, or case records (models or JSON data).
        quarter: evaluate the people referred in this NHS financial quarter.
        start, end: or those referred between these dates (inclusive; either may be open).
        by: breakdown fields (:data:`~spcore.evaluation.cohort.BREAKDOWNS`); an extract of
            several schemes is always broken down by scheme too.
        unit_costs: a unit-cost file (:mod:`spcore.evaluation.costs`) or costs read already.
        price_year, price_index: bring every unit cost to ``price_year`` with the index file.
        sroi: an SROI file (:mod:`spcore.evaluation.sroi`) or assumptions read already.
        suppress: a small-number rule for every published count (``SuppressionRule()``
            is NHS Digital's 1-7 withheld, rounded to 5).
        confidence: the confidence level of the intervals (0.95).

    Returns:
        An :class:`Evaluation`. Problems with the unit-cost, index or SROI files are in its
        ``input_findings`` (and the costs or SROI are left out), never raised.

    Raises:
        EvaluationError: a bad period or an unknown breakdown field.
    """
    period = period_of(quarter, start, end)
    unknown = [field for field in by if field not in BREAKDOWNS]
    if unknown:
        raise EvaluationError(
            codes.BAD_BREAKDOWN,
            f"cannot break down by '{unknown[0]}'; use one of {', '.join(BREAKDOWNS)}",
        )
    if not 0.5 <= confidence < 1:
        raise ValueError("confidence must be at least 0.5 and below 1")
    inputs: list[Finding] = []
    costs = _unit_costs(unit_costs, price_year, price_index, inputs)
    assumptions = _assumptions(sroi, inputs)
    columns, source = _columns(cases)
    intake = select(columns, period)
    fields = list(dict.fromkeys(by))
    if len(set(columns.scheme[intake.rows].tolist())) > 1 and "scheme" not in fields:
        fields.insert(0, "scheme")
    breakdown = cells(columns, intake.rows, fields)
    pairs = pair_measures(columns, intake.rows)
    comparison = intake.comparison_rows
    services = service_figures(
        columns,
        intake.rows,
        breakdown,
        comparison if len(comparison) else None,
        cells(columns, comparison, fields) if len(comparison) else None,
        unit_costs=costs,
        confidence=confidence,
    )
    if costs is not None:
        inputs.extend(missing_costs(costs, {f.service for f in services}, costs.file))
    outcomes = outcome_figures(pairs, breakdown, confidence=confidence)
    progress = progress_figures(pairs, breakdown)
    file_findings = [f for row in columns.problems.values() for f in row] if not intake.read else []
    sroi_result = None
    if assumptions is not None:
        resolve = _Quantities(outcomes, progress, services, costs)
        sroi_result, more = calculate(assumptions, resolve.quantity, resolve.proxy)
        inputs.extend(more)
    return Evaluation(
        source=source,
        period=period,
        by=tuple(fields),
        intake=intake,
        cells=breakdown.labels,
        outcomes=outcomes,
        progress=progress,
        suppress=suppress,
        findings=(*file_findings, *intake.findings),
        confidence=confidence,
        service_use=services,
        unit_costs=costs,
        sroi=sroi_result,
        input_findings=tuple(inputs),
    )


def _unit_costs(
    given: str | Path | UnitCosts | None,
    price_year: str | None,
    index: str | Path | None,
    findings: list[Finding],
) -> UnitCosts | None:
    if given is None or isinstance(given, UnitCosts):
        return given
    services = [m.value for m in enums.Service]
    costs, found = read_unit_costs(given, price_year=price_year, index=index, services=services)
    findings.extend(found)
    return costs


def _assumptions(
    given: str | Path | Assumptions | None, findings: list[Finding]
) -> Assumptions | None:
    if given is None or isinstance(given, Assumptions):
        return given
    assumptions, found = read_sroi(given)
    findings.extend(found)
    return assumptions


@attrs.frozen
class _Quantities:
    """Finds an SROI outcome's quantity among the figures, and its proxy among the costs."""

    outcomes: tuple[OutcomeFigure, ...]
    progress: tuple[ProgressFigure, ...]
    services: tuple[ServiceFigure, ...]
    costs: UnitCosts | None

    def quantity(self, outcome: Outcome) -> float | str:
        spec = outcome.quantity
        if not isinstance(spec, dict):
            return float(spec)
        count = spec["count"]
        if "instrument" in spec:
            score = spec.get("score", "score")
            for figure in self.outcomes:
                if figure.instrument == spec["instrument"] and figure.score == score:
                    value = getattr(figure.cells[0], count)
                    if value is None:
                        return f"{figure.instrument} has no meaningful-change threshold for {count}"
                    return float(value)
            return f"no {spec['instrument']} {score} scores were paired in the extract"
        if "progress" in spec:
            for found in self.progress:
                if found.instrument == spec["progress"]:
                    return float(getattr(found.cells[0], count))
            return f"no {spec['progress']} measures were paired in the extract"
        months = spec.get("months")
        matches = [
            f for f in self.services
            if f.service == spec["service"] and (months is None or f.months == months)
        ]  # fmt: skip
        if len(matches) != 1:
            what = "no" if not matches else "several window lengths of"
            return f"the extract has {what} {spec['service']} use (give months: to choose)"
        cell = matches[0].cells[0]
        if count == "reduction":
            return float(cell.total_before - cell.total_after)
        if cell.did is None:
            return (
                "a reduction against the comparison cohort needs comparison people in the extract"
            )
        return float(-cell.did * cell.n_paired)

    def proxy(self, outcome: Outcome) -> float | str:
        if outcome.proxy is not None:
            return outcome.proxy
        service = outcome.proxy_unit_cost
        if self.costs is None:
            return f"the proxy is the unit cost of {service}, so it needs --unit-costs"
        cost = self.costs.costs.get(str(service))
        if cost is None:
            return f"the unit-cost file has no cost for {service}"
        return cost.adjusted
