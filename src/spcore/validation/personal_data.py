"""Looking for personal data in the free text of a return.

A return is a document of aggregates and must never identify a person
(nhse-cof-2018; spcore: returns are aggregates). Its closed schema refuses fields such
as a name or an NHS number, but free text (group names, descriptions, notes)
can still carry one. :func:`scan_text` finds five kinds of personal data in a
string; :func:`scan_document` walks every string of a JSON document.

What is looked for, and the source of each pattern:

* **NHS number** — ten digits, in any grouping (3-3-4, 4-3-3 or none) with
  single spaces, tabs, hyphens, dots or slashes between them, whose tenth
  digit is the Modulus 11 check digit of the first nine
  (:mod:`spcore.framework.nhs_number`). Ten digits that fail the check are
  not reported, which keeps false alarms on other numbers rare.
* **Postcode** — a full UK postcode (outward and inward code), by the
  pattern UK Government published for bulk data transfer (Cabinet Office,
  "Bulk Data Transfer: additional validation for CAS upload", as reproduced
  in the Wikipedia article "Postcodes in the United Kingdom", section
  Validation), in any mix of capitals and lower case. An outward code alone
  ("LS1") is a district, not personal data, and is not reported.
* **Email address** — ``local@domain.tld``.
* **UK telephone number** — found by Google's libphonenumber (the
  ``phonenumbers`` package) in any spelling it reads (``(01632) 960000``,
  ``0044 …``, ``+44-…``, ``07700.900.123``), written with the trunk prefix
  ``0`` or an international prefix, whose national number begins ``1``,
  ``2`` or ``7``: geographic and mobile numbers, which can reach a person
  (Ofcom, National Telephone Numbering Plan). Non-geographic numbers
  (``03``, ``08``, ``09``) belong to organisations, such as a group's
  helpline, and are not reported.
* **Date of birth** — a date written after "DOB", "D.O.B.", "date of birth"
  (or "date-of-birth"), "birth date", "born" or "b." (``DOB 12/03/1961``,
  ``dob 12-Mar-1961``, ``DOB: 12 Mar 61``, ``DOB 1961/03/12``,
  ``b. 12/03/1961``, ``born 12 March 1961``). Other dates, such as when a
  group started, are not personal data and are not reported.

Text is normalised before it is matched, so a spelling cannot slip past:
Unicode compatibility forms (NFKC: fullwidth digits and letters,
non-breaking and thin spaces), decimal digits of every script (Arabic-Indic,
Devanagari…) as ASCII digits, every dash as a hyphen, every run of
whitespace (tabs included) as one space, and, for postcodes, any case.
Positions are reported in the original text.

Findings never repeat what was found: they say what kind of data it is and
where (the field and the character position), so the report itself does not
spread the data.

Every pattern is linear: no nested repetition, and every repetition bounded,
so a hostile string cannot make the scan slow; each string is also scanned
only up to :data:`MAX_SCANNED_CHARS`, far beyond any field a return allows.
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from spcore import limits
from spcore.findings import pointer
from spcore.framework.nhs_number import check_digit

#: Longest stretch of a string scanned (the longest free text a return allows is 4,000).
MAX_SCANNED_CHARS = limits.SCAN_MAX_CHARS

#: Most strings scanned in one document, and most matches reported from one string.
MAX_STRINGS = limits.SCAN_MAX_STRINGS
MAX_MATCHES_PER_STRING = limits.SCAN_MAX_MATCHES_PER_STRING

#: Most matches reported from one document (per call): one is enough to refuse a
#: return, and a hostile file must not produce millions of findings.
MAX_MATCHES_PER_DOCUMENT = limits.SCAN_MAX_MATCHES_PER_DOCUMENT

#: Deepest nesting walked (the loader already refuses deeper documents).
MAX_DEPTH = limits.MAX_DEPTH


class Kind(enum.StrEnum):
    """The kinds of personal data looked for."""

    NHS_NUMBER = "NHS number"
    POSTCODE = "postcode"
    EMAIL = "email address"
    PHONE = "telephone number"
    DATE_OF_BIRTH = "date of birth"


# -- normalising -------------------------------------------------------------------------

_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")


def _fold(char: str) -> str:
    """One character's normal form: NFKC, then ASCII digits, hyphens and spaces."""
    folded = unicodedata.normalize("NFKC", char)
    out = []
    for c in folded:
        if c.isascii():
            out.append(" " if c.isspace() else c)
        elif c.isspace():
            out.append(" ")
        elif c in _DASHES:
            out.append("-")
        else:
            digit = unicodedata.decimal(c, None)
            out.append(str(digit) if digit is not None else c)
    return "".join(out)


