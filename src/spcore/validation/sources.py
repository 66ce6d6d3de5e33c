"""Reading a return from a file, whatever form it was saved in.

Every reader gives back the same two things: the document (or the findings
that stop it being read) and, for spreadsheets, where each part of the
document was found, so that findings can point a person at a sheet and row
rather than at a JSON Pointer.

The reader is chosen by the file's suffix: ``.json``, ``.xlsx`` (the
workbook template) or ``.csv`` (the one-row-per-field form); see
:mod:`spcore.spreadsheets`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from spcore.excerpt import excerpt
from spcore.findings import error
from spcore.validation.loading import Loaded, read_json_file

#: File suffixes a return may be read from.
SUFFIXES = (".json", ".xlsx", ".csv")


class Source(NamedTuple):
    """A document read from a file, with the places its parts came from."""

    loaded: Loaded
    # Read-only and shared: a source read without places has none to add.
    locations: Mapping[str, str] = MappingProxyType({})


def read_document(path: str | Path) -> Source:
    """Read a return from ``path``, choosing the reader by the file's suffix.

    Never raises for bad input: an unreadable file, or a suffix other than
    ``.json``, ``.xlsx`` or ``.csv``, gives a ``Loaded`` with no data and a
    finding.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".json" or p.is_dir():  # a folder is reported as one, whatever its name
        return Source(read_json_file(p))
    # Imported here: the spreadsheet readers import this package's loaders.
    from spcore.spreadsheets.documents import read_csv, read_workbook

    if suffix == ".xlsx":
        loaded, locations = read_workbook(p)
        return Source(loaded, locations)
    if suffix == ".csv":
        loaded, locations = read_csv(p)
        return Source(loaded, locations)
    shown = suffix or "no suffix"
    return Source(
        Loaded(
            None,
            (
                error(
                    "SPC-X001",
                    "",
                    f"'{excerpt(p.name, 80)}' has {shown}; spcore reads returns saved as .json, "
                    ".xlsx or .csv.",
                ),
            ),
        )
    )
