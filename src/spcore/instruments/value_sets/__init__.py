"""EQ-5D value sets held as data: one JSON file per value set.

Each file carries the coefficients (dimension decrements, constant, N3 term),
the citation and the independent sources the numbers were checked against.
:mod:`spcore.instruments.eq5d` turns them into :class:`ValueSet` objects; this
package only finds and reads the files, through :mod:`importlib.resources` so
that it works from a wheel, a zip or a source checkout alike.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from spcore import strict_json


def value_set_files() -> list[str]:
    """Return the file names of the bundled value sets, sorted."""
    root = resources.files(__name__)
    return sorted(p.name for p in root.iterdir() if p.name.endswith(".json"))


def load_value_set_data(name: str) -> dict[str, Any]:
    """Read one bundled value-set file and return its JSON object."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    data = strict_json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"value-set file {name} does not hold a JSON object")
    return data
