"""Helpers for the case-extract tests: synthetic extracts written to temporary files."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from spcore.cases.synth import SynthFormat, SynthStats, write_synthetic_extract

WriteExtract = Callable[..., tuple[Path, SynthStats]]


@pytest.fixture
def write_extract(tmp_path: Path) -> WriteExtract:
    """Write a synthetic extract; return its path and what it holds."""

    def write(
        n: int,
        seed: int = 1,
        *,
        format: SynthFormat = "ndjson",
        invalid_share: float = 0.0,
        name: str | None = None,
    ) -> tuple[Path, SynthStats]:
        buffer = io.StringIO()
        stats = write_synthetic_extract(buffer, n, seed, format=format, invalid_share=invalid_share)
        path = tmp_path / (name or f"extract-{seed}-{n}.{format}")
        path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
        return path, stats

    return write
