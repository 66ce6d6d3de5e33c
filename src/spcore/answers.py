"""Yes/no and coded answers: strict in the library, spelled out in files.

A safeguarding flag or a referral exclusion mistyped by an integrating system
must never be read as "no". So every public input that carries a yes/no fact
or a code is checked when it is built:

* in the library (:func:`yes_no`, :func:`code`), a yes/no fact is a real
  ``bool``, or ``None`` where unknown is allowed, and a code is a member of its
  enumeration or its exact code text; anything else raises ``TypeError`` or
  ``ValueError`` naming the field and the value, with a did-you-mean for a
  near-miss code;
* where a file is read (CSV cells), :func:`read_yes_no` accepts the documented
  spellings :data:`YES_SPELLINGS` and :data:`NO_SPELLINGS` (any case, spaces
  around ignored) and a blank cell as unknown; any other spelling raises
  ``ValueError``, which the reader turns into a coded finding with the row and
  column, never a default.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable
from typing import Any, TypeVar

#: Cell spellings read as yes (compared after lower-casing and trimming).
YES_SPELLINGS: tuple[str, ...] = ("yes", "y", "true", "1")
#: Cell spellings read as no (compared after lower-casing and trimming).
NO_SPELLINGS: tuple[str, ...] = ("no", "n", "false", "0")

#: The spellings in one phrase, for messages and documentation.
SPELLINGS_TEXT = "yes or no (also accepted, in any case: y/n, true/false, 1/0)"

E = TypeVar("E", bound=enum.Enum)


def _shown(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def yes_no(field: str, value: Any, *, unknown_allowed: bool = True) -> bool | None:
    """Check a yes/no fact given to the library: a real ``bool`` (or ``None`` when unknown).

    Args:
        field: the field's name, for the message.
        value: the value given.
        unknown_allowed: whether ``None`` (not known) is accepted.

    Returns:
        ``value`` unchanged.

    Raises:
        TypeError: for anything that is not a ``bool`` (text such as ``"yes"``,
            numbers such as ``1``) or ``None`` when unknown is not allowed.
    """
    if isinstance(value, bool):
        return value
    if value is None and unknown_allowed:
        return None
    allowed = "True, False or None (not known)" if unknown_allowed else "True or False"
    raise TypeError(
        f"{field} must be {allowed}, not {_shown(value)} ({type(value).__name__}); "
        "text spellings such as 'yes' are read only from files"
    )


def yes_no_validator(instance: Any, attribute: Any, value: Any) -> None:
    """An attrs validator: the attribute is a ``bool`` or ``None`` (see :func:`yes_no`)."""
    yes_no(attribute.name, value)


def read_yes_no(text: str | None) -> bool | None:
    """Read a yes/no cell of a file: a documented spelling, or blank for not known.

    Raises:
        ValueError: for any other spelling, with a message that lists the
            accepted ones (the reader reports it as a finding).
    """
    if text is None or not text.strip():
        return None
    word = text.strip().lower()
    if word in YES_SPELLINGS:
        return True
    if word in NO_SPELLINGS:
        return False
    raise ValueError(f"should be {SPELLINGS_TEXT}, or blank")


def suggestion(value: str, choices: Iterable[str]) -> str:
    """A did-you-mean phrase (``"; did you mean 'red'?"``), or empty text when nothing is close."""
    close = difflib.get_close_matches(value.strip().lower(), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def code(kind: type[E], field: str, value: Any) -> E:
    """Check a coded value given to the library: a member of ``kind`` or its exact code.

    Unknown codes are refused with a did-you-mean, never mapped to a default.

    Raises:
        TypeError: when ``value`` is neither a member nor text.
        ValueError: when the text is not one of the codes.
    """
    if isinstance(value, kind):
        return value
    codes = [str(member.value) for member in kind]
    # A member of another enumeration with the same code text (a StrEnum) is text.
    if not isinstance(value, str):
        raise TypeError(
            f"{field} must be one of {', '.join(codes)}, not {_shown(value)} "
            f"({type(value).__name__})"
        )
    for member in kind:
        if member.value == value:
            return member
    raise ValueError(
        f"{field} must be one of {', '.join(codes)}, not {_shown(value)}{suggestion(value, codes)}"
    )
