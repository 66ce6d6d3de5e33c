"""A case extract in columns: dates and codes as NumPy arrays, for fast aggregation.

:class:`CaseColumns` holds every item of an extract (records, and lines that
could not be used, so none is lost) as one row of flat arrays, and each
record's lists (contacts, social prescriptions, RAG ratings, outcome
measures) as child tables pointing back at their row. Nothing in it depends
on a quarter: load an extract once, then aggregate any quarter of it with
:func:`spcore.aggregate`, which works on columns with NumPy
(:mod:`spcore.aggregation.columnar`).

Dates are stored as proleptic Gregorian ordinals (``date.toordinal()``),
with :data:`NO_DATE` for a date not given; codes as their position in the
codelist's enumeration (:func:`position`), with ``-1`` for none; sets of codes
(referral criteria, employability outcomes, five ways to wellbeing) as bit
masks; identifiers as integers numbering the distinct values in the order
first seen, with the values kept for messages.

Build columns with :func:`read_columns` from a file (the fastest way: no
models are built) or :meth:`CaseColumns.from_items` from records, JSON data
or the items of :func:`spcore.cases.read_extract`.
"""

from __future__ import annotations

import collections
import datetime as dt
import enum
import functools
from array import array
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import attrs
import numpy as np

from spcore.aggregation import derive
from spcore.aggregation.figures import MeasureKey
from spcore.aggregation.intake import MAX_RECORD_FINDINGS, Offered, checked, item_data
from spcore.cases import ExtractSummary, chunks, read_extract
from spcore.cases.extracts import ExtractFormat, detect_format
from spcore.findings import Finding
from spcore.framework import enums
from spcore.framework.case_record import CaseRecord
from spcore.rag.model import Rating

#: The date stored for "not given" (every real date's ordinal is at least 1).
NO_DATE: Final = -1

#: What a row holds.
RECORD: Final = 0  # a valid case record
UNUSABLE: Final = 1  # a line or record that could not be read or is invalid
FILE_PROBLEM: Final = 2  # a problem with the extract file itself (not a record)

IntArray = np.ndarray[Any, np.dtype[np.int32]]
LongArray = np.ndarray[Any, np.dtype[np.int64]]
SmallArray = np.ndarray[Any, np.dtype[np.int8]]
FloatArray = np.ndarray[Any, np.dtype[np.float64]]


def position(member: enum.Enum) -> int:
    """How a code is stored: its position in its enumeration (the codelist's order)."""
    return list(type(member)).index(member)


def _codes(codelist: type[enum.Enum]) -> dict[str, int]:
    return {member.value: position(member) for member in codelist}


#: A RAG rating's seriousness (green 0, amber 1, red 2), as :mod:`spcore.rag` ranks it.
RAG_RANK: Final[dict[str, int]] = {r.value: Rating(r.value).rank for r in enums.RagRating}


