"""Small-number suppression of a quarterly return's counts (statistical disclosure control).

The default rule, ``nhs-digital-1-7-round-5``, is the one NHS Digital
applies to counts below national level from its secondary care datasets:
counts from 1 to 7 are replaced by a marker, and every other count is
rounded to the nearest 5, totals being worked out from the unrounded figures
and then rounded (NHS Digital, *Disclosure control methodology for Hospital
Episode Statistics (HES) and Emergency Care Data Set (ECDS)*, September 2018,
https://digital.nhs.uk/data-and-information/data-tools-and-services/data-services/hospital-episode-statistics/change-to-disclosure-control-methodology-for-hes-and-ecds-from-september-2018;
adopted for the Sexual and Reproductive Health Activity Dataset from 2019-20).
The same guidance says a mean over 1 to 7 people is not shown; spcore
withholds an instrument's means whenever its follow-up count is withheld.
Zero is published as 0.

In a return a withheld count is written ``null`` and its JSON Pointer is
listed under ``disclosure_control.suppressed``.

**Secondary suppression** (spcore's addition; NHS Digital relies on rounding
instead): wherever published cells add up to a published total, one withheld
member could be worked out by subtraction. So for every such group (the
total and its cells) in which exactly one member is withheld, the smallest
published non-zero member is withheld too, and this is repeated, across
groups that share a total, until no group has exactly one member withheld.
The groups are ``people_referred`` with its age-band breakdown, and
``people_referred`` with its referrer breakdown (each person is counted under
one age band and one referrer, so each is a partition). Referral criteria are
not a partition (a person meets several), so they form no group.

Only counts about people and what was done with them are covered: the
figures derived from case records (outputs 1-6, monitoring, instrument
summaries, employability). Staff, volunteer, money and community-group
survey figures come from the scheme's own facts and are left as given (the
NHS Digital guidance exempts values not relating to individuals).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

import attrs

from spcore.excerpt import excerpt
from spcore.findings import escape_pointer_token

DEFAULT_RULE_ID = "nhs-digital-1-7-round-5"


class RuleError(ValueError):
    """Raised for a suppression rule that cannot protect small counts."""


@attrs.frozen
class SuppressionRule:
    """Withhold counts from 1 to ``threshold``; round the rest to the nearest ``rounding_base``.

    Raises :class:`RuleError` when rounding could publish a number from 1 to
    ``threshold`` (for example threshold 12 with base 10 would round 13 to
    10), since the rule exists to never publish one.
    """

    threshold: int = 7
    rounding_base: int = 5
    id: str = DEFAULT_RULE_ID

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.threshold <= 1_000_000:
            raise RuleError(f"the threshold must be 0 to 1,000,000, not {self.threshold}")
        if not 1 <= self.rounding_base <= 1000:
            raise RuleError(f"the rounding base must be 1 to 1000, not {self.rounding_base}")
        if self.round(self.threshold + 1) <= self.threshold:
            raise RuleError(
                f"rounding {self.threshold + 1} to the nearest {self.rounding_base} gives "
                f"{self.round(self.threshold + 1)}, which would publish a small count or none; "
                "use a smaller rounding base or a larger threshold"
            )

    def round(self, count: int) -> int:
        """``count`` rounded to the nearest multiple of the base, halves upwards."""
        base = self.rounding_base
        return (2 * count + base) // (2 * base) * base

    def withholds(self, count: int) -> bool:
        """True for counts from 1 to the threshold."""
        return 1 <= count <= self.threshold

    @classmethod
    def parse(cls, text: str | None) -> SuppressionRule:
        """The rule named on the command line: the default id, or ``THRESHOLD:BASE`` (``9:5``)."""
        if text is None or text == DEFAULT_RULE_ID:
            return cls()
        match = re.fullmatch(r"\s*(\d{1,7})\s*:\s*(\d{1,4})\s*", text)
        if match is None:
            raise RuleError(
                f"'{excerpt(text, 40)}' is not a suppression rule; give {DEFAULT_RULE_ID} or "
                "THRESHOLD:BASE such as 7:5 (withhold 1-7, round to the nearest 5)"
            )
        threshold, base = int(match[1]), int(match[2])
        return cls(threshold, base, f"suppress-1-{threshold}-round-{base}")


DEFAULT_RULE = SuppressionRule()


def _p(*tokens: str | int) -> str:
    return "".join("/" + escape_pointer_token(t) for t in tokens)


def resolve(document: dict[str, Any], path: str) -> Any:
    """The value at JSON Pointer ``path`` (raises ``KeyError``/``IndexError`` when absent)."""
    node: Any = document
    for token in path.split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def _set(document: dict[str, Any], path: str, value: Any) -> None:
    head, _, last = path.rpartition("/")
    parent = resolve(document, head) if head else document
    key = last.replace("~1", "/").replace("~0", "~")
    if isinstance(parent, list):
        parent[int(key)] = value
    else:
        parent[key] = value


_MAPS = (
    ("outputs", "referred_by_age_band"),
    ("outputs", "referred_by_criterion"),
    ("outputs", "referred_by_referrer_type"),
    ("monitoring", "referrals_rejected_by_reason"),
    ("monitoring", "cases_closed_by_reason"),
    ("monitoring", "rag_caseload_at_end"),
    ("impact_on_person", "employability"),
    ("impact_on_person", "wellbeing_aspects"),
)

_SINGLE = (
    ("outputs", "people_referred"),
    ("outputs", "people_benefiting"),
    ("outputs", "people_rejecting_referral"),
    ("outputs", "support_plans_coproduced"),
    ("outputs", "community_groups", "count"),
    ("monitoring", "assessments_completed"),
    ("monitoring", "social_prescriptions"),
    ("monitoring", "contacts"),
    ("monitoring", "cases_escalated"),
)


def count_pointers(document: dict[str, Any]) -> Iterator[str]:
    """Every count the suppression rule covers that the document holds as a whole number."""
    for tokens in _SINGLE:
        path = _p(*tokens)
        if _has_int(document, path):
            yield path
    for tokens in _MAPS:
        section = document.get(tokens[0]) or {}
        for code in section.get(tokens[1]) or {}:
            path = _p(*tokens, code)
            if _has_int(document, path):
                yield path
    groups = ((document.get("outputs") or {}).get("community_groups") or {}).get("groups") or []
    for index in range(len(groups)):
        path = _p("outputs", "community_groups", "groups", index, "referrals")
        if _has_int(document, path):
            yield path
    instruments = (document.get("impact_on_person") or {}).get("instruments") or []
    for index, summary in enumerate(instruments):
        for name in _INSTRUMENT_COUNTS:
            path = _p("impact_on_person", "instruments", index, name)
            if _has_int(document, path):
                yield path
        for name in ("baseline_by_category", "follow_up_by_category"):
            for code in summary.get(name) or {}:
                path = _p("impact_on_person", "instruments", index, name, code)
                if _has_int(document, path):
                    yield path
    cares = (document.get("impact_on_system") or {}).get("social_care_packages") or []
    for index, care in enumerate(cares):
        for name in ("cases_reviewed", "with_package_before", "with_package_after"):
            path = _p("impact_on_system", "social_care_packages", index, name)
            if _has_int(document, path):
                yield path
        for code in care.get("by_change") or {}:
            path = _p("impact_on_system", "social_care_packages", index, "by_change", code)
            if _has_int(document, path):
                yield path


_INSTRUMENT_COUNTS = (
    "people_with_baseline",
    "people_with_follow_up",
    "people_improved",
    "people_moved_better",
    "people_moved_worse",
)


def _has_int(document: dict[str, Any], path: str) -> bool:
    try:
        value = resolve(document, path)
    except (KeyError, IndexError, TypeError, ValueError):
        return False
    return isinstance(value, int) and not isinstance(value, bool)


def total_groups(document: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The groups (total, cells) in which the cells add up to the total."""
    total = _p("outputs", "people_referred")
    groups = []
    for name in ("referred_by_age_band", "referred_by_referrer_type"):
        cells = (document.get("outputs") or {}).get(name) or {}
        groups.append((total, [_p("outputs", name, code) for code in cells]))
    # A categorical score's people per category add up to its people with a baseline
    # and with a follow-up; a reviewed case has one change of social care package.
    instruments = (document.get("impact_on_person") or {}).get("instruments") or []
    for index, summary in enumerate(instruments):
        base = ("impact_on_person", "instruments", index)
        for name, total_name in (
            ("baseline_by_category", "people_with_baseline"),
            ("follow_up_by_category", "people_with_follow_up"),
        ):
            if summary.get(name):
                cells = [_p(*base, name, code) for code in summary[name]]
                groups.append((_p(*base, total_name), cells))
    cares = (document.get("impact_on_system") or {}).get("social_care_packages") or []
    for index, care in enumerate(cares):
        base = ("impact_on_system", "social_care_packages", index)
        cells = [_p(*base, "by_change", code) for code in care.get("by_change") or {}]
        groups.append((_p(*base, "cases_reviewed"), cells))
    return groups


