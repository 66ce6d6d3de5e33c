"""Keyed pseudonyms: HMAC-SHA256 of an identifier, separated by what it identifies.

A pseudonym is ``HMAC-SHA256(key, message)`` (RFC 2104 with SHA-256, FIPS
180-4) written as 64 lowercase hex digits, so it satisfies the case record's
``PseudonymousId`` pattern. The message is a list of UTF-8 fields, each
preceded by its length as four big-endian bytes, so no two different lists
give the same message:

============  ==================================================================
person        ``spcore-pseudonym-v1``, ``person``, the NHS number's ten digits
case          ``spcore-pseudonym-v1``, ``case``, the scheme id, the local case id
============  ==================================================================

**Domain separation.** The second field differs, so a person pseudonym and
a case pseudonym can never be matched to each other, even where a local case
reference happens to be written like an NHS number.

**Scheme id.** It is part of the *case* message because local case
references are only unique within a scheme: two schemes sharing a key
(a commissioner may give one key to several schemes) must not produce the same
case pseudonym for their own, unrelated, case ``1001``. It is *not* part of the
*person* message: whether a person can be linked across schemes is decided by
who holds the key, in one place, and schemes that share a key do so to link
people.

**Why a key.** There are fewer than ten billion NHS numbers, and only about
one in eleven ten-digit strings passes the Modulus 11 check: an unkeyed SHA-256
of every possible NHS number takes minutes to compute, so an unkeyed hash
identifies the person. Without the key, the HMAC cannot be computed at all.
"""

from __future__ import annotations

import unicodedata

from spcore.framework import nhs_number
from spcore.pseudonymise.keys import PseudonymKey

#: First field of every pseudonym message; a new version would give new pseudonyms.
DOMAIN = "spcore-pseudonym-v1"
PERSON_CONTEXT = "person"
CASE_CONTEXT = "case"

#: Longest local case reference accepted, in characters (the case record's
#: short-text limit; a local reference is far shorter in practice).
MAX_LOCAL_ID = 200


def message(*fields: str) -> bytes:
    """The HMAC input for ``fields``: each as UTF-8, preceded by its byte length (4 bytes)."""
    parts: list[bytes] = []
    for field in fields:
        data = field.encode("utf-8")
        parts.append(len(data).to_bytes(4, "big"))
        parts.append(data)
    return b"".join(parts)


def local_id_problem(local_id: object) -> str | None:
    """Why ``local_id`` cannot be a local case reference, in one sentence; ``None`` if it can."""
    if not isinstance(local_id, str):
        return "The local case reference (case_id) must be text."
    text = local_id.strip()
    if not text:
        return "The local case reference (case_id) is empty."
    if len(text) > MAX_LOCAL_ID:
        return f"The local case reference (case_id) is longer than {MAX_LOCAL_ID} characters."
    if any(unicodedata.category(c) == "Cc" for c in text):
        return "The local case reference (case_id) contains control characters."
    return None


class Pseudonymiser:
    """Makes person and case pseudonyms under one key.

    >>> from spcore.pseudonymise import PseudonymKey
    >>> p = Pseudonymiser(PseudonymKey(bytes(range(32))))
    >>> len(p.person("999 000 0018"))
    64
    """

    __slots__ = ("_key",)

    def __init__(self, key: PseudonymKey) -> None:
        if not isinstance(key, PseudonymKey):
            raise TypeError("a Pseudonymiser needs a PseudonymKey (see load_key)")
        self._key = key

    @property
    def fingerprint(self) -> str:
        """The key's fingerprint (see :attr:`PseudonymKey.fingerprint`)."""
        return self._key.fingerprint

    def person(self, nhs: str) -> str:
        """The pseudonym of the person with NHS number ``nhs`` (any written form).

        Raises ``ValueError`` when ``nhs`` is not a valid NHS number; the
        message never repeats the number.
        """
        problem = nhs_number.problem(nhs) if isinstance(nhs, str) else "It is not text."
        if problem is not None:
            raise ValueError(f"Not a valid NHS number. {problem}")
        digits = nhs_number.normalise(nhs)
        assert digits is not None  # problem() is None only for a well-formed number
        return self._key.mac(message(DOMAIN, PERSON_CONTEXT, digits))

    def case(self, local_id: str, *, scheme_id: str) -> str:
        """The pseudonym of the scheme's case ``local_id`` (surrounding spaces ignored).

        Raises ``ValueError`` when ``local_id`` is empty, too long or holds
        control characters, or ``scheme_id`` is empty.
        """
        problem = local_id_problem(local_id)
        if problem is not None:
            raise ValueError(problem)
        if not isinstance(scheme_id, str) or not scheme_id:
            raise ValueError("The scheme id is needed to pseudonymise a case reference.")
        return self._key.mac(message(DOMAIN, CASE_CONTEXT, scheme_id, local_id.strip()))

    def __repr__(self) -> str:
        return f"<Pseudonymiser key fingerprint {self.fingerprint}>"
