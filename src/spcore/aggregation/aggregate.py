"""From case records to a quarterly return: :func:`aggregate`.

The records are added up into :class:`~spcore.aggregation.figures.Figures`:
from :class:`~spcore.aggregation.columns.CaseColumns` with NumPy
(:mod:`spcore.aggregation.columnar`), or read once, in order, by a
:class:`~spcore.aggregation.tally.Tally` (the reference). The figures case
records cannot give (scheme identity, link workers, salaries, volunteers, investment) are
merged from a :class:`~spcore.aggregation.facts.SchemeFacts`; optionally a
suppression rule is applied; the return is then validated like any other.

A record that cannot be used is never dropped silently: it is counted and
reported with a finding, and the rest still add up.
"""

from __future__ import annotations

import collections
import contextlib
import functools
from collections.abc import Callable, Generator, Iterable, Mapping
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import attrs
import numpy as np

from spcore._version import STANDARD_VERSION
from spcore.aggregation import columnar, suppression
from spcore.aggregation.columns import RECORD, CaseColumns
from spcore.aggregation.facts import FACT_POINTERS, SchemeFacts
from spcore.aggregation.figures import (
    SYSTEM_SERVICES,
    Figures,
    improvement_rule,
    measure_order,
)
from spcore.aggregation.intake import MAX_RECORD_FINDINGS, Offered, RecordIntake
from spcore.aggregation.suppression import DEFAULT_RULE, SuppressionRule
from spcore.aggregation.tally import Tally
from spcore.cases.chunks import default_workers
from spcore.findings import Finding, error, pointer, warning
from spcore.framework.periods import FinancialQuarter
from spcore.framework.quarterly_return import Phase1Outputs, QuarterlyReturn
from spcore.rag import DateRange
from spcore.validation.report import ValidationReport
from spcore.validation.returns import parse_return, validate_return

AGGREGATION_CODES: dict[str, str] = {
    "SPC-A001": "A case record could not be read or is invalid; it is left out of the return.",
    "SPC-A002": "A case identifier appears twice; the repeat is left out.",
    "SPC-A003": "A case record belongs to another scheme; it is left out.",
    "SPC-A004": "A case is closed before it was referred; it is left out.",
    "SPC-A010": "The scheme-facts file is not valid YAML.",
    "SPC-A020": "A figure the return requires comes neither from the cases nor from the facts.",
    "SPC-A021": "Some contacts in the quarter have no duration, so the average time leaves "
    "them out.",
    "SPC-A022": "An instrument score spcore does not know: people improved cannot be counted.",
    "SPC-A023": "The facts give a figure the case records also give; the cases' figure is used.",
    "SPC-A024": "Follow-up measures sooner than three months after the baseline are not paired "
    "with it.",
    "SPC-A025": "The cohort whose service use the case records compare is too small to publish "
    "under the suppression rule, so the comparison is left out of the return.",
}