def secondary_suppression(
    values: dict[str, int], withheld: set[str], groups: list[tuple[str, list[str]]]
) -> set[str]:
    """Withhold more members until no group has exactly one member withheld.

    ``values`` holds every count by pointer; ``groups`` the (total, cells)
    equations. Picks the smallest published non-zero member (ties by pointer),
    so the fewest people's figures are lost. Returns the new withheld set.
    """
    withheld = set(withheld)
    changed = True
    while changed:
        changed = False
        for total, cells in groups:
            members = [total, *cells]
            if sum(1 for m in members if m in withheld) != 1:
                continue
            candidates = [m for m in members if m not in withheld and values.get(m, 0) > 0]
            if not candidates:
                # Cannot happen (a withheld member is non-zero, so some other member of its
                # equation is too), but an empty choice must not stop the loop.
                continue
            withheld.add(min(candidates, key=lambda m: (values[m], m)))
            changed = True
    return withheld


def suppress(document: dict[str, Any], rule: SuppressionRule = DEFAULT_RULE) -> dict[str, Any]:
    """A copy of a return (as JSON data) with ``rule`` applied and recorded.

    Withheld counts become ``None``; an instrument's means become ``None`` when
    its follow-up count is withheld; the rest are rounded. The copy gains a
    ``disclosure_control`` section naming the rule and listing the withheld
    and the rounded pointers. The input is not changed.
    """
    out = copy.deepcopy(document)
    pointers = list(count_pointers(out))
    values = {p: int(resolve(out, p)) for p in pointers}
    # Counts a previous pass withheld stay withheld (they are null, so not in ``values``).
    earlier = set((document.get("disclosure_control") or {}).get("suppressed") or ())
    primary = {p for p, v in values.items() if rule.withholds(v)} | earlier
    withheld = secondary_suppression(values, primary, total_groups(out))
    for path in sorted(withheld):
        _set(out, path, None)
        if path.endswith("/people_with_follow_up"):
            base = path.rpartition("/")[0]
            summary = resolve(out, base)
            for name in ("mean_baseline", "mean_follow_up"):
                if summary.get(name) is not None:
                    summary[name] = None
                    withheld.add(f"{base}/{name}")
    rounded = [p for p in pointers if p not in withheld]
    for path in rounded:
        _set(out, path, rule.round(values[path]))
    out["disclosure_control"] = {
        "rule": rule.id,
        "threshold": rule.threshold,
        "rounding_base": rule.rounding_base,
        "suppressed": sorted(withheld),
        "rounded": rounded,
    }
    return out
