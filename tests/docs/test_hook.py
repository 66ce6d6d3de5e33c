"""The MkDocs hook fits the navigation to the pages that exist."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

HOOK = Path(__file__).resolve().parents[2] / "docs" / "hooks" / "generated_pages.py"


@pytest.fixture(scope="module")
def hook() -> ModuleType:
    pytest.importorskip("mkdocs")
    spec = importlib.util.spec_from_file_location("generated_pages", HOOK)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_missing_pages_are_dropped_and_empty_sections_vanish(hook: ModuleType) -> None:
    nav = [
        {"Home": "index.md"},
        {"Guides": ["rag.md", "spreadsheets.md"]},
        {"Later": ["aggregation.md"]},
    ]
    assert hook._expand(nav, {"index.md", "rag.md"}) == [
        {"Home": "index.md"},
        {"Guides": ["rag.md"]},
    ]


def test_a_folder_expands_to_its_pages_index_first(hook: ModuleType) -> None:
    available = {"reference/codelists/b.md", "reference/codelists/index.md",
                 "reference/codelists/a.md", "reference/codelists/a.csv", "other.md"}  # fmt: skip
    nav = [{"Codelists": "reference/codelists/"}, "other.md"]
    assert hook._expand(nav, available) == [
        {"Codelists": [
            "reference/codelists/index.md", "reference/codelists/a.md", "reference/codelists/b.md",
        ]},
        "other.md",
    ]  # fmt: skip
