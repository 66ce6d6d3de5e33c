"""The identifiable case record, and turning one into a pseudonymised case record.

An *identifiable* case record is a case record (``schemas/case-record``) as a
scheme's own system holds it: ``case_id`` is the scheme's local case
reference, and a few identifying fields may sit at its top level
(:data:`IDENTIFIABLE_FIELDS`). Pseudonymising it:

* replaces ``case_id`` with the case pseudonym (scheme id + local reference);
* puts the person pseudonym of ``nhs_number`` in ``person_id``;
* turns ``date_of_birth`` into ``demographics.age_band`` on the referral date;
* drops every other identifying field;
* checks the result against the case-record schema, and checks its free text
  for NHS numbers and for the person's name and postcode.

Everything else must already be a valid case record: an identifying field
anywhere but the top level is an unknown field (``SPC-S002``), and the record
is left out. A record with any error is left out of the output; nothing is
dropped silently.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from spcore.cases import check_record
from spcore.eligibility.calendar import age_on
from spcore.findings import Finding, error, has_errors, pointer, warning
from spcore.framework import nhs_number
from spcore.framework.enums import AgeBand
from spcore.pseudonymise.hashing import Pseudonymiser, local_id_problem
from spcore.validation.personal_data import Kind, scan_text


@attrs.frozen
class Treatment:
    """What pseudonymisation does with one identifying field."""

    action: str
    """``pseudonymised``, ``banded`` or ``dropped``."""
    becomes: str | None
    """The field of the case record it becomes, if any."""
    description: str


#: The identifying fields an identifiable case record may carry at its top
#: level, and what becomes of each. No other identifying field is accepted.
IDENTIFIABLE_FIELDS: dict[str, Treatment] = {
    "case_id": Treatment(
        "pseudonymised", "case_id", "The scheme's local case reference (required)."
    ),
    "nhs_number": Treatment(
        "pseudonymised",
        "person_id",
        "The person's NHS number, checked (form and Modulus 11) before it is hashed.",
    ),
    "date_of_birth": Treatment(
        "banded",
        "demographics.age_band",
        "Date of birth (YYYY-MM-DD): the age band on the referral date replaces it.",
    ),
    "name": Treatment("dropped", None, "The person's full name."),
    "given_name": Treatment("dropped", None, "The person's given name."),
    "family_name": Treatment("dropped", None, "The person's family name."),
    "address": Treatment("dropped", None, "The person's address."),
    "postcode": Treatment("dropped", None, "The person's postcode."),
    "telephone": Treatment("dropped", None, "The person's telephone number."),
    "email": Treatment("dropped", None, "The person's email address."),
    "gp_practice": Treatment(
        "dropped", None, "The person's GP practice (name or ODS code): it narrows who they are."
    ),
    "local_patient_id": Treatment(
        "dropped", None, "A hospital or GP system number for the person."
    ),
}

#: The oldest verified human lifespan, in completed years (Jeanne Calment,
#: 1875–1997, 122 years and 164 days). An older age is a mistyped date.
OLDEST_VERIFIED_AGE = 122

#: Fields whose values are pseudonyms: hex digits that may by chance contain
#: ten digits passing Modulus 11, so they are not searched for NHS numbers.
_PSEUDONYM_FIELDS = frozenset({"case_id", "person_id"})

#: An NHS number written in free text: ten digits, optionally 3-3-4 with a
#: space or hyphen, not part of a longer number.

#: Shortest word of a name searched for in free text: shorter ones ("Li", "O")
#: occur inside ordinary words and would only give false alarms.
_MIN_NAME_WORD = 3

_PLACEHOLDER_ID = "0" * 64


@attrs.frozen
class RecordResult:
    """A pseudonymised record, or ``None`` when errors keep it out, with the findings."""

    record: dict[str, Any] | None
    findings: tuple[Finding, ...] = ()


def mask(value: str) -> str:
    """``value`` with every character but the last two hidden: ``*** *** **19``.

    Findings quote a bad NHS number only this way, so a log never holds it.
    """
    text = value.strip()[:20]
    hidden = "".join("*" if c.isalnum() else c for c in text[:-2])
    return hidden + text[-2:]


def _band_ranges() -> list[tuple[int, int | None, AgeBand]]:
    """Age ranges read from the age-band codelist codes (``18-24``, ``85-plus``)."""
    ranges: list[tuple[int, int | None, AgeBand]] = []
    for band in AgeBand:
        match = re.fullmatch(r"(\d+)-(\d+|plus)", band.value)
        if match:
            upper = None if match[2] == "plus" else int(match[2])
            ranges.append((int(match[1]), upper, band))
    return ranges


_AGE_BANDS = _band_ranges()


def age_band(age: int) -> AgeBand:
    """The age-band code for an age in completed years (``unknown`` for a negative age)."""
    for lower, upper, band in _AGE_BANDS:
        if age >= lower and (upper is None or age <= upper):
            return band
    return AgeBand("unknown")


def _parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _referral_date(record: Mapping[str, Any]) -> dt.date | None:
    referral = record.get("referral")
    return _parse_date(referral.get("date")) if isinstance(referral, dict) else None


def _checked_nhs_number(value: Any, findings: list[Finding], base: str) -> str | None:
    where = base + pointer("nhs_number")
    if not isinstance(value, str):
        findings.append(
            error(
                "SPC-P021",
                where,
                'The NHS number must be written as text in quotes ("999 000 0018"), so that '
                "it keeps every digit; the record is left out.",
            )
        )
        return None
    problem = nhs_number.problem(value)
    if problem is not None:
        findings.append(
            error(
                "SPC-P020",
                where,
                f"The NHS number {mask(value)} is not valid: {problem} The record is left out.",
            )
        )
        return None
    return value


def _age_from_birth(
    value: Any, out: Mapping[str, Any], findings: list[Finding], base: str
) -> int | None:
    """Age on the referral date from a date of birth, or ``None`` with a finding."""
    where = base + pointer("date_of_birth")
    born = _parse_date(value)
    if born is None:
        findings.append(
            error(
                "SPC-P024",
                where,
                "The date of birth must be a real date written YYYY-MM-DD; the record is left out.",
            )
        )
        return None
    referred = _referral_date(out)
    if referred is None:
        return None  # the schema check reports the referral date
    age = age_on(born, referred)
    if age < 0:
        findings.append(
            error(
                "SPC-P024",
                where,
                "The date of birth is after the referral date; the record is left out.",
            )
        )
        return None
    if age > OLDEST_VERIFIED_AGE:
        findings.append(
            warning(
                "SPC-P026",
                where,
                f"The date of birth makes the person {age} on the referral date, older than "
                f"anyone has lived ({OLDEST_VERIFIED_AGE}); check it for a typing mistake.",
            )
        )
    return age


def _band_from_birth(value: Any, out: dict[str, Any], findings: list[Finding], base: str) -> None:
    """Put the age band of a date of birth in ``out``'s demographics (a copy, never the input)."""
    age = _age_from_birth(value, out, findings, base)
    demographics = out.get("demographics", {})
    if not isinstance(demographics, dict):
        return  # the schema check reports it
    demographics = out["demographics"] = dict(demographics)
    given = demographics.get("age_band")
    if age is None:
        # The record is left out for its date; "unknown" keeps a second,
        # redundant finding (age band missing) from hiding the real cause.
        demographics.setdefault("age_band", AgeBand("unknown").value)
        return
    band = age_band(age).value
    if given is not None and given != band:
        findings.append(
            warning(
                "SPC-P025",
                base + pointer("demographics", "age_band"),
                f"The age band given ({str(given)[:20]}) differs from the one the date of birth "
                f"gives on the referral date ({band}); the date of birth's band is used.",
            )
        )
    demographics["age_band"] = band


