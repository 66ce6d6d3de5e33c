"""The pseudonymisation key: reading, checking and making one, without ever showing it.

A key is a secret of at least :data:`MIN_KEY_BYTES` random bytes that the
scheme holds and never sends with its extracts. A key file holds it in one of
three forms, tried in this order:

1. **hex** — the bytes as hexadecimal digits (``spcore pseudonymise --new-key``
   writes this form: 64 digits and a newline);
2. **base64** — the bytes in standard base64 (RFC 4648 §4), padding included;
3. **raw** — the bytes themselves, when the file is not ASCII text.

Surrounding whitespace and a UTF-8 or UTF-16 byte-order mark are ignored in
the text forms. ASCII text that is neither hex nor base64 (a passphrase, say)
is refused: a word someone chose is not a random key.

Why at least 32 bytes: RFC 2104 §3 discourages HMAC keys shorter than the
hash's output, which for SHA-256 is 32 bytes; NIST SP 800-107 §5.3.4 ties
HMAC's security strength to the key's length in the same way.

The key never appears in a ``repr``, a finding, an exception message or any
output: it is kept inside :class:`PseudonymKey`, which only ever shows its
length and a :attr:`~PseudonymKey.fingerprint` (a keyed hash of a fixed label,
which tells two keys apart without revealing either).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
import stat
from pathlib import Path
from typing import NoReturn

import attrs

from spcore.findings import Finding, Severity, error, warning

#: Shortest key accepted, in bytes: the SHA-256 output length (RFC 2104 §3).
MIN_KEY_BYTES = 32

#: Length of the keys spcore makes, in bytes (RFC 2104 §3: the output length;
#: longer keys add nothing to HMAC-SHA256's strength).
NEW_KEY_BYTES = 32

#: Largest key file read. A 32-byte key is 65 bytes as hex; anything past
#: 4 KiB is some other file given by mistake, not a key.
MAX_KEY_FILE_BYTES = 4096

#: Fewest different byte values a key must hold. Not from a standard: it
#: catches keys such as ``00 00 …`` or ``01 02 01 02 …`` typed by hand, while a
#: random 32-byte key has fewer than 16 different bytes with a probability
#: below 10^-15 (C(256, 15) × (15/256)^32), so no real key is refused.
MIN_DISTINCT_BYTES = 16

_HEX = re.compile(r"^[0-9A-Fa-f]+$")
_BASE64 = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")

#: Label hashed under the key to give its fingerprint (distinct from every
#: pseudonym input, which starts with a length prefix).
_FINGERPRINT_LABEL = b"spcore pseudonymisation key fingerprint v1"


def hmac_sha256_hex(secret: bytes, message: bytes) -> str:
    """HMAC-SHA256 (RFC 2104, SHA-256 of FIPS 180-4) of ``message``, as lowercase hex.

    The one primitive every pseudonym comes from; the tests check it against
    the RFC 4231 test vectors.
    """
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


class UnusableKeyError(ValueError):
    """A key or key file that cannot be used; :attr:`finding` says why.

    The message is the finding's sentence, which never contains the key.
    """

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _refuse(code: str, message: str) -> NoReturn:
    raise UnusableKeyError(error(code, "", message))


def _check_strength(secret: bytes) -> None:
    if len(secret) < MIN_KEY_BYTES:
        _refuse(
            "SPC-P003",
            f"The key is {len(secret)} bytes; a key must be at least {MIN_KEY_BYTES} random "
            "bytes. Make one with 'spcore pseudonymise --new-key FILE'.",
        )
    distinct = len(set(secret))
    if distinct == 1:
        _refuse(
            "SPC-P004",
            "The key is one byte repeated, so anyone could guess it. Make a random one with "
            "'spcore pseudonymise --new-key FILE'.",
        )
    if distinct < MIN_DISTINCT_BYTES:
        _refuse(
            "SPC-P004",
            f"The key uses only {distinct} different byte values, so it was not made at "
            "random. Make one with 'spcore pseudonymise --new-key FILE'.",
        )


class PseudonymKey:
    """A checked pseudonymisation key. Its bytes are never shown.

    Raises :class:`UnusableKeyError` for a key that is too short or not
    random enough.
    """

    __slots__ = ("_secret",)

    def __init__(self, secret: bytes) -> None:
        if not isinstance(secret, bytes | bytearray):
            raise TypeError("a pseudonymisation key is made from bytes")
        _check_strength(bytes(secret))
        self._secret = bytes(secret)

    def mac(self, message: bytes) -> str:
        """HMAC-SHA256 of ``message`` under this key, as 64 lowercase hex digits."""
        return hmac_sha256_hex(self._secret, message)

    @property
    def length(self) -> int:
        """The key's length in bytes."""
        return len(self._secret)

    @property
    def fingerprint(self) -> str:
        """Sixteen hex digits that identify the key without revealing it.

        Two extracts made with the same key show the same fingerprint; after
        a key is rotated the fingerprint changes.
        """
        return self.mac(_FINGERPRINT_LABEL)[:16]

    def __repr__(self) -> str:
        return f"<PseudonymKey {self.length} bytes, fingerprint {self.fingerprint}>"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PseudonymKey):
            return NotImplemented
        return hmac.compare_digest(self._secret, other._secret)

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __reduce__(self) -> NoReturn:
        # Pickles end up in caches and logs; a key must be read from its file.
        raise TypeError("a pseudonymisation key cannot be pickled; load it from its key file")


