"""The documentation page names every criterion, fact column, finding code and example."""

from __future__ import annotations

from pathlib import Path

from spcore.eligibility import CRITERIA, FACTS, FINDING_CODES, OUTPUT_COLUMNS
from spcore.rag import FINDING_CODES as RAG_CODES

ROOT = Path(__file__).resolve().parents[2]
PAGE = (ROOT / "docs" / "eligibility.md").read_text(encoding="utf-8")


def test_every_criterion_documented() -> None:
    missing = [name for name in CRITERIA if f"| `{name}` |" not in PAGE]
    assert missing == []


def test_every_fact_column_documented() -> None:
    missing = [spec.name for spec in FACTS if f"| `{spec.name}` |" not in PAGE]
    assert missing == []


def test_every_finding_code_documented() -> None:
    assert [c for c in FINDING_CODES if f"| `{c}` |" not in PAGE] == []
    rag_page = (ROOT / "docs" / "rag.md").read_text(encoding="utf-8")
    assert [c for c in RAG_CODES if f"| `{c}` |" not in rag_page] == []


def test_output_columns_and_examples_documented() -> None:
    assert [c for c in OUTPUT_COLUMNS if f"`{c}`" not in PAGE] == []
    for path in (ROOT / "examples" / "rules").glob("*.yaml"):
        assert f"examples/rules/{path.name}" in PAGE
