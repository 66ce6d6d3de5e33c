"""Which offered case records are counted, and the findings about those left out.

Both aggregation paths (record by record, and columnar) take records in with
the same checks and report a record left out with the same words, from the
functions here:

- a record that could not be read or is invalid (``SPC-A001``);
- a case identifier seen again among the cases that touch the quarter
  (``SPC-A002``; a repeat of a case outside the quarter changes no figure);
- a record of another scheme than the facts' (or, without facts, the first
  record's) (``SPC-A003``);
- a case closed before it was referred (``SPC-A004``).

Asked for one scheme of a commissioner's extract (``only``), the records of
the other schemes are not problems: they are counted on their own
(``other_schemes``), not left out with ``SPC-A003``.

A comparison person's record (``cohort`` other than ``referred``) is valid
but never counted in a return: it is held for evaluation. It is not left out
as a problem either; it is counted on its own (``comparison``) and reported.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import Any, Protocol

import attrs
import pydantic

from spcore.aggregation import derive
from spcore.cases.extracts import model_refusal
from spcore.cases.fastcheck import check_record
from spcore.cases.timing import record_errors
from spcore.findings import Finding, Severity, error, has_errors, pointer
from spcore.framework.case_record import CaseRecord
from spcore.rag import DateRange

#: Most findings kept about individual records for each finding code; past this
#: only the count grows. Per code, so that thousands of another scheme's cases
#: cannot crowd out the report of an unreadable line.
MAX_RECORD_FINDINGS = 1000

#: Codes of findings about one record left out. Their path is the record's
#: position in the input (from 0); their message names its line in the file.
RECORD_CODES = frozenset({"SPC-A001", "SPC-A002", "SPC-A003", "SPC-A004"})


class ExtractItemLike(Protocol):
    """An item of a case extract, as :func:`spcore.cases.read_extract` yields.

    An item may also have ``data``, the record as JSON data: an item read
    without building its model (``build_records=False``) is used through it.
    """

    @property
    def line(self) -> int:
        """The line of the extract the record starts on (0 for a problem with the file)."""
        ...

    @property
    def record(self) -> CaseRecord | None:
        """The record, or ``None`` when it could not be read or is invalid."""
        ...

    @property
    def findings(self) -> tuple[Finding, ...]:
        """What is wrong with the record."""
        ...


Offered = CaseRecord | ExtractItemLike | Mapping[str, Any]
"""What aggregation accepts as one item: a record, an extract item, or a record's JSON data."""


def unreadable_message(line: int, problems: tuple[Finding, ...]) -> str:
    """Why a record that could not be read or is invalid is left out: its first error."""
    errors = [p for p in problems if p.severity is Severity.ERROR] or list(problems)
    first = errors[0].message if errors else "it could not be read."
    return f"The record on line {line} is left out: {first}"


def other_scheme_message(case_id: str, line: int, scheme: str, expected: str) -> str:
    """Why another scheme's case is left out."""
    return (
        f"Case {case_id} (line {line}) belongs to scheme {scheme}, not {expected}; it is left out."
    )


def closed_before_referral_message(
    case_id: str, line: int, closed: dt.date, referred: dt.date
) -> str:
    """Why a case closed before its referral is left out."""
    return (
        f"Case {case_id} (line {line}) is closed on {closed}, before its referral on "
        f"{referred}; it is left out."
    )


def repeated_case_message(case_id: str, line: int) -> str:
    """Why a repeated case is left out."""
    return f"Case {case_id} (line {line}) appears again; it is counted once."


def record_finding(code: str, index: int, message: str) -> Finding:
    """The finding about a record left out; its path is the record's position (from 0)."""
    return error(code, pointer(index), message)


def item_data(item: ExtractItemLike) -> Any:
    """The item's record as JSON data when it was read and is valid, else ``None``."""
    data = getattr(item, "data", None)
    return None if data is None or has_errors(item.findings) else data


def checked(data: Any) -> tuple[CaseRecord | None, tuple[Finding, ...]]:
    """JSON data checked as :func:`spcore.cases.read_extract` checks a line.

    The case-record schema first, then the outcome measures' categories and the
    service-use windows' dates, then the model; the record, or ``None`` and why not.
    """
    findings = check_record(data) or record_errors(data)
    if findings:
        return None, findings
    try:
        return CaseRecord.model_validate(data), ()
    except (pydantic.ValidationError, ValueError, TypeError) as exc:
        return None, (model_refusal(exc),)


@attrs.define
class RecordIntake:
    """Checks each offered item and decides whether it is counted."""

    scheme_id: str | None
    #: True when the scheme was asked for, so other schemes' records are simply not its own.
    only: bool = False
    read: int = 0
    valid: int = 0
    skipped: int = 0
    #: Comparison people's records, valid and not counted (see the module docs).
    comparison: int = 0
    #: Records of other schemes, with ``only`` (see the module docs).
    other_schemes: int = 0
    seen: set[str] = attrs.field(factory=set)
    findings: list[Finding] = attrs.field(factory=list)
    skipped_by_code: Counter[str] = attrs.field(factory=Counter)

    def accept(self, index: int, item: Offered, period: DateRange) -> CaseRecord | None:
        """The record to count, or ``None`` (reported if unusable; silent if outside the period)."""
        record: CaseRecord | None
        problems: tuple[Finding, ...]
        if isinstance(item, CaseRecord):
            record, line, problems = item, index + 1, ()
        elif isinstance(item, Mapping):
            (record, problems), line = checked(item), index + 1
        else:
            record, line, problems = item.record, item.line, item.findings
            if line == 0:
                # A problem with the extract file itself, not a record.
                self.findings.extend(problems)
                return None
            data = item_data(item)
            if record is None and data is not None:
                # Read without building models (read_extract(build_records=False)).
                record, problems = checked(data)
        self.read += 1
        if record is None:
            return self._skip("SPC-A001", index, unreadable_message(line, problems))
        if self.scheme_id is None:
            self.scheme_id = record.scheme_id
        elif record.scheme_id != self.scheme_id and self.only:
            self.other_schemes += 1
            return None
        elif record.scheme_id != self.scheme_id:
            return self._skip(
                "SPC-A003",
                index,
                other_scheme_message(record.case_id, line, record.scheme_id, self.scheme_id),
            )
        if record.closure is not None and record.closure.date < record.referral.date:
            return self._skip(
                "SPC-A004",
                index,
                closed_before_referral_message(
                    record.case_id, line, record.closure.date, record.referral.date
                ),
            )
        if not derive.is_referred(record):
            self.comparison += 1
            return None
        self.valid += 1
        if not derive.touches(record, period):
            return None
        # Only cases that touch the quarter are remembered: a repeat of any other changes
        # no figure, and remembering every case would make memory grow with the extract.
        if record.case_id in self.seen:
            self.valid -= 1
            return self._skip("SPC-A002", index, repeated_case_message(record.case_id, line))
        self.seen.add(record.case_id)
        return record

    def _skip(self, code: str, index: int, message: str) -> CaseRecord | None:
        self.skipped += 1
        self.skipped_by_code[code] += 1
        if self.skipped_by_code[code] <= MAX_RECORD_FINDINGS:
            self.findings.append(record_finding(code, index, message))
        return None
