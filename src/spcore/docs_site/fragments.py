"""Generated parts of hand-written pages.

A hand-written page explains; where it shows facts the code holds as data
(what each figure of the return counts), it names them with a marker line,
``<!-- generated: NAME -->``, and the site hook puts the part in its place at
build time, so the facts are written once, in the data. An unknown name fails
the build.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

#: A marker, alone on its line.
MARKER = re.compile(r"^<!-- generated: ([a-z0-9-]+) -->$", re.M)


def _figure_definitions() -> str:
    from spcore.validation.catalogue import definitions_table

    return definitions_table()


#: Every part a page may name, by name.
FRAGMENTS: Mapping[str, Callable[[], str]] = {
    "figure-definitions": _figure_definitions,
}


def fill(markdown: str) -> str:
    """``markdown`` with every marker replaced by its generated part.

    Raises:
        KeyError: a marker names no known part.
    """

    def part(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in FRAGMENTS:
            raise KeyError(f"no generated part called '{name}'; known: {', '.join(FRAGMENTS)}")
        return FRAGMENTS[name]()

    return MARKER.sub(part, markdown)


__all__ = ["FRAGMENTS", "MARKER", "fill"]
