"""Looking for personal data in the free text of a return.

A return is a document of aggregates and must never identify a person
(nhse-cof-2018; spcore: returns are aggregates). Its closed schema refuses fields such
as a name or an NHS number, but free text (group names, descriptions, notes)
can still carry one. :func:`scan_text` finds five kinds of personal data in a
string; :func:`scan_document` walks every string of a JSON document.

What is looked for, and the source of each pattern:

* **NHS number** — ten digits, grouped 3-3-4 by spaces, hyphens or dots or
  not at all, whose tenth digit is the Modulus 11 check digit of the first
  nine (:mod:`spcore.framework.nhs_number`). Ten digits that fail the check
  are not reported, which keeps false alarms on other numbers rare.
* **Postcode** — a full UK postcode (outward and inward code), by the
  pattern UK Government published for bulk data transfer (Cabinet Office,
  "Bulk Data Transfer: additional validation for CAS upload", as reproduced
  in the Wikipedia article "Postcodes in the United Kingdom", section
  Validation), in capitals or all in lower case. An outward code alone
  ("LS1") is a district, not personal data, and is not reported.
* **Email address** — ``local@domain.tld``.
* **UK telephone number** — a national number of ten digits after the
  leading ``0`` (or after ``+44``) beginning ``01``, ``02`` or ``07``:
  geographic and mobile numbers, which can reach a person (Ofcom, National
  Telephone Numbering Plan). Non-geographic numbers (``03``, ``08``,
  ``09``) belong to organisations, such as a group's helpline, and are not
  reported.
* **Date of birth** — a date written after "DOB", "D.O.B.", "date of birth",
  "birth date" or "born" (``DOB 12/03/1961``, ``born 12 March 1961``,
  ``date of birth: 1961-03-12``). Other dates, such as when a group started,
  are not personal data and are not reported.

Findings never repeat what was found: they say what kind of data it is and
where (the field and the character position), so the report itself does not
spread the data.

Every pattern is linear: no nested repetition, and every repetition bounded,
so a hostile string cannot make the scan slow; each string is also scanned
only up to :data:`MAX_SCANNED_CHARS`, far beyond any field a return allows.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from spcore.findings import pointer
from spcore.framework.nhs_number import check_digit

#: Longest stretch of a string scanned (the longest free text a return allows is 4,000).
MAX_SCANNED_CHARS = 100_000

#: Most strings scanned in one document, and most matches reported from one string.
MAX_STRINGS = 200_000
MAX_MATCHES_PER_STRING = 20

#: Most matches reported from one document (per call): one is enough to refuse a
#: return, and a hostile file must not produce millions of findings.
MAX_MATCHES_PER_DOCUMENT = 200

#: Deepest nesting walked (the loader already refuses deeper documents).
MAX_DEPTH = 64


class Kind(enum.StrEnum):
    """The kinds of personal data looked for."""

    NHS_NUMBER = "NHS number"
    POSTCODE = "postcode"
    EMAIL = "email address"
    PHONE = "telephone number"
    DATE_OF_BIRTH = "date of birth"


_NHS = re.compile(r"(?<![0-9])([0-9]{3})[ .-]?([0-9]{3})[ .-]?([0-9]{4})(?![0-9])", re.ASCII)

# The government pattern, with the outward and inward code separated by at
# most one space, bounded by non-alphanumerics.
_POSTCODE_BODY = (
    r"(?:GIR ?0AA|(?:[A-Z][0-9]{1,2}|[A-Z][A-HJ-Y][0-9]{1,2}|[A-Z][0-9][A-Z]"
    r"|[A-Z][A-HJ-Y][0-9][A-Z]) ?[0-9][A-Z]{2})"
)
_POSTCODE = re.compile(rf"(?<![A-Za-z0-9]){_POSTCODE_BODY}(?![A-Za-z0-9])", re.ASCII)
_POSTCODE_LOWER = re.compile(rf"(?<![A-Za-z0-9]){_POSTCODE_BODY.lower()}(?![A-Za-z0-9])", re.ASCII)

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}",
    re.ASCII,
)

_PHONE = re.compile(
    r"(?<![0-9+])(?:\+44[ ]?(?:\(0\)[ ]?)?|0)([127](?:[ -]?[0-9]){9})(?![0-9])", re.ASCII
)

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = (
    r"(?:[0-9]{1,2}[/.-][0-9]{1,2}[/.-](?:[0-9]{4}|[0-9]{2})"
    r"|[0-9]{4}-[0-9]{2}-[0-9]{2}"
    rf"|[0-9]{{1,2}}(?:st|nd|rd|th)? {_MONTHS},? [0-9]{{4}}"
    rf"|{_MONTHS} [0-9]{{1,2}}(?:st|nd|rd|th)?,? [0-9]{{4}})"
)
_DOB = re.compile(
    r"\b(?:d\.?o\.?b\b\.?|date of birth|birth ?date|born(?: on)?)[ \t:,-]{0,5}" + _DATE,
    re.IGNORECASE | re.ASCII,
)


@attrs.frozen
class Match:
    """Personal data found in a string: its kind and where (character offsets, end exclusive)."""

    kind: Kind
    start: int
    end: int


def _nhs_numbers(text: str) -> Iterator[Match]:
    for m in _NHS.finditer(text):
        digits = "".join(m.groups())
        if check_digit(digits[:9]) == int(digits[9]):
            yield Match(Kind.NHS_NUMBER, m.start(), m.end())


def _postcodes(text: str) -> Iterator[Match]:
    for pattern in (_POSTCODE, _POSTCODE_LOWER):
        for m in pattern.finditer(text):
            yield Match(Kind.POSTCODE, m.start(), m.end())


def _simple(kind: Kind, pattern: re.Pattern[str], needed: str | None) -> Any:
    def find(text: str) -> Iterator[Match]:
        if needed is not None and needed not in text:
            return
        for m in pattern.finditer(text):
            yield Match(kind, m.start(), m.end())

    return find


_FINDERS = {
    Kind.NHS_NUMBER: _nhs_numbers,
    Kind.POSTCODE: _postcodes,
    Kind.EMAIL: _simple(Kind.EMAIL, _EMAIL, "@"),
    Kind.PHONE: _simple(Kind.PHONE, _PHONE, None),
    Kind.DATE_OF_BIRTH: _simple(Kind.DATE_OF_BIRTH, _DOB, None),
}


def scan_text(text: str, kinds: Iterable[Kind] = tuple(Kind)) -> list[Match]:
    """Every piece of personal data of the given ``kinds`` in ``text``, by position.

    Only the first :data:`MAX_SCANNED_CHARS` characters are scanned. Where two
    matches overlap, the kind listed first in :class:`Kind` is kept.
    """
    text = text[:MAX_SCANNED_CHARS]
    wanted = set(kinds)
    found: list[Match] = []
    for kind in (k for k in Kind if k in wanted):
        for match in _FINDERS[kind](text):
            if not any(m.start < match.end and match.start < m.end for m in found):
                found.append(match)
            if len(found) >= MAX_MATCHES_PER_STRING:
                break
    return sorted(found, key=lambda m: (m.start, m.kind.value))


def mask(text: str, match: Match) -> str:
    """``text`` with the matched data replaced by ``*`` (for showing context safely)."""
    return text[: match.start] + "*" * (match.end - match.start) + text[match.end :]


def free_text(document: Any) -> Iterator[tuple[str, str]]:
    """Every string in a JSON document, field names included, as ``(JSON Pointer, text)``.

    Nothing is skipped: in a valid return, codes, dates, periods and
    identifiers never match the patterns (a test checks the bundled example
    and generated returns), while in an invalid one any field, or the name of
    an unknown field, may hold anything.
    """
    stack: list[tuple[tuple[str | int, ...], Any, int]] = [((), document, 0)]
    seen = 0
    while stack and seen < MAX_STRINGS:
        path, value, depth = stack.pop()
        if isinstance(value, str):
            seen += 1
            yield pointer(*path), value
        elif depth >= MAX_DEPTH:
            continue
        elif isinstance(value, Mapping):
            items: list[tuple[tuple[str | int, ...], Any, int]] = []
            for key, item in value.items():
                items.append(((*path, str(key)), str(key), depth + 1))
                items.append(((*path, str(key)), item, depth + 1))
            stack.extend(reversed(items))
        elif isinstance(value, list):
            stack.extend(reversed([((*path, i), v, depth + 1) for i, v in enumerate(value)]))


def scan_document(
    document: Any, kinds: Iterable[Kind] = tuple(Kind), limit: int = MAX_MATCHES_PER_DOCUMENT
) -> Iterator[tuple[str, Match]]:
    """Personal data of ``kinds`` in a document's strings, with its pointer (at most ``limit``)."""
    wanted = tuple(kinds)
    found = 0
    for path, text in free_text(document):
        for match in scan_text(text, wanted):
            yield path, match
            found += 1
            if found >= limit:
                return
