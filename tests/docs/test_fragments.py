"""Generated parts of hand-written pages: each fact written once, in the data the code uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from spcore.docs_site.fragments import MARKER, fill
from spcore.framework.definitions import FIGURES

ROOT = Path(__file__).parents[2]
AGGREGATION = (ROOT / "docs/aggregation.md").read_text(encoding="utf-8")


def test_the_aggregation_page_shows_every_definition_from_the_data() -> None:
    assert MARKER.search(AGGREGATION)
    built = fill(AGGREGATION)
    for pointer, figure in FIGURES.items():
        assert f"`{pointer}`" in built
        assert figure.definition.replace("|", "\\\\|") in built


def test_the_aggregation_page_restates_no_definition() -> None:
    # Written by hand, a definition would drift from the one the schema and the code use.
    for figure in FIGURES.values():
        assert figure.definition not in AGGREGATION


def test_the_derive_docstrings_name_their_definitions() -> None:
    from spcore.aggregation import derive

    named = {
        name: fn.__doc__ or ""
        for name, fn in vars(derive).items()
        if callable(fn) and getattr(fn, "__module__", "") == derive.__name__
    }
    for name in ("referred_in", "benefiting_in", "assessment_in", "escalated_in"):
        (pointer,) = [p for p in FIGURES if f'FIGURES["{p}"]' in named[name]]
        assert pointer in FIGURES


def test_an_unknown_part_fails_the_build() -> None:
    with pytest.raises(KeyError, match="no generated part"):
        fill("<!-- generated: nothing-such -->\n")
