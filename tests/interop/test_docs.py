"""The implementation guide's commands run as written, and its generated pages hold the data."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.docs.test_howtos import REPO, run_page

from spcore.interop import docs, terminology

PAGES = sorted((REPO / "docs" / "interop").glob("*.md"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_guide_commands_run(page: Path, tmp_path: Path) -> None:
    run_page(page, tmp_path)


def test_generated_pages_list_every_verified_code_and_source() -> None:
    page = docs.codes_page()
    for code in terminology.score_codes():
        assert code.code in page
    for code in terminology.score_codes():
        assert f"sources.md#{code.source}" in page


def test_code_systems_are_published_with_the_guide() -> None:
    files = docs.files()
    assert "fhir/CodeSystem-rag-rating.json" in files
    assert "fhir/CodeSystem-case-journey.json" in files
    assert "fhir/Questionnaires.json" in files
