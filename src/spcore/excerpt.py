"""Quoting a file's content in a message: short, clearly cut, and never key material.

Every message that shows what a file holds (a header row, a cell, a key
repeated in an object) quotes it through :func:`excerpt`, so no message
can echo a long stretch of a file. A key file given by mistake in place of a
return or an extract is the case this guards: its content is a long run of
hexadecimal or base64 characters, and such runs are never quoted, only
described by their length.
"""

from __future__ import annotations

import re

from spcore import limits

# Runs that look like key material: 16+ hexadecimal characters, or 20+ base64
# characters (standard or URL-safe alphabet) mixing capitals, small letters and digits.
_HEX_RUN = re.compile(r"[0-9A-Fa-f]{16,}")
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{20,}={0,2}")
_SPACE = re.compile(r"\s+")


def _hidden(match: re.Match[str]) -> str:
    run = match.group(0)
    if _BASE64_RUN is match.re and not (
        any(c.isdigit() for c in run)
        and any(c.isupper() for c in run)
        and any(c.islower() for c in run)
    ):
        return run  # a long word or a path, not a key
    return f"[{len(run)} characters not shown]"


def excerpt(text: str, limit: int = limits.EXCERPT_CHARACTERS) -> str:
    """A short, printable excerpt of ``text`` for a message.

    Runs of whitespace become one space; characters that cannot be printed or
    written as UTF-8 are shown as escapes; runs that look like key material
    are replaced by their length; and text longer than ``limit`` characters is
    cut, with an ellipsis and the full length, so the cut is plain.
    """
    shown = _SPACE.sub(" ", text).strip()
    shown = shown.encode("utf-8", "backslashreplace").decode("utf-8")
    shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in shown)
    shown = _HEX_RUN.sub(_hidden, shown)
    shown = _BASE64_RUN.sub(_hidden, shown)
    if len(shown) <= limit:
        return shown
    return f"{shown[: max(limit - 1, 1)]}… ({len(text):,} characters in all)"
