"""Finding codes raised by :mod:`spcore.evaluation`.

The codes are stable: a code keeps its meaning for ever, and a retired code is
never reused. The documentation lists them from :data:`EVALUATION_CODES`.
"""

from __future__ import annotations

UNUSABLE_RECORD = "SPC-V001"
REPEATED_CASE = "SPC-V002"
CLOSED_BEFORE_REFERRAL = "SPC-V003"
LATER_CASE_OF_PERSON = "SPC-V004"
BAD_PERIOD = "SPC-V005"
BAD_BREAKDOWN = "SPC-V006"
UNIT_COST_FILE = "SPC-V010"
UNIT_COST_ROW = "SPC-V011"
UNIT_COST_MISSING = "SPC-V012"
UNIT_COST_INDEX = "SPC-V013"
SROI_FILE = "SPC-V020"
SROI_VALUE = "SPC-V021"
SROI_INVESTMENT = "SPC-V022"

#: Every finding code of the evaluation area -> one line saying what it means.
EVALUATION_CODES: dict[str, str] = {
    UNUSABLE_RECORD: "A line of the extract is not a valid case record; it is left out.",
    REPEATED_CASE: "A case identifier seen earlier in the extract; the later record is left out.",
    CLOSED_BEFORE_REFERRAL: "A case closed before it was referred; it is left out.",
    LATER_CASE_OF_PERSON: (
        "A person's later case in the period; each person is evaluated once, on their first case."
    ),
    BAD_PERIOD: "The period asked for is impossible (a bad date, or an end before the start).",
    BAD_BREAKDOWN: "A breakdown field that is not one an evaluation can break down by.",
    UNIT_COST_FILE: "The unit-cost file cannot be read or has the wrong columns.",
    UNIT_COST_ROW: "A unit-cost row has a bad value (not a number, negative, or a bad year).",
    UNIT_COST_MISSING: "A service used in the extract has no unit cost, so no cost is given.",
    UNIT_COST_INDEX: "A price year has no inflation index, so costs cannot be brought to one year.",
    SROI_FILE: "The SROI file cannot be read or is not a mapping of the expected sections.",
    SROI_VALUE: (
        "An SROI value is out of range (a share outside 0-100%, a negative proxy, a duration "
        "under one year), not a number, or names a figure the evaluation cannot count."
    ),
    SROI_INVESTMENT: "The SROI file gives no investment, so no ratio can be worked out.",
}
