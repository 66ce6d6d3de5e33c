"""From case records to a quarterly return: derived figures, scheme facts, disclosure control.

``aggregate(records, quarter, facts, suppress=...)`` adds up case records
into the Phase 1 outputs, monitoring figures and outcome summaries the
records support (each figure defined in :mod:`spcore.aggregation.derive`):
record by record in one pass, or, for an extract read into columns with
``read_columns(path)``, with NumPy (:mod:`spcore.aggregation.columnar`).
It merges the scheme's own facts (:mod:`spcore.aggregation.facts`), and can
apply small-number suppression (:mod:`spcore.aggregation.suppression`). See
``docs/aggregation.md``.
"""

# FINDING_CODES: every finding code this package emits, with its one-line meaning.

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spcore.aggregation.aggregate import AGGREGATION_CODES as AGGREGATION_CODES
    from spcore.aggregation.aggregate import AGGREGATION_CODES as FINDING_CODES
    from spcore.aggregation.aggregate import (
        AggregationResult,
        aggregate,
        aggregate_by_scheme,
        aggregate_each,
        schemes_in,
    )
    from spcore.aggregation.columns import CaseColumns, read_columns
    from spcore.aggregation.facts import SchemeFacts, load_facts, parse_facts
    from spcore.aggregation.suppression import (
        DEFAULT_RULE,
        DEFAULT_RULE_ID,
        RuleError,
        SuppressionRule,
        suppress,
    )
else:
    from spcore._lazy import attach

    # Names load on first use (see spcore._lazy).
    __getattr__, __dir__ = attach(__name__)

__all__ = [
    "DEFAULT_RULE",
    "DEFAULT_RULE_ID",
    "FINDING_CODES",
    "AggregationResult",
    "CaseColumns",
    "RuleError",
    "SchemeFacts",
    "SuppressionRule",
    "aggregate",
    "aggregate_by_scheme",
    "aggregate_each",
    "load_facts",
    "parse_facts",
    "read_columns",
    "schemes_in",
    "suppress",
]
