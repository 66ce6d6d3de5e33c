"""Rules across several returns given together.

A scheme sends one return per NHS quarter, always under the same identity
(nhse-cof-2018, 'Phase 2': schemes upload their outputs regularly to a national
dashboard, which can only join returns up by the scheme). Returns given
together are grouped by scheme identifier, so a commissioner can check the
returns of many schemes at once: the rules compare returns of the same
scheme, and look for one scheme written under two identifiers. Each finding
is attached to the return it concerns, pointing at ``/period`` or at the
``/scheme`` field that differs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence

from spcore.findings import Severity
from spcore.framework.periods import FinancialQuarter
from spcore.validation.rules.base import CrossProblem, CrossReturnRule, RuleContext

SECTION = "Across returns"
SOURCE = (
    "nhse-cof-2018, 'Phase 2' (regular returns to a national dashboard); "
    "nhs-data-dictionary, financial year (1 April to 31 March)"
)

#: Scheme fields compared across returns, with how they are named in messages.
IDENTITY_FIELDS = {
    "name": "scheme name",
    "provider": "provider",
    "commissioner_code": "commissioner code",
}


def _by_scheme(contexts: Sequence[RuleContext]) -> dict[str, list[int]]:
    """The positions of the returns of each scheme identifier."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, ctx in enumerate(contexts):
        groups[ctx.ret.scheme.id].append(index)
    return groups


def _duplicate_quarters(contexts: Sequence[RuleContext]) -> Iterator[CrossProblem]:
    by_period: dict[tuple[str, FinancialQuarter], list[int]] = defaultdict(list)
    for index, ctx in enumerate(contexts):
        by_period[ctx.ret.scheme.id, ctx.ret.period].append(index)
    for (_, period), indexes in by_period.items():
        if len(indexes) < 2:
            continue
        for index in indexes:
            others = ", ".join(contexts[i].label for i in indexes if i != index)
            yield (
                index,
                "/period",
                f"Another return of this scheme given with this one ({others}) is also for "
                f"{period}; send one return per quarter.",
            )


DUPLICATE_QUARTER = CrossReturnRule(
    code="SPC-R050",
    severity=Severity.ERROR,
    section=SECTION,
    title="Two returns of one scheme for the same quarter",
    rationale=(
        "A scheme makes one return per quarter, and quarters do not overlap, so two returns "
        "with the same scheme identifier for one quarter would count its figures twice: an "
        "error."
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


def _same_name(name: str) -> str:
    return " ".join(name.casefold().split())


def _one_scheme_two_ids(contexts: Sequence[RuleContext]) -> Iterator[CrossProblem]:
    by_name: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for index, ctx in enumerate(contexts):
        scheme = ctx.ret.scheme
        by_name[_same_name(scheme.name), scheme.commissioner_code].append(index)
    for indexes in by_name.values():
        ids = [contexts[i].ret.scheme.id for i in indexes]
        if len(set(ids)) < 2:
            continue
        reference = _reference(ids)
        for index, scheme_id in zip(indexes, ids, strict=True):
            if scheme_id != reference:
                yield (
                    index,
                    "/scheme/id",
                    f"Another return names the same scheme and commissioner under the "
                    f"identifier '{reference}'; a scheme keeps one identifier in every return.",
                )


SCHEME_ID = CrossReturnRule(
    code="SPC-R051",
    severity=Severity.WARNING,
    section=SECTION,
    title="One scheme under two identifiers",
    rationale=(
        "The scheme identifier is agreed with the commissioner and is the same in every return, "
        "so returns with the same scheme name and commissioner under different identifiers "
        "most likely mistype it: a warning, as two schemes may share a name."
    ),
    source=SOURCE,
    fails="Returns for Q1 and Q2 of 'Northshire Connect' with ids 'NORTHSHIRE' and "
    "'NORTHSHIRE-CONNECT'.",
    passes="Returns for Q1 and Q2 of 'Northshire Connect', both with id 'NORTHSHIRE-CONNECT'.",
    check=_one_scheme_two_ids,
)


def _identity_differs(contexts: Sequence[RuleContext]) -> Iterator[CrossProblem]:
    for indexes in _by_scheme(contexts).values():
        for field, label in IDENTITY_FIELDS.items():
            values = [getattr(contexts[i].ret.scheme, field) for i in indexes]
            reference = _reference(values)
            for index, value in zip(indexes, values, strict=True):
                if value == reference:
                    continue
                yield (
                    index,
                    f"/scheme/{field}",
                    f"This return's {label} differs from the one the scheme's other returns "
                    "give; check the change is intended.",
                )


SCHEME_IDENTITY = CrossReturnRule(
    code="SPC-R052",
    severity=Severity.WARNING,
    section=SECTION,
    title="Scheme name, provider or commissioner differs between a scheme's returns",
    rationale=(
        "Returns with one scheme identifier normally give the same name, provider and "
        "commissioner from quarter to quarter; a difference is more often a typing slip than "
        "a change: a warning, because schemes are sometimes renamed or recommissioned."
    ),
    source=SOURCE,
    fails="Returns for Q1 and Q2 with commissioner codes 'QWO' and 'QWE'.",
    passes="Returns for Q1 and Q2 both with commissioner code 'QWO'.",
    check=_identity_differs,
)

#: The rules of this module, in catalogue order.
RULES: tuple[CrossReturnRule, ...] = (DUPLICATE_QUARTER, SCHEME_ID, SCHEME_IDENTITY)
