"""Evaluation: the framework's impact figures from case records, with their uncertainty.

``evaluate(cases, quarter=..., by=[...])`` pairs each person's outcome
measures and works out, per instrument score and breakdown cell, the mean
change with its 95% interval, Cohen's d_z, the paired t and Wilcoxon
signed-rank tests and the shares improved, unchanged and worse by the
instrument's meaningful-change threshold; Rotherham-style progress
(dayson-2016); and writes them as an HTML report, a versioned JSON document
and tidy tables (``spcore evaluate``). See ``docs/evaluation/``.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spcore.evaluation.codes import EVALUATION_CODES as EVALUATION_CODES
    from spcore.evaluation.codes import EVALUATION_CODES as FINDING_CODES
    from spcore.evaluation.cohort import BREAKDOWNS, Period
    from spcore.evaluation.document import FORMAT_VERSION
    from spcore.evaluation.evaluate import Evaluation, EvaluationError, evaluate, period_of
    from spcore.evaluation.report_html import render
    from spcore.evaluation.tables import write_tables
else:
    from spcore._lazy import attach

    # Names load on first use (see spcore._lazy).
    __getattr__, __dir__ = attach(__name__)

__all__ = [
    "BREAKDOWNS",
    "EVALUATION_CODES",
    "FINDING_CODES",
    "FORMAT_VERSION",
    "Evaluation",
    "EvaluationError",
    "Period",
    "evaluate",
    "period_of",
    "render",
    "write_tables",
]