@attrs.frozen
class AggregationResult:
    """A quarterly return built from case records, with an account of how.

    Attributes:
        document: the return as JSON data (complete or not: see ``missing``).
        quarter: the quarter reported on.
        records_read: records (and unreadable lines) offered.
        records_used: valid records of the scheme, each added into the figures.
        records_in_quarter: those of them with anything in the quarter (the rest add 0).
        records_skipped: records left out, each with a finding.
        records_other_schemes: records of other schemes, when one scheme was asked for
            (``scheme=``): not this return's, and not left out as problems.
        records_comparison: comparison people's records (``cohort`` other than
            referred): valid, held for evaluation, and never counted in the return.
        skipped_by_code: how many records were left out under each finding code
            (every one counted, also past the findings kept per code).
        derived: JSON Pointers of the sections worked out from the case records.
        from_facts: JSON Pointers of the sections taken from the scheme facts.
        missing: JSON Pointer -> why, for required sections neither could give.
        findings: skipped records (up to :data:`MAX_RECORD_FINDINGS` per code), gaps and notes.
        validation: the report of validating ``document`` as a return.
    """

    document: dict[str, Any]
    quarter: FinancialQuarter
    records_read: int
    records_used: int
    records_in_quarter: int
    records_skipped: int
    derived: tuple[str, ...]
    from_facts: tuple[str, ...]
    missing: dict[str, str]
    findings: tuple[Finding, ...]
    validation: ValidationReport
    skipped_by_code: dict[str, int] = attrs.field(factory=dict)
    records_comparison: int = 0
    records_other_schemes: int = 0

    @property
    def is_valid(self) -> bool:
        """True when the return is complete and passes validation."""
        return self.validation.is_valid

    def to_model(self) -> QuarterlyReturn | None:
        """The return as the typed model, or ``None`` when it is not valid."""
        return parse_return(self.document) if self.is_valid else None

    def report(self) -> dict[str, Any]:
        """What was derived, from facts, missing, and skipped, as JSON-ready data."""
        return {
            "quarter": str(self.quarter),
            "records_read": self.records_read,
            "records_used": self.records_used,
            "records_in_quarter": self.records_in_quarter,
            "records_skipped": self.records_skipped,
            "records_comparison": self.records_comparison,
            "records_other_schemes": self.records_other_schemes,
            "records_skipped_by_code": dict(sorted(self.skipped_by_code.items())),
            # Stated, so a reader of the findings list knows it may be shorter
            # than the totals above.
            "findings_kept_per_code": MAX_RECORD_FINDINGS,
            "derived": list(self.derived),
            "from_facts": list(self.from_facts),
            "missing": dict(self.missing),
            "findings": [f.to_dict() for f in self.findings],
            "validation": [f.to_dict() for f in self.validation.findings],
        }


def _quarter(quarter: FinancialQuarter | str) -> FinancialQuarter:
    return quarter if isinstance(quarter, FinancialQuarter) else FinancialQuarter.parse(quarter)


def _rule(suppress_with: SuppressionRule | bool | None) -> SuppressionRule | None:
    if suppress_with is True:
        return DEFAULT_RULE
    if suppress_with is None or suppress_with is False:
        return None
    return suppress_with


def aggregate(
    records: CaseColumns | Iterable[Offered],
    quarter: FinancialQuarter | str,
    facts: SchemeFacts | None = None,
    *,
    suppress: SuppressionRule | bool | None = None,
    scheme: str | None = None,
) -> AggregationResult:
    """Build the quarterly return for ``quarter`` from case records.

    ``records`` is either a :class:`~spcore.aggregation.columns.CaseColumns`
    (from :func:`~spcore.aggregation.columns.read_columns`), which is
    aggregated with NumPy and is the fast way for a large extract or for
    several quarters of one; or an iterable of :class:`CaseRecord` objects,
    the items of :func:`spcore.cases.read_extract`, or records' JSON data
    (checked like a line of an extract), added up one at a time in
    one pass, keeping only the people active in the quarter (the reference
    path; both give the same result). Unreadable items are counted and
    reported. ``facts`` supplies what cases cannot; without it the return
    lacks the scheme and outputs 7, 8, 9 and 11 and is reported incomplete.
    ``suppress`` applies small-number suppression: ``True`` for the default
    NHS Digital rule, or a :class:`SuppressionRule`. ``scheme`` builds the
    return of one scheme of a commissioner's extract: the other schemes'
    records are counted apart (``records_other_schemes``), not reported as
    left out; without it, the scheme is the facts' (or the first record's) and
    another scheme's record is left out with ``SPC-A003``. Raises
    ``spcore.framework.periods.QuarterError`` for a quarter that is not one,
    and ``ValueError`` when ``scheme`` is not the facts' scheme.
    """
    period_of = _quarter(quarter)
    period = DateRange(period_of.start, period_of.end)
    scheme_id = facts.scheme.id if facts is not None else None
    if scheme is not None and scheme_id is not None and scheme != scheme_id:
        raise ValueError(f"the facts are for scheme {scheme_id}, not {scheme}")
    only = scheme is not None
    scheme_id = scheme or scheme_id
    if isinstance(records, CaseColumns):
        taken = columnar.intake(records, period, scheme_id, only=only)
        figures = columnar.figures(records, period, taken.used)
        read, valid, skipped = taken.read, taken.valid, taken.skipped
        comparison, others = taken.comparison, taken.other_schemes
        findings = list(taken.findings)
        skipped_by_code = dict(taken.skipped_by_code)
    else:
        tally = Tally(period)
        intake = RecordIntake(scheme_id, only)
        for index, item in enumerate(records):
            record = intake.accept(index, item, period)
            if record is not None:
                tally.add(record)
        figures = tally.figures()
        read, valid, skipped = intake.read, intake.valid, intake.skipped
        comparison, others = intake.comparison, intake.other_schemes
        findings = list(intake.findings)
        skipped_by_code = {code: n for code, n in intake.skipped_by_code.items() if n}
    document, derived, from_facts, missing = _assemble(figures, period_of, facts, findings)
    rule = _rule(suppress)
    if rule is not None:
        _withhold_small_cohort(document, rule, derived, findings)
        document = suppression.suppress(document, rule)
    validation = validate_return(document)
    return AggregationResult(
        document=document,
        quarter=period_of,
        records_read=read,
        records_used=valid,
        records_in_quarter=figures.records,
        records_skipped=skipped,
        derived=tuple(derived),
        from_facts=tuple(from_facts),
        missing=missing,
        findings=tuple(findings),
        validation=validation,
        skipped_by_code=skipped_by_code,
        records_comparison=comparison,
        records_other_schemes=others,
    )


