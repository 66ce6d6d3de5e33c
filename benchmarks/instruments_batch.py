"""Benchmark: batch (column) scoring vs per-row scoring of generated responses.

Scores N generated responses (default 1,000,000) of EQ-5D-5L and of SWEMWBS
with ``score_batch`` (median of three runs, after a warm-up) and times
``score`` one row at a time on a sample (default 100,000 rows), then checks
that the two paths give identical results on that sample. Run::

    .venv/bin/python benchmarks/instruments_batch.py [N] [SAMPLE]

Per-row throughput is measured on the sample and reported as rows per second;
the speed-up compares rows per second of the two paths.
"""

from __future__ import annotations

import platform
import sys
import time

import numpy as np

from spcore.instruments import score, score_batch

EQ5D_ITEMS = ("mobility", "self_care", "usual_activities", "pain_discomfort", "anxiety_depression")
SWEMWBS_ITEMS = tuple(f"item_{n}" for n in range(1, 8))


def _generate(items: tuple[str, ...], levels: int, n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {item: rng.integers(1, levels + 1, size=n) for item in items}


def _bench(instrument: str, columns: dict[str, np.ndarray], sample: int) -> dict[str, float]:
    n = len(next(iter(columns.values())))
    # Warm both paths (imports, first allocations) so neither timing includes start-up.
    warm = {k: v[:1000] for k, v in columns.items()}
    score_batch(instrument, warm)
    for i in range(1000):
        score(instrument, {k: int(v[i]) for k, v in warm.items()})
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        batch = score_batch(instrument, columns)
        timings.append(time.perf_counter() - start)
    batch_seconds = sorted(timings)[1]  # median of three runs

    rows = [{k: int(v[i]) for k, v in columns.items()} for i in range(sample)]
    start = time.perf_counter()
    scalar = [score(instrument, row) for row in rows]
    row_seconds = time.perf_counter() - start

    identical = all(batch.row(i) == scalar[i] for i in range(sample))
    batch_rate = n / batch_seconds
    row_rate = sample / row_seconds
    return {
        "n": n,
        "batch_seconds": batch_seconds,
        "batch_rows_per_s": batch_rate,
        "sample": sample,
        "row_seconds": row_seconds,
        "row_rows_per_s": row_rate,
        "speedup": batch_rate / row_rate,
        "identical": float(identical),
        "valid": float(batch.valid.all()),
    }


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    sample = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    for instrument, items, levels in (
        ("eq5d5l", EQ5D_ITEMS, 5),
        ("swemwbs", SWEMWBS_ITEMS, 5),
    ):
        r = _bench(instrument, _generate(items, levels, n, seed=2016), sample)
        print(
            f"{instrument}: batch {r['n']:,} rows in {r['batch_seconds']:.3f} s "
            f"({r['batch_rows_per_s']:,.0f} rows/s); per-row {r['sample']:,} rows in "
            f"{r['row_seconds']:.2f} s ({r['row_rows_per_s']:,.0f} rows/s); "
            f"speed-up {r['speedup']:,.0f}x; identical on sample: {bool(r['identical'])}"
        )
        if not r["identical"]:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