def _strings(value: Any, *path: str | int) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string in a JSON value with its path (iterative: no recursion limit)."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict):
            stack.extend(((*where, k), v) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend(((*where, i), v) for i, v in enumerate(item))


def _identifying_words(identifying: Mapping[str, Any]) -> list[re.Pattern[str]]:
    """Patterns for the person's name words and postcode, as whole words, any case."""
    words: set[str] = set()
    for field in ("name", "given_name", "family_name"):
        value = identifying.get(field)
        if isinstance(value, str):
            words.update(w for w in re.findall(r"[^\W\d_]+", value) if len(w) >= _MIN_NAME_WORD)
    patterns = [re.compile(rf"(?<!\w){re.escape(w)}(?!\w)", re.IGNORECASE) for w in words]
    postcode = identifying.get("postcode")
    if isinstance(postcode, str) and postcode.strip():
        # Any spacing of the postcode: "NS1 2AB", "ns12ab".
        compact = re.sub(r"\s+", "", postcode)
        spaced = r"\s*".join(re.escape(c) for c in compact)
        patterns.append(re.compile(rf"(?<!\w){spaced}(?!\w)", re.IGNORECASE))
    return patterns


def leak_findings(
    record: dict[str, Any], identifying: Mapping[str, Any], base: str = ""
) -> list[Finding]:
    """Findings for identifying text left in a pseudonymised ``record``'s free text.

    Text is scanned by the personal-data scanner every spcore check shares
    (:mod:`spcore.validation.personal_data`). A valid NHS number is an error
    (``SPC-P030``): the record is left out. Any other personal data it finds
    (a telephone number, a date of birth, an email address, a postcode) is
    never written: the field is removed from ``record`` and a warning
    (``SPC-P032``) says so. A word of the person's name or their postcode,
    from ``identifying``, is a warning (``SPC-P031``): it may be a
    coincidence ("Green" in "Green Gym"), so a person looks.
    """
    findings: list[Finding] = []
    patterns = _identifying_words(identifying)
    removed: list[tuple[str | int, ...]] = []
    for path, text in _strings(record):
        if path and path[0] in _PSEUDONYM_FIELDS:
            continue
        where = base + pointer(*path)
        kinds = {m.kind for m in scan_text(text)}
        if Kind.NHS_NUMBER in kinds:
            findings.append(
                error(
                    "SPC-P030",
                    where,
                    "This text holds a valid NHS number, which must never leave the scheme; "
                    "remove it. The record is left out.",
                )
            )
        elif kinds:
            named = " and ".join(sorted(k.value for k in kinds))
            findings.append(
                warning(
                    "SPC-P032",
                    where,
                    f"This text holds what looks like a {named}, which must never leave the "
                    "scheme; the field was left out of the output.",
                )
            )
            removed.append(path)
        elif any(p.search(text) for p in patterns):
            findings.append(
                warning(
                    "SPC-P031",
                    where,
                    "This text holds a word of the person's name or their postcode; check that "
                    "it does not identify them.",
                )
            )
    for path in removed:
        _remove(record, path)
    return findings


def _remove(record: dict[str, Any], path: tuple[str | int, ...]) -> None:
    """Remove the value at ``path`` (a field of an object, or an entry of a list)."""
    parent: Any = record
    for step in path[:-1]:
        parent = parent[step]
    if isinstance(parent, dict):
        parent.pop(path[-1], None)
    elif isinstance(parent, list) and isinstance(path[-1], int):
        parent[path[-1]] = None


def pseudonymise_record(
    data: Mapping[str, Any], pseudonymiser: Pseudonymiser, *, base: str = ""
) -> RecordResult:
    """Pseudonymise one identifiable case record (see the module for what happens).

    ``base`` is a JSON Pointer prefixed to every finding's path (for an
    extract, ``/lines/<n>``). The result's record is ``None`` when any
    finding is an error; otherwise it passes the case-record schema.
    """
    findings: list[Finding] = []
    rest = {k: v for k, v in data.items() if k not in IDENTIFIABLE_FIELDS and k != "$schema"}
    identifying = {k: v for k, v in data.items() if k in IDENTIFIABLE_FIELDS}
    if "person_id" in rest:
        findings.append(
            error(
                "SPC-P023",
                base + pointer("person_id"),
                "An identifiable record must not have a person_id: it is computed from the NHS "
                "number. Remove it; the record is left out.",
            )
        )
    case_id = _PLACEHOLDER_ID
    problem = local_id_problem(identifying.get("case_id"))
    scheme_id = rest.get("scheme_id")
    if problem is not None:
        findings.append(
            error("SPC-P022", base + pointer("case_id"), f"{problem} The record is left out.")
        )
    elif isinstance(scheme_id, str) and scheme_id:
        case_id = pseudonymiser.case(identifying["case_id"], scheme_id=scheme_id)
    # else: the schema check below reports the missing or wrong scheme_id.
    out: dict[str, Any] = {"case_id": case_id}
    if identifying.get("nhs_number") is not None:
        nhs = _checked_nhs_number(identifying["nhs_number"], findings, base)
        if nhs is not None:
            out["person_id"] = pseudonymiser.person(nhs)
    out.update(rest)
    if identifying.get("date_of_birth") is not None:
        _band_from_birth(identifying["date_of_birth"], out, findings, base)
    # The case-extract checker: the reference validator's findings, far faster.
    for finding in check_record(out):
        findings.append(attrs.evolve(finding, path=base + finding.path))
    leaks = leak_findings(out, identifying, base)
    findings.extend(leaks)
    if any(f.code == "SPC-P032" for f in leaks):
        # A field was removed: the record must still pass the schema without it.
        for finding in check_record(out):
            findings.append(attrs.evolve(finding, path=base + finding.path))
    if has_errors(findings):
        return RecordResult(None, tuple(findings))
    return RecordResult(out, tuple(findings))
