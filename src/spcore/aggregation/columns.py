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
import sys
from array import array
from collections.abc import Callable, Iterable, Mapping
from functools import reduce
from operator import or_
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeAlias, cast

import attrs
import numpy as np

from spcore.aggregation import derive, line_order
from spcore.aggregation.figures import MeasureKey
from spcore.aggregation.intake import MAX_RECORD_FINDINGS, Offered, checked, item_data
from spcore.aggregation.keys import BytesArray, HashArray, Identifiers, Keys, half_hex, keys_of
from spcore.aggregation.own_memory import GrowingColumn, in_own_memory
from spcore.cases import ExtractSummary, chunks, read_extract
from spcore.cases.extracts import ExtractFormat, detect_format
from spcore.compiled import fill_module
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

if TYPE_CHECKING:
    from spcore.aggregation._fill import Column as CompiledColumn

#: A chunk's column as its builder appended it: an array, or a compiled column (which is
#: pickled as an array, so the parent of a worker always receives arrays).
Appended: TypeAlias = "array[Any] | CompiledColumn"

IntArray = np.ndarray[Any, np.dtype[np.int32]]
LongArray = np.ndarray[Any, np.dtype[np.int64]]
SmallArray = np.ndarray[Any, np.dtype[np.int8]]
FloatArray = np.ndarray[Any, np.dtype[np.float64]]


def position(member: enum.Enum) -> int:
    """How a code is stored: its position in its enumeration (the codelist's order)."""
    return list(type(member)).index(member)


def _codes(codelist: type[enum.Enum]) -> dict[str, int]:
    # Interned: the very objects a worker's parser gives for these codes (see
    # spcore.cases.chunks.vocabulary), so a lookup meets its key without comparing text.
    return {sys.intern(member.value): position(member) for member in codelist}