def schemes_in(records: CaseColumns) -> tuple[str, ...]:
    """The schemes of an extract's valid records, in the order first seen."""
    rows = records.scheme[records.kind == RECORD]
    numbers, first = np.unique(rows, return_index=True)
    return tuple(records.scheme_ids[int(n)] for n in numbers[np.argsort(first)])


def aggregate_by_scheme(
    records: CaseColumns | Iterable[Offered],
    quarter: FinancialQuarter | str,
    facts: Mapping[str, SchemeFacts] | None = None,
    *,
    suppress: SuppressionRule | bool | None = None,
) -> dict[str, AggregationResult]:
    """One return per scheme of a commissioner's extract: scheme id -> its result.

    Each return is :func:`aggregate` with ``scheme=`` that scheme, so it counts
    only its own records (the others are in its ``records_other_schemes``), and
    takes its facts from ``facts[scheme]`` when given. The records are read into
    columns once (:meth:`CaseColumns.from_items`) unless they are columns already.
    Records that cannot be read belong to no scheme: every return counts them.
    The schemes are aggregated side by side (:func:`aggregate_each`).
    """
    columns = records if isinstance(records, CaseColumns) else CaseColumns.from_items(records)
    given = facts or {}
    jobs = ((scheme, given.get(scheme)) for scheme in schemes_in(columns))
    with contextlib.closing(aggregate_each(columns, quarter, jobs, suppress=suppress)) as each:
        return dict(each)


def aggregate_each(
    columns: CaseColumns,
    quarter: FinancialQuarter | str,
    jobs: Iterable[tuple[str, SchemeFacts | None]],
    *,
    suppress: SuppressionRule | bool | None = None,
    threads: int | None = None,
) -> Generator[tuple[str, AggregationResult], None, None]:
    """``(scheme, aggregate(columns, quarter, facts, suppress=suppress, scheme=scheme))`` for
    each ``(scheme, facts)`` of ``jobs``, in their order, up to ``threads`` at a time.

    Each return reads every row of the columns, and NumPy lets go of Python's lock
    while it works on them, so on two processors four schemes' returns from a
    million records take about four fifths of the time they take one after another
    (``benchmarks/schemes_side_by_side.py``).
    ``threads`` defaults to one a processor (as many as reading the extract uses).
    This thread does the earliest job no other thread has started, so one job (one
    scheme) is done here alone. A job is taken only when there is a thread for it, a
    result is given only after every earlier one, and an exception is raised in its
    job's turn. Closing the iterator early waits for the jobs under way and starts
    no more.
    """
    count = default_workers() if threads is None else max(1, threads)
    taken: collections.deque[_Turn] = collections.deque()
    remaining = iter(jobs)
    pool: ThreadPoolExecutor | None = None
    try:
        while True:
            while len(taken) < count and (job := next(remaining, None)) is not None:
                scheme, facts = job
                work = functools.partial(
                    aggregate, columns, quarter, facts, suppress=suppress, scheme=scheme
                )
                future: Future[AggregationResult]
                if not taken:
                    future = Future()  # for this thread: given to no other
                else:
                    if pool is None:
                        pool = ThreadPoolExecutor(count - 1, "spcore-aggregate")
                    future = pool.submit(work)
                taken.append(_Turn(scheme, work, future))
            if not taken:
                return
            first = taken[0]
            if first.future.done():
                taken.popleft()
                yield first.scheme, first.future.result()
                continue
            for turn in taken:
                if turn.future.cancel():  # no thread has started it: done here
                    turn.future = _done_here(turn.work)
                    break
            else:
                futures.wait([first.future])
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


