"""The Common Outcomes Framework dataset: periods, quantities, codelists and documents."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spcore.framework.case_record import CaseRecord
    from spcore.framework.codelists import CODELISTS, Codelist
    from spcore.framework.codelists import load as load_codelist
    from spcore.framework.periods import FinancialQuarter, QuarterError
    from spcore.framework.quantities import Duration, Money, Quantity, Staffing, UnitError
    from spcore.framework.quarterly_return import QuarterlyReturn
else:
    from spcore._lazy import attach

    # Names load on first use (see spcore._lazy).
    __getattr__, __dir__ = attach(__name__)

__all__ = [
    "CODELISTS",
    "CaseRecord",
    "Codelist",
    "Duration",
    "FinancialQuarter",
    "Money",
    "Quantity",
    "QuarterError",
    "QuarterlyReturn",
    "Staffing",
    "UnitError",
    "load_codelist",
]
