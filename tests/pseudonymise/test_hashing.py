"""Pseudonyms: stable under a key, unlinkable across keys, separated by context."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spcore.framework import nhs_number
from spcore.pseudonymise import Pseudonymiser, PseudonymKey
from spcore.pseudonymise.hashing import message
from spcore.pseudonymise.keys import hmac_sha256_hex

SECRET = bytes(range(40, 72))
KEY = PseudonymKey(SECRET)
OTHER_KEY = PseudonymKey(bytes(range(100, 132)))
SCHEME = "NORTHSHIRE-CONNECT"
PSEUDONYMOUS_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{3,127}$")

#: NHS numbers in the range set aside for testing (999 000 0000 – 999 999 9999).
TEST_NUMBERS = ("9990000018", "9990000026", "9990000034")


def test_person_pseudonym_follows_the_documented_message() -> None:
    # Written out by hand from the layout in the hashing module's docstring.
    expected_message = (
        b"\x00\x00\x00\x13spcore-pseudonym-v1"
        + b"\x00\x00\x00\x06person"
        + b"\x00\x00\x00\x0a9990000018"
    )
    assert Pseudonymiser(KEY).person("999 000 0018") == hmac_sha256_hex(SECRET, expected_message)


def test_case_pseudonym_follows_the_documented_message() -> None:
    expected_message = (
        b"\x00\x00\x00\x13spcore-pseudonym-v1"
        + b"\x00\x00\x00\x04case"
        + b"\x00\x00\x00\x12NORTHSHIRE-CONNECT"
        + b"\x00\x00\x00\x0cNC/2025/0042"
    )
    pseudonym = Pseudonymiser(KEY).case(" NC/2025/0042 ", scheme_id=SCHEME)
    assert pseudonym == hmac_sha256_hex(SECRET, expected_message)


def test_same_person_same_pseudonym_under_one_key() -> None:
    p = Pseudonymiser(KEY)
    forms = {p.person(n) for n in ("9990000018", "999 000 0018", "999-000-0018", " 9990000018 ")}
    assert len(forms) == 1
    assert Pseudonymiser(PseudonymKey(SECRET)).person("9990000018") in forms


def test_another_key_gives_unrelated_pseudonyms() -> None:
    mine, theirs = Pseudonymiser(KEY), Pseudonymiser(OTHER_KEY)
    assert {mine.person(n) for n in TEST_NUMBERS}.isdisjoint(
        {theirs.person(n) for n in TEST_NUMBERS}
    )
    assert mine.case("1001", scheme_id=SCHEME) != theirs.case("1001", scheme_id=SCHEME)


def test_person_and_case_contexts_never_match() -> None:
    p = Pseudonymiser(KEY)
    # A local reference written exactly like the NHS number still differs.
    assert p.person("9990000018") != p.case("9990000018", scheme_id=SCHEME)


def test_scheme_separates_cases_but_not_people() -> None:
    p = Pseudonymiser(KEY)
    assert p.case("1001", scheme_id="SCHEME-A") != p.case("1001", scheme_id="SCHEME-B")
    assert p.case("1001", scheme_id="SCHEME-A") != p.case("1002", scheme_id="SCHEME-A")


def test_pseudonyms_are_valid_case_record_identifiers() -> None:
    p = Pseudonymiser(KEY)
    for value in (p.person("9990000018"), p.case("x", scheme_id=SCHEME)):
        assert re.fullmatch(r"[0-9a-f]{64}", value)
        assert PSEUDONYMOUS_ID.match(value)


@pytest.mark.parametrize("bad", ["9990000017", "999000001", "99900000188", "999 000 00l8", ""])
def test_invalid_nhs_numbers_are_refused_without_being_repeated(bad: str) -> None:
    with pytest.raises(ValueError, match="Not a valid NHS number") as raised:
        Pseudonymiser(KEY).person(bad)
    assert bad.strip() == "" or bad not in str(raised.value)


@pytest.mark.parametrize("bad", ["", "   ", "a\x00b", "x" * 201])
def test_unusable_local_references_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="local case reference"):
        Pseudonymiser(KEY).case(bad, scheme_id=SCHEME)


def test_repr_shows_no_key() -> None:
    text = repr(Pseudonymiser(KEY))
    assert SECRET.hex() not in text
    assert KEY.fingerprint in text


def test_pseudonymiser_needs_a_checked_key() -> None:
    with pytest.raises(TypeError):
        Pseudonymiser(SECRET)  # type: ignore[arg-type]


fields = st.lists(st.text(max_size=8), min_size=1, max_size=4)


@given(fields, fields)
def test_messages_are_unambiguous(a: list[str], b: list[str]) -> None:
    # Length prefixes: different field lists never give the same HMAC input.
    assert (message(*a) == message(*b)) == (a == b)


@given(st.integers(min_value=0, max_value=999_999))
def test_every_test_range_number_gets_a_pseudonym(n: int) -> None:
    nine = f"999{n:06d}"
    digit = nhs_number.check_digit(nine)
    p = Pseudonymiser(KEY)
    if digit is None:
        with pytest.raises(ValueError, match="Modulus 11"):
            p.person(nine + "0")
    else:
        assert len(p.person(f"{nine}{digit}")) == 64


def test_public_api() -> None:
    import spcore
    from spcore import pseudonymise

    key = PseudonymKey(SECRET)
    assert spcore.Pseudonymiser(key).person("9990000018") == Pseudonymiser(KEY).person("9990000018")
    assert spcore.load_key is pseudonymise.load_key
    assert spcore.pseudonymise_extract is pseudonymise.pseudonymise_extract