#: A RAG rating's seriousness (green 0, amber 1, red 2), as :mod:`spcore.rag` ranks it.
RAG_RANK: Final[dict[str, int]] = {
    sys.intern(r.value): Rating(r.value).rank
    for r in enums.RagRating  # interned, as in _codes
}


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
    ``measure_*`` (row, key, timepoint, date, score), ``window_*`` (one entry per
    window of service use: row, side of the index date as its ``service-use-period``
    position, 0 before and 1 after, start, end, months, source) and ``use_*`` (one
    entry per service counted in a window: window, service, count). A count's row is
    ``window_row[use_window]``.
    """

    kind: SmallArray
    line: LongArray
    case: IntArray
    person: IntArray
    scheme: IntArray
    referred: IntArray
    referrer: SmallArray
    age_band: SmallArray
    criteria: IntArray
    rejection: SmallArray
    assessed: IntArray
    plan: IntArray
    closed: IntArray
    closure_reason: SmallArray
    employability: SmallArray
    wellbeing_aspects: SmallArray
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
    prescription_five_ways: SmallArray
    rating_row: IntArray
    rating_date: IntArray
    rating_rank: SmallArray
    measure_row: IntArray
    measure_key: IntArray
    measure_timepoint: SmallArray
    measure_date: IntArray
    measure_score: FloatArray
    window_row: IntArray
    window_side: SmallArray
    window_start: IntArray
    window_end: IntArray
    window_months: SmallArray
    window_source: SmallArray
    use_window: IntArray
    use_service: SmallArray
    use_count: IntArray
    #: Distinct values, by the number the arrays hold (case identifiers as a compact
    #: sequence of ``str``: a million take megabytes, not a hundred).
    case_ids: Identifiers
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
    builder = _Builder(merging=True)
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


#: Row columns holding a number from a numbering, by the numbering's name.
_NUMBERED: Final = {
    "case": "cases",
    "person": "people",
    "scheme": "schemes",
    "prescription_group": "groups",
    "prescription_label": "labels",
    "measure_key": "measures",
}
#: Child-table columns pointing at a row or a window, by a column of the table they point into.
_POINTERS: Final = {
    "contact_row": "kind",
    "prescription_row": "kind",
    "rating_row": "kind",
    "measure_row": "kind",
    "window_row": "kind",
    "use_window": "window_row",
}
#: What a row that is not a record holds in each column it has a value for.
_PROBLEM_ROW: Final = {
    **dict.fromkeys(("case", "person", "scheme"), -1),
    **dict.fromkeys(("referred", "assessed", "plan", "closed", "care_reviewed"), NO_DATE),
    **dict.fromkeys(
        (
            "referrer",
            "age_band",
            "rejection",
            "closure_reason",
            "care_window",
            "care_change",
            "cohort",
        ),
        -1,
    ),
    **dict.fromkeys(("criteria", "employability", "wellbeing_aspects"), 0),
}


@attrs.frozen
class _Part:
    """The columns of one chunk, numbered on their own, and what its lines were."""

    offset: int
    read: int
    rejected: int
    rejected_by_code: collections.Counter[str]
    #: Finding codes of accepted records with warnings, once per code per record.
    warned_by_code: collections.Counter[str]
    #: Compiled columns or arrays as added, or arrays put back in line order.
    arrays: dict[str, Appended | np.ndarray[Any, Any]]
    values: dict[str, list[Any]]
    #: The case and person identifiers, as :func:`~spcore.aggregation.keys.keys_of` writes them.
    keys: dict[str, tuple[BytesArray, HashArray]]
    problems: dict[int, tuple[Finding, ...]]


def _keys(values: list[str], *, halve: bool = False) -> tuple[BytesArray, HashArray]:
    """:func:`~spcore.aggregation.keys.keys_of` (with :func:`~spcore.aggregation.keys.half_hex`
    when ``halve``), compiled where it is built: the same arrays, without a bytes object
    a key or a pass of NumPy a word."""
    module = fill_module()
    if module is None:
        return keys_of(values, half_hex if halve else str.encode)
    keys, width, hashes = module.keys(values, halve)
    return np.frombuffer(keys, dtype=f"S{width}"), np.frombuffer(hashes, dtype=np.uint64)


def _columns_of_chunk(chunk: chunks.Chunk) -> _Part:
    builder = _Builder(compiled=fill_module() is not None)
    others = rejected = 0
    by_code: collections.Counter[str] = collections.Counter()
    warned: collections.Counter[str] = collections.Counter()
    # The lines handed back to Python are added after the others (see line_order); the
    # compiled fill takes the contacts the parser's contacts lane packs.
    reading = chunks.Reading(
        chunk, builder.add_checked_record, later=True, packed=fill_module() is not None
    )
    for _, item in reading:
        others += 1
        if item.accepted:
            warned.update({f.code for f in item.findings})
        else:
            rejected += 1
            by_code.update({f.code for f in item.findings})
        builder.add_item(0, item, trusted=True)
    arrays: dict[str, Appended | np.ndarray[Any, Any]] = dict(builder.appended())
    values = {name: getattr(builder, name).values for name in set(_NUMBERED.values())}
    problems = builder.problems
    if reading.handed_back:
        ordered, values, problems = line_order.in_line_order(
            {name: _joined(column) for name, column in builder.arrays.items()},
            values,
            problems,
            pointers=_POINTERS,
            numbered=_NUMBERED,
        )
        arrays = dict(ordered)
    return _Part(
        offset=chunk.offset,
        read=reading.accepted + others,
        rejected=rejected,
        rejected_by_code=by_code,
        warned_by_code=warned,
        arrays=arrays,
        values={name: v for name, v in values.items() if name not in _KEYED},
        # A person's key is a pseudonym, often an HMAC in hexadecimal: kept at half the width.
        keys={
            "cases": _keys(values["cases"]),
            "people": _keys(values["people"], halve=True),
        },
        problems=problems,
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


#: Numberings with about one value a record, merged from chunks as compact keys (see Keys).
_KEYED: Final = {"cases": "case", "people": "person"}

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


class _MinutesPer(dict[str, float]):
    """Minutes in one unit of a duration, by unit: derive's conversion done once for each."""

    __slots__ = ()

    def __missing__(self, unit: str) -> float:
        minutes = self[unit] = derive.minutes_per(unit)
        return minutes