class Normalised(NamedTuple):
    """Text normalised for matching, with where each character came from."""

    text: str
    origin: tuple[int, ...] | None
    """Index in the original text of each character (None: the same index)."""
    length: int

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's span for the normalised span ``[start, end)``."""
        if self.origin is None:
            return start, end
        first = self.origin[start] if start < len(self.origin) else self.length
        last = self.origin[end - 1] + 1 if end - 1 < len(self.origin) else self.length
        return first, last


# Anything but printable ASCII, or two spaces: the text must be folded.
_NEEDS_FOLDING = re.compile(r"[^\x20-\x7e]| {2}")


def normalise(text: str) -> Normalised:
    """``text`` normalised as the module says, keeping the original positions."""
    if not _NEEDS_FOLDING.search(text):
        return Normalised(text, None, len(text))
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for c in _fold(char) if not char.isascii() or char.isspace() else char:
            if c == " " and chars and chars[-1] == " ":
                continue  # a run of whitespace is one space
            chars.append(c)
            origin.append(index)
    return Normalised("".join(chars), tuple(origin), len(text))


# -- patterns ----------------------------------------------------------------------------

# Not inside a longer run of letters and digits (a UUID's last group, a hex pseudonym).
_NHS = re.compile(r"(?<![0-9A-Za-z])[0-9](?:[ ./-]?[0-9]){9}(?![ ./-]?[0-9])(?![A-Za-z])", re.ASCII)

# The government pattern, with the outward and inward code separated by at
# most one space, bounded by non-alphanumerics; matched on upper-cased text.
_POSTCODE_BODY = (
    r"(?:GIR ?0AA|(?:[A-Z][0-9]{1,2}|[A-Z][A-HJ-Y][0-9]{1,2}|[A-Z][0-9][A-Z]"
    r"|[A-Z][A-HJ-Y][0-9][A-Z]) ?[0-9][A-Z]{2})"
)
_POSTCODE = re.compile(rf"(?<![A-Z0-9]){_POSTCODE_BODY}(?![A-Z0-9])", re.ASCII)

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}",
    re.ASCII,
)

# Something that may be a UK number: the trunk prefix 0 or +44/0044, then 8 or more
# digits with separators. Only text with one is handed to libphonenumber.
_PHONE_HINT = re.compile(r"(?:\+ ?44|\b0)(?:[ ().\-/]{0,3}[0-9]){8}", re.ASCII)

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_YEAR = r"(?:[0-9]{4}|[0-9]{2})(?![0-9])"
_DATE = (
    r"(?:[0-9]{1,2}[/.-][0-9]{1,2}[/.-]"
    + _YEAR
    + r"|[0-9]{4}[/.-][0-9]{1,2}[/.-][0-9]{1,2}(?![0-9])"
    + rf"|[0-9]{{1,2}}(?:st|nd|rd|th)?[ .-]{{0,2}}{_MONTHS}\.?[ .,-]{{0,3}}{_YEAR}"
    + rf"|{_MONTHS}\.?[ .-]{{0,2}}[0-9]{{1,2}}(?:st|nd|rd|th)?,?[ .-]{{0,2}}{_YEAR})"
)
_DOB = re.compile(
    r"(?<![a-z])(?:d ?\.? ?o ?\.? ?b\b\.?|date[ -]?of[ -]?birth|birth[ -]?date|born(?: on)?"
    r"|b\.)[ :,.-]{0,5}" + _DATE,
    re.IGNORECASE | re.ASCII,
)

