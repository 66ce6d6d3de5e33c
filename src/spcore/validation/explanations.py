"""What a finding code means, for reports: the code's meaning and, for rules, why.

Codes are explained from two registries in :mod:`spcore.validation`:
``FINDING_CODES`` (code -> meaning, for every code) and, where present,
``RULES`` (the business rules, each with a title and a rationale). Both are
looked up by code and read defensively, so a report still renders when a
registry is missing, has another shape, or does not know the code.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple


class Explanation(NamedTuple):
    """What a report says about a finding code.

    Attributes:
        code: the finding code.
        meaning: what the code means, from ``FINDING_CODES`` (None if unknown).
        title: the rule's title, for business rules (None otherwise).
        rationale: why the rule exists and why it has its severity.
        source: the published source (by citation key) the rule comes from.
    """

    code: str
    meaning: str | None = None
    title: str | None = None
    rationale: str | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """The explanation as JSON-ready fields of a report group."""
        return {
            "meaning": self.meaning,
            "rule_title": self.title,
            "rationale": self.rationale,
            "rule_source": self.source,
        }


def explain(code: str) -> Explanation:
    """Explain ``code`` from the registries of :mod:`spcore.validation`."""
    package = importlib.import_module("spcore.validation")
    codes = getattr(package, "FINDING_CODES", None)
    meaning = _text(codes.get(code)) if isinstance(codes, Mapping) else None
    rule = _find_rule(getattr(package, "RULES", None), code)
    title = _text(_attribute(rule, "title"))
    rationale = _text(_attribute(rule, "rationale"))
    source = _text(_attribute(rule, "source"))
    if meaning is None:
        meaning = _text(_attribute(rule, "description")) or _text(_attribute(rule, "meaning"))
    return Explanation(code, meaning, title, rationale, source)


def _find_rule(rules: Any, code: str) -> Any:
    """The rule with ``code`` from a mapping by code or a sequence of rules, else None."""
    if rules is None:
        return None
    if isinstance(rules, Mapping):
        return rules.get(code)
    if isinstance(rules, Iterable) and not isinstance(rules, str | bytes):
        for rule in rules:
            if _attribute(rule, "code") == code:
                return rule
    return None


def _attribute(obj: Any, name: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
