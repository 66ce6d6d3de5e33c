"""Business rules of a quarterly return: the checks a JSON Schema cannot express.

:data:`RULES` is every rule, in catalogue order, each with its code,
severity, title, rationale, source and examples. Three kinds:

* :class:`Rule` — about one return that has passed the schema;
* :class:`DocumentRule` — about any JSON object read (personal data);
* :class:`CrossReturnRule` — about several returns of one scheme together.

Run them with :func:`document_findings`, :func:`return_findings` and
:func:`cross_return_findings`; none of them raises.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from spcore.findings import Finding
from spcore.framework.quarterly_return import QuarterlyReturn
from spcore.validation.rules import (
    across_returns,
    dates,
    outcomes,
    personal,
    retired,
    workforce,
)
from spcore.validation.rules.base import (
    INTERNAL_CODE,
    CrossReturnRule,
    DocumentRule,
    Rule,
    RuleContext,
    RuleInfo,
    internal_finding,
)
from spcore.validation.rules.bounds import rules_from
from spcore.validation.rules.relations import RELATIONS

#: The bound rules, made from the table of relations between figures.
BOUND_RULES: tuple[Rule, ...] = rules_from(RELATIONS)

#: Sections of the return in catalogue order; rules within a section by code.
SECTIONS: tuple[str, ...] = (
    "Outputs: people and referrals",
    "Outputs: workforce and money",
    "Period and dates",
    "Case monitoring",
    "Outcomes",
)

#: Rules about one valid return, in the order they run (and the catalogue lists them).
RETURN_RULES: tuple[Rule, ...] = tuple(
    sorted(
        BOUND_RULES + workforce.RULES + dates.RULES + outcomes.RULES,
        key=lambda r: (SECTIONS.index(r.section), r.code),
    )
)

#: Rules run on every JSON object read, valid or not.
DOCUMENT_RULES: tuple[DocumentRule, ...] = personal.RULES + retired.RULES

#: Rules across several returns.
CROSS_RETURN_RULES: tuple[CrossReturnRule, ...] = across_returns.RULES

#: Every rule, in catalogue order.
RULES: tuple[RuleInfo, ...] = RETURN_RULES + DOCUMENT_RULES + CROSS_RETURN_RULES

#: Every rule code with its title, plus the internal-failure code.
RULE_CODES: dict[str, str] = {
    **{r.code: r.title for r in RULES},
    INTERNAL_CODE: "a check could not be completed on the document (a defect in spcore)",
}


def document_findings(document: Mapping[str, Any]) -> list[Finding]:
    """Findings of the rules that read any JSON object (personal data, retired codes)."""
    return [f for r in DOCUMENT_RULES for f in r.run(document)]


def return_findings(
    ret: QuarterlyReturn, raw: Mapping[str, Any], today: dt.date | None = None
) -> list[Finding]:
    """Findings of the rules about one return that passed the schema.

    ``today`` defaults to ``datetime.date.today()``; pass a date for
    reproducible checks of the period against the calendar.
    """
    try:
        ctx = RuleContext(ret, raw, today or dt.date.today())
    except Exception as exc:  # never expected; a defect must not become a traceback
        return [internal_finding("rules", exc)]
    return [f for r in RETURN_RULES for f in r.run(ctx)]


def cross_return_findings(contexts: Sequence[RuleContext]) -> list[tuple[int | None, Finding]]:
    """``(index, finding)`` for the rules across returns (index ``None``: all of them)."""
    return [pair for r in CROSS_RETURN_RULES for pair in r.run(contexts)]


__all__ = [
    "BOUND_RULES",
    "CROSS_RETURN_RULES",
    "DOCUMENT_RULES",
    "INTERNAL_CODE",
    "RETURN_RULES",
    "RULES",
    "RULE_CODES",
    "CrossReturnRule",
    "DocumentRule",
    "Rule",
    "RuleContext",
    "RuleInfo",
    "cross_return_findings",
    "document_findings",
    "return_findings",
]
