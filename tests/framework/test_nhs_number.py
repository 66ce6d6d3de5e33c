import pytest
from hypothesis import given
from hypothesis import strategies as st

from spcore.framework import nhs_number


@pytest.mark.parametrize("text", ["9434765919", "943 476 5919", "943-476-5919", " 9434765919 "])
def test_worked_example_is_valid(text: str) -> None:
    assert nhs_number.is_valid(text)
    assert nhs_number.problem(text) is None


def test_check_digit_worked_example() -> None:
    # 9x10 + 4x9 + 3x8 + 4x7 + 7x6 + 6x5 + 5x4 + 9x3 + 1x2 = 299; 299 mod 11 = 2; 11 - 2 = 9.
    assert nhs_number.check_digit("943476591") == 9


def test_remainder_zero_gives_check_digit_zero() -> None:
    # A weighted sum of 0 leaves remainder 0; 11 - 0 = 11, which becomes 0.
    assert nhs_number.check_digit("000000000") == 0
    assert nhs_number.is_valid("0000000000")


def test_remainder_one_means_no_valid_number() -> None:
    # 1x10 + 1x2 = 12; 12 mod 11 = 1; 11 - 1 = 10, so no valid number starts 100000001.
    assert nhs_number.check_digit("100000001") is None
    assert "10" in (nhs_number.problem("1000000010") or "")


@pytest.mark.parametrize(
    "text",
    ["9434765918", "943476591", "94347659190", "943 4765 919", "abcdefghij", "", "９434765919"],
)
def test_invalid(text: str) -> None:
    assert not nhs_number.is_valid(text)
    assert nhs_number.problem(text)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_single_digit_change_is_caught(first_nine: str) -> None:
    digit = nhs_number.check_digit(first_nine)
    if digit is None:
        return
    number = first_nine + str(digit)
    assert nhs_number.is_valid(number)
    for position in range(10):
        for replacement in "0123456789":
            if replacement == number[position]:
                continue
            typo = number[:position] + replacement + number[position + 1 :]
            assert not nhs_number.is_valid(typo)


def test_check_digit_needs_nine_digits() -> None:
    with pytest.raises(ValueError, match="nine digits"):
        nhs_number.check_digit("12345678")
