"""Rule: a retired code is reported with the code to use instead.

The rule reads the document as given, valid or not, like the personal-data
rules: a retired code is still valid, so a return using one would otherwise
pass without a word. Where codes can appear and what replaces them is data:
:mod:`spcore.validation.deprecated_codes` reads both from the schema and the
codelists' ``Deprecated`` column.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from spcore.findings import Severity
from spcore.validation import deprecated_codes
from spcore.validation.rules.base import DocumentRule, Problem

RETIRED_CODE = "SPC-R082"


def _retired(document: Mapping[str, Any]) -> Iterator[Problem]:
    yield from deprecated_codes.problems(document, "quarterly-return")


RETIRED = DocumentRule(
    code=RETIRED_CODE,
    severity=Severity.WARNING,
    section="Codes",
    title="A retired code",
    rationale=(
        "A codelist retires a code when its meaning is split or renamed; the code stays valid so "
        "that returns written before still are, but each use is reported with the code to use "
        "instead (the codelist's Deprecated column): a warning."
    ),
    source="spcore, the codelists' Deprecated column (see each codelist's page)",
    fails="Cases closed by reason: 'escalated': 3 (use 'handed-over').",
    passes="Cases closed by reason: 'handed-over': 3.",
    check=_retired,
)

#: The rules of this module, in catalogue order.
RULES: tuple[DocumentRule, ...] = (RETIRED,)
