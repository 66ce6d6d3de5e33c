"""Small Markdown helpers shared by the generated reference pages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

# Docstrings and schema descriptions use reStructuredText literals (``x``);
# Markdown wants single backticks.
_RST_LITERAL = re.compile(r"``(.+?)``")


def text(value: str) -> str:
    """Schema or docstring prose as inline Markdown: rST literals become code spans."""
    return _RST_LITERAL.sub(r"`\1`", value)


# A pipe ends a table cell unless escaped; backslashes already before it are
# doubled first, so that "\\|" in the source cannot become an escaped
# backslash followed by a live pipe.
_PIPE = re.compile(r"(\\*)\|")


def cell(value: str) -> str:
    """``value`` made safe for one cell of a Markdown table."""
    escaped = _PIPE.sub(lambda m: m.group(1) * 2 + "\\|", text(value))
    return escaped.replace("\r", " ").replace("\n", " ").strip()


def code(value: str) -> str:
    """``value`` as an inline code span (Python-Markdown tables keep ``|`` inside code)."""
    fence = "``" if "`" in value else "`"
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A Markdown table; cells are used as given (escape them with :func:`cell`)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def page(lines: Iterable[str]) -> str:
    """Join lines into a page ending in exactly one newline."""
    return "\n".join(lines).rstrip() + "\n"
