"""``aggregate`` by both paths at once, for the hand-worked tests.

Every hand-worked expectation is checked against the columnar path, and the
columnar path is held equal to the record-by-record reference on the same
input, so each hand-worked extract tests both.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from spcore.aggregation import AggregationResult, CaseColumns, SchemeFacts, SuppressionRule
from spcore.aggregation import aggregate as aggregate_one_way

#: Every part of a result, besides the return itself and its validation report.
PARTS = (
    "quarter",
    "records_read",
    "records_used",
    "records_in_quarter",
    "records_skipped",
    "records_comparison",
    "derived",
    "from_facts",
    "missing",
    "findings",
)


def _differences(left: Any, right: Any, where: str = "") -> list[str]:
    """Where two JSON-like values differ, type and key order included (empty when identical)."""
    if type(left) is not type(right):
        kinds = f"{type(left).__name__} != {type(right).__name__}"
        return [f"{where or '/'}: {left!r} != {right!r} ({kinds})"]
    if isinstance(left, dict):
        if list(left) != list(right):
            return [f"{where or '/'}: keys {list(left)} != {list(right)}"]
        return [d for key in left for d in _differences(left[key], right[key], f"{where}/{key}")]
    if isinstance(left, list | tuple):
        if len(left) != len(right):
            return [f"{where or '/'}: {len(left)} items != {len(right)}: {left!r} != {right!r}"]
        pairs = enumerate(zip(left, right, strict=True))
        return [d for i, (a, b) in pairs for d in _differences(a, b, f"{where}/{i}")]
    if left != right:
        return [f"{where or '/'}: {left!r} != {right!r}"]
    return []


def result_differences(columnar: AggregationResult, scalar: AggregationResult) -> list[str]:
    """Every way the columnar result differs from the record-at-a-time one."""
    found = [f"document{d}" for d in _differences(columnar.document, scalar.document)]
    for part in PARTS:
        mine, theirs = getattr(columnar, part), getattr(scalar, part)
        if part == "missing":
            mine, theirs = list(mine.items()), list(theirs.items())
        if type(mine) is not type(theirs) or mine != theirs:
            found.append(f"{part}: {mine!r} != {theirs!r}")
    if columnar.validation.findings != scalar.validation.findings:
        found.append(
            f"validation: {columnar.validation.findings!r} != {scalar.validation.findings!r}"
        )
    return found


def assert_same(columnar: AggregationResult, scalar: AggregationResult, context: str) -> None:
    found = result_differences(columnar, scalar)
    assert not found, f"{context}:\n  " + "\n  ".join(found)
    # Written out, the two returns are the same text.
    assert json.dumps(columnar.document) == json.dumps(scalar.document), context


def aggregate(
    records: Iterable[Any],
    quarter: str,
    facts: SchemeFacts | None = None,
    *,
    suppress: SuppressionRule | bool | None = None,
) -> AggregationResult:
    """The columnar result, after checking the record-by-record one is the same."""
    items = list(records)
    by_record = aggregate_one_way(items, quarter, facts, suppress=suppress)
    by_column = aggregate_one_way(CaseColumns.from_items(items), quarter, facts, suppress=suppress)
    assert_same(by_column, by_record, quarter)
    return by_column
