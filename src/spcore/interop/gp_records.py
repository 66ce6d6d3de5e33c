"""GP-record extracts: SNOMED CT-coded events to referral, decline and consultation figures.

An extract is a CSV of coded events, the shape GP data extracts and research
datasets use: ``person_id`` (a pseudonym), ``date`` (YYYY-MM-DD) and ``code``
(a SNOMED CT concept id), optionally ``practice`` (ODS code) and ``pcn``.

* :func:`referrals_by_quarter` counts, per practice (or PCN) and NHS financial
  quarter, the people with a *Referral to social prescribing service* code and
  the people with a *Social prescribing declined* code — the national codes of
  ``interop/data/social-prescribing-snomed.csv``, each with its source. A
  person counts once per quarter: the referral code marks the first
  interaction of an episode, so repeats within a quarter are the same episode.
* :func:`consultations_in_windows` counts each referred person's GP
  consultations in the months before and after their first referral code
  (12 months each side by default: the before/after windows of dayson-2016 and
  hlp-2017's Bristol figures). Which codes are consultations is a code list the
  user supplies (``Code,Term,Source``): no national list could be verified, so
  none is bundled.

Bad rows (no person, an impossible date, a code that is not a SNOMED CT
concept id) are findings with their line number and are left out; they never
stop the file.
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import attrs

from spcore.findings import Finding, error, pointer
from spcore.framework.periods import FinancialQuarter
from spcore.interop import codes
from spcore.interop.terminology import is_sctid, social_prescribing_codes

#: Months each side of the referral in which consultations are counted (dayson-2016; hlp-2017).
DEFAULT_WINDOW_MONTHS = 12
#: Longest CSV field read: far beyond any id or code, small enough to refuse hostile files.
MAX_FIELD = 1024


@attrs.frozen
class Event:
    """One coded event of a GP record."""

    person: str
    date: dt.date
    code: str
    practice: str = ""
    pcn: str = ""


REQUIRED = ("person_id", "date", "code")


def read_events(path: str | Path) -> tuple[list[Event], list[Finding]]:
    """Every usable event of an extract, and a finding for every row left out."""
    findings: list[Finding] = []
    try:
        stream = Path(path).open(encoding="utf-8-sig", newline="")  # noqa: SIM115 (closed below)
    except OSError as exc:
        return [], [
            error(codes.EXTRACT_UNREADABLE, "", f"{path} cannot be read: {exc.strerror or exc}.")
        ]
    events: list[Event] = []
    previous_limit = csv.field_size_limit(MAX_FIELD)
    try:
        with stream:
            reader = csv.reader(stream)
            header = [h.strip() for h in next(reader, [])]
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                return [], [
                    error(
                        codes.EXTRACT_COLUMNS,
                        "",
                        f"The extract lacks the column(s) {', '.join(missing)}.",
                    )
                ]
            index = {
                name: header.index(name)
                for name in (*REQUIRED, "practice", "pcn")
                if name in header
            }
            for row in reader:
                line = reader.line_num
                event, problem = _event(row, index, len(header), line)
                if problem is not None:
                    findings.append(problem)
                elif event is not None:
                    events.append(event)
    except UnicodeDecodeError:
        findings.append(error(codes.EXTRACT_UNREADABLE, "", f"{path} is not UTF-8 text."))
    except csv.Error as exc:
        findings.append(
            error(
                codes.EXTRACT_UNREADABLE,
                "",
                f"{path} is not a readable CSV file: {str(exc)[:120]}.",
            )
        )
    finally:
        csv.field_size_limit(previous_limit)
    return events, findings


def _event(
    row: list[str], index: dict[str, int], width: int, line: int
) -> tuple[Event | None, Finding | None]:
    if not any(cell.strip() for cell in row):
        return None, None
    if len(row) > width:
        return None, error(
            codes.EXTRACT_BAD_ROW, pointer("lines", line), "The row has more cells than the header."
        )
    cells = {name: (row[i].strip() if i < len(row) else "") for name, i in index.items()}
    if not cells["person_id"]:
        return None, error(
            codes.EXTRACT_NO_PERSON, pointer("lines", line, "person_id"), "There is no person_id."
        )
    try:
        day = (
            dt.date.fromisoformat(cells["date"][:10])
            if len(cells["date"]) in (10, 19, 20, 25)
            else None
        )
    except ValueError:
        day = None
    if day is None:
        return None, error(
            codes.EXTRACT_BAD_DATE,
            pointer("lines", line, "date"),
            f"{cells['date'][:30]!r} is not a date (YYYY-MM-DD).",
        )
    if not is_sctid(cells["code"]):
        return None, error(
            codes.EXTRACT_BAD_CODE,
            pointer("lines", line, "code"),
            f"{cells['code'][:30]!r} is not a SNOMED CT concept id.",
        )
    return Event(
        cells["person_id"], day, cells["code"], cells.get("practice", ""), cells.get("pcn", "")
    ), None


def referrals_by_quarter(
    events: Iterable[Event], by: str = "practice"
) -> list[dict[str, str | int]]:
    """People referred and people declining, per practice (or ``pcn``) and financial quarter."""
    national = social_prescribing_codes()
    meaning = {national["referral"].code: "referred", national["declined"].code: "declined"}
    people: dict[tuple[str, str], dict[str, set[str]]] = collections.defaultdict(
        lambda: {"referred": set(), "declined": set()}
    )
    for event in events:
        kind = meaning.get(event.code)
        if kind is None:
            continue
        group = event.pcn if by == "pcn" else event.practice
        quarter = str(FinancialQuarter.from_date(event.date))
        people[(group, quarter)][kind].add(event.person)
    return [
        {
            by: group,
            "quarter": quarter,
            "referred": len(sets["referred"]),
            "declined": len(sets["declined"]),
        }
        for (group, quarter), sets in sorted(people.items())
    ]


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def consultations_in_windows(
    events: Iterable[Event], consultation_codes: set[str], months: int = DEFAULT_WINDOW_MONTHS
) -> list[dict[str, str | int]]:
    """Each referred person's consultations in the ``months`` before and after their first referral.

    The window before is ``[referral - months, referral)``; the window after is
    ``[referral, referral + months)``, so the day of the referral counts after it.
    """
    referral = social_prescribing_codes()["referral"].code
    listed = list(events)
    first: dict[str, dt.date] = {}
    for event in listed:
        if event.code == referral and (
            event.person not in first or event.date < first[event.person]
        ):
            first[event.person] = event.date
    counts = {person: [0, 0] for person in first}
    for event in listed:
        index = first.get(event.person)
        if index is None or event.code not in consultation_codes:
            continue
        if _add_months(index, -months) <= event.date < index:
            counts[event.person][0] += 1
        elif index <= event.date < _add_months(index, months):
            counts[event.person][1] += 1
    return [
        {
            "person_id": person,
            "referral_date": first[person].isoformat(),
            "before": before,
            "after": after,
        }
        for person, (before, after) in sorted(counts.items())
    ]


def read_code_list(path: str | Path) -> tuple[set[str], list[Finding]]:
    """A code list CSV (``Code,Term,Source``): its well-formed codes, and findings for the rest."""
    events: set[str] = set()
    findings: list[Finding] = []
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as stream:
            rows = list(csv.DictReader(stream))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return set(), [
            error(
                codes.EXTRACT_UNREADABLE,
                "",
                f"{path} cannot be read as a code list: {str(exc)[:120]}.",
            )
        ]
    for number, row in enumerate(rows, start=2):
        code = (row.get("Code") or "").strip()
        if not is_sctid(code):
            findings.append(
                error(
                    codes.EXTRACT_BAD_CODE,
                    pointer("lines", number, "Code"),
                    f"{code[:30]!r} is not a SNOMED CT concept id.",
                )
            )
            continue
        if not (row.get("Source") or "").strip():
            findings.append(
                error(
                    codes.EXTRACT_BAD_CODE,
                    pointer("lines", number, "Source"),
                    f"Code {code} has no Source.",
                )
            )
            continue
        events.add(code)
    return events, findings
