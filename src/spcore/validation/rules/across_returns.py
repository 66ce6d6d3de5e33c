"""Rules across several returns of one scheme given together.

A scheme sends one return per NHS quarter, always under the same identity
(seed 000, 'Phase 2': schemes upload their outputs regularly to a national
dashboard, which can only join returns up by the scheme). When several
returns are validated together, each finding is attached to the return it
concerns, pointing at ``/period`` or at the ``/scheme`` field that differs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence

from spcore.findings import Severity
from spcore.framework.periods import FinancialQuarter
from spcore.validation.rules.base import CrossProblem, CrossReturnRule, RuleContext

SECTION = "Across returns"
SOURCE = "seed 000, 'Phase 2' (regular returns to a national dashboard); DOMAIN.md §1"

#: Scheme fields compared across returns, with how they are named in messages.
IDENTITY_FIELDS = {
    "name": "scheme name",
    "provider": "provider",
    "commissioner_code": "commissioner code",
}


def _duplicate_quarters(contexts: Sequence[RuleContext]) -> Iterator[CrossProblem]:
    by_period: dict[FinancialQuarter, list[int]] = defaultdict(list)
    for index, ctx in enumerate(contexts):
        by_period[ctx.ret.period].append(index)
    for period, indexes in by_period.items():
        if len(indexes) < 2:
            continue
        for index in indexes:
            others = ", ".join(str(i + 1) for i in indexes if i != index)
            yield (
                index,
                "/period",
                f"Another return given with this one (number {others}) is also for {period}; "
                "send one return per quarter.",
            )


DUPLICATE_QUARTER = CrossReturnRule(
    code="SPC-R050",
    severity=Severity.ERROR,
    section=SECTION,
    title="Two returns for the same quarter",
    rationale=(
        "A scheme makes one return per quarter, and quarters do not overlap, so two returns for "
        "one quarter would count its figures twice: an error."
    ),
    source=SOURCE,
    fails="Two returns for 2025-26 Q2 from the same scheme.",
    passes="Returns for 2025-26 Q1 and 2025-26 Q2.",
    check=_duplicate_quarters,
)


def _reference(values: Sequence[str | None]) -> str | None:
    """The value most returns give (the first given, on a tie)."""
    counts = Counter(values)
    best = max(counts.values())
    return next(v for v in values if counts[v] == best)


def _id_differs(contexts: Sequence[RuleContext]) -> Iterator[CrossProblem]:
    ids = [ctx.ret.scheme.id for ctx in contexts]
    reference = _reference(ids)
    for index, scheme_id in enumerate(ids):
        if scheme_id != reference:
            yield (
                index,
                "/scheme/id",
                f"This return's scheme identifier is not the one the other returns use "
                f"('{reference}'); a scheme keeps one identifier in every return.",
            )


SCHEME_ID = CrossReturnRule(
    code="SPC-R051",
    severity=Severity.ERROR,
    section=SECTION,
    title="Scheme identifier differs between returns",
    rationale=(
        "The scheme identifier is agreed with the commissioner and is the same in every return, "
        "so returns given together under different identifiers are not one scheme's: an error."
    ),
    source=SOURCE,
    fails="Returns for Q1 and Q2 with scheme ids 'NORTHSHIRE-CONNECT' and 'NORTHSHIRE'.",
    passes="Returns for Q1 and Q2 both with scheme id 'NORTHSHIRE-CONNECT'.",
    check=_id_differs,
)


def _identity_differs(contexts: Sequence[RuleContext]) -> Iterator[CrossProblem]:
    for field, label in IDENTITY_FIELDS.items():
        values = [getattr(ctx.ret.scheme, field) for ctx in contexts]
        reference = _reference(values)
        for index, value in enumerate(values):
            if value != reference:
                yield (
                    index,
                    f"/scheme/{field}",
                    f"This return's {label} differs from the one the other returns give; check "
                    "it is the same scheme, or that the change is intended.",
                )


SCHEME_IDENTITY = CrossReturnRule(
    code="SPC-R052",
    severity=Severity.WARNING,
    section=SECTION,
    title="Scheme name, provider or commissioner differs between returns",
    rationale=(
        "A scheme's name, provider and commissioner normally stay the same from quarter to "
        "quarter; a difference is more often a typing slip than a change: a warning, because "
        "schemes are sometimes renamed or recommissioned."
    ),
    source=SOURCE,
    fails="Returns for Q1 and Q2 with commissioner codes 'QWO' and 'QWE'.",
    passes="Returns for Q1 and Q2 both with commissioner code 'QWO'.",
    check=_identity_differs,
)

#: The rules of this module, in catalogue order.
RULES: tuple[CrossReturnRule, ...] = (DUPLICATE_QUARTER, SCHEME_ID, SCHEME_IDENTITY)
