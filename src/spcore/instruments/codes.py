"""Finding codes raised by :mod:`spcore.instruments`.

The codes are stable: a code keeps its meaning for ever, and a retired code is
never reused. The documentation lists them from :data:`FINDING_CODES`.
"""

from __future__ import annotations

UNKNOWN_INSTRUMENT = "SPC-I001"
UNKNOWN_ITEM = "SPC-I002"
NOT_A_WHOLE_NUMBER = "SPC-I003"
OUT_OF_RANGE = "SPC-I004"
MISSING_ANSWER = "SPC-I005"
INCONSISTENT_ANSWERS = "SPC-I006"
BAD_PROFILE = "SPC-I007"
UNKNOWN_VALUE_SET = "SPC-I008"
INCOMPLETE_PAIR = "SPC-I009"
MALFORMED_ROW = "SPC-I010"
NOT_SCORABLE = "SPC-I011"

#: Every finding code of the instruments area -> one line saying what it means.
FINDING_CODES: dict[str, str] = {
    UNKNOWN_INSTRUMENT: "The instrument id is not in the registry.",
    UNKNOWN_ITEM: "A response names an item the instrument does not have.",
    NOT_A_WHOLE_NUMBER: "An answer is not a number, or not a whole number where one is required.",
    OUT_OF_RANGE: "An answer is outside the item's allowed values.",
    MISSING_ANSWER: "A required answer is missing, so the missing-data rule cannot be met.",
    INCONSISTENT_ANSWERS: "Two answers in the same response contradict each other.",
    BAD_PROFILE: "An EQ-5D health-state profile (for example 11223) cannot be read.",
    UNKNOWN_VALUE_SET: "The requested value set does not exist for this instrument.",
    INCOMPLETE_PAIR: "A baseline or follow-up score is missing, so no change can be computed.",
    MALFORMED_ROW: "A CSV row has more fields than the header.",
    NOT_SCORABLE: "The response is valid but this score cannot be computed here.",
}