_MINUTES_PER: Final = _MinutesPer()


def _json(record: CaseRecord) -> dict[str, Any]:
    return record.model_dump(mode="json", by_alias=True, exclude_none=True)


class _Days(dict[str, int]):
    """Day ordinals by ISO date text, each worked out once (an extract repeats its dates).

    One table serves every builder of a process (each chunk of an extract has its
    own builder, and chunks share their dates); it is emptied when full, so
    it stays small whatever the dates.
    """

    __slots__ = ()

    def __missing__(self, text: str) -> int:
        if len(self) >= _DAYS_REMEMBERED:
            self.clear()
        day = self[text] = dt.date.fromisoformat(text).toordinal()
        return day


#: Dates remembered by :data:`_DAYS` (a day's ordinal for every date of 50 years).
_DAYS_REMEMBERED: Final = 20_000
_DAYS: Final = _Days()


#: The codelist of each column holding a set of codes as a bit mask (the column's integers
#: are as narrow as its codelist allows: a test holds each codelist within them).
MASKS: Final = {
    "criteria": enums.ReferralCriterion,
    "employability": enums.EmployabilityOutcome,
    "wellbeing_aspects": enums.WellbeingAspect,
    "prescription_five_ways": enums.FiveWaysToWellbeing,
}

#: The bit of each code of a set of codes stored as a bit mask.
_CRITERION_BIT = {code: 1 << p for code, p in _CRITERION.items()}
_EMPLOYABILITY_BIT = {code: 1 << p for code, p in _EMPLOYABILITY.items()}
_ASPECT_BIT = {code: 1 << p for code, p in _ASPECT.items()}
_FIVE_WAYS_BIT = {code: 1 << p for code, p in _FIVE_WAYS.items()}
_NO_ENTRIES: Final[Mapping[str, Any]] = {}  # an absent section, never written to


#: A column's array typecode, by the array alias its field is annotated with.
_TYPECODES: Final = {"SmallArray": "b", "IntArray": "i", "LongArray": "q", "FloatArray": "d"}

AddRecord = Callable[[Mapping[str, Any], int], None]
GroupNumbers = Callable[[tuple[str | None, str | None]], tuple[int, int]]


def _group_numbers(
    written: dict[tuple[str | None, str | None], tuple[int, int]],
    groups: _Numbering,
    labels: _Numbering,
) -> GroupNumbers:
    """The (group, label) numbers of a community group as first written this way.

    ``(-1, -1)`` when the prescription names no group. A closure, not a method:
    nothing ``add_record`` holds refers back to its builder, so a builder is
    freed as soon as it is dropped, with no help from the garbage collector
    (which the worker processes of :mod:`spcore.cases.chunks` turn off).
    """

    def group_of(named: tuple[str | None, str | None]) -> tuple[int, int]:
        identity = derive.group_identity(*named)
        group = written[named] = (
            (-1, -1) if identity is None else (groups(identity[0]), labels(identity[1:]))
        )
        return group

    return group_of


class _Column(Protocol):
    """Where a column's values are appended: an :class:`array.array` or a growing column."""

    @property
    def typecode(self) -> str: ...

    def append(self, value: Any, /) -> None: ...

    def __len__(self) -> int: ...


def _joined(column: _Column) -> np.ndarray[Any, Any]:
    """A column's values in one array (sharing an array's or compiled column's memory)."""
    if isinstance(column, GrowingColumn):
        return column.joined()
    if len(column):  # an array.array or a compiled column: both hold a buffer
        shared: np.ndarray[Any, Any] = np.frombuffer(
            column,  # type: ignore[call-overload]
            dtype=column.typecode,
        )
        return shared
    return np.zeros(0, column.typecode)


