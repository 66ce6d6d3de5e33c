"""Synthetic extracts: deterministic, realistic, with exactly the invalid share asked for."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections import Counter
from pathlib import Path

import pytest

import spcore.cli
from spcore.cases import check_record
from spcore.cases.synth import (
    INVALID_KINDS,
    MAX_SESSIONS,
    MIN_DAYS_ASSESSMENT_TO_CLOSURE,
    synth_cases,
    write_synthetic_extract,
)
from spcore.cases.timing import timing_findings
from spcore.framework.timepoints import follow_up_due
from spcore.instruments import get_definition


def _text(n: int, seed: int, **options: object) -> str:
    buffer = io.StringIO()
    write_synthetic_extract(buffer, n, seed, **options)  # type: ignore[arg-type]
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["ndjson", "csv"])
def test_same_seed_same_bytes(fmt: str) -> None:
    first = _text(500, 42, format=fmt, invalid_share=0.1)
    assert first == _text(500, 42, format=fmt, invalid_share=0.1)
    assert first != _text(500, 43, format=fmt, invalid_share=0.1)


def test_same_seed_same_bytes_through_the_cli(tmp_path: Path) -> None:
    digests = []
    for name in ("a.ndjson.gz", "b.ndjson.gz"):
        out = tmp_path / name
        assert spcore.cli.main(["synth", "cases", "300", "--seed", "9", "-o", str(out)]) == 0
        digests.append(hashlib.sha256(out.read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_valid_records_are_valid_and_realistic() -> None:
    records = list(synth_cases(2000, seed=7, year=2024))
    start, end = dt.date(2024, 4, 1), dt.date(2025, 3, 31)
    people = Counter(r["person_id"] for r in records)
    assert all(re.fullmatch(r"[0-9a-f]{64}", p) for p in people)
    assert 1 < sum(c > 1 for c in people.values()) < 200  # some people referred twice
    rejected = sum("rejection" in r["referral"] for r in records)
    assert 100 < rejected < 300  # about one in ten
    for record in records:
        assert check_record(record) == ()
        referred = dt.date.fromisoformat(record["referral"]["date"])
        assert start <= referred <= end
        if "rejection" in record["referral"]:
            assert "support_offered" not in record
            continue
        history = record["needs_and_concerns"]["rag_history"]
        assert history[0] == {"date": record["referral"]["date"], "rating": "green"}
        assessed = dt.date.fromisoformat(record["needs_and_concerns"]["assessment_date"])
        assert 1 <= (assessed - referred).days <= 6  # four working days, a weekend at most
        contacts = record["support_offered"]["contacts"]
        assert contacts[0]["type"] == "assessment"
        assert len(contacts) <= MAX_SESSIONS + 1
        for measure in record["outcomes"]["measures"]:
            definition = get_definition(measure["instrument"])
            headline = next(s for s in definition.scores if s.name == definition.headline)
            assert headline.minimum <= measure["score"] <= headline.maximum
        if "closure" in record:
            closed = dt.date.fromisoformat(record["closure"]["date"])
            # Closed, and followed up, at least three calendar months after the baseline.
            assert (closed - assessed).days >= MIN_DAYS_ASSESSMENT_TO_CLOSURE - 3
            assert closed >= follow_up_due(assessed)
            assert timing_findings(record) == ()
            assert closed <= end
            assert [m["timepoint"] for m in record["outcomes"]["measures"]] == [
                "baseline",
                "follow-up",
            ]


def _severity(rating: str) -> int:
    return ["green", "amber", "red"].index(rating)


def test_rag_history_mostly_green() -> None:
    ratings = Counter(
        max((e["rating"] for e in r["needs_and_concerns"]["rag_history"]), key=_severity)
        for r in synth_cases(3000, seed=1)
        if "needs_and_concerns" in r
    )
    total = sum(ratings.values())
    assert ratings["green"] / total > 0.75
    assert ratings["red"] < ratings["amber"]


def test_invalid_share_and_kinds() -> None:
    records = list(synth_cases(4000, seed=3, invalid_share=0.25))
    invalid = [r for r in records if check_record(r)]
    assert 800 < len(invalid) < 1200


@pytest.mark.parametrize("fmt", ["ndjson", "csv"])
def test_stats_count_every_invalid_kind(fmt: str) -> None:
    buffer = io.StringIO()
    stats = write_synthetic_extract(buffer, 3000, 5, format=fmt, invalid_share=0.2)
    assert stats.records == 3000
    expected = set(INVALID_KINDS) - (
        {"duplicate-field", "unknown-field"} if fmt == "csv" else set()
    )
    assert set(stats.invalid) == expected


def test_bad_arguments_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        list(synth_cases(1, 1, invalid_share=2))
    with pytest.raises(ValueError, match="negative"):
        list(synth_cases(-1, 1))
