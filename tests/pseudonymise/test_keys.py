"""Pseudonymisation keys: the HMAC primitive, key file forms, weak keys, never shown."""

from __future__ import annotations

import base64
import os
import pickle
import stat
from pathlib import Path

import pytest

from spcore.pseudonymise import (
    MIN_KEY_BYTES,
    PseudonymKey,
    UnusableKeyError,
    decode_key,
    generate_key,
    load_key,
    read_key,
    write_new_key,
)
from spcore.pseudonymise.keys import MAX_KEY_FILE_BYTES, hmac_sha256_hex

SECRET = bytes(range(40, 72))  # 32 different bytes


@pytest.mark.parametrize(
    ("key", "data", "expected"),
    [
        # RFC 4231 §4.2, test case 1.
        (
            b"\x0b" * 20,
            b"Hi There",
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        ),
        # RFC 4231 §4.3, test case 2 (a key shorter than the output).
        (
            b"Jefe",
            b"what do ya want for nothing?",
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        ),
    ],
)
def test_hmac_sha256_matches_rfc_4231(key: bytes, data: bytes, expected: str) -> None:
    assert hmac_sha256_hex(key, data) == expected


def test_key_mac_is_the_primitive() -> None:
    assert PseudonymKey(SECRET).mac(b"abc") == hmac_sha256_hex(SECRET, b"abc")


@pytest.mark.parametrize(
    "contents",
    [
        SECRET.hex().encode() + b"\n",
        SECRET.hex().upper().encode(),
        b"  " + SECRET.hex().encode() + b"\r\n",
        base64.b64encode(SECRET) + b"\n",
        b"\xff" + SECRET,  # raw bytes (not ASCII); every byte is the key
        b"\xef\xbb\xbf" + SECRET.hex().encode() + b"\r\n",  # UTF-8 with a byte-order mark
        (SECRET.hex() + "\r\n").encode("utf-16"),  # UTF-16, as some editors save text
    ],
)
def test_key_file_forms(contents: bytes) -> None:
    expected = contents if contents == b"\xff" + SECRET else SECRET
    assert decode_key(contents) == PseudonymKey(expected)


@pytest.mark.parametrize(
    ("contents", "code"),
    [
        (b"correct horse battery staple\n", "SPC-P002"),  # a passphrase is not a key
        (SECRET.hex()[:-1].encode(), "SPC-P002"),  # odd number of hex digits
        (b"ab" * (MAX_KEY_FILE_BYTES), "SPC-P002"),  # far too large to be a key file
        (SECRET[:31].hex().encode(), "SPC-P003"),  # 31 bytes
        (b"", "SPC-P002"),
        (("00" * 32).encode(), "SPC-P004"),  # all one byte
        (bytes([1, 2] * 16).hex().encode(), "SPC-P004"),  # two different bytes
        (bytes(range(200, 215)) * 3, "SPC-P004"),  # raw: 15 different bytes
    ],
)
def test_unusable_keys_are_refused_with_a_finding(contents: bytes, code: str) -> None:
    with pytest.raises(UnusableKeyError) as raised:
        decode_key(contents)
    assert raised.value.finding.code == code
    assert raised.value.finding.severity == "error"


def test_minimum_is_the_sha256_output_length() -> None:
    assert MIN_KEY_BYTES == 32
    PseudonymKey(bytes(range(32)))  # 32 different bytes: accepted
    with pytest.raises(UnusableKeyError):
        PseudonymKey(bytes(range(31)))


def test_key_is_never_shown() -> None:
    key = PseudonymKey(SECRET)
    forms = _forms(SECRET)
    for text in (repr(key), str(key), f"{key}", repr([key])):
        assert not any(form in text for form in forms)
    assert "32 bytes" in repr(key)
    assert key.fingerprint in repr(key)


def test_key_cannot_be_pickled() -> None:
    with pytest.raises(TypeError):
        pickle.dumps(PseudonymKey(SECRET))


def test_fingerprint_tells_keys_apart() -> None:
    other = bytes(range(100, 132))
    assert PseudonymKey(SECRET).fingerprint == PseudonymKey(SECRET).fingerprint
    assert PseudonymKey(SECRET).fingerprint != PseudonymKey(other).fingerprint
    assert len(PseudonymKey(SECRET).fingerprint) == 16


def test_generated_keys_differ() -> None:
    assert generate_key() != generate_key()


def test_new_key_file_is_private_and_readable(tmp_path: Path) -> None:
    path = tmp_path / "scheme.key"
    key = write_new_key(path)
    text = path.read_text()
    assert len(text) == 65
    assert text.endswith("\n")
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key(path) == key
    assert read_key(path).findings == ()


def test_new_key_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "scheme.key"
    path.write_text("precious")
    with pytest.raises(UnusableKeyError) as raised:
        write_new_key(path)
    assert raised.value.finding.code == "SPC-P006"
    assert path.read_text() == "precious"


def test_new_key_in_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(UnusableKeyError) as raised:
        write_new_key(tmp_path / "no" / "such" / "folder.key")
    assert raised.value.finding.code == "SPC-P006"


@pytest.mark.parametrize("make", ["missing", "folder"])
def test_unreadable_key_files(tmp_path: Path, make: str) -> None:
    path = tmp_path / "k"
    if make == "folder":
        path.mkdir()
    result = read_key(path)
    assert result.key is None
    assert [f.code for f in result.findings] == ["SPC-P001"]
    with pytest.raises(UnusableKeyError):
        load_key(path)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_key_file_readable_by_others_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "k"
    path.write_text(SECRET.hex())
    path.chmod(0o644)
    result = read_key(path)
    assert result.key == PseudonymKey(SECRET)
    assert [(f.code, f.severity) for f in result.findings] == [("SPC-P005", "warning")]


def test_refusal_messages_never_quote_the_contents() -> None:
    weak = ("ab" * 20).encode()  # 20 bytes of 0xab
    with pytest.raises(UnusableKeyError) as raised:
        decode_key(weak)
    assert "abab" not in str(raised.value)


def _forms(secret: bytes) -> list[str]:
    """Every way the key could be written into text."""
    return [
        secret.hex(),
        secret.hex().upper(),
        base64.b64encode(secret).decode(),
        base64.urlsafe_b64encode(secret).decode(),
        repr(secret),
        secret.decode("latin-1"),
    ]
