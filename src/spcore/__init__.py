"""spcore: the Common Outcomes Framework for social prescribing, as a library.

The public API is re-exported here: the dataset models, quarters and
quantities, findings, quarterly-return validation, aggregation and evaluation.
"""

from typing import TYPE_CHECKING

from spcore._version import STANDARD_VERSION, __version__

if TYPE_CHECKING:
    from spcore.aggregation import (
        AggregationResult,
        CaseColumns,
        SuppressionRule,
        aggregate,
        load_facts,
        read_columns,
    )
    from spcore.cases import check_case, read_extract
    from spcore.evaluation import Evaluation, evaluate
    from spcore.findings import Finding, Severity
    from spcore.framework import (
        CaseRecord,
        Duration,
        FinancialQuarter,
        Money,
        QuarterlyReturn,
        Staffing,
    )
    from spcore.pseudonymise import Pseudonymiser, load_key, pseudonymise_extract
    from spcore.spreadsheets import convert, read_return, write_return, write_template
    from spcore.validation import RULES, ValidationReport, validate_return, validate_returns
else:
    from spcore._lazy import attach

    # Names load on first use, so ``import spcore`` stays fast (see spcore._lazy).
    __getattr__, __dir__ = attach(__name__)

__all__ = [
    "RULES",
    "STANDARD_VERSION",
    "AggregationResult",
    "CaseColumns",
    "CaseRecord",
    "Duration",
    "Evaluation",
    "FinancialQuarter",
    "Finding",
    "Money",
    "Pseudonymiser",
    "QuarterlyReturn",
    "Severity",
    "Staffing",
    "SuppressionRule",
    "ValidationReport",
    "__version__",
    "aggregate",
    "check_case",
    "convert",
    "evaluate",
    "load_facts",
    "load_key",
    "pseudonymise_extract",
    "read_columns",
    "read_extract",
    "read_return",
    "validate_return",
    "validate_returns",
    "write_return",
    "write_template",
]
