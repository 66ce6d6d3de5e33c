"""Benchmark: reading a case extract — spcore's check and columns against a raw JSON parse.

    python benchmarks/extract_reading.py [--records N] [--dir DIR] [--workers W] [--sample S]
        [--raw pyarrow,polars] [--rounds R] [--command] [--cpu]

In one process, on two synthetic NDJSON extracts of N records (default
1,000,000; ``spcore synth cases N --seed 1``, one with no invalid records and
one with 2% invalid records of every kind), written to DIR once and reused,
R rounds (default 1) of:

* ``spcore.check_extract`` (what ``spcore cases check`` runs) and
  ``spcore.read_columns`` (what ``spcore aggregate`` loads) of both extracts,
  with W worker processes (default: one per processor);
* with ``--command``, the command ``spcore aggregate`` of the mixed extract
  end to end (``--facts`` and ``--suppress``, in a new process, with its peak
  memory);
* before and after each of them, the raw parse of the valid extract (the
  mixed one has lines they refuse) by ``pyarrow.json.read_json`` and
  ``polars.read_ndjson`` (``--raw``), the faster of which is the baseline.

Each run's ratio is to the mean of the parses just before and just after it,
so a machine whose speed drifts during the benchmark moves both sides alike;
the median and the worst ratio over the rounds are printed. Then
``spcore.aggregate`` of one quarter from the mixed extract's columns, and, on
the first S records of the mixed extract (default 20,000), the reference
line-by-line paths beside the fast ones, which must give the same summary,
examples and columns (exit status 1 if not).

Targets: check and read_columns within 2x the raw parse.

The columns are filled by the compiled ``spcore.aggregation._fill``, and the
records screened by the compiled ``spcore.cases._screens``, where spcore was
built with them; run with ``SPCORE_PURE_PYTHON=1`` to time pure Python instead
(the first line printed says which ran).

With ``--cpu`` the times are this process's CPU time (``time.process_time``,
every thread of it) instead of the wall clock: with ``--workers 1`` all the
work is in this process, so the ratios say what reading costs whatever else
the machine is doing (pyarrow's parse counts the CPU time of all its threads).
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any

from spcore import aggregate
from spcore.aggregation.columns import read_columns, reference_read_columns
from spcore.cases.extracts import check_extract, reference_check_extract
from spcore.cases.synth import write_synthetic_extract
from spcore.cli import EXIT_OK, EXIT_PARTIAL
from spcore.compiled import PURE_PYTHON_VARIABLE, check_module, fill_module, screens_module

QUARTER = "2025-26 Q2"
#: The facts the command is given: the example's.
FACTS = Path(__file__).resolve().parent.parent / "examples" / "cases" / "scheme-facts.yaml"


#: The clock timings are taken with: the wall clock, or this process's CPU time (--cpu).
CLOCK = {"clock": time.perf_counter}
#: CPU seconds of each timed run, by label (the lower, for a label timed twice): this
#: process, its threads and its workers.
CPU: dict[str, float] = {}


def cpu_seconds() -> float:
    """CPU time of this process (every thread) and of its finished child processes."""
    mine = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def timed(label: str, run: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    clock = CLOCK["clock"]
    start, cpu = clock(), cpu_seconds()
    result = run()  # the workers of a reading have finished when it returns
    seconds = clock() - start
    used = cpu_seconds() - cpu
    CPU[label] = min(CPU.get(label, used), used)
    print(f"  {label}: {seconds:.2f} s ({used:.2f} CPU-s)", flush=True)
    return seconds, result


def extract(folder: Path, n: int, share: float) -> Path:
    path = folder / f"cases-{n}-{'valid' if share == 0 else 'mixed'}.ndjson"
    if not path.exists():
        start = time.perf_counter()
        with path.open("w", encoding="utf-8", newline="") as out:
            write_synthetic_extract(out, n, 1, invalid_share=share)
        print(f"wrote {path} in {time.perf_counter() - start:.1f} s", flush=True)
    return path


#: The raw parsers, by the name --raw gives them: the function each times.
PARSERS = {"pyarrow": "pyarrow.json.read_json", "polars": "polars.read_ndjson"}


def fastest_parse(path: Path, parsers: list[str], parses: list[tuple[str, float]]) -> float:
    """Time each raw parse of ``path`` (recorded in ``parses``); the fastest's seconds."""
    import polars as pl
    import pyarrow.json as pj

    runs: dict[str, Callable[[], Any]] = {
        "pyarrow": lambda: pj.read_json(path),
        "polars": lambda: pl.read_ndjson(path),
    }
    found = []
    for parser in parsers:
        seconds, _ = timed(PARSERS[parser], runs[parser])
        parses.append((PARSERS[parser], seconds))
        found.append(seconds)
    return min(found)


def same_columns(a: Any, b: Any) -> bool:
    import attrs
    import numpy as np

    from spcore.aggregation import CaseColumns

    for field in attrs.fields(CaseColumns):
        x, y = getattr(a, field.name), getattr(b, field.name)
        if isinstance(x, np.ndarray):
            if x.dtype != y.dtype or not np.array_equal(x, y, equal_nan=x.dtype.kind == "f"):
                return False
        elif field.name == "summary":
            if x.to_dict() != y.to_dict():
                return False
        elif x != y:
            return False
    return True


#: Runs a command and prints its peak memory. A command started from this (large)
#: process would inherit this process's peak as its own; one started from a small
#: Python process does not.
PEAK = (
    "import resource, subprocess, sys\n"
    "quiet = subprocess.DEVNULL\n"
    "status = subprocess.run(sys.argv[1:], stdout=quiet, stderr=quiet).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(status)\n"
)