def decode_key(data: bytes) -> PseudonymKey:
    """The key held in the contents of a key file (hex, base64 or raw; see the module).

    Raises :class:`UnusableKeyError`; its message never quotes the contents.
    """
    if len(data) > MAX_KEY_FILE_BYTES:
        _refuse(
            "SPC-P002",
            f"The key file is {len(data):,} bytes; a key file is under {MAX_KEY_FILE_BYTES:,} "
            "bytes, so this is some other file.",
        )
    text = _as_text(data)
    if text is None:
        return PseudonymKey(data)  # raw bytes
    if _HEX.match(text) and len(text) % 2 == 0:
        return PseudonymKey(bytes.fromhex(text))
    if _BASE64.match(text) and len(text) % 4 == 0:
        try:
            return PseudonymKey(base64.b64decode(text, validate=True))
        except binascii.Error:
            pass  # falls through to the refusal below
    _refuse(
        "SPC-P002",
        "The key file is text but not a key written in hex or base64 (a passphrase is not a "
        "key). Make one with 'spcore pseudonymise --new-key FILE'.",
    )


def _as_text(data: bytes) -> str | None:
    """The key file as ASCII text, stripped; ``None`` when it holds raw bytes.

    An editor may have saved a hex or base64 key with a UTF-8 or UTF-16
    byte-order mark; read as raw bytes, that would silently be another key.
    """
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("ascii").strip()
    except UnicodeDecodeError:
        pass
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16").strip()
        except UnicodeDecodeError:
            return None
        # Only a key written as text counts; raw bytes may start like a mark by chance.
        if text.isascii() and (_HEX.match(text) or _BASE64.match(text)):
            return text
    return None


@attrs.frozen
class KeyRead:
    """The outcome of reading a key file: the key, or the findings that stop it."""

    key: PseudonymKey | None
    findings: tuple[Finding, ...] = ()


def _others_can_read(mode: int) -> bool:
    return os.name == "posix" and bool(mode & (stat.S_IRWXG | stat.S_IRWXO))


def read_key(path: str | os.PathLike[str]) -> KeyRead:
    """Read and check a key file, reporting every problem as a finding.

    Errors (``SPC-P001``–``SPC-P004``) leave :attr:`KeyRead.key` ``None``; a
    key file that other users can read gives the warning ``SPC-P005``.
    """
    p = Path(path)
    try:
        if p.is_dir():
            return KeyRead(None, (error("SPC-P001", "", f"The key file '{p}' is a folder."),))
        mode = p.stat().st_mode
        with p.open("rb") as handle:
            data = handle.read(MAX_KEY_FILE_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return KeyRead(
            None, (error("SPC-P001", "", f"The key file '{p}' cannot be read: {reason}."),)
        )
    try:
        key = decode_key(data)
    except UnusableKeyError as exc:
        return KeyRead(None, (exc.finding,))
    findings: tuple[Finding, ...] = ()
    if _others_can_read(mode):
        findings = (
            warning(
                "SPC-P005",
                "",
                f"The key file '{p}' can be read by other users; make it readable by its owner "
                f"only (chmod 600 '{p}').",
            ),
        )
    return KeyRead(key, findings)


def load_key(path: str | os.PathLike[str]) -> PseudonymKey:
    """The key in the file at ``path``; raises :class:`UnusableKeyError` when it cannot be used.

    Warnings (a key file others can read) do not stop it: use :func:`read_key`
    to see them.
    """
    result = read_key(path)
    if result.key is None:
        raise UnusableKeyError(next(f for f in result.findings if f.severity is Severity.ERROR))
    return result.key


def _random_secret() -> bytes:
    secret = secrets.token_bytes(NEW_KEY_BYTES)
    while len(set(secret)) < MIN_DISTINCT_BYTES:  # pragma: no cover - below 10^-15
        secret = secrets.token_bytes(NEW_KEY_BYTES)
    return secret


def generate_key() -> PseudonymKey:
    """A new random key of :data:`NEW_KEY_BYTES` bytes from the operating system's CSPRNG."""
    return PseudonymKey(_random_secret())


def write_new_key(path: str | os.PathLike[str]) -> PseudonymKey:
    """Make a new key and write it to a new file at ``path``, as hex, readable by its owner only.

    Never overwrites: replacing a key would make every later pseudonym
    unlinkable to every earlier one. Raises :class:`UnusableKeyError`
    (``SPC-P006``) when the file exists or cannot be written.
    """
    p = Path(path)
    secret = _random_secret()
    key = PseudonymKey(secret)
    try:
        # O_EXCL: refuse an existing file; 0o600 from the start, never loosened.
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        _refuse(
            "SPC-P006",
            f"'{p}' already exists; spcore never overwrites a key (pseudonyms made with it "
            "could no longer be matched). Choose another file name.",
        )
    except OSError as exc:
        _refuse("SPC-P006", f"The key cannot be written to '{p}': {exc.strerror or exc}.")
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secret.hex() + "\n")
    return key
