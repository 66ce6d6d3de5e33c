"""Reading a return from a file, whatever form it was saved in.

Every reader gives back the same two things: the document (or the findings
that stop it being read) and, for spreadsheets, where each part of the
document was found, so that findings can point a person at a sheet and row
rather than at a JSON Pointer.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import attrs

from spcore.validation.loading import Loaded, read_json_file


@attrs.frozen
class Source:
    """A document read from a file, with the places its parts came from."""

    loaded: Loaded
    locations: Mapping[str, str] = attrs.field(factory=dict)


def read_document(path: str | Path) -> Source:
    """Read a return from ``path``, choosing the reader by the file's suffix."""
    return Source(read_json_file(path))