def run_command(arguments: list[str]) -> int:
    """Run a command to its end; its peak memory in KB (its own or a worker's)."""
    done = subprocess.run(
        [sys.executable, "-c", PEAK, *arguments], capture_output=True, text=True, check=False
    )
    if done.returncode not in (EXIT_OK, EXIT_PARTIAL):  # partial: records were left out
        raise SystemExit(f"{' '.join(arguments)} failed with status {done.returncode}")
    return int(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--dir", default=".", help="where the extracts are written and kept")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument(
        "--raw",
        default="pyarrow,polars",
        help="raw parsers to time, of pyarrow and polars (default: both)",
    )
    parser.add_argument("--rounds", type=int, default=1, help="rounds of every run (default 1)")
    parser.add_argument(
        "--command", action="store_true", help="also time the command spcore aggregate"
    )
    parser.add_argument(
        "--cpu", action="store_true", help="time CPU of this process, not the wall clock"
    )
    args = parser.parse_args()
    if args.cpu:
        CLOCK["clock"] = time.process_time
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    modules = (("fill", fill_module()), ("screens", screens_module()), ("check", check_module()))
    built = [n for n, m in modules if m]
    print(
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f}, compiled modules: "
        f"{', '.join(built) or 'none, pure Python'} ({PURE_PYTHON_VARIABLE}=1 for pure Python)",
        flush=True,
    )
    valid = extract(folder, args.records, 0.0)
    mixed = extract(folder, args.records, 0.02)
    sizes = [p.stat().st_size / 2**20 for p in (valid, mixed)]
    print(f"valid extract {sizes[0]:,.0f} MiB; mixed {sizes[1]:,.0f} MiB")

    w = args.workers
    loaded: dict[str, Any] = {}
    peaks: list[int] = []
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("check_extract(valid)", lambda: check_extract(valid, workers=w)),
        ("check_extract(mixed)", lambda: check_extract(mixed, workers=w)),
        ("read_columns(valid)", lambda: read_columns(valid, workers=w)),
        ("read_columns(mixed)", lambda: loaded.update(mixed=read_columns(mixed, workers=w))),
    ]
    if args.command:
        command = [sys.executable, "-m", "spcore", "aggregate", str(mixed)]
        command += ["--quarter", QUARTER.replace(" ", ""), "--facts", str(FACTS), "--suppress"]
        steps.append(("spcore aggregate", lambda: peaks.append(run_command(command))))
    parsers = args.raw.split(",")
    parses: list[tuple[str, float]] = []
    spent: dict[str, list[float]] = {label: [] for label, _ in steps}
    ratios: dict[str, list[float]] = {label: [] for label, _ in steps}
    for number in range(1, args.rounds + 1):
        print(f"round {number} of {args.rounds}", flush=True)
        before = fastest_parse(valid, parsers, parses)
        for label, run in steps:
            seconds, _ = timed(label, run)
            after = fastest_parse(valid, parsers, parses)
            spent[label].append(seconds)
            ratios[label].append(seconds / ((before + after) / 2))
            before = after

    best_name = min(CPU.keys() & set(PARSERS.values()), key=lambda k: CPU[k])
    print(
        f"raw parse: {len(parses)} times, {min(t for _, t in parses):.2f} s to "
        f"{max(t for _, t in parses):.2f} s; the faster parser: {best_name}"
    )
    print("each run against the parses just before and after it (median; worst):")
    for label, _ in steps:
        median, worst = statistics.median(ratios[label]), max(ratios[label])
        print(
            f"  {label}: {statistics.median(spent[label]):.2f} s = "
            f"{median:.2f}x the raw parse; worst {worst:.2f}x"
        )
    if peaks:
        print(f"  spcore aggregate peak memory: {max(peaks) / 1024:,.0f} MiB")
    summary = loaded["mixed"].summary
    print(
        f"  the mixed extract: {summary.read:,} read, {summary.accepted:,} accepted, "
        f"{summary.rejected:,} rejected"
    )
    timed(
        f"aggregate(columns, {QUARTER!r})",
        functools.partial(aggregate, loaded.pop("mixed"), QUARTER),
    )
    # The same by CPU time, workers included: steadier than the wall clock on a shared
    # machine, though it says nothing of how well the work spreads over the processors.
    raw_cpu = CPU[best_name]
    print(f"by CPU time (the lowest of each): baseline {best_name}, {raw_cpu:.2f} CPU-s")
    for label, _ in steps:
        print(f"  {label}: {CPU[label]:.2f} CPU-s = {CPU[label] / raw_cpu:.2f}x")

    sample = folder / f"cases-{args.sample}-sample.ndjson"
    with mixed.open("rb") as source, sample.open("wb") as out:
        out.writelines(islice(source, args.sample))
    print(f"the first {args.sample:,} records of the mixed extract, reference beside fast")
    ref_check, reference = timed(
        "reference_check_extract", lambda: reference_check_extract(sample, keep=10**9)
    )
    fast_check, fast = timed("check_extract", lambda: check_extract(sample, workers=w, keep=10**9))
    ref_cols, ref_columns = timed("reference_read_columns", lambda: reference_read_columns(sample))
    fast_cols, fast_columns = timed("read_columns", lambda: read_columns(sample, workers=w))
    same = (
        reference[0].to_dict() == fast[0].to_dict()
        and [(i.line, i.findings) for i in reference[1]] == [(i.line, i.findings) for i in fast[1]]
        and same_columns(ref_columns, fast_columns)
    )
    print(
        f"  check {ref_check / fast_check:.1f}x faster, columns {ref_cols / fast_cols:.1f}x faster"
    )
    print(f"  same verdicts, findings and columns: {'yes' if same else 'NO'}")
    sample.unlink()
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
