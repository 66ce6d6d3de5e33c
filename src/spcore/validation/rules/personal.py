"""Rules: no personal data in the free text of a return.

These rules read the document as given, whether or not it passes the schema:
personal data in a malformed return is still personal data. The patterns and
their sources are in :mod:`spcore.validation.personal_data`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from typing import Any

from spcore.findings import Severity
from spcore.validation.personal_data import Kind, Match, article, scan_document
from spcore.validation.rules.base import DocumentRule, Problem

SECTION = "Personal data"
SOURCE = (
    "nhse-cof-2018; spcore, returns are aggregates (returns are aggregates and carry no personal "
    "identifiers)"
)
RATIONALE = (
    "A return is published as aggregates and must not identify anyone, so {what} in its text "
    "is an error whatever else is right."
)


#: The codes of these rules: a return with one of them is never written by spcore.
PERSONAL_DATA_CODES = frozenset({"SPC-R040", "SPC-R041", "SPC-R042", "SPC-R043", "SPC-R044"})


# The five rules read the same document one after another: it is scanned once, for
# every kind, and the matches kept for the next rule (only for that document). Kept for
# each thread: returns are validated side by side (spcore.aggregation.aggregate_each).
_last = threading.local()


def _matches(document: Mapping[str, Any]) -> list[tuple[str, Match]]:
    kept: tuple[Mapping[str, Any], list[tuple[str, Match]]] | None = getattr(_last, "kept", None)
    if kept is not None and kept[0] is document:
        return kept[1]
    found = list(scan_document(document))
    _last.kept = (document, found)
    return found


def _finder(kind: Kind) -> Any:
    def check(document: Mapping[str, Any]) -> Iterator[Problem]:
        for path, match in ((p, m) for p, m in _matches(document) if m.kind is kind):
            yield (
                path,
                f"This text contains what looks like {article(kind)} {kind.value} "
                f"(characters {match.start + 1} to {match.end}); remove it, as a return "
                "must not identify anyone.",
            )

    return check


def _rule(code: str, kind: Kind, extra: str, fails: str, passes: str) -> DocumentRule:
    return DocumentRule(
        code=code,
        severity=Severity.ERROR,
        section=SECTION,
        title=f"{kind.value[0].upper()}{kind.value[1:]} in free text",
        rationale=RATIONALE.format(what=f"{article(kind)} {kind.value}") + " " + extra,
        source=SOURCE,
        fails=fails,
        passes=passes,
        check=_finder(kind),
    )


NHS_NUMBER = _rule(
    "SPC-R040",
    Kind.NHS_NUMBER,
    "Ten digits count only when the last is the Modulus 11 check digit (NHS Data Dictionary).",
    "Notes: 'Follow-up for 943 476 5919 delayed.'",
    "Notes: 'Reference 943 476 5918' (fails the Modulus 11 check).",
)
POSTCODE = _rule(
    "SPC-R041",
    Kind.POSTCODE,
    "A full postcode (by the UK Government bulk data pattern) can narrow an address to a few "
    "homes; a district such as 'LS1' is allowed.",
    "Group name: 'Tuesday walk from LS1 4AP'.",
    "Group name: 'Tuesday walk, Leeds LS1'.",
)
EMAIL = _rule(
    "SPC-R042",
    Kind.EMAIL,
    "An email address usually names a person.",
    "Notes: 'Contact jane.smith@example.org about the figures.'",
    "Notes: 'Contact the scheme office about the figures.'",
)
PHONE = _rule(
    "SPC-R043",
    Kind.PHONE,
    "Geographic and mobile numbers (01, 02, 07) can reach a person; non-geographic numbers "
    "(03, 08, 09) belong to organisations and are allowed.",
    "Notes: 'Ring 07700 900123 for the referral.'",
    "Group name: 'Carers helpline 0800 123 4567'.",
)
DATE_OF_BIRTH = _rule(
    "SPC-R044",
    Kind.DATE_OF_BIRTH,
    "Only a date written as a date of birth ('DOB', 'born') is reported; other dates are fine.",
    "Notes: 'One man (DOB 12/03/1961) moved away.'",
    "Notes: 'The group started on 12/03/2024.'",
)

#: The rules of this module, in catalogue order.
RULES: tuple[DocumentRule, ...] = (NHS_NUMBER, POSTCODE, EMAIL, PHONE, DATE_OF_BIRTH)