@attrs.frozen(eq=False)
class CaseColumns:
    """Every item of a case extract, in columns. See the module documentation.

    Row arrays (one entry per item offered, in order): ``kind`` (:data:`RECORD`,
    :data:`UNUSABLE`, :data:`FILE_PROBLEM`), ``line``, ``case``, ``person``,
    ``scheme``, ``referred``, ``referrer``, ``age_band``, ``criteria`` (bits),
    ``rejection`` (reason), ``assessed``, ``plan``, ``closed``,
    ``closure_reason``, ``employability`` (bits), ``wellbeing_aspects`` (bits),
    ``care_reviewed``, ``care_window``, ``care_change`` (the social care
    package's review date, window in months and change), ``cohort`` (``-1`` when absent,
    which means referred; see :func:`comparison`). Rows that are not records hold
    ``-1`` / :data:`NO_DATE`, and their findings are in ``problems``.

    Child tables, in the order of the extract and of each record's list:
    ``contact_*`` (row, date, type, minutes or NaN), ``prescription_*`` (row,
    date, type, group, label, five ways bits), ``rating_*`` (row, date, rank),
    ``measure_*`` (row, key, timepoint, date, score), ``use_*`` (one entry per service
    counted in a window of service use: row, side of the index date as its
    ``service-use-period`` position, 0 before and 1 after, start, end, months, source,
    service, count).
    """

    kind: SmallArray
    line: LongArray
    case: IntArray
    person: IntArray
    scheme: IntArray
    referred: IntArray
    referrer: SmallArray
    age_band: SmallArray
    criteria: LongArray
    rejection: SmallArray
    assessed: IntArray
    plan: IntArray
    closed: IntArray
    closure_reason: SmallArray
    employability: LongArray
    wellbeing_aspects: LongArray
    care_reviewed: IntArray
    care_window: SmallArray
    care_change: SmallArray
    cohort: SmallArray
    contact_row: IntArray
    contact_date: IntArray
    contact_type: SmallArray
    contact_minutes: FloatArray
    prescription_row: IntArray
    prescription_date: IntArray
    prescription_type: SmallArray
    prescription_group: IntArray
    prescription_label: IntArray
    prescription_five_ways: LongArray
    rating_row: IntArray
    rating_date: IntArray
    rating_rank: SmallArray
    measure_row: IntArray
    measure_key: IntArray
    measure_timepoint: SmallArray
    measure_date: IntArray
    measure_score: FloatArray
    use_row: IntArray
    use_side: SmallArray
    use_start: IntArray
    use_end: IntArray
    use_months: SmallArray
    use_source: SmallArray
    use_service: SmallArray
    use_count: LongArray
    #: Distinct values, by the number the arrays hold.
    case_ids: tuple[str, ...]
    scheme_ids: tuple[str, ...]
    group_keys: tuple[str, ...]
    #: (name, directory identifier) of each distinct way a group was written.
    group_labels: tuple[tuple[str, str | None], ...]
    measure_keys: tuple[MeasureKey, ...]
    #: Row -> findings, for rows that are not records (the first
    #: :data:`~spcore.aggregation.intake.MAX_RECORD_FINDINGS` unusable rows, the
    #: only ones reported, and every problem with the file).
    problems: Mapping[int, tuple[Finding, ...]]
    #: What reading the file found, when the columns were read from one.
    summary: ExtractSummary | None = None

    def __len__(self) -> int:
        """The number of rows: items offered, records or not."""
        return len(self.kind)

    def comparison(self) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """Rows holding a comparison person's record (``cohort`` other than referred)."""
        comparison: np.ndarray[Any, np.dtype[np.bool_]] = (self.cohort >= 0) & (
            self.cohort != position(enums.Cohort.REFERRED)
        )
        return comparison

    @property
    def nbytes(self) -> int:
        """Bytes held by the arrays (identifiers and findings not included)."""
        return sum(
            value.nbytes
            for value in (getattr(self, f.name) for f in attrs.fields(CaseColumns))
            if isinstance(value, np.ndarray)
        )

    @classmethod
    def from_items(cls, items: Iterable[Offered]) -> CaseColumns:
        """Columns from case records, JSON data of case records, or extract items.

        JSON data, and an extract item's data without its model, is checked as
        :func:`spcore.cases.read_extract` checks a line (the case-record schema,
        then the model); data that fails is kept as an unusable row with its
        findings, like an invalid line of a file. A record's line is its
        position from 1, unless it is an extract item.
        """
        builder = _Builder()
        for index, item in enumerate(items):
            builder.add_item(index, item)
        return builder.build()


def read_columns(
    path: str | Path,
    *,
    format: ExtractFormat | None = None,
    progress: bool | None = None,
    workers: int | None = None,
) -> CaseColumns:
    """Read an NDJSON or CSV extract (plain or ``.gz``) straight into columns.

    Records are checked as :func:`spcore.cases.read_extract` checks them, but
    no models are built. An NDJSON file is read in chunks by ``workers``
    processes (default: one per processor, at most four; 1 reads in this
    process) and merged in the order of the file, giving exactly the columns
    of :func:`reference_read_columns` (see :mod:`spcore.cases.chunks`). The
    result's ``summary`` says what was read, accepted and rejected, and what
    was wrong with the file, if anything.
    """
    if (format or detect_format(path)) != "ndjson":
        return reference_read_columns(path, format=format, progress=progress)
    summary = ExtractSummary(str(path), "ndjson")
    builder = _Builder()
    for result in chunks.read_chunked(
        Path(path), summary, _columns_of_chunk, workers=workers, progress=progress
    ):
        if isinstance(result, _Part):
            summary.read += result.read
            summary.accepted += result.read - result.rejected
            summary.rejected += result.rejected
            summary.rejected_by_code.update(result.rejected_by_code)
            summary.warned_by_code.update(result.warned_by_code)
            builder.merge(result)
        else:
            builder.add_problem(FILE_PROBLEM, 0, result.findings)
    return builder.build(summary=summary)


