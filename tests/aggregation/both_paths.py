"""``aggregate`` by both paths at once, for the hand-worked tests.

Every hand-worked expectation is checked against the columnar path, and the
columnar path is held equal to the record-by-record reference on the same
input, so each hand-worked extract tests both.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spcore.aggregation import AggregationResult, CaseColumns, SchemeFacts, SuppressionRule
from spcore.aggregation import aggregate as aggregate_one_way

#: What the two paths must agree on.
COMPARED = (
    "document",
    "findings",
    "records_read",
    "records_used",
    "records_in_quarter",
    "records_skipped",
    "derived",
    "from_facts",
    "missing",
)


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
    for name in COMPARED:
        assert getattr(by_column, name) == getattr(by_record, name), name
    assert by_column.validation.findings == by_record.validation.findings
    return by_column
