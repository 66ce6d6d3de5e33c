"""Passwords, API tokens and CSRF tokens: made, hashed and compared with standard libraries.

Passwords are hashed with Argon2id (argon2-cffi, the algorithm RFC 9106
recommends). API tokens are 256 random bits, so a single SHA-256 digest is
enough to store them (no dictionary can guess them); only the digest and a
short prefix are kept. CSRF tokens follow the synchroniser-token pattern of
the OWASP CSRF Prevention Cheat Sheet: a random value kept in the signed
session and echoed in every form, compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

#: Every API token starts with this, so a leaked one is recognisable in a scan.
TOKEN_PREFIX = "spc_"

#: Characters of a token kept in clear to tell tokens apart.
SHOWN_PREFIX_LENGTH = 12

_hasher = PasswordHasher()

#: A hash verified when the user name is unknown, so a sign-in takes as long
#: either way and does not reveal which user names exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (salted; parameters in the hash)."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches ``password_hash`` (None: no such user, always False)."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """A new API token (shown once to its owner, never stored)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """The SHA-256 digest a token is stored and looked up by."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_csrf_token() -> str:
    """A random CSRF token for one session."""
    return secrets.token_urlsafe(32)


def same_token(expected: str | None, given: str | None) -> bool:
    """Compare two secrets in constant time; a missing one never matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))