def reference_read_columns(
    path: str | Path,
    *,
    format: ExtractFormat | None = None,
    progress: bool | None = None,
) -> CaseColumns:
    """:func:`read_columns` one item at a time from :func:`~spcore.cases.read_extract`.

    The reference the chunked reading is held equal to.
    """
    reader = read_extract(path, format=format, build_records=False, progress=progress)
    builder = _Builder()
    for index, item in enumerate(reader):
        builder.add_item(index, item, trusted=True)
    return builder.build(summary=reader.summary)


#: The array columns, by name (annotated with the array aliases above).
_ARRAY_NAMES: Final = tuple(
    f.name for f in attrs.fields(CaseColumns) if str(f.type).endswith("Array")
)
#: Row columns holding a number from a numbering, by the numbering's name.
_NUMBERED: Final = {
    "case": "cases",
    "person": "people",
    "scheme": "schemes",
    "prescription_group": "groups",
    "prescription_label": "labels",
    "measure_key": "measures",
}
#: Child-table columns pointing at a row.
_ROW_POINTERS: Final = (
    "contact_row",
    "prescription_row",
    "rating_row",
    "measure_row",
    "use_row",
)


@attrs.frozen
class _Part:
    """The columns of one chunk, numbered on their own, and what its lines were."""

    offset: int
    read: int
    rejected: int
    rejected_by_code: collections.Counter[str]
    #: Finding codes of accepted records with warnings, once per code per record.
    warned_by_code: collections.Counter[str]
    arrays: dict[str, array[Any]]
    values: dict[str, list[Any]]
    problems: dict[int, tuple[Finding, ...]]


def _columns_of_chunk(chunk: chunks.Chunk) -> _Part:
    builder = _Builder()
    read = rejected = 0
    by_code: collections.Counter[str] = collections.Counter()
    warned: collections.Counter[str] = collections.Counter()
    for line, data, item in chunks.lines(chunk):
        read += 1
        if data is not None:
            builder.add_record(data, line)
            continue
        assert item is not None
        if item.accepted:
            warned.update({f.code for f in item.findings})
        else:
            rejected += 1
            by_code.update({f.code for f in item.findings})
        builder.add_item(0, item, trusted=True)
    return _Part(
        offset=chunk.offset,
        read=read,
        rejected=rejected,
        rejected_by_code=by_code,
        warned_by_code=warned,
        arrays={name: getattr(builder, name) for name in _ARRAY_NAMES},
        values={name: getattr(builder, name).values for name in set(_NUMBERED.values())},
        problems=builder.problems,
    )


class _Numbering:
    """Numbers distinct values in the order first seen."""

    __slots__ = ("numbers", "values")

    def __init__(self) -> None:
        self.numbers: dict[Any, int] = {}
        self.values: list[Any] = []

    def __call__(self, value: Any) -> int:
        number = self.numbers.get(value)
        if number is None:
            number = self.numbers[value] = len(self.values)
            self.values.append(value)
        return number


_REFERRER = _codes(enums.ReferrerType)
_AGE = _codes(enums.AgeBand)
_CRITERION = _codes(enums.ReferralCriterion)
_REJECTION = _codes(enums.ReferralRejectionReason)
_CLOSURE = _codes(enums.CaseClosureReason)
_EMPLOYABILITY = _codes(enums.EmployabilityOutcome)
_CONTACT = _codes(enums.ContactType)
_INTERVENTION = _codes(enums.InterventionType)
_FIVE_WAYS = _codes(enums.FiveWaysToWellbeing)
_TIMEPOINT = _codes(enums.AssessmentTimepoint)
_ASPECT = _codes(enums.WellbeingAspect)
_CARE_CHANGE = _codes(enums.SocialCarePackageChange)
_COHORT = _codes(enums.Cohort)
_SIDE = _codes(enums.ServiceUsePeriod)
_SOURCE = _codes(enums.ServiceUseSource)
_SERVICE = _codes(enums.Service)
_NAN = float("nan")


@functools.cache
def _minutes_per(unit: str) -> float:
    # A contact's unit is one of a few; derive's conversion is done once for each.
    return derive.minutes_per(unit)


def _json(record: CaseRecord) -> dict[str, Any]:
    return record.model_dump(mode="json", by_alias=True, exclude_none=True)


def _bits(codes: Iterable[str] | None, positions: dict[str, int]) -> int:
    mask = 0
    for code in codes or ():
        mask |= 1 << positions[code]
    return mask


