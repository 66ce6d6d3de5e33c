"""Every count of the return states its population and definition where a reader sees it."""

from __future__ import annotations

import json

import pytest

from spcore import schemas
from spcore.framework.definitions import FIGURES, definition_of
from spcore.framework.figure_paths import count_figures, figure_shape

COUNTS = sorted(count_figures())


def field_pointer(count: str) -> str:
    """The field a count belongs to: a breakdown's member belongs to the breakdown."""
    return count.removesuffix("/*")


@pytest.mark.parametrize("count", COUNTS)
def test_every_count_has_a_population_and_a_definition(count: str) -> None:
    # A count added to the return fails here until spcore.framework.definitions
    # says what it counts.
    figure = definition_of(field_pointer(count))
    assert figure is not None, f"{count}: no entry in spcore.framework.definitions.FIGURES"
    description = figure_shape(count.replace("/*/", "/0/")).description
    assert f"Population: {figure.population}." in description
    assert f"Definition: {figure.definition}" in description
    assert figure.source in description


def test_every_definition_names_a_count_of_the_return() -> None:
    fields = {field_pointer(c) for c in COUNTS}
    for key in FIGURES:
        assert any(definition_of(f) is FIGURES[key] for f in fields), key


def test_the_published_schema_carries_the_definitions() -> None:
    # The spreadsheet template and any JSON Schema tool read descriptions from here.
    text = json.dumps(schemas.load("quarterly-return"))
    for figure in FIGURES.values():
        assert json.dumps(figure.definition)[1:-1] in text
