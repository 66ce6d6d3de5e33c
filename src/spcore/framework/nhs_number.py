"""NHS numbers: format and Modulus 11 check digit.

An NHS number is ten digits; the tenth is a check digit computed from the
first nine by Modulus 11 (NHS Data Dictionary, "NHS Number" data element;
https://www.datadictionary.nhs.uk/attributes/nhs_number.html):

1. multiply each of the first nine digits by a weight, 10 for the first down
   to 2 for the ninth, and add the products;
2. divide the total by 11 and take the remainder;
3. subtract the remainder from 11: that is the check digit, except that 11
   becomes 0 and 10 means the number is not valid (no such NHS number is
   ever issued).

Worked example (the Data Dictionary's style of illustration):
``943 476 5919`` — 9×10 + 4×9 + 3×8 + 4×7 + 7×6 + 6×5 + 5×4 + 9×3 + 1×2 = 299;
299 mod 11 = 2; 11 − 2 = 9, the tenth digit, so the number is valid.

Returns and pseudonymised extracts must never hold one; spcore uses this both
to find NHS numbers that have leaked into free text and to check identifiers
before they are pseudonymised.
"""

from __future__ import annotations

import re

#: The weights applied to the first nine digits (Data Dictionary, Modulus 11).
WEIGHTS: tuple[int, ...] = (10, 9, 8, 7, 6, 5, 4, 3, 2)

#: How an NHS number may be written: ten digits, optionally grouped 3-3-4 by
#: single spaces or hyphens (as printed on NHS letters and cards).
WRITTEN_FORM = re.compile(r"^\s*(\d{3})[ -]?(\d{3})[ -]?(\d{4})\s*$")


def check_digit(first_nine: str) -> int | None:
    """The Modulus 11 check digit for nine digits, or ``None`` when none exists.

    ``None`` is the "remainder gives 10" case: no valid NHS number starts
    with those nine digits.
    """
    if len(first_nine) != 9 or not first_nine.isascii() or not first_nine.isdigit():
        raise ValueError("an NHS number's check digit is computed from exactly nine digits")
    total = sum(int(d) * w for d, w in zip(first_nine, WEIGHTS, strict=True))
    digit = 11 - total % 11
    if digit == 11:
        return 0
    if digit == 10:
        return None
    return digit


def normalise(text: str) -> str | None:
    """The ten digits of ``text`` when it is written as an NHS number, else ``None``.

    Accepts ``9434765919``, ``943 476 5919`` and ``943-476-5919``. Does not
    check the check digit: see :func:`is_valid`.
    """
    match = WRITTEN_FORM.match(text)
    if match is None or not text.isascii():
        return None
    return "".join(match.groups())


def is_valid(text: str) -> bool:
    """True when ``text`` is written as an NHS number and its check digit is right."""
    digits = normalise(text)
    if digits is None:
        return False
    return check_digit(digits[:9]) == int(digits[9])


def problem(text: str) -> str | None:
    """Why ``text`` is not a valid NHS number, in one sentence; ``None`` when it is valid."""
    digits = normalise(text)
    if digits is None:
        return "An NHS number is ten digits, optionally written 3-3-4 with spaces or hyphens."
    expected = check_digit(digits[:9])
    if expected is None:
        return "No NHS number starts with these nine digits (the Modulus 11 check gives 10)."
    if expected != int(digits[9]):
        return "The last digit is not the Modulus 11 check digit, so the number is mistyped."
    return None
