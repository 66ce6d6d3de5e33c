"""The RAG enums and the codelist CSVs are one source of truth."""

from __future__ import annotations

import csv
import enum
from pathlib import Path

import pytest

import spcore
from spcore.rag import (
    EXCLUSION_TEXT,
    QUESTION_TEXT,
    Rating,
    ReferralExclusion,
    SafeguardingQuestion,
)

CODELISTS = Path(spcore.__file__).parent / "framework" / "codelists"


def codes(name: str) -> list[str]:
    with (CODELISTS / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return [row["Code"] for row in csv.DictReader(handle)]


@pytest.mark.parametrize(
    ("codelist", "enum_type"),
    [
        ("rag-rating", Rating),
        ("referral-exclusion", ReferralExclusion),
        ("safeguarding-question", SafeguardingQuestion),
    ],
)
def test_enum_values_equal_codelist(codelist: str, enum_type: type[enum.StrEnum]) -> None:
    assert [member.value for member in enum_type] == codes(codelist)


def test_every_code_has_wording() -> None:
    assert set(QUESTION_TEXT) == set(SafeguardingQuestion)
    assert set(EXCLUSION_TEXT) == set(ReferralExclusion)