@attrs.define
class _Turn:
    """A job of :func:`aggregate_each`: its scheme, its work, and where its result will be."""

    scheme: str
    work: Callable[[], AggregationResult]
    future: Future[AggregationResult]


def _done_here(work: Callable[[], AggregationResult]) -> Future[AggregationResult]:
    """The work's result (or its exception, raised in its turn), worked out in this thread."""
    done: Future[AggregationResult] = Future()
    try:
        done.set_result(work())
    except Exception as exc:  # given in its turn, as a thread's would be
        done.set_exception(exc)
    return done


def _assemble(
    figures: Figures,
    quarter: FinancialQuarter,
    facts: SchemeFacts | None,
    findings: list[Finding],
) -> tuple[dict[str, Any], list[str], list[str], dict[str, str]]:
    derived_outputs = figures.outputs()
    from_facts: list[str] = []
    missing: dict[str, str] = {}
    given: dict[str, Any] = {}
    if facts is not None:
        given = facts.model_dump(mode="json", by_alias=True, exclude_none=True)
    both = "average_time_per_person" in given and "average_time_per_person" in derived_outputs
    if both and figures.contacts == 0:
        # Nobody was seen in the quarter by the cases' account, so they time nothing:
        # the 0 minutes of a quiet quarter gives way to the facts' figure.
        del derived_outputs["average_time_per_person"]
    elif both:
        del given["average_time_per_person"]
        findings.append(
            warning(
                "SPC-A023",
                "/outputs/average_time_per_person",
                "The facts give an average time per person, but the case records time their "
                "contacts; the figure worked out from the contacts is used.",
            )
        )
    if figures.untimed_contacts:
        findings.append(
            warning(
                "SPC-A021",
                "/outputs/average_time_per_person",
                f"{figures.untimed_contacts} contacts in the quarter have no duration and are left "
                "out of the average time spent with each person.",
            )
        )
    derived = [f"/outputs/{name}" for name in derived_outputs]
    document: dict[str, Any] = {"standard_version": STANDARD_VERSION}
    if "scheme" in given:
        document["scheme"] = given["scheme"]
        from_facts.append("/scheme")
    else:
        missing["/scheme"] = "the scheme's identity comes from the facts file"
    document["period"] = str(quarter)
    if "prepared_on" in given:
        document["prepared_on"] = given["prepared_on"]
        from_facts.append("/prepared_on")
    outputs: dict[str, Any] = {}
    for name, field in Phase1Outputs.model_fields.items():
        path = f"/outputs/{name}"
        if name in derived_outputs:
            outputs[name] = derived_outputs[name]
        elif name in given:
            outputs[name] = given[name]
            from_facts.append(path)
        elif field.is_required():
            missing[path] = (
                "no contact in the quarter has a duration, and the facts give no average time"
                if name == "average_time_per_person"
                else "a fact about the scheme: give it in the facts file"
            )
    document["outputs"] = outputs
    document["monitoring"] = figures.monitoring()
    derived.append("/monitoring")
    if "families_supported_without_cases" in given:
        document["monitoring"]["families_supported_without_cases"] = given[
            "families_supported_without_cases"
        ]
        from_facts.append(FACT_POINTERS["families_supported_without_cases"])
    impact = figures.impact_on_person()
    if impact is not None:
        document["impact_on_person"] = impact
        derived.append("/impact_on_person")
        findings.extend(_unknown_scores(impact))
        findings.extend(_follow_ups_too_soon(figures))
    _impact_on_system(document, figures, str(quarter), given, derived, from_facts, findings)
    for name in ("impact_on_community_groups", "notes"):
        if name in given:
            document[name] = given[name]
            from_facts.append(FACT_POINTERS[name])
    for path, why in missing.items():
        findings.append(
            error("SPC-A020", path, f"The return needs {path.rsplit('/', 1)[-1]}: {why}.")
        )
    return document, derived, from_facts, missing