class _Builder:
    """Appends items to typed arrays (compact, unlike lists of Python ints).

    A ``merging`` builder takes whole chunks (:meth:`merge`) into growing
    columns, which leave no holes in the heap as they grow (see
    :mod:`spcore.aggregation.own_memory`); one that adds items record by record
    appends to :class:`array.array`, whose appends are the fastest from Python,
    or, when ``compiled``, to the compiled module's columns, which
    :attr:`add_checked_record` fills from C (see :mod:`spcore.compiled`).
    """

    def __init__(self, *, merging: bool = False, compiled: bool = False) -> None:
        module = fill_module() if compiled else None
        new_column: Callable[[str], _Column] = (
            GrowingColumn if merging else array if module is None else module.Column
        )
        self.arrays: dict[str, _Column] = {
            f.name: new_column(_TYPECODES[str(f.type)])
            for f in attrs.fields(CaseColumns)
            if str(f.type) in _TYPECODES
        }
        self.cases = _Numbering()
        self.people = _Numbering()
        self.schemes = _Numbering()
        self.groups = _Numbering()
        self.labels = _Numbering()
        self.measures = _Numbering()
        #: Case and person keys of merged chunks (a builder either adds items or merges).
        self.keyed = {name: Keys() for name in _KEYED}
        self.problems: dict[int, tuple[Finding, ...]] = {}
        self.unusable_kept = 0
        self.days = _DAYS
        # (community group, directory id) -> (group number, label number), or -1s if unnamed.
        self.written: dict[tuple[str | None, str | None], tuple[int, int]] = {}
        tables = self._tables()
        #: Append one record, given as JSON data already valid against the schema.
        self.add_record: AddRecord = self._record_adder(tables)
        #: The same for data as :mod:`orjson` builds it (dicts and lists): compiled, when
        #: the builder is, else ``add_record`` itself.
        self.add_checked_record: AddRecord = (
            self.add_record if module is None else module.Adder(self.arrays, tables)
        )

    def appended(self) -> dict[str, Appended]:
        """The columns items were appended to (a builder that is not merging).

        :class:`array.array` or compiled columns, which are pickled as arrays.
        """
        arrays: dict[str, Appended] = {}
        for name, column in self.arrays.items():
            assert not isinstance(column, GrowingColumn), "a merging builder merges"
            arrays[name] = cast(Appended, column)
        return arrays

    def _tables(self) -> dict[str, Any]:
        """What a record's codes and values are looked up and numbered in, by name.

        Both ways of adding a record read these: :meth:`_record_adder`'s closure
        and the compiled ``add_checked_record``.
        """
        return {
            "days": self.days,
            "minutes_per": _MINUTES_PER,
            "referrer_codes": _REFERRER,
            "age_codes": _AGE,
            "criterion_bits": _CRITERION_BIT,
            "rejection_codes": _REJECTION,
            "closure_codes": _CLOSURE,
            "employability_bits": _EMPLOYABILITY_BIT,
            "contact_codes": _CONTACT,
            "intervention_codes": _INTERVENTION,
            "five_ways_bits": _FIVE_WAYS_BIT,
            "timepoint_codes": _TIMEPOINT,
            "aspect_bits": _ASPECT_BIT,
            "care_change_codes": _CARE_CHANGE,
            "cohort_codes": _COHORT,
            "side_codes": _SIDE,
            "source_codes": _SOURCE,
            "service_codes": _SERVICE,
            "rag_ranks": RAG_RANK,
            "case_numbers": self.cases.numbers,
            "case_values": self.cases.values,
            "person_numbers": self.people.numbers,
            "person_values": self.people.values,
            "scheme_numbers": self.schemes.numbers,
            "schemes": self.schemes,
            "measure_numbers": self.measures.numbers,
            "measures": self.measures,
            "written": self.written,
            "group_of": _group_numbers(self.written, self.groups, self.labels),
        }

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
            self._add_trusted(_json(item.record) if data is None else data, item.line)
        elif (data := item_data(item)) is not None:
            if trusted:
                self._add_trusted(data, item.line)
            else:
                self._add_checked(data, item.line)
        else:
            self.add_problem(UNUSABLE, item.line, item.findings)

    def _add_trusted(self, data: Any, line: int) -> None:
        # A checked record parsed to plain dicts and lists (as every reader here parses
        # it) is what the compiled add_checked_record takes; anything else, the closure.
        if type(data) is dict:
            self.add_checked_record(data, line)
        else:
            self.add_record(data, line)

    def _add_checked(self, data: Any, line: int) -> None:
        record, findings = checked(data)
        if record is None:
            self.add_problem(UNUSABLE, line, findings)
        else:
            self.add_record(data, line)

    def add_problem(self, kind: int, line: int, findings: tuple[Finding, ...]) -> None:
        # Only the first unusable rows can be reported (MAX_RECORD_FINDINGS): the findings
        # of the rest are not kept, so a file of bad lines cannot fill memory with them.
        columns = self.arrays
        if kind == FILE_PROBLEM or self.unusable_kept < MAX_RECORD_FINDINGS:
            self.problems[len(columns["kind"])] = tuple(findings)
            self.unusable_kept += kind == UNUSABLE
        columns["kind"].append(kind)
        columns["line"].append(line)
        for name in _PROBLEM_ROW:
            columns[name].append(_PROBLEM_ROW[name])

    def _record_adder(self, tables: Mapping[str, Any]) -> AddRecord:
        """``add_record``: a closure over every column's ``append``, bound once.

        It runs for every record of an extract, so each append is a local
        name rather than an attribute looked up again for each value.
        """
        c = self.arrays
        kind_column, days, written = c["kind"], tables["days"], tables["written"]
        schemes, measures = tables["schemes"], tables["measures"]
        # The numberings written out (see _Numbering): nearly every case and person is new.
        case_numbers, case_values = tables["case_numbers"], tables["case_values"]
        person_numbers, person_values = tables["person_numbers"], tables["person_values"]
        scheme_number = tables["scheme_numbers"].get
        measure_number = tables["measure_numbers"].get
        group_of = tables["group_of"]
        criterion_bit, employability_bit, aspect_bit, five_ways_bit = (
            tables[n].__getitem__
            for n in ("criterion_bits", "employability_bits", "aspect_bits", "five_ways_bits")
        )
        referrer_codes, rejection_codes, age_codes, rag_ranks = (
            tables[n] for n in ("referrer_codes", "rejection_codes", "age_codes", "rag_ranks")
        )
        minutes_per, intervention_codes, timepoint_codes, care_change_codes = (
            tables[n]
            for n in ("minutes_per", "intervention_codes", "timepoint_codes", "care_change_codes")
        )
        cohort_codes, service_codes, side_codes, source_codes = (
            tables[n] for n in ("cohort_codes", "service_codes", "side_codes", "source_codes")
        )
        contact_codes, closure_codes = tables["contact_codes"], tables["closure_codes"]
        kind, line_, case, person, scheme = (
            c[n].append for n in ("kind", "line", "case", "person", "scheme")
        )
        referred, referrer, criteria, rejection, age_band = (
            c[n].append for n in ("referred", "referrer", "criteria", "rejection", "age_band")
        )
        assessed, plan, closed, closure_reason, cohort = (
            c[n].append for n in ("assessed", "plan", "closed", "closure_reason", "cohort")
        )
        employability, aspects, care_reviewed, care_window, care_change = (
            c[n].append
            for n in (
                "employability",
                "wellbeing_aspects",
                "care_reviewed",
                "care_window",
                "care_change",
            )
        )
        rating_row, rating_date, rating_rank = (
            c[n].append for n in ("rating_row", "rating_date", "rating_rank")
        )
        contact_row, contact_date, contact_type, contact_minutes = (
            c[n].append for n in ("contact_row", "contact_date", "contact_type", "contact_minutes")
        )
        p_row, p_date, p_type, p_group, p_label, p_five_ways = (
            c["prescription_" + n].append
            for n in ("row", "date", "type", "group", "label", "five_ways")
        )
        m_row, m_key, m_timepoint, m_date, m_score = (
            c["measure_" + n].append for n in ("row", "key", "timepoint", "date", "score")
        )
        window_column = c["window_row"]
        w_row, w_side, w_start, w_end, w_months, w_source = (
            c["window_" + n].append for n in ("row", "side", "start", "end", "months", "source")
        )
        use_window, use_service, use_count = (
            c["use_" + n].append for n in ("window", "service", "count")
        )

        def add_record(data: Mapping[str, Any], line: int) -> None:
            row = len(kind_column)
            kind(RECORD)
            line_(line)
            case_id = data["case_id"]
            number = case_numbers.get(case_id)
            if number is None:
                number = case_numbers[case_id] = len(case_values)
                case_values.append(case_id)
            case(number)
            person_id = data.get("person_id")
            # Person and case identifiers are told apart, as derive.person_key does; one
            # string, not a tuple, is a third of the memory for a million people.
            key = "c" + case_id if person_id is None else "p" + person_id
            number = person_numbers.get(key)
            if number is None:
                number = person_numbers[key] = len(person_values)
                person_values.append(key)
            person(number)
            key = data["scheme_id"]
            number = scheme_number(key)
            scheme(schemes(key) if number is None else number)
            referral = data["referral"]
            referred(days[referral["date"]])
            referrer(referrer_codes[referral["referrer_type"]])
            codes = referral.get("criteria")
            criteria(reduce(or_, map(criterion_bit, codes), 0) if codes else 0)
            rejected = referral.get("rejection")
            rejection(-1 if rejected is None else rejection_codes[rejected["reason"]])
            age_band(age_codes[data["demographics"]["age_band"]])
            needs = data.get("needs_and_concerns") or _NO_ENTRIES
            date = needs.get("assessment_date")
            assessed(NO_DATE if date is None else days[date])
            for entry in needs.get("rag_history") or ():
                rating_row(row)
                rating_date(days[entry["date"]])
                rating_rank(rag_ranks[entry["rating"]])
            support = data.get("support_offered") or _NO_ENTRIES
            date = support.get("support_plan_date")
            plan(NO_DATE if date is None else days[date])
            for contact in support.get("contacts") or ():
                contact_row(row)
                contact_date(days[contact["date"]])
                contact_type(contact_codes[contact["type"]])
                duration = contact.get("duration")
                contact_minutes(
                    _NAN
                    if duration is None
                    else float(duration["value"]) * minutes_per[duration["unit"]]
                )
            for prescription in support.get("social_prescriptions") or ():
                p_row(row)
                p_date(days[prescription["date"]])
                p_type(intervention_codes[prescription["intervention_type"]])
                named = (prescription.get("community_group"), prescription.get("directory_id"))
                group = written.get(named) or group_of(named)
                p_group(group[0])
                p_label(group[1])
                codes = prescription.get("five_ways")
                p_five_ways(reduce(or_, map(five_ways_bit, codes), 0) if codes else 0)
            outcomes = data.get("outcomes") or _NO_ENTRIES
            for measure in outcomes.get("measures") or ():
                m_row(row)
                key = (
                    measure["instrument"],
                    measure.get("score_name", "score"),
                    measure.get("value_set"),
                )
                number = measure_number(key)
                m_key(measures(key) if number is None else number)
                m_timepoint(timepoint_codes[measure["timepoint"]])
                m_date(days[measure["date"]])
                m_score(float(measure["score"]))
            codes = outcomes.get("employability")
            employability(reduce(or_, map(employability_bit, codes), 0) if codes else 0)
            codes = outcomes.get("wellbeing_aspects")
            aspects(reduce(or_, map(aspect_bit, codes), 0) if codes else 0)
            care = outcomes.get("social_care_package")
            if care is None:
                care_reviewed(NO_DATE)
                care_window(-1)
                care_change(-1)
            else:
                care_reviewed(days[care["reviewed_on"]])
                care_window(int(care["window_months"]))
                care_change(care_change_codes[care["change"]])
            given = data.get("cohort")
            cohort(-1 if given is None else cohort_codes[given])
            for window in data.get("service_use") or ():
                number = len(window_column)
                for name, count in window["counts"].items():
                    use_window(number)
                    use_service(service_codes[name])
                    use_count(int(count))  # the schema's integer may be written 3.0
                w_row(row)
                w_side(side_codes[window["relative_to_referral"]])
                w_start(days[window["start_on"]])
                w_end(days[window["end_on"]])
                w_months(int(window["months"]))
                w_source(source_codes[window["source"]])
            closure = data.get("closure")
            if closure is None:
                closed(NO_DATE)
                closure_reason(-1)
            else:
                closed(days[closure["date"]])
                closure_reason(closure_codes[closure["reason"]])

        return add_record

    # ---------------------------------------------------------------- result

    def merge(self, part: _Part) -> None:
        """Append the columns of a chunk read on its own, renumbered as if read here."""
        columns = self.arrays
        bases = {name: len(columns[table]) for name, table in _POINTERS.items()}
        for name, (keys, hashes) in part.keys.items():
            # Kept until numbered, then freed: in memory of their own, so freeing gives it back.
            bases[_KEYED[name]] = self.keyed[name].add(in_own_memory(keys), in_own_memory(hashes))
        maps = {
            name: np.array([getattr(self, name)(v) for v in values] or [0], dtype=np.int64)
            for name, values in part.values.items()
        }
        for name, target in columns.items():
            assert isinstance(target, GrowingColumn), "only a merging builder merges"
            # A compiled column is a buffer too (NumPy's types name only the built-in ones).
            column = np.frombuffer(part.arrays[name], dtype=target.typecode)  # type: ignore[arg-type]
            if name in _NUMBERED and _NUMBERED[name] not in _KEYED:
                column = np.where(column >= 0, maps[_NUMBERED[name]][column], column)
            elif name in _KEYED.values():
                column = np.where(column >= 0, column + bases[name], column)
            elif name in bases:
                column = column + bases[name]
            target.extend(column)
        base = bases["contact_row"]
        for row, findings in part.problems.items():
            if self.unusable_kept < MAX_RECORD_FINDINGS:
                self.problems[base + row] = findings
                self.unusable_kept += 1

    def build(self, summary: ExtractSummary | None = None) -> CaseColumns:
        """The columns, sharing the arrays' memory (so nothing more can be appended)."""
        arrays = {name: _joined(column) for name, column in self.arrays.items()}
        case_ids = Identifiers.of(self.cases.values)
        # People first: the case keys are then numbered once the people's (twice their size)
        # are released, and each numbering's temporaries are released before the next.
        for name in reversed(_KEYED):
            keys, self.keyed[name] = self.keyed[name], Keys()
            if keys.count:
                assert not getattr(self, name).values, "a builder either adds items or merges"
                numbers, firsts = keys.numbers()
                column = arrays[_KEYED[name]]
                given = column >= 0
                column[given] = numbers[column[given]]
                del numbers, given
                if name == "cases":
                    case_ids = Identifiers(keys.take(firsts))
                del firsts
            del keys
        return CaseColumns(
            **arrays,
            case_ids=case_ids,
            scheme_ids=tuple(self.schemes.values),
            group_keys=tuple(self.groups.values),
            group_labels=tuple(self.labels.values),
            measure_keys=tuple(self.measures.values),
            problems=self.problems,
            summary=summary,
        )
