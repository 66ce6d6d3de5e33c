"""The relations table: each row's generated examples, suppression, and completeness.

Every test here is parametrised over :data:`RELATIONS`, so a row added to the
table is tested without a test being written for it: its failing example
(applied to the bundled valid return) must be reported with its code at its
pointer, its passing example must not, and rounding and withheld counts must
silence it exactly as the hand-written sum rules did.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from spcore.findings import Finding
from spcore.framework.figure_paths import ValueKind, count_figures, figure_shape
from spcore.validation import RULES, render_catalogue_markdown, validate_return
from spcore.validation.rules import BOUND_RULES, RETURN_RULES
from spcore.validation.rules.bounds import EACH_ITEM, EVERY, Kind, Relation
from spcore.validation.rules.relations import RELATIONS, UNBOUNDED

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = json.loads((ROOT / "examples/returns/northshire-connect-2025-26-Q2.json").read_text())
TODAY = dt.date(2025, 11, 1)


def ident(relation: Relation) -> str:
    return f"{relation.code}:{relation.example_path()}:{relation.kind.value}"


def apply(patch: dict[str, Any], doc: dict[str, Any] | None = None) -> dict[str, Any]:
    doc = copy.deepcopy(EXAMPLE if doc is None else doc)
    for path, value in patch.items():
        *parents, last = path.split("/")[1:]
        target: Any = doc
        for token in parents:
            target = target[int(token)] if isinstance(target, list) else target[token]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return doc


def findings(doc: dict[str, Any]) -> list[Finding]:
    report = validate_return(doc, today=TODAY)
    assert not [f for f in report.findings if f.code.startswith("SPC-S")], report.findings
    return list(report.findings)


def reported(relation: Relation, doc: dict[str, Any]) -> bool:
    return any(f.code == relation.code and f.path == relation.example_path() for f in findings(doc))


def written_pointers(patch: dict[str, Any]) -> list[str]:
    """Every count the patch writes, as JSON Pointers (breakdowns and lists cell by cell)."""
    out: list[str] = []
    for path, value in patch.items():
        if isinstance(value, dict) and "unit" not in value:
            out += [f"{path}/{code}" for code in value]
        elif isinstance(value, list):
            out += [f"{path}/{i}/{k}" for i, item in enumerate(value) for k in item]
        else:
            out.append(path)
    return out


def controlled(doc: dict[str, Any], rounded: list[str], suppressed: list[str]) -> dict[str, Any]:
    doc["disclosure_control"] = {
        "rule": "nhs-digital-1-7-round-5",
        "threshold": 7,
        "rounding_base": 5,
        "suppressed": suppressed,
        "rounded": rounded,
    }
    return doc


@pytest.mark.parametrize("relation", RELATIONS, ids=ident)
def test_the_failing_example_is_reported_with_the_code(relation: Relation) -> None:
    patch, words = relation.example(breaks=True)
    doc = apply(patch)
    assert reported(relation, doc), words
    (rule,) = [r for r in RULES if r.code == relation.code]
    found = [f for f in findings(doc) if f.code == relation.code]
    assert all(f.severity is rule.severity for f in found)
    assert all(f.message.endswith(".") for f in found)


@pytest.mark.parametrize("relation", RELATIONS, ids=ident)
def test_the_passing_example_is_accepted(relation: Relation) -> None:
    patch, words = relation.example(breaks=False)
    assert not reported(relation, apply(patch)), words


COUNT_RELATIONS = [r for r in RELATIONS if r.value_kind is ValueKind.COUNT]


@pytest.mark.parametrize("relation", COUNT_RELATIONS, ids=ident)
def test_rounded_counts_may_disagree_by_half_the_base_each(relation: Relation) -> None:
    # The failing example is out by one; each rounded count may be out by 2 (base 5).
    patch, _ = relation.example(breaks=True)
    rounded = [p for p in written_pointers(patch) if not p.endswith("/name")]
    assert not reported(relation, controlled(apply(patch), rounded, []))
    assert reported(relation, controlled(apply(patch), [], []))


def nullable_whole(relation: Relation) -> bool:
    return all(
        figure_shape(t.pointer).nullable
        and EVERY not in t.pointer
        and not t.pointer.startswith("#")
        for t in relation.whole
    )


@pytest.mark.parametrize("relation", [r for r in RELATIONS if nullable_whole(r)], ids=ident)
def test_a_withheld_whole_leaves_the_relation_unchecked(relation: Relation) -> None:
    patch, _ = relation.example(breaks=True)
    doc = apply(patch)
    withheld = [t.bound(0).pointer for t in relation.whole]
    doc = apply(dict.fromkeys(withheld), doc)
    assert not reported(relation, controlled(doc, [], withheld))


SHORTFALLS = [
    r
    for r in COUNT_RELATIONS
    if r.kind is Kind.AT_LEAST and any(t.pointer.endswith(EVERY) for t in r.parts)
]


@pytest.mark.parametrize("relation", SHORTFALLS, ids=ident)
def test_a_withheld_part_may_make_up_a_shortfall(relation: Relation) -> None:
    patch, _ = relation.example(breaks=True)
    doc = apply(patch)
    (cells,) = [v for k, v in patch.items() if k == relation.example_path()]
    cell = f"{relation.example_path()}/{next(iter(cells))}"
    doc = apply({cell: None}, doc)
    assert not reported(relation, controlled(doc, [], [cell]))


def test_withheld_parts_over_the_whole_are_still_reported() -> None:
    (relation,) = [r for r in RELATIONS if r.code == "SPC-R001"]
    patch, _ = relation.example(breaks=True)
    patch["/outputs/referred_by_age_band"]["85-plus"] = None
    doc = controlled(apply(patch), [], ["/outputs/referred_by_age_band/85-plus"])
    assert reported(relation, doc)


def test_every_bound_rule_is_in_the_catalogue_with_its_examples() -> None:
    page = render_catalogue_markdown()
    for rule in BOUND_RULES:
        assert f"`{rule.code}`" in page
        assert rule.fails in page
        assert rule.passes in page
        assert rule in RETURN_RULES


def test_codes_shared_by_relations_agree_on_severity_and_section() -> None:
    by_code: dict[str, set[tuple[str, str]]] = {}
    for relation in RELATIONS:
        by_code.setdefault(relation.code, set()).add((relation.severity.value, relation.section))
    assert all(len(v) == 1 for v in by_code.values()), by_code


def test_every_relation_names_real_figures_with_a_source() -> None:
    for relation in RELATIONS:
        for term in relation.terms:
            figure_shape(term.pointer)  # raises KeyError for a figure the return lacks
        assert relation.sources
        assert all(s.key for s in relation.sources)
        assert relation.severity.value in relation.rationale


def normalised(pattern: str) -> str:
    return pattern.lstrip("#").replace(EACH_ITEM, EVERY)


def bounded_figures() -> set[str]:
    out: set[str] = set()
    for relation in RELATIONS:
        for term in relation.terms:
            pattern = normalised(term.pointer)
            out.add(pattern)
            *base, last = pattern.split("/")
            if (
                last != EVERY
                and base
                and base[-1] != ""
                and "/".join(base) + "/*" in {normalised(p) for p in count_figures()}
            ):
                out.add("/".join(base) + "/*")  # one code of a breakdown bounds the breakdown
    return out


def test_every_count_of_the_return_has_its_relations() -> None:
    # A count added to the return fails here until the relations table bounds it, or
    # UNBOUNDED says why nothing can.
    counts = set(count_figures())
    missing = counts - bounded_figures() - set(UNBOUNDED)
    assert not missing, f"counts with no relation and no reason: {sorted(missing)}"
    stale = set(UNBOUNDED) - counts
    assert not stale, f"UNBOUNDED names counts the return does not have: {sorted(stale)}"
    both = set(UNBOUNDED) & bounded_figures()
    assert not both, f"counts both bounded and called unbounded: {sorted(both)}"


def test_the_baseline_bound_catches_a_hundred_thousand_extra_people() -> None:
    doc = apply({"/impact_on_person/instruments/0/people_with_baseline": 100_198})
    doc["impact_on_person"]["instruments"][0]["people_with_follow_up"] = 88
    found = [(f.code, f.path) for f in findings(doc)]
    assert ("SPC-R072", "/impact_on_person/instruments/0/people_with_baseline") in found