# Text without a digit or an at sign holds none of the kinds: skipped at once.
_MAYBE = re.compile(r"[0-9@\uff20]|[^\x00-\x7f]")


def may_hold(text: str) -> bool:
    """False when ``text`` can hold none of the kinds (it has no digit, at sign or non-ASCII)."""
    return _MAYBE.search(text) is not None


class Match(NamedTuple):
    """Personal data found in a string: its kind and where (character offsets, end exclusive)."""

    kind: Kind
    start: int
    end: int


def article(kind: Kind) -> str:
    """ "a" or "an", as the kind's name takes."""
    return "an" if kind.value[0] in "aeiou" or kind is Kind.NHS_NUMBER else "a"


def _nhs_numbers(text: str) -> Iterator[tuple[int, int]]:
    for m in _NHS.finditer(text):
        digits = re.sub(r"[^0-9]", "", m.group(0))
        if check_digit(digits[:9]) == int(digits[9]):
            yield m.start(), m.end()


def _postcodes(text: str) -> Iterator[tuple[int, int]]:
    upper = text.upper()
    if len(upper) != len(text):  # a character whose capital is longer (ß): keep positions
        upper = "".join(c.upper() if len(c.upper()) == 1 else c for c in text)
    for m in _POSTCODE.finditer(upper):
        yield m.start(), m.end()


def _emails(text: str) -> Iterator[tuple[int, int]]:
    if "@" in text:
        for m in _EMAIL.finditer(text):
            yield m.start(), m.end()


@functools.cache
def _phonenumbers() -> Any:
    import phonenumbers  # a large module: loaded when a number may be present

    return phonenumbers


def _phones(text: str) -> Iterator[tuple[int, int]]:
    if not _PHONE_HINT.search(text):
        return
    pn = _phonenumbers()
    for found in pn.PhoneNumberMatcher(text, "GB", leniency=pn.Leniency.POSSIBLE):
        number = found.number
        raw = found.raw_string.lstrip("( ")
        national = pn.national_significant_number(number)
        if (
            number.country_code == 44
            and raw[:1] in ("0", "+")
            and national[:1] in ("1", "2", "7")
            and len(national) in (9, 10)
            and pn.is_possible_number(number)
        ):
            yield found.start, found.end


def _dates_of_birth(text: str) -> Iterator[tuple[int, int]]:
    for m in _DOB.finditer(text):
        yield m.start(), m.end()


_FINDERS = {
    Kind.NHS_NUMBER: _nhs_numbers,
    Kind.POSTCODE: _postcodes,
    Kind.EMAIL: _emails,
    Kind.PHONE: _phones,
    Kind.DATE_OF_BIRTH: _dates_of_birth,
}


def scan_text(text: str, kinds: Iterable[Kind] = tuple(Kind)) -> list[Match]:
    """Every piece of personal data of the given ``kinds`` in ``text``, by position.

    The text is normalised first (see the module); positions are in the
    original text. Only the first :data:`MAX_SCANNED_CHARS` characters are
    scanned. Where two matches overlap, the kind listed first in
    :class:`Kind` is kept.
    """
    text = text[:MAX_SCANNED_CHARS]
    if not _MAYBE.search(text):
        return []
    norm = normalise(text)
    wanted = set(kinds)
    found: list[Match] = []
    for kind in (k for k in Kind if k in wanted):
        for start, end in _FINDERS[kind](norm.text):
            first, last = norm.span(start, end)
            match = Match(kind, first, last)
            if not any(m.start < match.end and match.start < m.end for m in found):
                found.append(match)
            if len(found) >= MAX_MATCHES_PER_STRING:
                break
    return sorted(found, key=lambda m: (m.start, m.kind.value))


def mask(text: str, match: Match) -> str:
    """``text`` with the matched data replaced by ``*`` (for showing context safely)."""
    return text[: match.start] + "*" * (match.end - match.start) + text[match.end :]