class _Builder:
    """Appends items to typed arrays (compact, unlike lists of Python ints)."""

    def __init__(self) -> None:
        self.kind = array("b")
        self.line = array("q")
        self.case = array("i")
        self.person = array("i")
        self.scheme = array("i")
        self.referred = array("i")
        self.referrer = array("b")
        self.age_band = array("b")
        self.criteria = array("q")
        self.rejection = array("b")
        self.assessed = array("i")
        self.plan = array("i")
        self.closed = array("i")
        self.closure_reason = array("b")
        self.employability = array("q")
        self.wellbeing_aspects = array("q")
        self.care_reviewed = array("i")
        self.care_window = array("b")
        self.care_change = array("b")
        self.cohort = array("b")
        self.contact_row = array("i")
        self.contact_date = array("i")
        self.contact_type = array("b")
        self.contact_minutes = array("d")
        self.prescription_row = array("i")
        self.prescription_date = array("i")
        self.prescription_type = array("b")
        self.prescription_group = array("i")
        self.prescription_label = array("i")
        self.prescription_five_ways = array("q")
        self.rating_row = array("i")
        self.rating_date = array("i")
        self.rating_rank = array("b")
        self.measure_row = array("i")
        self.measure_key = array("i")
        self.measure_timepoint = array("b")
        self.measure_date = array("i")
        self.measure_score = array("d")
        self.use_row = array("i")
        self.use_side = array("b")
        self.use_start = array("i")
        self.use_end = array("i")
        self.use_months = array("b")
        self.use_source = array("b")
        self.use_service = array("b")
        self.use_count = array("q")
        self.cases = _Numbering()
        self.people = _Numbering()
        self.schemes = _Numbering()
        self.groups = _Numbering()
        self.labels = _Numbering()
        self.measures = _Numbering()
        self.problems: dict[int, tuple[Finding, ...]] = {}
        self.unusable_kept = 0
        self.days: dict[str, int] = {}
        # (community group, directory id) -> (group number, label number), or None if unnamed.
        self.written: dict[tuple[str | None, str | None], tuple[int, int] | None] = {}

    # ---------------------------------------------------------------- items

    def add_item(self, index: int, item: Offered, *, trusted: bool = False) -> None:
        """Append one offered item, checked as the record-by-record intake checks it.

        ``trusted`` items come straight from :func:`spcore.cases.read_extract`,
        which has checked their data already.
        """
        if isinstance(item, CaseRecord):
            self.add_record(_json(item), index + 1)
        elif isinstance(item, Mapping):
            self._add_checked(item, index + 1)
        elif item.line == 0:
            self.add_problem(FILE_PROBLEM, 0, item.findings)
        elif item.record is not None:
            data = item_data(item) if trusted else None
            self.add_record(_json(item.record) if data is None else data, item.line)
        elif (data := item_data(item)) is not None:
            if trusted:
                self.add_record(data, item.line)
            else:
                self._add_checked(data, item.line)
        else:
            self.add_problem(UNUSABLE, item.line, item.findings)

    def _add_checked(self, data: Any, line: int) -> None:
        record, findings = checked(data)
        if record is None:
            self.add_problem(UNUSABLE, line, findings)
        else:
            self.add_record(data, line)

    def add_problem(self, kind: int, line: int, findings: tuple[Finding, ...]) -> None:
        # Only the first unusable rows can be reported (MAX_RECORD_FINDINGS): the findings
        # of the rest are not kept, so a file of bad lines cannot fill memory with them.
        if kind == FILE_PROBLEM or self.unusable_kept < MAX_RECORD_FINDINGS:
            self.problems[len(self.kind)] = tuple(findings)
            self.unusable_kept += kind == UNUSABLE
        self.kind.append(kind)
        self.line.append(line)
        for column in (self.case, self.person, self.scheme):
            column.append(-1)
        for dates in (self.referred, self.assessed, self.plan, self.closed, self.care_reviewed):
            dates.append(NO_DATE)
        for small in (
            self.referrer,
            self.age_band,
            self.rejection,
            self.closure_reason,
            self.care_window,
            self.care_change,
            self.cohort,
        ):
            small.append(-1)
        self.criteria.append(0)
        self.employability.append(0)
        self.wellbeing_aspects.append(0)

    def _day(self, text: str) -> int:
        day = self.days.get(text)
        if day is None:
            day = self.days[text] = dt.date.fromisoformat(text).toordinal()
        return day

    def _maybe_day(self, text: str | None) -> int:
        return NO_DATE if text is None else self._day(text)

    def add_record(self, data: Mapping[str, Any], line: int) -> None:
        """Append one record, given as JSON data already valid against the schema."""
        row = len(self.kind)
        day = self._day
        self.kind.append(RECORD)
        self.line.append(line)
        case_id = data["case_id"]
        self.case.append(self.cases(case_id))
        person_id = data.get("person_id")
        # Person and case identifiers are told apart, as derive.person_key does; one string,
        # not a tuple, is a third of the memory for a million people.
        self.person.append(self.people("p" + person_id if person_id is not None else "c" + case_id))
        self.scheme.append(self.schemes(data["scheme_id"]))
        referral = data["referral"]
        self.referred.append(day(referral["date"]))
        self.referrer.append(_REFERRER[referral["referrer_type"]])
        self.criteria.append(_bits(referral.get("criteria"), _CRITERION))
        rejection = referral.get("rejection")
        self.rejection.append(-1 if rejection is None else _REJECTION[rejection["reason"]])
        self.age_band.append(_AGE[data["demographics"]["age_band"]])
        needs = data.get("needs_and_concerns") or {}
        self.assessed.append(self._maybe_day(needs.get("assessment_date")))
        for entry in needs.get("rag_history") or ():
            self.rating_row.append(row)
            self.rating_date.append(day(entry["date"]))
            self.rating_rank.append(RAG_RANK[entry["rating"]])
        support = data.get("support_offered") or {}
        self.plan.append(self._maybe_day(support.get("support_plan_date")))
        for contact in support.get("contacts") or ():
            self._add_contact(row, contact)
        for prescription in support.get("social_prescriptions") or ():
            self._add_prescription(row, prescription)
        outcomes = data.get("outcomes") or {}
        for measure in outcomes.get("measures") or ():
            self._add_measure(row, measure)
        self.employability.append(_bits(outcomes.get("employability"), _EMPLOYABILITY))
        self.wellbeing_aspects.append(_bits(outcomes.get("wellbeing_aspects"), _ASPECT))
        care = outcomes.get("social_care_package")
        if care is None:
            self.care_reviewed.append(NO_DATE)
            self.care_window.append(-1)
            self.care_change.append(-1)
        else:
            self.care_reviewed.append(day(care["reviewed_on"]))
            self.care_window.append(int(care["window_months"]))
            self.care_change.append(_CARE_CHANGE[care["change"]])
        cohort = data.get("cohort")
        self.cohort.append(-1 if cohort is None else _COHORT[cohort])
        for window in data.get("service_use") or ():
            self._add_window(row, window)
        closure = data.get("closure")
        if closure is None:
            self.closed.append(NO_DATE)
            self.closure_reason.append(-1)
        else:
            self.closed.append(day(closure["date"]))
            self.closure_reason.append(_CLOSURE[closure["reason"]])

    def _add_contact(self, row: int, contact: Mapping[str, Any]) -> None:
        self.contact_row.append(row)
        self.contact_date.append(self._day(contact["date"]))
        self.contact_type.append(_CONTACT[contact["type"]])
        duration = contact.get("duration")
        self.contact_minutes.append(
            _NAN if duration is None else float(duration["value"]) * _minutes_per(duration["unit"])
        )

    def _add_prescription(self, row: int, prescription: Mapping[str, Any]) -> None:
        self.prescription_row.append(row)
        self.prescription_date.append(self._day(prescription["date"]))
        self.prescription_type.append(_INTERVENTION[prescription["intervention_type"]])
        name = prescription.get("community_group")
        directory_id = prescription.get("directory_id")
        written = (name, directory_id)
        if written in self.written:
            group = self.written[written]
        else:
            identity = derive.group_identity(name, directory_id)
            group = self.written[written] = (
                None
                if identity is None
                else (self.groups(identity[0]), self.labels((identity[1], identity[2])))
            )
        self.prescription_group.append(-1 if group is None else group[0])
        self.prescription_label.append(-1 if group is None else group[1])
        self.prescription_five_ways.append(_bits(prescription.get("five_ways"), _FIVE_WAYS))

    def _add_measure(self, row: int, measure: Mapping[str, Any]) -> None:
        self.measure_row.append(row)
        key = (measure["instrument"], measure.get("score_name", "score"), measure.get("value_set"))
        self.measure_key.append(self.measures(key))
        self.measure_timepoint.append(_TIMEPOINT[measure["timepoint"]])
        self.measure_date.append(self._day(measure["date"]))
        self.measure_score.append(float(measure["score"]))

    def _add_window(self, row: int, window: Mapping[str, Any]) -> None:
        side = _SIDE[window["relative_to_referral"]]
        start, end = self._day(window["start_on"]), self._day(window["end_on"])
        months, source = int(window["months"]), _SOURCE[window["source"]]
        for service, n in window["counts"].items():
            self.use_row.append(row)
            self.use_side.append(side)
            self.use_start.append(start)
            self.use_end.append(end)
            self.use_months.append(months)
            self.use_source.append(source)
            self.use_service.append(_SERVICE[service])
            self.use_count.append(n)

    # ---------------------------------------------------------------- result

    def merge(self, part: _Part) -> None:
        """Append the columns of a chunk read on its own, renumbered as if read here."""
        base = len(self.kind)
        maps = {
            name: np.array([getattr(self, name)(v) for v in values] or [0], dtype=np.int64)
            for name, values in part.values.items()
        }
        for name in _ARRAY_NAMES:
            target: array[Any] = getattr(self, name)
            column = np.frombuffer(part.arrays[name], dtype=target.typecode)
            if name in _NUMBERED:
                column = np.where(column >= 0, maps[_NUMBERED[name]][column], column)
            elif name in _ROW_POINTERS:
                column = column + base
            target.frombytes(column.astype(target.typecode, copy=False).tobytes())
        for row, findings in part.problems.items():
            if self.unusable_kept < MAX_RECORD_FINDINGS:
                self.problems[base + row] = findings
                self.unusable_kept += 1

    def build(self, summary: ExtractSummary | None = None) -> CaseColumns:
        def a(name: str, dtype: type[np.generic]) -> Any:
            values: array[Any] = getattr(self, name)
            setattr(self, name, array(values.typecode))  # each released once copied
            return np.frombuffer(values, dtype=dtype).copy() if len(values) else np.zeros(0, dtype)

        return CaseColumns(
            kind=a("kind", np.int8),
            line=a("line", np.int64),
            case=a("case", np.int32),
            person=a("person", np.int32),
            scheme=a("scheme", np.int32),
            referred=a("referred", np.int32),
            referrer=a("referrer", np.int8),
            age_band=a("age_band", np.int8),
            criteria=a("criteria", np.int64),
            rejection=a("rejection", np.int8),
            assessed=a("assessed", np.int32),
            plan=a("plan", np.int32),
            closed=a("closed", np.int32),
            closure_reason=a("closure_reason", np.int8),
            employability=a("employability", np.int64),
            wellbeing_aspects=a("wellbeing_aspects", np.int64),
            care_reviewed=a("care_reviewed", np.int32),
            care_window=a("care_window", np.int8),
            care_change=a("care_change", np.int8),
            cohort=a("cohort", np.int8),
            contact_row=a("contact_row", np.int32),
            contact_date=a("contact_date", np.int32),
            contact_type=a("contact_type", np.int8),
            contact_minutes=a("contact_minutes", np.float64),
            prescription_row=a("prescription_row", np.int32),
            prescription_date=a("prescription_date", np.int32),
            prescription_type=a("prescription_type", np.int8),
            prescription_group=a("prescription_group", np.int32),
            prescription_label=a("prescription_label", np.int32),
            prescription_five_ways=a("prescription_five_ways", np.int64),
            rating_row=a("rating_row", np.int32),
            rating_date=a("rating_date", np.int32),
            rating_rank=a("rating_rank", np.int8),
            measure_row=a("measure_row", np.int32),
            measure_key=a("measure_key", np.int32),
            measure_timepoint=a("measure_timepoint", np.int8),
            measure_date=a("measure_date", np.int32),
            measure_score=a("measure_score", np.float64),
            use_row=a("use_row", np.int32),
            use_side=a("use_side", np.int8),
            use_start=a("use_start", np.int32),
            use_end=a("use_end", np.int32),
            use_months=a("use_months", np.int8),
            use_source=a("use_source", np.int8),
            use_service=a("use_service", np.int8),
            use_count=a("use_count", np.int64),
            case_ids=tuple(self.cases.values),
            scheme_ids=tuple(self.schemes.values),
            group_keys=tuple(self.groups.values),
            group_labels=tuple(self.labels.values),
            measure_keys=tuple(self.measures.values),
            problems=self.problems,
            summary=summary,
        )
