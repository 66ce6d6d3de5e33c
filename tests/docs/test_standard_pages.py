"""The hand-written pages on the standard name fields and codes that exist."""

from __future__ import annotations

import re
from pathlib import Path

from spcore import schemas
from spcore.docs_site.schema_fields import document_fields

DOCS = Path(__file__).resolve().parents[2] / "docs"
_TICKED = re.compile(r"`([a-z_]+)`")


def _outputs_table() -> dict[int, set[str]]:
    """nhse-cof-2018 output number -> the return fields the Phase 1 page maps it to."""
    rows: dict[int, set[str]] = {}
    for line in (DOCS / "standard" / "phase-1-outputs.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].isdigit():
            rows[int(cells[0])] = set(_TICKED.findall(cells[2]))
    return rows


def test_phase_1_page_maps_the_eleven_outputs_to_exactly_the_schema_fields() -> None:
    table = _outputs_table()
    assert sorted(table) == list(range(1, 12))
    schema = schemas.load("quarterly-return")["$defs"]["Phase1Outputs"]
    assert set().union(*table.values()) == set(schema["properties"])
    # Each field's own description names the output number the page gives it.
    for number, fields in table.items():
        for field in fields:
            description = schema["properties"][field]["description"]
            assert description.startswith(f"Output {number}:"), (field, description)


def test_impact_area_page_names_only_fields_of_the_return() -> None:
    text = (DOCS / "standard" / "impact-areas.md").read_text()
    names = {row.path.rsplit("/", 1)[-1] for row in document_fields("quarterly-return")}
    names |= {row.path.split("/")[1] for row in document_fields("quarterly-return")}
    mentioned = set(_TICKED.findall(text))
    assert mentioned, "the page names no fields"
    assert mentioned <= names, mentioned - names
