"""Synthetic *identifiable* case records: what a scheme's own system holds, for nobody.

``spcore pseudonymise`` reads identifiable records (a case record whose
``case_id`` is the scheme's local reference, with the person's NHS number,
name, date of birth and postcode at the top level; see
:mod:`spcore.pseudonymise.identifiable`). To try the whole path from a
scheme's system to a published return without anyone's data, this module
turns the synthetic case records of :mod:`spcore.cases.synth` into that
form:

* ``case_id`` becomes a local reference (``NC/2025/000042``, the scheme's
  initials, the year of referral and the record's number);
* ``person_id`` is replaced by the person's identity — an NHS number from the
  ``999`` range, which the NHS never issues to patients and keeps for
  testing (NHS Digital, "NHS number" test data guidance), with a valid
  Modulus 11 check digit; a fictional name; a date of birth that falls in the
  record's age band on its referral date; a postcode in the fictional area
  ``NS`` — the same identity each time the same person is referred again;
* the age band is left for pseudonymisation to derive from the date of
  birth (a record whose band is ``unknown`` has no date of birth).

Every record pseudonymises without findings, so ``synth identifiable →
pseudonymise → cases check → aggregate → validate`` runs end to end.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from spcore.cases.synth import DEFAULT_SCHEMES, synth_cases
from spcore.framework import nhs_number

_GIVEN = ("Ada", "Bo", "Cyd", "Dov", "Eli", "Fen", "Gil", "Hal", "Ivo", "Jun", "Kit", "Lux")
_FAMILY = (
    "Testperson",
    "Examplename",
    "Sampleton",
    "Demoworth",
    "Mockford",
    "Fakeley",
    "Trialby",
    "Pretendon",
)
#: Oldest age drawn for the open-ended top band (85 and over).
_OLDEST = 99


def _initials(scheme_id: str) -> str:
    return "".join(word[0] for word in scheme_id.split("-") if word) or "SC"


def synthetic_nhs_number(rng: random.Random) -> str:
    """A valid NHS number (Modulus 11) from the ``999`` test range, written 3-3-4."""
    while True:
        first_nine = f"999{rng.randrange(1_000_000):06d}"
        digit = nhs_number.check_digit(first_nine)
        if digit is not None:
            text = f"{first_nine}{digit}"
            return f"{text[:3]} {text[3:6]} {text[6:]}"


def _birth_date(rng: random.Random, band: str, referred: dt.date) -> str | None:
    """A date of birth giving an age in ``band`` (``25-34``, ``85-plus``) on ``referred``."""
    match = re.fullmatch(r"(\d+)-(\d+|plus)", band)
    if match is None:
        return None  # "unknown": the scheme does not know the date of birth
    low = int(match[1])
    high = _OLDEST if match[2] == "plus" else int(match[2])
    age = rng.randint(low, high)
    # Born between `age + 1` years and `age` years before the referral (exclusive).
    latest = _years_before(referred, age)
    earliest = _years_before(referred, age + 1) + dt.timedelta(days=1)
    span = (latest - earliest).days
    return (earliest + dt.timedelta(days=rng.randint(0, span))).isoformat()


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def _identity(rng: random.Random) -> dict[str, str]:
    return {
        "nhs_number": synthetic_nhs_number(rng),
        "name": f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}",
        "postcode": f"NS{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
    }


def synth_identifiable(
    n: int,
    seed: int,
    *,
    year: int = 2025,
    schemes: Sequence[str] = DEFAULT_SCHEMES,
) -> Iterator[dict[str, Any]]:
    """Yield ``n`` synthetic identifiable case records; the same arguments give the same records.

    The cases are those of :func:`spcore.cases.synth.synth_cases` with the
    same arguments (all valid), in the identifiable form described above.
    """
    # A stream of its own, so the cases themselves match `synth cases` exactly.
    rng = random.Random(f"identities-{seed}")
    people: dict[str, dict[str, str]] = {}
    births: dict[str, str | None] = {}
    for index, case in enumerate(synth_cases(n, seed, year=year, schemes=schemes), start=1):
        pseudonym = case.pop("person_id")
        identity = people.setdefault(pseudonym, _identity(rng))
        referred = dt.date.fromisoformat(case["referral"]["date"])
        band = case["demographics"].pop("age_band")
        if pseudonym not in births or births[pseudonym] is None:
            births[pseudonym] = _birth_date(rng, band, referred)
        born = births[pseudonym]
        if born is None:
            case["demographics"]["age_band"] = band
        scheme = case["scheme_id"]
        local = f"{_initials(scheme)}/{referred.year}/{index:06d}"
        record: dict[str, Any] = {"case_id": local, **identity}
        if born is not None:
            record["date_of_birth"] = born
        record.update((k, v) for k, v in case.items() if k != "case_id")
        yield record


def write_identifiable_extract(
    out: TextIO,
    n: int,
    seed: int,
    *,
    year: int = 2025,
    schemes: Sequence[str] = DEFAULT_SCHEMES,
) -> int:
    """Write ``n`` synthetic identifiable records to ``out`` as NDJSON; return how many."""
    written = 0
    for record in synth_identifiable(n, seed, year=year, schemes=schemes):
        out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        written += 1
    return written