def redact(text: str, matches: Iterable[Match]) -> str:
    """``text`` with every match replaced by ``[<kind> removed]``."""
    out = text
    for match in sorted(matches, key=lambda m: m.start, reverse=True):
        out = f"{out[: match.start]}[{match.kind.value} removed]{out[match.end :]}"
    return out


def _strings(document: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    stack: list[tuple[tuple[str | int, ...], Any, int]] = [((), document, 0)]
    seen = 0
    while stack and seen < MAX_STRINGS:
        path, value, depth = stack.pop()
        if isinstance(value, str):
            seen += 1
            yield path, value
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


def free_text(document: Any) -> Iterator[tuple[str, str]]:
    """Every string in a JSON document, field names included, as ``(JSON Pointer, text)``.

    Nothing is skipped: in a valid return, codes, dates, periods and
    identifiers never match the patterns (a test checks the bundled example
    and generated returns), while in an invalid one any field, or the name of
    an unknown field, may hold anything.
    """
    for path, text in _strings(document):
        yield pointer(*path), text


def scan_document(
    document: Any, kinds: Iterable[Kind] = tuple(Kind), limit: int = MAX_MATCHES_PER_DOCUMENT
) -> Iterator[tuple[str, Match]]:
    """Personal data of ``kinds`` in a document's strings, with its pointer (at most ``limit``)."""
    wanted = tuple(kinds)
    found = 0
    for path, text in _strings(document):
        if not may_hold(text):
            continue
        for match in scan_text(text, wanted):
            yield pointer(*path), match
            found += 1
            if found >= limit:
                return


def free_text_paths(schema: Mapping[str, Any]) -> tuple[tuple[str, ...], ...]:
    """Where a document of ``schema`` holds free text, as paths (``*``: every list entry).

    Free text is a string with no ``pattern``, ``format``, ``enum`` or
    ``const``: codes, dates and identifiers are left out, so a pseudonym that
    happens to contain ten digits is not taken for an NHS number. Local
    ``$ref`` s are followed; ``$schema`` is not free text.
    """
    defs = schema.get("$defs", {})
    found: set[tuple[str, ...]] = set()
    stack: list[tuple[Any, tuple[str, ...], int]] = [(schema, (), 0)]
    while stack:
        node, path, depth = stack.pop()
        if not isinstance(node, Mapping) or depth > MAX_DEPTH:
            continue
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            stack.append((defs.get(ref.removeprefix("#/$defs/")), path, depth + 1))
        for key in ("anyOf", "oneOf", "allOf"):
            stack.extend((option, path, depth + 1) for option in node.get(key, ()))
        if node.get("type") == "string" and not any(
            k in node for k in ("pattern", "format", "enum", "const")
        ):
            found.add(path)
        for name, sub in node.get("properties", {}).items():
            if name != "$schema":
                stack.append((sub, (*path, name), depth + 1))
        if "items" in node:
            stack.append((node["items"], (*path, "*"), depth + 1))
    return tuple(sorted(found))


def scan_paths(
    document: Any, paths: Iterable[tuple[str, ...]], kinds: Iterable[Kind] = tuple(Kind)
) -> Iterator[tuple[str, Match]]:
    """Personal data in the strings of ``document`` at ``paths`` (see :func:`free_text_paths`)."""
    wanted = tuple(kinds)
    for path in paths:
        stack: list[tuple[Any, tuple[str | int, ...], int]] = [(document, (), 0)]
        while stack:
            value, where, step = stack.pop()
            if step == len(path):
                if isinstance(value, str) and may_hold(value):
                    for match in scan_text(value, wanted):
                        yield pointer(*where), match
                continue
            token = path[step]
            if token == "*" and isinstance(value, list):
                stack.extend((v, (*where, i), step + 1) for i, v in enumerate(value))
            elif isinstance(value, Mapping) and token in value:
                stack.append((value[token], (*where, token), step + 1))
