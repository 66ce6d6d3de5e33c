"""Keeping freed memory in the processes that read an extract (spcore.heap)."""

from __future__ import annotations

import gc
import platform
from pathlib import Path
from typing import Any

import pytest

import spcore.aggregation.cli
import spcore.cases.cli
import spcore.evaluation.cli
from spcore import heap
from spcore.cases import chunks
from spcore.cli import main

EXTRACT = Path(__file__).parent.parent / "examples" / "cases" / "extract-2025-26.ndjson"


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the C library is not glibc")
def test_glibc_takes_the_settings() -> None:
    assert heap.keep_freed_memory() is True


def test_elsewhere_nothing_is_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform, "libc_ver", lambda: ("musl", "1.2"))
    assert heap.keep_freed_memory() is False


def test_the_settings_are_glibcs_parameters() -> None:
    # malloc.h: M_TRIM_THRESHOLD -1, M_MMAP_THRESHOLD -3, M_ARENA_MAX -8; the thresholds
    # in bytes, and one arena.
    assert dict(heap.SETTINGS) == {-3: 64 * 1024 * 1024, -1: 256 * 1024 * 1024, -8: 1}


def test_a_worker_keeps_the_memory_it_frees(monkeypatch: pytest.MonkeyPatch) -> None:
    called: list[bool] = []
    monkeypatch.setattr(chunks, "keep_freed_memory", lambda: called.append(True) or True)
    try:
        chunks._start_worker()
    finally:  # what a worker does to its collector, undone for the tests that follow
        gc.unfreeze()
        gc.enable()
    assert called == [True]


@pytest.mark.parametrize(
    ("module", "command"),
    [
        (spcore.aggregation.cli, ["aggregate", str(EXTRACT), "--quarter", "2025-26 Q2"]),
        (spcore.cases.cli, ["cases", "check", str(EXTRACT)]),
        (spcore.evaluation.cli, ["evaluate", str(EXTRACT), "--json", "-"]),
    ],
)
def test_a_command_that_reads_an_extract_keeps_the_memory_it_frees(
    module: Any, command: list[str], monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    called: list[bool] = []
    monkeypatch.setattr(module, "keep_freed_memory", lambda: called.append(True) or True)
    main(command)
    capsys.readouterr()
    assert called == [True]