#: The fields of the impact on the system that the cases' service use gives together.
SERVICE_USE_FIELDS = (
    "cohort_size",
    "cohort_description",
    "window_before_months",
    "window_after_months",
    *(name for _, name in SYSTEM_SERVICES),
)


def _impact_on_system(
    document: dict[str, Any],
    figures: Figures,
    period: str,
    given: dict[str, Any],
    derived: list[str],
    from_facts: list[str],
    findings: list[Finding],
) -> None:
    """The facts' impact on the system, with service use and social care from the cases."""
    section = dict(given.get("impact_on_system") or {})
    if section:
        from_facts.append("/impact_on_system")
    use = figures.service_use_cohort(period)
    if use is not None:
        if any(name in section for name in SERVICE_USE_FIELDS):
            findings.append(
                warning(
                    "SPC-A023",
                    "/impact_on_system/cohort_size",
                    "The facts give service use before and after referral, but the case "
                    "records record it; the figures worked out from the cases are used.",
                )
            )
        for name in SERVICE_USE_FIELDS:
            section.pop(name, None)
        # The derived fields first, in the return's order; the facts' staff morale after.
        section = {**use, **section}
        derived.extend(f"/impact_on_system/{name}" for name in SERVICE_USE_FIELDS if name in use)
    care = figures.impact_on_system()
    if care is not None:
        if "social_care_packages" in section:
            findings.append(
                warning(
                    "SPC-A023",
                    "/impact_on_system/social_care_packages",
                    "The facts give the impact on social care packages, but the case records "
                    "record it; the figures worked out from the cases are used.",
                )
            )
        section.update(care)
        derived.append("/impact_on_system/social_care_packages")
    if section:
        document["impact_on_system"] = section


def _withhold_small_cohort(
    document: dict[str, Any], rule: SuppressionRule, derived: list[str], findings: list[Finding]
) -> None:
    """Leave out a derived service-use comparison of 1 to ``threshold`` people.

    The cohort size cannot be withheld on its own (the return requires it with the
    totals), and totals over so few people could identify them.
    """
    system = document.get("impact_on_system") or {}
    people = system.get("cohort_size")
    if "/impact_on_system/cohort_size" not in derived or not isinstance(people, int):
        return
    if not 0 < people <= rule.threshold:
        return
    for name in SERVICE_USE_FIELDS:
        system.pop(name, None)
        if f"/impact_on_system/{name}" in derived:
            derived.remove(f"/impact_on_system/{name}")
    if not system:
        del document["impact_on_system"]
    findings.append(
        warning(
            "SPC-A025",
            "/impact_on_system/cohort_size",
            f"Only {people} people's service use is compared, no more than the suppression "
            f"threshold of {rule.threshold}, so the comparison is left out of the return.",
        )
    )


def _follow_ups_too_soon(figures: Figures) -> list[Finding]:
    found = []
    ordered = sorted(figures.measures, key=lambda m: measure_order(m.key))
    for index, measure in enumerate(ordered):
        if measure.too_soon:
            instrument, score, _ = measure.key
            found.append(
                warning(
                    "SPC-A024",
                    pointer("impact_on_person", "instruments", index, "people_with_follow_up"),
                    f"{measure.too_soon} people's follow-up {instrument} '{score}' measures in "
                    "the quarter came sooner than three months after their baseline, so they "
                    "are not paired and these people are not counted as followed up.",
                )
            )
    return found


def _unknown_scores(impact: dict[str, Any]) -> list[Finding]:
    found = []
    for index, summary in enumerate(impact["instruments"]):
        if improvement_rule(summary["instrument"], summary["score"]) is None:
            found.append(
                warning(
                    "SPC-A022",
                    pointer("impact_on_person", "instruments", index, "people_improved"),
                    f"spcore does not know the score '{summary['score']}' of "
                    f"{summary['instrument']}, so it cannot tell who improved.",
                )
            )
    return found
