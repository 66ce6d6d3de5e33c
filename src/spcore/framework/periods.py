"""NHS financial-year quarters, the reporting period of a quarterly return.

The NHS financial year runs from 1 April to 31 March (nhs-data-dictionary). Its
quarters are:

====  ===========================
Q1    1 April – 30 June
Q2    1 July – 30 September
Q3    1 October – 31 December
Q4    1 January – 31 March (of the following calendar year)
====  ===========================

The canonical text form is ``2025-26 Q2``: the financial year that starts in
April 2025, second quarter. Common spellings (``2025/26 Q2``, ``FY2025-26 Q2``,
``2025-26Q2``, ``202526 Q2`` as the NHS Data Dictionary writes the year) are
accepted when parsing and normalised to the canonical form.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

#: JSON Schema pattern for the canonical text form (also used by the schemas).
CANONICAL_PATTERN = r"^[0-9]{4}-[0-9]{2} Q[1-4]$"

_PARSE = re.compile(
    r"""^\s*
    (?:FY\s*)?                       # optional 'FY' prefix
    (?P<start>\d{4})                 # first calendar year
    \s*(?:[-/–]\s*)?                 # separator: '-', '/', en dash or none
    (?P<end>\d{2}|\d{4})             # second year, two or four digits
    \s*[-_ ]?\s*
    Q(?P<q>\d)                       # quarter number
    \s*$""",
    re.IGNORECASE | re.VERBOSE,
)

#: First month (calendar) of each quarter.
_QUARTER_START_MONTH = {1: 4, 2: 7, 3: 10, 4: 1}

MIN_YEAR = 1948  # the NHS was founded on 5 July 1948; earlier years cannot be NHS returns.
MAX_YEAR = 9998  # the financial year 9998-99 is the last one a four-digit year can close.


class QuarterError(ValueError):
    """Raised when text or numbers do not name a valid NHS financial quarter."""


@functools.total_ordering
class FinancialQuarter:
    """One quarter of an NHS financial year (immutable, hashable, ordered).

    ``FinancialQuarter(2025, 2)`` is the second quarter of the financial year
    that starts on 1 April 2025, written ``2025-26 Q2`` (1 July – 30 September
    2025).
    """

    __slots__ = ("_quarter", "_year")

    def __init__(self, start_year: int, quarter: int) -> None:
        """Create the quarter ``quarter`` (1–4) of the year starting April ``start_year``."""
        if isinstance(start_year, bool) or not isinstance(start_year, int):
            raise QuarterError(f"the financial year must be a whole number, not {start_year!r}")
        if isinstance(quarter, bool) or not isinstance(quarter, int):
            raise QuarterError(f"the quarter must be a whole number 1-4, not {quarter!r}")
        if not MIN_YEAR <= start_year <= MAX_YEAR:
            raise QuarterError(
                f"the financial year must start between {MIN_YEAR} and {MAX_YEAR}, not {start_year}"
            )
        if quarter not in (1, 2, 3, 4):
            raise QuarterError(f"the quarter must be 1, 2, 3 or 4, not {quarter}")
        self._year = start_year
        self._quarter = quarter

    # -- construction --------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> FinancialQuarter:
        """Parse ``2025-26 Q2`` and its common spellings.

        Raises :class:`QuarterError` with a message that shows the expected
        form when the text is not a quarter, or when its two years are not
        consecutive (``2025-27 Q1``).
        """
        if not isinstance(text, str):
            raise QuarterError(f"a quarter must be text such as '2025-26 Q2', not {text!r}")
        match = _PARSE.match(text)
        if match is None:
            raise QuarterError(
                f"'{_clip(text)}' is not an NHS financial quarter; write it as '2025-26 Q2' "
                "(the financial year starting April 2025, quarter 1-4)"
            )
        start = int(match["start"])
        end_text = match["end"]
        quarter = int(match["q"])
        expected_end = start + 1
        end_ok = (
            int(end_text) == expected_end % 100
            if len(end_text) == 2
            else int(end_text) == expected_end
        )
        if not end_ok:
            raise QuarterError(
                f"'{_clip(text)}' names two years that are not consecutive; a financial year "
                f"starting in {start} is written '{start}-{expected_end % 100:02d}'"
            )
        return cls(start, quarter)

    @classmethod
    def from_date(cls, day: dt.date) -> FinancialQuarter:
        """The quarter that contains ``day``."""
        start_year = day.year if day.month >= 4 else day.year - 1
        quarter = (day.month - 4) % 12 // 3 + 1
        return cls(start_year, quarter)

    # -- properties ----------------------------------------------------------

    @property
    def start_year(self) -> int:
        """Calendar year in which the financial year starts (April)."""
        return self._year

    @property
    def quarter(self) -> int:
        """Quarter number, 1 to 4."""
        return self._quarter

    @property
    def financial_year(self) -> str:
        """The financial year as ``2025-26``."""
        return f"{self._year}-{(self._year + 1) % 100:02d}"

    @property
    def data_dictionary_year(self) -> str:
        """The financial year as the NHS Data Dictionary writes it: ``202526``."""
        return f"{self._year}{(self._year + 1) % 100:02d}"

    @property
    def start(self) -> dt.date:
        """First day of the quarter."""
        month = _QUARTER_START_MONTH[self._quarter]
        year = self._year + 1 if self._quarter == 4 else self._year
        return dt.date(year, month, 1)

    @property
    def end(self) -> dt.date:
        """Last day of the quarter (inclusive)."""
        # Worked out from the quarter's own months, not as the day before the next quarter,
        # which for the last quarter that can be written does not exist.
        first = self.start
        month = first.month + 2
        return dt.date(first.year, month, calendar.monthrange(first.year, month)[1])

    @property
    def days(self) -> int:
        """Number of days in the quarter (90 to 92)."""
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        """True when ``day`` falls within the quarter."""
        return self.start <= day <= self.end

    # -- arithmetic ----------------------------------------------------------

    def _ordinal(self) -> int:
        return self._year * 4 + (self._quarter - 1)

    @classmethod
    def _from_ordinal(cls, ordinal: int) -> FinancialQuarter:
        year, index = divmod(ordinal, 4)
        return cls(year, index + 1)

    def next(self) -> FinancialQuarter:
        """The following quarter (``2025-26 Q4`` → ``2026-27 Q1``)."""
        return self._from_ordinal(self._ordinal() + 1)

    def previous(self) -> FinancialQuarter:
        """The preceding quarter (``2025-26 Q1`` → ``2024-25 Q4``)."""
        return self._from_ordinal(self._ordinal() - 1)

    def __add__(self, quarters: int) -> FinancialQuarter:
        if not isinstance(quarters, int):
            return NotImplemented
        return self._from_ordinal(self._ordinal() + quarters)

    def __sub__(self, other: FinancialQuarter) -> int:
        """Number of quarters from ``other`` to ``self``."""
        if not isinstance(other, FinancialQuarter):
            return NotImplemented
        return self._ordinal() - other._ordinal()

    # -- comparison and text -------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FinancialQuarter):
            return NotImplemented
        return self._ordinal() == other._ordinal()

    def __lt__(self, other: FinancialQuarter) -> bool:
        if not isinstance(other, FinancialQuarter):
            return NotImplemented
        return self._ordinal() < other._ordinal()

    def __hash__(self) -> int:
        return hash(("FinancialQuarter", self._ordinal()))

    def __str__(self) -> str:
        return f"{self.financial_year} Q{self._quarter}"

    def __repr__(self) -> str:
        return f"FinancialQuarter({self._year}, {self._quarter})"

    # -- pydantic integration ------------------------------------------------

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """Validate from text (or an instance); serialise to the canonical text."""

        def validate(value: Any) -> FinancialQuarter:
            if isinstance(value, FinancialQuarter):
                return value
            try:
                return cls.parse(value)
            except QuarterError as exc:
                raise ValueError(str(exc)) from None

        return core_schema.no_info_plain_validator_function(
            validate,
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """Published schemas accept only the canonical form."""
        return {
            "type": "string",
            "pattern": CANONICAL_PATTERN,
            "examples": ["2025-26 Q2"],
        }


def _clip(text: str, limit: int = 40) -> str:
    """Shorten long input before echoing it in a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
